"""The page "Какво ново": week by week, the records added or changed, each linked to its page.

Withdrawn records are shown only as a count per register: a record that must stop being
published is never named again. The weeks come from the builds the manifest carries, whose
ids are those of records still published, so every link leads to a page of this build. What the
manifest keeps only as a count (a mass change, or a build older than its listing window: see
generator.manifest) is shown as a count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.manifest import BuildEntry, child_tables, identify
from generator.registers.declarations import Declaration
from generator.registers.dp_opinions import Opinion
from generator.registers.incorrect_declarants import IncorrectDeclarant
from generator.registers.inspection_programme import PlannedInspection
from generator.registers.late_filers import LateFiler
from generator.registers.penalty_rulings import PenaltyRuling
from generator.registers.schema import Record, Register
from generator.render.pages import Page, PublishedRegister, Renderer, index_src
from generator.render.people import group_people
from generator.transliterate import slugify

WHATS_NEW_SRC = "kakvo-novo.md"
WHATS_NEW_TITLE = "Какво ново"


@dataclass(frozen=True)
class Link:
    """A published record as the page lists it: a label and the page (and anchor) that shows it."""

    label: str
    src: str
    anchor: str = ""


@dataclass
class RegisterWeek:
    """One register in one week: what was added and changed (linked) and how many were withdrawn."""

    title: str
    added: list[Link] = field(default_factory=list)
    changed: list[Link] = field(default_factory=list)
    withdrawn: int = 0
    published: int | None = None  # set for a first build, which has nothing to compare with
    more_added: int = 0  # added, but kept by the manifest only as a count: not linked
    more_changed: int = 0  # changed, likewise


@dataclass
class Week:
    """A calendar week (Monday to Sunday) and the builds of it."""

    monday: dt.date
    builds: list[dt.date]
    registers: list[RegisterWeek]

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    @property
    def anchor(self) -> str:
        year, week, _ = self.monday.isocalendar()
        return f"sedmitsa-{year}-{week:02d}"


@dataclass(frozen=True)
class _Declarants:
    """The page of each listed declaration's declarant, by declaration_id."""

    pages: dict[str, str]


def _declaration(d: Declaration, ctx: _Declarants) -> Link:
    label = f"{d.full_name}: {d.type} декларация за {d.year} г. (вх. № {d.declaration_id})"
    return Link(label, ctx.pages.get(d.declaration_id or "", ""), f"d-{d.declaration_id}")


def _late_filer(r: LateFiler, ctx: _Declarants) -> Link:
    label = f"{r.full_name} ({r.type or 'декларация'}, {r.year} г.)" if r.full_name else f"Списък за {r.year} г."
    return Link(label, f"nepodali-v-srok/{r.year}.md")


def _incorrect_declarant(r: IncorrectDeclarant, ctx: _Declarants) -> Link:
    return Link(f"{r.full_name}, доклад № {r.report_no or '—'}", "nekorektni-deklaratori/index.md")


def _penalty_ruling(r: PenaltyRuling, ctx: _Declarants) -> Link:
    return Link(f"Наказателно постановление № {r.number} ({r.full_name})", "nakazatelni-postanovlenia/index.md")


def _planned_inspection(r: PlannedInspection, ctx: _Declarants) -> Link:
    return Link(f"{r.body}: {r.inspection_type} проверка, {r.year} г.", f"programa-za-proverki/{r.year}.md")


def _opinion(r: Opinion, ctx: _Declarants) -> Link:
    return Link(f"Становище № {r.number}: {r.title}", f"stanovishta/{slugify(r.number or '')}.md")


# How a reader names each table's records and which page shows them; a page this build did not
# make falls back to the register's first page (see record_links). A child table (a declaration's
# items) has no entry: the manifest lists its rows as their parent.
DESCRIBE: dict[str, Callable[[Any, _Declarants], Link]] = {
    "declarations": _declaration,
    "late_filers": _late_filer,
    "incorrect_declarants": _incorrect_declarant,
    "penalty_rulings": _penalty_ruling,
    "inspection_programme": _planned_inspection,
    "dp_opinions": _opinion,
}


def record_links(published: Sequence[PublishedRegister], page_srcs: set[str], wanted: Collection[str] | None = None) -> dict[str, Link]:
    """The link of every published top-level record, by its manifest id; with `wanted`, only of
    those ids (the page links a few hundred records of ~56,000: the rest need only their id)."""
    if wanted is not None and not wanted:
        return {}  # a first build, or no change kept: no id need be computed
    found: list[tuple[PublishedRegister, str, str, Record]] = []
    for data in published:
        children = child_tables(data.register)
        for table in data.register.tables:
            if table.name not in children:
                found += [(data, table.name, rid, record) for rid, record in identify(data.register, table, data.tables.get(table.name, [])) if wanted is None or rid in wanted]
    ctx = _Declarants(_declarant_pages(published, [r for _, t, _, r in found if t == "declarations"]))
    links: dict[str, Link] = {}
    for data, table_name, rid, record in found:
        describe = DESCRIBE.get(table_name)
        link = describe(record, ctx) if describe else Link(data.register.table(table_name).title, "")
        if link.src not in page_srcs:
            link = Link(link.label, index_src(data.register))
        links[rid] = link
    return links


def _declarant_pages(published: Sequence[PublishedRegister], listed: Sequence[Record]) -> dict[str, str]:
    """The declarant's page of each listed declaration, by declaration_id. A person's page is
    named after their latest declaration, so all of a listed person's declarations are grouped."""
    persons = {getattr(d, "person_id") for d in listed}
    for data in published:
        if data.register.name == "declarations":
            own = [d for d in data.tables["declarations"] if getattr(d, "person_id") in persons]
            return {d.declaration_id or "": person.src for person in group_people(own, []) for d in person.declarations}
    return {}


def weeks(builds: Sequence[BuildEntry], registers: Iterable[Register], links: dict[str, Link]) -> list[Week]:
    """The builds grouped by calendar week, newest first; per register, the links of what was
    added and changed (each once, "added" winning) and the count withdrawn."""
    registers = list(registers)
    by_monday: dict[dt.date, Week] = {}
    for build in builds:
        day = dt.date.fromisoformat(build.as_of)
        monday = day - dt.timedelta(days=day.weekday())
        week = by_monday.setdefault(monday, Week(monday, [], [RegisterWeek(r.title) for r in registers]))
        week.builds.append(day)
        for register, summary in zip(registers, week.registers):
            changes = build.changes.get(register.name)
            if changes is None:
                continue
            summary.withdrawn += changes.withdrawn
            summary.more_added += changes.more_added
            summary.more_changed += changes.more_changed
            if build.compared_with is None:
                summary.published = changes.published
            # Builds come newest first, so each goes in front: a week lists what happened in order.
            summary.added[:0] = [links[i] for i in changes.added if i in links]
            summary.changed[:0] = [links[i] for i in changes.changed if i in links]
    out = sorted(by_monday.values(), key=lambda w: w.monday, reverse=True)
    for week in out:
        week.builds.sort()
        # A record added and then changed within one week is listed once, as added.
        for summary in week.registers:
            summary.added = list(dict.fromkeys(summary.added))
            summary.changed = [link for link in dict.fromkeys(summary.changed) if link not in summary.added]
    return out


def whats_new_page(renderer: Renderer, builds: Sequence[BuildEntry], published: Sequence[PublishedRegister], page_srcs: set[str]) -> Page:
    """The page "Какво ново" from this build and the earlier ones the manifest carries."""
    wanted = {i for build in builds for changes in build.changes.values() for i in (*changes.added, *changes.changed)}
    links = record_links(published, page_srcs, wanted)
    return renderer.page(WHATS_NEW_SRC, WHATS_NEW_TITLE, "whats_new.html.j2", weeks=weeks(builds, [p.register for p in published], links))
