"""A declarant's search document, the page Pagefind indexes for them (generator/search_index.py), rendered in Python.

It holds what people search a person by: the name and its Latin spellings, position, body, the
kinds and years of the declarations, and each distinct item and place, not the amounts, dates
and owners of every row. Every declarant has one (5,500 nationally, all rendered by the parent
process); a Jinja2 template spent about 120 calls on each, 40 % of build_pages. The markup is what
the template person_search.html.j2 wrote before (with the `register_filter` and `latin_index`
macros of site_templates/pages/_macros.html.j2: a change to those must be made here too), each
value escaped as autoescape would, so the documents are the same to the byte.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.regions import appellate_region
from generator.registers.schema import Register
from generator.render.crossref import Mention
from generator.render.declaration_rows import escaped
from generator.render.people import Person
from generator.transliterate import latin_variants


def _filters(person: Person, regions: dict[str, str]) -> str:
    """The hidden spans Pagefind filters by: body and its appellate region, position, each year, each kind of declaration."""
    latest = person.latest
    out = []
    if latest.body:
        region = regions.get(latest.body)
        if region is None:
            # A few hundred bodies for 5,500 declarants: the region's look-up once per body.
            region = regions[latest.body] = appellate_region(latest.body)
        out.append(f'<span hidden data-pagefind-filter="Орган:{escaped(latest.body)}"></span><span hidden data-pagefind-filter="Апелативен район:{escaped(region)}"></span>')
    if latest.position:
        out.append(f'<span hidden data-pagefind-filter="Длъжност:{escaped(latest.position)}"></span>')
    out.extend(f'<span hidden data-pagefind-filter="Година:{escaped(year)}"></span>' for year in person.years)
    # Jinja's `unique` filter, which the template used, compares strings ignoring case.
    kinds: dict[object, object] = {}
    for d in person.declarations:
        kinds.setdefault(d.type.lower() if isinstance(d.type, str) else d.type, d.type)
    out.extend(f'<span hidden data-pagefind-filter="Вид декларация:{escaped(kind)}"></span>' for kind in kinds.values())
    return "".join(out)


def person_search_document(person: Person, register: Register, mentions: Iterable[Mention], regions: dict[str, str]) -> str:
    """The search document of a declarant; `regions` remembers each body's appellate region across declarants."""
    latest = person.latest
    name = escaped(person.name)
    place = escaped(latest.position or "") + (f", {escaped(latest.body)}" if latest.body else "")
    declarations = "; ".join(f"{escaped(str(d.type).capitalize())} декларация за {escaped(d.year)} г." for d in person.declarations)
    return (
        '<!doctype html>\n<html lang="bg">\n'
        f'<head><meta charset="utf-8"><title>{name}</title></head>\n<body>\n<main data-pagefind-body>\n'
        f'<span hidden data-pagefind-sort="date:{escaped(latest.filed_on.isoformat())}"></span>\n'  # type: ignore[union-attr]
        f'<span hidden data-pagefind-filter="Регистър:{escaped(register.title)}"></span>\n'
        f"{_filters(person, regions)}"
        f'<span hidden data-pagefind-meta="Орган:{escaped(latest.body or "")}"></span><span hidden data-pagefind-meta="Година:{escaped(person.years[0])}"></span>\n'
        f"<h1>{name}</h1>\n"
        f'<span data-pagefind-index-attrs="data-latin" data-latin="{escaped(" ".join(latin_variants(person.name)))}"></span>\n'
        f"<p>{place}.</p>\n"
        + "".join(f"<p>{escaped(m.text)}</p>" for m in mentions)
        + f"<p>{declarations}</p>\n"
        f'<p>{escaped("; ".join(person.described_items()))}</p>\n'
        "</main>\n</body>\n</html>\n"
    )
