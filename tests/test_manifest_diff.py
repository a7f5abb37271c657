"""The manifest (data/manifest.json), `portal diff` and the page "Какво ново", across two builds."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import generator.manifest as manifest_module
from generator.manifest import HISTORY_LENGTH, BuildEntry, Manifest, RegisterChanges, make_manifest, previous_manifest, read_manifest, write_manifest
from generator.registers import REGISTERS
from generator.registers.penalty_rulings import PenaltyRuling
from generator.render.environment import make_environment
from generator.render.pages import PublishedRegister, Renderer
from generator.whatsnew import Link, weeks
from tests.builders import declaration, item, late_filer, make_registers, penalty_ruling
from tests.conftest import run_portal

RETENTION = "подадена преди повече от 10 години (срокът на съхранение е изтекъл)"
OLD_NAME = "Петя Николова Стоянова"  # the declarant whose only declaration passes 10 years


def _declarations(*, second_body: str = "Окръжен съд – Кюстендил", third: bool = False) -> list[dict]:
    rows = [
        declaration(declaration_id="Д-1", person_id="P-1", full_name=OLD_NAME, filed_on="2016-11-30", year=2015),
        declaration(declaration_id="Д-2", person_id="P-2", full_name="Иван Петров Колев", body=second_body),
    ]
    if third:
        rows.append(declaration(declaration_id="Д-3", person_id="P-3", full_name="Мария Иванова Петкова"))
    return rows


def _manifest(site: Path) -> dict:
    return json.loads((site / "data" / "manifest.json").read_text(encoding="utf-8"))


def _diff(tmp_path: Path, site: Path, against: Path) -> tuple[str, dict]:
    out = tmp_path / "build" / "diff.json"
    result = run_portal("diff", "--site", str(site), "--against", str(against), "--report", str(tmp_path / "build" / "report.json"), "--json", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout, json.loads(out.read_text(encoding="utf-8"))


def test_diff_shows_one_added_one_changed_one_withdrawn_with_its_reason(tmp_path, build):
    make_registers(tmp_path, declarations=_declarations())
    first = build(as_of="2026-11-24")
    assert first.code == 0, first.output
    live = tmp_path / "live"
    shutil.copytree(first.site, live)
    shutil.rmtree(tmp_path / "registers")
    # A week later: Д-1 is past its 10 years, Д-2 moved to another court, Д-3 is new.
    make_registers(tmp_path, declarations=_declarations(second_body="Районен съд – Перник", third=True))

    second = build(as_of="2026-12-02")

    assert second.code == 0, second.output
    text, data = _diff(tmp_path, second.site, live)
    declarations = data["registers"]["declarations"]
    assert [(r["file"], r["row"]) for r in declarations["added"]] == [("declarations/declarations.csv", 4)]
    assert [(r["file"], r["row"]) for r in declarations["changed"]] == [("declarations/declarations.csv", 3)]
    assert [(r["file"], r["row"], r["reason"]) for r in declarations["withdrawn"]] == [("declarations/declarations.csv", 2, RETENTION)]
    assert data["old_as_of"] == "2026-11-24" and data["new_as_of"] == "2026-12-02"
    assert "Декларации за имущество и интереси: добавени 1, променени 1, оттеглени 1" in text
    assert f"оттеглени (1): {RETENTION}" in text
    assert "Неподали декларация в срок: без промени" in text
    # OLD may also be the manifest file itself.
    assert _diff(tmp_path, second.site, live / "data" / "manifest.json")[1] == data


def test_withdrawal_reasons_approval_invalid_row_and_missing(tmp_path, build):
    make_registers(
        tmp_path,
        declarations=[declaration(declaration_id="Д-1", person_id="P-1"), declaration(declaration_id="Д-2", person_id="P-2", full_name="Иван Петров Колев")],
        late_filers=[late_filer()],
        penalty_rulings=[penalty_ruling()],
    )
    first = build()
    assert first.code == 0, first.output
    live = tmp_path / "live"
    shutil.copytree(first.site, live)
    shutil.rmtree(tmp_path / "registers")
    make_registers(
        tmp_path,
        declarations=[declaration(declaration_id="Д-1", person_id="P-1")],  # Д-2 is gone from the export
        late_filers=[late_filer()],
        penalty_rulings=[penalty_ruling(issued_on="не е дата")],  # the same row, now invalid
    )
    (tmp_path / "registers" / "late_filers" / "late_filers.approval.yaml").unlink()  # approval withdrawn

    second = build()

    assert second.code == 0, second.output
    _, data = _diff(tmp_path, second.site, live)
    reasons = {name: [w["reason"] for w in r["withdrawn"]] for name, r in data["registers"].items() if r["withdrawn"]}
    assert reasons == {
        "declarations": ["няма го в новите файлове"],
        "late_filers": ["одобрението е оттеглено"],
        "penalty_rulings": ["редът вече е невалиден"],
    }
    ruling = data["registers"]["penalty_rulings"]["withdrawn"][0]
    assert (ruling["file"], ruling["row"]) == ("penalty_rulings/penalty_rulings.csv", 2)
    assert ruling["detail"].startswith("поле „issued_on“: „не е дата“ не е дата.")


def test_diff_without_the_new_builds_report_says_reasons_are_unknown(tmp_path, build):
    make_registers(tmp_path, declarations=_declarations())
    first = build(as_of="2026-11-24")
    live = tmp_path / "live"
    shutil.copytree(first.site, live)
    second = build(as_of="2026-12-02")
    assert second.code == 0, second.output
    (tmp_path / "build" / "report.json").write_text(json.dumps({"manifest": "другият"}), encoding="utf-8")

    text, data = _diff(tmp_path, second.site, live)

    assert [w["reason"] for w in data["registers"]["declarations"]["withdrawn"]] == ["причината не е известна: няма доклад от изграждането на новия сайт"]
    assert "Докладът от изграждането не е от новия сайт" in text


def test_diff_refuses_a_site_without_manifest(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run_portal("diff", "--site", str(tmp_path / "empty"), "--against", str(tmp_path / "empty"), "--json", str(tmp_path / "d.json"))
    assert result.returncode == 1
    assert "няма манифест" in result.stderr


def test_manifest_has_ids_hashes_and_no_names(tmp_path, build):
    make_registers(tmp_path, declarations=[declaration(declaration_id="Д-1", person_id="P-1")], items=[item(declaration_id="Д-1")])

    run = build(as_of="2026-11-24")

    assert run.code == 0, run.output
    manifest = _manifest(run.site)
    assert manifest["format"] == 2 and manifest["as_of"] == "2026-11-24" and manifest["generator_version"]
    assert run.report["manifest"] == manifest["build_id"]
    # One entry per declaration, grouped by export file; its items are hashed into it, not listed.
    declarations = manifest["registers"]["declarations"]
    assert list(declarations) == ["declarations"]
    [(file, entries)] = declarations["declarations"].items()
    [(rid, (content_hash, row))] = entries.items()
    assert (file, row) == ("declarations/declarations.csv", 2)
    # Opaque ids and hashes, in letters: a hex digest may look like an ЕГН or a card number to the scan.
    assert rid.isalpha() and rid.islower() and len(rid) == 16 and content_hash.isalpha()
    text = (run.site / "data" / "manifest.json").read_text(encoding="utf-8")
    for value in ("Петя", "Стоянова", "Д-1", "P-1", "апартамент", "Кюстендил"):
        assert value not in text


def test_history_keeps_only_records_still_published_and_whats_new_never_names_a_withdrawn_one(tmp_path, build):
    make_registers(tmp_path, declarations=_declarations())
    assert build(as_of="2026-11-24").code == 0
    shutil.rmtree(tmp_path / "registers")
    make_registers(tmp_path, declarations=_declarations(third=True))
    second = build(as_of="2026-11-25")
    assert second.code == 0, second.output
    added = _manifest(second.site)["builds"][0]["changes"]["declarations"]["added"]
    assert len(added) == 1
    page = second.page("kakvo-novo")
    assert "Мария Иванова Петкова: ежегодна декларация за 2025 г. (вх. № Д-3)" in page
    assert "deklaracii/petkova-maria-ivanova-p-3/#d-Д-3" in page
    # A week later Д-3 is withdrawn again (and Д-1 is past its 10 years).
    shutil.rmtree(tmp_path / "registers")
    make_registers(tmp_path, declarations=_declarations())

    third = build(as_of="2026-12-02")

    assert third.code == 0, third.output
    manifest = _manifest(third.site)
    assert [b["as_of"] for b in manifest["builds"]] == ["2026-12-02", "2026-11-25", "2026-11-24"]
    assert added[0] not in json.dumps(manifest)
    page = third.page("kakvo-novo")
    assert "Петкова" not in third.all_text() and OLD_NAME not in third.all_text()
    assert "Вече не се публикуват: 2 записа." in page  # this week: Д-1 and Д-3, counted, not named
    assert 'id="sedmitsa-2026-49"' in page and 'id="sedmitsa-2026-48"' in page
    assert third.page("").count("Какво ново") >= 1  # in the navigation


def test_same_inputs_date_and_previous_site_give_the_same_bytes(tmp_path, build):
    make_registers(tmp_path, declarations=_declarations())
    assert build(as_of="2026-11-24").code == 0
    previous = tmp_path / "previous"
    shutil.copytree(tmp_path / "site", previous)
    shutil.rmtree(tmp_path / "registers")
    make_registers(tmp_path, declarations=_declarations(third=True))

    a = build("--previous", str(previous), as_of="2026-12-02", out=tmp_path / "a")
    b = build("--previous", str(previous), as_of="2026-12-02", out=tmp_path / "b")

    assert a.code == 0 and b.code == 0, a.output + b.output
    files = sorted(p.relative_to(a.site) for p in a.site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b.site) for p in b.site.rglob("*") if p.is_file())
    assert [f for f in files if (a.site / f).read_bytes() != (b.site / f).read_bytes()] == []
    assert _manifest(a.site)["builds"][1]["as_of"] == "2026-11-24"


def test_a_changed_item_shows_as_its_declaration_changed(tmp_path, build):
    rows = [declaration(declaration_id="Д-1", person_id="P-1"), declaration(declaration_id="Д-2", person_id="P-2", full_name="Иван Петров Колев")]
    make_registers(tmp_path, declarations=rows, items=[item(declaration_id="Д-1"), item(declaration_id="Д-2")])
    first = build(as_of="2026-11-24")
    assert first.code == 0, first.output
    live = tmp_path / "live"
    shutil.copytree(first.site, live)
    shutil.rmtree(tmp_path / "registers")
    # A week later only an item of Д-2 has another value; the declaration rows are the same.
    make_registers(tmp_path, declarations=rows, items=[item(declaration_id="Д-1"), item(declaration_id="Д-2", value=Decimal("151000.00"))])

    second = build(as_of="2026-12-02")

    assert second.code == 0, second.output
    _, data = _diff(tmp_path, second.site, live)
    declarations = data["registers"]["declarations"]
    assert [(r["table"], r["file"], r["row"]) for r in declarations["changed"]] == [("declarations", "declarations/declarations.csv", 3)]
    assert declarations["added"] == [] and declarations["withdrawn"] == []
    page = second.page("kakvo-novo")
    assert "Променени (1):" in page and "Иван Петров Колев: ежегодна декларация за 2025 г. (вх. № Д-2)" in page


def test_an_old_format_manifest_is_read_as_none_with_a_note(tmp_path):
    path = tmp_path / "data" / "manifest.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"format": 1, "as_of": "2026-11-17", "generator_version": "0", "registers": {}, "builds": []}), encoding="utf-8")

    previous, notes = previous_manifest(tmp_path)

    assert previous is None
    [note] = notes
    assert note.severity == "note" and "непознат формат на манифеста (1); очаква се 2." in note.message
    assert note.hint.startswith("Историята на промените и на източниците започва отначало")


def _rulings(*numbers: str) -> PublishedRegister:
    return PublishedRegister(REGISTERS["penalty_rulings"], {"penalty_rulings": [PenaltyRuling(number=n, full_name="Иван Петров Колев") for n in numbers]})


def test_history_is_bounded_ids_turn_into_counts(tmp_path, monkeypatch):
    monkeypatch.setattr(manifest_module, "LISTED_PER_BUILD", 2)
    first = make_manifest([_rulings("НП-1")], [], None, "2026-01-05")
    # Three added at once: two are listed by id, the third is counted.
    second = make_manifest([_rulings("НП-1", "НП-2", "НП-3", "НП-4")], [], first, "2026-01-12")
    changes = second.builds[0].changes["penalty_rulings"]
    assert (len(changes.added), changes.more_added) == (2, 1)
    # A quarter later the ids of that build are gone from the manifest; its counts stay.
    later = make_manifest([_rulings("НП-1", "НП-2", "НП-3", "НП-4")], [], second, "2026-04-20")
    old = later.builds[1].changes["penalty_rulings"]
    assert (old.added, old.more_added, old.withdrawn) == ((), 3, 0)
    # However many builds come, HISTORY_LENGTH are kept.
    manifest = later
    for week in range(HISTORY_LENGTH + 5):
        manifest = make_manifest([_rulings("НП-1")], [], manifest, (dt.date(2026, 5, 4) + dt.timedelta(weeks=week)).isoformat())
    assert len(manifest.builds) == HISTORY_LENGTH
    assert read_manifest(_written(manifest, tmp_path)) == manifest


def _written(manifest: Manifest, tmp_path: Path) -> Path:
    write_manifest(manifest, tmp_path)
    return tmp_path


def test_whats_new_counts_what_the_manifest_no_longer_lists():
    register = REGISTERS["penalty_rulings"]
    builds = [
        BuildEntry("2026-04-20", "2026-01-12", (), {"penalty_rulings": RegisterChanges(more_changed=1)}),
        BuildEntry("2026-01-12", "2026-01-05", (), {"penalty_rulings": RegisterChanges(added=("a",), more_added=3)}),
    ]
    [april, january] = weeks(builds, [register], {"a": Link("НП-2", "nakazatelni-postanovlenia/index.md")})
    assert (april.registers[0].changed, april.registers[0].more_changed) == ([], 1)
    assert (len(january.registers[0].added), january.registers[0].more_added) == (1, 3)
    html = Renderer(make_environment()).page("kakvo-novo.md", "Какво ново", "whats_new.html.j2", weeks=[april, january]).html
    assert "Променени (1)." in html
    assert "Добавени (4):" in html and "… и още 3, които не са изброени поотделно." in html
