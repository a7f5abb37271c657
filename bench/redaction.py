"""Benchmark of the redactor (and, with --scan, of the output scanner) on a synthetic corpus.

    .venv/bin/python bench/redaction.py            # 20 MB of text
    .venv/bin/python bench/redaction.py --small    # 1 MB, a quick run
    .venv/bin/python bench/redaction.py --scan     # also build a fake site and scan it

The corpus is made of documents of a dozen sentences drawn from the planted corpus
(tests/planted): planted identifiers, decoys that must survive, and texts with names.
Prints the recall on planted identifiers, the share of decoys kept (both must be 100 %),
names handled, and the throughput; exits with 1 if recall or decoys fall below 100 %.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from planted.corpus import DECOYS, MAGISTRATES, NAME_CASES, PLANTED, Decoy, NameCase, Planted  # noqa: E402

from generator.redact import MARKERS, Redactor  # noqa: E402
from generator.scan import PrivateValue, _PrivateIndex, scan_site  # noqa: E402


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the scan's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass
class Document:
    """One synthetic text and what was put into it."""

    text: str
    planted: list[Planted] = field(default_factory=list)
    decoys: list[Decoy] = field(default_factory=list)
    names: list[NameCase] = field(default_factory=list)


def make_corpus(megabytes: float, seed: int) -> list[Document]:
    """Documents of 12 sentences (half planted, the rest decoys and names) up to the size asked."""
    rng = random.Random(seed)
    documents, size = [], 0
    while size < megabytes * 1_000_000:
        planted = rng.sample(PLANTED, 6)
        decoys = rng.sample(DECOYS, 5)
        names = [rng.choice(NAME_CASES)]
        sentences = [p.text for p in planted] + [d.text for d in decoys] + [n.text for n in names]
        rng.shuffle(sentences)
        document = Document(" ".join(sentences), planted, decoys, names)
        documents.append(document)
        size += len(document.text.encode())
    return documents


@dataclass
class Score:
    """Counts of what the redactor got right, per kind."""

    planted: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)
    decoys: int = 0
    decoys_kept: int = 0
    names: int = 0
    names_right: int = 0
    misses: list[str] = field(default_factory=list)

    def check(self, document: Document, out: str) -> None:
        """Compare one redacted document with what was planted in it."""
        for p in document.planted:
            self.planted[p.kind] += 1
            if p.value not in out and MARKERS[p.kind] in out:
                self.removed[p.kind] += 1
            else:
                self.misses.append(f"kept {p.kind}: {p.text}")
        for d in document.decoys:
            self.decoys += 1
            if d.value in out:
                self.decoys_kept += 1
            else:
                self.misses.append(f"lost decoy: {d.text}")
        for n in document.names:
            self.names += 1
            if all(g not in out for g in n.gone) and all(e in out for e in n.expected + n.kept):
                self.names_right += 1
            else:
                self.misses.append(f"names: {n.text[:60]}")

    @property
    def recall(self) -> float:
        return 100 * sum(self.removed.values()) / max(1, sum(self.planted.values()))

    @property
    def decoys_share(self) -> float:
        return 100 * self.decoys_kept / max(1, self.decoys)


def bench_redaction(megabytes: float, seed: int) -> Score:
    """Redact the corpus with one Redactor, as a build does, and print the figures."""
    documents = make_corpus(megabytes, seed)
    size = sum(len(d.text.encode()) for d in documents)
    redactor = Redactor(MAGISTRATES)
    start, cpu = time.perf_counter(), time.process_time()
    outputs = [redactor.redact(d.text) for d in documents]
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    score = Score()
    for document, out in zip(documents, outputs):
        score.check(document, out)
    print(f"corpus: {size / 1e6:.1f} MB in {len(documents)} documents")
    print(f"recall on planted identifiers: {score.recall:.2f} % ({sum(score.removed.values())}/{sum(score.planted.values())})")
    for kind in sorted(score.planted):
        print(f"    {kind:<11} {score.removed[kind]}/{score.planted[kind]}")
    print(f"decoys kept: {score.decoys_share:.2f} % ({score.decoys_kept}/{score.decoys})")
    print(f"name texts right: {score.names_right}/{score.names}")
    # CPU time too: on a shared machine the wall clock also counts other people's work
    print(f"redaction throughput: {size / 1e6 / cpu:.2f} MB/s of CPU time, {size / 1e6 / seconds:.2f} MB/s wall ({seconds:.2f} s)")
    for miss in score.misses[:10]:
        print("  MISS", miss)
    return score


# --- the scan ------------------------------------------------------------------------------


def theme_shell(workdir: Path) -> tuple[str, Path]:
    """A page built by mkdocs-material (with its icons, scripts and nav) and its site folder."""
    docs = workdir / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Страница\n\nPORTAL_CONTENT\n", encoding="utf-8")
    config = "site_name: Инспекторат към ВСС\ntheme:\n  name: material\n  language: bg\n  font: false\nplugins: []\n"
    (workdir / "mkdocs.yml").write_text(config, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=workdir, check=True, capture_output=True)
    return (workdir / "site" / "index.html").read_text(encoding="utf-8"), workdir / "site"


def private_values(count: int, seed: int) -> list[PrivateValue]:
    """The planted values, plus many more realistic ones, as a build's private columns would give."""
    rng = random.Random(seed)
    values = [PrivateValue(p.value, "registers/declarations/2025.csv", i + 2, p.kind) for i, p in enumerate(PLANTED)]
    streets = ["Раковски", "Витоша", "Шипка", "Оборище", "Граф Игнатиев", "Цар Симеон", "Христо Ботев", "Дондуков"]
    for i in range(count):
        row = len(values) + 2
        values.append(PrivateValue(f"ул. „{rng.choice(streets)}“ № {i}, ет. {i % 9}", "registers/declarations/2024.csv", row, "address"))
        values.append(PrivateValue(f"+359 88{rng.randrange(10**7):07}", "registers/declarations/2024.csv", row, "phone"))
    return values


def bench_scan(megabytes: float, seed: int) -> bool:
    """Build a fake site of redacted pages in the real theme, scan it, then plant raw values and scan again."""
    workdir = Path(tempfile.mkdtemp(prefix="scan-bench-"))
    try:
        shell, site = theme_shell(workdir / "mk")
        redactor = Redactor(MAGISTRATES)
        documents = make_corpus(2, seed)
        bodies = ["<p>" + redactor.redact(d.text) + "</p>" for d in documents]
        page_count, size = 0, 0
        while size < megabytes * 1_000_000:
            page = shell.replace("PORTAL_CONTENT", "\n".join(bodies[(page_count * 3 + k) % len(bodies)] for k in range(3)))
            path = site / "registri" / f"{page_count}.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(page, encoding="utf-8")
            page_count += 1
            size += len(page.encode())
        subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--quiet"], check=False, capture_output=True)
        total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        values = private_values(20_000, seed)
        cpu = time.process_time()
        _PrivateIndex.of(values, set())  # built once per scan: timed apart, as it does not grow with the site
        index_cpu = time.process_time() - cpu
        cache = workdir / "scan-cache.json"
        start, cpu = time.perf_counter(), _cpu()
        clean = scan_site(site, values, cache=cache)
        seconds, cpu = time.perf_counter() - start, _cpu() - cpu
        warm = time.process_time()
        scan_site(site, values, cache=cache)
        warm = time.process_time() - warm
        print(f"site: {page_count} pages, {total / 1e6:.1f} MB with theme assets and Pagefind index; {len(values)} private values")
        rate = total / 1e6 / (cpu - index_cpu)
        print(f"scan of the redacted site: {len(clean)} leaks in {cpu:.1f} s of CPU ({seconds:.1f} s wall),"
              f" of which {index_cpu:.1f} s to index the private values")
        print(f"scan throughput: {rate:.1f} MB/s of CPU time besides the index; ≈ {300 / rate + index_cpu:.0f} s for a 300 MB site")
        print(f"scan again with its cache, nothing changed: {warm:.1f} s of CPU")
        for leak in clean[:5]:  # noqa: B007
            print("  LEAK", leak.describe())
        leaky = [p for p in PLANTED if p.kind in ("egn", "iban", "phone", "email", "address")][::3]
        for i, p in enumerate(leaky):
            (site / "registri" / f"{i}.html").write_text(shell.replace("PORTAL_CONTENT", p.text), encoding="utf-8")
        found = {leak.output_file for leak in scan_site(site, values)}
        caught = sum(f"registri/{i}.html" in found for i in range(len(leaky)))
        print(f"scan recall on pages with a raw value planted: {caught}/{len(leaky)}")
        return not clean and caught == len(leaky)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", action="store_true", help="a quick run on 1 MB")
    parser.add_argument("--megabytes", type=float, default=20.0, help="size of the corpus (default 20)")
    parser.add_argument("--scan", action="store_true", help="also benchmark the output scanner")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    megabytes = 1.0 if args.small else args.megabytes
    score = bench_redaction(megabytes, args.seed)
    ok = score.recall == 100 and score.decoys_share == 100 and score.names_right == score.names
    if args.scan:
        ok = bench_scan(5.0 if args.small else 60.0, args.seed) and ok
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
