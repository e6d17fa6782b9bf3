"""`itreport new`: a git-ready division repository with minimal, valid, commented content.

The files are text templates (package data in `files/`) rather than YAML dumped from the models,
so that each field carries a comment a new user can read. A test validates and builds the result,
so the templates cannot drift from the models.
"""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import list_currencies

from itreport.models.base import fiscal_months, fiscal_year_of
from itreport.schema import write_schemas

_PLACEHOLDER = re.compile(r"\$\{([a-z_]+)\}")
# Package-data names without a leading dot (globs in package data skip dotfiles).
_RENAMES = {"gitignore": ".gitignore", "pre-commit-config.yaml": ".pre-commit-config.yaml"}


class ScaffoldError(Exception):
    """The division cannot be created as asked (folder not empty, unknown currency...)."""


@dataclass(frozen=True)
class Settings:
    name: str
    organisation: str
    head_name: str
    currency: str
    locale: str
    fiscal_year_start: int
    as_of: date


def person_id(name: str) -> str:
    """'Åsa Öberg' → 'asa.oberg': ids are ASCII, lower case, dot-separated."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_name.lower())
    return ".".join(words)[:60].strip(".") or "head"


def last_month_end(today: date) -> date:
    """The default as-of date: the last day of the month before `today` (the period just closed)."""
    return today.replace(day=1) - timedelta(days=1)


def check_settings(s: Settings) -> list[str]:
    """Every reason the settings cannot make a valid division (all at once, for the CLI)."""
    reasons = []
    if s.currency not in list_currencies():
        reasons.append(f"unknown currency '{s.currency}' (an ISO 4217 code such as SEK, EUR, USD)")
    try:
        Locale.parse(s.locale)
    except (UnknownLocaleError, ValueError):
        reasons.append(f"unknown locale '{s.locale}' (for example en_GB or sv_SE)")
    if not re.fullmatch(r"[a-z]{2}(_[A-Z]{2})?", s.locale):
        reasons.append(f"locale '{s.locale}' must look like en_GB or sv_SE")
    if not 1 <= s.fiscal_year_start <= 12:
        reasons.append(f"fiscal year start must be a month number 1-12, not {s.fiscal_year_start}")
    for label, value in (("name", s.name), ("organisation", s.organisation), ("head", s.head_name)):
        if not value.strip():
            reasons.append(f"{label} must not be empty")
        elif any(unicodedata.category(c) == "Cc" for c in value):
            reasons.append(f"{label} must not contain control characters")
    return reasons


def yaml_string(value: str) -> str:
    """A YAML 1.2 double-quoted scalar (JSON strings are valid YAML), whatever the text holds."""
    return json.dumps(value, ensure_ascii=False)


def _values(s: Settings) -> dict[str, str]:
    fiscal_year = fiscal_year_of(s.as_of, s.fiscal_year_start)
    months = fiscal_months(fiscal_year, s.fiscal_year_start)
    period_start = s.as_of.replace(day=1)
    fiscal_label = (
        str(fiscal_year) if s.fiscal_year_start == 1 else f"{fiscal_year}/{(fiscal_year + 1) % 100:02d}"
    )
    return {
        "name": yaml_string(s.name),
        "organisation": yaml_string(s.organisation),
        "head_name": yaml_string(s.head_name),
        "head_id": person_id(s.head_name),
        "currency": s.currency,
        "locale": s.locale,
        "fiscal_year_start": str(s.fiscal_year_start),
        "fiscal_year": str(fiscal_year),
        "fiscal_label": fiscal_label,
        "first_month": months[0],
        "as_of": s.as_of.isoformat(),
        "period_start": period_start.isoformat(),
        "period_end": s.as_of.isoformat(),
        "period_label": yaml_string(format_date(s.as_of, "LLLL yyyy", locale=s.locale)),
    }


def _fill(text: str, values: dict[str, str], raw: bool) -> str:
    def one(match: re.Match[str]) -> str:
        value = values[match.group(1)]
        # Markdown files are not YAML: they get the plain text, not the quoted scalar.
        return json.loads(value) if raw and value.startswith('"') else value

    return _PLACEHOLDER.sub(one, text)


def _templates() -> list[tuple[str, str]]:
    """(relative path, text) of every scaffold file, from package data."""
    root = files("itreport.scaffold").joinpath("files")
    out: list[tuple[str, str]] = []

    def walk(node: object, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):  # type: ignore[attr-defined]
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, rel + "/")
            else:
                out.append((rel, child.read_text(encoding="utf-8")))

    walk(root, "")
    return out


def target_name(rel: str, values: dict[str, str]) -> str:
    if rel == "content/budget/FY.yaml":
        return f"content/budget/{values['fiscal_year']}.yaml"
    if rel == "ci/briefing.yml":
        return ".github/workflows/briefing.yml"
    return _RENAMES.get(rel, rel)


def create_division(target: Path, settings: Settings, *, git: bool = True) -> list[Path]:
    """Write the new division into `target` (which must be missing or empty); returns the files."""
    reasons = check_settings(settings)
    if reasons:
        raise ScaffoldError("; ".join(reasons))
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise ScaffoldError(f"'{target}' exists and is not a folder")
    if target.is_dir() and any(target.iterdir()):
        raise ScaffoldError(f"'{target}' is not empty; choose a new folder")
    values = _values(settings)
    written: list[Path] = []
    for rel, text in _templates():
        path = target / target_name(rel, values)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_fill(text, values, raw=not rel.endswith((".yaml", ".yml"))), encoding="utf-8")
        written.append(path)
    written.extend(f.path for f in write_schemas(target / "content") if f.status != "refused")
    if git:
        _git_init(target)
    return written


def _git_init(target: Path) -> None:
    """`git init` so the first build can show provenance; without git the division still works."""
    try:
        subprocess.run(["git", "init", "--quiet", str(target)], check=True, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return
