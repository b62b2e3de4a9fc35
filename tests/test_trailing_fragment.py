"""The MkDocs adapter joins a hand-written page's trailing fragment after Python-Markdown's conversion
(toolbox/mkdocs_hook.py): the result must be what Python-Markdown makes of the page with the
fragment's HTML as its last block, whatever the page ends with."""

from __future__ import annotations

import markdown
import pytest

from toolbox import mkdocs_hook

EXTENSIONS = ["toc", "admonition", "fenced_code", "attr_list", "md_in_html", "tables", "def_list"]
FRAGMENT = '<div data-search-exclude><div class="vk-filter"><h2 id="x">Liste</h2><ul><li>a</li></ul></div></div>'
ENDINGS = {
    "paragraph": "# Cases\n\nSådan har kommuner arbejdet.\n",
    "raw html block": "# Plan\n\n<p class=\"vk-no-print\"><button type=\"button\">Udskriv</button></p>\n",
    "two raw blocks": "<p>x</p>\n<p>z</p>\n",
    "markdown in html": "# Udskriv\n\n<div class=\"vk-print-controls\" markdown=\"1\">\n\nTekst med **fed**.\n\n</div>\n",
    "section": "<section>\n\n<p>x</p>\n\n</section>\n",
    "list": "Tekst\n\n- et\n- to\n",
    "heading with markup": "## Overskrift med `kode` & mere\n\nTekst.\n",
    "trailing spaces": "Tekst  \n\n",
    "empty": "",
}


@pytest.mark.parametrize("source", ENDINGS.values(), ids=ENDINGS.keys())
def test_a_joined_fragment_is_where_python_markdown_puts_a_last_block(source):
    whole = markdown.Markdown(extensions=EXTENSIONS).convert(source + "\n" + FRAGMENT + "\n")
    join = mkdocs_hook._TrailingFragment()
    join.waiting = FRAGMENT
    html = markdown.Markdown(extensions=[*EXTENSIONS, join]).convert(source)
    assert mkdocs_hook.joined(html, join.tail, FRAGMENT) == whole


def test_only_a_fragment_call_on_its_own_last_line_is_taken_out():
    """The call must be the page's last block; anything else is left to mkdocs-macros."""
    trailing = mkdocs_hook._TRAILING_RE
    assert trailing.search("Tekst.\n\n{{ case_catalogue() }}\n").group(1) == "case_catalogue"
    assert trailing.search("Tekst.\n\n{{card_deck()}}").group(1) == "card_deck"
    assert trailing.search("Tekst.\n{{ case_catalogue() }}\n") is None            # part of the paragraph
    assert trailing.search("{{ case_catalogue() }}\n\nTekst.\n") is None           # not the last block
    assert trailing.search("Tekst.\n\n    {{ case_catalogue() }}\n") is None       # indented: code
    assert trailing.search("Tekst.\n\n{{ glossary() }}\n") is None                 # not a block fragment
    assert trailing.search("Tekst.\n\n{{ case_catalogue() }} og mere\n") is None
