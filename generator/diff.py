"""`portal diff`: what a new site adds, changes and withdraws against the live one, and why each
record is withdrawn, for the webmaster to read before publishing.

The public manifests give ids, hashes and source rows; the reasons come from the new build's
private report (build/report.json): the rule that withheld a record, the export whose approval
failed, the row that is now invalid. Neither names a person: the webmaster opens the file at the row.
A declaration's items are part of it (the manifest hashes them into the declaration): an item
added, changed or removed shows as its declaration changed, at the declaration's row.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from generator.manifest import Entry, Manifest, compare
from generator.registers import REGISTERS

WITHDRAWN_APPROVAL = "одобрението е оттеглено"
WITHDRAWN_INVALID = "редът вече е невалиден"
WITHDRAWN_MISSING = "няма го в новите файлове"
WITHDRAWN_REFUSED = "файлът е отказан"
WITHDRAWN_UNKNOWN = "причината не е известна: няма доклад от изграждането на новия сайт"
SHOWN_PER_LIST = 10  # records listed per register in the terminal; the JSON has them all


@dataclass(frozen=True)
class RecordRef:
    """A record of a manifest, by id, with the export row it came from."""

    id: str
    table: str
    file: str
    row: int | None

    def where(self) -> str:
        """"declarations/declarations.csv, ред 4"."""
        return f"{self.file or '?'}, ред {self.row if self.row is not None else '?'}"


@dataclass(frozen=True)
class Withdrawal(RecordRef):
    """A record of the old site that the new one no longer publishes, and why."""

    reason: str = ""
    detail: str = ""  # the report's own words (a rule's reason is already the reason)


@dataclass
class RegisterDiff:
    """One register: records added, changed and withdrawn."""

    register: str
    title: str
    added: list[RecordRef] = field(default_factory=list)
    changed: list[RecordRef] = field(default_factory=list)
    withdrawn: list[Withdrawal] = field(default_factory=list)


@dataclass
class SiteDiff:
    """The new site against the old: per register, and notes on how the reasons were found."""

    new_as_of: str
    old_as_of: str
    registers: list[RegisterDiff]
    notes: list[str] = field(default_factory=list)


class _Reasons:
    """Why a record is withdrawn, from the new build's report (a dict of report.json)."""

    def __init__(self, report: dict | None) -> None:
        self.report = report
        self.withheld: dict[str, dict] = {}
        self.refused_files: dict[str, str] = {}
        self.bad_rows: dict[tuple[str, int], str] = {}
        if report is None:
            return
        for summary in report.get("registers", {}).values():
            self.withheld.update({w["id"]: w for w in summary.get("withheld_records", [])})
            self.refused_files.update(dict.fromkeys(summary.get("files_refused", []), ""))
        for problem in report.get("problems", []):
            if problem.get("severity") != "refused":
                continue
            if problem.get("row") is None:
                if problem["file"] in self.refused_files:
                    self.refused_files[problem["file"]] = self.refused_files[problem["file"]] or problem["message"]
            else:
                where = f"поле „{problem['field']}“: " if problem.get("field") else ""
                self.bad_rows.setdefault((problem["file"], problem["row"]), where + problem["message"])

    def explain(self, table: str, rid: str, old: Entry) -> Withdrawal:
        """The withdrawal of one old record, with the first reason that applies."""
        if self.report is None:
            return Withdrawal(rid, table, old.file, old.row, WITHDRAWN_UNKNOWN)
        if rid in self.withheld:
            w = self.withheld[rid]
            return Withdrawal(rid, table, w["file"], w["row"], w["reason"])
        if old.file in self.refused_files:
            message = self.refused_files[old.file]
            # Every approval problem speaks of "одобрение" (sidecar missing, unreadable, hash changed); a read error does not.
            reason = WITHDRAWN_APPROVAL if "одобрени" in message else WITHDRAWN_REFUSED
            return Withdrawal(rid, table, old.file, old.row, reason, message)
        if old.row is not None and (old.file, old.row) in self.bad_rows:
            return Withdrawal(rid, table, old.file, old.row, WITHDRAWN_INVALID, self.bad_rows[(old.file, old.row)])
        return Withdrawal(rid, table, old.file, old.row, WITHDRAWN_MISSING)


def diff_sites(new: Manifest, old: Manifest, report: dict | None) -> SiteDiff:
    """Compare the new site's manifest with the old one; `report` is the new build's report.json
    (or None), used only if it belongs to the new site."""
    notes = []
    if report is not None and report.get("manifest") != new.build_id:
        notes.append("Докладът от изграждането не е от новия сайт (манифестите не съвпадат); причините за оттеглянията не са известни. Изградете сайта отново или посочете верния доклад с --report.")
        report = None
    elif report is None:
        notes.append("Няма доклад от изграждането; причините за оттеглянията не са известни.")
    reasons = _Reasons(report)
    registers = []
    order = list(REGISTERS)
    compared = compare(old.records, new.records)
    for name, changes in sorted(compared.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)):
        register = REGISTERS.get(name)
        entry = RegisterDiff(name, register.title if register else name)
        entry.added = [_ref(new, name, t, i) for t, i in changes.added]
        entry.changed = [_ref(new, name, t, i) for t, i in changes.changed]
        entry.withdrawn = [reasons.explain(t, i, old.records[name][t][i]) for t, i in changes.withdrawn]
        registers.append(entry)
    return SiteDiff(new.as_of, old.as_of, registers, notes)


def _ref(manifest: Manifest, register: str, table: str, rid: str) -> RecordRef:
    entry = manifest.records[register][table][rid]
    return RecordRef(rid, table, entry.file, entry.row)


def diff_json(diff: SiteDiff) -> str:
    """The diff as stable JSON for build/diff.json."""
    data = {
        "new_as_of": diff.new_as_of,
        "old_as_of": diff.old_as_of,
        "notes": diff.notes,
        "registers": {
            r.register: {
                "title": r.title,
                "added": [asdict(x) for x in r.added],
                "changed": [asdict(x) for x in r.changed],
                "withdrawn": [asdict(x) for x in r.withdrawn],
            }
            for r in diff.registers
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _listed(lines: list[str], more: int) -> list[str]:
    return lines + ([f"      … и още {more} (вижте JSON файла)"] if more > 0 else [])


def diff_text(diff: SiteDiff) -> str:
    """The diff as the webmaster reads it: per register the counts, then the records by file and row."""
    out = [f"Новият сайт (към {diff.new_as_of}) спрямо публикувания (към {diff.old_as_of}):"]
    for r in diff.registers:
        if not (r.added or r.changed or r.withdrawn):
            out.append(f"{r.title}: без промени")
            continue
        out.append(f"{r.title}: добавени {len(r.added)}, променени {len(r.changed)}, оттеглени {len(r.withdrawn)}")
        for label, refs in (("добавени", r.added), ("променени", r.changed)):
            if refs:
                out.append(f"    {label}:")
                out += _listed([f"      {ref.where()} ({ref.table}, {ref.id})" for ref in refs[:SHOWN_PER_LIST]], len(refs) - SHOWN_PER_LIST)
        by_reason: dict[str, list[Withdrawal]] = {}
        for w in r.withdrawn:
            by_reason.setdefault(w.reason, []).append(w)
        for reason, items in by_reason.items():
            out.append(f"    оттеглени ({len(items)}): {reason}")
            out += _listed([f"      {w.where()} ({w.table}, {w.id}){': ' + w.detail if w.detail else ''}" for w in items[:SHOWN_PER_LIST]], len(items) - SHOWN_PER_LIST)
    out += [f"Бележка: {note}" for note in diff.notes]
    return "\n".join(out) + "\n"
