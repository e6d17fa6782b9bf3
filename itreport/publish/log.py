"""output/distribution.jsonl: an append-only record of every personal copy written or sent.

One JSON object per line, appended and flushed to disk one line at a time, never rewritten, so the
record survives a crash mid-run and later runs can only add to it. Reading skips lines that are not
complete JSON objects (a line cut off by a crash) instead of failing.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LOG_NAME = "distribution.jsonl"


@dataclass(frozen=True)
class Entry:
    event: str
    """'written' (the copy was put in the outbox) or 'sent' (the mail server accepted it)."""
    time: str
    recipient: str
    name: str
    email: str
    edition: str
    copy_id: str
    file: str
    sha256: str
    """Of the file as delivered (encrypted, if it was)."""
    plain_sha256: str
    """Of the stamped copy before encryption: reproducible from the same build and recipient."""
    source_sha256: str
    """Of the built PDF the copy was made from (manifest.json)."""
    commit: str | None
    as_of: str
    draft: bool
    encrypted: bool
    message_id: str


def append(out: Path, entries: list[Entry]) -> None:
    """Add entries at the end of the log; each line reaches the disk before the next is written."""
    if not entries:
        return
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out / LOG_NAME, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        for entry in entries:
            line = json.dumps(entry.__dict__, ensure_ascii=False, sort_keys=True) + "\n"
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
    finally:
        os.close(fd)


def read(out: Path) -> list[Entry]:
    path = out / LOG_NAME
    if not path.is_file():
        return []
    entries: list[Entry] = []
    names = set(Entry.__dataclass_fields__)
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            data: Any = json.loads(line)
        except ValueError:
            continue
        if isinstance(data, dict) and set(data) == names:
            entries.append(Entry(**data))
    return entries


def sent_before(entries: list[Entry]) -> dict[str, Entry]:
    """The first 'sent' entry per copy id: what --resend must be asked for."""
    found: dict[str, Entry] = {}
    for e in entries:
        if e.event == "sent":
            found.setdefault(e.copy_id, e)
    return found


def trace(out: Path, candidates: list[str], digest: str) -> tuple[list[Entry], str]:
    """Entries for one copy: by the file's SHA-256 (exact; works for an encrypted copy without its
    password), else by the first candidate copy id the log knows."""
    entries = read(out)
    by_hash = [e for e in entries if digest and digest in (e.sha256, e.plain_sha256)]
    if by_hash:
        cid = by_hash[0].copy_id
        return [e for e in entries if e.copy_id == cid], "file digest"
    for cid in candidates:
        found = [e for e in entries if e.copy_id == cid]
        if found:
            return found, "copy id"
    return [], ""
