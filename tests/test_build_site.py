"""The site as people meet it: pages per register, namesakes apart, search, content, Bulgarian UI."""

from __future__ import annotations


from tests.browser import pagefind_search
from tests.builders import declaration, item, make_content, make_registers


def test_namesakes_get_two_pages(tmp_path, build):
    make_registers(
        tmp_path,
        declarations=[
            declaration(person_id="P-100", declaration_id="Д-1", body="Районен съд – Дупница"),
            declaration(person_id="P-200", declaration_id="Д-2", body="Окръжен съд – Варна"),
        ],
        items=[item(declaration_id="Д-1", description="къща в Дупница"), item(declaration_id="Д-2", description="гараж във Варна")],
    )

    run = build()

    assert run.code == 0, run.output
    first = run.page("deklaracii/stoyanova-petya-nikolova-p-100")
    second = run.page("deklaracii/stoyanova-petya-nikolova-p-200")
    assert "къща в Дупница" in first and "гараж във Варна" not in first
    assert "гараж във Варна" in second and "къща в Дупница" not in second
    letter = run.page("deklaracii/bukva-s")
    assert letter.count("Стоянова Петя Николова") == 2


def test_search_for_a_declarants_name_finds_their_page(tmp_path, build):
    make_registers(
        tmp_path,
        declarations=[declaration(person_id="P-1"), declaration(person_id="P-2", declaration_id="Д-2", full_name="Огнян Иванов Балев")],
        items=[],
    )

    run = build()

    assert run.code == 0, run.output
    assert (run.site / "pagefind" / "pagefind.js").is_file()
    assert pagefind_search(run.site, "Стоянова")[0] == "/deklaracii/stoyanova-petya-nikolova-p-1/"
    assert pagefind_search(run.site, "Balev")[0] == "/deklaracii/balev-ognyan-ivanov-p-2/"


def test_content_pages_are_merged_and_the_ui_is_bulgarian(tmp_path, build):
    make_registers(tmp_path, declarations=[declaration(person_id="P-1")], items=[])
    make_content(tmp_path)

    run = build()

    assert run.code == 0, run.output
    home = run.page("")
    assert '<html lang="bg"' in home
    assert "За Инспектората" in home  # in the navigation
    assert "Декларации за имущество и интереси" in home
    assert "Инспекторатът към Висшия съдебен съвет проверява" in run.page("za-inspektorata")
    not_found = (run.site / "404.html").read_text(encoding="utf-8")
    assert "Страницата не е намерена" in not_found
    # Person pages are linked from letter pages, not listed in the navigation of every page.
    assert "stoyanova-petya-nikolova-p-1" not in home


def test_a_failed_build_leaves_the_previous_site_exactly_as_it_was(tmp_path, build):
    make_registers(tmp_path, declarations=[declaration(person_id="P-1")], items=[])
    content = make_content(tmp_path)
    assert build().code == 0
    before = {p.relative_to(tmp_path): p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    # A broken link in a content page fails mkdocs' strict build.
    (content / "broken.md").write_text("---\ntitle: Счупена\n---\n\n[връзка](nyama-takava.md)\n", encoding="utf-8")

    run = build()

    assert run.code == 1
    assert "nyama-takava.md" in run.report["failure"]
    after = {p.relative_to(tmp_path): p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    assert after == before
    assert not list(tmp_path.glob(".site.build-*")) and not list(tmp_path.glob(".site.old-*"))


def test_private_columns_never_reach_the_site(tmp_path, build):
    row = declaration(person_id="P-1")
    make_registers(tmp_path, declarations=[row], items=[item()])

    run = build()

    assert run.code == 0, run.output
    text = run.all_text()
    for column in ("egn", "address", "phone", "email"):
        assert str(row[column]) not in text
    assert "41112.502.1187.1.9" not in text
