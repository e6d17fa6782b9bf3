"""JSON Schemas for editors, generated from the same pydantic models that validate the content."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from itreport.models import KINDS
from itreport.source.confine import Refused, Root, os_reason

SCHEMA_DIR = "schemas"


def schema_text(kind: str) -> str:
    model, pattern = KINDS[kind]
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"{kind}.schema.json"
    schema.setdefault("description", f"itreport content file: {pattern}")
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def schema_files() -> dict[str, str]:
    """File name (inside the content folder) → schema text, for every kind of content file."""
    return {f"{SCHEMA_DIR}/{kind}.schema.json": schema_text(kind) for kind in KINDS}


def modeline(rel: str, kind: str) -> str:
    """The first line of a content file that tells editors which schema applies."""
    depth = rel.count("/")
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_DIR}/{kind}.schema.json"


@dataclass(frozen=True)
class SchemaFile:
    """One schema file: `status` is wrote, unchanged, stale or refused (then `reason` says why)."""

    path: Path
    status: str
    reason: str = ""


def _current(root: Root, name: str) -> bytes | None:
    """The schema file as it stands, or None when there is none (a refusal propagates)."""
    return root.read(name) if root.exists(name) else None


def _replace(root: Root, name: str, data: bytes) -> None:
    """Write through a temporary file and a rename inside the content folder, never through a link.

    `locate` refuses a `schemas/` folder (or file) that resolves outside the content folder; the
    rename then replaces a link inside the folder with the file rather than writing to its target.
    """
    parent = name.rpartition("/")[0]
    if root.exists(parent):
        folder = root.locate(parent)
    else:
        folder = os.path.join(root.real, parent)
        try:
            os.mkdir(folder)
        except OSError as exc:
            raise Refused(parent, f"cannot be created: {os_reason(exc)}") from None
    if os.path.islink(os.path.join(root.real, name)) or root.exists(name):
        root.locate(name)  # a link out of the folder is refused, not replaced silently
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".schema.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, os.path.join(folder, name.rpartition("/")[2]))
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise Refused(name, f"cannot be written: {os_reason(exc)}") from None


def write_schemas(content_dir: Path) -> list[SchemaFile]:
    """Write every schema that changed; a file that may not be written is reported, not followed."""
    root = Root(content_dir, "content folder")
    out = []
    for name, text in schema_files().items():
        data = text.encode("utf-8")
        try:
            if _current(root, name) == data:
                out.append(SchemaFile(content_dir / name, "unchanged"))
                continue
            _replace(root, name, data)
        except Refused as exc:
            _refused(out, content_dir, exc)
            continue
        out.append(SchemaFile(content_dir / name, "wrote"))
    return out


def _refused(out: list[SchemaFile], content_dir: Path, exc: Refused) -> None:
    """Report a refusal once for the file or folder it concerns (a linked `schemas/` once)."""
    entry = SchemaFile(content_dir / exc.rel, "refused", exc.reason)
    if entry not in out:
        out.append(entry)


def stale_schemas(content_dir: Path) -> list[SchemaFile]:
    """Schema files that are missing, differ from what the models generate, or may not be read."""
    root = Root(content_dir, "content folder")
    out = []
    for name, text in schema_files().items():
        try:
            if _current(root, name) != text.encode("utf-8"):
                out.append(SchemaFile(content_dir / name, "stale"))
        except Refused as exc:
            _refused(out, content_dir, exc)
    return out
