"""The rows of a letter's page of declarants (deklaracii/bukva-*), rendered in Python.

A reader looking for "Иванова" under И sees each declarant surname first, linked to their page,
with the position and body of their latest declaration (the body linked to its page, blank when
the export names none) and the years they declared for, newest first; whatever an export holds
is shown as text.
"""

from __future__ import annotations

import datetime as dt
import functools

from generator.registers.declarations import Declaration
from generator.render.declaration_rows import declarant_rows
from generator.render.environment import make_environment
from generator.render.pages import body_src, relative
from generator.render.people import Person

LETTER_SRC = "deklaracii/bukva-i.md"

# The loop that site_templates/pages/declarations_letter.html.j2 ran before the rows moved into Python.
JINJA_ROWS = """\
  {% for person in people %}
    <tr>
      <td><a href="{{ link(person.src) }}">{{ person.surname_first }}</a></td>
      <td>{{ person.latest.position or "" }}</td>
      <td>{{ body_link(link, person.latest.body) }}</td>
      <td>{{ person.years | join(", ") }}</td>
    </tr>
  {% endfor %}
"""


def _declarant(person_id: str, full_name: str, years: tuple[int, ...] = (2024,), **fields: object) -> Person:
    declarations = []
    for n, year in enumerate(sorted(years, reverse=True)):
        values: dict[str, object] = dict(filed_on=dt.date(year + 1, 5, 15), type="ежегодна", position="съдия", body="Районен съд – Пловдив")
        values.update(fields)
        declarations.append(Declaration(person_id=person_id, declaration_id=f"{person_id}-{n}", full_name=full_name, year=year, **values))  # type: ignore[arg-type]
    return Person(person_id, declarations, {})


def _rows(people: list[Person]) -> str:
    link = functools.partial(relative, LETTER_SRC)
    return str(declarant_rows(people, link, lambda body: link(body_src(body))))


def _jinja_rows(people: list[Person]) -> str:
    env = make_environment()
    env.globals["body_src"] = body_src
    template = env.from_string('{% from "_macros.html.j2" import body_link %}\n' + JINJA_ROWS)
    return template.render(people=people, link=functools.partial(relative, LETTER_SRC))


def test_a_row_links_the_declarant_surname_first_and_their_body_and_lists_the_years_newest_first():
    person = _declarant("P-1", "Мария Петрова Иванова", years=(2023, 2025, 2024))
    row = _rows([person])
    assert f'<td><a href="{relative(LETTER_SRC, person.src)}">Иванова Мария Петрова</a></td>' in row
    assert "<td>съдия</td>" in row
    assert f'<td><a href="{relative(LETTER_SRC, body_src("Районен съд – Пловдив"))}">Районен съд – Пловдив</a></td>' in row
    assert "<td>2025, 2024, 2023</td>" in row
    assert row.startswith("    <tr>\n") and row.endswith("    </tr>\n")


def test_no_body_and_no_position_leave_their_cells_empty():
    row = _rows([_declarant("P-2", "Иван Колев", position=None, body=None)])
    assert "      <td></td>\n      <td></td>\n" in row
    assert "None" not in row


def test_what_an_export_holds_is_escaped_text_never_markup():
    row = _rows([_declarant("P-3", "Ана <b>Смит</b>", body='Съд "А" & <script>', position="съдия <i>")])
    assert "<b>" not in row and "<script>" not in row and "<i>" not in row
    assert ">&lt;b&gt;Смит&lt;/b&gt; Ана</a>" in row
    assert "<td>съдия &lt;i&gt;</td>" in row
    assert ">Съд &#34;А&#34; &amp; &lt;script&gt;</a>" in row


def test_the_rows_are_the_bytes_the_template_wrote():
    people = [
        _declarant("P-1", "Мария Петрова Иванова", years=(2024, 2025)),
        _declarant("P-2", "Иван Колев", position=None, body=None),
        _declarant("P-3", "Ана <b>Смит</b>", body='Съд "А" & <script>', position=""),
        _declarant("P-4", "Петър Иванов", body="Районен съд – Пловдив", years=(2021, 2022, 2023)),
    ]
    assert _rows(people) == _jinja_rows(people)
    assert _rows([]) == _jinja_rows([]) == ""
