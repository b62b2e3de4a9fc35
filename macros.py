"""mkdocs-macros entry point: the macros hand-written pages in docs/ may call.

Only wiring: each macro asks the toolbox for HTML. Pages opt in with `render_macros: true`;
files from methods/ and cases/ are never rendered (see toolbox/mkdocs_hook.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from toolbox import render, vocab  # noqa: E402
from toolbox.qr import qr_code  # noqa: E402
from toolbox.site import index_of, public_url  # noqa: E402


def define_env(env):
    """Register the macros."""

    def index():
        return index_of(ROOT)

    def page_url() -> str:
        return env.page.url

    @env.macro
    def method_catalogue() -> str:
        """The filterable list of method cards."""
        return render.method_catalogue(index(), page_url())

    @env.macro
    def case_catalogue() -> str:
        """The filterable list of cases."""
        return render.case_catalogue(index(), page_url())

    @env.macro
    def case_form() -> str:
        """The form for writing a case in the browser (/bidrag/ny-case/)."""
        from toolbox import forms
        extra = env.conf["extra"]
        idx = index()
        methods = [(slug, str(doc.meta["title"])) for slug, doc in idx.methods.items()]
        return forms.case_form(str(extra.get("repository", "")), str(extra.get("branch", "main")),
                               methods, list(idx.cases))

    @env.macro
    def card_deck() -> str:
        """Every method card in print form (the print deck and the workshop plan)."""
        return render.card_deck(index(), page_url(), public_url(env.conf.get("site_url")), qr_code)

    @env.macro
    def vocabulary_table(name: str) -> str:
        """A vocabulary's labels and explanations as a table."""
        return render.vocabulary_table(name)

    @env.macro
    def glossary() -> str:
        """The glossary."""
        return render.glossary()

    @env.macro
    def counts() -> dict:
        """How many methods, cases and municipalities the toolbox holds."""
        idx = index()
        return {"methods": len(idx.methods), "cases": len(idx.cases),
                "municipalities": len(idx.cases_by_municipality)}

    @env.macro
    def vocabulary_values(name: str) -> list:
        """A vocabulary's terms, for pages that list them."""
        return list(vocab.load(name).terms)

    @env.macro
    def contributing() -> str:
        """CONTRIBUTING.md without its first-level heading (the contribution guide on /bidrag/)."""
        text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if line.startswith("# "):
                del lines[i]
                break
        return "\n".join(lines).strip() + "\n"
