"""The last briefing's data, read from git objects (no checkout), analysed like the current data.

The baseline is `--since REF`, or else the newest tag `briefing/<as-of>` that `build --tag`
creates. A missing baseline is simply "no comparison"; one that no longer validates gives a
warning and no comparison; an unknown `--since` revision is a usage error.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from itreport.analyse import Analysis, analyse
from itreport.analyse.changes import Changes, compare
from itreport.gitrepo import run_git
from itreport.load import GitError, GitSource, active_memo
from itreport.validate import validate

TAG_PREFIX = "briefing/"


class BaselineError(Exception):
    """The requested baseline revision does not exist (a usage error)."""


@dataclass(frozen=True)
class Baseline:
    rev: str | None
    analysis: Analysis | None
    warning: str | None = None


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_git(root, *args)


def _no_git() -> str:
    """Why a folder counts as outside any repository when git itself cannot be run."""
    return "" if shutil.which("git") else " (git is not installed, or not on PATH)"


def repo_of(content: Path) -> tuple[Path, str] | None:
    """(repository root, content folder relative to it), or None outside git."""
    top = _git(content, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        return None
    root = Path(top.stdout.strip())
    try:
        return root, content.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:  # a work tree set elsewhere (GIT_WORK_TREE, core.worktree): not this folder's
        return None


def latest_tag(root: Path) -> str | None:
    """The newest briefing tag: the latest date among `briefing/<YYYY-MM-DD>` (what `build --tag`
    makes); only when there is none, the most recently made `briefing/*` tag.

    By name alone a hand-made `briefing/test` sorted after every date and silently became the
    baseline of every later build.
    """
    res = _git(
        root,
        "for-each-ref",
        "--sort=-creatordate",
        "--format=%(refname:short)",
        f"refs/tags/{TAG_PREFIX}",
    )
    tags = [t for t in res.stdout.split("\n") if t] if res.returncode == 0 else []
    dated = sorted((t for t in tags if _DATED.fullmatch(t[len(TAG_PREFIX) :])), reverse=True)
    return dated[0] if dated else (tags[0] if tags else None)


_DATED = re.compile(r"\d{4}-\d{2}-\d{2}")


def load_baseline(content: Path, since: str | None) -> Baseline:
    repo = repo_of(content)
    if repo is None:
        if since:
            raise BaselineError(f"--since {since}: '{content}' is not in a git repository{_no_git()}")
        return Baseline(None, None)
    root, subdir = repo
    rev = since or latest_tag(root)
    if rev is None:
        return Baseline(None, None)
    commit = _git(root, "rev-parse", "--verify", "-q", f"{rev}^{{commit}}")
    if commit.returncode != 0:
        if since:
            raise BaselineError(f"--since {since}: no such revision in {root}")
        return Baseline(rev, None, f"baseline {rev} cannot be read")
    sha = commit.stdout.strip()
    memo = active_memo()
    if memo is None:
        return _read_baseline(root, rev, sha, subdir)[0]
    # A commit never changes: a preview reads and analyses it once, not at every save.
    key = (str(root), rev, subdir, sha)
    return memo.kept("baseline", key, lambda: _read_baseline(root, rev, sha, subdir))


def _read_baseline(root: Path, rev: str, sha: str, subdir: str) -> tuple[Baseline, bool]:
    """The content folder as committed at `sha` (what `rev` named when the build looked),
    validated and analysed, and whether that answer is the commit's own: git failing to read
    it (an object fetched lazily by a partial clone, a repository being repacked) may pass, so a
    preview does not keep it."""
    try:
        validation = validate(GitSource(root, sha, subdir, shown_rev=rev))
    except GitError as exc:
        return Baseline(rev, None, f"baseline {rev} cannot be read: {exc}"), False
    if validation.content is None:
        errors = [p for p in validation.problems if p.is_error]
        first = f"{errors[0].file}:{errors[0].line}: {errors[0].message}" if errors else "no division.yaml"
        return Baseline(
            rev,
            None,
            f"baseline {rev} does not validate ({len(errors)} error(s), first: {first}); "
            "the comparison with the last briefing is left out",
        ), True
    return Baseline(rev, analyse(validation.content)), True


def changes_since(baseline: Baseline, current: Analysis) -> Changes | None:
    """Changes from the baseline to now; colours are also re-judged with the baseline's thresholds
    when those moved, so a colour changed only by a threshold says so."""
    if baseline.analysis is None or baseline.rev is None:
        return None
    old_rules = baseline.analysis.content.division.thresholds
    now_old_rules = None
    if old_rules != current.content.division.thresholds:
        division = current.content.division.model_copy(update={"thresholds": old_rules})
        now_old_rules = analyse(dataclasses.replace(current.content, division=division))
    return compare(baseline.analysis, current, baseline.rev, now_old_rules)


def tag_name(as_of: str) -> str:
    return f"{TAG_PREFIX}{as_of}"


def create_tag(content: Path, as_of: str) -> str:
    """Tag HEAD as the data of this briefing; refuses to move an existing tag."""
    repo = repo_of(content)
    if repo is None:
        raise BaselineError(f"--tag: the content folder is not in a git repository{_no_git()}")
    root, _ = repo
    name = tag_name(as_of)
    head = _git(root, "rev-parse", "HEAD").stdout.strip()
    existing = _git(root, "rev-parse", "-q", "--verify", f"refs/tags/{name}^{{commit}}")
    if existing.returncode == 0:
        if existing.stdout.strip() == head:
            return name
        raise BaselineError(f"--tag: tag {name} already exists on another commit; delete it to re-tag")
    res = _git(root, "tag", "-a", name, "-m", f"itreport briefing as of {as_of}")
    if res.returncode != 0:
        raise BaselineError(f"--tag: git tag failed: {res.stderr.strip()}")
    return name
