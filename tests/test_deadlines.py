"""`portal check`: each deadline of DOMAIN.md on the day before and the day after, and withdrawals ahead."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.deadlines import check_deadlines
from generator.manifest import BuildEntry, Entry, Manifest, RegisterChanges, record_id, write_manifest
from generator.registers import REGISTERS
from generator.registers.dp_opinions import Opinion
from generator.report import BuildReport
from tests.builders import declaration, incorrect_declarant, make_registers, opinion, planned_inspection
from tests.conftest import run_portal

PROGRAMME_2026 = [planned_inspection(year=2026)]


def findings(tmp_path: Path, as_of: str, site: Path | None = None) -> list[tuple[bool, str]]:
    """(overdue, line) of every finding, as `portal check` would list them."""
    report = BuildReport(as_of=as_of)
    found = check_deadlines(tmp_path / "registers", tmp_path / "content", dt.date.fromisoformat(as_of), report, site)
    return [(f.overdue, f.describe()) for f in found]


def analysis_page(tmp_path: Path, day: str) -> None:
    folder = tmp_path / "content" / "dokladi"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "analiz.md").write_text(f"---\ntitle: Анализ на отчетите\ntype: analiz-dokladi\ndate: {day}\n---\n\nТекст.\n", encoding="utf-8")


@pytest.mark.parametrize(("as_of", "overdue"), [("2026-03-31", False), ("2026-04-01", True)])
def test_the_programme_of_the_year_is_overdue_after_31_march(tmp_path, as_of, overdue):
    make_registers(tmp_path, inspection_programme=[planned_inspection(year=2025, adopted_on=dt.date(2025, 3, 20))])
    analysis_page(tmp_path, "2026-04-10")

    found = findings(tmp_path, as_of)

    assert found == [
        (
            overdue,
            "31.03.2026 — Годишната програма за проверки за 2026 г. не е публикувана. "
            f"Срокът {'беше' if overdue else 'е'} 31.03.2026. Какво да направите: Поставете одобрения файл на програмата "
            "в registers/inspection_programme/, изградете и публикувайте сайта.",
        )
    ]


def test_the_programme_of_the_year_and_its_analysis_in_place_leave_nothing_to_say(tmp_path):
    make_registers(tmp_path, inspection_programme=PROGRAMME_2026)
    analysis_page(tmp_path, "2026-04-10")

    assert findings(tmp_path, "2026-06-01") == []


def test_a_programme_far_from_its_deadline_is_not_mentioned(tmp_path):
    make_registers(tmp_path, inspection_programme=[])
    analysis_page(tmp_path, "2026-04-10")

    assert findings(tmp_path, "2026-02-28") == []  # 31 days before the deadline
    assert [o for o, _ in findings(tmp_path, "2026-03-01")] == [False]  # 30 days before: a reminder


@pytest.mark.parametrize(("as_of", "overdue"), [("2026-04-15", False), ("2026-04-16", True)])
def test_the_analysis_of_court_reports_is_overdue_after_15_april(tmp_path, as_of, overdue):
    make_registers(tmp_path, inspection_programme=PROGRAMME_2026)
    analysis_page(tmp_path, "2025-04-14")  # last year's analysis does not count

    found = findings(tmp_path, as_of)

    assert len(found) == 1
    assert found[0][0] is overdue
    assert found[0][1].startswith("15.04.2026 — Анализът на отчетите на съдилищата и прокуратурата (2026 г.) не е публикуван.")
    assert "„type: analiz-dokladi“" in found[0][1]


@pytest.mark.parametrize(("as_of", "overdue"), [("2026-02-25", False), ("2026-02-26", True)])
def test_an_unapproved_opinion_is_overdue_seven_days_after_its_session(tmp_path, as_of, overdue):
    make_registers(tmp_path, inspection_programme=PROGRAMME_2026)
    make_registers(tmp_path, approve=False, dp_opinions=[opinion(number="1/2026", session_date=dt.date(2026, 2, 18))])
    analysis_page(tmp_path, "2026-04-10")

    found = findings(tmp_path, as_of)

    verb = "беше" if overdue else "е"
    assert found == [
        (
            overdue,
            f"25.02.2026 — Становище № 1/2026 от заседанието на 18.02.2026 не е публикувано. Срокът {verb} 25.02.2026. "
            "Какво да направите: Одобрете файла на становището в registers/dp_opinions/, изградете и публикувайте сайта.",
        )
    ]


def test_an_approved_opinion_counts_as_published_without_the_live_site(tmp_path):
    make_registers(tmp_path, inspection_programme=PROGRAMME_2026, dp_opinions=[opinion(number="1/2026", session_date=dt.date(2026, 2, 18))])
    analysis_page(tmp_path, "2026-04-10")

    assert findings(tmp_path, "2026-03-01") == []


def _live_site(tmp_path: Path, number: str, first_published: str | None) -> Path:
    """A live site whose manifest lists opinion `number` (or none), first published on `first_published`."""
    site = tmp_path / "live"
    register = REGISTERS["dp_opinions"]
    rid = record_id(register, register.tables[0], Opinion(number=number))
    entries = {rid: Entry("hash", "dp_opinions/x.md", 2)} if first_published else {}
    builds = (
        BuildEntry("2026-03-09", "2026-03-02", (), {"dp_opinions": RegisterChanges(added=(rid,) if first_published else ())}),
        BuildEntry("2026-03-02", None, (), {}),
    )
    write_manifest(Manifest("2026-03-09", "test", {"dp_opinions": {"dp_opinions": entries}}, builds), site)
    return site


def test_with_the_live_site_an_approved_opinion_not_yet_published_is_overdue(tmp_path):
    make_registers(tmp_path, inspection_programme=PROGRAMME_2026, dp_opinions=[opinion(number="1/2026", session_date=dt.date(2026, 2, 18))])
    analysis_page(tmp_path, "2026-04-10")

    found = findings(tmp_path, "2026-03-10", site=_live_site(tmp_path, "1/2026", None))

    assert [(o, line[:60]) for o, line in found] == [(True, "25.02.2026 — Становище № 1/2026 от заседанието на 18.02.2026")]


def test_the_ledger_first_publication_date_decides(tmp_path):
    make_registers(tmp_path, inspection_programme=PROGRAMME_2026, dp_opinions=[opinion(number="1/2026", session_date=dt.date(2026, 2, 18))])
    analysis_page(tmp_path, "2026-04-10")
    site = _live_site(tmp_path, "1/2026", "2026-03-09")

    assert findings(tmp_path, "2026-03-10", site=site) == []  # published on 09.03 (late, but published)
    assert [o for o, _ in findings(tmp_path, "2026-03-05", site=site)] == [True]  # not yet published then


@pytest.mark.parametrize(("as_of", "listed"), [("2026-11-10", True), ("2026-11-09", False)])
def test_declarations_reaching_ten_years_within_30_days_are_announced(tmp_path, as_of, listed):
    make_registers(
        tmp_path,
        inspection_programme=PROGRAMME_2026,
        declarations=[declaration(declaration_id="Д-2016-00388", filed_on=dt.date(2016, 12, 9), year=2015)],
    )
    analysis_page(tmp_path, "2026-04-10")

    found = findings(tmp_path, as_of)

    expected = (
        False,
        "10.12.2026 — Декларации: Д-2016-00388, Петя Николова Стоянова (дата на подаване 09.12.2016) — отпада от сайта "
        "при изграждане на 10.12.2026 или след това: подадена преди повече от 10 години (срокът на съхранение е изтекъл).",
    )
    assert found == ([expected] if listed else [])


@pytest.mark.parametrize(("as_of", "listed"), [("2026-12-02", True), ("2026-12-01", False)])
def test_incorrect_declarants_leave_on_1_january_and_are_announced_30_days_ahead(tmp_path, as_of, listed):
    make_registers(tmp_path, inspection_programme=PROGRAMME_2026, incorrect_declarants=[incorrect_declarant(listed_on=dt.date(2026, 9, 30))])
    analysis_page(tmp_path, "2026-04-10")

    found = findings(tmp_path, as_of)

    expected = (
        False,
        "01.01.2027 — Некоректно декларирали: 30.09.2026, Надежда Василева Кирова, ДН-12/2026 — отпада от сайта "
        "при изграждане на 01.01.2027 или след това: годината на вписване (2026) е изтекла.",
    )
    assert found == ([expected] if listed else [])


def test_portal_check_exits_1_when_something_is_overdue_and_lists_it_first(tmp_path):
    make_registers(
        tmp_path,
        inspection_programme=[planned_inspection(year=2025)],
        incorrect_declarants=[incorrect_declarant(listed_on=dt.date(2026, 9, 30))],
    )
    args = ("check", "--registers", str(tmp_path / "registers"), "--content", str(tmp_path / "content"))

    late = run_portal(*args, "--as-of", "2026-12-10")
    early = run_portal(*args, "--as-of", "2026-03-20")

    assert late.returncode == 1, late.stdout + late.stderr
    lines = late.stdout.splitlines()
    assert lines[0] == "Срокове към 10.12.2026"
    assert lines[1] == "Просрочени (2):"
    assert lines[2].startswith("  • 31.03.2026 — Годишната програма за проверки за 2026 г. не е публикувана.")
    assert lines[3].startswith("  • 15.04.2026 — Анализът на отчетите")
    assert lines[4] == "Предстоящи в следващите 30 дни (1):"
    assert lines[5].startswith("  • 01.01.2027 — Некоректно декларирали: 30.09.2026")
    assert lines[-1] == "Просрочени срокове: 2."
    assert early.returncode == 0, early.stdout + early.stderr
    assert early.stdout.splitlines()[-1] == "Няма просрочени срокове."


def test_portal_check_refuses_a_missing_registers_folder_as_a_usage_error(tmp_path):
    result = run_portal("check", "--registers", str(tmp_path / "no-such-folder"), "--as-of", "2026-05-01")

    assert result.returncode == 2


def test_portal_check_says_so_when_the_live_sites_manifest_cannot_be_read(tmp_path):
    make_registers(tmp_path, inspection_programme=PROGRAMME_2026)
    manifest = tmp_path / "live" / "data" / "manifest.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_text("{не е JSON", encoding="utf-8")

    result = run_portal("check", "--registers", str(tmp_path / "registers"), "--site", str(tmp_path / "live"), "--as-of", "2026-05-01")

    assert result.returncode == 1
    assert result.stderr == (
        f"Отказано: {manifest}: манифестът не може да бъде прочетен (JSONDecodeError). "
        "Сроковете на становищата не могат да бъдат проверени; проверете пътя след --site.\n"
    )
