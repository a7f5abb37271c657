"""JSON downloads and API files: UTF-8, compact, stable key order, the same values as the other formats.

Every document is compact (no indentation, no spaces after separators) and leaves out the
fields that have no value: a missing key means an empty cell, as in the CSV. Objects of a
list come one to a line, so a file can still be read, diffed and grepped line by line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from itertools import groupby
from pathlib import Path

from generator.downloads.tables import DataTable, Row, json_cell, json_converter

try:  # the C encoder, made once: json.dumps would build a new one for each of a million rows
    from _json import encode_basestring as _encode_string  # type: ignore[import-not-found]
    from _json import make_encoder as _make_encoder  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - CPython always has it
    _make_encoder = None


def _unserialisable(value: object) -> object:
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


_ENCODER = _make_encoder(None, _unserialisable, _encode_string, None, ":", ",", False, False, True) if _make_encoder else None


def encode(document: object) -> str:
    """A document as compact JSON text, non-ASCII kept as it is."""
    if _ENCODER is None:  # pragma: no cover
        return json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return "".join(_ENCODER(document, 0))


def without_nulls(document: Row) -> Row:
    """The object without its empty fields."""
    return {k: v for k, v in document.items() if v is not None}


def json_row(table: DataTable, row: Row) -> Row:
    """One row as a JSON object: ISO dates, amounts as numbers, empty fields left out."""
    return {k: json_cell(v) for k, v in row.items() if v is not None}


def write_json_table(table: DataTable, path: Path, group_by: str | None = None) -> dict[object, list[tuple[int, int]]]:
    """Write the table as a list of objects, one a line, streamed; return, if asked, where the rows
    of each value of the group_by column lie in the file (byte offset and length), so the API can
    reuse them without encoding them again."""
    names = table.names
    group = names.index(group_by) if group_by else None
    spans: dict[object, list[tuple[int, int]]] = {}
    converters = [json_converter(f.type) for f in table.fields]
    with path.open("wb") as out:
        out.write(b"[")
        offset, separator = 1, b"\n"
        for columns in table.chunks():
            converted = [convert(column) if convert else column for convert, column in zip(converters, columns)]
            lines = [encode({k: v for k, v in zip(names, row) if v is not None}) for row in zip(*converted)]
            if group is None:
                blocks: Iterable[tuple[object, list[str]]] = [(None, lines)]
            else:
                blocks = ((value, [line for _, line in run]) for value, run in groupby(zip(columns[group], lines), key=lambda pair: pair[0]))
            for value, block in blocks:
                data = ",\n".join(block).encode("utf-8")
                out.write(separator)
                offset += len(separator)
                if group is not None:
                    spans.setdefault(value, []).append((offset, len(data)))
                out.write(data)
                offset += len(data)
                separator = b",\n"
        out.write(b"\n]\n" if offset > 1 else b"]\n")
    return spans


def write_json_file(document: object, path: Path, *, indent: int | None = None) -> None:
    """Write a JSON document, byte-for-byte the same for the same input; compact unless told."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = encode(document) if indent is None else json.dumps(document, ensure_ascii=False, indent=indent)
    path.write_text(text + "\n", encoding="utf-8")
