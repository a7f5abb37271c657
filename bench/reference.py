"""The reference build: bare mkdocs-material + Pagefind over one page per declarant.

Each page is one 130-row table of that declarant's items, rendered here once as HTML and
injected after Markdown by an on_page_content hook (the fastest way we know through the two
tools); the pages are not in the navigation. Only `mkdocs build` and `pagefind` are timed:
writing the inputs is not part of the reference.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from html import escape
from pathlib import Path

from bench.corpus import people_of, reference_rows
from bench.measure import Measured, run_measured

ROWS_PER_PAGE = 130
COLUMNS = ("owner", "description", "municipality", "area_sqm", "share", "acquired_year", "value", "legal_basis", "origin_of_funds")
HEADERS = ("Притежател", "Описание", "Място", "Площ, кв. м", "Дял", "Година на придобиване", "Стойност", "Правно основание", "Произход на средствата")

MKDOCS_YML = """\
site_name: Референтно изграждане
theme:
  name: material
  language: bg
  font: false
plugins: []
hooks:
  - hook.py
nav:
  - index.md
"""

HOOK = '''\
from pathlib import Path


def on_page_content(html, page, config, files):
    if not page.meta.get("fragment"):
        return html
    return html + (Path(config["docs_dir"] + "_fragments") / (page.file.src_uri[:-3] + ".html")).read_text(encoding="utf-8")
'''


@dataclass(frozen=True)
class ReferenceRun:
    """The reference's two timed steps."""

    mkdocs: Measured
    pagefind: Measured
    pages: int

    @property
    def seconds(self) -> float:
        return self.mkdocs.seconds + self.pagefind.seconds

    @property
    def peak_rss(self) -> int:
        return max(self.mkdocs.tree_rss, self.pagefind.tree_rss)


def table_html(name: str, rows: list[dict[str, object]]) -> str:
    """One declarant's table, as a template would render it."""
    head = "".join(f'<th scope="col">{h}</th>' for h in HEADERS)
    body = "\n".join("<tr>" + "".join(f"<td>{escape(str(row.get(c) if row.get(c) is not None else ''))}</td>" for c in COLUMNS) + "</tr>" for row in rows)
    return f'<div class="md-typeset__table"><table>\n<caption>{escape(name)}</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table></div>\n'


def write_reference(root: Path, declarants: int) -> int:
    """Write the reference project under root (mkdocs.yml, hook, docs, fragments); return its page count."""
    shutil.rmtree(root, ignore_errors=True)
    docs, fragments = root / "docs", root / "docs_fragments"
    (docs / "p").mkdir(parents=True)
    (fragments / "p").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (root / "hook.py").write_text(HOOK, encoding="utf-8")
    (docs / "index.md").write_text("# Референтно изграждане\n\nТаблици на декларатори.\n", encoding="utf-8")
    for person in people_of(declarants):
        name = f"p/{person.index:05d}"
        (docs / f"{name}.md").write_text(f"---\ntitle: {person.full_name}\nfragment: true\n---\n\n# {person.full_name}\n", encoding="utf-8")
        (fragments / f"{name}.html").write_text(table_html(person.full_name, reference_rows(person, ROWS_PER_PAGE)), encoding="utf-8")
    return declarants + 1


def build_reference(root: Path, declarants: int) -> ReferenceRun:
    """Write the reference project, then time `mkdocs build` and `pagefind` over it."""
    pages = write_reference(root, declarants)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1795478400")  # 2026-11-24, as our builds
    mkdocs = run_measured([sys.executable, "-m", "mkdocs", "build", "--quiet", "--clean", "-f", "mkdocs.yml", "-d", "site"], cwd=root, env=env)
    if mkdocs.code != 0:
        raise RuntimeError(f"the reference mkdocs build failed: {mkdocs.output[-2000:]}")
    pagefind = run_measured([sys.executable, "-m", "pagefind", "--site", "site", "--quiet"], cwd=root, env=env)
    if pagefind.code != 0:
        raise RuntimeError(f"the reference Pagefind run failed: {pagefind.output[-2000:]}")
    return ReferenceRun(mkdocs, pagefind, pages)
