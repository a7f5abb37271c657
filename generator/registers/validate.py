"""Stage 3: validate raw rows against a register's schema, row by row, into typed records.

Private columns die here: only declared public fields are copied into records (an
allowlist), so an unknown or private column can never be published by mistake.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache

from generator import values
from generator.read.table import RawRow, RawTable, normalise_header
from generator.registers.schema import Currency, FieldSpec, Record, Register, Source, Table, field_specs
from generator.report import Problem
from generator.scan import PrivateValue

PARSERS: dict[type, Callable[[object], object]] = {
    str: values.parse_text,
    int: values.parse_int,
    bool: values.parse_bool,
    dt.date: values.parse_date,
    Currency: lambda v: Currency(values.parse_currency(v)),
}

# A declaration exported as JSON or YAML may carry its items nested under this key.
NESTED_ITEMS_KEY = "items"


@dataclass
class Validated:
    """What validation of one file produced."""

    records: dict[str, list[Record]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    private_values: list[PrivateValue] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_skipped: int = 0


def _parse(spec: FieldSpec, raw: object) -> tuple[object, str | None]:
    """The typed value of a cell and, for amounts, the currency its text carried."""
    if type(raw) is str:
        return _parse_text_cell(spec.type, raw)
    return _parse_value(spec.type, raw)


def _parse_value(kind: type, raw: object) -> tuple[object, str | None]:
    if kind is Decimal:
        return values.parse_amount(raw)
    return PARSERS[kind](raw), None


@lru_cache(maxsize=1 << 16)
def _parse_text_cell(kind: type, raw: str) -> tuple[object, str | None]:
    """_parse_value of a text cell, remembered (a failure is not: it raises each time)."""
    # Exports repeat the same texts (sections, owners, towns, bodies) on hundreds of thousands of rows;
    # every parsed value is immutable, so records may share it.
    return _parse_value(kind, raw)


@lru_cache(maxsize=4096)
def _choice(choices: tuple[str, ...], value: str) -> str:
    """The allowed value a cell means, whatever its case ("ЕЖЕГОДНА" is "ежегодна"); else the cell as it is."""
    folded = value.casefold()
    return next((c for c in choices if c.casefold() == folded), value)


def _is_empty(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


@cache
def _specs(record_type: type[Record]) -> tuple[tuple[FieldSpec, tuple[str, ...]], ...]:
    """Each field of a record class with its header names, worked out once per class."""
    # Table.fields resolves type hints on every call: per row, that was most of the build's validation time.
    return tuple((spec, spec.header_names()) for spec in field_specs(record_type))


def _build_record(table: Table, row: RawRow, file_label: str) -> tuple[Record | None, list[Problem]]:
    """One typed record from one raw row, or the problems that make the row unpublishable."""
    kwargs: dict[str, object] = {}
    problems: list[Problem] = []
    carried_currency: str | None = None
    specs = _specs(table.record_type)
    cells = row.values
    for spec, names in specs:
        raw = None
        for name in names:
            if name in cells:
                raw = cells[name]
                break
        if _is_empty(raw):
            if spec.column.required:
                problems.append(Problem(file_label, "липсва задължителна стойност.", f"Попълнете колоната „{spec.name}“ ({spec.column.label}).", row.number, spec.name))
            continue
        try:
            value, currency = _parse(spec, raw)
        except ValueError as error:
            problems.append(Problem(file_label, str(error), f"Поправете стойността в колоната „{spec.name}“ ({spec.column.label}).", row.number, spec.name))
            continue
        if spec.column.choices:
            # Exports typed in capitals ("ЕЖЕГОДНА") mean the same value.
            value = _choice(spec.column.choices, str(value))
            if value not in spec.column.choices:
                allowed = ", ".join(f"„{c}“" for c in spec.column.choices)
                problems.append(Problem(file_label, f"непозната стойност „{value}“.", f"Използвайте една от: {allowed}.", row.number, spec.name))
                continue
        carried_currency = carried_currency or currency
        kwargs[spec.name] = value
    if problems:
        return None, problems
    if carried_currency and kwargs.get("currency") is None and any(spec.name == "currency" for spec, _ in specs):
        kwargs["currency"] = Currency(carried_currency)
    return table.record_type(source=Source(file_label, row.number), **kwargs), []


def _known_headers(table: Table) -> set[str]:
    return {name for _, names in _specs(table.record_type) for name in names}


def validate_table(register: Register, table: Table, raw: RawTable, file_label: str) -> Validated:
    """Validate every row of one export; bad rows are skipped and reported, the rest kept."""
    result = Validated(records={t.name: [] for t in register.tables}, problems=list(raw.problems))
    known = _known_headers(table)
    private = {normalise_header(p) for p in table.private}
    nested = _nested_table(register, table)
    allowed_extra = {NESTED_ITEMS_KEY} if nested else set()
    result.unknown_columns = [c for c in raw.columns if c not in known and c not in private and c not in allowed_extra]
    for row in raw.rows:
        result.rows_read += 1
        _collect_private(row, private, file_label, result)
        record, problems = _build_record(table, row, file_label)
        if record is None:
            result.rows_skipped += 1
            result.problems.extend(problems)
            continue
        result.records[table.name].append(record)
        if nested is not None and isinstance(row.values.get(NESTED_ITEMS_KEY), list):
            _validate_nested(nested, record, row, file_label, result)
    return result


def _nested_table(register: Register, table: Table) -> Table | None:
    """The child table a row of `table` may nest (declarations → items), if any."""
    if table.name == "declarations" and any(t.name == "items" for t in register.tables):
        return register.table("items")
    return None


def _validate_nested(child: Table, parent: Record, row: RawRow, file_label: str, result: Validated) -> None:
    private = {normalise_header(p) for p in child.private}
    known = _known_headers(child)
    for position, cells in enumerate(row.values[NESTED_ITEMS_KEY], start=1):
        if not isinstance(cells, dict):
            result.problems.append(Problem(file_label, f"обект {position} в „items“ не е запис.", "Всеки обект трябва да е речник с колони.", row.number, f"items[{position}]"))
            continue
        cells = {normalise_header(k): v for k, v in cells.items()}
        cells.setdefault("declaration_id", getattr(parent, "declaration_id"))
        child_row = RawRow(row.number, cells)
        _collect_private(child_row, private, file_label, result)
        result.unknown_columns.extend(c for c in cells if c not in known and c not in private and c not in result.unknown_columns)
        record, problems = _build_record(child, child_row, file_label)
        if record is None:
            result.problems.extend(
                Problem(p.file, p.message, p.hint, p.row, f"items[{position}].{p.field}") for p in problems
            )
            continue
        result.records[child.name].append(record)


def _collect_private(row: RawRow, private: set[str], file_label: str, result: Validated) -> None:
    for name in private:
        raw = row.values.get(name)
        if not _is_empty(raw):
            result.private_values.append(PrivateValue(str(raw).strip(), file_label, row.number, name))
