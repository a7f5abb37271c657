"""The SQLite download: every table in one database, with keys, indexes and full-text search.

Ready for Datasette or any SQLite browser: each table `t` with names or descriptions has a
`t_fts` FTS5 index (external content), which Datasette finds by itself.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal
from pathlib import Path

from generator.downloads.tables import DataTable

INDEXED = ("person_id", "body", "year")
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


def write_sqlite(tables: list[DataTable], path: Path) -> None:
    """Write every table into a new database at path, in a fixed order so the bytes repeat."""
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        for table in tables:
            _write_table(connection, table)
        connection.commit()
        connection.execute("VACUUM")
    finally:
        connection.close()


def _write_table(connection: sqlite3.Connection, table: DataTable) -> None:
    names = [f.name for f in table.fields]
    connection.execute(create_statement(table))
    placeholders = ", ".join("?" for _ in names)
    connection.executemany(
        f"INSERT INTO {_quote(table.name)} ({', '.join(_quote(n) for n in names)}) VALUES ({placeholders})",
        [[_sql_value(row[n]) for n in names] for row in table.rows],
    )
    for column in INDEXED:
        if column in names and (column,) != table.primary_key:
            connection.execute(f"CREATE INDEX {_quote(f'idx_{table.name}_{column}')} ON {_quote(table.name)} ({_quote(column)})")
    searchable = table.searchable
    if searchable:
        fts = _quote(f"{table.name}_fts")
        columns = ", ".join(_quote(c) for c in searchable)
        # unicode61 folds Cyrillic case, so "иванова" finds "Иванова".
        connection.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5({columns}, content={_quote(table.name)}, tokenize='unicode61 remove_diacritics 2')")
        connection.execute(f"INSERT INTO {fts} (rowid, {columns}) SELECT rowid, {columns} FROM {_quote(table.name)}")
