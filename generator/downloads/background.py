"""Work that runs in a forked child process while the build goes on, for the binary downloads.

XLSX and SQLite take half the time of the stage and nothing else reads them, so a child
writes (and hashes) them beside the parent's JSON, CSV, API and feeds: on two cores the stage takes
about as long as its larger half. A fork shares the tables without copying or pickling them. Where fork is
not available the work runs in place, before the rest.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable
from typing import Generic, TypeVar
from multiprocessing.connection import Connection


T = TypeVar("T")


class BackgroundFailed(RuntimeError):
    """The child process failed; the message carries its traceback."""


def _run(work: Callable[[], T], report: Connection) -> None:
    try:
        result = work()
    except BaseException:  # noqa: BLE001 - whatever it was, the parent must hear of it
        report.send((traceback.format_exc(), None))
        raise
    report.send((None, result))


class Background(Generic[T]):
    """One piece of work in a forked child; wait() returns its result (small: it is pickled back)
    once it is done, or raises its failure."""

    def __init__(self, work: Callable[[], T], name: str) -> None:
        self.name = name
        self.process: multiprocessing.process.BaseProcess | None = None
        if "fork" not in multiprocessing.get_all_start_methods():
            self.result = work()
            return
        context = multiprocessing.get_context("fork")
        self.reader, writer = context.Pipe(duplex=False)
        self.process = context.Process(target=_run, args=(work, writer), name=name)
        self.process.start()
        writer.close()

    def wait(self) -> T:
        """Wait for the child and return its result; raise BackgroundFailed with its traceback if it failed."""
        if self.process is None:
            return self.result
        try:
            failure, result = self.reader.recv()
        except EOFError:
            failure, result = "the process ended without a report", None
        self.process.join()
        self.reader.close()
        code, self.process = self.process.exitcode, None
        if failure or code:
            raise BackgroundFailed(f"{self.name}: exit code {code}\n{failure or ''}")
        self.result = result
        return result

    def stop(self) -> None:
        """End the child if it still runs (the build failed elsewhere); nothing it writes is kept."""
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()
        self.process = None
