"""`portal check`: the deadlines of DOMAIN.md, checked as of a date, for the webmaster's cron.

Overdue: the year's inspection programme missing after 31 March, an opinion unpublished
7 days after its session, the analysis of court reports missing after 15 April. Coming:
those deadlines within the next 30 days, and the records the publication rules will take
off the site in the next 30 days. Every function takes `as_of`; nothing reads the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import yaml

from generator.intake import LoadedRegister, load_registers
from generator.manifest import manifest_path, read_manifest, record_id
from generator.read import ReadError, is_export, read_export
from generator.registers import REGISTERS
from generator.registers.schema import Record, Table
from generator.registers.validate import validate_table
from generator.report import BuildReport
from generator.rules import RecordRule, apply_rules
from generator.values import parse_date

WINDOW_DAYS = 30  # how far ahead "coming" looks
OPINION_DAYS = 7  # Art. 94г: published within 7 days after the session
PROGRAMME_DUE = (3, 31)  # Art. 53: the year's programme, by the end of March
ANALYSIS_DUE = (4, 15)  # Art. 52б: the analysis of the courts' reports, by 15 April
ANALYSIS_TYPE = "analiz-dokladi"  # `type:` in the front matter of the analysis page in content/


@dataclass(frozen=True)
class Finding:
    """One deadline or withdrawal the webmaster must know about, with its date."""

    due: dt.date
    text: str
    hint: str = ""
    overdue: bool = False

    def describe(self) -> str:
        """The finding as one Bulgarian line, date first (ДД.ММ.ГГГГ)."""
        line = f"{bg_date(self.due)} — {self.text}"
        return f"{line} Какво да направите: {self.hint}" if self.hint else line


def bg_date(day: dt.date) -> str:
    """A date as the webmaster writes it: ДД.ММ.ГГГГ."""
    return f"{day:%d.%m.%Y}"


def _deadline_finding(due: dt.date, as_of: dt.date, missing: str, hint: str) -> list[Finding]:
    """Overdue once past `due`; a reminder within the window before it; else nothing."""
    if as_of > due:
        return [Finding(due, f"{missing} Срокът беше {bg_date(due)}.", hint, overdue=True)]
    if (due - as_of).days <= WINDOW_DAYS:
        return [Finding(due, f"{missing} Срокът е {bg_date(due)}.", hint)]
    return []


def programme_findings(programme: Iterable[Record], as_of: dt.date) -> list[Finding]:
    """The programme of as_of's year: missing after 31 March is overdue."""
    if any(getattr(r, "year") == as_of.year for r in programme):
        return []
    return _deadline_finding(
        dt.date(as_of.year, *PROGRAMME_DUE),
        as_of,
        f"Годишната програма за проверки за {as_of.year} г. не е публикувана.",
        "Поставете одобрения файл на програмата в registers/inspection_programme/, изградете и публикувайте сайта.",
    )


def opinion_findings(opinions: Iterable[Record], published: Mapping[str, dt.date | None], as_of: dt.date) -> list[Finding]:
    """Opinions unpublished 7 days after their session; `published` maps a number to its first publication (None: date unknown)."""
    findings: list[Finding] = []
    for opinion in opinions:
        number, session = getattr(opinion, "number"), getattr(opinion, "session_date")
        if number in published and (published[number] is None or published[number] <= as_of):
            continue
        due = session + dt.timedelta(days=OPINION_DAYS)
        text = f"Становище № {number} от заседанието на {bg_date(session)} не е публикувано."
        hint = "Одобрете файла на становището в registers/dp_opinions/, изградете и публикувайте сайта."
        if as_of > due:
            findings.append(Finding(due, f"{text} Срокът беше {bg_date(due)}.", hint, overdue=True))
        else:
            findings.append(Finding(due, f"{text} Срокът е {bg_date(due)}.", hint))
    return findings


def analysis_findings(pages: Iterable[Mapping[str, object]], as_of: dt.date) -> list[Finding]:
    """The analysis of court reports dated in as_of's year (front matter `type`, `date`): missing after 15 April is overdue."""
    for meta in pages:
        if meta.get("type") != ANALYSIS_TYPE:
            continue
        try:
            day = meta["date"] if isinstance(meta.get("date"), dt.date) else parse_date(meta.get("date"))
        except ValueError:
            continue
        if day.year == as_of.year:
            return []
    return _deadline_finding(
        dt.date(as_of.year, *ANALYSIS_DUE),
        as_of,
        f"Анализът на отчетите на съдилищата и прокуратурата ({as_of.year} г.) не е публикуван.",
        f"Добавете страницата в content/ със „type: {ANALYSIS_TYPE}“ и „date:“ в заглавната част, изградете и публикувайте сайта.",
    )


def withdrawal_findings(registers: Iterable[LoadedRegister], as_of: dt.date) -> list[Finding]:
    """Records shown as of `as_of` that the register's own rules take off the site within the window."""
    findings: list[Finding] = []
    horizon = as_of + dt.timedelta(days=WINDOW_DAYS)
    for loaded in registers:
        published, _ = apply_rules(loaded.register.rules, loaded.tables, as_of)
        for rule in loaded.register.rules:
            if not isinstance(rule, RecordRule):
                continue
            table = loaded.register.table(rule.table)
            for record in published[rule.table]:
                if rule.reason(record, horizon) is None:
                    continue
                # The rules are monotone in the date (retention, end of year): the first day that withholds is the day.
                day = next(as_of + dt.timedelta(days=n) for n in range(1, WINDOW_DAYS + 1) if rule.reason(record, as_of + dt.timedelta(days=n)) is not None)
                why = rule.reason(record, day)
                findings.append(Finding(day, f"{table.title}: {_record_label(table, record, rule)} — отпада от сайта при изграждане на {bg_date(day)} или след това: {why}."))
    return findings


def _record_label(table: Table, record: Record, rule: RecordRule) -> str:
    """The record's key and name, and the date the rule judges it by."""
    names = [*table.key, *(n for n in ("full_name",) if n not in table.key and hasattr(record, n))]
    parts = [bg_date(v) if isinstance(v, dt.date) else str(v) for v in (getattr(record, n) for n in names) if v not in (None, "")]
    date_field = getattr(rule, "date_field", "")
    if date_field and date_field not in names and getattr(record, date_field, None):
        label = next(f.column.label for f in table.fields if f.name == date_field)
        return f"{', '.join(parts)} ({label.lower()} {bg_date(getattr(record, date_field))})"
    return ", ".join(parts)


def all_opinions(registers: Path) -> list[Record]:
    """Every valid opinion under registers/dp_opinions/, approved or not: an unapproved one is not yet published."""
    register = REGISTERS["dp_opinions"]
    folder = registers / register.name
    opinions: list[Record] = []
    if not folder.is_dir():
        return opinions
    for export in sorted(p for p in folder.rglob("*") if p.is_file() and is_export(p)):
        try:
            raw = read_export(export)
        except ReadError:
            continue
        result = validate_table(register, register.table_of(export), raw, f"{folder.name}/{export.name}")
        opinions.extend(r for records in result.records.values() for r in records)
    return opinions


def content_front_matter(content: Path) -> list[dict[str, object]]:
    """The front matter of every Markdown page of content/ (a page that cannot be parsed has none)."""
    metas: list[dict[str, object]] = []
    for path in sorted(content.rglob("*.md")) if content.is_dir() else []:
        try:
            metas.append(dict(frontmatter.load(path).metadata))
        except (yaml.YAMLError, UnicodeDecodeError, ValueError):
            continue
    return metas


def first_publications(site: Path) -> dict[str, dt.date | None] | None:
    """Record id -> when the live site first published it, from its data/manifest.json; None without a manifest.

    The date is the `as_of` of the earliest build in the manifest's history that lists the record
    as added; a record published before the history kept begins has None (published, day unknown).
    Raises ManifestError if the manifest exists but cannot be read.
    """
    if not manifest_path(site).is_file():
        return None
    manifest = read_manifest(site)
    first: dict[str, dt.date | None] = {i: None for tables in manifest.records.values() for entries in tables.values() for i in entries}
    for build in manifest.builds:
        day = dt.date.fromisoformat(build.as_of)
        for changes in build.changes.values():
            for rid in changes.added:
                if rid in first and (first[rid] is None or day < first[rid]):  # type: ignore[operator]
                    first[rid] = day
    return first


def check_deadlines(registers: Path, content: Path, as_of: dt.date, report: BuildReport, site: Path | None = None) -> list[Finding]:
    """Every overdue and coming deadline as of `as_of`, overdue first, then by date."""
    intake = load_registers(registers, report)
    loaded = intake.registers
    opinions = _unique_opinions(all_opinions(registers))
    ledger = first_publications(site) if site is not None else None
    if ledger is None:
        # Without the live site's manifest, an approved opinion counts as published.
        published = {getattr(o, "number"): None for o in loaded["dp_opinions"].tables["dp_opinions"]}
    else:
        register = REGISTERS["dp_opinions"]
        table = register.tables[0]
        published = {getattr(o, "number"): ledger[rid] for o in opinions if (rid := record_id(register, table, o)) in ledger}
    findings = [
        *programme_findings(loaded["inspection_programme"].tables["inspection_programme"], as_of),
        *opinion_findings(opinions, published, as_of),
        *analysis_findings(content_front_matter(content), as_of),
        *withdrawal_findings(loaded.values(), as_of),
    ]
    return sorted(findings, key=lambda f: (not f.overdue, f.due, f.text))


def _unique_opinions(opinions: list[Record]) -> list[Record]:
    """One opinion per number (an export and its corrected copy name the same opinion)."""
    seen: dict[str, Record] = {}
    for opinion in opinions:
        seen.setdefault(getattr(opinion, "number"), opinion)
    return list(seen.values())
