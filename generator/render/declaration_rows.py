"""The rows of the declaration lists (a page per year and per type) and of the declarants' lists
(a page per initial letter), rendered in Python.

Nationally the declaration lists hold 61,000 rows; a Jinja2 loop spent about 40 µs on each (a macro call
for the body's link, a filter for the date, an escape per value), half of build_pages; the letter
pages' 5,500 rows cost the same each. The markup is what site_templates/pages/declarations_list.html.j2
and declarations_letter.html.j2 wrote before, each value escaped as autoescape would
(`markupsafe.escape`), so the pages are the same to the byte.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable

from markupsafe import Markup, escape

from generator.registers.declarations import Declaration
from generator.render.environment import date_bg
from generator.render.people import Person

_MARKUP_CHARS = re.compile(r"[&<>\"']")


def escaped(value: object) -> str:
    """A value as `{{ value }}` prints it under autoescape: None as "None", numbers as digits."""
    if type(value) is str:
        # Most values hold nothing to escape; checking is cheaper than escaping.
        return str(escape(value)) if _MARKUP_CHARS.search(value) else value
    if type(value) is int:  # a year: digits, nothing to escape
        return str(value)
    return str(escape(value))


def _body_cell(body: str | None, body_href: Callable[[str], str], cells: dict[str, str]) -> str:
    """The body linked to its page, as the `body_link` macro wrote it; a few hundred bodies fill a list."""
    if not body:
        return ""
    cell = cells.get(body)
    if cell is None:
        cell = cells[body] = f'<a href="{escaped(body_href(body))}">{escaped(body)}</a>'
    return cell


@functools.lru_cache(maxsize=1 << 12)
def _filed_cell(filed_on: dt.date) -> str:
    """The date-filed cell, sortable by its ISO date; a list has a few hundred dates for thousands of rows."""
    return f'<td data-sort="{escaped(filed_on.isoformat())}">{escaped(date_bg(filed_on))}</td>'


def _row(person: Person, declaration: Declaration, href: str, body: str) -> str:
    """One declaration's <tr>: declarant (linked to the declaration on their page), type, year, date filed, position, body."""
    d = declaration
    return (
        f'    <tr>\n      <td><a href="{escaped(href)}#d-{escaped(d.declaration_id)}">{escaped(person.surname_first)}</a></td>\n'
        f'      <td>{escaped(d.type)}</td><td>{escaped(d.year)}</td>{_filed_cell(d.filed_on)}\n'  # type: ignore[arg-type]
        f'      <td>{escaped(d.position or "")}</td><td>{body}</td>\n    </tr>\n'
    )


def declaration_rows(rows: Iterable[tuple[Person, Declaration]], link: Callable[[str], str], body_href: Callable[[str], str]) -> Markup:
    """The <tr> rows of a declaration list; `link` makes a page's address relative to the list,
    `body_href` gives the (relative) address of a body's page."""
    bodies: dict[str, str] = {}
    return Markup("".join(_row(person, d, link(person.src), _body_cell(d.body, body_href, bodies)) for person, d in rows))


def _declarant_row(person: Person, href: str, body: str) -> str:
    """One declarant's <tr>: name surname first (linked to their page), latest position and body, years declared."""
    return (
        f'    <tr>\n      <td><a href="{escaped(href)}">{escaped(person.surname_first)}</a></td>\n'
        f'      <td>{escaped(person.latest.position or "")}</td>\n      <td>{body}</td>\n'
        f'      <td>{escaped(", ".join(map(str, person.years)))}</td>\n    </tr>\n'
    )


def declarant_rows(people: Iterable[Person], link: Callable[[str], str], body_href: Callable[[str], str]) -> Markup:
    """The <tr> rows of a list of declarants (a letter's page); `link` and `body_href` as for declaration_rows."""
    bodies: dict[str, str] = {}
    return Markup("".join(_declarant_row(person, link(person.src), _body_cell(person.latest.body, body_href, bodies)) for person in people))
