"""The site's manifest, data/manifest.json: each published record's opaque id and content hash per
register, the build's --as-of, the generator's version, and the last builds (ledger and changes).

The site is public, so the manifest holds nothing a page does not show: ids and hashes are taken
from the published (redacted) values, only records published now are listed, and the carried
history keeps only ids of records that are still published. A withdrawn record leaves no trace
but a count.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from generator import __version__
from generator.ledger import LedgerEntry, grouped_sha256
from generator.redact import Redactor
from generator.redact.records import redact_records
from generator.registers.schema import Record, Register, Table
from generator.render.pages import PublishedRegister
from generator.report import Problem, WithheldRecord
from generator.rules import Withheld
from generator.tokens import stable_token

FORMAT = 1
MANIFEST_FILE = "data/manifest.json"  # beside the open data files
HISTORY_LENGTH = 52  # builds kept: a year of weekly builds

# Letters only: a hex digest holds runs of digits that the output scan may rightly take for an
# ЕГН or a card number (measured: about 1 in 300 16-digit hex ids does).


class ManifestError(Exception):
    """A manifest that cannot be read; the message says which file and why, in Bulgarian."""


@dataclass(frozen=True)
class Entry:
    """One published record in the manifest: its content hash and the export row it came from."""

    hash: str
    file: str
    row: int | None


@dataclass(frozen=True)
class RegisterChanges:
    """What one build changed in one register, as the public may see it: ids of records still
    published, and withdrawals only as a count."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    withdrawn: int = 0
    published: int = 0


@dataclass(frozen=True)
class BuildEntry:
    """One build: its date, the manifest it was compared with, its ledger and its changes."""

    as_of: str
    compared_with: str | None
    ledger: tuple[LedgerEntry, ...]
    changes: dict[str, RegisterChanges] = field(default_factory=dict)


Records = dict[str, dict[str, dict[str, Entry]]]  # register -> table -> id -> entry


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


def content_hash(record: Record, fields: Sequence[str]) -> str:
    """A hash of the public fields of a record (a table's field names, resolved once per table:
    Table.fields reads the type hints each time), so a changed value shows as a changed record."""
    values = {name: _plain(getattr(record, name)) for name in fields}
    return stable_token(json.dumps(values, ensure_ascii=False, sort_keys=True))


def _plain(value: object) -> object:
    return value if value is None or isinstance(value, (bool, int)) else str(value)


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
    """The ids, hashes and sources of every published record, per register and table."""
    records: Records = {}
    for data in published:
        tables = records.setdefault(data.register.name, {})
        for table in data.register.tables:
            fields = [spec.name for spec in table.fields]
            tables[table.name] = {
                rid: Entry(content_hash(record, fields), record.source.file if record.source else "", record.source.row if record.source else None)
                for rid, record in identify(data.register, table, data.tables.get(table.name, []))
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
            changes.added.extend((table, i) for i in _by_source(after) if i not in before)
            changes.changed.extend((table, i) for i in _by_source(after) if i in before and before[i].hash != after[i].hash)
            changes.withdrawn.extend((table, i) for i in _by_source(before) if i not in after)
        out[register] = changes
    return out


def _by_source(entries: Mapping[str, Entry]) -> list[str]:
    return sorted(entries, key=lambda i: (entries[i].file, entries[i].row or 0, i))


# --------------------------------------------------------------------------- this build


def make_manifest(published: list[PublishedRegister], ledger: list[LedgerEntry], previous: Manifest | None, as_of: str) -> Manifest:
    """This build's manifest: its records, its changes against `previous`, and the history carried on."""
    records = manifest_records(published)
    compared = compare(previous.records, records) if previous else {}
    none = RecordChanges()
    changes = {
        data.register.name: RegisterChanges(
            added=tuple(i for _, i in compared.get(data.register.name, none).added),
            changed=tuple(i for _, i in compared.get(data.register.name, none).changed),
            withdrawn=len(compared.get(data.register.name, none).withdrawn),
            # The register's first table is what a reader counts (declarations, not their items).
            published=len(records[data.register.name][data.register.tables[0].name]),
        )
        for data in published
    }
    this = BuildEntry(as_of, previous.as_of if previous else None, tuple(ledger), changes)
    live = {i for tables in records.values() for entries in tables.values() for i in entries}
    history = [_still_published(b, live) for b in (previous.builds if previous else ())]
    manifest = Manifest(as_of, __version__, records, (this, *history)[:HISTORY_LENGTH])
    return replace(manifest, build_id=stable_token(_dumps(_to_data(manifest))))


def _still_published(build: BuildEntry, live: set[str]) -> BuildEntry:
    """An earlier build with only the ids that are still published: a withdrawn record must not
    stay findable, even by its hash."""
    return replace(
        build,
        changes={
            r: replace(c, added=tuple(i for i in c.added if i in live), changed=tuple(i for i in c.changed if i in live))
            for r, c in build.changes.items()
        },
    )


# --------------------------------------------------------------------------- JSON


def _to_data(manifest: Manifest) -> dict[str, object]:
    data: dict[str, object] = {
        "format": FORMAT,
        "generator_version": manifest.generator_version,
        "as_of": manifest.as_of,
        "registers": {
            register: {table: {i: [e.hash, e.file, e.row] for i, e in entries.items()} for table, entries in tables.items()}
            for register, tables in manifest.records.items()
        },
        "builds": [
            {
                "as_of": b.as_of,
                "compared_with": b.compared_with,
                "ledger": [asdict(e) | {"sha256": grouped_sha256(e.sha256)} for e in b.ledger],
                "changes": {r: {"added": list(c.added), "changed": list(c.changed), "withdrawn": c.withdrawn, "published": c.published} for r, c in b.changes.items()},
            }
            for b in manifest.builds
        ],
    }
    if manifest.build_id:
        data["build_id"] = manifest.build_id
    return data


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def manifest_json(manifest: Manifest) -> str:
    """The manifest as stable, sorted JSON."""
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
    """Read the manifest of a site folder (or a manifest.json path); raise ManifestError if it cannot be."""
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
                register: {table: {i: Entry(e[0], e[1], e[2]) for i, e in entries.items()} for table, entries in tables.items()}
                for register, tables in data["registers"].items()
            },
            builds=tuple(
                BuildEntry(
                    as_of=b["as_of"],
                    compared_with=b.get("compared_with"),
                    ledger=tuple(LedgerEntry(**(e | {"sha256": e["sha256"].replace(":", "")})) for e in b.get("ledger", [])),
                    changes={r: RegisterChanges(tuple(c["added"]), tuple(c["changed"]), int(c["withdrawn"]), int(c.get("published", 0))) for r, c in b.get("changes", {}).items()},
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
    none (a first build, or a site built before manifests), with a note if it could not be read."""
    if not manifest_path(out).is_file():
        return None, []
    try:
        return read_manifest(out), []
    except ManifestError as error:
        hint = "Историята на промените и на източниците започва отначало с това изграждане; ако това не е желано, възстановете предишния сайт."
        return None, [Problem(file=str(manifest_path(out)), message=str(error), hint=hint, severity="note")]
