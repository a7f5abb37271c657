"""`portal publish` and `portal rollback`: releases side by side, the live site switched atomically.

    DIR/releases/<as-of>-<short hash>/   one finished, scanned site per release
    DIR/current -> releases/<name>       what the web server serves (a symbolic link)
    DIR/history.txt                      the releases made current, oldest first (a stack)

A reader follows `current` to a whole release, old or new, never to a half-copied one:
a release is copied and scanned under a hidden name, renamed into place, and only then
does `current` change, by renaming a new link over the old one (one rename(2)).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.scan import PrivateValue

RELEASES = "releases"
CURRENT = "current"
HISTORY = "history.txt"
LOCK = ".publish.lock"
DEFAULT_KEEP = 8
HASH_LENGTH = 8
_RELEASE_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}-[0-9a-f]{8}$")


class ReleaseError(Exception):
    """Publishing or rolling back was refused; what readers see did not change."""

    def __init__(self, message: str, hint: str = "", details: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = list(details)


@dataclass(frozen=True)
class Published:
    """The release `current` now points at, whether it was already there, and what was pruned."""

    release: Path
    reused: bool
    removed: list[str] = field(default_factory=list)


def site_hash(site: Path) -> str:
    """The first 8 hex digits of a SHA-256 over the site's sorted file paths and contents."""
    digest = hashlib.sha256()
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        digest.update(path.relative_to(site).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:HASH_LENGTH]


def site_as_of(site: Path) -> dt.date | None:
    """The build date of a site: `as_of` of data/manifest.json, else the date mkdocs wrote in sitemap.xml."""
    manifest = site / "data" / "manifest.json"
    if manifest.is_file():
        try:
            value = json.loads(manifest.read_text(encoding="utf-8")).get("as_of")
            return dt.date.fromisoformat(str(value))
        except (OSError, ValueError, AttributeError):
            pass
    sitemap = site / "sitemap.xml"
    if sitemap.is_file():
        found = re.search(r"<lastmod>(\d{4}-\d{2}-\d{2})", sitemap.read_text(encoding="utf-8", errors="replace"))
        if found:
            return dt.date.fromisoformat(found.group(1))
    return None


def publish_site(site: Path, to: Path, private_values: Iterable[PrivateValue], *, as_of: dt.date | None = None, keep: int = DEFAULT_KEEP) -> Published:
    """Copy `site` into to/releases/, scan the copy, switch to/current to it, prune old releases."""
    site, to = site.absolute(), to.absolute()
    if not (site / "index.html").is_file():
        raise ReleaseError(f"папката {site} не е изграден сайт (няма index.html).", "Подайте с --site папката, в която „portal build“ е изградил сайта (--out).")
    day = as_of or site_as_of(site)
    if day is None:
        raise ReleaseError(f"датата на изграждане на {site} не може да бъде определена.", "Подайте я с --as-of ГГГГ-ММ-ДД (същата като при „portal build“).")
    name = f"{day.isoformat()}-{site_hash(site)}"
    releases = to / RELEASES
    releases.mkdir(parents=True, exist_ok=True)
    with _lock(to):
        _check_current(to)
        target = releases / name
        reused = target.is_dir()
        if reused:
            _scan(target, private_values)  # this week's registers may hold private values the old scan never knew
        else:
            staged = Path(tempfile.mkdtemp(prefix=".incoming-", dir=releases))
            try:
                shutil.copytree(site, staged, dirs_exist_ok=True)
                _scan(staged, private_values)
                os.rename(staged, target)
            finally:
                shutil.rmtree(staged, ignore_errors=True)
        _write_history(to, [n for n in read_history(to) if n != name] + [name])
        _switch(to, name)
        removed = _prune(to, keep)
    return Published(target, reused, removed)


def rollback(to: Path) -> Path:
    """Switch to/current back to the release published before the current one; return it."""
    to = to.absolute()
    with _lock(to):
        _check_current(to)
        current = current_release(to)
        stack = [n for n in read_history(to) if (to / RELEASES / n).is_dir()]
        if current is not None and current.name in stack:
            stack = stack[: stack.index(current.name)]
        if not stack:
            raise ReleaseError(f"в {to} няма предишно издание, към което да се върне сайтът.", "Публикувайте сайт с „portal publish“; връщане е възможно след поне две публикувания.")
        # The release rolled back from leaves the stack: a second rollback goes one further back.
        _write_history(to, stack)
        _switch(to, stack[-1])
    return to / RELEASES / stack[-1]


def current_release(to: Path) -> Path | None:
    """The release to/current points at, or None before the first publication."""
    link = to / CURRENT
    if not link.is_symlink():
        return None
    return (to / os.readlink(link)).resolve()


def read_history(to: Path) -> list[str]:
    """The names of the releases made current, oldest first."""
    path = to / HISTORY
    if not path.is_file():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if _RELEASE_NAME.match(line.strip())]


def list_releases(to: Path) -> list[str]:
    """Every release folder under to/releases/ (hidden, half-copied ones excluded), by name."""
    folder = to / RELEASES
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")) if folder.is_dir() else []


def _scan(site: Path, private_values: Iterable[PrivateValue]) -> None:
    """Refuse the release if the output scan finds personal data in it."""
    from generator.scan import scan_site

    leaks = scan_site(site, list(private_values))
    if leaks:
        raise ReleaseError(
            f"проверката за лични данни намери {len(leaks)} съвпадения; сайтът не е публикуван.",
            "Изградете сайта отново с „portal build“ (той също проверява) и вижте доклада.",
            [leak.describe() for leak in leaks],
        )


def _check_current(to: Path) -> None:
    link = to / CURRENT
    if link.exists() and not link.is_symlink():
        raise ReleaseError(f"{link} съществува и не е символна връзка; не се заменя.", "Преместете тази папка другаде; „current“ се създава от „portal publish“.")


def _switch(to: Path, name: str) -> None:
    """Point to/current at releases/<name> by renaming a fresh link over it (atomic)."""
    fresh = to / f"{CURRENT}.tmp-{os.getpid()}"
    if fresh.is_symlink() or fresh.exists():
        fresh.unlink()
    os.symlink(Path(RELEASES) / name, fresh)  # relative, so DIR can be moved or mounted elsewhere
    os.replace(fresh, to / CURRENT)
    _sync(to)


def _write_history(to: Path, names: list[str]) -> None:
    fresh = to / f"{HISTORY}.tmp-{os.getpid()}"
    fresh.write_text("".join(f"{n}\n" for n in names), encoding="utf-8")
    os.replace(fresh, to / HISTORY)


def _prune(to: Path, keep: int) -> list[str]:
    """Delete all but the last `keep` releases (rolled-back ones go first), never the current one."""
    history = read_history(to)
    existing = list_releases(to)
    order = [n for n in existing if n not in history] + [n for n in history if n in existing]
    current = current_release(to)
    removed = []
    for name in order[: max(len(order) - keep, 0)]:
        if current is not None and current.name == name:
            continue
        shutil.rmtree(to / RELEASES / name)
        removed.append(name)
    if removed:
        _write_history(to, [n for n in history if n not in removed])
    return removed


def _sync(folder: Path) -> None:
    """Flush the folder's entries, so a crash right after cannot undo the switch."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def _lock(to: Path) -> Iterator[None]:
    """One publish or rollback at a time per DIR."""
    to.mkdir(parents=True, exist_ok=True)
    with open(to / LOCK, "w", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReleaseError(f"в {to} в момента тече друго публикуване или връщане.", "Изчакайте го да завърши и опитайте отново.") from None
        yield
