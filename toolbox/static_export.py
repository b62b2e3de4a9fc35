"""The static adapter: the whole site as plain Markdown pages, assets and data files that a stock
MkDocs + Material (no hooks, no macros), ProperDocs or another MkDocs-compatible engine can build.

`python -m toolbox export OUT` (or `vk-export OUT`) writes OUT/mkdocs.yml and OUT/docs/. Generated
pages are written as front matter (title, description, tags) and one block of HTML: the plan's
HTML around the contributed Markdown, converted by the toolbox (CommonMark) and sanitised. Hand-written
pages have their macro calls rendered with the plan's fragments. Nothing of ours runs at build time.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import jinja2
import yaml

from . import markup
from .plan import SitePlan, plan_site
from .text import split_front_matter

# What a stock build must not be asked to load: our hook, mkdocs-macros and the live-reload list.
DROPPED_KEYS = ("hooks", "watch")
DROPPED_PLUGINS = ("macros",)


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, resolving `!ENV [NAME, default]` as MkDocs does."""


def _env_tag(loader, node):
    names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
    *keys, default = names if len(names) > 1 else (names + [None])
    for key in keys:
        if os.environ.get(key):
            return os.environ[key]
    return default


_ConfigLoader.add_constructor("!ENV", _env_tag)
# `!!python/name:module.function` (a hook into our Python, e.g. toc.slugify): kept as its name; the
# stock configuration leaves such settings out.
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda loader, suffix, node: f"python:{suffix}")


def read_config(root: Path) -> dict:
    """The project's mkdocs.yml as data."""
    return yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)


def stock_config(config: dict, site_url: str) -> dict:
    """mkdocs.yml for a stock build: no hooks or macros, the theme overrides copied beside it."""
    out = {k: v for k, v in config.items() if k not in DROPPED_KEYS}
    out["site_url"] = site_url
    out["plugins"] = [p for p in config.get("plugins", [])
                      if (next(iter(p)) if isinstance(p, dict) else p) not in DROPPED_PLUGINS]
    extensions = []
    for ext in config.get("markdown_extensions", []):   # no Python of ours in a stock build
        if isinstance(ext, dict) and "toc" in ext:
            ext = {"toc": {k: v for k, v in (ext["toc"] or {}).items() if k != "slugify"}}
        extensions.append(ext)
    out["markdown_extensions"] = extensions
    theme = dict(config.get("theme", {}))
    if theme.get("custom_dir"):
        theme["custom_dir"] = "overrides"
    out["theme"] = theme
    return out


def page_url(src_uri: str) -> str:
    """The URL MkDocs gives a Markdown file with directory URLs: index.md -> '', a/b.md -> a/b/."""
    stem = src_uri[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def _front_matter(meta: dict) -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000) + "---\n"


def generated_markdown(plan: SitePlan, src_uri: str) -> str:
    """A generated page as a Markdown file a stock engine builds: front matter and one HTML block."""
    page = plan.pages[src_uri]
    meta: dict = {"title": page.title}
    if page.description:
        meta["description"] = page.description
    if page.tags:
        meta["tags"] = list(page.tags)
    if not page.indexed:
        meta["search"] = {"exclude": True}
    html = plan.finish(src_uri, markup.convert(page.markdown)).html
    # One raw block: no blank line inside, so Python-Markdown passes it through untouched.
    lines = [line for line in html.split("\n") if line.strip()]
    return _front_matter(meta) + '\n<div class="vk-page">\n' + "\n".join(lines) + "\n</div>\n"


def hand_written(plan: SitePlan, config: dict, text: str, src_uri: str) -> str:
    """A hand-written page with its macro calls rendered (pages that opt in with render_macros)."""
    meta, body = split_front_matter(text)
    if not meta.get("render_macros"):
        return text
    url = page_url(src_uri)
    extra = config.get("extra", {}) or {}
    fragments = plan.fragments()
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.globals.update({name: (lambda f: lambda *args: f(url, *args))(f) for name, f in fragments.items()})
    env.globals.update({"config": {**config, "site_url": plan.site_url}, "extra": extra, **extra})
    meta.pop("render_macros", None)
    return _front_matter(meta) + env.from_string(body).render()


def export_site(root: Path, out: Path, site_url: str | None = None) -> int:
    """Write the export to `out` (which must not exist: nothing is overwritten); 1 on problems."""
    config = read_config(root)
    extra = config.get("extra", {}) or {}
    plan = plan_site(root, site_url or config.get("site_url"), str(extra.get("repository", "")),
                     str(extra.get("branch", "main")), extra.get("editors"))
    if plan.problems:
        for problem in plan.problems:
            print(str(problem))
        print(f"{len(plan.problems)} fejl i indholdet; eksporten er ikke skrevet.", file=sys.stderr)
        return 1
    if out.exists():
        print(f"{out} findes allerede; vælg en ny mappe (eksporten overskriver ikke noget).", file=sys.stderr)
        return 1
    docs_in = root / config.get("docs_dir", "docs")
    docs = out / "docs"
    shutil.copytree(docs_in, docs, ignore=shutil.ignore_patterns("*.md"))
    for path in sorted(docs_in.rglob("*.md")):
        src_uri = path.relative_to(docs_in).as_posix()
        target = docs / src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(hand_written(plan, config, path.read_text(encoding="utf-8"), src_uri), encoding="utf-8")
    for src_uri in plan.pages:
        target = docs / src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(generated_markdown(plan, src_uri), encoding="utf-8")
    for path, make in plan.data.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(make(), encoding="utf-8")
    theme_dir = config.get("theme", {}).get("custom_dir")
    if theme_dir:
        shutil.copytree(root / theme_dir, out / "overrides")
    (out / "mkdocs.yml").write_text(yaml.safe_dump(stock_config(config, plan.site_url), allow_unicode=True,
                                                   sort_keys=False), encoding="utf-8")
    print(f"Eksporten er skrevet til {out} ({len(plan.pages)} genererede sider).", file=sys.stderr)
    return 0

