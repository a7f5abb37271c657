"""Stage 8b: make Pagefind's output the same bytes for the same site.

Pagefind 1.5 writes its filter indexes and the list of filters in its metadata in the
iteration order of a Rust hash map, which changes from run to run (upstream "TODO: Change
filter indexes to BTree to give them a stable hash", pagefind/src/index/mod.rs). Here
each filter's values and the metadata's filters are sorted, and the files renamed after
their new content the way Pagefind names them, so two builds of one site are identical.
Fragments and word indexes are stable upstream and are left untouched.

The files are gzip("pagefind_dcd" + CBOR); the CBOR is minicbor's: definite-length arrays,
text, unsigned integers. The tiny codec below covers exactly that subset and fails loudly
on anything else, so a future Pagefind format change cannot be rewritten wrongly.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

PREFIX = b"pagefind_dcd"
META_HASH_CHARS = 10  # pagefind.<lang>_<10 hex>.pf_meta
FILTER_HASH_CHARS = 7  # filter/<lang>_<7 hex>.pf_filter

CborValue = int | str | bytes | list["CborValue"]


class UnexpectedPagefindFormat(Exception):
    """A Pagefind file holds CBOR outside the subset this module rewrites."""


def stabilise_pagefind(pagefind_dir: Path) -> None:
    """Sort filter values and filters in the Pagefind index of one site, renaming the files to match."""
    entry_path = pagefind_dir / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        info["hash"] = _stabilise_language(pagefind_dir, language, info["hash"])
    entry["languages"] = dict(sorted(entry["languages"].items()))
    # serde_json's compact form, as Pagefind writes it
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _stabilise_language(pagefind_dir: Path, language: str, meta_hash: str) -> str:
    """Rewrite one language's filters and metadata; return the metadata's new hash."""
    meta_path = pagefind_dir / f"pagefind.{meta_hash}.pf_meta"
    meta = _read(meta_path)
    if not (isinstance(meta, list) and len(meta) == 6 and isinstance(meta[3], list)):
        raise UnexpectedPagefindFormat(f"{meta_path.name}: не е метаданни на Pagefind 1.x")
    taken: set[str] = set()
    filters = []
    for name, old_hash in sorted(meta[3], key=lambda f: f[0]):
        old_path = pagefind_dir / "filter" / f"{old_hash}.pf_filter"
        filter_name, values = _read(old_path)
        # Values by name, each value's pages ascending: the order no longer depends on the run.
        ordered = [[value, sorted(pages)] for value, pages in sorted(values, key=lambda v: v[0])]
        data = _encode([filter_name, ordered])
        new_hash = _short_hash(f"{language}_{_full_hash(data)}", len(language) + 1 + FILTER_HASH_CHARS, taken)
        taken.add(new_hash)
        old_path.unlink()
        _write(pagefind_dir / "filter" / f"{new_hash}.pf_filter", data)
        filters.append([name, new_hash])
    meta[3] = filters
    data = _encode(meta)
    new_meta_hash = f"{language}_{_full_hash(data)[:META_HASH_CHARS]}"
    meta_path.unlink()
    _write(pagefind_dir / f"pagefind.{new_meta_hash}.pf_meta", data)
    return new_meta_hash


def _full_hash(data: bytes) -> str:
    """Pagefind's full_hash: SHA-1 bytes as `{:x?}`, i.e. hex without zero padding."""
    return "".join(format(b, "x") for b in hashlib.sha1(data).digest())


def _short_hash(full: str, length: int, taken: set[str]) -> str:
    """The hash prefix Pagefind uses, lengthened while it collides with one already taken."""
    short = full[:length]
    while short in taken and len(short) < len(full):
        short = full[: len(short) + 2]  # Pagefind's collision loop grows the slice by two
    return short


def _read(path: Path) -> CborValue:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(PREFIX):
        raise UnexpectedPagefindFormat(f"{path.name}: липсва заглавието pagefind_dcd")
    value, end = _decode(data, len(PREFIX))
    if end != len(data):
        raise UnexpectedPagefindFormat(f"{path.name}: излишни байтове след данните")
    return value


def _write(path: Path, cbor: bytes) -> None:
    # mtime=0: the gzip header carries no time, so the bytes depend on the content alone.
    path.write_bytes(gzip.compress(PREFIX + cbor, compresslevel=9, mtime=0))


def _decode(data: bytes, pos: int) -> tuple[CborValue, int]:
    """One CBOR item at `pos` (unsigned int, bytes, text, array); return it and the next position."""
    major, info = data[pos] >> 5, data[pos] & 0x1F
    pos += 1
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        argument = int.from_bytes(data[pos : pos + size], "big")
        pos += size
    else:
        raise UnexpectedPagefindFormat(f"неподдържан CBOR (дължина {info})")
    if major == 0:
        return argument, pos
    if major in (2, 3):
        raw = data[pos : pos + argument]
        return (raw if major == 2 else raw.decode("utf-8")), pos + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, pos = _decode(data, pos)
            items.append(item)
        return items, pos
    raise UnexpectedPagefindFormat(f"неподдържан CBOR (вид {major})")


def _head(major: int, argument: int) -> bytes:
    """A CBOR head in its shortest form, as minicbor writes it."""
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise UnexpectedPagefindFormat("числото е твърде голямо за CBOR")


def _encode(value: CborValue) -> bytes:
    if isinstance(value, bool) or not isinstance(value, (int, str, bytes, list)):
        raise UnexpectedPagefindFormat(f"неподдържана стойност {type(value).__name__}")
    if isinstance(value, int):
        return _head(0, value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    return _head(4, len(value)) + b"".join(_encode(v) for v in value)
