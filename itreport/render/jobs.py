"""Render editions in worker processes, one per core, and return their bytes in edition order.

A large division's editions each take seconds to lay out as PDF, and two WeasyPrint renders in
two processes run almost twice as fast as one after the other. Workers are started with the
forkserver method (spawn where there is none), never plain fork: the parent may hold threads
and large heaps that a forked child would inherit. The result is the same bytes as rendering
in sequence: each job is self-contained (its view, theme and options) and results are
collected in edition order.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from itreport.buildcache import code_fingerprint, folder_digest
from itreport.render.html import cached_env, render_html
from itreport.render.sandbox import TemplateFailure
from itreport.render.theme import DEFAULT_THEME

# What one worker may need for a large edition (Python, WeasyPrint's layout tree, fonts).
WORKER_MEMORY = 600 * 1024 * 1024


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


def pdf_source(html: bytes, job: Job) -> str:
    """Hash of what a PDF is made from: the HTML, the PDF options, the theme and templates it may
    fetch from, and the code. The same key gives the same PDF bytes."""
    h = hashlib.sha256(html)
    h.update(repr((job.pdf_variant, job.as_of.isoformat(), [str(r) for r in job.roots])).encode())
    h.update(code_fingerprint().encode())
    h.update(folder_digest(job.templates).encode())
    return h.hexdigest()


def render(job: Job) -> Rendered:
    """HTML, then PDF if asked for. WeasyPrint is imported only when a PDF is laid out."""
    try:
        html = render_html(job.view, job.templates).encode("utf-8")
    except TemplateFailure as exc:
        return Rendered(job.edition, b"", None, error=f"{exc} (edition '{job.edition}')")
    if "pdf" not in job.formats:
        return Rendered(job.edition, html, None)
    source = pdf_source(html, job)
    if job.earlier_pdf is not None and job.earlier_pdf[0] == source:
        _key, path, digest = job.earlier_pdf
        try:
            earlier = path.read_bytes()
        except OSError:
            earlier = b""
        if hashlib.sha256(earlier).hexdigest() == digest:
            return Rendered(job.edition, html, earlier, pdf_source=source, pdf_reused=True)
    from itreport.render.pdf import RenderError, html_to_pdf

    try:
        pdf, warnings = html_to_pdf(
            html.decode("utf-8"), DEFAULT_THEME, list(job.roots), job.as_of, job.pdf_variant
        )
    except RenderError as exc:
        return Rendered(job.edition, b"", None, error=f"edition '{job.edition}': {exc}")
    return Rendered(job.edition, html, pdf, tuple(warnings), pdf_source=source)


def available_memory() -> int | None:
    """Bytes of memory available now (Linux), or None where the system does not say."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


def worker_count(jobs: int, requested: int = 0) -> int:
    """How many processes to use: `requested`, or one per core, never more than the jobs or
    than available memory allows (at `WORKER_MEMORY` each); 1 means render in this process."""
    if requested > 0:
        return max(1, min(requested, jobs))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    count = min(cores, jobs)
    memory = available_memory()
    if memory is not None:
        count = min(count, max(1, memory // WORKER_MEMORY))
    return max(1, count)


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if ctx.get_start_method() == "forkserver":
        # Workers fork from a server that has already imported the renderer (and WeasyPrint).
        ctx.set_forkserver_preload(["itreport.render.jobs", "itreport.render.pdf"])
    return ctx


def render_all(
    jobs: Sequence[Job], workers: int = 0, done: Callable[[Rendered], None] = lambda _r: None
) -> list[Rendered]:
    """Render every job; in worker processes when there is more than one job and core."""
    cached_env.cache_clear()  # templates are read afresh for every build
    count = worker_count(len(jobs), workers)
    if count <= 1:
        out = []
        for job in jobs:
            out.append(render(job))
            done(out[-1])
        return out
    with ProcessPoolExecutor(max_workers=count, mp_context=_context()) as pool:
        futures = [pool.submit(render, job) for job in jobs]
        results = []
        for future in futures:
            results.append(future.result())
            done(results[-1])
    return results
