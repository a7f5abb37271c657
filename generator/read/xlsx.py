"""Read XLSX exports: the first sheet, cells with their types (dates stay dates)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from generator.read.csv_files import build_table, clean_cell
from generator.read.table import RawTable, ReadError

RESAVE_HINT = "Отворете файла в Excel и го запишете отново като „Работна книга на Excel (*.xlsx)“."


def read_xlsx(path: Path) -> RawTable:
    """Read the first sheet of an XLSX export; raise ReadError if it is not a readable workbook."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl and zipfile raise many types for a damaged file; all mean "unreadable"
        raise ReadError(f"Файлът не може да бъде отворен като таблица на Excel (XLSX): {_reason(error)}.", RESAVE_HINT) from error
    try:
        return _read_first_sheet(path, workbook)
    except ReadError:
        raise
    except Exception as error:  # a truncated archive fails only while the rows are streamed
        raise ReadError(f"Таблицата на Excel е повредена и не може да бъде прочетена докрай: {_reason(error)}.", RESAVE_HINT) from error
    finally:
        workbook.close()


def _read_first_sheet(path: Path, workbook: object) -> RawTable:
    if not workbook.worksheets:  # type: ignore[attr-defined]
        raise ReadError("Файлът на Excel няма нито един лист.", RESAVE_HINT)
    sheet = workbook.worksheets[0]  # type: ignore[attr-defined]
    # Exporters often write a wrong <dimension>; without it every row is read as stored.
    sheet.reset_dimensions()
    numbered = (
        (number, [clean_cell(value) for value in values])
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
    )
    return build_table(path, "xlsx", numbered)


def _reason(error: Exception) -> str:
    return str(error) or type(error).__name__
