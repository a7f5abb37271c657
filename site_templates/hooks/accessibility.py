"""mkdocs hook: accessibility fixes that apply to every page's content, after Markdown and fragments.

- Every table sits in its own scroll box (`.portal-table`), so on a phone a wide table scrolls
  inside the box and the page itself never scrolls sideways. A box that scrolls must be reachable
  by keyboard (WCAG 2.1.1): it is a focusable region named after the table's caption.
  Register tables come with the box and a caption from site_templates/pages/; a Markdown table of
  content/ gets both here, its caption (visually hidden) being the heading it stands under.
- `<!-- portal:last-check -->` (in content/dostapnost.md) becomes the build date: the build that
  publishes the site is the one whose tests ran the automated accessibility checks. The date is
  the build's --as-of (SOURCE_DATE_EPOCH, set by generator/sitebuild.py), never the clock.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import os
import re

LAST_CHECK = "<!-- portal:last-check -->"

_TABLE = re.compile(
    r'(?P<box><div class="portal-table"(?P<box_attrs>[^>]*)>\s*)?<table(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</table>',
    re.DOTALL,
)
_CAPTION = re.compile(r"<caption(?:\s[^>]*)?>(?P<text>.*?)</caption>", re.DOTALL)
_HEADING = re.compile(r"<h[1-6](?:\s[^>]*)?>(?P<text>.*?)</h[1-6]>", re.DOTALL)
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def _text(fragment: str) -> str:
    return " ".join(html_lib.unescape(_TAG.sub("", _HEADERLINK.sub("", fragment))).split())


def _boxed_tables(content: str, title: str) -> str:
    def box(match: re.Match[str]) -> str:
        body = match.group("body")
        caption = _CAPTION.search(body)
        if caption:
            name = _text(caption.group("text"))
        else:
            headings = list(_HEADING.finditer(content, 0, match.start()))
            name = _text(headings[-1].group("text")) if headings else title
            body = f'<caption class="portal-visually-hidden">{html_lib.escape(name)}</caption>' + body
        table = f"<table{match.group('attrs')}>{body}</table>"
        region = f'role="region" tabindex="0" aria-label="{html_lib.escape(name, quote=True)}"'
        if match.group("box"):
            attrs = match.group("box_attrs")
            if "tabindex" in attrs:  # a template that made its box a region itself
                return f'<div class="portal-table"{attrs}>\n{table}'
            return f'<div class="portal-table" {region}{attrs}>\n{table}'
        return f'<div class="portal-table" {region}>{table}</div>'

    return _TABLE.sub(box, content)


def build_date() -> dt.date | None:
    """The build's --as-of, from SOURCE_DATE_EPOCH; None outside a portal build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()


def on_page_content(html, page, config, files):  # noqa: ANN001, ANN201 - mkdocs hook signature
    if LAST_CHECK in html:
        day = build_date()
        if day:
            html = html.replace(LAST_CHECK, f'<time datetime="{day.isoformat()}">{day:%d.%m.%Y} г.</time>')
    if "<table" in html:
        html = _boxed_tables(html, page.title or "")
    return html
