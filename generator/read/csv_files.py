"""Read CSV exports: UTF-8 (with or without BOM) or Windows-1251, comma or semicolon."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from generator.read.table import RawStream, RawTable, ReadError, normalise_header
from generator.report import Problem

DELIMITERS = ";,"
MAX_FIELD_CHARS = 16 * 1024 * 1024
SNIFF_SAMPLE_CHARS = 16_384  # the sniffer's regexes are slow on big samples; the first lines tell enough
SAVE_AS_CSV_HINT = "Отворете файла в Excel и го запишете отново чрез „Запиши като“ → „CSV UTF-8 (разделен със запетаи)“."

# C0 control characters never appear in a real export; their presence means a binary file.
_BINARY_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def read_csv(path: Path) -> RawTable:
    """Read a CSV export into a RawTable; raise ReadError if it is not a readable CSV file."""
    return open_csv(path).table()


def open_csv(path: Path) -> RawStream:
    """Parse a CSV export and stream its rows; raise ReadError if it is not a readable CSV file."""
    text, encoding = decode_csv_bytes(_read_bytes(path))
    delimiter = detect_delimiter(text)
    records = parse_records(text, delimiter)
    del text
    stream = grid_stream(path, "csv", _cleaned_records(records))
    stream.encoding = encoding
    stream.delimiter = delimiter
    return stream


def _cleaned_records(records: list[list[str]]) -> Iterator[tuple[int, list[str | None]]]:
    for index, cells in enumerate(records):
        records[index] = None  # type: ignore[call-overload]  # each parsed line is freed once it is a row
        # Every CSV cell is text: clean_cell() inlined, as it runs once per cell (millions at national scale);
        # most cells of an items file are empty, and those need no strip().
        yield index + 1, [(c.strip() or None) if c else None for c in cells]


def parse_records(text: str, delimiter: str) -> list[list[str]]:
    """Split CSV text into records; a quote left open is a ReadError naming the row where it opens."""
    # Long opinion texts can exceed the stdlib's 128 KiB per field; raising the limit is harmless.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_CHARS))
    strict = _strict_records(text, delimiter)
    if strict is not None:
        return strict  # what the lenient reader gives too, for a file the strict one accepts: no second pass
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"'))
    except csv.Error as error:
        raise ReadError(f"Файлът не може да бъде разчетен като CSV ({error}).", SAVE_AS_CSV_HINT) from error


def _strict_records(text: str, delimiter: str) -> list[list[str]] | None:
    """The records by the strict reader, or None where it complains of something the lenient reader handles well.

    The lenient reader would swallow the rest of the file into one cell after an unclosed quote,
    so that one complaint is a ReadError.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=True)
    records: list[list[str]] = []
    try:
        for cells in reader:
            records.append(cells)
    except csv.Error as error:
        if "end of data" in str(error):
            raise ReadError(
                f"На ред {len(records) + 1} има кавичка (\"), която не е затворена до края на файла.",
                "Затворете кавичката или я махнете; ако стойност съдържа кавички, оградете цялата стойност в кавички и удвоете вътрешните (\"\").",
            ) from error
        return None  # a stray quote inside a value, say: the lenient reader reads the file
    return records


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ReadError(f"Файлът не може да бъде отворен ({error.strerror}).", "Проверете дали файлът съществува и не е отворен в друга програма.") from error


def decode_csv_bytes(data: bytes) -> tuple[str, str]:
    """Decode as UTF-8 with BOM, UTF-8 or Windows-1251, in that order; return (text, encoding)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError("Файлът е записан в кодировка UTF-16 („Unicode текст“), която не се чете.", SAVE_AS_CSV_HINT)
    if data.startswith(b"PK\x03\x04"):
        raise ReadError("Файлът е таблица на Excel (XLSX), а не CSV, въпреки разширението „.csv“.", "Преименувайте го с разширение „.xlsx“ или го запишете като CSV.")
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding = _decode(data, "utf-8-sig"), "utf-8-sig"
    else:
        # No statistical guessing: an all-capitals Cyrillic file would be taken for KOI8-R.
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = _decode(data, "cp1251"), "cp1251"
    if _BINARY_CHARS.search(text):
        raise ReadError("Файлът не е текстов CSV файл (съдържа двоични данни).", SAVE_AS_CSV_HINT)
    return text, encoding


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ReadError(
            f"Файлът не е в поддържана кодировка (UTF-8 или Windows-1251): непознат байт на позиция {error.start + 1}.",
            SAVE_AS_CSV_HINT,
        ) from error


def detect_delimiter(text: str) -> str:
    """Return ";" or "," as the separator: the stdlib sniffer, checked against the header line."""
    counts = _header_counts(text)
    try:
        sniffed = csv.Sniffer().sniff(text[:SNIFF_SAMPLE_CHARS], delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    other = {";": ",", ",": ";"}.get(sniffed or "")
    # The sniffer can be fooled by decimal commas in the data; a separator absent from the header is wrong.
    if sniffed in counts and (counts[sniffed] > 0 or counts[other] == 0):
        return sniffed
    return ";" if counts[";"] > counts[","] else ","


def _header_counts(text: str) -> dict[str, int]:
    """Count ; and , outside double quotes in the first non-empty line."""
    line = _first_filled_line(text)
    counts = {";": 0, ",": 0}
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char in counts and not quoted:
            counts[char] += 1
    return counts


def _first_filled_line(text: str) -> str:
    """The first line with more than spaces, as text.splitlines() would give it, without splitting a whole file."""
    size = 4096
    while True:
        lines = text[:size].splitlines()
        whole = size >= len(text)
        # The last line of a slice may be cut short: it counts only once the slice is the whole text.
        for line in lines if whole else lines[:-1]:
            if line.strip():
                return line
        if whole:
            return ""
        size *= 4


def clean_cell(value: object) -> object:
    """Strip text cells; an empty cell is None; other types pass unchanged."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def build_table(source: Path, fmt: str, numbered_rows: Iterable[tuple[int, Sequence[object]]]) -> RawTable:
    """Turn (row number, cleaned cells) of a grid (CSV or sheet) into a RawTable; first non-empty row is the header."""
    return grid_stream(source, fmt, numbered_rows).table()


def grid_stream(source: Path, fmt: str, numbered_rows: Iterable[tuple[int, Sequence[object]]]) -> RawStream:
    """Stream (row number, cleaned cells) of a grid (CSV or sheet) as rows; the first non-empty row, read now, is the header."""
    rows = iter(numbered_rows)
    header = next((cells for _, cells in rows if _is_filled(cells)), None)
    if header is None:
        return RawStream(source, fmt, [], iter(()))
    positions = _header_positions(header)
    stream = RawStream(source, fmt, [name for _, name in positions], iter(()))
    stream.rows = _grid_rows(rows, positions, stream.problems, source)
    return stream


def _grid_rows(
    rows: Iterator[tuple[int, Sequence[object]]], positions: list[tuple[int, str]], problems: list[Problem], source: Path
) -> Iterator[tuple[int, dict[str, object]]]:
    names = [name for _, name in positions]
    named = {i for i, _ in positions}
    # Only a row longer than the header, or one with a blank header cell above it, can hold stray cells.
    width = max(named) + 1 if named and len(named) == max(named) + 1 else -1
    padding = [None] * len(names)
    for number, cells in rows:
        if not _is_filled(cells):
            continue
        if width > 0:  # the header has no gap: zip, in C, pairs names and cells
            values = dict(zip(names, cells if len(cells) >= width else [*cells, *padding[len(cells) :]]))
        else:
            values = {name: (cells[i] if i < len(cells) else None) for i, name in positions}
        stray = _stray_cells(cells, named) if len(cells) > width else None
        if stray:
            problems.append(_stray_problem(source, number, stray))
        yield number, values


def _is_filled(cells: Sequence[object]) -> bool:
    return cells.count(None) != len(cells)


def _header_positions(header: Sequence[object]) -> list[tuple[int, str]]:
    """(index, normalised name) of each named column; blank header cells are not columns."""
    positions: list[tuple[int, str]] = []
    seen: dict[str, object] = {}
    for index, cell in enumerate(header):
        if cell is None:
            continue
        name = normalise_header(cell)
        if name in seen:
            raise ReadError(
                f"Колоната „{cell}“ се среща два пъти в заглавния ред.",
                "Оставете само една колона с това име (или преименувайте едната) и изнесете файла отново.",
            )
        seen[name] = cell
        positions.append((index, name))
    return positions


def _stray_cells(cells: Sequence[object], named: set[int]) -> list[int]:
    """Indexes of non-empty cells that stand under no header name."""
    return [i for i, c in enumerate(cells) if c is not None and i not in named]


def _stray_problem(source: Path, number: int, stray: list[int]) -> Problem:
    columns = ", ".join(_column_letter(i) for i in stray)
    return Problem(
        file=source.name,
        row=number,
        message=f"Редът има стойности в колони без заглавие ({columns}); те са пропуснати.",
        hint="Проверете дали в реда няма излишен разделител (; или ,) или добавете заглавие на колоната.",
        severity="note",
    )


def _column_letter(index: int) -> str:
    """Excel column name of a 0-based index (0 → A, 26 → AA), as the webmaster sees it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
