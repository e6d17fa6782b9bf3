"""`itreport new` and `itreport add`: a new division validates and builds at once; the monthly
chores write valid, commented entries and never a broken file."""

from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from itreport.build import BuildOptions, build
from itreport.cli import main
from itreport.load import parse
from itreport.validate import validate_folder

REPO = Path(__file__).resolve().parent.parent

NEW = [
    "new",
    "--name",
    "Group IT",
    "--organisation",
    "Acme AB",
    "--head",
    "Åsa Öberg",
    "--as-of",
    "2026-10-31",
]


def new_division(tmp_path: Path, *extra: str) -> Path:
    target = tmp_path / "division"
    result = CliRunner().invoke(main, [*NEW, str(target), *extra])
    assert result.exit_code == 0, result.output
    return target


def test_new_division_validates_clean_and_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = new_division(tmp_path, "--currency", "SEK", "--locale", "sv_SE", "--fiscal-year-start", "4")
    for rel in (
        ".gitignore",
        ".pre-commit-config.yaml",
        ".github/workflows/briefing.yml",
        "templates/README.md",
        "content/division.yaml",
        "content/budget/2026.yaml",
        "content/schemas/project.schema.json",
        ".git",
    ):
        assert (target / rel).exists(), rel
    division = (target / "content/division.yaml").read_text(encoding="utf-8")
    assert 'name: "Group IT"' in division
    assert "head: asa.oberg" in division
    assert "fiscal_year_start: 4" in division
    assert 'label: "oktober 2026"' in division  # the period label in the division's language
    assert division.startswith("# yaml-language-server: $schema=schemas/division.schema.json")
    assert "/output/" in (target / ".gitignore").read_text(encoding="utf-8")
    assert "itreport validate" in (target / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "--format github" in (target / ".github/workflows/briefing.yml").read_text(encoding="utf-8")

    validation = validate_folder(target / "content")
    assert validation.problems == []
    monkeypatch.chdir(target)
    result = CliRunner().invoke(main, ["build", "--format", "html", "--edition", "board"])
    assert result.exit_code == 0, result.output
    assert (target / "output/board-2026-10.html").is_file()


def test_new_division_briefing_says_what_is_empty(tmp_path: Path) -> None:
    target = new_division(tmp_path)
    result = build(BuildOptions(target / "content", target / "output", ("html",), ("executive",)))
    html = result.written[0].path.read_text(encoding="utf-8")
    assert "No projects yet" in html
    assert "No budget lines yet" in html
    # No green portfolio of zero projects: with nothing live, the portfolio is "not assessed".
    portfolio_cell = html.split('<span class="status-label">Portfolio</span>')[1].split("</div>")[0]
    assert 'class="rag rag-grey"' in portfolio_cell


def test_new_asks_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    monkeypatch.setattr("itreport.cli._interactive", lambda: True)
    answers = "Digital\nNorth AB\nKim Lee\nNOK\nen_GB\n7\n"
    result = runner.invoke(
        main, ["new", str(tmp_path / "d"), "--as-of", "2026-03-31", "--no-git"], input=answers
    )
    assert result.exit_code == 0, result.output
    assert "Division name" in result.output
    division = (tmp_path / "d/content/division.yaml").read_text(encoding="utf-8")
    assert 'name: "Digital"' in division and "currency: NOK" in division
    assert "fiscal_year_start: 7" in division
    assert (tmp_path / "d/content/budget/2025.yaml").is_file()  # July 2025 – June 2026 holds March 2026
    assert not (tmp_path / "d/.git").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--currency", "XYZ"], "unknown currency 'XYZ'"),
        (["--locale", "xx_YY"], "unknown locale 'xx_YY'"),
        (["--fiscal-year-start", "13"], "month number 1-12"),
        (["--name", "Bad\x1b[2Jname"], "control characters"),
    ],
)
def test_new_refuses_bad_settings_and_writes_nothing(tmp_path: Path, args: list[str], message: str) -> None:
    target = tmp_path / "d"
    result = CliRunner().invoke(main, ["new", str(target), *args])
    assert result.exit_code == 2
    assert message in result.output
    assert not target.exists()


def test_new_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(main, ["new", str(tmp_path)])
    assert result.exit_code == 2
    assert "is not empty" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_new_quotes_hostile_names(tmp_path: Path) -> None:
    """YAML syntax in a name stays text: it cannot add keys or break the file."""
    name = 'Ops: {head: x} # "quoted" \\ & *alias'
    target = tmp_path / "d"
    result = CliRunner().invoke(main, ["new", str(target), "--name", name, "--head", "Kim: Lee #1"])
    assert result.exit_code == 0, result.output
    validation = validate_folder(target / "content")
    assert validation.problems == []
    assert validation.content is not None
    assert validation.content.division.name == name
    assert validation.content.people[0].name == "Kim: Lee #1"


# --- add project / add status ---------------------------------------------------------------------


@pytest.fixture
def example(tmp_path: Path) -> Path:
    dest = tmp_path / "content"
    shutil.copytree(REPO / "content", dest)
    return dest


def test_add_project_writes_a_valid_commented_file(example: Path) -> None:
    result = CliRunner().invoke(
        main, ["add", "project", "crm-upgrade", str(example), "--name", "CRM upgrade"]
    )
    assert result.exit_code == 0, result.output
    text = (example / "projects/crm-upgrade.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/project.schema.json")
    assert "baseline: {start: 2026-10-01, end: 2027-10-01}" in text  # from the period, one year on
    assert "owner: karin.holm" in text  # the division's head
    assert "state: proposed" in text
    assert validate_folder(example).content is not None
    again = CliRunner().invoke(main, ["add", "project", "crm-upgrade", str(example)])
    assert again.exit_code == 2 and "already exists" in again.output


@pytest.mark.parametrize("bad", ["../escape", "UPPER", "a/b", ""])
def test_add_project_refuses_bad_ids(example: Path, bad: str) -> None:
    result = CliRunner().invoke(main, ["add", "project", bad, str(example)])
    assert result.exit_code == 2
    assert "not a valid id" in result.output
    assert not (example.parent / "escape.yaml").exists()


def test_add_status_inserts_newest_first_with_colours_carried(example: Path) -> None:
    path = example / "projects/erp-s4hana.yaml"
    before = path.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["add", "status", "erp-s4hana", str(example)])
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8")
    ops = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False).get_opcodes()
    # Only an insertion: every line that was there (comments included) is still there, in order.
    assert [op[0] for op in ops if op[0] != "equal"] == ["insert"]
    _tag, _i1, _i2, j1, j2 = next(op for op in ops if op[0] == "insert")
    added = after.splitlines()[j1:j2]
    assert added[0] == "  - date: 2026-10-31"
    assert "    overall: {rag: red}  # green, amber or red; add `comment:` to say why" in added
    assert any(line.startswith("    recovery: {action:") for line in added)
    doc, problems = parse(str(path), after.encode())
    assert doc is not None and not problems
    assert doc.data["status"][0]["date"] == "2026-10-31"
    assert validate_folder(example).content is not None
    again = CliRunner().invoke(main, ["add", "status", "erp-s4hana", str(example)])
    assert again.exit_code == 2
    assert "dated 2026-10-31 exists already" in again.output
    assert path.read_text(encoding="utf-8") == after


def test_add_status_to_new_project_and_to_file_without_status(example: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["add", "project", "p1", str(example)]).exit_code == 0
    assert runner.invoke(main, ["add", "status", "p1", str(example)]).exit_code == 0
    text = (example / "projects/p1.yaml").read_text(encoding="utf-8")
    assert "status:\n  - date: 2026-10-31\n    author: karin.holm\n" in text
    beta = example / "projects/p2.yaml"
    beta.write_text(
        "id: p2\nname: P2\nsponsor: S\nowner: karin.holm\ninvestment_class: run\nphase: planning\n"
        "state: active\nschedule:\n  baseline: {start: 2026-01-01, end: 2026-12-31}\n"
        "budget: {capex: 0, opex: 10}\n",
        encoding="utf-8",
    )
    assert runner.invoke(main, ["add", "status", "p2", str(example)]).exit_code == 0
    assert (
        "budget: {capex: 0, opex: 10}\nstatus:\n  - date: 2026-10-31\n    author: karin.holm\n"
        in beta.read_text(encoding="utf-8")
    )
    doc, problems = parse(str(beta), beta.read_bytes())
    assert doc is not None and not problems
    assert doc.data["status"][0]["overall"] == {"rag": "green"}
    assert validate_folder(example).content is not None


def test_add_status_refuses_a_list_it_cannot_edit_and_writes_nothing(example: Path) -> None:
    path = example / "projects/p3.yaml"
    original = (
        "id: p3\nname: P3\nsponsor: S\nowner: karin.holm\ninvestment_class: run\nphase: planning\n"
        "state: active\nschedule:\n  baseline: {start: 2026-01-01, end: 2026-12-31}\n"
        "budget: {capex: 0, opex: 10}\nstatus: [{date: 2026-09-30, overall: {rag: green}}]\n"
    )
    path.write_text(original, encoding="utf-8")
    result = CliRunner().invoke(main, ["add", "status", "p3", str(example)])
    assert result.exit_code == 2
    assert "add it by hand" in result.output
    assert path.read_text(encoding="utf-8") == original


def test_add_status_refuses_a_symlinked_project(example: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text((example / "projects/erp-s4hana.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (example / "projects/linked.yaml").symlink_to(outside)
    before = outside.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["add", "status", "linked", str(example)])
    assert result.exit_code == 2
    assert outside.read_text(encoding="utf-8") == before


def test_add_outside_a_content_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["add", "project", "x", str(tmp_path)])
    assert result.exit_code == 2
    assert "no division.yaml here" in result.output


# --- installed from a wheel -------------------------------------------------------------------------


def test_wheel_carries_the_theme_and_builds_a_new_division_outside_the_repository(tmp_path: Path) -> None:
    """Build the wheel, install it into a fresh virtual environment, scaffold and build with it.

    The environment reuses this one's dependencies through a .pth line (so the test needs no
    network), but itreport itself comes only from the wheel: the build runs outside the
    repository, and the theme it uses must be the one inside the installed package.
    """
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(wheels.glob("itreport-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    deps = [p for p in map(Path, sys.path) if p.name == "site-packages" and p.is_dir()]
    (site / "zz-deps.pth").write_text("\n".join(map(str, deps)) + "\n", encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin/python"),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    python = str(venv / "bin/python")
    work = tmp_path / "work"
    work.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "NO_COLOR": "1"}
    theme = subprocess.run(
        [python, "-c", "from itreport.render.theme import DEFAULT_THEME; print(DEFAULT_THEME)"],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert theme.startswith(str(venv)), theme
    assert (Path(theme) / "fonts/OFL.txt").is_file()
    run = lambda *args, cwd=work: subprocess.run(  # noqa: E731
        [python, "-m", "itreport", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    created = run("new", "div", "--name", "Wheel IT", "--as-of", "2026-10-31")
    assert created.returncode == 0, created.stderr
    built = run("build", "--edition", "board", cwd=work / "div")
    assert built.returncode == 0, built.stderr
    assert "Traceback" not in built.stderr
    pdf = work / "div/output/board-2026-10.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "locale" not in built.stderr.lower()
