"""Personal identifiers in free text: where they are, and the text with each one replaced.

Every detector proposes spans. A span that protects something published (a marker already
in the text, an ЕИК/БУЛСТАТ, a case or decision number) outranks every removal, and among
removals the more specific detector wins (an IBAN over a bare digit run, a labelled ЕГН
over an unlabelled one). Checksums decide for unlabelled numbers, so a 10-digit case number
whose checksum fails stays. The output scanner (generator.scan) reuses find_identifiers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from stdnum import iban, luhn
from stdnum.bg import egn, pnf

MARKERS: dict[str, str] = {
    "egn": "[ЕГН заличено]",
    "lnch": "[ЛНЧ заличено]",
    "iban": "[IBAN заличен]",
    "account": "[сметка заличена]",
    "card": "[номер на карта заличен]",
    "id_card": "[лична карта заличена]",
    "passport": "[паспорт заличен]",
    "phone": "[телефон заличен]",
    "email": "[имейл заличен]",
    "address": "[адрес заличен]",
    "cadastral": "[кадастрален идентификатор заличен]",
    "plate": "[рег. номер заличен]",
    "vin": "[VIN заличен]",
    "birth_date": "[дата на раждане заличена]",
    "name": "[име заличено]",
}

MARKER_RE = re.compile("|".join(re.escape(m) for m in MARKERS.values()))

KEEP = "keep"  # a protecting span: what it covers is published and no detector may remove it


@dataclass(frozen=True, slots=True)
class Found:
    """One identifier in a text: its kind (a key of MARKERS) and its [start, end) offsets."""

    kind: str
    start: int
    end: int


Span = tuple[int, int, str]

_SP = "[ \u00a0\u202f]"  # a space, also the non-breaking ones HTML and Word put into numbers
_MONTHS = "януари|февруари|март|април|май|юни|юли|август|септември|октомври|ноември|декември"


def _free(text: str, start: int, banned: str = "") -> bool:
    """True if text[start] does not continue a word (nor a character in banned).

    Patterns check this after matching rather than with a leading look-behind, which would
    be tried at every position of the text and costs several times the whole search.
    """
    if start == 0:
        return True
    before = text[start - 1]
    return not (before.isalnum() or before == "_" or before in banned)


def _accepted(regex: re.Pattern[str], text: str, accept: Callable[[re.Match[str]], bool]) -> Iterator[re.Match[str]]:
    """Matches of regex that accept() keeps. After a refused match the search resumes one
    character later, not after it: in "00359 87 654 3210 02 987 6543" a refused reading of
    "0 02 987" must not swallow the phone number that starts inside it."""
    pos = 0
    while (m := regex.search(text, pos)) is not None:
        if accept(m):
            yield m
            pos = max(m.end(), m.start() + 1)
        else:
            pos = m.start() + 1


def _accepted_at(
    regex: re.Pattern[str], text: str, starts: Iterable[int], accept: Callable[[re.Match[str]], bool]
) -> Iterator[re.Match[str]]:
    """The matches _accepted(regex, text, accept) yields, with regex tried only at starts.

    starts are ascending offsets, found by a pattern that re scans for quickly (one opening
    with a literal, tested with a plain comparison rather than a character class or category
    at every character), and must include every offset where regex matches and accept()
    keeps the match. A refused match in _accepted only moves the search one character on, so
    it never hides a later match: skipping offsets that cannot give a kept match changes nothing.
    """
    pos = 0
    for start in starts:
        if start >= pos and (m := regex.match(text, start)) is not None and accept(m):
            yield m
            pos = max(m.end(), start + 1)


class _Words:
    """Where the anchor words of all detectors occur in a text, found in one pass when first asked.

    A pattern opening with a case-insensitive alternation of words ("ЕГН", "л.к.", "ул.") is
    slow to search for; finding all such words at once in the lower-cased text, an
    alternation of plain literals that re scans for quickly, and matching each pattern only
    where its words are, is many times faster.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._positions: dict[str, list[int]] | None = None  # None until first asked
        self._usable = True

    def at(self, anchors: tuple[str, ...]) -> list[int] | None:
        """Sorted positions of any of anchors; None where lower-casing moved the offsets ("İ")."""
        if self._positions is None:
            self._positions = {}
            low = self._text.lower()
            self._usable = len(low) == len(self._text)
            if self._usable:
                for m in _ALL_ANCHORS_RE.finditer(low):
                    self._positions.setdefault(m.group(), []).append(m.start())
        if not self._usable:
            return None
        return sorted(i for a in anchors for i in self._positions.get(a, ()))


def _anchored(
    text: str, words: _Words, regex: re.Pattern[str], anchors: tuple[str, ...], banned: str = "."
) -> Iterator[re.Match[str]]:
    """Matches of regex that start at one of its anchor words (and not inside another word)."""
    positions = words.at(anchors)
    if positions is None:
        yield from regex.finditer(text)
        return
    end = 0
    for i in positions:
        if i >= end and _free(text, i, banned) and (m := regex.match(text, i)):
            end = m.end()
            yield m


def trie_pattern(words: Iterable[str]) -> str:
    """A regex matching any of words, longest first, nested by common prefixes ("ab(?:c|d)").

    re tries the branches of an alternation one by one at every position; nested by prefix,
    there are at most a few dozen at each level, however many the words.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _node_pattern(trie) if trie else ""


def _node_pattern(node: dict[str, dict]) -> str:
    """The pattern of one trie node: a chain of single children is written as plain text."""
    branches, singles = [], []
    for ch, child in sorted(node.items()):
        if not ch:
            continue
        chain = [ch]
        while len(child) == 1 and "" not in child:
            ((next_ch, child),) = child.items()
            chain.append(next_ch)
        text = re.escape("".join(chain))
        if list(child) != [""]:
            branches.append(text + _node_pattern(child))
        elif len(chain) == 1:
            singles.append(text)
        else:
            branches.append(text)
    if singles:
        branches.append(singles[0] if len(singles) == 1 else "[" + "".join(singles) + "]")
    pattern = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{pattern})?" if "" in node else pattern


# --- protecting spans ------------------------------------------------------------------

_EIK_RE = re.compile(
    r"(?:(?:ЕГН|ЛНЧ)\s*/\s*)?(?:ЕИК|БУЛСТАТ|ПИК|UIC|EIK|BULSTAT|ИН\s+по\s+З?ДДС|ДДС\s+№|VAT(?:\s+No\.?)?)"
    r"(?:\s*/\s*(?:ЕИК|БУЛСТАТ|ПИК|ЕГН|ЛНЧ))?(?:\s+по\s+БУЛСТАТ)?"
    rf"{_SP}*(?:[:№]|No\.?)?{_SP}*:?{_SP}*(?:BG)?{_SP}?\d{{9}}(?:\d{{4}})?(?!\d)"
)

# Case, file and act numbers are published. Court case abbreviations may stand without "№";
# ordinary words ("решение", "вх.") need "№", or "вх. 1" in an address would be protected.
_CASE_LABEL = (
    r"(?:[а-я]{1,4}\.\s?){0,3}д\.|(?i:дело|делото|дела|преписка|преписката)"
    r"|АНД|НАХД|НОХД|НЧХД|ЧНД|ЧНАХД|ВНОХД|ВНЧХД|ВНАХД|ВЧНД|КНАХД|ЧГД|ГД|ТД|ЧТД|АХД|КАД|ЧАД|НД"
)
_ACT_LABEL = (
    r"(?i:решение(?:то)?|решения|определение(?:то)?|разпореждане(?:то)?|присъда(?:та)?"
    r"|постановление(?:то)?|заповед(?:та)?|протокол(?:а)?|акт(?:а)?|писмо(?:то)?|жалба(?:та)?"
    r"|сигнал(?:а)?|доклад(?:а)?|вх\.|изх\.|пр\.|индекс|вх\.\s?рег\.|изх\.\s?рег\.)|НП|АУАН"
)
# "рег. № СА1234ВХ" is a vehicle: a number followed by letters is not protected.
_NUMBER_EXPR = r"(?:[А-ЯA-Z]{1,3}-)?\d+(?:[/.\-]\d+)*(?:\s?/\s?\d+(?:\.\d+)*)?(?![\w]|-[\w])"
_CASE_RE = re.compile(
    rf"(?:(?:{_CASE_LABEL}){_SP}*(?:№|No\.?|N)?|(?:{_ACT_LABEL}){_SP}*(?:№|No\.?))"
    rf"{_SP}*{_NUMBER_EXPR}"
)
_CASE_ANCHORS = (
    "д.", "дел", "преписк", "анд", "нахд", "нохд", "нчхд", "чнд", "чнахд", "внохд", "внчхд", "внахд", "вчнд",
    "кнахд", "чгд", "гд", "тд", "чтд", "ахд", "кад", "чад", "нд", "решени", "определени", "разпореждан",
    "присъд", "постановлени", "заповед", "протокол", "акт", "писмо", "жалба", "сигнал", "доклад", "вх.",
    "изх.", "пр.", "индекс", "нп", "ауан",
)  # fmt: skip
_EIK_ANCHORS = ("еик", "булстат", "пик", "uic", "eik", "bulstat", "ин по", "ддс", "vat", "егн", "лнч")


def _protected(text: str, words: _Words) -> Iterator[Span]:
    """Markers already in the text, ЕИК/БУЛСТАТ and case or act numbers: never removed."""
    for m in MARKER_RE.finditer(text):
        yield m.start(), m.end(), KEEP
    for m in _anchored(text, words, _EIK_RE, _EIK_ANCHORS):
        yield m.start(), m.end(), KEEP
    for m in _anchored(text, words, _CASE_RE, _CASE_ANCHORS, banned=""):  # "гр.д. №": after a dot too
        yield m.start(), m.end(), KEEP


_REACH = 160  # characters: a protecting span (label and number) that overlaps a candidate starts within this


def _protected_near(text: str, words: _Words, candidates: list[tuple[int, int, int, str]]) -> Iterator[Span]:
    """Protecting spans around the candidates only: in a long page, far cheaper than everywhere."""
    windows: list[list[int]] = []
    for _, start, end, _ in sorted(candidates, key=lambda c: c[1]):
        a, b = max(0, start - _REACH), min(len(text), end + _REACH)
        if windows and a <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], b)
        else:
            windows.append([a, b])
    if sum(b - a for a, b in windows) > len(text) // 2:
        yield from _protected(text, words)  # a short text: once over all of it
        return
    for a, b in windows:
        window = text[a:b]
        for s, e, kind in _protected(window, _Words(window)):
            yield s + a, e + a, kind


# --- e-mail ----------------------------------------------------------------------------

_EMAIL_LOCAL_RE = re.compile(r"(?:mailto:)?(?P<local>[\w.+\-]{1,64})$")
_EMAIL_DOMAIN_RE = re.compile(r"(?:[\w\-]{1,63}\.){1,8}([^\W\d_]{2,24})(?![\w\-])")
# "logo@2x.png" in a srcset is a file name, not an address.
_FILE_SUFFIXES = frozenset("png jpg jpeg gif svg webp avif ico css js mjs json pdf xml txt html htm map".split())


def _emails(text: str, words: _Words) -> Iterator[Span]:
    """E-mail addresses, found from each "@" outwards (a regex from every letter is slow)."""
    at = text.find("@")
    while at != -1:
        local = _EMAIL_LOCAL_RE.search(text, max(0, at - 72), at)
        domain = _EMAIL_DOMAIN_RE.match(text, at + 1)
        if local and domain and domain.group(1).lower() not in _FILE_SUFFIXES and local.group("local").strip("."):
            start, end = local.start(), domain.end()
            if start > 0 and text[start - 1] == "<" and text[end : end + 1] == ">":
                start, end = start - 1, end + 1
            yield start, end, "email"
        at = text.find("@", at + 1)


# --- IBAN ------------------------------------------------------------------------------

# "[A-Z][A-Z]" rather than "[A-Z]{2}": re skips quickly to a possible start only when a pattern
# opens with a single character or class, not with a repetition (the same in _VIN_RE).
_IBAN_RE = re.compile(r"[A-Z][A-Z]\d\d(?:[ \u00a0\-]?[A-Z0-9]){11,32}")
_IBAN_LABEL_RE = re.compile(rf"IBAN{_SP}*:?{_SP}*$")


def _ibans(text: str, words: _Words) -> Iterator[Span]:
    """IBANs of any country, grouped or not: the longest prefix of a candidate that validates."""
    pos = 0
    while (m := _IBAN_RE.search(text, pos)) is not None:
        end = _longest_valid_iban(text, m.start(), m.end()) if _free(text, m.start()) else None
        if end is None:
            pos = m.start() + 1  # a failed candidate may hide a real IBAN that starts inside it
            continue
        label = _IBAN_LABEL_RE.search(text, max(0, m.start() - 8), m.start())
        yield (label.start() if label else m.start()), end, "iban"
        pos = end


def _longest_valid_iban(text: str, start: int, end: int) -> int | None:
    """End offset of the longest prefix of text[start:end] that is a valid IBAN, or None."""
    positions = [i for i in range(start, end) if text[i].isalnum()]
    chars = "".join(text[i] for i in positions)
    for k in range(min(len(chars), 34), 14, -1):
        if iban.is_valid(chars[:k]):
            return positions[k - 1] + 1
    return None


# --- labelled identifiers --------------------------------------------------------------

_LABEL_SEP = rf"{_SP}*(?:№|No\.?|N|номер|:|-|–)?{_SP}*:?{_SP}*"
# The usual length first (9 for a card or passport, 10 for an ЕГН), so "ЕГН 7501010010 12 души"
# loses only the number; then any length, so a mistyped value after its label goes too.
# A number followed by a decimal mark and digits is an amount ("заем от Н. Л. К. 125000.00": the
# initials read as "л. к.", the amount is not an ID card number).
_ID_VALUE = rf"(?:[A-ZА-Я]{{1,2}}{_SP}?)?(?:\d(?:[ \u00a0\-]?\d){{8}}(?!\d|[.,]\d)|\d(?:[ \u00a0\-]?\d){{5,9}}(?!\d|[.,]\d))"
_ID10_VALUE = r"\d(?:[ \u00a0.\-]?\d){9}(?!\d|[.,]\d)|\d(?:[ \u00a0.\-]?\d){5,11}(?!\d|[.,]\d)"


@dataclass(frozen=True)
class _Label:
    """A label that announces an identifier, the words it starts with, and the value after it."""

    kind: str
    anchors: tuple[str, ...]
    regex: re.Pattern[str]


def _label(kind: str, anchors: tuple[str, ...], label: str, value: str) -> _Label:
    """A label pattern, its separator ("№", ":") and the value pattern, compiled once."""
    return _Label(kind, anchors, re.compile(rf"(?P<label>{label}){_LABEL_SEP}(?P<value>{value})"))


# An adjective before the label ("банкова сметка", "задграничен паспорт") stays in the text.
_LABELS: tuple[_Label, ...] = (
    _label("egn", ("егн", "egn", "личен номер"), r"(?i:ЕГН|EGN|личен\s+номер)(?:/ЛНЧ)?", _ID10_VALUE),
    _label("lnch", ("лнч", "lnch", "личен номер на чужденец"), r"(?i:ЛНЧ|LNCh|личен\s+номер\s+на\s+чужденец)", _ID10_VALUE),
    _label(
        "id_card",
        ("лична карта", "личната карта", "л.к.", "л. к.", "лк", "документ за самоличност"),
        r"(?i:лична(?:та)?\s+карта|л\.\s?к\.|лк|документ\s+за\s+самоличност)",
        _ID_VALUE,
    ),
    _label("passport", ("паспорт", "пасп."), r"(?i:паспорт(?:а)?|пасп\.)", _ID_VALUE),
    _label("card", ("карта",), r"(?i:карта(?:та)?)", r"\d(?:[ \u00a0\-]?\d){12,18}(?!\d)"),
    _label("account", ("сметка", "с-ка"), r"(?i:сметка(?:та)?|с-ка)", r"[A-Z0-9](?:[ \u00a0\-]?[A-Z0-9]){5,33}(?![A-Za-z0-9])"),
)
# "карта" is a payment card only after one of these ("лична карта" is an ID card).
_CARD_BEFORE_RE = re.compile(r"(?i:банкова|дебитна|кредитна|платежна|разплащателна|на)[ \u00a0]+$")
_TRAILING_WORD_RE = re.compile(r"[ \u00a0\u202f\-]+[A-Z]+$")


def _labelled(label: _Label) -> Callable[[str, _Words], Iterator[Span]]:
    """A detector for one kind of identifier after its label ("ЕГН:", "л.к. №", "сметка №")."""

    def detect(text: str, words: _Words) -> Iterator[Span]:
        for m in _anchored(text, words, label.regex, label.anchors):
            value = m.group("value")
            if label.kind == "card" and not _CARD_BEFORE_RE.search(text, max(0, m.start() - 16), m.start()):
                continue
            if label.kind == "account":
                if sum(c.isdigit() for c in value) < 6:
                    continue
                value = _TRAILING_WORD_RE.sub("", value)  # "1234567890 EUR": the currency stays
            yield m.start(), m.start("value") + len(value), label.kind  # the label goes with the value

    detect.__name__ = f"_labelled_{label.kind}"
    return detect


# --- dates of birth --------------------------------------------------------------------

_DATE = (
    rf"(?:\d{{1,2}}[./\-]\d{{1,2}}[./\-](?:19|20)\d\d|(?:19|20)\d\d-\d{{1,2}}-\d{{1,2}}"
    rf"|\d{{1,2}}{_SP}+(?:{_MONTHS}){_SP}+(?:19|20)\d\d)(?!\d)"
)
_BIRTH_RE = re.compile(
    rf"(?:(?P<verb>(?i:роден|родена|родено|родени|родения|родената|роден/а){_SP}+на{_SP}+)"
    rf"|(?P<noun>(?i:(?:дата(?:та)?{_SP}+на{_SP}+раждане|рождена{_SP}+дата|д\.{_SP}?р\.)){_SP}*[:\-–]?{_SP}*))"
    rf"(?P<date>{_DATE})"
)
_BIRTH_ANCHORS = ("роден", "дата на раждане", "датата на раждане", "рождена дата", "д.р.", "д. р.")


def label_words() -> frozenset[str]:
    """The words without which a labelled identifier (or a date of birth) is not found: "ЕГН",
    "л.к.", "сметка", "роден"…, lower case. The output scan joins a unit holding one to the next."""
    return frozenset({*(word for label in _LABELS for word in label.anchors), *_BIRTH_ANCHORS})


def _birth_dates(text: str, words: _Words) -> Iterator[Span]:
    """Dates after "роден на" (the verb stays) or "дата на раждане:" (removed with the date)."""
    for m in _anchored(text, words, _BIRTH_RE, _BIRTH_ANCHORS):
        start = m.start("date") if m.group("verb") else m.start()
        yield start, m.end("date"), "birth_date"


# --- cadastral identifiers -------------------------------------------------------------

_CADASTRAL_RE = re.compile(r"\d{5}\.\d{1,5}\.\d{1,4}(?:\.\d{1,3}){0,2}(?![\d]|\.\d)")
# The first dot of an identifier, five digits before it (see _accepted_at): the pattern opens
# with the dot and looks back from it. Only the dot is consumed, so no dot is passed over.
_CADASTRAL_DOT_RE = re.compile(r"\.(?<=\d{5}\.)(?=\d{1,5}\.\d)")


def _cadastral(text: str, words: _Words) -> Iterator[Span]:
    """Cadastral identifiers: EKATTE.area.plot, optionally .building.unit."""
    starts = (dot.start() - 5 for dot in _CADASTRAL_DOT_RE.finditer(text))
    for m in _accepted_at(_CADASTRAL_RE, text, starts, lambda m: m.start() == 0 or text[m.start() - 1] not in "0123456789."):
        yield m.start(), m.end(), "cadastral"


# --- phone numbers ---------------------------------------------------------------------

_PH_SEP = r"[ \u00a0\u202f\-/]"
_INTL_PHONE_RE = re.compile(
    rf"(?:\+|00){_SP}?359{_PH_SEP}?(?:\(0\){_SP}?)?(?:\(\d{{1,4}}\){_SP}?)?\d?(?:{_PH_SEP}?\d){{6,9}}(?!\d)"
)
_NATIONAL_PHONE_RE = re.compile(rf"(?:\(0\d{{1,4}}\){_SP}?|0)(?:{_PH_SEP}?\d){{5,9}}(?!\d)")
_MOBILE_PREFIXES = ("087", "088", "089", "098", "099")
_CASE_SHAPE_RE = re.compile(r"0\d*/(?:19|20)\d\d")  # "0345/2024" is a case number, not a phone
_DIGITS_RE = re.compile(r"\d+")
# Where a phone number can start (see _accepted_at), found by patterns that open with a
# literal. An international one has its "359" 1-3 characters after its start ("+359", "00 359").
_359_RE = re.compile("359")
# A national one opens with "(0", or with "0" and then a digit: _is_national_phone refuses "0"
# alone as a group and wants 9 or 10 digits, so 8 more follow the "0", grouped in any way. The
# look-behind is _phone_may_start's first test (\w is exactly isalnum() or "_"), put after the
# "0" so that the pattern still opens with a literal: "2019-027048" is refused in re. Only the
# "0" is consumed, so no "0" is passed over.
_PAREN_ZERO_RE = re.compile(r"\(0")
_ZERO_RE = re.compile(rf"0(?<![\w+]0)(?=\d(?:{_PH_SEP}?\d){{7}})")


def _phones(text: str, words: _Words) -> Iterator[Span]:
    """Bulgarian phone numbers, international (+359, 00359) or national (0…), any grouping."""
    starts = sorted({m.start() - k for m in _359_RE.finditer(text) for k in (1, 2, 3) if m.start() >= k})
    for m in _accepted_at(_INTL_PHONE_RE, text, starts, lambda m: _phone_may_start(text, m.start()) and _is_international_phone(m.group())):
        yield m.start(), m.end(), "phone"
    starts = sorted([m.start() for m in _PAREN_ZERO_RE.finditer(text)] + [m.start() for m in _ZERO_RE.finditer(text)])
    for m in _accepted_at(_NATIONAL_PHONE_RE, text, starts, lambda m: _phone_may_start(text, m.start()) and _is_national_phone(m.group())):
        yield m.start(), m.end(), "phone"


def _phone_may_start(text: str, start: int) -> bool:
    """Not inside a word or number, nor after a decimal point ("9.045 19 12 19" in an SVG
    path); after an abbreviation ("тел.0887…") is fine."""
    if start == 0:
        return True
    if not _free(text, start, "+"):
        return False
    return not (text[start - 1] == "." and (start < 2 or not text[start - 2].isalpha()))


def _is_international_phone(candidate: str) -> bool:
    """8 or 9 digits after +359 (an optional trunk 0 dropped); only the area code may be one digit."""
    groups = _DIGITS_RE.findall(candidate.split("359", 1)[1])
    national = "".join(groups).removeprefix("0")
    return len(national) in (8, 9) and national[0] != "0" and all(len(g) > 1 for g in groups[1:])


def _is_national_phone(candidate: str) -> bool:
    """Ten digits with a mobile prefix, or nine with a landline area code, in groups of 2+."""
    groups = _DIGITS_RE.findall(candidate)
    digits = "".join(groups)
    if min(len(g) for g in groups) < 2:
        return False  # "0 0 24 24", coordinates and the like
    if len(digits) == 10:
        return digits.startswith(_MOBILE_PREFIXES)
    if len(digits) == 9 and digits[1] in "23456789" and not digits.startswith(_MOBILE_PREFIXES):
        return not _CASE_SHAPE_RE.fullmatch(candidate.replace(" ", ""))
    return False


# --- ЕГН, ЛНЧ and card numbers by checksum ------------------------------------------------

# Groups of 2+ digits joined by single separators, ten digits at least (the second look-ahead
# counts them, so dates and short numbers are passed over inside re); not a decimal
# (".7720588235em"). The first look-ahead follows from the second (nine more digits, each after
# at most one separator, are nine characters of its class at least): one class repeated, re
# checks it in a tight loop and refuses most starts (dates, amounts) before trying the second.
_RUN_SEP = r"[ \u00a0\u202f.\-]"
_RUN_RE = re.compile(
    rf"\d(?=[\d \u00a0\u202f.\-]{{9}})(?=(?:{_RUN_SEP}?\d){{9}})(?:\d{{9,}}|\d+(?:{_RUN_SEP}\d{{2,}})+)(?![\d]|\.\d)"
)
# Where whole groups of a run are shaped like an identifier, as _first_identifier_from wants:
# an ЕГН or ЛНЧ (10, 6+4, 2+2+2+4 or 3+3+4 digits) or a card (13-19 digits in one group, or in
# three groups or more, all but the last of 4-6 digits (two such make 12 at most), not joined
# by dots). Most runs are not ("2019-027048"): one search refuses them instead of the Python
# loop over their groups. Within a run, groups are joined by exactly one separator (\D).
_ID_SHAPE_RE = re.compile(
    r"(?<!\d)(?:(?:\d{10}|\d{6}\D\d{4}|\d\d\D\d\d\D\d\d\D\d{4}|\d{3}\D\d{3}\D\d{4}|\d{13,19})(?!\d)"
    r"|\d{4,6}[^\d.]\d{4,6}[^\d.]\d)"
)
_YEAR_RE = re.compile(r"(?:19|20)\d\d")


def _numbers(text: str, words: _Words) -> Iterator[Span]:
    """Unlabelled ЕГН, ЛНЧ and card numbers: runs of digits whose checksum passes.

    A run ("2024 750101 0010") is split into its groups; each stretch of consecutive groups
    that is shaped like the identifier is checked, so one run may hold several.
    """
    for run in _RUN_RE.finditer(text):
        if len(run.group()) < 10 or not _ID_SHAPE_RE.search(run.group()):
            continue
        groups = [(g.start() + run.start(), g.end() + run.start()) for g in _DIGITS_RE.finditer(run.group())]
        if sum(e - s for s, e in groups) < 10:
            continue
        i = 0
        while i < len(groups):
            hit = _first_identifier_from(text, groups, i)
            if hit is None:
                i += 1
                continue
            j, kind = hit
            yield groups[i][0], groups[j][1], kind
            i = j + 1


def _first_identifier_from(text: str, groups: list[tuple[int, int]], i: int) -> tuple[int, str] | None:
    """The longest stretch groups[i..j] that is a card, ЕГН or ЛНЧ: (j, kind), or None."""
    if groups[i][0] > 0 and text[groups[i][0] - 1] == ".":
        return None  # the stretch would start inside a decimal, "12.7501010010" or ".7720588235"
    total, last = 0, i - 1
    while last + 1 < len(groups) and total + groups[last + 1][1] - groups[last + 1][0] <= 19:
        last += 1
        total += groups[last][1] - groups[last][0]
    for j in range(last, i - 1, -1):
        if j + 1 < len(groups) and text[groups[j][1]] == ".":
            continue  # nor end inside one
        parts = [text[s:e] for s, e in groups[i : j + 1]]
        seps = {text[groups[k][1]] for k in range(i, j)}
        digits = "".join(parts)
        if 13 <= len(digits) <= 19 and _card_shaped(parts, seps) and luhn.is_valid(digits):
            return j, "card"
        if len(digits) == 10 and _id_shaped(parts, seps):
            if egn.is_valid(digits):
                return j, "egn"
            if pnf.is_valid(digits):
                return j, "lnch"
    return None


def _card_shaped(parts: list[str], seps: set[str]) -> bool:
    """One block, or blocks of 4-6 digits joined by one kind of space or dash (4-4-4-4, 4-6-5)."""
    digits = "".join(parts)
    if digits[0] == "0" or len(set(digits)) == 1 or len(seps) > 1 or "." in seps:
        return False
    return len(parts) == 1 or (all(4 <= len(p) <= 6 for p in parts[:-1]) and len(parts[-1]) <= 6)


_ID_GROUPINGS = ([10], [6, 4], [2, 2, 2, 4], [3, 3, 4])


def _id_shaped(parts: list[str], seps: set[str]) -> bool:
    """ЕГН/ЛНЧ as one block or grouped as people write them (750101 0010, 75 01 01 0010),
    with one kind of separator: "33.33333333", "52 24 137 158" in an SVG path are not."""
    return len(seps) <= 1 and [len(p) for p in parts] in _ID_GROUPINGS


# --- vehicles --------------------------------------------------------------------------

_REGIONS = "ВТ ВН ВР ЕВ ЕН КН ОВ РА РВ РК РР СА СВ СН СМ СО СС СТ ТХ А В Е К М Н Р С Т У Х".split()
_PLATE_LETTERS = "АВЕКМНОРСТУХABEKMHOPCTYX"
_TO_CYRILLIC = str.maketrans("ABEKMHOPCTYX", "АВЕКМНОРСТУХ")
# The region is checked in Python: an alternation of 29 codes here made the search 15 times slower.
_PLATE_RE = re.compile(
    rf"(?P<region>[{_PLATE_LETTERS}][{_PLATE_LETTERS}]?){_SP}?-?(?P<digits>\d{{4}})"
    rf"{_SP}?-?[{_PLATE_LETTERS}]{{1,2}}(?![\w\-])"
)
_REGION_SET = frozenset(_REGIONS)
_PLATE_LABEL_RE = re.compile(rf"(?i:рег\.|регистрационен|регистрационния){_SP}*(?:(?i:номер)|№){_SP}*:?{_SP}*$")
_VIN_RE = re.compile(r"[A-HJ-NPR-Z0-9][A-HJ-NPR-Z0-9]{12}\d{4}(?![\w+/=\-])")  # one class first: see _IBAN_RE
_VIN_LABEL_RE = re.compile(rf"(?:VIN|(?i:рама|номер{_SP}+на{_SP}+рама)){_SP}*(?:№|:)?{_SP}*$")


def _vehicles(text: str, words: _Words) -> Iterator[Span]:
    """Registration plates (СА 1234 ВХ, CA1234BX) and VINs (17 characters, last four digits)."""
    for m in _accepted(_PLATE_RE, text, lambda m: _is_plate(text, m)):
        yield _with_label(text, m.start(), _PLATE_LABEL_RE, 24), m.end(), "plate"
    for m in _accepted(_VIN_RE, text, lambda m: _free(text, m.start(), "+/=-") and any(c.isalpha() for c in m.group())):
        yield _with_label(text, m.start(), _VIN_LABEL_RE, 16), m.end(), "vin"


def _is_plate(text: str, m: re.Match[str]) -> bool:
    """A known region code, not inside a word; "В 2024 ЕС …" opening a sentence is prose."""
    if not _free(text, m.start(), "-") or m.group("region").translate(_TO_CYRILLIC) not in _REGION_SET:
        return False
    return not (len(m.group("region")) == 1 and _YEAR_RE.fullmatch(m.group("digits")))


def _with_label(text: str, start: int, label: re.Pattern[str], reach: int) -> int:
    """start moved back over a label just before it ("рег. № ", "VIN: "), which goes too."""
    m = label.search(text, max(0, start - reach), start)
    return m.start() if m else start


# --- street addresses ------------------------------------------------------------------

# A quoted name starts with a letter or digit: in JSON, '", "' between two fields is no street.
_QUOTED = r"[„\"“«]\w[^„\"“”»\n]{0,79}[“\"”»]"
_ADDR_WORD = r"(?:[А-ЯA-Z]\.|[А-ЯA-Z][\w\-]+|\d{1,3}-?(?:ти|ви|ри|ми|та|ва|ра|ма)(?![\w]))"
_ADDR_NAME = rf"(?:{_QUOTED}|{_ADDR_WORD}(?:{_SP}+(?:{_ADDR_WORD}|(?:{_MONTHS})(?![\w]))){{0,4}})"
_HOUSE_NO = (
    rf"(?:{_SP}*(?:№|No\.?|N)?{_SP}*\d{{1,4}}(?:[А-Яа-яA-Za-z](?![\w]))?"
    rf"(?:{_SP}?[-/]{_SP}?\d{{1,4}}(?:[А-Яа-я](?![\w]))?)?(?![\d\w]))"
)
_STREET = rf"(?i:ул\.|улица|бул\.|булевард|пл\.|площад){_SP}*{_ADDR_NAME}{_HOUSE_NO}?"
# "ж.к." only with a small "к": "Ж. К." is a person's initials ("заем от К. Ж. К.").
_AREA = (
    rf"(?:[жЖ]\.{_SP}?к\.|[жЖ]к\.?|ЖК|[жЖ]\.к|(?i:квартал)|(?i:кв\.)(?!{_SP}?(?:м|км|см|мм|метра|метри)(?![\w])))"
    rf"{_SP}*{_ADDR_NAME}(?:{_SP}*\d{{1,3}}(?![\d\w]))?"
)
_UNIT = rf"(?i:бл\.|вх\.|ет\.|ап\.){_SP}*[\dА-ЯA-Z][\dА-Яа-яA-Za-z]{{0,3}}(?:-\d{{1,4}})?(?![\w])"
_PART = rf"(?:{_STREET}|{_AREA}|{_UNIT})"
_ADDRESS_RE = re.compile(rf"{_PART}(?:{_SP}*[,;]?{_SP}*{_PART})*")
_ADDRESS_ANCHORS = (
    "ул.", "улица", "бул.", "булевард", "пл.", "площад", "ж.к", "ж. к", "жк", "квартал", "кв.", "бл.", "вх.", "ет.", "ап.",
)  # fmt: skip


def _addresses(text: str, words: _Words) -> Iterator[Span]:
    """Street, quarter, block, entrance, floor and flat, chained into one span; the town stays."""
    for m in _anchored(text, words, _ADDRESS_RE, _ADDRESS_ANCHORS):
        yield m.start(), m.end(), "address"


# --- the engine ------------------------------------------------------------------------

_REMOVALS: tuple[tuple[int, Callable[[str, _Words], Iterator[Span]]], ...] = (
    (90, _emails),
    (85, _ibans),
    *((80, _labelled(label)) for label in _LABELS),
    (75, _birth_dates),
    (70, _cadastral),
    (65, _phones),
    (60, _numbers),
    (55, _vehicles),
    (50, _addresses),
)
_PROTECTING_PRIORITY = 100
# Overlapping anchors are harmless here: where a longer one wins ("лична карта" over "карта",
# "бул." over "ул."), the shorter one's pattern would not apply anyway.
_ALL_ANCHORS_RE = re.compile(
    trie_pattern({*_CASE_ANCHORS, *_EIK_ANCHORS, *_BIRTH_ANCHORS, *_ADDRESS_ANCHORS, *(w for x in _LABELS for w in x.anchors)})
)
# Every identifier has a digit or an "@", except an address given by street name alone.
_TRIGGER_RE = re.compile(r"[\d@]|(?i:ул\.|бул\.|пл\.|кв\.|жк|ж\.[ \u00a0]?к|улица|булевард|площад|квартал)")


def find_identifiers(text: str) -> list[Found]:
    """Every personal identifier in text, left to right, without overlaps."""
    if not _TRIGGER_RE.search(text):
        return []
    words = _Words(text)
    candidates = [(prio, s, e, kind) for prio, detect in _REMOVALS for s, e, kind in detect(text, words)]
    if not candidates:
        return []  # nothing to protect either: the protecting patterns are only run when needed
    candidates += [(_PROTECTING_PRIORITY, s, e, kind) for s, e, kind in _protected_near(text, words, candidates)]
    # Higher priority first; within one priority the leftmost, then the longest.
    candidates.sort(key=lambda c: (-c[0], c[1], c[1] - c[2]))
    taken = bytearray(len(text))
    found = []
    for _, start, end, kind in candidates:
        if taken.find(1, start, end) != -1:
            continue
        taken[start:end] = b"\x01" * (end - start)
        if kind != KEEP:
            found.append(Found(kind, start, end))
    found.sort(key=lambda f: f.start)
    return found


def redact_identifiers(text: str) -> str:
    """text with every identifier replaced by its marker from MARKERS."""
    found = find_identifiers(text)
    if not found:
        return text
    pieces, pos = [], 0
    for f in found:
        pieces += [text[pos : f.start], MARKERS[f.kind]]
        pos = f.end
    pieces.append(text[pos:])
    return "".join(pieces)
