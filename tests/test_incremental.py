"""A long-lived preview validates only what changed, and still reports exactly what a fresh run does.

`itreport serve` keeps parsed files, validated models and per-entity check results between
builds (`itreport.load.remembering`). These tests hold it to three promises: models shared
between builds are never changed by a build; a build inside the memo writes the same bytes as
one without it; and after any edit the problems are those a fresh validation finds.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pytest
from pydantic import ValidationError

from itreport import gitrepo
from itreport.build import BuildOptions, build
from itreport.checks import Checker, bounds
from itreport.content import Content, stale_rounds
from itreport.demo import write_demo
from itreport.load import FolderSource, ObjectMemo, ParseMemo, remembering
from itreport.problems import Problem
from itreport.source import stamps
from itreport.source.confine import MAX_FILE_BYTES, Root
from itreport.source.stamps import FileStamp
from itreport.validate import validate_folder

from .conftest import REPO, replace_in


def _git(cwd: Path, *args: str) -> None:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "HOME": str(cwd),
        "PATH": os.environ["PATH"],
    }
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    subprocess.run(["git", *args], cwd=cwd, check=True, env=env)


def _dump(content: Content) -> dict[str, Any]:
    """Every model of a division as plain data, with where each was read from."""
    out: dict[str, Any] = {}
    for name in Content.__dataclass_fields__:
        value = getattr(content, name)
        if name in ("documents", "label", "incomplete", "tracked"):
            continue
        items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]
        out[name] = [
            (item.model_dump(mode="json"), item.source) if item is not None else None for item in items
        ]
    return out


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _shown(problems: list[Problem]) -> list[tuple[Any, ...]]:
    """Everything a user sees of each problem (Problem's equality compares the place only)."""
    return [(p.file, p.line, p.col, p.severity, p.message, p.hint, p.width, p.rule, p.note) for p in problems]


def test_models_are_frozen(content: Path) -> None:
    """Nothing downstream can change a model shared between builds: assigning a field fails,
    while where it was read from (kept in private attributes) is still recorded."""
    loaded = validate_folder(content).content
    assert loaded is not None
    project = loaded.projects[0]
    assert project.source[0].endswith("alpha.yaml")
    with pytest.raises(ValidationError, match="frozen"):
        project.name = "Y"  # type: ignore[misc]
    assert project.name != "Y"


def test_builds_in_a_memo_change_no_model_and_write_the_same_bytes(tmp_path: Path) -> None:
    """Two HTML builds of every edition of the example inside one memo: the second reuses every
    model, the models still equal a fresh load's, and the pages equal a build without the memo."""
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    memo = ParseMemo()
    with remembering(memo):
        build(BuildOptions(content, tmp_path / "first", ("html",), jobs=1))
    assert memo.validated  # the first build validated every file
    with remembering(memo):
        build(BuildOptions(content, tmp_path / "second", ("html",), jobs=1))
        assert memo.parsed == [] and memo.validated == []  # nothing read or validated again
        kept = validate_folder(content).content
    fresh = validate_folder(content).content
    assert kept is not None and fresh is not None
    assert kept.projects[0] is not fresh.projects[0]  # really the memo's models, not new ones
    assert _dump(kept) == _dump(fresh)
    build(BuildOptions(content, tmp_path / "plain", ("html",), jobs=1))
    plain = _files(tmp_path / "plain")
    assert len(plain) >= 5
    assert _files(tmp_path / "first") == plain
    assert _files(tmp_path / "second") == plain


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "pristine"
    write_demo(folder, "small")
    return folder


@pytest.fixture
def trusted_stamps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file's stamp stands for its bytes at once (not two seconds after its last change), so
    that files written by a test are taken from the memo unread; tests then give each edited file
    a time of its own (`_stamp_edits`), so that no edit can share its stamp with the bytes before."""
    monkeypatch.setattr(stamps, "RACY_NS", -(10**18))


class _Edits:
    """Gives each file changed since the last look a modification time no other state had."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.seen: dict[Path, bytes] = {}
        self.clock = 1_000_000_000_000_000_000

    def stamp(self) -> list[str]:
        """Stamps the changed files; returns what a file watcher would report (changed, added
        and removed files)."""
        now = {p: p.read_bytes() for p in sorted(self.folder.rglob("*.yaml"))}
        changed = [str(path) for path in self.seen.keys() - now.keys()]
        for path, data in now.items():
            if self.seen.get(path) != data:
                self.clock += 1_000_000_000
                os.utime(path, ns=(self.clock, self.clock))
                changed.append(str(path))
        self.seen = now
        return changed


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file read through the confined reader, by its relative name."""
    seen: list[str] = []
    real_read = Root.read

    def counting(self: Root, rel: str, limit: int = MAX_FILE_BYTES) -> bytes:
        seen.append(rel)
        return real_read(self, rel, limit)

    monkeypatch.setattr(Root, "read", counting)
    return seen


@pytest.mark.parametrize("watched", [False, True], ids=["stamps", "watcher"])
def test_after_every_kind_of_edit_the_memo_reports_what_a_fresh_validation_does(
    small_demo: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    trusted_stamps: None,
    reads: list[str],
    watched: bool,
) -> None:
    """Each edit validated inside the memo and afresh. With `watched`, the memo is told what a
    file watcher on a local file system reports (every change), and looks at no other file."""
    content = tmp_path / "content"
    shutil.copytree(small_demo, content)
    edits = _Edits(content)
    read_by_memo: list[str] = []
    stamped_by_memo: list[str] = []
    walked: list[object] = []
    walked_by_memo: list[object] = []
    listed = bounds._listed

    def counting(entity: Any, limits: Any) -> Any:
        walked.append(entity)
        return listed(entity, limits)

    monkeypatch.setattr(bounds, "_listed", counting)
    stamped: list[str] = []
    real_stamp = FolderSource.stamp

    def stamping(self: FolderSource, rel: str) -> FileStamp | None:
        stamped.append(rel)
        return real_stamp(self, rel)

    monkeypatch.setattr(FolderSource, "stamp", stamping)
    memo = ParseMemo()
    projects = sorted((content / "projects").glob("*.yaml"))
    project, other = projects[0], projects[1]
    project_id = project.stem
    people = (content / "people.yaml").read_text(encoding="utf-8")
    budget = next((content / "budget").glob("*.yaml"))
    budget_text = budget.read_text(encoding="utf-8")
    seen_rules: set[str] = set()

    def same_as_fresh(edit: str) -> list[str]:
        """Validate inside the memo and afresh; the problems must be the same. Returns what the
        memo validated again."""
        walked.clear()
        changed = edits.stamp()
        if watched:
            memo.suspect(changed, complete=True)
        reads.clear()
        stamped.clear()
        with remembering(memo):
            kept = validate_folder(content)
        revalidated = list(memo.validated)
        read_by_memo[:] = reads
        stamped_by_memo[:] = stamped
        walked_by_memo[:] = walked
        assert not stale_rounds(memo), edit  # what the memo kept is what is on disk
        fresh = validate_folder(content)
        assert _shown(kept.problems) == _shown(fresh.problems), edit
        assert (kept.content is None) == (fresh.content is None), edit
        seen_rules.update(p.rule for p in fresh.problems)
        return revalidated

    same_as_fresh("first validation")
    # A project renamed: only it is validated again, and only its entity walked for bounds.
    replace_in(content, f"projects/{project.name}", "\nname: ", "\nname: Renamed ")
    assert same_as_fresh("project renamed") == [str(project)]
    assert read_by_memo == [f"projects/{project.name}"]  # the edited file alone was read
    if watched:  # and no other file was looked at
        assert stamped_by_memo == [f"projects/{project.name}"]
    else:
        assert len(stamped_by_memo) > 10
    assert [getattr(e, "id", None) for e in walked_by_memo] == [project_id]
    # A project's date pushed a century out, and a money amount with too many decimals.
    text = project.read_text(encoding="utf-8")
    dated = text.replace("date: 2026-", "date: 2126-", 1)
    assert dated != text
    project.write_text(dated.replace("  capex: ", "  capex: 1.5", 1), encoding="utf-8")
    same_as_fresh("project out of bounds")
    # The budget: an annual plan that no longer adds up, and a line without October's actual.
    changed = budget_text.replace("annual_plan: ", "annual_plan: 1", 1)
    changed = re.sub(
        r"(\n      2026-09: \d+\n)      2026-10: \d+\n(    forecast:)", r"\1\2", changed, count=1
    )
    assert changed.count("\n      2026-10: ") == budget_text.count("\n      2026-10: ") - 1
    budget.write_text(changed, encoding="utf-8")
    assert same_as_fresh("budget edited") == [str(budget)]
    # people.yaml: the project's owner removed, so the unchanged project file gets an error.
    owner = next(
        line.split(":", 1)[1].strip()
        for line in other.read_text(encoding="utf-8").splitlines()
        if line.startswith("owner:")
    )
    (content / "people.yaml").write_text(people.replace(f"id: {owner}\n", f"id: {owner}-gone\n"), "utf-8")
    assert same_as_fresh("a person renamed: references elsewhere break") == [str(content / "people.yaml")]
    (content / "people.yaml").write_text(people, encoding="utf-8")
    same_as_fresh("people.yaml restored")
    # The division's as_of moved: every bound and date rule is worked out again.
    division = (content / "division.yaml").read_text(encoding="utf-8")
    as_of = next(line for line in division.splitlines() if line.startswith("as_of:"))
    year = int(as_of.split(":", 1)[1].strip()[:4])
    moved = as_of.replace(str(year), str(year + 60))
    (content / "division.yaml").write_text(division.replace(as_of, moved), encoding="utf-8")
    same_as_fresh("as_of moved")
    (content / "division.yaml").write_text(division, encoding="utf-8")
    same_as_fresh("as_of restored")
    # The period and as_of a month earlier: October no longer needs an actual, and October's
    # actuals are now booked after as_of.
    period = "  start: 2026-10-01\n  end: 2026-10-31\n"
    assert period in division and as_of == "as_of: 2026-10-31"
    earlier = division.replace(period, "  start: 2026-09-01\n  end: 2026-09-30\n")
    earlier = earlier.replace(as_of, "as_of: 2026-09-30")
    (content / "division.yaml").write_text(earlier, encoding="utf-8")
    rules = {p.rule for p in validate_folder(content).problems}
    assert "budget.missing-actual" not in rules and "budget.actual-after-as-of" in rules
    same_as_fresh("period moved")
    (content / "division.yaml").write_text(division, encoding="utf-8")
    same_as_fresh("period restored")
    # A project deleted: references to it from other files break.
    saved = other.read_bytes()
    other.unlink()
    same_as_fresh("a project deleted")
    other.write_bytes(saved)
    # A file that stops being YAML, then is YAML again (the same bytes as before).
    good = project.read_bytes()
    project.write_bytes(good + b"\n  broken: [unclosed\n")
    same_as_fresh("invalid YAML")
    project.write_bytes(good)
    same_as_fresh("valid again")
    # A file that is YAML but not a valid model, then valid again.
    project.write_bytes(good.replace(b"\nname: ", b"\nname_typo: ", 1))
    same_as_fresh("invalid model")
    project.write_bytes(good)
    budget.write_text(budget_text, encoding="utf-8")
    same_as_fresh("all restored")
    # The edits above really produced the problems this test is about.
    expected = {
        "bounds.date-window",
        "bounds.money-places",
        "totals.plan",
        "budget.missing-actual",
        "budget.actual-after-as-of",
        "refs.resolve",
        "yaml.syntax",
        "model.unknown-key",
    }
    assert expected <= seen_rules, expected - seen_rules


def test_object_memo_keeps_an_entry_one_round_after_its_last_use() -> None:
    """Entries of objects no longer used are let go after a round, not kept for the process's life."""
    memo = ObjectMemo()

    class Thing:
        pass

    first, second = Thing(), Thing()
    calls: list[str] = []
    assert memo.get(first, 1, lambda: calls.append("first") or "a") == "a"
    assert memo.get(first, 1, lambda: "other") == "a"  # the same object and key: remembered
    assert memo.get(first, 2, lambda: "b") == "b"  # another key: computed again
    memo.next_round()
    assert memo.get(second, 2, lambda: "c") == "c"
    assert len(memo) == 2
    memo.next_round()
    assert len(memo) == 1  # `first` was not used in the last round: gone
    memo.next_round()
    assert len(memo) == 0


def test_edits_in_one_file_reach_the_findings_of_unchanged_files(
    small_demo: Path, tmp_path: Path, trusted_stamps: None
) -> None:
    """What an unchanged file gave is replayed only while what it was checked against is the same:
    a renamed role breaks people.yaml, a renamed certificate rewords its warnings, a manager
    chain becomes a cycle, a restricted field appears and goes; each time the memo's problems are
    a fresh validation's."""
    content = tmp_path / "content"
    shutil.copytree(small_demo, content)
    edits = _Edits(content)
    memo = ParseMemo()
    seen: list[set[str]] = []

    def same_as_fresh(edit: str) -> None:
        edits.stamp()
        with remembering(memo):
            kept = validate_folder(content)
        fresh = validate_folder(content)
        assert _shown(kept.problems) == _shown(fresh.problems), edit
        seen.append({p.rule for p in fresh.problems})

    same_as_fresh("first validation")
    replace_in(content, "roles.yaml", "  - id: cio\n", "  - id: chief\n")
    same_as_fresh("role renamed")
    assert "refs.resolve" in seen[-1]  # people.yaml, unchanged, now names an unknown role
    replace_in(content, "roles.yaml", "  - id: chief\n", "  - id: cio\n")
    same_as_fresh("role restored")
    assert "refs.resolve" not in seen[-1]

    expired = "      - {certification: itil4-f, issued: 2025-02-27, expires: 2026-02-27}\n"
    replace_in(
        content,
        "people.yaml",
        "      - {certification: itil4-f, issued: 2025-02-27, expires: 2028-02-27}\n",
        expired,
    )
    same_as_fresh("a certificate expired")
    replace_in(content, "training.yaml", "    name: ITIL 4 Foundation\n", "    name: ITIL Four\n")
    same_as_fresh("the certificate renamed")  # the people.yaml warning's note names it anew
    assert "people.certification" in seen[-1]

    replace_in(
        content,
        "people.yaml",
        "    role: cio\n    team: it-office\n",
        "    role: cio\n    team: it-office\n    manager: anna.bjork\n",
    )
    same_as_fresh("a reporting cycle")
    assert "hierarchy.cycle" in seen[-1]
    replace_in(
        content,
        "people.yaml",
        "    role: cio\n    team: it-office\n    manager: anna.bjork\n",
        "    role: cio\n    team: it-office\n",
    )
    same_as_fresh("the cycle undone")
    assert "hierarchy.cycle" not in seen[-1]

    replace_in(content, "people.yaml", "    role: cio\n", "    role: cio\n    salary: 50000\n")
    same_as_fresh("a salary written into the content folder")
    assert "privacy.restricted-content" in seen[-1]


def test_cross_file_findings_follow_every_file_they_read(tmp_path: Path, trusted_stamps: None) -> None:
    """The checks keep what each file gave and what whole kinds add up to (id sets, the reporting
    line, the projects the narrative names) while the files they come from are the same objects.
    After each edit to one file, the memo's problems are a fresh run's: findings of unchanged
    files that depend on the edited one change with it, and a file whose values are equal but
    whose lines moved (a comment added) has its findings at the new lines."""
    content, private = tmp_path / "content", tmp_path / "private"
    shutil.copytree(REPO / "content", content)
    private.mkdir()
    (private / "people.yaml").write_text("people:\n  - id: magnus.ek\n    salary: 61000\n", encoding="utf-8")
    edits, private_edits = _Edits(content), _Edits(private)
    memo = ParseMemo()
    last: list[Problem] = []

    def same_as_fresh(edit: str, *rules: str, absent: tuple[str, ...] = ()) -> list[Problem]:
        """The memo's problems are a fresh run's; `rules` are among them and `absent` are not."""
        edits.stamp()
        private_edits.stamp()
        with remembering(memo):
            kept = validate_folder(content, private)
        fresh = validate_folder(content, private)
        assert _shown(kept.problems) == _shown(fresh.problems), edit
        found = {p.rule for p in fresh.problems}
        assert set(rules) <= found, (edit, set(rules) - found)
        assert not set(absent) & found, (edit, set(absent) & found)
        last[:] = fresh.problems
        return fresh.problems

    def lines(file: str, rule: str) -> list[int]:
        return [p.line for p in last if p.file.endswith(file) and p.rule == rule]

    def edit(rel: str, old: str, new: str, *rules: str, absent: tuple[str, ...] = ()) -> None:
        replace_in(content, rel, old, new)
        same_as_fresh(f"{rel}: {old!r} -> {new!r}", *rules, absent=absent)

    same_as_fresh("first validation", "projects.stale")
    # Equal values at other lines: the findings of the file move with them.
    stale = lines("network-refresh.yaml", "projects.stale")
    edit("projects/network-refresh.yaml", "id: network-refresh\n", "# moved\nid: network-refresh\n")
    assert lines("network-refresh.yaml", "projects.stale") == [n + 1 for n in stale]
    # The projects the narrative names: a decision taken, a milestone gone; another project edited.
    edit(
        "projects/erp-s4hana.yaml",
        "    state: pending\n  - id: d2",
        "    state: approved\n  - id: d2",
        "narrative.decided",
    )
    edit("projects/erp-s4hana.yaml", "{id: m5-sit2,", "{id: m5-sit-2,", "narrative.citation")
    edit("projects/ai-chatbot-pilot.yaml", "\nname: ", "\nname: Renamed ", "narrative.citation")
    edit("projects/erp-s4hana.yaml", "{id: m5-sit-2,", "{id: m5-sit2,", absent=("narrative.citation",))
    edit("budget/2026.yaml", "  - id: colocation-exit\n", "  - id: colo-exit\n", "narrative.citation")
    edit(
        "budget/2026.yaml", "  - id: colo-exit\n", "  - id: colocation-exit\n", absent=("narrative.citation",)
    )
    # A project file added with an id in use, moved within its file, then given its own id.
    copy = content / "projects" / "zz-copy.yaml"
    shutil.copy(content / "projects" / "dc-exit.yaml", copy)
    same_as_fresh("a project copied", "ids.unique")
    duplicate = lines("zz-copy.yaml", "ids.unique")
    edit("projects/zz-copy.yaml", "id: dc-exit\n", "\n# the copy\nid: dc-exit\n", "ids.unique")
    assert lines("zz-copy.yaml", "ids.unique") == [n + 2 for n in duplicate]
    edit("projects/zz-copy.yaml", "id: dc-exit\n", "id: dc-exit-2\n", absent=("ids.unique",))
    copy.unlink()
    same_as_fresh("the copy deleted")
    # people.yaml: a person twice, a reporting cycle, both moved a line down, then undone.
    people = (content / "people.yaml").read_text(encoding="utf-8")
    twice = (
        people + "  - {id: karin.holm, name: K, title: CIO, role: cio, team: it-office, start: 2020-01-01}\n"
    )
    (content / "people.yaml").write_text(twice, encoding="utf-8")
    same_as_fresh("a person id twice", "ids.unique")
    edit("people.yaml", "start: 2020-01-01}", "manager: magnus.ek, start: 2020-01-01}", "hierarchy.cycle")
    assert lines("people.yaml", "hierarchy.cycle")
    moved = [lines("people.yaml", rule) for rule in ("ids.unique", "hierarchy.cycle", "people.review")]
    edit("people.yaml", "people:\n", "people:\n  # moved\n")
    assert [lines("people.yaml", rule) for rule in ("ids.unique", "hierarchy.cycle", "people.review")] == [
        [n + 1 for n in found] for found in moved
    ]
    (content / "people.yaml").write_text(people, encoding="utf-8")
    same_as_fresh("people.yaml restored", absent=("ids.unique", "hierarchy.cycle"))
    # A project the narrative does not name renamed: its suggestion for a mistyped id changes.
    edit("narrative.yaml", "decision: dc-exit/d1-restart", "decision: dc-exitt/d1-restart", "refs.decision")
    assert any("did you mean 'dc-exit'" in p.message for p in last)
    edit("projects/dc-exit.yaml", "id: dc-exit\n", "id: dc-closure\n")
    assert not any("did you mean 'dc-exit'" in p.message for p in last)
    # A budget line names an unknown project; a project file that does not load silences it.
    edit(
        "budget/2026.yaml",
        "    project: smart-meter-platform\n",
        "    project: smart-meters\n",
        "refs.resolve",
    )
    (content / "projects" / "broken.yaml").write_text("id: broken\nname_typo: x\n", encoding="utf-8")
    same_as_fresh("a project that does not load", "model.unknown-key")
    assert not lines("2026.yaml", "refs.resolve")
    (content / "projects" / "broken.yaml").unlink()
    same_as_fresh("the broken project deleted", "refs.resolve")
    # strategy.yaml: an owner who is not on the staff; an objective renamed under the projects.
    edit(
        "strategy.yaml",
        "2026–2027\n    owner: goran.lindahl\n",
        "2026–2027\n    owner: goran.lindahll\n",
        "refs.resolve",
    )
    assert lines("strategy.yaml", "refs.resolve")
    edit("strategy.yaml", "  - id: digital-customer\n", "  - id: digital-customers\n")
    assert lines("ai-chatbot-pilot.yaml", "refs.resolve")
    # The team tree, open positions, the division's settings.
    edit(
        "teams.yaml", "    lead: karin.holm\n", "    parent: apps\n    lead: karin.holm\n", "hierarchy.cycle"
    )
    edit(
        "teams.yaml",
        "    parent: apps\n    lead: karin.holm\n",
        "    lead: karin.holm\n",
        absent=("hierarchy.cycle",),
    )
    edit("positions.yaml", "    filled_by: linnea.ostberg\n", "", "positions.filled")
    edit(
        "positions.yaml",
        "01\n    role: service-desk-analyst\n",
        "01\n    role: desk-analyst\n",
        "refs.resolve",
    )
    assert lines("positions.yaml", "refs.resolve")
    edit("division.yaml", "  status_stale_days: 45\n", "  status_stale_days: 5\n", "projects.stale")
    assert len(lines("", "projects.stale")) > 1
    edit("division.yaml", "  certification_expiry_days: 90\n", "  certification_expiry_days: 400\n")
    edit(
        "division.yaml",
        "  risk_score: {amber: 12, red: 16}\n",
        "  risk_score: {amber: 16, red: 12}\n",
        "thresholds.order",
    )
    edit("division.yaml", "  - id: cc-4150\n", "  - id: cc-4151\n", "refs.resolve")
    # A salary with a decimal in the private folder: right in SEK, too precise in JPY.
    (private / "people.yaml").write_text(
        "people:\n  - id: magnus.ek\n    salary: 61000.5\n", encoding="utf-8"
    )
    same_as_fresh("a private amount", absent=("bounds.money-places",))
    edit("division.yaml", "currency: SEK\n", "currency: JPY\n", "totals.currency", "bounds.money-places")
    assert lines("private/people.yaml", "bounds.money-places")
    # Editions: one renamed (the recipients' references break), then one named for October only,
    # which writes the board's files until the period moves.
    edit("briefings.yaml", "  - id: executive\n", "  - id: finance\n", "ids.unique")
    edit(
        "briefings.yaml",
        "  - id: finance\n    title: CIO",
        "  - id: executive\n    title: CIO",
        absent=("ids.unique",),
    )
    edit("briefings.yaml", "  - id: board\n", "  - id: boardroom\n", "refs.resolve")
    edit("briefings.yaml", 'filename: "cio-{period}"', 'filename: "board-2026-10"', "outputs.collision")
    period = "  start: 2026-10-01\n  end: 2026-10-31\n"
    edit("division.yaml", period, "  start: 2026-09-01\n  end: 2026-09-30\n", absent=("outputs.collision",))


def test_a_check_reuses_what_it_read_from_the_very_same_objects_only() -> None:
    """`Checker.each` across builds: values are read again for an entity that is not the very
    object of the last build (an equal one included), all of them after the key changed, none
    after entities only moved; the row is the last build's tuple while its values are equal."""

    @dataclass(frozen=True)
    class Thing:
        value: int

    things = [Thing(i) for i in range(40)]
    read: list[Thing] = []

    def values(thing: Thing) -> tuple[int, ...]:
        read.append(thing)
        return (thing.value,)

    def build(
        entities: list[Thing], key: str, last: dict[str, Any] | None
    ) -> tuple[tuple[int, ...], Checker]:
        read.clear()
        ctx = Checker(cast(Content, None), last={} if last is None else last)
        return ctx.each("values", entities, key, values), ctx

    first, ctx = build(things, "k", None)
    assert first == tuple(range(40)) and len(read) == 40
    again, ctx = build(list(things), "k", ctx.now)
    assert again is first and read == []
    things[5] = Thing(5)  # equal, but another object: read again; the row stays the same tuple
    equal, ctx = build(things, "k", ctx.now)
    assert read == [things[5]] and equal is first
    things[6] = Thing(60)
    changed, ctx = build(things, "k", ctx.now)
    assert read == [things[6]] and changed[6] == 60
    moved, ctx = build(things[::-1], "k", ctx.now)  # every entity moved: matched by identity
    assert read == [] and moved == changed[::-1]
    _rekeyed, ctx = build(things, "other", ctx.now)
    assert len(read) == 40


def test_a_file_changed_within_the_racy_window_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stamp stands for the bytes only once the file's last change lies RACY_NS before it was
    taken: a file changed then could change again in the same clock tick with the same stamp.
    Each file here is given one stamp that never moves, as if every write landed in one tick."""
    content = tmp_path / "content"
    shutil.copytree(REPO / "tests" / "fixtures" / "minimal", content)
    project = next((content / "projects").glob("*.yaml"))
    changed_ns = time.time_ns()
    monkeypatch.setattr(
        FolderSource, "stamp", lambda self, rel: FileStamp(1, hash(rel), 1, 0, 0o100644, 0, changed_ns)
    )
    memo = ParseMemo()
    text = project.read_text(encoding="utf-8")
    for n in range(3):
        project.write_text(text.replace("\nname: ", f"\nname: Take {n} ", 1), encoding="utf-8")
        with remembering(memo):
            loaded = validate_folder(content).content
        assert loaded is not None and loaded.projects[0].name.startswith(f"Take {n} ")  # never the last take
    # The same stamp, now long settled: it is trusted, and the file is no longer read.
    monkeypatch.setattr(stamps, "RACY_NS", -(10**18))
    with remembering(memo):
        validate_folder(content)
    project.write_text(text, encoding="utf-8")
    with remembering(memo):
        loaded = validate_folder(content).content
    assert loaded is not None and loaded.projects[0].name.startswith("Take 2 ")  # what the stamp stood for


def test_a_file_replaced_by_a_link_out_is_refused_not_remembered(
    small_demo: Path, tmp_path: Path, trusted_stamps: None
) -> None:
    """A file the memo knows, replaced by a link to a file outside the folder with the very same
    bytes: the link has no stamp, so it goes through the confined read and is refused."""
    content = tmp_path / "content"
    shutil.copytree(small_demo, content)
    project = sorted((content / "projects").glob("*.yaml"))[0]
    memo = ParseMemo()
    with remembering(memo):
        assert validate_folder(content).content is not None
    outside = tmp_path / "outside.yaml"
    outside.write_bytes(project.read_bytes())
    project.unlink()
    project.symlink_to(outside)
    with remembering(memo):
        kept = validate_folder(content)
    assert _shown(kept.problems) == _shown(validate_folder(content).problems)
    refused = [p for p in kept.problems if p.rule == "file.refused"]
    assert [p.file for p in refused] == [str(project)] and "outside the content folder" in refused[0].message


def test_git_is_asked_again_only_when_its_index_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trusted_stamps: None
) -> None:
    """Which files git tracks is kept while the repository's index is the same; `git rm --cached`
    changes the index, and with it whether a salary in people.yaml is an error or a warning."""
    shutil.copytree(REPO / "tests" / "fixtures" / "minimal", tmp_path / "content")
    people = tmp_path / "content" / "people.yaml"
    people.write_text(
        people.read_text().replace("    title: Engineer\n", "    title: Engineer\n    salary: 51000\n", 1)
    )
    for args in (("init", "-q", "-b", "main"), ("add", "content"), ("commit", "-q", "-m", "division")):
        _git(tmp_path, *args)
    asked: list[tuple[str, ...]] = []
    real_git = gitrepo._git

    def counting(cwd: Path, *args: str) -> str | None:
        asked.append(args)
        return real_git(cwd, *args)

    monkeypatch.setattr(gitrepo, "_git", counting)
    memo = ParseMemo()

    def rules() -> set[str]:
        asked.clear()
        with remembering(memo):
            return {p.rule for p in validate_folder(tmp_path / "content").problems}

    assert "privacy.restricted-tracked" in rules() and asked
    assert "privacy.restricted-tracked" in rules() and asked == []  # nothing changed: git not asked
    _git(tmp_path, "rm", "-q", "--cached", "content/people.yaml")
    found = rules()
    assert "privacy.restricted-tracked" not in found and "privacy.restricted-content" in found
    assert asked
    assert "privacy.restricted-content" in rules() and asked == []


def test_a_link_inside_the_folder_is_read_through_every_time(
    small_demo: Path, tmp_path: Path, trusted_stamps: None
) -> None:
    """A link's own stamp does not move when its target changes: a linked file is never taken
    from the memo unread."""
    content = tmp_path / "content"
    shutil.copytree(small_demo, content)
    project = sorted((content / "projects").glob("*.yaml"))[0]
    target = content / "kept" / "project.txt"
    target.parent.mkdir()
    text = project.read_text(encoding="utf-8")
    target.write_text(text, encoding="utf-8")
    project.unlink()
    project.symlink_to(Path("..") / "kept" / "project.txt")
    memo = ParseMemo()
    with remembering(memo):
        validate_folder(content)
    target.write_text(text.replace("\nname: ", "\nname: Retitled ", 1), encoding="utf-8")
    os.utime(target, ns=(10**18, 10**18))
    with remembering(memo):
        loaded = validate_folder(content).content
    assert loaded is not None
    assert any(p.name.startswith("Retitled ") for p in loaded.projects)


def test_a_tracked_link_re_pointed_is_judged_as_a_fresh_run_judges_it(
    tmp_path: Path, trusted_stamps: None
) -> None:
    """git's listing is kept while its index stays the same, but where a tracked name leads is the
    work tree's: people.yaml, a tracked link, re-pointed from a committed file to a new one with
    the same salary. A fresh run still calls the salary tracked (an error); so must the memo."""
    content = tmp_path / "content"
    shutil.copytree(REPO / "tests" / "fixtures" / "minimal", content)
    people = content / "people.yaml"
    text = people.read_text().replace("    title: Engineer\n", "    title: Engineer\n    salary: 51000\n", 1)
    (content / "staff").mkdir()
    (content / "staff" / "old.txt").write_text(text)
    people.unlink()
    people.symlink_to(Path("staff") / "old.txt")
    for args in (("init", "-q", "-b", "main"), ("add", "content"), ("commit", "-q", "-m", "division")):
        _git(tmp_path, *args)
    memo = ParseMemo()

    def kept_and_fresh() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        with remembering(memo):
            kept = validate_folder(content)
        return _shown(kept.problems), _shown(validate_folder(content).problems)

    kept, fresh = kept_and_fresh()
    assert kept == fresh and [p[-2] for p in fresh] == ["privacy.restricted-tracked"]
    (content / "staff" / "new.txt").write_text(text)  # not added: the index does not change
    people.unlink()
    people.symlink_to(Path("staff") / "new.txt")
    kept, fresh = kept_and_fresh()
    assert [p[-2] for p in fresh] == ["privacy.restricted-tracked"]
    assert kept == fresh


def test_a_baseline_git_could_not_read_is_read_again_once_it_can(tmp_path: Path) -> None:
    """The preview keeps the baseline per commit, but not git failing to read it: an object
    missing for a while (a partial clone offline, a repository being repacked) and back again
    gives the comparison, as a fresh build does, not the kept "cannot be read" warning."""
    from itreport.baseline import load_baseline

    content = tmp_path / "content"
    shutil.copytree(REPO / "tests" / "fixtures" / "minimal", content)
    for args in (("init", "-q", "-b", "main"), ("add", "content"), ("commit", "-q", "-m", "m")):
        _git(tmp_path, *args)
    _git(tmp_path, "tag", "briefing/2026-01-31")
    blob = subprocess.run(
        ["git", "rev-parse", "briefing/2026-01-31:content/people.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    stored = tmp_path / ".git" / "objects" / blob[:2] / blob[2:]
    away = tmp_path / "away"
    stored.rename(away)
    memo = ParseMemo()
    with remembering(memo):
        missing = load_baseline(content, None)
    assert missing.analysis is None and missing.warning and "cannot be read" in missing.warning
    away.rename(stored)
    fresh = load_baseline(content, None)
    assert fresh.analysis is not None and fresh.warning is None
    with remembering(memo):
        kept = load_baseline(content, None)
    assert kept.analysis is not None and kept.warning is None


def test_a_file_the_watcher_reports_is_read_whatever_its_stamp_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trusted_stamps: None
) -> None:
    """On NFS, FUSE or a container's shared folder `lstat` can answer from a cache: a saved file
    keeps its old stamp for a while. The preview reads the files its watcher reported changed
    anyway, and keeps what it read under that stamp for the builds after."""
    from itreport.serve.preview import Preview, PreviewOptions

    content = tmp_path / "content"
    shutil.copytree(REPO / "tests" / "fixtures" / "minimal", content)
    project = next((content / "projects").glob("*.yaml"))
    monkeypatch.setattr(
        FolderSource, "stamp", lambda self, rel: FileStamp(1, hash(rel), 1, 0, 0o100644, 0, 0)
    )
    preview = Preview(PreviewOptions(content))
    try:
        assert preview.rebuild().ok
        text = project.read_text(encoding="utf-8")
        project.write_text(text.replace("\nname: ", "\nname: Saved ", 1), encoding="utf-8")
        assert "Saved " not in preview.rebuild().body  # the cached stamp hides the save...
        assert "Saved " in preview.rebuild([str(project)]).body  # ...unless the watcher saw it
        assert "Saved " in preview.rebuild().body  # and what was read is kept
    finally:
        preview.close()
