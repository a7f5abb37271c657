"""The shipped example registers/ and content/ build into a site where every publication rule shows."""

from __future__ import annotations

import pytest

from tests.conftest import Run


# The example is built once per session, shared with the browser checks.
pytest_plugins = ("tests.example_site",)


@pytest.fixture
def example(example_site: Run) -> Run:
    return example_site


def test_the_example_builds_and_refuses_only_the_unapproved_draft(example):
    assert example.code == 0, example.output
    refused = [p for p in example.report["problems"] if p["severity"] == "refused"]
    assert [p["file"] for p in refused] == ["penalty_rulings/penalty_rulings_draft.csv"]
    assert example.report["dropped_columns"] == {"declarations/declarations.csv": ["internal_code"]}


def test_every_rule_is_exercised(example):
    registers = example.report["registers"]
    withheld = {name: set(summary["withheld"]) for name, summary in registers.items()}
    assert "подадена преди повече от 10 години (срокът на съхранение е изтекъл)" in withheld["declarations"]
    assert "фактическият партньор е отказал публикуване (чл. 71)" in withheld["declarations"]
    assert "годината на вписване (2025) е изтекла" in withheld["incorrect_declarants"]
    assert "заменено с по-късно изменение на програмата" in withheld["inspection_programme"]
    assert {"не е влязло в сила (няма дата на влизане в сила)", "не е влязло в сила (датата на влизане в сила е в бъдещето)"} <= withheld["penalty_rulings"]
    assert "<strong>Няма</strong> лица" in example.page("nepodali-v-srok/2022")
    assert "изменена на 18.06.2026 г." in example.page("programa-za-proverki/2026")


def test_every_register_and_content_page_is_there(example):
    for path in ("", "deklaracii", "nepodali-v-srok", "nekorektni-deklaratori", "nakazatelni-postanovlenia", "programa-za-proverki", "stanovishta", "organi", "tarsene", "za-inspektorata", "signali", "dokladi/analiz-2025", "novini"):
        assert '<html lang="bg"' in example.page(path), path
