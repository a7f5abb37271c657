"""How a register is declared: typed record classes whose fields carry their column metadata.

A register is data: its tables (record class + private columns), its rules and its
pages. The same declaration drives validation, rendering, downloads and documentation.
"""

from __future__ import annotations

import dataclasses
import functools
import datetime as dt
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from generator.read.table import normalise_header


@dataclass(frozen=True)
class Column:
    """What a public column means: its Bulgarian label and how it is read."""

    label: str
    description: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    free_text: bool = False  # prose that passes through the redactor


def column(label: str, description: str = "", **options: object) -> typing.Any:
    """Declare a public column of a record class (all columns default to None)."""
    return field(default=None, metadata={"column": Column(label, description, **options)})  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)  # slots: a national build holds one per record, close to a million
class Source:
    """Where a record came from: the export file and the row the webmaster sees."""

    file: str
    row: int


@dataclass(frozen=True, slots=True)
class Record:
    """Base of every register record: public columns only, plus where it came from.

    Declare each record class with slots=True too: a subclass without slots gets a
    __dict__ per instance again, which at national scale is hundreds of MB.
    """

    source: Source | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class FieldSpec:
    """A column of a record class with its Python type resolved."""

    name: str
    type: type
    column: Column

    def header_names(self) -> tuple[str, ...]:
        """Every header name that feeds this field (its own name and its aliases)."""
        return (self.name, *(normalise_header(a) for a in self.column.aliases))


def _base_type(annotation: object) -> type:
    """`date | None` -> date; `Literal` and plain types pass through."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = args[0]
    assert isinstance(annotation, type), annotation
    return annotation


@functools.cache
def field_specs(record_type: type[Record]) -> tuple[FieldSpec, ...]:
    """The public columns of a record class, in declaration order (resolved once per class)."""
    hints = typing.get_type_hints(record_type)
    return tuple(
        FieldSpec(f.name, _base_type(hints[f.name]), f.metadata["column"])
        for f in dataclasses.fields(record_type)
        if "column" in f.metadata
    )


SUPPORTED_TYPES = (str, int, bool, Decimal, dt.date)


@dataclass(frozen=True)
class Table:
    """One table of a register: its record class and the private columns exports may carry."""

    name: str
    title: str
    record_type: type[Record]
    private: frozenset[str]
    key: tuple[str, ...]  # fields that identify a record from week to week

    @property
    def fields(self) -> tuple[FieldSpec, ...]:
        return field_specs(self.record_type)

    def record_id(self, record: Record) -> str:
        """A stable id of a record, built from its key fields."""
        return "|".join(str(getattr(record, k) or "") for k in self.key)


@dataclass(frozen=True)
class Register:
    """A public register: a folder under registers/, its tables and its publication rules."""

    name: str  # folder name under registers/
    title: str  # Bulgarian title for pages and the report
    slug: str  # URL section of the site
    tables: tuple[Table, ...]
    rules: Sequence[object] = ()  # generator.rules.Rule instances, applied in order
    table_for_file: Callable[[Path], str] | None = None  # which table a file feeds
    summary: str = ""

    def table(self, name: str) -> Table:
        """The table with this name."""
        return next(t for t in self.tables if t.name == name)

    def table_of(self, path: Path) -> Table:
        """The table an export file feeds (the first table unless the register decides)."""
        if self.table_for_file is None:
            return self.tables[0]
        return self.table(self.table_for_file(path))


class Currency(str):
    """A currency code, "BGN" or "EUR", read from "лв.", "€", "евро" and the like."""
