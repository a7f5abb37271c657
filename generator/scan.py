"""The last gate before publishing: every byte of the built site is searched for personal data.

Two searches run over the text of every file:

(a) identifiers, with the redactor's own detectors (generator.redact.find_identifiers):
    an ЕГН, IBAN, phone number… that no template should ever print. A unit (see below) that
    holds a label word a detector needs ("ЕГН", "л.к.", "сметка", "роден"…, taken from the
    detectors) is also searched joined to the next unit, so "ЕГН:" in a <dt> and the number in
    its <dd> are seen together;
(b) every value of a private column seen in this build's inputs (PrivateValue), compared
    after normalisation: spaces, dashes, dots, slashes, commas, brackets, quotes and "№" removed
    and lower-cased on both sides, with HTML entities, JSON \\uXXXX escapes and %XX URL
    escapes decoded in the output first.

How a file is cut into units, the pieces of text that are searched apart (two cells of a
table never join: "25", "3", "1961" in adjacent cells are not the date 25.03.1961). gzip
(found by its magic bytes, as Pagefind's *.pf_* files are) is decompressed; a zip (XLSX,
DOCX, ZIP downloads) is read member by member. CSV: each cell. JSON (downloads, API,
Pagefind fragments): each string (keys too) and each number. HTML and XML: the text of each
element, cut at every tag but inline ones (a, b, span, em…, so "ул. Раковски <b>12</b>" is
one unit), and each attribute's value; escaped markup inside a unit (an Atom entry's HTML)
is cut again, and the inside of each of its tags is text too ("&lt;ivan@…&gt;" on a page
shows an address). An XLSX sheet: the text of its <v>, <t> and <f> elements (the cell
references and styles of the rest of its XML are not searched); shared strings: each string. SQLite:
the database is deserialised into memory (the file is never opened for writing) and every
value of every table is a unit (but a full-text index: its structure tables' terms are the
words of the rows, and its block ids are 13-digit numbers that may pass the Luhn check; and
it reads as the rows of the table that holds its text, which is searched); and the raw bytes
no live row uses (free-list pages, each page's unallocated gap and free blocks), cut at NUL,
are searched too: a deleted row may linger there where SQLite was built without secure_delete.
A PDF's raw bytes and inflated Flate streams, and any other file decoded as UTF-8 with
errors="replace": each line. JSON escapes, HTML entities and %XX URL escapes are decoded in each unit.

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
(a plate "А2392АК" is not in "за 2392 акции", "12345678" is not in "9123456789"), and a
number is not the number part of a code that opens with a letter and a dash ("Д-2022-068391",
a declaration's number, is not the account 2022068391: such coincidences failed the national
benchmark's build). A value
of digits only under 9 digits long is not looked for in code and binary files, where such
numbers abound. A phone number is searched in all its writings (0…,
+359…, 00359…), a date as YYYYMMDD and DDMMYYYY.

With a cache file, a file whose bytes were found clean by the last scan with the same allowed
values and scanner code is searched again only for the private values that are new since that
scan (a week's new declarations bring new ЕГН, addresses and phones), with no identifier
search, and only for those of them that the stored text holds: the normalised text of every
unit found clean, kept beside the cache (see _stored), where a new value that no page holds is
ruled out in one pass instead of by reading the whole site again. Each chunk of the file is
first read whole, normalised in C (_parts with only=), and cut into units only if the
beginning of a new value is there. A changed file, or one with a leak, is
read whole, but of its units (cells, values, elements' text) those the last scan found clean
are searched only for the new private values too: the unit cache keeps their 64-bit digests
(blake2b). A unit holding a label word ("ЕГН", "л.к.") is never kept, so it is
always searched beside the unit after it. A big CSV or JSON file (a download) that changed
since its version in the live site, found clean, is compared with it line by line: only its
changed lines and their neighbours are cut and searched in full (_changed_runs), the rest
only for the new private values. So are a database's rows, compared by SQLite itself
(_changed_rows), and a workbook's shared strings (_changed_workbook).

How it is made fast (892 s of CPU for the 2.2 GB national site at first, 600 s with the
search per line): most cells repeat (a description like "апартамент, тристаен" in every
format and row, the theme's navigation on every page); only amounts, areas and ids are
unique. Each worker process keeps the 64-bit hashes (hash(), never the text) of the units it
has searched in this scan, and what the few that held something held; a unit seen before is
not searched again, and its findings are reported for every file that holds it. The hash
of a chunk's units, their dictionary and the set difference with the units seen run in C.
A 64-bit collision would skip a unit: with 10 million units, a chance of about one in a
million per scan. The hashes are forgotten past _SEEN_LIMIT (then units are searched again).
The new units of a chunk are searched together, joined by a break no pattern crosses. The
private values are not compiled into a regex (45 s and 1.5 GB for 830,000 needles): an
Aho-Corasick automaton of their first 12 bytes (ahocorasick_rs) finds, in the normalised
units joined, the few units that may hold one; those are checked needle by needle. The
files are searched by one worker process per core (fork: the index is shared, not copied),
largest first; the leaks are sorted at the end, so the result does not depend on which
worker searched what. Text files over 16 MB, SQLite dumps
and raw bytes are cut in chunks of about 16 MB at a newline, or after a row, a cell or a tag
where a line is longer (the chunk after repeats the last two lines, rows, cells or tags, for
context), or at NUL bytes; JSON only at a newline (a cut inside a string would turn its quotes inside out). Zip
members are read one at a time, to bound a worker's memory.

Nothing here ever puts a raw private value into a Leak, an exception or a log: Leak.masked
goes through mask().
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import html
import io
import json
import multiprocessing
import os
import re
import secrets
import sqlite3
import sys
import unicodedata
import zipfile
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from itertools import accumulate, chain, compress, pairwise
from pathlib import Path
from urllib.parse import quote, unquote

import ahocorasick_rs

from generator.redact.identifiers import find_identifiers, label_words, trie_pattern
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
_OTHER_SEPARATORS = "‐‑‒–—―„“”«»’№\u00ad\u00a0\u202f\u2009\u2002\u2003\u2007\u2028\u2029\u3000\x85"
_OTHER_SEPARATORS_RE = re.compile(f"[{re.escape(_OTHER_SEPARATORS)}]+")
_LONG_TEXT = 4096  # characters: from here, a search per separator beats the regex (a page: 1.4 → 1.0 ms)
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
    return _normalised_bytes(text).decode("utf-8", "surrogatepass")


def _normalised_bytes(text: str) -> bytes:
    """normalise(text), encoded in UTF-8: what the automaton of needles reads."""
    text = text.lower()
    if not text.isascii():  # isascii() costs nothing; code and markup are often pure ASCII
        if not unicodedata.is_normalized("NFC", text):  # the check is fast, the normalisation is not
            text = unicodedata.normalize("NFC", text)
        if len(text) < _LONG_TEXT:
            text = _OTHER_SEPARATORS_RE.sub("", text)
        else:
            for separator in _OTHER_SEPARATORS:
                if separator in text:
                    text = text.replace(separator, "")
    return text.encode("utf-8", "surrogatepass").translate(None, _ASCII_SEPARATORS)


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
_PREFIX = 12  # bytes of a needle's beginning in the automaton (see _PrivateIndex)
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
    return _needles(stripped, normalise(stripped))


def _needles(stripped: str, normalised: str) -> set[str]:
    """needles() of a value already stripped and normalised (a national build normalises its
    870,000 values in one call)."""
    # The regexes are tried only where they can match: a town opens with a letter, a phone
    # with "0" or "+", a date with a digit.
    if stripped[:1].isalpha() and _TOWN_RE.fullmatch(stripped):
        return set()
    forms = {normalised}
    if normalised[:1] in ("0", "+") and (phone := _PHONE_RE.fullmatch(normalised)):
        national = phone.group(1)  # the same number as 0888…, +359 88…, 00359 88…, +359 (0) 88…
        forms = {"0" + national, "359" + national, "3590" + national}
    if stripped[:1].isdigit() and (date := _ISO_DATE_RE.fullmatch(stripped) or _BG_DATE_RE.fullmatch(stripped)):
        y, m, d = date.groups() if date.re is _ISO_DATE_RE else reversed(date.groups())
        forms = {f"{y}{int(m):02}{int(d):02}", f"{int(d):02}{int(m):02}{y}"}
    return {
        f[:MAX_NEEDLE] for f in forms if len(f) >= MIN_NEEDLE and not (len(f) <= 10 and _YEAR_RE.fullmatch(f)) and f not in _GENERIC
    }


class _PrivateIndex:
    """Every needle of this build's private values, found by an Aho-Corasick automaton.

    The units are normalised as the needles are (lower case, no separators) and joined, and the
    automaton (ahocorasick_rs, in Rust) finds in one pass which units hold the beginning of a
    needle (its first _PREFIX bytes); only those few are then checked needle by needle (see
    _stands_apart). Beginnings, not whole needles: the automaton of 800,000 whole needles took
    6 s to build, in the parent, before any worker starts; of their beginnings, about 1 s.
    A regex over the needles took 45 s to compile and 1.5 GB; a token-by-token lookup in
    Python was a quarter of the scan.
    """

    @classmethod
    def of(cls, values: Iterable[PrivateValue], allowed: set[str]) -> _PrivateIndex:
        """The needles of these private values but the allowed ones, each with the first value (in source order) that has it."""
        values = list(values)
        return cls({needle: values[i] for needle, i in _needle_sources(values, allowed).items()})

    def __init__(self, sources: dict[str, PrivateValue], prefixes: list[bytes] | None = None) -> None:
        """prefixes: _prefixes(sources), if made already."""
        self.sources = sources
        self._lengths = sorted(set(map(len, sources)))
        prefixes = _prefixes(sources) if prefixes is None else prefixes
        self._automaton = ahocorasick_rs.BytesAhoCorasick(prefixes) if prefixes else None

    def find(self, units: list[str], haystack: bytes | None = None) -> list[frozenset[str]]:
        """For each unit (decoded text), the needles that stand apart in it as written.

        The units are searched together, joined by NUL (kept by normalising, held by no needle),
        so a needle never spans two units. haystack: that join normalised, if made already.
        """
        result = [_NOTHING] * len(units)
        if self._automaton is None or not units:
            return result
        if haystack is None:
            haystack = _normalised_bytes("\x00".join(units))
        matches = self._automaton.find_matches_as_indexes(haystack)  # enough to tell which units hold one
        unit, at = 0, 0
        flagged: list[int] = []
        for _, start, _ in matches:
            unit += haystack.count(b"\x00", at, start)
            at = start
            if not flagged or flagged[-1] != unit:
                flagged.append(unit)
        sources = self.sources
        for i in flagged:
            text = units[i]
            normalised = _normalised_bytes(text)
            starts = {start for _, start, _ in self._automaton.find_matches_as_indexes(normalised, overlapping=True)}
            candidates = set()
            for start in starts:  # the needles that begin there: one lookup per length a needle has
                rest = normalised[start:].decode("utf-8", "surrogatepass")
                candidates.update(rest[:n] for n in self._lengths if rest[:n] in sources)
            result[i] = frozenset(n for n in candidates if _stands_apart(n, text))
        return result

    def may_hold(self, forms: Iterable[bytes]) -> bool:
        """Whether the beginning of a needle is in one of these normalised texts (see
        _whole_forms): where it is in none, no unit of theirs holds a needle."""
        automaton = self._automaton
        return automaton is not None and any(automaton.find_matches_as_indexes(form) for form in forms)




def _needle_sources(values: Sequence[PrivateValue], allowed: set[str]) -> dict[str, int]:
    """The needles of these private values but the allowed ones, each with the position in
    values of the first value, in source order, that has it."""
    order = sorted(range(len(values)), key=lambda i: (values[i].file, values[i].row if values[i].row is not None else -1, values[i].column))
    stripped = [values[i].value.strip().replace("\x00", "\x01") for i in order]  # NUL: the break between values
    normalised = normalise("\x00".join(stripped)).split("\x00")
    sources: dict[str, int] = {}
    for i, value, norm in zip(order, stripped, normalised):
        for needle in _needles(value, norm):
            if needle not in allowed:
                sources.setdefault(needle, i)
    return sources


def _prefixes(needles: Iterable[str]) -> list[bytes]:
    """The automaton's keys: each needle's first _PREFIX bytes, once, sorted (it builds 5 times faster)."""
    return sorted({needle.encode("utf-8", "surrogatepass")[:_PREFIX] for needle in needles})


# Between the characters of a needle as written (besides \s); a regex class's inside.
_SEPARATOR_CHARS = "\\-‐‑‒–—―./\\\\,()\\[\\]_'\"„“”«»’№\u00ad"
_SEPARATOR_CLASS = f"[\\s{_SEPARATOR_CHARS}]*"
_NOTHING: frozenset[str] = frozenset()


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
        if not (_same_kind(text, start - 1, needle[0]) or _same_kind(text, end, needle[-1]) or _code_prefix(text, start, needle)):
            return True
    return False


_CODE_PREFIX_RE = re.compile(r"(?<![^\W\d_])[^\W\d_]{1,3}-$")


def _code_prefix(text: str, start: int, needle: str) -> bool:
    """Whether an all-digit needle is the number part of a code that opens with one to three
    letters and a dash: "Д-2022-068391", a declaration's number, is not the account 2022068391."""
    return needle.isdigit() and _CODE_PREFIX_RE.search(text, max(0, start - 5), start) is not None


def _same_kind(text: str, i: int, ch: str) -> bool:
    """Whether text[i] exists and is a letter like ch is, or a digit like ch is."""
    if not 0 <= i < len(text):
        return False
    return (ch.isdigit() and text[i].isdigit()) or (ch.isalpha() and text[i].isalpha())


# --- units of every file ---------------------------------------------------------------------

_IDENTIFIER_SUFFIXES = frozenset(
    ".html .htm .xhtml .xml .atom .rss .json .geojson .csv .tsv .txt .md .yaml .yml .rels .ics .vcf "
    ".pf_fragment".split()
)
_MARKUP_SUFFIXES = (".html", ".htm", ".xhtml", ".xml", ".atom", ".rss", ".rels", ".svg")
_JSON_SUFFIXES = (".json", ".geojson", ".pf_fragment")
# Inline icons, scripts and styles of a page: searched for private values only (see above).
_CODE_RE = re.compile(r"<(svg|script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^<>]*>")
# Tags that do not end a unit: a browser shows "ул. Раковски <b>12</b>" as one run of text.
# (XLSX and DOCX runs, <r> and <t>, are inline too.) Every other tag ends one.
_INLINE_NAMES = (
    "a abbr b bdi bdo cite code data del dfn em font i ins kbd mark q r rPr s samp small span strong sub sup t time tt u var wbr"
).split()
# A trie of the names in both cases, not re.IGNORECASE: that made the substitution three times slower.
_INLINE_TAG_RE = re.compile(
    r"<(?:/?(?:\w+:)?" + trie_pattern({*_INLINE_NAMES, *(n.upper() for n in _INLINE_NAMES)}) + r")(?=[\s/>])[^<>]*>"
)
# An attribute's value, quoted or not (the tag's and the attribute's names are not text).
_ATTRIBUTE_RE = re.compile(r"""=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
# An XLSX sheet holds its text in <v> (values), <t> (inline strings) and <f> (formulas); the
# rest is cell references and styles, which are not searched.
_SHEET_TEXT_RE = re.compile(r"<(?:\w+:)?[vtf](?:\s[^<>]*)?>([^<]*)<")
# The same for a sheet of values only (no <t…, <f…, "<v " or prefixed tags: see _cut_sheet), the
# common case, 3 times faster: its pattern opens with a literal. The <v> of a cell of type "s"
# is the number of a shared string (searched in sharedStrings.xml), not text, and is skipped
# when the type is the cell's last attribute, as writers put it: a national items sheet holds
# millions. Only up to 7 digits: a longer number there is no index a workbook uses.
_SHEET_VALUE_RE = re.compile(r"""<v>(?:(?<=t="s"><v>)\d{1,7}<|([^<]*)<)""")
_JSON_TOKEN_RE = re.compile(r'"([^"\\\n]*(?:\\.[^"\\\n]*)*)"|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)')
_PDF_STREAM_RE = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
_MAX_DEPTH = 3


@dataclass(frozen=True)
class _Units:
    """Some text of an output file cut into units (cells, values, elements' text), in order."""

    units: list[str]
    identifiers: bool  # searched for identifiers too, not only for private values
    short_numbers: bool = True  # private values of under 9 digits are looked for


class _Unscannable(Exception):
    """A file whose declared format could not be opened (the message names no data)."""


def _parts(name: str, data: bytes, depth: int = 0, only: _PrivateIndex | None = None) -> Iterator[_Units]:
    """The units of one file (or archive member), in every form worth searching.

    With only: just the parts in which a needle of that index may be. Each chunk of a text file
    (see _chunks: no unit is cut in two) and each batch of a database's cells is first read
    whole (see _whole_forms), in C, a page in 2-3 ms, and cut into units only where the
    beginning of a needle is there. An archive or a PDF: all its parts."""
    if depth > _MAX_DEPTH:
        raise _Unscannable(f"архиви, вложени на повече от {_MAX_DEPTH} нива")
    if data[:2] == b"\x1f\x8b":
        yield from _parts(name.removesuffix(".gz"), _gunzip(data), depth + 1, only)
    elif data[:4] == b"PK\x03\x04":
        yield from _zip_parts(data, depth)
    elif data[:16] == _SQLITE:
        for cells in _sqlite_cells(data):
            if only is None or only.may_hold(_whole_forms("\x00".join(cells))):
                yield _Units(cells, identifiers=True)
        yield from _sqlite_unused_parts(data)
    elif data[:5] == b"%PDF-":
        yield _Units(_cut_lines(_text(data)), identifiers=False, short_numbers=False)
        for stream in _PDF_STREAM_RE.findall(data):
            yield _Units(_cut_lines(_text(_inflate(stream))), identifiers=False, short_numbers=False)
    else:
        _, separators, overlap = _cutter(name)
        for chunk in _chunks(data, separators, overlap):
            if only is None or only.may_hold(_whole_forms(_text(chunk))):
                yield from _text_parts(name, chunk)


def _text_parts(name: str, chunk: bytes) -> Iterator[_Units]:
    """The units of a text file, or of a chunk of one (see _chunks)."""
    identifiers = _identifiers_apply(name)
    short_numbers = identifiers or name.endswith(_MARKUP_SUFFIXES)
    cut, _, _ = _cutter(name)
    text = _text(chunk)
    if cut is _cut_markup_text:
        units, code = _cut_markup(text)
        yield _Units(units, identifiers, short_numbers)
        if code:  # <svg>, <script>, <style>: private values only
            yield _Units(code, identifiers=False, short_numbers=short_numbers)
    else:
        yield _Units(cut(text), identifiers, short_numbers)


def _cutter(name: str) -> tuple[Callable[[str], list[str]], tuple[bytes, ...], int]:
    """How a text file is cut into units, by its name: the cut, where its chunks may end (see
    _chunks) and how many lines each chunk repeats of the one before."""
    lower = name.lower()
    if lower.endswith((".csv", ".tsv")):
        return partial(_cut_csv, tab=lower.endswith(".tsv")), (b"\n",), _OVERLAP_LINES
    if lower.endswith(_JSON_SUFFIXES):
        # A cut anywhere but at a newline might fall inside a string and turn the quotes inside out.
        return _cut_json, (b"\n",), _OVERLAP_LINES
    if lower.startswith("xl/worksheets/") and lower.endswith(".xml"):
        return _cut_sheet, (b"\n", b"</row>", b"</c>"), _OVERLAP_LINES
    if lower.startswith("xl/sharedstrings") and lower.endswith(".xml"):
        return _cut_shared_strings, (b"\n", b"</si>"), _OVERLAP_LINES
    if lower.endswith(_MARKUP_SUFFIXES):
        return _cut_markup_text, (b"\n", b">"), _OVERLAP_LINES
    return _cut_lines, (b"\n",), _OVERLAP_LINES


# A JSON escape, paired from the left as a JSON parser pairs them (in \\n, an escaped backslash and an "n").
_JSON_ESCAPE_RE = re.compile(r"\\(?:u[0-9a-fA-F]{4}|.)", re.DOTALL)
_JSON_CONTROLS = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}
_JSON_CONTROL_RE = re.compile(r"\\[ntrbf]")
_TAG_BYTES_RE = re.compile(rb"<[^<>]*>")


def _whole_forms(text: str) -> list[bytes]:
    """A piece of a text file whole, normalised, in forms such that the normalised decoded text
    of each of its units (see _parts and _decode) lies in one of them: as written, and with its
    JSON escapes decoded where one would not normalise away (\\n, \\t…), each with its entities
    and %XX decoded, and each again without its tags (inline tags join the text around them;
    stripping them after normalising gives the same bytes, as it keeps every "<" and ">").
    What a unit holds, the forms hold (they may hold more: text across two units)."""
    texts = [text]
    if "\\" in text and _JSON_CONTROL_RE.search(text):  # a unit that is a JSON string is decoded as one (see _decode)
        texts.append(_JSON_ESCAPE_RE.sub(_json_escape, text))
    forms = [_normalised_bytes(decode_escapes(each)) for each in texts]
    return forms + [_TAG_BYTES_RE.sub(b"", form) for form in forms if b"<" in form]


def _json_escape(match: re.Match[str]) -> str:
    """One JSON escape decoded; \\uXXXX is left to decode_escapes, which joins surrogate pairs."""
    escape = match.group()
    return escape if escape[1] == "u" else _JSON_CONTROLS.get(escape[1], escape[1])


_SQLITE = b"SQLite format 3\x00"
_DIFF_SUFFIXES = (".csv", ".tsv", ".json", ".geojson")  # files whose units never run across a newline (but see _changed_runs)
_DIFF_FROM = 1_000_000  # bytes: a smaller file is cut whole, as fast
_BREAK = "\x01"  # a unit between two runs: too short to search and no label, so no pair of units crosses it


def _changed_runs(name: str, data: bytes, old: Path) -> list[bytes] | None:
    """The runs of lines of a data file that changed since its previous version (found clean):
    both lines of every two adjacent ones that the old file did not hold side by side (a new
    line makes two such pairs, with the line before and the line after it). Every unit not in
    the old file, and every pair of units that were not neighbours there (a label and the value
    after it), is in a run. None where that does not hold: a CSV cell over several lines (a
    line with an odd number of quotes).

    Lines are compared by hash() (64 bits, in this process) and read lazily, so a 200 MB
    download and its old version are never held as lists of lines."""
    if name.lower().endswith((".csv", ".tsv")) and b'"' in data and any(line.count(b'"') % 2 for line in io.BytesIO(data)):
        return None
    try:
        with old.open("rb") as lines:
            return _line_runs(data, lines)
    except OSError:
        return None


def _line_runs(data: bytes, old_lines: Iterable[bytes]) -> list[bytes]:
    """The runs of lines of data that are new beside a neighbour (see _changed_runs), whole."""
    before = set(map(hash, pairwise(chain((None,), map(hash, old_lines)))))  # None before the first line: a new first line is a new pair
    pairs = map(hash, pairwise(chain((None,), map(hash, io.BytesIO(data)))))
    marked = {j for i, pair in enumerate(pairs) if pair not in before for j in (i - 1, i)}
    del before
    runs: list[bytes] = []
    run: list[bytes] = []
    for i, line in enumerate(io.BytesIO(data)):
        if i in marked:
            run.append(line)
        elif run:
            runs.append(b"".join(run))
            run = []
    if run:
        runs.append(b"".join(run))
    return runs


def _changed_parts(name: str, data: bytes, old: Path) -> Iterable[_Units] | None:
    """The units of a CSV, JSON, SQLite or XLSX file that changed since its previous version, found
    clean, that must be searched in full: those of its changed lines or rows and their
    neighbours. None where they cannot be told apart (then the whole file is)."""
    if data[:16] == _SQLITE:
        return _changed_rows(data, old)
    if data[:4] == b"PK\x03\x04":
        return _changed_workbook(data, old)
    runs = _changed_runs(name, data, old)
    return None if runs is None else _run_parts(name, runs)


def _changed_workbook(data: bytes, old: Path) -> Iterator[_Units] | None:
    """The units of an XLSX workbook (or another zip) to search in full since its previous
    version (found clean): of a big table of shared strings, its strings that are new beside a
    neighbour (see _changed_runs), the other members whole. None where the old one cannot be read.

    The sheets are searched whole: their cells point at the shared strings by a number that a
    string new to the workbook changes in every cell after it (as "r" numbers every cell anew
    after a new row), and making their rows comparable took as long as searching them."""
    try:
        with zipfile.ZipFile(old) as archive:
            strings = {info.filename: archive.read(info) for info in archive.infolist() if _shared_strings(info.filename)}
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError, RuntimeError):
        return None
    return _zip_parts(data, 0, strings)


def _shared_strings(member: str) -> bool:
    lower = member.lower()
    return lower.startswith("xl/sharedstrings") and lower.endswith(".xml")


_INDEXED_FROM = 2_000  # rows: a bigger table is compared only where SQLite can look its rows up by an index


def _changed_rows(data: bytes, old: Path) -> Iterator[_Units] | None:
    """The rows of a database that changed since its previous version (found clean), as
    _changed_runs finds a CSV's lines: both rows of every two adjacent ones that the old one did
    not hold side by side, and the first and last row of each table (where one table's cells
    meet the next one's), in runs with a _BREAK after each; then the bytes no live row uses
    (see _sqlite_unused), in full. None where the tables or their columns differ, or where a big
    table could only be compared row against row.

    SQLite compares the rows (fetching both versions' cells into Python cost as much as
    searching them: 7 s of CPU for the national database; looking each new row up in the old
    one by its key takes 2 s). Equal means every column IS equal, and of the same storage class
    where the column converts none (1 IS 1.0, but they are written "1" and "1.0")."""
    connection = sqlite3.connect("file::memory:", uri=True)
    try:
        connection.deserialize(data)
        connection.execute("ATTACH DATABASE ? AS old", (f"file:{quote(str(old.resolve()))}?mode=ro&immutable=1",))
        tables = _sqlite_tables(connection)
        runs = [_changed_runs_of_rows(connection, table) for table in tables] if tables == _sqlite_tables(connection, "old") else [None]
    except sqlite3.Error:
        runs = [None]
    if None in runs:
        connection.close()
        return None
    return _run_rows(connection, data, dict(zip(tables, runs)))


def _run_rows(connection: sqlite3.Connection, data: bytes, runs: dict[str, list[tuple[int, int]]]) -> Iterator[_Units]:
    """The cells of the runs of rows of each table (see _changed_rows), in lists of about
    _CHUNK characters as _sqlite_cells makes them; then the bytes no live row uses. Closes
    the connection."""
    def cells() -> Iterator[list[str]]:
        for table, spans in runs.items():
            for first, last in spans:
                cursor = connection.execute(f"SELECT * FROM main.{_quoted(table)} WHERE rowid BETWEEN ? AND ? ORDER BY rowid", (first, last))
                while rows := cursor.fetchmany(_ROWS_AT_ONCE):
                    yield _clean(_row_texts(rows))
                yield [_BREAK]

    try:
        for part in _in_parts(cells()):
            yield _Units(part, identifiers=True)
    except sqlite3.Error as error:
        raise _Unscannable(f"SQLite: {type(error).__name__}") from None
    finally:
        connection.close()
    yield from _sqlite_unused_parts(data)


def _changed_runs_of_rows(connection: sqlite3.Connection, table: str) -> list[tuple[int, int]] | None:
    """The runs of rows of main.table to search in full (see _changed_rows), each as its first
    and last rowid; None where its columns are not those of old.table, or where comparing would
    scan the old table for each row of a big one."""
    named = _quoted(table)
    columns = connection.execute("SELECT name, type FROM pragma_table_info(?, 'main')", (table,)).fetchall()
    if not columns or columns != connection.execute("SELECT name, type FROM pragma_table_info(?, 'old')", (table,)).fetchall():
        return None
    if any(name.lower() in ("rowid", "oid", "_rowid_") for name, _ in columns):
        return None  # "rowid" would name that column, not the row's place
    same = []
    for column, declared in columns:
        quoted = _quoted(column)
        same.append(f"o.{quoted} IS m.{quoted}")
        if not declared or "BLOB" in declared.upper():  # no affinity: 1 and 1.0 are IS equal
            same.append(f"typeof(o.{quoted}) = typeof(m.{quoted})")
    query = f"SELECT m.rowid, (SELECT o.rowid FROM old.{named} AS o WHERE {' AND '.join(same)} LIMIT 1) FROM main.{named} AS m ORDER BY m.rowid"
    plan = [str(step[-1]) for step in connection.execute("EXPLAIN QUERY PLAN " + query)]
    if any(re.match(r"SCAN (TABLE )?o\b", step) for step in plan) and connection.execute(f"SELECT count(*) > ? FROM main.{named}", (_INDEXED_FROM,)).fetchone()[0]:
        return None
    runs: list[list[int]] = []
    before = before_old = None
    before_marked = False
    for rowid, was in connection.execute(query):
        # A row the old table did not hold, or held after another row than the one before it
        # here (the test is the rowid after that one's: it may mark a pair too many, never too
        # few), makes a new pair: both rows are searched, and the cells across them.
        if was is None or before_old is None or was != before_old + 1:
            if before_marked:
                runs[-1][1] = rowid
            elif before is not None:
                runs.append([before, rowid])
            else:
                runs.append([rowid, rowid])
            before_marked = True
        else:
            before_marked = False
        before, before_old = rowid, was
    if before is not None and not before_marked:
        runs.append([before, before])  # the last row, beside the next table's first
    return [(first, last) for first, last in runs]


def _run_parts(name: str, runs: list[bytes]) -> Iterator[_Units]:
    """The units of runs of lines of a CSV or JSON file (see _changed_runs), a _BREAK after each
    run, in parts of about _CHUNK bytes."""
    cut, _, _ = _cutter(name)
    identifiers = _identifiers_apply(name)
    units: list[str] = []
    size = 0
    for run in runs:
        units += cut(_text(run))
        units.append(_BREAK)
        size += len(run)
        if size > _CHUNK:
            yield _Units(units, identifiers, identifiers)
            units, size = [], 0
    if units:
        yield _Units(units, identifiers, identifiers)


def _text(data: bytes) -> str:
    """Bytes as text; NUL is kept for the break between units and becomes another break."""
    text = data.decode("utf-8", "replace")
    return text.replace("\x00", "\x01") if "\x00" in text else text


def _clean(pieces: Iterable[str]) -> list[str]:
    """Units without the spaces around them, empty ones left out (all in C: map and filter)."""
    return list(filter(None, map(str.strip, pieces)))


def _cut_lines(text: str, separator: str = "\n") -> list[str]:
    """Plain text: a unit is a line."""
    return _clean(text.split(separator))


def _cut_csv(text: str, tab: bool = False) -> list[str]:
    """A CSV: a unit is a cell."""
    try:
        return _clean(chain.from_iterable(csv.reader(io.StringIO(text), delimiter="\t" if tab else ",")))
    except csv.Error:  # a cell over csv's field size limit, a stray NUL: lines, as text
        return _cut_lines(text)


def _cut_json(text: str) -> list[str]:
    """JSON (downloads, API, Pagefind fragments): a unit is a string (keys too) or a number,
    still escaped (decoded only when new: see _decode)."""
    return _clean(map("".join, _JSON_TOKEN_RE.findall(text)))


def _cut_sheet(text: str) -> list[str]:
    """An XLSX worksheet: a unit is a cell's value."""
    if any(mark in text for mark in ("<t", "<f", "<v ", ":v>", ":t>", ":f>")):
        return _clean(_SHEET_TEXT_RE.findall(text))
    return _clean(_SHEET_VALUE_RE.findall(text))


def _cut_shared_strings(text: str) -> list[str]:
    """XLSX shared strings: a unit is a string, its rich-text runs joined."""
    return _clean(_TAG_RE.sub("", text.replace("</si>", "\x01<x>").replace("<si>", "\x01<x>")).split("\x01"))


def _cut_markup_text(text: str) -> list[str]:
    """HTML or XML, text and attribute values: see _cut_markup."""
    units, code = _cut_markup(text)
    return units + code


def _cut_markup(text: str) -> tuple[list[str], list[str]]:
    """HTML or XML: (the text of each element, cut at every tag but inline ones, and every
    attribute's value; the <svg>, <script> and <style> elements cut at their tags)."""
    code: list[str] = []
    if "<s" in text or "<S" in text:
        pieces, last = [], 0
        for m in _CODE_RE.finditer(text):
            pieces += [text[last : m.start()], "<x>"]
            code += re.split(r"[<>]", m.group())
            last = m.end()
        if code:
            text = "".join(pieces) + text[last:]
    attributes = _ATTRIBUTE_RE.findall("\x01".join(_TAG_RE.findall(text)))
    units = _clean(_TAG_RE.split(_INLINE_TAG_RE.sub("", text)))
    return units + _clean(map("".join, attributes)), _clean(code)


_CHUNK = 16_000_000  # bytes: items.json (300 MB) whole would take 2-3 GB as text in one worker
_OVERLAP_LINES = 2  # lines (rows, cells, strings) repeated at the start of the next chunk: context across the cut


def _chunks(data: bytes, separators: tuple[bytes, ...], overlap: int) -> Iterator[bytes]:
    """data in pieces of about _CHUNK bytes, each cut just after the first of separators found
    (a newline never falls inside a UTF-8 character), each after the first starting with the
    last `overlap` lines (or rows, cells, strings: what the cut was made after) of the one
    before, so that a label split by the cut is still seen beside its value. Where no
    separator is found, the rest is one piece."""
    start = 0
    while len(data) - start > _CHUNK:
        for separator in separators:
            cut = data.rfind(separator, start + _CHUNK // 2, start + _CHUNK)
            if cut != -1:
                break
        else:
            break
        yield data[start : cut + len(separator)]
        back = cut  # where the separator before the repeated pieces begins
        for _ in range(overlap):
            earlier = data.rfind(separator, start, back)
            if earlier == -1:
                break
            back = earlier
        start = back + len(separator)
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


def _zip_parts(data: bytes, depth: int, before: dict[str, bytes] | None = None) -> Iterator[_Units]:
    """The members of a zip one at a time (an XLSX sheet may be hundreds of MB unpacked); with
    before (shared strings of the workbook's previous version, found clean, by member name),
    those members only where they changed (see _changed_workbook)."""
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
        old = before.get(info.filename) if before else None
        lines = _string_lines(content) if old is not None and len(content) >= _DIFF_FROM else None
        old_lines = _string_lines(old) if lines is not None and old is not None else None
        if lines is not None and old_lines is not None:
            yield from _run_parts(info.filename, _line_runs(lines, io.BytesIO(old_lines)))
        else:
            yield from _parts(info.filename, content, depth + 1)


def _string_lines(strings: bytes) -> bytes | None:
    """A table of shared strings with each string on a line of its own, to compare as lines;
    None where a string holds a line break (runs of lines would cut it in two)."""
    first = strings.find(b"<si>")
    if first != -1 and strings.find(b"\n", first) != -1:
        return None
    return strings.replace(b"</si>", b"</si>\n")


def _sqlite_cells(data: bytes) -> Iterator[list[str]]:
    """Every value of every table of an SQLite database, in lists of about _CHUNK characters
    (cut between rows: a whole dump of 200 MB would not fit a worker's memory)."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(data)
        tables = _sqlite_tables(connection)
        yield from _in_parts(_clean(_row_texts(rows)) for table in tables for rows in _sqlite_batches(connection, table))
    except sqlite3.Error as error:
        raise _Unscannable(f"SQLite: {type(error).__name__}") from None
    finally:
        connection.close()


def _in_parts(pieces: Iterable[list[str]]) -> Iterator[list[str]]:
    """The cells of pieces (of rows) in lists of about _CHUNK characters, cut between pieces,
    each list after the first starting with the last _OVERLAP_LINES cells of the one before
    (a label and its value)."""
    cells: list[str] = []
    for piece in pieces:
        cells += piece
        if len(cells) > _CHUNK // 16:
            yield cells
            cells = cells[-_OVERLAP_LINES:]
    yield cells


def _sqlite_tables(connection: sqlite3.Connection, schema: str = "main") -> list[str]:
    """The tables of a database (or of one attached as schema) whose rows are searched, by name."""
    master = connection.execute(f"SELECT name, sql FROM {schema}.sqlite_master WHERE type = 'table'").fetchall()
    # A full-text index's structure tables hold its terms (words of the rows, searched there)
    # and internal 13-digit block ids that pass the Luhn check like card numbers. The index
    # itself reads as the rows of the table that holds its text, searched there too: its
    # own _content table, or the table it indexes ("content=items": a third of the dump).
    indexes = {name for name, sql in master if sql and "using fts" in sql.lower()}
    structure = {f"{index}_{part}" for index in indexes for part in ("data", "idx", "docsize", "config")}
    return [name for name, _ in master if name not in structure and name not in indexes]


_ROWS_AT_ONCE = 10_000  # rows fetched from a database at a time


def _quoted(name: str) -> str:
    """A table's or column's name as SQL reads it, whatever it holds."""
    return '"' + name.replace('"', '""') + '"'


def _sqlite_batches(connection: sqlite3.Connection, table: str) -> Iterator[list[tuple]]:
    """The rows of a table, in their order, _ROWS_AT_ONCE at a time."""
    cursor = connection.execute(f"SELECT * FROM {_quoted(table)}")
    while rows := cursor.fetchmany(_ROWS_AT_ONCE):
        yield rows


def _sqlite_unused_parts(data: bytes) -> Iterator[_Units]:
    """The bytes no live row of a database uses (see _sqlite_unused), cut at NUL: private values only."""
    for chunk in _chunks(b"\x00".join(_sqlite_unused(data)), (b"\x00",), 0):  # NUL ends every match: chunks cut there lose none
        yield _Units(_clean(chunk.decode("utf-8", "replace").split("\x00")), identifiers=False, short_numbers=False)


_BTREE_PAGES = {2: 12, 5: 12, 10: 8, 13: 8}  # page type -> header size (interior pages have 4 more bytes)


def _sqlite_unused(data: bytes) -> Iterator[bytes]:
    """The bytes of an SQLite file that no live row uses: free-list pages, and in each b-tree page
    the gap between its cell pointers and its cells and its free blocks. Live rows are searched
    through the dump, value by value; searched raw, the values of a row lie back to back and
    their digits run together (an amount and a year read as a phone number). What a deleted row
    may leave behind is only ever in these places."""
    page_size = int.from_bytes(data[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or len(data) < page_size:
        yield data  # not a layout we know: everything, as raw bytes
        return
    pages = len(data) // page_size
    free: set[int] = set()
    trunk = int.from_bytes(data[32:36], "big")
    while 0 < trunk <= pages and trunk not in free:
        free.add(trunk)
        at = (trunk - 1) * page_size
        count = min(int.from_bytes(data[at + 4 : at + 8], "big"), (page_size - 8) // 4)
        free.update(n for i in range(count) if 0 < (n := int.from_bytes(data[at + 8 + 4 * i : at + 12 + 4 * i], "big")) <= pages)
        trunk = int.from_bytes(data[at : at + 4], "big")
    for number in range(1, pages + 1):
        base = (number - 1) * page_size
        if number in free:
            yield data[base : base + page_size]
            continue
        header = base + (100 if number == 1 else 0)
        size = _BTREE_PAGES.get(data[header])
        if size is None:  # an overflow page: the rest of a live row
            continue
        cells = int.from_bytes(data[header + 3 : header + 5], "big")
        content = int.from_bytes(data[header + 5 : header + 7], "big") or 65536
        yield data[header + size + 2 * cells : base + content]
        block, seen = int.from_bytes(data[header + 1 : header + 3], "big"), set()
        while 4 <= block < page_size - 4 and block not in seen:
            seen.add(block)
            length = int.from_bytes(data[base + block + 2 : base + block + 4], "big")
            yield data[base + block + 4 : base + block + length]
            block = int.from_bytes(data[base + block : base + block + 2], "big")


def _row_texts(rows: list[tuple]) -> list[str]:
    """The values of rows as text, NULLs left out: str() of each, in C, but where a BLOB (decoded)
    or a NUL (made a break) needs _cell_text (a Python call per cell was a third of a national
    database's scan)."""
    cells = [cell for cell in chain.from_iterable(rows) if cell is not None]
    texts = list(map(str, cells))
    if bytes in set(map(type, cells)) or "\x00" in "".join(texts):
        return list(map(_cell_text, cells))
    return texts


def _cell_text(cell: object) -> str:
    if isinstance(cell, bytes):
        return _text(cell)
    text = str(cell)
    return text.replace("\x00", "\x01") if "\x00" in text else text


def _inflate(stream: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(stream, 50_000_000)
    except zlib.error:
        return b""  # not a Flate stream (images, fonts): its raw bytes were searched already



# --- the scan --------------------------------------------------------------------------------


@dataclass
class ScanPlan:
    """What a scan searches for, made before the site is complete (the build makes it while
    Pagefind indexes): the needles' index, the allowed values and what the caches knew."""

    index: _PrivateIndex
    allowed: set[str]  # normalised
    cache: Path | None
    fingerprint: str
    needle_digests: str  # of every needle, sorted, back to back: what the cache will remember
    needles_token: str  # one hash of them (see _needles_token)
    clean_before: set[str]  # digests of the files found clean last time
    added: _PrivateIndex  # the needles new since then that the text of the units found clean holds (see _stored)
    known: array  # digests of the units found clean last time, sorted (see _read_units)
    previous: Path | None = None  # the live site, whose big CSV and JSON files are compared line by line
    added_all: _PrivateIndex = field(default_factory=lambda: _PrivateIndex({}))  # every needle new since then
    partial: set[str] = field(default_factory=set)  # of clean_before, the files not all of whose text is stored
    text: list[str] = field(default_factory=list)  # the segments of stored text carried on (see _text_dir)
    text_builds: int = 0  # how many scans have added to them since the scan that stored every file's text


@dataclass
class PlanParts:
    """A ScanPlan but for what only the process that scans can hold (the automata and the
    PrivateValues): strings and arrays, quick to send from the child process that the build
    makes them in, beside its first stages (see prepare_plan); finish_plan completes them."""

    needles: str  # every needle, NUL between them (no needle holds one: see _needle_sources)
    sources: array  # for each needle, the position of its PrivateValue in the values planned for
    prefixes: bytes  # the automaton's keys (see _prefixes), NUL between them (UTF-8 holds none)
    added: array  # the positions in needles of those new since the last scan
    allowed: set[str]  # normalised
    cache: Path | None
    fingerprint: str
    needle_digests: str
    needles_token: str
    clean_before: set[str]
    known: array
    previous: Path | None
    added_all: array  # the positions of all the needles new since the last scan (`added`: those of them stored)
    partial: set[str]
    text: list[str]
    text_builds: int


def prepare_plan(
    private_values: Sequence[PrivateValue], allowed: Iterable[str] = (), cache: Path | None = None, previous: Path | None = None
) -> PlanParts:
    """Most of plan_scan's work, in a form a child process can send back (see PlanParts): the
    needles, their digests and what the caches knew."""
    allowed_norm = {normalise(a) for a in allowed}
    sources = _needle_sources(private_values, allowed_norm)
    fingerprint = _fingerprint(allowed_norm)
    digests = list(map(_needle_digest, sources))
    cached = _read_cache(cache, fingerprint) if cache else _Cached()
    if cache and not _text_complete(cached, _text_dir(cache)):
        cached = _Cached()  # no stored text to tell which new needles an unchanged file may hold: all are searched
    clean_before, needles_before = cached.clean, cached.needles
    # A file found clean last time holds no identifier; it is searched again only for the private
    # values that are new since (a week's new declarations), by an index of those alone; and of
    # those, only for the ones that the stored text of the units found clean holds (see _stored).
    added_all = array("I", [i for i, digest in enumerate(digests) if digest not in needles_before] if clean_before else [])
    added = _stored(sources, added_all, _text_dir(cache), cached.text) if cache else added_all
    # So is a unit found clean last time, in a file that changed (items.csv, when 1 % of its rows did).
    known = _read_units(_units_cache(cache), fingerprint, _needles_token(needles_before)) if cache and clean_before else array("Q")
    previous = previous if cache and clean_before and previous and previous.is_dir() else None
    # Sorted and hashed here, not after the scan (a second at national scale).
    needle_digests = sorted(set(digests))
    return PlanParts(
        "\x00".join(sources), array("I", sources.values()), b"\x00".join(_prefixes(sources)), added, allowed_norm, cache, fingerprint,
        "".join(needle_digests), _needles_token(needle_digests), clean_before, known, previous,
        added_all, cached.partial & clean_before, cached.text or [], cached.builds,
    )  # fmt: skip


def finish_plan(parts: PlanParts, private_values: Sequence[PrivateValue]) -> ScanPlan:
    """The plan from its parts and the same private values (in the same order) they were made of."""
    needles = parts.needles.split("\x00") if parts.needles else []
    sources = dict(zip(needles, map(private_values.__getitem__, parts.sources)))
    index = _PrivateIndex(sources, parts.prefixes.split(b"\x00") if parts.prefixes else [])
    added = _PrivateIndex({needles[i]: sources[needles[i]] for i in parts.added})
    added_all = _PrivateIndex({needles[i]: sources[needles[i]] for i in parts.added_all})
    return ScanPlan(
        index, parts.allowed, parts.cache, parts.fingerprint, parts.needle_digests, parts.needles_token, parts.clean_before, added, parts.known,
        parts.previous, added_all, parts.partial, parts.text, parts.text_builds,
    )  # fmt: skip


def plan_scan(
    private_values: Iterable[PrivateValue], allowed: Iterable[str] = (), cache: Path | None = None, previous: Path | None = None
) -> ScanPlan:
    """Index this build's private values (but the allowed ones) and read the caches; see scan_site."""
    values = list(private_values)
    return finish_plan(prepare_plan(values, allowed, cache, previous), values)


def scan_site(
    site_dir: Path,
    private_values: Iterable[PrivateValue] = (),
    allowed: Iterable[str] = (),
    cache: Path | None = None,
    plan: ScanPlan | None = None,
    previous: Path | None = None,
) -> list[Leak]:
    """Every leak of personal data in the built site: identifiers and this build's private values.

    allowed: published values that look like personal data or equal a private value (the
    Inspectorate's own phone, e-mail and address; a magistrate who shares a family member's
    name); they are never reported.
    cache: a file (created if missing) that remembers the hashes of the files found clean and of
    the needles they were searched for; a file whose bytes are unchanged is searched again only
    for the needles that are new, as long as the allowed values and the scanner's code are the
    same. Beside it (".units"), the hashes of the units found clean: in a file that changed, those
    are searched again only for the new needles too. Both hold hashes, no text. And (".text/")
    the normalised text of the units found clean, the site's own text: of the new needles, only
    those it holds are searched for in what was found clean (see _stored); it is begun anew, with
    a search of every file, every _TEXT_BUILDS scans.
    plan: made beforehand by plan_scan (then the other arguments but site_dir are not used).
    previous: the site this one replaces (the live one). With the cache, a big CSV or JSON file
    that changed since a version there found clean is searched in full only in its changed lines
    (see _changed_runs), and for the new needles in the rest.
    """
    plan = plan or plan_scan(private_values, allowed, cache, previous)
    found = list(_files(site_dir))
    paths = [path for path, _ in found]
    names = [name for _, name in found]
    sizes = [path.stat().st_size for path in paths]
    workers = min(os.cpu_count() or 1, _MAX_WORKERS)
    global _WORKER_STATE
    text_dir = _text_dir(plan.cache) if plan.cache else None
    store = None
    if text_dir is not None:
        text_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        store = _TextStore(text_dir / secrets.token_hex(8))
    seen = _Seen(plan.index, known=plan.known, added=plan.added, record=plan.cache is not None, keep=store)
    _WORKER_STATE = (
        plan.index, plan.allowed, plan.clean_before, seen, _Added(plan.added, _Seen(plan.added), plan.added_all, _Seen(plan.added_all), plan.partial),
        plan.previous, store,
    )  # fmt: skip
    try:
        if workers > 1 and sum(sizes) >= _PARALLEL_FROM and "fork" in multiprocessing.get_all_start_methods():
            # Largest files first, so that the last ones to finish are small; fork shares the
            # index with the workers instead of pickling 800,000 needles. Four at a time: the
            # biggest downloads, which hold the same cells, go to one worker, which searches (or
            # looks up, with a cache) each cell once and keeps it once. But one at a time where
            # they are compared with the live site: then few of their cells are searched, and
            # four to one worker kept the other idle (national rebuild: scan 16.0 → 14.2 s).
            order = sorted(range(len(paths)), key=lambda i: (-sizes[i], i))
            context = multiprocessing.get_context("fork")
            with context.Pool(workers, maxtasksperchild=None) as pool:
                jobs = [(i, paths[i], names[i]) for i in order]
                results = pool.imap_unordered(_scan_one, jobs, chunksize=1 if plan.previous else 4)
                outcomes = dict(results)
        else:
            outcomes = dict(_scan_one((i, path, name)) for i, (path, name) in enumerate(zip(paths, names)))
    finally:
        _WORKER_STATE = None
        if store is not None:
            store.close()
    clean_now = {digest for digest, found, _, _ in outcomes.values() if not found}
    partial_now = {digest for digest, found, _, partial in outcomes.values() if not found and partial}
    leaks = [leak for _, found, _, _ in outcomes.values() for leak in found]
    if plan.cache and text_dir is not None and store is not None:
        text = [*plan.text, *sorted(path.name for path in text_dir.glob(f"{store.prefix.name}-*.txt"))]
        _write_cache(plan.cache, plan.fingerprint, clean_now, plan.needle_digests, partial_now, text, plan.text_builds + 1)
        clean_units = [clean for _, _, clean, _ in outcomes.values()]
        _write_units(_units_cache(plan.cache), plan.fingerprint, plan.needles_token, clean_units)
        for path in text_dir.iterdir():  # segments no longer listed: an older series, an interrupted scan
            if path.name not in text:
                path.unlink(missing_ok=True)
    return sorted(leaks, key=lambda leak: (leak.output_file, leak.kind, leak.masked))


_MAX_WORKERS = 8
_PARALLEL_FROM = 50_000_000  # bytes of output: below, starting processes costs more than it saves


@dataclass
class _Added:
    """The needles new since the last scan that a file found clean then is searched for (with
    the units searched for them so far): those its stored text holds, or all of them where not
    all of the file's text was stored (`partial`)."""

    stored: _PrivateIndex
    seen_stored: _Seen
    every: _PrivateIndex
    seen_every: _Seen
    partial: set[str]

    def searched_in(self, digest: str) -> tuple[_PrivateIndex, _Seen]:
        """The needles a file found clean last time (by its hash) must be searched for, and the units seen so far."""
        return (self.every, self.seen_every) if digest in self.partial else (self.stored, self.seen_stored)


# What every worker needs, set before the fork (a global: fork copies it, pickling would not pay).
_WORKER_STATE: tuple[_PrivateIndex, set[str], set[str], _Seen, _Added, Path | None, _TextStore | None] | None = None


def _scan_one(job: tuple[int, Path, str]) -> tuple[int, tuple[str, list[Leak], bytes, bool]]:
    """One file searched (unless the cache knows it clean): its index, hash, leaks, the digests
    of the units found clean in it that this process had not searched before, and whether some
    of its text was not stored (a unit that held something, if only an allowed value)."""
    i, path, name = job
    assert _WORKER_STATE is not None
    index, allowed, clean_before, seen, added, previous, store = _WORKER_STATE
    data = path.read_bytes()
    digest = hashlib.blake2b(data, digest_size=20).hexdigest()
    if digest in clean_before:
        # Found clean last time: only the needles new since then are looked for.
        return i, (digest, _search_added(name, data, *added.searched_in(digest), allowed), b"", digest in added.partial)
    old = _previous_clean(previous, name, data, clean_before)
    parts = _changed_parts(name, data, old[0]) if old else None
    seen.partial = False
    if parts is None:
        leaks = _scan_file(name, data, index, allowed, seen)
    else:  # a download with a few rows changed: those rows in full, the rest for the new needles
        assert old is not None
        leaks = _scan_file(name, data, index, allowed, seen, parts=parts)
        leaks = list(dict.fromkeys(leaks + _search_added(name, data, *added.searched_in(old[1]), allowed)))
    if store is not None:
        store.flush()  # a pool's worker is terminated, not closed: nothing may wait in a buffer
    return i, (digest, leaks, seen.take_clean(), seen.partial or (old is not None and old[1] in added.partial))


def _search_added(name: str, data: bytes, added: _PrivateIndex, seen: _Seen, allowed: set[str]) -> list[Leak]:
    """The needles new since the last scan in a file it found clean (or the rows of one that
    were there then): first in the file whole, then unit by unit only where one may be (see
    _parts with only=)."""
    if not added.sources:
        return []
    return _scan_file(name, data, added, allowed, seen, values_only=True, parts=_parts(name, data, only=added))


def _previous_clean(previous: Path | None, name: str, data: bytes, clean_before: set[str]) -> tuple[Path, str] | None:
    """The previous version of a big CSV, JSON, SQLite or XLSX file in the live site and its hash, if
    the last scan found it clean (by its hash: the live site is not trusted otherwise)."""
    if previous is None or len(data) < _DIFF_FROM or not (name.lower().endswith(_DIFF_SUFFIXES) or data[:16] == _SQLITE or name.lower().endswith(".xlsx")):
        return None
    old = previous / name
    try:
        with old.open("rb") as file:
            digest = hashlib.file_digest(file, partial(hashlib.blake2b, digest_size=20)).hexdigest()
    except OSError:
        return None
    return (old, digest) if digest in clean_before else None


def _fingerprint(allowed: set[str]) -> str:
    """What a clean verdict depends on besides the file and the needles: the allowed values and
    the code of the scan and of the detectors (any edit to them empties the cache)."""
    digest = hashlib.blake2b(digest_size=20)
    for source in (Path(__file__), Path(find_identifiers.__code__.co_filename)):
        digest.update(source.read_bytes())
    for text in sorted(allowed):
        digest.update(text.encode("utf-8", "surrogatepass") + b"\x00")
    return digest.hexdigest()


def _needle_digest(needle: str) -> str:
    """A needle as the cache remembers it: a hash, never the value (16 hex digits)."""
    return hashlib.blake2b(needle.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


_NEEDLE_DIGEST = 16


@dataclass
class _Cached:
    """What the last scan with the same fingerprint remembered (nothing, if none)."""

    clean: set[str] = field(default_factory=set)  # hashes of the files found clean
    needles: set[str] = field(default_factory=set)  # digests of the needles searched for
    partial: set[str] = field(default_factory=set)  # of `clean`, the files not all of whose text is stored
    text: list[str] | None = None  # the segments of stored text (see _text_dir); None: not stored
    builds: int = 0  # how many scans have added to them


def _read_cache(cache: Path, fingerprint: str) -> _Cached:
    """What the last scan remembered, if it had the same fingerprint."""
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return _Cached()
    needles = data.get("needles") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("fingerprint") != fingerprint or not isinstance(needles, str):
        return _Cached()
    text, builds = data.get("text"), data.get("text_builds")
    return _Cached(
        {h for h in data.get("clean", []) if isinstance(h, str)},
        {needles[i : i + _NEEDLE_DIGEST] for i in range(0, len(needles), _NEEDLE_DIGEST)},
        {h for h in data.get("partial", []) if isinstance(h, str)},
        [t for t in text if isinstance(t, str)] if isinstance(text, list) else None,
        builds if isinstance(builds, int) else 0,
    )


def _write_cache(cache: Path, fingerprint: str, clean: set[str], needles: str, partial: set[str], text: list[str], builds: int) -> None:
    """Replace the cache file whole, so an interrupted write never leaves a half one. It is as
    private as registers/ (the hashes of short numbers can be reversed by trying them all): it
    lives beside --out, never in the site. The needles' digests are one string: a list of
    870,000 took a second and a half to write."""
    cache.parent.mkdir(parents=True, exist_ok=True)
    state = {"fingerprint": fingerprint, "clean": sorted(clean), "needles": needles, "partial": sorted(partial), "text": text, "text_builds": builds}
    partial_file = cache.with_name(cache.name + ".partial")
    partial_file.write_text(json.dumps(state), encoding="utf-8")
    os.chmod(partial_file, 0o600)
    os.replace(partial_file, cache)


# --- the stored text ---------------------------------------------------------------------
#
# A new private value is rarely in a page: most weeks, the new addresses and names are in no
# unchanged file. Yet proving it meant reading every unchanged file again (1.5 GB nationally,
# 20 s of CPU for two or three new values). So each scan also stores the normalised text of the
# units it found clean (holding no private value and no identifier: text of the site), and the
# next one looks for its new needles in that text first, in one pass; only those found there
# are searched for in the unchanged files. Every unit of a file found clean was searched, hence
# stored, by this scan or by an earlier one whose segments are carried on; a file with a unit
# that held something (an allowed value, a short number filtered out) is `partial`, and searched
# for every new needle as before. Without complete stored text (the first scan, a lost file,
# _TEXT_BUILDS scans since it was begun), a scan searches everything and begins it anew: so the
# text of records withdrawn since is kept no longer than that.

_TEXT_BUILDS = 8  # scans that add to the stored text before one begins it anew (as many as the releases kept)


def _text_dir(cache: Path) -> Path:
    """Where the stored text is kept: a folder beside the cache (mode 0700, its files 0600)."""
    return cache.with_name(cache.name.removesuffix(".json") + ".text")


def _text_complete(cached: _Cached, folder: Path) -> bool:
    """Whether the stored text holds every unit of the files the last scan found clean."""
    if cached.text is None or not cached.clean or cached.builds >= _TEXT_BUILDS:
        return False
    return all((folder / name).is_file() for name in cached.text)


def _stored(sources: dict[str, int], positions: array, folder: Path, segments: list[str] | None) -> array:
    """Of the needles at these positions (of sources), those that the stored text holds anywhere
    (as normalised; not only where they stand apart: more than needed, never less)."""
    if not positions or not segments:
        return array("I")
    needles = list(sources)
    automaton = ahocorasick_rs.BytesAhoCorasick([needles[i].encode("utf-8", "surrogatepass") for i in positions])
    found: set[int] = set()
    for name in segments:
        data = (folder / name).read_bytes()
        found.update(k for k, _, _ in automaton.find_matches_as_indexes(data, overlapping=True))
        if len(found) == len(positions):
            break
    return array("I", [positions[k] for k in sorted(found)])


def _private_file(path: str, flags: int) -> int:
    return os.open(path, flags, 0o600)


class _TextStore:
    """The stored text this scan adds: each process appends the normalised units it found clean
    to a segment of its own, named after the scan and the process."""

    def __init__(self, prefix: Path) -> None:
        self.prefix = prefix
        self._pid = 0
        self._file: io.BufferedWriter | None = None

    def write(self, data: bytes) -> None:
        """Append to this process's segment (opened on first use: a forked worker opens its own)."""
        if self._pid != os.getpid():
            self._pid = os.getpid()
            self._file = open(f"{self.prefix}-{self._pid}.txt", "ab", opener=_private_file)  # noqa: SIM115 - kept open across files
        assert self._file is not None
        self._file.write(data)

    def flush(self) -> None:
        """Write out what this process has buffered."""
        if self._file is not None and self._pid == os.getpid():
            self._file.flush()

    def close(self) -> None:
        """Close this process's segment, if it wrote one."""
        if self._file is not None and self._pid == os.getpid():
            self._file.close()
        self._file = None


def _units_cache(cache: Path) -> Path:
    """Where the digests of the units found clean are kept: beside the cache of files."""
    return cache.with_name(cache.name.removesuffix(".json") + ".units")


def _needles_token(needle_digests: Iterable[str]) -> str:
    """One hash of the needles a scan searched for: the unit cache is valid for those alone."""
    return hashlib.blake2b("\n".join(sorted(needle_digests)).encode(), digest_size=20).hexdigest()


_UNITS_MAGIC = b"ivss-scan-units 1\n"


def _read_units(path: Path, fingerprint: str, needles_token: str) -> array:
    """The digests of the units found clean by the last scan, sorted (here, while Pagefind runs:
    sorting after the scan took its parent three seconds), if it had the same code,
    allowed values and needles (those of the cache of files, whose new ones are searched for
    apart). An array, not a set: 20–30 MB for a national site, not 300 MB, and the workers that
    read it never copy its pages (a set's members are touched by each lookup)."""
    try:
        data = path.read_bytes()
    except OSError:
        return array("Q")
    header = _UNITS_MAGIC + f"{fingerprint} {needles_token}\n".encode()
    body = data[len(header) :]
    if not data.startswith(header) or len(body) % 8:
        return array("Q")
    return array("Q", sorted(array("Q", body)))  # a repeat does no harm to a bisection; dropping them cost a second


def _holds(known: array, digest: int) -> bool:
    """Whether a sorted array of digests holds this one."""
    at = bisect_left(known, digest)
    return at < len(known) and known[at] == digest


def _write_units(path: Path, fingerprint: str, needles_token: str, digests: list[bytes]) -> None:
    """Replace the unit cache whole (mode 0600, like the cache of files: hashes of public text
    only): the digests as 64-bit integers in this machine's byte order, as the workers kept them
    (two may both have kept a unit; _read_units sorts them)."""
    partial = path.with_name(path.name + ".partial")
    header = _UNITS_MAGIC + f"{fingerprint} {needles_token}\n".encode()
    partial.write_bytes(header + b"".join(digests))
    os.chmod(partial, 0o600)
    os.replace(partial, path)


def _files(site_dir: Path) -> Iterator[tuple[Path, str]]:
    """Every file under site_dir and its name in the site ("data/items.csv"), in a stable
    order; symbolic links to folders are not followed."""
    if not site_dir.is_dir():
        raise FileNotFoundError(f"Папката на сайта не съществува: {site_dir}")
    for folder, dirs, files in os.walk(site_dir):
        dirs.sort()
        relative = Path(folder).relative_to(site_dir).as_posix()  # once a folder: per file, it took a second at national scale
        for file in sorted(files):
            path = Path(folder, file)
            if path.is_file():
                yield path, file if relative == "." else f"{relative}/{file}"


def _scan_file(
    name: str, data: bytes, index: _PrivateIndex, allowed: set[str], seen: _Seen, values_only: bool = False, parts: Iterable[_Units] | None = None
) -> list[Leak]:
    """The leaks in one output file, each reported once (with values_only, private values only;
    with parts, only in those units of it)."""
    found_needles: set[str] = set()
    identifiers: dict[str, str] = {}  # normalised value (label left out) → kind
    raw: dict[str, str] = {}  # normalised value → as found, only to mask it
    leaks = []
    try:
        for part in _parts(name, data) if parts is None else parts:
            if values_only:
                part = replace(part, identifiers=False)
            needles, hits = seen.search(part)
            if not part.short_numbers:
                needles = {n for n in needles if not (n.isdigit() and len(n) < 9)}
            found_needles |= needles
            for norm, kind, compact in hits:
                key = normalise(compact)
                if norm not in allowed and key not in allowed:
                    identifiers.setdefault(key, kind)
                    raw.setdefault(key, compact)
    except _Unscannable as problem:  # what was read before the damage is still reported
        leaks.append(Leak(name, "unscannable", str(problem), None, None, None))
    kinds = dict.fromkeys(found_needles, "private_value")  # needle → kind of the leak
    for key, kind in sorted(identifiers.items()):
        same = [n for n in found_needles if n in key or key in n]
        if same:
            kinds.update(dict.fromkeys(same, kind))  # one leak, named by what it is, with its source
        else:
            leaks.append(Leak(name, kind, mask(raw[key], kind), None, None, None))
    by_source: dict[PrivateValue, str] = {}  # one leak per source value, whichever of its forms was found
    for needle in sorted(found_needles):
        source = index.sources[needle]
        if by_source.get(source, "private_value") == "private_value":
            by_source[source] = kinds[needle]
    leaks += [_private_leak(name, source, kind) for source, kind in by_source.items()]
    return leaks


def _unit_digest(unit: str) -> int:
    """A unit as the unit cache remembers it, across processes and builds (hash() is neither):
    64 bits, so that a leaky unit taken for a clean one is about a one-in-a-billion chance per
    rebuild (ten thousand new units against four million known)."""
    return int.from_bytes(hashlib.blake2b(unit.encode("utf-8", "surrogatepass"), digest_size=8).digest(), sys.byteorder)


_GAP = "\n\x00\n"  # between units searched together: no identifier pattern reaches across it
_Hit = tuple[str, str, str]  # an identifier: (normalised as written, kind, compact form without its label)
_Found = tuple[frozenset[str], tuple[_Hit, ...]]  # what a unit held: needles, identifiers
_MIN_UNIT = 4  # characters: the shortest identifier ("ет.3", an address) and needle are longer
_SEEN_LIMIT = 5_000_000  # hashes remembered per process (≈ 300 MB); beyond, forgotten and searched again
# The words without which a labelled identifier is not found ("ЕГН", "л.к.", "сметка", "роден"…):
# a unit holding one is also searched joined to the unit after it (a <dt> and its <dd>).
_LABEL_WORD_RE = re.compile(trie_pattern(label_words()))


class _Seen:
    """The units searched so far by this process, as hashes, and what the few that held
    something held, so that a unit repeated anywhere in the site is searched once and its
    findings are reported for every file that holds it."""

    def __init__(
        self, index: _PrivateIndex, known: array | None = None, added: _PrivateIndex | None = None, record: bool = False, keep: _TextStore | None = None
    ) -> None:
        self._index = index
        self._full: set[int] = set()  # searched for identifiers and private values
        self._values: set[int] = set()  # searched for private values only
        self._labels: set[int] = set()  # units holding a label word
        self._found: dict[int, _Found] = {}
        # Across builds: the digests of the units the last scan found clean (searched here only
        # for the `added` needles), and of those found clean now, if recorded for the next one.
        self._known = known if known is not None else array("Q")
        self._added = added
        self._record = record
        self._clean = array("Q")
        self._keep = keep  # where the normalised text of the new units found clean goes
        self.partial = False  # set when a unit that held something is met (the caller resets it per file)

    def take_clean(self) -> bytes:
        """The digests of the units found clean since the last call, back to back (then forgotten)."""
        clean, self._clean = self._clean, array("Q")
        return clean.tobytes()

    def search(self, part: _Units) -> tuple[set[str], list[_Hit]]:
        """The needles and the identifiers in part's units, each new unit searched once."""
        units = part.units
        hashes = list(map(hash, units))
        by_hash = dict(zip(hashes, units))
        keys = by_hash.keys()
        new = keys - self._full if part.identifiers else keys - self._full - self._values
        needles: set[str] = set()
        hits: list[_Hit] = []
        for key in keys & self._found.keys():
            needles |= self._found[key][0]
            hits += self._found[key][1]
            self.partial = True
        digests: dict[int, int] = {}
        if new and part.identifiers and (self._record or self._known):
            digests = {key: _unit_digest(by_hash[key]) for key in new}
            new = self._search_known(new, by_hash, digests, needles)
        if new:
            found = self._search_new([by_hash[key] for key in new], part)
            for key, (more_needles, more_hits) in zip(new, found):
                if more_needles or more_hits:
                    self._found[key] = (more_needles, more_hits)
                    needles |= more_needles
                    hits += more_hits
            (self._full if part.identifiers else self._values).update(new)
            if self._record and part.identifiers:
                self._clean.extend(digests[key] for key, (n, h) in zip(new, found) if not (n or h) and key not in self._labels)
        if part.identifiers and self._labels:
            hits += self._search_pairs(units, hashes)
        if len(self._full) + len(self._values) > _SEEN_LIMIT:  # a bound on memory, not on correctness
            self._full.clear()
            self._values.clear()
        return needles, hits

    def _search_known(self, new: set[int], by_hash: dict[int, str], digests: dict[int, int], needles: set[str]) -> set[int]:
        """Of the new units (by hash), those the last scan did not find clean; the others are
        searched here only for the needles added since (what they hold joins `needles`)."""
        known = [key for key in new if _holds(self._known, digests[key])] if self._known else []
        if not known:
            return new
        added = self._added
        found = added.find([_decode(by_hash[key]) for key in known]) if added and added.sources else [_NOTHING] * len(known)
        for key, more in zip(known, found):
            if more:
                self._found[key] = (more, ())
                needles.update(more)
                self.partial = True
            elif self._record:
                self._clean.append(digests[key])
        self._full.update(known)
        return new.difference(known)

    def _search_new(self, units: list[str], part: _Units) -> list[_Found]:
        """What each new unit holds; units are searched together, a few long texts for C."""
        decoded = list(map(_decode, units))
        result: list[_Found] = [(_NOTHING, ())] * len(units)
        markup = [i for i, text in enumerate(decoded) if "<" in text and _TAG_RE.search(text)]
        for i in markup:  # escaped markup (an Atom entry's HTML): its elements are units again
            inner, code = _cut_markup(decoded[i])
            # And what looks like a tag once decoded may be text that a reader sees: on a page,
            # "&lt;ivan@example.com&gt;" shows the address. Its inside is searched as text too.
            tags = _clean(tag[1:-1] for tag in _TAG_RE.findall(_CODE_RE.sub("", decoded[i])))
            n1, h1 = self.search(_Units(inner + tags, part.identifiers, part.short_numbers))
            n2, _ = self.search(_Units(code, False, part.short_numbers))
            result[i] = (frozenset(n1 | n2), tuple(h1))
            decoded[i] = ""
        long_enough = [i for i, text in enumerate(decoded) if len(text) >= _MIN_UNIT]
        texts = [decoded[i] for i in long_enough]
        haystack = _normalised_bytes("\x00".join(texts)) if texts else b""
        values = self._index.find(texts, haystack)
        found = _find_in_units(texts) if part.identifiers else [()] * len(texts)
        held = [k for k, (v, f) in enumerate(zip(values, found)) if v or f]
        for k in held:
            result[long_enough[k]] = (values[k], found[k])
        if held:
            self.partial = True
        if self._keep is not None and texts:
            if held:  # the units joined by NUL, normalised, are the units normalised joined by NUL
                pieces = haystack.split(b"\x00")
                for k in reversed(held):
                    del pieces[k]
                haystack = b"\x00".join(pieces)
            self._keep.write(haystack + b"\x00")
        if part.identifiers:
            self._labels.update(hash(units[i]) for i in _label_units(decoded))
        return result

    def _search_pairs(self, units: list[str], hashes: list[int]) -> list[_Hit]:
        """Identifiers across a unit with a label word and the next unit ("ЕГН:" | "75…")."""
        labels = list(compress(range(len(units) - 1), map(self._labels.__contains__, hashes)))
        hits: list[_Hit] = []
        new: dict[int, int] = {}
        for i in labels:
            key = hash((hashes[i], hashes[i + 1]))
            if key in self._found:
                hits += self._found[key][1]
            elif key not in self._full:
                new[key] = i
        if not new:
            return hits
        firsts = [_decode(units[i]) for i in new.values()]
        pairs = [first + " " + _decode(units[i + 1]) for first, i in zip(firsts, new.values())]
        for key, first, found in zip(new, firsts, _find_in_units(pairs, across=[len(f) for f in firsts])):
            if found:
                self._found[key] = (_NOTHING, found)
                hits += found
        self._full.update(new)
        return hits


def _decode(unit: str) -> str:
    """A unit as a reader sees it: JSON escapes, HTML entities and %XX decoded."""
    if "\\" in unit:
        try:
            unit = json.loads(f'"{unit}"')
        except ValueError:
            pass  # not a JSON string: its \\uXXXX are decoded below
    unit = decode_escapes(unit)
    return unit.replace("\x00", "\x01") if "\x00" in unit else unit


def _find_in_units(units: list[str], across: list[int] | None = None) -> list[tuple[_Hit, ...]]:
    """The identifiers in each unit, found in one search of all of them joined by _GAP.

    With across (an offset in each unit: where the second of a pair of units begins), only the
    identifiers that end after it: those that run across the pair, and those wholly in the
    second unit that a label in the first one makes ("Роден на" | "12.03.1975": the date alone
    is no identifier). One wholly in the first unit is that unit's own (or the break's).
    """
    if not units:
        return []
    text = _GAP.join(units)
    found = find_identifiers(text)
    result: list[tuple[_Hit, ...]] = [()] * len(units)
    if not found:
        return result
    starts = [0, *accumulate(map(len(_GAP).__add__, map(len, units)))]
    for f in found:
        i = bisect_right(starts, f.start) - 1
        if across is not None and f.end - starts[i] <= across[i]:
            continue
        written = text[f.start : f.end]
        result[i] += ((normalise(written), f.kind, "".join(_LABEL_RE.sub("", written).split())),)
    return result


def _label_units(units: list[str]) -> set[int]:
    """Which of units hold a label word, at the start of a word."""
    text = "\x00".join(units)
    low = text.lower()
    if len(low) != len(text):  # lower-casing moved the offsets ("İ"): one unit at a time
        return {i for i, unit in enumerate(units) if _has_label(unit.lower())}
    starts = [0, *accumulate(map((1).__add__, map(len, units)))]
    return {bisect_right(starts, m.start()) - 1 for m in _LABEL_WORD_RE.finditer(low) if _word_start(low, m.start())}


def _has_label(low: str) -> bool:
    return any(_word_start(low, m.start()) for m in _LABEL_WORD_RE.finditer(low))


def _word_start(text: str, i: int) -> bool:
    return i == 0 or not text[i - 1].isalnum()


# A label the redactor removes with its value ("ЕГН: 750…"): not shown in the masked value.
_LABEL_RE = re.compile(
    r"^(?:(?i:ЕГН|EGN|ЛНЧ|LNCh|личен\s+номер(?:\s+на\s+чужденец)?|лична(?:та)?\s+карта|л\.\s?к\.|лк"
    r"|документ\s+за\s+самоличност|паспорт(?:а)?|пасп\.|карта(?:та)?|сметка(?:та)?|с-ка|IBAN|рег\."
    r"|регистрационен|регистрационния|номер|VIN|рама|дата(?:та)?\s+на\s+раждане|рождена\s+дата|mailto)|[\s:№/–-])+"
)


def _private_leak(name: str, source: PrivateValue, kind: str) -> Leak:
    return Leak(name, kind, mask(source.value, source.column), source.file, source.row, source.column)
