"""Every page kind works under the Content-Security-Policy, opened directly and reached by a link."""

from __future__ import annotations

import re

import pytest

PAGE_KINDS = {
    "": ".md-content h1",
    "metoder/": ".vk-facets:not([hidden])",
    "cases/": ".vk-facets:not([hidden])",
    "metoder/world-cafe/": ".vk-facts",
    "cases/koege-borgerinddragelseskorps/": ".vk-facts",
    "kommuner/": ".vk-columns",
    "kommuner/koege/": ".md-content h1",
    "udskriv/": ".vk-print-button:not([hidden])",
    "udskriv/plan/": ".vk-deck",
    "bidrag/ny-case/": "#vk-cf[data-ready='1'] .vk-cf-app:not([hidden])",
    "ordliste/": ".vk-glossary",
    "emneord/": ".md-content h1",
    "data/": ".md-content h1",
}


def test_every_page_carries_the_policy_and_a_referrer_policy(built_site):
    for path in PAGE_KINDS:
        html = (built_site / path / "index.html").read_text(encoding="utf-8")
        head = html[html.index("<head"):html.index("</head>")]
        policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', head)
        assert policy, path
        assert head.index("Content-Security-Policy") < head.find("<script") or "<script" not in head, path
        rules = dict(rule.strip().split(" ", 1) for rule in policy.group(1).split(";"))
        assert rules["default-src"] == "'self'" and rules["object-src"] == "'none'"
        assert "unsafe-inline" not in policy.group(1)
        # Scripts: the site's files, the theme's inline scripts by hash, and WebAssembly for the
        # search (Pagefind); never JavaScript eval (see toolbox/csp.py).
        script = rules["script-src"].split()
        assert script[:2] == ["'self'", "'wasm-unsafe-eval'"], script
        assert all(s.startswith("'sha256-") for s in script[2:]), script
        assert "http" not in policy.group(1), "no other host is allowed"
        assert '<meta name="referrer" content="no-referrer">' in head


@pytest.mark.parametrize("path", list(PAGE_KINDS))
def test_each_page_kind_works_when_opened(page, site_url, path):
    page.goto(site_url + path)
    page.wait_for_selector(PAGE_KINDS[path], state="attached", timeout=10000)
    assert page.watch.errors == [] and page.watch.foreign == []


def test_each_page_kind_works_when_reached_by_a_link(page, site_url):
    page.goto(site_url)
    for path, ready in PAGE_KINDS.items():
        page.evaluate("""href => { const a = document.createElement('a'); a.href = href;
                                   document.body.append(a); a.click(); a.remove(); }""", site_url + path)
        page.wait_for_url(site_url + path, timeout=10000)
        page.wait_for_selector(ready, state="attached", timeout=10000)
    assert page.watch.errors == [] and page.watch.foreign == []
