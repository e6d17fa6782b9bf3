"""Render editions: HTML in this process, PDF layouts in worker processes, one per core.

A large division's editions each take seconds to lay out as PDF, and two WeasyPrint renders in
two processes run almost twice as fast as one after the other. Workers are started with the
forkserver method (spawn where there is none), never plain fork: the parent may hold threads
and large heaps that a forked child would inherit. The result is the same bytes as rendering
in sequence: each job is self-contained (its view, theme and options) and results are
collected in edition order.

Only the layouts go to the workers (`render.layout`: the HTML and PDF options cross, never the
view). Their start overlaps with useful work: the fork server, which imports WeasyPrint before
it can start a worker, is started as soon as the build knows its editions (`prepare_workers`),
and a thread starts the workers while this process renders every edition's HTML, compiling the
templates once rather than once per worker. The slowest edition bounds a parallel build, so
whenever a worker is free it takes the longest layout whose HTML is ready. HTML is rendered in
the order of the layouts' expected cost, the seconds each took in the previous build into the
same folder; without them in edition order, and a layout's cost is estimated from the number
of elements in its HTML.

Measured on the medium demo (2 cores, render stage, median of 3): 16.2 s in sequence; 10.2 s
with HTML in the workers, 8.9 s like this (bench/RESULTS.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from itreport.render.html import render_html
from itreport.render.layout import (
    Layout,
    Rendered,
    lay_out,
    lay_out_in_worker,
    release_memory,
    start_worker,
    worker_ready,
)
from itreport.render.layout import pdf_source as layout_pdf_source
from itreport.render.memory import available_memory
from itreport.render.sandbox import TemplateFailure

WORKER_MEMORY = 450 * 1024 * 1024
"""What one PDF layout may take: WeasyPrint's layout of the large demo's 123- and 125-page
editions peaked at 417–431 MB per worker (642 MB before `render.uasheet`)."""
BUILD_MEMORY = 250 * 1024 * 1024
"""What the build's own process holds: 230 MB on the large demo while it renders the HTML, and
155–160 MB once the views, the analyses and the divisions are let go, while workers lay out."""


@dataclass(frozen=True)
class Job:
    """Everything needed to render one edition, and nothing that cannot cross a process."""

    edition: str
    view: Any
    templates: Path | None
    formats: tuple[str, ...]
    roots: tuple[Path, ...]
    as_of: date
    pdf_variant: str | None
    earlier_pdf: tuple[str, Path, str] | None = None
    """(`pdf_source` key, file, SHA-256) of this edition's PDF from an earlier build: when the new
    HTML gives the same key and the file is intact, the PDF is not laid out again."""
    earlier_seconds: float | None = None
    """Seconds this edition's PDF layout took in the previous build, to schedule longest first."""
    renderer: str = ""
    """`buildcache.renderer_fingerprint` of the build (code, theme, libraries, templates),
    computed once by the build rather than by every worker for every edition."""

    def __post_init__(self) -> None:
        # Without it a PDF's key would not cover the code and templates, and an earlier PDF
        # would be kept after a template changed.
        if "pdf" in self.formats and not self.renderer:
            raise ValueError(f"edition '{self.edition}': a PDF job needs the renderer's fingerprint")


def layout_of(job: Job, html: bytes) -> Layout:
    """What a worker needs to lay out the edition's PDF: the HTML and the PDF options, not the view."""
    return Layout(job.edition, html, job.roots, job.as_of, job.pdf_variant, job.renderer)


def pdf_source(html: bytes, job: Job) -> str:
    """Hash of what the edition's PDF is made from (`layout.pdf_source`)."""
    return layout_pdf_source(layout_of(job, html))


def render_pdf(job: Job, html: bytes) -> Rendered:
    """Lay out the edition's HTML as PDF, in this process."""
    return lay_out(layout_of(job, html))


def render_page(job: Job) -> Rendered:
    """The edition's HTML (its PDF, if asked for, is laid out from it)."""
    try:
        html = render_html(job.view, job.templates).encode("utf-8")
    except TemplateFailure as exc:
        return Rendered(job.edition, b"", None, error=f"{exc} (edition '{job.edition}')")
    return Rendered(job.edition, html, None)


def reuse_pdf(job: Job, html: bytes) -> Rendered | None:
    """The earlier build's PDF, when it was made from the same HTML and options and is intact."""
    if "pdf" not in job.formats or job.earlier_pdf is None:
        return None
    source = pdf_source(html, job)
    key, path, digest = job.earlier_pdf
    if key != source:
        return None
    try:
        earlier = path.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(earlier).hexdigest() != digest:
        return None
    return Rendered(job.edition, html, earlier, pdf_source=source, pdf_reused=True)


def html_order(jobs: Sequence[Job]) -> list[int]:
    """The order to render HTML in: longest layout first by the previous build's seconds, so
    the longest layouts can start first. Without them, the editions' order: the size of an
    edition's view was tried as a guess and ordered the medium demo's layouts worse."""
    return sorted(range(len(jobs)), key=lambda i: -(jobs[i].earlier_seconds or 0.0))


def layout_cost(job: Job, html: bytes) -> float:
    """Expected cost of laying out the PDF, comparable between the jobs of one build: the seconds
    of the previous build when known, else the HTML's elements (about half a millisecond each)."""
    if job.earlier_seconds is not None:
        return job.earlier_seconds
    return html.count(b"<") * 0.0005


def worker_count(jobs: int, requested: int = 0) -> int:
    """How many processes to use: `requested`, or one per core, never more than the jobs or
    than available memory allows (at `WORKER_MEMORY` each, within the control group's limit in a
    container: see `itreport.render.memory`); 1 means render in this process."""
    if requested > 0:
        return max(1, min(requested, jobs))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    count = min(cores, jobs)
    memory = available_memory()
    if memory is not None:
        count = min(count, max(1, (memory - BUILD_MEMORY) // WORKER_MEMORY))
    return max(1, count)


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if ctx.get_start_method() == "forkserver":
        # Workers fork from a server that has already imported the layout's own modules and
        # WeasyPrint; they never render HTML, and importing the rest (Jinja, Babel, the models)
        # delayed the first layout by a third of a second.
        ctx.set_forkserver_preload(["itreport.render.layout", "itreport.render.pdf"])
    return ctx


def prepare_workers(layouts: int, requested: int = 0) -> None:
    """Start the fork server now, when a build will likely lay out `layouts` PDFs in workers.

    The server imports WeasyPrint before it can start a worker (most of a second). Started as
    soon as the build knows its editions, that import overlaps with the analysis and the HTML;
    this call does not wait for it. If no layout is needed after all, the server only ends with
    the build.
    """
    if layouts < 2 or worker_count(layouts, requested) < 2:
        return
    if _context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def worker_pool(count: int) -> Executor:
    return ProcessPoolExecutor(
        max_workers=count, mp_context=_context(), initializer=start_worker, initargs=(os.getpid(),)
    )


def render_all(
    jobs: list[Job],
    workers: int = 0,
    done: Callable[[Rendered], None] = lambda _r: None,
    pool_for: Callable[[int], Executor] = worker_pool,
) -> list[Rendered]:
    """Render every job: HTML here, and PDF layouts in worker processes when there is more than
    one layout to do and more than one core.

    Each job's view is let go (the entry in `jobs` is replaced by one without it) once its HTML
    is rendered: with the analysis it holds, it is no longer needed while the PDFs are laid out.
    `done` is called as each edition is finished; the list returned is in the order of `jobs`.
    The first edition that fails ends the work: the editions not finished by then carry the same
    error (the build stops with it), rather than the build laying out PDFs it will throw away.
    `pool_for(count)` makes the pool (tests pass one whose tasks run when the test says).
    """
    layouts_wanted = sum("pdf" in job.formats for job in jobs)
    count = worker_count(layouts_wanted, workers) if layouts_wanted > 1 else 1
    if count <= 1:
        out: list[Rendered] = []
        for index in range(len(jobs)):  # not enumerate(): its cached pair would hold the job
            page = render_page(jobs[index])
            jobs[index] = _without_view(jobs[index])
            if not page.error and "pdf" in jobs[index].formats:
                page = reuse_pdf(jobs[index], page.html) or render_pdf(jobs[index], page.html)
            out.append(page)
            done(out[-1])
            if out[-1].error:
                return _failed(jobs, {i: r for i, r in enumerate(out)}, out[-1].error)
        return out
    results: dict[int, Rendered] = {}
    ready: list[tuple[float, int]] = []  # (cost, job index) of layouts whose HTML is rendered
    running: dict[Future[Any], int] = {}  # a worker's first task has the index -1
    pages: dict[int, bytes] = {}
    pids: list[int] = []  # the workers' own process ids, to end them if the build stops early

    def finish(index: int, result: Rendered) -> None:
        results[index] = result
        done(result)

    def dispatch(pool: Executor) -> None:
        while ready and len(running) < count:
            ready.sort()
            _cost, index = ready.pop()
            running[pool.submit(lay_out_in_worker, layout_of(jobs[index], pages.pop(index)))] = index

    def collect(timeout: float | None) -> str | None:
        """Take in finished tasks; the error of the first edition that failed, if any."""
        finished, _pending = wait(running, timeout=timeout, return_when=FIRST_COMPLETED)
        for future in finished:
            index = running.pop(future)
            if index < 0:
                pid = future.result()
                if isinstance(pid, int):
                    pids.append(pid)
                continue
            result: Rendered
            try:
                result = future.result()
            except BrokenExecutor:
                raise
            except Exception as exc:  # a worker's failure is the edition's error, never a traceback
                result = Rendered(jobs[index].edition, b"", None, error=_crashed(jobs[index], exc))
            finish(index, result)
            if result.error:
                return result.error
        return None

    pool = pool_for(count)
    # Starting a worker waits for the fork server to import WeasyPrint (most of a second): a
    # thread starts them while this one renders the HTML.
    started: list[Future[Any]] = []
    failed: list[BaseException] = []

    def start() -> None:
        try:
            started.extend(pool.submit(worker_ready) for _ in range(count))
        except BaseException as exc:  # raised again in the build's thread, below
            failed.append(exc)

    def workers_up() -> bool:
        """True once the starting thread is done; its workers' first tasks are then tracked."""
        if starter.is_alive():
            return False
        if failed:
            # Starting a worker fails when the pool broke meanwhile (a worker killed while the
            # next one started: its queues are closed) or processes cannot be made at all.
            raise BrokenExecutor(f"{type(failed[0]).__name__}: {failed[0]}") from failed[0]
        running.update((future, -1) for future in started)
        started.clear()
        return True

    starter = threading.Thread(target=start, name="itreport-start-workers")
    starter.start()
    error: str | None = None
    previous_hook = threading.excepthook
    threading.excepthook = partial(_quiet_when_broken, pool, previous_hook)
    try:
        up = False
        for index in html_order(jobs):
            page = render_page(jobs[index])
            jobs[index] = job = _without_view(jobs[index])
            kept = None if page.error else reuse_pdf(job, page.html)
            if page.error or "pdf" not in job.formats or kept is not None:
                finish(index, kept or page)
                error = page.error
            else:
                pages[index] = page.html
                ready.append((layout_cost(job, page.html), index))
            up = up or workers_up()
            if up and not error:
                error = collect(timeout=0)
                dispatch(pool)
            if error:
                break
        starter.join()
        workers_up()
        if not error:
            release_memory()  # the views are gone: hand their memory back before the layouts grow
        while (running or ready) and not error:
            dispatch(pool)
            error = collect(timeout=None)
    except BrokenExecutor:
        error = (
            "a process laying out the PDFs could not start or ended unexpectedly (killed, out of "
            "memory, or crashed); try again, or with --jobs 1"
        )
    except BaseException:
        _stop(pool, starter, running, pids)
        raise
    finally:
        if error:
            _stop(pool, starter, running, pids)
        threading.excepthook = previous_hook
    if error:
        return _failed(jobs, results, error)
    pool.shutdown(wait=True)
    return [results[i] for i in range(len(jobs))]


def _without_view(job: Job) -> Job:
    return replace(job, view=None)


def _quiet_when_broken(pool: Executor, previous: Any, args: threading.ExceptHookArgs) -> None:
    """While a broken pool shuts down, its manager thread can trip over a worker that the
    starting thread was adding at that moment (CPython's pool iterates its processes without a
    lock) and print a traceback under the build's clear error; it is dropped then."""
    if getattr(pool, "_broken", False):
        return
    previous(args)


def _crashed(job: Job, exc: BaseException) -> str:
    return f"edition '{job.edition}': the PDF could not be laid out ({type(exc).__name__})"


def _failed(jobs: Sequence[Job], results: dict[int, Rendered], error: str) -> list[Rendered]:
    """Every job's result, the ones not finished carrying `error` (the build stops with it)."""
    return [results.get(i) or Rendered(job.edition, b"", None, error=error) for i, job in enumerate(jobs)]


def _stop(
    pool: Executor, starter: threading.Thread, running: dict[Future[Any], int], pids: list[int]
) -> None:
    """End the work at once: nothing queued runs, and the workers' layouts are abandoned.

    Shutting the pool down waits for the layouts that are running, seconds each on a large
    division, for PDFs nobody will write; so the workers are ended first.
    """
    starter.join()
    for future, index in running.items():
        if index < 0 and future.done() and not future.cancelled() and future.exception() is None:
            pids.append(future.result())
        future.cancel()
    # A worker killed while it held the task queue's lock leaves the others blocked on it for
    # ever, and the interpreter's exit waits for them: every process of the pool is ended,
    # including one the starting thread added after the pool broke (ProcessPoolExecutor keeps
    # them in `_processes`; the ids the workers reported cover a pool without it).
    processes = getattr(pool, "_processes", None)
    for process in list(processes.values()) if isinstance(processes, dict) else []:
        with contextlib.suppress(Exception):  # already ended
            process.kill()
    for pid in set(pids) - {os.getpid()}:  # a pool that runs tasks in this process reports this one
        with contextlib.suppress(OSError):  # already gone
            os.kill(pid, signal.SIGKILL)
    # With its processes ended the pool shuts down at once; waiting for it keeps its manager
    # thread from reporting closed pipes while the interpreter exits.
    pool.shutdown(wait=True, cancel_futures=True)
