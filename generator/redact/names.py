"""Names of private persons in free text become initials; magistrates, bodies and companies stay.

A name is two or three consecutive capitalised Cyrillic words that start with a known
Bulgarian first name (first_names.txt), or one to three such words after a cue ("г-н",
"жалбоподателят", "съпругата"…). Initials follow from the words themselves, so every mention
of a person gets the same ones; a surname standing alone is replaced too once the text has
named its owner. Names in `public_names` (magistrates in the registers) are kept, matched
case-insensitively on the full name or on first and last name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.redact.identifiers import MARKER_RE, trie_pattern

_FIRST_NAMES_FILE = Path(__file__).with_name("first_names.txt")


def _load_first_names(path: Path) -> frozenset[str]:
    """The first-name list: one name a line, '#' starts a comment line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


FIRST_NAMES: frozenset[str] = _load_first_names(_FIRST_NAMES_FILE)

CUES: tuple[str, ...] = (
    "г-н", "г-жа", "г-ца", "господин", "госпожа", "лицето", "лицата",
    "жалбоподателят", "жалбоподателя", "жалбоподателката", "жалбоподател",
    "гражданинът", "гражданина", "гражданката", "съпругата", "съпругът", "съпруга", "съпругa",
    "детето", "децата", "сина", "синът", "дъщерята", "майката", "бащата",
    "ищецът", "ищеца", "ищцата", "ответникът", "ответника", "ответницата",
    "заявителят", "заявителя", "заявителката", "молителят", "молителката",
    "свидетелят", "свидетеля", "свидетелката", "наследникът", "наследницата",
)  # fmt: skip

# Capitalised words that follow a first name inside a sentence without being a surname.
STOP_WORDS: frozenset[str] = frozenset(
    """Окръжен Окръжния Окръжният Районен Районния Районният Апелативен Апелативния Апелативният
    Административен Административния Административният Върховен Върховния Върховният Военен
    Военния Военният Специализиран Специализирания Софийски Софийския Софийският Висш Висшия
    Висшият Инспекторат Инспектората Инспекторатът Прокуратура Прокуратурата Съд Съдът Съда
    Закон Закона Законът Република Републиката България Министерство Министерството Народно
    Народното Събрание Конституционен Конституционния Конституцията Комисия Комисията Съвет Съвета
    Съветът Европейски Европейския Европейският Регламент Регламента Кодекс Кодекса Наредба
    Наредбата Правилник Правилника Община Общината Общински Областна Областен Агенция Агенцията
    Държавна Държавен Национален Национална Главна Главен Дирекция Дирекцията Банка Банката""".split()
)

# First names that are also places or brands ("София Тех Парк", "Елена Балкан"): a name only
# if a surname-like word follows.
PLACE_LIKE_FIRST_NAMES: frozenset[str] = frozenset({"София", "Елена", "Мира", "Рая", "Ясен", "Ради", "Камен", "Ангел"})
_SURNAME_RE = re.compile(r".+(?:ов|ова|ев|ева|ски|ска|цки|цка|ин|ина|ян|ич|ьов|ьова)(?:-[А-Я].+)?")

_SP = "[ \u00a0]"
_CAP = r"[А-Я][а-яѝ]+(?:-[А-Я][а-яѝ]+)?"
_WORD_RE = re.compile(_CAP)
_CAPITAL_RE = re.compile(r"[А-Я][а-яѝ]")
# Two or more capitalised words: a lone one ("Съдът", "Петров") is a name only after a cue.
_RUN_RE = re.compile(rf"{_CAP}(?:{_SP}{_CAP})+(?![\w\-])")
# Cues are looked for in the lower-cased text (a trie of literals is fast to search for; a
# case-insensitive alternation is not), then the name is matched right after the cue.
_CUE_WORD_RE = re.compile(rf"(?:{trie_pattern(CUES)})(?={_SP})")
_AFTER_CUE_RE = re.compile(rf"{_SP}+(?P<name>{_CAP}(?:{_SP}{_CAP}){{0,2}})(?![\w\-])")
_CUE_SET = frozenset(CUES)

# A run right after these is a place or a saint, not a person ("гр. Елена", "Св. Климент Охридски").
_PLACE_BEFORE_RE = re.compile(
    r"(?:(?<![\w])(?:гр|с|Св|св|ул|бул|пл|кв|ж\.к|р)\.|(?<![\w])(?:град|село|Свети|Света|свети|света|община|област"
    r"|Община|Област|река|връх|проход|местност))[ \u00a0]*$"
)
_QUOTED_RE = re.compile(r"[„\"“«][^„\"“”»\n]{1,100}[“\"”»]")
_LEGAL_FORM_AFTER_RE = re.compile(r"[ \u00a0,]*(?:ЕООД|ООД|ЕАД|АД|СД|КД|КДА|ДЗЗД|АДСИЦ|ЮЛНЦ)(?![\w])")
_INSTITUTION = (
    r"(?:ЕТ|фирма|фирмата|дружество(?:то)?|търговец|кооперация(?:та)?|фондация(?:та)?|сдружение(?:то)?"
    r"|читалище(?:то)?|училище(?:то)?|университет(?:а)?|гимназия(?:та)?|болница(?:та)?|банка(?:та)?"
    r"|Банка|МБАЛ|УМБАЛ|СБАЛ|ДКЦ|СУ|ОУ|ОбУ|ПГ|НУ|НЧ|ПП|партия(?:та)?|Университет|Фондация|Сдружение)"
)
# Companies keep their names even where a trade name holds a person's ("ЕТ „Иван Петров – 77“"):
# a quoted name after an institution word or before a legal form, and an ЕТ without quotes.
_INSTITUTION_BEFORE_RE = re.compile(rf"(?<![\w]){_INSTITUTION}{_SP}*$")
_SOLE_TRADER_RE = re.compile(rf"ЕТ{_SP}+{_CAP}(?:{_SP}{_CAP}){{0,2}}(?:{_SP}*[–\-]{_SP}*[\w]+)?")


@dataclass(frozen=True, slots=True)
class _Mention:
    """Where a name is written and its words."""

    start: int
    end: int
    words: tuple[str, ...]


def _key(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(w.casefold() for w in words)


def initials(words: Iterable[str]) -> str:
    """"Иван Петров Стоянов" → "И. П. С."; a double surname keeps its hyphen: "П.-И."."""
    return " ".join("-".join(part[0] + "." for part in word.split("-")) for word in words)


class NameRedactor:
    """Replaces names of private natural persons with initials (or with one marker)."""

    def __init__(self, public_names: Iterable[str] = (), marker: str | None = None) -> None:
        """public_names are full names that stay; marker, if given, replaces names instead of initials."""
        self._marker = marker
        self._public_full: set[tuple[str, ...]] = set()
        self._public_first_last: set[tuple[str, str]] = set()
        self._public_surnames: set[str] = set()
        for name in public_names:
            words = _key(name.split())
            if len(words) >= 2:
                self._public_full.add(words)
                self._public_first_last.add((words[0], words[-1]))
                self._public_surnames.add(words[-1])

    def redact(self, text: str) -> str:
        """text with every private person's name, and later bare surname, replaced."""
        if not _CAPITAL_RE.search(text):
            return text
        taken = _Taken(len(text))
        for start, end in _protected_spans(text):
            taken.mark(start, end)
        mentions = self._mentions(text, taken)
        private = self._private(mentions)
        if not private:
            return text
        spans = [(m.start, m.end, self._replacement(m.words)) for m in private]
        spans += self._bare_surnames(text, private, taken)
        return _apply(text, spans)

    def _private(self, mentions: list[_Mention]) -> list[_Mention]:
        """The mentions that are not magistrates; a lone surname after a cue ("г-жа Иванова")
        is a magistrate's only if no private person in the text bears it."""
        full = [m for m in mentions if len(m.words) > 1 and not self._is_public(m.words)]
        surnames = {m.words[-1] for m in full}
        alone = [m for m in mentions if len(m.words) == 1]
        return full + [m for m in alone if m.words[0] in surnames or m.words[0].casefold() not in self._public_surnames]

    def _is_public(self, words: tuple[str, ...]) -> bool:
        key = _key(words)
        return key in self._public_full or (key[0], key[-1]) in self._public_first_last

    def _replacement(self, words: tuple[str, ...]) -> str:
        return self._marker or initials(words)

    def _mentions(self, text: str, taken: _Taken) -> list[_Mention]:
        """Every name in text (public or private), from cues first, then from first names."""
        mentions: list[_Mention] = []
        for m in _after_cues(text):
            words = _name_words(text, m.start("name"), m.end("name"), allow_single=True)
            if words and not taken.overlaps(words[0][0], words[-1][1]):
                mentions.append(_Mention(words[0][0], words[-1][1], tuple(w for _, _, w in words)))
                taken.mark(words[0][0], words[-1][1])
        for run in _RUN_RE.finditer(text):
            if run.start() and (text[run.start() - 1].isalnum() or text[run.start() - 1] in "_-"):
                continue  # a capital inside a word; checked here, as a look-behind is slow
            for mention in self._names_in_run(text, run.start(), run.end()):
                if not taken.overlaps(mention.start, mention.end):
                    mentions.append(mention)
                    taken.mark(mention.start, mention.end)
        return mentions

    def _names_in_run(self, text: str, start: int, end: int) -> list[_Mention]:
        """Names inside one run of capitalised words: from a first name, or after a cue word."""
        words = [(m.start() + start, m.end() + start, m.group()) for m in _WORD_RE.finditer(text[start:end])]
        found, k = [], 0
        while k < len(words):
            word = words[k][2]
            cue = word.casefold() in _CUE_SET
            if word in FIRST_NAMES or cue:
                first = k + 1 if cue else k
                name = _trim(words[first : first + 3], allow_single=cue)
                if word in PLACE_LIKE_FIRST_NAMES and not (len(name) > 1 and _SURNAME_RE.fullmatch(name[1][2])):
                    name = []
                place = k == 0 and _PLACE_BEFORE_RE.search(text, max(0, start - 12), start)
                if name and not place:
                    found.append(_Mention(name[0][0], name[-1][1], tuple(w for _, _, w in name)))
                    k = first + len(name)
                    continue
            k += 1
        return found

    def _bare_surnames(
        self, text: str, private: list[_Mention], taken: _Taken
    ) -> list[tuple[int, int, str]]:
        """A private person's surname standing alone, anywhere in the same text."""
        surnames = {m.words[-1] for m in private}
        if not surnames:
            return []
        pattern = re.compile(rf"(?<![\w\-])(?:{'|'.join(map(re.escape, surnames))})(?![\w\-])")
        spans = []
        for m in pattern.finditer(text):
            if taken.overlaps(m.start(), m.end()) or _PLACE_BEFORE_RE.search(text, max(0, m.start() - 12), m.start()):
                continue
            spans.append((m.start(), m.end(), self._marker or initials([m.group()])))
        return spans


def _after_cues(text: str) -> Iterator[re.Match[str]]:
    """The capitalised words right after each cue ("г-н", "жалбоподателят") in text."""
    low = text.lower()
    if len(low) != len(text):  # lower-casing moved the offsets ("İ"): no cue is looked for
        return
    for cue in _CUE_WORD_RE.finditer(low):
        if cue.start() and (low[cue.start() - 1].isalnum() or low[cue.start() - 1] in "_-"):
            continue
        if m := _AFTER_CUE_RE.match(text, cue.end()):
            yield m


def _name_words(text: str, start: int, end: int, allow_single: bool) -> list[tuple[int, int, str]]:
    words = [(m.start() + start, m.end() + start, m.group()) for m in _WORD_RE.finditer(text[start:end])]
    return _trim(words, allow_single)


def _trim(words: list[tuple[int, int, str]], allow_single: bool) -> list[tuple[int, int, str]]:
    """The words up to the first one that is not a name part; [] if too few remain."""
    kept = []
    for word in words:
        if word[2] in STOP_WORDS:
            break
        kept.append(word)
    return kept if len(kept) >= (1 if allow_single else 2) else []


def _protected_spans(text: str) -> list[tuple[int, int]]:
    """Markers and company names: no name is looked for inside them."""
    spans = [(m.start(), m.end()) for m in MARKER_RE.finditer(text)]
    for q in _QUOTED_RE.finditer(text):
        if _INSTITUTION_BEFORE_RE.search(text, max(0, q.start() - 40), q.start()):
            spans.append((q.start(), q.end()))
        elif legal := _LEGAL_FORM_AFTER_RE.match(text, q.end()):
            spans.append((q.start(), legal.end()))
    if "ЕТ" in text:
        spans += [(m.start(), m.end()) for m in _SOLE_TRADER_RE.finditer(text) if not (m.start() and text[m.start() - 1].isalnum())]
    return spans


class _Taken:
    """Which characters of a text are already spoken for (protected, or part of a name)."""

    def __init__(self, size: int) -> None:
        self._mask = bytearray(size)

    def mark(self, start: int, end: int) -> None:
        self._mask[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        return self._mask.find(1, start, end) != -1


def _apply(text: str, spans: list[tuple[int, int, str]]) -> str:
    """text with each (start, end) replaced; spans must not overlap."""
    pieces, pos = [], 0
    for start, end, replacement in sorted(spans):
        pieces += [text[pos:start], replacement]
        pos = end
        if replacement.endswith(".") and text[end : end + 1] == ".":
            pos += 1  # "… г-н Петров." → "… г-н П.", not "П.."
    pieces.append(text[pos:])
    return "".join(pieces)
