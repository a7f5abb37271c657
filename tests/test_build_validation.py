"""A bad row is skipped and reported with file, row, field and what to do; the rest is published."""

from __future__ import annotations

from tests.builders import declaration, item, make_registers
from tests.conftest import run_portal


def test_bad_rows_are_reported_exactly_and_the_rest_published(tmp_path, build):
    make_registers(
        tmp_path,
        declarations=[
            declaration(person_id="P-1"),
            declaration(person_id="P-2", declaration_id="Д-2", full_name="Огнян Иванов Балев", filed_on="31.02.2026"),
            declaration(person_id="P-3", declaration_id="Д-3", full_name="Борис Асенов Цанков", type="годишна"),
            declaration(person_id="P-4", declaration_id="Д-4", full_name=None),
        ],
        items=[item(), item(section="яхти", description="яхта")],
    )

    run = build()

    assert run.code == 0, run.output
    problems = run.problems()
    assert problems[0] == (
        "declarations/declarations.csv, ред 3, поле „filed_on“: „31.02.2026“ не е съществуваща дата: проверете деня и месеца. "
        "Какво да направите: Поправете стойността в колоната „filed_on“ (Дата на подаване)."
    )
    assert problems[1] == (
        "declarations/declarations.csv, ред 4, поле „type“: непозната стойност „годишна“. Какво да направите: Използвайте една от: "
        "„встъпителна“, „ежегодна“, „при промяна“, „при освобождаване“, „след освобождаване“, „корекция“."
    )
    assert problems[2] == "declarations/declarations.csv, ред 5, поле „full_name“: липсва задължителна стойност. Какво да направите: Попълнете колоната „full_name“ (Име)."
    assert problems[3].startswith("declarations/declarations_items.csv, ред 3, поле „section“: непозната стойност „яхти“.")
    assert run.report["registers"]["declarations"]["rows_skipped"] == 4
    assert "Петя Николова Стоянова" in run.page("deklaracii/stoyanova-petya-nikolova-p-1")
    assert "Балев" not in run.all_text() and "яхта" not in run.all_text()
    assert "ред 3" in run.output  # the terminal report says it too


def test_usage_errors_exit_2(tmp_path):
    assert run_portal("build", "--as-of", "24.11.2026").returncode == 2
    assert run_portal("build", "--no-such-option").returncode == 2
    result = run_portal("build", "--out", str(tmp_path / "site"), "--report", str(tmp_path / "site" / "report.json"))
    assert result.returncode == 2
