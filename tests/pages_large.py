"""The page check on the large generated division, every edition, English and Swedish.

`make pages-large` (also run by `make bench`): generates `itreport demo --scale large` (2,000
people, 400 projects), builds every edition in both languages and runs the page check
(tests/pagecheck.py) on each PDF. It prints the pages per edition and every finding, and exits 1
on any finding. It takes minutes, so it is not part of `make test`; `tests/test_pages.py` checks
the large division's board edition there.

    python -m tests.pages_large [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.divisions import LOCALES, localised, page_count
from tests.pagecheck import check_pdf, report


def build(content: Path, out: Path, *extra: str) -> None:
    command = [sys.executable, "-m", "itreport", "build", str(content), "--out", str(out), *extra]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{content}: build failed\n{done.stdout}\n{done.stderr}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="Folder to keep the divisions and PDFs in.")
    args = parser.parse_args(argv)
    root = args.keep or Path(tempfile.mkdtemp(prefix="itreport-pages-large-"))
    try:
        source = root / "large"
        if not source.exists():
            demo = [sys.executable, "-m", "itreport", "demo", str(source), "--scale", "large"]
            subprocess.run(demo, check=True, capture_output=True)
        problems: list[str] = []
        for locale in LOCALES:
            content = localised(source, root / f"large-{locale}", locale)
            out = root / f"out-{locale}"
            build(content, out)
            for pdf in sorted(out.glob("*.pdf")):
                lines = report(f"large/{locale[:2]}/{pdf.stem}", check_pdf(pdf))
                problems += lines
                print(f"large/{locale[:2]}/{pdf.stem}: {page_count(pdf)} pages, {len(lines)} finding(s)")
        print("\n".join(problems) if problems else "page check: no findings")
        return 1 if problems else 0
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
