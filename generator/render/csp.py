"""A Content-Security-Policy <meta> tag for every page, computed from the page itself.

The site is static, so the policy travels in the HTML (a host may add the same policy as an HTTP
header). Everything the site loads is its own: scripts, styles, images, the Pagefind index and
its worker. The few inline scripts mkdocs-material writes into each page (`__md_scope`, which
differs per page depth, and the anchor-tab snippet) are allowed by their sha256 hash, computed
here from the finished page, so no 'unsafe-inline' is needed for scripts.

Directives, and why:
- default-src 'self': anything not named below (fonts, manifests, frames, media) only from the site.
- script-src 'self' + hashes: the theme's bundle, our scripts, Pagefind; inline scripts by hash.
  'wasm-unsafe-eval' lets Pagefind compile its WebAssembly search engine when it cannot use its
  worker (it allows WebAssembly only, never JavaScript eval).
- worker-src 'self': Pagefind runs the search in pagefind/pagefind-worker.js.
- style-src 'self': the theme's, Pagefind's and our stylesheets. Inline <style> elements and style
  attributes written in the HTML (a template or a content page may have one) are allowed by hash
  ('unsafe-hashes' for attributes); styles that scripts set through the DOM (element.style, used by
  the theme for the sidebar height and by Pagefind for its input padding) are not governed by CSP.
- img-src 'self' data:: the theme draws its icons as data: SVG masks in its CSS.
- connect-src 'self': Pagefind fetches its index files.
- object-src 'none', base-uri 'self', form-action 'self': no plugins, no <base> hijack, the header
  search form submits only to the site's own search page.
frame-ancestors, report-uri and sandbox are ignored in a <meta> policy, so they are not written.

site_templates/hooks/csp.py applies it to every mkdocs page and must stay the last hook in
mkdocs.yml `hooks:` that changes page HTML (a script changed after the hash is computed would be
blocked); generator/render/frames.py applies it to the pages written outside mkdocs.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re

_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_STYLE = re.compile(r"<style(?:\s[^>]*)?>(?P<body>.*?)</style\s*>", re.IGNORECASE | re.DOTALL)
_STYLE_ATTR = re.compile(r"""<[a-zA-Z][^<>]*?\sstyle\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""")
_TYPE = re.compile(r"""\stype\s*=\s*["']?(?P<type>[^"'\s>]+)""", re.IGNORECASE)
_SRC = re.compile(r"\ssrc\s*=", re.IGNORECASE)
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.IGNORECASE)
_HEAD = re.compile(r"<head(?:\s[^>]*)?>", re.IGNORECASE)
# Script types a browser executes; others (application/json, application/ld+json) are data blocks.
_EXECUTABLE = {"", "text/javascript", "application/javascript", "module"}


def _hash(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as the HTML parser hands it to CSP
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def policy(output: str) -> str:
    """The Content-Security-Policy for one finished page."""
    scripts = []
    for match in _SCRIPT.finditer(output):
        attrs = match.group("attrs")
        kind = _TYPE.search(attrs)
        if _SRC.search(attrs) or (kind and kind.group("type").lower() not in _EXECUTABLE):
            continue
        scripts.append(_hash(match.group("body")))
    styles = [_hash(m.group("body")) for m in _STYLE.finditer(output)]
    attributes = [_hash(html.unescape(m.group("dq") if m.group("dq") is not None else m.group("sq"))) for m in _STYLE_ATTR.finditer(output)]
    directives = [
        "default-src 'self'",
        " ".join(["script-src 'self' 'wasm-unsafe-eval'", *_unique(scripts)]),
        "worker-src 'self'",
        " ".join(["style-src 'self'", *_unique(styles)]),
    ]
    if attributes:
        directives.append(" ".join(["style-src-attr 'unsafe-hashes'", *_unique(attributes)]))
    directives += ["img-src 'self' data:", "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"]
    return "; ".join(directives)


def with_policy(output: str) -> str:
    """The page with its policy as the first element of <head> after the charset."""
    content = policy(output).replace("&", "&amp;").replace('"', "&quot;")  # single quotes stay readable
    tag = f'<meta http-equiv="Content-Security-Policy" content="{content}">'
    anchor = _CHARSET.search(output) or _HEAD.search(output)
    if anchor is None:
        return output
    return output[: anchor.end()] + "\n    " + tag + output[anchor.end() :]
