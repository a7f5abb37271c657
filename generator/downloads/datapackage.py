"""datapackage.json (Frictionless Data Package), generated from the register schemas, never by hand."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

from generator.tokens import stable_token
from generator.downloads.tables import DataTable

FRICTIONLESS_TYPES = {bool: "boolean", int: "integer", Decimal: "number", dt.date: "date", str: "string"}
PACKAGE_NAME = "ivss-publichni-registri"
PUBLISHER = "Инспекторат към Висшия съдебен съвет"

# Licences a webmaster may name in mkdocs.yml (extra.licence), with their SPDX id and text.
LICENCES = {
    "ccby4.0": ("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "ccbysa4.0": ("CC-BY-SA-4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    "cc01.0": ("CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "odbl1.0": ("ODbL-1.0", "https://opendatacommons.org/licenses/odbl/1-0/"),
    "pddl1.0": ("PDDL-1.0", "https://opendatacommons.org/licenses/pddl/1-0/"),
}
DEFAULT_LICENCE = "CC BY 4.0"


@dataclass(frozen=True)
class Licence:
    """The licence of the data as the webmaster names it, with its id and address where known."""

    title: str
    name: str
    url: str | None

    @classmethod
    def named(cls, title: str | None) -> Licence:
        """The licence for a title such as "CC BY 4.0" (unknown titles keep no address)."""
        title = (title or DEFAULT_LICENCE).strip()
        key = "".join(c for c in title.casefold() if c.isalnum() or c == ".")
        name, url = LICENCES.get(key, ("".join(c if c.isalnum() or c in "-." else "-" for c in title), None))
        return cls(title, name, url)

    def as_package(self) -> dict[str, str]:
        """The licence as a Data Package `licenses` entry."""
        return {"name": self.name, "title": self.title, **({"path": self.url} if self.url else {})}


def frictionless_type(kind: type) -> str:
    """The Table Schema type of a schema field's Python type."""
    return next(name for python, name in FRICTIONLESS_TYPES.items() if issubclass(kind, python))


def table_schema(table: DataTable) -> dict[str, object]:
    """The Table Schema of a table: fields with Bulgarian titles and descriptions, constraints, keys."""
    fields = []
    for spec in table.fields:
        field: dict[str, object] = {"name": spec.name, "title": spec.column.label, "type": frictionless_type(spec.type)}
        if spec.column.description:
            field["description"] = spec.column.description
        constraints: dict[str, object] = {}
        if spec.column.required or spec.name in table.primary_key:
            constraints["required"] = True
        if spec.column.choices:
            constraints["enum"] = list(spec.column.choices)
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    schema: dict[str, object] = {"fields": fields, "missingValues": [""], "primaryKey": list(table.primary_key)}
    if table.foreign_keys:
        schema["foreignKeys"] = [{"fields": [fk.field], "reference": {"resource": fk.parent, "fields": [fk.parent_field]}} for fk in table.foreign_keys]
    return schema


def schema_fingerprint(tables: list[DataTable]) -> str:
    """A short hash of what readers rely on: table and column names, types and keys (not descriptions)."""
    shape = [
        [t.name, [[f.name, frictionless_type(f.type)] for f in t.fields], list(t.primary_key), [[fk.field, fk.parent, fk.parent_field] for fk in t.foreign_keys]]
        for t in tables
    ]
    return stable_token(json.dumps(shape, ensure_ascii=False), 12)


def data_package(tables: list[DataTable], sizes: dict[str, int], licence: Licence, version: str, as_of: dt.date) -> dict[str, object]:
    """The data package of the CSV files; `sizes` maps a file name to its size in bytes.

    No `hash`: a hex SHA-256 often holds ten digits that pass the ЕГН or ЛНЧ checksum, and the
    output scan would stop the build; the sums are in SHA256SUMS beside the files.
    """
    resources = []
    for table in tables:
        path = f"{table.name}.csv"
        resources.append(
            {
                "name": table.name,
                "path": path,
                "profile": "tabular-data-resource",
                "title": table.title,
                "description": f"{table.register.title}: {table.title.casefold()}. {table.register.summary}",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": sizes[path],
                "schema": table_schema(table),
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "Публични регистри на Инспектората към ВСС",
        "description": "Декларациите за имущество и интереси, списъците на неподалите в срок и на некоректно деклариралите, "
        "влезлите в сила наказателни постановления, годишната програма за проверки и становищата по защита на личните данни, "
        "както са публикувани на сайта (след правилата за публикуване и заличаването на лични данни).",
        "version": version,
        "created": f"{as_of.isoformat()}T00:00:00Z",
        "language": "bg",
        "licenses": [licence.as_package()],
        "publisher": PUBLISHER,
        "resources": resources,
    }
