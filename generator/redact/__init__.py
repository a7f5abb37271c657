"""The one redactor for free text: identifiers are removed, then private persons become initials.

    redactor = Redactor(public_names=["Анна Петрова Иванова"])
    redactor.redact("Жалбоподателят Иван Петров Стоянов, ЕГН 7501010010, …")
    # → "Жалбоподателят И. П. С., [ЕГН заличено], …"

One instance is meant to serve a whole build: its regexes are compiled once, and short texts
that repeat across records (bodies, positions) are answered from a small cache.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.redact.identifiers import MARKER_RE, MARKERS, Found, find_identifiers, redact_identifiers
from generator.redact.names import FIRST_NAMES, NameRedactor, initials

__all__ = [
    "FIRST_NAMES",
    "MARKERS",
    "MARKER_RE",
    "Found",
    "NameRedactor",
    "Redactor",
    "find_identifiers",
    "initials",
    "redact_identifiers",
]

_CACHE_TEXT_LIMIT = 200  # characters: register cells, not opinions
_CACHE_SIZE = 50_000


class Redactor:
    """Redacts free text: identifiers (MARKERS) first, then names of private natural persons."""

    def __init__(self, public_names: Iterable[str] = (), *, initials: bool = True) -> None:
        """public_names stay as written; with initials=False a name becomes "[име заличено]"."""
        self._names = NameRedactor(public_names, marker=None if initials else MARKERS["name"])
        self._cache: dict[str, str] = {}

    def redact(self, text: str) -> str:
        """text without personal identifiers and with private persons' names as initials."""
        short = len(text) <= _CACHE_TEXT_LIMIT
        if short and text in self._cache:
            return self._cache[text]
        result = self._names.redact(redact_identifiers(text))
        if short:
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            self._cache[text] = result
        return result
