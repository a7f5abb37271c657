"""The key of a standalone page: a hash of everything its bytes depend on (generator/render/page_cache.py).

A declarant's page is rendered from ~140 item rows: pickled as they are (a frozen dataclass pickles
its fields through Python), a national build's pages took 5 s of keys. So a declaration the manifest
hashed (generator/manifest.py: every public field of the declaration and of its items, as the page
shows them) stands in the key as that hash, with the exports its rows came from (the page names
them); every other record is pickled field by field, read in one C call. The hash stands only where
it covers exactly the rows the page holds; elsewhere the records are keyed in full. So a key may
change when its page did not (a render for nothing), never stay the same when its page changed.
"""

from __future__ import annotations

import copyreg
import dataclasses
import functools
import hashlib
import io
import operator
import pickle
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple

from jinja2 import Template

from generator.manifest import Entry, Records, child_tables, identify
from generator.registers.schema import Record, Register, Source, Table, field_specs
from generator.render.pages import Page, PublishedRegister
from generator.render.people import Person


class Digest(NamedTuple):
    """A record's manifest hash and the child rows it covers, as the manifest grouped them.

    It holds the record itself, so the record's id() (its key in a digest map) is not reused.
    A named tuple: a national build makes 60,000."""

    record: Record
    hash: str
    children: list[Record]


def record_digests(records: Records, published: Iterable[PublishedRegister]) -> dict[int, Digest]:
    """The manifest hash of each published top-level record, by the record's id().

    `records` is the manifest's (make_manifest) of these same published tables. A table gets none
    if the manifest's hash may miss something its records hold: a field that is not a column, a
    record of another class than the table's, more than one child table."""
    digests: dict[int, Digest] = {}
    for data in published:
        children = child_tables(data.register)
        for table in data.register.tables:
            entries = records.get(data.register.name, {}).get(table.name)
            rows = data.tables.get(table.name, [])
            own = [rule for rule in children.values() if rule.parent == table.name]
            if entries is None or table.name in children or len(own) > 1 or not _hashed_whole(table, rows):
                continue
            groups: dict[object, list[Record]] = defaultdict(list)
            parent_key: Callable[[Record], object] = lambda record: None  # noqa: E731
            if own:
                child = data.register.table(own[0].table)
                child_rows = data.tables.get(child.name, [])
                if not _hashed_whole(child, child_rows):
                    continue
                # The manifest's grouping (content_hashes): every child row by its value of the key field.
                parent_key = operator.attrgetter(own[0].key)
                for row in child_rows:
                    groups[parent_key(row)].append(row)
            none: list[Record] = []
            for entry, record in _entries_of(data.register, table, rows, entries):
                digests[id(record)] = Digest(record, entry.hash, groups.get(parent_key(record), none))
    return digests


def _hashed_whole(table: Table, rows: list[Record]) -> bool:
    """Whether the manifest's hash of these rows covers all they hold: it hashes the table's columns,
    so every field but `source` must be one, and every row of the table's own class."""
    fields = {f.name for f in dataclasses.fields(table.record_type)} - {"source"}
    return fields == {spec.name for spec in field_specs(table.record_type)} and set(map(type, rows)) <= {table.record_type}


def _entries_of(register: Register, table: Table, rows: list[Record], entries: dict[str, Entry]) -> Iterable[tuple[Entry, Record]]:
    """Each row's manifest entry. The manifest lists a table's records in the order read: where each
    entry names the one export row of the record in its place, that is the record's entry, and the
    60,000 ids need not be computed again."""
    try:
        sources = list(map(_source_of, rows))
    except AttributeError:  # a record with no source
        sources = []
    if sources and len(entries) == len(rows) and len(set(sources)) == len(sources) and list(map(_source_of_entry, entries.values())) == sources:
        return list(zip(entries.values(), rows))
    return [(entries[rid], record) for rid, record in identify(register, table, rows) if rid in entries]


_source_of = operator.attrgetter("source.file", "source.row")
_source_of_entry = operator.attrgetter("file", "row")
_file_of = operator.attrgetter("source.file")
# What a Person holds; anything else on it is a value cached from these.
_PERSON_FIELDS = ("person_id", "declarations", "items")


class KeyMaker:
    """Keys of pages, with `salt` and the manifest's digests of this build's records."""

    def __init__(self, salt: str, digests: Mapping[int, Digest] | None = None) -> None:
        self.salt = salt
        self.digests = digests or {}
        # A Pickler's dispatch_table: how each type is pickled for a key, looked up by exact type.
        self.reductions: dict[type, Callable[[object], tuple[object, ...]]] = dict(copyreg.dispatch_table)
        for cls in (Source, *_subclasses(Record)):
            if "__slots__" in vars(cls):  # a record class without slots keeps state in a __dict__: pickled as usual
                self.reductions[cls] = _by_fields(cls)
        if tuple(f.name for f in dataclasses.fields(Person)) == _PERSON_FIELDS:  # else pickled as usual, every attribute
            self.reductions[Person] = self._person  # type: ignore[assignment]

    def key(self, page: Page, frame_digest: str) -> str | None:
        """The key of a standalone page's bytes; None when its inputs cannot be told (it is then always rendered)."""
        deferred, template, args, context = page.deferred, None, (), {}
        if deferred is not None:
            # Only a template's render is known by its inputs; any other callable renders every time.
            renders = getattr(deferred, "func", None)
            if not isinstance(deferred, functools.partial) or not isinstance(getattr(renders, "__self__", None), Template):
                return None
            template, args, context = renders.__self__.name, deferred.args, deferred.keywords  # type: ignore[union-attr]
        # A Register is code, covered by the salt (and holds frozensets, whose pickled order changes
        # from run to run); `link` is a function of page.src.
        inputs = (page.src, template, args, page.title, page.html, page.meta, sorted((k, v) for k, v in context.items() if k not in ("link", "register")))
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=5)
        pickler.dispatch_table = self.reductions
        try:
            pickler.dump(inputs)
        except (pickle.PicklingError, TypeError, AttributeError):
            return None
        return hashlib.sha256(self.salt.encode() + b"\0" + frame_digest.encode() + b"\0" + buffer.getbuffer()).hexdigest()

    def _person(self, person: Person) -> tuple[object, ...]:
        declarations: list[object] = []
        for declaration in person.declarations:
            items = person.items.get(declaration.declaration_id or "", [])
            digest = self.digests.get(id(declaration))
            # Only where the hash covers exactly these rows (compared by identity first, at C speed).
            if digest is not None and digest.record is declaration and digest.children == items:
                declarations.append((digest.hash, _files(declaration, items)))  # the page names their exports
            else:
                declarations.append((declaration, items))
        return Person, (person.person_id, declarations)


def page_key(page: Page, frame_digest: str, salt: str, digests: Mapping[int, Digest] | None = None) -> str | None:
    """The key of one standalone page (KeyMaker.key)."""
    return KeyMaker(salt, digests).key(page, frame_digest)


def _files(declaration: Record, items: list[Record]) -> list[str]:
    """The exports a declaration and its items came from."""
    try:
        files = set(map(_file_of, items))  # at C speed: 760,000 items a national build
        files.add(_file_of(declaration))
    except AttributeError:  # a record with no source
        files = {r.source.file for r in (declaration, *items) if r.source is not None}
    return sorted(files)


def _by_fields(cls: type) -> Callable[[object], tuple[object, ...]]:
    """The class and its fields' values, read in one C call: what its pickle holds, without the Python __getstate__."""
    names = [f.name for f in dataclasses.fields(cls)]
    values = operator.attrgetter(*names)
    if len(names) == 1:
        return lambda record: (cls, (values(record),))
    return lambda record: (cls, values(record))


def _subclasses(cls: type) -> list[type]:
    out = []
    for sub in cls.__subclasses__():
        out += [sub, *_subclasses(sub)]
    return out
