"""Search as a journalist meets it: Debian's chromium on the built site, a surname typed into the search page.

For each query, a fresh browser (empty cache) loads /tarsene/ and waits until the page is idle;
then the surname is put into the Pagefind UI's box at once (as a paste, one input event) and
we measure, in the page's own clock, the time until the first result link is in the DOM, and
the bytes the browser fetched for that search (response bodies, until the network is idle
again). The same is measured for Pagefind's API alone (pagefind.search + the first result's
data), which leaves out the UI's debounce and rendering.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.browser import browser_page, serve

RESULT = ".pagefind-ui__result-link"
INPUT = ".pagefind-ui__search-input"

# Runs in the page: puts the query in the box and resolves with the ms until a result link appears.
TYPE_AND_WAIT = """(query) => new Promise((resolve, reject) => {
  const input = document.querySelector(%r);
  const start = performance.now();
  const done = () => { if (document.querySelector(%r)) { observer.disconnect(); resolve(performance.now() - start); return true; } return false; };
  const observer = new MutationObserver(done);
  observer.observe(document.body, {childList: true, subtree: true});
  setTimeout(() => { observer.disconnect(); reject(new Error("no result within 30 s")); }, 30000);
  input.value = query;
  input.dispatchEvent(new Event("input", {bubbles: true}));
})""" % (INPUT, RESULT)

API_SEARCH = """async (query) => {
  const start = performance.now();
  const pagefind = await import(new URL("../pagefind/pagefind.js", location.href).href);
  const search = await pagefind.search(query);
  if (search.results.length) await search.results[0].data();
  return [performance.now() - start, search.results.length];
}"""


@dataclass(frozen=True)
class SearchTiming:
    """One query: UI time to first result, API time, results, and what the browser fetched."""

    query: str
    ui_ms: float
    api_ms: float
    results: int
    search_bytes: int
    search_requests: int
    page_bytes: int  # everything the search page itself fetched before the query


def _fetched(requests: list[object]) -> tuple[int, int]:
    """(response body bytes, count) of finished requests."""
    total = 0
    for request in requests:
        try:
            total += max(0, request.sizes()["responseBodySize"])  # type: ignore[attr-defined]
        except Exception:  # a request whose sizes are gone with its page
            continue
    return total, len(requests)


def time_query(base: str, query: str) -> SearchTiming:
    """Measure one query in a fresh browser: UI first, then the bare API on another fresh page."""
    with browser_page() as page:
        finished: list[object] = []
        page.on("requestfinished", lambda request: finished.append(request))  # type: ignore[attr-defined]
        page.goto(base + "tarsene/", wait_until="networkidle")  # type: ignore[attr-defined]
        page.wait_for_selector(INPUT)  # type: ignore[attr-defined]
        page_bytes, _ = _fetched(finished)
        finished.clear()
        ui_ms = page.evaluate(TYPE_AND_WAIT, query)  # type: ignore[attr-defined]
        page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
        search_bytes, search_requests = _fetched(finished)
        results = page.locator(RESULT).count()  # type: ignore[attr-defined]
    with browser_page() as page:
        page.goto(base + "tarsene/", wait_until="networkidle")  # type: ignore[attr-defined]
        api_ms, total = page.evaluate(API_SEARCH, query)  # type: ignore[attr-defined]
    return SearchTiming(query, float(ui_ms), float(api_ms), int(total or results), search_bytes, search_requests, page_bytes)


def time_searches(site: object, queries: list[str]) -> list[SearchTiming]:
    """Serve the site on 127.0.0.1 and time each query."""
    with serve(site) as base:  # type: ignore[arg-type]
        return [time_query(base, query) for query in queries]
