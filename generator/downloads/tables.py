"""The open-data tables: one per register table, with stable columns taken from the register schemas.

Every download (CSV, XLSX, JSON, SQLite), the data package and the API are written from
these tables, so they hold the same rows with the same column names and values.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from generator.tokens import stable_token
from generator.registers import REGISTERS
from generator.registers.schema import Column, Currency, FieldSpec, Record, Register, Table
from generator.render.environment import default_currency
from generator.render.pages import PublishedRegister
from generator.rules import RequireParent
from generator.sitebuild import SiteBuildError

Row = dict[str, object]

# Columns a child table repeats from its parent, so a reader can filter items by declarant without a join.
INHERITED = ("person_id",)
# Names and descriptions that the SQLite full-text index covers, besides every free-text column.
SEARCHABLE = ("full_name", "title", "position", "body", "requested_by", "municipality")
# Money columns, whose currency column says what they are in (an area is a Decimal too, but no money).
AMOUNTS = ("value", "penalty_amount")
# Cells a spreadsheet would run as a formula (or as DDE) if they started a text cell.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ForeignKey:
    """A column of a table that points at the primary key of another table."""

    field: str
    parent: str
    parent_field: str


@dataclass(frozen=True)
class DataTable:
    """One table of the open data: its schema fields, its keys and its published rows, sorted."""

    register: Register
    table: Table
    fields: tuple[FieldSpec, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]
    rows: tuple[Row, ...]
    updated: dt.date | None  # the newest date in the rows (or in the parent's), None if there is none

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def title(self) -> str:
        return self.table.title

    def field(self, name: str) -> FieldSpec:
        """The field with this name."""
        return next(f for f in self.fields if f.name == name)

    @cached_property
    def json_rows(self) -> tuple[dict[str, object], ...]:
        """The rows as JSON objects (ISO dates, amounts as numbers), made once for the download and the API."""
        convert = [f.name for f in self.fields if f.type is dt.date or f.type is Decimal]
        out = []
        for row in self.rows:
            copy = dict(row)
            for name in convert:
                if copy[name] is not None:
                    copy[name] = json_cell(copy[name])
            out.append(copy)
        return tuple(out)

    @property
    def searchable(self) -> tuple[str, ...]:
        """The text columns the full-text index covers: names and descriptions."""
        return tuple(f.name for f in self.fields if f.type is str and (f.column.free_text or f.name in SEARCHABLE))


class DuplicateKey(SiteBuildError):
    """Two published records share a primary key; the data package would be invalid.

    A SiteBuildError, so the pipeline turns it into a clean failure that names both rows.
    """


def record_id_field(table: Table) -> FieldSpec:
    """The synthetic key of a table whose own key fields may be empty: a hash of those fields."""
    labels = ", ".join(f.column.label for f in table.fields if f.name in table.key)
    description = f"Постоянен идентификатор на записа, изчислен от полетата: {labels}"
    return FieldSpec("record_id", str, Column("Идентификатор на записа", description, required=True))


def _keys_are_required(table: Table) -> bool:
    required = {f.name for f in table.fields if f.column.required}
    return all(name in required for name in table.key)


def _foreign_keys(register: Register, table: Table) -> tuple[ForeignKey, ...]:
    """A child table (RequireParent rule) points at its parent's key."""
    return tuple(ForeignKey(rule.key, rule.parent, rule.key) for rule in register.rules if isinstance(rule, RequireParent) and rule.table == table.name)


def _fields(register: Register, table: Table, foreign_keys: tuple[ForeignKey, ...]) -> tuple[FieldSpec, ...]:
    own = table.fields
    fields = [] if _keys_are_required(table) else [record_id_field(table)]
    for spec in own:
        fields.append(spec)
        for fk in foreign_keys:
            if spec.name == fk.field:
                parent = register.table(fk.parent)
                fields += [p for p in parent.fields if p.name in INHERITED and p.name not in {f.name for f in own}]
    return tuple(fields)


class _Last:
    """Sorts after every value, so an empty cell goes last and never meets a value of another type."""

    def __lt__(self, other: object) -> bool:
        return False

    def __gt__(self, other: object) -> bool:
        return not isinstance(other, _Last)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Last)

    __hash__ = object.__hash__


LAST = _Last()


def _sort_key(names: list[str]) -> Callable[[Row], tuple[object, ...]]:
    """The order of rows: by these columns, empty cells last."""

    def key(row: Row) -> tuple[object, ...]:
        return tuple(LAST if row[n] is None else row[n] for n in names)

    return key


def _with_record_ids(table: Table, rows: list[Row]) -> None:
    """Give each row a stable id from its key fields; identical keys get -2, -3 in a fixed order."""
    ids = [stable_token(f"{table.name}|" + "|".join("" if r.get(k) is None else str(r[k]) for k in table.key)) for r in rows]
    seen: Counter[str] = Counter()
    for row, base in zip(rows, ids):
        seen[base] += 1
        row["record_id"] = base if seen[base] == 1 else f"{base}-{seen[base]}"


def _record_year(row: Row, date_fields: list[str], parent_year: int | None) -> int | None:
    """The year an amount belongs to: the record's year, else its first date's, else its parent's."""
    year = row.get("year")
    if isinstance(year, int):
        return year
    dates = [row[name] for name in date_fields if row.get(name) is not None]
    return dates[0].year if dates else parent_year  # type: ignore[attr-defined]


class _RowMaker:
    """Copies the public fields of records into rows; the field list is worked out once per table
    (Table.fields resolves type hints, far too slow to repeat for every record)."""

    def __init__(self, table: Table) -> None:
        specs = table.fields
        self.names = [s.name for s in specs]
        self.dates = [s.name for s in specs if s.type is dt.date]
        self.amounts = [s.name for s in specs if s.name in AMOUNTS]
        self.currency = next((s.name for s in specs if issubclass(s.type, Currency)), None)

    def __call__(self, record: Record, parent: Row | None) -> Row:
        row: Row = {name: getattr(record, name) for name in self.names}
        if parent is not None:
            for name in INHERITED:
                if name in parent:
                    row[name] = parent[name]
        # An amount exported without a currency is in the currency the page shows for it
        # (leva before 2026, euro after), so a reader of the data never has to guess.
        if self.currency and row[self.currency] is None and any(row[a] is not None for a in self.amounts):
            parent_year = parent.get("year") if parent else None
            row[self.currency] = default_currency(_record_year(row, self.dates, parent_year if isinstance(parent_year, int) else None))
        return row


def _newest(rows: Iterable[Row], fields: Iterable[FieldSpec], as_of: dt.date) -> dt.date | None:
    dates = [r[f.name] for r in rows for f in fields if f.type is dt.date and r.get(f.name) is not None]
    past = [d for d in dates if isinstance(d, dt.date) and d <= as_of]
    return max(past) if past else None


def _check_unique(register: Register, table: Table, records: list[Record], key_fields: tuple[str, ...]) -> None:
    """Fail the build, naming both rows, if two records share a primary key."""
    seen: dict[tuple[object, ...], Record] = {}
    for record in records:
        key = tuple(getattr(record, k) for k in key_fields)
        if key in seen:
            where = " и ".join(f"{s.file}, ред {s.row}" for s in (seen[key].source, record.source) if s is not None)
            labels = ", ".join(f.column.label for f in table.fields if f.name in key_fields)
            raise DuplicateKey(
                f"{register.title}: „{' / '.join(str(k) for k in key)}“ ({labels}) се среща два пъти ({where}); "
                "отворените данни изискват всеки запис да има свой ключ. Поправете износа и изградете сайта отново."
            )
        seen[key] = record


def open_table(register: Register, table: Table, records: list[Record], parents: dict[str, DataTable], as_of: dt.date) -> DataTable:
    """The open-data table of one register table, built from its published, redacted records."""
    own = table.fields
    foreign_keys = _foreign_keys(register, table)
    fields = _fields(register, table, foreign_keys)
    names = [f.name for f in fields]
    parent_rows: dict[object, Row] = {}
    for fk in foreign_keys:
        parent_rows.update({row[fk.parent_field]: row for row in parents[fk.parent].rows})
    fk_field = foreign_keys[0].field if foreign_keys else None
    make = _RowMaker(table)
    rows = [make(r, parent_rows.get(getattr(r, fk_field)) if fk_field else None) for r in records]
    rows = [{name: row.get(name) for name in names} for row in rows]
    # By the key, then by every column: the same rows always come out in the same order.
    rows.sort(key=_sort_key([*table.key, *(f.name for f in own)]))
    primary_key = table.key if _keys_are_required(table) else ("record_id",)
    if primary_key == ("record_id",):
        _with_record_ids(table, rows)
    else:
        _check_unique(register, table, records, primary_key)
    updated = _newest(rows, fields, as_of)
    if updated is None and foreign_keys:
        updated = parents[foreign_keys[0].parent].updated
    return DataTable(register, table, fields, primary_key, foreign_keys, tuple(rows), updated)


def open_tables(published: list[PublishedRegister], as_of: dt.date) -> list[DataTable]:
    """Every table of every register, in the registers' order, parents before their children."""
    by_name = {p.register.name: p for p in published}
    tables: list[DataTable] = []
    for name in REGISTERS:
        if name not in by_name:
            continue
        data = by_name[name]
        parents: dict[str, DataTable] = {}
        for table in data.register.tables:
            current = open_table(data.register, table, data.tables.get(table.name, []), parents, as_of)
            parents[table.name] = current
            tables.append(current)
    return tables


# ---------------------------------------------------------------- cell values


def text_cell(value: object) -> str:
    """A value as CSV text: ISO dates, a dot before decimals, true/false, formulas neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def neutralise(text: str) -> str:
    """A text a spreadsheet would run as a formula gets a leading apostrophe, so it stays text."""
    return "'" + text if text.startswith(FORMULA_START) else text


def json_cell(value: object) -> object:
    """A value as JSON: ISO dates, amounts as numbers, everything else as it is."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else float(value)
    return value
