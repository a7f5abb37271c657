"""Same registers/, content/ and --as-of: the same bytes, every file, the search index included."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from generator.search_stable import stabilise_pagefind
from tests.builders import declaration, incorrect_declarant, item, late_filer, make_content, make_registers, opinion, penalty_ruling, planned_inspection

BODIES = ("Окръжен съд – Кюстендил", "Районен съд – Перник", "Софийски градски съд", "Апелативен съд – Варна", "Районна прокуратура – Бургас")
POSITIONS = ("съдия", "прокурор", "следовател", "председател")


def _varied_registers(root: Path) -> None:
    """Enough distinct years, bodies and positions that Pagefind's filters hold many values each."""
    people = [
        declaration(
            declaration_id=f"Д-{2017 + n}-{n:05d}",
            person_id=f"P-{n}",
            full_name=name,
            filed_on=dt.date(2017 + n, 5, 10 + n),
            year=2016 + n,
            body=BODIES[n % len(BODIES)],
            position=POSITIONS[n % len(POSITIONS)],
            type=("ежегодна", "встъпителна", "при промяна")[n % 3],
        )
        for n, name in enumerate(("Петя Николова Стоянова", "Иван Петров Маринов", "Мария Георгиева Колева", "Стефан Илиев Данов", "Гергана Тодорова Пенева", "Николай Ангелов Вълчев"))
    ]
    make_registers(
        root,
        declarations=people,
        items=[item(declaration_id=p["declaration_id"], description=f"апартамент {n}") for n, p in enumerate(people)],
        late_filers=[late_filer(), late_filer(year=2024, full_name="Борислав Киров Лазаров", body=BODIES[2])],
        incorrect_declarants=[incorrect_declarant()],
        penalty_rulings=[penalty_ruling()],
        inspection_programme=[planned_inspection(), planned_inspection(body=BODIES[1], appellate_region="София", inspection_type="тематична")],
        dp_opinions=[opinion(), opinion(number="2/2026", session_date=dt.date(2026, 3, 4), title="Относно видеонаблюдението в съдебните сгради")],
    )
    make_content(root)


def _files(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_of_the_same_input_are_byte_identical(tmp_path, build):
    _varied_registers(tmp_path)

    first = build(as_of="2026-11-24", out=tmp_path / "first")
    second = build(as_of="2026-11-24", out=tmp_path / "second")

    assert first.code == 0 and second.code == 0, first.output + second.output
    one, two = _files(first.site), _files(second.site)
    assert sorted(one) == sorted(two), set(one) ^ set(two)
    assert [name for name in one if one[name] != two[name]] == []
    assert any(name.startswith("pagefind/filter/") for name in one)  # the files Pagefind orders at random are there


def test_nothing_in_the_site_is_dated_by_the_clock(tmp_path, build):
    _varied_registers(tmp_path)
    today = dt.date.today()
    inputs = "".join(p.read_text(encoding="utf-8") for p in sorted(tmp_path.rglob("*")) if p.suffix in {".csv", ".md", ".yaml"})
    if today == dt.date(2026, 11, 24) or today.isoformat() in inputs:
        pytest.skip("today is a date of the inputs or the build date; the clock cannot be told apart")

    run = build(as_of="2026-11-24")

    assert run.code == 0, run.output
    shown = {today.isoformat(), f"{today:%d.%m.%Y}", f"{today:%Y%m%d}"}
    for path in sorted(run.site.rglob("*")):
        if path.is_file():
            text = _readable(path.read_bytes())
            assert not [form for form in shown if form in text], path


def _readable(data: bytes) -> str:
    """The text of a file, with zip members (XLSX, ZIP downloads) and gzip (Pagefind) opened."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "".join(_readable(archive.read(name)) for name in archive.namelist())
    return data.decode("utf-8", errors="replace")


def test_stabilising_a_stable_pagefind_index_changes_nothing(tmp_path, build):
    _varied_registers(tmp_path)
    run = build()
    assert run.code == 0, run.output
    before = _files(run.site / "pagefind")

    stabilise_pagefind(run.site / "pagefind")

    assert _files(run.site / "pagefind") == before
    entry = json.loads((run.site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert (run.site / "pagefind" / f"pagefind.{entry['languages']['bg']['hash']}.pf_meta").is_file()
