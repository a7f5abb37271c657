"""JSON downloads and API files: UTF-8, compact, stable key order, the same values as the other formats.

Every document is compact (no indentation, no spaces after separators) and leaves out the
fields that have no value: a missing key means an empty cell, as in the CSV. Objects of a
list come one to a line, so a file can still be read, diffed and grepped line by line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from itertools import compress, groupby, repeat
from json.encoder import encode_basestring as encode_text  # a text as a JSON string, non-ASCII kept (C)
from operator import is_not, itemgetter
from pathlib import Path
from typing import BinaryIO

from generator.downloads.tables import DataTable, json_cell

try:  # the C encoder, made once: json.dumps would build a new one for each of a million rows
    from _json import make_encoder as _make_encoder  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - CPython always has it
    _make_encoder = None


def _unserialisable(value: object) -> object:
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


_ENCODER = _make_encoder(None, _unserialisable, encode_text, None, ":", ",", False, False, True) if _make_encoder else None


def encode(document: object) -> str:
    """A document as compact JSON text, non-ASCII kept as it is."""
    if _ENCODER is None:  # pragma: no cover
        return json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return "".join(_ENCODER(document, 0))


# Amounts with one or two decimals and at most 15 digits (all amounts of the registers): the
# shortest float that reads back as such a number is the number itself without a trailing zero
# in the second decimal (148000.50 -> 148000.5, 148000.00 -> 148000.0), which is what repr()
# of the float writes. Anything else is written through the float.
_THIRD_DECIMAL = re.compile(r"\.[0-9][0-9][0-9]")
_CENTS_ZERO = re.compile(r"(\.[0-9])0$", re.MULTILINE)


def _amounts(column: Sequence[object], key: str = "") -> list[str]:
    """Amounts as json_cell and the encoder write them, each after `key`, "" for an empty cell:
    an integer where the amount was written without decimals, else the shortest float."""
    present = list(compress(column, map(is_not, column, repeat(None))))
    if not present:
        return [""] * len(column)
    texts = list(map(str, present))
    joined = "\n".join(texts)
    if joined.count(".") == len(present) and "E" not in joined and max(map(len, texts)) <= 16 and not _THIRD_DECIMAL.search(joined):
        numbers = (key + _CENTS_ZERO.sub(r"\1", joined).replace("\n", "\n" + key)).split("\n")
    else:
        if "E" in joined or "\n-0\n" in f"\n{joined}\n":  # an exponent, a negative zero: one at a time
            numbers = [encode(json_cell(v)) for v in present]
        else:  # the floats of a column written by one encoder call; a test per amount for integers
            numbers = encode(list(map(float, present)))[1:-1].split(",")  # type: ignore[arg-type]
            if joined.count(".") < len(present):  # some written without decimals: integers
                numbers = [number if "." in text else text for text, number in zip(texts, numbers)]
        numbers = list(map(key.__add__, numbers))
    if len(present) == len(column):
        return numbers
    found = iter(numbers)
    return ["" if v is None else next(found) for v in column]


class Members:
    """A table's cells as the members they make in their row's object (`"name":value`, exactly as
    encode() writes it), "" for an empty cell: a row is then its members joined, at C speed, where
    a dict and an encoder call per row took most of the time of a national items.json. A column
    of few distinct values (all but ids and amounts) encodes each value once for the whole table."""

    def __init__(self, table: DataTable) -> None:
        self.fields = table.fields
        self.keys = [encode(f.name) + ":" for f in table.fields]
        single_key = table.primary_key[0] if len(table.primary_key) == 1 else None
        self.unique = [f.name == single_key and issubclass(f.type, str) for f in table.fields]
        self.caches: list[dict[object, str]] = [{None: ""} for _ in table.fields]

    def column(self, index: int, column: Sequence[object]) -> list[str]:
        """The members of one column's cells."""
        key, kind = self.keys[index], self.fields[index].type
        if kind is Decimal:  # nearly every amount is another: no cache (1.0 and 1.00 are equal keys, too)
            return _amounts(column, key)
        if self.unique[index] and None not in column and all(map(isinstance, column, repeat(str))):
            return list(map(key.__add__, map(encode_text, column)))  # an id: each text once anyway
        cache = self.caches[index]
        new = set(column).difference(cache)  # the order values are encoded in changes nothing
        if new:
            cache.update((v, key + (encode_text(v) if isinstance(v, str) else encode(json_cell(v)))) for v in new)
        return list(map(cache.__getitem__, column))

    def rows(self, columns: Sequence[Sequence[object]], leave_out: Iterable[str] = ()) -> list[str]:
        """Rows (given as columns) as the members of compact JSON objects, without the braces and
        the empty fields (nor the columns left out): "{" + line + "}" is the row as encode() writes it."""
        skip = {self.fields.index(f) for f in self.fields if f.name in leave_out}
        cells = [self.column(i, column) for i, column in enumerate(columns) if i not in skip]
        return list(map(",".join, map(filter, repeat(None), zip(*cells))))


def json_texts(table: DataTable, leave_out: Iterable[str] = ()) -> list[str]:
    """Every row of the table as a JSON object (json_cell values, empty fields left out, as
    encode() writes it), without the columns left out."""
    members = Members(table)
    return ["{" + line + "}" for columns in table.chunks() for line in members.rows(columns, leave_out)]


def write_json_table(table: DataTable, out: BinaryIO, group_by: str | None = None) -> dict[object, list[tuple[int, int]]]:
    """Write the table into `out` (from its start) as a list of objects, one a line, streamed;
    return, if asked, where the rows of each value of the group_by column lie in the file (byte
    offset and length), so the API can reuse them without encoding them again."""
    group = table.names.index(group_by) if group_by else None
    members = Members(table)
    spans: dict[object, list[tuple[int, int]]] = {}
    out.write(b"[")
    offset, separator = 1, b"\n"
    for columns in table.chunks():
        lines = members.rows(columns)
        if group is None:
            blocks: Iterable[tuple[object, list[str]]] = [(None, lines)]
        else:
            blocks = ((value, [line for _, line in run]) for value, run in groupby(zip(columns[group], lines), key=itemgetter(0)))
        written = []
        for value, block in blocks:
            data = ("{" + "},\n{".join(block) + "}").encode("utf-8")
            offset += len(separator)
            if group is not None:
                spans.setdefault(value, []).append((offset, len(data)))
            written += [separator, data]
            offset += len(data)
            separator = b",\n"
        out.write(b"".join(written))  # one write (and one hash update) a slice
    out.write(b"\n]\n" if offset > 1 else b"]\n")
    return spans


def write_json_file(document: object, path: Path, *, indent: int | None = None) -> None:
    """Write a JSON document, byte-for-byte the same for the same input; compact unless told."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = encode(document) if indent is None else json.dumps(document, ensure_ascii=False, indent=indent)
    path.write_text(text + "\n", encoding="utf-8")
