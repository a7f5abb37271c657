"""Stage 8: index the built site with Pagefind (the binary from the pagefind[bin] package).

Pagefind reads a search tree, not the site itself: every page of the site as built, except that
a page with a search document of its own (Page.search: a declarant's page) is replaced by that
document — what people search a person by, a few kilobytes, instead of 120 KB of tables whose
amounts and dates nobody searches for. Pagefind's time and memory grow with the HTML it parses,
so this keeps the national index to seconds. The tree holds hard links to the site's files and
is removed afterwards; the index itself is written into the site's pagefind/ folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import TypeVar

from generator.search_stable import UnexpectedPagefindFormat, stabilise_pagefind


T = TypeVar("T")


class SearchIndexError(Exception):
    """Pagefind could not index the site."""


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed: a copy does the same
        shutil.copyfile(source, target)


def write_search_document(tree: Path, site_path: str, document: str) -> None:
    """Put a page's search document where Pagefind reads it instead of the page ("a/b/" → a/b/index.html)."""
    target = tree / site_path / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(document, encoding="utf-8")


def _search_tree(site_dir: Path, documents: Mapping[str, str], tree: Path) -> None:
    """Fill the search tree: a link to each page without a search document, and the documents
    not written there already (generator/render/frames.py writes most as it writes the pages)."""
    for folder, dirs, files in os.walk(site_dir):
        dirs.sort()
        relative = Path(folder).relative_to(site_dir)
        if relative.parts[:1] == ("pagefind",) or relative.as_posix() + "/" in documents:
            continue
        for name in sorted(files):
            if name.endswith(".html"):
                _link(Path(folder, name), tree / relative / name)
    for site_path, document in sorted(documents.items()):
        if not (tree / site_path / "index.html").exists():
            write_search_document(tree, site_path, document)


def index_site(
    site_dir: Path,
    documents: Mapping[str, str] | None = None,
    meanwhile: Callable[[], T] | None = None,
    tree: Path | None = None,
    remove: Callable[[Path], None] = partial(shutil.rmtree, ignore_errors=True),
) -> T | None:
    """Write the Pagefind index into site_dir/pagefind/; `documents` maps a page's site path ("a/b/") to what is indexed for it.

    meanwhile: work for this process while Pagefind indexes in its own (Pagefind does not keep
    two cores busy all the time); its result is returned once both are done.
    tree: the folder to read from, which may hold some of the documents already (it is removed).
    remove: how the tree is removed once Pagefind is done (the build has it done in the background).
    """
    tree = tree or Path(tempfile.mkdtemp(prefix=".search-", dir=site_dir.parent))
    try:
        _search_tree(site_dir, documents or {}, tree)
        command = [sys.executable, "-m", "pagefind", "--site", str(tree), "--output-path", str(site_dir / "pagefind"), "--quiet"]
        with tempfile.TemporaryFile() as output:  # a file, not a pipe: nobody reads a pipe while `meanwhile` runs
            process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
            try:
                result = meanwhile() if meanwhile else None
            finally:
                returncode = process.wait()
            output.seek(0)
            printed = output.read().decode("utf-8", "replace")
    finally:
        remove(tree)
    if returncode != 0:
        tail = printed.strip().splitlines()[-5:]
        raise SearchIndexError("Pagefind: " + " ".join(tail))
    # Pagefind orders its filter files by a hash map's random seed; same site, same bytes.
    try:
        stabilise_pagefind(site_dir / "pagefind")
    except UnexpectedPagefindFormat as error:
        raise SearchIndexError(f"Pagefind: непознат формат на индекса ({error}); обновете generator/search_stable.py.") from error
    return result
