"""Atom feeds: one per register, one per body, one per declarant, each with its newest entries.

An entry's id is a tag URI derived from its table and key, never from its position or the
build, so a feed reader shows each entry once however often the site is rebuilt.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from xml.sax.saxutils import escape

from generator.downloads.addresses import body_feed, body_page, page_link, person_feed, register_feed
from generator.downloads.api import Body
from generator.downloads.entries import Entry, EntryMaker
from generator.downloads.ids import tag_uri
from generator.downloads.tables import DataTable, Row
from generator.render.pages import Person, index_src, url_of

PUBLISHER = "Инспекторат към Висшия съдебен съвет"
FEED_SIZE = 100  # newest entries of every feed: a feed is for news, the pages and the downloads are the archive
REGISTER_FEED_TITLES = {
    "declarations": "нови декларации",
    "late_filers": "неподали декларация в срок",
    "incorrect_declarants": "некоректно декларирали",
    "penalty_rulings": "влезли в сила наказателни постановления",
    "inspection_programme": "приемане и изменения на програмата",
    "dp_opinions": "нови становища",
}


@dataclass(frozen=True)
class Feed:
    """A feed: where it is written, what it follows, and its entries newest first."""

    path: str  # relative to the site root, e.g. feeds/deklaracii.xml
    title: str
    page: str  # the page the feed follows
    entries: tuple[Entry, ...]
    as_of: dt.date

    @property
    def updated(self) -> dt.date:
        """The newest entry's date; the build date for a feed with no entries yet."""
        return self.entries[0].updated if self.entries else self.as_of




@dataclass(frozen=True)
class FeedIndex:
    """The feeds of one build by what they follow, each mapping in a fixed order."""

    registers: dict[str, Feed]  # register name -> feed
    bodies: dict[str, Feed]  # body slug -> feed
    people: dict[str, Feed]  # person_id -> feed

    def all(self) -> list[Feed]:
        """Every feed: registers, then bodies, then people."""
        return [*self.registers.values(), *self.bodies.values(), *self.people.values()]


def _newest_first(entries: list[Entry], limit: int | None = None) -> tuple[Entry, ...]:
    ordered = sorted(entries, key=lambda e: (e.updated, e.key), reverse=True)
    return tuple(ordered[:limit] if limit else ordered)


def _register_feeds(tables: list[DataTable], make: EntryMaker, as_of: dt.date) -> dict[str, Feed]:
    """A feed per register, of its first table (declarations for the declarations register)."""
    feeds = {}
    for table in tables:
        register = table.register
        if table.table is not register.tables[0]:
            continue
        # The programme is news when a decision adopts or amends it, not inspection by inspection.
        entries = make.programme_decisions(table) if table.name == "inspection_programme" else make.entries(table, table.rows)
        title = f"{register.title}: {REGISTER_FEED_TITLES.get(register.name, 'нови записи')}"
        feeds[register.name] = Feed(register_feed(register), title, index_src(register), _newest_first(entries, FEED_SIZE), as_of)
    return feeds


def _body_feeds(tables: dict[str, DataTable], bodies: list[Body], make: EntryMaker, page_srcs: set[str], as_of: dt.date) -> dict[str, Feed]:
    """A feed per court or office: every record of every register that names it."""
    feeds = {}
    for body in bodies:
        entries = [entry for name, rows in body.rows.items() if name in tables for entry in make.entries(tables[name], rows)]
        page = body_page(body.slug)
        follows = page if page in page_srcs else index_src(tables["declarations"].register)
        feeds[body.slug] = Feed(body_feed(body.slug), f"{body.name}: нови записи в регистрите", follows, _newest_first(entries, FEED_SIZE), as_of)
    return feeds


def _person_feeds(declarations: DataTable, people: list[Person], make: EntryMaker, as_of: dt.date) -> dict[str, Feed]:
    """A feed per declarant ("follow this magistrate"): their newest published declarations."""
    rows_of: dict[str, list[Row]] = defaultdict(list)
    for row in declarations.rows:
        rows_of[str(row["person_id"])].append(row)
    return {
        p.person_id: Feed(person_feed(p.person_id), f"{p.name}: декларации", p.src, _newest_first(make.entries(declarations, rows_of[p.person_id]), FEED_SIZE), as_of)
        for p in people
    }


def collect_feeds(tables: list[DataTable], people: list[Person], bodies: list[Body], page_srcs: set[str], as_of: dt.date) -> FeedIndex:
    """The register feeds, the body feeds and the person feeds of this build."""
    by_name = {t.name: t for t in tables}
    make = EntryMaker({t.name: t.register for t in tables}, people, page_srcs, as_of)
    return FeedIndex(
        _register_feeds(tables, make, as_of),
        _body_feeds(by_name, bodies, make, page_srcs, as_of),
        _person_feeds(by_name["declarations"], people, make, as_of),
    )


# What XML 1.0 cannot hold at all; exports have carried such bytes (a pasted control character).
_NOT_XML = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """The text without the characters XML forbids (an Atom file with one would not parse)."""
    return _NOT_XML.sub("", text)


def _moment(day: dt.date) -> str:
    """An RFC 3339 time of a day: its midnight, UTC."""
    return f"{day.isoformat()}T00:00:00+00:00"


def _href(from_file: str, page: str, anchor: str, site_url: str | None) -> str:
    """Absolute where the site's address is known, else relative to the feed (readers resolve it)."""
    if site_url:
        return f"{site_url.rstrip('/')}/{url_of(page).removeprefix('./')}{'#' + anchor if anchor else ''}"
    return page_link(from_file, page) + (f"#{anchor}" if anchor else "")


def _attribute(text: str) -> str:
    return escape(text, {'"': "&quot;"})


class EntryLines:
    """The <entry> lines of a build's feeds. A declaration is an entry of its register's, its
    body's and its declarant's feed, and every entry of a declarant's feed links to one page:
    each entry's text, and each link from a folder of feeds, is made once."""

    def __init__(self, site_url: str | None) -> None:
        self.site_url = site_url
        self.texts: dict[int, tuple[str, str]] = {}  # id(entry) -> its text before and after the link
        self.links: dict[tuple[str, str], str] = {}  # (folder of the feed, page) -> the escaped link
        self.entries: list[Entry] = []  # keeps each entry alive while its id is a key

    def __call__(self, feed_path: str, e: Entry) -> str:
        text = self.texts.get(id(e))
        if text is None:
            self.entries.append(e)
            text = self.texts[id(e)] = (
                f"<entry><id>{tag_uri('entry', e.key)}</id><title>{escape(xml_text(e.title))}</title><updated>{_moment(e.updated)}</updated>",
                f"<summary>{escape(xml_text(e.summary))}</summary></entry>\n",
            )
        folder, _, name = feed_path.rpartition("/")
        where = folder if "." in name else feed_path  # a link is relative to the folder of a file
        link = self.links.get((where, e.page))
        if link is None:
            link = self.links[(where, e.page)] = _attribute(_href(feed_path, e.page, "", self.site_url))
        anchor = _attribute(f"#{e.anchor}") if e.anchor else ""
        return f'{text[0]}<link href="{link}{anchor}"/>{text[1]}'


def atom(feed: Feed, licence: str, site_url: str | None, lines: EntryLines | None = None) -> str:
    """The feed as Atom 1.0 text, an entry a line, with fixed dates: the same input gives the same bytes.

    Written as text rather than with feedgen: a national build writes some six thousand feeds,
    and building each as an lxml tree took most of the time of the feeds.
    """
    lines = lines if lines is not None and lines.site_url == site_url else EntryLines(site_url)
    self_link = f'<link href="{_attribute(site_url.rstrip("/") + "/" + feed.path)}" rel="self" type="application/atom+xml"/>\n' if site_url else ""
    head = (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="bg">\n'
        f"<id>{tag_uri('feed', feed.path)}</id>\n"
        f"<title>{escape(xml_text(feed.title))}</title>\n"
        f"<updated>{_moment(feed.updated)}</updated>\n"
        f"<author><name>{escape(PUBLISHER)}</name></author>\n"
        f'<link href="{_attribute(_href(feed.path, feed.page, "", site_url))}" rel="alternate" type="text/html"/>\n'
        f"{self_link}"
        "<generator>Публични регистри на ИВСС</generator>\n"
        f"<rights>{escape(f'Данните се публикуват под лиценз {licence}.')}</rights>\n"
    )
    return head + "".join([lines(feed.path, e) for e in feed.entries]) + "</feed>\n"


def write_feed(feed: Feed, docs_dir: Path, licence: str, site_url: str | None, lines: EntryLines | None = None) -> None:
    """Write one feed as Atom 1.0 into docs_dir (`lines`: the entry lines of the build's other feeds)."""
    target = docs_dir / feed.path
    if not target.parent.is_dir():
        target.parent.mkdir(parents=True)
    target.write_text(atom(feed, licence, site_url, lines), encoding="utf-8")
