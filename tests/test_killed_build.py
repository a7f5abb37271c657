"""A build killed at any point leaves the previous site serving and no half-written site at --out."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.builders import declaration, make_registers
from tests.conftest import PROJECT


def _site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _start(tmp_path: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--registers", str(tmp_path / "registers"), "--content", str(tmp_path / "content"),
         "--out", str(out), "--as-of", "2026-11-24", "--report", str(tmp_path / "report.json"), "--config", str(PROJECT / "mkdocs.yml"), "--quiet"],
        cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _wait_for(predicate, process: subprocess.Popen[bytes], timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if predicate():
            return True
        time.sleep(0.005)
    return False


@pytest.mark.parametrize("stage", ["mkdocs", "pagefind"])
def test_a_build_killed_mid_stage_leaves_the_previous_site(tmp_path, stage):
    people = [declaration(person_id=f"P-{n}", declaration_id=f"Д-{n}", full_name=f"Петя Николова Стоянова{'ва' * (n % 7)}") for n in range(400)]
    make_registers(tmp_path, declarations=people[:5], items=[])
    (tmp_path / "content").mkdir()
    out = tmp_path / "site"
    first = _start(tmp_path, out)
    assert first.wait(timeout=300) == 0
    before = _site_files(out)
    # A bigger second week, so each stage lasts long enough to be caught in the act.
    make_registers(tmp_path, declarations=people, items=[])

    process = _start(tmp_path, out)
    work = lambda: [p for p in tmp_path.glob(".site.build-*/site") if p.is_dir()]  # noqa: E731
    if stage == "mkdocs":
        caught = _wait_for(lambda: any((p / "deklaracii").is_dir() for p in work()), process)
    else:
        caught = _wait_for(lambda: any((p / "pagefind").is_dir() for p in work()), process)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    assert caught, f"the build finished before it could be killed mid-{stage}"
    assert _site_files(out) == before
    # The next build cleans up what the killed one left and publishes.
    again = _start(tmp_path, out)
    assert again.wait(timeout=300) == 0
    assert not list(tmp_path.glob(".site.build-*")) and not list(tmp_path.glob(".site.old-*"))
    assert (out / "deklaracii" / "stoyanova-petya-nikolova-p-399").is_dir() or any((out / "deklaracii").glob("*p-399"))
