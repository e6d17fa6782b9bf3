"""CLI manners: every command's help shows an example; colours only on a terminal, never with NO_COLOR."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from itreport.cli import main

from .conftest import replace_in


def all_commands(group: click.Group = main, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for name, command in group.commands.items():
        out.append((*prefix, name))
        if isinstance(command, click.Group):
            out.extend(all_commands(command, (*prefix, name)))
    return out


@pytest.mark.parametrize("path", all_commands(), ids=" ".join)
def test_every_command_help_has_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert "itreport " in result.output.split("Example:")[1]


def run_on_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> bytes:
    """Run itreport with its stdout on a pseudo-terminal, as a user's shell would."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "itreport", *args], cwd=cwd, env=env, stdout=follower, stderr=follower
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks)


def test_colours_only_on_a_terminal_and_never_with_no_color(content: Path) -> None:
    replace_in(content, "people.yaml", "team: ops\n    manager: ada.berg", "team: opz\n    manager: ada.berg")
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    coloured = run_on_terminal(["validate", "content"], content.parent, env)
    assert b"error" in coloured
    assert b"\x1b[" in coloured
    plain = run_on_terminal(["validate", "content"], content.parent, {**env, "NO_COLOR": "1"})
    assert b"error" in plain
    assert b"\x1b[" not in plain
    piped = subprocess.run(
        [sys.executable, "-m", "itreport", "validate", "content"],
        cwd=content.parent,
        env=env,
        capture_output=True,
    )
    assert b"error" in piped.stdout
    assert b"\x1b[" not in piped.stdout + piped.stderr
