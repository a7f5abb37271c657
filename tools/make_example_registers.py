"""Regenerate the shipped example set in registers/ (synthetic people, real court names).

    .venv/bin/python tools/make_example_registers.py            # rewrite registers/
    .venv/bin/python tools/make_example_registers.py --out DIR  # write the set elsewhere

Deterministic: no clock, no randomness; running it twice gives byte-identical files
(XLSX included). It rewrites the six register folders only; registers/README.md and
registers/.gitattributes are hand-written and left alone.

The set exercises every format and every publication rule for a build with
`--as-of 2026-11-24` (see the comments at each export and registers/README.md).
Every person is fictional; the private columns hold realistic, checksum-valid
synthetic values (ЕГН, IBAN) so that a leak into the site would be detectable.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.transliterate import transliterate  # noqa: E402
from tests.builders import make_egn, make_email, make_iban, write_export  # noqa: E402

REGISTER_FOLDERS = ("declarations", "late_filers", "incorrect_declarants", "penalty_rulings", "inspection_programme", "dp_opinions")

REGISTRY_HEAD = "Десислава Колева, началник на отдел „Регистри“"
SECRETARY_GENERAL = "Антон Велчев, главен секретар"
LEGAL_DIRECTOR = "Ирина Сапунджиева, директор на дирекция „Правно обслужване, връзки с обществеността и човешки ресурси“"

# ---------------------------------------------------------------------------------------- people
# person_id, full name, position, body, birth date, female, town (for the private address)
PEOPLE = {
    "P-10417": ("Петя Николова Стоянова", "съдия", "Окръжен съд – Кюстендил", date(1978, 4, 9), True, "Кюстендил"),
    "P-10522": ("Мария Иванова Петрова", "съдия", "Районен съд – Дупница", date(1984, 7, 2), True, "Дупница"),
    "P-11873": ("Мария Иванова Петрова", "прокурор", "Окръжна прокуратура – Варна", date(1976, 1, 28), True, "Варна"),
    "P-10388": ("Георги Стефанов Динев", "председател", "Районен съд – Дупница", date(1971, 10, 14), False, "Дупница"),
    "P-10931": ("Надежда Василева Кирова", "прокурор", "Районна прокуратура – Перник", date(1981, 2, 17), True, "Перник"),
    "P-12044": ("Пламен Тодоров Гърков", "следовател", "Национална следствена служба", date(1969, 11, 23), False, "София"),
    "P-10157": ("Ралица Христова Бонева", "съдия", "Софийски градски съд", date(1980, 5, 30), True, "София"),
    "P-11290": ("Светослав Асенов Мечев", "съдия", "Апелативен съд – Пловдив", date(1967, 3, 6), False, "Пловдив"),
    "P-11652": ("Десислава Огнянова Тенева", "съдия", "Административен съд – Бургас", date(1983, 9, 19), True, "Бургас"),
    "P-12307": ("Красимир Венелинов Пеев", "съдия", "Военен съд – София", date(1973, 12, 1), False, "София"),
    "P-10764": ("Йорданка Методиева Ризова", "прокурор", "Окръжна прокуратура – Кюстендил", date(1975, 6, 12), True, "Кюстендил"),
    "P-10605": ("Стоян Любомиров Чакъров", "съдия", "Окръжен съд – Перник", date(1974, 8, 30), False, "Перник"),
    "P-11118": ("Емилия Борисова Гацева", "съдия", "Районен съд – Кюстендил", date(1986, 2, 21), True, "Кюстендил"),
    "P-11427": ("Виктор Драганов Кушев", "прокурор", "Апелативна прокуратура – Пловдив", date(1970, 4, 3), False, "Пловдив"),
    "P-11985": ("Анелия Петрова Маджарова", "съдия", "Окръжен съд – Варна", date(1979, 11, 8), True, "Варна"),
    "P-12153": ("Николай Цветанов Лазов", "следовател", "Национална следствена служба", date(1977, 1, 15), False, "София"),
    "P-10849": ("Теменуга Иванова Славкова", "съдия", "Районен съд – Перник", date(1982, 3, 12), True, "Перник"),
    "P-11536": ("Цветомир Ангелов Байчев", "съдия", "Районен съд – Бургас", date(1985, 12, 27), False, "Бургас"),
    "P-12268": ("Милена Руменова Данчева", "прокурор", "Районна прокуратура – Варна", date(1987, 5, 5), True, "Варна"),
    "P-10473": ("Божидар Кирилов Ненчев", "съдия", "Апелативен съд – Велико Търново", date(1966, 7, 18), False, "Велико Търново"),
    "P-11702": ("Галя Стефанова Узунова", "съдия", "Административен съд – София-град", date(1979, 2, 4), True, "София"),
    "P-12391": ("Илиан Петков Цонев", "прокурор", "Софийска градска прокуратура", date(1980, 10, 10), False, "София"),
    "P-11044": ("Росица Маринова Шипкова", "съдия", "Районен съд – Пловдив", date(1988, 8, 16), True, "Пловдив"),
    "P-11811": ("Здравко Иванов Бечев", "съдия", "Районен съд – Велико Търново", date(1972, 9, 25), False, "Велико Търново"),
    "P-12422": ("Лилия Ангелова Хаджиева", "прокурор", "Военно-окръжна прокуратура – София", date(1978, 12, 19), True, "София"),
    "P-10236": ("Веселин Николаев Тасев", "съдия", "Окръжен съд – Бургас", date(1982, 6, 7), False, "Бургас"),
    "P-10092": ("Мариана Тодорова Каменова", "прокурор", "Районна прокуратура – Дупница", date(1983, 1, 31), True, "Дупница"),
    "P-10311": ("Огнян Христов Пенчев", "съдия", "Окръжен съд – Кюстендил", date(1961, 5, 22), False, "Кюстендил"),
    "P-11360": ("Траян Георгиев Марков", "съдия", "Окръжен съд – Пловдив", date(1975, 3, 29), False, "Пловдив"),
    "P-12510": ("Калина Димитрова Ботева", "съдия", "Районен съд – Кюстендил", date(1990, 10, 3), True, "Кюстендил"),
    "P-10688": ("Ивелина Стоянова Гергинова", "следовател", "Национална следствена служба", date(1964, 4, 26), True, "София"),
}
PERSON_IDS = list(PEOPLE)

STREETS = {
    "Кюстендил": ["ул. „Демокрация“", "ул. „Цар Освободител“", "ул. „Отец Паисий“", "бул. „България“"],
    "Дупница": ["ул. „Христо Ботев“", "ул. „Св. Георги“", "ул. „Искър“", "ул. „Иван Вазов“"],
    "Перник": ["ул. „Кракра“", "ул. „Отец Паисий“", "ул. „Юрий Гагарин“", "ул. „Кракра Пернишки“"],
    "София": ["ж.к. „Люлин“ 5, бл. 512, вх. В", "ул. „Оборище“", "ж.к. „Младост“ 2, бл. 227, вх. А", "ул. „Цар Симеон“"],
    "Пловдив": ["ул. „Капитан Райчо“", "бул. „Марица“", "ул. „Гладстон“", "ж.к. „Тракия“, бл. 148, вх. Д"],
    "Варна": ["ул. „Драгоман“", "бул. „Сливница“", "ул. „Преслав“", "ж.к. „Чайка“, бл. 31, вх. Б"],
    "Бургас": ["ул. „Александровска“", "ж.к. „Славейков“, бл. 38, вх. 2", "ул. „Оборище“", "ул. „Булаир“"],
    "Велико Търново": ["ул. „Никола Габровски“", "ул. „Васил Левски“", "ул. „Христо Ботев“", "бул. „България“"],
}
EKATTE = {"Кюстендил": "41112", "Дупница": "68789", "Перник": "55871", "София": "68134", "Пловдив": "56784", "Варна": "10135", "Бургас": "07079", "Велико Търново": "10447"}
PLATE_PREFIX = {"Кюстендил": "КН", "Дупница": "КН", "Перник": "РК", "София": "СА", "Пловдив": "РВ", "Варна": "В", "Бургас": "А", "Велико Търново": "ВТ"}
PLATE_LETTERS = "АВЕКМНОРСТУХ"
BANKS = ("UNCR", "STSA", "FINV", "BPBI", "RZBB", "UBBS", "CECB")
CARS = (
    ("TMB", "Шкода Октавия"),
    ("VF1", "Рено Меган"),
    ("WVW", "Фолксваген Голф"),
    ("UU1", "Дачия Дъстър"),
    ("JTD", "Тойота Ярис"),
    ("WBA", "БМВ 318"),
    ("KNA", "Киа Сийд"),
)
VIN_YEAR = {2016: "G", 2017: "H", 2018: "J", 2019: "K", 2020: "L", 2021: "M", 2022: "N", 2023: "P", 2024: "R", 2025: "S", 2026: "T"}
# First names of spouses, keyed by "the declarant is a woman" (so True gives men's names).
SPOUSE_FIRST = {True: ("Христо", "Иван", "Николай", "Петър", "Димитър", "Калоян"), False: ("Елена", "Силвия", "Антоанета", "Веселина", "Даниела", "Ваня")}
CHILD_FIRST = ("Александра", "Борис", "Виктория", "Георги", "Деница", "Мартин")


def person(pid: str) -> dict:
    name, position, body, birth, female, town = PEOPLE[pid]
    return {"name": name, "position": position, "body": body, "birth": birth, "female": female, "town": town, "n": PERSON_IDS.index(pid)}


def egn_of(pid: str) -> str:
    p = person(pid)
    return make_egn(p["birth"], p["n"], female=p["female"])


def home_address(n: int, town: str) -> str:
    street = STREETS[town][n % 4]
    number = "" if "бл." in street else f" № {7 + n * 3 % 61}"
    return f"гр. {town}, {street}{number}, ет. {1 + n % 8}, ап. {3 + n * 7 % 40}"


def phone(n: int) -> str:
    prefix = ("0887", "0878", "0899", "0888", "0879", "0898")[n % 6]
    digits = f"{(412356 + n * 73817) % 1000000:06d}"
    return f"{prefix} {digits[:3]} {digits[3:]}"


def email(p: dict) -> str:
    first, _, last = p["name"].split()
    return make_email(f"{transliterate(first)[0]}.{transliterate(last)}.{p['birth'].year % 100:02d}".lower())


def plate(n: int, town: str) -> str:
    letters = PLATE_LETTERS[n % 12] + PLATE_LETTERS[(n * 5 + 3) % 12]
    return f"{PLATE_PREFIX[town]} {(1027 + n * 379) % 9000 + 1000} {letters}"


def vin(n: int, year: int) -> str:
    wmi = CARS[n % len(CARS)][0]
    return f"{wmi}ZZZ{'AB'[n % 2]}{n % 10}Z{VIN_YEAR[year]}{'PWX'[n % 3]}{(204817 + n * 48271) % 1000000:06d}"


def iban(n: int, child: bool = False) -> str:
    return make_iban(BANKS[n % len(BANKS)], f"{7000 + n * 113 % 2000}", f"{'15' if not child else '19'}{(31415926 + n * 271828) % 100000000:08d}")


def cadastral(n: int, town: str) -> str:
    return f"{EKATTE[town]}.{500 + n % 30}.{100 + n * 37 % 900}.{1 + n % 3}.{1 + n * 5 % 24}"


def patronymic(first: str, female: bool) -> str:
    """Иван -> Иванов(а), Георги -> Георгиев(а), Христо -> Христов(а), Петър -> Петров(а), Николай -> Николаев(а)."""
    if first.endswith("й"):
        base = first[:-1] + "ев"
    elif first.endswith("и"):
        base = first + "ев"
    elif first.endswith("о"):
        base = first[:-1] + "ов"
    elif first.endswith("ър"):
        base = first[:-2] + "ров"
    else:
        base = first + "ов"
    return base + ("а" if female else "")


def family_name(male_form: str, female: bool) -> str:
    return male_form + ("а" if female else "")


def relative_name(p: dict, relation: str) -> str:
    """A fictional spouse's or child's full name (a private column: never published)."""
    first, _, last = p["name"].split()
    husband_last = last[:-1] if p["female"] else last  # Стоянова -> Стоянов
    if relation == "съпруг/а":
        spouse_first = SPOUSE_FIRST[p["female"]][p["n"] % 6]
        grandfather = ("Георги", "Петър", "Асен", "Иван", "Николай", "Стоян")[(p["n"] + 2) % 6]
        spouse_female = not p["female"]
        return f"{spouse_first} {patronymic(grandfather, spouse_female)} {family_name(husband_last, spouse_female)}"
    father = SPOUSE_FIRST[True][p["n"] % 6] if p["female"] else first
    child_first = CHILD_FIRST[p["n"] % 6]
    girl = child_first.endswith("а")
    return f"{child_first} {patronymic(father, girl)} {family_name(husband_last, girl)}"


def child_is_girl(p: dict) -> bool:
    return CHILD_FIRST[p["n"] % 6].endswith("а")


def amount(value: Decimal, form: int) -> str:
    """The three amount forms the exports use: "1234.50", "1 234,50" and "1234,50 лв."."""
    if form % 3 == 0:
        return f"{value:.2f}"
    if form % 3 == 1:
        whole, cents = f"{value:.2f}".split(".")
        groups = []
        while whole:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        return " ".join(groups) + "," + cents
    return f"{value:.2f}".replace(".", ",") + " лв."


# ---------------------------------------------------------------------------------- declarations
# Annual declarations for 2025 (filed by 15 May 2026), amounts in BGN: CSV UTF-8, ISO dates,
# a header with spaces and mixed case ("  Full_Name "), private columns, and one unknown
# column ("internal_code") that the build must drop and report.
ANNUAL_2025 = [pid for pid in PERSON_IDS if pid not in ("P-10417", "P-12510", "P-10688")]

# Persons whose 2025 declaration lists family members; who has a partner, and whether the partner refused publication.
SPOUSES = {"P-10522", "P-10388", "P-11290", "P-10764", "P-11985", "P-10473", "P-11811", "P-10236", "P-11360"}
CHILDREN = {"P-10388", "P-11290", "P-10605", "P-11427", "P-10849", "P-10473", "P-12391"}
PARTNER_REFUSED = {"P-11652"}  # items withheld (Art. 71)
PARTNER_SHOWN = {"P-12268"}  # the partner agreed: items shown, owner "партньор"


def annual_2025_declarations() -> list[dict]:
    rows = []
    for k, pid in enumerate(ANNUAL_2025):
        p = person(pid)
        rows.append(
            {
                "declaration_id": f"Д-2026-{417 + 11 * (k + 1):05d}",
                "Filed_On": date(2026, 4, 14) + (date(2026, 5, 15) - date(2026, 4, 14)) * k // len(ANNUAL_2025),
                "year": 2025,
                "Type": "ежегодна",
                "person_id": pid,
                "  Full_Name ": p["name"],
                "position": p["position"],
                "body": p["body"],
                "EGN": egn_of(pid),
                "address": home_address(p["n"], p["town"]),
                "phone": phone(p["n"]),
                "email": email(p),
                "birth_date": p["birth"],
                "internal_code": f"RG-{2026}-{k + 1:03d}",
            }
        )
    return rows


def annual_2025_items(declarations: list[dict]) -> list[dict]:
    rows: list[dict] = []
    form = 0

    def add(**cells: object) -> None:
        nonlocal form
        value = cells.pop("amount", None)
        if value is not None:
            cells["value"] = amount(Decimal(value), form)
            cells["currency"] = "" if form % 3 == 2 else "BGN"  # "1234,50 лв." carries its currency
            form += 1
        rows.append(cells)

    for declaration in declarations:
        pid, did = declaration["person_id"], declaration["declaration_id"]
        p = person(pid)
        n, town = p["n"], p["town"]
        salary = Decimal(52000 + n * 2370) + Decimal("0.5") * (n % 2)
        add(declaration_id=did, section="доходи", owner="декларатор", description="трудово възнаграждение по основното място на работа", amount=salary)
        add(
            declaration_id=did,
            section="банкови влогове",
            owner="декларатор",
            description="разплащателна сметка в лева",
            amount=Decimal(8400 + n * 1337) + Decimal("0.35"),
            iban=iban(n),
        )
        if n % 3 == 0:
            add(declaration_id=did, section="парични средства", owner="декларатор", description="налични парични средства", amount=Decimal(3000 + n * 250))
        if n % 4 == 1:
            add(
                declaration_id=did,
                section="недвижими имоти",
                owner="декларатор",
                description=("апартамент, двустаен", "апартамент, тристаен", "гараж", "поземлен имот (нива)")[n % 4],
                municipality=town,
                area_sqm=("64,30", "86.4", "18", "4200")[n % 4],
                share="1/2" if p["n"] % 2 else "1/1",
                acquired_year=2025,
                amount=Decimal(96000 + n * 2150),
                legal_basis="покупко-продажба",
                origin_of_funds="спестявания и ипотечен кредит",
                address=home_address(n + 17, town),
                cadastral_id=cadastral(n, town),
            )
            add(declaration_id=did, section="задължения", owner="декларатор", description="ипотечен кредит от търговска банка, остатък към 31.12.2025", amount=Decimal(61000 + n * 900))
        if n % 4 == 2:
            add(
                declaration_id=did,
                section="превозни средства",
                owner="декларатор",
                description=f"лек автомобил {CARS[n % len(CARS)][1]}, 2023 г.",
                municipality=town,
                share="1/1",
                acquired_year=2025,
                amount=Decimal(21500 + n * 430),
                legal_basis="покупко-продажба",
                origin_of_funds="спестявания",
                registration_plate=plate(n, town),
                vin=vin(n, 2023),
            )
        if n % 5 == 3:
            add(declaration_id=did, section="финансови инструменти", owner="декларатор", description="дялове в договорен фонд „Балансиран“", amount=Decimal(5200 + n * 90), acquired_year=2025)
        if n % 6 == 4:
            add(declaration_id=did, section="вземания", owner="декларатор", description="паричен заем, предоставен на роднина", amount=Decimal(4000))
        if pid in SPOUSES:
            add(
                declaration_id=did,
                section="доходи",
                owner="съпруг/а",
                description="трудово възнаграждение",
                amount=Decimal(24600 + n * 815),
                owner_name=relative_name(p, "съпруг/а"),
                owner_egn=make_egn(date(p["birth"].year + 1, p["birth"].month % 12 + 1, 11), n + 40, female=not p["female"]),
            )
            if n % 2 == 0:
                add(
                    declaration_id=did,
                    section="дялове в дружества",
                    owner="съпруг/а",
                    description="50 % от капитала на счетоводна фирма (ЕООД)",
                    municipality=town,
                    share="50 %",
                    acquired_year=2025,
                    amount=Decimal(2500),
                    legal_basis="учредяване",
                    origin_of_funds="собствени средства",
                    owner_name=relative_name(p, "съпруг/а"),
                )
        if pid in CHILDREN:
            add(
                declaration_id=did,
                section="банкови влогове",
                owner="дете",
                description="спестовен влог",
                amount=Decimal(1200 + n * 75),
                owner_name=relative_name(p, "дете"),
                owner_egn=make_egn(date(2012 + n % 9, 1 + n % 12, 3 + n % 25), n + 80, female=child_is_girl(p)),
                iban=iban(n, child=True),
            )
        if pid in PARTNER_REFUSED | PARTNER_SHOWN:
            refused = "да" if pid in PARTNER_REFUSED else "не"
            add(
                declaration_id=did,
                section="превозни средства",
                owner="партньор",
                description=f"лек автомобил {CARS[(n + 3) % len(CARS)][1]}, 2020 г.",
                municipality=town,
                share="1/1",
                acquired_year=2025,
                amount=Decimal(14800),
                legal_basis="покупко-продажба",
                origin_of_funds="собствени средства",
                partner_publication_refused=refused,
                owner_name=("Борислав Тодоров Ангелов", "Румен Кирилов Дачев")[pid in PARTNER_SHOWN],
                registration_plate=plate(n + 50, town),
                vin=vin(n + 50, 2020),
            )
            add(
                declaration_id=did,
                section="банкови влогове",
                owner="партньор",
                description="разплащателна сметка в лева",
                amount=Decimal(6350) + Decimal("0.80"),
                partner_publication_refused=refused,
                owner_name=("Борислав Тодоров Ангелов", "Румен Кирилов Дачев")[pid in PARTNER_SHOWN],
                iban=iban(n + 50),
            )
        if n % 3 == 1:
            union = "член на Асоциацията на прокурорите в България" if p["position"] == "прокурор" else "член на Съюза на съдиите в България"
            rows.append({"declaration_id": did, "section": "интереси", "owner": "декларатор", "description": union})
    return rows


# One person's declarations over the years, the 2016 entry declarations at the retention
# boundary, as an XLSX with real date cells and the "Вх. №" alias of declaration_id.
def history_declarations() -> list[dict]:
    rows = []

    def add(did: str, filed: date, year: int, kind: str, pid: str) -> None:
        p = person(pid)
        rows.append(
            {
                "Вх. №": did,
                "filed_on": filed,
                "year": year,
                "type": kind,
                "person_id": pid,
                "full_name": p["name"],
                "position": p["position"],
                "body": p["body"],
                "egn": egn_of(pid),
                "address": home_address(p["n"], p["town"]),
                "phone": phone(p["n"]),
                "email": email(p),
                "birth_date": p["birth"],
            }
        )

    # 10 years before 2026-11-24 is 2016-11-24: filed 2016-05-10 is older (withheld); filed on the day is shown.
    add("Д-2016-00388", date(2016, 5, 10), 2016, "встъпителна", "P-10092")
    add("Д-2016-01174", date(2016, 11, 24), 2016, "встъпителна", "P-10236")
    filed = {2019: date(2020, 5, 12), 2020: date(2021, 5, 14), 2021: date(2022, 5, 13), 2022: date(2023, 5, 11), 2023: date(2024, 5, 15), 2024: date(2025, 5, 14), 2025: date(2026, 5, 14)}
    for year, day in filed.items():
        add(f"Д-{day.year}-{(417 if year == 2025 else 300 + year % 100 * 7):05d}", day, year, "ежегодна", "P-10417")
    add("Д-2025-01392", date(2025, 9, 22), 2025, "при промяна", "P-10417")  # a car bought in September 2025
    add("Д-2026-00896", date(2026, 6, 5), 2025, "корекция", "P-10417")  # corrects the 2025 annual within a month
    return rows


def history_items() -> list[dict]:
    p = person("P-10417")
    town, n = p["town"], p["n"]
    spouse = relative_name(p, "съпруг/а")
    child = relative_name(p, "дете")
    spouse_egn = make_egn(date(1976, 10, 2), 61)
    child_egn = make_egn(date(2011, 3, 14), 62, female=child_is_girl(p))
    rows: list[dict] = [
        # Каменова's withheld 2016 entry declaration: its items go with it.
        {"declaration_id": "Д-2016-00388", "section": "недвижими имоти", "owner": "декларатор", "description": "апартамент, двустаен", "municipality": "Дупница", "area_sqm": Decimal("58.20"), "share": "1/1", "acquired_year": 2012, "value": Decimal("41000"), "currency": "BGN", "legal_basis": "покупко-продажба", "origin_of_funds": "спестявания и дарение от родители", "address": "гр. Дупница, ул. „Христо Ботев“ № 23, ет. 2, ап. 4", "cadastral_id": "68789.603.412.1.4"},
        {"declaration_id": "Д-2016-00388", "section": "банкови влогове", "owner": "декларатор", "description": "срочен влог в лева", "value": Decimal("12480.00"), "currency": "BGN", "iban": iban(91)},
        # Тасев's entry declaration filed exactly 10 years before the build date: shown.
        {"declaration_id": "Д-2016-01174", "section": "недвижими имоти", "owner": "декларатор", "description": "къща с двор", "municipality": "Созопол", "area_sqm": Decimal("112.5"), "share": "1/2", "acquired_year": 2014, "value": Decimal("68000"), "currency": "BGN", "legal_basis": "наследство", "origin_of_funds": "наследство", "address": "гр. Созопол, ул. „Аполония“ № 11", "cadastral_id": "67800.501.233"},
        {"declaration_id": "Д-2016-01174", "section": "парични средства", "owner": "декларатор", "description": "налични парични средства", "value": Decimal("6000"), "currency": "BGN"},
    ]
    salary = {2019: "41230.00", 2020: "43880.00", 2021: "47150.00", 2022: "52940.00", 2023: "58310.00", 2024: "63720.00", 2025: "69480.00"}
    balance = {2019: "9870.40", 2020: "14215.10", 2021: "3920.75", 2022: "8640.00", 2023: "15380.25", 2024: "21905.60", 2025: "18450.30"}
    ids = {r["Вх. №"]: r for r in history_declarations()}
    annual = {r["year"]: did for did, r in ids.items() if r["type"] == "ежегодна" and r["person_id"] == "P-10417"}
    for year, did in annual.items():
        rows.append({"declaration_id": did, "section": "доходи", "owner": "декларатор", "description": "трудово възнаграждение по основното място на работа", "value": Decimal(salary[year]), "currency": "BGN"})
        rows.append({"declaration_id": did, "section": "банкови влогове", "owner": "декларатор", "description": "разплащателна сметка в лева, салдо към 31.12." + str(year), "value": Decimal(balance[year]), "currency": "BGN", "account_no": f"1050{(2718281 + year):08d}"})
        if year >= 2021:
            rows.append({"declaration_id": did, "section": "доходи", "owner": "съпруг/а", "description": "трудово възнаграждение", "value": (Decimal(salary[year]) * Decimal("0.62")).quantize(Decimal("0.01")), "currency": "BGN", "owner_name": spouse, "owner_egn": spouse_egn})
        if year == 2021:
            rows.append({"declaration_id": did, "section": "недвижими имоти", "owner": "декларатор", "description": "апартамент, тристаен", "municipality": town, "area_sqm": Decimal("86.40"), "share": "1/2", "acquired_year": 2021, "value": Decimal("148000.00"), "currency": "BGN", "legal_basis": "покупко-продажба", "origin_of_funds": "спестявания и ипотечен кредит", "address": "гр. Кюстендил, ул. „Цар Освободител“ № 41, ет. 3, ап. 7", "cadastral_id": "41112.502.1187.1.9"})
        if year >= 2021:
            rows.append({"declaration_id": did, "section": "задължения", "owner": "декларатор", "description": f"ипотечен кредит, остатък към 31.12.{year}", "value": Decimal(118000 - (year - 2021) * 9400), "currency": "BGN"})
        if year == 2023:
            rows.append({"declaration_id": did, "section": "превозни средства", "owner": "съпруг/а", "description": "лек автомобил Тойота Ярис, 2019 г.", "municipality": town, "share": "1/1", "acquired_year": 2023, "value": Decimal("17900"), "currency": "BGN", "legal_basis": "покупко-продажба", "origin_of_funds": "спестявания", "owner_name": spouse, "registration_plate": "КН 4721 ВА", "vin": "JTDKW3D35K0219478"})
        if year >= 2024:
            rows.append({"declaration_id": did, "section": "банкови влогове", "owner": "дете", "description": "спестовен влог", "value": Decimal("2400") + (year - 2024) * 600, "currency": "BGN", "owner_name": child, "owner_egn": child_egn, "iban": iban(n, child=True)})
    rows.append({"declaration_id": "Д-2025-01392", "section": "превозни средства", "owner": "декларатор", "description": "лек автомобил Шкода Октавия, 2021 г.", "municipality": town, "share": "1/1", "acquired_year": 2025, "value": Decimal("24500"), "currency": "BGN", "legal_basis": "покупко-продажба", "origin_of_funds": "спестявания", "registration_plate": "КН 0853 МР", "vin": "TMBJR7NE4M0194362"})
    rows.append({"declaration_id": "Д-2026-00896", "section": "банкови влогове", "owner": "декларатор", "description": "разплащателна сметка в лева, салдо към 31.12.2025 (поправено)", "value": Decimal("18945.30"), "currency": "BGN", "account_no": "105002720306"})
    return rows


# Declarations filed in 2026 for 2026, amounts in euro: JSON list whose declarations carry
# their items nested, dates as "ДД.ММ.ГГГГ г.", amounts as numbers or text with "€".
def declarations_2026() -> list[dict]:
    def head(did: str, filed: str, kind: str, pid: str, items: list[dict]) -> dict:
        p = person(pid)
        return {
            "declaration_id": did,
            "filed_on": filed,
            "year": 2026,
            "type": kind,
            "person_id": pid,
            "full_name": p["name"],
            "position": p["position"],
            "body": p["body"],
            "egn": egn_of(pid),
            "address": home_address(p["n"], p["town"]),
            "phone": phone(p["n"]),
            "email": email(p),
            "birth_date": p["birth"].isoformat(),
            "items": items,
        }

    boteva = person("P-12510")
    markov = person("P-11360")
    penchev = person("P-10311")
    return [
        head(
            "Д-2026-00152",
            "12.02.2026 г.",
            "встъпителна",
            "P-12510",
            [
                {"section": "банкови влогове", "owner": "декларатор", "description": "разплащателна сметка в евро", "value": "4 310,55 €", "currency": "EUR", "iban": iban(boteva["n"])},
                {"section": "превозни средства", "owner": "декларатор", "description": "лек автомобил Киа Сийд, 2018 г.", "municipality": "Кюстендил", "share": "1/1", "acquired_year": 2022, "value": 6900, "currency": "EUR", "legal_basis": "покупко-продажба", "origin_of_funds": "спестявания", "registration_plate": "КН 6148 АК", "vin": "KNAFK513AJ5310472"},
                {"section": "интереси", "owner": "декларатор", "description": "член на Съюза на съдиите в България"},
                {"section": "превозни средства", "owner": "партньор", "description": "лек автомобил Фолксваген Голф, 2017 г.", "share": "1/1", "acquired_year": 2021, "value": 7500, "currency": "EUR", "partner_publication_refused": True, "owner_name": "Любомир Ангелов Грозданов", "registration_plate": "КН 2290 ВН", "vin": "WVWZZZAUZHW118305"},
            ],
        ),
        head(
            "Д-2026-01041",
            "30.07.2026 г.",
            "при освобождаване",
            "P-10311",
            [
                {"section": "недвижими имоти", "owner": "декларатор", "description": "апартамент, четиристаен", "municipality": "Кюстендил", "area_sqm": "104,6", "share": "1/1", "acquired_year": 1998, "value": "38 600,00", "currency": "EUR", "legal_basis": "покупко-продажба", "origin_of_funds": "спестявания", "address": home_address(penchev["n"], "Кюстендил"), "cadastral_id": cadastral(penchev["n"], "Кюстендил")},
                {"section": "банкови влогове", "owner": "декларатор", "description": "срочен влог в евро, салдо към датата на освобождаване", "value": 41230.15, "currency": "EUR", "iban": iban(penchev["n"])},
                {"section": "банкови влогове", "owner": "съпруг/а", "description": "разплащателна сметка в евро", "value": "9 880,00 €", "currency": "EUR", "owner_name": relative_name(penchev, "съпруг/а"), "owner_egn": make_egn(date(1963, 8, 9), 70, female=True), "iban": iban(penchev["n"] + 70)},
            ],
        ),
        head(
            "Д-2026-01208",
            "08.09.2026 г.",
            "при промяна",
            "P-11360",
            [
                {"section": "недвижими имоти", "owner": "декларатор", "description": "къща с двор", "municipality": "Асеновград", "area_sqm": "146", "share": "1/2", "acquired_year": 2026, "value": 87500, "currency": "EUR", "legal_basis": "покупко-продажба", "origin_of_funds": "спестявания и продажба на апартамент", "address": "гр. Асеновград, ул. „Александър Стамболийски“ № 27", "cadastral_id": "00702.504.1931"},
                {"section": "недвижими имоти", "owner": "съпруг/а", "description": "къща с двор", "municipality": "Асеновград", "area_sqm": "146", "share": "1/2", "acquired_year": 2026, "value": 87500, "currency": "EUR", "legal_basis": "покупко-продажба", "origin_of_funds": "спестявания", "owner_name": relative_name(markov, "съпруг/а"), "address": "гр. Асеновград, ул. „Александър Стамболийски“ № 27", "cadastral_id": "00702.504.1931"},
            ],
        ),
        head(
            "Д-2026-00977",
            "01.07.2026 г.",
            "след освобождаване",
            "P-10688",
            [
                {"section": "доходи", "owner": "декларатор", "description": "пенсия", "value": "6 912,00 €", "currency": "EUR"},
                {"section": "банкови влогове", "owner": "декларатор", "description": "разплащателна сметка в евро", "value": "15 204,90", "currency": "EUR", "iban": iban(person("P-10688")["n"])},
            ],
        ),
    ]


# --------------------------------------------------------------------------------- late filers
def late_filer_row(year: int, kind: str, pid: str | None, deadline: date, filed: date | None, *, name: str = "", position: str = "", body: str = "", birth: date | None = None, female: bool = False, n: int = 0) -> dict:
    """A late filer: a declarant of the set (pid), or someone who has left office (pid None, details given)."""
    if pid is not None:
        p = person(pid)
        name, position, body, birth, female, n, town = p["name"], p["position"], p["body"], p["birth"], p["female"], p["n"], p["town"]
    else:
        town = body.split("– ")[-1]
    return {
        "year": year,
        "type": kind,
        "full_name": name,
        "position": position,
        "body": body,
        "deadline": deadline,
        "filed_on": filed,
        "egn": make_egn(birth, n, female=female) if birth else None,
        "notice_address": home_address(n + 29, town),
    }


def late_filers_caps() -> list[dict]:
    """2022 (nobody: one row with only the year), 2023 and 2024, typed in capitals; Windows-1251."""
    rows = [
        {"year": 2022},
        late_filer_row(2023, "ежегодна", "P-12044", date(2023, 5, 15), date(2023, 6, 9)),
        late_filer_row(2023, "при промяна", "P-10605", date(2023, 4, 3), date(2023, 4, 27)),
        late_filer_row(2023, "при освобождаване", None, date(2023, 3, 31), None, name="Огнемир Славчев Калудов", position="съдия", body="Районен съд – Перник", birth=date(1958, 2, 14), n=93),
        late_filer_row(2024, "ежегодна", "P-11536", date(2024, 5, 15), date(2024, 5, 29)),
        late_filer_row(2024, "ежегодна", "P-12391", date(2024, 5, 15), None),
        late_filer_row(2024, "при промяна", "P-11811", date(2024, 8, 12), date(2024, 9, 2)),
        late_filer_row(2024, "при освобождаване", None, date(2024, 10, 1), None, name="Васка Ненова Джамбазова", position="прокурор", body="Районна прокуратура – Дупница", birth=date(1960, 9, 7), female=True, n=94),
    ]
    # Typed in capitals, dates as ДД.ММ.ГГГГ; the declaration type is picked from the system's list, so stays as listed.
    return [{key.upper(): in_capitals(key, value) for key, value in row.items()} for row in rows]


def in_capitals(key: str, value: object) -> object:
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, str) and key != "type":
        return value.upper()
    return value


def late_filers_2025() -> list[dict]:
    """2025: all three lists, late and never filed; XLSX with dates as Excel serial numbers."""
    return [
        late_filer_row(2025, "ежегодна", "P-12044", date(2025, 5, 15), date(2025, 6, 3)),
        late_filer_row(2025, "ежегодна", "P-10849", date(2025, 5, 15), date(2025, 5, 20)),
        late_filer_row(2025, "ежегодна", None, date(2025, 5, 15), None, name="Добромир Антонов Стаматов", position="прокурор", body="Окръжна прокуратура – Варна", birth=date(1979, 7, 21), n=95),
        late_filer_row(2025, "при промяна", "P-11290", date(2025, 7, 14), date(2025, 8, 4)),
        late_filer_row(2025, "при освобождаване", None, date(2025, 3, 3), None, name="Радослава Петрова Чолакова", position="съдия", body="Административен съд – Бургас", birth=date(1962, 12, 2), female=True, n=96),
    ]


# ------------------------------------------------------------------------- incorrect declarants
def incorrect_declarants() -> list[dict]:
    """Listed in 2026 (shown until 31.12.2026) and in 2025 (expired); Windows-1251 with semicolons."""

    def row(listed: date, pid: str, report: str, discrepancy: str, undelivered: bool) -> dict:
        p = person(pid)
        return {
            "listed_on": f"{listed:%d.%m.%Y} г.",
            "full_name": p["name"],
            "position": p["position"],
            "body": p["body"],
            "report_no": report,
            "discrepancy": discrepancy,
            "undelivered_notice": "да" if undelivered else "не",
            "egn": egn_of(pid),
            "notice_address": home_address(p["n"] + 5, p["town"]),
        }

    return [
        row(date(2026, 3, 12), "P-10931", "ДН-4/2026", "недеклариран лек автомобил, придобит през 2025 г.; разлика 14 200 лв.", False),
        row(date(2026, 7, 21), "P-11427", "ДН-9/2026", "банков влог, деклариран с 23 480 лв. по-малко от установеното салдо към 31.12.2025 г.", False),
        row(date(2026, 9, 30), "P-11118", "ДН-12/2026", "недекларирани дялове в дружество с ограничена отговорност (стойност 11 000 лв.)", True),
        row(date(2025, 4, 16), "P-12153", "ДН-3/2025", "недеклариран поземлен имот, придобит по наследство през 2024 г.", False),
        row(date(2025, 11, 5), "P-10605", "ДН-14/2025", "доходи от наем, декларирани с 12 600 лв. по-малко", True),
    ]


# ------------------------------------------------------------------------------ penalty rulings
def penalty_rulings() -> list[dict]:
    """In force in the past (shown), empty or future in_force_on (withheld); confirmed and annulled."""

    def row(number: str, issued: date, pid: str, violation: str, fine: Decimal, currency: str, in_force: date | None, outcome: str | None, case: str | None, note: str) -> dict:
        p = person(pid)
        return {
            "number": number,
            "issued_on": issued,
            "full_name": p["name"],
            "position": p["position"],
            "body": p["body"],
            "violation": violation,
            "penalty_amount": fine,
            "currency": currency,
            "in_force_on": in_force,
            "appeal_outcome": outcome,
            "egn": egn_of(pid),
            "address": home_address(p["n"] + 11, p["town"]),
            "appeal_case_no": case,
            "internal_note": note,
        }

    annual = "чл. 408а, ал. 1 ЗСВ – неподаване в срок на ежегодна декларация за имущество и интереси"
    change = "чл. 408а, ал. 1 ЗСВ – неподаване в срок на декларация за промяна в декларираните обстоятелства"
    return [
        row("НП-3/2025", date(2025, 2, 18), "P-12044", annual, Decimal("500"), "лв.", date(2025, 4, 8), None, None, "Глобата е платена доброволно на 02.04.2025 г."),
        row("НП-9/2025", date(2025, 6, 10), "P-10605", change, Decimal("800"), "BGN", date(2025, 10, 2), "потвърдено", "АНД № 1187/2025 по описа на Районен съд – Перник", "Потвърдено с решение от 12.09.2025 г.; изпратено на НАП за събиране"),
        row("НП-12/2025", date(2025, 7, 15), "P-11536", annual, Decimal("300"), "BGN", date(2025, 11, 20), "отменено", "КАНД № 402/2026 по описа на Административен съд – Бургас", "Отменено след възобновяване; върнати 300 лв. по сметка на 14.05.2026"),
        row("НП-1/2026", date(2026, 1, 20), "P-12391", annual, Decimal("153.39"), "EUR", None, "отменено", "АНД № 2290/2026 по описа на Софийски районен съд", "Отменено на първа инстанция; решението е окончателно, постановлението не е влязло в сила"),
        row("НП-4/2026", date(2026, 3, 3), "P-11290", change, Decimal("613.55"), "EUR", date(2026, 5, 19), "потвърдено", "АНД № 741/2026 по описа на Районен съд – Пловдив", "Потвърдено; платено на 02.06.2026"),
        row("НП-7/2026", date(2026, 2, 10), "P-10849", annual, Decimal("255.65"), "евро", date(2026, 4, 2), None, None, "Глобата е платена на 21.04.2026 г.; преписка ВП-2026-118"),
        row("НП-11/2026", date(2026, 9, 14), "P-11811", change, Decimal("409.03"), "EUR", None, None, "АНД № 1530/2026 по описа на Районен съд – Велико Търново", "Обжалвано; делото е насрочено за 10.12.2026 г."),
        row("НП-13/2026", date(2026, 10, 20), "P-12422", change, Decimal("306.78"), "EUR", date(2026, 12, 15), None, None, "Влиза в сила на 15.12.2026 г., ако не бъде обжалвано"),
    ]


def penalty_rulings_draft() -> list[dict]:
    """Not yet approved: no sidecar, so the build refuses the file and says why."""
    p = person("P-11044")
    return [
        {
            "number": "НП-15/2026",
            "issued_on": "18.11.2026",
            "full_name": p["name"],
            "position": p["position"],
            "body": p["body"],
            "violation": "чл. 408а, ал. 1 ЗСВ – неподаване в срок на ежегодна декларация за имущество и интереси",
            "penalty_amount": "1 022,58",
            "currency": "EUR",
            "in_force_on": "",
            "appeal_outcome": "",
            "egn": egn_of("P-11044"),
            "address": home_address(p["n"] + 11, p["town"]),
            "appeal_case_no": "",
            "internal_note": "ПРОЕКТ – не е подписано от главния инспектор",
        }
    ]


# ------------------------------------------------------------------------ inspection programme
def programme_2026() -> list[dict]:
    """Adopted 26.03.2026; one row amended on 18.06.2026 (same year, body and type: the amendment wins). YAML."""
    decision = "Протокол № 11/26.03.2026"
    adopted = date(2026, 3, 26)

    def row(region: str, body: str, kind: str, topic: str, period: str, when: str, *, decision_no: str = decision, amended: date | None = None) -> dict:
        return {
            "year": 2026,
            "decision_no": decision_no,
            "adopted_on": adopted,
            "appellate_region": region,
            "body": body,
            "inspection_type": kind,
            "topic": topic,
            "period_checked": period,
            "scheduled": when,
            "amended_on": amended,
        }

    dupnitsa_topic = "Спазване на сроковете за изготвяне на съдебните актове по граждански дела (чл. 235, ал. 5 ГПК)"
    return [
        row("София", "Окръжен съд – Кюстендил", "комплексна", "Цялостна дейност на съда по граждански и наказателни дела", "01.01.2024 – 31.12.2025", "II тримесечие"),
        row("София", "Районен съд – Дупница", "тематична", dupnitsa_topic, "01.01.2025 – 31.12.2025", "II тримесечие"),
        row("София", "Районна прокуратура – Перник", "тематична", "Спиране на досъдебните производства срещу неизвестен извършител", "01.01.2024 – 30.06.2025", "III тримесечие"),
        row("Пловдив", "Апелативен съд – Пловдив", "тематична", "Движение на въззивните наказателни дела с продължителност над една година", "01.01.2024 – 31.12.2025", "май 2026"),
        row("Варна", "Окръжна прокуратура – Варна", "комплексна", "Цялостна административна дейност на прокуратурата", "01.01.2024 – 31.12.2025", "септември 2026"),
        row("Административни съдилища", "Административен съд – Бургас", "комплексна", "Цялостна дейност на съда", "01.01.2024 – 31.12.2025", "октомври 2026"),
        row("Военни съдилища", "Военен съд – София", "контролна", "Изпълнение на препоръките по акта от комплексната проверка през 2024 г.", "01.07.2024 – 31.12.2025", "IV тримесечие"),
        row("Велико Търново", "Районен съд – Велико Търново", "тематична", "Спазване на сроковете по заповедните производства", "01.01.2025 – 31.12.2025", "ноември 2026"),
        # The amendment: the Dupnitsa inspection moves to the fourth quarter.
        row("София", "Районен съд – Дупница", "тематична", dupnitsa_topic, "01.01.2025 – 30.06.2026", "IV тримесечие", decision_no="Протокол № 24/18.06.2026", amended=date(2026, 6, 18)),
    ]


def programme_2025() -> list[dict]:
    """The 2025 programme, adopted 27.03.2025: a JSON object holding the list under "records"."""
    common = {"year": 2025, "decision_no": "Протокол № 10/27.03.2025", "adopted_on": "27.03.2025"}
    return [
        {**common, "appellate_region": "София", "body": "Софийски градски съд", "inspection_type": "тематична", "topic": "Образуване и разпределение на делата чрез централизираната система за случайно разпределение", "period_checked": "01.01.2024 – 31.12.2024", "scheduled": "II тримесечие", "amended_on": ""},
        {**common, "appellate_region": "Пловдив", "body": "Районен съд – Пловдив", "inspection_type": "комплексна", "topic": "Цялостна дейност на съда", "period_checked": "01.01.2023 – 31.12.2024", "scheduled": "април 2025", "amended_on": ""},
        {**common, "appellate_region": "Бургас", "body": "Районен съд – Бургас", "inspection_type": "тематична", "topic": "Продължителност на производствата по дела за издръжка", "period_checked": "01.01.2024 – 31.12.2024", "scheduled": "III тримесечие", "amended_on": ""},
        {**common, "appellate_region": "Варна", "body": "Районна прокуратура – Варна", "inspection_type": "контролна", "topic": "Изпълнение на препоръките от тематичната проверка през 2023 г.", "period_checked": "01.07.2023 – 31.12.2024", "scheduled": "октомври 2025", "amended_on": ""},
        {**common, "appellate_region": "Административни съдилища", "body": "Административен съд – София-град", "inspection_type": "тематична", "topic": "Срокове за насрочване на делата по Закона за достъп до обществена информация", "period_checked": "01.01.2024 – 31.12.2024", "scheduled": "IV тримесечие", "amended_on": ""},
    ]


# ------------------------------------------------------------------------------------- opinions
# A synthetic ЕИК (checksum-valid) and a private person named in an opinion's text.
COMPANY_EIK = "204683716"
PRIVATE_PERSON_EGN = make_egn(date(1979, 8, 25), 17)

OPINION_3_TEXT = f"""\
## Искането

С писмо вх. № ИВСС-5120/22.09.2026 г. председателят на Административен съд – Бургас иска
становище дали съдът може да публикува на интернет страницата си решението по адм. дело
№ 1873/2025 г. по описа на съда, без да заличава данните на жалбоподателя Стефан Григоров Милчев,
след като той сам е разгласил спора в медиите.

Към искането е приложена жалбата, в която са посочени ЕГН {PRIVATE_PERSON_EGN}, адрес
гр. Бургас, ж.к. „Изгрев“, бл. 112, вх. 1, ет. 5, ап. 14 и телефон 0889 304 716 на жалбоподателя.
Ответник по делото е „Бургаска информационна агенция“ ЕООД, ЕИК {COMPANY_EIK}.

## Становище

1. Съдебните актове се публикуват след заличаване на личните данни на физическите лица
   (чл. 64, ал. 1 ЗСВ). Обстоятелството, че Стефан Милчев сам е разгласил спора, не е основание
   по чл. 6, § 1 от Регламент (ЕС) 2016/679 съдът да публикува неговите данни.
2. Данните на юридическите лица (наименование, ЕИК) не са лични данни и не се заличават.
3. Номерът на делото, датите и сумите не са лични данни и се публикуват.

Становището е прието с решение на Инспектората по протокол № 38 от 14.10.2026 г.
"""

OPINION_1_TEXT = """\
## Въпрос

Допустимо ли е съдът да публикува графика на насрочените дела (съдебния календар) с пълните
имена на страните по гражданските дела?

## Становище

Съдебният календар се публикува с номера на делото, вида му, датата и часа на заседанието.
Имената на страните – физически лица – се заменят с инициали (чл. 5, § 1, буква „в“ от
Регламент (ЕС) 2016/679 – свеждане на данните до минимум). Имената на юридическите лица
и на държавните органи не се заличават.

Становището е прието с решение на Инспектората по протокол № 7 от 18.02.2026 г.
"""

OPINION_2_TEXT = """\
## Въпрос

Може ли прокуратурата да съхранява записи от видеонаблюдението в сградата си повече от 30 дни,
когато записът е поискан като доказателство по досъдебно производство?

## Становище

1. Записите се съхраняват за срока, посочен във вътрешните правила на администратора,
   но не по-дълго от необходимото за целта (чл. 5, § 1, буква „д“ от Регламент (ЕС) 2016/679).
2. Запис, приобщен като доказателство по досъдебно производство, се съхранява по реда на НПК
   и престава да бъде част от системата за видеонаблюдение.
3. Достъпът до записите се вписва в дневник.

Становището е прието с решение на Инспектората по протокол № 19 от 20.05.2026 г.
"""

OPINION_4_TEXT = """\
## Въпрос

Следва ли съдът да изисква изрично съгласие на вещите лица, за да публикува списъка им
на интернет страницата си?

## Становище

Не. Публикуването на списъка на вещите лица (име, специалност, квалификация) е предвидено
в закон и се основава на чл. 6, § 1, буква „в“ от Регламент (ЕС) 2016/679. Адресите и
телефоните на вещите лица не се публикуват, освен служебните данни за връзка, които те
сами са посочили за тази цел.
"""

OPINION_7_TEXT = """\
## Въпрос

Допустимо ли е органите на съдебната власт да използват облачни услуги за съхранение
на електронните дела?

## Становище

1. Допустимо е, ако доставчикът е обработващ лични данни по смисъла на чл. 28 от
   Регламент (ЕС) 2016/679 и данните се съхраняват в Европейския съюз.
2. Преди въвеждането на услугата се извършва оценка на въздействието (чл. 35 от Регламента).
3. Инспекторатът препоръчва предварителна консултация по чл. 36 от Регламента.
"""


def opinions_markdown() -> list[tuple[str, dict]]:
    return [
        (
            "stanovishte-1-2026.md",
            {
                "number": "1/2026",
                "session_date": date(2026, 2, 18),
                "title": "Относно публикуването на съдебния календар с имената на страните",
                "requested_by": "Районен съд – Кюстендил",
                "summary": "Имената на страните – физически лица – в публикувания съдебен календар се заменят с инициали.",
                "requester_contact": "Стела Иванова Пенева, длъжностно лице по защита на данните, тел. 0878 512 904, " + make_email("s.peneva.dpo"),
                "text": OPINION_1_TEXT,
            },
        ),
        (
            "stanovishte-2-2026.md",
            {
                "number": "2/2026",
                "session_date": date(2026, 5, 20),
                "title": "Относно срока за съхранение на записи от видеонаблюдение",
                "requested_by": "Районна прокуратура – Перник",
                "summary": "Записите се пазят не по-дълго от необходимото; приобщените като доказателство записи се съхраняват по реда на НПК.",
                "requester_contact": "Калоян Руменов Тошев, административен секретар, тел. 076 60 41 18",
                "text": OPINION_2_TEXT,
            },
        ),
        (
            "stanovishte-3-2026.md",
            {
                "number": "3/2026",
                "session_date": date(2026, 10, 14),
                "title": "Относно публикуването на съдебни актове, когато страната сама е разгласила спора",
                "requested_by": "Административен съд – Бургас",
                "summary": "Личните данни на физическите лица се заличават и когато лицето само е разгласило спора; данните на юридическите лица не се заличават.",
                "requester_contact": "Нели Петрова Вълканова, съдебен администратор, тел. 056 80 12 47, " + make_email("n.valkanova.adm"),
                "text": OPINION_3_TEXT,
            },
        ),
    ]


def opinions_csv() -> list[dict]:
    """Two 2025 opinions in one CSV whose "text" column holds the Markdown."""
    return [
        {
            "number": "4/2025",
            "session_date": "11.06.2025 г.",
            "title": "Относно публикуването на списъка на вещите лица",
            "requested_by": "Окръжен съд – Варна",
            "summary": "Списъкът на вещите лица се публикува без съгласие, но без личните им адреси и телефони.",
            "text": OPINION_4_TEXT,
            "requester_contact": "Таня Колева Шопова, тел. 052 62 14 90",
        },
        {
            "number": "7/2025",
            "session_date": "19.11.2025 г.",
            "title": "Относно съхраняването на електронни дела в облачни услуги",
            "requested_by": "Апелативен съд – Велико Търново",
            "summary": "Допустимо при обработващ в ЕС, след оценка на въздействието.",
            "text": OPINION_7_TEXT,
            "requester_contact": "Пенка Стефанова Русева, " + make_email("p.ruseva.it"),
        },
    ]


# ------------------------------------------------------------------------------------ the set
def write_all(registers: Path) -> None:
    for name in REGISTER_FOLDERS:
        shutil.rmtree(registers / name, ignore_errors=True)
    d, lf, ic, pr, ip, op = (registers / name for name in REGISTER_FOLDERS)

    annual = annual_2025_declarations()
    write_export(d / "declarations.csv", annual, encoding="utf-8", approved_on=date(2026, 11, 20))
    write_export(d / "declarations_items.csv", annual_2025_items(annual), encoding="utf-8-sig", delimiter=";", approved_on=date(2026, 11, 20))
    write_export(d / "declarations_history.xlsx", history_declarations(), approved_on=date(2026, 11, 13))
    write_export(d / "declarations_history_items.xlsx", history_items(), approved_on=date(2026, 11, 13))
    write_export(d / "declarations_2026.json", declarations_2026(), approved_on=date(2026, 11, 20))

    write_export(lf / "late_filers_2022-2024.csv", late_filers_caps(), encoding="cp1251", approved_on=date(2026, 10, 30))
    write_export(lf / "late_filers_2025.xlsx", late_filers_2025(), excel_serial_dates=True, approved_on=date(2026, 10, 30))

    write_export(ic / "incorrect_declarants.csv", incorrect_declarants(), encoding="cp1251", delimiter=";", approved_on=date(2026, 10, 2))

    write_export(pr / "penalty_rulings.xlsx", penalty_rulings(), approved_by=LEGAL_DIRECTOR, approved_on=date(2026, 11, 19))
    write_export(pr / "penalty_rulings_draft.csv", penalty_rulings_draft(), approve=False)

    write_export(ip / "inspection_programme_2026.yaml", programme_2026(), approved_by=SECRETARY_GENERAL, approved_on=date(2026, 6, 19))
    write_export(ip / "inspection_programme_2025.json", programme_2025(), json_wrapper="records", approved_by=SECRETARY_GENERAL, approved_on=date(2025, 3, 28))

    approved = {"1/2026": date(2026, 2, 20), "2/2026": date(2026, 5, 22), "3/2026": date(2026, 10, 16)}
    for file_name, row in opinions_markdown():
        write_export(op / file_name, [row], approved_by=LEGAL_DIRECTOR, approved_on=approved[row["number"]])
    write_export(op / "dp_opinions_2025.csv", opinions_csv(), approved_by=LEGAL_DIRECTOR, approved_on=date(2025, 11, 21))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "registers", help="the registers folder to (re)write")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    write_all(args.out)
    print(f"Примерните регистри са записани в {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
