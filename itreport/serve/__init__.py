"""`itreport serve`: a live preview of one edition that rebuilds on save and reloads the page.

The watcher (watchfiles, native file events) follows the content, template and private folders;
each change rebuilds the edition's HTML through the normal build, and open pages reload through
server-sent events. See `preview` for the state and `server` for the HTTP side.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from itreport.serve.localfs import events_complete
from itreport.serve.preview import Preview, PreviewOptions
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
    """Every file's path, modification time and size: what a rebuild saw."""
    seen = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            try:
                st = path.lstat()
            except OSError:
                continue
            seen.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(seen)


def watch(
    preview: Preview, stop: threading.Event, on_build: Callable[[str], None], ready: threading.Event
) -> None:
    """Rebuild after every burst of changes until `stop` is set.

    The watcher is in place once the first (possibly empty) batch arrives; an edit saved between
    the first build and that moment is caught by comparing the files with what that build saw.
    """
    from watchfiles import watch as file_changes

    folders = watched_folders(preview.options)
    complete = events_complete(folders)
    before = fingerprint(folders)
    page = preview.rebuild()
    on_build(f"built in {page.seconds:.2f} s" if page.ok else "problems: the page lists them")
    for changes in file_changes(
        *folders,
        debounce=DEBOUNCE_MS,
        step=STEP_MS,
        stop_event=stop,
        yield_on_timeout=True,
        rust_timeout=READY_PROBE_MS,
    ):
        if not ready.is_set():
            ready.set()
            if not changes and fingerprint(folders) == before:
                continue
        elif not changes:
            continue
        page = preview.rebuild((path for _change, path in changes), complete=complete and bool(changes))
        if complete and preview.missed():
            # The watcher lost an event (its queue overflowed): build again, looking at every file.
            page = preview.rebuild()
        on_build(f"rebuilt in {page.seconds:.2f} s" if page.ok else "problems: the page lists them")


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
