"""Session fixtures for the browser checks of tests/test_accessibility.py and tests/test_privacy.py:
the shipped example site, built once and served once for both, and a chromium per module.

Loaded with `pytest_plugins = ("tests.example_site",)` in those modules, so the build is shared.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, serve
from tests.conftest import PROJECT, Run, run_portal

SEARCH = "tarsene/?q=Petrova"  # two namesakes in the example: results and filters to check


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Run:
    """The shipped registers/ and content/, built as of 2026-11-24."""
    out = tmp_path_factory.mktemp("example-site")
    result = run_portal(
        "build", "--registers", str(PROJECT / "registers"), "--content", str(PROJECT / "content"),
        "--out", str(out / "site"), "--as-of", "2026-11-24", "--report", str(out / "report.json"),
    )  # fmt: skip
    run = Run(result.returncode, result.stdout + result.stderr, out / "site", out / "report.json")
    assert run.code == 0, run.output
    return run


@pytest.fixture(scope="session")
def site_url(example_site):
    with serve(example_site.site) as url:
        yield url


@pytest.fixture(scope="module")
def chromium():
    # Module scope: a running sync Playwright owns an event loop, and tests.browser.browser_page()
    # in other modules cannot start its own while this one is alive.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def first_page(site: Path, pattern: str, containing: str = "") -> str:
    """The site path ("deklaracii/x/") of the first page matching a glob (and holding a text)."""
    for path in sorted(site.glob(pattern)):
        if not containing or containing in path.read_text(encoding="utf-8"):
            return path.parent.relative_to(site).as_posix() + "/"
    raise AssertionError(f"no page {pattern} {containing!r} in the example site")


def person_page(site: Path) -> str:
    """A declarant with declarations of several years: comparison table and charts."""
    return first_page(site, "deklaracii/*-p-*/index.html", containing='class="portal-chart"')


def template_pages(site: Path) -> list[str]:
    """One page of every template: home, each register listing, a person, a body, an opinion,
    content pages, search with results, the data page and every other top-level page, 404."""
    pages = [
        "",
        "deklaracii/", first_page(site, "deklaracii/bukva-*/index.html"), first_page(site, "deklaracii/20[0-9][0-9]/index.html"),
        first_page(site, "deklaracii/vid-*/index.html"), person_page(site),
        "organi/", first_page(site, "organi/*/index.html"),
        "nepodali-v-srok/", first_page(site, "nepodali-v-srok/20[0-9][0-9]/index.html", containing="<table"),
        "nekorektni-deklaratori/", "nakazatelni-postanovlenia/",
        "programa-za-proverki/", first_page(site, "programa-za-proverki/20[0-9][0-9]/index.html"),
        "stanovishta/", first_page(site, "stanovishta/*/index.html"),
        "za-inspektorata/", "signali/", "novini/", "dostapnost/",  # content pages, one with a Markdown table
        SEARCH,
        "404.html",
    ]  # fmt: skip
    # Every other top-level page too (the data page, what's new, sources…: whatever the site has grown).
    listed = {page.split("/")[0] for page in pages}
    for index in sorted(site.glob("*/index.html")):
        if index.parent.name not in listed:
            pages.insert(-2, index.parent.name + "/")
    return pages


def result_total(page, timeout: float = 15.0) -> int:
    """The number in Pagefind's "N резултата за …" once the search has settled (the list itself
    fills in progressively). Polled from Python: page.wait_for_function would eval a string, which
    the site's Content-Security-Policy refuses."""
    message = page.locator(".pagefind-ui__message")
    deadline = time.monotonic() + timeout
    while True:
        text = message.inner_text() if message.count() else ""
        found = re.match(r"(\d+) резултат", text)
        if found:
            return int(found.group(1))
        assert time.monotonic() < deadline, f"no result count after {timeout} s: {text!r}"
        time.sleep(0.05)


def wait_for_fewer_results(page, than: int, timeout: float = 15.0) -> int:
    """Wait until a filter has narrowed the search to fewer than `than` results; return how many."""
    deadline = time.monotonic() + timeout
    while (total := result_total(page, timeout)) >= than:
        assert time.monotonic() < deadline, f"still {total} results after {timeout} s"
        time.sleep(0.05)
    return total
