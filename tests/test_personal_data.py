"""Personal data never leaves: planted identifiers in every text field, every format, reach no output byte;
decoys survive; a template that leaks is caught by the scan and the old site stays."""

from __future__ import annotations

import gzip
import html
import re
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest

from tests.builders import declaration, incorrect_declarant, item, make_registers, opinion, penalty_ruling, planned_inspection, write_export
from tests.conftest import PROJECT, Run, run_portal
from tests.planted.corpus import DECOYS, PLANTED


def _normal(text: str) -> str:
    return re.sub(r"[\s\-./]+", "", text).casefold()


def _output_texts(site: Path) -> dict[str, str]:
    """Every output file as text: XLSX members, SQLite cells and gzip-compressed index files included."""
    texts = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        name = path.relative_to(site).as_posix()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                texts[name] = "\n".join(book.read(member).decode("utf-8", "replace") for member in book.namelist())
        elif path.suffix in (".sqlite", ".db"):
            connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            cells = []
            for (table,) in connection.execute("select name from sqlite_master where type='table'"):
                for row in connection.execute(f'select * from "{table}"'):
                    cells.extend(str(c) for c in row)
            connection.close()
            texts[name] = "\n".join(cells)
        else:
            texts[name] = html.unescape(data.decode("utf-8", "replace"))
    return texts


@pytest.fixture(scope="module")
def planted_build(tmp_path_factory) -> Run:
    root = tmp_path_factory.mktemp("planted")
    sentences = [p.text for p in PLANTED]
    decoys = [d.text for d in DECOYS]
    texts = sentences + decoys
    make_registers(
        root,
        declarations=[declaration(person_id="P-1")],
        items=[item(description=text, legal_basis=texts[-1 - n], origin_of_funds=texts[n // 2]) for n, text in enumerate(texts)],
        dp_opinions=[opinion(number=f"{n}/2026", summary=texts[n], text="\n\n".join(texts[n::7])) for n in range(7)],
    )
    folder = root / "registers"
    write_export(folder / "incorrect_declarants" / "list.xlsx", [incorrect_declarant(report_no=f"ДН-{n}", discrepancy=text) for n, text in enumerate(texts)])
    write_export(folder / "penalty_rulings" / "rulings.json", [penalty_ruling(number=f"НП-{n}/2026", violation=f"чл. 408а, ал. 1 ЗСВ – {text}") for n, text in enumerate(texts)])
    write_export(folder / "inspection_programme" / "programme.yaml", [planned_inspection(body=f"Районен съд – Перник {n}", topic=text) for n, text in enumerate(texts)])
    cp1251 = [t for t in texts if t.encode("cp1251", "ignore").decode("cp1251") == t]
    write_export(folder / "declarations" / "more_items.csv", [item(description=text) for text in cp1251], encoding="cp1251", delimiter=";")
    result = run_portal(
        "build", "--registers", str(folder), "--content", str(PROJECT / "content"), "--out", str(root / "site"),
        "--as-of", "2026-11-24", "--report", str(root / "report.json"),
    )  # fmt: skip
    return Run(result.returncode, result.stdout + result.stderr, root / "site", root / "report.json")


def test_no_planted_identifier_reaches_any_output(planted_build):
    assert planted_build.code == 0, planted_build.output
    outputs = {name: _normal(text) for name, text in _output_texts(planted_build.site).items()}
    assert any(name.startswith("pagefind/") for name in outputs) and any(name.endswith(".xlsx") for name in outputs)
    for planted in PLANTED:
        needle = _normal(planted.value)
        leaked = [name for name, text in outputs.items() if needle in text]
        assert leaked == [], f"{planted.kind} {planted.value!r} in {leaked[:3]}"


def test_every_decoy_is_kept(planted_build):
    pages = "\n".join(re.sub(r"\s+", " ", t) for n, t in _output_texts(planted_build.site).items() if n.endswith(".html"))
    missing = [d.value for d in DECOYS if re.sub(r"\s+", " ", d.value) not in pages]
    assert missing == []


def test_markers_say_what_was_removed(planted_build):
    person = planted_build.page("deklaracii/stoyanova-petya-nikolova-p-1")
    for marker in ("[ЕГН заличено]", "[IBAN заличен]", "[телефон заличен]", "[имейл заличен]", "[адрес заличен]", "[рег. номер заличен]"):
        assert marker in person


def test_a_leaking_template_fails_the_build_and_the_old_site_stays(tmp_path, build):
    row = declaration(person_id="P-1")
    make_registers(tmp_path, declarations=[row], items=[])
    good = build()
    assert good.code == 0, good.output
    before = {p.relative_to(good.site): p.read_bytes() for p in good.site.rglob("*") if p.is_file()}
    # A careless template change: an override prints a value that came from a private column.
    overrides = tmp_path / "overrides"
    shutil.copytree(PROJECT / "site_templates" / "overrides", overrides)
    main = overrides / "main.html"
    main.write_text(main.read_text(encoding="utf-8") + "\n{% block announce %}{{ config.extra.debug_egn }}{% endblock %}\n", encoding="utf-8")
    config = (PROJECT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: site_templates/overrides", f"custom_dir: {overrides}")
    config = re.sub(r"(?m)^(\s+- )site_templates/hooks/", rf"\g<1>{PROJECT}/site_templates/hooks/", config)
    config = config.replace("extra:\n", f"extra:\n  debug_egn: \"{row['egn']}\"\n")
    leaky = tmp_path / "leaky.yml"
    leaky.write_text(config, encoding="utf-8")

    run = build("--config", str(leaky))

    assert run.code == 1
    assert "лични данни" in run.report["failure"] or "лични данни" in run.output
    after = {p.relative_to(run.site): p.read_bytes() for p in run.site.rglob("*") if p.is_file()}
    assert after == before
    # The value is named by where it came from, never printed.
    assert row["egn"] not in run.output and row["egn"] not in run.report_path.read_text(encoding="utf-8")
    leak_problems = [p for p in run.report["problems"] if "declarations/declarations.csv" in p["text"] and "egn" in p["text"]]
    assert leak_problems and all(row["egn"] not in p["text"] for p in leak_problems)
