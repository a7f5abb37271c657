"""Declarants as people read them: one Person per person_id, their years compared, never summed."""

from __future__ import annotations

import operator
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from decimal import Decimal

from generator.registers.declarations import FLOW_SECTIONS, SECTIONS, Declaration, Item
from generator.registers.schema import Record
from generator.render.environment import convert, default_currency
from generator.transliterate import slugify

ALPHABET = "абвгдежзийклмнопрстуфхцчшщъьюя"
# Declarations that describe a year: the annual one, or its correction, or a change within it.
YEAR_TYPES = ("ежегодна", "корекция", "при промяна")


class _Ranks(dict[str, int]):
    """A character's place in the sort: its place in the alphabet, or after it by code point."""

    def __missing__(self, char: str) -> int:
        rank = self[char] = ALPHABET.find(char) if char in ALPHABET else 100 + ord(char)
        return rank


_RANKS = _Ranks()


def alphabet_key(text: str) -> tuple[int, ...]:
    """Sort by the Bulgarian alphabet, letters outside it after."""
    # A national build sorts by it 130,000 times: one dict look-up per character, at C speed.
    return tuple(map(_RANKS.__getitem__, text.casefold()))


def normal_name(name: str | None) -> str:
    """A name compared across registers: spaces collapsed, case folded."""
    return " ".join((name or "").split()).casefold()


@dataclass
class YearCell:
    """One section in one year: how many items and their total in euro."""

    count: int = 0
    total_eur: Decimal = Decimal(0)


@dataclass
class SectionComparison:
    """A section of the declarations compared across years, flow or stock, in one currency."""

    section: str
    flow: bool
    cells: dict[int, YearCell] = field(default_factory=dict)


_described = operator.attrgetter("description", "municipality")


@dataclass
class Person:
    """A declarant: every published declaration with the same person_id, newest first."""

    person_id: str
    declarations: list[Declaration]
    items: dict[str, list[Item]]

    @property
    def latest(self) -> Declaration:
        return self.declarations[0]

    @property
    def name(self) -> str:
        return self.latest.full_name or ""

    @cached_property  # every list a declarant is in sorts by it and shows it: 200,000 times nationally
    def surname_first(self) -> str:
        """"Мария Петрова Иванова" -> "Иванова Мария Петрова", the order of a register index."""
        parts = self.name.split()
        return " ".join(parts[-1:] + parts[:-1])

    @cached_property  # computed once: every letter, year, body and type page links to it
    def src(self) -> str:
        """The page's permanent address: transliterated name plus person_id, stable week to week."""
        return f"deklaracii/{slugify(self.surname_first)}-{slugify(self.person_id)}.md"

    @cached_property  # a letter page and a search document ask for it
    def years(self) -> list[int]:
        return sorted({d.year for d in self.declarations if d.year is not None}, reverse=True)

    @property
    def bodies(self) -> set[str]:
        return {normal_name(d.body) for d in self.declarations if d.body}

    @cached_property
    def mixed_currencies(self) -> bool:
        """True when the declarations span the euro changeover, so amounts are shown in both currencies."""
        currencies = {item.currency or default_currency(d.year) for d in self.declarations for item in self.items[d.declaration_id or ""] if item.value is not None}
        return len(currencies) > 1

    def sections_of(self, declaration: Declaration) -> list[tuple[str, list[Item]]]:
        """The declaration's items by section, in the order of the form, empty sections left out."""
        by_section: dict[str, list[Item]] = defaultdict(list)
        for item in self.items[declaration.declaration_id or ""]:
            by_section[item.section or ""].append(item)
        return [(section, by_section[section]) for section in SECTIONS if section in by_section]

    def described_items(self) -> list[str]:
        """Each distinct "description, place" of the person's items, in the order first declared."""
        # Every search document lists them: 760,000 items a national build, so no join per item.
        texts = []
        for declaration in self.declarations:
            for description, place in map(_described, self.items[declaration.declaration_id or ""]):
                texts.append(f"{description}, {place}" if description and place else description or place)
        return [text for text in dict.fromkeys(texts) if text]

    def corrected(self, declaration: Declaration) -> Declaration | None:
        """The declaration a correction corrects: the same person's other declaration of that year, filed before it."""
        if declaration.type != "корекция":
            return None
        earlier = [d for d in self.declarations if d.year == declaration.year and d.type != "корекция" and d.filed_on <= declaration.filed_on]
        return earlier[0] if earlier else None

    def comparison(self) -> list[SectionComparison]:
        """Per section, per year: count and euro total of the declaration that stands for that year."""
        standing = self._standing_declarations()
        table: list[SectionComparison] = []
        for section in SECTIONS:
            row = SectionComparison(section, section in FLOW_SECTIONS)
            for year, declaration in standing.items():
                items = [i for i in self.items[declaration.declaration_id or ""] if i.section == section]
                if not items:
                    continue
                cell = YearCell(count=len(items))
                for item in items:
                    if item.value is not None:
                        currency = item.currency or default_currency(declaration.year)
                        cell.total_eur += item.value if currency == "EUR" else convert(item.value, currency)[0]
                row.cells[year] = cell
            if row.cells:
                table.append(row)
        return table

    def _standing_declarations(self) -> dict[int, Declaration]:
        """For each year, its latest annual-type declaration (a correction replaces what it corrects)."""
        standing: dict[int, Declaration] = {}
        for declaration in sorted(self.declarations, key=lambda d: (d.filed_on, d.declaration_id)):
            if declaration.year is None:
                continue
            if declaration.type in YEAR_TYPES or declaration.year not in standing:
                standing[declaration.year] = declaration
        return dict(sorted(standing.items()))


def group_people(declarations: list[Record], items: list[Record]) -> list[Person]:
    """One Person per person_id (never per name: namesakes stay apart), sorted by surname."""
    by_person: dict[str, list[Declaration]] = defaultdict(list)
    for declaration in declarations:
        assert isinstance(declaration, Declaration)
        by_person[declaration.person_id or ""].append(declaration)
    by_declaration: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        assert isinstance(item, Item)
        by_declaration[item.declaration_id or ""].append(item)
    people = []
    for person_id, own in by_person.items():
        own.sort(key=lambda d: (d.filed_on, d.declaration_id), reverse=True)
        people.append(Person(person_id, own, {d.declaration_id or "": by_declaration[d.declaration_id or ""] for d in own}))
    people.sort(key=lambda p: (alphabet_key(p.surname_first), p.person_id))
    return people


def section_label(section: str, declaration: Declaration) -> str:
    """What the figures of a section mean: acquired during the year (flow) or a balance (stock)."""
    if declaration.type not in YEAR_TYPES or declaration.year is None:
        return "към датата на декларацията"
    if section in FLOW_SECTIONS:
        return f"придобито през {declaration.year} г."
    return f"към 31.12.{declaration.year} г."
