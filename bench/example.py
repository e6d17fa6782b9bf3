"""Performance targets for itreport, measured on the example division (`make bench`, first part).

Each target is a median over several runs, in seconds, on the project's 2-core reference
machine. Exits 1 when a target is missed. Timings never go into the test suite.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from itreport.build import BuildOptions, build
    from itreport.load import FolderSource
    from itreport.validate import validate

    out = Path(tempfile.mkdtemp(prefix="itreport-bench-"))
    runs = iter(range(1_000))

    def fresh(name: str) -> Path:
        """A new output folder each run: in the same one, an unchanged edition is not rebuilt."""
        return out / f"{name}-{next(runs)}"

    cli = [sys.executable, "-m", "itreport"]
    checks: list[tuple[str, float, float]] = [
        (
            "validate example content (library)",
            median_seconds(lambda: validate(FolderSource(CONTENT)), 7),
            0.25,
        ),
        (
            "itreport validate content (CLI process, incl. start-up)",
            median_seconds(lambda: subprocess.run([*cli, "validate", str(CONTENT)], capture_output=True), 5),
            0.9,
        ),
        (
            "build HTML, all editions",
            median_seconds(lambda: build(BuildOptions(CONTENT, fresh("html"), formats=("html",))), 3),
            2.0,
        ),
        (
            "build HTML + PDF, all editions",
            median_seconds(lambda: build(BuildOptions(CONTENT, fresh("all"))), 2),
            30.0,
        ),
    ]
    build(BuildOptions(CONTENT, out / "all"))
    checks.append(("stamp one personal copy of the board PDF", _stamp_seconds(out / "all"), 1.5))
    failed = 0
    print(f"{'measure':58} {'median':>9} {'target':>9}")
    for name, seconds, target in checks:
        ok = seconds <= target
        failed += not ok
        print(f"{name:58} {seconds:8.3f}s {target:8.3f}s {'ok' if ok else 'MISSED'}")
    return 1 if failed else 0


def _stamp_seconds(built: Path) -> float:
    """Per copy, as `distribute` pays it: the page layout is read once per edition, then each copy
    is an overlay render, a merge and a write (the uncached function, so every run does the work)."""
    from datetime import date

    from itreport.publish.watermark import layout, stamp_pdf

    pdf = (built / "board-2026-10.pdf").read_bytes()
    layout(pdf)
    return median_seconds(
        lambda: stamp_pdf(
            pdf,
            "Personal copy for Eva Lindqvist · copy ABCD-EFGH",
            "ABCD-EFGH",
            "Eva Lindqvist",
            lang="en",
            as_of=date(2026, 10, 31),
        ),
        5,
    )


if __name__ == "__main__":
    raise SystemExit(main())
