"""The tables of a declaration's items, rendered in Python: the one loop of the site that runs 750,000 times.

A Jinja2 loop spends about 20 µs per nine-cell row on its own machinery (an escape and a filter
call per cell, a macro call per table); this spends about 3 µs. The markup is what the template
wrote before, each cell escaped as autoescape would (`markupsafe.escape`). Each table sits in
its own focusable, named scroll box, as site_templates/hooks/accessibility.py gives mkdocs pages.
A table shows only the columns that hold something in one of its rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape

from generator.registers.declarations import Declaration, Item
from generator.render.environment import default_currency, money, number_bg
from generator.render.people import SectionComparison, section_label

ITEM_HEADERS = ("Притежател", "Описание", "Място", "Площ, кв. м", "Дял", "Година на придобиване", "Стойност", "Правно основание", "Произход на средствата")
_HEADS: dict[tuple[int, ...], str] = {}  # the <thead> of each set of columns shown


_MARKUP_CHARS = re.compile(r"[&<>\"']")


def _text(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    # Most cells hold nothing to escape; checking is cheaper than escaping.
    return str(escape(text)) if _MARKUP_CHARS.search(text) else text


def _cells(item: Item, currency: str, both: bool) -> tuple[str, ...]:
    """An item's cells, escaped: owner, description, place, area, share, year acquired, value, legal basis, origin of funds."""
    area = number_bg(item.area_sqm) if item.area_sqm is not None else ""
    value = money(item.value, item.currency or currency, both=both)
    return (
        _text(item.owner), _text(item.description), _text(item.municipality), _text(area), _text(item.share),
        _text(item.acquired_year), _text(value), _text(item.legal_basis), _text(item.origin_of_funds),
    )  # fmt: skip


def _head(columns: tuple[int, ...]) -> str:
    head = _HEADS.get(columns)
    if head is None:
        head = _HEADS[columns] = "<thead data-pagefind-ignore><tr>" + "".join(f'<th scope="col">{ITEM_HEADERS[c]}</th>' for c in columns) + "</tr></thead>"
    return head


def item_table_body(items: Iterable[Item], currency: str, both: bool) -> tuple[tuple[int, ...], str]:
    """The columns a table of these items shows and its <tr> rows: only the columns with a value
    in some row (cash has no place, area or legal basis; six empty columns of nine are noise to
    read, on a phone above all, and a third of a declarant's page)."""
    cells = [_cells(item, currency, both) for item in items]
    columns = tuple(c for c in range(len(ITEM_HEADERS)) if any(row[c] for row in cells)) or (1,)
    rows = ["<tr>" + "".join(f"<td>{row[c]}</td>" for c in columns) + "</tr>\n" for row in cells]
    return columns, "".join(rows)


def item_tables(sections: list[tuple[str, list[Item]]], declaration: Declaration, both: bool) -> Markup:
    """A captioned table per section of one declaration; amounts without a currency in the year's currency."""
    currency = default_currency(declaration.year)
    out = []
    for section, items in sections:
        caption = _text(f"{section.capitalize()} — {section_label(section, declaration)}")
        columns, rows = item_table_body(items, currency, both)
        out.append(
            f'<div class="portal-table" role="region" tabindex="0" aria-label="{caption}">\n<table>\n<caption>{caption}</caption>\n'
            f"{_head(columns)}\n<tbody>\n{rows}</tbody>\n</table>\n</div>\n"
        )
    return Markup("".join(out))


def comparison_years(comparison: list[SectionComparison]) -> list[int]:
    """Every year that any section of a comparison has, in order."""
    return sorted({year for row in comparison for year in row.cells})


def comparison_cells(row: SectionComparison, years: list[int]) -> list[str]:
    """The text of a comparison row's cell per year: "3 бр.; 12 000,00 €", or a dash."""
    cells = []
    for year in years:
        cell = row.cells.get(year)
        if cell is None:
            cells.append("—")
        elif cell.total_eur:
            cells.append(f"{cell.count} бр.; {money(cell.total_eur, 'EUR')}")
        else:
            cells.append(f"{cell.count} бр.")
    return cells
