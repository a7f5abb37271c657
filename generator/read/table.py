"""The value every reader returns: a table of raw cells, not yet validated."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.report import Problem


class ReadError(Exception):
    """A file that cannot be read at all; the build refuses it and goes on with the rest."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class RawRow:
    """One record as exported.

    `number` is the row as the webmaster sees it: in CSV and XLSX the header is row 1,
    so the first record is row 2; in JSON and YAML it is the record's position (1-based);
    a Markdown file is one record, row 1. `values` maps normalised header names
    (trimmed, lower-case) to cells: str, int, float, bool, datetime/date, None, or for
    nested JSON/YAML a list of dicts (e.g. a declaration's "items").
    """

    number: int
    values: dict[str, object]


@dataclass
class RawTable:
    """All rows of one export file, with what the reader found out about it."""

    source: Path
    format: str  # "csv" | "xlsx" | "json" | "yaml" | "markdown"
    columns: list[str]
    rows: list[RawRow] = field(default_factory=list)
    encoding: str | None = None  # for CSV: "utf-8", "utf-8-sig" or "cp1251"
    delimiter: str | None = None  # for CSV: "," or ";"
    problems: list[Problem] = field(default_factory=list)  # row-level notes found while reading


def normalise_header(name: object) -> str:
    """Header names are matched trimmed and case-insensitively."""
    return " ".join(str(name).split()).casefold()
