"""Stage 3: validate raw rows against a register's schema, row by row, into typed records.

Private columns die here: only declared public fields are copied into records (an
allowlist), so an unknown or private column can never be published by mistake.

Speed matters at national scale (three quarters of a million rows): each record class is
compiled once into a plan of per-field converters, and the text cells every export repeats
(sections, owners, towns, dates) are converted once per build and then looked up.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from generator import values
from generator.read.table import RawStream, RawTable, normalise_header
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

# Past this many distinct texts a field's memo starts afresh: it only saves work, and a file
# of unique descriptions must not grow it without end.
_MEMO_LIMIT = 200_000
_MISSING = object()


@dataclass
class Validated:
    """What validation of one file produced."""

    records: dict[str, list[Record]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    private_values: list[PrivateValue] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_skipped: int = 0


class _Refused(Exception):
    """A cell that cannot be published: the problem's message and what to do."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True, slots=True)
class _Field:
    """One public field of a record class, ready to be read from a row."""

    name: str
    aliases: tuple[str, ...] | None  # every header name in order, when there is more than the field's own
    required: bool
    missing_hint: str
    convert: Callable[[object], tuple[object, str | None]]  # raises _Refused
    memo: bool  # whether a text cell's value may be remembered (not an amount: it carries a currency too)
    plain_amount: bool  # an amount with no choices: its plain texts are read by values.plain_amount


@dataclass(frozen=True, slots=True)
class _Plan:
    """How to read one record class: its fields in order, and where the carried currency goes."""

    record_type: type[Record]
    fields: tuple[_Field, ...]
    currency_index: int | None  # the "currency" field's place, if the class has one
    known: frozenset[str]  # every header name that feeds a field


RowBuilder = Callable[[dict[str, object], int, str], "Record | list[Problem]"]


class Memo:
    """The values of text cells already converted in this build, per record class and field.

    Records share the remembered value, so a town or a section is one string in memory,
    not one per row. Give the same Memo to every file of a build; drop it afterwards.
    """

    def __init__(self) -> None:
        self._builders: dict[type[Record], RowBuilder] = {}

    def builder(self, plan: _Plan) -> RowBuilder:
        """The function that makes one record (or its problems) from one row's cells, with this memo."""
        build = self._builders.get(plan.record_type)
        if build is None:
            memos = [{} if spec.memo else None for spec in plan.fields]
            build = self._builders[plan.record_type] = _builder_factory(plan)(plan, memos)
        return build


def _convert_value(spec: FieldSpec) -> Callable[[object], tuple[object, str | None]]:
    """The typed value of a non-empty cell and, for amounts, the currency its text carried."""
    hint = f"Поправете стойността в колоната „{spec.name}“ ({spec.column.label})."
    kind = spec.type
    if kind is Decimal:

        def parse(raw: object) -> tuple[object, str | None]:
            return values.parse_amount(raw)

    else:
        parser = PARSERS[kind]

        def parse(raw: object) -> tuple[object, str | None]:
            return parser(raw), None

    choices = spec.column.choices
    allowed = ", ".join(f"„{c}“" for c in choices)

    def convert(raw: object) -> tuple[object, str | None]:
        try:
            value, currency = parse(raw)
        except ValueError as error:
            raise _Refused(str(error), hint) from None
        if choices:
            # Exports typed in capitals ("ЕЖЕГОДНА") mean the same value.
            value = _choice(choices, str(value))
            if value not in choices:
                raise _Refused(f"непозната стойност „{value}“.", f"Използвайте една от: {allowed}.")
        return value, currency

    return convert


def _choice(choices: tuple[str, ...], value: str) -> str:
    """The allowed value a cell means, whatever its case ("ЕЖЕГОДНА" is "ежегодна"); else the cell as it is."""
    folded = value.casefold()
    return next((c for c in choices if c.casefold() == folded), value)


@cache
def _plan(record_type: type[Record]) -> _Plan:
    """The reading plan of a record class, worked out once per class."""
    fields = []
    for spec in field_specs(record_type):
        names = spec.header_names()
        fields.append(
            _Field(
                name=spec.name,
                aliases=names if len(names) > 1 else None,
                required=spec.column.required,
                missing_hint=f"Попълнете колоната „{spec.name}“ ({spec.column.label}).",
                convert=_convert_value(spec),
                memo=spec.type is not Decimal,
                plain_amount=spec.type is Decimal and not spec.column.choices,
            )
        )
    names = [f.name for f in fields]
    currency_index = names.index("currency") if "currency" in names else None
    known = frozenset(name for spec in field_specs(record_type) for name in spec.header_names())
    return _Plan(record_type, tuple(fields), currency_index, known)


def _cell(spec: _Field, memo: dict[str, object] | None, raw: object, problems: list[Problem] | None, carried: str | None, number: int, file_label: str) -> tuple[object, list[Problem] | None, str | None]:
    """A cell that is not None and not remembered: (its value, the row's problems, the row's carried currency)."""
    if isinstance(raw, str) and not raw.strip():
        if spec.required:
            problems = _missing(problems, spec, number, file_label)
        return None, problems, carried
    try:
        value, currency = spec.convert(raw)
    except _Refused as refused:
        problems = problems or []
        problems.append(Problem(file_label, refused.message, refused.hint, number, spec.name))
        return None, problems, carried
    if memo is not None and type(raw) is str:
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
        memo[raw] = value
    return value, problems, carried or currency


def _missing(problems: list[Problem] | None, spec: _Field, number: int, file_label: str) -> list[Problem]:
    problems = problems or []
    problems.append(Problem(file_label, "липсва задължителна стойност.", spec.missing_hint, number, spec.name))
    return problems


@cache
def _builder_factory(plan: _Plan) -> Callable[[_Plan, list[dict[str, object] | None]], RowBuilder]:
    """Compile the row builder of a record class: one straight run of code per field, no loop.

    Validation is most of the intake's time at national scale, and a generic loop over the
    fields spent most of it looking up what each field is. The generated code does per
    cell only what the cell needs: None is an empty cell, a remembered text is one dict
    look-up, and anything else goes to _cell(). The field order, and so the order of the
    problems of a row, is the record class's.
    """
    record_type = plan.record_type
    slots = ["source", *(spec.name for spec in plan.fields)]
    # The frozen dataclass's __init__ sets each field through object.__setattr__, the dearest part
    # of a row; the slots' own setters do the same in a third of the time. Only for a class whose
    # __init__ does nothing else, and whose every field is a slot.
    fields = dataclasses.fields(record_type)
    if hasattr(record_type, "__post_init__") or [f.name for f in fields] != slots or not all(f.init for f in fields) or "__dict__" in dir(record_type):
        raise TypeError(f"{record_type.__name__}: a record class must be a slots dataclass whose __init__ only sets its fields")
    lines = [
        "def factory(plan, memos):",
        "    fields = plan.fields",
        "    record_type = plan.record_type",
        "    new = object.__new__",
        *(f"    set_{name} = record_type.{name}.__set__" for name in slots),
        "    def build(cells, number, file_label):",
        "        get = cells.get",
        "        problems = None",
        "        carried = None",
    ]
    for i, spec in enumerate(plan.fields):
        if spec.aliases is None:
            lines.append(f"        raw = get({spec.name!r})")
        else:  # the first header name present wins, even when its cell is empty
            lines.append("        raw = None")
            lines.append(f"        for name in {spec.aliases!r}:")
            lines.append("            if name in cells:")
            lines.append("                raw = cells[name]")
            lines.append("                break")
        lines.append("        if raw is None:")
        lines.append(f"            v{i} = None")
        if spec.required:
            lines.append(f"            problems = missing(problems, fields[{i}], number, file_label)")
        if spec.memo:
            lines.append(f"        elif type(raw) is str and (v{i} := memos[{i}].get(raw, MISSING)) is not MISSING:")
            lines.append("            pass")
        elif spec.plain_amount:
            lines.append(f"        elif type(raw) is str and (v{i} := plain_amount(raw)) is not None:")
            lines.append("            pass")
        lines.append("        else:")
        lines.append(f"            v{i}, problems, carried = cell(fields[{i}], memos[{i}], raw, problems, carried, number, file_label)")
    lines.append("        if problems:")
    lines.append("            return problems")
    if plan.currency_index is not None:
        lines.append(f"        if carried and v{plan.currency_index} is None:")
        lines.append(f"            v{plan.currency_index} = Currency(carried)")
    lines.append("        source = new(Source)")
    lines.append("        set_file(source, file_label)")
    lines.append("        set_row(source, number)")
    lines.append("        record = new(record_type)")
    lines.append("        set_source(record, source)")
    lines.extend(f"        set_{spec.name}(record, v{i})" for i, spec in enumerate(plan.fields))
    lines.append("        return record")
    lines.append("    return build")
    namespace = {"plain_amount": values.plain_amount, "MISSING": _MISSING, "cell": _cell, "missing": _missing, "Currency": Currency, "Source": Source, "set_file": Source.file.__set__, "set_row": Source.row.__set__}
    exec(compile("\n".join(lines), f"<row builder of {plan.record_type.__name__}>", "exec"), namespace)  # noqa: S102 - our own text, no input in it
    return namespace["factory"]  # type: ignore[return-value]


def validate_table(register: Register, table: Table, raw: RawTable, file_label: str) -> Validated:
    """Validate every row of one export; bad rows are skipped and reported, the rest kept."""
    return validate_stream(register, table, RawStream.of_table(raw), file_label)


def validate_stream(register: Register, table: Table, raw: RawStream, file_label: str, memo: Memo | None = None) -> Validated:
    """Validate the rows of one export as they are read; bad rows are skipped and reported, the rest kept.

    May raise the stream's ReadError midway: then nothing of the file is to be used.
    Give one `memo` to all the files of a build, so repeated texts are converted once.
    """
    memo = memo or Memo()
    result = Validated(records={t.name: [] for t in register.tables})
    problems: list[Problem] = []
    plan = _plan(table.record_type)
    build = memo.builder(plan)
    private = {normalise_header(p) for p in table.private}
    nested = _nested_table(register, table)
    nested_unknown: dict[str, None] = {}
    records = result.records[table.name]
    private_values = result.private_values
    for number, cells in _with_private(raw.rows, private, file_label, private_values):
        result.rows_read += 1
        record = build(cells, number, file_label)
        if type(record) is list:
            result.rows_skipped += 1
            problems.extend(record)
            continue
        records.append(record)
        if nested is not None and isinstance(cells.get(NESTED_ITEMS_KEY), list):
            _validate_nested(nested, memo, record, number, cells[NESTED_ITEMS_KEY], file_label, result, problems, nested_unknown)
    # The reader's own notes (stray cells, records that are not objects) come first, as in a report read top-down.
    result.problems = [*raw.problems, *problems]
    allowed_extra = {NESTED_ITEMS_KEY} if nested else set()
    known = plan.known
    result.unknown_columns = [c for c in raw.columns if c not in known and c not in private and c not in allowed_extra]
    result.unknown_columns.extend(c for c in nested_unknown if c not in result.unknown_columns)
    return result


def _with_private(
    rows: Iterable[tuple[int, dict[str, object]]], private: set[str], file_label: str, out: list[PrivateValue]
) -> Iterator[tuple[int, dict[str, object]]]:
    """The rows, noting on the way every private cell of each, valid row or not."""
    names = list(private)
    empty = len(names)
    for number, cells in rows:
        raws = list(map(cells.get, names))
        # Most rows have their private cells empty: one count in C tells so.
        if raws.count(None) != empty:
            for name, raw in zip(names, raws):
                if raw is not None and (not isinstance(raw, str) or raw.strip()):  # _is_empty() inlined
                    out.append(PrivateValue(str(raw).strip(), file_label, number, name))
        yield number, cells


def _is_empty(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _nested_table(register: Register, table: Table) -> Table | None:
    """The child table a row of `table` may nest (declarations → items), if any."""
    if table.name == "declarations" and any(t.name == "items" for t in register.tables):
        return register.table("items")
    return None


def _validate_nested(
    child: Table,
    memo: Memo,
    parent: Record,
    number: int,
    items: list[object],
    file_label: str,
    result: Validated,
    problems: list[Problem],
    unknown: dict[str, None],
) -> None:
    private = {normalise_header(p) for p in child.private}
    plan = _plan(child.record_type)
    build = memo.builder(plan)
    allowed = plan.known | private
    records = result.records[child.name]
    for position, cells in enumerate(items, start=1):
        if not isinstance(cells, dict):
            problems.append(Problem(file_label, f"обект {position} в „items“ не е запис.", "Всеки обект трябва да е речник с колони.", number, f"items[{position}]"))
            continue
        cells = {normalise_header(k): v for k, v in cells.items()}
        cells.setdefault("declaration_id", getattr(parent, "declaration_id"))
        for name in private:
            raw = cells.get(name)
            if not _is_empty(raw):
                result.private_values.append(PrivateValue(str(raw).strip(), file_label, number, name))
        if not allowed.issuperset(cells):
            for name in cells:  # in the record's own order, as the report lists them
                if name not in allowed:
                    unknown[name] = None
        record = build(cells, number, file_label)
        if type(record) is list:
            problems.extend(Problem(p.file, p.message, p.hint, p.row, f"items[{position}].{p.field}") for p in record)
            continue
        records.append(record)

