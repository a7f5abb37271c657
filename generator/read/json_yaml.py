"""Read JSON and YAML exports: a list of records, or an object holding that list."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import yaml

from generator.read.csv_files import clean_cell
from generator.read.table import _HEADER_NAMES, RawStream, RawTable, ReadError, normalise_header
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
        document = _load_plain_yaml(text)
        if document is not _NOT_PLAIN:
            return document
        try:
            return yaml.load(text, Loader=_FastTolerantLoader)  # noqa: S506 - a CSafeLoader subclass
        except yaml.YAMLError:
            pass  # the pure-Python parser says again what is wrong, in the words and lines the hints expect
    return yaml.load(text, Loader=TolerantSafeLoader)  # noqa: S506 - a SafeLoader subclass


_NOT_PLAIN = object()
_PLAIN_TAG = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG


def _load_plain_yaml(text: str) -> object:
    """The document, built straight from libyaml's events, or _NOT_PLAIN.

    Composing nodes and constructing from them costs PyYAML several times the parse itself.
    A plain document (one document; no anchors, aliases, tags or merge keys; text keys) is
    built here from the events, each scalar resolved and constructed by the loader's own
    resolver and constructors, so the values are those yaml.load gives. Anything else, and
    any error, is left to the full loader, which also words the errors.
    """
    loader = _FastTolerantLoader(text)  # type: ignore[misc]
    try:
        return _build_plain(loader)
    except Exception:  # noqa: BLE001 - not plain, or not valid: the full loader says which
        return _NOT_PLAIN
    finally:
        loader.dispose()


def _build_plain(loader: yaml.CSafeLoader) -> object:
    get_event = loader.get_event
    resolve = loader.resolve
    constructors = loader.yaml_constructors
    plain: dict[str, object] = {}  # a plain scalar's value depends on its text alone
    scalar_node = yaml.ScalarNode
    if not isinstance(get_event(), yaml.StreamStartEvent):
        return _NOT_PLAIN
    event = get_event()
    if isinstance(event, yaml.StreamEndEvent):
        return None  # an empty file
    if not isinstance(event, yaml.DocumentStartEvent):
        return _NOT_PLAIN
    # Each open collection: [list, None] or [dict, pending key]; the root is a list of one.
    root: list[object] = []
    stack: list[list[object]] = [[root, None]]
    scalar_event = yaml.ScalarEvent
    while True:
        event = get_event()
        kind = type(event)
        if kind is scalar_event:
            if event.anchor is not None or event.tag is not None:
                return _NOT_PLAIN
            text = event.value
            if event.implicit[0]:  # unquoted: resolved by the loader, remembered
                value = plain.get(text, _NOT_PLAIN)
                if value is _NOT_PLAIN:
                    tag = resolve(scalar_node, text, (True, False))
                    if tag == _PLAIN_TAG:
                        value = text
                    elif tag == "tag:yaml.org,2002:merge":
                        return _NOT_PLAIN
                    else:
                        value = constructors[tag](loader, scalar_node(tag, text))
                    plain[text] = value
            else:
                value = text  # quoted or a block: always text
            # _place() inlined for scalars, a million of them in a national file.
            parent = stack[-1]
            container = parent[0]
            if type(container) is list:
                container.append(value)
            elif parent[1] is not None:
                container[parent[1]] = value  # type: ignore[index]
                parent[1] = None
            elif type(value) is str:
                parent[1] = value
            else:  # a key that is not text: left to the full loader
                return _NOT_PLAIN
            continue
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.anchor is not None or event.tag is not None:
                return _NOT_PLAIN
            value = {} if kind is yaml.MappingStartEvent else []
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            value = stack.pop()[0]
            if len(stack) == 0:
                return _NOT_PLAIN
            _place(stack[-1], value, closed=True)
            continue
        elif kind is yaml.DocumentEndEvent:
            break
        else:  # an alias, or anything unforeseen
            return _NOT_PLAIN
        if len(stack) > _MAX_PLAIN_DEPTH:  # absurd nesting: the full loader's RecursionError words it
            return _NOT_PLAIN
        else:
            stack.append([value, None])
    if len(stack) != 1 or len(root) != 1 or not isinstance(get_event(), yaml.StreamEndEvent):
        return _NOT_PLAIN  # more than one document: the full loader refuses it
    return root[0]


_MAX_PLAIN_DEPTH = 64


def _place(parent: list[object], value: object, closed: bool) -> None:
    """Add a finished value to the open collection `parent`: an item, a key, or a key's value."""
    container = parent[0]
    if type(container) is list:
        container.append(value)
        return
    key = parent[1]
    if key is None:
        if closed or type(value) is not str:  # a collection or a non-text key: leave it to the full loader
            raise ValueError("not plain")
        parent[1] = value
        return
    container[key] = value  # type: ignore[index]
    parent[1] = None


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
    return open_json_yaml(path).table()


def open_json_yaml(path: Path) -> RawStream:
    """Parse a JSON or YAML export and stream its records as rows; raise ReadError if it cannot be parsed."""
    fmt = "json" if path.suffix.lower() == ".json" else "yaml"
    text = read_utf8_text(path)
    document = _parse_json(text) if fmt == "json" else _parse_yaml(text)
    del text
    stream = RawStream(path, fmt, [], iter(()))
    stream.rows = _record_rows(_find_records(document), stream)
    return stream


def _record_rows(records: list[object], stream: RawStream) -> Iterator[tuple[int, dict[str, object]]]:
    seen: set[str] = set()
    try:
        for index, record in enumerate(records):
            values = _record_values(stream, index + 1, record)
            records[index] = None  # the document's own record is freed once it is a row
            if values is None:
                continue
            for key in values:
                if key not in seen:
                    seen.add(key)
                    stream.columns.append(key)
            yield index + 1, values
    except RecursionError as error:  # a YAML alias that refers to itself, or absurd nesting
        raise ReadError("Файлът съдържа запис, вложен сам в себе си или прекалено дълбоко.", "Изнесете файла отново от системата.") from error


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


def _record_values(stream: RawStream, number: int, record: object) -> dict[str, object] | None:
    """The normalised fields of one record, or None (with a problem noted) if it is skipped."""
    if not isinstance(record, dict):
        stream.problems.append(
            Problem(
                file=stream.source.name,
                row=number,
                message=f"Запис № {number} не е обект с полета, а „{_preview(record)}“; пропуснат е.",
                hint="Всеки елемент на списъка трябва да е обект с полета (ключ: стойност). Изнесете файла отново.",
            )
        )
        return None
    try:
        return normalise_record(record)
    except DuplicateKey as duplicate:
        stream.problems.append(
            Problem(
                file=stream.source.name,
                row=number,
                message=f"Полето „{duplicate.name}“ се среща два пъти в запис № {number}; записът е пропуснат.",
                hint="Оставете полето само веднъж (главни и малки букви не се различават).",
            )
        )
        return None


class DuplicateKey(ValueError):
    """Two keys of one object become the same name once normalised ("Year" and "year")."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def normalise_record(record: dict[object, object]) -> dict[str, object]:
    """Normalise keys (also inside nested objects and lists of objects) and clean text values."""
    values: dict[str, object] = {}
    known = _HEADER_NAMES
    for key, value in record.items():
        name = known.get(key) if type(key) is str else None  # normalise_header()'s own memo, without the call
        if name is None:
            name = normalise_header(key)
        if name in values:
            raise DuplicateKey(name)
        # clean_cell() and _normalise_value() inlined for text, the usual value: this runs for every field.
        if type(value) is str:
            values[name] = value.strip() or None
        else:
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
