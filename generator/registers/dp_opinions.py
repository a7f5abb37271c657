"""Register 5: opinions on personal data protection (Art. 94г); the full text is redacted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.registers.schema import Record, Register, Table, column


@dataclass(frozen=True, slots=True)
class Opinion(Record):
    number: str | None = column("Номер", "Номерът на становището", required=True)
    session_date: dt.date | None = column("Дата на заседанието", "Датата на заседанието, на което е прието", required=True)
    title: str | None = column("Заглавие", "Заглавието на становището", required=True)
    requested_by: str | None = column("Поискано от", "Органът на съдебната власт, поискал становището")
    summary: str | None = column("Резюме", "Кратко резюме", free_text=True)
    text: str | None = column("Текст", "Пълният текст (Markdown), с заличени лични данни", free_text=True)


REGISTER = Register(
    name="dp_opinions",
    title="Становища по защита на личните данни",
    slug="stanovishta",
    summary="Становищата на Инспектората по принципни въпроси на защитата на личните данни (чл. 94г от Правилника).",
    tables=(
        Table(
            name="dp_opinions",
            title="Становища",
            record_type=Opinion,
            private=frozenset({"requester_contact"}),
            key=("number",),
        ),
    ),
)
