"""The site's manifest, data/manifest.json: each published record's opaque id and content hash per
register, the build's --as-of, the generator's version, and the last builds (ledger and changes).

One entry per top-level record. A child table, whose rows a RequireParent rule ties to a parent
(a declaration's items), has no entries of its own: its rows are shown only within their parent,
so the parent's hash covers them and a changed item shows as its declaration changed. At national
scale that is ~56,000 entries instead of ~800,000. The JSON is compact and groups the entries of
a table by export file ({file: {id: [hash, row]}}), so a file name is written once, not per record.

The site is public, so the manifest holds nothing a page does not show: ids and hashes are taken
from the published (redacted) values, only records published now are listed, and the carried
history keeps only ids of records that are still published. A withdrawn record leaves no trace
but a count.

The history is bounded, so the manifest does not grow week after week: it keeps the last
HISTORY_LENGTH builds, each with its ledger and its counts per register; the ids of what a build
added or changed are kept only while the build is less than LISTED_DAYS older than the newest one,
and at most LISTED_PER_BUILD per register and build. Ids past either limit are kept as counts
(more_added, more_changed). A manifest of another format (1 listed every item) is refused as
unreadable: `portal build` then starts the history afresh, with a note.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from generator import __version__
from generator.ledger import LedgerEntry, grouped_sha256
from generator.redact import Redactor
from generator.redact.records import redact_records
from generator.registers.schema import Record, Register, Table
from generator.render.pages import PublishedRegister
from generator.report import Problem, WithheldRecord
from generator.rules import RequireParent, Withheld
from generator.tokens import stable_token

FORMAT = 2
MANIFEST_FILE = "data/manifest.json"  # beside the open data files
HISTORY_LENGTH = 52  # builds kept: a year of weekly builds
LISTED_DAYS = 91  # a build's added and changed ids are kept for a quarter; "Какво ново" links them
LISTED_PER_BUILD = 1000  # ids kept per register and build: a mass change is counted, not listed

# Letters only: a hex digest holds runs of digits that the output scan may rightly take for an
# ЕГН or a card number (measured: about 1 in 300 16-digit hex ids does).


class ManifestError(Exception):
    """A manifest that cannot be read; the message says which file and why, in Bulgarian."""


class Entry(NamedTuple):
    """One published record in the manifest: its content hash and the export row it came from.

    A named tuple, not a dataclass: a national manifest makes and reads tens of thousands of them.
    """

    hash: str
    file: str
    row: int | None


@dataclass(frozen=True)
class RegisterChanges:
    """What one build changed in one register, as the public may see it: ids of records still
    published, and withdrawals only as a count. more_added and more_changed count what the build
    added or changed beyond the ids kept (past LISTED_PER_BUILD, or older than LISTED_DAYS)."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    withdrawn: int = 0
    published: int = 0
    more_added: int = 0
    more_changed: int = 0


@dataclass(frozen=True)
class BuildEntry:
    """One build: its date, the manifest it was compared with, its ledger and its changes."""

    as_of: str
    compared_with: str | None
    ledger: tuple[LedgerEntry, ...]
    changes: dict[str, RegisterChanges] = field(default_factory=dict)


Records = dict[str, dict[str, dict[str, Entry]]]  # register -> top-level table -> id -> entry


@dataclass(frozen=True)
class Manifest:
    """The whole manifest; builds[0] is the build that wrote it, the others are its history."""

    as_of: str
    generator_version: str
    records: Records
    builds: tuple[BuildEntry, ...]
    build_id: str = ""


@dataclass(frozen=True)
class RecordChanges:
    """Records added, changed and withdrawn in one register between two manifests, as (table, id)."""

    added: list[tuple[str, str]] = field(default_factory=list)
    changed: list[tuple[str, str]] = field(default_factory=list)
    withdrawn: list[tuple[str, str]] = field(default_factory=list)


# --------------------------------------------------------------------------- ids and hashes


def record_id(register: Register, table: Table, record: Record) -> str:
    """A record's stable id: the register, the table and the table's key values, hashed."""
    return stable_token(f"{register.name}|{table.name}|{table.record_id(record)}")


def child_tables(register: Register) -> dict[str, RequireParent]:
    """The register's child tables by name, each with the rule that ties its rows to a parent:
    a child row is published only with its parent, so the manifest lists only the parent."""
    return {rule.table: rule for rule in register.rules if isinstance(rule, RequireParent)}


def _values(table: Table) -> Callable[[Record], object]:
    # attrgetter and the JSON encoder run in C: field by field in Python was most of the stage.
    return operator.attrgetter(*(spec.name for spec in table.fields))


# Decimal and date are written as str(); every other value a record holds is JSON already.
_encode = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":"), default=str).encode


def content_hashes(table: Table, records: Sequence[Record], children: Iterable[tuple[Table, str, Sequence[Record]]] = ()) -> list[str]:
    """A hash of each record's public fields and of the public fields of its child rows (child
    table, the key field it shares with the parent, the child rows), in the order read; so a
    changed value, or an item added, changed or removed, shows as a changed record.

    The row a record came from is not hashed: a row moved within its export is not a change.
    """
    groups: list[tuple[Callable[[Record], object], Callable[[Record], object], dict[object, list[Record]]]] = []
    for child, key, rows in children:
        by_parent: dict[object, list[Record]] = defaultdict(list)
        for row in rows:
            by_parent[getattr(row, key)].append(row)
        groups.append((operator.attrgetter(key), _values(child), by_parent))
    values = _values(table)
    if not groups:
        return [stable_token(_encode(values(record))) for record in records]
    none: list[Record] = []
    # A child's values are gathered only when its parent is hashed and freed right after: made all
    # at once, ~750,000 tuples kept the garbage collector scanning the heap for a third of the time.
    return [stable_token(_encode([values(record), *(list(map(fields, rows.get(key(record), none))) for key, fields, rows in groups)])) for record in records]


def identify(register: Register, table: Table, records: Iterable[Record]) -> list[tuple[str, Record]]:
    """Each record with its id; records with the same key get "-2", "-3"… in the order read."""
    seen: dict[str, int] = {}
    out = []
    for record in records:
        base = record_id(register, table, record)
        seen[base] = seen.get(base, 0) + 1
        out.append((base if seen[base] == 1 else f"{base}-{seen[base]}", record))
    return out


def manifest_records(published: Iterable[PublishedRegister]) -> Records:
    """The ids, hashes and sources of every published top-level record, per register and table
    (a child table's rows are hashed into their parent's entry)."""
    records: Records = {}
    for data in published:
        register = data.register
        children = child_tables(register)
        tables = records.setdefault(register.name, {})
        for table in register.tables:
            if table.name in children:
                continue
            rows = data.tables.get(table.name, [])
            own = [(register.table(c.table), c.key, data.tables.get(c.table, [])) for c in children.values() if c.parent == table.name]
            tables[table.name] = {
                rid: Entry(digest, record.source.file, record.source.row) if record.source else Entry(digest, "", None)
                for (rid, record), digest in zip(identify(register, table, rows), content_hashes(table, rows, own))
            }
    return records


def withheld_records(register: Register, withheld: Iterable[Withheld], redactor: Redactor) -> list[WithheldRecord]:
    """The ids, reasons and sources of the records the rules kept off the site (for the private report).

    The id is taken from the redacted record, as it would have been had the record been published.
    """
    out = []
    for item in withheld:
        table = register.table(item.table)
        safe = redact_records(table, [item.record], redactor)[0]
        source = item.record.source
        out.append(WithheldRecord(record_id(register, table, safe), item.table, item.reason, source.file if source else "", source.row if source else None))
    return out


# --------------------------------------------------------------------------- comparing


def compare(old: Records, new: Records) -> dict[str, RecordChanges]:
    """Per register, the records of `new` not in `old` (added), in both with another hash (changed),
    and in `old` only (withdrawn); ordered by table, then file and row."""
    out: dict[str, RecordChanges] = {}
    for register in [*new, *(r for r in old if r not in new)]:
        changes = RecordChanges()
        old_tables, new_tables = old.get(register, {}), new.get(register, {})
        for table in [*new_tables, *(t for t in old_tables if t not in new_tables)]:
            before, after = old_tables.get(table, {}), new_tables.get(table, {})
            # Only what differs is sorted: most weeks that is a few hundred of ~56,000 records.
            changes.added.extend((table, i) for i in _by_source(after, [i for i in after if i not in before]))
            changes.changed.extend((table, i) for i in _by_source(after, [i for i, e in after.items() if i in before and before[i].hash != e.hash]))
            changes.withdrawn.extend((table, i) for i in _by_source(before, [i for i in before if i not in after]))
        out[register] = changes
    return out


def _by_source(entries: Mapping[str, Entry], ids: list[str]) -> list[str]:
    return sorted(ids, key=lambda i: (entries[i].file, entries[i].row or 0, i))


# --------------------------------------------------------------------------- this build


def make_manifest(published: list[PublishedRegister], ledger: list[LedgerEntry], previous: Manifest | None, as_of: str) -> Manifest:
    """This build's manifest: its records, its changes against `previous`, and the history carried
    on (bounded: see the module's docstring)."""
    records = manifest_records(published)
    compared = compare(previous.records, records) if previous else {}
    none = RecordChanges()
    changes = {}
    for data in published:
        found = compared.get(data.register.name, none)
        added, changed = [i for _, i in found.added], [i for _, i in found.changed]
        changes[data.register.name] = RegisterChanges(
            added=tuple(added[:LISTED_PER_BUILD]),
            changed=tuple(changed[:LISTED_PER_BUILD]),
            withdrawn=len(found.withdrawn),
            # The register's first table is what a reader counts (declarations, not their items).
            published=len(records[data.register.name][data.register.tables[0].name]),
            more_added=max(0, len(added) - LISTED_PER_BUILD),
            more_changed=max(0, len(changed) - LISTED_PER_BUILD),
        )
    this = BuildEntry(as_of, previous.as_of if previous else None, tuple(ledger), changes)
    live = {i for tables in records.values() for entries in tables.values() for i in entries}
    listed_since = (dt.date.fromisoformat(as_of) - dt.timedelta(days=LISTED_DAYS)).isoformat()
    history = [_carried(b, live, b.as_of > listed_since) for b in (previous.builds[: HISTORY_LENGTH - 1] if previous else ())]
    manifest = Manifest(as_of, __version__, records, (this, *history))
    return replace(manifest, build_id=stable_token(_dumps(_to_data(manifest))))


def _carried(build: BuildEntry, live: set[str], listed: bool) -> BuildEntry:
    """An earlier build as the next manifest carries it: with only the ids that are still published
    (a withdrawn record must not stay findable, even by its hash), or, once `listed` is over, with
    its ids turned into counts."""
    if listed:
        changes = {r: replace(c, added=tuple(i for i in c.added if i in live), changed=tuple(i for i in c.changed if i in live)) for r, c in build.changes.items()}
    else:
        changes = {r: replace(c, added=(), changed=(), more_added=c.more_added + len(c.added), more_changed=c.more_changed + len(c.changed)) for r, c in build.changes.items()}
    return replace(build, changes=changes)


# --------------------------------------------------------------------------- JSON


def _to_data(manifest: Manifest) -> dict[str, object]:
    data: dict[str, object] = {
        "format": FORMAT,
        "generator_version": manifest.generator_version,
        "as_of": manifest.as_of,
        "registers": {register: {table: _by_file(entries) for table, entries in tables.items()} for register, tables in manifest.records.items()},
        "builds": [
            {
                "as_of": b.as_of,
                "compared_with": b.compared_with,
                "ledger": [asdict(e) | {"sha256": grouped_sha256(e.sha256)} for e in b.ledger],
                "changes": {r: _changes_data(c) for r, c in b.changes.items()},
            }
            for b in manifest.builds
        ],
    }
    if manifest.build_id:
        data["build_id"] = manifest.build_id
    return data


def _by_file(entries: Mapping[str, Entry]) -> dict[str, dict[str, list[object]]]:
    """{file: {id: [hash, row]}}: a file name once per file, not once per record."""
    out: dict[str, dict[str, list[object]]] = {}
    for rid, (digest, file, row) in entries.items():
        out.setdefault(file, {})[rid] = [digest, row]
    return out


def _changes_data(changes: RegisterChanges) -> dict[str, object]:
    data: dict[str, object] = {"added": list(changes.added), "changed": list(changes.changed), "withdrawn": changes.withdrawn, "published": changes.published}
    # Written only when there are any: most builds list all they changed.
    if changes.more_added:
        data["more_added"] = changes.more_added
    if changes.more_changed:
        data["more_changed"] = changes.more_changed
    return data


def _dumps(data: object) -> str:
    # Compact: json's C encoder runs only without indent, and the file is for programs, not eyes.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def manifest_json(manifest: Manifest) -> str:
    """The manifest as stable, sorted, compact JSON."""
    return _dumps(_to_data(manifest))


def write_manifest(manifest: Manifest, docs_dir: Path) -> Path:
    """Write data/manifest.json into the docs folder (mkdocs copies it into the site, the scan reads it)."""
    path = docs_dir / MANIFEST_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(manifest_json(manifest), encoding="utf-8")
    return path


def manifest_path(site_or_file: Path) -> Path:
    """A site folder's data/manifest.json, or the path itself if it is a file."""
    return site_or_file / MANIFEST_FILE if site_or_file.is_dir() else site_or_file


def read_manifest(site_or_file: Path) -> Manifest:
    """Read the manifest of a site folder (or a manifest.json path); raise ManifestError if it
    cannot be, or if it is of another format (format 1 listed every item: its hashes cannot be
    compared with these)."""
    path = manifest_path(site_or_file)
    if not path.is_file():
        raise ManifestError(f"{path}: няма манифест (сайтът е изграден преди въвеждането му или пътят е грешен).")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ManifestError(f"{path}: непознат формат на манифеста ({data.get('format')!r}); очаква се {FORMAT}.")
        return Manifest(
            as_of=data["as_of"],
            generator_version=data["generator_version"],
            build_id=data.get("build_id", ""),
            records={
                register: {table: {i: Entry(e[0], file, e[1]) for file, entries in files.items() for i, e in entries.items()} for table, files in tables.items()}
                for register, tables in data["registers"].items()
            },
            builds=tuple(
                BuildEntry(
                    as_of=b["as_of"],
                    compared_with=b.get("compared_with"),
                    ledger=tuple(LedgerEntry(**(e | {"sha256": e["sha256"].replace(":", "")})) for e in b.get("ledger", [])),
                    changes={
                        r: RegisterChanges(tuple(c["added"]), tuple(c["changed"]), int(c["withdrawn"]), int(c.get("published", 0)), int(c.get("more_added", 0)), int(c.get("more_changed", 0)))
                        for r, c in b.get("changes", {}).items()
                    },
                )
                for b in data.get("builds", [])
            ),
        )
    except ManifestError:
        raise
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError) as error:
        raise ManifestError(f"{path}: манифестът не може да бъде прочетен ({type(error).__name__}).") from error


def previous_manifest(out: Path) -> tuple[Manifest | None, list[Problem]]:
    """The manifest of the site this build replaces, whose history it carries on; None if there is
    none (a first build, or a site built before manifests), with a note if it could not be read
    or is of another format (then the history starts afresh, as after a first build)."""
    if not manifest_path(out).is_file():
        return None, []
    try:
        return read_manifest(out), []
    except ManifestError as error:
        hint = "Историята на промените и на източниците започва отначало с това изграждане; ако това не е желано, възстановете предишния сайт."
        return None, [Problem(file=str(manifest_path(out)), message=str(error), hint=hint, severity="note")]
