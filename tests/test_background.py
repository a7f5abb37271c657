"""Work in a forked child beside the build: its result comes back, its failure too."""

from __future__ import annotations

import os
import time

import pytest

from generator.background import Background, BackgroundFailed

BIG = 8_000_000  # bytes: far more than a pipe holds, so a child could not send it before it is read


def test_a_big_result_is_taken_as_soon_as_it_is_sent_so_the_child_ends_before_wait() -> None:
    work = Background(lambda: b"x" * BIG, "big", early=True)
    deadline = time.monotonic() + 20
    while work.process is not None and work.process.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)  # the parent is busy elsewhere: it has not called wait()
    assert work.process is not None and not work.process.is_alive(), "the child still waits to send its result"
    assert work.wait() == b"x" * BIG


def test_without_early_the_result_is_read_by_wait() -> None:
    assert Background(lambda: b"y" * BIG, "big").wait() == b"y" * BIG


def _fail() -> None:
    raise ValueError("a bug in the child")


@pytest.mark.parametrize("early", [False, True])
def test_a_failure_in_the_child_is_raised_by_wait_with_its_traceback(early: bool) -> None:
    with pytest.raises(BackgroundFailed, match="a bug in the child"):
        Background(_fail, "failing", early=early).wait()


def test_a_yielding_child_leaves_the_cpu_to_the_build_it_works_beside() -> None:
    # Nice: the parent's stages are the build's critical path; the child fills what they leave idle.
    assert Background(lambda: os.nice(0), "niceness", yielding=True).wait() > os.nice(0)
    assert Background(lambda: os.nice(0), "niceness").wait() == os.nice(0)
