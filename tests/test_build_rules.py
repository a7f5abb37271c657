"""Each publication rule of DOMAIN.md, applied by --as-of, at its boundary date."""

from __future__ import annotations

import pytest

from tests.builders import (
    declaration,
    incorrect_declarant,
    item,
    late_filer,
    make_registers,
    penalty_ruling,
    planned_inspection,
)


@pytest.mark.parametrize(("filed_on", "shown"), [("2016-11-24", True), ("2016-11-23", False)])
def test_declarations_are_kept_ten_years_to_the_day(tmp_path, build, filed_on, shown):
    make_registers(
        tmp_path,
        declarations=[declaration(person_id="P-1", declaration_id="Д-1", filed_on=filed_on, year=2015)],
        items=[item(declaration_id="Д-1", description="вила в Сапарева баня")],
    )

    run = build(as_of="2026-11-24")

    assert run.code == 0, run.output
    text = run.all_text()
    assert ("вила в Сапарева баня" in text) is shown
    assert ("Петя Николова Стоянова" in text) is shown
    if not shown:
        withheld = run.report["registers"]["declarations"]["withheld"]
        assert withheld == {
            "подадена преди повече от 10 години (срокът на съхранение е изтекъл)": 1,
            "декларацията, към която принадлежи, не се публикува": 1,
        }


def test_partner_refusal_hides_the_item_and_family_appear_only_as_relation(tmp_path, build):
    make_registers(
        tmp_path,
        declarations=[declaration(person_id="P-1")],
        items=[
            item(owner="съпруг/а", description="лек автомобил", section="превозни средства", owner_name="Калин Петров Стоянов"),
            item(owner="партньор", description="влог на партньора", section="банкови влогове", partner_publication_refused="да", owner_name="Живко Живков"),
            item(owner="дете", description="влог на детето", section="банкови влогове", owner_name="Ани Калинова Стоянова"),
        ],
    )

    run = build()

    assert run.code == 0, run.output
    page = run.page("deklaracii/stoyanova-petya-nikolova-p-1")
    assert "лек автомобил" in page and "съпруг/а" in page
    assert "влог на детето" in page and "<td>дете</td>" in page
    assert "влог на партньора" not in run.all_text()
    for name in ("Калин Петров Стоянов", "Живко Живков", "Ани Калинова Стоянова"):
        assert name not in run.all_text()


@pytest.mark.parametrize(("in_force_on", "shown"), [("2026-11-24", True), ("2026-11-25", False), (None, False)])
def test_penalty_rulings_only_once_in_force(tmp_path, build, in_force_on, shown):
    make_registers(tmp_path, penalty_rulings=[penalty_ruling(in_force_on=in_force_on, penalty_amount="500,00", currency="BGN")])

    run = build(as_of="2026-11-24")

    assert run.code == 0, run.output
    page = run.page("nakazatelni-postanovlenia")
    assert ("Стоян Любомиров Чакъров" in page) is shown
    if shown:
        assert "500,00 лв. (≈ 255,65 €)" in page and "потвърдено" in page
    else:
        assert "Няма</strong> влезли в сила" in page


@pytest.mark.parametrize(("as_of", "shown"), [("2025-12-31", True), ("2026-01-01", False)])
def test_incorrect_declarants_until_the_end_of_the_year_listed(tmp_path, build, as_of, shown):
    make_registers(tmp_path, incorrect_declarants=[incorrect_declarant(listed_on="2025-03-10")])

    run = build(as_of=as_of)

    assert run.code == 0, run.output
    assert ("Надежда Василева Кирова" in run.page("nekorektni-deklaratori")) is shown


def test_late_filers_per_year_and_list_with_an_empty_year(tmp_path, build):
    make_registers(
        tmp_path,
        late_filers=[
            late_filer(),
            late_filer(type="при освобождаване", full_name="Ралица Енчева Дочева", filed_on=None),
            late_filer(year=2022, type=None, full_name=None, position=None, body=None, deadline=None, filed_on=None, egn=None, notice_address=None),
        ],
    )

    run = build()

    assert run.code == 0, run.output
    year = run.page("nepodali-v-srok/2025")
    assert "Неподадени в срок ежегодни декларации" in year
    assert "подадена със закъснение на 03.06.2025 г." in year
    assert "Освободени от длъжност, без да подадат декларация" in year and "не е подадена" in year
    assert "<strong>Няма</strong> лица, неподали декларация в срок за 2022 г." in run.page("nepodali-v-srok/2022")
    assert "2022 г.</a> — няма" in run.page("nepodali-v-srok")


def test_the_latest_amendment_of_the_programme_wins_and_is_marked(tmp_path, build):
    make_registers(
        tmp_path,
        inspection_programme=[
            planned_inspection(topic="Първоначална тема", scheduled="II тримесечие"),
            planned_inspection(body="Районен съд – Дупница", inspection_type="тематична", topic="Спрени дела"),
            planned_inspection(decision_no="Протокол № 30/18.06.2026", topic="Изменена тема", scheduled="IV тримесечие", amended_on="18.06.2026"),
        ],
    )

    run = build()

    assert run.code == 0, run.output
    page = run.page("programa-za-proverki/2026")
    assert "Изменена тема" in page and "Първоначална тема" not in page
    assert "изменена на 18.06.2026 г." in page
    assert "Спрени дела" in page
