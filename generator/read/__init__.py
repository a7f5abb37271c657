"""Read export files of any supported format into RawTables (stage 1 of the pipeline)."""

from __future__ import annotations

from pathlib import Path

from generator.read.table import RawRow, RawStream, RawTable, ReadError, normalise_header

SIDECAR_SUFFIX = ".approval.yaml"
EXPORT_SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".json": "json", ".yaml": "yaml", ".yml": "yaml", ".md": "markdown"}

__all__ = ["RawRow", "RawStream", "RawTable", "ReadError", "normalise_header", "is_export", "open_export", "read_export", "SIDECAR_SUFFIX"]


def is_export(path: Path) -> bool:
    """An export is a visible file of a known format that is not an approval sidecar."""
    name = path.name
    if name.startswith((".", "~$")) or name.endswith(SIDECAR_SUFFIX):
        return False
    return path.suffix.lower() in EXPORT_SUFFIXES


def read_export(path: Path) -> RawTable:
    """Read one export file by its suffix; raise ReadError if it cannot be read."""
    return open_export(path).table()


def open_export(path: Path) -> RawStream:
    """Parse one export file by its suffix and stream its rows; raise ReadError if it cannot be read.

    The rows may still raise ReadError while they are taken (a record nested in itself).
    """
    kind = EXPORT_SUFFIXES.get(path.suffix.lower())
    if kind == "csv":
        from generator.read.csv_files import open_csv

        return open_csv(path)
    if kind == "xlsx":
        from generator.read.xlsx import open_xlsx

        return open_xlsx(path)
    if kind in ("json", "yaml"):
        from generator.read.json_yaml import open_json_yaml

        return open_json_yaml(path)
    if kind == "markdown":
        from generator.read.markdown import read_markdown

        return RawStream.of_table(read_markdown(path))
    raise ReadError(f"Неподдържан формат „{path.suffix}“.", "Изнесете файла като CSV, XLSX, JSON, YAML или Markdown.")
