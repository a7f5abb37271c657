"""JSON downloads and API files: UTF-8, stable key order, the same values as the other formats."""

from __future__ import annotations

import json
from pathlib import Path

from generator.downloads.tables import DataTable


def write_json_file(document: object, path: Path, *, indent: int | None = None) -> None:
    """Write a JSON document, byte-for-byte the same for the same input.

    Compact unless told: indenting takes Python's slow encoder, and a national build writes
    thousands of API files.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=indent) + "\n", encoding="utf-8")


def write_json_table(table: DataTable, path: Path) -> None:
    """Write the table as a list of objects, one a line (a national table is too big to indent)."""
    lines = ",\n".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in table.json_rows)
    path.write_text(f"[\n{lines}\n]\n" if lines else "[]\n", encoding="utf-8")
