"""The shared machinery of the publication rules, driven by the build date `as_of`.

A register lists its rules as data (see generator/registers/); each rule takes the
records of one table and returns which it keeps. Nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.registers.schema import Record

Tables = dict[str, list[Record]]


@dataclass(frozen=True)
class Withheld:
    """A valid record the rules keep off the site, and why (in Bulgarian)."""

    table: str
    record: Record
    reason: str


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class RecordRule:
    """A rule that judges each record of one table on its own."""

    table: str

    def reason(self, record: Record, as_of: dt.date) -> str | None:
        """Why the record is withheld, or None to publish it."""
        raise NotImplementedError

    def apply(self, records: list[Record], as_of: dt.date, published: Mapping[str, list[Record]]) -> tuple[list[Record], list[Withheld]]:
        """Split the records into kept and withheld."""
        kept: list[Record] = []
        withheld: list[Withheld] = []
        for record in records:
            why = self.reason(record, as_of)
            if why is None:
                kept.append(record)
            else:
                withheld.append(Withheld(self.table, record, why))
        return kept, withheld


@dataclass(frozen=True)
class Retention(RecordRule):
    """Records dated more than `years` before the build date are destroyed, not shown."""

    date_field: str = ""
    years: int = 10

    def reason(self, record: Record, as_of: dt.date) -> str | None:
        if getattr(record, self.date_field) < years_before(as_of, self.years):
            return f"подадена преди повече от {self.years} години (срокът на съхранение е изтекъл)"
        return None


@dataclass(frozen=True)
class InForce(RecordRule):
    """Only records that entered into force on or before the build date are shown."""

    date_field: str = ""

    def reason(self, record: Record, as_of: dt.date) -> str | None:
        day = getattr(record, self.date_field)
        if day is None:
            return "не е влязло в сила (няма дата на влизане в сила)"
        if day > as_of:
            return "не е влязло в сила (датата на влизане в сила е в бъдещето)"
        return None


@dataclass(frozen=True)
class UntilEndOfYear(RecordRule):
    """Records are shown from their date until 31 December of the same year."""

    date_field: str = ""

    def reason(self, record: Record, as_of: dt.date) -> str | None:
        day = getattr(record, self.date_field)
        if day > as_of:
            return "вписването е с бъдеща дата"
        if as_of > dt.date(day.year, 12, 31):
            return f"годината на вписване ({day.year}) е изтекла"
        return None


@dataclass(frozen=True)
class ExcludeFlagged(RecordRule):
    """Records whose boolean flag is set are not published."""

    flag: str = ""
    why: str = ""

    def reason(self, record: Record, as_of: dt.date) -> str | None:
        return self.why if getattr(record, self.flag) else None


@dataclass(frozen=True)
class RequireParent:
    """A child record is shown only while the record it belongs to is shown."""

    table: str
    parent: str
    key: str

    def apply(self, records: list[Record], as_of: dt.date, published: Mapping[str, list[Record]]) -> tuple[list[Record], list[Withheld]]:
        """Keep the children whose parent is published (rules run in order, so parents are final)."""
        parents = {getattr(r, self.key) for r in published[self.parent]}
        kept = [r for r in records if getattr(r, self.key) in parents]
        withheld = [
            Withheld(self.table, r, "декларацията, към която принадлежи, не се публикува")
            for r in records
            if getattr(r, self.key) not in parents
        ]
        return kept, withheld


@dataclass(frozen=True)
class LatestVersion:
    """Of several records with the same key, the one dated latest wins; the others are superseded."""

    table: str
    key: tuple[str, ...]
    order: tuple[str, ...]  # date fields; the first non-empty one dates a record

    def apply(self, records: list[Record], as_of: dt.date, published: Mapping[str, list[Record]]) -> tuple[list[Record], list[Withheld]]:
        """Keep the latest record per key (a tie goes to the later row), in first-seen order."""
        latest: dict[tuple[object, ...], Record] = {}
        for record in records:
            k = tuple(getattr(record, f) for f in self.key)
            if k not in latest or self._date(record) >= self._date(latest[k]):
                latest[k] = record
        winners = {id(r) for r in latest.values()}
        kept = [r for r in records if id(r) in winners]
        withheld = [Withheld(self.table, r, "заменено с по-късно изменение на програмата") for r in records if id(r) not in winners]
        return kept, withheld

    def _date(self, record: Record) -> dt.date:
        for name in self.order:
            value = getattr(record, name)
            if value is not None:
                return value
        return dt.date.min


def apply_rules(rules: Sequence[object], tables: Tables, as_of: dt.date) -> tuple[Tables, list[Withheld]]:
    """Apply a register's rules in order; return the published tables and what was withheld."""
    published: Tables = {name: list(records) for name, records in tables.items()}
    withheld: list[Withheld] = []
    for rule in rules:
        name = rule.table  # type: ignore[attr-defined]
        published[name], dropped = rule.apply(published[name], as_of, published)  # type: ignore[attr-defined]
        withheld.extend(dropped)
    return published, withheld
