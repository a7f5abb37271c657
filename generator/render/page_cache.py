"""A standalone page that did not change since the live site is linked from it, not rendered again.

A week's exports change about 1 % of the declarations: rendering 5,500 declarants' pages again
for 50 changed ones is most of a rebuild's page work. Each standalone page gets a key: a hash of
everything its bytes depend on — its records and context (pickled, as the deferred render would
use them), its title, meta and appended HTML, the frame mkdocs built for it, the templates and the
rendering code, and `salt` (the ledger's source lines). If the live site in --out holds that page
from a build with the same key, and the file is still the one that build wrote (same size and
modification time), the new site gets a hard link to it (the scan's cache then knows its bytes
too); otherwise the page is rendered.

The cache file (beside --out, never in the site) maps a page's site path to its key and the size
and time of the file written. It holds hashes and public paths only. Any doubt — no cache, another
salt, a file touched since — means the page is rendered, so a wrong key can only cost time.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from generator import __version__
from generator.render.pages import Page

CACHE_FORMAT = 1
_RENDER_CODE = Path(__file__).resolve().parent  # generator/render/
_TEMPLATES = Path(__file__).resolve().parents[2] / "site_templates" / "pages"


def code_fingerprint() -> str:
    """A hash of the templates and the rendering code: a change to either renders every page again."""
    digest = hashlib.sha256(__version__.encode())
    for folder, pattern in ((_TEMPLATES, "*.j2"), (_RENDER_CODE, "*.py")):
        for path in sorted(folder.glob(pattern)):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def page_key(page: Page, frame_digest: str, salt: str) -> str | None:
    """The key of a standalone page's bytes; None when its inputs cannot be pickled (it is then always rendered)."""
    context = page.deferred.keywords if page.deferred is not None and hasattr(page.deferred, "keywords") else {}
    # A Register is code, covered by the fingerprint (and holds frozensets, whose pickled order changes
    # from run to run); `link` is a function of page.src.
    inputs = (page.src, page.title, page.html, page.meta, sorted((k, v) for k, v in context.items() if k not in ("link", "register")))
    try:
        data = pickle.dumps(inputs, protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    return hashlib.sha256(salt.encode() + b"\0" + frame_digest.encode() + b"\0" + data).hexdigest()


@dataclass
class PageCache:
    """Last build's keys, and the live site its pages can be linked from."""

    previous_site: Path | None
    salt: str
    entries: dict[str, list[object]] = field(default_factory=dict)  # site path -> [key, size, mtime_ns]

    @classmethod
    def load(cls, cache_file: Path | None, previous_site: Path | None, salt: str) -> PageCache:
        """The cache written after the last build into previous_site, or an empty one."""
        salt = f"{code_fingerprint()}\0{salt}"
        if cache_file is None or previous_site is None or not previous_site.is_dir():
            return cls(None, salt)
        try:
            data = json.loads(cache_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(previous_site, salt)
        if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT or data.get("salt") != hashlib.sha256(salt.encode()).hexdigest():
            return cls(previous_site, salt)
        pages = data.get("pages")
        return cls(previous_site, salt, pages if isinstance(pages, dict) else {})

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
