"""The rows of the declaration lists (a page per year and per type), rendered in Python.

A reader scanning the list for 2024 sees each declarant's name linked to the declaration on
their page, the date in Bulgarian form, the position (blank when unknown) and the body linked
to its page (blank when the export names none); whatever an export holds is shown as text.
"""

from __future__ import annotations

import datetime as dt
import functools

from generator.registers.declarations import Declaration
from generator.render.declaration_rows import declaration_rows
from generator.render.environment import make_environment
from generator.render.pages import body_src, relative
from generator.render.people import Person

LIST_SRC = "deklaracii/2024.md"

# The loop that site_templates/pages/declarations_list.html.j2 ran before the rows moved into Python.
JINJA_ROWS = """\
  {% for person, d in rows %}
    <tr>
      <td><a href="{{ link(person.src) }}#d-{{ d.declaration_id }}">{{ person.surname_first }}</a></td>
      <td>{{ d.type }}</td><td>{{ d.year }}</td><td data-sort="{{ d.filed_on.isoformat() }}">{{ d.filed_on | date_bg }}</td>
      <td>{{ d.position or "" }}</td><td>{{ body_link(link, d.body) }}</td>
    </tr>
  {% endfor %}
"""


def _declarant(person_id: str, full_name: str, **fields: object) -> tuple[Person, Declaration]:
    values: dict[str, object] = dict(declaration_id="2024-0001", filed_on=dt.date(2024, 5, 15), year=2024, type="ежегодна", position="съдия", body="Районен съд – Пловдив")
    values.update(fields)
    declaration = Declaration(person_id=person_id, full_name=full_name, **values)  # type: ignore[arg-type]
    return Person(person_id, [declaration], {}), declaration


def _rows(rows: list[tuple[Person, Declaration]]) -> str:
    link = functools.partial(relative, LIST_SRC)
    return str(declaration_rows(rows, link, lambda body: link(body_src(body))))


def _jinja_rows(rows: list[tuple[Person, Declaration]]) -> str:
    env = make_environment()
    env.globals["body_src"] = body_src
    template = env.from_string('{% from "_macros.html.j2" import body_link %}\n' + JINJA_ROWS)
    return template.render(rows=rows, link=functools.partial(relative, LIST_SRC))


def test_a_row_links_the_declarant_and_the_body_and_shows_the_date_in_bulgarian():
    person, declaration = _declarant("P-1", "Мария Петрова Иванова")
    row = _rows([(person, declaration)])
    assert f'<a href="{relative(LIST_SRC, person.src)}#d-2024-0001">Иванова Мария Петрова</a>' in row
    assert '<td>ежегодна</td><td>2024</td><td data-sort="2024-05-15">15.05.2024 г.</td>' in row
    assert f'<td>съдия</td><td><a href="{relative(LIST_SRC, body_src("Районен съд – Пловдив"))}">Районен съд – Пловдив</a></td>' in row
    assert row.startswith("    <tr>\n") and row.endswith("    </tr>\n")


def test_no_body_and_no_position_leave_their_cells_empty():
    row = _rows([_declarant("P-2", "Иван Колев", position=None, body=None)])
    assert "<td></td><td></td>\n    </tr>" in row
    assert "None" not in row


def test_what_an_export_holds_is_escaped_text_never_markup():
    row = _rows([_declarant("P-3", "Ана <b>Смит</b>", body='Съд "А" & <script>', position="съдия <i>", declaration_id="1&2")])
    assert "<b>" not in row and "<script>" not in row and "<i>" not in row
    assert "&lt;b&gt;Смит&lt;/b&gt; Ана" in row
    assert "#d-1&amp;2" in row
    assert "<td>съдия &lt;i&gt;</td>" in row
    assert ">Съд &#34;А&#34; &amp; &lt;script&gt;</a>" in row


def test_the_rows_are_the_bytes_the_template_wrote():
    rows = [
        _declarant("P-1", "Мария Петрова Иванова"),
        _declarant("P-2", "Иван Колев", position=None, body=None, filed_on=dt.date(2024, 12, 1)),
        _declarant("P-3", "Ана <b>Смит</b>", body='Съд "А" & <script>', position="", declaration_id="1&2'"),
        _declarant("P-4", "Петър Стоянов", body="Районен съд – Пловдив", type="встъпителна", year=2023),
    ]
    assert _rows(rows) == _jinja_rows(rows)
    assert _rows([]) == _jinja_rows([]) == ""
