"""Stage 10: put a finished site in place of the old one, never leaving a half site at --out."""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.discard import discard, discarded

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class BuildLocked(Exception):
    """Another build is writing the same --out right now."""


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


def replace_directory(new: Path, out: Path) -> None:
    """Swap `new` into `out`: atomically where the system allows, else by two renames; the old site
    goes after, removed in the background (see discard.py)."""
    out = out.absolute()
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"{out} съществува и не е папка")
    if out.exists() and _exchange(new, out):
        discard(new, out)  # `new` now holds the previous site
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        os.rename(out, old)
    try:
        os.rename(new, out)
    except OSError:
        if old.exists():
            os.rename(old, out)
        raise
    if old.exists():
        discard(old, out)


@contextmanager
def exclusive_build(out: Path) -> Iterator[None]:
    """One build per --out at a time; what a killed build left beside --out is cleaned up first."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    with (out.parent / f".{out.name}.lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise BuildLocked(f"друго изграждане пише в {out} в момента.") from error
        old_sites = sorted(out.parent.glob(f".{out.name}.old-*"))
        if not out.exists() and old_sites:
            # Killed between the two renames of the fallback swap: put the previous site back.
            os.rename(old_sites[-1], out)
        for leftover in [*out.parent.glob(f".{out.name}.build-*"), *out.parent.glob(f".{out.name}.old-*"), *discarded(out)]:
            shutil.rmtree(leftover, ignore_errors=True)
        yield
