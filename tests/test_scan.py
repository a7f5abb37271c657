"""The scan of every output byte: small fake sites on disk, one per way a value can hide."""

from __future__ import annotations

import gzip
import html
import io
import json
import re
import sqlite3
import subprocess
import sys
import time
import zipfile
from itertools import pairwise
from pathlib import Path

import openpyxl
import pytest

from generator.scan import Leak, PrivateValue, mask, needles, scan_site

sys.path.insert(0, str(Path(__file__).parent))  # the planted corpus lives beside the tests
from planted.corpus import DECOYS, EGNS, IBANS, LNCHS  # noqa: E402

SOURCE = "registers/declarations/2025.csv"

EGN = EGNS[0]
OWNER = "Мария Георгиева Петрова"  # a family member: her name is private (owner_name)
ADDRESS = "ул. „Г. С. Раковски“ № 12, ет. 3"
PHONE = "+359 88 765 4321"
IBAN = IBANS[1]

PRIVATE = [
    PrivateValue(EGN, SOURCE, 2, "egn"),
    PrivateValue(OWNER, "registers/declarations/2025-items.csv", 7, "owner_name"),
    PrivateValue(ADDRESS, SOURCE, 3, "address"),
    PrivateValue(PHONE, SOURCE, 4, "phone"),
    PrivateValue(IBAN, "registers/declarations/2025-items.csv", 9, "iban"),
]
RAW_VALUES = [pv.value for pv in PRIVATE]

CLEAN_PAGE = (
    "<!doctype html><html lang='bg'><head><meta charset='utf-8'><title>Декларации</title>"
    "<style>.x{width:33.33333333%}</style></head><body><main><h1>Анна Петрова Иванова</h1>"
    "<p>" + " ".join(html.escape(d.text) for d in DECOYS) + "</p></main></body></html>"
)


def make_site(root: Path, files: dict[str, str | bytes]) -> Path:
    """A site folder with the given files (text is written as UTF-8)."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
    return root


def xlsx_bytes(tmp_path: Path, rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    path = tmp_path / "book.xlsx"
    book.save(path)
    return path.read_bytes()


def sqlite_bytes(tmp_path: Path, rows: list[tuple[str, str]]) -> bytes:
    path = tmp_path / "data.sqlite"
    tmp_path.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE declarations (full_name TEXT, note TEXT)")
        db.executemany("INSERT INTO declarations VALUES (?, ?)", rows)
    return path.read_bytes()


def leaks_by_file(leaks: list[Leak]) -> dict[str, list[Leak]]:
    result: dict[str, list[Leak]] = {}
    for leak in leaks:
        result.setdefault(leak.output_file, []).append(leak)
    return result


def assert_no_raw_value(leaks: list[Leak]) -> None:
    """Neither a Leak's fields nor its repr nor its message may hold a private value."""
    for leak in leaks:
        shown = repr(leak) + leak.describe() + repr(leak.as_problem())
        for value in RAW_VALUES:
            assert value not in shown
            assert "".join(value.split()) not in "".join(shown.split())


# --- each hiding place ------------------------------------------------------------------


def test_a_clean_site_has_no_leak(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "site",
        {
            "index.html": CLEAN_PAGE,
            "data/declarations.json": json.dumps({"body": "Окръжен съд – Кюстендил", "case": "гр. д. № 1234/2025"}),
            "data/declarations.csv": "full_name,body,year\nАнна Петрова Иванова,Окръжен съд – Кюстендил,2025\n",
            "sitemap.xml": "<urlset><url><loc>https://example.bg/</loc><lastmod>2025-03-15</lastmod></url></urlset>",
        },
    )
    assert scan_site(site, PRIVATE) == []


def test_html_with_an_escaped_private_value(tmp_path: Path) -> None:
    escaped = "".join(f"&#{ord(c)};" for c in OWNER[:5]) + OWNER[5:]  # "&#1052;&#1072;…я Георгиева Петрова"
    site = make_site(
        tmp_path / "site",
        {"hora/petrova.html": f"<p>Съпруга: {escaped}</p><p>Адрес: ул. &bdquo;Г. С. Раковски&ldquo; &#8470; 12, <b>ет. 3</b></p>"},
    )
    leaks = scan_site(site, PRIVATE)
    sources = {(l.output_file, l.source_column, l.source_row) for l in leaks}
    assert ("hora/petrova.html", "owner_name", 7) in sources
    assert ("hora/petrova.html", "address", 3) in sources
    assert_no_raw_value(leaks)


def test_a_value_between_escaped_angle_brackets_is_text_a_reader_sees(tmp_path: Path) -> None:
    # "Иван Петров <ivan@…>" written escaped on a page, or raw in a JSON string: decoded, it looks
    # like a tag, but a reader sees the address and the name.
    email = PrivateValue("ivan.petrov@example.com", SOURCE, 5, "email")
    site = make_site(tmp_path / "site", {
        "a.html": "<p>Иван Петров &lt;ivan.petrov@example.com&gt;</p>",
        "b.html": f"<p>собственик &lt;{html.escape(OWNER)}&gt;</p>",
        "c.json": json.dumps({"note": "Иван Петров <ivan.petrov@example.com>"}, ensure_ascii=False),
    })  # fmt: skip

    found = sorted((leak.output_file, leak.kind) for leak in scan_site(site, [*PRIVATE, email]))

    assert found == [("a.html", "email"), ("b.html", "private_value"), ("c.json", "email")]


def test_json_with_unicode_escapes(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"api/items.json": json.dumps({"owner": OWNER, "value": 1200})})
    assert "\\u041c" in (site / "api/items.json").read_text()
    [leak] = scan_site(site, PRIVATE)
    assert (leak.output_file, leak.kind, leak.source_file, leak.source_row, leak.source_column) == (
        "api/items.json",
        "private_value",  # a name: no identifier pattern knows it, only this build's inputs
        "registers/declarations/2025-items.csv",
        7,
        "owner_name",
    )
    assert leak.masked == "име Ма*******************ва"


def test_gzip_compressed_pagefind_fragment(tmp_path: Path) -> None:
    fragment = b"pagefind_dcd" + json.dumps({"content": f"ЕГН {EGN}, тел. 0888 76 54 32"}, ensure_ascii=False).encode()
    site = make_site(tmp_path / "site", {"pagefind/fragment/bg_1a2b3c.pf_fragment": gzip.compress(fragment)})
    leaks = scan_site(site, PRIVATE)
    by_kind = {l.kind: l for l in leaks}
    assert by_kind["egn"].source_column == "egn" and by_kind["egn"].source_row == 2  # an identifier, and its source
    assert by_kind["phone"].source_file is None  # an identifier no input declared: still a leak
    assert {l.output_file for l in leaks} == {"pagefind/fragment/bg_1a2b3c.pf_fragment"}
    assert_no_raw_value(leaks)


def test_xlsx_download(tmp_path: Path) -> None:
    content = xlsx_bytes(tmp_path, [["full_name", "iban"], ["Анна Петрова Иванова", IBAN]])
    site = make_site(tmp_path / "site", {"downloads/declarations.xlsx": content})
    leaks = scan_site(site, PRIVATE)
    assert {(l.output_file, l.source_column) for l in leaks} == {("downloads/declarations.xlsx", "iban")}
    assert_no_raw_value(leaks)


def test_sqlite_download(tmp_path: Path) -> None:
    content = sqlite_bytes(tmp_path, [("Анна Петрова Иванова", f"тел. {PHONE}")])
    site = make_site(tmp_path / "site", {"downloads/portal.sqlite": content})
    leaks = scan_site(site, PRIVATE)
    assert {(l.output_file, l.source_column, l.source_row) for l in leaks} == {("downloads/portal.sqlite", "phone", 4)}
    assert_no_raw_value(leaks)


def test_text_in_a_full_text_index_of_sqlite_is_searched_where_it_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "fts.sqlite"
    with sqlite3.connect(path) as db:
        # An index that keeps its own text (in notes_fts_content), and one over another table's.
        db.execute("CREATE VIRTUAL TABLE notes_fts USING fts5(note)")
        db.execute("INSERT INTO notes_fts VALUES (?)", (f"тел. {PHONE}",))
        db.execute("CREATE TABLE items (description TEXT)")
        db.execute("CREATE VIRTUAL TABLE items_fts USING fts5(description, content='items')")
        db.execute("INSERT INTO items VALUES (?)", (f"сметка {IBAN}",))
        db.execute("INSERT INTO items_fts (rowid, description) SELECT rowid, description FROM items")
    site = make_site(tmp_path / "site", {"data/fts.sqlite": path.read_bytes()})
    leaks = scan_site(site, PRIVATE)
    assert sorted((l.output_file, l.source_column) for l in leaks) == [("data/fts.sqlite", "iban"), ("data/fts.sqlite", "phone")]


def test_zip_download_and_gzip_sitemap(tmp_path: Path) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("declarations.csv", f'full_name,note\nАнна Петрова Иванова,"{ADDRESS}"\n')  # a cell: quoted, it has a comma
    sitemap = gzip.compress(f"<urlset><url><loc>https://example.bg/{EGN}</loc></url></urlset>".encode())
    site = make_site(tmp_path / "site", {"downloads/all.zip": archive.getvalue(), "sitemap.xml.gz": sitemap})
    leaks = scan_site(site, PRIVATE)
    assert {(l.output_file, l.source_column) for l in leaks} == {("downloads/all.zip", "address"), ("sitemap.xml.gz", "egn")}
    assert_no_raw_value(leaks)


def test_a_phone_is_found_in_another_writing(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"feed.xml": "<entry><summary>088 765 4321</summary></entry>"})
    [leak] = scan_site(site, PRIVATE)
    assert (leak.kind, leak.source_column) == ("phone", "phone")


def test_theme_code_is_searched_for_private_values_only(tmp_path: Path) -> None:
    lnch_in_code = LNCHS[0]  # passes the ЛНЧ checksum: in prose it would be removed
    site = make_site(
        tmp_path / "site",
        {
            "assets/javascripts/bundle.min.js": f"var a={lnch_in_code},b=.7720588235;",
            "assets/icons/x.svg": '<svg><path d="M214.9 14.1C202 15.2 192 26 192 39"/></svg>',
            "page.html": f'<svg viewBox="0 0 51500 51500"><path d="M{lnch_in_code} 1"/></svg><p>Съдия</p>',
            "assets/javascripts/leak.js": f'const owner = "{OWNER}";',
        },
    )
    leaks = scan_site(site, PRIVATE)
    assert [(l.output_file, l.source_column) for l in leaks] == [("assets/javascripts/leak.js", "owner_name")]


def test_an_identifier_in_a_page_is_a_leak_even_without_a_source(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"opinions/12.html": f"<p>Лицето, ЛНЧ {LNCHS[1]}, пише на a.b@abv.bg</p>"})
    leaks = scan_site(site, [])
    assert {(l.kind, l.source_file) for l in leaks} == {("lnch", None), ("email", None)}
    assert all(LNCHS[1] not in l.masked and "a.b@abv.bg" not in l.masked for l in leaks)


def test_an_identifier_on_a_line_repeated_in_many_pages_is_reported_for_each(tmp_path: Path) -> None:
    shell = "<header>\n<nav>Начало</nav>\n</header>\n<main>\n{}\n</main>\n<footer>\nтел. 0887 12 34 56\n</footer>"
    site = make_site(tmp_path / "site", {f"{i}.html": shell.format(f"<p>Страница {i}</p>") for i in range(3)})
    leaks = scan_site(site, [])
    assert [(l.output_file, l.kind) for l in leaks] == [(f"{i}.html", "phone") for i in range(3)]


def test_allowed_values_are_not_reported(tmp_path: Path) -> None:
    footer = "<footer>Инспекторат към ВСС, ул. „Георг Вашингтон“ № 17, тел. 02 907 73 00, inspectorat@inspectoratvss.bg</footer>"
    site = make_site(tmp_path / "site", {"index.html": footer})
    assert len(scan_site(site, [])) == 3
    allowed = ["ул. „Георг Вашингтон“ № 17", "02 907 73 00", "inspectorat@inspectoratvss.bg"]
    assert scan_site(site, [], allowed=allowed) == []


def test_short_and_generic_private_values_are_skipped(tmp_path: Path) -> None:
    generic = [
        PrivateValue("2025", SOURCE, 2, "internal_note"),
        PrivateValue("2025 г.", SOURCE, 3, "internal_note"),
        PrivateValue("гр. Кюстендил", SOURCE, 4, "address"),
        PrivateValue("няма", SOURCE, 5, "internal_note"),
        PrivateValue("12", SOURCE, 6, "appeal_case_no"),
    ]
    site = make_site(tmp_path / "site", {"index.html": "<p>2025 г., гр. Кюстендил, няма, № 12</p>"})
    assert scan_site(site, generic) == []
    assert needles("2025 г.") == set() and needles("ул. „Раковски“ № 12") == {"улраковски12"}


def test_a_value_is_found_only_where_it_stands_apart(tmp_path: Path) -> None:
    plate = [PrivateValue("А2392АК", SOURCE, 66, "registration_plate"), PrivateValue("Петров", SOURCE, 5, "owner_name")]
    site = make_site(tmp_path / "site", {"items.csv": "description\n„Агро“ АД – за 2392 акции\nсъдия Петрова\n"})
    assert scan_site(site, plate) == []
    site = make_site(tmp_path / "site", {"items.csv": "description\nавтомобил, рег. № А 2392 АК\n"})
    assert [leak.source_column for leak in scan_site(site, plate)] == ["registration_plate"]


def test_a_damaged_archive_is_reported_not_skipped(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"pagefind/index/bg_1.pf_index": b"\x1f\x8b\x08\x00broken"})
    [leak] = scan_site(site, PRIVATE)
    assert (leak.output_file, leak.kind) == ("pagefind/index/bg_1.pf_index", "unscannable")
    assert "pagefind/index/bg_1.pf_index" in leak.describe()


def test_a_cache_skips_unchanged_clean_files_and_nothing_else(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.scan as scan

    site = make_site(tmp_path / "site", {f"p/{i}.html": f"<p>Страница {i}</p>" for i in range(5)})
    cache = tmp_path / "build" / "scan-cache.json"
    assert scan_site(site, PRIVATE, cache=cache) == []
    assert EGN not in cache.read_text() and "Страница" not in cache.read_text()  # hashes only

    searched: list[str] = []
    real = scan._scan_file
    monkeypatch.setattr(scan, "_scan_file", lambda name, *rest, **options: searched.append(name) or real(name, *rest, **options))
    (site / "p/3.html").write_text(f"<p>ЕГН {EGN}</p>", encoding="utf-8")
    [leak] = scan_site(site, PRIVATE, cache=cache)
    assert (searched, leak.output_file) == (["p/3.html"], "p/3.html")
    searched.clear()
    assert len(scan_site(site, PRIVATE, cache=cache)) == 1 and searched == ["p/3.html"]  # a leaky file is always searched
    searched.clear()
    scan_site(site, PRIVATE[:2], cache=cache)  # fewer private values: no file needs searching for them
    assert searched == ["p/3.html"]


def test_a_new_private_value_is_looked_for_in_unchanged_clean_files(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"p/1.html": "<p>Подадена от Калина Стоянова</p>", "p/2.html": "<p>Страница</p>"})
    cache = tmp_path / "build" / "scan-cache.json"
    assert scan_site(site, PRIVATE, cache=cache) == []
    assert oct(cache.stat().st_mode & 0o777) == "0o600"

    # Next week's exports name a new family member, who is on an unchanged page: it is found there.
    newcomer = PrivateValue("Калина Стоянова", "registers/declarations/2026-items.csv", 3, "owner_name")
    leaks = scan_site(site, [*PRIVATE, newcomer], cache=cache)

    assert [(leak.output_file, leak.source_column) for leak in leaks] == [("p/1.html", "owner_name")]


def _searched_again(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files that a scan reads again for new private values (found clean last time, unchanged)."""
    import generator.scan as scan

    searched: list[str] = []
    real = scan._search_added
    monkeypatch.setattr(scan, "_search_added", lambda name, data, added, *rest: (added.sources and searched.append(name)) or real(name, data, added, *rest))
    return searched


def test_a_new_private_value_that_no_page_holds_is_not_looked_for_in_unchanged_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.scan import plan_scan

    site = make_site(tmp_path / "site", {f"p/{i}.html": f"<p>Подадена от Калина Стоянова, страница {i}</p>" for i in range(4)})
    cache = tmp_path / "build" / "scan-cache.json"
    assert scan_site(site, PRIVATE, cache=cache) == []
    # Beside the cache, the text of the units found clean, normalised: the site's own text.
    text = cache.with_name("scan-cache.text")
    assert oct(text.stat().st_mode & 0o777) == "0o700"
    [segment] = text.iterdir()
    assert oct(segment.stat().st_mode & 0o777) == "0o600"
    assert "подаденаоткалинастоянова".encode() in segment.read_bytes()

    # Next week brings a new address that is on no page: the unchanged pages are not read again.
    searched = _searched_again(monkeypatch)
    address = PrivateValue("ул. Цар Симеон 15", SOURCE, 8, "address")
    plan = plan_scan([*PRIVATE, address], cache=cache)
    assert (sorted(plan.added_all.sources), plan.added.sources) == (sorted(needles(address.value)), {})
    assert scan_site(site, plan=plan) == [] and searched == []

    # A new family member who is on the pages: looked for, and found, on each of them.
    newcomer = PrivateValue("Калина Стоянова", "registers/declarations/2026-items.csv", 3, "owner_name")
    leaks = scan_site(site, [*PRIVATE, address, newcomer], cache=cache)
    assert sorted(leak.output_file for leak in leaks) == [f"p/{i}.html" for i in range(4)]
    assert sorted(searched) == [f"p/{i}.html" for i in range(4)]


def test_a_unit_that_held_something_is_not_stored_and_its_file_is_searched_for_every_new_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    contact = "02 987 6543"  # the Inspectorate's own phone: allowed, yet found in the unit
    site = make_site(tmp_path / "site", {"kontakti.html": f"<p>Тел. {contact}, приемна на Калина Стоянова</p>", "p/1.html": "<p>Страница</p>"})
    cache = tmp_path / "build" / "scan-cache.json"
    assert scan_site(site, PRIVATE, allowed=[contact], cache=cache) == []
    stored = b"".join(path.read_bytes() for path in cache.with_name("scan-cache.text").iterdir())
    assert "калинастоянова".encode() not in stored and b"029876543" not in stored

    searched = _searched_again(monkeypatch)
    newcomer = PrivateValue("Калина Стоянова", "registers/declarations/2026-items.csv", 3, "owner_name")
    leaks = scan_site(site, [*PRIVATE, newcomer], allowed=[contact], cache=cache)
    assert [(leak.output_file, leak.source_column) for leak in leaks] == [("kontakti.html", "owner_name")]
    assert searched == ["kontakti.html"]


def test_worker_processes_store_their_text_and_find_what_one_process_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.scan as scan

    monkeypatch.setattr(scan, "_PARALLEL_FROM", 0)  # the national site is big enough; this one is not
    monkeypatch.setattr(scan, "_MAX_WORKERS", 2)
    monkeypatch.setattr(scan.os, "cpu_count", lambda: 2)
    pages = {f"p/{i}.html": f"<p>Страница {i}, подадена от Калина Стоянова</p>" for i in range(12)}
    site = make_site(tmp_path / "site", {**pages, "p/leak.html": f"<p>ЕГН {EGN}</p>"})
    cache = tmp_path / "build" / "scan-cache.json"
    assert [leak.output_file for leak in scan_site(site, PRIVATE, cache=cache)] == ["p/leak.html"]
    # Each worker wrote the text it found clean, all of it (a pool's worker is terminated, not closed).
    stored = b"".join(path.read_bytes() for path in cache.with_name("scan-cache.text").iterdir())
    assert all(f"страница{i}подаденаоткалинастоянова".encode() in stored for i in range(12))

    newcomer = PrivateValue("Калина Стоянова", "registers/declarations/2026-items.csv", 3, "owner_name")
    leaks = scan_site(site, [*PRIVATE, newcomer], cache=cache)
    assert sorted({leak.output_file for leak in leaks}) == sorted([*pages, "p/leak.html"])


def test_without_its_stored_text_a_scan_searches_every_file_and_stores_it_anew(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.scan as scan

    site = make_site(tmp_path / "site", {f"p/{i}.html": f"<p>Страница {i}</p>" for i in range(3)})
    cache = tmp_path / "build" / "scan-cache.json"
    text = cache.with_name("scan-cache.text")
    cut: list[str] = []
    real = scan._scan_file
    monkeypatch.setattr(scan, "_scan_file", lambda name, *rest, **options: cut.append(name) or real(name, *rest, **options))
    monkeypatch.setattr(scan, "_TEXT_BUILDS", 3)

    runs = []
    for _ in range(5):
        cut.clear()
        assert scan_site(site, PRIVATE, cache=cache) == []
        runs.append((len(cut), len(list(text.iterdir()))))
    # Begun by the first scan, added to by the next two, begun anew by the fourth: the text of
    # what was published three scans ago is kept no longer (an older segment is removed).
    assert runs == [(3, 1), (0, 1), (0, 1), (3, 1), (0, 1)]

    # A lost segment: the stored text is incomplete, so everything is searched again.
    for path in text.iterdir():
        path.unlink()
    cut.clear()
    assert scan_site(site, PRIVATE, cache=cache) == [] and len(cut) == 3


def test_a_plan_made_in_a_child_process_finds_what_one_made_in_place_finds(tmp_path: Path) -> None:
    from generator.background import Background
    from generator.scan import finish_plan, prepare_plan

    site = make_site(tmp_path / "site", {"p/1.html": "<p>Подадена от Калина Стоянова</p>", "p/2.html": f"<dl><dt>ЕГН</dt><dd>{EGN}</dd></dl>"})
    cache = tmp_path / "build" / "scan-cache.json"
    newcomer = PrivateValue("Калина Стоянова", "registers/declarations/2026-items.csv", 3, "owner_name")
    expected = [(leak.output_file, leak.kind, leak.source_column) for leak in scan_site(site, [*PRIVATE, newcomer])]
    assert expected == [("p/1.html", "private_value", "owner_name"), ("p/2.html", "egn", "egn")]

    # As the build makes it: the parts in a forked child, sent back, finished here; the first
    # week without the newcomer (the cache is written), the second with him (only he is new).
    for values in (PRIVATE, [*PRIVATE, newcomer]):
        planning = Background(lambda: prepare_plan(values, (), cache, None), "plan", early=True)
        plan = finish_plan(planning.wait(), values)
        leaks = scan_site(site, plan=plan)
    assert sorted(plan.added.sources) == sorted(needles(newcomer.value))
    assert [(leak.output_file, leak.kind, leak.source_column) for leak in leaks] == expected


def test_an_unchanged_clean_file_is_cut_into_units_only_where_a_new_private_value_may_be(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.scan as scan

    # A new value hides in each file in a way only its units show once decoded: an inline tag,
    # character references, JSON escapes (and a newline escaped in JSON), a gzipped fragment.
    hidden = {
        "p/inline.html": "<p>Подадена от Калина <b>Стоянова</b></p>",
        "p/entities.html": "<p>Подадена от &#1050;&#1072;&#1083;ина Сто&#x44f;нова</p>",
        "api/escaped.json": '{"note": "\\u041a\\u0430лина\\nСтоянова"}',
        "pagefind/fragment/bg_1.pf_fragment": gzip.compress('{"content": "Калина Стоянова"}'.encode()),
        # and one far into a file too big to read whole at once (read in chunks, as when cut)
        "data/big.csv": "\n".join([*ROWS, "r60,Калина Стоянова", *ROWS]) + "\n",
    }
    plain = {f"p/{i}.html": f"<p>Страница {i}</p>" for i in range(5)}
    site = make_site(tmp_path / "site", {**hidden, **plain})
    monkeypatch.setattr(scan, "_CHUNK", 1000)
    cache = tmp_path / "build" / "scan-cache.json"
    assert scan_site(site, PRIVATE, cache=cache) == []

    cut: list[tuple[str, bytes]] = []
    real = scan._text_parts
    monkeypatch.setattr(scan, "_text_parts", lambda name, chunk: cut.append((name, chunk)) or real(name, chunk))
    newcomer = PrivateValue("Калина\nСтоянова", "registers/declarations/2026-items.csv", 3, "owner_name")
    leaks = scan_site(site, [*PRIVATE, newcomer], cache=cache)

    assert sorted(leak.output_file for leak in leaks) == sorted(hidden)
    # The five plain pages were read whole, never cut; of the big file, only the chunk with the value.
    assert sorted(name for name, _ in cut) == sorted(hidden)
    [big] = [chunk for name, chunk in cut if name == "data/big.csv"]
    assert "Калина Стоянова".encode() in big and len(big) < len(hidden["data/big.csv"].encode()) / 3


def test_a_changed_file_is_searched_only_in_the_units_not_found_clean_last_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.scan as scan

    rows = [f"нива в землище Ракитово от {i} дка" for i in range(40)]
    site = make_site(tmp_path / "site", {"data/items.csv": "description\n" + "\n".join(rows) + "\n"})
    cache = tmp_path / "build" / "scan-cache.json"
    assert scan_site(site, PRIVATE, cache=cache) == []
    units = cache.with_name("scan-cache.units")
    assert oct(units.stat().st_mode & 0o777) == "0o600"
    assert "Ракитово".encode() not in units.read_bytes() and b"description" not in units.read_bytes()  # hashes only

    searched: list[str] = []
    real = scan._find_in_units
    monkeypatch.setattr(scan, "_find_in_units", lambda units, *rest: searched.extend(units) or real(units, *rest))
    # Next week one row changes and one row with a private value is added: the file is new to the
    # cache of files, but only its two new units are searched again.
    rows[5] = "нива в землище Ракитово от 5 и половина дка"
    (site / "data/items.csv").write_text("description\n" + "\n".join([*rows, f"сметка {IBAN}"]) + "\n", encoding="utf-8")
    leaks = scan_site(site, PRIVATE, cache=cache)
    assert [(leak.output_file, leak.source_column) for leak in leaks] == [("data/items.csv", "iban")]
    assert sorted(searched) == sorted(["нива в землище Ракитово от 5 и половина дка", f"сметка {IBAN}"])


def test_a_unit_found_clean_last_time_is_searched_for_new_private_values_and_beside_a_label(tmp_path: Path) -> None:
    rows = ["Калина Стоянова", "1234567890", "описание"]
    site = make_site(tmp_path / "site", {"data/items.csv": "description\n" + "\n".join(rows) + "\n"})
    cache = tmp_path / "build" / "scan-cache.json"
    assert scan_site(site, PRIVATE, cache=cache) == []

    # The file changes, and next week's exports name Калина Стоянова as a family member.
    newcomer = PrivateValue("Калина Стоянова", "registers/declarations/2026-items.csv", 3, "owner_name")
    (site / "data/items.csv").write_text("description\n" + "\n".join([*rows, "друго"]) + "\n", encoding="utf-8")
    leaks = scan_site(site, [*PRIVATE, newcomer], cache=cache)
    assert [(leak.output_file, leak.source_column) for leak in leaks] == [("data/items.csv", "owner_name")]

    # A number found clean alone is an ЕГН once a label stands in the cell before it.
    (site / "data/items.csv").write_text("description\nЕГН:\n1234567890\n", encoding="utf-8")
    leaks = scan_site(site, PRIVATE, cache=cache)
    assert [(leak.output_file, leak.kind) for leak in leaks] == [("data/items.csv", "egn")]


def _live_and_new(tmp_path: Path, name: str, old: str, new: str) -> tuple[Path, Path, Path]:
    """The live site with one data file, found clean by a scan with a cache, and the site that
    replaces it, with the file changed."""
    live = make_site(tmp_path / "live", {name: old})
    cache = tmp_path / "build" / "scan-cache.json"
    assert scan_site(live, PRIVATE, cache=cache) == []
    return live, make_site(tmp_path / "site", {name: new}), cache


ROWS = [f"r{i},нива в землище Ракитово,{i}.5 дка,{1000 + i}" for i in range(60)]


@pytest.mark.parametrize("suffix", ["csv", "json"])
def test_a_changed_download_is_searched_in_full_only_in_its_changed_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str) -> None:
    import generator.scan as scan

    monkeypatch.setattr(scan, "_DIFF_FROM", 0)  # the national downloads are hundreds of MB; these are small
    write = (lambda rows: "id,description,area,year\n" + "\n".join(rows) + "\n") if suffix == "csv" else (
        lambda rows: "[\n" + ",\n".join(json.dumps(row.split(","), ensure_ascii=False) for row in rows) + "\n]\n"
    )
    rows = list(ROWS)
    rows[30] = f"r30,сметка {IBAN},8 дка,1030"
    live, site, cache = _live_and_new(tmp_path, f"data/items.{suffix}", write(ROWS), write(rows))

    cut: list[bytes] = []
    real = scan._changed_runs
    monkeypatch.setattr(scan, "_changed_runs", lambda *args: (runs := real(*args)) is not None and cut.extend(runs) or runs)
    leaks = scan_site(site, PRIVATE, cache=cache, previous=live)

    assert [(leak.output_file, leak.source_column) for leak in leaks] == [(f"data/items.{suffix}", "iban")]
    # Only the changed row is cut into cells, with its neighbours (a label in one may name a value in the other).
    [run] = cut
    assert [line.split(b",")[0].strip(b'["') for line in run.splitlines()] == [b"r29", b"r30", b"r31"]


def test_a_label_that_meets_a_new_neighbour_in_a_changed_download_is_still_searched_with_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.scan as scan

    monkeypatch.setattr(scan, "_DIFF_FROM", 0)
    # Each line was there before, clean; the lines now stand in another order, and a label ends
    # up right before a number that is an ЕГН beside it.
    old = ["id,note", *ROWS[:10], "r98,ЕГН:", *ROWS[10:20], "1234567890,r99", *ROWS[20:]]
    new = ["id,note", *ROWS[:10], "r98,ЕГН:", "1234567890,r99", *ROWS[10:]]
    live, site, cache = _live_and_new(tmp_path, "data/notes.csv", "\n".join(old) + "\n", "\n".join(new) + "\n")

    leaks = scan_site(site, [], cache=cache, previous=live)

    assert [(leak.output_file, leak.kind) for leak in leaks] == [("data/notes.csv", "egn")]


def test_a_new_private_value_in_an_unchanged_row_of_a_changed_download_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.scan as scan

    monkeypatch.setattr(scan, "_DIFF_FROM", 0)
    rows = [*ROWS[:40], "r40,Подадена от Калина Стоянова,1 дка,2020", *ROWS[40:]]
    live, site, cache = _live_and_new(tmp_path, "data/items.csv", "\n".join(rows) + "\n", "\n".join([*rows, "r99,друго,2 дка,2021"]) + "\n")

    newcomer = PrivateValue("Калина Стоянова", "registers/declarations/2026-items.csv", 3, "owner_name")
    leaks = scan_site(site, [*PRIVATE, newcomer], cache=cache, previous=live)

    assert [(leak.output_file, leak.source_column) for leak in leaks] == [("data/items.csv", "owner_name")]


def test_a_csv_with_a_cell_over_several_lines_is_searched_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.scan as scan

    monkeypatch.setattr(scan, "_DIFF_FROM", 0)
    # Lines are not rows here: a note over two lines, which a run of lines might cut in two.
    old = "id,note\nr1,\"нива в землище\nРакитово\"\n" + "\n".join(ROWS) + "\n"
    new = old.replace("нива в землище\n", f"нива в землище\nпродадена на {OWNER}\n")
    live, site, cache = _live_and_new(tmp_path, "data/notes.csv", old, new)
    assert scan._changed_runs("data/notes.csv", new.encode(), live / "data/notes.csv") is None

    leaks = scan_site(site, PRIVATE, cache=cache, previous=live)

    assert [(leak.output_file, leak.source_column) for leak in leaks] == [("data/notes.csv", "owner_name")]


def test_a_previous_version_not_known_clean_is_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.scan as scan

    monkeypatch.setattr(scan, "_DIFF_FROM", 0)
    live, site, cache = _live_and_new(tmp_path, "data/items.csv", "\n".join(ROWS) + "\n", "\n".join([*ROWS, "r99,друго"]) + "\n")
    # The live copy is edited by hand after its scan: an IBAN in a row that the new site has too.
    edited = [*ROWS[:30], f"r98,{IBAN}", *ROWS[30:]]
    (live / "data/items.csv").write_text("\n".join(edited) + "\n", encoding="utf-8")
    (site / "data/items.csv").write_text("\n".join([*edited, "r99,друго"]) + "\n", encoding="utf-8")

    leaks = scan_site(site, PRIVATE, cache=cache, previous=live)

    assert [(leak.output_file, leak.source_column) for leak in leaks] == [("data/items.csv", "iban")]


def _database(tmp_path: Path, rows: list[tuple[object, ...]], create: str = "CREATE TABLE items (record_id TEXT PRIMARY KEY, note TEXT)") -> bytes:
    path = tmp_path / "registri.sqlite"
    tmp_path.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        db.execute(create)
        db.executemany(f"INSERT INTO items VALUES ({', '.join('?' * len(rows[0]))})", rows)
    return path.read_bytes()


DB_ROWS = [(f"r{i}", f"нива в землище Ракитово, {i}.5 дка") for i in range(60)]


def test_a_changed_database_is_searched_in_full_only_in_its_changed_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.scan as scan

    monkeypatch.setattr(scan, "_DIFF_FROM", 0)
    rows = list(DB_ROWS)
    rows[30] = ("r30", f"сметка {IBAN}")
    live, site, cache = _live_and_new(tmp_path, "data/registri.sqlite", _database(tmp_path / "a", DB_ROWS), _database(tmp_path / "b", rows))

    cut: list[str] = []
    real = scan._changed_rows

    def spy(*args: object) -> object:
        parts = real(*args)
        if parts is None:
            return None
        parts = list(parts)
        cut.extend(parts[0].units)
        return parts

    monkeypatch.setattr(scan, "_changed_rows", spy)
    leaks = scan_site(site, PRIVATE, cache=cache, previous=live)

    assert [(leak.output_file, leak.source_column) for leak in leaks] == [("data/registri.sqlite", "iban")]
    # Only the changed row is searched in full, with its neighbours (a label in one may name a
    # value in the other), and the table's first and last rows (beside the tables around it).
    assert [unit for unit in cut if unit.startswith("r") or unit == scan._BREAK] == ["r0", "\x01", "r29", "r30", "r31", "\x01", "r59", "\x01"]


def test_a_label_that_meets_a_new_neighbour_in_a_changed_database_is_still_searched_with_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.scan as scan

    monkeypatch.setattr(scan, "_DIFF_FROM", 0)
    # Both rows were there before, clean, with rows between them; those are withdrawn, and a
    # label ends up right before a number that is an ЕГН beside it.
    old = [*DB_ROWS[:10], ("r98", "ЕГН:"), *DB_ROWS[10:20], ("1234567890", "r99"), *DB_ROWS[20:]]
    new = [*DB_ROWS[:10], ("r98", "ЕГН:"), ("1234567890", "r99"), *DB_ROWS[20:]]
    live, site, cache = _live_and_new(tmp_path, "data/registri.sqlite", _database(tmp_path / "a", old), _database(tmp_path / "b", new))

    leaks = scan_site(site, [], cache=cache, previous=live)

    assert [(leak.output_file, leak.kind) for leak in leaks] == [("data/registri.sqlite", "egn")]


def test_a_long_run_of_changed_rows_is_searched_in_parts_that_overlap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.scan as scan

    monkeypatch.setattr(scan, "_CHUNK", 16 * 25)  # parts of about 25 cells: a national run may hold millions
    monkeypatch.setattr(scan, "_ROWS_AT_ONCE", 5)
    old = tmp_path / "old.sqlite"
    old.write_bytes(_database(tmp_path / "a", DB_ROWS))
    rows = [(key, note + " (изменено)") for key, note in DB_ROWS]  # every row changed: one run
    parts = list(scan._changed_rows(_database(tmp_path / "b", rows), old))

    cells = [part.units for part in parts if part.identifiers]  # the others: the bytes no row uses
    assert len(cells) > 3 and all(len(units) <= 25 + 2 * 5 + 1 for units in cells)
    # In order, each part beginning with the last two cells of the one before (a label and its value).
    assert all(later[:2] == earlier[-2:] for earlier, later in pairwise(cells))
    joined = cells[0] + [cell for units in cells[1:] for cell in units[2:]]
    assert joined == [cell for row in rows for cell in row] + [scan._BREAK]


def test_a_database_whose_tables_cannot_be_compared_by_a_key_is_searched_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.scan as scan

    monkeypatch.setattr(scan, "_DIFF_FROM", 0)
    monkeypatch.setattr(scan, "_INDEXED_FROM", 10)
    plain = "CREATE TABLE items (record_id TEXT, note TEXT)"  # no key, no index: each row would scan the old table
    rows = [*DB_ROWS, ("r99", f"продадена на {OWNER}")]
    live, site, cache = _live_and_new(tmp_path, "data/registri.sqlite", _database(tmp_path / "a", DB_ROWS, plain), _database(tmp_path / "b", rows, plain))
    assert scan._changed_rows((site / "data/registri.sqlite").read_bytes(), live / "data/registri.sqlite") is None

    # Other columns than the old version's, the same.
    other = _database(tmp_path / "c", [(*row, 1) for row in DB_ROWS], "CREATE TABLE items (record_id TEXT PRIMARY KEY, note TEXT, year INTEGER)")
    assert scan._changed_rows(other, live / "data/registri.sqlite") is None
    # And a column named "rowid", which a query by rowid would read instead of the row's place.
    named = "CREATE TABLE items (rowid TEXT PRIMARY KEY, note TEXT)"
    (tmp_path / "named.sqlite").write_bytes(_database(tmp_path / "d", DB_ROWS, named))
    assert scan._changed_rows(_database(tmp_path / "e", rows, named), tmp_path / "named.sqlite") is None

    leaks = scan_site(site, PRIVATE, cache=cache, previous=live)

    assert [(leak.output_file, leak.source_column) for leak in leaks] == [("data/registri.sqlite", "owner_name")]


def test_a_value_of_a_database_that_only_changed_its_storage_class_is_searched_again(tmp_path: Path) -> None:
    import generator.scan as scan

    # A column without a type converts nothing: 750101 and 750101.0 are equal to SQLite, but
    # they are written differently (and so are different units).
    untyped = "CREATE TABLE items (record_id TEXT PRIMARY KEY, amount)"
    old = tmp_path / "old.sqlite"
    old.write_bytes(_database(tmp_path / "a", [(f"r{i}", 750100 + i) for i in range(20)], untyped))
    new = _database(tmp_path / "b", [(f"r{i}", 750100.0 + i if i == 10 else 750100 + i) for i in range(20)], untyped)

    [rows, _] = scan._changed_rows(new, old)

    assert rows.units == ["r0", "750100", scan._BREAK, "r9", "750109", "r10", "750110.0", "r11", "750111", scan._BREAK, "r19", "750119", scan._BREAK]


def _workbook(strings: list[str]) -> bytes:
    """An XLSX's parts that the scan reads: a table of shared strings and a sheet of cells pointing at them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData>" + "".join(f'<row><c t="s"><v>{i}</v></c><c><v>{1000 + i}</v></c></row>' for i in range(len(strings))) + "</sheetData></worksheet>")
        book.writestr("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8"?>\n<sst count="{len(strings)}">' + "".join(f"<si><t>{text}</t></si>" for text in strings) + "</sst>")
    return buffer.getvalue()


STRINGS = [f"нива в землище Ракитово, {i}.5 дка" for i in range(60)]


def test_a_changed_workbook_is_searched_in_full_only_in_its_changed_shared_strings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.scan as scan

    monkeypatch.setattr(scan, "_DIFF_FROM", 0)
    strings = list(STRINGS)
    strings[30] = f"сметка {IBAN}"
    live, site, cache = _live_and_new(tmp_path, "data/declarations.xlsx", _workbook(STRINGS), _workbook(strings))

    cut: list[bytes] = []
    real = scan._line_runs
    monkeypatch.setattr(scan, "_line_runs", lambda *args: (runs := real(*args)) is not None and cut.extend(runs) or runs)
    leaks = scan_site(site, PRIVATE, cache=cache, previous=live)

    assert [(leak.output_file, leak.source_column) for leak in leaks] == [("data/declarations.xlsx", "iban")]
    # Only the changed string is cut and searched in full, with its neighbours (the sheet is searched whole).
    assert [re.findall(r"<t>([^<]*)</t>", run.decode()) for run in cut] == [[STRINGS[29], strings[30], STRINGS[31]]]


def test_a_workbook_with_a_shared_string_over_several_lines_is_searched_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.scan as scan

    monkeypatch.setattr(scan, "_DIFF_FROM", 0)
    before = [*STRINGS[:10], "нива в землище\nРакитово", *STRINGS[10:]]
    after = [*STRINGS[:10], f"нива в землище\nпродадена на {OWNER}", *STRINGS[10:]]
    live, site, cache = _live_and_new(tmp_path, "data/declarations.xlsx", _workbook(before), _workbook(after))
    ran = []
    real = scan._line_runs
    monkeypatch.setattr(scan, "_line_runs", lambda *args: ran.append(1) or real(*args))

    leaks = scan_site(site, PRIVATE, cache=cache, previous=live)

    assert [(leak.output_file, leak.source_column) for leak in leaks] == [("data/declarations.xlsx", "owner_name")]
    assert ran == []


def test_a_label_and_its_value_on_both_sides_of_a_cut_in_a_big_sheet_are_searched_together(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.scan as scan

    # A sheet of one line is cut after a row; the next piece starts with the last rows of the
    # one before, or "ЕГН:" at the end of one piece and the number at the start of the next
    # would each be alone.
    monkeypatch.setattr(scan, "_CHUNK", 400)
    cells = ["абвгд"] * 40  # 10 bytes each, as the label and the number below
    sheet = lambda: ("<worksheet><sheetData>" + "".join(f"<row><c><v>{cell}</v></c></row>" for cell in cells) + "</sheetData></worksheet>").encode()
    first = next(scan._chunks(sheet(), (b"\n", b"</row>", b"</c>"), 0))
    last = first.count(b"</row>") - 1  # the last row of the first piece
    cells[last], cells[last + 1] = "ЕГН:   ", "1234567890"
    assert next(scan._chunks(sheet(), (b"\n", b"</row>", b"</c>"), 0)).endswith("<v>ЕГН:   </v></c></row>".encode())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr("xl/worksheets/sheet1.xml", sheet())
    site = make_site(tmp_path / "site", {"data/book.xlsx": buffer.getvalue()})

    leaks = scan_site(site, [])

    assert [(leak.output_file, leak.kind) for leak in leaks] == [("data/book.xlsx", "egn")]


def test_a_new_private_value_in_an_unchanged_row_of_a_database_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.scan as scan

    monkeypatch.setattr(scan, "_DIFF_FROM", 0)
    rows = [(f"Лице {i}", f"нива {i}.5 дка") for i in range(60)]
    rows[20] = ("Лице 20", "продадена на Калина Стоянова")
    live = make_site(tmp_path / "live", {"a/same.sqlite": sqlite_bytes(tmp_path / "a", rows), "b/changed.sqlite": sqlite_bytes(tmp_path / "b", rows)})
    cache = tmp_path / "build" / "scan-cache.json"
    assert scan_site(live, PRIVATE, cache=cache) == []
    site = make_site(tmp_path / "site", {"a/same.sqlite": sqlite_bytes(tmp_path / "c", rows), "b/changed.sqlite": sqlite_bytes(tmp_path / "d", [*rows, ("Лице 99", "друго")])})

    newcomer = PrivateValue("Калина Стоянова", "registers/declarations/2026-items.csv", 3, "owner_name")
    leaks = scan_site(site, [*PRIVATE, newcomer], cache=cache, previous=live)

    assert sorted((leak.output_file, leak.source_column) for leak in leaks) == [("a/same.sqlite", "owner_name"), ("b/changed.sqlite", "owner_name")]


def test_a_long_text_is_normalised_as_its_pieces_are() -> None:
    from generator.scan import _OTHER_SEPARATORS, normalise

    # Long texts (a page, units joined) take another way through normalise: the same result.
    piece = f"Ул. „Г. С. Раковски“ № 12,{_OTHER_SEPARATORS}ет.\u00a03 — ТЕЛ. +359 (88) 765–4321 İ"
    assert len(piece) * 100 > 4096
    assert normalise(piece * 100) == normalise(piece) * 100
    assert not set(_OTHER_SEPARATORS) & set(normalise(piece * 100))


# --- masking ----------------------------------------------------------------------------------


def test_mask_keeps_two_characters_at_each_end() -> None:
    assert mask("7501010010", "egn") == "ЕГН 75******10"
    assert mask("0887123456", "phone") == "телефон 08******56"
    assert mask("abc12", "owner_egn") == "ЕГН *****"
    assert mask("x", "internal_note") == "бележка *"


def test_private_values_never_show_in_reprs() -> None:
    assert EGN not in repr(PRIVATE[0])


# --- Pagefind, for real ------------------------------------------------------------------------


def _pagefind_works() -> bool:
    try:
        probe = subprocess.run([sys.executable, "-m", "pagefind", "--version"], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


@pytest.mark.skipif(not _pagefind_works(), reason="the Pagefind binary is not available")
def test_a_value_in_a_page_is_found_in_the_pagefind_index_too(tmp_path: Path) -> None:
    page = "<!doctype html><html lang='bg'><head><meta charset='utf-8'><title>{}</title></head><body><main>{}</main></body></html>"
    site = make_site(
        tmp_path / "site",
        {
            "clean.html": page.format("Декларации", "<p>" + " ".join(html.escape(d.text) for d in DECOYS) + "</p>"),
            "leaky.html": page.format("Декларация", f"<p>Съпруга: {OWNER}, ЕГН {EGN}.</p>"),
        },
    )
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--quiet"], check=True, capture_output=True)
    by_file = leaks_by_file(scan_site(site, PRIVATE))
    pagefind_files = [name for name in by_file if name.startswith("pagefind/")]
    assert any(name.endswith(".pf_fragment") for name in pagefind_files)
    assert "clean.html" not in by_file
    for name in pagefind_files:
        assert {l.source_column for l in by_file[name]} <= {"egn", "owner_name"}


# --- speed -------------------------------------------------------------------------------------


def test_scan_speed_on_a_few_megabytes(tmp_path: Path) -> None:
    page = CLEAN_PAGE * 3
    site = make_site(tmp_path / "site", {f"p/{i}.html": page for i in range(200)})
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    many = PRIVATE + [PrivateValue(f"ул. „Тестова {i}“ № {i}", SOURCE, i, "address") for i in range(5000)]
    start = time.process_time()  # CPU time: other work on a shared machine does not count
    assert scan_site(site, many) == []
    rate = size / (time.process_time() - start)
    assert rate > 1_000_000, f"{rate / 1e6:.2f} MB/s"  # measured ≈ 10 MB/s; CI may be slower


def test_an_amount_whose_digits_line_up_with_a_birth_date_is_not_a_leak(tmp_path):
    # Seen at national scale: 198809.24 лв. and a declarant born on 24.09.1988.
    born = PrivateValue("24.09.1988 г.", "declarations/d.csv", 7, "birth_date")
    account = PrivateValue("1100123456", "declarations/items.csv", 9, "account_no")
    (tmp_path / "amount.html").write_text("<p>Стойност: 198809.24 лв.; сума 11001234.56 лв.</p>", encoding="utf-8")
    assert scan_site(tmp_path, [born, account]) == []
    (tmp_path / "leak.html").write_text("<p>Роден на 1988-09-24; сметка 1100 1234 56.</p>", encoding="utf-8")
    leaks = scan_site(tmp_path, [born, account])
    assert {(leak.output_file, leak.source_column) for leak in leaks} == {("leak.html", "birth_date"), ("leak.html", "account_no")}


def test_adjacent_cells_never_join_into_a_private_value(tmp_path):
    # Seen on the 1,000-declarant corpus: cells "25", "3", "1961" of an XLSX row read as 25.03.1961.
    born = PrivateValue("25.03.1961", "declarations/d.csv", 4, "birth_date")
    account = PrivateValue("1100123456", "declarations/items.csv", 9, "account_no")
    rows = [["day", "month", "year", "a", "b"], [25, 3, 1961, "1100", "123456"]]
    site = make_site(
        tmp_path / "site",
        {
            "data/d.xlsx": xlsx_bytes(tmp_path, rows),
            "data/d.csv": "day,month,year,a,b\n25,3,1961,1100,123456\n",
            "data/d.json": json.dumps([{"day": 25, "month": 3, "year": 1961, "a": "1100", "b": "123456"}]),
            "d.html": "<table><tr><td>25</td><td>3</td><td>1961</td><td>1100</td><td>123456</td></tr></table>",
        },
    )
    assert scan_site(site, [born, account]) == []
    rows = [["note", "other"], ["роден на 25.03.1961", "сметка 1100 123456"]]
    site = make_site(tmp_path / "leaky", {"data/d.xlsx": xlsx_bytes(tmp_path, rows), "d.html": "<td>25.03.1961</td>"})
    leaks = scan_site(site, [born, account])
    assert {(l.output_file, l.source_column) for l in leaks} == {
        ("data/d.xlsx", "birth_date"),
        ("data/d.xlsx", "account_no"),
        ("d.html", "birth_date"),
    }


def test_a_label_in_one_cell_and_its_number_in_the_next(tmp_path):
    # The number fails every checksum: only its label, a cell away, makes it an ЕГН.
    site = make_site(tmp_path / "site", {"p.html": "<dl><dt>ЕГН:</dt>\n<dd>1234567890</dd></dl>"})
    assert [leak.kind for leak in scan_site(site, [])] == ["egn"]


def test_a_label_in_one_cell_makes_an_identifier_of_what_the_next_cell_holds_alone(tmp_path):
    # A birth date or a phone is told from other dates and numbers only by its label; the label
    # in a <dt> (or a CSV header cell) and the value in the next element still make a leak.
    site = make_site(tmp_path / "site", {
        "a.html": "<dl><dt>Роден на</dt><dd>12.03.1975</dd><dt>Телефон:</dt><dd>02 987 6543</dd></dl>",
        "b.csv": "Дата на раждане,03.04.1980\n",
        "c.html": "<dl><dt>Подадена на</dt><dd>12.03.2025</dd><dt>Година</dt><dd>2025</dd></dl>",
    })  # fmt: skip

    found = sorted((leak.output_file, leak.kind) for leak in scan_site(site))

    assert found == [("a.html", "birth_date"), ("a.html", "phone"), ("b.csv", "birth_date")]


def test_a_deleted_sqlite_row_is_found_but_live_rows_never_run_together(tmp_path):
    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    database = site / "data" / "registri.sqlite"
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA secure_delete = OFF")
    connection.execute("CREATE TABLE items (description TEXT, year TEXT, value TEXT)")
    # Back to back in a raw record, "2021" and "0888123" would spell the private phone 0888…; as values they are apart.
    connection.executemany("INSERT INTO items VALUES (?, ?, ?)", [("влог", "2021", "0888123"), ("нива", "1999", "100")] * 50)
    connection.execute("INSERT INTO items VALUES ('заем', 'собственик Петър Стоянов Колев', '1')")
    connection.commit()
    connection.execute("DELETE FROM items WHERE value = '1'")
    connection.commit()
    connection.close()
    private = [PrivateValue("20210888123", "declarations/declarations.csv", 5, "phone"), PrivateValue("Петър Стоянов Колев", "declarations/declarations.csv", 6, "spouse_name")]

    leaks = scan_site(site, private, allowed=[], cache=None)

    assert [(leak.output_file, leak.source_column) for leak in leaks] == [("data/registri.sqlite", "spouse_name")]


def test_a_declarations_number_is_not_an_account_whose_digits_it_shares(tmp_path: Path) -> None:
    account = PrivateValue("2022068391", "registers/declarations/2021-items.csv", 9, "account_no")
    site = make_site(
        tmp_path / "site",
        {
            "deklaracii/a/index.html": "<p>Ежегодна декларация, вх. № Д-2022-068391</p>",
            "deklaracii/b/index.html": "<p>Заем по сметка 2022-068391</p>",
        },
    )

    leaks = scan_site(site, [account])

    assert [(leak.output_file, leak.source_column) for leak in leaks] == [("deklaracii/b/index.html", "account_no")]
