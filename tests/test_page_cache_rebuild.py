"""A rebuild links a declarant's page only when nothing it shows changed, and costs in proportion to what did."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import generator.render.frames as frames
from generator.intake import load_registers
from generator.manifest import manifest_records
from generator.registers.schema import Record, Source, field_specs
from generator.render.environment import make_environment
from generator.render.frames import CONTENT_SLOT, TITLE_SLOT, Frame, FramedPages, write_framed
from generator.render.page_cache import PageCache, save_cache
from generator.render.page_keys import KeyMaker, record_digests
from generator.render.pages import Page, PublishedRegister, Renderer, build_pages
from generator.render.people import Person
from generator.report import BuildReport
from generator.rules import apply_rules
from tests.builders import declaration, item, make_registers

AS_OF = dt.date(2026, 11, 24)
PEOPLE = [
    declaration(),
    declaration(declaration_id="Д-2025-00311", filed_on=dt.date(2025, 4, 2), year=2024),
    declaration(declaration_id="Д-2026-00502", person_id="P-20502", full_name="Иван Петров Маринов"),
]
ITEMS = [
    item(),
    item(description="лек автомобил", section="превозни средства", area_sqm=None, value=Decimal("9000.00")),
    item(declaration_id="Д-2025-00311", description="нива", municipality="Бобошево", value=Decimal("1000.00")),
    item(declaration_id="Д-2026-00502", description="лозе", value=Decimal("4000.00")),
]
PERSON = "deklaracii/stoyanova-petya-nikolova-p-10417.md"


def _published(root: Path) -> list[PublishedRegister]:
    make_registers(root, declarations=PEOPLE, items=ITEMS)
    intake = load_registers(root / "registers", BuildReport(as_of=AS_OF.isoformat()))
    return [PublishedRegister(r.register, apply_rules(r.register.rules, r.tables, AS_OF)[0]) for r in intake.registers.values()]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> list[PublishedRegister]:
    return _published(tmp_path_factory.mktemp("registers"))


def _key(published: list[PublishedRegister]) -> tuple[str | None, KeyMaker, Person | None]:
    """The key of the page at PERSON (None if there is none), as the build computes it: the
    manifest's hashes standing for the records."""
    pages, _ = build_pages(published, Renderer(make_environment()), AS_OF, "")
    page = next((p for p in pages if p.src == PERSON), None)
    keys = KeyMaker("salt", record_digests(manifest_records(published), published))
    if page is None:
        return None, keys, None
    return keys.key(page, "frame"), keys, page.deferred.keywords["person"]  # type: ignore[union-attr]


def _changed(published: list[PublishedRegister], table: str, index: int, **changes: object) -> list[PublishedRegister]:
    out = []
    for data in published:
        tables = dict(data.tables)
        if table in tables and data.register.name == "declarations":
            rows = list(tables[table])
            rows[index] = dataclasses.replace(rows[index], **changes)
            tables[table] = rows
        out.append(PublishedRegister(data.register, tables))
    return out


def _another(value: object, kind: type) -> object:
    if kind is bool:
        return not value
    if kind is int:
        return (value or 0) + 1  # type: ignore[operator]
    if kind is Decimal:
        return (value or Decimal(0)) + Decimal("0.01")  # type: ignore[operator]
    if kind is dt.date:
        return (value or dt.date(2020, 1, 1)) + dt.timedelta(days=1)  # type: ignore[operator]
    return kind(f"{value or ''}x")


def test_the_records_stand_in_the_key_as_their_manifest_hashes(published):
    key, keys, person = _key(published)

    reduced = keys.reductions[Person](person)

    assert key is not None and len(person.declarations) == 2
    assert all(isinstance(part[0], str) for part in reduced[1][1])  # hashes, not the 3 items pickled field by field


@pytest.mark.parametrize("table", ["declarations", "items"])
def test_a_change_to_any_field_of_a_declaration_or_an_item_changes_the_key(published, table):
    before, _, _ = _key(published)
    record_type = next(d.register.table(table).record_type for d in published if d.register.name == "declarations")

    for spec in field_specs(record_type):
        row = next(d for d in published if d.register.name == "declarations").tables[table][0]
        after, _, _ = _key(_changed(published, table, 0, **{spec.name: _another(getattr(row, spec.name), spec.type)}))
        assert after != before, f"{table}.{spec.name}"  # a page that moved elsewhere has no key here: None


def test_the_export_a_row_came_from_is_in_the_key_but_not_its_row_number(published):
    before, _, _ = _key(published)
    source = next(d for d in published if d.register.name == "declarations").tables["items"][1].source
    assert source is not None

    moved, _, _ = _key(_changed(published, "items", 1, source=Source(source.file, source.row + 7)))
    other, _, _ = _key(_changed(published, "items", 1, source=Source("declarations_2024_items.csv", source.row)))

    assert moved == before  # a row moved within its export: the page does not show it
    assert other != before  # the page names the export


def test_a_declaration_shown_with_other_items_than_the_manifest_hashed_is_keyed_in_full(published):
    _, keys, person = _key(published)
    first = person.declarations[0]
    shown = Person(person.person_id, person.declarations, {**person.items, first.declaration_id: person.items[first.declaration_id][:1]})

    reduced = keys.reductions[Person](shown)

    assert reduced[1][1][0] == (first, person.items[first.declaration_id][:1])


@dataclasses.dataclass(frozen=True, slots=True)
class Note(Record):
    text: str | None = None


def test_a_record_the_manifest_did_not_hash_is_keyed_field_by_field():
    page = Page(src="a/p.md", title="П", html="", standalone=True)
    keys = KeyMaker("salt")
    with_note = lambda text: dataclasses.replace(page, meta={"note": Note(text=text, source=Source("a.csv", 2))})  # noqa: E731

    assert keys.reductions[Note](Note(text="x")) == (Note, (None, "x"))
    assert keys.key(with_note("едно"), "f") != keys.key(with_note("друго"), "f")


def test_a_page_rendered_by_anything_but_a_template_has_no_key():
    page = Page(src="a/p.md", title="П", html="", standalone=True, deferred=lambda: "<p>x</p>")

    assert KeyMaker("salt").key(page, "f") is None


KEY_IN_A_PROCESS = """
import sys, tempfile
from pathlib import Path
sys.path.insert(0, {project!r})
from tests.test_page_cache_rebuild import _key, _published
print(_key(_published(Path(tempfile.mkdtemp())))[0])
"""


def test_keys_are_the_same_in_every_process(published):
    project = str(Path(__file__).resolve().parents[1])
    runs = [
        subprocess.run([sys.executable, "-c", KEY_IN_A_PROCESS.format(project=project)], capture_output=True, text=True, check=True, env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}).stdout.strip()
        for seed in ("1", "2")
    ]

    assert runs[0] == runs[1] == _key(published)[0]


def _frame(site: Path) -> Frame:
    (site / "a" / "portal-frame-0").mkdir(parents=True)
    (site / "a" / "portal-frame-0" / "index.html").write_text(f"<html><head><title>{TITLE_SLOT}</title></head><body>{CONTENT_SLOT}</body></html>", encoding="utf-8")
    return Frame("a/portal-frame-0.md", {})


def test_a_rebuild_with_nothing_to_render_starts_no_process_and_links_every_page(tmp_path, monkeypatch):
    template = make_environment().from_string("<p>{{ n }}</p>")
    pages = [Page(src=f"a/p{n}.md", title=f"Лице {n}", html="", standalone=True, deferred=functools.partial(template.render, n=n)) for n in range(260)]
    first, cache_file = tmp_path / "first", tmp_path / "cache.json"
    cache = PageCache.load(None, None, "salt")
    written = write_framed(first, FramedPages([], {_frame(first): pages}), cache=cache)
    save_cache(cache_file, first, written.keys, cache)
    monkeypatch.setattr(frames.multiprocessing, "get_context", lambda method: pytest.fail("a process was started"))
    second = tmp_path / "second"
    counted: list[int] = []

    rebuilt = write_framed(second, FramedPages([], {_frame(second): pages}), counted.append, cache=PageCache.load(cache_file, first, "salt"))

    assert rebuilt.linked == 260 == sum(counted) and rebuilt.keys == written.keys and None not in written.keys.values()
    assert (second / "a" / "p7" / "index.html").stat().st_ino == (first / "a" / "p7" / "index.html").stat().st_ino


def test_a_rebuild_is_the_same_bytes_as_a_full_build_of_the_same_inputs(tmp_path, build):
    make_registers(tmp_path, declarations=PEOPLE, items=ITEMS)
    first = build()
    assert first.code == 0, first.output
    shutil.copytree(first.site, tmp_path / "fresh")  # the same history, but no page cache beside it: every page rendered
    make_registers(tmp_path, declarations=PEOPLE, items=[*ITEMS[:2], {**ITEMS[2], "value": Decimal("1500.00")}, ITEMS[3]])

    rebuilt = build()
    assert rebuilt.code == 0 and rebuilt.report["pages_unchanged"] == 1, rebuilt.output  # Иван Маринов's page, linked
    fresh = build(out=tmp_path / "fresh")

    assert fresh.code == 0 and fresh.report["pages_unchanged"] == 0, fresh.output
    files = lambda site: {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}  # noqa: E731
    one, two = files(rebuilt.site), files(fresh.site)
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
