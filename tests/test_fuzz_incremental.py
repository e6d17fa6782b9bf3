"""Differential fuzzer for the preview's memo: a sequence of random edits, each validated twice.

`itreport serve` keeps what it parsed, validated and found per file between builds, and reads
only files whose stamp moved (`itreport.load.remembering`). After every step of a random edit
sequence (the mutation fuzzer's edits, plus ids renamed across files and whole files copied or
deleted), the memo's problems must be exactly those of a fresh validation. Stamps are trusted at
once here (not two seconds after a write) and every changed file gets a time of its own, so the
memo's shortcuts are taken as often as they can be.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from itreport.content import stale_rounds
from itreport.load import ParseMemo, remembering
from itreport.problems import Problem
from itreport.source import stamps
from itreport.validate import validate_folder
from tests.fuzzing import BASES, content_files, write_folder
from tests.test_fuzz_mutation import MUTATIONS

FILES = {name: content_files(path) for name, path in BASES.items() if name in ("minimal", "example")}
STEPS = int(os.environ.get("ITREPORT_FUZZ_STEPS", "4"))


def _shown(problems: list[Problem]) -> list[tuple[Any, ...]]:
    return [(p.file, p.line, p.col, p.severity, p.message, p.hint, p.width, p.rule, p.note) for p in problems]


@contextmanager
def _trusted_stamps() -> Iterator[None]:
    before = stamps.RACY_NS
    stamps.RACY_NS = -(10**18)
    try:
        yield
    finally:
        stamps.RACY_NS = before


def rename_id(data: st.DataObject, files: dict[str, bytes]) -> None:
    """An id renamed in the file that defines it, so that references in other files break (or,
    renamed back, heal)."""
    ids = sorted(
        {(rel, m.group(1)) for rel, raw in files.items() for m in re.finditer(rb"\bid: ([\w.-]+)", raw)}
    )
    if not ids:
        return
    rel, old = data.draw(st.sampled_from(ids), label="id")
    new = data.draw(st.sampled_from([old + b"-x", old[:-1] or b"x", b"renamed"]), label="new id")
    files[rel] = files[rel].replace(b"id: " + old + b"\n", b"id: " + new + b"\n", 1)


def copy_file(data: st.DataObject, files: dict[str, bytes]) -> None:
    """A project or budget copied under another name: duplicate ids across files."""
    candidates = sorted(rel for rel in files if rel.startswith(("projects/", "budget/")))
    if candidates:
        rel = data.draw(st.sampled_from(candidates), label="copied")
        files[rel.replace(".yaml", "-copy.yaml")] = files[rel]


# Each example validates the division twice per step: `make test` runs a dozen, `make fuzz` the
# fuzz profile's thousands.
@settings(max_examples=12 if os.environ.get("HYPOTHESIS_PROFILE", "ci") == "ci" else settings().max_examples)
@given(st.data())
def test_the_memo_after_each_edit_reports_what_a_fresh_validation_does(data: st.DataObject) -> None:
    base = data.draw(st.sampled_from(["minimal", "example"]), label="base")
    # Watched: the memo is told every change, as a preview's watcher on a local file system
    # tells it, and looks at no other file.
    watched = data.draw(st.booleans(), label="watched")
    files = dict(FILES[base])
    with tempfile.TemporaryDirectory() as tmp, _trusted_stamps():
        folder = Path(tmp) / "content"
        write_folder(folder, files)
        memo = ParseMemo()
        clock = 10**18
        for step in range(data.draw(st.integers(1, STEPS), label="steps") + 1):
            if step:
                kind = data.draw(st.sampled_from(["mutate", "mutate", "rename", "copy", "restore"]))
                if kind == "rename":
                    rename_id(data, files)
                elif kind == "copy":
                    copy_file(data, files)
                elif kind == "restore":
                    rel = data.draw(st.sampled_from(sorted(FILES[base])), label="restored")
                    files[rel] = FILES[base][rel]
                elif files:
                    rel = data.draw(st.sampled_from(sorted(files)), label="file")
                    mutated = data.draw(st.sampled_from(MUTATIONS), label="mutation")(data, files[rel])
                    if mutated is None:
                        del files[rel]
                    else:
                        files[rel] = mutated
            on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*.yaml")}
            reported = []
            for rel in on_disk - set(files):
                (folder / rel).unlink()
                reported.append(str(folder / rel))
            for rel, raw in files.items():
                path = folder / rel
                if not path.exists() or path.read_bytes() != raw:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(raw)
                    clock += 10**9
                    os.utime(path, ns=(clock, clock))
                    reported.append(str(path))
            if watched:
                memo.suspect(reported, complete=True)
            with remembering(memo):
                kept = validate_folder(folder)
            assert not stale_rounds(memo), f"step {step}"
            fresh = validate_folder(folder)
            assert _shown(kept.problems) == _shown(fresh.problems), f"step {step}"
            assert (kept.content is None) == (fresh.content is None), f"step {step}"
        shutil.rmtree(folder)
