"""A synthetic national-scale registers/ folder: every declarant of the judiciary over 10 years.

    write_corpus(Path("work/registers"), declarants=5500, variant=0)   # the full corpus
    write_corpus(Path("work/registers"), declarants=5500, variant=1)   # the same, 1 % of records changed

Deterministic: every value comes from a `random.Random` seeded by text (person, year, record),
so a file can be regenerated on its own and the same arguments give the same bytes. Files whose
bytes did not change are not rewritten (their approval stays valid); changed files are re-approved.

Shape (per declarant): 10 annual declarations (years 2016-2025, filed in May of the next year),
change declarations in about 1 of 10 years, and a few entry, exit and correction declarations;
8-19 items per annual declaration, 1-3 per change declaration. Every export format is used,
one export per filing year as the internal system produces them (see DECLARATION_FILES); the
other registers hold about 1,000 rows. Private columns are filled with checksum-valid synthetic
identifiers, so the output scan has the real amount of work to do.

Writers here are our own (CSV, JSON, YAML through libyaml, a minimal XLSX with shared strings):
tests/builders.py writes XLSX through openpyxl and YAML in pure Python, minutes at this scale.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

from generator.approval import write_sidecar
from generator.downloads.xlsx_out import column_letter
from tests.builders import make_egn, make_iban

SEED = "ivss-national-2026"
APPROVER = "Десислава Колева, началник на отдел „Регистри“"
APPROVED_ON = dt.date(2026, 11, 20)
CHANGE_SHARE = 0.01  # variant 1 changes this share of the records
ANNUAL_YEARS = range(2016, 2026)  # the year each annual declaration covers; filed in May of the next year

# --------------------------------------------------------------------------------------- names
MALE_FIRST = (
    "Александър", "Ангел", "Антон", "Асен", "Атанас", "Божидар", "Борис", "Бойко", "Валентин", "Васил",
    "Веселин", "Виктор", "Владимир", "Георги", "Григор", "Даниел", "Делян", "Деян", "Димитър", "Добромир",
    "Емил", "Живко", "Здравко", "Иван", "Ивайло", "Илиян", "Йордан", "Калин", "Калоян", "Кирил",
    "Константин", "Красимир", "Любомир", "Марин", "Мартин", "Методи", "Милен", "Мирослав", "Никола", "Николай",
    "Огнян", "Пламен", "Петър", "Радослав", "Румен", "Светослав", "Симеон", "Стефан", "Стоян", "Тодор",
    "Траян", "Христо", "Цветан", "Цветомир", "Явор", "Ясен", "Богдан", "Венелин", "Емануил", "Тихомир",
)  # fmt: skip
FEMALE_FIRST = (
    "Албена", "Анелия", "Антоанета", "Боряна", "Валентина", "Ваня", "Велислава", "Венета", "Веселина", "Виктория",
    "Галя", "Гергана", "Даниела", "Даря", "Десислава", "Диана", "Добринка", "Доротея", "Евгения", "Екатерина",
    "Елена", "Елица", "Емилия", "Зорница", "Ивелина", "Ирина", "Йорданка", "Калина", "Катя", "Красимира",
    "Лилия", "Любомира", "Магдалена", "Мариана", "Мария", "Маргарита", "Милена", "Мирослава", "Надежда", "Нели",
    "Никол", "Нина", "Петя", "Пламена", "Радостина", "Ралица", "Росица", "Румяна", "Светла", "Силвия",
    "Снежана", "Соня", "Станислава", "Таня", "Теменуга", "Теодора", "Цветелина", "Юлия", "Яна", "Ясена",
)  # fmt: skip
# Father's names, masculine form (the feminine adds "а").
PATRONYMICS = (
    "Александров", "Ангелов", "Антонов", "Асенов", "Атанасов", "Борисов", "Василев", "Веселинов", "Георгиев", "Григоров",
    "Димитров", "Емилов", "Живков", "Иванов", "Йорданов", "Кирилов", "Костадинов", "Красимиров", "Любенов", "Маринов",
    "Методиев", "Миленов", "Николов", "Николаев", "Петров", "Пламенов", "Райчев", "Руменов", "Симеонов", "Стефанов",
    "Стоянов", "Тодоров", "Христов", "Цветанов", "Янков", "Ненков", "Кръстев", "Минчев", "Павлов", "Славов",
)  # fmt: skip
SURNAMES = (
    "Иванов", "Георгиев", "Димитров", "Петров", "Николов", "Христов", "Стоянов", "Тодоров", "Илиев", "Василев",
    "Атанасов", "Петков", "Ангелов", "Колев", "Йорданов", "Маринов", "Стефанов", "Попов", "Михайлов", "Кръстев",
    "Костов", "Димов", "Павлов", "Марков", "Симеонов", "Янев", "Цветков", "Александров", "Лазаров", "Добрев",
    "Ненчев", "Кирилов", "Славов", "Найденов", "Русев", "Милев", "Пенев", "Великов", "Генов", "Станев",
    "Спасов", "Борисов", "Богданов", "Асенов", "Киров", "Радев", "Гърков", "Чакъров", "Тасев", "Бонев",
    "Пеев", "Мечев", "Ризов", "Гацев", "Кушев", "Маджаров", "Лазов", "Славков", "Байчев", "Данчев",
    "Узунов", "Цонев", "Шипков", "Бечев", "Хаджиев", "Каменов", "Пенчев", "Марков", "Ботев", "Гергинов",
    "Шишков", "Жеков", "Вълканов", "Пенев", "Шопов", "Русинов", "Тошев", "Милчев", "Сапунджиев", "Велчев",
    "Дечев", "Желязков", "Зафиров", "Калчев", "Латинов", "Мавродиев", "Несторов", "Орманов", "Пашов", "Райков",
    "Сираков", "Табаков", "Угринов", "Филипов", "Хубенов", "Цанков", "Чолаков", "Шарков", "Янакиев", "Вапцаров",
    "Попвасилев", "Кацарски", "Лозановски", "Мирчевски", "Пировски", "Стойчевски", "Тончевски", "Бърдарски", "Гоцевски", "Дренски",
    "Ангелков", "Бакърджиев", "Въжаров", "Гълъбов", "Дюлгеров", "Енчев", "Зарков", "Ирибозов", "Йотов", "Кехайов",
    "Лилов", "Мутафов", "Начев", "Овчаров", "Пантелеев", "Радулов", "Сарафов", "Терзиев", "Урумов", "Фурнаджиев",
    "Хлебаров", "Цеков", "Чорбаджиев", "Шейтанов", "Юруков", "Ямуков", "Арнаудов", "Бозуков", "Вутов", "Грънчаров",
    "Дамянов", "Евтимов", "Жечев", "Златев", "Илков", "Кънчев", "Льондев", "Мандев", "Неделчев", "Обретенов",
    "Поптодоров", "Ралчев", "Сотиров", "Трифонов", "Усунов", "Фъртунов", "Хаджииванов", "Цочев", "Чапкънов", "Шуманов",
)  # fmt: skip


def feminine(name: str) -> str:
    """Петров -> Петрова, Кацарски -> Кацарска."""
    return name[:-1] + "а" if name.endswith("ски") else name + "а"


# -------------------------------------------------------------------------------------- bodies
DISTRICTS = {
    "София": ("Ботевград", "Елин Пелин", "Ихтиман", "Костинброд", "Самоков", "Сливница"),
    "Благоевград": ("Гоце Делчев", "Петрич", "Разлог", "Сандански"),
    "Кюстендил": ("Дупница",),
    "Перник": ("Брезник", "Радомир"),
    "Видин": ("Белоградчик", "Кула"),
    "Враца": ("Бяла Слатина", "Козлодуй", "Мездра"),
    "Монтана": ("Берковица", "Лом"),
    "Пловдив": ("Асеновград", "Карлово", "Първомай"),
    "Пазарджик": ("Велинград", "Панагюрище", "Пещера"),
    "Смолян": ("Девин", "Златоград", "Мадан"),
    "Хасково": ("Димитровград", "Свиленград", "Харманли"),
    "Кърджали": ("Ардино", "Крумовград", "Момчилград"),
    "Стара Загора": ("Гълъбово", "Казанлък", "Раднево", "Чирпан"),
    "Варна": ("Девня", "Провадия"),
    "Добрич": ("Балчик", "Генерал Тошево", "Каварна"),
    "Шумен": ("Велики Преслав", "Нови пазар"),
    "Търговище": ("Омуртаг", "Попово"),
    "Силистра": ("Дулово", "Тутракан"),
    "Разград": ("Исперих", "Кубрат"),
    "Бургас": ("Айтос", "Карнобат", "Несебър", "Поморие"),
    "Сливен": ("Нова Загора", "Котел"),
    "Ямбол": ("Елхово",),
    "Велико Търново": ("Горна Оряховица", "Павликени", "Свищов"),
    "Габрово": ("Дряново", "Севлиево", "Трявна"),
    "Ловеч": ("Луковит", "Тетевен", "Троян"),
    "Плевен": ("Левски", "Кнежа", "Червен бряг"),
    "Русе": ("Бяла",),
}
APPELLATE = ("София", "Пловдив", "Варна", "Бургас", "Велико Търново")


def judicial_bodies() -> dict[str, list[str]]:
    """Courts and prosecutor's offices by position: {"съдия": [...], "прокурор": [...], "следовател": [...]}."""
    courts = ["Софийски градски съд", "Софийски районен съд", "Върховен административен съд", "Военен съд – София", "Военен съд – Пловдив"]
    offices = ["Софийска градска прокуратура", "Военно-окръжна прокуратура – София"]
    for town in APPELLATE:
        courts.append(f"Апелативен съд – {town}")
        offices.append(f"Апелативна прокуратура – {town}")
    for district, towns in DISTRICTS.items():
        courts += [f"Окръжен съд – {district}", f"Административен съд – {district}", f"Районен съд – {district}"]
        offices += [f"Окръжна прокуратура – {district}", f"Районна прокуратура – {district}"]
        courts += [f"Районен съд – {town}" for town in towns]
        offices += [f"Районна прокуратура – {town}" for town in towns]
    investigators = ["Национална следствена служба", "Следствен отдел в Софийска градска прокуратура"]
    investigators += [f"Окръжен следствен отдел в Окръжна прокуратура – {d}" for d in DISTRICTS]
    return {"съдия": courts, "председател": courts, "прокурор": offices, "следовател": investigators}


BODIES = judicial_bodies()
TOWNS = [t for district, towns in DISTRICTS.items() for t in (district, *towns)]


# -------------------------------------------------------------------------------------- people
@dataclass(frozen=True)
class Declarant:
    """One magistrate of the synthetic corpus."""

    index: int
    person_id: str
    full_name: str
    female: bool
    position: str
    bodies: tuple[str, str, int]  # first body, later body, the year the move took effect
    birth: dt.date
    town: str

    def body_in(self, year: int) -> str:
        """The body the declarant served in that year (about 1 in 8 moves once)."""
        first, later, moved = self.bodies
        return later if year >= moved else first

    @property
    def surname(self) -> str:
        return self.full_name.split()[-1]


def rng(*parts: object) -> random.Random:
    """A generator seeded by text, so that each record's values do not depend on any other's."""
    return random.Random(":".join([SEED, *map(str, parts)]))


def declarant(index: int) -> Declarant:
    """The index-th declarant, the same on every run."""
    r = rng("person", index)
    female = r.random() < 0.62  # the judiciary is about 60 % women
    first = r.choice(FEMALE_FIRST if female else MALE_FIRST)
    father = r.choice(PATRONYMICS)
    surname = r.choice(SURNAMES)
    name = f"{first} {feminine(father) if female else father} {feminine(surname) if female else surname}"
    position = r.choices(("съдия", "прокурор", "следовател", "председател"), (55, 33, 9, 3))[0]
    first_body = r.choice(BODIES[position])
    moved = r.random() < 0.125
    later = r.choice(BODIES[position]) if moved else first_body
    birth = dt.date(r.randint(1958, 1992), r.randint(1, 12), r.randint(1, 28))
    return Declarant(index, f"P-{100000 + index}", name, female, position, (first_body, later, r.randint(2018, 2025) if moved else 9999), birth, r.choice(TOWNS))


# -------------------------------------------------------------------------------- declarations
@dataclass
class Declaration:
    """One declaration row (public and private columns) with its items."""

    row: dict[str, object]
    items: list[dict[str, object]] = field(default_factory=list)


SECTION_WEIGHTS = {
    "недвижими имоти": 14, "превозни средства": 8, "парични средства": 10, "банкови влогове": 16, "вземания": 5,
    "задължения": 9, "финансови инструменти": 5, "дялове в дружества": 3, "доходи": 20, "разходи": 4, "интереси": 6,
}  # fmt: skip
SECTIONS = list(SECTION_WEIGHTS)
WEIGHTS = list(SECTION_WEIGHTS.values())
BANKS = (("UNCR", "УниКредит Булбанк"), ("STSA", "Банка ДСК"), ("FINV", "Първа инвестиционна банка"), ("BPBI", "Пощенска банка"), ("RZBB", "Обединена българска банка"), ("CECB", "Централна кооперативна банка"))
CARS = (("TMB", "Шкода Октавия"), ("VF1", "Рено Меган"), ("WVW", "Фолксваген Голф"), ("UU1", "Дачия Дъстър"), ("JTD", "Тойота Ярис"), ("WBA", "БМВ 318"), ("KNA", "Киа Сийд"), ("ZFA", "Фиат Типо"))
PROPERTIES = ("апартамент, двустаен", "апартамент, тристаен", "апартамент, четиристаен", "жилищна сграда", "вила", "гараж", "земеделска земя, нива", "урегулиран поземлен имот", "ателие", "магазин")
BASES = ("покупко-продажба", "наследство", "дарение", "договор за строителство", "делба")
ORIGINS = ("спестявания", "ипотечен кредит", "спестявания и ипотечен кредит", "продажба на имот", "дарение от родители")
INCOMES = ("трудово възнаграждение", "възнаграждение по граждански договор", "доход от наем", "хонорар за преподаване", "лихви по влогове", "дивидент")
EXPENSES = ("обучение на дете в чужбина", "лечение в чужбина", "ремонт на жилище", "туристическо пътуване")
INTERESTS = ("член на Съюза на съдиите в България", "член на Асоциацията на прокурорите в България", "преподавател в Националния институт на правосъдието", "член на настоятелството на училище", "член на управителния съвет на сдружение с нестопанска цел")
COMPANIES = ("„Родопа инвест“ ООД", "„Черноморски бриз“ ЕООД", "„Агро Тракия“ АД", "„Дунав консулт“ ООД", "„Витоша пропърти“ ЕАД")
OWNERS = ("декларатор", "съпруг/а", "дете", "партньор")


def changed(*record: object) -> bool:
    """Is this record among the CHANGE_SHARE that variant 1 changes? Decided per record, never per file."""
    return rng("change", *record).random() < CHANGE_SHARE


def item(r: random.Random, declaration_id: str, person: Declarant, year: int, currency: str, bump: bool) -> dict[str, object]:
    """One item row of a declaration: a section's description, value and private columns."""
    section = r.choices(SECTIONS, WEIGHTS)[0]
    owner = r.choices(OWNERS, (72, 21, 4, 3))[0]
    town = person.town if r.random() < 0.7 else r.choice(TOWNS)
    row: dict[str, object] = {"declaration_id": declaration_id, "section": section, "owner": owner}
    value = Decimal(r.randint(300, 250_000)).scaleb(0) + Decimal(r.randint(0, 99)) / 100
    if section == "недвижими имоти":
        row |= {"description": r.choice(PROPERTIES), "municipality": town, "area_sqm": Decimal(r.randint(1800, 150_000)) / 100,
                "share": r.choice(("1/1", "1/2", "1/3", "1/4")), "acquired_year": year, "legal_basis": r.choice(BASES), "origin_of_funds": r.choice(ORIGINS),
                "address": f"гр. {town}, ул. „{r.choice(SURNAMES)[:-2]}ска“ № {r.randint(1, 120)}, ет. {r.randint(1, 9)}, ап. {r.randint(1, 60)}",
                "cadastral_id": f"{r.randint(10000, 99999)}.{r.randint(100, 999)}.{r.randint(1, 9999)}.{r.randint(1, 9)}.{r.randint(1, 40)}"}  # fmt: skip
    elif section == "превозни средства":
        wmi, car = r.choice(CARS)
        row |= {"description": f"лек автомобил {car}, {r.randint(2005, year)} г.", "share": "1/1", "acquired_year": year, "legal_basis": "покупко-продажба", "origin_of_funds": r.choice(("спестявания", "потребителски кредит")),
                "registration_plate": f"{r.choice(('СА', 'СВ', 'РВ', 'В', 'А', 'ВТ', 'КН'))}{r.randint(1000, 9999)}{r.choice('АВЕКМНОРСТУХ')}{r.choice('АВЕКМНОРСТУХ')}",
                "vin": f"{wmi}{r.randint(10**13, 10**14 - 1)}"}  # fmt: skip
    elif section == "банкови влогове":
        code, bank = r.choice(BANKS)
        row |= {"description": f"влог в {bank}", "iban": make_iban(code, f"{r.randint(0, 9999):04d}", f"{r.randint(10, 99)}{r.randint(0, 10**8 - 1):08d}")}
    elif section == "парични средства":
        row |= {"description": "парични средства в брой"}
    elif section in ("вземания", "задължения"):
        code, bank = r.choice(BANKS)
        # Now and then a loan from a private person: a name the redactor must turn into initials.
        lender = f"{r.choice(MALE_FIRST)} {r.choice(PATRONYMICS)} {r.choice(SURNAMES)}" if r.random() < 0.05 else None
        what = "заем" if section == "вземания" else "ипотечен кредит"
        row |= {"description": f"заем от {lender}" if lender else f"{what} към {bank}", "account_no": f"{r.randint(10**9, 10**10 - 1)}"}
    elif section == "финансови инструменти":
        row |= {"description": f"{r.randint(10, 5000)} акции на {r.choice(COMPANIES)}", "acquired_year": year}
    elif section == "дялове в дружества":
        row |= {"description": f"{r.randint(1, 50)} % от капитала на {r.choice(COMPANIES)}", "acquired_year": year}
    elif section == "доходи":
        row |= {"description": r.choice(INCOMES)}
    elif section == "разходи":
        row |= {"description": r.choice(EXPENSES)}
    else:
        row |= {"description": r.choice(INTERESTS)}
        value = None  # type: ignore[assignment]
    if value is not None:
        row |= {"value": (value * Decimal("1.05")).quantize(Decimal("0.01")) if bump else value, "currency": currency}
    if owner == "партньор":
        row["partner_publication_refused"] = r.random() < 0.3
    return row


def declaration(person: Declarant, kind: str, year: int, filed_on: dt.date, serial: int, item_count: tuple[int, int], variant: int) -> Declaration:
    """One declaration of a declarant with its items; variant 1 changes 1 % of them (positions and values)."""
    declaration_id = f"Д-{filed_on.year}-{serial:06d}"
    bump = variant == 1 and changed(declaration_id)
    r = rng("declaration", person.index, kind, year, serial)
    position = person.position if not bump else ("председател" if person.position == "съдия" else person.position)
    row: dict[str, object] = {
        "declaration_id": declaration_id, "filed_on": filed_on, "year": year, "type": kind, "person_id": person.person_id,
        "full_name": person.full_name, "position": position, "body": person.body_in(year),
        "egn": make_egn(person.birth, person.index, female=person.female),
        "address": f"гр. {person.town}, ул. „{r.choice(SURNAMES)[:-2]}ска“ № {r.randint(1, 120)}",
        "phone": f"08{r.choice('789')}{r.randint(1000000, 9999999)}",
        "email": f"{person.person_id.lower()}@example.com", "birth_date": person.birth,
    }  # fmt: skip
    currency = "EUR" if filed_on.year >= 2026 else "BGN"
    items = [item(r, declaration_id, person, year, currency, bump) for _ in range(r.randint(*item_count))]
    return Declaration(row, items)


def annual(person: Declarant, year: int, variant: int) -> Declaration:
    """The annual declaration for `year`, filed by 15 May of the next year."""
    r = rng("annual", person.index, year)
    filed_on = dt.date(year + 1, r.choice((3, 4, 5)), r.randint(1, 28))
    return declaration(person, "ежегодна", year, filed_on, person.index * 20 + year - 2010, (8, 19), variant)


def occasional(person: Declarant, variant: int) -> Iterator[Declaration]:
    """Change declarations in about 1 of 10 years, a few entry, exit and correction declarations."""
    for year in ANNUAL_YEARS:
        r = rng("occasional", person.index, year)
        if r.random() < 0.1:
            yield declaration(person, "при промяна", year, dt.date(year, r.randint(1, 12), r.randint(1, 28)), person.index * 20 + 15, (1, 3), variant)
        if r.random() < 0.01:
            yield declaration(person, "корекция", year, dt.date(year + 1, 6, r.randint(1, 14)), person.index * 20 + 16, (8, 16), variant)
    r = rng("entry-exit", person.index)
    if r.random() < 0.03:  # half of them are older than 10 years on the build date, so the retention rule withholds them
        year = r.randint(2013, 2019)
        yield declaration(person, "встъпителна", year, dt.date(year, r.randint(1, 12), r.randint(1, 28)), person.index * 20 + 17, (4, 10), variant)
    if r.random() < 0.01:
        yield declaration(person, "при освобождаване", 2026, dt.date(2026, r.randint(1, 10), r.randint(1, 28)), person.index * 20 + 18, (4, 10), variant)


# ------------------------------------------------------------------------------------ writers
def _text(value: object, bg_dates: bool, decimal_comma: bool) -> str:
    """A cell as an internal system writes it into CSV."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value and bg_dates else "не" if bg_dates else str(value).lower()
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y} г." if bg_dates else value.isoformat()
    if isinstance(value, Decimal):
        text = f"{value:.2f}"
        return text.replace(".", ",") if decimal_comma else text
    return str(value)


def csv_bytes(rows: list[dict[str, object]], columns: list[str], encoding: str, delimiter: str) -> bytes:
    """CSV as the internal system exports it; the Windows-1251 exports of older years use Bulgarian dates and decimal commas."""
    legacy = encoding == "cp1251"
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([_text(row.get(c), legacy, legacy) for c in columns] for row in rows)
    return buffer.getvalue().encode(encoding)


def _portable(value: object, dates_as_text: bool) -> object:
    if isinstance(value, dict):
        return {k: _portable(v, dates_as_text) for k, v in value.items()}
    if isinstance(value, list):
        return [_portable(v, dates_as_text) for v in value]
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if dates_as_text and isinstance(value, dt.date):
        return value.isoformat()
    return value


def json_bytes(records: list[dict[str, object]], wrapper: str | None = None) -> bytes:
    """A JSON list of objects (or {wrapper: [...]})."""
    data = _portable(records, True)
    return (json.dumps({wrapper: data} if wrapper else data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


class _Dumper(yaml.CSafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True


def yaml_bytes(records: list[dict[str, object]]) -> bytes:
    """A YAML list of mappings, dates as YAML dates (libyaml's emitter: the pure-Python one takes minutes here)."""
    return yaml.dump(_portable(records, False), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000).encode("utf-8")


def markdown_bytes(row: dict[str, object]) -> bytes:
    """One opinion: YAML front matter and the Markdown text."""
    front = {k: v for k, v in row.items() if k != "text"}
    return ("---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000) + "---\n\n" + str(row["text"]).strip() + "\n").encode("utf-8")


XLSX_PARTS = {
    "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    "xl/styles.xml": '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="DD.MM.YYYY"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
}
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
EXCEL_EPOCH = dt.date(1899, 12, 30)


def xlsx_bytes(rows: list[dict[str, object]], columns: list[str], serial_dates: bool = False) -> bytes:
    """A one-sheet workbook as Excel writes it (shared strings, dates as styled serial numbers), with fixed timestamps."""
    strings: dict[str, int] = {}
    names = [column_letter(i) for i in range(len(columns))]
    date_style = "" if serial_dates else ' s="1"'  # serial dates: a plain number, as some exporters write them
    lines = ['<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for number, cells in enumerate([dict(zip(columns, columns)), *rows], start=1):
        out = [f'<row r="{number}">']
        for name, column in zip(names, columns):
            value = cells.get(column)
            ref = f"{name}{number}"
            if value is None:
                continue
            if isinstance(value, bool):
                out.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, dt.date):
                out.append(f'<c r="{ref}"{date_style}><v>{(value - EXCEL_EPOCH).days}</v></c>')
            elif isinstance(value, (int, Decimal)):
                out.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                out.append(f'<c r="{ref}" t="s"><v>{strings.setdefault(str(value), len(strings))}</v></c>')
        out.append("</row>")
        lines.append("".join(out))
    lines.append("</sheetData></worksheet>")
    shared = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    parts = dict(XLSX_PARTS)
    parts["xl/worksheets/sheet1.xml"] = "".join(lines)
    parts["xl/sharedStrings.xml"] = f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">{shared}</sst>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(parts):
            entry = zipfile.ZipInfo(name, date_time=(2026, 11, 20, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, XML_HEAD + parts[name])
    return buffer.getvalue()


# ------------------------------------------------------------------------------------- layout
DECLARATION_COLUMNS = ["declaration_id", "filed_on", "year", "type", "person_id", "full_name", "position", "body", "egn", "address", "phone", "email", "birth_date"]
ITEM_COLUMNS = [
    "declaration_id", "section", "owner", "description", "municipality", "area_sqm", "share", "acquired_year", "value", "currency",
    "legal_basis", "origin_of_funds", "partner_publication_refused", "address", "cadastral_id", "registration_plate", "vin", "iban", "account_no",
]  # fmt: skip
# The older system exported private columns first and the form in another order.
LEGACY_DECLARATION_COLUMNS = ["egn", "full_name", "person_id", "declaration_id", "type", "year", "filed_on", "body", "position", "address", "phone", "email", "birth_date"]
LEGACY_ITEM_COLUMNS = ["declaration_id", "owner", "section", "description", "value", "currency", *ITEM_COLUMNS[4:8], *ITEM_COLUMNS[10:]]

# Annual declarations, one export (or a pair: declarations + items) per filing year.
DECLARATION_FILES: dict[int, tuple[str, ...]] = {
    2017: ("csv", "cp1251", ";"),
    2018: ("csv", "cp1251", ";"),
    2019: ("csv", "utf-8-sig", ";"),
    2020: ("csv", "utf-8-sig", ";"),
    2021: ("csv", "utf-8", ","),
    2022: ("csv", "utf-8", ","),
    2023: ("csv", "utf-8", ","),
    2024: ("xlsx",),
    2025: ("json",),
    2026: ("yaml",),
}


@dataclass
class CorpusStats:
    """What write_corpus wrote: rows per kind, files, and how many files changed."""

    declarants: int = 0
    declarations: int = 0
    items: int = 0
    other_rows: int = 0
    files: int = 0
    files_written: int = 0
    by_format: dict[str, int] = field(default_factory=dict)


class Writer:
    """Writes exports under a registers/ folder, only when their bytes change, and approves them."""

    def __init__(self, root: Path, stats: CorpusStats) -> None:
        self.root = root
        self.stats = stats

    def put(self, relative: str, data: bytes) -> None:
        """Write registers/<relative> and its approval sidecar, unless the file already holds these bytes."""
        path = self.root / relative
        self.stats.files += 1
        fmt = path.suffix.lstrip(".")
        self.stats.by_format[fmt] = self.stats.by_format.get(fmt, 0) + 1
        if path.is_file() and path.read_bytes() == data:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        write_sidecar(path, APPROVER, APPROVED_ON)
        self.stats.files_written += 1


def nested(declarations: list[Declaration]) -> list[dict[str, object]]:
    """Declarations with their items nested, as the JSON and YAML exports carry them."""
    return [{**d.row, "items": [{k: v for k, v in i.items() if k != "declaration_id"} for i in d.items]} for d in declarations]


def write_declaration_file(writer: Writer, filing_year: int, declarations: list[Declaration]) -> None:
    """The export of one filing year, in that year's format."""
    fmt, *options = DECLARATION_FILES[filing_year]
    base = f"declarations/declarations_{filing_year}"
    items = [i for d in declarations for i in d.items]
    if fmt == "csv":
        encoding, delimiter = options
        legacy = encoding == "cp1251"
        writer.put(f"{base}.csv", csv_bytes([d.row for d in declarations], LEGACY_DECLARATION_COLUMNS if legacy else DECLARATION_COLUMNS, encoding, delimiter))
        writer.put(f"{base}_items.csv", csv_bytes(items, LEGACY_ITEM_COLUMNS if legacy else ITEM_COLUMNS, encoding, delimiter))
    elif fmt == "xlsx":
        writer.put(f"{base}.xlsx", xlsx_bytes([d.row for d in declarations], DECLARATION_COLUMNS))
        writer.put(f"{base}_items.xlsx", xlsx_bytes(items, ITEM_COLUMNS))
    elif fmt == "json":
        writer.put(f"{base}.json", json_bytes(nested(declarations)))
    else:
        writer.put(f"{base}.yaml", yaml_bytes(nested(declarations)))


def write_declarations(writer: Writer, people: list[Declarant], variant: int) -> None:
    """Every declaration of every declarant: annual ones by filing year, then the occasional ones."""
    for filing_year in DECLARATION_FILES:
        declarations = [annual(p, filing_year - 1, variant) for p in people]
        writer.stats.declarations += len(declarations)
        writer.stats.items += sum(len(d.items) for d in declarations)
        write_declaration_file(writer, filing_year, declarations)
    occasional_ones = [d for p in people for d in occasional(p, variant)]
    writer.stats.declarations += len(occasional_ones)
    writer.stats.items += sum(len(d.items) for d in occasional_ones)
    changes = [d for d in occasional_ones if d.row["type"] == "при промяна"]
    writer.put("declarations/declarations_changes.csv", csv_bytes([d.row for d in changes], DECLARATION_COLUMNS, "utf-8", ","))
    writer.put("declarations/declarations_changes_items.csv", csv_bytes([i for d in changes for i in d.items], ITEM_COLUMNS, "utf-8", ","))
    others = [d for d in occasional_ones if d.row["type"] != "при промяна"]
    writer.put("declarations/declarations_other.json", json_bytes(nested(others), wrapper="records"))


# ---------------------------------------------------------------------------- other registers
def _pick(people: list[Declarant], r: random.Random, count: int) -> list[Declarant]:
    return r.sample(people, min(count, len(people)))


def late_filers(people: list[Declarant], variant: int) -> dict[int, list[dict[str, object]]]:
    """About 40 late filers a year, 2017-2026; nobody was late in 2019."""
    by_year: dict[int, list[dict[str, object]]] = {}
    for year in range(2017, 2027):
        r = rng("late", year)
        if year == 2019:
            by_year[year] = [{"year": year}]
            continue
        rows = []
        for n, person in enumerate(_pick(people, r, 40)):
            deadline = dt.date(year, 5, 15)
            filed = deadline + dt.timedelta(days=r.randint(3, 120)) if r.random() < 0.7 else None
            if variant == 1 and changed("late", year, n) and filed is None:
                filed = deadline + dt.timedelta(days=200)
            rows.append({
                "year": year - 1, "type": r.choices(("ежегодна", "при промяна", "при освобождаване"), (85, 10, 5))[0],
                "full_name": person.full_name, "position": person.position, "body": person.body_in(year - 1), "deadline": deadline, "filed_on": filed,
                "egn": make_egn(person.birth, person.index, female=person.female), "notice_address": f"гр. {person.town}, ул. „{r.choice(SURNAMES)[:-2]}ска“ № {r.randint(1, 90)}",
            })  # fmt: skip
        by_year[year] = rows
    return by_year


def incorrect_declarants(people: list[Declarant], variant: int) -> list[dict[str, object]]:
    """About 100 reports of discrepancy, 2024-2026 (only 2026's stay on the site)."""
    r = rng("incorrect")
    rows = []
    for n, person in enumerate(_pick(people, r, 100)):
        listed = dt.date(r.randint(2024, 2026), r.randint(1, 11), r.randint(1, 20))
        amount = r.randint(2, 90) * 1000 if not (variant == 1 and changed("incorrect", n)) else 1
        rows.append({
            "listed_on": listed, "full_name": person.full_name, "position": person.position, "body": person.body_in(2025),
            "report_no": f"ДН-{n + 1}/{listed.year}", "discrepancy": f"недеклариран влог; разлика {amount} лв.", "undelivered_notice": r.random() < 0.1,
            "egn": make_egn(person.birth, person.index, female=person.female), "notice_address": f"гр. {person.town}, ул. „{r.choice(SURNAMES)[:-2]}ска“ № {r.randint(1, 90)}",
        })  # fmt: skip
    return rows


def penalty_rulings(people: list[Declarant], variant: int) -> list[dict[str, object]]:
    """About 150 rulings, 2017-2026; a tenth not yet in force; some annulled on appeal."""
    r = rng("penalties")
    rows = []
    for n, person in enumerate(_pick(people, r, 150)):
        issued = dt.date(r.randint(2017, 2026), r.randint(1, 10), r.randint(1, 28))
        in_force = issued + dt.timedelta(days=r.randint(20, 200)) if r.random() < 0.9 else None
        outcome = r.choice(("потвърдено", "потвърдено", "отменено", None))
        if variant == 1 and changed("penalty", n):
            outcome = "отменено"
        rows.append({
            "number": f"НП-{n + 1}/{issued.year}", "issued_on": issued, "full_name": person.full_name, "position": person.position, "body": person.body_in(issued.year),
            "violation": "чл. 408а, ал. 1 ЗСВ – неподаване в срок на декларация за имущество и интереси", "penalty_amount": Decimal(r.randint(300, 3000)),
            "currency": "EUR" if issued.year >= 2026 else "BGN", "in_force_on": in_force, "appeal_outcome": outcome,
            "egn": make_egn(person.birth, person.index, female=person.female), "address": f"гр. {person.town}", "appeal_case_no": f"АНД № {r.randint(1, 2000)}/{issued.year}",
            "internal_note": f"преписка ВП-{issued.year}-{r.randint(1, 400)}",
        })  # fmt: skip
    return rows


def programme(variant: int) -> dict[int, list[dict[str, object]]]:
    """About 30 planned inspections a year, 2017-2026, with a few amendments."""
    bodies = [b for b in BODIES["съдия"] + BODIES["прокурор"]]
    by_year: dict[int, list[dict[str, object]]] = {}
    for year in range(2017, 2027):
        r = rng("programme", year)
        adopted = dt.date(year, 3, r.randint(20, 28))
        rows = []
        for n in range(30):
            body = r.choice(bodies)
            kind = r.choice(("комплексна", "тематична", "контролна"))
            row = {"year": year, "decision_no": f"Протокол № {r.randint(5, 15)}/{adopted:%d.%m.%Y}", "adopted_on": adopted, "appellate_region": None, "body": body,
                   "inspection_type": kind, "topic": r.choice(("Цялостна дейност", "Срокове за изготвяне на съдебните актове", "Спрени дела", "Изпълнение на препоръките")),
                   "period_checked": f"01.01.{year - 2} – 31.12.{year - 1}", "scheduled": r.choice(("I тримесечие", "II тримесечие", "III тримесечие", "IV тримесечие")), "amended_on": None}  # fmt: skip
            if variant == 1 and changed("programme", year, n):
                row["scheduled"] = "IV тримесечие (отложена)"
            rows.append(row)
            if r.random() < 0.03:
                rows.append(row | {"scheduled": "IV тримесечие", "amended_on": adopted + dt.timedelta(days=90)})
        by_year[year] = rows
    return by_year


def opinions(variant: int) -> list[dict[str, object]]:
    """50 opinions; their texts name private persons and an ЕГН now and then, for the redactor."""
    rows = []
    for n in range(50):
        r = rng("opinion", n)
        session = dt.date(2017 + n // 6, r.randint(1, 11), r.randint(1, 28))
        person = f"{r.choice(MALE_FIRST)} {r.choice(PATRONYMICS)} {r.choice(SURNAMES)}"
        egn = make_egn(dt.date(r.randint(1950, 1999), r.randint(1, 12), r.randint(1, 28)), n)
        text = (
            f"## Въпрос\n\nС писмо вх. № ИВСС-{r.randint(100, 9999)}/{session:%d.%m.%Y} г. съдът пита дали може да публикува акт, в който е посочен "
            f"{person}, ЕГН {egn}, като свидетел по делото.\n\n## Становище\n\n"
            "1. Съдебните актове се публикуват след заличаване на личните данни на физическите лица (чл. 64, ал. 1 ЗСВ).\n"
            "2. Данните на юридическите лица не са лични данни и не се заличават.\n"
            + ("3. Становището е изменено.\n" if variant == 1 and changed("opinion", n) else "")
        )
        rows.append({
            "number": f"{n % 6 + 1}/{session.year}", "session_date": session, "title": f"Относно публикуването на съдебни актове (искане № {n + 1})",
            "requested_by": r.choice(BODIES["съдия"]), "summary": "Личните данни на физическите лица се заличават преди публикуване.",
            "requester_contact": f"тел. 02 9{r.randint(100000, 999999)}", "text": text,
        })  # fmt: skip
    return rows


def write_other_registers(writer: Writer, people: list[Declarant], variant: int) -> None:
    """The four smaller registers and the opinions, in the formats their units export."""
    late = late_filers(people, variant)
    late_columns = ["year", "type", "full_name", "position", "body", "deadline", "filed_on", "egn", "notice_address"]
    writer.put("late_filers/late_filers_2017-2021.csv", csv_bytes([row for y in range(2017, 2022) for row in late[y]], late_columns, "cp1251", ";"))
    writer.put("late_filers/late_filers_2022-2026.xlsx", xlsx_bytes([row for y in range(2022, 2027) for row in late[y]], late_columns, serial_dates=True))
    incorrect = incorrect_declarants(people, variant)
    writer.put("incorrect_declarants/incorrect_declarants.csv", csv_bytes(incorrect, list(incorrect[0]), "utf-8-sig", ";"))
    rulings = penalty_rulings(people, variant)
    writer.put("penalty_rulings/penalty_rulings.xlsx", xlsx_bytes(rulings, list(rulings[0])))
    plan = programme(variant)
    writer.put("inspection_programme/inspection_programme_2017-2021.yaml", yaml_bytes([row for y in range(2017, 2022) for row in plan[y]]))
    writer.put("inspection_programme/inspection_programme_2022-2026.json", json_bytes([row for y in range(2022, 2027) for row in plan[y]], wrapper="records"))
    texts = opinions(variant)
    for n, row in enumerate(texts[:40]):
        writer.put(f"dp_opinions/stanovishte-{n + 1:02d}.md", markdown_bytes(row))
    writer.put("dp_opinions/dp_opinions_csv.csv", csv_bytes(texts[40:], list(texts[40]), "utf-8", ","))
    writer.stats.other_rows = sum(map(len, late.values())) + len(incorrect) + len(rulings) + sum(map(len, plan.values())) + len(texts)


def people_of(declarants: int) -> list[Declarant]:
    """The corpus's declarants."""
    return [declarant(i) for i in range(declarants)]


def write_corpus(root: Path, declarants: int, variant: int = 0) -> CorpusStats:
    """Write (or update) the national registers/ folder under `root`; variant 1 changes 1 % of the records."""
    stats = CorpusStats(declarants=declarants)
    writer = Writer(root, stats)
    people = people_of(declarants)
    write_declarations(writer, people, variant)
    write_other_registers(writer, people, variant)
    return stats


def reference_rows(person: Declarant, count: int = 130) -> list[dict[str, object]]:
    """`count` item rows for the reference build's table of one person, from the same generator."""
    r = rng("reference", person.index)
    return [item(r, "", person, 2016 + n // 13, "BGN", False) for n in range(count)]
