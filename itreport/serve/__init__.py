"""`itreport serve`: a live preview of one edition that rebuilds on save and reloads the page.

The watcher (watchfiles, native file events) follows the content, template and private folders;
each change rebuilds the edition's HTML through the normal build, and open pages reload through
server-sent events. See `preview` for the state and `server` for the HTTP side.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path

from itreport.serve.localfs import events_complete
from itreport.serve.preview import Preview, PreviewOptions
from itreport.serve.relevant import Relevant
from itreport.serve.server import PreviewServer

# Milliseconds: how long to gather a burst of file events (an editor's save is several) and how
# often to look. Small, so an edit shows well inside half a second.
DEBOUNCE_MS = 30
STEP_MS = 10
# How often the watcher wakes without events; its first wake-up says it is in place.
READY_PROBE_MS = 200


def watched_folders(options: PreviewOptions) -> list[Path]:
    from itreport.build import default_templates

    templates = options.templates or default_templates(options.content)
    return [p for p in (options.content, templates, options.private) if p is not None and p.is_dir()]


def fingerprint(folders: list[Path]) -> tuple[tuple[str, int, int], ...]:
    """Every file's path, modification time and size: what a rebuild saw. A folder that goes
    away or cannot be listed meanwhile is passed over (the build says what is wrong with it)."""
    seen = []
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for name in sorted(dirnames + filenames):
                path = os.path.join(dirpath, name)
                try:
                    st = os.lstat(path)
                except OSError:
                    continue
                seen.append((path, st.st_mtime_ns, st.st_size))
    return tuple(seen)


def identities(folders: list[Path]) -> tuple[tuple[int, int] | None, ...]:
    """Which folder each path is (device and inode; None while there is none): a watcher follows
    the folder it was given, so one removed and made again, or swapped by a rename, is not."""
    found: list[tuple[int, int] | None] = []
    for folder in folders:
        try:
            st = os.stat(folder)
        except OSError:
            found.append(None)
            continue
        found.append((st.st_dev, st.st_ino) if stat.S_ISDIR(st.st_mode) else None)
    return tuple(found)


MAX_WATCHER_FAILURES = 3
"""Watchers in a row that fail before reporting anything: then the preview stops following edits."""


def watch(
    preview: Preview, stop: threading.Event, on_build: Callable[[str], None], ready: threading.Event
) -> None:
    """Rebuild after every burst of changes until `stop` is set.

    The watcher is in place once the first (possibly empty) batch arrives; an edit saved between
    the first build and that moment is caught by comparing the files with what that build saw.
    A watcher that fails once it is running (watchfiles gives up on a file name that is not
    UTF-8), or whose folder was removed and made again, is replaced by a new one, after a build
    that looks at every file: whatever the old one had not yet reported is lost.
    """
    failures = 0
    while not stop.is_set():
        folders = watched_folders(preview.options)
        followed = [preview.options.content, *folders]
        where = identities(followed)
        reported = threading.Event()
        try:
            reason = _follow(preview, stop, on_build, ready, folders, where, reported)
        except RuntimeError as exc:  # watchfiles' WatchfilesRustInternalError
            failures = 0 if reported.is_set() else failures + 1
            if failures >= MAX_WATCHER_FAILURES:
                raise
            reason = f"{type(exc).__name__}: {exc}"
        if reason is None:
            return
        on_build(f"watching the folders again ({reason})")


def _follow(
    preview: Preview,
    stop: threading.Event,
    on_build: Callable[[str], None],
    ready: threading.Event,
    folders: list[Path],
    where: tuple[tuple[int, int] | None, ...],
    reported: threading.Event,
) -> str | None:
    """One watcher's life: build, then rebuild after each burst of changes. Returns None once
    `stop` is set, or why the folders must be watched anew; `reported` is set once the watcher
    is in place."""
    from watchfiles import Change
    from watchfiles import watch as file_changes

    complete = events_complete(folders)
    before = fingerprint(folders)
    page = preview.rebuild()
    on_build(f"built in {page.seconds:.2f} s" if page.ok else "problems: the page lists them")
    first = True
    followed = [preview.options.content, *folders]
    roots = {os.path.abspath(folder) for folder in folders}
    for changes in file_changes(
        *folders,
        watch_filter=Relevant(folders),
        debounce=DEBOUNCE_MS,
        step=STEP_MS,
        stop_event=stop,
        yield_on_timeout=True,
        rust_timeout=READY_PROBE_MS,
    ):
        if first:
            first = False
            reported.set()
            ready.set()
            if not changes and fingerprint(folders) == before:
                continue
        elif not changes:
            if identities(followed) != where:
                return "a watched folder was removed or replaced"
            continue
        page = preview.rebuild((path for _change, path in changes), complete=complete and bool(changes))
        on_build(f"rebuilt in {page.seconds:.2f} s" if page.ok else "problems: the page lists them")
        # A folder made again at once can get the removed one's inode back: its removal says it.
        if any(change == Change.deleted and os.path.abspath(path) in roots for change, path in changes):
            return "a watched folder was removed"
    return None


def _watch_guarded(
    preview: Preview, stop: threading.Event, on_build: Callable[[str], None], ready: threading.Event
) -> None:
    """The watcher thread: if watching itself fails (say, the system's limit of watched folders),
    the preview keeps serving the last page and says why it no longer follows edits."""
    try:
        watch(preview, stop, on_build, ready)
    except Exception as exc:
        on_build(f"stopped following edits: {type(exc).__name__}: {exc}")
    finally:
        ready.set()


def start(
    options: PreviewOptions, port: int, on_build: Callable[[str], None]
) -> tuple[PreviewServer, threading.Thread]:
    """Build once, then serve and watch in background threads; returns the server and the watcher."""
    preview = Preview(options)
    server = PreviewServer(preview, port)
    ready = threading.Event()
    watcher = threading.Thread(
        target=_watch_guarded, args=(preview, server.stopping, on_build, ready), daemon=True
    )
    watcher.start()
    ready.wait(timeout=120)  # the first build, then the watcher in place: only then serve
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, watcher


def stop(server: PreviewServer, watcher: threading.Thread) -> None:
    server.stopping.set()
    with server.preview.changed:
        server.preview.changed.notify_all()
    server.shutdown()
    server.server_close()
    watcher.join(timeout=5)
    server.preview.close()
