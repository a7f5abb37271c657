"""Register 2b: persons who declared incorrectly (Art. 74); shown until the end of the year they were listed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.registers.schema import Record, Register, Table, column
from generator.rules import UntilEndOfYear


@dataclass(frozen=True, slots=True)
class IncorrectDeclarant(Record):
    listed_on: dt.date | None = column("Дата на вписване", "Датата, на която лицето е вписано в списъка", required=True)
    full_name: str | None = column("Име", "Име на декларатора", required=True)
    position: str | None = column("Длъжност", "Длъжността на декларатора")
    body: str | None = column("Орган", "Органът на съдебната власт")
    report_no: str | None = column("Доклад №", "Номерът на доклада за несъответствие")
    discrepancy: str | None = column("Несъответствие", "Кратко описание на несъответствието", free_text=True)
    undelivered_notice: bool | None = column("Недоставено уведомление", "Да, ако уведомлението не е могло да бъде връчено (чл. 74)")


REGISTER = Register(
    name="incorrect_declarants",
    title="Некоректно декларирали",
    slug="nekorektni-deklaratori",
    summary="Лицата, декларирали некоректно, до края на годината на вписването им (чл. 74 от Правилника).",
    tables=(
        Table(
            name="incorrect_declarants",
            title="Некоректно декларирали",
            record_type=IncorrectDeclarant,
            private=frozenset({"egn", "notice_address", "address"}),
            key=("listed_on", "full_name", "report_no"),
        ),
    ),
    rules=(UntilEndOfYear(table="incorrect_declarants", date_field="listed_on"),),
)
