"""The webmaster drops exports of every format, encoding and date form; each one is published."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.builders import declaration, item, make_registers, opinion, write_export


def _declarations_folder(tmp_path):
    folder = tmp_path / "registers" / "declarations"
    folder.mkdir(parents=True)
    return folder


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("declarations.csv", {"encoding": "utf-8"}),
        ("declarations_bom.csv", {"encoding": "utf-8-sig"}),
        ("declarations_1251.csv", {"encoding": "cp1251", "delimiter": ";"}),
        ("declarations.xlsx", {}),
        ("declarations_serial.xlsx", {"excel_serial_dates": True}),
        ("declarations.json", {}),
        ("declarations_wrapped.json", {"json_wrapper": "records"}),
        ("declarations.yaml", {}),
    ],
)
def test_each_format_and_encoding_is_published(tmp_path, build, name, options):
    folder = _declarations_folder(tmp_path)
    write_export(folder / name, [declaration(full_name="Цветелина Жекова Щерева", person_id="P-1")], **options)
    write_export(folder / "items.csv", [item(description="апартамент в Дупница", value="1 234,50")])

    run = build()

    assert run.code == 0, run.output
    page = run.page("deklaracii/shtereva-tsvetelina-zhekova-p-1")
    assert "Цветелина Жекова Щерева" in page
    assert "14.05.2026 г." in page
    assert "апартамент в Дупница" in page
    assert "1\u202f234,50 лв." in page
    assert run.report["problems"] == []


def test_all_capitals_windows_1251_is_not_taken_for_koi8(tmp_path, build):
    folder = _declarations_folder(tmp_path)
    row = declaration(full_name="ЖЕКО ЦВЕТАНОВ ЩЕРЕВ", body="ОКРЪЖЕН СЪД – КЮСТЕНДИЛ", position="СЪДИЯ", person_id="P-2")
    write_export(folder / "caps.csv", [row], encoding="cp1251", delimiter=";")

    run = build()

    assert run.code == 0, run.output
    page = run.page("deklaracii/shterev-zheko-tsvetanov-p-2")
    assert "ЖЕКО ЦВЕТАНОВ ЩЕРЕВ" in page
    assert "ОКРЪЖЕН СЪД – КЮСТЕНДИЛ" in page


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("2026-05-14", "14.05.2026 г."), ("14.05.2026", "14.05.2026 г."), ("14.05.2026 г.", "14.05.2026 г."), ("4.5.2026", "04.05.2026 г.")],
)
def test_date_forms(tmp_path, build, raw, shown):
    make_registers(tmp_path, declarations=[declaration(filed_on=raw, person_id="P-3")], items=[])

    run = build()

    assert run.code == 0, run.output
    assert shown in run.page("deklaracii/stoyanova-petya-nikolova-p-3")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("1234.50", "1\u202f234,50 лв."), ("1 234,50", "1\u202f234,50 лв."), ("1234,50 лв.", "1\u202f234,50 лв."), ("2500 EUR", "2\u202f500,00 €")],
)
def test_amount_forms(tmp_path, build, raw, shown):
    # The declaration covers 2025: an amount without a currency is in leva.
    make_registers(tmp_path, declarations=[declaration(person_id="P-4")], items=[item(value=raw, currency=None)])

    run = build()

    assert run.code == 0, run.output
    assert shown in run.page("deklaracii/stoyanova-petya-nikolova-p-4")


def test_json_declarations_with_nested_items(tmp_path, build):
    folder = _declarations_folder(tmp_path)
    nested = declaration(person_id="P-5")
    nested["items"] = [
        {"Section": "банкови влогове", "OWNER": "дете", "description": "влог в лева", "value": "3 000,00", "currency": "BGN", "iban": "BG80BNBG96611020345678"},
    ]
    write_export(folder / "declarations.json", [nested])

    run = build()

    assert run.code == 0, run.output
    page = run.page("deklaracii/stoyanova-petya-nikolova-p-5")
    assert "влог в лева" in page and "Банкови влогове — към 31.12.2025 г." in page
    assert "BG80BNBG96611020345678" not in run.all_text()


def test_opinions_from_markdown_and_from_csv_text_column(tmp_path, build):
    make_registers(tmp_path, dp_opinions=[opinion(number="1/2026", title="Относно свидетелите")])
    write_export(tmp_path / "registers" / "dp_opinions" / "opinions.csv", [opinion(number="2/2026", title="Относно видеозаписите", text="Текстът на **второто** становище.")])

    run = build()

    assert run.code == 0, run.output
    first = run.page("stanovishta/1-2026")
    second = run.page("stanovishta/2-2026")
    assert "Относно свидетелите" in first
    assert ">Въпрос<" in first
    assert "<strong>второто</strong>" in second
    assert "0878 512 904" not in run.all_text()


def test_headers_are_trimmed_and_case_insensitive_and_unknown_columns_are_reported(tmp_path, build):
    folder = _declarations_folder(tmp_path)
    row = {("  " + k.upper() + " " if k == "full_name" else k): v for k, v in declaration(person_id="P-6").items()}
    row["internal_code"] = "X-99"
    write_export(folder / "declarations.csv", [row])

    run = build()

    assert run.code == 0, run.output
    assert "Петя Николова Стоянова" in run.page("deklaracii/stoyanova-petya-nikolova-p-6")
    assert run.report["dropped_columns"] == {"declarations/declarations.csv": ["internal_code"]}
    assert "X-99" not in run.all_text()
