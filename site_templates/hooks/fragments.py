"""mkdocs hook: put each generated page's HTML fragment in place, after Markdown.

Register tables are rendered by our Jinja2 templates into `<docs_dir>_fragments/`;
passing them through python-markdown would cost about five times more per page.
"""

from __future__ import annotations

from pathlib import Path

from generator.render.sanitize import neutralise_links

MARKER = "<!-- portal:fragment -->"


def on_page_content(html, page, config, files):  # noqa: ANN001, ANN201 - mkdocs hook signature
    if not page.meta.get("portal_fragment"):
        return html
    fragments = Path(config["docs_dir"] + "_fragments")
    fragment = (fragments / (page.file.src_uri[: -len(".md")] + ".html")).read_text(encoding="utf-8")
    # Text from exports (an opinion's Markdown, a document path) must never carry a script link.
    html, fragment = neutralise_links(html), neutralise_links(fragment)
    if MARKER in html:
        return html.replace(MARKER, fragment, 1)
    return html + fragment
