"""Which of the file watcher's reports can matter to a build.

watchfiles' default filter drops editors' own files (swap files, backups, lock files), which is
right, and also everything in a folder named `.git`, `.venv`, `node_modules`, `__pycache__` and
the like anywhere on the path, even above the watched folder: a content folder kept under
`~/node_modules/board/` was never followed at all, and a YAML file in `content/.venv/`, which
the build reads, was not either. Here folder names count only below the watched folder, and a
YAML name (as the listing sees it: case and trailing spaces aside) always counts.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from watchfiles import Change, DefaultFilter

EDITOR_FILES = tuple(re.compile(pattern) for pattern in DefaultFilter.ignore_entity_patterns)
TOOL_FOLDERS = frozenset(DefaultFilter.ignore_dirs)
YAML = (".yaml", ".yml")


class Relevant:
    """A watchfiles filter for the folders a preview follows (see the module's docstring)."""

    def __init__(self, folders: Iterable[Path]) -> None:
        self.roots = tuple(os.path.abspath(folder).rstrip(os.sep) + os.sep for folder in folders)

    def __call__(self, change: Change, path: str) -> bool:
        name = os.path.basename(path)
        if any(pattern.search(name) for pattern in EDITOR_FILES):
            return False
        if name.rstrip().lower().endswith(YAML):
            return True
        below = next((path[len(root) :] for root in self.roots if path.startswith(root)), path)
        return not any(part in TOOL_FOLDERS for part in below.split(os.sep))
