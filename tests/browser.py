"""A real browser for the tests: Debian's chromium driven by Playwright, and a local static server."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
# Chromium's own background traffic has nowhere to go on a closed network: switch it off.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


class _Server(http.server.ThreadingHTTPServer):
    # The standard backlog is 5 connections. Chromium opens a page's scripts, styles and Pagefind's
    # files at once, each over a connection of its own (HTTP/1.0); a connection beyond the backlog
    # waits for the kernel's SYN retries (1, 3, 7, 15 s...), which a busy CI machine can stretch
    # past a test's 30-second wait.
    request_queue_size = 128


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 on a free port; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def browser_page(java_script: bool = True) -> Iterator[object]:
    """A fresh headless chromium page."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(java_script_enabled=java_script)
            yield context.new_page()
        finally:
            browser.close()


def pagefind_search(site: Path, query: str) -> list[str]:
    """Search a built site through its real Pagefind index in chromium; return result URLs."""
    with serve(site) as base, browser_page() as page:
        page.goto(base + "tarsene/")
        urls = page.evaluate(
            """async (query) => {
                const pagefind = await import('/pagefind/pagefind.js');
                const search = await pagefind.search(query);
                const data = await Promise.all(search.results.map(r => r.data()));
                return data.map(d => d.url);
            }""",
            query,
        )
    return list(urls)
