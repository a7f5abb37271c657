"""Link pages to their feeds: `meta.feeds` for the <link rel="alternate"> in the theme, and a visible "Абонирай се"."""

from __future__ import annotations

from dataclasses import replace

from jinja2 import Template

from generator.downloads.addresses import DATA_PAGE, body_page, body_slug, file_link
from generator.downloads.feeds import Feed, FeedIndex
from generator.registers.schema import Register
from generator.render.pages import Page, Person, relative


class PageFeeds:
    """Which feeds a page offers: a person's page their own and their body's, a register's page
    its register's, a body's page its own; other pages none."""

    def __init__(self, feeds: FeedIndex, registers: list[Register], people: list[Person]) -> None:
        self.feeds = feeds
        self.registers = {r.slug: r for r in registers}
        self.people = {p.src: p for p in people}
        self.body_pages = {body_page(slug): feed for slug, feed in feeds.bodies.items()}

    def __call__(self, src: str) -> list[Feed]:
        if src in self.people:
            person = self.people[src]
            body = self.feeds.bodies.get(body_slug(person.latest.body or ""))
            return [self.feeds.people[person.person_id], *([body] if body else [])]
        section = src.split("/")[0]
        if "/" in src and section in self.registers:
            return [self.feeds.registers[self.registers[section].name]]
        return [self.body_pages[src]] if src in self.body_pages else []


def attach_feeds(pages: list[Page], feeds: FeedIndex, registers: list[Register], people: list[Person], links: Template) -> list[Page]:
    """Every page, with `meta.feeds` and visible "Абонирай се" links where it follows something."""
    offered_by = PageFeeds(feeds, registers, people)
    out = []
    for page in pages:
        offered = offered_by(page.src)
        if not offered:
            out.append(page)
            continue
        meta = {**page.meta, "feeds": [{"title": f.title, "href": f.path} for f in offered]}
        html = links.render(feeds=[(f.title, file_link(page.src, f.path)) for f in offered], help=relative(page.src, DATA_PAGE) + "#abonamenti")
        out.append(replace(page, meta=meta, html=page.html + html))
    return out
