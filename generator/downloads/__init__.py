"""Open data: downloads, data package, static JSON API and Atom feeds, from the published, redacted records."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.render.pages import Page, PublishedRegister, Renderer


def build_open_data(published: list[PublishedRegister], pages: list[Page], docs_dir: Path, renderer: Renderer, as_of: dt.date, extra: dict[str, object]) -> list[Page]:
    """Write the open data files into docs_dir (mkdocs copies them into the site); return the pages, with the data page added."""
    return pages
