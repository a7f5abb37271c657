"""Open data: downloads, data package, JSON API and Atom feeds, from a real build of small registers."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import re
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urljoin

import openpyxl
import pytest
from frictionless import Resource, Schema, formats, validate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.downloads.catalogue import Digest, DownloadFile, Listed
from generator.downloads.data_page import DataPageError, data_page, fill_data_page, pending_files
from generator.downloads.datapackage import Licence, schema_fingerprint
from generator.downloads.schema_history import SCHEMA_HISTORY
from generator.downloads.tables import open_tables
from generator.registers import REGISTERS
from generator.registers.schema import Currency
from generator.render.environment import make_environment
from generator.render.pages import PublishedRegister, Renderer
from tests.builders import (
    OMIT,
    declaration,
    incorrect_declarant,
    item,
    late_filer,
    make_registers,
    opinion,
    penalty_ruling,
    planned_inspection,
    write_export,
)
from tests.conftest import PROJECT, Run, run_portal

ATOM = "{http://www.w3.org/2005/Atom}"
AS_OF = "2026-11-24"

# What the fixture registers hold, and what the rules must keep out.
SHOWN_DECLARATIONS = {"Д-2026-00417", "Д-2"}
WITHHELD_DECLARATION = "Д-2014-1"  # filed more than 10 years before the build
FORMULA = '=HYPERLINK("http://example.com/x","виж")'
AT_FORMULA = "@SUM(A1:A9)"


def _rows() -> dict[str, list[dict]]:
    balev = {"person_id": "P-2", "declaration_id": "Д-2", "full_name": "Огнян Иванов Балев", "body": "Районен съд – Дупница", "filed_on": date(2026, 5, 10)}
    return {
        "declarations": [
            declaration(),
            declaration(**balev),
            declaration(declaration_id=WITHHELD_DECLARATION, filed_on=date(2015, 1, 10), year=2014, type="встъпителна"),
        ],
        "items": [
            item(),
            item(description=FORMULA, section="интереси", value=OMIT, currency=OMIT, area_sqm=OMIT),
            item(description=AT_FORMULA, section="финансови инструменти", value=Decimal("1200.50"), currency=OMIT),
            item(owner="партньор", description="вила в Боровец", partner_publication_refused=True, owner_name="Живко Живков"),
            item(declaration_id=WITHHELD_DECLARATION, description="стар гараж в Кюстендил"),
            item(declaration_id="Д-2", description="лек автомобил", section="превозни средства", value=Decimal("9800"), currency="EUR", registration_plate="КН 1234 АВ", vin="WVWZZZ1JZXW000001"),
        ],
        "late_filers": [late_filer(), late_filer(year=2022, type=None, full_name=None, position=None, body=None, deadline=None, filed_on=None, egn=OMIT, notice_address=OMIT)],
        "incorrect_declarants": [incorrect_declarant(), incorrect_declarant(listed_on=date(2025, 3, 1), full_name="Иво Петров Колев", report_no="ДН-1/2025")],
        "penalty_rulings": [penalty_ruling(), penalty_ruling(number="НП-9/2026", full_name="Калоян Веселинов Дечев", in_force_on=None)],
        "inspection_programme": [
            planned_inspection(),
            planned_inspection(amended_on=date(2026, 6, 1), decision_no="Протокол № 20/01.06.2026", scheduled="III тримесечие"),
            planned_inspection(body="Районен съд – Дупница", inspection_type="тематична", topic="Срокове по граждански дела"),
        ],
        "dp_opinions": [opinion()],
    }


def _private_values(rows: dict[str, list[dict]]) -> list[str]:
    """Every value of a private column in the fixture, as text."""
    private = {name: table.private for register in REGISTERS.values() for table in register.tables for name in [table.name]}
    values = []
    for table, table_rows in rows.items():
        for row in table_rows:
            values += [str(v) for k, v in row.items() if k in private[table] and v not in (None, "")]
    return sorted(set(values))


def _build(root: Path, out: str, rows: dict[str, list[dict]], *extra: str) -> Run:
    make_registers(root, **rows)
    (root / "content").mkdir(exist_ok=True)
    site, report = root / out, root / "build" / f"{out}.json"
    result = run_portal("build", "--registers", str(root / "registers"), "--content", str(root / "content"), "--out", str(site), "--as-of", AS_OF, "--report", str(report), "--config", str(PROJECT / "mkdocs.yml"), *extra)
    return Run(result.returncode, result.stdout + result.stderr, site, report)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[Run, Run]:
    """The same registers built twice, into two sites."""
    root = tmp_path_factory.mktemp("open-data")
    first = _build(root, "site", _rows())
    second = _build(root, "again", _rows())
    assert first.code == 0, first.output
    assert second.code == 0, second.output
    return first, second


@pytest.fixture(scope="module")
def run(runs) -> Run:
    return runs[0]


def _csv(run: Run, table: str) -> list[dict[str, str]]:
    text = (run.site / "data" / f"{table}.csv").read_text(encoding="utf-8")
    assert text.startswith("\ufeff"), "CSV must start with a BOM so Excel reads Cyrillic"
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def _json(run: Run, path: str) -> object:
    return json.loads((run.site / path).read_text(encoding="utf-8"))


def _xlsx_rows(run: Run, workbook: str, sheet: str) -> list[dict[str, object]]:
    book = openpyxl.load_workbook(run.site / "data" / f"{workbook}.xlsx")
    lines = list(book[sheet].iter_rows(values_only=True))
    return [dict(zip(lines[0], line)) for line in lines[1:]]


def _sqlite(run: Run) -> sqlite3.Connection:
    connection = sqlite3.connect(run.site / "data" / "registri.sqlite")
    connection.row_factory = sqlite3.Row
    return connection


# ---------------------------------------------------------------- downloads


def test_every_download_holds_exactly_the_published_declarations(run):
    csv_ids = {r["declaration_id"] for r in _csv(run, "declarations")}
    json_ids = {r["declaration_id"] for r in _json(run, "data/declarations.json")}
    xlsx_ids = {r["declaration_id"] for r in _xlsx_rows(run, "declarations", "declarations")}
    with _sqlite(run) as db:
        sql_ids = {r[0] for r in db.execute("SELECT declaration_id FROM declarations")}
        sql_items = {r[0] for r in db.execute("SELECT description FROM items")}
    assert csv_ids == json_ids == xlsx_ids == sql_ids == SHOWN_DECLARATIONS

    descriptions = {r["description"] for r in _json(run, "data/items.json")}
    assert descriptions == sql_items == {"апартамент, тристаен", FORMULA, AT_FORMULA, "лек автомобил"}
    assert "вила в Боровец" not in descriptions  # the partner refused publication
    assert "стар гараж в Кюстендил" not in descriptions  # its declaration is past retention
    # Items carry their declarant, so a reader can filter them without a join.
    assert {(r["declaration_id"], r["person_id"]) for r in _csv(run, "items")} == {("Д-2026-00417", "P-10417"), ("Д-2", "P-2")}


def test_withheld_records_of_the_other_registers_are_in_no_download(run):
    assert [r["number"] for r in _csv(run, "penalty_rulings")] == ["НП-7/2026"]
    assert [r["full_name"] for r in _csv(run, "incorrect_declarants")] == ["Надежда Василева Кирова"]
    programme = _csv(run, "inspection_programme")
    assert len(programme) == 2
    kyustendil = next(r for r in programme if r["body"] == "Окръжен съд – Кюстендил")
    assert kyustendil["scheduled"] == "III тримесечие" and kyustendil["amended_on"] == "2026-06-01"
    # The "no one was late in 2022" row is data too: the year with an empty name.
    assert sorted((r["year"], r["full_name"]) for r in _csv(run, "late_filers")) == [("2022", ""), ("2025", "Пламен Тодоров Гърков")]
    data = "\n".join(p.read_text(encoding="utf-8-sig") for p in (run.site / "data").glob("*.csv"))
    for name in ("Калоян Веселинов Дечев", "Иво Петров Колев", "вила в Боровец", WITHHELD_DECLARATION):
        assert name not in data


def test_no_private_column_or_value_reaches_any_download_api_or_feed(run):
    private_columns = {c for register in REGISTERS.values() for table in register.tables for c in table.private}
    headers = set()
    for path in (run.site / "data").glob("*.csv"):
        headers |= set(_csv(run, path.stem)[0]) if _csv(run, path.stem) else set()
    public = {f.name for register in REGISTERS.values() for table in register.tables for f in table.fields} | {"record_id", "person_id"}
    assert headers <= public and not (headers & (private_columns - public))

    blobs = []
    for folder in ("data", "api", "feeds"):
        for path in sorted((run.site / folder).rglob("*")):
            if path.suffix == ".xlsx":
                with zipfile.ZipFile(path) as book:
                    blobs += [book.read(name) for name in book.namelist()]
            elif path.is_file():
                blobs.append(path.read_bytes())
    everything = b"\n".join(blobs)
    for value in _private_values(_rows()):
        assert value.encode("utf-8") not in everything, value


def test_csv_is_utf8_with_bom_iso_dates_dot_decimals_and_a_currency_column(run):
    raw = (run.site / "data" / "items.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    items = {r["description"]: r for r in _csv(run, "items")}
    assert items["апартамент, тристаен"]["value"] == "148000.00"
    assert items["апартамент, тристаен"]["area_sqm"] == "86.40"
    assert items["апартамент, тристаен"]["currency"] == "BGN"
    assert items["лек автомобил"]["currency"] == "EUR"
    # Exported without a currency: the one the page shows (leva for a 2025 declaration).
    assert items["'" + AT_FORMULA]["currency"] == "BGN"
    declarations = {r["declaration_id"]: r for r in _csv(run, "declarations")}
    assert declarations["Д-2"]["filed_on"] == "2026-05-10"
    assert list(_csv(run, "declarations")[0]) == [f.name for f in REGISTERS["declarations"].table("declarations").fields]


def test_formulas_are_neutralised_in_csv_and_xlsx(run):
    csv_descriptions = {r["description"] for r in _csv(run, "items")}
    assert "'" + FORMULA in csv_descriptions and "'" + AT_FORMULA in csv_descriptions
    assert FORMULA not in csv_descriptions

    book = openpyxl.load_workbook(run.site / "data" / "declarations.xlsx")
    cells = [row[5] for row in book["items"].iter_rows(min_row=2)]  # the description column
    assert book["items"]["F1"].value == "description"
    formulas = [c for c in cells if str(c.value).lstrip("'").startswith(("=", "@"))]
    assert {c.value for c in formulas} == {"'" + FORMULA, "'" + AT_FORMULA}
    assert all(c.data_type == "s" for c in formulas)
    # JSON is no spreadsheet: it keeps the text as published.
    assert FORMULA in {r["description"] for r in _json(run, "data/items.json")}


def test_xlsx_cells_are_typed(run):
    declarations = {r["declaration_id"]: r for r in _xlsx_rows(run, "declarations", "declarations")}
    assert declarations["Д-2"]["filed_on"] == dt.datetime(2026, 5, 10)
    assert declarations["Д-2"]["year"] == 2025
    items = {r["description"]: r for r in _xlsx_rows(run, "declarations", "items")}
    assert items["апартамент, тристаен"]["value"] == 148000
    assert items["лек автомобил"]["value"] == 9800 and items["лек автомобил"]["currency"] == "EUR"
    rulings = _xlsx_rows(run, "penalty_rulings", "penalty_rulings")
    assert rulings[0]["penalty_amount"] == pytest.approx(255.65)


def test_sqlite_has_keys_indexes_and_full_text_search(run):
    with _sqlite(run) as db:
        indexes = {r["name"] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx_%'")}
        assert {"idx_declarations_person_id", "idx_declarations_body", "idx_declarations_year", "idx_items_person_id", "idx_late_filers_year", "idx_penalty_rulings_body"} <= indexes
        columns = {r["name"]: r["pk"] for r in db.execute("PRAGMA table_info(declarations)")}
        assert columns["declaration_id"] == 1
        assert [tuple(r)[2:4] for r in db.execute("PRAGMA foreign_key_list(items)")] == [("declarations", "declaration_id")]
        # Lower-case Cyrillic finds capitalised names; Datasette finds the index by its content= table.
        found = db.execute("SELECT d.declaration_id FROM declarations_fts f JOIN declarations d ON d.rowid = f.rowid WHERE declarations_fts MATCH 'балев'").fetchall()
        assert [r[0] for r in found] == ["Д-2"]
        assert 'content="declarations"' in db.execute("SELECT sql FROM sqlite_master WHERE name = 'declarations_fts'").fetchone()[0]
        assert db.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH 'автомобил'").fetchone()[0] == 1
        assert tuple(db.execute("SELECT value, currency FROM items WHERE description = 'апартамент, тристаен'").fetchone()) == (148000.0, "BGN")


def test_the_data_package_validates_and_describes_every_download(run):
    package_path = run.site / "data" / "datapackage.json"
    result = subprocess.run([str(Path(sys.executable).parent / "frictionless"), "validate", str(package_path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr

    package = json.loads(package_path.read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    resources = {r["name"]: r for r in package["resources"]}
    assert list(resources) == [t.name for r in REGISTERS.values() for t in r.tables]
    declarations = resources["declarations"]["schema"]
    assert [f["name"] for f in declarations["fields"]] == [f.name for f in REGISTERS["declarations"].table("declarations").fields]
    assert declarations["fields"][0]["title"] == "Входящ номер" and declarations["primaryKey"] == ["declaration_id"]
    assert resources["items"]["schema"]["foreignKeys"] == [{"fields": ["declaration_id"], "reference": {"resource": "declarations", "fields": ["declaration_id"]}}]
    # The XLSX sheets and JSON files hold the same tables: they validate against the same schemas.
    workbooks = {t.name: r.name for r in REGISTERS.values() for t in r.tables}
    for name, resource in resources.items():
        schema = Schema.from_descriptor({**resource["schema"], "foreignKeys": []})
        for candidate in (
            Resource(path=f"{workbooks[name]}.xlsx", basepath=str(run.site / "data"), schema=schema, control=formats.ExcelControl(sheet=name)),
            Resource(path=f"{name}.json", basepath=str(run.site / "data"), schema=schema),
        ):
            report = validate(candidate)
            assert report.valid, (name, candidate.path, report.flatten(["rowNumber", "fieldName", "type", "note"]))


def test_downloads_api_and_feeds_are_byte_identical_for_the_same_input(runs):
    first, second = runs
    for folder in ("data", "api", "feeds"):
        one = {p.relative_to(first.site): p.read_bytes() for p in (first.site / folder).rglob("*") if p.is_file()}
        two = {p.relative_to(second.site): p.read_bytes() for p in (second.site / folder).rglob("*") if p.is_file()}
        assert one == two, folder
    assert first.page("otvoreni-danni") == second.page("otvoreni-danni")


# ---------------------------------------------------------------- data page


def test_the_data_page_lists_every_file_with_size_count_date_and_hash(run):
    page = run.page("otvoreni-danni")
    sums = (run.site / "data" / "SHA256SUMS").read_text(encoding="utf-8")
    files = [run.site / "data" / line.split("  ")[1] for line in sums.splitlines()] + [run.site / "data" / "SHA256SUMS"]
    tables = [t.name for r in REGISTERS.values() for t in r.tables]
    expected = {f"{t}.{suffix}" for t in tables for suffix in ("csv", "json")} | {f"{r}.xlsx" for r in REGISTERS} | {"registri.sqlite", "datapackage.json", "SHA256SUMS"}
    assert {p.name for p in files} == expected
    for path in files:
        assert f'href="../data/{path.name}"' in page, path.name
        if path.name != "SHA256SUMS":
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            assert f"{digest}  {path.name}\n" in sums, path.name
            # On the page in groups of eight, so no run of ten digits looks like an ЕГН to the scan.
            assert ":<wbr>".join(digest[i : i + 8] for i in range(0, 64, 8)) in page, path.name
            # The size the page shows and the one schema.org reads are the written file's (the page
            # was built while the biggest files were still being written: downloads/data_page.py).
            size = path.stat().st_size
            row = re.search(rf'href="../data/{re.escape(path.name)}" download>.*?</tr>', page, re.S)
            assert row and f"<td>{DownloadFile('', '', None, None, size, '').size_text}</td>" in row.group(0), path.name
            assert f'"contentSize": "{size} B"' in page, path.name
    assert "portal-slot" not in page
    assert "<td>42</td>" not in page  # counts are the fixture's, not stale ones
    row = re.search(r'href="../data/declarations.csv".*?</tr>', page, re.S)
    assert row and "<td>2</td>" in row.group(0) and "14.05.2026\u00a0г." in row.group(0)
    assert 'rel="license">CC BY 4.0</a>' in page
    # The column reference comes from the schemas: every label of every table.
    for register in REGISTERS.values():
        for table in register.tables:
            for spec in table.fields:
                assert f"<code>{spec.name}</code>" in page and spec.column.label in page


def test_a_data_page_filled_in_is_the_page_rendered_with_the_written_files():
    listed = [Listed("data/a.csv", "А (CSV)", 3, date(2026, 5, 14)), Listed("data/registri.sqlite", "Всички", None, None)]
    written = [DownloadFile.of(listed[0], Digest(1234567, "0123456789abcdef" * 4)), DownloadFile.of(listed[1], Digest(812, "f" * 64))]
    renderer = Renderer(make_environment())

    def render(files) -> str:
        kwargs = dict(sums="data/SHA256SUMS", tables=[], licence=Licence.named(None), updated=None, schema=None, fingerprint="x")
        return data_page(renderer, files=files, api_example=None, register_feeds=[], body_feed_count=0, person_feed_count=0, site_url=None, **kwargs).content()

    assert fill_data_page(render(pending_files(listed)), written) == render(written)
    assert "1,2\u00a0МБ" in render(written) and "812\u00a0Б" in render(written)


@pytest.mark.parametrize("change", ["drop a slot", "repeat a slot", "a slot past the files"])
def test_a_data_page_without_each_slot_exactly_once_stops_the_build(change):
    files = [DownloadFile("data/a.csv", "А", 1, None, 10, "a" * 64)]
    page = "<td>portal-slot-size-0</td><code>portal-slot-sha-0</code> portal-slot-bytes-0 B"
    page = {"drop a slot": page.replace("portal-slot-sha-0", ""), "repeat a slot": page + " portal-slot-size-0", "a slot past the files": page + " portal-slot-sha-1"}[change]
    with pytest.raises(DataPageError):
        fill_data_page(page, files)


def test_the_data_page_carries_schema_org_dataset(run):
    page = run.page("otvoreni-danni")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert block
    dataset = json.loads(block.group(1))
    assert dataset["@type"] == "Dataset" and dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    urls = {d["contentUrl"] for d in dataset["distribution"]}
    assert "../data/registri.sqlite" in urls and "../data/datapackage.json" in urls
    assert dataset["dateModified"] == "2026-09-30"  # the newest published record (the incorrect-declarant listing)


def test_the_schema_history_notes_the_current_schema():
    """A change of a table or column must be noted for readers: add an entry to schema_history.py."""
    empty = [PublishedRegister(r, {t.name: [] for t in r.tables}) for r in REGISTERS.values()]
    fingerprint = schema_fingerprint(open_tables(empty, date(2026, 11, 24)))
    assert SCHEMA_HISTORY[-1].fingerprint == fingerprint, f"the open-data schema changed: note it in generator/downloads/schema_history.py with fingerprint {fingerprint}"


# ---------------------------------------------------------------- API


def test_the_api_file_of_a_person_matches_their_page(run):
    index = _json(run, "api/v1/index.json")
    people = {p["person_id"]: p for p in index["persons"]}
    assert set(people) == {"P-10417", "P-2"}
    balev = people["P-2"]
    assert balev["full_name_latin"] == "Ognyan Ivanov Balev" and balev["body"] == "Районен съд – Дупница" and balev["years"] == [2025]

    person = _json(run, balev["api"])
    page = run.page(balev["page"].rstrip("/"))
    anchors = set(re.findall(r'<section class="portal-declaration" aria-labelledby="d-([^"]+)"', page))
    assert {d["declaration_id"] for d in person["declarations"]} == anchors == {"Д-2"}
    items = person["declarations"][0]["items"]
    assert [(i["description"], i["value"], i["currency"]) for i in items] == [("лек автомобил", 9800, "EUR")]
    assert "лек автомобил" in page
    # The API holds the same record, field for field, as the JSON download, less what the nesting says.
    assert {**{k: v for k, v in person["declarations"][0].items() if k != "items"}, "person_id": "P-2"} == next(d for d in _json(run, "data/declarations.json") if d["declaration_id"] == "Д-2")
    item = next(i for i in _json(run, "data/items.json") if i["declaration_id"] == "Д-2")
    assert items == [{k: v for k, v in item.items() if k not in ("declaration_id", "person_id")}]


def test_the_api_of_a_body_gathers_every_register(run):
    index = _json(run, "api/v1/index.json")
    body = next(b for b in index["bodies"] if b["body"] == "Окръжен съд – Кюстендил")
    document = _json(run, body["api"])
    assert {p["person_id"] for p in document["persons"]} == {"P-10417"}
    assert [r["declaration_id"] for r in document["declarations"]] == ["Д-2026-00417"]
    assert [r["scheduled"] for r in document["inspection_programme"]] == ["III тримесечие"]
    assert document["penalty_rulings"] == [] and document["late_filers"] == []
    assert [r["number"] for r in document["dp_opinions"]] == ["1/2026"]  # the court asked for the opinion
    assert document["slug"] == "okrazhen-sad-kyustendil" and document["feed"] == "feeds/organi/okrazhen-sad-kyustendil.xml"


# ---------------------------------------------------------------- feeds


def _feeds(run: Run) -> dict[str, ET.Element]:
    return {str(p.relative_to(run.site)): ET.parse(p).getroot() for p in sorted((run.site / "feeds").rglob("*.xml"))}


def _rfc3339(text: str | None) -> dt.datetime:
    assert text is not None
    moment = dt.datetime.fromisoformat(text)
    assert moment.tzinfo is not None
    return moment


def test_feeds_are_atom_1_0_with_every_required_element(run):
    feeds = _feeds(run)
    assert {"feeds/deklaracii.xml", "feeds/nepodali-v-srok.xml", "feeds/nekorektni-deklaratori.xml", "feeds/nakazatelni-postanovlenia.xml", "feeds/programa-za-proverki.xml", "feeds/stanovishta.xml"} <= set(feeds)
    assert {"feeds/lica/P-10417.xml", "feeds/lica/P-2.xml", "feeds/organi/okrazhen-sad-kyustendil.xml", "feeds/organi/rayonen-sad-dupnitsa.xml"} <= set(feeds)
    for path, feed in feeds.items():
        assert feed.tag == f"{ATOM}feed", path
        for required in ("id", "title", "updated"):
            assert len(feed.findall(f"{ATOM}{required}")) == 1, (path, required)
        assert feed.find(f"{ATOM}author/{ATOM}name") is not None, path
        _rfc3339(feed.findtext(f"{ATOM}updated"))
        for entry in feed.findall(f"{ATOM}entry"):
            for required in ("id", "title", "updated"):
                assert len(entry.findall(f"{ATOM}{required}")) == 1, (path, required)
            assert re.fullmatch(r"tag:inspectoratvss\.bg,2026:entry:[a-p]{26}", entry.findtext(f"{ATOM}id", ""))
            _rfc3339(entry.findtext(f"{ATOM}updated"))
            link = entry.find(f"{ATOM}link")
            assert link is not None and link.get("rel", "alternate") == "alternate"
            # The entry's link leads to a page of this site.
            target = unquote(urljoin(f"http://site/{path}", link.get("href", "")).split("#")[0].removeprefix("http://site/"))
            assert (run.site / target / "index.html").is_file(), (path, target)


def test_register_feeds_announce_what_the_issue_asks(run):
    feeds = _feeds(run)
    titles = lambda path: [e.findtext(f"{ATOM}title") for e in feeds[path].findall(f"{ATOM}entry")]  # noqa: E731
    assert titles("feeds/deklaracii.xml") == ["Петя Николова Стоянова: Ежегодна декларация за 2025 г.", "Огнян Иванов Балев: Ежегодна декларация за 2025 г."]
    assert titles("feeds/nakazatelni-postanovlenia.xml") == ["Наказателно постановление № НП-7/2026: Стоян Любомиров Чакъров"]
    assert [t.split(":")[1].strip() for t in titles("feeds/programa-za-proverki.xml")] == ["изменение от 01.06.2026 г.", "приета на 26.03.2026 г."]
    assert len(titles("feeds/nepodali-v-srok.xml")) == 1  # "no one in 2022" is not news
    assert feeds["feeds/deklaracii.xml"].findtext(f"{ATOM}updated") == "2026-05-14T00:00:00+00:00"
    assert titles("feeds/lica/P-2.xml") == ["Огнян Иванов Балев: Ежегодна декларация за 2025 г."]
    body = titles("feeds/organi/okrazhen-sad-kyustendil.xml")
    assert "Петя Николова Стоянова: Ежегодна декларация за 2025 г." in body and "Комплексна проверка: Окръжен съд – Кюстендил (2026 г.)" in body


def test_entry_ids_stay_the_same_when_the_registers_grow(run, tmp_path):
    rows = _rows()
    rows["declarations"].append(declaration(declaration_id="Д-3", person_id="P-3", full_name="Мира Стефанова Лозанова", filed_on=date(2026, 10, 1)))
    rows["penalty_rulings"].append(penalty_ruling(number="НП-11/2026", in_force_on=date(2026, 10, 20)))
    grown = _build(tmp_path, "site", rows)
    assert grown.code == 0, grown.output

    def ids(feed: ET.Element) -> set[str]:
        return {e.findtext(f"{ATOM}id", "") for e in feed.findall(f"{ATOM}entry")}

    before, after = _feeds(run), _feeds(grown)
    for path in before:
        assert ids(before[path]) <= ids(after[path]), path
        assert before[path].findtext(f"{ATOM}id") == after[path].findtext(f"{ATOM}id"), path
    assert len(ids(after["feeds/deklaracii.xml"]) - ids(before["feeds/deklaracii.xml"])) == 1
    assert after["feeds/deklaracii.xml"].find(f"{ATOM}entry/{ATOM}title").text == "Мира Стефанова Лозанова: Ежегодна декларация за 2025 г."  # type: ignore[union-attr]


def test_pages_link_their_feeds_in_the_head_and_visibly(run):
    def alternates(html: str) -> list[str]:
        # rel carries the "alternate" token (feed autodiscovery) plus "feed"; see overrides/main.html.
        return re.findall(r'<link rel="alternate feed" type="application/atom\+xml" title="[^"]*" href="([^"]+)">', html)

    person = run.page("deklaracii/balev-ognyan-ivanov-p-2")
    assert alternates(person) == ["../../feeds/lica/P-2.xml", "../../feeds/organi/rayonen-sad-dupnitsa.xml"]
    assert '<a href="../../feeds/lica/P-2.xml" type="application/atom+xml">Абонирай се: Огнян Иванов Балев: декларации</a>' in person
    register = run.page("nakazatelni-postanovlenia")
    assert alternates(register) == ["../feeds/nakazatelni-postanovlenia.xml"]
    assert "Абонирай се" in register
    assert alternates(run.page("nepodali-v-srok/2025")) == ["../../feeds/nepodali-v-srok.xml"]
    for html, base in ((person, "deklaracii/balev-ognyan-ivanov-p-2/"), (register, "nakazatelni-postanovlenia/")):
        for href in alternates(html):
            assert (run.site / urljoin(f"http://site/{base}", href).removeprefix("http://site/")).is_file()
    body_page = run.site / "organi" / "okrazhen-sad-kyustendil" / "index.html"
    if body_page.is_file():  # body pages come from the pages stage
        assert alternates(body_page.read_text(encoding="utf-8")) == ["../../feeds/organi/okrazhen-sad-kyustendil.xml"]
    assert alternates(run.page("")) == []  # the home page follows nothing in particular


# ---------------------------------------------------------------- failures and the shipped example


def test_hostile_names_and_control_characters_stay_text_in_feeds_spreadsheets_and_the_head(tmp_path, build):
    hostile = 'Петя <script>alert(1)</script> "x" ред\x07с\x1bзнаци Стоянова'
    registers = make_registers(tmp_path, items=[])
    write_export(registers / "declarations" / "declarations.json", [declaration(full_name=hostile)])
    write_export(registers / "declarations" / "declarations_items.json", [item(description="=cmd|' /C calc'!A0\x0b")])

    run = build()

    assert run.code == 0, run.output
    feed = ET.parse(run.site / "feeds" / "lica" / "P-10417.xml").getroot()  # XML that parses: control characters left out
    assert feed.findtext(f"{ATOM}title") == 'Петя <script>alert(1)</script> "x" редсзнаци Стоянова: декларации'
    person = next((run.site / "deklaracii").glob("*p-10417/index.html")).read_text(encoding="utf-8")
    assert "<script>alert" not in person
    assert 'title="Петя &lt;script&gt;alert(1)&lt;/script&gt; &#34;x&#34;' in person
    book = openpyxl.load_workbook(run.site / "data" / "declarations.xlsx")
    assert book["items"]["F2"].value == "'=cmd|' /C calc'!A0" and book["items"]["F2"].data_type == "s"




def test_a_duplicate_key_fails_the_build_naming_both_rows(tmp_path, build):
    make_registers(tmp_path, declarations=[declaration(), declaration(full_name="Друго Име Иванова")], items=[])

    failed = build()

    assert failed.code == 1
    assert "„Д-2026-00417“ (Входящ номер) се среща два пъти (declarations/declarations.csv, ред 2 и declarations/declarations.csv, ред 3)" in failed.report["failure"]


EXAMPLE = PROJECT / "registers"


@pytest.mark.skipif(not all((EXAMPLE / name).is_dir() for name in REGISTERS), reason="the shipped example registers are not complete")
def test_the_shipped_example_registers_give_valid_open_data(tmp_path):
    site, report = tmp_path / "site", tmp_path / "report.json"
    result = run_portal("build", "--registers", str(EXAMPLE), "--content", str(PROJECT / "content"), "--out", str(site), "--as-of", AS_OF, "--report", str(report), "--config", str(PROJECT / "mkdocs.yml"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert validate(str(site / "data" / "datapackage.json")).valid
    published = json.loads(report.read_text(encoding="utf-8"))["registers"]
    with sqlite3.connect(site / "data" / "registri.sqlite") as db:
        for register, summary in published.items():
            for table, count in summary["published"].items():
                assert db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == count, table
                assert len(json.loads((site / "data" / f"{table}.json").read_text(encoding="utf-8"))) == count, table


def test_json_files_are_compact_and_leave_out_empty_fields(run):
    """Half the bytes of a national JSON download were spaces and nulls, and the output scan reads every byte."""
    for path in [run.site / "data" / "items.json", run.site / "api" / "v1" / "index.json", *sorted((run.site / "api" / "v1" / "persons").glob("*.json"))]:
        text = path.read_text(encoding="utf-8")
        assert '": ' not in text and ":null" not in text.replace('"position":null', "").replace('"body":null', ""), path.name
    rows = _json(run, "data/items.json")
    assert all(None not in row.values() for row in rows)  # type: ignore[union-attr]


# ---------------------------------------------------------------- the writers, against the reference encoders
#
# The downloads are written a column at a time (each distinct value made into its field once, rows
# joined at C speed); these check the bytes against what the plain encoders write row by row:
# json.dumps of json_cell values, csv.writer of text_cell values, the SQLite values of _sql_value.

TEXT = st.one_of(st.none(), st.text(alphabet=st.sampled_from([*"aбД ,;\"'\n\r\t=+-@<>&\\/", "\x00", "\x07", "\u2028", "é", "1"]), max_size=8))
AMOUNT = st.one_of(
    st.none(),
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**17), max_value=10**17),
    st.integers(-(10**15), 10**15).map(lambda cents: Decimal(cents).scaleb(-2)),
    st.sampled_from([Decimal("0.00"), Decimal("-0.00"), Decimal("-0"), Decimal("148000.50"), Decimal("1E+3"), Decimal("1.5E+3"), Decimal("0.00001")]),
)


def _item_table(rows: list[tuple[object, ...]]):
    """The open-data items table (its real fields and keys) holding these rows."""
    empty = [PublishedRegister(r, {t.name: [] for t in r.tables}) for r in REGISTERS.values()]
    table = next(t for t in open_tables(empty, date(2026, 11, 24)) if t.name == "items")
    return dataclasses.replace(table, values=tuple(rows))


def _item_row(types: list[type]):
    cells = []
    for kind in types:
        if kind is Decimal:
            cells.append(AMOUNT)
        elif kind is bool:
            cells.append(st.one_of(st.none(), st.booleans()))
        elif kind is int:
            cells.append(st.one_of(st.none(), st.integers(-3000, 3000)))
        elif issubclass(kind, Currency):
            cells.append(st.one_of(st.none(), st.sampled_from([Currency("BGN"), Currency("EUR")])))
        else:
            cells.append(TEXT)
    return st.tuples(*cells)


ITEM_TYPES = [f.type for f in _item_table([]).fields]  # record_id, declaration_id, person_id, section…


@pytest.fixture
def small_chunks(monkeypatch):
    """Slices of three rows, so that every writer carries its caches and spans across slices."""
    from generator.downloads.tables import DataTable

    chunks = DataTable.chunks
    monkeypatch.setattr(DataTable, "chunks", lambda self, size=3: chunks(self, size))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(_item_row(ITEM_TYPES), max_size=12))
def test_json_and_csv_are_written_as_the_plain_encoders_write_them(small_chunks, rows):
    from generator.downloads.csv_out import BOM, write_csv
    from generator.downloads.json_out import encode, json_texts, write_json_table
    from generator.downloads.tables import json_cell, text_cell

    table = _item_table(rows)
    assert [f.type for f in table.fields] == ITEM_TYPES
    names = table.names
    objects = [encode({k: json_cell(v) for k, v in zip(names, row) if v is not None}) for row in rows]

    out = io.BytesIO()
    spans = write_json_table(table, out, "declaration_id")
    data = out.getvalue()
    assert data.decode("utf-8") == ("[\n" + ",\n".join(objects) + "\n]\n" if objects else "[]\n")
    for value, where in spans.items():  # the API reads a declaration's rows back from these
        assert b",\n".join(data[at : at + length] for at, length in where) == ",\n".join(o for o, r in zip(objects, rows) if r[1] == value).encode("utf-8")
    assert set(spans) == {r[1] for r in rows}
    assert json_texts(table) == objects
    leaving_out = [encode({k: json_cell(v) for k, v in zip(names, row) if v is not None and k != "person_id"}) for row in rows]
    assert json_texts(table, leave_out=("person_id",)) == leaving_out

    expected = io.StringIO()
    expected.write(BOM)
    writer = csv.writer(expected, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows([[text_cell(v) for v in row] for row in rows])
    out = io.BytesIO()
    write_csv(table, out)
    assert out.getvalue().decode("utf-8") == expected.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(_item_row(ITEM_TYPES), max_size=10), declaration=st.sampled_from(["Д-1", "Д-2"]))
def test_the_api_reads_a_declarations_items_back_without_what_the_nesting_says(small_chunks, tmp_path_factory, rows, declaration):
    from generator.downloads.api import ItemReader
    from generator.downloads.json_out import encode, write_json_table
    from generator.downloads.tables import json_cell

    # Every item has its record_id (the key), and the declaration's person_id where it has one.
    rows = sorted([(f"id-{n}", declaration if n % 2 else "Д-1", "P-1" if n % 3 else None, *row[3:]) for n, row in enumerate(rows)], key=lambda r: r[1])
    table = _item_table(rows)
    path = tmp_path_factory.mktemp("api") / "items.json"
    with path.open("wb") as out:
        spans = write_json_table(table, out, "declaration_id")
    names = table.names
    for columns in (names, None):  # the implied members taken out together, or one by one
        reader = ItemReader(path, spans, ["declaration_id", "person_id"], columns)
        try:
            for person in ("P-1", None):
                got = reader({"declaration_id": "Д-1", "person_id": person}).decode("utf-8")
                implied = {"declaration_id": "Д-1", **({"person_id": person} if person else {})}
                kept = [encode({k: json_cell(v) for k, v in zip(names, r) if v is not None and not (k in implied and implied[k] == v)}) for r in rows if r[1] == "Д-1"]
                assert got == ",\n".join(kept)
        finally:
            reader.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(_item_row(ITEM_TYPES), max_size=10))
def test_sqlite_holds_the_values_and_null_for_every_empty_cell(small_chunks, tmp_path_factory, rows):
    from generator.downloads.sqlite_out import PAGE_SIZE, _sql_value, write_sqlite

    required = [f.column.required for f in _item_table([]).fields]
    rows = [(f"id-{n}", *("x" if v is None and must else v for v, must in zip(row[1:], required[1:]))) for n, row in enumerate(rows)]  # keys, NOT NULL columns
    path = tmp_path_factory.mktemp("sqlite") / "registri.sqlite"
    write_sqlite([_item_table(rows)], path)
    with sqlite3.connect(path) as db:
        stored = db.execute("SELECT * FROM items ORDER BY rowid").fetchall()
        types = db.execute(f"SELECT {', '.join(f'typeof({n})' for n in _item_table([]).names)} FROM items ORDER BY rowid").fetchall()
        assert db.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # An empty cell is bound as a NaN, which SQLite stores as NULL: never as a number.
    assert [tuple(t == "null" for t in row) for row in types] == [tuple(v is None for v in row) for row in rows]
    expected = [tuple(None if v is None else _sql_value(v) for v in row) for row in rows]
    assert [tuple(float(v) if isinstance(v, int) and isinstance(e, float) else v for v, e in zip(row, want)) for row, want in zip(stored, expected)] == expected


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(TEXT.filter(lambda t: t is not None), max_size=12), amounts=st.lists(AMOUNT, max_size=12))
def test_xlsx_texts_and_amounts_are_made_as_cell_by_cell(texts, amounts):
    from generator.downloads.xlsx_out import STYLE_AMOUNT, SharedStrings, _amount_cells, _shared_text, _shared_texts

    assert _shared_texts(texts) == "".join(_shared_text(t) for t in texts)
    assert _amount_cells(amounts) == ["<c/>" if v is None else f'<c s="{STYLE_AMOUNT}"><v>{v:f}</v></c>' for v in amounts]
    # Numbered as first met, whether the texts are new to the workbook or not.
    strings, reference = SharedStrings(), {}
    for batch in (list(dict.fromkeys(texts[:5])), list(dict.fromkeys(texts))):
        numbers = [reference.setdefault(t, len(reference)) for t in batch]
        assert list(strings.cells(batch)) == [f'<c t="s"><v>{n}</v></c>' for n in numbers]
    assert strings.index == reference


@settings(max_examples=150, deadline=None)
@given(
    key=st.lists(st.tuples(st.sampled_from(["a", "b", "Б"]), st.one_of(st.none(), st.sampled_from([Decimal("1"), Decimal("1.00"), Decimal("2.5")]))), max_size=30),
    rest=st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=30, max_size=30),
)
def test_rows_are_ordered_and_numbered_as_by_the_whole_tuple(key, rest):
    from generator.downloads.tables import LAST, _number_duplicates, _order, stable_tokens
    from generator.tokens import stable_token

    columns = [list(c) for c in zip(*key)] or [[], []]
    other = rest[: len(key)]
    whole = [tuple(LAST if v is None else v for v in (*k, r)) for k, r in zip(key, other)]
    assert _order(columns, [other]) == sorted(range(len(key)), key=whole.__getitem__)

    texts = [f"items|{a}|{'' if b is None else b}" for a, b in key]
    ids = stable_tokens(texts)
    assert ids == [stable_token(t) for t in texts]
    rows = [(i, n) for n, i in enumerate(ids)]
    _number_duplicates(rows, 0, ids)
    seen: dict[str, int] = {}
    expected = []
    for base in ids:
        seen[base] = seen.get(base, 0) + 1
        expected.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    assert [r[0] for r in rows] == expected and [r[1] for r in rows] == list(range(len(ids)))


def test_a_feed_entry_is_written_the_same_wherever_it_was_written_before():
    from generator.downloads.entries import Entry
    from generator.downloads.feeds import EntryLines, Feed, atom

    entry = Entry("declarations/Д-1", "Име: <декларация> & \x07", date(2026, 5, 1), "Текст „х“ & <b>", "deklaracii/ime-p-1.md", "d-Д-1")
    other = Entry("declarations/Д-2", "Друго", date(2026, 4, 1), "Текст", "deklaracii/ime-p-1.md")
    feeds = [Feed(path, "Заглавие", "deklaracii/index.md", (entry, other), date(2026, 11, 24)) for path in ("feeds/deklaracii.xml", "feeds/lica/P-1.xml", "feeds/organi/sad.xml")]
    for site_url in (None, "https://example.org/registri/"):
        shared = EntryLines(site_url)
        for feed in feeds:  # one cache for the build gives each feed what a fresh one gives
            assert atom(feed, "CC BY 4.0", site_url, shared) == atom(feed, "CC BY 4.0", site_url, EntryLines(site_url))
    lines = atom(feeds[0], "CC BY 4.0", None).splitlines() + atom(feeds[1], "CC BY 4.0", None).splitlines()
    assert '<link href="../deklaracii/ime-p-1/#d-Д-1"/>' in "".join(lines) and '<link href="../../deklaracii/ime-p-1/#d-Д-1"/>' in "".join(lines)
    assert "&lt;декларация&gt; &amp; </title>" in "".join(lines)


def test_sqlite_empty_cells_are_null_and_the_search_ranks_by_relevance(run):
    with _sqlite(run) as db:
        items = {r["description"]: r for r in db.execute("SELECT description, typeof(area_sqm) AS area, typeof(value) AS value, typeof(partner_publication_refused) AS refused FROM items")}
        assert (items["апартамент, тристаен"]["area"], items["апартамент, тристаен"]["value"], items["апартамент, тристаен"]["refused"]) == ("real", "real", "integer")
        assert (items[FORMULA]["area"], items[FORMULA]["value"]) == ("null", "null")  # exported without them
        ranked = db.execute("SELECT rowid, bm25(items_fts) FROM items_fts WHERE items_fts MATCH 'автомобил OR тристаен' ORDER BY rank").fetchall()
        assert len(ranked) == 2 and all(score < 0 for _, score in ranked)
