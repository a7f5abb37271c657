"""Stage 6: render published, redacted records into pages for mkdocs.

Each page is a small Markdown file (front matter, optional prose) plus an HTML fragment
rendered by Jinja2; the mkdocs hook in site_templates/hooks injects the fragment after
Markdown, because register tables through python-markdown would cost five times more.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from jinja2 import Environment
from mkdocs.utils import get_relative_url

from generator.registers.declarations import FLOW_SECTIONS, SECTIONS, Declaration, Item
from generator.registers.schema import Record, Register
from generator.transliterate import slugify, transliterate

FRAGMENT_MARKER = "<!-- portal:fragment -->"
ALPHABET = "абвгдежзийклмнопрстуфхцчшщъьюя"
SEARCH_PAGE = "tarsene.md"


@dataclass(frozen=True)
class Page:
    """A generated page: where it goes, its title, its HTML fragment and optional Markdown prose."""

    src: str
    title: str
    html: str
    markdown: str = ""
    meta: dict[str, object] = field(default_factory=dict)


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
    """A link from one generated page to another, relative so the site works under any path."""
    return get_relative_url(url_of(to_src), url_of(from_src))


class Renderer:
    """Renders pages from templates, giving each one a `link()` relative to itself."""

    def __init__(self, env: Environment) -> None:
        self.env = env

    def page(self, src: str, title: str, template: str, markdown: str = "", meta: dict[str, object] | None = None, **context: object) -> Page:
        """Render one template into a Page at `src`."""
        html = self.env.get_template(template).render(
            title=title, link=lambda target: relative(src, target), **context
        )
        return Page(src=src, title=title, html=html, markdown=markdown, meta=meta or {})


# ---------------------------------------------------------------- declarations


@dataclass
class Person:
    """A declarant: every published declaration with the same person_id, newest first."""

    person_id: str
    declarations: list[Declaration]
    items: dict[str, list[Item]]

    @property
    def latest(self) -> Declaration:
        return self.declarations[0]

    @property
    def name(self) -> str:
        return self.latest.full_name or ""

    @property
    def surname_first(self) -> str:
        """"Мария Петрова Иванова" -> "Иванова Мария Петрова", the order of a register index."""
        parts = self.name.split()
        return " ".join(parts[-1:] + parts[:-1])

    @property
    def src(self) -> str:
        return f"deklaracii/{slugify(self.surname_first)}-{slugify(self.person_id)}.md"

    @property
    def years(self) -> list[int]:
        return sorted({d.year for d in self.declarations if d.year is not None}, reverse=True)


def alphabet_key(text: str) -> tuple[int, ...]:
    """Sort by the Bulgarian alphabet, letters outside it after."""
    return tuple(ALPHABET.find(c) if c in ALPHABET else 100 + ord(c) for c in text.casefold())


def group_people(declarations: list[Record], items: list[Record]) -> list[Person]:
    """One Person per person_id (never per name: namesakes stay apart), sorted by surname."""
    by_person: dict[str, list[Declaration]] = defaultdict(list)
    for declaration in declarations:
        assert isinstance(declaration, Declaration)
        by_person[declaration.person_id or ""].append(declaration)
    by_declaration: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        assert isinstance(item, Item)
        by_declaration[item.declaration_id or ""].append(item)
    people = []
    for person_id, own in by_person.items():
        own.sort(key=lambda d: (d.filed_on, d.declaration_id), reverse=True)
        people.append(Person(person_id, own, {d.declaration_id or "": by_declaration[d.declaration_id or ""] for d in own}))
    people.sort(key=lambda p: (alphabet_key(p.surname_first), p.person_id))
    return people


def section_label(section: str, declaration: Declaration) -> str:
    """What the figures of a section mean: acquired during the year (flow) or a balance (stock)."""
    if declaration.type not in ("ежегодна", "корекция", "при промяна") or declaration.year is None:
        return f"към датата на декларацията"
    if section in FLOW_SECTIONS:
        return f"придобито през {declaration.year} г."
    return f"към 31.12.{declaration.year} г."


def _letter_of(person: Person) -> str:
    first = person.surname_first[:1].casefold()
    return first if first in ALPHABET else "#"


def _letter_src(letter: str) -> str:
    return f"deklaracii/bukva-{slugify(letter) or 'drugi'}.md"


def declarations_pages(data: PublishedRegister, render: Renderer) -> list[Page]:
    """The index by letter, a page per letter, and a page per declarant."""
    people = group_people(data.tables["declarations"], data.tables["items"])
    by_letter: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        by_letter[_letter_of(person)].append(person)
    letters = sorted(by_letter, key=alphabet_key)
    pages = [
        render.page(
            "deklaracii/index.md",
            data.register.title,
            "declarations_index.html.j2",
            register=data.register,
            letters=[(letter, _letter_src(letter), len(by_letter[letter])) for letter in letters],
            people_count=len(people),
            declaration_count=len(data.tables["declarations"]),
        )
    ]
    for letter in letters:
        pages.append(
            render.page(
                _letter_src(letter),
                f"Декларатори с фамилия на „{letter.upper()}“",
                "declarations_letter.html.j2",
                register=data.register,
                people=by_letter[letter],
                letter=letter,
            )
        )
    for person in people:
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
                index_src="deklaracii/index.md",
            )
        )
    return pages


# ---------------------------------------------------------------- the other registers


def late_filers_pages(data: PublishedRegister, render: Renderer) -> list[Page]:
    """An index of years and a page per year, split by list; a year with nobody says so."""
    by_year: dict[int, list[Record]] = defaultdict(list)
    for record in data.tables["late_filers"]:
        by_year[record.year].append(record)  # type: ignore[attr-defined]
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
            render.page(f"nepodali-v-srok/{year}.md", f"Неподали декларация в срок за {year} г.", "late_filers_year.html.j2", register=data.register, year=year, lists=lists)
        )
    return pages


def incorrect_declarants_pages(data: PublishedRegister, render: Renderer) -> list[Page]:
    """One page with the current list."""
    records = sorted(data.tables["incorrect_declarants"], key=lambda r: (r.listed_on, alphabet_key(r.full_name)), reverse=True)  # type: ignore[attr-defined]
    return [render.page("nekorektni-deklaratori/index.md", data.register.title, "incorrect_declarants.html.j2", register=data.register, records=records)]


def penalty_rulings_pages(data: PublishedRegister, render: Renderer) -> list[Page]:
    """One page with every ruling in force, newest first."""
    records = sorted(data.tables["penalty_rulings"], key=lambda r: (r.in_force_on, r.number), reverse=True)  # type: ignore[attr-defined]
    return [render.page("nakazatelni-postanovlenia/index.md", data.register.title, "penalty_rulings.html.j2", register=data.register, records=records)]


def inspection_programme_pages(data: PublishedRegister, render: Renderer) -> list[Page]:
    """An index of years and the programme of each year by appellate region."""
    by_year: dict[int, list[Record]] = defaultdict(list)
    for record in data.tables["inspection_programme"]:
        by_year[record.year].append(record)  # type: ignore[attr-defined]
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
            regions[record.appellate_region or "Други"].append(record)  # type: ignore[attr-defined]
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


def dp_opinions_pages(data: PublishedRegister, render: Renderer) -> list[Page]:
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


PAGE_BUILDERS: dict[str, Callable[[PublishedRegister, Renderer], list[Page]]] = {
    "declarations": declarations_pages,
    "late_filers": late_filers_pages,
    "incorrect_declarants": incorrect_declarants_pages,
    "penalty_rulings": penalty_rulings_pages,
    "inspection_programme": inspection_programme_pages,
    "dp_opinions": dp_opinions_pages,
}


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
        meta = {"title": page.title, "portal_fragment": True, **page.meta}
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=True)
        target = docs_dir / page.src
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\n{front}---\n\n{page.markdown}\n", encoding="utf-8")
        fragment = fragments_dir / (page.src[: -len(".md")] + ".html")
        fragment.parent.mkdir(parents=True, exist_ok=True)
        fragment.write_text(page.html, encoding="utf-8")
