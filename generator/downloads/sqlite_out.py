"""The SQLite download: every table in one database, with keys, indexes and full-text search.

Ready for Datasette or any SQLite browser: each table `t` with names or descriptions has a
`t_fts` FTS5 index (external content), which Datasette finds by itself.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

from generator.downloads.tables import DataTable

INDEXED = ("person_id", "body", "year")
# Twice SQLite's default: a page's header, pointers and unused tail are paid half as often
# (2 MB less nationally, at no cost in writing or in reading a row).
PAGE_SIZE = 8192
SQL_TYPES = {bool: "INTEGER", int: "INTEGER", Decimal: "REAL", dt.date: "TEXT"}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_type(kind: type) -> str:
    return next((sql for python, sql in SQL_TYPES.items() if issubclass(kind, python)), "TEXT")


def _sql_value(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool):
        return int(value)
    return value


def create_statement(table: DataTable) -> str:
    """CREATE TABLE with the schema's columns, NOT NULL where required, primary and foreign keys."""
    lines = [f"{_quote(f.name)} {_sql_type(f.type)}{' NOT NULL' if f.column.required or f.name in table.primary_key else ''}" for f in table.fields]
    lines.append(f"PRIMARY KEY ({', '.join(_quote(k) for k in table.primary_key)})")
    lines += [f"FOREIGN KEY ({_quote(fk.field)}) REFERENCES {_quote(fk.parent)} ({_quote(fk.parent_field)})" for fk in table.foreign_keys]
    return f"CREATE TABLE {_quote(table.name)} (\n  " + ",\n  ".join(lines) + "\n)"


# SQLite stores a NaN as NULL (sqlite3_bind_double), and Python binds a float at once, where it
# binds None only after looking for an adapter: about a third of a microsecond per empty cell,
# a second and a half for the five million empty cells of a national items table.
NULL = float("nan")
_NULL_FOR_NONE = {None: NULL}.get  # (value, value) -> NULL for None, else the value, at C speed


def _plain(column: Sequence[object]) -> Sequence[object]:
    return list(map(_NULL_FOR_NONE, column, column)) if None in column else column


def _distinct(convert: Callable[[object], object]) -> Callable[[Sequence[object]], Sequence[object]]:
    """Convert each distinct value of a column once (dates, currency codes: a few thousand values)."""

    def converted(column: Sequence[object]) -> list[object]:
        values: dict[object, object] = {v: convert(v) for v in set(column) if v is not None}
        values[None] = NULL
        return list(map(values.__getitem__, column))

    return converted


def sql_converter(kind: type) -> Callable[[Sequence[object]], Sequence[object]]:
    """What turns a column of this type into the values bound for SQLite, as _sql_value would make
    them; NULL (a NaN) for an empty cell, and a plain str for a text of a str subclass (Currency)."""
    if kind is dt.date:
        return _distinct(lambda v: v.isoformat())  # type: ignore[attr-defined]
    if kind is Decimal:
        return lambda column: list(map(float, column)) if None not in column else [NULL if v is None else float(v) for v in column]  # type: ignore[arg-type]
    if kind is bool:
        return _distinct(int)  # type: ignore[arg-type]
    if kind is str or kind is int:
        return _plain
    if issubclass(kind, str):
        return _distinct(str)
    return lambda column: [NULL if v is None else _sql_value(v) for v in column]


def write_sqlite(tables: list[DataTable], path: Path) -> None:
    """Write every table into a new database at path, in a fixed order so the bytes repeat.

    A throw-away file written in one go: no journal, no syncs, one transaction. The rows come
    from keyed, consistent tables, so foreign keys are declared but not checked row by row.
    """
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("PRAGMA cache_size = -65536")  # 64 MB: the indexes of a national table fit
        connection.execute("BEGIN")
        for table in tables:
            _write_table(connection, table)
        # No VACUUM: a file written in one go has next to no free pages (it saved 1 % for a second).
        connection.execute("COMMIT")
    finally:
        connection.close()


def _write_table(connection: sqlite3.Connection, table: DataTable) -> None:
    names = table.names
    connection.execute(create_statement(table))
    placeholders = ", ".join("?" for _ in names)
    insert = f"INSERT INTO {_quote(table.name)} ({', '.join(_quote(n) for n in names)}) VALUES ({placeholders})"
    converters = [sql_converter(f.type) for f in table.fields]
    for columns in table.chunks():
        connection.executemany(insert, zip(*(convert(column) for convert, column in zip(converters, columns))))
    for column in INDEXED:
        if column in names and (column,) != table.primary_key:
            connection.execute(f"CREATE INDEX {_quote(f'idx_{table.name}_{column}')} ON {_quote(table.name)} ({_quote(column)})")
    searchable = table.searchable
    if searchable:
        fts = _quote(f"{table.name}_fts")
        columns = ", ".join(_quote(c) for c in searchable)
        # unicode61 folds Cyrillic case, so "иванова" finds "Иванова". Filled once, after the rows.
        connection.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5({columns}, content={_quote(table.name)}, tokenize='unicode61 remove_diacritics 2')")
        connection.execute(f"INSERT INTO {fts} (rowid, {columns}) SELECT rowid, {columns} FROM {_quote(table.name)}")
