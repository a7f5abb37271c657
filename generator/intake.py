"""Stages 1-3: walk registers/, verify each export's approval, read it, validate it.

One bad file or row never stops the others: each is refused with a Problem and the
rest goes on. A folder that is not one of the public registers is refused whole.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from pathlib import Path

from generator.approval import Approval, verify_approval
from generator.read import ReadError, is_export, open_export
from generator.registers import REGISTERS
from generator.registers.schema import Record, Register
from generator.registers.validate import Memo, Validated, validate_stream
from generator.scan import PrivateValue
from generator.report import BuildReport, Problem, RegisterSummary


@dataclass
class LoadedRegister:
    """Every valid record of one register, before the publication rules."""

    register: Register
    tables: dict[str, list[Record]]
    approvals: list[Approval] = field(default_factory=list)


@dataclass
class Intake:
    """What stages 1-3 hand on: valid records per register and the private cells seen."""

    registers: dict[str, LoadedRegister]
    private_values: list[PrivateValue]


def _label(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _refuse_folder(folder: Path, report: BuildReport) -> None:
    report.add(
        [
            Problem(
                file=f"{folder.name}/",
                message="папката не е публичен регистър и нищо от нея не се публикува (например регистрите по ЗЗЛД и на нарушенията на сигурността на личните данни не са публични).",
                hint=f"Публичните регистри са: {', '.join(REGISTERS)}. Преместете файла в правилната папка или го махнете от registers/.",
            )
        ]
    )


def load_registers(root: Path, report: BuildReport) -> Intake:
    """Read, approve and validate every export under `root`, recording problems in `report`."""
    # Intake makes about a million records and private values and no reference cycles worth
    # collecting; the cyclic collector would walk them all again and again (a third of the
    # intake's time at national scale). It is switched back on afterwards.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load_registers(root, report)
    finally:
        if collecting:
            gc.enable()


def _load_registers(root: Path, report: BuildReport) -> Intake:
    # Registers come out in the order of REGISTERS (the site's navigation order), whatever the folders.
    intake = Intake(registers={r.name: LoadedRegister(r, {t.name: [] for t in r.tables}) for r in REGISTERS.values()}, private_values=[])
    for register in REGISTERS.values():
        report.registers.setdefault(register.name, RegisterSummary(register.name, register.title))
    memo = Memo()  # one for the whole build: a text repeated across files is converted and stored once
    if not root.is_dir():
        report.add([Problem(file=str(root), message="папката с регистрите не съществува.", hint="Проверете пътя, подаден с --registers.")])
        return intake
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if folder.name not in REGISTERS:
            _refuse_folder(folder, report)
            continue
        register = REGISTERS[folder.name]
        for export in sorted(p for p in folder.rglob("*") if p.is_file() and is_export(p)):
            _load_file(export, register, intake.registers[register.name], report.registers[register.name], intake, report, memo)
    return intake


def _load_file(
    export: Path, register: Register, loaded: LoadedRegister, summary: RegisterSummary, intake: Intake, report: BuildReport, memo: Memo
) -> None:
    label = _label(export)
    # Timed apart: "read" is the approval hash and the parsing of the file, "validate" the rows taken
    # one by one into the typed schema (turning each parsed line into a row is counted there).
    with report.timings.stage("read"):
        approval = verify_approval(export)
        if isinstance(approval, Problem):
            report.add([approval])
            summary.files_refused.append(label)
            return
        try:
            raw = open_export(export)
        except ReadError as error:
            _refuse_unreadable(label, error, summary, report)
            return
    with report.timings.stage("validate"):
        try:
            result = validate_stream(register, register.table_of(export), raw, label, memo)
        except ReadError as error:  # found only while the rows were taken: nothing of the file is kept
            _refuse_unreadable(label, error, summary, report)
            return
    _add_result(result, label, loaded, approval, summary, intake, report)


def _refuse_unreadable(label: str, error: ReadError, summary: RegisterSummary, report: BuildReport) -> None:
    report.add([Problem(file=label, message=f"файлът не може да бъде прочетен: {error.message}", hint=error.hint or "Изнесете файла отново от системата.")])
    summary.files_refused.append(label)


def _add_result(result: Validated, label: str, loaded: LoadedRegister, approval: Approval, summary: RegisterSummary, intake: Intake, report: BuildReport) -> None:
    report.add(result.problems)
    if result.unknown_columns:
        report.dropped_columns[label] = list(result.unknown_columns)
        report.add(
            [
                Problem(
                    file=label,
                    message=f"непознати колони, които не се публикуват: {', '.join(result.unknown_columns)}.",
                    hint="Ако колоната трябва да се публикува, тя първо трябва да бъде добавена в схемата на регистъра.",
                    severity="note",
                )
            ]
        )
    for name, records in result.records.items():
        loaded.tables[name].extend(records)
    loaded.approvals.append(approval)
    intake.private_values.extend(result.private_values)
    summary.files_read.append(label)
    summary.rows_read += result.rows_read
    summary.rows_skipped += result.rows_skipped


def private_values_of(root: Path) -> list[PrivateValue]:
    """The private values of every export under `root`, approved or not: what a scan must never find."""
    values: list[PrivateValue] = []
    memo = Memo()
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name in REGISTERS):
        register = REGISTERS[folder.name]
        for export in sorted(p for p in folder.rglob("*") if p.is_file() and is_export(p)):
            try:
                values.extend(validate_stream(register, register.table_of(export), open_export(export), _label(export), memo).private_values)
            except ReadError:
                continue
    return values
