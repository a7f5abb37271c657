"""Shared fixtures: run the real `portal` CLI on a small project in a temp dir."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]


@dataclass
class Run:
    """The outcome of one `portal` command: exit code, output, the site and the report."""

    code: int
    output: str
    site: Path
    report_path: Path

    @property
    def report(self) -> dict:
        return json.loads(self.report_path.read_text(encoding="utf-8"))

    def problems(self) -> list[str]:
        """Every problem of the report as the one line the webmaster reads."""
        return [p["text"] for p in self.report["problems"]]

    def page(self, url_path: str) -> str:
        """The HTML of a built page, by its site path ("deklaracii/" or "" for home)."""
        return (self.site / url_path / "index.html").read_text(encoding="utf-8")

    def all_text(self) -> str:
        """Every text file of the site, joined: for asserting that something appears nowhere."""
        parts = []
        for path in sorted(self.site.rglob("*")):
            if path.is_file() and path.suffix in {".html", ".xml", ".json", ".js", ".txt", ".csv"}:
                parts.append(path.read_text(encoding="utf-8", errors="replace"))
        return "\n".join(parts)


def run_portal(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m generator ARGS` as the webmaster would."""
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=cwd or PROJECT, check=False)


@pytest.fixture
def build(tmp_path: Path):
    """Build tmp_path/registers + tmp_path/content into tmp_path/site; return a Run."""

    def _build(*extra: str, as_of: str = "2026-11-24", out: Path | None = None) -> Run:
        site = out or tmp_path / "site"
        content = tmp_path / "content"
        content.mkdir(exist_ok=True)
        report = tmp_path / "build" / "report.json"
        result = run_portal(
            "build",
            "--registers", str(tmp_path / "registers"),
            "--content", str(content),
            "--out", str(site),
            "--as-of", as_of,
            "--report", str(report),
            "--config", str(PROJECT / "mkdocs.yml"),
            *extra,
        )  # fmt: skip
        return Run(result.returncode, result.stdout + result.stderr, site, report)

    return _build
