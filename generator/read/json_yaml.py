"""Read JSON and YAML exports: a list of records, or an object holding that list."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from generator.read.csv_files import clean_cell
from generator.read.table import RawRow, RawTable, ReadError, normalise_header
from generator.report import Problem

PREFERRED_LIST_KEYS = ("records", "rows", "data")
SHAPE_HINT = "Файлът трябва да съдържа списък от записи, например [{\"year\": 2025, ...}, ...], или обект с ключ „records“, който съдържа такъв списък."


class TolerantSafeLoader(yaml.SafeLoader):
    """SafeLoader that keeps an impossible date (2025-02-31) as text, so it fails on its row, not the whole file."""


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


TolerantSafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)

_FastTolerantLoader: type | None = None
if getattr(yaml, "__with_libyaml__", False):

    class _FastTolerantLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        """TolerantSafeLoader on libyaml's parser: the same values, about ten times faster."""

    _FastTolerantLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def load_yaml(text: str) -> object:
    """Parse YAML safely, as yaml.safe_load, but keeping impossible dates as text."""
    if _FastTolerantLoader is not None:
        try:
            return yaml.load(text, Loader=_FastTolerantLoader)  # noqa: S506 - a CSafeLoader subclass
        except yaml.YAMLError:
            pass  # the pure-Python parser says again what is wrong, in the words and lines the hints expect
    return yaml.load(text, Loader=TolerantSafeLoader)  # noqa: S506 - a SafeLoader subclass


def yaml_error_place(error: yaml.YAMLError, offset: int = 0) -> str:
    """Where a YAML error is, in the file's 1-based lines: " на ред 3", " между ред 3 и ред 5", or ""."""
    # An unclosed bracket is found only at the end; the context mark says where it was opened.
    marks = [getattr(error, "context_mark", None), getattr(error, "problem_mark", None)]
    lines = sorted({mark.line + 1 + offset for mark in marks if mark is not None})
    if not lines:
        return ""
    if len(lines) == 1:
        return f" на ред {lines[0]}"
    return f" между ред {lines[0]} и ред {lines[-1]}"


def read_json_yaml(path: Path) -> RawTable:
    """Read a JSON or YAML export into a RawTable; raise ReadError if it cannot be parsed."""
    fmt = "json" if path.suffix.lower() == ".json" else "yaml"
    text = read_utf8_text(path)
    document = _parse_json(text) if fmt == "json" else _parse_yaml(text)
    records = _find_records(document)
    table = RawTable(source=path, format=fmt, columns=[])
    try:
        for number, record in enumerate(records, start=1):
            _add_record(table, number, record)
    except RecursionError as error:  # a YAML alias that refers to itself, or absurd nesting
        raise ReadError("Файлът съдържа запис, вложен сам в себе си или прекалено дълбоко.", "Изнесете файла отново от системата.") from error
    return table


def read_utf8_text(path: Path) -> str:
    """The file as text, UTF-8 with or without BOM; ReadError otherwise."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReadError(f"Файлът не може да бъде отворен ({error.strerror}).", "Проверете дали файлът съществува и не е отворен в друга програма.") from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ReadError(
            f"Файлът не е в кодировка UTF-8 (непознат байт на позиция {error.start + 1}).",
            "Запишете файла в кодировка UTF-8 или го изнесете отново от системата.",
        ) from error


def _parse_json(text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ReadError(
            f"Файлът не е валиден JSON: грешка на ред {error.lineno}, позиция {error.colno} ({error.msg}).",
            "Изнесете файла отново от системата; ако сте го редактирали ръчно, проверете запетаите и кавичките около този ред.",
        ) from error
    except (RecursionError, ValueError) as error:
        raise ReadError("Файлът не е валиден JSON (прекалено дълбоко вложен или повреден).", "Изнесете файла отново от системата.") from error


def _parse_yaml(text: str) -> object:
    try:
        return load_yaml(text)
    except yaml.YAMLError as error:
        raise ReadError(
            f"Файлът не е валиден YAML: грешка{yaml_error_place(error)} ({getattr(error, 'problem', None) or 'неочакван знак'}).",
            "Изнесете файла отново от системата; ако сте го редактирали ръчно, проверете отстъпите и двоеточията около този ред.",
        ) from error
    except (RecursionError, ValueError) as error:
        raise ReadError("Файлът не е валиден YAML (прекалено дълбоко вложен или повреден).", "Изнесете файла отново от системата.") from error


def _find_records(document: object) -> list[object]:
    """The list of records: the document itself, or the list inside the top-level object."""
    if document is None:  # an empty file: an empty list, as a header-only CSV
        return []
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        return _list_in_object(document)
    raise ReadError("Файлът не съдържа списък от записи, а единична стойност.", SHAPE_HINT)


def _list_in_object(document: dict[object, object]) -> list[object]:
    lists = {normalise_header(k): v for k, v in document.items() if isinstance(v, list)}
    for key in PREFERRED_LIST_KEYS:
        if key in lists:
            return lists[key]
    if len(lists) == 1:
        return next(iter(lists.values()))
    if not lists:
        raise ReadError("Обектът във файла не съдържа списък от записи.", SHAPE_HINT)
    names = ", ".join(f"„{k}“" for k in lists)
    raise ReadError(f"Обектът във файла съдържа няколко списъка ({names}) и не е ясно кой е списъкът със записи.", SHAPE_HINT)


def _add_record(table: RawTable, number: int, record: object) -> None:
    if not isinstance(record, dict):
        table.problems.append(
            Problem(
                file=table.source.name,
                row=number,
                message=f"Запис № {number} не е обект с полета, а „{_preview(record)}“; пропуснат е.",
                hint="Всеки елемент на списъка трябва да е обект с полета (ключ: стойност). Изнесете файла отново.",
            )
        )
        return
    try:
        values = normalise_record(record)
    except DuplicateKey as duplicate:
        table.problems.append(
            Problem(
                file=table.source.name,
                row=number,
                message=f"Полето „{duplicate.name}“ се среща два пъти в запис № {number}; записът е пропуснат.",
                hint="Оставете полето само веднъж (главни и малки букви не се различават).",
            )
        )
        return
    for key in values:
        if key not in table.columns:
            table.columns.append(key)
    table.rows.append(RawRow(number=number, values=values))


class DuplicateKey(ValueError):
    """Two keys of one object become the same name once normalised ("Year" and "year")."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def normalise_record(record: dict[object, object]) -> dict[str, object]:
    """Normalise keys (also inside nested objects and lists of objects) and clean text values."""
    values: dict[str, object] = {}
    for key, value in record.items():
        name = normalise_header(key)
        if name in values:
            raise DuplicateKey(name)
        values[name] = _normalise_value(value)
    return values


def _normalise_value(value: object) -> object:
    if isinstance(value, dict):
        return normalise_record(value)
    if isinstance(value, list):
        return [_normalise_value(v) for v in value]
    return clean_cell(value)


def _preview(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"
