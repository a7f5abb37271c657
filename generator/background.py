"""Work that runs in a forked child process while the build goes on, on the core it leaves idle.

The downloads: nothing else reads XLSX and SQLite, the feeds and CSV, so two children write (and
hash) them beside the parent's JSON and API, and go on while the parent runs mkdocs and writes
the pages (generator/downloads/__init__.py, OpenData). The scan's plan (generator/scan.py,
prepare_plan): the needles of the private values, made beside the stages that keep one core busy
(rules, redaction, the manifest, rendering). A fork shares the records without copying or
pickling them. Where fork is not available the work runs in place, before the rest.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import traceback
from collections.abc import Callable
from typing import Generic, TypeVar
from multiprocessing.connection import Connection


T = TypeVar("T")
_NICENESS = 10  # a yielding child competing with the parent for a core gets about a tenth of it


class BackgroundFailed(RuntimeError):
    """The child process failed; the message carries its traceback."""


def _run(work: Callable[[], T], report: Connection, yielding: bool) -> None:
    if yielding:
        os.nice(_NICENESS)
    try:
        result = work()
    except BaseException:  # noqa: BLE001 - whatever it was, the parent must hear of it
        report.send((traceback.format_exc(), None))
        raise
    report.send((None, result))


class Background(Generic[T]):
    """One piece of work in a forked child; wait() returns its result (pickled back) once it is
    done, or raises its failure.

    early: the result is read by a thread of this process as soon as the child sends it, so a big
    result (more than a pipe holds) does not keep the child, and its memory, waiting for wait().
    yielding: the child runs niced, off the critical path: the parent's stages (and its
    page-writing processes) come first, and it takes the CPU they leave idle."""

    def __init__(self, work: Callable[[], T], name: str, early: bool = False, yielding: bool = False) -> None:
        self.name = name
        self.process: multiprocessing.process.BaseProcess | None = None
        self._receiver: threading.Thread | None = None
        self._message: tuple[str | None, T | None] = ("the process ended without a report", None)
        if "fork" not in multiprocessing.get_all_start_methods():
            self.result = work()
            return
        context = multiprocessing.get_context("fork")
        self.reader, writer = context.Pipe(duplex=False)
        self.process = context.Process(target=_run, args=(work, writer, yielding), name=name)
        self.process.start()
        writer.close()
        if early:
            self._receiver = threading.Thread(target=self._receive, name=f"{name}: result", daemon=True)
            self._receiver.start()

    def _receive(self) -> None:
        try:
            self._message = self.reader.recv()
        except EOFError:
            pass  # the child died without a word: _message says so

    def wait(self) -> T:
        """Wait for the child and return its result; raise BackgroundFailed with its traceback if it failed."""
        if self.process is None:
            return self.result
        if self._receiver is None:
            self._receive()
        else:
            self._receiver.join()
        failure, result = self._message
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
