"""Stage 5: pass every published text through the one redactor before anything renders it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from generator.redact import Redactor
from generator.registers.schema import Record, Table

NAME_FIELDS = ("full_name",)
# Identifiers of records are published as they are: a numeric id may pass the ЛНЧ checksum by chance.
ID_FIELDS = ("person_id", "declaration_id", "number", "report_no", "decision_no", "document")


def public_names(tables: Iterable[list[Record]]) -> set[str]:
    """Names of the public officials the registers publish: they are never turned into initials."""
    return {r.full_name for records in tables for r in records if getattr(r, "full_name", None)}  # type: ignore[attr-defined]


def redact_records(table: Table, records: list[Record], redactor: Redactor) -> list[Record]:
    """A copy of the records with every text field redacted (free text and short text alike)."""
    text_fields = [spec.name for spec in table.fields if spec.type is str and spec.name not in NAME_FIELDS + ID_FIELDS]
    safe = []
    for record in records:
        changes = {}
        for name in text_fields:
            value = getattr(record, name)
            if value:
                cleaned = redactor.redact(value)
                if cleaned != value:
                    changes[name] = cleaned
        safe.append(replace(record, **changes) if changes else record)
    return safe
