"""Which appellate region a judicial body belongs to, from the project's public mapping file."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

MAPPING = Path(__file__).parent / "data" / "appellate_regions.yaml"
OTHER = "други"
_TOWN = re.compile(r"\s[–—-]\s*(.+)$")


@cache
def _mapping() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    data = yaml.safe_load(MAPPING.read_text(encoding="utf-8"))
    towns = {town.casefold(): region for region, districts in data["regions"].items() for towns in districts.values() for town in towns}
    prefixes = {prefix.casefold(): group for group, names in data["groups"].items() for prefix in names}
    bodies = {name.casefold(): region for name, region in data["bodies"].items()}
    return towns, prefixes, bodies


def appellate_region(body: str | None) -> str:
    """The appellate region (or group) of a body; "други" where the mapping does not know it."""
    if not body:
        return OTHER
    towns, prefixes, bodies = _mapping()
    name = " ".join(body.split()).casefold()
    if name in bodies:
        return bodies[name]
    for prefix, group in prefixes.items():
        if name.startswith(prefix):
            return group
    town = _TOWN.search(name)
    if town:
        return towns.get(town.group(1).strip(), OTHER)
    return OTHER
