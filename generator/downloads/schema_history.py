"""The history of the open-data schema: every change of a table or column is noted here and on the data page.

Readers rely on table and column names staying the same from week to week. When a register
schema changes what the downloads hold (a column added, renamed, retyped; a key changed), the
schema fingerprint changes and tests/test_open_data.py fails until a new entry is added below
with the new fingerprint and a sentence, in Bulgarian, that tells readers what changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class SchemaChange:
    """One version of the open-data schema: when it took effect, its fingerprint, what changed."""

    version: str
    since: dt.date
    fingerprint: str
    note: str


SCHEMA_HISTORY: tuple[SchemaChange, ...] = (
    SchemaChange(
        version="1.0",
        since=dt.date(2026, 11, 24),
        fingerprint="fmellbdplgjg",
        note="Първа публикация на отворените данни: седем таблици (декларации, декларирани обекти, неподали в срок, "
        "некоректно декларирали, наказателни постановления, програма за проверки, становища).",
    ),
)


def current_version(fingerprint: str) -> SchemaChange | None:
    """The history entry of this fingerprint, or None if the schema changed without a note."""
    return next((change for change in reversed(SCHEMA_HISTORY) if change.fingerprint == fingerprint), None)
