"""Folders a build no longer needs are removed by a process of their own, after the build moved on.

Removing a folder of thousands of files is file-system work the build need not wait for: the
previous site once the new one is in place (about 1.5 s nationally), Pagefind's search tree once
it is indexed (1.5 s more, before the scan could start). The folder is first renamed out of the
way, beside --out as ".<out>.discard-…", so nothing the build reads or publishes can see it; a
detached process then removes it. A folder a removal left behind (the machine stopped) is
removed by the next build's start (see publish.exclusive_build).
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

_REMOVE = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
_running: list[subprocess.Popen[bytes]] = []  # kept until they end, so none is reported as abandoned


def discarded(out: Path) -> list[Path]:
    """The discarded folders beside --out still on disk."""
    out = out.absolute()
    return sorted(out.parent.glob(f".{out.name}.discard-*"))


def discard(folder: Path, out: Path) -> None:
    """Move folder aside (next to --out) and have it removed in the background; removed here if it cannot be moved."""
    out = out.absolute()
    aside = out.with_name(f".{out.name}.discard-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        os.rename(folder, aside)
    except OSError:  # another file system: no rename, so no later removal either
        shutil.rmtree(folder, ignore_errors=True)
        return
    _running[:] = [p for p in _running if p.poll() is None]
    try:
        process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _REMOVE, str(aside)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
    except OSError:
        shutil.rmtree(aside, ignore_errors=True)
        return
    _running.append(process)
