"""Stage 6: render published, redacted records into pages for mkdocs.

Each page is a small Markdown file (front matter, optional prose) plus an HTML fragment
rendered by Jinja2; the mkdocs hook in site_templates/hooks injects the fragment after
Markdown, because register tables through python-markdown would cost five times more.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import html
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from jinja2 import Environment
from markupsafe import Markup
from mkdocs.utils import get_relative_url

from generator.registers.declarations import DECLARATION_TYPES, SECTIONS, Declaration
from generator.registers.schema import Record, Register
from generator.regions import appellate_region
from generator.render.charts import bar_chart
from generator.render.crossref import Mention, link_records
from generator.render.declaration_rows import declarant_rows, declaration_rows
from generator.render.person_search import person_search_document
from generator.render.rows import comparison_cells, comparison_years, item_tables
from generator.render.people import ALPHABET, Person, SectionComparison, alphabet_key, group_people, normal_name, section_label
from generator.transliterate import latin_variants, slugify, transliterate

__all__ = ["Page", "PublishedRegister", "Renderer", "SiteIndex", "Person", "group_people", "build_pages", "write_pages"]

FRAGMENT_MARKER = "<!-- portal:fragment -->"
SEARCH_PAGE = "tarsene.md"


@dataclass(frozen=True)
class Page:
    """A generated page: where it goes, its title, its HTML fragment and optional Markdown prose."""

    src: str
    title: str
    html: str
    markdown: str = ""
    meta: dict[str, object] = field(default_factory=dict)
    # Written outside mkdocs, into the theme's frame (generator/render/frames.py): a declarant's
    # page, 5,500 of them at national scale, would otherwise cost mkdocs about 10 ms each.
    standalone: bool = False
    search: str = ""  # what Pagefind indexes instead of the page itself (generator/search_index.py); "" = the page
    # The start of the page's content, rendered only when the page is written (a declarant's page:
    # in parallel, straight into the site, so 1.4 GB of HTML is never held in memory at once); `html` follows it.
    deferred: Callable[[], str] | None = field(default=None, compare=False)

    def content(self) -> str:
        """The page's whole HTML fragment."""
        return (self.deferred() if self.deferred else "") + self.html


@dataclass
class PublishedRegister:
    """The records of one register that this build publishes, after rules and redaction."""

    register: Register
    tables: dict[str, list[Record]]


def url_of(src: str) -> str:
    """The directory-style URL mkdocs gives a page: `a/b.md` -> `a/b/`, `a/index.md` -> `a/`."""
    path = src[: -len(".md")]
    if path == "index":
        return "./"
    if path.endswith("/index"):
        return path[: -len("index")]
    return path + "/"


def relative(from_src: str, to_src: str) -> str:
    """A link from one generated page to another (`a/b.md#part` too), relative so the site works under any path."""
    target, hash_mark, part = to_src.partition("#")
    there, here = _src_segments(target), _src_segments(from_src)
    if there is None or here is None:
        return get_relative_url(url_of(target), url_of(from_src)) + hash_mark + part
    # What get_relative_url gives for two directory URLs, without normalising either again: the
    # year pages alone link 130,000 times.
    common = 0
    for a, b in zip(here, there):
        if a != b:
            break
        common += 1
    return ("/".join([".."] * (len(here) - common) + there[common:]) or ".") + "/" + hash_mark + part


@functools.lru_cache(maxsize=1 << 14)
def _src_segments(src: str) -> list[str] | None:
    """The parts of a page's directory URL ("a/b.md" -> a, b; "index.md" -> none); None if it is not plainly one."""
    # Cached by page: a declarant's page is linked from a letter, a year, a type and a body page.
    url = url_of(src)
    if url == "./":
        return []
    parts = url[:-1].split("/")
    return None if not url.endswith("/") or "" in parts or "." in parts or ".." in parts else parts


@dataclass
class SiteIndex:
    """What pages of one register need to know about the others: people, cross-references, bodies."""

    published: dict[str, PublishedRegister]
    people: list[Person]
    mentions: dict[str, list[Mention]]
    person_of: dict[Record, Person]

    @classmethod
    def of(cls, published: Iterable[PublishedRegister]) -> SiteIndex:
        """Group declarants and link the other registers' records to them where unambiguous."""
        by_name = {p.register.name: p for p in published}
        declarations = by_name["declarations"].tables
        people = group_people(declarations["declarations"], declarations["items"])
        named = {name: by_name[name].tables[name] for name in ("late_filers", "incorrect_declarants", "penalty_rulings")}
        mentions, person_of = link_records(people, named)
        return cls(by_name, people, mentions, person_of)

    def person_src(self, record: Record) -> str | None:
        """The page of the declarant a record unambiguously belongs to, if any."""
        person = self.person_of.get(record)
        return person.src if person else None


def body_src(body: str) -> str:
    """The page of a court or office."""
    return f"organi/{slugify(body)}.md"


class Renderer:
    """Renders pages from templates, giving each one a `link()` relative to itself."""

    def __init__(self, env: Environment, source_lines: Callable[[Iterable[Record]], list[str]] | None = None) -> None:
        self.env = env
        env.globals.update(body_src=body_src, latin_variants=latin_variants, appellate_region=appellate_region, item_tables=item_tables, comparison_cells=comparison_cells, comparison_years=comparison_years, comparison_charts=comparison_charts)
        # "По данни от X, одобрен от Y на Z." for the exports of a page's records (generator.ledger.SourceLines).
        env.globals["source_lines"] = source_lines or (lambda records: [])
        # Jinja2 checks a template's file for changes at every get_template: twice per declarant.
        self._template = functools.cache(env.get_template)

    def page(
        self, src: str, title: str, template: str, markdown: str = "", meta: dict[str, object] | None = None,
        standalone: bool = False, search: str = "", defer: bool = False, **context: object,
    ) -> Page:
        """Render one template into a Page at `src`; `search` is its own search document, if it has one.

        With defer=True the template is rendered when the page is written (Page.deferred)."""
        link = lambda target: relative(src, target)  # noqa: E731
        render = functools.partial(self._template(template).render, title=title, link=link, **context)
        if defer:
            return Page(src=src, title=title, html="", markdown=markdown, meta=meta or {}, standalone=standalone, search=search, deferred=render)
        return Page(src=src, title=title, html=render(), markdown=markdown, meta=meta or {}, standalone=standalone, search=search)


# ---------------------------------------------------------------- declarations


def _letter_of(person: Person) -> str:
    first = person.surname_first[:1].casefold()
    return first if first in ALPHABET else "#"


def _letter_src(letter: str) -> str:
    return f"deklaracii/bukva-{slugify(letter) or 'drugi'}.md"


def _kind_anchor(kind: str) -> str:
    return f"vid-{slugify(kind)}"


def _type_src(kind: str) -> str:
    return f"deklaracii/{_kind_anchor(kind)}.md"


# A kind of declaration with more than this many is listed on the year pages, one section per year,
# rather than in one page of every year (the annual ones: 55,000 rows, 21 MB of HTML nationally).
KIND_LIST_LIMIT = 2000


def _list_group(src: str, heading: str, anchor: str, rows: list[tuple[Person, Declaration]]) -> tuple[str, str, list[Declaration], Markup]:
    """A section of a declaration list on the page at `src`: heading, anchor, its declarations and their rows' HTML."""
    link = functools.partial(relative, src)
    return heading, anchor, [d for _, d in rows], declaration_rows(rows, link, lambda body: link(body_src(body)))


def declarations_pages(data: PublishedRegister, render: Renderer, site: SiteIndex) -> list[Page]:
    """The index (by letter, year and type), a page per letter, year and type, and a page per declarant."""
    people = site.people
    by_letter: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        by_letter[_letter_of(person)].append(person)
    letters = sorted(by_letter, key=alphabet_key)
    by_year: dict[int, list[tuple[Person, Declaration]]] = defaultdict(list)
    by_type: dict[str, list[tuple[Person, Declaration]]] = defaultdict(list)
    for person in people:
        for declaration in person.declarations:
            by_year[declaration.year].append((person, declaration))  # type: ignore[index]
            by_type[declaration.type].append((person, declaration))  # type: ignore[index]
    # The lists sort 120,000 rows by surname: each person's key once, not once a row.
    surname_key = {id(person): alphabet_key(person.surname_first) for person in people}
    years = sorted(by_year, reverse=True)
    kinds = [k for k in DECLARATION_TYPES if k in by_type]
    pages = [
        render.page(
            "deklaracii/index.md",
            data.register.title,
            "declarations_index.html.j2",
            register=data.register,
            letters=[(letter, _letter_src(letter), len(by_letter[letter])) for letter in letters],
            years=[(year, f"deklaracii/{year}.md", len(by_year[year])) for year in years],
            kinds=[(kind, _type_src(kind), len(by_type[kind])) for kind in kinds],
            people_count=len(people),
            declaration_count=len(data.tables["declarations"]),
        )
    ]
    for letter in letters:
        src = _letter_src(letter)
        link = functools.partial(relative, src)
        people_rows = declarant_rows(by_letter[letter], link, lambda body: link(body_src(body)))
        pages.append(render.page(src, f"Декларатори с фамилия на „{letter.upper()}“", "declarations_letter.html.j2", register=data.register, rows=people_rows, letter=letter))
    for year in years:
        src = f"deklaracii/{year}.md"
        rows = sorted(by_year[year], key=lambda pd: (surname_key[id(pd[0])], pd[1].filed_on))
        of_kind: dict[str, list[tuple[Person, Declaration]]] = defaultdict(list)
        for pd in rows:
            of_kind[pd[1].type].append(pd)  # type: ignore[index]
        groups = [_list_group(src, f"Вид: {kind}", _kind_anchor(kind), of_kind[kind]) for kind in kinds if of_kind.get(kind)]
        pages.append(render.page(src, f"Декларации за {year} г.", "declarations_list.html.j2", register=data.register, groups=groups, by_year=[], caption=f"Декларации за {year} г.", year=year))
    for kind in kinds:
        rows = sorted(by_type[kind], key=lambda pd: (-pd[1].year, surname_key[id(pd[0])]))  # type: ignore[operator]
        if len(rows) > KIND_LIST_LIMIT:
            counts = Counter(d.year for _, d in rows)
            by_kind_year = [(y, f"deklaracii/{y}.md#{_kind_anchor(kind)}", counts[y]) for y in years if counts[y]]
            pages.append(render.page(_type_src(kind), f"Декларации: {kind}", "declarations_list.html.j2", register=data.register, groups=[], by_year=by_kind_year, caption=f"Вид: {kind}", year=None))
        else:
            groups = [_list_group(_type_src(kind), "", "", rows)]
            pages.append(render.page(_type_src(kind), f"Декларации: {kind}", "declarations_list.html.j2", register=data.register, groups=groups, by_year=[], caption=f"Вид: {kind}", year=None))
    regions: dict[str, str] = {}  # each body's appellate region, for the search documents
    for person in people:
        mentions = site.mentions.get(person.person_id, [])
        pages.append(
            render.page(
                person.src,
                person.name,
                "person.html.j2",
                register=data.register,
                person=person,
                latin=transliterate(person.name),
                sections=SECTIONS,
                section_label=section_label,
                mentions=mentions,
                index_src="deklaracii/index.md",
                standalone=True,
                search=person_search_document(person, data.register, mentions, regions),
                defer=True,
            )
        )
    return pages


# ---------------------------------------------------------------- the other registers


def comparison_charts(comparison: list[SectionComparison]) -> dict[str, Markup]:
    """A bar chart per section of a person's comparison that has a total in at least two years."""
    return {
        row.section: bar_chart(f"chart-{slugify(row.section)}", f"{row.section.capitalize()}: обща стойност по години, в евро", {y: c.total_eur for y, c in row.cells.items()})
        for row in comparison
        if sum(1 for c in row.cells.values() if c.total_eur) >= 2
    }


def _by_year(records: list[Record]) -> dict[int, list[Record]]:
    by_year: dict[int, list[Record]] = defaultdict(list)
    for record in records:
        by_year[record.year].append(record)  # type: ignore[attr-defined]
    return by_year


def late_filers_pages(data: PublishedRegister, render: Renderer, site: SiteIndex) -> list[Page]:
    """An index of years and a page per year, split by list; a year with nobody says so."""
    by_year = _by_year(data.tables["late_filers"])
    years = sorted(by_year, reverse=True)
    pages = [
        render.page(
            "nepodali-v-srok/index.md",
            data.register.title,
            "late_filers_index.html.j2",
            register=data.register,
            years=[(y, f"nepodali-v-srok/{y}.md", sum(1 for r in by_year[y] if r.full_name)) for y in years],  # type: ignore[attr-defined]
        )
    ]
    list_titles = {
        "ежегодна": "Неподадени в срок ежегодни декларации",
        "при промяна": "Неподадени в срок декларации при промяна",
        "при освобождаване": "Освободени от длъжност, без да подадат декларация",
        "встъпителна": "Неподадени в срок встъпителни декларации",
        "след освобождаване": "Неподадени в срок декларации след освобождаване",
    }
    for year in years:
        people = [r for r in by_year[year] if r.full_name]  # type: ignore[attr-defined]
        lists = []
        for list_type, list_title in list_titles.items():
            members = sorted((r for r in people if r.type == list_type), key=lambda r: alphabet_key(r.full_name))  # type: ignore[attr-defined]
            if members:
                lists.append((list_title, members))
        untyped = [r for r in people if r.type is None]  # type: ignore[attr-defined]
        if untyped:
            lists.append(("Други", untyped))
        pages.append(
            render.page(f"nepodali-v-srok/{year}.md", f"Неподали декларация в срок за {year} г.", "late_filers_year.html.j2", register=data.register, year=year, lists=lists, person_src=site.person_src, records=by_year[year])
        )
    return pages


def incorrect_declarants_pages(data: PublishedRegister, render: Renderer, site: SiteIndex) -> list[Page]:
    """One page with the current list."""
    records = sorted(data.tables["incorrect_declarants"], key=lambda r: (r.listed_on, alphabet_key(r.full_name)), reverse=True)  # type: ignore[attr-defined]
    return [render.page("nekorektni-deklaratori/index.md", data.register.title, "incorrect_declarants.html.j2", register=data.register, records=records, person_src=site.person_src)]


def penalty_rulings_pages(data: PublishedRegister, render: Renderer, site: SiteIndex) -> list[Page]:
    """One page with every ruling in force, newest first."""
    records = sorted(data.tables["penalty_rulings"], key=lambda r: (r.in_force_on, r.number), reverse=True)  # type: ignore[attr-defined]
    return [render.page("nakazatelni-postanovlenia/index.md", data.register.title, "penalty_rulings.html.j2", register=data.register, records=records, person_src=site.person_src)]


def inspection_programme_pages(data: PublishedRegister, render: Renderer, site: SiteIndex) -> list[Page]:
    """An index of years and the programme of each year by appellate region."""
    by_year = _by_year(data.tables["inspection_programme"])
    years = sorted(by_year, reverse=True)
    pages = [
        render.page(
            "programa-za-proverki/index.md",
            data.register.title,
            "programme_index.html.j2",
            register=data.register,
            years=[(y, f"programa-za-proverki/{y}.md", len(by_year[y])) for y in years],
        )
    ]
    for year in years:
        regions: dict[str, list[Record]] = defaultdict(list)
        for record in by_year[year]:
            regions[record.appellate_region or appellate_region(record.body)].append(record)  # type: ignore[attr-defined]
        decisions = sorted({(r.decision_no, r.adopted_on) for r in by_year[year] if r.decision_no}, key=lambda d: (d[1], d[0]))  # type: ignore[attr-defined]
        pages.append(
            render.page(
                f"programa-za-proverki/{year}.md",
                f"Програма за проверки за {year} г.",
                "programme_year.html.j2",
                register=data.register,
                year=year,
                regions=[(name, sorted(regions[name], key=lambda r: alphabet_key(r.body))) for name in sorted(regions, key=alphabet_key)],  # type: ignore[attr-defined]
                decisions=decisions,
                amended=any(r.amended_on for r in by_year[year]),  # type: ignore[attr-defined]
            )
        )
    return pages


def _opinion_src(record: Record) -> str:
    return f"stanovishta/{slugify(record.number)}.md"  # type: ignore[attr-defined]


def dp_opinions_pages(data: PublishedRegister, render: Renderer, site: SiteIndex) -> list[Page]:
    """An index newest first and a page per opinion, its (redacted) text rendered as Markdown."""
    records = sorted(data.tables["dp_opinions"], key=lambda r: (r.session_date, r.number), reverse=True)  # type: ignore[attr-defined]
    pages = [
        render.page(
            "stanovishta/index.md",
            data.register.title,
            "opinions_index.html.j2",
            register=data.register,
            records=[(r, _opinion_src(r)) for r in records],
        )
    ]
    for record in records:
        pages.append(
            render.page(
                _opinion_src(record),
                f"Становище № {record.number}: {record.title}",  # type: ignore[attr-defined]
                "opinion.html.j2",
                markdown=f"{FRAGMENT_MARKER}\n\n{escape_markdown_html(record.text or '')}",  # type: ignore[attr-defined]
                register=data.register,
                record=record,
                index_src="stanovishta/index.md",
            )
        )
    return pages


def escape_markdown_html(text: str) -> str:
    """Export text is prose, never markup: raw HTML in it is shown as text, not run."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


PAGE_BUILDERS: dict[str, Callable[[PublishedRegister, Renderer, SiteIndex], list[Page]]] = {
    "declarations": declarations_pages,
    "late_filers": late_filers_pages,
    "incorrect_declarants": incorrect_declarants_pages,
    "penalty_rulings": penalty_rulings_pages,
    "inspection_programme": inspection_programme_pages,
    "dp_opinions": dp_opinions_pages,
}


def bodies_pages(site: SiteIndex, render: Renderer) -> tuple[list[Page], list[str]]:
    """A page per court or office, grouped by appellate region; also the bodies the mapping does not know."""
    declarants: dict[str, list[Person]] = defaultdict(list)
    for person in site.people:
        if person.latest.body:
            declarants[person.latest.body].append(person)
    listed: dict[str, dict[str, list[Record]]] = defaultdict(lambda: defaultdict(list))
    for name in ("inspection_programme", "late_filers", "penalty_rulings", "incorrect_declarants"):
        for record in site.published[name].tables[name]:
            if getattr(record, "body", None):
                listed[record.body][name].append(record)  # type: ignore[attr-defined]
    names = {normal_name(b): b for b in sorted(set(declarants) | set(listed))}
    regions: dict[str, list[str]] = defaultdict(list)
    for body in names.values():
        regions[appellate_region(body)].append(body)
    pages = [
        render.page(
            "organi/index.md",
            "Органи на съдебната власт",
            "bodies_index.html.j2",
            regions=[(region, sorted(bodies, key=alphabet_key)) for region, bodies in sorted(regions.items(), key=lambda r: (r[0] == "други", alphabet_key(r[0])))],
        )
    ]
    for body in names.values():
        records = listed.get(body, {})
        pages.append(
            render.page(
                body_src(body),
                body,
                "body.html.j2",
                body=body,
                region=appellate_region(body),
                people=declarants.get(body, []),
                inspections=sorted(records.get("inspection_programme", []), key=lambda r: (-r.year, r.inspection_type)),  # type: ignore[attr-defined]
                late=sorted(records.get("late_filers", []), key=lambda r: (-r.year, alphabet_key(r.full_name or ""))),  # type: ignore[attr-defined]
                rulings=sorted(records.get("penalty_rulings", []), key=lambda r: r.in_force_on, reverse=True),  # type: ignore[attr-defined]
                incorrect=sorted(records.get("incorrect_declarants", []), key=lambda r: r.listed_on, reverse=True),  # type: ignore[attr-defined]
                person_src=site.person_src,
            )
        )
    return pages, sorted(regions.get("други", []), key=alphabet_key)


def build_pages(published: list[PublishedRegister], render: Renderer, as_of: dt.date, intro: str) -> tuple[list[Page], list[str]]:
    """Every generated page of the site, and the bodies missing from the appellate-region mapping."""
    # The pages make a few hundred thousand lists, tuples and closures and no reference cycles
    # (none left to collect after a national build); the cyclic collector would walk them again
    # and again, a sixth of the stage's time. It is switched back on afterwards.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build_pages(published, render, as_of, intro)
    finally:
        if collecting:
            gc.enable()


def _build_pages(published: list[PublishedRegister], render: Renderer, as_of: dt.date, intro: str) -> tuple[list[Page], list[str]]:
    site = SiteIndex.of(published)
    pages = [page for register in published for page in PAGE_BUILDERS[register.register.name](register, render, site)]
    body_pages, unknown_bodies = bodies_pages(site, render)
    pages += body_pages
    pages += [home_page(published, render, as_of, intro), search_page(render)]
    return pages, unknown_bodies


def index_src(register: Register) -> str:
    """The address of a register's first page."""
    return f"{register.slug}/index.md"


def home_page(published: Iterable[PublishedRegister], render: Renderer, as_of: dt.date, intro: str) -> Page:
    """The home page: the registers with their counts, and the intro prose from content/index.md if any."""
    cards = [(p.register, index_src(p.register), sum(len(v) for k, v in p.tables.items() if k != "items")) for p in published]
    return render.page("index.md", "Начало", "home.html.j2", markdown=f"{intro}\n\n{FRAGMENT_MARKER}\n", cards=cards, as_of=as_of, search_src=SEARCH_PAGE)


def search_page(render: Renderer) -> Page:
    """The search page; the Pagefind UI is wired in by the theme override template."""
    return render.page(SEARCH_PAGE, "Търсене", "search.html.j2", meta={"template": "search.html"})


def write_pages(pages: Iterable[Page], docs_dir: Path, fragments_dir: Path) -> None:
    """Write each page's Markdown into docs_dir and its fragment into fragments_dir."""
    for page in pages:
        # mkdocs and the theme print a page title as HTML: a title from an export must be escaped text.
        meta = {"title": html.escape(page.title, quote=False), "portal_fragment": True, **page.meta}
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=True)
        target = docs_dir / page.src
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\n{front}---\n\n{page.markdown}\n", encoding="utf-8")
        fragment = fragments_dir / (page.src[: -len(".md")] + ".html")
        fragment.parent.mkdir(parents=True, exist_ok=True)
        fragment.write_text(page.content(), encoding="utf-8")
