"""Laying out one edition's PDF: all a worker process runs, and all it imports.

A worker receives a `Layout` (the HTML and the PDF options, never the edition's view) and
returns a `Rendered`. This module imports nothing heavy itself, so the fork server that starts
the workers preloads only this and WeasyPrint (`render.pdf`): the workers never render HTML, and
importing Jinja, Babel and the models as well delayed the first layout by a third of a second.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import gc
import hashlib
import os
import pickle
import signal
import sys
import threading
import time
import warnings
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

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
    """`lay_out` in a child of this worker, so that all of the layout's memory goes when it ends.

    A process keeps most of the memory it has freed: after laying out the large demo's 123-page
    edition a worker still held 426 MB while idle (229 MB after a collection and glibc's
    `malloc_trim`; what is left is WeasyPrint's and its C libraries', not Python objects). That
    idle worker beside one still laying out counted twice towards the build's peak. A forked
    child starts from the worker's small heap and gives everything back when it exits.

    The child dies with the worker (a parent-death signal), so a build killed outright, or a
    worker ended by the build, leaves no layout running. Where there is no such signal (anything
    but Linux) the worker lays out itself, then collects and trims.
    """
    if not CHILD_LAYOUTS:
        try:
            return lay_out(layout)
        finally:
            release_memory()
    worker = os.getpid()
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12 and later warn when a process with threads forks (a lock another thread
        # holds stays locked in the child), and under `-W default` each layout would print it
        # into the build's output. The worker's only other thread sleeps and reads /proc
        # (`_watch_build`), holding nothing the layout needs.
        warnings.simplefilter("ignore", DeprecationWarning)
        child = os.fork()
    if child == 0:
        code = 1
        try:
            os.close(read_end)
            _die_with(worker)
            _name_process(CHILD_NAME)
            # The HTML is the worker's already: only what the layout made goes back.
            done = replace(lay_out(layout), html=b"")
            _write_all(write_end, pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL))
            code = 0
        finally:
            os._exit(code)  # never back into the worker's task loop, whatever happened
    os.close(write_end)
    try:
        data = _read_all(read_end)
    finally:
        os.close(read_end)
        _pid, status = os.waitpid(child, 0)
    if os.waitstatus_to_exitcode(status) != 0 or not data:
        return Rendered(
            layout.edition,
            b"",
            None,
            error=f"edition '{layout.edition}': the process laying out its PDF ended unexpectedly "
            "(killed, out of memory, or crashed); try again, or with --jobs 1",
        )
    # Unpickled from this worker's own child, through a pipe only the two of them hold.
    done = pickle.loads(data)
    assert isinstance(done, Rendered)
    return replace(done, html=layout.html)


CHILD_LAYOUTS = sys.platform.startswith("linux") and hasattr(os, "fork")
"""Whether a worker lays out each PDF in a child process (`lay_out_in_worker`)."""

CHILD_NAME = b"itreport-pdf"
"""The name of the child process that lays out one PDF for a worker."""


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when `parent` ends (Linux's PR_SET_PDEATHSIG)."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(1, signal.SIGKILL, 0, 0, 0) != 0:  # PR_SET_PDEATHSIG
        os._exit(1)
    if os.getppid() != parent:  # the worker ended before the signal was set
        os._exit(1)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.close(fd)


def _read_all(fd: int) -> bytes:
    chunks: list[bytes] = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


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


def _name_process(name: bytes = WORKER_NAME) -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(15, name, 0, 0, 0)  # PR_SET_NAME
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


def _in_fork_server() -> bool:
    """Whether this module is being imported by multiprocessing's fork server (it preloads it)."""
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        if code.co_name == "main" and code.co_filename.endswith(
            os.path.join("multiprocessing", "forkserver.py")
        ):
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


def _quiet_fork_server() -> None:
    """Let the fork server go on serving when a client leaves in the middle of asking for a process.

    When a worker dies while the build is starting another (the out-of-memory killer, say), the
    pool closes its queues and the half-started request is dropped: CPython's fork server then
    reads an end of file where it expected the request, and ends with a traceback printed under
    the build's clear error. Its loop already treats a connection aborted by the client as
    nothing to report; an end of file at that point is the same thing.
    """
    from multiprocessing import reduction

    receive = reduction.recvfds

    def recvfds(sock: Any, size: int) -> list[int]:
        try:
            fds: list[int] = receive(sock, size)
        except EOFError:
            raise ConnectionAbortedError(errno.ECONNABORTED, "the client left before its request") from None
        return fds

    reduction.recvfds = recvfds


if _in_fork_server():
    _quiet_fork_server()
