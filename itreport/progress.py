"""Feedback while a build runs: a live status line on a terminal, one plain line per stage elsewhere.

A large division takes seconds to validate and longer to render; on a terminal the user sees
what is happening now (rich, on standard error, cleared at the end); in CI logs each stage is
one line with the seconds it took, which also shows where a slow build spends its time.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO


class StageLines:
    """`itreport: <stage> (1.2 s)` on a stream, one line per stage."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.perf_counter) -> None:
        self.stream = stream
        self.clock = clock
        self.last = clock()

    def __call__(self, message: str) -> None:
        now = self.clock()
        self.stream.write(f"itreport: {message} ({now - self.last:.1f} s)\n")
        self.stream.flush()
        self.last = now


@contextmanager
def build_progress(stream: TextIO | None = None) -> Iterator[Callable[[str], None]]:
    """A progress callback for `build`: rich's status line on a terminal, plain lines otherwise."""
    stream = stream if stream is not None else sys.stderr
    if not stream.isatty():
        yield StageLines(stream)
        return
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=stream, highlight=False)
    with console.status("itreport: validating") as status:

        def show(message: str) -> None:
            console.log(escape(message), _stack_offset=2)
            status.update(f"itreport: {escape(message)}")

        yield show
