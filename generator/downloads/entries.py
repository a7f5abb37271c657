"""Feed entries: what a feed reader shows for a record of the open-data tables, and the page it links to."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from generator.downloads.tables import DataTable, Row
from generator.registers.schema import Register
from generator.render.environment import date_bg, default_currency, money
from generator.render.pages import Person, index_src
from generator.transliterate import slugify


@dataclass(frozen=True)
class Entry:
    """One feed entry: a record (or a programme decision) with the page that shows it."""

    key: str  # table and record key: the entry's identity across builds
    title: str
    updated: dt.date
    summary: str
    page: str  # Markdown source of the page that shows it
    anchor: str = ""


def sentence(*parts: str) -> str:
    """Join parts into a sentence with one full stop, though a date ("… г.") already ends in one."""
    text = " ".join(p.strip() for p in parts if p and p.strip())
    return text if text.endswith(".") else text + "."


def sentences(*parts: str) -> str:
    """Several sentences, the empty ones left out."""
    return " ".join(sentence(p) for p in parts if p and p.strip())


def declaration_kind(kind: object) -> str:
    """"ежегодна декларация", "декларация при промяна", "корекция на декларация": the type where Bulgarian puts it."""
    if not kind:
        return "декларация"
    if kind == "корекция":
        return "корекция на декларация"
    return f"декларация {kind}" if str(kind).startswith(("при ", "след ")) else f"{kind} декларация"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _who(r: Row) -> str:
    """"Име, длъжност – орган", leaving out what is not known."""
    post = " – ".join(str(v) for v in (r.get("position"), r.get("body")) if v)
    return f"{r['full_name']}, {post}" if post else str(r["full_name"])


class EntryMaker:
    """Turns rows of the open-data tables into feed entries that link to the pages showing them."""

    def __init__(self, registers: dict[str, Register], people: list[Person], page_srcs: set[str], as_of: dt.date) -> None:
        self.registers = registers  # table name -> its register
        self.person_src = {p.person_id: p.src for p in people}
        self.page_srcs = page_srcs
        self.as_of = as_of
        # A declaration is an entry of its register's feed, its body's and its declarant's: made once.
        self.made: dict[int, Entry | None] = {}

    def _page(self, table: str, *candidates: str) -> str:
        """The first candidate page of the register that exists (a year, a number), else its index."""
        slug = self.registers[table].slug
        return next((f"{slug}/{c}.md" for c in candidates if f"{slug}/{c}.md" in self.page_srcs), index_src(self.registers[table]))

    def _day(self, *days: object) -> dt.date:
        day = next((d for d in days if isinstance(d, dt.date)), self.as_of)
        return min(day, self.as_of)  # a date ahead of the build would pin the entry on top

    @staticmethod
    def _key(table: DataTable, row: Row) -> str:
        return f"{table.name}/" + "|".join(str(row[k]) for k in table.primary_key)

    def declaration(self, table: DataTable, r: Row) -> Entry:
        """A new declaration, dated by its filing, linked to its place on the declarant's page."""
        what = f"{_capital(declaration_kind(r['type']))} за {r['year']} г."
        where = ", ".join(str(v) for v in (r["position"], r["body"]) if v)
        filed = f"Вх. № {r['declaration_id']}, подадена на {date_bg(r['filed_on'])}{'; ' + where if where else ''}"  # type: ignore[arg-type]
        page = self.person_src.get(str(r["person_id"]), index_src(self.registers[table.name]))
        return Entry(self._key(table, r), f"{r['full_name']}: {what}", self._day(r["filed_on"]), sentences(what, filed), page, f"d-{r['declaration_id']}")

    def late_filer(self, table: DataTable, r: Row) -> Entry | None:
        """A person on a late-filer list, dated by the late filing or the missed deadline."""
        if not r["full_name"]:
            return None  # "no one was late that year" is shown on the year's page, not announced
        kind = declaration_kind(r["type"])
        state = f"подадена със закъснение на {date_bg(r['filed_on'])}" if r["filed_on"] else "не е подадена"  # type: ignore[arg-type]
        deadline = f" (срок: {date_bg(r['deadline'])})" if r["deadline"] else ""  # type: ignore[arg-type]
        end_of_year = dt.date(int(str(r["year"])), 12, 31)
        title = f"{r['full_name']}: неподадена в срок {kind} за {r['year']} г."
        summary = sentence(f"{_who(r)}: {kind} за {r['year']} г. {state}{deadline}")
        return Entry(self._key(table, r), title, self._day(r["filed_on"], r["deadline"], end_of_year), summary, self._page(table.name, str(r["year"])))

    def incorrect_declarant(self, table: DataTable, r: Row) -> Entry:
        """A person listed as having declared incorrectly, dated by the listing."""
        report = f" (доклад № {r['report_no']})" if r["report_no"] else ""
        summary = sentence(f"{_who(r)}, вписан(а) на {date_bg(r['listed_on'])}{report}: {r['discrepancy'] or ''}")  # type: ignore[arg-type]
        return Entry(self._key(table, r), f"{r['full_name']}: некоректно деклариране{report}", self._day(r["listed_on"]), summary, self._page(table.name))

    def penalty_ruling(self, table: DataTable, r: Row) -> Entry:
        """A penalty ruling, dated by its entry into force."""
        issued = r["issued_on"]
        currency = str(r["currency"] or default_currency(issued.year if isinstance(issued, dt.date) else None))
        outcome = f"Обжалване: {r['appeal_outcome']}" if r["appeal_outcome"] else ""
        summary = sentences(_who(r), str(r["violation"]), f"Глоба: {money(r['penalty_amount'], currency, both=True)}", f"В сила от {date_bg(r['in_force_on'])}", outcome)  # type: ignore[arg-type]
        return Entry(self._key(table, r), f"Наказателно постановление № {r['number']}: {r['full_name']}", self._day(r["in_force_on"]), summary, self._page(table.name))

    def inspection(self, table: DataTable, r: Row) -> Entry:
        """One planned inspection (for a body's feed), dated by its adoption or amendment."""
        kind = _capital(str(r["inspection_type"]))
        when = f", {r['scheduled']}" if r["scheduled"] else ""
        summary = sentences(f"{kind} проверка на {r['body']}{when}", str(r["topic"] or ""))
        return Entry(self._key(table, r), f"{kind} проверка: {r['body']} ({r['year']} г.)", self._day(r["amended_on"], r["adopted_on"]), summary, self._page(table.name, str(r["year"])))

    def programme_decisions(self, table: DataTable) -> list[Entry]:
        """One entry per decision that adopted or amended a year's programme, listing its inspections."""
        decisions: dict[tuple[object, str, dt.date, bool], list[Row]] = defaultdict(list)
        for r in table.rows:
            day = r["amended_on"] or r["adopted_on"]
            decisions[(r["year"], str(r["decision_no"] or ""), day, bool(r["amended_on"]))].append(r)  # type: ignore[index]
        entries = []
        for (year, decision, day, amended), rows in decisions.items():
            what = f"изменение от {date_bg(day)}" if amended else f"приета на {date_bg(day)}"
            by = f" с решение {decision}" if decision else ""
            listed = "; ".join(f"{r['inspection_type']} проверка – {r['body']}{', ' + str(r['scheduled']) if r['scheduled'] else ''}" for r in rows)
            summary = sentences(f"Програмата за {year} г. е {'изменена' if amended else 'приета'}{by}", f"Проверки: {listed}")
            key = f"{table.name}/decision/{year}|{decision}|{day}"
            entries.append(Entry(key, f"Програма за проверки за {year} г.: {what}", self._day(day), summary, self._page(table.name, str(year))))
        return entries

    def opinion(self, table: DataTable, r: Row) -> Entry:
        """An opinion, dated by the session that adopted it."""
        asked = f", по искане на {r['requested_by']}" if r["requested_by"] else ""
        summary = sentences(f"Прието на заседание на {date_bg(r['session_date'])}{asked}", str(r["summary"] or ""))  # type: ignore[arg-type]
        return Entry(self._key(table, r), f"Становище № {r['number']}: {r['title']}", self._day(r["session_date"]), summary, self._page(table.name, slugify(str(r["number"]))))

    def per_record(self, table: DataTable) -> Callable[[DataTable, Row], Entry | None] | None:
        """The entry maker of a table's records (items are shown with their declaration)."""
        makers: dict[str, Callable[[DataTable, Row], Entry | None]] = {
            "declarations": self.declaration,
            "late_filers": self.late_filer,
            "incorrect_declarants": self.incorrect_declarant,
            "penalty_rulings": self.penalty_ruling,
            "inspection_programme": self.inspection,
            "dp_opinions": self.opinion,
        }
        return makers.get(table.name)

    def entries(self, table: DataTable, rows: list[Row] | tuple[Row, ...]) -> list[Entry]:
        """An entry per row of the table that has one."""
        make = self.per_record(table)
        if make is None:
            return []
        made = self.made
        out = []
        for r in rows:
            key = id(r)
            entry = made[key] if key in made else made.setdefault(key, make(table, r))
            if entry is not None:
                out.append(entry)
        return out
