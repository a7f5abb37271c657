"""National scale, measured: build a synthetic national corpus with the real CLI and print the figures.

    .venv/bin/python bench/national.py                       # 5,500 declarants (about 10 minutes)
    .venv/bin/python bench/national.py --small --skip-reference   # 200 declarants, for CI

Steps: write the corpus (bench/corpus.py) → full build into an empty --out → change 1 % of
the records, re-approve the files that changed, rebuild into the same --out → the reference
(bare mkdocs-material + Pagefind, bench/reference.py) → search in chromium (bench/search_timing.py)
→ the targets of issue 7, PASS or FAIL. It is a measurement: it exits 0 whatever the figures,
and 1 only if it could not measure (a build that fails is reported, not raised).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from bench.corpus import CorpusStats, declarant, write_corpus  # noqa: E402
from bench.measure import Measured, folder_size, run_measured  # noqa: E402
from generator.transliterate import transliterate  # noqa: E402

AS_OF = "2026-11-24"
SMALL = 200
STAGES = ("read", "validate", "rules", "redact", "manifest", "render", "downloads", "mkdocs", "pagefind", "scan", "publish")
GIB = 1024**3
MIB = 1024**2
# The targets of issue 7.
FULL_VS_REFERENCE = 1.25
PEAK_RSS = 2.5 * GIB
REBUILD_VS_FULL = 0.4
SEARCH_MS = 100.0


@dataclass(frozen=True)
class BuildFigures:
    """One measured build: the process figures and what its report and --out say."""

    label: str
    run: Measured
    report: dict
    site_bytes: int
    site_files: int
    html_pages: int
    index_bytes: int
    index_files: int

    @property
    def built(self) -> bool:
        return self.report.get("outcome") == "built"


def _mib(size: int) -> str:
    return f"{size / MIB:,.1f} MiB"


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} (1 / 5 min)"


def clear_builds(workdir: Path) -> None:
    """Remove the site and what a build keeps beside it for the next one (the caches of pages
    and of the scan): left from an earlier run, they made the full build a rebuild."""
    shutil.rmtree(workdir / "site", ignore_errors=True)
    for path in workdir.glob(".site.*"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def build(workdir: Path, label: str, report_name: str) -> BuildFigures:
    """Run `python -m generator build … --quiet` on the workdir's corpus into workdir/site, measured."""
    report = workdir / report_name
    report.unlink(missing_ok=True)
    command = [
        sys.executable, "-m", "generator", "build",
        "--registers", str(workdir / "registers"), "--content", str(PROJECT / "content"), "--out", str(workdir / "site"),
        "--as-of", AS_OF, "--report", str(report), "--config", str(PROJECT / "mkdocs.yml"), "--quiet",
    ]  # fmt: skip
    print(f"\n[{label}] {_load()}", flush=True)
    run = run_measured(command, cwd=PROJECT)
    data = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else {"outcome": "no report", "failure": run.output[-1500:]}
    site = workdir / "site"
    site_bytes, site_files = folder_size(site) if site.is_dir() else (0, 0)
    index_bytes, index_files = folder_size(site / "pagefind") if (site / "pagefind").is_dir() else (0, 0)
    html_pages = sum(1 for _ in site.rglob("*.html")) if site.is_dir() else 0
    return BuildFigures(label, run, data, site_bytes, site_files, html_pages, index_bytes, index_files)


def print_build(figures: BuildFigures) -> None:
    """The stage table, total, peak RSS, pages and sizes of one build."""
    timings = figures.report.get("timings", {})
    peaks = figures.report.get("peak_rss_mib", {})
    print(f"[{figures.label}] exit {figures.run.code}, outcome: {figures.report.get('outcome')}", flush=True)
    if figures.report.get("failure"):
        print(f"  failure: {figures.report['failure'][:300]}")
    print(f"  {'stage':<24}{'seconds':>9}{'share':>8}{'peak RSS after, MiB':>22}")
    total = figures.run.seconds
    for stage in [*STAGES, *(s for s in timings if s not in STAGES)]:
        if stage in timings:
            peak = f"{peaks[stage]:>22,}" if stage in peaks else ""
            print(f"  {stage:<24}{timings[stage]:>9.2f}{timings[stage] / total:>8.0%}{peak}")
    other = total - sum(timings.values())
    print(f"  {'other (start-up, report)':<24}{other:>9.2f}{other / total:>8.0%}")
    print(f"  {'total (wall)':<24}{total:>9.2f}")
    print(f"  peak RSS: {_mib(figures.run.tree_rss)} (process tree, sampled), {_mib(figures.run.peak_rss)} (largest process)")
    print(f"  pages: {figures.report.get('pages', 0):,} in the report, {figures.html_pages:,} HTML files")
    print(f"  site: {_mib(figures.site_bytes)} in {figures.site_files:,} files; search index: {_mib(figures.index_bytes)} in {figures.index_files:,} files", flush=True)


def print_corpus(stats: CorpusStats, seconds: float, label: str) -> None:
    formats = ", ".join(f"{k} {v}" for k, v in sorted(stats.by_format.items()))
    print(
        f"[{label}] {stats.declarants:,} declarants, {stats.declarations:,} declarations, {stats.items:,} items, "
        f"{stats.other_rows:,} rows in the other registers; {stats.files} files ({formats}), {stats.files_written} written; {seconds:.1f} s",
        flush=True,
    )


def reference(workdir: Path, declarants: int) -> object | None:
    """Build and print the reference; None if it could not be built."""
    from bench.reference import build_reference

    print(f"\n[reference] bare mkdocs-material + Pagefind, {declarants:,} pages of one 130-row table; {_load()}", flush=True)
    try:
        ref = build_reference(workdir / "reference", declarants)
    except RuntimeError as error:
        print(f"  not measured: {error}")
        return None
    print(f"  mkdocs {ref.mkdocs.seconds:.2f} s, Pagefind {ref.pagefind.seconds:.2f} s, total {ref.seconds:.2f} s")
    print(f"  peak RSS: {_mib(ref.peak_rss)} (process tree, sampled); mkdocs {_mib(ref.mkdocs.peak_rss)}, Pagefind {_mib(ref.pagefind.peak_rss)} (largest process)")
    index_bytes, index_files = folder_size(workdir / "reference" / "site" / "pagefind")
    print(f"  search index: {_mib(index_bytes)} in {index_files:,} files", flush=True)
    return ref


def verdict(ok: bool | None) -> str:
    return "n/a " if ok is None else "PASS" if ok else "FAIL"


def print_targets(full: BuildFigures, rebuild: BuildFigures | None, ref: object | None, searches: list[object]) -> None:
    """Each target of issue 7 with its figure and PASS or FAIL."""
    print("\n[targets]")
    if ref is not None:
        ratio = full.run.seconds / ref.seconds  # type: ignore[attr-defined]
        print(f"  {verdict(ratio <= FULL_VS_REFERENCE)} full build / reference = {full.run.seconds:.1f} s / {ref.seconds:.1f} s = {ratio:.2f} (target ≤ {FULL_VS_REFERENCE})")  # type: ignore[attr-defined]
    else:
        print(f"  {verdict(None)} full build / reference (reference not built)")
    print(f"  {verdict(full.run.tree_rss <= PEAK_RSS)} peak RSS of the full build = {full.run.tree_rss / GIB:.2f} GiB (target ≤ {PEAK_RSS / GIB} GiB)")
    if rebuild is not None:
        ratio = rebuild.run.seconds / full.run.seconds
        print(f"  {verdict(ratio <= REBUILD_VS_FULL)} 1 % rebuild / full build = {rebuild.run.seconds:.1f} s / {full.run.seconds:.1f} s = {ratio:.2f} (target ≤ {REBUILD_VS_FULL})")
    for t in searches:
        print(f"  {verdict(t.ui_ms < SEARCH_MS)} search „{t.query}“ to first result = {t.ui_ms:.0f} ms (target < {SEARCH_MS:.0f} ms)")  # type: ignore[attr-defined]
    if not searches:
        print(f"  {verdict(None)} search to first result (not measured)")
    print(flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--declarants", type=int, default=5500, help="how many declarants (default 5500, the national register)")
    parser.add_argument("--small", action="store_true", help=f"{SMALL} declarants, for CI")
    parser.add_argument("--workdir", type=Path, default=None, help="where the corpus, sites and reports go (default: a folder under the system temp dir, kept)")
    parser.add_argument("--skip-reference", action="store_true", help="do not build the reference")
    parser.add_argument("--skip-search", action="store_true", help="do not time the search in chromium")
    args = parser.parse_args(argv)
    if args.small:
        args.declarants = SMALL
    return args


def main(argv: list[str] | None = None) -> int:
    """Measure; print the figures; exit 0."""
    args = parse_args(argv)
    workdir = (args.workdir or Path(tempfile.gettempdir()) / f"ivss-national-{args.declarants}").absolute()
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"National benchmark: {args.declarants:,} declarants, {os.cpu_count()} cores, workdir {workdir}", flush=True)

    start = time.perf_counter()
    print_corpus(write_corpus(workdir / "registers", args.declarants, variant=0), time.perf_counter() - start, "corpus")
    clear_builds(workdir)
    full = build(workdir, "full build", "report-full.json")
    print_build(full)

    start = time.perf_counter()
    print_corpus(write_corpus(workdir / "registers", args.declarants, variant=1), time.perf_counter() - start, "1 % changed")
    rebuild = build(workdir, "1 % rebuild", "report-rebuild.json")
    print_build(rebuild)

    ref = None if args.skip_reference else reference(workdir, args.declarants)
    searches: list[object] = []
    if not args.skip_search:
        if rebuild.built:
            searches = search_site(workdir / "site")
        else:
            print("\n[search] not measured: no site was built")
    print_targets(full, rebuild, ref, searches)
    return 0


def search_site(site: Path) -> list[object]:
    """Time a Cyrillic and a Latin surname search in chromium on the built site."""
    from bench.search_timing import time_searches

    surname = declarant(0).surname
    queries = [surname, transliterate(surname)]
    print(f"\n[search] chromium, a fresh browser per measurement; {_load()}", flush=True)
    try:
        timings = time_searches(site, queries)
    except Exception as error:  # a measurement: say what went wrong and go on
        print(f"  not measured: {type(error).__name__}: {error}")
        return []
    for t in timings:
        print(
            f"  „{t.query}“: first result shown {t.ui_ms:.0f} ms after typing (Pagefind API alone {t.api_ms:.0f} ms), {t.results} results; "
            f"fetched for the search {t.search_bytes / 1024:,.1f} KiB in {t.search_requests} requests (the page itself {t.page_bytes / 1024:,.1f} KiB)",
            flush=True,
        )
    return timings


if __name__ == "__main__":
    sys.exit(main())
