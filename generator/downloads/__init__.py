"""Open data: downloads, data package, static JSON API and Atom feeds, from the published, redacted records.

Everything here is written from the records the pages show (never from the exports), into
docs_dir, which mkdocs copies into the site as it is; the output scan then reads it all.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.downloads.addresses import DATA_DIR, PACKAGE_FILE, SQLITE_FILE
from generator.downloads.api import collect_bodies, write_api
from generator.downloads.catalogue import CHECKSUMS, DownloadFile, checksums, describe
from generator.downloads.csv_out import write_csv
from generator.downloads.data_page import data_page
from generator.downloads.datapackage import Licence, data_package, schema_fingerprint
from generator.downloads.feeds import collect_feeds, write_feed
from generator.downloads.json_out import write_json_file, write_json_table
from generator.downloads.schema_history import SCHEMA_HISTORY, current_version
from generator.downloads.sqlite_out import write_sqlite
from generator.downloads.subscribe import attach_feeds
from generator.downloads.tables import DataTable, open_tables
from generator.downloads.xlsx_out import write_xlsx
from generator.render.pages import Page, PublishedRegister, Renderer, group_people


def _newest(tables: list[DataTable]) -> dt.date | None:
    dates = [t.updated for t in tables if t.updated]
    return max(dates) if dates else None


def write_downloads(tables: list[DataTable], docs_dir: Path, as_of: dt.date) -> list[DownloadFile]:
    """Write CSV and JSON per table, XLSX per register and one SQLite database; describe each file."""
    folder = docs_dir / DATA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    files: list[DownloadFile] = []
    for register in dict.fromkeys(t.register for t in tables):
        own = [t for t in tables if t.register is register]
        for table in own:
            for suffix, write in ((".csv", write_csv), (".json", write_json_table)):
                write(table, folder / f"{table.name}{suffix}")
                files.append(describe(docs_dir, f"{DATA_DIR}/{table.name}{suffix}", f"{table.title} ({suffix[1:].upper()})", len(table.rows), table.updated))
        write_xlsx(own, folder / f"{register.name}.xlsx", as_of)
        sheets = ", ".join(t.name for t in own)
        files.append(describe(docs_dir, f"{DATA_DIR}/{register.name}.xlsx", f"{register.title} (XLSX, листове: {sheets})", sum(len(t.rows) for t in own), _newest(own)))
    write_sqlite(tables, folder / SQLITE_FILE)
    files.append(describe(docs_dir, f"{DATA_DIR}/{SQLITE_FILE}", "Всички регистри в една база данни SQLite", sum(len(t.rows) for t in tables), _newest(tables)))
    return files


def build_open_data(published: list[PublishedRegister], pages: list[Page], docs_dir: Path, renderer: Renderer, as_of: dt.date, extra: dict[str, object]) -> list[Page]:
    """Write the open data files into docs_dir (mkdocs copies them into the site); return the pages, with the data page added."""
    licence = Licence.named(str(extra.get("licence") or "") or None)
    site_url = str(extra["site_url"]) if extra.get("site_url") else None
    tables = open_tables(published, as_of)

    # Downloads, then the data package that describes the CSV files, then the checksums of them all.
    files = write_downloads(tables, docs_dir, as_of)
    fingerprint = schema_fingerprint(tables)
    schema = current_version(fingerprint)
    version = schema.version if schema else f"{SCHEMA_HISTORY[-1].version}+{fingerprint}"
    csv_files = {f.name: f.size for f in files if f.name.endswith(".csv")}
    write_json_file(data_package(tables, csv_files, licence, version, as_of), docs_dir / DATA_DIR / PACKAGE_FILE, indent=1)
    files.append(describe(docs_dir, f"{DATA_DIR}/{PACKAGE_FILE}", "Описание на таблиците (Frictionless Data Package)", None, _newest(tables)))
    # No suffix, as sha256sum names it: the output scan reads it as data, not as a page.
    (docs_dir / DATA_DIR / CHECKSUMS).write_text(checksums(files), encoding="utf-8")

    # The static API and the feeds, from the same tables; people grouped as their pages group them.
    by_name = {p.register.name: p for p in published}
    people = group_people(by_name["declarations"].tables["declarations"], by_name["declarations"].tables["items"])
    bodies = collect_bodies(tables)
    page_srcs = {p.src for p in pages}
    index = write_api(tables, people, bodies, page_srcs, docs_dir)
    feeds = collect_feeds(tables, people, bodies, page_srcs, as_of)
    for feed in feeds.all():
        write_feed(feed, docs_dir, licence.title, site_url)

    # Pages offer their feeds; the data page lists everything.
    registers = [p.register for p in published]
    pages = attach_feeds(pages, feeds, registers, people, renderer.env.get_template("subscribe.html.j2"))
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
