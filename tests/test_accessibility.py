"""WCAG 2.1 AA in a real browser: axe-core over one page of every template, the keyboard,
JavaScript switched off, a 360 px phone, and the accessibility statement.

axe-core is vendored in tests/vendor/ (see its README); it is injected into each page of the
shipped example site (tests/example_site.py: built once per test session) in Debian's chromium.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.register_assert_rewrite("tests.example_site")
from tests.example_site import SEARCH, first_page, person_page, result_total, template_pages, wait_for_fewer_results  # noqa: E402 - after the rewrite hook

pytest_plugins = ("tests.example_site",)

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def open_search_results(page) -> None:
    """Wait for Pagefind's results and open the body filter, so axe sees results and filters."""
    page.locator(".pagefind-ui__result-link").first.wait_for()
    page.locator("#portal-search summary", has_text="Орган").click()
    page.locator("#portal-search details[open] input[type=checkbox]").first.wait_for()


def axe_context(chromium, **options):
    """A context where axe-core is in every page from the start. bypass_csp: the site's policy
    (rightly) refuses a script it does not know; test_privacy.py checks the policy itself."""
    context = chromium.new_context(bypass_csp=True, **options)
    context.add_init_script(path=str(AXE))
    return context


def axe_violations(page) -> list[str]:
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return result.violations.map(v => `${v.id} (${v.impact}): ${v.help}; ` +
                v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + n.failureSummary.replace(/\\s+/g, ' ')).join(' | '));
        }""",
        AXE_TAGS,
    )
    return list(violations)


def test_axe_finds_no_wcag_21_aa_violation_on_any_template(example_site, site_url, chromium):
    context = axe_context(chromium)
    page = context.new_page()
    found = {}
    for path in template_pages(example_site.site):
        page.goto(site_url + path)
        if path == SEARCH:
            open_search_results(page)
        violations = axe_violations(page)
        if violations:
            found[path or "/"] = violations
    context.close()
    assert not found, "\n".join(f"{path}:\n  " + "\n  ".join(v) for path, v in found.items())


def test_axe_finds_nothing_on_a_phone_either(example_site, site_url, chromium):
    context = axe_context(chromium, viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    found = {}
    for path in (person_page(example_site.site), "nakazatelni-postanovlenia/", SEARCH):
        page.goto(site_url + path)
        if path == SEARCH:
            page.locator(".pagefind-ui__result-link").first.wait_for()
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    context.close()
    assert not found, found


def test_every_page_is_bulgarian_and_every_table_has_headers_and_a_caption_and_every_chart_a_text(example_site):
    pages = sorted(p for p in example_site.site.rglob("*.html") if "pagefind" not in p.parts)
    assert len(pages) > 50
    charts = 0
    for path in pages:
        html = path.read_text(encoding="utf-8")
        where = path.relative_to(example_site.site).as_posix()
        assert re.search(r'<html lang="bg"', html), where
        for table in re.findall(r"<table\b.*?</table>", html, re.DOTALL):
            assert "<caption" in table and "<th" in table, f"{where}: {table[:200]}"
        for svg in re.findall(r'<svg class="portal-chart".*?</svg>', html, re.DOTALL):
            charts += 1
            labelled = re.search(r'role="img"[^>]*aria-labelledby="([^"]+)"', svg)
            assert labelled, f"{where}: {svg[:200]}"
            for ref in labelled.group(1).split():
                text = re.search(rf'id="{ref}">([^<]+)<', svg)
                assert text and text.group(1).strip(), f"{where}: chart label {ref} is empty"
    assert charts, "the example has charts on person pages"


def _focus(page) -> dict:
    return page.evaluate(
        """() => {
            const e = document.activeElement;
            const s = getComputedStyle(e);
            const r = e.getBoundingClientRect();
            return {tag: e.tagName, id: e.id, cls: String(e.className), text: (e.innerText || e.value || '').trim().slice(0, 80),
                    href: e.getAttribute('href') || '', outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
                    visible: r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && parseFloat(s.opacity) > 0.5,
                    inContent: !!e.closest('#portal-content'), inSearch: !!e.closest('#portal-search'),
                    summary: e.tagName === 'SUMMARY' ? e.textContent.trim() : '', checkbox: e.type === 'checkbox',
                    label: e.labels && e.labels.length ? e.labels[0].innerText.trim() : '',
                    result: e.classList.contains('pagefind-ui__result-link')};
        }"""
    )


def _assert_visible_focus(focus: dict) -> None:
    assert focus["visible"] and focus["outline"] != "none" and focus["width"] >= 1, f"focus is not visible on {focus}"


def _filter_count(label: str) -> int:
    """The number Pagefind shows after a filter value: "Окръжен съд – Варна (2)" → 2."""
    found = re.search(r"\((\d+)\)\s*$", label)
    return int(found.group(1)) if found else 0


def _tab_until(page, wanted, limit: int = 120) -> dict:
    """Press Tab until the focused element satisfies `wanted`; every stop on the way shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = _focus(page)
        _assert_visible_focus(focus)
        if wanted(focus):
            return focus
    raise AssertionError(f"{limit} presses of Tab never reached the element; last: {focus}")


def test_keyboard_only_skip_link_header_search_filters_and_a_result(example_site, site_url, chromium):
    context = chromium.new_context()
    page = context.new_page()
    page.goto(site_url + "deklaracii/")

    # The first Tab stop is the skip link, shown on focus; Enter moves on to the content.
    page.keyboard.press("Tab")
    focus = _focus(page)
    assert (focus["text"], focus["href"]) == ("Към съдържанието", "#portal-content")
    _assert_visible_focus(focus)
    page.keyboard.press("Enter")
    focus = _tab_until(page, lambda f: True, limit=1)
    assert focus["inContent"], f"after the skip link, Tab went to {focus}"

    # A sortable table: its header is a button that Enter sorts by.
    page.goto(site_url + first_page(example_site.site, "deklaracii/20[0-9][0-9]/index.html"))
    _tab_until(page, lambda f: f["tag"] == "BUTTON" and f["inContent"])
    page.keyboard.press("Enter")
    assert page.locator("table.portal-sortable th[aria-sort]").count() == 1

    # The header search box, by keyboard: type a name in Latin letters, Enter.
    page.goto(site_url + "deklaracii/")
    _tab_until(page, lambda f: f["id"] == "portal-q")
    page.keyboard.type("Petrova")
    page.keyboard.press("Enter")
    page.wait_for_url("**/tarsene/?q=Petrova")
    before = result_total(page)
    assert before >= 2

    # Skip to the content, then Tab to the body filter, open it, tick a body with some of the results.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    _tab_until(page, lambda f: f["summary"] == "Орган")
    page.keyboard.press("Enter")
    _tab_until(page, lambda f: f["checkbox"] and f["inSearch"] and 0 < _filter_count(f["label"]) < before)
    page.keyboard.press("Space")
    assert wait_for_fewer_results(page, than=before) >= 1

    # On to a result, and Enter opens it.
    focus = _tab_until(page, lambda f: f["result"])
    page.keyboard.press("Enter")
    page.wait_for_url(site_url.rstrip("/") + focus["href"])
    assert page.locator("h1").inner_text() == focus["text"].split(" — ")[0]
    context.close()


def test_every_register_page_is_readable_without_javascript(example_site, site_url, chromium):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    person = person_page(example_site.site)
    rows = {
        first_page(example_site.site, "deklaracii/bukva-*/index.html"): "table tbody tr",
        first_page(example_site.site, "deklaracii/20[0-9][0-9]/index.html"): "table tbody tr",
        person: "section.portal-declaration",
        first_page(example_site.site, "organi/*/index.html"): "table tbody tr",
        first_page(example_site.site, "nepodali-v-srok/20[0-9][0-9]/index.html", containing="<table"): "table tbody tr",
        "nekorektni-deklaratori/": "table tbody tr",
        "nakazatelni-postanovlenia/": "table tbody tr",
        first_page(example_site.site, "programa-za-proverki/20[0-9][0-9]/index.html"): "table tbody tr",
        "stanovishta/": ".md-content li a",
        first_page(example_site.site, "stanovishta/*/index.html"): "#tekst",
    }
    for path, records in rows.items():
        page.goto(site_url + path)
        assert page.locator(records).count() > 0, f"{path}: no {records} without JavaScript"
        assert page.locator("h1").count() == 1, path
    page.goto(site_url + person)
    assert page.locator("table caption").count() > 0
    page.goto(site_url + "tarsene/")
    assert "Търсенето изисква JavaScript" in page.locator(".md-content").inner_text()
    context.close()


@pytest.mark.parametrize("java_script", [True, False], ids=["js", "no-js"])
def test_a_phone_at_360_px_never_scrolls_the_page_sideways(example_site, site_url, chromium, tmp_path, java_script):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, java_script_enabled=java_script)
    page = context.new_page()
    person = person_page(example_site.site)
    for path in (person, first_page(example_site.site, "deklaracii/20[0-9][0-9]/index.html"), "nakazatelni-postanovlenia/"):
        page.goto(site_url + path)
        page.screenshot(path=str(tmp_path / (path.strip("/").replace("/", "_") + ".png")), full_page=True)
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"{path}: the page scrolls sideways ({widths[0]} > {widths[1]} px)"
        # The wide tables scroll inside their own box, which the keyboard can reach.
        boxes = page.evaluate(
            """() => [...document.querySelectorAll('.portal-table')].map(b => [b.scrollWidth > b.clientWidth, b.tabIndex, b.getAttribute('aria-label')])"""
        )
        assert boxes and any(wide for wide, _, _ in boxes), f"{path}: no table is wider than the phone"
        assert all(index == 0 and label for _, index, label in boxes), boxes
    context.close()


def test_the_accessibility_statement_is_linked_from_every_page_and_dated_by_the_build(example_site):
    statement = example_site.page("dostapnost")
    for section in ("Статус на съответствие", "Недостъпно съдържание", "Изготвяне на настоящата декларация", "Обратна информация и данни за контакт", "Процедура по прилагане"):
        assert section in statement, section
    assert "чл. 58в от Закона за електронното управление" in statement
    assert 'Последна автоматична проверка: <time datetime="2026-11-24">24.11.2026 г.</time>' in statement
    assert "portal:last-check" not in statement
    for path in ("", "deklaracii", "tarsene"):
        assert 'class="portal-footer-link" href="' in example_site.page(path), path
    assert 'class="portal-footer-link" href="/dostapnost/"' in (example_site.site / "404.html").read_text(encoding="utf-8")
