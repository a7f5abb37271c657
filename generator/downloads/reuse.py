"""A file of the open data written byte for byte as the live site holds it is linked from there.

A week's exports change about one declarant in ten, and the JSON API has a file per declarant:
nationally, 5,500 files of 209 MiB, of which some 4,900 come out the same. Creating a file and
writing its data costs the file system far more than linking one (on this machine's ext4 about
0.4 ms against 0.02 ms, and more while the downloads' children write hundreds of megabytes),
and the build waits for it: the API is written by the build's own process.

So each file is still made in full, but where its digest is the one recorded for the live site's
file at that path, and that file is still the one recorded (same size and modification time),
the new site gets a hard link to it. The record (beside --out, never in the site) holds site
paths and digests only. Any doubt (no record, a file touched since, a failed link) means the file
is written: a wrong record can only cost time, never put other bytes in the site.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

REUSE_FORMAT = 1


def content_digest(data: bytes) -> str:
    """The digest a file is known by: 128 bits of BLAKE2b."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass
class FileReuse:
    """The live site and what the last build recorded of its files; what this build wrote."""

    live_site: Path | None = None
    recorded: dict[str, list[object]] = field(default_factory=dict)  # site path -> [digest, size, mtime_ns]
    written: dict[str, str] = field(default_factory=dict)  # site path -> digest, this build
    linked: int = 0
    folders: set[Path] = field(default_factory=set)  # made already: thousands of files share a few

    @classmethod
    def load(cls, record_file: Path | None, live_site: Path | None) -> FileReuse:
        """What the last build recorded beside live_site, or nothing to reuse."""
        if record_file is None or live_site is None or not live_site.is_dir():
            return cls()
        try:
            data = json.loads(record_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(live_site)
        files = data.get("files") if isinstance(data, dict) and data.get("format") == REUSE_FORMAT else None
        return cls(live_site, files if isinstance(files, dict) else {})

    def write(self, folder: Path, site_path: str, data: bytes) -> None:
        """Put data at folder/site_path (its folder made if need be): a link to the live site's file
        if it holds these bytes, else a new file."""
        digest = content_digest(data)
        self.written[site_path] = digest
        target = folder / site_path
        if target.parent not in self.folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(target.parent)
        if self._link(site_path, digest, len(data), target):
            self.linked += 1
        else:
            target.write_bytes(data)

    def _link(self, site_path: str, digest: str, size: int, target: Path) -> bool:
        entry = self.recorded.get(site_path)
        if self.live_site is None or not entry or entry[0] != digest:
            return False
        source = self.live_site / site_path
        try:
            stat = source.stat()
            if [stat.st_size, stat.st_mtime_ns] != entry[1:] or stat.st_size != size:
                return False
            os.link(source, target)
        except OSError:
            return False
        return True


def save_reuse(record_file: Path, site_dir: Path, reuse: FileReuse) -> None:
    """Record the files this build wrote, as they now are in site_dir (the published --out)."""
    files: dict[str, list[object]] = {}
    for site_path, digest in sorted(reuse.written.items()):
        try:
            stat = (site_dir / site_path).stat()
        except OSError:
            continue
        files[site_path] = [digest, stat.st_size, stat.st_mtime_ns]
    temporary = record_file.with_name(record_file.name + ".tmp")
    temporary.write_text(json.dumps({"format": REUSE_FORMAT, "files": files}, separators=(",", ":")), encoding="utf-8")
    os.replace(temporary, record_file)
