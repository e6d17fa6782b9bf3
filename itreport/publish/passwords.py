"""Passwords for encrypted copies, from outside the repository: a file or environment variables.

A password file is YAML with `editions:` (edition id → password) and/or `recipients:` (recipient id
→ password); a recipient's own password wins over their edition's. An edition's password can also
come from ITREPORT_PASSWORD_<EDITION> (the id upper-cased, other characters as '_'). A file inside
the content's git repository (or content folder) is refused: git would keep the passwords forever.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from itreport.gitrepo import provenance


class PasswordError(Exception):
    """The password source is unusable (inside the repository, unreadable, malformed)."""


@dataclass(frozen=True)
class Passwords:
    editions: dict[str, str] = field(default_factory=dict)
    recipients: dict[str, str] = field(default_factory=dict)
    environ: Mapping[str, str] = field(default_factory=dict)

    def for_copy(self, recipient: str, edition: str) -> str | None:
        """The recipient's own password, else the edition's from the file, else from the environment."""
        return (
            self.recipients.get(recipient)
            or self.editions.get(edition)
            or self.environ.get(env_name(edition))
        ) or None


def env_name(edition: str) -> str:
    return "ITREPORT_PASSWORD_" + re.sub(r"[^A-Z0-9]", "_", edition.upper())


def _mapping(data: object, key: str, path: Path) -> dict[str, str]:
    value = data.get(key, {}) if isinstance(data, dict) else None
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v for k, v in value.items()
    ):
        raise PasswordError(f"{path}: '{key}' must map ids to non-empty passwords (text)")
    return dict(value)


def load_passwords(path: Path | None, content: Path, environ: Mapping[str, str]) -> Passwords:
    env = {k: v for k, v in environ.items() if k.startswith("ITREPORT_PASSWORD_")}
    if path is None:
        return Passwords(environ=env)
    resolved = path.resolve()
    root = provenance(content, []).root
    guard = (root or content).resolve()
    if resolved == guard or guard in resolved.parents:
        raise PasswordError(
            f"{path}: the passwords file is inside {'the repository' if root else 'the content folder'}; "
            "keep it outside, where git cannot record it"
        )
    try:
        data = yaml.safe_load(resolved.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise PasswordError(f"{path}: cannot read the passwords file ({exc})") from None
    except yaml.YAMLError as exc:
        raise PasswordError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict) or set(data) - {"editions", "recipients"}:
        raise PasswordError(f"{path}: expected a mapping with 'editions' and/or 'recipients'")
    return Passwords(_mapping(data, "editions", path), _mapping(data, "recipients", path), env)
