"""Malformed and hostile exports: the build never crashes, names file/row/field, and renders no injected code."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.read import ReadError, read_export
from tests.builders import declaration, item, make_registers, opinion

SUFFIXES = (".csv", ".xlsx", ".json", ".yaml", ".md")
HOSTILE = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "[y](JaVa\tScRiPt:alert(2))",
        "=HYPERLINK(\"http://evil.example\",\"x\")",
        "+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "ред\x00с\x07контролни\x1bзнаци",
        "{{ 7*7 }} {% raw %}",
        "---\ntitle: x\n---",
        "ä" * 20000,
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_readers_raise_only_read_error_on_garbage(tmp_path, data, suffix):
    path = tmp_path / f"export{suffix}"
    path.write_bytes(data)
    try:
        read_export(path)
    except ReadError as error:
        assert error.message


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(max_size=400),
    delimiter=st.sampled_from([",", ";"]),
    cut=st.integers(min_value=0, max_value=400),
)
def test_truncated_and_mixed_csv_never_crash(tmp_path, text, delimiter, cut):
    body = f"declaration_id{delimiter}full_name;filed_on,year\n{text}".encode("utf-8", "replace")
    path = tmp_path / "mixed.csv"
    path.write_bytes(body[: len(body) - cut] if cut < len(body) else body)
    try:
        table = read_export(path)
    except ReadError:
        return
    assert all(row.number >= 2 for row in table.rows)


class _Elements(HTMLParser):
    """Every element, attribute and script body of a page, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.handlers: list[str] = []
        self.links: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handlers += [f"{tag} {name}" for name, _ in attrs if name.startswith("on")]
        self.links += [value or "" for name, value in attrs if name in ("href", "src", "action")]
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def _assert_nothing_injected(site: Path) -> None:
    for page in site.rglob("*.html"):
        parsed = _Elements()
        parsed.feed(page.read_text(encoding="utf-8"))
        assert parsed.handlers == [], page
        assert not any("alert(" in script for script in parsed.scripts), page
        assert not any(re.sub(r"[\x00-\x20]", "", link).lower().startswith(("javascript:", "vbscript:", "data:")) for link in parsed.links), page


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(hostile=st.lists(HOSTILE, min_size=3, max_size=3), fmt=st.sampled_from([".csv", ".json", ".xlsx"]))
def test_hostile_text_in_every_field_is_shown_as_text(tmp_path_factory, hostile, fmt):
    from tests.conftest import PROJECT, run_portal
    from tests.builders import write_export

    root = tmp_path_factory.mktemp("hostile")
    make_registers(root, items=[item(description=hostile[0], legal_basis=hostile[1])], dp_opinions=[opinion(text=f"Текст {hostile[2]} край.")])
    middle = hostile[1][:30]
    if fmt == ".xlsx":  # a workbook cannot hold control characters at all: Excel never exports them
        middle = "".join(c for c in middle if c >= " ")
    write_export(root / "registers" / "declarations" / f"declarations{fmt}", [declaration(full_name=f"Петя {middle} Стоянова", document="javascript:alert(3)")])
    result = run_portal(
        "build", "--registers", str(root / "registers"), "--content", str(root / "content"), "--out", str(root / "site"),
        "--as-of", "2026-11-24", "--report", str(root / "report.json"), "--config", str(PROJECT / "mkdocs.yml"),
    )  # fmt: skip

    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
    _assert_nothing_injected(root / "site")


def test_a_bad_xlsx_names_the_file_and_the_rest_is_published(tmp_path, build):
    make_registers(tmp_path, declarations=[declaration(person_id="P-1")], items=[])
    bad = tmp_path / "registers" / "declarations" / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    from generator.approval import write_sidecar

    write_sidecar(bad, "Тест", __import__("datetime").date(2026, 11, 20))

    run = build()

    assert run.code == 0, run.output
    assert any(p.startswith("declarations/broken.xlsx: файлът не може да бъде прочетен") for p in run.problems())
    assert "Петя Николова Стоянова" in run.page("deklaracii/stoyanova-petya-nikolova-p-1")


def test_merged_cells_in_an_xlsx_export_are_read_from_their_top_left_cell(tmp_path, build):
    from openpyxl import Workbook

    from generator.approval import write_sidecar

    make_registers(tmp_path, declarations=[], items=[])
    book = Workbook()
    sheet = book.active
    sheet.append(["declaration_id", "filed_on", "year", "type", "person_id", "full_name", "position", "body"])
    sheet.append(["Д-1", "14.05.2026", 2025, "ежегодна", "P-1", "Петя Николова Стоянова", "съдия", "Окръжен съд – Кюстендил"])
    sheet.append(["Д-2", "14.05.2026", 2025, "ежегодна", "P-2", "Огнян Иванов Балев", "съдия", None])
    sheet.merge_cells("H2:H3")  # one body typed across two rows, as people do in Excel
    sheet.merge_cells("A4:H4")
    sheet["A4"] = "=HYPERLINK(\"http://evil.example\",\"x\")"
    export = tmp_path / "registers" / "declarations" / "merged.xlsx"
    book.save(export)
    write_sidecar(export, "Тест", __import__("datetime").date(2026, 11, 20))

    run = build()

    assert run.code == 0, run.output
    assert "Окръжен съд – Кюстендил" in run.page("deklaracii/stoyanova-petya-nikolova-p-1")
    assert "Огнян Иванов Балев" in run.page("deklaracii/balev-ognyan-ivanov-p-2")
    # A formula without a value Excel computed is an empty row: nothing of it is published.
    assert run.problems() == []
    assert "evil.example" not in run.all_text()
