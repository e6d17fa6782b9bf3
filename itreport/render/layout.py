"""Laying out one edition's PDF: all a worker process runs, and all it imports.

A worker receives a `Layout` (the HTML and the PDF options, never the edition's view) and
returns a `Rendered`. This module imports nothing heavy itself, so the fork server that starts
the workers preloads only this and WeasyPrint (`render.pdf`): the workers never render HTML, and
importing Jinja, Babel and the models as well delayed the first layout by a third of a second.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import hashlib
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from itreport.render.theme import DEFAULT_THEME


@dataclass(frozen=True)
class Layout:
    """What laying out one edition's PDF needs, and nothing more (it crosses to a worker)."""

    edition: str
    html: bytes
    roots: tuple[Path, ...]
    as_of: date
    pdf_variant: str | None
    renderer: str
    """`buildcache.renderer_fingerprint` of the build (code, theme, libraries, templates)."""


@dataclass(frozen=True)
class Rendered:
    edition: str
    html: bytes
    pdf: bytes | None
    warnings: tuple[str, ...] = ()
    error: str | None = None
    """A template or PDF failure, as the message the user sees (the build stops with it)."""
    pdf_source: str = ""
    """Hash of everything the PDF is made from (see `pdf_source`)."""
    pdf_reused: bool = False
    pdf_seconds: float | None = None
    """Seconds the PDF layout took (recorded for the next build's scheduling; never in an output)."""


def pdf_source(layout: Layout) -> str:
    """Hash of what a PDF is made from: the HTML, the PDF options, and the renderer (the theme and
    templates it may fetch from, and the code). The same key gives the same PDF bytes."""
    h = hashlib.sha256(layout.html)
    h.update(repr((layout.pdf_variant, layout.as_of.isoformat(), [str(r) for r in layout.roots])).encode())
    h.update(layout.renderer.encode())
    return h.hexdigest()


def lay_out(layout: Layout) -> Rendered:
    """Lay out the edition's HTML as PDF. WeasyPrint is imported only here, when a PDF is laid
    out (a worker has it already, from the fork server)."""
    from itreport.render.pdf import RenderError, html_to_pdf

    start = time.perf_counter()
    try:
        pdf, warnings = html_to_pdf(
            layout.html.decode("utf-8"), DEFAULT_THEME, list(layout.roots), layout.as_of, layout.pdf_variant
        )
    except RenderError as exc:
        return Rendered(layout.edition, b"", None, error=f"edition '{layout.edition}': {exc}")
    except RecursionError:
        # WeasyPrint lays out nested boxes recursively: a template nesting thousands of elements
        # (a hostile override can) ends it, and the user gets a message, not a traceback.
        return Rendered(
            layout.edition,
            b"",
            None,
            error=f"edition '{layout.edition}': the page nests its elements too deeply to lay out; "
            "check the template overrides for a loop that opens elements without closing them",
        )
    except Exception as exc:  # WeasyPrint's own failures on odd input: a message, not a traceback
        return Rendered(
            layout.edition,
            b"",
            None,
            error=f"edition '{layout.edition}': the PDF could not be laid out ({type(exc).__name__}: {exc})",
        )
    seconds = round(time.perf_counter() - start, 3)
    return Rendered(
        layout.edition,
        layout.html,
        pdf,
        tuple(warnings),
        pdf_source=pdf_source(layout),
        pdf_seconds=seconds,
    )


def lay_out_in_worker(layout: Layout) -> Rendered:
    """`lay_out`, then hand the layout's memory back to the system before the next one.

    A worker keeps running after a layout, and a process's freed memory mostly stays with it:
    after laying out the large demo's 123-page edition a worker held 426 MB while idle, of
    which a collection and `malloc_trim` gave back 221 MB. Without that, the worker idling
    beside one still laying out counted twice towards the build's peak.
    """
    try:
        return lay_out(layout)
    finally:
        release_memory()


def release_memory() -> None:
    """Collect cycles and return the C heap's free pages to the system (glibc only)."""
    gc.collect()
    if sys.platform.startswith("linux"):
        # Another C library (musl) has no malloc_trim: the memory then stays reusable in-process.
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).malloc_trim(0)


WATCH_SECONDS = 0.5
"""How often a worker checks that the build that started it is still running."""

WORKER_NAME = b"itreport-layout"
"""The name a worker shows in `ps` and `top` (Linux; at most 15 bytes)."""


def worker_ready() -> int:
    """A first task for each worker: once it has run, that worker is up and can take a layout.
    Its process id lets the build end it at once if the build stops early."""
    return os.getpid()


def start_worker(build_pid: int) -> None:
    """Worker initializer: name the process, end it quietly on Ctrl-C (the build reports the
    interruption; a traceback from each worker would bury it), and when the build is gone."""
    _name_process()
    signal.signal(signal.SIGINT, lambda _signum, _frame: os._exit(130))
    _watch_build(build_pid)


def _name_process() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(15, WORKER_NAME, 0, 0, 0)  # PR_SET_NAME
    except (OSError, AttributeError):  # no prctl: the name is only a convenience
        pass


def _watch_build(build_pid: int) -> None:
    """End this worker when the build process is gone.

    A build killed by a signal runs no clean-up, and its workers do not notice: each holds its
    own end of the task queue, so no end-of-file ever reaches it, and the fork server waits for
    them. Left alone they would go on laying out PDFs nobody will write, then idle for ever.
    """

    def watch() -> None:
        while True:
            time.sleep(WATCH_SECONDS)
            if build_gone(build_pid):
                os._exit(1)

    threading.Thread(target=watch, name="itreport-watch-build", daemon=True).start()


def build_gone(pid: int) -> bool:
    """Whether the build process has ended: no such process, another user's (the id was reused),
    or a zombie, ended but not yet collected by whatever started it. A zombie still answers to
    `kill(pid, 0)`; a worker that waited for it to be collected kept the build's output pipes
    open, and a caller reading them to the end waited for ever."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            state = fh.read().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):  # no /proc: a zombie cannot be told from a running process
        return False
    return state in (b"Z", b"X")
