"""A declarant's search document: what Pagefind indexes to find a person, rendered in Python.

Someone searching "Tsoneva", "съдия Пловдив" or "апартамент Варна" finds the declarant: the
document names the person, the Latin spellings of the name, the position and body, the kinds and
years of the declarations and each distinct item and place, once. Whatever an export holds is
indexed as text, never as markup, and the document is the one the template wrote before.
"""

from __future__ import annotations

import datetime as dt

from generator.registers import REGISTERS
from generator.registers.declarations import Declaration, Item
from generator.regions import appellate_region
from generator.render.crossref import Mention
from generator.render.environment import make_environment
from generator.render.people import Person
from generator.render.person_search import person_search_document
from generator.transliterate import latin_variants

REGISTER = REGISTERS["declarations"]
# site_templates/pages/person_search.html.j2, as it was before the document moved into Python.
TEMPLATE = """\
{#- What Pagefind indexes for a declarant's page (generator/search_index.py): what people search a
    person by — the name and its Latin spellings, position, body, the kinds and years of the
    declarations, and each distinct item and place — not the amounts, dates and owners of every row. -#}
{% from "_macros.html.j2" import register_filter, latin_index %}
<!doctype html>
<html lang="bg">
<head><meta charset="utf-8"><title>{{ person.name }}</title></head>
<body>
<main data-pagefind-body>
<span hidden data-pagefind-sort="date:{{ person.latest.filed_on.isoformat() }}"></span>
{{ register_filter(register) }}
{% if person.latest.body %}<span hidden data-pagefind-filter="Орган:{{ person.latest.body }}"></span><span hidden data-pagefind-filter="Апелативен район:{{ appellate_region(person.latest.body) }}"></span>{% endif %}
{% if person.latest.position %}<span hidden data-pagefind-filter="Длъжност:{{ person.latest.position }}"></span>{% endif %}
{% for year in person.years %}<span hidden data-pagefind-filter="Година:{{ year }}"></span>{% endfor %}
{% for kind in person.declarations | map(attribute="type") | unique %}<span hidden data-pagefind-filter="Вид декларация:{{ kind }}"></span>{% endfor %}
<span hidden data-pagefind-meta="Орган:{{ person.latest.body or '' }}"></span><span hidden data-pagefind-meta="Година:{{ person.years | first }}"></span>
<h1>{{ person.name }}</h1>
{{ latin_index(person.name) }}
<p>{{ person.latest.position or "" }}{% if person.latest.body %}, {{ person.latest.body }}{% endif %}.</p>
{% for m in mentions %}<p>{{ m.text }}</p>{% endfor %}
<p>{% for d in person.declarations %}{{ d.type | capitalize }} декларация за {{ d.year }} г.{% if not loop.last %}; {% endif %}{% endfor %}</p>
<p>{{ person.described_items() | join("; ") }}</p>
</main>
</body>
</html>
"""


def _declaration(declaration_id: str, year: int, **fields: object) -> Declaration:
    values: dict[str, object] = dict(person_id="P-1", full_name="Мария Петрова Цонева", filed_on=dt.date(year + 1, 5, 15), type="ежегодна", position="съдия", body="Районен съд – Пловдив")
    values.update(fields)
    return Declaration(declaration_id=declaration_id, year=year, **values)  # type: ignore[arg-type]


def _item(declaration_id: str, description: str | None, place: str | None, section: str = "недвижими имоти") -> Item:
    return Item(declaration_id=declaration_id, section=section, owner="декларатор", description=description, municipality=place)


def _person(declarations: list[Declaration], items: list[Item]) -> Person:
    return Person(declarations[0].person_id or "", declarations, {d.declaration_id or "": [i for i in items if i.declaration_id == d.declaration_id] for d in declarations})


def _maria() -> Person:
    declarations = [_declaration("Д-25", 2025), _declaration("Д-24К", 2024, type="корекция"), _declaration("Д-24", 2024)]
    items = [
        _item("Д-25", "апартамент", "Варна"),
        _item("Д-25", "лек автомобил", None, "превозни средства"),
        _item("Д-24", "апартамент", "Варна"),
        _item("Д-24", None, "Пловдив"),
        _item("Д-24", None, None, "парични средства"),
    ]
    return _person(declarations, items)


def _document(person: Person, mentions: list[Mention] | None = None) -> str:
    return person_search_document(person, REGISTER, mentions or [], {})


def _template_document(person: Person, mentions: list[Mention] | None = None) -> str:
    env = make_environment()
    env.globals.update(latin_variants=latin_variants, appellate_region=appellate_region)
    return env.from_string(TEMPLATE).render(title=person.name, link=str, register=REGISTER, person=person, mentions=mentions or [])


def test_the_document_names_the_person_their_latin_spellings_position_and_body():
    document = _document(_maria())
    assert "<title>Мария Петрова Цонева</title>" in document and "<h1>Мария Петрова Цонева</h1>" in document
    latin = document.split('data-latin="')[1].split('"')[0].split()
    assert {"tsoneva", "tzoneva", "coneva", "maria", "petrova"} <= set(latin)
    assert "<p>съдия, Районен съд – Пловдив.</p>" in document
    assert 'data-pagefind-filter="Орган:Районен съд – Пловдив"' in document
    assert f'data-pagefind-filter="Апелативен район:{appellate_region("Районен съд – Пловдив")}"' in document
    assert 'data-pagefind-filter="Длъжност:съдия"' in document
    assert f'data-pagefind-filter="Регистър:{REGISTER.title}"' in document


def test_each_declaration_is_named_by_kind_and_year_and_each_kind_and_year_filters_once():
    document = _document(_maria())
    assert "<p>Ежегодна декларация за 2025 г.; Корекция декларация за 2024 г.; Ежегодна декларация за 2024 г.</p>" in document
    assert document.count('data-pagefind-filter="Година:2024"') == 1 and document.count('data-pagefind-filter="Година:2025"') == 1
    assert document.count('data-pagefind-filter="Вид декларация:ежегодна"') == 1
    assert 'data-pagefind-sort="date:2026-05-15"' in document and 'data-pagefind-meta="Година:2025"' in document


def test_each_distinct_item_and_place_is_indexed_once_in_the_order_first_declared():
    assert "<p>апартамент, Варна; лек автомобил; Пловдив</p>" in _document(_maria())


def test_mentions_in_other_registers_are_indexed():
    mention = Mention("penalty_rulings", "nakazatelni-postanovlenia/index.md", "Наказателно постановление № 7, в сила от 01.02.2025 г.", _maria().latest)
    assert "<p>Наказателно постановление № 7, в сила от 01.02.2025 г.</p>" in _document(_maria(), [mention])


def test_a_declarant_without_position_or_body_has_neither_filter():
    person = _person([_declaration("Д-1", 2024, position=None, body=None)], [])
    document = _document(person)
    assert "Орган:" in document and 'data-pagefind-meta="Орган:"' in document
    assert 'data-pagefind-filter="Орган:' not in document and "Длъжност:" not in document and "Апелативен район" not in document
    assert "<p>.</p>" in document and "None" not in document


def test_what_an_export_holds_is_escaped_text_never_markup():
    declarations = [_declaration("Д-1", 2024, full_name='Ана <b>"Смит"</b>', position="съдия <i>", body="Съд & <script>")]
    person = _person(declarations, [_item("Д-1", "къща <img src=x>", "Варна & 'Бургас'")])
    document = _document(person, [Mention("late_filers", "nepodali-v-srok/2024.md", "текст <u>", declarations[0])])
    for markup in ("<b>", "<i>", "<script>", "<img", "<u>"):
        assert markup not in document
    assert "<h1>Ана &lt;b&gt;&#34;Смит&#34;&lt;/b&gt;</h1>" in document
    assert "<p>съдия &lt;i&gt;, Съд &amp; &lt;script&gt;.</p>" in document
    assert "<p>къща &lt;img src=x&gt;, Варна &amp; &#39;Бургас&#39;</p>" in document


def test_the_document_is_the_bytes_the_template_wrote():
    escaped = _person(
        [_declaration("Д-1", 2024, full_name='Ана <b>"Смит"</b>', position="", body="Съд & <script>", type="при промяна")],
        [_item("Д-1", "къща <img>", "Варна & 'Бургас'"), _item("Д-1", "къща <img>", "Варна & 'Бургас'")],
    )
    bare = _person([_declaration("Д-2", 2023, person_id="P-2", full_name="Иван Колев", position=None, body=None)], [])
    mention = Mention("late_filers", "nepodali-v-srok/2024.md", "В списъка <на> неподалите", _maria().latest)
    for person, mentions in ((_maria(), [mention, mention]), (escaped, []), (bare, [mention])):
        assert _document(person, mentions) == _template_document(person, mentions)
