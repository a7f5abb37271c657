"""Register 4: the annual programme of planned inspections (Art. 53-55); the latest amendment wins."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.registers.schema import Record, Register, Table, column
from generator.rules import LatestVersion

INSPECTION_TYPES = ("комплексна", "тематична", "контролна")


@dataclass(frozen=True, slots=True)
class PlannedInspection(Record):
    year: int | None = column("Година", "Годината на програмата", required=True)
    decision_no: str | None = column("Решение №", "Номерът на решението, с което е приета или изменена програмата")
    adopted_on: dt.date | None = column("Приета на", "Датата на приемане на програмата", required=True)
    appellate_region: str | None = column("Апелативен район", "Апелативният район (или военните и административните съдилища)")
    body: str | None = column("Орган", "Проверяваният орган на съдебната власт", required=True)
    inspection_type: str | None = column("Вид проверка", "Комплексна, тематична или контролна", required=True, choices=INSPECTION_TYPES)
    topic: str | None = column("Тема", "Темата на проверката", free_text=True)
    period_checked: str | None = column("Проверяван период", "Периодът, който се проверява")
    scheduled: str | None = column("Срок", "Месецът или тримесечието на проверката")
    amended_on: dt.date | None = column("Изменена на", "Датата на изменението; празно, ако не е изменяна")


REGISTER = Register(
    name="inspection_programme",
    title="Годишна програма за проверки",
    slug="programa-za-proverki",
    summary="Годишната програма за планови проверки на органите на съдебната власт (чл. 53–55 от Правилника).",
    tables=(
        Table(
            name="inspection_programme",
            title="Планирани проверки",
            record_type=PlannedInspection,
            private=frozenset(),
            key=("year", "body", "inspection_type"),
        ),
    ),
    # One body gets at most one inspection of a type a year: an amendment replaces the earlier row.
    rules=(LatestVersion(table="inspection_programme", key=("year", "body", "inspection_type"), order=("amended_on", "adopted_on")),),
)
