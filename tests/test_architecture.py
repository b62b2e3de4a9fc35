"""How the code is shaped: the core imports no site generator, keeps no build state in module
globals, marks only three kinds of HTML safe, and nothing patches sys.path."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

from helpers import ROOT

TOOLBOX = ROOT / "toolbox"
ADAPTERS = {"mkdocs_hook.py", "mkdocs_preview.py"}   # the only modules that may know MkDocs
ENGINES = ("mkdocs", "material", "markdown", "pymdownx", "mkdocs_macros")


def core_modules() -> list[str]:
    return sorted(f"toolbox.{p.stem}" for p in TOOLBOX.glob("*.py")
                  if p.name not in ADAPTERS and p.stem != "__main__")


def test_the_core_imports_no_site_generator():
    """Importing every core module (and planning the real site) loads nothing of MkDocs, Material or
    Python-Markdown ('markdown'; markdown-it is the core's own converter)."""
    code = ("import sys, pathlib\n" + "".join(f"import {m}\n" for m in core_modules())
            + f"toolbox.plan.plan_site(pathlib.Path({str(ROOT)!r}))\n"
            + f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({ENGINES!r})))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert len(core_modules()) >= 15


def test_no_module_keeps_build_state_in_globals():
    """No `global` statement anywhere in the toolbox (caches of pure functions are lru_cache)."""
    offenders = []
    for path in TOOLBOX.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Global):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


# Where HTML is marked safe, and why: sanitised Markdown (render.split_sections), the QR
# code's SVG (qr.qr_svg), and the theme's pre-escaped title and description (mkdocs_hook.theme_text:
# Material prints them unescaped), and the icons read from the installed theme's SVG files (icons.icon).
# Glossary links are added to finished HTML strings (render.link_glossary).
ALLOWED_MARKUP = {"render.py": 2, "qr.py": 1, "mkdocs_hook.py": 1, "icons.py": 1}


def test_only_the_allowed_values_are_marked_safe():
    found = {}
    for path in TOOLBOX.glob("*.py"):
        count = len(re.findall(r"\bMarkup\(", path.read_text(encoding="utf-8")))
        if count:
            found[path.name] = count
    assert found == ALLOWED_MARKUP
    for template in (TOOLBOX / "templates").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b|\bMarkup\b|autoescape\s+false", text), template.name


def test_the_template_environment_escapes_and_fails_on_undefined_names():
    import jinja2
    import pytest
    from toolbox import render
    env = render.environment()
    assert env.autoescape is True and env.undefined is jinja2.StrictUndefined
    assert env.from_string("{{ x }}").render(x="<script>") == "&lt;script&gt;"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()


def test_nothing_patches_sys_path():
    files = [p for p in ROOT.rglob("*.py") if ".venv" not in p.parts and "site" not in p.parts[:1]]
    assert [str(p.relative_to(ROOT)) for p in files if "sys.path.insert" in p.read_text(encoding="utf-8")
            and p.name != "test_architecture.py"] == []
