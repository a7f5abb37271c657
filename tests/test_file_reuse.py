"""A rebuild links an API file from the live site only where it comes out byte for byte the same."""

from __future__ import annotations

import hashlib
import os
import shutil
from decimal import Decimal
from pathlib import Path

from generator.downloads.reuse import FileReuse, save_reuse
from tests.builders import make_registers
from tests.test_page_cache_rebuild import ITEMS, PEOPLE

UNCHANGED = "api/v1/persons/P-20502.json"
CHANGED = "api/v1/persons/P-10417.json"


def _published(tmp_path: Path, files: dict[str, bytes]) -> tuple[Path, Path]:
    """A live site holding these files, recorded as a build records what it wrote."""
    live, record = tmp_path / "live", tmp_path / ".live.file-reuse.json"
    reuse = FileReuse()
    for path, data in files.items():
        reuse.write(live, path, data)
    save_reuse(record, live, reuse)
    return live, record


def test_a_file_written_as_the_live_site_holds_it_is_linked_and_any_other_is_written(tmp_path):
    live, record = _published(tmp_path, {"a.json": b'{"a":1}\n', "b.json": b'{"b":1}\n'})
    new = tmp_path / "new"
    new.mkdir()

    reuse = FileReuse.load(record, live)
    reuse.write(new, "a.json", b'{"a":1}\n')
    reuse.write(new, "b.json", b'{"b":2}\n')
    reuse.write(new, "c.json", b'{"c":1}\n')

    assert reuse.linked == 1
    assert (new / "a.json").stat().st_ino == (live / "a.json").stat().st_ino
    assert (new / "b.json").read_bytes() == b'{"b":2}\n' and (new / "b.json").stat().st_ino != (live / "b.json").stat().st_ino
    assert (live / "b.json").read_bytes() == b'{"b":1}\n'  # the live site is never written to
    assert (new / "c.json").read_bytes() == b'{"c":1}\n'


def test_a_live_file_touched_since_it_was_recorded_is_not_linked(tmp_path):
    live, record = _published(tmp_path, {"a.json": b'{"a":1}\n'})
    (live / "a.json").write_bytes(b'{"a":9}\n')  # same size, other bytes: someone edited the live site
    new = tmp_path / "new"
    new.mkdir()

    reuse = FileReuse.load(record, live)
    reuse.write(new, "a.json", b'{"a":1}\n')

    assert reuse.linked == 0 and (new / "a.json").read_bytes() == b'{"a":1}\n'


def test_without_a_readable_record_every_file_is_written(tmp_path):
    live, record = _published(tmp_path, {"a.json": b'{"a":1}\n'})
    for broken in ("", "{not json", '{"format": 99, "files": {}}', '["a.json"]'):
        record.write_text(broken, encoding="utf-8")
        new = tmp_path / f"new-{len(broken)}"
        new.mkdir()
        reuse = FileReuse.load(record, live)
        reuse.write(new, "a.json", b'{"a":1}\n')
        assert reuse.linked == 0 and (new / "a.json").read_bytes() == b'{"a":1}\n'


def test_a_rebuild_links_the_api_files_that_did_not_change_and_is_the_same_bytes_as_a_full_build(tmp_path, build):
    make_registers(tmp_path, declarations=PEOPLE, items=ITEMS)
    first = build()
    assert first.code == 0, first.output
    assert first.report["files_unchanged"] == 0
    unchanged_inode = (first.site / UNCHANGED).stat().st_ino
    changed_inode = (first.site / CHANGED).stat().st_ino
    shutil.copytree(first.site, tmp_path / "fresh")  # the same history, but no record beside it: every file written
    # One item of Петя Стоянова changes; Иван Маринов's declarations do not.
    make_registers(tmp_path, declarations=PEOPLE, items=[*ITEMS[:2], {**ITEMS[2], "value": Decimal("1500.00")}, ITEMS[3]])

    rebuilt = build()
    assert rebuilt.code == 0 and rebuilt.report["files_unchanged"] >= 1, rebuilt.output
    fresh = build(out=tmp_path / "fresh")  # (its report replaces the rebuild's)
    assert fresh.code == 0 and fresh.report["files_unchanged"] == 0, fresh.output

    assert (rebuilt.site / UNCHANGED).stat().st_ino == unchanged_inode
    assert (rebuilt.site / CHANGED).stat().st_ino != changed_inode
    assert b"1500" in (rebuilt.site / CHANGED).read_bytes()
    files = lambda site: {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}  # noqa: E731
    assert files(rebuilt.site) == files(fresh.site)
    assert os.stat(rebuilt.site / UNCHANGED).st_nlink == 1  # the previous site is gone; the file lives on in this one
