"""The preview trusts its file watcher's report on a local file system, and catches what it missed.

With native events on a local file system, `itreport serve` takes every file the watcher did not
name from its last build without looking at it (`itreport.content._records`). These tests hold
that to its limits: a report that can change the listing makes the build walk the folder; a
watcher that lost an event is caught right after the build; and network or shared file systems
are never trusted.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import watchfiles

from itreport import serve
from itreport.content import stale_rounds
from itreport.load import FolderSource, ParseMemo, remembering
from itreport.serve.localfs import events_complete, mount_types, type_of
from itreport.serve.preview import Preview, PreviewOptions, first_edition
from itreport.source.reported import changes_listing, entry_path
from itreport.validate import validate_folder

from .conftest import REPO

SUFFIXES = (".yaml", ".yml")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(REPO / "tests" / "fixtures" / "minimal", folder)
    return folder


def _listing(folder: Path) -> tuple[str, tuple[list[str], list[str]]]:
    source = FolderSource(folder)
    return source.base, source.listing()


def test_a_report_changes_the_listing_only_when_a_listed_name_could_come_or_go(content: Path) -> None:
    base, listing = _listing(content)
    alpha = content / "projects" / "alpha.yaml"

    def changes(*paths: Path | str) -> bool:
        return changes_listing([entry_path(str(p)) for p in paths], base, listing, SUFFIXES)

    alpha.write_text(alpha.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert not changes(alpha)  # a listed file saved
    assert not changes(content.parent / "elsewhere.yaml")  # outside the folder
    swap = content / "projects" / ".alpha.yaml.swp"
    swap.write_bytes(b"x")
    assert not changes(swap)  # an editor's own file
    swap.unlink()
    assert not changes(swap)  # ... and gone again
    assert not changes(content / "projects" / "4913")  # vim's probe, already gone

    new = content / "projects" / "gamma.yaml"
    new.write_text("id: gamma\n", encoding="utf-8")
    assert changes(new)  # a new content file
    new.unlink()
    shout = content / "projects" / "gamma.YAML "
    shout.write_text("id: gamma\n", encoding="utf-8")
    assert changes(shout)  # a misnamed one, which is said
    shout.unlink()
    beta = content / "projects" / "beta.yaml"
    beta.unlink()
    assert changes(beta)  # a listed file removed
    (content / "later").mkdir()
    assert changes(content / "later")  # a folder: what it holds is not known
    (content / "later").rmdir()
    (content / "link").symlink_to("/")
    assert changes(content / "link")  # a link, even without a YAML name: links are refused
    assert changes(content)  # the folder itself


def test_a_removed_folder_changes_the_listing_when_it_held_listed_files(content: Path) -> None:
    base, listing = _listing(content)
    shutil.rmtree(content / "projects")
    assert changes_listing([entry_path(str(content / "projects"))], base, listing, SUFFIXES)
    assert not changes_listing([entry_path(str(content / "empty-gone"))], base, listing, SUFFIXES)


MOUNTINFO = """\
22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
40 27 0:50 / /srv/team\\040share rw,relatime - nfs4 server:/share rw
41 27 0:51 / /home/me/fuse rw - fuse.sshfs me@host: rw
42 27 0:52 / /tmp rw - tmpfs tmpfs rw
43 42 0:53 / /tmp/nfs rw - nfs server:/x rw
"""


def test_mount_types_read_escaped_mount_points_and_the_innermost_mount() -> None:
    mounts = mount_types(MOUNTINFO + "garbage line\n")
    assert mounts["/srv/team share"] == "nfs4"
    assert type_of("/srv/team share/content/projects", mounts) == "nfs4"
    assert type_of("/work/content", mounts) == "ext4"
    assert type_of("/tmp/content", mounts) == "tmpfs"
    assert type_of("/tmp/nfs/content", mounts) == "nfs"


def test_only_local_file_systems_are_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    info = tmp_path / "mountinfo"
    info.write_text(MOUNTINFO, encoding="utf-8")
    monkeypatch.delenv("WATCHFILES_FORCE_POLLING", raising=False)
    monkeypatch.setattr("platform.release", lambda: "6.1.0")
    assert events_complete([Path("/work/content"), Path("/tmp/templates")], info, tmp_path)
    assert not events_complete([Path("/work/content"), Path("/srv/team share/templates")], info, tmp_path)
    assert not events_complete([Path("/home/me/fuse/content")], info, tmp_path)
    assert not events_complete([Path("/work/content")], tmp_path / "no-mountinfo", tmp_path)
    # `tmp_path` stands for /proc/sys/fs/inotify elsewhere; without it (a kernel without
    # inotify) watchfiles falls back to polling without a word.
    assert not events_complete([Path("/work/content")], info, tmp_path / "no-inotify")
    monkeypatch.setattr("platform.release", lambda: "5.15.90.1-microsoft-standard-WSL2")
    assert not events_complete([Path("/work/content")], info, tmp_path)  # watchfiles polls under WSL
    monkeypatch.setattr("platform.release", lambda: "6.1.0")
    monkeypatch.setenv("WATCHFILES_FORCE_POLLING", "1")
    assert not events_complete([Path("/work/content")], info, tmp_path)


def test_a_share_mounted_inside_a_local_folder_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another machine's writes to `content/projects` on NFS pass inotify by, though `content`
    itself is on a local disk: the preview must look at every file there."""
    info = tmp_path / "mountinfo"
    info.write_text(
        MOUNTINFO
        + "50 27 0:60 / /work/content/projects rw shared:7 - nfs4 server:/projects rw\n"
        + "51 27 0:61 / /work/templates/cache rw - tmpfs tmpfs rw\n"
        + "52 27 0:62 / /work/content-old rw - cifs //server/old rw\n",
        encoding="utf-8",
    )
    monkeypatch.delenv("WATCHFILES_FORCE_POLLING", raising=False)
    monkeypatch.setattr("platform.release", lambda: "6.1.0")
    assert not events_complete([Path("/work/content")], info, tmp_path)
    assert not events_complete([Path("/work/templates"), Path("/work/content/")], info, tmp_path)
    assert events_complete([Path("/work/templates")], info, tmp_path)  # a local file system inside: fine
    assert events_complete([Path("/work/content/budget")], info, tmp_path)  # beside the share, not over it


def test_a_file_changed_without_a_report_is_found_after_the_build(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lost event (inotify's queue overflowed) leaves the trusted build stale for a moment:
    `stale_rounds` sees it, and a build that looks at every file catches up."""
    monkeypatch.setattr("itreport.content.settled", lambda stamp, seen_ns: True)  # files of old
    memo = ParseMemo()
    with remembering(memo):
        validate_folder(content)
    assert not stale_rounds(memo)
    beta = content / "projects" / "beta.yaml"
    beta.write_text(beta.read_text(encoding="utf-8").replace("name: Beta rollout", "name: Beta x"))
    memo.suspect([], complete=True)  # the watcher said nothing
    with remembering(memo):
        validate_folder(content)
        assert memo.parsed == []  # trusted: beta was not looked at
    assert stale_rounds(memo)
    with remembering(memo):
        validate_folder(content)  # no report: every file is looked at
        assert memo.parsed == [str(content / "projects" / "beta.yaml")]
    assert not stale_rounds(memo)
    (content / "projects" / "gamma.yaml").write_text("id: gamma\n", encoding="utf-8")
    assert stale_rounds(memo)  # a file that appeared


def test_a_file_written_twice_within_a_tick_is_read_again_without_a_report(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two writes of the same size within one tick of the file system's clock can leave a file's
    stamp as it was. The stamp-based memo reads such a file again until its stamp is two seconds
    old; a trusted build must too, or a lost event hides the second write for good (the check
    after the build compares stamps, which did not move)."""
    beta = content / "projects" / "beta.yaml"
    real_stamp = FolderSource.stamp
    frozen: dict[str, Any] = {}

    def stamp(self: FolderSource, rel: str) -> Any:
        found = real_stamp(self, rel)
        return frozen.setdefault(rel, found) if rel == "projects/beta.yaml" else found

    monkeypatch.setattr(FolderSource, "stamp", stamp)  # the second write within the same tick
    memo = ParseMemo()
    with remembering(memo):
        validate_folder(content)
    beta.write_text(
        beta.read_text(encoding="utf-8").replace("Beta rollout", "Beta restart"), encoding="utf-8"
    )
    memo.suspect([], complete=True)  # its event was lost
    with remembering(memo):
        result = validate_folder(content)
    assert result.content is not None
    assert "Beta restart" in [project.name for project in result.content.projects]
    assert not stale_rounds(memo)


def _watch_with(batches: Any, preview: Preview, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Runs the preview's watch loop over made-up watcher batches; returns what it said."""
    monkeypatch.setattr(watchfiles, "watch", batches)
    monkeypatch.setattr(serve, "events_complete", lambda folders: True)
    said: list[str] = []
    serve.watch(preview, threading.Event(), said.append, threading.Event())
    return said


def test_the_preview_builds_again_when_its_watcher_lost_an_event(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alpha = content / "projects" / "alpha.yaml"
    beta = content / "projects" / "beta.yaml"

    def batches(*folders: Path, **options: Any) -> Iterator[set[tuple[watchfiles.Change, str]]]:
        yield set()  # the watcher is in place
        beta.write_text(beta.read_text(encoding="utf-8").replace("name: Beta rollout", "name: Lost event"))
        alpha.write_text(alpha.read_text(encoding="utf-8").replace("name: Alpha platform", "name: Seen"))
        yield {(watchfiles.Change.modified, str(alpha))}  # beta's event was lost

    preview = Preview(PreviewOptions(content))
    try:
        said = _watch_with(batches, preview, monkeypatch)
        assert len(said) == 2 and all(line.startswith(("built", "rebuilt")) for line in said), said
        assert "Seen" in preview.current.body and "Lost event" in preview.current.body
    finally:
        preview.close()


def test_a_page_built_from_a_stale_record_is_never_published(content: Path) -> None:
    """The trusted rebuild itself catches a lost event, under its lock, before it publishes:
    checked afterwards, a print preview built in between (it looks at every file and keeps
    what it saw) hid the stale page from the check, which then stayed up until the next save."""
    alpha = content / "projects" / "alpha.yaml"
    beta = content / "projects" / "beta.yaml"
    preview = Preview(PreviewOptions(content))
    try:
        preview.rebuild()
        beta.write_text(beta.read_text(encoding="utf-8").replace("name: Beta rollout", "name: Lost event"))
        alpha.write_text(alpha.read_text(encoding="utf-8").replace("name: Alpha platform", "name: Seen"))
        page = preview.rebuild([str(alpha)], complete=True)  # beta's event was lost
        assert "Seen" in page.body and "Lost event" in page.body
        assert preview.version == 2  # one page per save: the stale one was never shown
        assert not stale_rounds(preview.parses)
    finally:
        preview.close()


def test_a_link_created_under_a_trusting_preview_is_refused(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new entry is never taken from the last listing: a link to a secret made between two
    builds is refused, not skipped."""
    secret = content.parent / "secret.yaml"
    secret.write_text("salary: 99999\n", encoding="utf-8")
    link = content / "projects" / "leak.yaml"

    def batches(*folders: Path, **options: Any) -> Iterator[set[tuple[watchfiles.Change, str]]]:
        yield set()
        os.symlink(secret, link)
        yield {(watchfiles.Change.added, str(link))}

    preview = Preview(PreviewOptions(content))
    try:
        _watch_with(batches, preview, monkeypatch)
        assert not preview.current.ok
        assert "leak.yaml" in preview.current.body and "99999" not in preview.current.body
    finally:
        preview.close()


def test_the_previewed_edition_is_never_read_through_a_link_out_of_the_content(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`briefings.yaml` is looked at, then read: a link put in its place in between (here: a
    check that does not see it) must not be followed out of the content folder."""
    secret = content.parent / "elsewhere.yaml"
    secret.write_text("editions:\n  - id: read-from-outside\n", encoding="utf-8")
    (content / "briefings.yaml").unlink(missing_ok=True)
    (content / "briefings.yaml").symlink_to(secret)
    monkeypatch.setattr(Path, "is_symlink", lambda self: False)  # swapped in after the check
    assert first_edition(content) is None
