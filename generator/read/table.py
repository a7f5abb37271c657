"""The value every reader returns: a table of raw cells, not yet validated."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.report import Problem


class ReadError(Exception):
    """A file that cannot be read at all; the build refuses it and goes on with the rest."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True, slots=True)
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


@dataclass(slots=True)
class RawStream:
    """An export being read: what the reader knows up front, and its rows one at a time.

    Validation takes the rows as they come, so a national file is never held as a whole
    table of dicts next to its records. `columns` and `problems` are complete only once
    `rows` is exhausted (a JSON record may bring a new key, a row stray cells); `rows`
    yields (row number, {normalised header: cell}) and may raise ReadError midway.
    """

    source: Path
    format: str
    columns: list[str]
    rows: Iterator[tuple[int, dict[str, object]]]
    problems: list[Problem] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None

    @classmethod
    def of_table(cls, table: RawTable) -> RawStream:
        """A stream over a table already read whole."""
        rows = ((row.number, row.values) for row in table.rows)
        return cls(table.source, table.format, table.columns, rows, table.problems, table.encoding, table.delimiter)

    def table(self) -> RawTable:
        """Read the rest of the stream into a RawTable."""
        rows = [RawRow(number, values) for number, values in self.rows]
        return RawTable(self.source, self.format, self.columns, rows, self.encoding, self.delimiter, self.problems)


_HEADER_NAMES: dict[str, str] = {}


def normalise_header(name: object) -> str:
    """Header names are matched trimmed and case-insensitively."""
    if type(name) is not str:  # True and 1 are one dict key: only text is remembered
        return " ".join(str(name).split()).casefold()
    # Every JSON or YAML record repeats the same keys; the answer is looked up, not worked out again.
    normal = _HEADER_NAMES.get(name)
    if normal is None:
        normal = " ".join(name.split()).casefold()
        if len(_HEADER_NAMES) < 10_000:
            _HEADER_NAMES[name] = normal
    return normal
