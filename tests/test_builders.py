"""The fixture builder writes every export format with a matching approval sidecar.

These tests read the files back with the standard library, openpyxl and PyYAML only:
they must not depend on generator/read/, which the builder is there to test.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from stdnum import iban
from stdnum.bg import egn

from tests.builders import (
    DEFAULT_APPROVED_BY,
    FACTORIES,
    OMIT,
    declaration,
    excel_serial,
    item,
    late_filer,
    make_content,
    make_egn,
    make_iban,
    make_registers,
    opinion,
    union_columns,
    write_export,
)
from generator.approval import Approval, sidecar_of, verify_approval
from generator.report import Problem

PROJECT = Path(__file__).resolve().parents[1]

ROWS = [
    {"year": 2025, "full_name": "Пламен Тодоров Гърков", "deadline": date(2025, 5, 15), "amount": Decimal("1234.50")},
    {"year": 2025, "full_name": "Ива Колева", "filed_on": "03.06.2025 г.", "refused": True},
]


def read_csv_bytes(data: bytes, encoding: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(encoding), newline=""), delimiter=delimiter))


@pytest.mark.parametrize("name", ["export.csv", "export.xlsx", "export.json", "export.yaml", "export.md"])
def test_every_format_gets_a_sidecar_whose_hash_matches(tmp_path, name):
    rows = ROWS[:1] if name.endswith(".md") else ROWS
    export = write_export(tmp_path / "late_filers" / name, rows, approved_on=date(2026, 11, 18))
    approval = verify_approval(export)
    assert isinstance(approval, Approval), approval
    assert approval.approved_by == DEFAULT_APPROVED_BY
    assert approval.approved_on == date(2026, 11, 18)
    assert sidecar_of(export).name == export.stem + ".approval.yaml"


def test_a_changed_export_no_longer_matches_its_sidecar(tmp_path):
    export = write_export(tmp_path / "x.csv", ROWS)
    export.write_bytes(export.read_bytes() + b"2025,,\r\n")
    assert isinstance(verify_approval(export), Problem)


def test_approve_false_writes_no_sidecar(tmp_path):
    export = write_export(tmp_path / "draft.csv", ROWS, approve=False)
    assert export.is_file()
    assert not sidecar_of(export).exists()
    assert isinstance(verify_approval(export), Problem)


def test_columns_are_the_union_of_row_keys_in_first_seen_order():
    assert union_columns(ROWS) == ["year", "full_name", "deadline", "amount", "filed_on", "refused"]


@pytest.mark.parametrize(
    ("encoding", "delimiter", "starts_with"),
    [("utf-8", ",", b"year,"), ("utf-8-sig", ",", b"\xef\xbb\xbfyear,"), ("cp1251", ";", b"year;")],
)
def test_csv_encodings_and_delimiters(tmp_path, encoding, delimiter, starts_with):
    export = write_export(tmp_path / "x.csv", ROWS, encoding=encoding, delimiter=delimiter)
    data = export.read_bytes()
    assert data.startswith(starts_with)
    if encoding == "cp1251":
        assert "Гърков".encode("cp1251") in data
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
    header, first, second = read_csv_bytes(data, encoding, delimiter)
    assert header[0].lstrip("\ufeff") == "year"
    assert first == ["2025", "Пламен Тодоров Гърков", "2025-05-15", "1234.50", "", ""]
    assert second == ["2025", "Ива Колева", "", "", "03.06.2025 г.", "true"]


def test_csv_header_only_with_explicit_columns(tmp_path):
    export = write_export(tmp_path / "x.csv", [], columns=["year", "full_name"])
    assert export.read_bytes() == b"year,full_name\r\n"


def test_xlsx_writes_date_cells_or_excel_serials(tmp_path):
    cells = write_export(tmp_path / "cells.xlsx", ROWS)
    serials = write_export(tmp_path / "serials.xlsx", ROWS, excel_serial_dates=True)
    sheet = load_workbook(cells).active
    assert [c.value for c in sheet[1]] == union_columns(ROWS)
    assert sheet["C2"].is_date and sheet["C2"].value == datetime(2025, 5, 15)
    assert sheet["E3"].value == "03.06.2025 г."  # strings pass through as typed
    assert sheet["F3"].value is True
    serial = load_workbook(serials).active["C2"]
    assert not serial.is_date and serial.value == excel_serial(date(2025, 5, 15)) == 45792


def test_xlsx_is_byte_identical_when_written_again(tmp_path):
    first = write_export(tmp_path / "a" / "x.xlsx", ROWS).read_bytes()
    second = write_export(tmp_path / "b" / "x.xlsx", ROWS).read_bytes()
    assert first == second


def test_json_list_wrapper_and_nested_items(tmp_path):
    rows = [declaration(items=[item(declaration_id=OMIT)])]
    plain = json.loads(write_export(tmp_path / "d.json", rows).read_text(encoding="utf-8"))
    wrapped = json.loads(write_export(tmp_path / "w.json", rows, json_wrapper="records").read_text(encoding="utf-8"))
    assert isinstance(plain, list) and wrapped == {"records": plain}
    assert plain[0]["filed_on"] == "2026-05-14"
    assert plain[0]["items"][0]["value"] == "148000.00"
    assert "declaration_id" not in plain[0]["items"][0]


def test_yaml_keeps_dates_as_dates(tmp_path):
    loaded = yaml.safe_load(write_export(tmp_path / "p.yaml", ROWS).read_text(encoding="utf-8"))
    assert loaded[0]["deadline"] == date(2025, 5, 15)
    assert loaded[0]["amount"] == "1234.50"
    assert loaded[1]["filed_on"] == "03.06.2025 г."


def test_markdown_front_matter_and_body(tmp_path):
    export = write_export(tmp_path / "1-2026.md", [opinion()])
    text = export.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    assert meta["number"] == "1/2026" and meta["session_date"] == date(2026, 2, 18)
    assert "text" not in meta
    assert body.strip().startswith("## Въпрос")
    with pytest.raises(ValueError):
        write_export(tmp_path / "two.md", [opinion(), opinion()])


def test_make_registers_lays_out_the_registers_folder(tmp_path):
    registers = make_registers(
        tmp_path,
        declarations=[declaration()],
        items=[item(), item(section="доходи", value="78 420,00")],
        late_filers=[],
        dp_opinions=[opinion(), opinion(number="2/2026")],
    )
    assert registers == tmp_path / "registers"
    exports = sorted(p.relative_to(registers).as_posix() for p in registers.rglob("*") if p.is_file() and not p.name.endswith(".approval.yaml"))
    assert exports == [
        "declarations/declarations.csv",
        "declarations/declarations_items.csv",
        "dp_opinions/1-2026.md",
        "dp_opinions/2-2026.md",
        "late_filers/late_filers.csv",
    ]
    for name in exports:
        assert isinstance(verify_approval(registers / name), Approval)
    header = (registers / "late_filers/late_filers.csv").read_text(encoding="utf-8").strip().split(",")
    assert header == list(late_filer())


def test_make_registers_refuses_an_unknown_table(tmp_path):
    with pytest.raises(TypeError, match="gdpr_violations"):
        make_registers(tmp_path, gdpr_violations=[{}])


def test_make_content_writes_one_page(tmp_path):
    content = make_content(tmp_path)
    pages = list(content.glob("*.md"))
    assert len(pages) == 1
    assert pages[0].read_text(encoding="utf-8").startswith("---\ntitle: За Инспектората\n")


def test_factories_take_overrides_and_omit():
    row = late_filer(full_name=None, egn=OMIT)
    assert row["full_name"] is None and "egn" not in row
    assert declaration(year=2019)["year"] == 2019


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_factory_private_identifiers_are_realistic(name):
    row = FACTORIES[name]()
    for key in ("egn", "owner_egn"):
        if key in row:
            assert egn.is_valid(row[key])
    assert all(value != "" for value in row.values())


def test_synthetic_identifiers_are_checksum_valid():
    for serial in range(60):
        for female in (False, True):
            number = make_egn(date(2001, 3, 5), serial, female=female)
            assert egn.is_valid(number) and egn.get_birth_date(number) == date(2001, 3, 5)
            assert int(number[8]) % 2 == female
    assert iban.is_valid(make_iban("UNCR", "7000", "1522345678"))


def test_xlsx_bytes_do_not_depend_on_lxml(tmp_path):
    """openpyxl writes XML differently with and without lxml; the builder's output must not change."""
    pytest.importorskip("lxml")
    script = "import sys; from pathlib import Path; from tests.builders import write_export; from tests.test_builders import ROWS; write_export(Path(sys.argv[1]), ROWS)"
    outputs = []
    for flag in ("True", "False"):
        target = tmp_path / flag / "x.xlsx"
        env = {**os.environ, "OPENPYXL_LXML": flag}
        subprocess.run([sys.executable, "-c", script, str(target)], cwd=PROJECT, env=env, check=True)
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]


def test_the_shipped_example_set_is_what_its_script_writes(tmp_path):
    """registers/ is generated: after a change to the builder or the script, rerun tools/make_example_registers.py."""
    subprocess.run([sys.executable, str(PROJECT / "tools" / "make_example_registers.py"), "--out", str(tmp_path)], check=True, capture_output=True)
    shipped = PROJECT / "registers"
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    expected = sorted(p.relative_to(shipped) for p in shipped.rglob("*") if p.is_file() and p.parent != shipped)
    assert written == expected
    for name in written:
        assert (tmp_path / name).read_bytes() == (shipped / name).read_bytes(), name
