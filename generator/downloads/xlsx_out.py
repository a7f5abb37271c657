"""XLSX downloads: one workbook per register, a sheet per table, typed cells, reproducible bytes.

The sheets are streamed as SpreadsheetML text rather than built with openpyxl's cell objects:
a national declarations register has some 700,000 item rows (about ten million cells), which
openpyxl writes at some 15 µs a cell, two and a half minutes for one file. The package around
the sheets is the minimal one Excel, LibreOffice and openpyxl open; the tests read every
workbook back with openpyxl and validate it with frictionless.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from generator.downloads.tables import DataTable, neutralise

CREATOR = "Инспекторат към Висшия съдебен съвет"
EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's 1900 date system (it counts a phantom 29.02.1900)
STYLE_DATE, STYLE_AMOUNT = 1, 2  # indexes into cellXfs of the styles part below
# What XML 1.0 cannot hold at all; a pasted control character would make the file unreadable.
_NOT_XML = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{_MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text_cell(ref: str, text: str) -> str:
    # openpyxl and Excel would run "=..." as a formula; XML cannot hold control characters.
    clean = neutralise(_NOT_XML.sub("", text))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(clean)}</t></is></c>'


def _cell(ref: str, value: object) -> str:
    """One typed cell: text, a number, a date (a serial number shown as a date) or true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{STYLE_DATE}"><v>{(value - EXCEL_EPOCH).days}</v></c>'
    if isinstance(value, Decimal):
        return f'<c r="{ref}" s="{STYLE_AMOUNT}"><v>{format(value, "f")}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return _text_cell(ref, str(value))


def _sheet_xml(table: DataTable) -> Iterator[str]:
    """The worksheet, header row frozen, streamed row by row."""
    letters = [column_letter(i) for i in range(len(table.fields))]
    names = [f.name for f in table.fields]
    yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
    # Readers (openpyxl's read-only mode among them) size every row by the dimension: without it a
    # row whose last cells are empty comes out short.
    yield f'<dimension ref="A1:{letters[-1]}{len(table.rows) + 1}"/>'
    yield '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
    yield "<sheetData>"
    yield '<row r="1">' + "".join(_text_cell(f"{letter}1", name) for letter, name in zip(letters, names)) + "</row>"
    for number, row in enumerate(table.rows, start=2):
        yield f'<row r="{number}">' + "".join(_cell(f"{letter}{number}", row[name]) for letter, name in zip(letters, names)) + "</row>"
    yield "</sheetData></worksheet>"


def _package_parts(tables: list[DataTable], as_of: dt.date) -> dict[str, str]:
    """Everything but the sheets: content types, relationships, workbook, styles, properties."""
    count = len(tables)
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, count + 1))
    moment = f"{as_of.isoformat()}T00:00:00Z"
    return {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f'{sheets}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG_REL}">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>',
        "docProps/core.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:creator>{escape(CREATOR)}</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{moment}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{moment}</dcterms:modified></cp:coreProperties>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
        + "".join(f"<sheet name={quoteattr(t.name)} sheetId=\"{i}\" r:id=\"rId{i}\"/>" for i, t in enumerate(tables, start=1))
        + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG_REL}">'
        + "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, count + 1))
        + f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": _STYLES,
    }


def write_xlsx(tables: list[DataTable], path: Path, as_of: dt.date) -> None:
    """Write the tables of one register as sheets named after them; dates are dates, amounts numbers."""
    stamp = (as_of.year, as_of.month, as_of.day, 0, 0, 0)  # every zip member dated by the build date

    def member(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return info

    with zipfile.ZipFile(path, "w") as archive:
        for name, text in _package_parts(tables, as_of).items():
            archive.writestr(member(name), text.encode("utf-8"))
        for index, table in enumerate(tables, start=1):
            with archive.open(member(f"xl/worksheets/sheet{index}.xml"), "w") as sheet, io.TextIOWrapper(sheet, encoding="utf-8", newline="") as text:
                for chunk in _sheet_xml(table):
                    text.write(chunk)
