"""Wall time and peak memory per build stage, for report.json (never for the site, so builds stay byte-identical).

    stage = report.timings.stage
    with stage("read"):
        ...

A stage entered twice (e.g. "read" once per export file) adds up. The process's peak resident
memory is noted as each stage ends; since it only grows, the first stage whose figure jumps is
the one that raised it (a child process such as Pagefind is not counted).
"""

from __future__ import annotations

import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager


def peak_rss_mib() -> float:
    """This process's peak resident memory so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timings:
    """Seconds spent per stage, and the peak memory when each stage last ended, in the order stages were first entered."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.peak_mib: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Add the wall time of the `with` block to stage `name`, even if the block raises."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start
            self.peak_mib[name] = peak_rss_mib()

    def rounded(self) -> dict[str, float]:
        """The timings to the millisecond, for JSON."""
        return {name: round(seconds, 3) for name, seconds in self.seconds.items()}

    def peaks(self) -> dict[str, int]:
        """The peak memory after each stage, in whole MiB, for JSON."""
        return {name: round(mib) for name, mib in self.peak_mib.items()}
