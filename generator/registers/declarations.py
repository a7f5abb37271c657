"""Register 1: declarations of property and interests (Art. 69-72 of the Rules; ЗСВ Art. 175а-175в)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from generator.registers.schema import Currency, Record, Register, Table, column
from generator.rules import ExcludeFlagged, RequireParent, Retention

DECLARATION_TYPES = ("встъпителна", "ежегодна", "при промяна", "при освобождаване", "след освобождаване", "корекция")
SECTIONS = (
    "недвижими имоти",
    "превозни средства",
    "парични средства",
    "банкови влогове",
    "вземания",
    "задължения",
    "финансови инструменти",
    "дялове в дружества",
    "доходи",
    "разходи",
    "интереси",
)
# In an annual declaration these list what was acquired during the year (a flow);
# the rest are balances on 31 December (a stock). Pages must never add them up.
FLOW_SECTIONS = ("недвижими имоти", "превозни средства", "финансови инструменти", "дялове в дружества", "доходи", "разходи", "интереси")
OWNERS = ("декларатор", "съпруг/а", "дете", "партньор")


@dataclass(frozen=True, slots=True)
class Declaration(Record):
    declaration_id: str | None = column("Входящ номер", "Входящият номер на декларацията в Инспектората", required=True, aliases=("входящ номер", "вх. №"))
    filed_on: dt.date | None = column("Дата на подаване", "Датата, на която декларацията е подадена", required=True)
    year: int | None = column("Година", "Годината, за която се отнася декларацията", required=True)
    type: str | None = column("Вид", "Вид на декларацията", required=True, choices=DECLARATION_TYPES)
    person_id: str | None = column("Идентификатор на декларатора", "Постоянен идентификатор на лицето (не е ЕГН)", required=True)
    full_name: str | None = column("Име", "Собствено, бащино и фамилно име на декларатора", required=True)
    position: str | None = column("Длъжност", "Длъжността на декларатора")
    body: str | None = column("Орган", "Органът на съдебната власт, в който работи деклараторът")
    document: str | None = column("Документ", "Път до публикувания PDF на декларацията")


@dataclass(frozen=True, slots=True)
class Item(Record):
    declaration_id: str | None = column("Входящ номер", "Входящият номер на декларацията, към която е обектът", required=True, aliases=("входящ номер", "вх. №"))
    section: str | None = column("Раздел", "Разделът на декларацията", required=True, choices=SECTIONS)
    owner: str | None = column("Притежател", "Отношението на притежателя към декларатора (само отношението, никога името)", required=True, choices=OWNERS)
    description: str | None = column("Описание", "Описание на обекта", free_text=True)
    municipality: str | None = column("Населено място", "Населено място или община (без адрес)")
    area_sqm: Decimal | None = column("Площ (кв. м)", "Площ в квадратни метри")
    share: str | None = column("Дял", "Притежаваната част")
    acquired_year: int | None = column("Година на придобиване", "Годината на придобиване")
    value: Decimal | None = column("Стойност", "Стойността, както е декларирана")
    currency: Currency | None = column("Валута", "Валутата на стойността: BGN или EUR")
    legal_basis: str | None = column("Правно основание", "Правното основание за придобиване", free_text=True)
    origin_of_funds: str | None = column("Произход на средствата", "Произходът на средствата", free_text=True)
    partner_publication_refused: bool | None = column("Отказ на партньора от публикуване", "Да, ако фактическият партньор е отказал публикуване (чл. 71)")


def _table_for_file(path: Path) -> str:
    return "items" if "items" in path.name.casefold() else "declarations"


DECLARATIONS = Table(
    name="declarations",
    title="Декларации",
    record_type=Declaration,
    private=frozenset({"egn", "address", "phone", "email", "birth_date"}),
    key=("declaration_id",),
)
ITEMS = Table(
    name="items",
    title="Декларирани обекти",
    record_type=Item,
    private=frozenset({"address", "cadastral_id", "registration_plate", "vin", "iban", "account_no", "owner_name", "owner_egn"}),
    key=("declaration_id", "section", "owner", "description", "value"),
)

REGISTER = Register(
    name="declarations",
    title="Декларации за имущество и интереси",
    slug="deklaracii",
    summary="Декларациите на съдиите, прокурорите и следователите за имущество и интереси (чл. 175а ЗСВ).",
    tables=(DECLARATIONS, ITEMS),
    table_for_file=_table_for_file,
    rules=(
        Retention(table="declarations", date_field="filed_on", years=10),
        RequireParent(table="items", parent="declarations", key="declaration_id"),
        ExcludeFlagged(table="items", flag="partner_publication_refused", why="фактическият партньор е отказал публикуване (чл. 71)"),
    ),
)
