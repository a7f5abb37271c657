"""A standalone page that did not change since the live site is linked from it, not rendered again.

A week's exports change about 1 % of the declarations: rendering 5,500 declarants' pages again
for 50 changed ones is most of a rebuild's page work. Each standalone page gets a key
(generator/render/page_keys.py): a hash of everything its bytes depend on — its records and
context, its template, title, meta and appended HTML, the frame mkdocs built for it — and of
`salt`: the code and templates of the generator, the versions of the libraries that render it and
the ledger's source lines. If the live site in --out holds that page from a build with the same
key, and the file is still the one that build wrote (same size and modification time), the new
site gets a hard link to it (the scan's cache then knows its bytes too); otherwise the page is
rendered.

The cache file (beside --out, never in the site) maps a page's site path to its key and the size
and time of the file written. It holds hashes and public paths only. Any doubt — no cache, another
salt, a file touched since — means the page is rendered, so a wrong key can only cost time.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator import __version__
from generator.render.page_keys import Digest, KeyMaker
from generator.render.pages import Page

CACHE_FORMAT = 2
_GENERATOR = Path(__file__).resolve().parents[1]  # generator/
_TEMPLATES = Path(__file__).resolve().parents[2] / "site_templates" / "pages"
_LIBRARIES = ("Jinja2", "MarkupSafe")


# Stages that run after the pages are written, and commands apart from the build: their code cannot
# change a page's bytes (a change to them would otherwise render every page again).
_AFTER_THE_PAGES = frozenset({"scan.py", "search_index.py", "search_stable.py", "publish.py", "discard.py", "releases.py", "diff.py", "deadlines.py"})


def code_fingerprint() -> str:
    """A hash of the generator's code and data, the page templates and the rendering libraries'
    versions: any change to them renders every page again.

    All of generator/ but the stages after the pages, not only render/: a page shows a register's
    title (registers/), a Latin spelling (transliterate.py), a source line (ledger.py)."""
    digest = hashlib.sha256(f"{__version__}\0{sys.version}".encode())
    for library in _LIBRARIES:
        digest.update(f"\0{library}={importlib.metadata.version(library)}".encode())
    for folder in (_GENERATOR, _TEMPLATES):
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder).as_posix()
            if path.is_file() and "__pycache__" not in path.parts and not (folder == _GENERATOR and name in _AFTER_THE_PAGES):
                digest.update(b"\0" + name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@dataclass
class PageCache:
    """Last build's keys, the live site its pages can be linked from, and this build's record digests."""

    previous_site: Path | None
    salt: str
    entries: dict[str, list[object]] = field(default_factory=dict)  # site path -> [key, size, mtime_ns]
    digests: Mapping[int, Digest] = field(default_factory=dict)

    @classmethod
    def load(cls, cache_file: Path | None, previous_site: Path | None, salt: str, digests: Mapping[int, Digest] | None = None) -> PageCache:
        """The cache written after the last build into previous_site, or an empty one."""
        salt = f"{code_fingerprint()}\0{salt}"
        digests = digests or {}
        if cache_file is None or previous_site is None or not previous_site.is_dir():
            return cls(None, salt, digests=digests)
        try:
            data = json.loads(cache_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(previous_site, salt, digests=digests)
        if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT or data.get("salt") != hashlib.sha256(salt.encode()).hexdigest():
            return cls(previous_site, salt, digests=digests)
        pages = data.get("pages")
        return cls(previous_site, salt, pages if isinstance(pages, dict) else {}, digests)

    def keys(self, pages: Iterable[tuple[Page, str]]) -> list[str | None]:
        """The key of each (page, digest of its frame); None for a page that is always rendered."""
        keys = KeyMaker(self.salt, self.digests)
        return [keys.key(page, frame_digest) for page, frame_digest in pages]

    def link_unchanged(self, site_path: str, key: str | None, target: Path) -> bool:
        """Hard-link the live site's file for this page to `target` if it is the same page; True if done."""
        entry = self.entries.get(site_path)
        if key is None or self.previous_site is None or not entry or entry[0] != key:
            return False
        source = self.previous_site / site_path / "index.html"
        try:
            stat = source.stat()
            if [stat.st_size, stat.st_mtime_ns] != entry[1:]:
                return False
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(source, target)
        except OSError:
            return False
        return True


def save_cache(cache_file: Path, site_dir: Path, keys: dict[str, str | None], cache: PageCache) -> None:
    """Record the keys of the pages now in site_dir (the published --out), with their files' size and time."""
    pages: dict[str, list[object]] = {}
    for site_path, key in sorted(keys.items()):
        if key is None:
            continue
        try:
            stat = (site_dir / site_path / "index.html").stat()
        except OSError:
            continue
        pages[site_path] = [key, stat.st_size, stat.st_mtime_ns]
    salt = hashlib.sha256(cache.salt.encode()).hexdigest()
    temporary = cache_file.with_name(cache_file.name + ".tmp")
    temporary.write_text(json.dumps({"format": CACHE_FORMAT, "salt": salt, "pages": pages}, separators=(",", ":")), encoding="utf-8")
    os.replace(temporary, cache_file)
