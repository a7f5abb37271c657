"""Bulgarian → Latin by the Transliteration Act (Закон за транслитерацията, ДВ бр. 19/2009).

One table, used for page addresses and for the Latin forms of names that search indexes.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Art. 3(1) of the Act.
TABLE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya",
}  # fmt: skip

# Art. 3(2): "ия" at the end of a word is "ia"; Art. 4: the name of the state is "Bulgaria".
_ENDING_IA = re.compile(r"(?<=[иИ])([яЯ])\b")
_BULGARIA = re.compile(r"\bБългария\b", re.IGNORECASE)
_WORD = re.compile(r"[\w-]+")


def _letter(char: str, next_char: str) -> str:
    lower = char.lower()
    latin = TABLE.get(lower)
    if latin is None:
        return char
    if char == lower:
        return latin
    # Capital: "Жеков" -> "Zhekov", but an all-capitals word keeps capitals: "ЖЕКОВ" -> "ZHEKOV".
    if next_char and next_char.isupper():
        return latin.upper()
    return latin.capitalize()


@functools.lru_cache(maxsize=1 << 16)  # names and bodies repeat on thousands of pages
def transliterate(text: str) -> str:
    """Latin form of a Bulgarian text by the Transliteration Act."""
    text = _BULGARIA.sub(lambda m: "BULGARIA" if m.group(0).isupper() else "Bulgaria", text)
    text = _ENDING_IA.sub(lambda m: "\u0000" if m.group(1).islower() else "\u0001", text)
    out = []
    for i, char in enumerate(text):
        if char == "\u0000":
            out.append("a")
        elif char == "\u0001":
            out.append("A")
        else:
            out.append(_letter(char, text[i + 1] if i + 1 < len(text) else ""))
    # "ия" at the end: the и is kept as "i" by the table, the я became "a" above.
    return "".join(out)


@functools.lru_cache(maxsize=1 << 16)
def slugify(text: str) -> str:
    """A lower-case ASCII address part: transliterated words joined by dashes."""
    latin = unicodedata.normalize("NFKD", transliterate(text)).encode("ascii", "ignore").decode()
    return "-".join(w.lower() for w in re.findall(r"[A-Za-z0-9]+", latin))


# What people type instead of the Act's spelling (older systems, passports, habit), per letter.
_VARIANTS = {
    "ц": ("tz", "c"),
    "ж": ("j", "z"),
    "щ": ("st", "sch"),
    "ш": ("sch",),
    "я": ("ja", "ia"),
    "ю": ("ju", "iu"),
    "х": ("kh",),
    "й": ("i", "j"),
    "ъ": ("u", "y"),
}


def _word_variants(word: str, limit: int) -> list[str]:
    official = transliterate(word).lower()
    forms = [official]
    if official.endswith("ia") and word.lower().endswith("ия"):
        forms.append(official[:-2] + "iya")
    for i, letter in enumerate(word.lower()):
        for alternative in _VARIANTS.get(letter, ()):
            forms.append(transliterate(word[:i]).lower() + alternative + transliterate(word[i + 1 :]).lower())
    return list(dict.fromkeys(forms))[:limit]


def latin_variants(text: str, limit: int = 8) -> list[str]:
    """Each word's Latin form by the Act, then the spellings people commonly type, for the search index."""
    return list(_latin_variants(text, limit))


@functools.lru_cache(maxsize=1 << 16)
def _latin_variants(text: str, limit: int) -> tuple[str, ...]:
    forms: list[str] = []
    for word in re.findall(r"\w+", text):
        if transliterate(word) != word:
            forms.extend(_word_variants(word, limit))
    return tuple(dict.fromkeys(forms))
