"""XLSX downloads: one workbook per register, a sheet per table, typed cells, reproducible bytes.

The sheets are streamed as SpreadsheetML text rather than built with openpyxl's cell objects:
a national declarations register has some 700,000 item rows (about ten million cells), which
openpyxl writes at some 15 µs a cell, two and a half minutes for one file. The package around
the sheets is the minimal one Excel, LibreOffice and openpyxl open; the tests read every
workbook back with openpyxl and validate it with frictionless.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import compress, repeat
from operator import is_not, itemgetter
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from generator.downloads.tables import FORMULA_START, DataTable, neutralise

CREATOR = "Инспекторат към Висшия съдебен съвет"
EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's 1900 date system (it counts a phantom 29.02.1900)
STYLE_DATE, STYLE_AMOUNT = 1, 2
COMPRESS_LEVEL = 1  # indexes into cellXfs of the styles part below
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


class SharedStrings:
    """The workbook's table of texts: each distinct text once, its cells point at it by number,
    numbered as first met, so the same tables give the same file."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.count = 0  # text cells, which the part declares besides the distinct texts

    def cells(self, texts: Sequence[str]) -> Iterable[str]:
        """The cells of distinct texts, in the order met; a text's number is final the first time
        it is met. Texts new to the workbook (nearly always all of them) are numbered at C speed."""
        index = self.index
        if index.keys().isdisjoint(texts):
            start = len(index)
            index.update(zip(texts, range(start, start + len(texts))))
            numbers: Iterable[int] = range(start, start + len(texts))
        else:
            numbers = [index.setdefault(text, len(index)) for text in texts]
        return map(_SHARED_CELL, numbers)

    def xml(self) -> Iterator[str]:
        """sharedStrings.xml, streamed."""
        yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_MAIN}" count="{self.count}" uniqueCount="{len(self.index)}">'
        texts = list(self.index)
        for start in range(0, len(texts), 10_000):  # a zip write per text would cost more than the text
            yield _shared_texts(texts[start : start + 10_000])
        yield "</sst>"


_SHARED_CELL = '<c t="s"><v>{}</v></c>'.format
_NOT_XML_BUT_NUL = re.compile(r"[^\x00\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_FORMULA_OR_SPACE = re.compile(r"[\s" + re.escape("".join(FORMULA_START)) + "]")
_SPACE = re.compile(r"\s")
_FIRST, _LAST = itemgetter(slice(0, 1)), itemgetter(slice(-1, None))


def _shared_texts(texts: list[str]) -> str:
    """The <si> elements of texts, as _shared_text makes each. Texts are nearly always plain (no
    character XML forbids, none starting as a formula, none starting or ending with a space, which
    needs xml:space): those are escaped at once, joined by NUL, which a plain text never holds."""
    joined = "\x00".join(texts)
    plain = (
        joined.count("\x00") == len(texts) - 1
        and not _NOT_XML_BUT_NUL.search(joined)
        and not _FORMULA_OR_SPACE.search("".join(map(_FIRST, texts)))
        and not _SPACE.search("".join(map(_LAST, texts)))
    )
    if not plain:
        return "".join([_shared_text(text) for text in texts])
    return "<si><t>" + escape(joined).replace("\x00", "</t></si><si><t>") + "</t></si>" if texts else ""


def _shared_text(text: str) -> str:
    clean = neutralise(_NOT_XML.sub("", text))
    space = ' xml:space="preserve"' if clean[:1].isspace() or clean[-1:].isspace() else ""
    return f"<si><t{space}>{escape(clean)}</t></si>"


def _cell(value: object) -> str:
    """One typed cell without a text: a number, a date (a serial number shown as a date) or true/false.

    No cell carries its reference (r="B7"): cells follow one another, an empty one as <c/>,
    which every reader places by position; the references made up a third of the sheet.
    """
    if value is None:
        return "<c/>"
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.date):
        return f'<c s="{STYLE_DATE}"><v>{(value - EXCEL_EPOCH).days}</v></c>'
    if isinstance(value, Decimal):
        return f'<c s="{STYLE_AMOUNT}"><v>{format(value, "f")}</v></c>'
    if isinstance(value, int):
        return f"<c><v>{value}</v></c>"
    raise TypeError(value)


_AMOUNT_CELL = f'<c s="{STYLE_AMOUNT}"><v>'


def _amount_cells(column: Sequence[object]) -> list[str]:
    """Amounts as written, with a dot before the decimals, as number cells: made for the whole
    column at once, joined by NUL (which no number holds)."""
    present = list(compress(column, map(is_not, column, repeat(None))))
    if not present:
        return ["<c/>"] * len(column)
    cells = (_AMOUNT_CELL + "\x00".join(map(format, present, repeat("f"))).replace("\x00", "</v></c>\x00" + _AMOUNT_CELL) + "</v></c>").split("\x00")
    if len(present) == len(column):
        return cells
    found = iter(cells)
    return ["<c/>" if v is None else next(found) for v in column]


def _cells(column: tuple[object, ...], kind: type, strings: SharedStrings, cache: dict[object, str] | None) -> list[str]:
    """A column's cells. Each distinct value is made into a cell once, in the order first met (which
    numbers the shared texts); then the column is looked up at C speed. That keeps a national items
    sheet (ten million cells, most columns a few hundred distinct values) fast. A column of ids
    (cache None: every text another) goes straight to the shared texts."""
    if kind is Decimal:  # 1.0 and 1.00 are equal keys but differ as text: no cache
        return _amount_cells(column)
    if issubclass(kind, str):
        strings.count += len(column) - column.count(None)
        if cache is None and None not in column and len(set(column)) == len(column):
            return list(strings.cells(column))
    cache = {} if cache is None else cache
    new = [value for value in dict.fromkeys(column) if value not in cache]
    texts = [value for value in new if isinstance(value, str)]
    cache.update(zip(texts, strings.cells(texts)))
    if len(texts) < len(new):
        cache.update((value, _cell(value)) for value in new if not isinstance(value, str))
    return list(map(cache.__getitem__, column))


def _sheet_xml(table: DataTable, strings: SharedStrings) -> Iterator[str]:
    """The worksheet, header row frozen, streamed a slice of rows at a time."""
    letters = column_letter(len(table.fields) - 1)
    yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
    # Readers (openpyxl's read-only mode among them) size every row by the dimension: without it a
    # row whose last cells are empty comes out short.
    yield f'<dimension ref="A1:{letters}{len(table.values) + 1}"/>'
    yield '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
    yield "<sheetData>"
    yield '<row r="1">' + "".join(_text_cell(f"{column_letter(i)}1", f.name) for i, f in enumerate(table.fields)) + "</row>"
    # A column of ids (the table's own key) has no cache: every one of its texts is another.
    ids = table.primary_key[0] if len(table.primary_key) == 1 else None
    caches: list[dict[object, str] | None] = [None if f.name == ids else {} for f in table.fields]
    for columns in table.chunks():
        cells = [_cells(column, f.type, strings, cache) for column, f, cache in zip(columns, table.fields, caches)]
        yield "<row>" + "</row><row>".join(map("".join, zip(*cells))) + "</row>"
        del cells
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
        f'{sheets}<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
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
        + f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        + f'<Relationship Id="rId{count + 2}" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/styles.xml": _STYLES,
    }


def write_xlsx(tables: list[DataTable], path: Path, as_of: dt.date) -> None:
    """Write the tables of one register as sheets named after them; dates are dates, amounts numbers."""
    stamp = (as_of.year, as_of.month, as_of.day, 0, 0, 0)  # every zip member dated by the build date

    def member(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        # Level 1: the sheets are the same few tags over and over, which even the fastest level
        # packs well; the default level takes three times as long for a tenth fewer bytes.
        info._compresslevel = COMPRESS_LEVEL  # type: ignore[attr-defined]
        info.external_attr = 0o644 << 16
        return info

    def stream(archive: zipfile.ZipFile, name: str, chunks: Iterator[str]) -> None:
        with archive.open(member(name), "w") as part:
            for chunk in chunks:
                part.write(chunk.encode("utf-8"))

    strings = SharedStrings()
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in _package_parts(tables, as_of).items():
            archive.writestr(member(name), text.encode("utf-8"))
        for index, table in enumerate(tables, start=1):
            stream(archive, f"xl/worksheets/sheet{index}.xml", _sheet_xml(table, strings))
        # Last: its texts are known only once every sheet is written.
        stream(archive, "xl/sharedStrings.xml", strings.xml())
