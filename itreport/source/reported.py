"""Whether what a file watcher reported can change a folder's listing.

A preview whose watcher reports every change takes the files it did not name from its last
build; that holds only while the set of files stays the same. A report that adds, removes or
renames a file the listing would hold, or touches a folder or a link, means walking the folder.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable


def entry_path(path: str) -> str:
    """A path with its folders resolved but not its last part: where a listed file is, as
    `FolderSource.real` names it (a link is named as itself, not as its target)."""
    absolute = os.path.abspath(path)
    head, tail = os.path.split(absolute)
    return os.path.join(os.path.realpath(head), tail) if tail else os.path.realpath(absolute)


def changes_listing(
    reported: Iterable[str], base: str, listing: tuple[list[str], list[str]], suffixes: tuple[str, ...]
) -> bool:
    """True when a reported path may add to, remove from or change the kind of an entry in
    `listing` (the files and misnamed files of the folder whose resolved root is `base`, with a
    trailing separator). Reported paths are entry paths (`entry_path`); those
    outside the folder do not concern it.

    Looked at on disk, so the answer is right whatever the event was called: an editor's save
    is reported as a removal, a creation and a change in some order.
    """
    files, misnamed = listing
    listed: set[str] | None = None
    for path in reported:
        if path + os.sep == base:
            return True  # the folder itself
        if not path.startswith(base):
            continue
        rel = path[len(base) :].replace(os.sep, "/")
        if listed is None:
            listed = set(files) | set(misnamed)
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            # Gone: it mattered if it was listed, or a folder that held listed files.
            prefix = rel + "/"
            if rel in listed or any(entry.startswith(prefix) for entry in listed):
                return True
            continue
        except OSError:
            return True
        if stat.S_ISDIR(st.st_mode) or stat.S_ISLNK(st.st_mode):
            return True  # a folder (new entries, or unlisted) or a link (listed, refused or not)
        if rel in listed:
            if not stat.S_ISREG(st.st_mode) and rel in files:
                return True
            continue
        name = rel.rsplit("/", 1)[-1]
        if name.rstrip().lower().endswith(suffixes):  # listed, or said to be misnamed
            return True  # a file the listing would hold: new
    return False
