"""Stage 10: put a finished site in place of the old one, never leaving a half site at --out."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def replace_directory(new: Path, out: Path) -> None:
    """Swap `new` into `out` by renames on one filesystem; the old site goes only after."""
    out = out.absolute()
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"{out} съществува и не е папка")
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        os.rename(out, old)
    try:
        os.rename(new, out)
    except OSError:
        if old.exists():
            os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)
