"""The static JSON API: /api/v1/index.json, /api/v1/persons/<person_id>.json, /api/v1/bodies/<slug>.json.

Written from the same open-data tables as the downloads (same values, same field names);
every address in it is relative to the site root.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from generator.downloads.addresses import API_DIR, BODY_FIELDS, body_api, body_feed, body_page, body_slug, person_api, person_feed
from generator.downloads.json_out import encode, encode_text, json_texts, write_json_file
from generator.downloads.reuse import FileReuse
from generator.downloads.tables import DataTable, Row
from generator.render.pages import Person, url_of
from generator.transliterate import transliterate

API_VERSION = "1"


@dataclass(frozen=True)
class Body:
    """A court or office named in the registers, under one address whatever the spelling."""

    name: str
    slug: str
    rows: dict[str, list[Row]]  # table name -> rows that name this body


def collect_bodies(tables: list[DataTable]) -> list[Body]:
    """Every body named in a body column of any table, sorted by address."""
    rows: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
    names: dict[str, Counter[str]] = defaultdict(Counter)
    slugs: dict[str, str] = {}  # a national table names the same few hundred bodies many times over
    for table in tables:
        columns = [f.name for f in table.fields if f.name in BODY_FIELDS]
        if not columns:
            continue  # the items table names no body, and is never made into dicts
        for row in table.rows:
            for column in columns:
                name = row[column]
                if not isinstance(name, str):
                    continue
                slug = slugs.get(name) or slugs.setdefault(name, body_slug(name))
                if slug:
                    names[slug][" ".join(name.split())] += 1
                    rows[slug][table.name].append(row)
    return [Body(_spelling(names[slug]), slug, dict(rows[slug])) for slug in sorted(names)]


def _spelling(seen: Counter[str]) -> str:
    """The name as most exports write it; "Районен съд" rather than "РАЙОНЕН СЪД" whatever the count."""
    return max(seen, key=lambda name: (name != name.upper(), seen[name], name))


def person_summary(person: Person) -> dict[str, object]:
    """What the index says of a declarant, and where their files are."""
    return {
        "person_id": person.person_id,
        "full_name": person.name,
        "full_name_latin": transliterate(person.name),
        "position": person.latest.position,
        "body": person.latest.body,
        "years": person.years,
        "api": person_api(person.person_id),
        "page": url_of(person.src),
        "feed": person_feed(person.person_id),
    }


class ItemReader:
    """A declaration's items as the JSON download wrote them, read back from that file, without
    the keys the nesting already says (declaration_id, person_id): no row is encoded twice.

    Where the implied columns follow one another among the items' `columns` (the key of the
    declaration and the columns inherited with it do), their members are taken out in one pass."""

    def __init__(self, path: Path, spans: dict[object, list[tuple[int, int]]], implied: list[str], columns: list[str] | None = None) -> None:
        self.file = path.open("rb")
        self.spans = spans
        self.implied = [(key, f",{encode(key)}:") for key in implied]
        at = columns.index(implied[0]) if columns and implied and implied[0] in columns else -1
        self.adjacent = at > 0 and columns[at : at + len(implied)] == implied  # type: ignore[index]

    def __call__(self, declaration: Row) -> bytes:
        parts = []
        for offset, length in self.spans.get(declaration["declaration_id"], []):
            self.file.seek(offset)
            parts.append(self.file.read(length))
        data = b",\n".join(parts)
        # Only a text value ends in a quote, so a member cannot match a longer value's start;
        # and inside an encoded text a quote is escaped, so `,"key":` can only start a member.
        members = [key + encode_text(value) for name, key in self.implied if isinstance(value := declaration.get(name), str)]
        if self.adjacent and len(members) == len(self.implied) and data:
            # One after another in every row (a row is one line: JSON escapes a line break).
            together = "".join(members).encode("utf-8")
            taken = data.replace(together, b"")
            if len(data) - len(taken) == len(together) * (data.count(b"\n") + 1):
                return taken
        for member in members:
            data = data.replace(member.encode("utf-8"), b"")
        return data

    def close(self) -> None:
        """Close the JSON download."""
        self.file.close()


def person_document(summary: dict[str, object], person: Person, declarations: dict[object, tuple[Row, str]], items: ItemReader) -> bytes:
    """A person's published declarations, newest first, each with its items (what their page shows),
    one a line, as UTF-8; a declaration leaves out the person_id of the person it is under.
    `declarations`: each declaration's row and its JSON text without the person_id."""
    parts = []
    for d in person.declarations:
        row, own = declarations[d.declaration_id]
        listed = items(row)
        parts.append(_open_end(own, "items").encode("utf-8") + (b"[\n" + listed + b"]}" if listed else b"[]}"))
    head = _open_end(encode(summary), "declarations").encode("utf-8")
    return head + (b"[\n" + b",\n".join(parts) + b"]}\n" if parts else b"[]}\n")


def _open_end(text: str, key: str) -> str:
    """An encoded object opened again for one more member, up to the member's value."""
    return ("{" if text == "{}" else text[:-1] + ",") + f"{encode(key)}:"


def body_document(body: Body, people: list[dict[str, object]], page: str | None, tables: list[DataTable], as_json: dict[int, str]) -> str:
    """Everything the registers publish about one body, by table, with its declarants, as JSON text
    (`as_json`: each row's JSON text, by the row's id)."""
    head = encode({"body": body.name, "slug": body.slug, "page": page, "feed": body_feed(body.slug), "persons": people})
    lists = [f"{encode(t.name)}:[" + ",".join([as_json[id(r)] for r in body.rows.get(t.name, [])]) + "]" for t in tables if t.name != "items"]
    return head[:-1] + "".join("," + member for member in lists) + "}"


def write_api(
    tables: list[DataTable], people: list[Person], bodies: list[Body], page_srcs: set[str], docs_dir: Path, items: ItemReader, reuse: FileReuse | None = None
) -> dict[str, object]:
    """Write every API file into docs_dir; return the index document (the data page shows an example).
    A declarant's or body's file the live site holds as written is linked from it (see reuse.py)."""
    reuse = FileReuse() if reuse is None else reuse
    by_name = {t.name: t for t in tables}
    # Each row's JSON text as the downloads write it, made a column at a time (json_out.Members).
    as_json = {id(row): text for t in tables if t.name != "items" for row, text in zip(t.rows, json_texts(t))}
    listed = by_name["declarations"]
    declarations = {r["declaration_id"]: (r, own) for r, own in zip(listed.rows, json_texts(listed, leave_out=("person_id",)))}
    summaries = {p.person_id: person_summary(p) for p in people}
    people_at: dict[str, list[dict[str, object]]] = defaultdict(list)  # body slug -> everyone who declared there
    slugs: dict[str, str] = {}
    for person in people:
        reuse.write(docs_dir, person_api(person.person_id), person_document(summaries[person.person_id], person, declarations, items))
        names = {d.body for d in person.declarations if d.body}
        for slug in sorted({slugs.get(n) or slugs.setdefault(n, body_slug(n)) for n in names}):
            people_at[slug].append(summaries[person.person_id])
    for body in bodies:
        page = body_page(body.slug)
        document = body_document(body, people_at.get(body.slug, []), url_of(page) if page in page_srcs else None, tables, as_json) + "\n"
        reuse.write(docs_dir, body_api(body.slug), document.encode("utf-8"))
    index = {
        "api_version": API_VERSION,
        "persons": list(summaries.values()),
        "bodies": [{"body": b.name, "slug": b.slug, "api": body_api(b.slug), "feed": body_feed(b.slug)} for b in bodies],
    }
    write_json_file(index, docs_dir / API_DIR / "index.json")
    return index
