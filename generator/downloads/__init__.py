"""Open data: downloads, data package, static JSON API and Atom feeds, from the published, redacted records.

Everything here is written from the records the pages show (never from the exports), into a
folder beside mkdocs' docs (generator/build.py moves it into the built site: mkdocs would copy it
file by file); the output scan then reads it all.
"""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

from generator.downloads.addresses import DATA_DIR, PACKAGE_FILE, SQLITE_FILE
from generator.downloads.api import ItemReader, collect_bodies, write_api
from generator.background import Background
from generator.downloads.catalogue import CHECKSUMS, DownloadFile, Written, checksums, describe
from generator.downloads.csv_out import write_csv
from generator.downloads.data_page import data_page
from generator.downloads.datapackage import Licence, data_package, schema_fingerprint
from generator.downloads.feeds import EntryLines, FeedIndex, collect_feeds, write_feed
from generator.downloads.json_out import write_json_file, write_json_table
from generator.downloads.schema_history import SCHEMA_HISTORY, current_version
from generator.downloads.sqlite_out import write_sqlite
from generator.downloads.subscribe import attach_feeds
from generator.downloads.tables import INHERITED, DataTable, open_tables
from generator.downloads.xlsx_out import write_xlsx
from generator.render.pages import Page, PublishedRegister, Renderer, group_people

ITEMS_GROUP = "declaration_id"  # items.json rows lie grouped by it, as the API nests them


def _newest(tables: list[DataTable]) -> dt.date | None:
    dates = [t.updated for t in tables if t.updated]
    return max(dates) if dates else None


def write_binary_downloads(tables: list[DataTable], docs_dir: Path, as_of: dt.date) -> dict[str, DownloadFile]:
    """Write the XLSX workbook of each register and the SQLite database; describe them by path."""
    folder = docs_dir / DATA_DIR
    files = []
    for register in dict.fromkeys(t.register for t in tables):
        own = [t for t in tables if t.register is register]
        write_xlsx(own, folder / f"{register.name}.xlsx", as_of)
        sheets = ", ".join(t.name for t in own)
        files.append(describe(docs_dir, f"{DATA_DIR}/{register.name}.xlsx", f"{register.title} (XLSX, листове: {sheets})", sum(len(t.values) for t in own), _newest(own)))
    write_sqlite(tables, folder / SQLITE_FILE)
    files.append(describe(docs_dir, f"{DATA_DIR}/{SQLITE_FILE}", "Всички регистри в една база данни SQLite", sum(len(t.values) for t in tables), _newest(tables)))
    return {f.path: f for f in files}


def write_feeds(feeds: FeedIndex, docs_dir: Path, licence: str, site_url: str | None) -> None:
    """Write every feed as Atom (an entry in several feeds is made into text once)."""
    lines = EntryLines(site_url)
    for feed in feeds.all():
        write_feed(feed, docs_dir, licence, site_url, lines)


def _write_feeds_and_csv(tables: list[DataTable], feeds: FeedIndex, docs_dir: Path, licence: str, site_url: str | None) -> dict[str, DownloadFile]:
    write_feeds(feeds, docs_dir, licence, site_url)
    return write_csv_downloads(tables, docs_dir)


def write_csv_downloads(tables: list[DataTable], docs_dir: Path) -> dict[str, DownloadFile]:
    """Write CSV per table and describe it."""
    files = {}
    for table in tables:
        with Written(docs_dir, f"{DATA_DIR}/{table.name}.csv") as out:
            write_csv(table, out)
        files[out.path] = out.describe(f"{table.title} (CSV)", len(table.values), table.updated)
    return files


def write_json_downloads(tables: list[DataTable], docs_dir: Path) -> tuple[dict[str, DownloadFile], dict[object, list[tuple[int, int]]]]:
    """Write JSON per table and describe it; also return where each declaration's rows lie in
    items.json, which the API reuses."""
    spans: dict[object, list[tuple[int, int]]] = {}
    files = {}
    for table in tables:
        with Written(docs_dir, f"{DATA_DIR}/{table.name}.json") as out:
            spans.update(write_json_table(table, out, ITEMS_GROUP if table.name == "items" else None))
        files[out.path] = out.describe(f"{table.title} (JSON)", len(table.values), table.updated)
    return files, spans


def listed_downloads(tables: list[DataTable], described: dict[str, DownloadFile]) -> list[DownloadFile]:
    """The downloads in the order the data page lists them: per register its tables' CSV and JSON, then its XLSX; then SQLite."""
    order = []
    for register in dict.fromkeys(t.register for t in tables):
        own = [t for t in tables if t.register is register]
        order += [f"{DATA_DIR}/{t.name}{suffix}" for t in own for suffix in (".csv", ".json")] + [f"{DATA_DIR}/{register.name}.xlsx"]
    return [described[path] for path in [*order, f"{DATA_DIR}/{SQLITE_FILE}"]]


def build_open_data(published: list[PublishedRegister], pages: list[Page], docs_dir: Path, renderer: Renderer, as_of: dt.date, extra: dict[str, object]) -> list[Page]:
    """Write the open data files into `docs_dir` (moved into the site after mkdocs); return the pages, with the data page added."""
    # The stage makes millions of rows, cells and lines and no reference cycles; the collector
    # would walk the whole heap (every record and page of the build) again and again for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build_open_data(published, pages, docs_dir, renderer, as_of, extra)
    finally:
        if collecting:
            gc.enable()


def _build_open_data(published: list[PublishedRegister], pages: list[Page], docs_dir: Path, renderer: Renderer, as_of: dt.date, extra: dict[str, object]) -> list[Page]:
    licence = Licence.named(str(extra.get("licence") or "") or None)
    site_url = str(extra["site_url"]) if extra.get("site_url") else None
    tables = open_tables(published, as_of)

    folder = docs_dir / DATA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    # People grouped as their pages group them (without their items: the API reads those back from
    # items.json), bodies and feeds, for the API, the feeds and the pages that offer the feeds.
    by_name = {p.register.name: p for p in published}
    people = group_people(by_name["declarations"].tables["declarations"], [])
    bodies = collect_bodies(tables)
    page_srcs = {p.src for p in pages}
    feeds = collect_feeds(tables, people, bodies, page_srcs, as_of)
    # XLSX and SQLite in a child process, the feeds and CSV in another, while this one writes JSON
    # and the API: nationally about 10, 6 and 5 seconds of CPU, shared by the two cores.
    binary = Background(lambda: write_binary_downloads(tables, docs_dir, as_of), "XLSX и SQLite")
    text = Background(lambda: _write_feeds_and_csv(tables, feeds, docs_dir, licence.title, site_url), "емисии и CSV")
    try:
        described, spans = write_json_downloads(tables, docs_dir)
        item_columns = next((t.names for t in tables if t.name == "items"), None)
        items = ItemReader(folder / "items.json", spans, [ITEMS_GROUP, *INHERITED], item_columns)
        try:
            index = write_api(tables, people, bodies, page_srcs, docs_dir, items)
        finally:
            items.close()
        # Pages offer their feeds.
        pages = attach_feeds(pages, feeds, [p.register for p in published], people, renderer.env.get_template("subscribe.html.j2"))
        described.update(text.wait())
        described.update(binary.wait())
    finally:
        binary.stop()
        text.stop()

    # The downloads, then the data package of the CSV files, then the checksums of them all.
    files = listed_downloads(tables, described)
    fingerprint = schema_fingerprint(tables)
    schema = current_version(fingerprint)
    version = schema.version if schema else f"{SCHEMA_HISTORY[-1].version}+{fingerprint}"
    csv_files = {f.name: f.size for f in files if f.name.endswith(".csv")}
    write_json_file(data_package(tables, csv_files, licence, version, as_of), folder / PACKAGE_FILE, indent=1)
    files.append(describe(docs_dir, f"{DATA_DIR}/{PACKAGE_FILE}", "Описание на таблиците (Frictionless Data Package)", None, _newest(tables)))
    # No suffix, as sha256sum names it: the output scan reads it as data, not as a page.
    (folder / CHECKSUMS).write_text(checksums(files), encoding="utf-8")

    # The data page lists everything.
    persons = index["persons"]
    page = data_page(
        renderer,
        files=files,
        sums=f"{DATA_DIR}/{CHECKSUMS}",
        tables=tables,
        licence=licence,
        updated=_newest(tables),
        schema=schema,
        fingerprint=fingerprint,
        api_example=persons[0] if isinstance(persons, list) and persons else None,
        register_feeds=list(feeds.registers.values()),
        body_feed_count=len(feeds.bodies),
        person_feed_count=len(feeds.people),
        site_url=site_url,
    )
    return [*pages, page]
