"""Wall time and peak memory per build stage, for report.json (never for the site, so builds stay byte-identical).

    stage = report.timings.stage
    with stage("read"):
        ...
    with stage("render", total=len(pages)) as advance:
        for page in pages: ...; advance(1)

A stage entered twice (e.g. "read" once per export file) adds up. The process's peak resident
memory is noted as each stage ends; since it only grows, the first stage whose figure jumps is
the one that raised it (a child process such as Pagefind is not counted). With a display
(generator.progress.StageDisplay, set by the CLI unless --quiet), each stage shows its progress.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.progress import StageDisplay


def peak_rss_mib() -> float:
    """This process's peak resident memory so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timings:
    """Seconds spent per stage, and the peak memory when each stage last ended, in the order stages were first entered."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.peak_mib: dict[str, float] = {}
        self.display: StageDisplay | None = None

    @contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
        """Add the wall time of the `with` block to stage `name`, even if the block raises; yields `advance(count)`."""
        start = time.perf_counter()
        display = self.display
        counted = False

        def advance(count: int = 1) -> None:
            nonlocal counted
            counted = True
            if display is not None:
                display.advance(name, count)

        if display is not None:
            display.enter(name, total)
        try:
            yield advance
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start
            self.peak_mib[name] = peak_rss_mib()
            if display is not None:
                display.leave(name, counted)

    def rounded(self) -> dict[str, float]:
        """The timings to the millisecond, for JSON."""
        return {name: round(seconds, 3) for name, seconds in self.seconds.items()}

    def peaks(self) -> dict[str, int]:
        """The peak memory after each stage, in whole MiB, for JSON."""
        return {name: round(mib) for name, mib in self.peak_mib.items()}
