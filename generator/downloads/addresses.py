"""Where open-data files live in the site, relative to its root; one place, so pages, API and feeds agree."""

from __future__ import annotations

import re

from mkdocs.utils import get_relative_url

from generator.registers.schema import Register
from generator.render.pages import url_of
from generator.transliterate import slugify

DATA_DIR = "data"
API_DIR = "api/v1"
FEEDS_DIR = "feeds"
DATA_PAGE = "otvoreni-danni.md"
SQLITE_FILE = "registri.sqlite"
PACKAGE_FILE = "datapackage.json"

_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
BODY_FIELDS = ("body", "requested_by")  # the columns that name a court or office
BODY_PAGES = "organi"  # where the pages of courts and offices are, one per slug of their name


def person_key(person_id: str) -> str:
    """A person_id as a file name: itself where that is safe (as the API promises), else its slug."""
    return person_id if _SAFE_ID.fullmatch(person_id) else slugify(person_id) or "lice"


def person_api(person_id: str) -> str:
    """api/v1/persons/<person_id>.json: a declarant's declarations and items."""
    return f"{API_DIR}/persons/{person_key(person_id)}.json"


def body_slug(body: str) -> str:
    """The address part of a court or office: its transliterated name ("okrazhen-sad-kyustendil")."""
    return slugify(body)


def body_api(slug: str) -> str:
    """api/v1/bodies/<slug>.json: what the registers publish about a court or office."""
    return f"{API_DIR}/bodies/{slug}.json"


def register_feed(register: Register) -> str:
    """feeds/<register slug>.xml: the news of one register."""
    return f"{FEEDS_DIR}/{register.slug}.xml"


def body_feed(slug: str) -> str:
    """feeds/organi/<slug>.xml: the news about one court or office."""
    return f"{FEEDS_DIR}/organi/{slug}.xml"


def person_feed(person_id: str) -> str:
    """feeds/lica/<person_id>.xml: "follow this magistrate"."""
    return f"{FEEDS_DIR}/lica/{person_key(person_id)}.xml"


def file_link(from_src: str, target: str) -> str:
    """A relative link from a page (by its Markdown source) to a file of the site."""
    return get_relative_url(target, url_of(from_src))


def page_link(from_file: str, page_src: str) -> str:
    """A relative link from a file of the site (a feed) to a page, by the page's Markdown source."""
    return get_relative_url(url_of(page_src), from_file)


def body_page(slug: str) -> str:
    """The Markdown source of a body's page (it exists only if the pages stage made one)."""
    return f"{BODY_PAGES}/{slug}.md"
