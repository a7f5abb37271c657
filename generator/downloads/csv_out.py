"""CSV downloads: UTF-8 with a BOM (so Excel reads Cyrillic), comma separated, one file per table."""

from __future__ import annotations

import csv
from pathlib import Path

from generator.downloads.tables import DataTable, csv_converter

BOM = "\ufeff"


def write_csv(table: DataTable, path: Path) -> None:
    """Write the table with a header of column names; formulas neutralised, ISO dates, dot decimals.

    Streamed a slice at a time, a column converted at once; the csv module writes the rest
    (an empty cell for None, digits for an integer) at C speed.
    """
    converters = [csv_converter(f.type) for f in table.fields]
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(BOM)
        writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180 line ends
        writer.writerow(table.names)
        for columns in table.chunks():
            writer.writerows(zip(*(convert(column) if convert else column for convert, column in zip(converters, columns))))
