"""The last gate before publishing: every byte of the built site is searched for personal data.

Two searches run over the text of every file:

(a) identifiers, with the redactor's own detectors (generator.redact.find_identifiers):
    an ЕГН, IBAN, phone number… that no template should ever print. Each distinct line is
    searched once per scan (pages repeat the theme's header and navigation), with its
    neighbours as context, and what it held is reported for every file that repeats it;
(b) every value of a private column seen in this build's inputs (PrivateValue), compared
    after normalisation: spaces, dashes, dots, slashes, commas, brackets, quotes and "№" removed
    and lower-cased on both sides, with HTML entities, JSON \\uXXXX escapes and %XX URL
    escapes decoded in the output first.

How a file's text is obtained: gzip (found by its magic bytes, as Pagefind's *.pf_* files
are) is decompressed; a zip (XLSX, DOCX, ZIP downloads) is read member by member; an SQLite
database is deserialised into memory (the file is never opened for writing) and every value
of every table is dumped, and its raw bytes are searched too (a deleted row may linger in a
free page where SQLite was built without secure_delete);
a PDF's Flate streams are inflated; anything else is decoded as UTF-8 with errors="replace".

Where (a) does not run: the theme's and Pagefind's code (JS, CSS, source maps, SVG, fonts,
WASM, everything under assets/) and the <svg>, <script> and <style> elements of HTML pages.
Minified code and SVG path data are long runs of digits; a few of them pass the ЕГН/ЛНЧ
or Luhn checksums by chance (measured on mkdocs-material's bundle and icon set), and PDF
cross-reference tables are runs of 10-digit offsets. Nor in Pagefind's word index and
metadata (*.pf_index, *.pf_meta, *.pf_filter): they hold single words without the label
beside them, so a 13-digit ЕИК there looks like a card number; the page text itself, with
its context, is in the *.pf_fragment files, which are searched. Those files are searched
for (b) only.

Which private values are skipped in (b), because they would match published text by
coincidence: values shorter than 5 characters once normalised, bare years ("2025",
"2025 г."), a bare town ("гр. Кюстендил"), words like "няма" or "true", and values listed
in `allowed` (a magistrate's name that is also a family member's, the Inspectorate's own
contacts). Values longer than 120 normalised characters are searched by their first 120.
A value is found only where it stands apart, as written: not preceded or followed by a
letter where it begins or ends with one, nor by a digit where it begins or ends with one
(a plate "А2392АК" is not in "за 2392 акции", "12345678" is not in "9123456789"). A value
of digits only under 9 digits long is not looked for in code and binary files, where such
numbers abound. A phone number is searched in all its writings (0…,
+359…, 00359…), a date as YYYYMMDD and DDMMYYYY.

With a cache file, a file whose bytes were found clean by the last scan with the same private
values, allowed values and scanner code is not searched again (a rebuild that changes 1 % of
the site rescans 1 %); a file with a leak is always searched.

How it is made fast (892 s for the 2.2 GB national site before): the files are searched by
one worker process per core (fork: the index is shared, not copied), largest first; the leaks
are sorted at the end, so the result does not depend on which worker searched what. The
private values are not compiled into a regex (45 s and 1.5 GB for 830,000 needles): a match
that stands apart begins and ends with whole runs of letters or digits, so the text is cut
into such runs and only the needles whose first five characters begin at a run are compared
(a dictionary lookup per run). Characters that no needle holds and no separator is, ":" "{"
"<" NUL and the like, end every match, so the text is cut there into stretches and each
distinct stretch (a JSON value with its key, a CSV line, a tag) is searched once per process.
Text files over 16 MB, SQLite dumps and raw bytes are searched in chunks of about 16 MB cut
at a newline (the chunk after repeats the last two lines, for context), after a tag where a
line is longer, or at NUL bytes, and zip members are read one at a time, to bound a
worker's memory.

Nothing here ever puts a raw private value into a Leak, an exception or a log: Leak.masked
goes through mask().
"""

from __future__ import annotations

import gzip
import hashlib
import html
import io
import json
import multiprocessing
import os
import re
import sqlite3
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import accumulate, groupby
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from generator.redact.identifiers import find_identifiers
from generator.report import Problem


@dataclass(frozen=True, slots=True)  # slots: a national build holds over a million of them
class PrivateValue:
    """A value of a private column seen in this build's inputs: where it came from."""

    value: str = field(repr=False)  # never in a repr, a traceback or a test report
    file: str
    row: int | None
    column: str


@dataclass(frozen=True)
class Leak:
    """Personal data found in the built site, described without the data itself."""

    output_file: str  # relative to the site folder, with "/"
    kind: str  # an identifier kind (a key of MARKERS), "private_value" or "unscannable"
    masked: str  # e.g. "ЕГН 75******10"
    source_file: str | None
    source_row: int | None
    source_column: str | None

    def describe(self) -> str:
        """The leak as one Bulgarian sentence for the webmaster."""
        if self.kind == "unscannable":
            return f"{self.output_file}: файлът не може да бъде прочетен и проверен за лични данни ({self.masked})."
        where = f"{self.output_file}: открити лични данни ({self.masked})"
        if self.source_file:
            where += f", идващи от {self.source_file}"
            if self.source_row is not None:
                where += f", ред {self.source_row}"
            if self.source_column:
                where += f", колона „{self.source_column}“"
        return where + "."

    def as_problem(self) -> Problem:
        """The leak as a build Problem: the site is not published."""
        hint = (
            "Сайтът не е публикуван. Проверете дали колоната не е попаднала в шаблон, изтегляне "
            "или свободен текст, и дали стойността не е вписана в публична колона."
        )
        return Problem(file=self.output_file, message=self.describe(), hint=hint)


# --- masking ---------------------------------------------------------------------------

_KIND_LABELS = {
    "egn": "ЕГН",
    "lnch": "ЛНЧ",
    "iban": "IBAN",
    "account": "сметка",
    "card": "карта",
    "id_card": "лична карта",
    "passport": "паспорт",
    "phone": "телефон",
    "email": "имейл",
    "address": "адрес",
    "cadastral": "кадастрален идентификатор",
    "plate": "рег. номер",
    "vin": "VIN",
    "birth_date": "дата на раждане",
    "name": "име",
}
# Private columns are named after what they hold ("owner_egn", "notice_address").
_COLUMN_HINTS = (
    ("egn", "ЕГН"),
    ("iban", "IBAN"),
    ("account", "сметка"),
    ("phone", "телефон"),
    ("email", "имейл"),
    ("address", "адрес"),
    ("cadastral", "кадастрален идентификатор"),
    ("plate", "рег. номер"),
    ("vin", "VIN"),
    ("birth", "дата на раждане"),
    ("name", "име"),
    ("contact", "контакт"),
    ("note", "бележка"),
    ("case", "номер на дело"),
)


def mask(value: str, kind: str) -> str:
    """A value made safe to print: "ЕГН 75******10"; values under 8 characters are all stars."""
    core = " ".join(value.split())
    hidden = "*" * len(core) if len(core) < 8 else core[:2] + "*" * (len(core) - 4) + core[-2:]
    return f"{_label(kind)} {hidden}"


def _label(kind: str) -> str:
    """A Bulgarian word for an identifier kind or a private column ("owner_egn" → "ЕГН")."""
    if kind in _KIND_LABELS:
        return _KIND_LABELS[kind]
    return next((label for hint, label in _COLUMN_HINTS if hint in kind.lower()), kind)


# --- normalisation ---------------------------------------------------------------------

# Separators: ASCII ones are deleted from the UTF-8 bytes (bytes.translate), the rarer others
# with a regex; one regex for all of them was ten times slower on minified code, full of spaces.
_ASCII_SEPARATORS = b" \t\n\r\f\v-./\\,()[]_'\""
_OTHER_SEPARATORS_RE = re.compile("[‐‑‒–—―„“”«»’№\u00ad\u00a0\u202f\u2009\u2002\u2003\u2007\u2028\u2029\u3000\x85]+")
# Character references are decoded a run at a time: an XLSX writer may spell every Cyrillic
# letter as "&#1072;", and one call per letter made decoding the slowest step of the scan.
_DECIMAL_REFS_RE = re.compile(r"&#\d{1,7};(?:&#\d{1,7};)*")
_HEX_REFS_RE = re.compile(r"&#[xX][0-9a-fA-F]{1,6};(?:&#[xX][0-9a-fA-F]{1,6};)*")
_NAMED_REF_RE = re.compile(r"&[A-Za-z][A-Za-z0-9]{1,31};")
_REF_NUMBER_RE = re.compile(r"#[xX]?([0-9a-fA-F]+);")
# Each opens with its literal so that re can skip ahead with a fast substring search.
_JSON_ESCAPES_RE = re.compile(r"\\u[0-9a-fA-F]{4}(?:\\u[0-9a-fA-F]{4})*")
_PERCENT_RE = re.compile(r"%[0-9A-Fa-f]{2}(?:%[0-9A-Fa-f]{2})*")


def normalise(text: str) -> str:
    """Lower case, without spaces, dashes, dots, slashes, commas, brackets, quotes and "№"."""
    text = text.lower()
    if not text.isascii():  # isascii() costs nothing; code and markup are often pure ASCII
        if not unicodedata.is_normalized("NFC", text):  # the check is fast, the normalisation is not
            text = unicodedata.normalize("NFC", text)
        text = _OTHER_SEPARATORS_RE.sub("", text)
    return text.encode("utf-8", "surrogatepass").translate(None, _ASCII_SEPARATORS).decode("utf-8", "surrogatepass")


def decode_escapes(text: str) -> str:
    """HTML entities, JSON \\uXXXX escapes and %XX URL escapes decoded, so "&#1048;" is "И"."""
    if "&" in text:  # only well-formed references: "&&" in code is left alone, and fast
        if "&#" in text:
            text = _DECIMAL_REFS_RE.sub(lambda m: _characters(m.group(), 10), text)
            text = _HEX_REFS_RE.sub(lambda m: _characters(m.group(), 16), text)
        text = _NAMED_REF_RE.sub(lambda m: html.unescape(m.group()), text)
    if "\\" in text:
        text = _JSON_ESCAPES_RE.sub(_json_unescape, text.replace("\\/", "/"))
    if "%" in text:
        text = _PERCENT_RE.sub(lambda m: unquote(m.group(), errors="replace"), text)
    return text


def _characters(references: str, base: int) -> str:
    """A run of character references decoded: "&#1048;&#1074;" → "Ив"."""
    return "".join(_character(int(number, base)) for number in _REF_NUMBER_RE.findall(references))


def _character(code: int) -> str:
    """The character of a code point; U+FFFD for one that does not exist, as browsers show."""
    try:
        return chr(code)
    except (ValueError, OverflowError):
        return "\ufffd"


def _json_unescape(match: re.Match[str]) -> str:
    """A run of \\uXXXX escapes, decoded together so surrogate pairs join."""
    try:
        return json.loads(f'"{match.group()}"')
    except ValueError:
        return match.group()


# --- private values ----------------------------------------------------------------------

MIN_NEEDLE = 5
MAX_NEEDLE = 120
_YEAR_RE = re.compile(r"(?:19|20)\d\d(?:г|година)?")
_TOWN_RE = re.compile(r"(?:гр|град|с|село)\.?\s*[^\W\d_]+(?:[\s\-][^\W\d_]+)?", re.IGNORECASE)
_GENERIC = frozenset({"true", "false", "none", "null", "няма", "неизвестен", "неизвестна", "неизвестно", "непосочен"})
_PHONE_RE = re.compile(r"(?:\+359|00359|0)([1-9]\d{7,8})")
_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_BG_DATE_RE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*г\.?)?")


def needles(value: str) -> set[str]:
    """The normalised forms of a private value that the output is searched for; empty if the
    value is too short or too generic to be told apart from published text."""
    stripped = value.strip()
    if _TOWN_RE.fullmatch(stripped):
        return set()
    normalised = normalise(stripped)
    forms = {normalised}
    if phone := _PHONE_RE.fullmatch(normalised):
        national = phone.group(1)  # the same number as 0888…, +359 88…, 00359 88…, +359 (0) 88…
        forms = {"0" + national, "359" + national, "3590" + national}
    if date := _ISO_DATE_RE.fullmatch(stripped) or _BG_DATE_RE.fullmatch(stripped):
        y, m, d = date.groups() if date.re is _ISO_DATE_RE else reversed(date.groups())
        forms = {f"{y}{int(m):02}{int(d):02}", f"{int(d):02}{int(m):02}{y}"}
    return {f[:MAX_NEEDLE] for f in forms if len(f) >= MIN_NEEDLE and not _YEAR_RE.fullmatch(f) and f not in _GENERIC}


class _PrivateIndex:
    """Every needle of this build's private values, found by lookups in dictionaries.

    A match that stands apart (see _stands_apart) begins and ends where a run of letters or of
    digits of the written text begins and ends, so the text is cut into such runs ("tokens")
    and only sequences of whole tokens are looked up: the first MIN_NEEDLE characters from
    each token on in a dictionary of needle beginnings, then the few needles that begin so.
    No regex over 800,000 needles is compiled (that took 45 s and 1.5 GB at national scale).
    """

    def __init__(self, values: Iterable[PrivateValue], allowed: set[str]) -> None:
        self.sources: dict[str, PrivateValue] = {}
        for pv in sorted(values, key=lambda v: (v.file, v.row if v.row is not None else -1, v.column)):
            for needle in needles(pv.value):
                if needle not in allowed:
                    self.sources.setdefault(needle, pv)
        by_key: dict[str, list[str]] = {}
        for needle in self.sources:
            by_key.setdefault(needle[:MIN_NEEDLE], []).append(needle)
        self._by_key = {key: tuple(sorted(group, key=len)) for key, group in by_key.items()}
        # Characters a needle may hold besides letters and digits ("@" of an e-mail): tokens too.
        specials = sorted({ch for needle in self.sources for ch in needle if not ch.isalnum()})
        special_class = "".join(re.escape(ch) for ch in specials)
        self._token_re = re.compile(r"[^\W\d_]+|\d+" + (f"|[{special_class}]" if specials else ""))
        # Anything else that is not a separator ends every match: the text is cut there into
        # stretches searched apart, and a stretch repeated (a JSON value, a CSV cell, a tag) is
        # searched once per scan.
        self._break_re = re.compile(f"[^\\w\\s{_SEPARATOR_CHARS}{special_class}]+")
        self._memo: dict[int, frozenset[str]] = {}

    def find(self, written: list[str], short_numbers: bool = True) -> set[str]:
        """The needles that occur in texts, each standing apart as written.

        With short_numbers=False, needles of under 9 digits are not looked for at all.
        """
        found: set[str] = set()
        if not self.sources:
            return found
        memo = self._memo
        if len(memo) > _MEMO_LIMIT:  # a bound on memory: 2.2 GB of output hold millions of stretches
            memo.clear()
        for text in written:
            for stretch in self._break_re.split(text):
                if len(stretch) < MIN_NEEDLE:
                    continue
                key = hash(stretch)
                hits = memo.get(key)
                if hits is None:
                    hits = self._search(stretch)
                    if len(stretch) <= _MEMO_MAX_STRETCH:
                        memo[key] = hits
                if hits:
                    found |= hits
        if not short_numbers:
            found = {n for n in found if not (n.isdigit() and len(n) < 9)}
        return found

    def _search(self, stretch: str) -> frozenset[str]:
        """The needles that stand apart in one stretch (no break character inside)."""
        tokens = self._token_re.findall(stretch.lower())
        if not tokens:
            return _NOTHING
        joined = "".join(tokens)
        if len(joined) < MIN_NEEDLE:
            return _NOTHING
        starts = [0, *accumulate(map(len, tokens[:-1]))]
        by_key = self._by_key
        candidates = set()
        for p in starts:
            group = by_key.get(joined[p : p + MIN_NEEDLE])
            if group is None:
                if joined.startswith("00359", p):  # "00" may stand before a phone's "359"
                    group = by_key.get(joined[p + 2 : p + 2 + MIN_NEEDLE])
                    p += 2
                if group is None:
                    continue
            for needle in group:
                if joined.startswith(needle, p):
                    candidates.add(needle)
        if not candidates:
            return _NOTHING
        normalised = normalise(stretch)
        return frozenset(n for n in candidates if n in normalised and _stands_apart(n, stretch))


# Between the characters of a needle as written (besides \s); a regex class's inside.
_SEPARATOR_CHARS = "\\-‐‑‒–—―./\\\\,()\\[\\]_'\"„“”«»’№\u00ad"
_SEPARATOR_CLASS = f"[\\s{_SEPARATOR_CHARS}]*"
_NOTHING: frozenset[str] = frozenset()
_MEMO_LIMIT = 2_000_000  # stretches remembered per process (≈ 250 MB)
_MEMO_MAX_STRETCH = 4096  # characters: a longer stretch is seldom repeated


@lru_cache(maxsize=4096)
def _written_pattern(needle: str) -> re.Pattern[str]:
    """The needle as it may be written: any separators between its characters, any case."""
    return re.compile(_SEPARATOR_CLASS.join(re.escape(ch) for ch in needle), re.IGNORECASE)


# Between the digits of a number, "." and "," are decimal marks: "198809.24" (an amount) is not
# the birth date 1988-09-24 nor an account number, however its digits line up.
_DIGIT_SEPARATOR_CLASS = "[\\s\\-‐‑‒–—―/\\\\()\\[\\]_'\"„“”«»’№\u00ad]*"
_DATE_SEPARATOR = r"(?:\s*[-./]\s*|\s+)"


@lru_cache(maxsize=4096)
def _digits_pattern(needle: str) -> re.Pattern[str]:
    """An all-digit needle as it may be written: any number with spaces, dashes or slashes
    but no decimal mark; an 8-digit one also as a date, one separator between all its parts."""
    forms = [_DIGIT_SEPARATOR_CLASS.join(needle)]
    if len(needle) == 8:
        n = needle
        forms.append(f"{n[:4]}(?P<iso>{_DATE_SEPARATOR})0?{int(n[4:6])}(?P=iso)0?{int(n[6:])}")  # 1988-09-24
        forms.append(f"0?{int(n[:2])}(?P<bg>{_DATE_SEPARATOR})0?{int(n[2:4])}(?P=bg){n[4:]}")  # 24.09.1988
    return re.compile("|".join(f"(?:{form})" for form in forms))


def _stands_apart(needle: str, text: str) -> bool:
    """Whether the needle is written in text without running into a longer word or number:
    the characters around it are not letters where it begins or ends with a letter, nor
    digits where it begins or ends with a digit ("00" may stand before a phone's "359")."""
    pattern = _digits_pattern(needle) if needle.isdigit() else _written_pattern(needle)
    for m in pattern.finditer(text):
        start, end = m.start(), m.end()
        if needle.startswith("359") and text[max(0, start - 2) : start] == "00":
            start -= 2
        if not (_same_kind(text, start - 1, needle[0]) or _same_kind(text, end, needle[-1])):
            return True
    return False


def _same_kind(text: str, i: int, ch: str) -> bool:
    """Whether text[i] exists and is a letter like ch is, or a digit like ch is."""
    if not 0 <= i < len(text):
        return False
    return (ch.isdigit() and text[i].isdigit()) or (ch.isalpha() and text[i].isalpha())


# --- text of every file --------------------------------------------------------------------

_IDENTIFIER_SUFFIXES = frozenset(
    ".html .htm .xhtml .xml .atom .rss .json .geojson .csv .tsv .txt .md .yaml .yml .rels .ics .vcf "
    ".pf_fragment".split()
)
# Inline icons, scripts and styles of a page: searched for private values only (see above).
_CODE_RE = re.compile(r"<(svg|script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^<>]*>")
_PDF_STREAM_RE = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
_MAX_DEPTH = 3


@dataclass(frozen=True)
class _Part:
    """Some text of an output file, and whether identifier patterns are searched in it."""

    text: str
    identifiers: bool
    markup: bool = False  # HTML/XML: tags are set apart before the private-value search


class _Unscannable(Exception):
    """A file whose declared format could not be opened (the message names no data)."""


def _parts(name: str, data: bytes, depth: int = 0) -> Iterator[_Part]:
    """The text of one file (or archive member) in every form worth searching."""
    if depth > _MAX_DEPTH:
        raise _Unscannable(f"архиви, вложени на повече от {_MAX_DEPTH} нива")
    if data[:2] == b"\x1f\x8b":
        yield from _parts(name.removesuffix(".gz"), _gunzip(data), depth + 1)
    elif data[:4] == b"PK\x03\x04":
        yield from _zip_parts(data, depth)
    elif data[:16] == b"SQLite format 3\x00":
        for text in _sqlite_text(data):
            yield _Part(text, identifiers=True)
        for chunk in _chunks(data, b"\x00", 0):  # NUL ends every match: chunks cut there lose none
            yield _Part(chunk.decode("utf-8", "replace"), identifiers=False)
    elif data[:5] == b"%PDF-":
        yield _Part(data.decode("utf-8", "replace"), identifiers=False)
        for stream in _PDF_STREAM_RE.findall(data):
            yield _Part(_inflate(stream).decode("utf-8", "replace"), identifiers=False)
    else:
        identifiers, markup = _identifiers_apply(name), name.endswith((".html", ".htm", ".xml"))
        for chunk in _chunks(data, b"\n", _OVERLAP_LINES):
            yield _Part(chunk.decode("utf-8", "replace"), identifiers, markup)


_CHUNK = 16_000_000  # bytes: items.json (300 MB) whole would take 2-3 GB as text in one worker
_OVERLAP_LINES = 2  # lines repeated at the start of the next chunk: context across the cut


def _chunks(data: bytes, separator: bytes, overlap: int) -> Iterator[bytes]:
    """data in pieces of about _CHUNK bytes, each cut just after a separator (a newline never
    falls inside a UTF-8 character), each after the first starting with the last `overlap`
    lines of the one before so that a value or a label split by the cut is still seen whole."""
    start = 0
    while len(data) - start > _CHUNK:
        cut = data.rfind(separator, start + _CHUNK // 2, start + _CHUNK)
        if cut == -1:  # one long line (an XLSX sheet is 500 MB without one): cut after a tag
            cut = data.rfind(b">", start + _CHUNK // 2, start + _CHUNK)
            if cut == -1:
                break
        yield data[start : cut + 1]
        back = cut
        for _ in range(overlap):
            back = max(data.rfind(separator, start, back), start)
        start = back + 1 if overlap and back > start else cut + 1
    yield data[start:]


def _identifiers_apply(name: str) -> bool:
    """Whether identifier patterns are searched in a file: data and pages, not code (see above)."""
    parts = name.split("/")
    return "assets" not in parts[:-1] and os.path.splitext(parts[-1])[1].lower() in _IDENTIFIER_SUFFIXES


def _gunzip(data: bytes) -> bytes:
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as error:
        raise _Unscannable(f"повреден gzip: {type(error).__name__}") from None


def _zip_parts(data: bytes, depth: int) -> Iterator[_Part]:
    """The members of a zip one at a time (an XLSX sheet may be hundreds of MB unpacked)."""
    errors = (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError, RuntimeError)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [info for info in archive.infolist() if not info.is_dir()]
    except errors as error:
        raise _Unscannable(f"повреден zip: {type(error).__name__}") from None
    for info in infos:
        try:
            content = archive.read(info)
        except errors as error:
            raise _Unscannable(f"повреден zip: {type(error).__name__}") from None
        yield from _parts(info.filename, content, depth + 1)


def _sqlite_text(data: bytes) -> Iterator[str]:
    """Every value of every table of an SQLite database, one per line, in chunks of about
    _CHUNK characters (cut between rows: a whole dump of 200 MB would not fit a worker's memory)."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(data)
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        lines: list[str] = []
        size = 0
        for table in tables:
            quoted = '"' + table.replace('"', '""') + '"'
            for row in connection.execute(f"SELECT * FROM {quoted}"):
                cells = [_cell_text(cell) for cell in row if cell is not None]
                lines += cells
                size += sum(map(len, cells))
                if size > _CHUNK:
                    yield "\n".join(lines)
                    lines, size = lines[-_OVERLAP_LINES:], 0
        yield "\n".join(lines)
    except sqlite3.Error as error:
        raise _Unscannable(f"SQLite: {type(error).__name__}") from None
    finally:
        connection.close()


def _cell_text(cell: object) -> str:
    if isinstance(cell, bytes):
        return cell.decode("utf-8", "replace")
    return str(cell)


def _inflate(stream: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(stream, 50_000_000)
    except zlib.error:
        return b""  # not a Flate stream (images, fonts): its raw bytes were searched already


# --- the scan --------------------------------------------------------------------------------


def scan_site(
    site_dir: Path, private_values: Iterable[PrivateValue], allowed: Iterable[str] = (), cache: Path | None = None
) -> list[Leak]:
    """Every leak of personal data in the built site: identifiers and this build's private values.

    allowed: published values that look like personal data or equal a private value (the
    Inspectorate's own phone, e-mail and address; a magistrate who shares a family member's
    name); they are never reported.
    cache: a file (created if missing) that remembers the hashes of the files found clean; a
    file whose bytes are unchanged is not searched again, as long as the private values, the
    allowed values and the scanner's code are the same. It holds no data, only hashes.
    """
    allowed_norm = {normalise(a) for a in allowed}
    index = _PrivateIndex(private_values, allowed_norm)
    fingerprint = _fingerprint(index, allowed_norm)
    clean_before = _read_cache(cache, fingerprint) if cache else set()
    paths = list(_files(site_dir))
    names = [path.relative_to(site_dir).as_posix() for path in paths]
    sizes = [path.stat().st_size for path in paths]
    workers = min(os.cpu_count() or 1, _MAX_WORKERS)
    global _WORKER_STATE
    _WORKER_STATE = (index, allowed_norm, clean_before, _SeenLines())
    try:
        if workers > 1 and sum(sizes) >= _PARALLEL_FROM and "fork" in multiprocessing.get_all_start_methods():
            # Largest files first, so that the last ones to finish are small; fork shares the
            # index with the workers instead of pickling 800,000 needles.
            order = sorted(range(len(paths)), key=lambda i: (-sizes[i], i))
            context = multiprocessing.get_context("fork")
            with context.Pool(workers, maxtasksperchild=None) as pool:
                results = pool.imap_unordered(_scan_one, [(i, paths[i], names[i]) for i in order], chunksize=4)
                outcomes = dict(results)
        else:
            outcomes = dict(_scan_one((i, path, name)) for i, (path, name) in enumerate(zip(paths, names)))
    finally:
        _WORKER_STATE = None
    clean_now = {digest for digest, found in outcomes.values() if not found}
    leaks = [leak for _, found in outcomes.values() for leak in found]
    if cache:
        _write_cache(cache, fingerprint, clean_now)
    return sorted(leaks, key=lambda leak: (leak.output_file, leak.kind, leak.masked))


_MAX_WORKERS = 8
_PARALLEL_FROM = 50_000_000  # bytes of output: below, starting processes costs more than it saves
# What every worker needs, set before the fork (a global: fork copies it, pickling would not pay).
_WORKER_STATE: tuple[_PrivateIndex, set[str], set[str], _SeenLines] | None = None


def _scan_one(job: tuple[int, Path, str]) -> tuple[int, tuple[str, list[Leak]]]:
    """One file searched (unless the cache knows it clean): its index, hash and leaks."""
    i, path, name = job
    assert _WORKER_STATE is not None
    index, allowed, clean_before, seen = _WORKER_STATE
    data = path.read_bytes()
    digest = hashlib.blake2b(data, digest_size=20).hexdigest()
    if digest in clean_before:
        return i, (digest, [])
    return i, (digest, _scan_file(name, data, index, allowed, seen))


def _fingerprint(index: _PrivateIndex, allowed: set[str]) -> str:
    """What a clean verdict depends on besides the file: the needles, the allowed values and
    the code of the scan and of the detectors (any edit to them empties the cache)."""
    digest = hashlib.blake2b(digest_size=20)
    for source in (Path(__file__), Path(find_identifiers.__code__.co_filename)):
        digest.update(source.read_bytes())
    for text in sorted(index.sources) + ["\x00"] + sorted(allowed):
        digest.update(text.encode("utf-8", "surrogatepass") + b"\x00")
    return digest.hexdigest()


def _read_cache(cache: Path, fingerprint: str) -> set[str]:
    """The hashes of the files found clean last time, if that scan had the same fingerprint."""
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    if not isinstance(data, dict) or data.get("fingerprint") != fingerprint:
        return set()
    return {h for h in data.get("clean", []) if isinstance(h, str)}


def _write_cache(cache: Path, fingerprint: str, clean: set[str]) -> None:
    """Replace the cache file whole, so an interrupted write never leaves a half one."""
    cache.parent.mkdir(parents=True, exist_ok=True)
    partial = cache.with_name(cache.name + ".partial")
    partial.write_text(json.dumps({"fingerprint": fingerprint, "clean": sorted(clean)}), encoding="utf-8")
    os.replace(partial, cache)


def _files(site_dir: Path) -> Iterator[Path]:
    """Every file under site_dir, in a stable order; symbolic links to folders are not followed."""
    if not site_dir.is_dir():
        raise FileNotFoundError(f"Папката на сайта не съществува: {site_dir}")
    for folder, dirs, files in os.walk(site_dir):
        dirs.sort()
        for file in sorted(files):
            path = Path(folder, file)
            if path.is_file():
                yield path


def _scan_file(name: str, data: bytes, index: _PrivateIndex, allowed: set[str], seen: _SeenLines) -> list[Leak]:
    """The leaks in one output file, each reported once."""
    found_needles: set[str] = set()
    identifiers: dict[str, str] = {}  # normalised text → kind
    raw: dict[str, str] = {}  # normalised text → as found, only to mask it
    leaks = []
    try:
        for part in _parts(name, data):
            text = decode_escapes(part.text)
            found_needles |= index.find(_written(text, part.markup), short_numbers=part.identifiers)
            if part.identifiers:
                for norm, kind, value in _identifiers(_CODE_RE.sub(" ", text) if part.markup else text, seen):
                    if norm not in allowed:
                        identifiers.setdefault(norm, kind)
                        raw.setdefault(norm, value)
    except _Unscannable as problem:  # what was read before the damage is still reported
        leaks.append(Leak(name, "unscannable", str(problem), None, None, None))
    kinds = dict.fromkeys(found_needles, "private_value")  # needle → kind of the leak
    for norm, kind in sorted(identifiers.items()):
        same = [n for n in found_needles if n in norm or norm in n]
        if same:
            kinds.update(dict.fromkeys(same, kind))  # one leak, named by what it is, with its source
        else:
            leaks.append(Leak(name, kind, mask(raw[norm], kind), None, None, None))
    by_source: dict[PrivateValue, str] = {}  # one leak per source value, whichever of its forms was found
    for needle in sorted(found_needles):
        source = index.sources[needle]
        if by_source.get(source, "private_value") == "private_value":
            by_source[source] = kinds[needle]
    leaks += [_private_leak(name, source, kind) for source, kind in by_source.items()]
    return leaks


def _written(text: str, markup: bool) -> list[str]:
    """The texts searched for private values; in markup, the text between tags and the tags
    apart, so "ул. Раковски <b>12</b>" is still found whole. A tag becomes a space: gone once
    normalised, yet a boundary between two cells of a table."""
    if markup and "<" in text:
        return [_TAG_RE.sub(" ", text), "\x00".join(_TAG_RE.findall(text))]
    return [text]


_GAP = "\n\x00\n"  # between stretches of new lines: no pattern reaches across it


class _SeenLines:
    """Lines already searched for identifiers in this scan, and the identifiers found in them.

    Every page repeats the theme's header, navigation and footer; searching each distinct line
    once makes the identifier search several times faster. A new line is searched with the
    line before and after it, so "ЕГН" at the end of a known line and the number on a new one
    are still seen together; an identifier found once is reported again in every later file
    whose skipped lines hold it. (The private-value search skips nothing.)
    """

    def __init__(self) -> None:
        self._hashes: set[int] = set()
        self._found: dict[str, tuple[str, str, str]] = {}  # as written → (normalised, kind, masked form)

    def new_text(self, text: str) -> tuple[str, list[tuple[str, str, str]]]:
        """The new lines of text with their neighbours, and the identifiers known in the others."""
        lines = text.split("\n")
        keep = bytearray(len(lines))
        for i, line in enumerate(lines):
            key = hash(line)
            if key not in self._hashes:
                self._hashes.add(key)
                keep[max(0, i - 1) : i + 2] = b"\x01" * len(keep[max(0, i - 1) : i + 2])
        if all(keep):
            return text, []
        known = [hit for line, kept in zip(lines, keep) if not kept for written, hit in self._found.items() if written in line]
        stretches = ["\n".join(line for line, _ in group) for wanted, group in groupby(zip(lines, keep), key=lambda p: p[1]) if wanted]
        return _GAP.join(stretches), known

    def remember(self, written: str, hit: tuple[str, str, str]) -> None:
        """An identifier found in a searched line, to be recognised where that line repeats."""
        self._found.setdefault(written, hit)


def _identifiers(text: str, seen: _SeenLines) -> list[tuple[str, str, str]]:
    """Identifiers in the lines of text not searched before: (normalised, kind, compact form
    as found, without its label)."""
    searched, hits = seen.new_text(text)
    for f in find_identifiers(searched):
        written = searched[f.start : f.end]
        hit = (normalise(written), f.kind, "".join(_LABEL_RE.sub("", written).split()))
        seen.remember(written, hit)
        hits.append(hit)
    return hits


# A label the redactor removes with its value ("ЕГН: 750…"): not shown in the masked value.
_LABEL_RE = re.compile(
    r"^(?:(?i:ЕГН|EGN|ЛНЧ|LNCh|личен\s+номер(?:\s+на\s+чужденец)?|лична(?:та)?\s+карта|л\.\s?к\.|лк"
    r"|документ\s+за\s+самоличност|паспорт(?:а)?|пасп\.|карта(?:та)?|сметка(?:та)?|с-ка|IBAN|рег\."
    r"|регистрационен|регистрационния|номер|VIN|рама|дата(?:та)?\s+на\s+раждане|рождена\s+дата|mailto)|[\s:№/–-])+"
)


def _private_leak(name: str, source: PrivateValue, kind: str) -> Leak:
    return Leak(name, kind, mask(source.value, source.column), source.file, source.row, source.column)
