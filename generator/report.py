"""Problems found on the way, the terminal report and report.json.

Stages never print: they return what they kept and a list of Problems, and the report
renders them at the end of the build.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from generator.timing import Timings


@dataclass(frozen=True)
class Problem:
    """One thing the webmaster must know: where (file, row, field), what, and what to do."""

    file: str
    message: str
    hint: str = ""
    row: int | None = None
    field: str | None = None
    severity: str = "refused"  # "refused" (file or row not published) or "note"

    def describe(self) -> str:
        """The problem as one Bulgarian line: file, row, field, message, what to do."""
        where = self.file
        if self.row is not None:
            where += f", ред {self.row}"
        if self.field:
            where += f", поле „{self.field}“"
        text = f"{where}: {self.message}"
        if self.hint:
            text += f" Какво да направите: {self.hint}"
        return text


@dataclass(frozen=True)
class WithheldRecord:
    """A record the rules kept off the site: its manifest id, why, and its row (never its values)."""

    id: str
    table: str
    reason: str
    file: str
    row: int | None


@dataclass
class RegisterSummary:
    """What one register published and withheld in this build."""

    register: str
    title: str
    files_read: list[str] = field(default_factory=list)
    files_refused: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_skipped: int = 0
    published: dict[str, int] = field(default_factory=dict)
    withheld: dict[str, int] = field(default_factory=dict)
    withheld_records: list[WithheldRecord] = field(default_factory=list)  # for `portal diff`


@dataclass
class BuildReport:
    """Everything the build has to tell: per register summaries and all problems."""

    as_of: str
    registers: dict[str, RegisterSummary] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    dropped_columns: dict[str, list[str]] = field(default_factory=dict)
    outcome: str = "pending"
    failure: str = ""
    detail: str = ""  # the traceback of an unforeseen failure, for the maintainers; never printed
    pages: int = 0
    pages_unchanged: int = 0  # declarants' pages linked unchanged from the previous site rather than rendered
    files_unchanged: int = 0  # API files linked from the previous site, written byte for byte as it holds them
    manifest: str = ""  # build_id of the site's data/manifest.json: ties this report to its site for `portal diff`
    timings: Timings = field(default_factory=Timings)  # wall time per stage; report.json only, never the site

    def add(self, problems: list[Problem]) -> None:
        """Collect the problems a stage returned."""
        self.problems.extend(problems)

    @property
    def refused(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "refused"]

    def to_json(self) -> str:
        """The report as stable, sorted JSON for build/report.json."""
        data = {
            "as_of": self.as_of,
            "outcome": self.outcome,
            "failure": self.failure,
            "detail": self.detail,
            "pages": self.pages,
            "pages_unchanged": self.pages_unchanged,
            "files_unchanged": self.files_unchanged,
            "manifest": self.manifest,
            "timings": self.timings.rounded(),
            "peak_rss_mib": self.timings.peaks(),
            "registers": {k: asdict(v) for k, v in sorted(self.registers.items())},
            "dropped_columns": {k: sorted(v) for k, v in sorted(self.dropped_columns.items())},
            "problems": [asdict(p) | {"text": p.describe()} for p in self.problems],
        }
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    def write(self, path: Path) -> None:
        """Write report.json, creating its folder."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.to_json(), encoding="utf-8")


def print_report(report: BuildReport, console: "Console") -> None:  # noqa: F821 - rich is imported lazily
    """The short terminal report: per register what was published and withheld, then every problem."""
    console.print(f"[bold]Изграждане към {report.as_of}[/]")
    for summary in report.registers.values():
        published = ", ".join(f"{count}" for count in summary.published.values()) or "0"
        console.print(
            f"[bold]{summary.title}[/]: файлове {len(summary.files_read)}, отказани {len(summary.files_refused)}; "
            f"редове {summary.rows_read}, пропуснати {summary.rows_skipped}; публикувани {published}",
            highlight=False,
        )
        for reason, count in sorted(summary.withheld.items()):
            console.print(f"    не се публикуват ({count}): {reason}", markup=False, highlight=False)
    refused = report.refused
    notes = [p for p in report.problems if p.severity != "refused"]
    if refused:
        console.print(f"[bold red]Отказани ({len(refused)}):[/]")
        for problem in refused:
            console.print(f"  • {problem.describe()}", markup=False, highlight=False)
    if notes:
        console.print(f"[bold yellow]Бележки ({len(notes)}):[/]")
        for problem in notes:
            console.print(f"  • {problem.describe()}", markup=False, highlight=False)
