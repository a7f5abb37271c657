"""The page "Какво ново": week by week, the records added or changed, each linked to its page.

Withdrawn records are shown only as a count per register: a record that must stop being
published is never named again. The weeks come from the builds the manifest carries, whose
ids are those of records still published, so every link leads to a page of this build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.manifest import BuildEntry, identify
from generator.registers.declarations import Declaration, Item
from generator.registers.dp_opinions import Opinion
from generator.registers.incorrect_declarants import IncorrectDeclarant
from generator.registers.inspection_programme import PlannedInspection
from generator.registers.late_filers import LateFiler
from generator.registers.penalty_rulings import PenaltyRuling
from generator.registers.schema import Register
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
    """Published declarations by id and the page of each one's declarant."""

    declarations: dict[str, Declaration]
    pages: dict[str, str]


def _declaration(d: Declaration, ctx: _Declarants) -> Link:
    label = f"{d.full_name}: {d.type} декларация за {d.year} г. (вх. № {d.declaration_id})"
    return Link(label, ctx.pages.get(d.declaration_id or "", ""), f"d-{d.declaration_id}")


def _item(r: Item, ctx: _Declarants) -> Link:
    # An item is shown within its declaration (published only with it): it is listed as that declaration.
    return _declaration(ctx.declarations[r.declaration_id or ""], ctx)


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
# make falls back to the register's first page (see record_links).
DESCRIBE: dict[str, Callable[[Any, _Declarants], Link]] = {
    "declarations": _declaration,
    "items": _item,
    "late_filers": _late_filer,
    "incorrect_declarants": _incorrect_declarant,
    "penalty_rulings": _penalty_ruling,
    "inspection_programme": _planned_inspection,
    "dp_opinions": _opinion,
}


def record_links(published: Sequence[PublishedRegister], page_srcs: set[str]) -> dict[str, Link]:
    """The link of every published record, by its manifest id."""
    ctx = _Declarants({}, {})
    for data in published:
        if data.register.name == "declarations":
            ctx.declarations.update({d.declaration_id or "": d for d in data.tables["declarations"]})  # type: ignore[attr-defined]
            for person in group_people(data.tables["declarations"], data.tables["items"]):
                ctx.pages.update({d.declaration_id or "": person.src for d in person.declarations})
    links: dict[str, Link] = {}
    for data in published:
        for table in data.register.tables:
            describe = DESCRIBE.get(table.name)
            for rid, record in identify(data.register, table, data.tables.get(table.name, [])):
                link = describe(record, ctx) if describe else Link(table.title, "")
                if link.src not in page_srcs:
                    link = Link(link.label, index_src(data.register))
                links[rid] = link
    return links


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
    links = record_links(published, page_srcs)
    return renderer.page(WHATS_NEW_SRC, WHATS_NEW_TITLE, "whats_new.html.j2", weeks=weeks(builds, [p.register for p in published], links))
