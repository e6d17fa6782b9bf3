"""A larger division for layout tests: the example with every project repeated.

Long tables, long milestone lists and long exception lists are where page layout breaks first
(tables split over pages, charts that grow with the data). Repeating each project file with a new
id and name gives a valid division with `copies` times the projects, milestones, risks and issues,
while people, teams and budget stay as they are.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ID_LINE = re.compile(r"^id: (?P<id>\S+)$", re.MULTILINE)
NAME_LINE = re.compile(r"^name: (?P<name>.+)$", re.MULTILINE)


def scale_division(source: Path, dest: Path, copies: int) -> Path:
    """Copy `source` to `dest` with each project present `copies` times; returns `dest`."""
    shutil.copytree(source, dest)
    for project in sorted((dest / "projects").glob("*.yaml")):
        text = project.read_text(encoding="utf-8")
        match = ID_LINE.search(text)
        if match is None:
            continue
        for k in range(2, copies + 1):
            copy = ID_LINE.sub(f"id: {match['id']}-{k}", text, count=1)
            copy = NAME_LINE.sub(lambda m, k=k: f"name: {m['name'].rstrip()} (wave {k})", copy, count=1)
            (project.parent / f"{project.stem}-{k}.yaml").write_text(copy, encoding="utf-8")
    return dest
