"""Run a command and measure it: wall time, peak RSS of its largest process, peak RSS of its whole tree.

The largest process comes from wait4() (what `/usr/bin/time -v` prints as "Maximum resident
set size"); it misses that our build keeps its own memory while Pagefind runs as a child, so the
tree (the command and every descendant, summed) is also sampled from /proc every SAMPLE_SECONDS.
The tree sums each process's Pss, not its Rss: the build forks workers that share the parent's
records copy-on-write, and summing Rss would count those shared pages once per worker.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.2
RESCAN_SECONDS = 1.0  # finding descendants reads all of /proc: done less often than reading their memory
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Measured:
    """One measured run of a command."""

    seconds: float
    code: int
    peak_rss: int  # bytes: the largest single process of the tree
    tree_rss: int  # bytes: the largest sampled sum over the tree
    output: str


def _children_map() -> dict[int, list[int]]:
    """Parent pid -> child pids, for every process visible in /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: the fields start after the last ")".
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def _rss(pid: int) -> int:
    """The process's proportional set size (Pss): pages shared with its forked workers count once over the tree."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def descendants(root: int) -> list[int]:
    """A process and all its descendants, now."""
    children = _children_map()
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, ()))
    return found


def tree_rss(pids: list[int]) -> int:
    """The summed resident memory of these processes, now (Pss: a page shared by a fork is not counted twice)."""
    return sum(_rss(pid) for pid in pids)


class _Sampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        pids, scanned = [self.pid], 0.0
        while not self.done.wait(SAMPLE_SECONDS):
            if time.monotonic() - scanned >= RESCAN_SECONDS:
                pids, scanned = descendants(self.pid), time.monotonic()
            self.peak = max(self.peak, tree_rss(pids))


def run_measured(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Measured:
    """Run `command` to completion; its output goes to a temporary file (never a pipe that could fill)."""
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-{os.getpid()}-{time.monotonic_ns()}.log"
    with log.open("w+b") as sink:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=sink, stderr=subprocess.STDOUT)
        sampler = _Sampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here; Popen must not wait again
        sink.seek(0)
        output = sink.read().decode("utf-8", errors="replace")
    log.unlink(missing_ok=True)
    # ru_maxrss is in KiB on Linux.
    return Measured(seconds, process.returncode, usage.ru_maxrss * 1024, max(sampler.peak, usage.ru_maxrss * 1024), output)


def folder_size(path: Path) -> tuple[int, int]:
    """(bytes, files) of everything under path."""
    size = files = 0
    for root, _, names in os.walk(path):
        for name in names:
            try:
                size += os.stat(os.path.join(root, name)).st_size
                files += 1
            except OSError:
                pass
    return size, files
