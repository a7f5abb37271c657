"""The previous site and the search tree are removed after the build moved on, never left to pile up."""

from __future__ import annotations

import time
from pathlib import Path

from generator.discard import discard, discarded
from generator.publish import exclusive_build, replace_directory


def _folder(path: Path, files: int = 50) -> Path:
    for n in range(files):
        (path / f"d{n % 5}").mkdir(parents=True, exist_ok=True)
        (path / f"d{n % 5}" / f"f{n}.html").write_text("<p>стара страница</p>", encoding="utf-8")
    return path


def _gone(out: Path, within: float = 30) -> bool:
    deadline = time.monotonic() + within
    while discarded(out) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not discarded(out)


def test_a_discarded_folder_leaves_its_place_at_once_and_is_removed_in_the_background(tmp_path):
    out = tmp_path / "site"
    tree = _folder(tmp_path / ".site.build-1" / "search")

    discard(tree, out)

    assert not tree.exists()
    assert _gone(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.build-1"]


def test_publishing_swaps_the_new_site_in_and_removes_the_old_one_afterwards(tmp_path):
    out = _folder(tmp_path / "site")
    (out / "old.html").write_text("стар", encoding="utf-8")
    new = _folder(tmp_path / ".site.build-1" / "site")
    (new / "new.html").write_text("нов", encoding="utf-8")

    replace_directory(new, out)

    assert (out / "new.html").exists() and not (out / "old.html").exists()
    assert _gone(out)
    assert not new.exists()


def test_the_next_build_removes_what_a_removal_left_behind(tmp_path):
    out = _folder(tmp_path / "site")
    leftover = _folder(tmp_path / ".site.discard-123-abcd")  # the machine stopped before it was removed

    with exclusive_build(out):
        assert not leftover.exists()
    assert out.is_dir()
