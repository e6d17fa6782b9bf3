"""A worker lays out each PDF in a child process, whose memory all goes back when it ends."""

from __future__ import annotations

import os
import signal
import threading
import warnings
from datetime import date
from pathlib import Path

import pytest

from itreport.render import layout as layout_module
from itreport.render.layout import CHILD_LAYOUTS, CHILD_NAME, Layout, Rendered, lay_out, lay_out_in_worker
from itreport.render.theme import DEFAULT_THEME

pytestmark = pytest.mark.skipif(not CHILD_LAYOUTS, reason="child layouts need fork and PR_SET_PDEATHSIG")

HTML = b'<html lang="en"><head><title>t</title></head><body><h1>Budget</h1><p>Within plan.</p></body></html>'
TASK = Layout("board", HTML, (DEFAULT_THEME,), date(2026, 10, 31), None, "renderer")


def test_the_child_gives_the_same_pdf_and_leaves_nothing_behind() -> None:
    here = lay_out(TASK)
    there = lay_out_in_worker(TASK)
    assert there.pdf is not None and there.pdf.startswith(b"%PDF")
    assert there.pdf == here.pdf and there.html == HTML and there.error is None
    assert there.pdf_source == here.pdf_source and there.warnings == here.warnings
    assert _children_named(CHILD_NAME) == []  # the child ended and was collected: no zombie


def _children_named(name: bytes) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_bytes()
            except OSError:
                continue
            comm, _, rest = stat.partition(b") ")
            if comm.split(b"(", 1)[1] == name and int(rest.split()[1]) == os.getpid():
                found.append(int(entry.name))
    return found


def test_a_child_killed_mid_layout_is_the_editions_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """The kernel's out-of-memory killer picks the largest process: the child laying out."""

    def killed(_task: Layout) -> Rendered:
        os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError("not reached")

    monkeypatch.setattr(layout_module, "lay_out", killed)
    result = lay_out_in_worker(TASK)
    assert result.pdf is None
    assert result.error == (
        "edition 'board': the process laying out its PDF ended unexpectedly (killed, out of "
        "memory, or crashed); try again, or with --jobs 1"
    )


def test_a_child_that_fails_never_returns_into_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the child raises, it exits: returning would make it a second worker."""
    parent = os.getpid()

    def broken(_task: Layout) -> Rendered:
        raise KeyboardInterrupt  # not an Exception: `lay_out` lets it through

    monkeypatch.setattr(layout_module, "lay_out", broken)
    result = lay_out_in_worker(TASK)
    assert os.getpid() == parent  # only the worker came back
    assert result.error is not None and "ended unexpectedly" in result.error


def test_a_worker_with_its_watch_thread_forks_without_a_warning() -> None:
    """A worker has a second thread (it watches the build). Python 3.12 and later warn when such a
    process forks; under `-W default` every layout would print that warning into the build's
    output. (Python 3.11 does not warn: there this only checks the layout.)"""
    stop = threading.Event()
    watcher = threading.Thread(target=stop.wait, daemon=True)
    watcher.start()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = lay_out_in_worker(TASK)
    finally:
        stop.set()
    assert result.error is None and result.pdf is not None
    assert [w for w in caught if issubclass(w.category, DeprecationWarning)] == []


def test_the_fork_server_takes_a_client_that_left_for_an_aborted_connection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker killed while the build starts another leaves a half-made request: CPython's fork
    server ended with an EOFError traceback under the build's error. Its loop ignores aborted
    connections; the patch (applied only inside the fork server) makes that one of them."""
    import errno
    import socket
    from multiprocessing import reduction

    monkeypatch.setattr(reduction, "recvfds", reduction.recvfds)  # undone after the test
    layout_module._quiet_fork_server()
    server, client = socket.socketpair(socket.AF_UNIX)
    client.close()  # left before sending anything
    with server, pytest.raises(ConnectionAbortedError) as raised:
        reduction.recvfds(server, 4)
    assert raised.value.errno == errno.ECONNABORTED
    assert not layout_module._in_fork_server()  # imported by pytest, not by a fork server
