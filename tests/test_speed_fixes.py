"""The accidental costs removed for large divisions change nothing a reader sees.

Problem reports split each file once, chart labels are measured once, templates compile once per
build, and charts an edition does not show are never built; the output stays the same.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest

from itreport.build import BuildOptions, build
from itreport.charts import _clean, _truncate, text_width
from itreport.problems import Problem, Severity
from itreport.render import html
from itreport.render.sandbox import default_limits
from itreport.report import format_text


def test_text_report_shows_the_right_line_for_many_problems_in_one_file() -> None:
    text = "".join(f"key{i}: value{i}\n" for i in range(1, 2001))
    problems = [
        Problem("big.yaml", line, 1, Severity.WARNING, f"look at line {line}", rule="t")
        for line in range(1, 2001, 7)
    ]
    problems.append(Problem("other.yaml", 2, 3, Severity.ERROR, "elsewhere", rule="t"))
    out = format_text(problems, {"big.yaml": text, "other.yaml": "a: 1\nbb: 22\n"})
    assert " 1996 | key1996: value1996\n" in out
    assert " 8 | key8: value8\n" in out
    assert " 2 | bb: 22\n   |   ^\n" in out
    assert out.endswith("1 error, 286 warnings\n")


def test_truncated_label_is_the_longest_start_that_fits() -> None:
    rng = random.Random(7)
    alphabet = "abcdefghij KLMNOP åäö—:WWW iii ... 漢"
    for _ in range(2000):
        label = _clean("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 50)))) or "x"
        width, size = rng.uniform(20, 300), rng.choice([8, 10, 13])
        shown = _truncate(label, width, size)
        if shown == label:
            assert text_width(label, size) <= width
            continue
        assert shown.endswith("…")
        start = shown[:-1]
        assert label.startswith(start)
        assert start == "" or text_width(shown, size) <= width
        # one more character of the label would not fit
        longer = label[: len(start) + 1].rstrip()
        if len(longer) > len(start):
            assert text_width(longer + "…", size) > width


def test_editions_share_one_template_environment_with_a_budget_each(content: Path) -> None:
    html.cached_env.cache_clear()
    editions = (
        "editions:\n"
        "  - {id: one, title: One, audience: executive, sections: [summary, finance]}\n"
        "  - {id: two, title: Two, audience: board, sections: [summary]}\n"
    )
    (content / "briefings.yaml").write_text(editions, encoding="utf-8")
    env_args = ("en_GB", "SEK", None, default_limits())
    build(BuildOptions(content, content.parent / "alone", formats=("html",), editions=("two",), jobs=1))
    alone = html.cached_env(*env_args).budget.output
    html.cached_env.cache_clear()
    build(BuildOptions(content, content.parent / "out", formats=("html",), jobs=1))
    info = html.cached_env.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    # The second edition started from a fresh budget: it spent what it spends when built alone.
    assert html.cached_env(*env_args).budget.output == alone


def test_charts_are_built_only_when_shown(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []
    real = html.charts.milestone_timeline

    def counting(*args: Any, **kwargs: Any) -> Any:
        built.append("milestones")
        return real(*args, **kwargs)

    monkeypatch.setattr(html.charts, "milestone_timeline", counting)
    editions = "editions:\n  - {id: one, title: One, audience: executive, sections: [summary, %s]}\n"
    (content / "briefings.yaml").write_text(editions % "finance", encoding="utf-8")
    build(BuildOptions(content, content.parent / "out", formats=("html",)))
    assert built == []
    (content / "briefings.yaml").write_text(editions % "milestones", encoding="utf-8")
    build(BuildOptions(content, content.parent / "out", formats=("html",)))
    assert built == ["milestones"]
    assert "<svg" in (content.parent / "out" / "one-2026-10.html").read_text(encoding="utf-8")


def test_no_garbage_collection_while_validating_thousands_of_problems(tmp_path: Path) -> None:
    """Sorting and redacting the problems ran after the collector was switched back on, and the
    allocations made it scan the whole freshly loaded division (0.4 s with 6,000 problems on the
    large demo). Nothing in `validate` may let a collection run."""
    import gc
    import shutil

    from tests.conftest import REPO

    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    budget = next((content / "budget").glob("*.yaml"))
    # Every monthly amount written with three decimals: hundreds of located problems.
    budget.write_text(re.sub(r"(\n      20\d\d-\d\d: \d+)\n", r"\1.000\n", budget.read_text()))
    runs: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            runs.append(info["generation"])

    gc.collect()
    gc.callbacks.append(count)
    try:
        from itreport.validate import validate_folder

        result = validate_folder(content)
    finally:
        gc.callbacks.remove(count)
    assert len(result.problems) > 300
    assert runs == []
