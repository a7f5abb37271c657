"""The publication ledger: the page "Източници на данните", its history, and the source line of record pages."""

from __future__ import annotations

import datetime as dt
import json
import shutil

from generator.approval import file_sha256
from generator.ledger import grouped_sha256
from tests.builders import DEFAULT_APPROVED_BY, OMIT, declaration, item, late_filer, make_registers, penalty_ruling, write_export

SOURCE_LINE = f"По данни от {{}}, одобрен от {DEFAULT_APPROVED_BY} на 20.11.2026 г."
OTHER_APPROVER = "Иван Колев Иванов, главен секретар"


def _ledger(run) -> list[dict]:
    return json.loads((run.site / "data" / "manifest.json").read_text(encoding="utf-8"))["builds"][0]["ledger"]


def test_ledger_names_each_export_its_approval_hash_and_row_counts(tmp_path, build):
    registers = make_registers(
        tmp_path,
        declarations=[
            declaration(declaration_id="Д-1", person_id="P-1"),
            declaration(declaration_id="Д-2", person_id="P-2", filed_on="2015-05-14", year=2014),  # past 10 years: withheld
            declaration(declaration_id="Д-3", person_id=OMIT),  # invalid: refused
        ],
    )
    late = write_export(registers / "late_filers" / "late_filers_2025.csv", [late_filer()], approved_by=OTHER_APPROVER, approved_on=dt.date(2026, 11, 18))

    run = build(as_of="2026-11-24")

    assert run.code == 0, run.output
    ledger = {e["file"]: e for e in _ledger(run)}
    assert ledger["declarations/declarations.csv"] == {
        "register": "declarations",
        "file": "declarations/declarations.csv",
        "sha256": grouped_sha256(file_sha256(registers / "declarations" / "declarations.csv")),
        "approved_by": DEFAULT_APPROVED_BY,
        "approved_on": "2026-11-20",
        "rows_read": 3,
        "rows_published": 1,
        "rows_withheld": 1,
        "rows_refused": 1,
    }
    assert ledger["late_filers/late_filers_2025.csv"]["approved_by"] == OTHER_APPROVER
    for name, summary in run.report["registers"].items():
        assert sum(e["rows_read"] for e in ledger.values() if e["register"] == name) == summary["rows_read"]
    page = run.page("iztochnitsi-na-dannite")
    assert "<code>late_filers/late_filers_2025.csv</code></td><td>Иван Колев Иванов, главен секретар</td>" in page
    assert "18.11.2026 г." in page and file_sha256(late) in page.replace(":<wbr>", "")
    assert "<td>3</td><td>1</td><td>1</td><td>1</td>" in page
    assert "Няма записани предишни изграждания." in page
    assert 'href="iztochnitsi-na-dannite/"' in run.page("")  # in the navigation


def test_a_row_with_a_bad_nested_item_is_read_and_published_not_refused(tmp_path, build):
    registers = make_registers(tmp_path)
    row = declaration(declaration_id="Д-1", person_id="P-1") | {"items": [item(declaration_id=OMIT), item(declaration_id=OMIT, section="непознат раздел")]}
    write_export(registers / "declarations" / "declarations.json", [row])

    run = build()

    assert run.code == 0, run.output
    [entry] = _ledger(run)
    assert (entry["rows_read"], entry["rows_published"], entry["rows_withheld"], entry["rows_refused"]) == (1, 1, 0, 0)


def test_record_pages_name_the_export_they_came_from(tmp_path, build):
    make_registers(
        tmp_path,
        declarations=[declaration(declaration_id="Д-1", person_id="P-1")],
        items=[item(declaration_id="Д-1")],
        penalty_rulings=[penalty_ruling()],
        late_filers=[late_filer()],
    )

    run = build()

    assert run.code == 0, run.output
    person = run.page("deklaracii/stoyanova-petya-nikolova-p-1")
    line = SOURCE_LINE.format("declarations.csv") + " " + SOURCE_LINE.format("declarations_items.csv")
    assert f'<p class="portal-source" data-pagefind-ignore><small>{line}</small></p>' in person
    assert SOURCE_LINE.format("penalty_rulings.csv") in run.page("nakazatelni-postanovlenia")
    assert SOURCE_LINE.format("late_filers.csv") in run.page("nepodali-v-srok/2025")
    assert SOURCE_LINE.format("declarations.csv") in run.page("deklaracii/2025")


def test_sources_page_keeps_the_ledger_of_earlier_builds(tmp_path, build):
    make_registers(tmp_path, penalty_rulings=[penalty_ruling()])
    first = build(as_of="2026-11-24")
    assert first.code == 0, first.output
    [earlier] = _ledger(first)
    shutil.rmtree(tmp_path / "registers")
    make_registers(tmp_path, penalty_rulings=[penalty_ruling(), penalty_ruling(number="НП-8/2026")])

    second = build(as_of="2026-12-02")

    assert second.code == 0, second.output
    page = second.page("iztochnitsi-na-dannite")
    assert "Текущо изграждане към 02.12.2026 г." in page
    assert "<summary>Изграждане към 24.11.2026 г. (1 файл)</summary>" in page
    [current] = _ledger(second)
    assert earlier["sha256"] != current["sha256"]
    assert earlier["sha256"] in page.replace("<wbr>", "") and current["sha256"] in page.replace("<wbr>", "")
