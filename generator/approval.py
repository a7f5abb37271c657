"""Approval sidecars: an export is published only next to `X.approval.yaml` whose sha256 matches it."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.read import SIDECAR_SUFFIX
from generator.report import Problem

REQUIRED_FIELDS = ("approved_by", "approved_on", "sha256")


@dataclass(frozen=True)
class Approval:
    """Who approved an export, when, and the hash of the file they approved."""

    export: Path
    approved_by: str
    approved_on: dt.date
    sha256: str


def sidecar_of(export: Path) -> Path:
    """`declarations_2025.csv` -> `declarations_2025.approval.yaml`, in the same folder."""
    return export.with_name(export.stem + SIDECAR_SUFFIX)


def file_sha256(path: Path) -> str:
    """The hex SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _refusal(export: Path, message: str, hint: str) -> Problem:
    return Problem(file=_display(export), message=message, hint=hint)


def _display(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def verify_approval(export: Path) -> Approval | Problem:
    """The export's approval, or the Problem that keeps it off the site."""
    sidecar = sidecar_of(export)
    if not sidecar.is_file():
        return _refusal(
            export,
            f"липсва файлът за одобрение {sidecar.name}; файлът не е публикуван.",
            f"Поискайте одобрение и поставете {sidecar.name} (approved_by, approved_on, sha256) до файла.",
        )
    try:
        data = yaml.safe_load(sidecar.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        return _refusal(export, f"файлът за одобрение {sidecar.name} не може да бъде прочетен ({type(error).__name__}).", "Поправете YAML синтаксиса или поискайте нов файл за одобрение.")
    if not isinstance(data, dict):
        data = {}
    missing = [name for name in REQUIRED_FIELDS if not data.get(name)]
    if missing:
        return _refusal(
            export,
            f"във файла за одобрение {sidecar.name} липсва: {', '.join(missing)}; файлът не е публикуван.",
            "Допълнете approved_by (кой е одобрил), approved_on (дата) и sha256 (контролната сума на файла).",
        )
    approved_on = data["approved_on"]
    if not isinstance(approved_on, dt.date):
        from generator.values import parse_date

        try:
            approved_on = parse_date(approved_on)
        except ValueError:
            return _refusal(export, f"във файла за одобрение {sidecar.name} датата approved_on е невалидна.", "Запишете датата като ГГГГ-ММ-ДД.")
    expected = str(data["sha256"]).strip().lower()
    actual = file_sha256(export)
    if expected != actual:
        return _refusal(
            export,
            "файлът е променен след одобрението (контролната сума sha256 не съвпада); файлът не е публикуван.",
            "Ако промяната е одобрена, поискайте нов файл за одобрение; иначе върнете одобрения вариант на файла.",
        )
    return Approval(export=export, approved_by=str(data["approved_by"]).strip(), approved_on=approved_on, sha256=actual)


def write_sidecar(export: Path, approved_by: str, approved_on: dt.date) -> Path:
    """Write the approval sidecar of an export (used by `portal approve` and by test fixtures)."""
    sidecar = sidecar_of(export)
    data = {"approved_by": approved_by, "approved_on": approved_on, "sha256": file_sha256(export)}
    sidecar.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return sidecar
