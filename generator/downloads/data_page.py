"""The data page "Отворени данни": files, licence, column reference, API, feeds, schema history, JSON-LD."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from generator.downloads.addresses import DATA_PAGE, file_link
from generator.downloads.catalogue import DownloadFile, Listed
from generator.downloads.datapackage import Licence, frictionless_type
from generator.downloads.feeds import FEED_SIZE, Feed
from generator.downloads.schema_history import SCHEMA_HISTORY, SchemaChange
from generator.downloads.tables import DataTable
from generator.render.pages import Page, Renderer, url_of

TITLE = "Отворени данни"
TYPE_LABELS = {
    "string": "текст",
    "integer": "цяло число",
    "number": "число (десетична точка)",
    "date": "дата (ГГГГ-ММ-ДД)",
    "boolean": "да/не (true/false)",
}
PUBLISHER = "Инспекторат към Висшия съдебен съвет"
_SLOT = re.compile(r"portal-slot-(?P<kind>size|sha|bytes)-(?P<number>\d+)\b")


class DataPageError(Exception):
    """The built data page does not hold the slots it was rendered with (a theme or hook change?)."""


@dataclass(frozen=True)
class PendingFile(Listed):
    """A download on the data page while its bytes are still being written: in place of its size
    and hash, slots that fill_data_page fills in the built page. The slots are plain words, so
    mkdocs and the hooks carry them through unchanged, and the page's policy does not depend on
    them (the JSON-LD block is data, not a script)."""

    number: int

    @property
    def size_text(self) -> str:
        """The slot of the size as the page shows it (DownloadFile.size_text)."""
        return f"portal-slot-size-{self.number}"

    @property
    def sha256_groups(self) -> list[str]:
        """The slot of the hash in its groups of eight, as one group."""
        return [f"portal-slot-sha-{self.number}"]

    @property
    def content_size(self) -> str:
        """The slot of the size in bytes, for schema.org's contentSize."""
        return f"portal-slot-bytes-{self.number} B"


def pending_files(listed: list[Listed]) -> list[PendingFile]:
    """The files to list, numbered for their slots."""
    return [PendingFile(f.path, f.title, f.records, f.updated, number) for number, f in enumerate(listed)]


def fill_data_page(page_html: str, files: list[DownloadFile]) -> str:
    """The built data page with each file's slots filled in, as the template writes a written file."""
    found: list[tuple[str, int]] = []

    def filled(match: re.Match[str]) -> str:
        kind, number = match["kind"], int(match["number"])
        found.append((kind, number))
        if number >= len(files):
            return match[0]
        file = files[number]
        if kind == "size":
            return str(escape(file.size_text))
        if kind == "sha":
            return ":<wbr>".join(file.sha256_groups)
        return str(file.size)

    out = _SLOT.sub(filled, page_html)
    # Each slot exactly once: a theme that dropped one, or an export's text that holds one, stops the build.
    if sorted(found) != sorted((kind, number) for kind in ("size", "sha", "bytes") for number in range(len(files))):
        raise DataPageError(f"страницата „{TITLE}“ не съдържа точно по веднъж местата за размера и сумата на всеки файл.")
    return out


def _absolute(site_url: str | None, path: str) -> str | None:
    return f"{site_url.rstrip('/')}/{path.removeprefix('./')}" if site_url else None


def json_ld(files: list[PendingFile], licence: Licence, updated: dt.date | None, site_url: str | None) -> Markup:
    """schema.org Dataset, for data portals and search engines; safe inside a <script> element."""
    dataset: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": "Публични регистри на Инспектората към ВСС",
        "description": "Декларации за имущество и интереси на магистратите, списъци на неподалите в срок и на некоректно деклариралите, "
        "влезли в сила наказателни постановления, годишна програма за проверки и становища по защита на личните данни.",
        "inLanguage": "bg",
        "isAccessibleForFree": True,
        "license": licence.url or licence.title,
        "creator": {"@type": "GovernmentOrganization", "name": PUBLISHER},
        "publisher": {"@type": "GovernmentOrganization", "name": PUBLISHER},
        "keywords": ["декларации за имущество", "магистрати", "съдебна власт", "Инспекторат към ВСС", "отворени данни"],
        "distribution": [
            {"@type": "DataDownload", "name": f.name, "encodingFormat": f.mediatype, "contentUrl": _absolute(site_url, f.path) or file_link(DATA_PAGE, f.path), "contentSize": f.content_size}
            for f in files
        ],
    }
    if updated:
        dataset["dateModified"] = updated.isoformat()
    if site_url:
        dataset["url"] = _absolute(site_url, url_of(DATA_PAGE))
    text = json.dumps(dataset, ensure_ascii=False, indent=1)
    # "</script>" or "<!--" in a value must not end the element early.
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def column_reference(tables: list[DataTable]) -> list[tuple[DataTable, list[tuple[str, str, str, bool, str, str]]]]:
    """Per table, each column: name, label, type, required, allowed values, description."""
    return [
        (
            table,
            [
                (f.name, f.column.label, TYPE_LABELS[frictionless_type(f.type)], f.column.required or f.name in table.primary_key, ", ".join(f.column.choices), f.column.description)
                for f in table.fields
            ],
        )
        for table in tables
    ]


def data_page(
    renderer: Renderer,
    *,
    files: list[PendingFile],
    sums: str,
    tables: list[DataTable],
    licence: Licence,
    updated: dt.date | None,
    schema: SchemaChange | None,
    fingerprint: str,
    api_example: dict[str, object] | None,
    register_feeds: list[Feed],
    body_feed_count: int,
    person_feed_count: int,
    site_url: str | None,
) -> Page:
    """Render the data page with the open-data template; the files' sizes and hashes are slots (see PendingFile)."""
    example = json.dumps(api_example, ensure_ascii=False, indent=1) if api_example else ""
    return renderer.page(
        DATA_PAGE,
        TITLE,
        "open_data.html.j2",
        meta={"feeds": [{"title": f.title, "href": f.path} for f in register_feeds]},
        files=files,
        sums={"path": sums, "name": sums.rsplit("/", 1)[-1]},
        file_link=lambda target: file_link(DATA_PAGE, target),
        tables=column_reference(tables),
        licence=licence,
        updated=updated,
        schema=schema,
        fingerprint=fingerprint,
        history=list(reversed(SCHEMA_HISTORY)),
        api_example=example,
        register_feeds=register_feeds,
        body_feed_count=body_feed_count,
        person_feed_count=person_feed_count,
        feed_size=FEED_SIZE,
        json_ld=json_ld(files, licence, updated, site_url),
    )
