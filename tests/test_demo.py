"""`itreport demo`: generated divisions are valid, deterministic, of the promised size, and build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from itreport.cli import main
from itreport.demo import SCALES, generate
from itreport.validate import validate_folder


def _demo(tmp_path: Path, scale: str, seed: int = 1) -> Path:
    folder = tmp_path / scale
    result = CliRunner().invoke(main, ["demo", str(folder), "--scale", scale, "--seed", str(seed)])
    assert result.exit_code == 0, result.output
    assert f"into {folder}" in result.output
    return folder


@pytest.mark.parametrize("scale", ["small", "medium"])
def test_generated_division_validates_with_no_errors_and_has_its_size(tmp_path: Path, scale: str) -> None:
    folder = _demo(tmp_path, scale)
    validation = validate_folder(folder)
    errors = [p for p in validation.problems if p.is_error]
    assert errors == []
    content = validation.content
    assert content is not None
    size = SCALES[scale]
    assert len(content.people) == size.people
    assert len(content.teams) == size.teams
    assert len(content.projects) == size.projects
    (budget,) = content.budgets
    assert len(budget.lines) == size.budget_lines
    for line in budget.lines:
        assert len(line.plan) == 12 and len(line.actual) == 10 and len(line.forecast) == 2
        assert line.annual_plan == sum(line.plan.values())
    assert [e.id for e in content.editions] == ["board", "executive", "finance", "management"]
    assert any(p.status for p in content.projects)
    assert any(p.milestones for p in content.projects)
    assert any(p.risks for p in content.projects)
    assert any(p.issues for p in content.projects)
    # The modelines point at schemas that exist, as in the example.
    first = (folder / "projects" / f"{content.projects[0].id}.yaml").read_text(encoding="utf-8")
    assert first.startswith("# yaml-language-server: $schema=../schemas/project.schema.json\n")
    assert (folder / "schemas" / "project.schema.json").is_file()


def test_large_division_has_the_promised_counts() -> None:
    files = generate("large")
    assert files["people.yaml"].count("\n  - id: ") == 2000
    assert files["teams.yaml"].count("\n  - id: ") == 60
    assert sum(rel.startswith("projects/") for rel in files) == 400
    budget = files["budget/2026.yaml"]
    assert budget.split("\nrevenue:")[0].count("\n  - id: ") == 6000


def test_same_seed_same_files_other_seed_other_files() -> None:
    assert generate("small", 1) == generate("small", 1)
    assert generate("small", 1)["people.yaml"] != generate("small", 2)["people.yaml"]


def test_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(main, ["demo", str(folder)])
    assert result.exit_code == 2
    assert "not an empty folder" in result.output
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_unknown_scale_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo", str(tmp_path / "x"), "--scale", "huge"])
    assert result.exit_code == 2
    assert not (tmp_path / "x").exists()


def test_small_demo_builds_every_edition_as_a_subprocess(tmp_path: Path) -> None:
    folder = tmp_path / "division"
    cli = [sys.executable, "-m", "itreport"]
    made = subprocess.run([*cli, "demo", str(folder)], capture_output=True, text=True, check=False)
    assert made.returncode == 0, made.stderr
    built = subprocess.run(
        [*cli, "build", str(folder), "--out", str(tmp_path / "out"), "--format", "html"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    names = sorted(p.name for p in (tmp_path / "out").glob("*.html"))
    assert names == [
        "board-2026-10.html",
        "cio-2026-10.html",
        "finance-2026-10.html",
        "management-2026-10.html",
    ]
