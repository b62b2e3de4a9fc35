"""The Content-Security-Policy every page carries: the second wall behind the sanitiser.

Scripts and styles only from the site itself (the theme's inline scripts by their hash), no plugins,
no other hosts for images, fonts, frames or connections, forms only to the site, and a referrer
policy that tells other sites nothing. Set as <meta> tags, so it holds wherever the site is hosted.

One deliberate addition: 'wasm-unsafe-eval' in script-src. The site search (Pagefind,
toolbox/search.py) matches queries in WebAssembly, its own pagefind/wasm.da.pagefind from this site.
It usually runs in a worker, which a <meta> policy does not reach, but Pagefind falls back to the page
itself when a worker is not available or slow to start, and a host that sends this policy as a header
would reach the worker too. The keyword lets a page compile WebAssembly and nothing else: JavaScript
eval, new Function and inline scripts stay refused, and code still only comes from the site.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache

_INLINE_SCRIPT_RE = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_HEAD_RE = re.compile(r"<head[^>]*>", re.IGNORECASE)
REFERRER = "no-referrer"


@lru_cache(maxsize=256)
def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def policy(html: str) -> str:
    """The policy for one page: its own inline scripts allowed by hash, nothing else inline."""
    hashes = sorted({_hash(m.group(1)) for m in _INLINE_SCRIPT_RE.finditer(html)})
    return "; ".join([
        "default-src 'self'",
        " ".join(["script-src 'self' 'wasm-unsafe-eval'", *hashes]),
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self'",
        "object-src 'none'",
        "frame-src 'none'",
        "worker-src 'self'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def with_policy(html: str) -> str:
    """A finished page with the policy and the referrer policy as the first tags in its <head>."""
    m = _HEAD_RE.search(html)
    if m is None:
        return html
    tags = (f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
            f'<meta name="referrer" content="{REFERRER}">')
    return html[: m.end()] + tags + html[m.end():]
