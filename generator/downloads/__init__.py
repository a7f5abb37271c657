"""Open data: downloads, data package, static JSON API and Atom feeds, from the published, redacted records.

Everything here is written from the records the pages show (never from the exports), into a
folder beside mkdocs' docs (generator/build.py moves it into the built site: mkdocs would copy it
file by file); the output scan then reads it all.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from generator.downloads.addresses import DATA_DIR, DATA_PAGE, PACKAGE_FILE, SQLITE_FILE
from generator.downloads.api import ItemReader, collect_bodies, write_api
from generator.background import Background
from generator.downloads.catalogue import CHECKSUMS, Digest, DownloadFile, Listed, Written, checksums, digest_of
from generator.downloads.csv_out import write_csv
from generator.downloads.data_page import data_page, fill_data_page, pending_files
from generator.downloads.datapackage import Licence, data_package, schema_fingerprint
from generator.downloads.feeds import EntryLines, FeedIndex, collect_feeds, write_feed
from generator.downloads.json_out import write_json_file, write_json_table
from generator.downloads.reuse import FileReuse
from generator.downloads.schema_history import SCHEMA_HISTORY, current_version
from generator.downloads.sqlite_out import write_sqlite
from generator.downloads.subscribe import attach_feeds
from generator.downloads.tables import INHERITED, DataTable, open_tables
from generator.downloads.xlsx_out import write_xlsx
from generator.render.pages import Page, PublishedRegister, Renderer, group_people, url_of

ITEMS_GROUP = "declaration_id"  # items.json rows lie grouped by it, as the API nests them


def _newest(tables: list[DataTable]) -> dt.date | None:
    dates = [t.updated for t in tables if t.updated]
    return max(dates) if dates else None


def write_binary_downloads(tables: list[DataTable], docs_dir: Path, as_of: dt.date) -> dict[str, Digest]:
    """Write the XLSX workbook of each register and the SQLite database; their digests by path."""
    folder = docs_dir / DATA_DIR
    paths = []
    for register in dict.fromkeys(t.register for t in tables):
        write_xlsx([t for t in tables if t.register is register], folder / f"{register.name}.xlsx", as_of)
        paths.append(f"{DATA_DIR}/{register.name}.xlsx")
    write_sqlite(tables, folder / SQLITE_FILE)
    paths.append(f"{DATA_DIR}/{SQLITE_FILE}")
    return {path: digest_of(docs_dir, path) for path in paths}


def write_feeds(feeds: FeedIndex, docs_dir: Path, licence: str, site_url: str | None) -> None:
    """Write every feed as Atom (an entry in several feeds is made into text once)."""
    lines = EntryLines(site_url)
    for feed in feeds.all():
        write_feed(feed, docs_dir, licence, site_url, lines)


def _write_feeds_and_csv(tables: list[DataTable], feeds: FeedIndex, docs_dir: Path, licence: str, site_url: str | None) -> dict[str, Digest]:
    write_feeds(feeds, docs_dir, licence, site_url)
    return write_csv_downloads(tables, docs_dir)


def write_csv_downloads(tables: list[DataTable], docs_dir: Path) -> dict[str, Digest]:
    """Write CSV per table; their digests by path."""
    digests = {}
    for table in tables:
        with Written(docs_dir, f"{DATA_DIR}/{table.name}.csv") as out:
            write_csv(table, out)
        digests[out.path] = out.digest()
    return digests


def write_json_downloads(tables: list[DataTable], docs_dir: Path) -> tuple[dict[str, Digest], dict[object, list[tuple[int, int]]]]:
    """Write JSON per table; return their digests by path, and where each declaration's rows lie
    in items.json, which the API reuses."""
    spans: dict[object, list[tuple[int, int]]] = {}
    digests = {}
    for table in tables:
        with Written(docs_dir, f"{DATA_DIR}/{table.name}.json") as out:
            spans.update(write_json_table(table, out, ITEMS_GROUP if table.name == "items" else None))
        digests[out.path] = out.digest()
    return digests, spans


def listed_downloads(tables: list[DataTable]) -> list[Listed]:
    """The downloads in the order the data page lists them: per register its tables' CSV and JSON,
    then its XLSX; then SQLite and the data package."""
    listed = []
    for register in dict.fromkeys(t.register for t in tables):
        own = [t for t in tables if t.register is register]
        for table in own:
            listed += [Listed(f"{DATA_DIR}/{table.name}.{kind.lower()}", f"{table.title} ({kind})", len(table.values), table.updated) for kind in ("CSV", "JSON")]
        sheets = ", ".join(t.name for t in own)
        listed.append(Listed(f"{DATA_DIR}/{register.name}.xlsx", f"{register.title} (XLSX, листове: {sheets})", sum(len(t.values) for t in own), _newest(own)))
    listed.append(Listed(f"{DATA_DIR}/{SQLITE_FILE}", "Всички регистри в една база данни SQLite", sum(len(t.values) for t in tables), _newest(tables)))
    listed.append(Listed(f"{DATA_DIR}/{PACKAGE_FILE}", "Описание на таблиците (Frictionless Data Package)", None, _newest(tables)))
    return listed


class OpenData:
    """The open data of a build while child processes still write XLSX and SQLite, the feeds and
    CSV. The data page lists their sizes and hashes as slots until finish() (see PendingFile);
    the build renders and builds the pages meanwhile."""

    def __init__(
        self,
        docs_dir: Path,
        listed: list[Listed],
        digests: dict[str, Digest],
        children: list[Background[dict[str, Digest]]],
        package: Callable[[dict[str, int]], dict[str, object]],
    ) -> None:
        self._docs_dir = docs_dir
        self._listed = listed
        self._digests = digests
        self._children = children
        self._package = package

    def finish(self, site_dir: Path) -> None:
        """Wait for the children; write the data package and the checksums beside the downloads;
        fill the sizes and hashes into the data page in the built site."""
        digests = dict(self._digests)
        for child in self._children:
            digests.update(child.wait())
        folder = self._docs_dir / DATA_DIR
        csv_sizes = {path.rsplit("/", 1)[-1]: d.size for path, d in digests.items() if path.endswith(".csv")}
        write_json_file(self._package(csv_sizes), folder / PACKAGE_FILE, indent=1)
        digests[f"{DATA_DIR}/{PACKAGE_FILE}"] = digest_of(self._docs_dir, f"{DATA_DIR}/{PACKAGE_FILE}")
        files = [DownloadFile.of(listed, digests[listed.path]) for listed in self._listed]
        # No suffix, as sha256sum names it: the output scan reads it as data, not as a page.
        (folder / CHECKSUMS).write_text(checksums(files), encoding="utf-8")
        page = site_dir / url_of(DATA_PAGE) / "index.html"
        page.write_text(fill_data_page(page.read_text(encoding="utf-8"), files), encoding="utf-8")

    def stop(self) -> None:
        """End the children if they still run (the build failed elsewhere)."""
        for child in self._children:
            child.stop()


def start_open_data(
    published: list[PublishedRegister],
    pages: list[Page],
    docs_dir: Path,
    renderer: Renderer,
    as_of: dt.date,
    extra: dict[str, object],
    reuse: FileReuse | None = None,
) -> tuple[list[Page], OpenData]:
    """Write the open data files into `docs_dir` (moved into the site after mkdocs), the biggest
    in child processes that go on after this returns; return the pages, with the data page added.
    reuse: the API files the live site holds as written are linked from it."""
    # The stage makes millions of rows, cells and lines and no reference cycles; the collector
    # would walk the whole heap (every record and page of the build) again and again for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _start_open_data(published, pages, docs_dir, renderer, as_of, extra, reuse)
    finally:
        if collecting:
            gc.enable()


def _start_open_data(
    published: list[PublishedRegister], pages: list[Page], docs_dir: Path, renderer: Renderer, as_of: dt.date, extra: dict[str, object], reuse: FileReuse | None
) -> tuple[list[Page], OpenData]:
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
    # and the API (nationally about 10, 4 and 5 seconds of CPU), then goes on with mkdocs and the
    # pages while the children finish: the build waits for them before Pagefind (OpenData.finish).
    # They yield the CPU to this process, whose stages are the build's critical path (the national
    # rebuild's downloads stage in this process: 13.5 → 10.4 s).
    children = [
        Background(lambda: write_binary_downloads(tables, docs_dir, as_of), "XLSX и SQLite", yielding=True),
        Background(lambda: _write_feeds_and_csv(tables, feeds, docs_dir, licence.title, site_url), "емисии и CSV", yielding=True),
    ]
    try:
        digests, spans = write_json_downloads(tables, docs_dir)
        item_columns = next((t.names for t in tables if t.name == "items"), None)
        items = ItemReader(folder / "items.json", spans, [ITEMS_GROUP, *INHERITED], item_columns)
        try:
            index = write_api(tables, people, bodies, page_srcs, docs_dir, items, reuse)
        finally:
            items.close()
        # Pages offer their feeds.
        pages = attach_feeds(pages, feeds, [p.register for p in published], people, renderer.env.get_template("subscribe.html.j2"))

        fingerprint = schema_fingerprint(tables)
        schema = current_version(fingerprint)
        version = schema.version if schema else f"{SCHEMA_HISTORY[-1].version}+{fingerprint}"
        listed = listed_downloads(tables)
        # The data package needs the tables' schemas only: their rows are not kept for it.
        shapes = [replace(t, values=()) for t in tables]
        # The data page lists everything.
        persons = index["persons"]
        page = data_page(
            renderer,
            files=pending_files(listed),
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
    except BaseException:  # the build stops here: so do the children (OpenData.stop once returned)
        for child in children:
            child.stop()
        raise
    return [*pages, page], OpenData(docs_dir, listed, digests, children, lambda sizes: data_package(shapes, sizes, licence, version, as_of))
