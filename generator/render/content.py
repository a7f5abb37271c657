"""Hand-written pages from content/: copied into the site and placed in the navigation."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import frontmatter


@dataclass(frozen=True)
class ContentPage:
    """A Markdown page of content/ with its title and place in the navigation."""

    src: str  # path relative to content/, "/"-separated
    title: str
    order: int

    @property
    def section(self) -> str:
        return self.src.rsplit("/", 1)[0] if "/" in self.src else ""


def _title(path: Path, meta: dict[str, object], body: str) -> str:
    if meta.get("title"):
        return str(meta["title"])
    heading = re.search(r"^#\s+(.+)$", body, re.MULTILINE)
    return heading.group(1).strip() if heading else path.stem.replace("-", " ").capitalize()


def collect_content(content: Path) -> list[ContentPage]:
    """Every Markdown page of content/, sorted by nav_order, then title."""
    pages = []
    if not content.is_dir():
        return pages
    for path in sorted(content.rglob("*.md")):
        post = frontmatter.load(path)
        order = post.metadata.get("nav_order", 100)
        pages.append(ContentPage(path.relative_to(content).as_posix(), _title(path, post.metadata, post.content), int(order)))
    return sorted(pages, key=lambda p: (p.section, p.src.rsplit("/", 1)[-1] != "index.md", p.order, p.title))


def copy_content(content: Path, docs_dir: Path) -> None:
    """Copy content/ (pages and their files) into the docs folder of this build."""
    if content.is_dir():
        shutil.copytree(content, docs_dir, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".*"))


def content_nav(pages: list[ContentPage]) -> list[object]:
    """mkdocs nav entries: top-level pages, then one section per folder with its index first."""
    nav: list[object] = []
    sections: dict[str, list[object]] = {}
    for page in pages:
        if page.src == "index.md":
            continue
        if not page.section:
            nav.append({page.title: page.src})
            continue
        if page.section not in sections:
            index = next((p for p in pages if p.src == f"{page.section}/index.md"), None)
            sections[page.section] = []
            nav.append({(index.title if index else page.section.capitalize()): sections[page.section]})
        sections[page.section].append(page.src if page.src.endswith("/index.md") else {page.title: page.src})
    return nav
