"""What citizens and journalists come for: a person's declarations over the years, bodies, cross-references."""

from __future__ import annotations

from tests.builders import declaration, item, late_filer, make_registers, penalty_ruling, planned_inspection


def test_person_addresses_are_stable_across_rebuilds_and_namesakes_stay_apart(tmp_path, build):
    make_registers(
        tmp_path,
        declarations=[
            declaration(person_id="M00042", declaration_id="Д-1", full_name="Мария Петрова Иванова"),
            declaration(person_id="M00043", declaration_id="Д-2", full_name="Мария Петрова Иванова", body="Районен съд – Дупница"),
        ],
        items=[],
    )
    first = build()
    urls = sorted(p.parent.name for p in (first.site / "deklaracii").glob("ivanova-*/index.html"))

    second = build()

    assert urls == ["ivanova-maria-petrova-m00042", "ivanova-maria-petrova-m00043"]
    assert sorted(p.parent.name for p in (second.site / "deklaracii").glob("ivanova-*/index.html")) == urls


def test_flow_and_stock_labels_and_both_currencies_across_2026(tmp_path, build):
    make_registers(
        tmp_path,
        declarations=[
            declaration(declaration_id="Д-25", year=2025, filed_on="2026-05-14"),
            declaration(declaration_id="Д-24", year=2024, filed_on="2025-05-12"),
            declaration(declaration_id="Д-26К", year=2025, type="корекция", filed_on="2026-06-10"),
        ],
        items=[
            item(declaration_id="Д-24", section="банкови влогове", description="влог", value="19 558,30", currency="BGN"),
            item(declaration_id="Д-25", section="банкови влогове", description="влог", value="12000", currency="EUR"),
            item(declaration_id="Д-25", section="недвижими имоти", description="гараж", value="9779,15", currency="BGN"),
            item(declaration_id="Д-24", section="недвижими имоти", description="нива", value="4000", currency="BGN"),
            item(declaration_id="Д-26К", section="банкови влогове", description="влог", value="12500", currency="EUR"),
        ],
    )

    run = build()

    assert run.code == 0, run.output
    page = run.page("deklaracii/stoyanova-petya-nikolova-p-10417")
    assert "Банкови влогове — към 31.12.2024 г." in page
    assert "Недвижими имоти — придобито през 2025 г." in page
    assert "19\u202f558,30 лв. (≈ 10\u202f000,00 €)" in page
    assert "12\u202f000,00 € (≈ 23\u202f469,96 лв.)" in page
    # The comparison stands the correction in for 2025 (it replaces the whole declaration), in euro, and never sums sections.
    assert "Сравнение по години" in page and "12\u202f500,00 €" in page
    assert "наличност към 31.12" in page and "придобито (поток)" in page
    assert 'role="img"' in page and "<desc" in page
    assert 'Коригира <a href="#d-Д-25">ежегодна декларация за 2025 г. (вх. № Д-25)</a>' in page


def test_cross_references_only_where_unambiguous(tmp_path, build):
    make_registers(
        tmp_path,
        declarations=[
            declaration(person_id="P-1", declaration_id="Д-1", full_name="Огнян Иванов Балев", body="Окръжен съд – Перник"),
            declaration(person_id="P-2", declaration_id="Д-2", full_name="Петя Николова Стоянова", body="Окръжен съд – Кюстендил"),
            declaration(person_id="P-3", declaration_id="Д-3", full_name="Петя Николова Стоянова", body="Окръжен съд – Кюстендил"),
        ],
        items=[],
        late_filers=[late_filer(full_name="Огнян Иванов Балев", body="Окръжен съд – Перник"), late_filer(full_name="Петя Николова Стоянова", body="Окръжен съд – Кюстендил")],
        penalty_rulings=[penalty_ruling(full_name="Огнян Иванов Балев", body="Районен съд – Перник")],
    )

    run = build()

    assert run.code == 0, run.output
    balev = run.page("deklaracii/balev-ognyan-ivanov-p-1")
    assert "В списъка на неподалите декларация в срок за 2025 г." in balev
    assert "Наказателно постановление" not in balev  # same name, another body: no link
    late = run.page("nepodali-v-srok/2025")
    assert '<a href="../../deklaracii/balev-ognyan-ivanov-p-1/">Огнян Иванов Балев</a>' in late
    # Two declarants share the name: nobody is linked.
    assert "deklaracii/stoyanova-petya-nikolova-p-2" not in late and "deklaracii/stoyanova-petya-nikolova-p-3" not in late
    assert "В другите регистри" not in run.page("deklaracii/stoyanova-petya-nikolova-p-2")


def test_body_pages_by_appellate_region(tmp_path, build):
    make_registers(
        tmp_path,
        declarations=[declaration(person_id="P-1", body="Районен съд – Дупница"), declaration(person_id="P-2", declaration_id="Д-2", body="Съд на Луната")],
        items=[],
        inspection_programme=[planned_inspection(body="Районен съд – Дупница", topic="Срочност на делата")],
        late_filers=[late_filer(body="Районен съд – Дупница")],
    )

    run = build()

    assert run.code == 0, run.output
    body = run.page("organi/rayonen-sad-dupnitsa")
    assert "Апелативен район: <strong>София</strong>" in body
    assert "Стоянова Петя Николова" in body and "Срочност на делата" in body and "Пламен Тодоров Гърков" in body
    index = run.page("organi")
    assert index.index(">София<") < index.index("Районен съд – Дупница") < index.index(">Други<") < index.index("Съд на Луната")
    assert any("„Съд на Луната“ не е в списъка на апелативните райони" in p for p in run.problems())


def test_browse_by_year_and_type(tmp_path, build):
    make_registers(
        tmp_path,
        declarations=[declaration(person_id="P-1"), declaration(person_id="P-2", declaration_id="Д-2", full_name="Огнян Иванов Балев", type="встъпителна", year=2026, filed_on="2026-03-02")],
        items=[],
    )

    run = build()

    assert run.code == 0, run.output
    assert "Балев Огнян Иванов" in run.page("deklaracii/2026") and "Стоянова" not in run.page("deklaracii/2026")
    assert "Балев Огнян Иванов" in run.page("deklaracii/vid-vstapitelna")
