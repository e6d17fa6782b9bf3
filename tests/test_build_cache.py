"""Nothing redone, nothing wrong: parallel rendering and the caches of earlier builds.

Parallel output is byte-identical to sequential; an edition whose inputs are unchanged is not
rendered again; a changed input (content, template, deleted output) rebuilds what it touches;
a build with nothing changed repeats its report without loading anything; a forged record
is only ever a miss.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import weakref
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from itreport.build import BuildOptions, build
from itreport.buildcache import BUILD_RECORD, EDITIONS_RECORD, EditionRecords, cache_folder
from itreport.cli import main
from itreport.render import jobs as render_jobs
from itreport.render import pdf as render_pdf
from itreport.render.jobs import Job, Rendered, layout_cost, render_all
from itreport.render.layout import Layout, build_gone
from tests.conftest import replace_in

EDITIONS = (
    "editions:\n"
    "  - {id: people, title: People, audience: management, sections: [people]}\n"
    "  - {id: projects, title: Projects, audience: executive, sections: [portfolio]}\n"
)


@pytest.fixture
def two_editions(content: Path) -> Path:
    (content / "briefings.yaml").write_text(EDITIONS, encoding="utf-8")
    return content


class Counted:
    """Counts the HTML renders and PDF layouts of in-process builds."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.html: list[str] = []
        self.pdf: int = 0
        real_html, real_pdf = render_jobs.render_html, render_pdf.html_to_pdf

        def html(view: Any, templates: Path | None) -> str:
            self.html.append(view.edition.id)
            return real_html(view, templates)

        def pdf(*args: Any, **kwargs: Any) -> Any:
            self.pdf += 1
            return real_pdf(*args, **kwargs)

        monkeypatch.setattr(render_jobs, "render_html", html)
        monkeypatch.setattr(render_pdf, "html_to_pdf", pdf)

    def reset(self) -> None:
        self.html, self.pdf = [], 0


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_parallel_output_is_byte_identical_to_sequential(two_editions: Path) -> None:
    out = two_editions.parent
    build(BuildOptions(two_editions, out / "one", jobs=1))
    build(BuildOptions(two_editions, out / "two", jobs=2))
    sequential, parallel = _files(out / "one"), _files(out / "two")
    assert sorted(sequential) == [
        ".itreport.lock",
        "manifest.json",
        "people-2026-10.html",
        "people-2026-10.pdf",
        "projects-2026-10.html",
        "projects-2026-10.pdf",
    ]
    assert parallel == sequential


def test_unchanged_editions_are_not_rendered_again(
    two_editions: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = Counted(monkeypatch)
    out = two_editions.parent / "out"
    first = build(BuildOptions(two_editions, out, jobs=1))
    assert counted.html == ["people", "projects"] and counted.pdf == 2
    assert all(w.changed for w in first.written)
    before = _files(out)
    # How long each layout took is kept for the next build, which starts the longest first.
    seconds = {e: EditionRecords(out).pdf_seconds(e) for e in ("people", "projects")}
    assert all(s is not None and s > 0 for s in seconds.values())

    counted.reset()
    again = build(BuildOptions(two_editions, out, jobs=1))
    assert counted.html == [] and counted.pdf == 0
    assert not any(w.changed for w in again.written)
    assert _files(out) == before

    # A project's new name changes the portfolio; the people edition's HTML stays the same, so
    # its PDF is kept (and its layout time with it) while the projects edition is laid out again.
    counted.reset()
    replace_in(two_editions, "projects/alpha.yaml", "name: Alpha platform", "name: Alpha cloud platform")
    changed = build(BuildOptions(two_editions, out, jobs=1))
    assert counted.pdf == 1
    assert {w.path.name for w in changed.written if w.changed} == {
        "projects-2026-10.html",
        "projects-2026-10.pdf",
    }
    assert b"Alpha cloud platform" in (out / "projects-2026-10.html").read_bytes()
    assert _files(out)["people-2026-10.pdf"] == before["people-2026-10.pdf"]
    assert EditionRecords(out).pdf_seconds("people") == seconds["people"]


def test_a_pdf_job_cannot_leave_out_the_renderer() -> None:
    """The renderer's fingerprint is part of every PDF's key: a job without it would keep an
    earlier PDF after the templates changed."""
    with pytest.raises(ValueError, match="renderer"):
        Job("board", None, None, ("html", "pdf"), (), date(2026, 10, 31), None)
    Job("board", None, None, ("html",), (), date(2026, 10, 31), None)  # HTML alone needs none


def test_the_longest_layout_is_expected_from_the_last_build_or_the_html() -> None:
    job = Job("board", None, None, ("html", "pdf"), (), date(2026, 10, 31), None, renderer="r")
    small, large = b"<p>a</p>" * 10, b"<p>a</p>" * 1000
    assert layout_cost(job, large) > layout_cost(job, small)
    timed = replace(job, earlier_seconds=2.5)
    assert layout_cost(timed, small) == 2.5 and layout_cost(timed, large) == 2.5


def test_a_deleted_or_altered_output_is_made_again(
    two_editions: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = two_editions.parent / "out"
    build(BuildOptions(two_editions, out, formats=("html",), jobs=1))
    good = (out / "people-2026-10.html").read_bytes()
    counted = Counted(monkeypatch)
    (out / "people-2026-10.html").write_bytes(b"<p>tampered</p>")
    (out / "projects-2026-10.html").unlink()
    build(BuildOptions(two_editions, out, formats=("html",), jobs=1))
    assert sorted(counted.html) == ["people", "projects"]
    assert (out / "people-2026-10.html").read_bytes() == good
    assert (out / "projects-2026-10.html").is_file()


def test_a_changed_template_rebuilds(two_editions: Path) -> None:
    out = two_editions.parent / "out"
    build(BuildOptions(two_editions, out, formats=("html",), jobs=1))
    overrides = two_editions.parent / "templates"
    overrides.mkdir()
    (overrides / "briefing.html").write_text(
        "{% extends 'default:briefing.html' %}{% block extra_css %}h1 { color: teal }{% endblock %}",
        encoding="utf-8",
    )
    result = build(BuildOptions(two_editions, out, formats=("html",), jobs=1))
    assert [w.changed for w in result.written] == [True, True]
    assert b"h1 { color: teal }" in (out / "people-2026-10.html").read_bytes()


def test_forged_records_are_only_a_miss(two_editions: Path, tmp_path: Path) -> None:
    out = two_editions.parent / "out"
    build(BuildOptions(two_editions, out, formats=("html",), jobs=1))
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the briefing", encoding="utf-8")
    path = cache_folder(out) / EDITIONS_RECORD
    record = json.loads(path.read_text(encoding="utf-8"))
    for entry in record["editions"].values():
        entry["files"] = {"../secret.txt": "0" * 64}
        entry["pdf_seconds"] = "1e999"
    path.write_text(json.dumps(record), encoding="utf-8")
    result = build(BuildOptions(two_editions, out, formats=("html",), jobs=1))
    assert {w.path.name for w in result.written} == {"people-2026-10.html", "projects-2026-10.html"}
    path.write_bytes(b"\x80 not json")
    build(BuildOptions(two_editions, out, formats=("html",), jobs=1))
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == 1
    assert sorted(p.name for p in out.iterdir()) == [  # the records are not handed to readers
        ".itreport.lock",  # the publish lock (one build at a time per output folder)
        "manifest.json",
        "people-2026-10.html",
        "projects-2026-10.html",
    ]


def test_cli_build_with_nothing_changed_repeats_the_report(two_editions: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["build", "content", "--format", "html"])
    assert first.exit_code == 0, first.output
    assert "wrote output/people-2026-10.html" in first.output
    assert "itreport: validated" in first.output  # one plain line per stage off a terminal
    second = runner.invoke(main, ["build", "content", "--format", "html"])
    assert second.exit_code == 0
    assert "itreport: nothing changed since the last build" in second.output
    assert "unchanged output/people-2026-10.html" in second.output
    assert "itreport: validated" not in second.output
    replace_in(two_editions, "projects/beta.yaml", "name: Beta rollout", "name: Beta roll-out")
    third = runner.invoke(main, ["build", "content", "--format", "html"])
    assert "nothing changed" not in third.output
    assert "wrote output/projects-2026-10.html" in third.output
    assert "unchanged output/people-2026-10.html" in third.output
    (cache_folder(Path("output")) / BUILD_RECORD).write_text(
        '{"version": 1, "key": "x", "files": {}, "lines": []}'
    )
    fourth = runner.invoke(main, ["build", "content", "--format", "html"])
    assert "nothing changed" not in fourth.output


def test_noop_build_in_a_process_loads_no_renderer_and_no_models(two_editions: Path) -> None:
    cli = [sys.executable, "-X", "importtime", "-m", "itreport", "build", "content", "--format", "html"]
    first = subprocess.run(cli, capture_output=True, text=True, check=False, cwd=two_editions.parent)
    assert first.returncode == 0, first.stderr
    again = subprocess.run(cli, capture_output=True, text=True, check=False, cwd=two_editions.parent)
    assert again.returncode == 0
    assert "nothing changed since the last build" in again.stderr
    imported = {line.split("|")[-1].strip() for line in again.stderr.splitlines() if "import time:" in line}
    assert "itreport.cli" in imported
    assert not {m for m in imported if m.split(".")[0] in ("weasyprint", "pydantic", "jinja2", "yaml")}
    assert "unchanged output/projects-2026-10.html" in again.stdout


def test_a_pipe_in_the_content_folder_does_not_hang_the_build(two_editions: Path) -> None:
    os.mkfifo(two_editions / "waiting.yaml")
    proc = subprocess.run(
        [sys.executable, "-m", "itreport", "build", "content", "--format", "html"],
        capture_output=True,
        text=True,
        check=False,
        cwd=two_editions.parent,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "waiting.yaml" in proc.stdout + proc.stderr


class Gated(Executor):
    """A pool whose workers come up when the test says: until then submitted tasks wait, in order;
    after that each task runs as it is submitted."""

    def __init__(self, open_now: bool = False) -> None:
        self.waiting: list[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]] = []
        self.open = open_now
        self.tasks: list[str] = []
        self.calls: list[tuple[Future[Any], str, tuple[Any, ...]]] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self.waiting.append((future, fn, args))
        self.tasks.append(fn.__name__)
        self.calls.append((future, fn.__name__, args))
        if self.open:
            self.start()
        return future

    def start(self) -> None:
        self.open = True
        while self.waiting:
            future, fn, args = self.waiting.pop(0)
            future.set_result(fn(*args))


def test_the_longest_layout_starts_first(monkeypatch: pytest.MonkeyPatch) -> None:
    sizes = {"board": 10, "executive": 300, "finance": 40, "management": 200}
    laid_out: list[str] = []
    pages: list[str] = []
    pool = Gated()

    def page(job: Job) -> Rendered:
        pages.append(job.edition)
        if len(pages) == len(sizes):
            pool.start()  # the workers are up once every edition's HTML is rendered
        return Rendered(job.edition, b"<p>x</p>" * sizes[job.edition], None)

    def layout(task: Layout) -> Rendered:
        laid_out.append(task.edition)
        return Rendered(task.edition, task.html, b"%PDF", pdf_source="key", pdf_seconds=1.0)

    monkeypatch.setattr(render_jobs, "render_page", page)
    monkeypatch.setattr(render_jobs, "lay_out", layout)  # in this process
    monkeypatch.setattr(render_jobs, "lay_out_in_worker", layout)  # in a worker
    jobs = [Job(e, None, None, ("html", "pdf"), (), date(2026, 10, 31), None, renderer="r") for e in sizes]
    results = render_all(jobs, 2, pool_for=lambda _count: pool)
    assert laid_out == ["executive", "management", "finance", "board"]  # by the size of the HTML
    assert [r.edition for r in results] == list(sizes)  # returned in edition order
    # The HTML is rendered in this process; the workers only lay out (after starting up), and
    # what crosses to them is the HTML and the PDF options, not the edition's view.
    assert pool.tasks == ["worker_ready", "worker_ready", "layout", "layout", "layout", "layout"]
    assert all(isinstance(args[0], Layout) for _f, name, args in pool.calls if name == "layout")

    # Seconds recorded by the last build order the HTML, and a free worker takes each layout
    # as soon as its HTML is ready.
    laid_out.clear()
    pages.clear()
    seconds = {"board": 9.0, "executive": 1.0, "finance": 3.0, "management": 2.0}
    timed = [replace(j, earlier_seconds=seconds[j.edition]) for j in jobs]
    pool = Gated(open_now=True)
    render_all(timed, 2, pool_for=lambda _count: pool)
    assert pages[:4] == ["board", "finance", "management", "executive"]
    assert laid_out == ["board", "finance", "management", "executive"]


def test_one_layout_or_html_only_renders_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render_jobs, "render_page", lambda job: Rendered(job.edition, b"<p>x</p>", None))
    monkeypatch.setattr(
        render_jobs, "lay_out", lambda task: Rendered(task.edition, task.html, b"%PDF", pdf_source="k")
    )

    def no_pool(_count: int) -> Executor:
        raise AssertionError("a pool was started")

    html_only = [Job(e, None, None, ("html",), (), date(2026, 10, 31), None) for e in ("a", "b", "c")]
    assert [r.pdf for r in render_all(html_only, 2, pool_for=no_pool)] == [None, None, None]
    one_pdf = [*html_only, Job("d", None, None, ("html", "pdf"), (), date(2026, 10, 31), None, renderer="r")]
    assert [r.pdf for r in render_all(one_pdf, 2, pool_for=no_pool)] == [None, None, None, b"%PDF"]


def test_a_failed_edition_stops_the_work_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A template error in one edition used to be reported only after every other edition's
    PDF had been laid out (minutes on a large division) for a build that writes nothing."""
    laid_out: list[str] = []

    def page(job: Job) -> Rendered:
        if job.edition == "executive":
            return Rendered(job.edition, b"", None, error="template error in 'executive'")
        return Rendered(job.edition, b"<p>x</p>", None)

    def layout(task: Layout) -> Rendered:
        laid_out.append(task.edition)
        return Rendered(task.edition, task.html, b"%PDF", pdf_source="key", pdf_seconds=1.0)

    monkeypatch.setattr(render_jobs, "render_page", page)
    monkeypatch.setattr(render_jobs, "lay_out", layout)  # in this process
    monkeypatch.setattr(render_jobs, "lay_out_in_worker", layout)  # in a worker
    jobs = [
        Job(e, None, None, ("html", "pdf"), (), date(2026, 10, 31), None, renderer="r")
        for e in ("board", "executive", "finance", "management")
    ]
    for pool_for in (lambda _count: Gated(open_now=True), lambda _count: Gated()):
        laid_out.clear()
        results = render_all(jobs, 2, pool_for=pool_for)
        assert laid_out in ([], ["board"])  # nothing after the failing edition's HTML
        errors = {r.edition: r.error for r in results}
        assert (
            errors["executive"]
            == errors["finance"]
            == errors["management"]
            == "template error in 'executive'"
        )
    # In sequence the same: the first failure ends the build's work.
    laid_out.clear()
    results = render_all(jobs, 1)
    assert laid_out == ["board"] and results[3].error == "template error in 'executive'"


def test_a_zombie_build_counts_as_gone() -> None:
    """A build that has exited but is not yet collected (a zombie) still answers kill(pid, 0);
    a worker that waited for it kept the caller's pipes open for ever."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 30
    while not build_gone(child.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert build_gone(child.pid)
    assert child.poll() == 0  # it was a zombie until now: gone, though still listed
    assert not build_gone(os.getpid())


def test_the_view_digest_covers_every_value_and_nothing_else() -> None:
    """Equal views give one digest, in or out of a preview's memo; any value that differs, also
    a dataclass field left out of `repr` or a value deep in a model, gives another; a set's
    order does not count."""
    from dataclasses import dataclass, field

    from itreport.load import ParseMemo, remembering
    from itreport.models.base import Model
    from itreport.viewdigest import view_digest

    class Item(Model):
        name: str
        tags: tuple[str, ...] = ()

    @dataclass(frozen=True)
    class Row:
        item: Item
        hidden: int = field(default=0, repr=False)
        marks: frozenset[str] = frozenset()

    def view(name: str = "a", hidden: int = 0, tag: str = "x", marks: tuple[str, ...] = ("p", "q")) -> Any:
        return {"rows": [Row(Item(name=name, tags=(tag,)), hidden, frozenset(marks))], "n": 1}

    first = view_digest(view())
    assert view_digest(view()) == first
    assert view_digest(view(marks=("q", "p"))) == first
    with remembering(ParseMemo()):
        assert view_digest(view()) == first
    others = [view(name="b"), view(hidden=1), view(tag="y"), view(marks=("p",)), {"rows": [], "n": 1}]
    digests = {view_digest(v) for v in others}
    assert first not in digests and len(digests) == len(others)
    assert view_digest({"n": 1}) != view_digest({"n": "1"}) != view_digest({"n": 1.0})


def test_the_view_digest_is_the_same_in_every_process() -> None:
    """A set's order follows each process's string hashing: the digest does not, so the next
    build (another process) still finds the edition unchanged."""
    code = (
        "from itreport.viewdigest import view_digest;"
        "print(view_digest({'s': frozenset(f'member-{i}' for i in range(40))}))"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1


def test_a_preview_with_a_briefing_tag_builds_what_a_plain_build_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview keeps the baseline (read once per commit), frozen models and their digests
    between builds into one folder; after each edit, and after the briefing tag moves to a new
    commit, every page is what a build from scratch writes."""
    from itreport import baseline
    from itreport.load import ParseMemo, remembering
    from tests.conftest import REPO

    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, env=env, capture_output=True)

    content = tmp_path / "content"
    import shutil

    shutil.copytree(REPO / "content", content)
    git("init", "-q", "-b", "main")
    git("add", "content")
    git("commit", "-q", "-m", "first")
    git("tag", "briefing/2026-10-31")
    read: list[str] = []
    real_read = baseline._read_baseline
    monkeypatch.setattr(baseline, "_read_baseline", lambda *a: read.append(a[1]) or real_read(*a))
    memo = ParseMemo()
    project = sorted((content / "projects").glob("*.yaml"))[0]
    n = 0

    def same_as_plain(edit: str) -> None:
        nonlocal n
        n += 1
        with remembering(memo):
            build(BuildOptions(content, tmp_path / "preview", ("html",), jobs=1))
        build(BuildOptions(content, tmp_path / f"plain{n}", ("html",), jobs=1))
        preview, plain = tmp_path / "preview", tmp_path / f"plain{n}"
        assert {p.name: p.read_bytes() for p in preview.glob("*.html")} == {
            p.name: p.read_bytes() for p in plain.glob("*.html")
        }, edit

    same_as_plain("first preview")
    replace_in(content, f"projects/{project.name}", "\nname: ", "\nname: Renamed ")
    same_as_plain("a project renamed")
    assert any("Renamed" in p.read_text(encoding="utf-8") for p in (tmp_path / "preview").glob("*.html"))
    read.clear()
    replace_in(content, f"projects/{project.name}", "\nname: Renamed ", "\nname: Again ")
    same_as_plain("renamed again")
    assert read == ["briefing/2026-10-31"]  # the plain build read it; the preview kept it
    git("commit", "-qam", "second")
    git("tag", "-f", "briefing/2026-10-31")
    read.clear()
    same_as_plain("the tag moved to a new commit")
    assert read == ["briefing/2026-10-31", "briefing/2026-10-31"]  # the preview read it again


def test_each_view_is_let_go_once_its_html_is_rendered(monkeypatch: pytest.MonkeyPatch) -> None:
    """An edition's view (and the analysis it holds) is not kept while PDFs are laid out."""

    class View:
        pass

    editions = ("board", "executive")
    alive: list[list[str]] = []
    for workers in (1, 2):
        views = {e: View() for e in editions}
        refs = {e: weakref.ref(v) for e, v in views.items()}
        pool = Gated()

        def page(job: Job, pool: Gated = pool) -> Rendered:
            if job.edition == editions[-1]:
                pool.start()  # the workers are up once every edition's HTML is rendered
            return Rendered(job.edition, b"<p>x</p>", None)

        def layout(task: Layout, refs: dict[str, weakref.ref[View]] = refs) -> Rendered:
            alive.append(sorted(e for e, ref in refs.items() if ref() is not None))
            return Rendered(task.edition, task.html, b"%PDF", pdf_source="key", pdf_seconds=1.0)

        monkeypatch.setattr(render_jobs, "render_page", page)
        monkeypatch.setattr(render_jobs, "lay_out", layout)
        monkeypatch.setattr(render_jobs, "lay_out_in_worker", layout)
        jobs = [
            Job(e, views.pop(e), None, ("html", "pdf"), (), date(2026, 10, 31), None, renderer="r")
            for e in editions
        ]
        render_all(jobs, workers, pool_for=lambda _count, pool=pool: pool)
        assert [job.view for job in jobs] == [None, None]
    # In sequence, the board's PDF is laid out before the executive's HTML is rendered; in
    # workers, after every edition's HTML.
    assert alive == [["executive"], [], [], []]
