"""The national benchmark runs at a small scale in CI, so that it cannot rot."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import PROJECT


def test_small_national_benchmark_prints_every_figure_and_exits_0(tmp_path):
    result = subprocess.run(
        [sys.executable, str(PROJECT / "bench" / "national.py"), "--small", "--skip-reference", "--workdir", str(tmp_path)],
        capture_output=True, text=True, cwd=PROJECT, timeout=600, check=False,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # A benchmark of builds that fail (say, a scan that finds a false identifier in the corpus) measures the wrong thing.
    assert output.count("outcome: built") == 2, output
    assert "200 declarants" in output
    for label in ("[full build]", "[1 % rebuild]"):
        block = output.split(label + " exit", 1)[1]
        for stage in ("read", "validate", "rules", "redact", "render", "downloads", "mkdocs", "pagefind", "scan"):
            assert re.search(rf"^  {stage}\s+\d+\.\d\d\s", block, re.MULTILINE), (label, stage, output)
        assert re.search(r"total \(wall\)\s+\d+\.\d\d", block), output
        assert re.search(r"peak RSS: [\d,.]+ MiB", block), output
        assert re.search(r"pages: [\d,]+ in the report", block), output
        assert re.search(r"search index: [\d,.]+ MiB", block), output
    assert "[targets]" in output
    assert re.search(r"(PASS|FAIL) peak RSS of the full build", output), output
    assert re.search(r"(PASS|FAIL) 1 % rebuild / full build", output), output
    assert len(re.findall(r"first result shown \d+ ms after typing .* fetched for the search [\d,.]+ KiB", output)) == 2, output
    assert re.search(r"(PASS|FAIL) search .* to first result = \d+ ms", output), output


def test_the_full_build_starts_with_no_state_of_an_earlier_run(tmp_path):
    # A second run in the same workdir found the caches of the first one's rebuild beside the
    # site: its "full build" searched unchanged pages only for the new private values.
    sys.path.insert(0, str(PROJECT))
    from bench.national import clear_builds

    (tmp_path / "registers").mkdir()
    (tmp_path / "registers" / "declarations.csv").write_text("x\n", encoding="utf-8")
    (tmp_path / "site" / "data").mkdir(parents=True)
    for name in (".site.scan-cache.json", ".site.scan-cache.units", ".site.page-cache.json", ".site.lock"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    (tmp_path / ".site.scan-cache.text").mkdir()
    (tmp_path / ".site.scan-cache.text" / "a-1.txt").write_bytes(b"text")

    clear_builds(tmp_path)

    assert sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*")) == ["registers", "registers/declarations.csv"]
