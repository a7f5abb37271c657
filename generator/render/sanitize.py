"""Export text is never markup: links that would run script are neutralised after Markdown."""

from __future__ import annotations

import html
import re

_HREF = re.compile(r"""\b(href|src|action|formaction)\s*=\s*(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_SAFE_SCHEMES = ("http", "https", "mailto", "tel")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


def _unsafe(url: str) -> bool:
    # Browsers ignore whitespace and control characters inside a scheme ("java\tscript:").
    plain = re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(url)).lower()
    scheme = _SCHEME.match(plain)
    return bool(scheme) and scheme.group(1) not in _SAFE_SCHEMES


def neutralise_links(fragment: str) -> str:
    """Replace every link or source whose scheme could run code (javascript:, data:, vbscript:) with "#"."""
    return _HREF.sub(lambda m: f"{m.group(1)}={m.group(2)}#{m.group(2)}" if _unsafe(m.group(3)) else m.group(0), fragment)


def safe_href(url: str) -> str:
    """An export's URL for an href: "#" if its scheme could run code (the `safe_href` filter of templates)."""
    return "#" if _unsafe(url) else url
