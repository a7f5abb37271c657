"""Links between a declarant's page and the other registers, only where the match is unambiguous.

A wrong link accuses the wrong person: a record is linked to a declarant only when exactly
one declarant has that full name and that declarant has declared from the record's body.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from generator.registers.schema import Record
from generator.render.people import Person, normal_name


@dataclass(frozen=True)
class Mention:
    """A record of another register that names a declarant, and where it is listed."""

    register: str
    src: str
    text: str
    record: Record


def _describe(register: str, record: Record) -> tuple[str, str]:
    if register == "late_filers":
        state = f"подадена със закъснение на {record.filed_on:%d.%m.%Y} г." if record.filed_on else "не е подадена"  # type: ignore[attr-defined]
        return f"nepodali-v-srok/{record.year}.md", f"В списъка на неподалите декларация в срок за {record.year} г. ({record.type or 'декларация'}: {state})"  # type: ignore[attr-defined]
    if register == "incorrect_declarants":
        return "nekorektni-deklaratori/index.md", f"В списъка на некоректно деклариралите от {record.listed_on:%d.%m.%Y} г."  # type: ignore[attr-defined]
    return "nakazatelni-postanovlenia/index.md", f"Наказателно постановление № {record.number}, в сила от {record.in_force_on:%d.%m.%Y} г."  # type: ignore[attr-defined]


def link_records(people: list[Person], tables: dict[str, list[Record]]) -> tuple[dict[str, list[Mention]], dict[Record, Person]]:
    """Mentions per person_id, and the person each unambiguously matched record belongs to."""
    by_name: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        for name in {normal_name(d.full_name) for d in person.declarations}:
            by_name[name].append(person)
    mentions: dict[str, list[Mention]] = defaultdict(list)
    person_of: dict[Record, Person] = {}
    for register, records in tables.items():
        for record in records:
            candidates = by_name.get(normal_name(getattr(record, "full_name", None)), [])
            if len(candidates) != 1 or normal_name(getattr(record, "body", None)) not in candidates[0].bodies:
                continue
            person = candidates[0]
            person_of[record] = person
            src, text = _describe(register, record)
            mentions[person.person_id].append(Mention(register, src, text, record))
    return dict(mentions), person_of
