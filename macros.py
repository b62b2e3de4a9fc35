"""mkdocs-macros entry point: the macros hand-written pages in docs/ may call.

Only wiring: each macro calls a fragment of the site plan, which the MkDocs adapter
(toolbox/mkdocs_hook.py) hands to mkdocs-macros as the variable `toolbox_fragments` once the plan
is made. Pages opt in with `render_macros: true`; files from methods/ and cases/ are never rendered.
"""

from __future__ import annotations


def define_env(env):
    """Register the macros."""

    def fragment(name: str, *args):
        return env.variables["toolbox_fragments"][name](env.page.url, *args)

    @env.macro
    def method_catalogue() -> str:
        """The filterable list of method cards."""
        return fragment("method_catalogue")

    @env.macro
    def case_catalogue() -> str:
        """The filterable list of cases."""
        return fragment("case_catalogue")

    @env.macro
    def case_form() -> str:
        """The form for writing a case in the browser (/bidrag/ny-case/)."""
        return fragment("case_form")

    @env.macro
    def card_deck() -> str:
        """Every method card in print form (the print deck and the workshop plan)."""
        return fragment("card_deck")

    @env.macro
    def vocabulary_table(name: str) -> str:
        """A vocabulary's labels and explanations as a table."""
        return fragment("vocabulary_table", name)

    @env.macro
    def glossary() -> str:
        """The glossary."""
        return fragment("glossary")

    @env.macro
    def counts() -> dict:
        """How many methods, cases and municipalities the toolbox holds."""
        return fragment("counts")

    @env.macro
    def vocabulary_values(name: str) -> list:
        """A vocabulary's terms, for pages that list them."""
        return fragment("vocabulary_values", name)

    @env.macro
    def worksheet_list() -> str:
        """The printable worksheets the method cards name."""
        return fragment("worksheet_list")

    @env.macro
    def editors_contact() -> str:
        """Who the editors are and how to reach them (mkdocs.yml, extra.editors)."""
        return fragment("editors_contact")

    @env.macro
    def contributing() -> str:
        """CONTRIBUTING.md without its first-level heading (the contribution guide on /bidrag/)."""
        return fragment("contributing")

    @env.macro
    def municipality_map() -> str:
        """The tile map of the municipalities with cases, and its list (the front page)."""
        return fragment("municipality_map")

    @env.macro
    def method_chooser() -> str:
        """The guided chooser "Find en metode til jeres situation" (the front page and /metoder/)."""
        return fragment("method_chooser")
