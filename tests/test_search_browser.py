"""A journalist searches in a real browser: a Latin name in the header box, then a body filter."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser import browser_page, serve
from tests.builders import declaration, make_registers


def test_latin_name_in_the_header_box_opens_the_right_person_and_a_body_filter_narrows(tmp_path, build):
    make_registers(
        tmp_path,
        declarations=[
            declaration(person_id="P-1", declaration_id="Д-1", full_name="Цветелина Жекова Цонева", body="Районен съд – Дупница"),
            declaration(person_id="P-2", declaration_id="Д-2", full_name="Милена Иванова Цонева", body="Окръжен съд – Варна"),
            declaration(person_id="P-3", declaration_id="Д-3", full_name="Огнян Иванов Шишков", body="Окръжен съд – Варна"),
        ],
        items=[],
    )
    run = build()
    assert run.code == 0, run.output

    with serve(run.site) as base, browser_page() as page:
        page.goto(base + "deklaracii/")
        page.fill("#portal-q", "Tzoneva")
        page.press("#portal-q", "Enter")
        results = page.locator(".pagefind-ui__result-link")
        results.first.wait_for()
        assert sorted(results.all_inner_texts()) == [
            "Милена Иванова Цонева — Декларации за имущество и интереси, Окръжен съд – Варна, 2025 г.",
            "Цветелина Жекова Цонева — Декларации за имущество и интереси, Районен съд – Дупница, 2025 г.",
        ]

        page.locator("summary", has_text="Орган").click()
        page.get_by_label("Районен съд – Дупница").check()
        # Polled by Playwright's locator engine: a string predicate is JavaScript eval, which the site's CSP refuses.
        expect(page.locator(".pagefind-ui__result-link")).to_have_count(1)
        page.locator(".pagefind-ui__result-link").first.click()
        page.wait_for_url("**/deklaracii/tsoneva-tsvetelina-zhekova-p-1/")
        assert page.locator("h1").inner_text() == "Цветелина Жекова Цонева"

        page.fill("#portal-q", "Shishkov")
        page.press("#portal-q", "Enter")
        page.locator(".pagefind-ui__result-link").first.wait_for()
        assert page.locator(".pagefind-ui__result-link").all_inner_texts()[0].startswith("Огнян Иванов Шишков")


def test_the_search_page_is_ready_before_the_first_key_and_leaves_the_focus_alone(tmp_path, build):
    make_registers(tmp_path, declarations=[declaration(person_id="P-1", declaration_id="Д-1", full_name="Цветелина Жекова Цонева")], items=[])
    run = build()
    assert run.code == 0, run.output

    with serve(run.site) as base, browser_page() as page:
        loaded: list[str] = []
        page.on("request", lambda request: loaded.append(request.url))
        page.goto(base + "tarsene/")
        page.wait_for_load_state("networkidle")
        # Pagefind's engine and index metadata came with the page; the focus is where the browser put it.
        assert any(url.endswith("/pagefind/pagefind.js") for url in loaded) and any(".pf_meta" in url for url in loaded)
        assert page.evaluate("document.activeElement === document.body")
        page.locator(".pagefind-ui__search-input").type("Цонева")
        expect(page.locator(".pagefind-ui__result-link", has_text="Цветелина Жекова Цонева")).to_have_count(1)
