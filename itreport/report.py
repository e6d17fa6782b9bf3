"""Print problems for people (text with source line and caret), machines (JSON) and CI (GitHub)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence

from itreport.controls import BEYOND_C0, for_terminal
from itreport.problems import Problem, Severity
from itreport.source.lines import split_lines


def _summary(problems: Sequence[Problem]) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts) if parts else "no problems"


def format_text(problems: Sequence[Problem], sources: Mapping[str, str]) -> str:
    """hledger/rustc style: `file:line:col: error: message`, the line, a caret, then the hint."""
    blocks: list[str] = []
    split: dict[str, list[str]] = {}  # each file is split into lines once, not once per problem
    for p in problems:
        where = f"{p.file}:{p.line}:{p.col}" if p.line else p.file
        lines = [for_terminal(f"{where}: {p.severity.value}: {p.message}")]
        text = sources.get(p.file)
        if text is not None and p.line:
            all_lines = split.get(p.file)
            if all_lines is None:
                all_lines = split[p.file] = split_lines(text)
            if p.line <= len(all_lines):
                src = all_lines[p.line - 1].replace("\t", " ")
                gutter = str(p.line)
                pad = " " * len(gutter)
                width = max(1, min(p.width, len(src) - p.col + 1))
                # Control characters in the line are shown escaped (`\x1b`), several columns wide:
                # the caret is placed under the escaped text, so it still points at the value.
                before = len(for_terminal(src[: p.col - 1]))
                under = max(1, len(for_terminal(src[p.col - 1 : p.col - 1 + width])))
                lines.append(f" {gutter} | {for_terminal(src)}")
                lines.append(f" {pad} | {' ' * before}^{'~' * (under - 1)}")
        if p.hint:
            lines.append(f"  hint: {for_terminal(p.hint)}")
        blocks.append("\n".join(lines))
    blocks.append(_summary(problems))
    return "\n\n".join(blocks) + "\n"


def format_json(problems: Sequence[Problem], sources: Mapping[str, str]) -> str:
    return _json_controls(
        json.dumps(
            [
                {
                    "file": p.file,
                    "line": p.line,
                    "column": p.col,
                    "severity": p.severity.value,
                    "message": p.message,
                    "hint": p.hint,
                    "rule": p.rule,
                }
                for p in problems
            ],
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )


def _json_controls(text: str) -> str:
    r"""JSON escapes C0 itself; DEL, C1, bidi and separator characters become `\uXXXX` too."""
    return BEYOND_C0.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _gh_escape(text: str) -> str:
    r"""Line breaks as GitHub's %0A; any other control character shown escaped (`\x1b`)."""
    return for_terminal(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _gh_prop(text: str) -> str:
    return _gh_escape(text).replace(":", "%3A").replace(",", "%2C")


def format_github(problems: Sequence[Problem], sources: Mapping[str, str]) -> str:
    """GitHub Actions workflow commands: annotations on the pull request's changed lines."""
    out = []
    for p in problems:
        level = "error" if p.severity is Severity.ERROR else "warning"
        props = f"file={_gh_prop(p.file)}"
        if p.line:
            props += f",line={p.line},col={p.col}"
        message = p.message + (f" — hint: {p.hint}" if p.hint else "")
        out.append(f"::{level} {props}::{_gh_escape(message)}")
    return "".join(line + "\n" for line in out)


FORMATS: dict[str, Callable[[Sequence[Problem], Mapping[str, str]], str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
}
