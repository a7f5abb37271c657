"""Declarants' pages are written outside mkdocs into a frame it renders once: they must look and behave like any page."""

from __future__ import annotations

import re
from pathlib import Path

from generator.render.frames import CONTENT_SLOT, TITLE_SLOT, Frame, FramedPages, write_framed
from generator.render.pages import Page
from tests.browser import pagefind_search
from tests.builders import declaration, item, make_registers


def test_a_declarants_page_has_its_own_title_feeds_policy_and_nothing_left_of_the_frame(tmp_path, build):
    make_registers(
        tmp_path,
        declarations=[declaration(person_id="M00042", declaration_id="Д-1", full_name="Мария Петрова Иванова", body="Районен съд – Дупница")],
        items=[item(declaration_id="Д-1", section="недвижими имоти", description="лозе", municipality="Бобошево", value="4000")],
    )

    run = build()

    assert run.code == 0, run.output
    page = run.page("deklaracii/ivanova-maria-petrova-m00042")
    assert re.search(r"<title>Мария Петрова Иванова - [^<]+</title>", page)
    assert "<h1>Мария Петрова Иванова</h1>" in page
    assert '<link rel="alternate feed" type="application/atom+xml" title="Мария Петрова Иванова: декларации" href="../../feeds/lica/M00042.xml">' in page
    assert page.count('http-equiv="Content-Security-Policy"') == 1
    assert 'href="../../assets/stylesheets/portal.css"' in page  # the theme's links, relative from the page's own depth
    assert "<td>лозе</td><td>Бобошево</td>" in page
    everything = run.all_text()
    assert TITLE_SLOT not in everything and CONTENT_SLOT not in everything and "portal-slot" not in everything
    assert not list(run.site.rglob("portal-frame-*"))


def test_an_item_table_shows_only_the_columns_its_rows_fill(tmp_path, build):
    cash = {"municipality": "", "area_sqm": None, "share": "", "acquired_year": None, "legal_basis": "", "origin_of_funds": ""}
    make_registers(
        tmp_path,
        declarations=[declaration(person_id="M00042", declaration_id="Д-1", full_name="Мария Петрова Иванова")],
        items=[
            item(declaration_id="Д-1", section="недвижими имоти", description="лозе", municipality="Бобошево", value="4000"),
            item(declaration_id="Д-1", section="парични средства", description="в брой", value="900", **cash),
        ],
    )

    run = build()

    assert run.code == 0, run.output
    page = run.page("deklaracii/ivanova-maria-petrova-m00042")
    land, cash_table = re.findall(r"<table>.*?</table>", page, re.DOTALL)[-2:]
    assert '<th scope="col">Площ, кв. м</th>' in land and "<td>лозе</td><td>Бобошево</td>" in land
    heads = re.findall(r'<th scope="col">([^<]*)</th>', cash_table)
    assert heads == ["Притежател", "Описание", "Стойност"]
    assert re.search(r"<tr><td>декларатор</td><td>в брой</td><td>[^<]*900,00[^<]*</td></tr>", cash_table)


def test_with_a_site_url_a_declarants_page_is_its_own_canonical_address_and_in_the_sitemap(tmp_path, build):
    from tests.conftest import PROJECT

    config = (PROJECT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("site_templates/", f"{PROJECT}/site_templates/").replace("site_name:", "site_url: https://registri.example.bg/\nsite_name:", 1)
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    make_registers(tmp_path, declarations=[declaration(person_id="M00042", declaration_id="Д-1", full_name="Мария Петрова Иванова")], items=[])

    run = build("--config", str(tmp_path / "mkdocs.yml"))

    assert run.code == 0, run.output
    page = run.page("deklaracii/ivanova-maria-petrova-m00042")
    assert '<link rel="canonical" href="https://registri.example.bg/deklaracii/ivanova-maria-petrova-m00042/">' in page
    assert "<loc>https://registri.example.bg/deklaracii/ivanova-maria-petrova-m00042/</loc>" in (run.site / "sitemap.xml").read_text(encoding="utf-8")
    assert "portal-frame" not in run.all_text()


def test_search_finds_a_declarant_by_an_item_and_a_place_but_lists_are_not_results(tmp_path, build):
    make_registers(
        tmp_path,
        declarations=[declaration(person_id="M00042", declaration_id="Д-1", full_name="Мария Петрова Иванова")],
        items=[item(declaration_id="Д-1", section="недвижими имоти", description="лозе", municipality="Бобошево", value="4000")],
    )

    run = build()

    assert run.code == 0, run.output
    assert pagefind_search(run.site, "Бобошево") == ["/deklaracii/ivanova-maria-petrova-m00042/"]
    # The letter page lists the name too, but only the person's page answers a search for it.
    results = pagefind_search(run.site, "Иванова")
    assert results[0] == "/deklaracii/ivanova-maria-petrova-m00042/"
    assert not [url for url in results if url.startswith("/deklaracii/") and url != results[0]]


def test_content_with_inline_style_gets_a_policy_that_allows_exactly_it(tmp_path):
    frame_html = (
        '<html><head><meta charset="utf-8">\n    <meta http-equiv="Content-Security-Policy" content="default-src \'self\'">'
        f"<title>{TITLE_SLOT}</title></head><body>{CONTENT_SLOT}</body></html>"
    )
    (tmp_path / "a" / "portal-frame-0").mkdir(parents=True)
    (tmp_path / "a" / "portal-frame-0" / "index.html").write_text(frame_html, encoding="utf-8")
    styled = Page(src="a/styled.md", title="Стил", html='<p style="color: red">текст</p>', standalone=True)
    plain = Page(src="a/plain.md", title="Обикновена <страница>", html="<p>текст</p>", standalone=True)

    written = write_framed(tmp_path, FramedPages([], {Frame("a/portal-frame-0.md", {}): [styled, plain]}))

    assert len(written) == 2 and not (tmp_path / "a" / "portal-frame-0").exists()
    styled_out = (tmp_path / "a" / "styled" / "index.html").read_text(encoding="utf-8")
    plain_out = (tmp_path / "a" / "plain" / "index.html").read_text(encoding="utf-8")
    assert "style-src-attr 'unsafe-hashes' 'sha256-" in styled_out and styled_out.count("Content-Security-Policy") == 1
    assert "content=\"default-src 'self'\"" in plain_out
    assert "<title>Обикновена &lt;страница&gt;</title>" in plain_out


def test_pages_written_by_parallel_processes_are_the_same_bytes(tmp_path):
    frame_html = f"<html><head><title>{TITLE_SLOT}</title></head><body>{CONTENT_SLOT}</body></html>"
    pages = [Page(src=f"a/p{n}.md", title=f"Лице {n}", html="", standalone=True, deferred=lambda n=n: f"<p>{n}</p>") for n in range(260)]
    outputs = []
    for workers in (1, 2):
        site = tmp_path / f"site{workers}"
        (site / "a" / "portal-frame-0").mkdir(parents=True)
        (site / "a" / "portal-frame-0" / "index.html").write_text(frame_html, encoding="utf-8")
        counted = []
        assert write_framed(site, FramedPages([], {Frame("a/portal-frame-0.md", {}): pages}), counted.append, workers=workers).keys.keys() == {f"a/p{n}/" for n in range(260)}
        assert sum(counted) == 260
        outputs.append({p.relative_to(site): p.read_bytes() for p in site.rglob("*.html")})
    assert outputs[0] == outputs[1] and len(outputs[0]) == 260
    assert outputs[0][Path("a/p7/index.html")] == "<html><head><title>Лице 7</title></head><body><p>7</p></body></html>".encode()


def test_search_documents_written_by_parallel_processes_give_the_same_search_index(tmp_path):
    import os
    import shutil
    import tempfile

    from generator.search_index import index_site

    # On tmpfs (and XFS) Pagefind numbers the pages in the order their folders were made: that
    # order must not depend on which process wrote which page.
    scratch = Path(tempfile.mkdtemp(dir="/dev/shm")) if os.access("/dev/shm", os.W_OK) else tmp_path / "scratch"
    try:
        frame_html = f"<html lang='bg'><head><title>{TITLE_SLOT}</title></head><body>{CONTENT_SLOT}</body></html>"
        search = "<html lang='bg'><body data-pagefind-body><h1>Лице {n}</h1><p>съдия в Районен съд – Перник {n}</p></body></html>"
        pages = [Page(src=f"a/p{n}.md", title=f"Лице {n}", html="", standalone=True, deferred=lambda n=n: f"<p>{n}</p>", search=search.format(n=n)) for n in range(260)]
        indexes = []
        for workers in (1, 2):
            site, tree = scratch / f"site{workers}", scratch / f"search{workers}"
            (site / "a" / "portal-frame-0").mkdir(parents=True)
            (site / "a" / "portal-frame-0" / "index.html").write_text(frame_html, encoding="utf-8")
            write_framed(site, FramedPages([], {Frame("a/portal-frame-0.md", {}): pages}), workers=workers, search_tree=tree)
            assert (tree / "a" / "p7" / "index.html").read_text(encoding="utf-8") == search.format(n=7)
            index_site(site, {f"a/p{n}/": page.search for n, page in enumerate(pages)}, tree=tree)
            assert not tree.exists()
            indexes.append({p.relative_to(site).as_posix(): p.read_bytes() for p in sorted((site / "pagefind").rglob("*")) if p.is_file()})
        assert indexes[0] == indexes[1] and any(name.endswith(".pf_meta") for name in indexes[0])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def test_a_rebuild_links_unchanged_declarants_pages_and_renders_the_changed_one(tmp_path, build):
    people = [declaration(person_id=f"M0004{n}", declaration_id=f"Д-{n}", full_name=name) for n, name in enumerate(["Мария Петрова Иванова", "Петър Иванов Петров"])]
    make_registers(tmp_path, declarations=people, items=[item(declaration_id="Д-0", description="лозе", value="4000"), item(declaration_id="Д-1", description="нива", value="1000")])
    first = build()
    maria, petar = (first.site / "deklaracii" / slug / "index.html" for slug in ("ivanova-maria-petrova-m00040", "petrov-petar-ivanov-m00041"))
    before = {path: (path.stat().st_ino, path.read_bytes()) for path in (maria, petar)}

    make_registers(tmp_path, declarations=people, items=[item(declaration_id="Д-0", description="лозе", value="4000"), item(declaration_id="Д-1", description="нива", value="1500")])
    second = build()

    assert second.code == 0, second.output
    assert second.report["pages_unchanged"] == 1
    assert maria.stat().st_ino == before[maria][0] and maria.read_bytes() == before[maria][1]
    assert petar.stat().st_ino != before[petar][0] and "1\u202f500,00" in petar.read_text(encoding="utf-8")

    # A new approval changes every page's source line: nothing is linked.
    make_registers(tmp_path, declarations=people, items=[item(declaration_id="Д-0", description="лозе", value="4000"), item(declaration_id="Д-1", description="нива", value="1500")], approved_by="Друг Одобряващ, директор")
    third = build()

    assert third.report["pages_unchanged"] == 0
    assert "одобрен от Друг Одобряващ, директор" in maria.read_text(encoding="utf-8")


def test_a_kind_filed_by_everyone_is_listed_by_year_on_the_year_pages(tmp_path, monkeypatch):
    import datetime as dt

    import generator.render.pages as pages_module
    from generator.intake import load_registers
    from generator.render.environment import make_environment
    from generator.render.pages import PublishedRegister, Renderer, build_pages
    from generator.report import BuildReport
    from generator.rules import apply_rules

    make_registers(
        tmp_path,
        declarations=[
            declaration(person_id="M00040", declaration_id="Д-1", year=2025, filed_on="2026-05-10"),
            declaration(person_id="M00040", declaration_id="Д-2", year=2024, filed_on="2025-05-10"),
            declaration(person_id="M00041", declaration_id="Д-3", year=2025, filed_on="2026-05-11", type="встъпителна"),
        ],
        items=[],
    )
    monkeypatch.setattr(pages_module, "KIND_LIST_LIMIT", 1)  # two annual declarations are "many" here
    intake = load_registers(tmp_path / "registers", BuildReport(as_of="2026-11-24"))
    published = [PublishedRegister(r.register, apply_rules(r.register.rules, r.tables, dt.date(2026, 11, 24))[0]) for r in intake.registers.values()]

    pages, _ = build_pages(published, Renderer(make_environment()), dt.date(2026, 11, 24), "")

    by_src = {page.src: page.content() for page in pages}
    annual, entry, year = by_src["deklaracii/vid-ezhegodna.md"], by_src["deklaracii/vid-vstapitelna.md"], by_src["deklaracii/2025.md"]
    assert '<a href="../2025/#vid-ezhegodna">2025' in annual and '<a href="../2024/#vid-ezhegodna">2024' in annual and "<table" not in annual
    assert "<table" in entry  # few: listed on its own page
    assert '<h2 id="vid-ezhegodna">Вид: ежегодна' in year and '<h2 id="vid-vstapitelna">Вид: встъпителна' in year


def test_the_sitemap_lists_each_page_of_a_frame_instead_of_the_frame(tmp_path):
    import gzip

    frame_html = f"<html><head><title>{TITLE_SLOT}</title></head><body>{CONTENT_SLOT}</body></html>"
    (tmp_path / "deklaracii" / "portal-frame-0").mkdir(parents=True)
    (tmp_path / "deklaracii" / "portal-frame-0" / "index.html").write_text(frame_html, encoding="utf-8")
    url = "    <url>\n         <loc>https://registri.example.bg/{}</loc>\n         <lastmod>2026-11-24</lastmod>\n    </url>"
    sitemap = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(url.format(p) for p in ("", "deklaracii/", "deklaracii/portal-frame-0/")) + "\n</urlset>"
    (tmp_path / "sitemap.xml").write_text(sitemap, encoding="utf-8")
    with gzip.GzipFile(tmp_path / "sitemap.xml.gz", "wb", mtime=1795564800) as packed:
        packed.write(sitemap.encode())
    pages = [Page(src=f"deklaracii/{slug}.md", title=slug, html="<p>x</p>", standalone=True) for slug in ("ivanova-m00040", "petrov-m00041")]

    write_framed(tmp_path, FramedPages([], {Frame("deklaracii/portal-frame-0.md", {}): pages}))

    listed = (tmp_path / "sitemap.xml").read_text(encoding="utf-8")
    assert "portal-frame" not in listed
    assert [line.strip() for line in listed.splitlines() if "<loc>" in line] == [
        "<loc>https://registri.example.bg/</loc>",
        "<loc>https://registri.example.bg/deklaracii/</loc>",
        "<loc>https://registri.example.bg/deklaracii/ivanova-m00040/</loc>",
        "<loc>https://registri.example.bg/deklaracii/petrov-m00041/</loc>",
    ]
    packed = (tmp_path / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(packed).decode() == listed and int.from_bytes(packed[4:8], "little") == 1795564800


def test_pages_of_one_folder_with_other_meta_get_frames_of_their_own():
    from generator.render.frames import frame_pages

    plain = Page(src="a/p1.md", title="1", html="", standalone=True, meta={"feeds": [{"title": "t", "href": "f.xml"}]})
    other = Page(src="a/p2.md", title="2", html="", standalone=True, meta={"feeds": [{"title": "t", "href": "g.xml"}], "template": "x.html"})

    framed = frame_pages([plain, other])

    assert len({frame.src for frame in framed.frames}) == 2 == len(framed.for_mkdocs)
    assert sorted(members[0].src for members in framed.frames.values()) == ["a/p1.md", "a/p2.md"]
