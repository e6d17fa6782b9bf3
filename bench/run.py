"""`make bench`: every stage of a build of generated medium and large divisions, beside its floor.

Generates both divisions with `itreport demo` into a temporary git repository, then measures,
in this one run on this machine:

- the floor for loading: PyYAML's C loader parsing the same files (`yaml.load`, CSafeLoader),
  with the garbage collector on (as any program calls it) and off;
- our load + validate, analysis, HTML per edition, PDF per edition; load + validate again with
  the fast YAML path off (`ITREPORT_FAST_YAML=0`, the libyaml reference path only); validation
  as `itreport serve` rebuilds after one project file changed (its memo warmed by a first
  validation) beside the floor of parsing and validating that one file alone, and the whole
  board preview (HTML, compared with a tagged last briefing) rebuilt after such an edit;
  on large, validation and the text report of some 6,000 problems beside a clean validation;
- the floor for the PDF stage: bare WeasyPrint on the same HTML with the same options (PDF/A-2a,
  tagged, fixed identifier), against our PDF stage; then seconds per page of our PDF stage, of
  bare WeasyPrint, of bare WeasyPrint on a plain five-column table with as many pages, and of
  typst on the same table (the `typst` package, installed by `make bench` only);
- whole builds through the CLI: sequential (`--jobs 1`) and parallel, each edition's PDF
  layout in seconds and pages, what the slowest edition leaves of a two-core speed-up, a
  build with nothing changed, and a session of uncommitted edits (the first marks every page
  DRAFT; the next renames one project and is compared with laying out the editions that show
  it); the peak memory of the large build and of the DRAFT rebuild, which starts the two
  longest layouts side by side (all its processes at once, sampled from /proc every 0.1 s;
  `peak_rss_mb` is the larger). The load average is printed with the rows that a busy machine distorts.

Then one line: `bench: load_ratio=… pdf_ratio=… parallel_speedup=… noop_seconds=… edit_seconds=…
peak_rss_mb=…` (load ratio on large; PDF ratio and parallel speed-up of the render stage on
medium; no-op, edit and memory on large), then the one-file validation and the preview
rebuild on large. Timings are never asserted in tests; they live here.
Public tools only: Python, git and the packages itreport installs.
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from itreport.build import BuildOptions, build  # noqa: E402
from itreport.buildcache import EditionRecords  # noqa: E402
from itreport.demo import write_demo  # noqa: E402
from itreport.load import ParseMemo, parse, remembering  # noqa: E402
from itreport.models.base import attach_sources  # noqa: E402
from itreport.models.projects import Project  # noqa: E402
from itreport.render.pdf import PDF_VARIANT, html_to_pdf  # noqa: E402
from itreport.render.theme import DEFAULT_THEME  # noqa: E402
from itreport.report import format_text  # noqa: E402
from itreport.serve.localfs import events_complete  # noqa: E402
from itreport.serve.preview import Preview, PreviewOptions  # noqa: E402
from itreport.validate import validate_folder  # noqa: E402

CLI = [sys.executable, "-m", "itreport"]


@dataclass
class Row:
    scale: str
    stage: str
    seconds: float
    floor: float | None = None
    note: str = ""

    @property
    def ratio(self) -> str:
        return f"{self.seconds / self.floor:.2f}" if self.floor else ""

    def __str__(self) -> str:
        floor = f"{self.floor:8.3f}" if self.floor else " " * 8
        return f"{self.scale:7} {self.stage[:58]:58} {self.seconds:8.3f} {floor} {self.ratio:>6}  {self.note}"


class Table(list[Row]):
    """Rows printed as they are measured, so a long run shows where it is."""

    def append(self, row: Row) -> None:
        super().append(row)
        print(row, flush=True)

    def extend(self, rows: Iterable[Row]) -> None:
        for row in rows:
            self.append(row)


def best(fn: Callable[[], Any], runs: int = 2, clock: Callable[[], float] = time.perf_counter) -> float:
    """The fastest of `runs` (the machine is shared: the minimum is the least disturbed).

    With `clock=time.process_time`, the processor time of this process (all its threads): the
    work done, without the time spent waiting for a core that other programs hold."""
    times = []
    for _ in range(runs):
        start = clock()
        fn()
        times.append(clock() - start)
    return min(times)


def yaml_floor(folder: Path, collect: bool) -> float:
    texts = [
        p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.yaml")) if "schemas" not in p.parts
    ]

    def parse() -> None:
        for text in texts:
            yaml.load(text, Loader=yaml.CSafeLoader)

    was = gc.isenabled()
    (gc.enable if collect else gc.disable)()
    try:
        return best(parse)
    finally:
        (gc.enable if was else gc.disable)()


def timed_build(options: BuildOptions) -> dict[str, float]:
    """Seconds per stage of a library build, from its progress messages."""
    marks: dict[str, float] = {}
    last = time.perf_counter()

    def progress(message: str) -> None:
        nonlocal last
        now = time.perf_counter()
        marks[message] = now - last
        last = now

    build(options, progress)
    return marks


def bare_weasyprint(html: str) -> bytes:
    """WeasyPrint as its documentation shows it, with our PDF options: the floor for our PDF stage."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, base_url=DEFAULT_THEME.as_uri() + "/").write_pdf(
        pdf_variant=PDF_VARIANT, pdf_identifier=b"0" * 32, pdf_tags=True
    )
    return pdf


def plain_table_html(rows: int) -> str:
    """A plain HTML table of `rows` rows and five short columns: WeasyPrint's cost per page for
    a table with no theme, no fonts of its own and no tagging."""
    cells = "".join(
        f"<tr><td>Project {i}</td><td>Owner {i % 97}</td><td>{i * 1237 % 100000:,}</td>"
        f"<td>2026-{i % 12 + 1:02d}-15</td><td>{('Green', 'Amber', 'Red')[i % 3]}</td></tr>"
        for i in range(rows)
    )
    return (
        "<!doctype html><html><head><style>@page { size: A4; margin: 20mm 16mm }"
        "body { font: 9pt sans-serif } table { width: 100%; border-collapse: collapse }"
        "td { padding: 1mm; border-bottom: 0.5pt solid #ccc }</style></head>"
        f"<body><table>{cells}</table></body></html>"
    )


def plain_table_typst(rows: int) -> str:
    """The same table in typst markup (A4, the same margins, type size and five columns)."""
    cells = ", ".join(
        f"[Project {i}], [Owner {i % 97}], [{i * 1237 % 100000:,}], [2026-{i % 12 + 1:02d}-15], "
        f"[{('Green', 'Amber', 'Red')[i % 3]}]"
        for i in range(rows)
    )
    return (
        '#set page(paper: "a4", margin: (x: 16mm, y: 20mm))\n#set text(size: 9pt)\n'
        "#table(columns: (1fr,) * 5, stroke: (bottom: 0.5pt + gray), inset: 1mm, "
        f"{cells})\n"
    )


def pages(pdf: bytes) -> int:
    import pypdfium2  # a development dependency (the page check reads PDFs with it)

    return len(pypdfium2.PdfDocument(pdf))


def typst_seconds(source: str, work: Path) -> tuple[float, int] | None:
    """Seconds and pages of typst compiling `source`, or None when typst is not installed."""
    try:
        import typst  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    path = work / "table.typ"
    path.write_text(source, encoding="utf-8")
    made: list[bytes] = []
    seconds = best(lambda: made.append(typst.compile(str(path))), clock=time.process_time)
    return seconds, pages(made[-1])


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def longest_first(seconds: list[float], workers: int) -> float:
    """When the last of these layouts ends, handed longest first to `workers` processes."""
    ends = [0.0] * workers
    for s in sorted(seconds, reverse=True):
        ends[ends.index(min(ends))] += s
    return max(ends)


def cli(args: list[str], cwd: Path, cache: Path, memory: list[float] | None = None) -> tuple[float, str]:
    """Seconds and standard error of an `itreport` command; with `memory`, its peak memory (MB)
    is appended to it (see `tree_rss`)."""
    env = {**os.environ, "ITREPORT_CACHE": str(cache)}
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([*CLI, *args], cwd=cwd, env=env, stdout=out, stderr=err, text=True)
        peak = 0
        while True:
            if memory is not None:
                peak = max(peak, tree_rss(proc.pid))
            try:
                # Waiting, not sleeping, between samples: a sleep made every time a multiple of
                # the 0.1 s step (a 0.11 s build read 0.2 s).
                proc.wait(timeout=0.1)
                break
            except subprocess.TimeoutExpired:
                continue
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise SystemExit(f"bench: `itreport {' '.join(args)}` failed:\n{stdout}{stderr}")
    if memory is not None:
        memory.append(peak / 1024)
    return seconds, stderr


def tree_rss(pid: int) -> int:
    """Memory (kB) of a process and all its descendants now: the sum of their proportional set
    sizes (PSS: a page shared by n processes counts 1/n in each), from /proc (Linux).

    Sampled while a build runs, its maximum is the memory the build needed at once, workers
    included, with what the fork server shares with its workers counted once. `ru_maxrss`
    cannot say it: a process started from this (large) one inherits this one's high-water mark
    when it executes the new program, so every child looked as large as the benchmark itself.
    """
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            with open(f"/proc/{current}/smaps_rollup", encoding="utf-8") as rollup:
                total += next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
        except OSError:
            continue  # ended meanwhile
    return total


def render_seconds(stderr: str) -> float:
    """Seconds of the render stage, from the build's stage lines (`itreport: rendered x (1.2 s)`)."""
    lines = re.findall(r"^itreport: (rendering|rendered)[^\n]*\((\d+\.\d) s\)$", stderr, flags=re.M)
    return sum(float(s) for kind, s in lines if kind == "rendered")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def many_problems(content: Path) -> tuple[float, int]:
    """Seconds to validate and report a division whose budget has one problem per line.

    Every budget line's annual plan is written with three decimals (the same amount, so only
    `bounds.money-places` fires): thousands of problems, each located and shown with its line.
    """
    budget = max((content / "budget").glob("*.yaml"), key=lambda p: p.stat().st_size)
    original = budget.read_bytes()
    budget.write_bytes(re.sub(rb"(\n    annual_plan: \d+)\n", rb"\1.000\n", original))
    found = 0

    def validate_and_report() -> None:
        nonlocal found
        result = validate_folder(content)
        format_text(result.problems, result.sources)
        found = len(result.problems)

    try:
        return best(validate_and_report), found
    finally:
        budget.write_bytes(original)


def best_after(prepare: Callable[[], Any], fn: Callable[[], Any], runs: int) -> float:
    """The fastest of `runs` timings of `fn`, each after an untimed `prepare()` (an edit)."""
    times = []
    for _ in range(runs):
        prepare()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def one_file_edit(scale: str, content: Path, results: dict[str, float]) -> list[Row]:
    """`itreport serve`'s validation after one project file changed, beside the floor: parsing and
    validating that one file alone; then the whole preview (the board's HTML, compared with the
    last briefing through a `briefing/` tag) rebuilt after such a change.

    The memo (`itreport.load.remembering`) is warmed by a first validation, as the preview's first
    build does. Each timed run follows a new write of the file (not timed), for the floor as for
    the preview, and is told what the preview's watcher reports: that file, and, on a local file
    system (`events_complete`), that it is the only change, as `itreport serve` does.
    """
    edited = sorted((content / "projects").glob("*.yaml"))[0]
    original = edited.read_bytes()
    memo = ParseMemo()
    with remembering(memo):
        validate_folder(content)
    complete = events_complete([content])
    names = iter(range(1_000_000))

    def edit() -> None:
        edited.write_bytes(original.replace(b"\nname: ", f"\nname: Changed {next(names)} ".encode(), 1))

    def validate_reported() -> None:
        memo.suspect([str(edited)], complete=complete)
        with remembering(memo):
            validate_folder(content)
        assert memo.validated == [str(edited)], memo.validated

    def one_file_alone() -> None:
        raw = edited.read_bytes()
        doc, _problems = parse(str(edited), raw)
        assert doc is not None
        attach_sources(Project.model_validate(doc.data), doc.name)

    try:
        again = best_after(edit, validate_reported, runs=9)
        floor = best_after(edit, one_file_alone, runs=9)
        preview = preview_rebuild(content, edited, original, complete)
    finally:
        edited.write_bytes(original)
    results[f"{scale}_one_file_ms"] = again * 1000
    results[f"{scale}_preview_seconds"] = preview
    trust = "the watcher's report trusted" if complete else "every file's stamp looked at"
    return [
        Row(scale, "  parse + validate one project file alone: floor", floor, note=f"{floor * 1000:.2f} ms"),
        Row(scale, f"  serve: validate after changing {edited.name} ({trust})", again, floor, "÷ one file"),
        Row(scale, "  serve: board preview (HTML, with a baseline) after that change", preview),
    ]


def preview_rebuild(content: Path, edited: Path, original: bytes, complete: bool) -> float:
    """Best of five `itreport serve` rebuilds of the board's HTML, each after a new edit of one
    project, with the last briefing tagged (so every rebuild also compares with it)."""
    repo = content.parent
    git(repo, "tag", "briefing/bench")
    preview = Preview(PreviewOptions(content, edition="board"))
    try:
        first = preview.rebuild()
        if not first.ok:
            raise SystemExit("bench: the board preview did not build")
        names = iter(range(1_000_000))

        def edit_and_rebuild() -> None:
            edited.write_bytes(original.replace(b"\nname: ", f"\nname: Previewed {next(names)} ".encode(), 1))
            assert preview.rebuild([str(edited)], complete=complete).ok

        return best(edit_and_rebuild, runs=5)
    finally:
        preview.close()
        git(repo, "tag", "-d", "briefing/bench")


def measure(scale: str, work: Path, rows: list[Row], results: dict[str, float]) -> None:
    repo = work / scale
    content = repo / "content"
    write_demo(content, scale)
    git(repo, "init", "-q")
    git(repo, "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "add", ".")
    git(repo, "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "commit", "-qm", "demo")
    size = sum(p.stat().st_size for p in content.rglob("*.yaml")) / 1e6

    floor_gc = yaml_floor(content, collect=True)
    floor_nogc = yaml_floor(content, collect=False)
    rows.append(Row(scale, f"PyYAML C loader, parse only ({size:.1f} MB), gc on: floor", floor_gc))
    rows.append(Row(scale, "PyYAML C loader, parse only, gc off", floor_nogc))
    ours = best(lambda: validate_folder(content))
    rows.append(Row(scale, "itreport load + validate (positions, checks)", ours, floor_gc, "÷ floor"))
    rows.append(Row(scale, "itreport load + validate ÷ gc-off parse", ours, floor_nogc, "÷ gc off"))
    results[f"{scale}_load_ratio"] = ours / floor_gc
    # The same with the fast YAML path off (ITREPORT_FAST_YAML=0): every file read by libyaml
    # events with its positions, as before rapidyaml.
    os.environ["ITREPORT_FAST_YAML"] = "0"
    try:
        reference = best(lambda: validate_folder(content))
    finally:
        del os.environ["ITREPORT_FAST_YAML"]
    rows.append(Row(scale, "  same, fast YAML path off (reference only)", reference, floor_gc, "÷ floor"))
    os.environ["ITREPORT_CACHE"] = str(work / f"cache-serve-{scale}")  # the preview's build records
    rows.extend(one_file_edit(scale, content, results))
    if scale == "large":
        report, count = many_problems(content)
        rows.append(Row(scale, f"  validate + text report of {count:,} problems", report, ours, "÷ clean"))

    # HTML per edition, in this process (every stage's own seconds from the build's progress).
    cache = work / f"cache-{scale}"
    os.environ["ITREPORT_CACHE"] = str(cache)
    marks = timed_build(BuildOptions(content, work / f"html-{scale}", formats=("html",), jobs=1))
    for message, seconds in marks.items():
        rows.append(Row(scale, f"html build: {message}", seconds))
    board_html = next((work / f"html-{scale}").glob("board-*.html")).read_text(encoding="utf-8")

    if scale == "medium":
        roots = [DEFAULT_THEME]
        as_of = validate_folder(content).content.division.as_of  # type: ignore[union-attr]
        html_to_pdf(board_html, DEFAULT_THEME, roots, as_of)  # warm fonts and caches once
        # Processor time: on a shared machine, wall time mostly measures the other programs.
        pdf_ours = best(lambda: html_to_pdf(board_html, DEFAULT_THEME, roots, as_of), clock=time.process_time)
        pdf_bare = best(lambda: bare_weasyprint(board_html), clock=time.process_time)
        rows.append(
            Row(scale, "bare WeasyPrint, board HTML, PDF/A-2a tagged, CPU s: floor", pdf_bare, note=load())
        )
        rows.append(
            Row(scale, "itreport PDF stage, same HTML and options, CPU s", pdf_ours, pdf_bare, "÷ floor")
        )
        results["pdf_ratio"] = pdf_ours / pdf_bare
        # 11.4: seconds per page, against a plain table of as many rows and against typst.
        n = pages(bare_weasyprint(board_html))
        table_rows = max(1, board_html.count("<tr"))
        rows.append(Row(scale, f"  itreport PDF stage, CPU s per page ({n} pages)", pdf_ours / n))
        rows.append(Row(scale, "  bare WeasyPrint, CPU s per page, same HTML", pdf_bare / n))
        # As many pages as the board edition: a few pages would mostly time fonts and PDF/A.
        table_rows = table_rows * n // pages(bare_weasyprint(plain_table_html(table_rows)))
        plain = plain_table_html(table_rows)
        plain_pdf: list[bytes] = []
        plain_s = best(lambda: plain_pdf.append(bare_weasyprint(plain)), clock=time.process_time)
        plain_n = pages(plain_pdf[-1])
        rows.append(
            Row(
                scale,
                f"  bare WeasyPrint, CPU s/page, plain {table_rows}-row table ({plain_n} p.)",
                plain_s / plain_n,
            )
        )
        typst = typst_seconds(plain_table_typst(table_rows), work)
        if typst is None:
            rows.append(Row(scale, "  typst: not installed (pip install '.[bench]')", 0.0))
        else:
            rows.append(
                Row(
                    scale,
                    f"  typst, CPU s per page, the same plain table ({typst[1]} pages)",
                    typst[0] / typst[1],
                )
            )
            results["typst_page_seconds"] = typst[0] / typst[1]

        sequential, seq_err = cli(
            ["build", "content", "--out", "seq", "--jobs", "1"], repo, work / f"c1-{scale}"
        )
        parallel, par_err = cli(["build", "content", "--out", "par"], repo, work / f"c2-{scale}")
        same = all((repo / "seq" / p.name).read_bytes() == p.read_bytes() for p in (repo / "par").iterdir())
        seq_render, par_render = render_seconds(seq_err), render_seconds(par_err)
        rows.append(Row(scale, "CLI build, HTML + PDF, --jobs 1 (whole process)", sequential))
        rows.append(Row(scale, "CLI build, HTML + PDF, one worker per core", parallel, sequential, "÷ seq"))
        rows.append(Row(scale, "  render stage, sequential", seq_render))
        rows.append(
            Row(scale, "  render stage, parallel", par_render, seq_render, "same bytes" if same else "DIFFER")
        )
        results["parallel_speedup"] = seq_render / par_render if par_render else 0.0
        editions(scale, repo / "seq", work / f"c1-{scale}", rows)
        return

    memory: list[float] = []
    full, full_err = cli(["build", "content", "--out", "out"], repo, cache, memory)
    rows.append(Row(scale, "CLI build, HTML + PDF, one worker per core", full))
    rows.append(Row(scale, "  render stage", render_seconds(full_err), note=load()))
    editions(scale, repo / "out", cache, rows)
    results["peak_rss_mb"] = memory[0]
    rows.append(Row(scale, "  peak memory of the build, all its processes at once (MB)", memory[0]))
    noop = min(cli(["build", "content", "--out", "out"], repo, cache)[0] for _ in range(3))
    rows.append(Row(scale, "CLI build with nothing changed", noop))
    results["noop_seconds"] = noop
    rebuilds(scale, repo, cache, full, rows, results)


def rebuilds(
    scale: str, repo: Path, cache: Path, full: float, rows: list[Row], results: dict[str, float]
) -> None:
    """A session of uncommitted edits. The first puts the DRAFT mark on every page, so every
    edition is laid out again; the next, renaming one project, re-renders the editions whose view
    changed and lays out again only those whose HTML changed (the editions that show the project).
    Its floor is the layout seconds of those editions in the build before (one process)."""
    projects = sorted((repo / "content" / "projects").glob("*.yaml"))
    first = projects[0]
    first.write_text(first.read_text(encoding="utf-8") + "# an uncommitted edit\n", encoding="utf-8")
    memory: list[float] = []
    draft, _err = cli(["build", "content", "--out", "out"], repo, cache, memory)
    rows.append(
        Row(scale, "CLI rebuild, first uncommitted edit (DRAFT on every page)", draft, full, "÷ full")
    )
    # Knowing the layouts' seconds from the first build, this one starts the two longest side by
    # side: the worst case for memory. The line's peak_rss_mb is the larger of the two builds'.
    rows.append(Row(scale, "  peak memory of that rebuild, all its processes at once (MB)", memory[0]))
    results["peak_rss_mb"] = max(results.get("peak_rss_mb", 0.0), memory[0])
    os.environ["ITREPORT_CACHE"] = str(cache)
    before = {
        e: EditionRecords(repo / "out").pdf_seconds(e) or 0.0 for e in EditionRecords(repo / "out").entries
    }
    project = projects[len(projects) // 2]
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("\nname: ", "\nname: Renamed ", 1), encoding="utf-8")
    if project.read_text(encoding="utf-8") == text:
        raise SystemExit(f"bench: could not edit {project}")
    edit, edit_err = cli(["build", "content", "--out", "out"], repo, cache)
    laid_out = [e for e in re.findall(r"^itreport: rendered (\S+) \(\d", edit_err, flags=re.M) if e in before]
    floor = sum(before[e] for e in laid_out)
    shown = ", ".join(laid_out) or "none"
    rows.append(
        Row(scale, f"CLI rebuild after renaming {project.stem}", edit, floor or None, f"÷ layouts of {shown}")
    )
    rows.append(Row(scale, "  of which render stage", render_seconds(edit_err), note=load()))
    results["edit_seconds"] = edit
    if floor:
        results["edit_ratio"] = edit / floor


def editions(scale: str, out: Path, cache: Path, rows: list[Row]) -> None:
    """Each edition's PDF layout (seconds as recorded by the build, pages), and the speed-up on
    two cores that the slowest edition leaves when the layouts are handed out longest first."""
    os.environ["ITREPORT_CACHE"] = str(cache)
    records = EditionRecords(out)
    seconds = []
    for pdf in sorted(out.glob("*.pdf")):
        edition = next(e for e, entry in records.entries.items() if pdf.name in entry.get("files", {}))
        took = records.pdf_seconds(edition) or 0.0
        n = pages(pdf.read_bytes())
        seconds.append(took)
        rows.append(Row(scale, f"  PDF layout, {edition} ({n} pages, {took / n:.3f} s/page)", took))
    if seconds:
        bound = sum(seconds) / longest_first(seconds, 2)
        rows.append(
            Row(
                scale,
                "  two-core speed-up these layouts allow (longest first)",
                bound,
                note="bound, not timed",
            )
        )


def main(argv: list[str]) -> int:
    """`python bench/run.py [medium|large ...]`: every scale by default, else only those named."""
    scales = [a for a in argv if a in ("medium", "large")] or ["medium", "large"]
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="itreport-bench-"))
    rows = Table()
    results: dict[str, float] = {}
    print(f"{'scale':7} {'stage':58} {'seconds':>8} {'floor':>8} {'ratio':>6}  note", flush=True)
    try:
        for scale in scales:
            measure(scale, work, rows, results)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"(bench ran {time.perf_counter() - started:.0f} s on {os.cpu_count()} cores; {load()})")
    keys = {
        "load_ratio": ("large_load_ratio", ".2f"),
        "pdf_ratio": ("pdf_ratio", ".2f"),
        "parallel_speedup": ("parallel_speedup", ".2f"),
        "noop_seconds": ("noop_seconds", ".2f"),
        "edit_seconds": ("edit_seconds", ".1f"),
        "edit_ratio": ("edit_ratio", ".2f"),
        "peak_rss_mb": ("peak_rss_mb", ".0f"),
        "typst_page_seconds": ("typst_page_seconds", ".4f"),
        "one_file_ms": ("large_one_file_ms", ".1f"),
        "preview_seconds": ("large_preview_seconds", ".2f"),
    }
    shown = [
        f"{name}={results[key]:{spec}}" if key in results else f"{name}=n/a"
        for name, (key, spec) in keys.items()
    ]
    print("bench: " + " ".join(shown))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
