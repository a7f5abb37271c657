"""Wall time per build stage, for report.json (never for the site, so builds stay byte-identical).

    stage = report.timings.stage
    with stage("read"):
        ...

A stage entered twice (e.g. "read" once per export file) adds up.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


class Timings:
    """Seconds spent per stage, in the order stages were first entered."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Add the wall time of the `with` block to stage `name`, even if the block raises."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start

    def rounded(self) -> dict[str, float]:
        """The timings to the millisecond, for JSON."""
        return {name: round(seconds, 3) for name, seconds in self.seconds.items()}
