"""CSV downloads: UTF-8 with a BOM (so Excel reads Cyrillic), comma separated, one file per table."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from generator.downloads.tables import DataTable, text_cell

BOM = "\ufeff"


def write_csv(table: DataTable, path: Path) -> None:
    """Write the table with a header of column names; formulas neutralised, ISO dates, dot decimals."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180 line ends
    writer.writerow([f.name for f in table.fields])
    for row in table.rows:
        writer.writerow([text_cell(row[f.name]) for f in table.fields])
    path.write_bytes((BOM + buffer.getvalue()).encode("utf-8"))
