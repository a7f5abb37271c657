"""The open-data tables: one per register table, with stable columns taken from the register schemas.

Every download (CSV, XLSX, JSON, SQLite), the data package and the API are written from
these tables, so they hold the same rows with the same column names and values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from itertools import repeat
from operator import attrgetter, eq, itemgetter

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
    values: tuple[tuple[object, ...], ...]  # the rows, sorted, as tuples in the order of fields
    updated: dt.date | None  # the newest date in the rows (or in the parent's), None if there is none

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def title(self) -> str:
        return self.table.title

    @property
    def names(self) -> list[str]:
        """The column names, in order."""
        return [f.name for f in self.fields]

    def field(self, name: str) -> FieldSpec:
        """The field with this name."""
        return next(f for f in self.fields if f.name == name)

    @cached_property
    def rows(self) -> tuple[Row, ...]:
        """The rows as dicts by column name, made only for the tables that are read by name (feeds,
        API); a national items table as dicts would take half a gigabyte."""
        names = self.names
        return tuple(dict(zip(names, v)) for v in self.values)

    def column(self, name: str) -> list[object]:
        """The values of one column, in row order."""
        return list(map(itemgetter(self.names.index(name)), self.values))

    def chunks(self, size: int = 20_000) -> Iterator[list[tuple[object, ...]]]:
        """The rows as column tuples, a slice at a time: writers convert a column at once, and never
        hold a whole national table in a second form."""
        for start in range(0, len(self.values), size):
            yield list(zip(*self.values[start : start + size]))

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


_EMPTY_TEXT = {None: ""}.get  # (value, its text) -> "" for an empty cell, else the text, at C speed


def _texts(column: Sequence[object]) -> list[str]:
    """A column as the text a record id is made of: str() of each value, "" for an empty cell."""
    if None not in column:
        return list(map(str, column))
    return list(map(_EMPTY_TEXT, column, map(str, column)))


_SHA256 = hashlib.sha256
_DIGEST = type(hashlib.sha256()).digest
_HEX_AS_LETTERS = str.maketrans("0123456789abcdef", "abcdefghijklmnop")


def stable_tokens(texts: Iterable[str]) -> list[str]:
    """stable_token(text) of each text (16 letters), a column at a time: the hashing, the cut and the
    letters run at C speed, where a call per row cost a national items table a second and a half."""
    digests = map(_DIGEST, map(_SHA256, map(str.encode, texts)))
    joined = b"".join(map(itemgetter(slice(0, 8)), digests)).hex().translate(_HEX_AS_LETTERS)
    return [joined[i : i + 16] for i in range(0, len(joined), 16)]


def _record_ids(table: Table, columns: dict[str, list[object]]) -> list[str]:
    """The stable id of each row from its key fields, in the records' order; before numbering the
    rows whose keys are identical (_number_duplicates, once the rows are in order)."""
    return stable_tokens(map("|".join, zip(repeat(table.name), *[_texts(columns[k]) for k in table.key])))


def _number_duplicates(rows: list[tuple[object, ...]], at: int, ids: list[str]) -> None:
    """Identical record ids (identical keys) get -2, -3 in the order of the rows; `ids` is the
    column `at` of the rows. Only the rows of a repeated id are visited."""
    counts = Counter(ids)
    if len(counts) == len(ids):
        return
    repeated = {rid for rid, count in counts.items() if count > 1}
    seen: dict[object, int] = {}
    for number in [n for n, rid in enumerate(ids) if rid in repeated]:
        row = rows[number]
        base = row[at]
        count = seen[base] = seen.get(base, 0) + 1
        if count > 1:
            rows[number] = (*row[:at], f"{base}-{count}", *row[at + 1 :])


def _record_year(year: object, dates: list[object], parent_year: object) -> int | None:
    """The year an amount belongs to: the record's year, else its first date's, else its parent's."""
    if isinstance(year, int):
        return year
    found = [d for d in dates if d is not None]
    return found[0].year if found else parent_year if isinstance(parent_year, int) else None  # type: ignore[attr-defined]


def _columns(specs: tuple[FieldSpec, ...], records: list[Record], parent: DataTable | None, fk_field: str | None) -> dict[str, list[object]]:
    """The records' public fields column by column (a column at C speed, where a record at a time
    costs a Python call per row), with the inherited columns and the default currency filled in."""
    columns: dict[str, list[object]] = {s.name: list(map(attrgetter(s.name), records)) for s in specs}
    parent_year: list[object] = [None] * len(records)
    if parent is not None and fk_field is not None:
        keys = columns[fk_field]
        parent_keys = parent.column(fk_field)
        for name in (*INHERITED, "year"):
            if name in parent.names and (name == "year" or name not in columns):
                looked_up = list(map(dict(zip(parent_keys, parent.column(name))).get, keys))
                if name == "year":
                    parent_year = looked_up
                else:
                    columns[name] = looked_up
    # An amount exported without a currency is in the currency the page shows for it
    # (leva before 2026, euro after), so a reader of the data never has to guess.
    currency = next((s.name for s in specs if issubclass(s.type, Currency)), None)
    amounts = [columns[s.name] for s in specs if s.name in AMOUNTS]
    if currency and amounts:
        dates = [columns[s.name] for s in specs if s.type is dt.date]
        years = columns.get("year", [None] * len(records))
        money = columns[currency]
        for row, value in enumerate(money):
            if value is None and any(a[row] is not None for a in amounts):
                money[row] = default_currency(_record_year(years[row], [d[row] for d in dates], parent_year[row]))
    return columns


_LAST_FOR_NONE = {None: LAST}.get  # (value, value) -> LAST for an empty cell, else the value, at C speed


def _comparable(column: list[object]) -> list[object]:
    """A column compared through LAST where it has an empty cell, which sorts after every value
    and never meets a value of another type."""
    return list(map(_LAST_FOR_NONE, column, column)) if None in column else column


def _order(key: list[list[object]], rest: list[list[object]]) -> list[int]:
    """The order of rows: by the key columns, then by the rest, empty cells last. The rest are
    looked at only where neighbours share a key: a national items table has a few thousand such
    rows in 750,000, and a tuple of every column per row took longer than the sort."""
    keys = list(zip(*map(_comparable, key)))
    order = sorted(range(len(keys)), key=keys.__getitem__)
    ordered = list(map(keys.__getitem__, order))
    runs: list[list[int]] = []  # [first, last] positions in `order` of rows with the same key
    for i in [i for i, same in enumerate(map(eq, ordered, ordered[1:])) if same] if rest else []:
        if runs and runs[-1][1] == i:
            runs[-1][1] = i + 1
        else:
            runs.append([i, i + 1])
    for first, last in runs:  # a stable sort, as one by the whole tuple would be
        order[first : last + 1] = sorted(order[first : last + 1], key=lambda row: tuple(LAST if c[row] is None else c[row] for c in rest))
    return order


def _newest(columns: list[list[object]], as_of: dt.date) -> dt.date | None:
    past = [v for column in columns for v in column if v is not None and v <= as_of]  # type: ignore[operator]
    return max(past) if past else None  # type: ignore[type-var]


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
    parent = parents[foreign_keys[0].parent] if foreign_keys else None
    columns = _columns(own, records, parent, foreign_keys[0].field if foreign_keys else None)
    # By the key, then by every column: the same rows always come out in the same order (a key
    # column is compared once: compared again it could only be equal again).
    order = _order([columns[n] for n in table.key], [columns[f.name] for f in own if f.name not in table.key])
    primary_key = table.key if _keys_are_required(table) else ("record_id",)
    if primary_key == ("record_id",):
        columns["record_id"] = _record_ids(table, columns)  # type: ignore[assignment]
    else:
        _check_unique(register, table, records, primary_key)
    updated = _newest([columns[f.name] for f in fields if f.type is dt.date], as_of)
    if updated is None and parent is not None:
        updated = parent.updated
    # The rows are made in the records' order, then put in order as whole tuples: one move per
    # row, where sorting each column took one per cell.
    empty = [None] * len(records)
    rows = list(zip(*[columns.get(f.name, empty) for f in fields]))
    rows = list(map(rows.__getitem__, order))
    if primary_key == ("record_id",):
        _number_duplicates(rows, [f.name for f in fields].index("record_id"), list(map(columns["record_id"].__getitem__, order)))
    values = tuple(rows)
    return DataTable(register, table, fields, primary_key, foreign_keys, values, updated)


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


# A line of the joined column that starts as a formula would; one search over a column at C speed
# clears nearly every column, and only a column with a hit is checked cell by cell.
_FORMULA_LINE = re.compile("\n[" + re.escape("".join(FORMULA_START)) + "]")


def _csv_text(column: Sequence[object]) -> Sequence[object]:
    if not _FORMULA_LINE.search("\n" + "\n".join(filter(None, column))):  # type: ignore[arg-type]
        return column
    return [v if v is None or not v.startswith(FORMULA_START) else "'" + v for v in column]  # type: ignore[union-attr]


def _iso(column: Sequence[object]) -> list[object]:
    return [None if v is None else v.isoformat() for v in column]  # type: ignore[union-attr]


def csv_converter(kind: type) -> Callable[[Sequence[object]], Sequence[object]] | None:
    """What turns a column of this type into CSV text as text_cell would (None where the csv
    module already writes it so: empty cells, integers)."""
    if kind is bool:
        return lambda column: [None if v is None else "true" if v else "false" for v in column]
    if kind is int:
        return None
    if kind is dt.date:
        return _iso
    if kind is Decimal:
        return lambda column: [None if v is None else format(v, "f") for v in column]  # type: ignore[arg-type]
    if issubclass(kind, str):
        return _csv_text
    return lambda column: [text_cell(v) for v in column]
