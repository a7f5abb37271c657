"""Register 2a: persons who did not file their declaration on time (Art. 72 of the Rules).

A row with a year and no name means "no one was late that year": the year is shown
with "няма", not left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.registers.schema import Record, Register, Table, column

# The type tells the lists apart: late annual, late change declaration, left office without filing.
LATE_TYPES = ("ежегодна", "при промяна", "при освобождаване", "встъпителна", "след освобождаване")


@dataclass(frozen=True, slots=True)
class LateFiler(Record):
    year: int | None = column("Година", "Годината на списъка", required=True)
    type: str | None = column("Вид декларация", "Видът на неподадената в срок декларация", choices=LATE_TYPES)
    full_name: str | None = column("Име", "Име на лицето; празно означава, че за годината няма лица в списъка")
    position: str | None = column("Длъжност", "Длъжността на лицето")
    body: str | None = column("Орган", "Органът на съдебната власт")
    deadline: dt.date | None = column("Срок", "Крайният срок за подаване")
    filed_on: dt.date | None = column("Подадена на", "Датата на подаване след срока; празно, ако не е подадена")


REGISTER = Register(
    name="late_filers",
    title="Неподали декларация в срок",
    slug="nepodali-v-srok",
    summary="Списъци на лицата, които не са подали декларация в срок, по години (чл. 72 от Правилника).",
    tables=(
        Table(
            name="late_filers",
            title="Неподали декларация в срок",
            record_type=LateFiler,
            private=frozenset({"egn", "notice_address"}),
            key=("year", "type", "full_name", "body"),
        ),
    ),
)
