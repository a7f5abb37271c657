"""Stage 8: index the built site with Pagefind (the binary from the pagefind[bin] package)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.search_stable import UnexpectedPagefindFormat, stabilise_pagefind


class SearchIndexError(Exception):
    """Pagefind could not index the site."""


def index_site(site_dir: Path) -> None:
    """Write the Pagefind index into site_dir/pagefind/."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise SearchIndexError("Pagefind: " + " ".join(tail))
    # Pagefind orders its filter files by a hash map's random seed; same site, same bytes.
    try:
        stabilise_pagefind(site_dir / "pagefind")
    except UnexpectedPagefindFormat as error:
        raise SearchIndexError(f"Pagefind: непознат формат на индекса ({error}); обновете generator/search_stable.py.") from error
