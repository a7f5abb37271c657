"""Nothing is published without its approval; a folder that is not a public register is refused whole."""

from __future__ import annotations

from tests.builders import declaration, make_registers, penalty_ruling, write_export


def _two_declarants(tmp_path):
    make_registers(tmp_path, declarations=[declaration(person_id="P-1")], items=[])
    return tmp_path / "registers" / "declarations"


def test_export_without_sidecar_is_refused_and_the_rest_published(tmp_path, build):
    folder = _two_declarants(tmp_path)
    write_export(folder / "late.csv", [declaration(person_id="P-2", full_name="Огнян Иванов Балев")], approve=False)

    run = build()

    assert run.code == 0, run.output
    assert "declarations/late.csv: липсва файлът за одобрение late.approval.yaml; файлът не е публикуван." in "\n".join(run.problems())
    assert "Огнян Иванов Балев" not in run.all_text()
    assert "Петя Николова Стоянова" in run.page("deklaracii/stoyanova-petya-nikolova-p-1")
    assert run.report["registers"]["declarations"]["files_refused"] == ["declarations/late.csv"]


def test_sidecar_missing_a_field_is_refused(tmp_path, build):
    folder = _two_declarants(tmp_path)
    export = write_export(folder / "more.csv", [declaration(person_id="P-2", full_name="Огнян Иванов Балев")])
    sidecar = folder / "more.approval.yaml"
    sidecar.write_text("\n".join(line for line in sidecar.read_text(encoding="utf-8").splitlines() if not line.startswith("approved_by")), encoding="utf-8")

    run = build()

    assert run.code == 0
    assert any("във файла за одобрение more.approval.yaml липсва: approved_by; файлът не е публикуван." in p for p in run.problems())
    assert "Огнян Иванов Балев" not in run.all_text()
    assert export.exists()


def test_file_changed_after_approval_is_refused(tmp_path, build):
    folder = _two_declarants(tmp_path)
    export = write_export(folder / "more.csv", [declaration(person_id="P-2", full_name="Огнян Иванов Балев")])
    export.write_text(export.read_text(encoding="utf-8").replace("Балев", "Балева"), encoding="utf-8")

    run = build()

    assert run.code == 0
    assert any("файлът е променен след одобрението (контролната сума sha256 не съвпада)" in p for p in run.problems())
    assert "Балев" not in run.all_text()


def test_a_register_that_is_not_public_is_refused_even_if_approved(tmp_path, build):
    _two_declarants(tmp_path)
    write_export(tmp_path / "registers" / "gdpr_violations" / "breaches.csv", [penalty_ruling(full_name="Тайно Лице Нарушителев")])
    write_export(tmp_path / "registers" / "zzld_register" / "register.csv", [penalty_ruling(full_name="Друго Лице Скритово")])

    run = build()

    assert run.code == 0
    problems = "\n".join(run.problems())
    assert "gdpr_violations/: папката не е публичен регистър" in problems
    assert "zzld_register/: папката не е публичен регистър" in problems
    text = run.all_text()
    assert "Нарушителев" not in text and "Скритово" not in text


def test_strict_turns_a_refused_file_into_a_failure_and_keeps_the_old_site(tmp_path, build):
    folder = _two_declarants(tmp_path)
    first = build()
    assert first.code == 0
    before = first.page("deklaracii/stoyanova-petya-nikolova-p-1")
    write_export(folder / "late.csv", [declaration(person_id="P-2")], approve=False)

    run = build("--strict")

    assert run.code == 1
    assert run.report["outcome"] == "failed"
    assert run.page("deklaracii/stoyanova-petya-nikolova-p-1") == before
