"""The list of downloadable files the data page shows: record count, last change, and what the written bytes
decide (size, SHA-256)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from generator.render.environment import number_bg

MEDIA_TYPES = {
    ".csv": "text/csv",
    ".json": "application/json",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".sqlite": "application/vnd.sqlite3",
}


@dataclass(frozen=True)
class Listed:
    """A file of the open data as the data page lists it, before its bytes are known."""

    path: str  # relative to the site root
    title: str
    records: int | None
    updated: dt.date | None

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def mediatype(self) -> str:
        return MEDIA_TYPES["." + self.name.rsplit(".", 1)[-1]]


@dataclass(frozen=True)
class Digest:
    """What a written file's bytes decide on the data page."""

    size: int
    sha256: str


@dataclass(frozen=True)
class DownloadFile(Listed):
    """A written file of the open data as the data page lists it."""

    size: int
    sha256: str

    @classmethod
    def of(cls, listed: Listed, digest: Digest) -> DownloadFile:
        """The listed file with its written bytes' size and hash."""
        return cls(listed.path, listed.title, listed.records, listed.updated, digest.size, digest.sha256)

    @property
    def sha256_groups(self) -> list[str]:
        """The hash in groups of eight, for the page: shown whole, sixty-four hex characters hold
        runs of ten digits that pass the ЕГН or ЛНЧ checksum often enough to stop the output scan."""
        return [self.sha256[i : i + 8] for i in range(0, len(self.sha256), 8)]

    @property
    def content_size(self) -> str:
        """The size as schema.org's contentSize."""
        return f"{self.size} B"

    @property
    def size_text(self) -> str:
        """1,2 МБ, 34,5 КБ or 812 Б, with a no-break space so the unit never wraps alone."""
        if self.size >= 1024 * 1024:
            return f"{number_bg(self.size / 1024 / 1024, 1)}\u00a0МБ"  # type: ignore[arg-type]
        if self.size >= 1024:
            return f"{number_bg(self.size / 1024, 1)}\u00a0КБ"  # type: ignore[arg-type]
        return f"{self.size}\u00a0Б"


def digest_of(docs_dir: Path, path: str) -> Digest:
    """The digest of a file already written under docs_dir."""
    data = (docs_dir / path).read_bytes()
    return Digest(len(data), hashlib.sha256(data).hexdigest())


class Written:
    """A download being written, hashed as it is written: its digest needs no second read of
    hundreds of megabytes. Use as a context manager; write() takes bytes."""

    def __init__(self, docs_dir: Path, path: str) -> None:
        self.path = path
        self.file = (docs_dir / path).open("wb")
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.file.write(data)
        self.hash.update(data)
        self.size += len(data)

    def __enter__(self) -> Written:
        return self

    def __exit__(self, *exc: object) -> None:
        self.file.close()

    def digest(self) -> Digest:
        """The digest of the file as written."""
        return Digest(self.size, self.hash.hexdigest())


CHECKSUMS = "SHA256SUMS"


def checksums(files: list[DownloadFile]) -> str:
    """The files' SHA-256 sums in the format `sha256sum -c` reads, by name (they share one folder)."""
    return "".join(f"{f.sha256}  {f.name}\n" for f in files)
