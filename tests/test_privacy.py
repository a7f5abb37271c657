"""Private by design: no request leaves the site's origin, no cookie, and a Content-Security-Policy
that allows only the site's own scripts and styles, with search still working under it.

The shipped example site (tests/example_site.py: built once per test session) is visited in
Debian's chromium.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time

import pytest

pytest.register_assert_rewrite("tests.example_site")
from tests.example_site import SEARCH, result_total, template_pages, wait_for_fewer_results  # noqa: E402 - after the rewrite hook

pytest_plugins = ("tests.example_site",)

# The theme keeps its own settings (colour scheme, consent, open tabs…) in Web Storage under these names.
THEME_STORAGE = re.compile(r"^(?:[^.]*\.)?__(?:palette|consent|tabs|outdated|announce|search|scroll|instant|version|source)\b")
# Collects CSP violations from the first moment of every page (init scripts are not subject to the page's CSP).
RECORD_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} ${e.sample || ''}`.trim()), true);
"""


def _wait_for(condition, timeout: float = 10.0, what: str = "") -> None:
    """Poll from Python: page.wait_for_function would eval a string, which the site's CSP refuses."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def search_like_a_journalist(page, base: str) -> None:
    """Header box → search page → results → a body filter → sort by date."""
    page.goto(base + "deklaracii/")
    page.fill("#portal-q", "Petrova")
    page.press("#portal-q", "Enter")
    page.wait_for_url("**/" + SEARCH)
    before = result_total(page)
    page.locator("#portal-search summary", has_text="Орган").click()
    # A body with some of the results, not all of them: "(1)" … "(before - 1)" after its name.
    narrower = "|".join(str(n) for n in range(1, before))
    page.locator("#portal-search details[open] label", has_text=re.compile(rf"\(({narrower})\)\s*$")).first.click()
    assert wait_for_fewer_results(page, than=before) >= 1
    page.select_option("#portal-search-order", "date")
    page.locator(".pagefind-ui__result-link").first.wait_for()


def test_no_request_leaves_the_sites_origin_and_nothing_is_stored_about_the_reader(example_site, site_url, chromium):
    context = chromium.new_context()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    for path in template_pages(example_site.site):
        page.goto(site_url + path)
        # What scripts fetch after `load` (the theme's sitemap look-up, the favicon) starts within
        # ~0.1 s here; what a page sends as it is left (beacons) is recorded on the next goto.
        page.wait_for_timeout(150)
    search_like_a_journalist(page, site_url)
    page.locator(".pagefind-ui__result-link").first.click()
    page.wait_for_load_state("networkidle")

    assert len(requests) > 40
    foreign = sorted({url for url in requests if not url.startswith((site_url, "data:", "blob:"))})
    assert not foreign, f"requests to other origins: {foreign}"
    assert context.cookies() == []
    assert page.evaluate("document.cookie") == ""
    stored = page.evaluate("[...Object.keys(localStorage), ...Object.keys(sessionStorage)]")
    assert all(THEME_STORAGE.match(key) for key in stored), stored
    context.close()


def test_no_file_of_the_site_refers_to_another_origin_for_anything_it_loads(example_site):
    loads = re.compile(
        r"""<(?:script|img|iframe|source|video|audio|embed|object|track)\b[^>]*?\s(?:src|srcset|data|poster)\s*=\s*["']?\s*(?:https?:)?//"""
        # <link>s the browser fetches (a canonical or feed link with the site's address fetches nothing)
        r"""|<link\b(?=[^>]*\srel\s*=\s*["']?(?:stylesheet|icon|shortcut icon|apple-touch-icon|preload|prefetch|preconnect|dns-prefetch|modulepreload|manifest)\b)[^>]*?\shref\s*=\s*["']?\s*(?:https?:)?//"""
        r"""|url\(\s*["']?\s*(?:https?:)?//|@import\s+["']?(?:url\()?\s*["']?(?:https?:)?//""",
        re.IGNORECASE,
    )
    trackers = re.compile(r"fonts\.googleapis|fonts\.gstatic|google-analytics|googletagmanager|gtag\(|matomo|plausible|cdn\.jsdelivr|unpkg\.com|cdnjs", re.IGNORECASE)
    # Scripts are not scanned: the theme's bundle names unpkg.com and api.github.com for features this
    # site does not use (a polyfill for browsers without ResizeObserver, diagrams, a repository link);
    # were they ever triggered, the policy's script-src and connect-src 'self' refuse them.
    checked = 0
    for path in example_site.site.rglob("*"):
        if path.suffix not in {".html", ".css", ".xml"} or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        where = path.relative_to(example_site.site).as_posix()
        if path.suffix != ".xml":  # feeds and the sitemap name the site's own address, and load nothing
            match = loads.search(text)
            assert not match, f"{where} loads from another origin: {text[max(match.start() - 80, 0):match.end() + 80]}"
        tracker = trackers.search(text)
        assert not tracker, f"{where}: {text[max(tracker.start() - 80, 0):tracker.end() + 80]}"
        checked += 1
    assert checked > 50


def _policy(html: str) -> str:
    metas = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert len(metas) == 1, f"{len(metas)} CSP meta tags"
    return metas[0].replace("&quot;", '"').replace("&amp;", "&")


def _directives(policy: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (d.split() for d in policy.split(";") if d.strip())}


def test_every_page_carries_a_policy_that_allows_only_the_sites_own_scripts_and_styles(example_site):
    pages = sorted(p for p in example_site.site.rglob("*.html") if "pagefind" not in p.parts)
    for path in pages:
        html = path.read_text(encoding="utf-8")
        where = path.relative_to(example_site.site).as_posix()
        directives = _directives(_policy(html))
        head = html[: html.index("</head>")]
        # The policy governs only what follows it: it comes before every script, style and stylesheet.
        first_load = min(i for i in (head.find("<script"), head.find("<link"), head.find("<style")) if i >= 0)
        assert head.index('http-equiv="Content-Security-Policy"') < first_load, where
        assert directives["default-src"] == ["'self'"], where
        assert directives["object-src"] == ["'none'"] and directives["base-uri"] == ["'self'"], where
        for name in ("script-src", "style-src"):
            sources = directives[name]
            assert sources[0] == "'self'", where
            assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"} & set(sources), f"{where}: {name} {sources}"
        inline = [
            body
            for attrs, body in re.findall(r"<script((?:\s[^>]*)?)>(.*?)</script>", html, re.DOTALL)
            if "src=" not in attrs and "application/json" not in attrs and "application/ld+json" not in attrs
        ]
        assert inline, f"{where}: the theme's inline scripts are missing; the test no longer checks their hashes"
        for body in inline:
            digest = "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
            assert digest in directives["script-src"], f"{where}: inline script without its hash: {body[:80]}"


def test_the_browser_enforces_the_policy_reports_no_violation_and_search_works_under_it(example_site, site_url, chromium):
    context = chromium.new_context()
    context.add_init_script(RECORD_CSP)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: console.append(str(error)))
    violations: dict[str, list[str]] = {}
    for path in template_pages(example_site.site):
        page.goto(site_url + path)
        if found := page.evaluate("window.__csp"):
            violations[path] = found
    search_like_a_journalist(page, site_url)
    if found := page.evaluate("window.__csp"):
        violations[SEARCH] = found
    assert not violations, violations
    assert not [text for text in console if "Content Security Policy" in text or "Refused to" in text], console

    # The policy is in force: a script injected into the page does not run, and is reported.
    ran = page.evaluate(
        """() => { const s = document.createElement('script'); s.textContent = 'window.__injected = true';
                   document.head.appendChild(s); return window.__injected === true; }"""
    )
    assert not ran
    _wait_for(lambda: page.evaluate("window.__csp.length") > 0, what="the violation report")
    assert page.evaluate("window.__csp")[0].startswith("script-src-elem blocked inline")
    context.close()


def test_search_works_under_the_policy_without_a_web_worker(example_site, site_url, chromium):
    """Where Pagefind cannot start its worker it compiles its WebAssembly on the page: 'wasm-unsafe-eval'."""
    context = chromium.new_context()
    context.add_init_script("window.Worker = undefined;" + RECORD_CSP)
    page = context.new_page()
    page.goto(site_url + SEARCH)
    page.locator(".pagefind-ui__result-link").first.wait_for()
    assert page.locator(".pagefind-ui__result-link").count() >= 2
    assert page.evaluate("window.__csp") == []
    context.close()
