"""Read XLSX exports: the first sheet, cells with their types (dates stay dates).

python-calamine (Rust) reads a sheet about ten times faster than openpyxl; its cells are
brought to what openpyxl gives (whole numbers as int, "117204.00" as float, dates as
datetime, "" as None), so the rest of the build sees the same values whichever reader ran.
openpyxl still reads what calamine cannot or would read differently: a damaged workbook
(its error is the one the webmaster is shown), error cells such as #N/A (calamine drops
their text), numbers past a float's precision, a first sheet that is not a worksheet.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

from openpyxl import load_workbook

from generator.read.csv_files import clean_cell, grid_stream
from generator.read.table import RawStream, RawTable, ReadError

try:
    from python_calamine import CalamineWorkbook, SheetTypeEnum
except ImportError:  # pragma: no cover - the pinned requirements have it; openpyxl alone still reads every file
    CalamineWorkbook = None

RESAVE_HINT = "Отворете файла в Excel и го запишете отново като „Работна книга на Excel (*.xlsx)“."

# A float holds every whole number below 10^15 exactly; a bigger one may be an identifier
# written in full digits, which only openpyxl reads exactly.
_WHOLE_LIMIT = 1e15
_ERROR_CELL = b't="e"'
# A number written with a point or an exponent that may be whole: "117204.00", "1.5E3".
_WHOLE_FLOAT = rb">\s*([+-]?[0-9]*\.0*(?:[eE][+-]?[0-9]+)?|[+-]?[0-9]+(?:\.[0-9]*)?[eE][+-]?[0-9]+)\s*</"
_WHOLE_FLOAT_VALUE = re.compile(rb"<v" + _WHOLE_FLOAT)  # a literal start: searched three times faster
_WHOLE_FLOAT_PREFIXED_VALUE = re.compile(rb"<(?:\w+:)?v" + _WHOLE_FLOAT)  # for XML whose tags carry a namespace prefix
_CELL_START = re.compile(rb"<(?:\w+:)?c(\s[^>]*)?>")
_ATTRIBUTE = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_REFERENCE = re.compile(rb"([A-Z]{1,3})([0-9]+)")
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class _NeedsOpenpyxl(Exception):
    """A cell calamine cannot give as openpyxl does: the whole file is read by openpyxl."""


def read_xlsx(path: Path) -> RawTable:
    """Read the first sheet of an XLSX export; raise ReadError if it is not a readable workbook."""
    return open_xlsx(path).table()


def open_xlsx(path: Path) -> RawStream:
    """Read the first sheet of an XLSX export and stream its rows; raise ReadError if it is not a readable workbook."""
    grid = _calamine_grid(path)
    if grid is None:
        grid = _openpyxl_grid(path)
    return grid_stream(path, "xlsx", grid)


def _calamine_grid(path: Path) -> Iterator[tuple[int, list[object]]] | None:
    """The first sheet's rows by calamine, or None where openpyxl must read the file."""
    if CalamineWorkbook is None:
        return None
    try:
        floats = _whole_floats(path)
        if floats is None:
            return None
        workbook = CalamineWorkbook.from_path(str(path))
        try:
            index = next((i for i, sheet in enumerate(workbook.sheets_metadata) if sheet.typ == SheetTypeEnum.WorkSheet), None)
            if index != 0:
                return None
            rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
        finally:
            workbook.close()
        return iter(_calamine_rows(rows, floats))
    except Exception:  # noqa: BLE001 - any failure: openpyxl reads the file again and words its error
        return None


def _whole_floats(path: Path) -> set[tuple[int, int]] | None:
    """(row, column), 0-based, of the number cells written with a point or exponent but whole ("117204.00").

    openpyxl reads them as float and plain digits as int, and an amount keeps the difference
    (Decimal 117204.0 and 117204); calamine reads every number as float, so these few cells
    are found in the sheet's XML. None where openpyxl must read the file: an error cell, or
    such a cell that cannot be placed.
    """
    with zipfile.ZipFile(path) as archive:
        part = _first_sheet_part(archive)
        if part is None:
            return None
        xml = archive.read(part)
    if _ERROR_CELL in xml:
        return None
    places: set[tuple[int, int]] = set()
    values = _WHOLE_FLOAT_PREFIXED_VALUE if b":v>" in xml else _WHOLE_FLOAT_VALUE
    for match in values.finditer(xml):
        if not float(match.group(1)).is_integer():
            continue
        starts = list(_CELL_START.finditer(xml, max(0, match.start() - 400), match.start()))
        # Between the cell's start and its value only a formula may stand.
        between = xml[starts[-1].end() : match.start()] if starts else b"<"
        if b"<" in re.sub(rb"<(?:\w+:)?f[\s>].*?</(?:\w+:)?f>|<(?:\w+:)?f[^>]*/>", b"", between, flags=re.S):
            return None
        attributes = dict(_ATTRIBUTE.findall(starts[-1].group(1) or b""))
        if attributes.get(b"t", b"n") != b"n":
            continue  # text that looks like a number stays text in both readers
        place = _REFERENCE.fullmatch(attributes.get(b"r", b""))
        if place is None:
            return None
        letters, digits = place.groups()
        column = 0
        for letter in letters:
            column = column * 26 + letter - 64
        places.add((int(digits) - 1, column - 1))
    return places


def _first_sheet_part(archive: zipfile.ZipFile) -> str | None:
    """The archive member of the workbook's first sheet, by workbook.xml and its relations."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    sheet = workbook.find(f"{{{_MAIN_NS}}}sheets/{{{_MAIN_NS}}}sheet")
    if sheet is None:
        return None
    relation = sheet.get(f"{{{_REL_NS}}}id")
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next((r.get("Target") for r in relations if r.get("Id") == relation), None)
    if not target:
        return None
    part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return part if part in archive.NameToInfo else None


def _calamine_rows(rows: list[list[object]], floats: set[tuple[int, int]]) -> list[tuple[int, list[object]]]:
    """The grid as openpyxl reads it; converted whole, so a cell only openpyxl reads is found before any row is used."""
    grid = []
    for index, cells in enumerate(rows):
        rows[index] = None  # type: ignore[call-overload]  # each sheet row is freed once converted
        grid.append((index + 1, [_as_openpyxl(value) for value in cells]))
    for row, column in floats:
        if row < len(grid) and column < len(grid[row][1]) and type(grid[row][1][column]) is int:
            grid[row][1][column] = float(grid[row][1][column])  # type: ignore[arg-type]
    return grid


def _as_openpyxl(value: object) -> object:
    """A calamine cell as openpyxl gives it, cleaned as every grid cell is."""
    kind = type(value)
    if kind is str:
        return value.strip() or None  # type: ignore[attr-defined]
    if kind is float:
        if value.is_integer():  # type: ignore[attr-defined]
            if not -_WHOLE_LIMIT < value < _WHOLE_LIMIT:  # type: ignore[operator]
                raise _NeedsOpenpyxl
            return int(value)  # type: ignore[call-overload]
        return value
    if kind is dt.date:  # openpyxl reads every date cell as a datetime
        return dt.datetime(value.year, value.month, value.day)  # type: ignore[attr-defined]
    return value


def _openpyxl_grid(path: Path) -> Iterator[tuple[int, list[object]]]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl and zipfile raise many types for a damaged file; all mean "unreadable"
        raise ReadError(f"Файлът не може да бъде отворен като таблица на Excel (XLSX): {_reason(error)}.", RESAVE_HINT) from error
    try:
        # Read whole here, so that a truncated archive is refused before any row is validated.
        return iter(_read_first_sheet(workbook))
    except ReadError:
        raise
    except Exception as error:  # a truncated archive fails only while the rows are streamed
        raise ReadError(f"Таблицата на Excel е повредена и не може да бъде прочетена докрай: {_reason(error)}.", RESAVE_HINT) from error
    finally:
        workbook.close()


def _read_first_sheet(workbook: object) -> list[tuple[int, list[object]]]:
    if not workbook.worksheets:  # type: ignore[attr-defined]
        raise ReadError("Файлът на Excel няма нито един лист.", RESAVE_HINT)
    sheet = workbook.worksheets[0]  # type: ignore[attr-defined]
    # Exporters often write a wrong <dimension>; without it every row is read as stored.
    sheet.reset_dimensions()
    return [
        (number, [clean_cell(value) for value in values])
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
    ]


def _reason(error: Exception) -> str:
    return str(error) or type(error).__name__
