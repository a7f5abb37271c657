"""Register 3: penalty rulings for violations under ЗСВ Art. 408а-408г; only those in force (Art. 98)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from generator.registers.schema import Currency, Record, Register, Table, column
from generator.rules import InForce


@dataclass(frozen=True, slots=True)
class PenaltyRuling(Record):
    number: str | None = column("Номер", "Номерът на наказателното постановление", required=True)
    issued_on: dt.date | None = column("Издадено на", "Датата на издаване", required=True)
    full_name: str | None = column("Наказано лице", "Името на наказаното лице", required=True)
    position: str | None = column("Длъжност", "Длъжността на наказаното лице")
    body: str | None = column("Орган", "Органът на съдебната власт")
    violation: str | None = column("Нарушение", "Нарушената разпоредба и кратко описание", required=True, free_text=True)
    penalty_amount: Decimal | None = column("Размер на глобата", "Размерът на наложената глоба")
    currency: Currency | None = column("Валута", "Валутата на глобата: BGN или EUR")
    in_force_on: dt.date | None = column("В сила от", "Датата на влизане в сила")
    appeal_outcome: str | None = column("Резултат от обжалване", "Напр. „потвърдено“, „отменено“")


REGISTER = Register(
    name="penalty_rulings",
    title="Наказателни постановления",
    slug="nakazatelni-postanovlenia",
    summary="Влезлите в сила наказателни постановления за нарушения по чл. 408а–408г ЗСВ (чл. 98 от Правилника).",
    tables=(
        Table(
            name="penalty_rulings",
            title="Наказателни постановления",
            record_type=PenaltyRuling,
            private=frozenset({"egn", "address", "appeal_case_no", "internal_note"}),
            key=("number",),
        ),
    ),
    rules=(InForce(table="penalty_rulings", date_field="in_force_on"),),
)
