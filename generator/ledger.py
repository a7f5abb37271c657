"""The publication ledger: which approved exports a build published, who approved them and when,
and how many of their rows were read, published, withheld by the rules and refused as invalid.

It feeds the page "Източници на данните" and the line "по данни от …" on record pages. It holds
file names, hashes, the approving official and counts: never a value of a row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.approval import Approval
from generator.intake import Intake
from generator.registers import REGISTERS
from generator.registers.schema import Record
from generator.render.environment import date_bg
from generator.render.pages import Page, PublishedRegister, Renderer
from generator.report import Problem

SOURCES_SRC = "iztochnitsi-na-dannite.md"
SOURCES_TITLE = "Източници на данните"


@dataclass(frozen=True)
class LedgerEntry:
    """One approved export a build published, and what became of its rows."""

    register: str
    file: str  # as the report names it: "declarations/declarations_2025.csv"
    sha256: str
    approved_by: str
    approved_on: str  # ISO date
    rows_read: int
    rows_published: int
    rows_withheld: int  # valid rows the publication rules keep off the site
    rows_refused: int  # invalid rows, skipped by validation


def grouped_sha256(digest: str) -> str:
    """A hex SHA-256 as eight groups of eight joined by ":", as the manifest and the page show it:
    whole, sixty-four hex characters hold runs of ten digits that pass the ЕГН or ЛНЧ checksum
    often enough to stop the output scan (the open data page groups its sums the same way)."""
    return ":".join(digest[i : i + 8] for i in range(0, len(digest), 8))


def export_label(approval: Approval) -> str:
    """The export as records and the report name it: its folder and file name."""
    return f"{approval.export.parent.name}/{approval.export.name}"


def build_ledger(intake: Intake, published: Iterable[PublishedRegister], problems: Iterable[Problem]) -> list[LedgerEntry]:
    """The ledger of this build: one entry per approved, readable export, in register order.

    A row counts once however many records it holds (a JSON declaration with its items): it is
    published if any of its records is, refused if validation skipped it.
    """
    out_rows: dict[str, set[int | None]] = defaultdict(set)
    for data in published:
        for records in data.tables.values():
            for record in records:
                if record.source:
                    out_rows[record.source.file].add(record.source.row)
    bad_rows: dict[str, set[int]] = defaultdict(set)
    for problem in problems:
        if problem.severity == "refused" and problem.row is not None:
            bad_rows[problem.file].add(problem.row)
    entries = []
    for name, loaded in intake.registers.items():
        valid: dict[str, set[int | None]] = defaultdict(set)
        for records in loaded.tables.values():
            for record in records:
                if record.source:
                    valid[record.source.file].add(record.source.row)
        for approval in loaded.approvals:
            label = export_label(approval)
            # A problem on a valid row is an item of a nested declaration: the row itself was kept.
            refused = bad_rows[label] - valid[label]
            shown = out_rows[label] & valid[label]
            entries.append(
                LedgerEntry(
                    register=name,
                    file=label,
                    sha256=approval.sha256,
                    approved_by=approval.approved_by,
                    approved_on=approval.approved_on.isoformat(),
                    rows_read=len(valid[label]) + len(refused),
                    rows_published=len(shown),
                    rows_withheld=len(valid[label] - shown),
                    rows_refused=len(refused),
                )
            )
    return entries


class SourceLines:
    """The line "По данни от X, одобрен от Y на 20.11.2026 г." for the exports a page's records came from."""

    def __init__(self, ledger: Iterable[LedgerEntry]) -> None:
        self._by_file = {entry.file: entry for entry in ledger}

    def __call__(self, records: Iterable[Record]) -> list[str]:
        """One sentence per export the records came from, by file name."""
        files = sorted({r.source.file for r in records if r.source is not None and r.source.file in self._by_file})
        return [self.line(self._by_file[f]) for f in files]

    @staticmethod
    def line(entry: LedgerEntry) -> str:
        """The sentence for one export (the date, "20.11.2026 г.", ends it)."""
        return f"По данни от {Path(entry.file).name}, одобрен от {entry.approved_by} на {date_bg(dt.date.fromisoformat(entry.approved_on))}"


@dataclass(frozen=True)
class LedgerRow:
    """One export of a build's ledger as the page shows it."""

    register_title: str
    entry: LedgerEntry
    approved_on: dt.date

    @property
    def sha256_groups(self) -> list[str]:
        return grouped_sha256(self.entry.sha256).split(":")


@dataclass(frozen=True)
class LedgerView:
    """One build's ledger as the page shows it."""

    as_of: dt.date
    rows: list[LedgerRow]


def _view(as_of: str, ledger: Sequence[LedgerEntry]) -> LedgerView:
    titles = {name: register.title for name, register in REGISTERS.items()}
    rows = [LedgerRow(titles.get(e.register, e.register), e, dt.date.fromisoformat(e.approved_on)) for e in ledger]
    return LedgerView(dt.date.fromisoformat(as_of), rows)


def sources_page(renderer: Renderer, builds: Sequence[tuple[str, Sequence[LedgerEntry]]]) -> Page:
    """The page "Източници на данните": this build's ledger, then the earlier builds' (newest first)."""
    views = [_view(as_of, ledger) for as_of, ledger in builds]
    return renderer.page(SOURCES_SRC, SOURCES_TITLE, "sources.html.j2", current=views[0], history=views[1:])
