"""JSON Schemas for editors, generated from the same pydantic models that validate the content."""

from __future__ import annotations

import json
from pathlib import Path

from itreport.models import KINDS

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


def write_schemas(content_dir: Path) -> list[tuple[Path, bool]]:
    """Write every schema; returns each path and whether it changed."""
    written = []
    for name, text in schema_files().items():
        path = content_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        changed = not path.exists() or path.read_text(encoding="utf-8") != text
        if changed:
            path.write_text(text, encoding="utf-8")
        written.append((path, changed))
    return written


def stale_schemas(content_dir: Path) -> list[str]:
    """Schema files that are missing or differ from what the models generate."""
    out = []
    for name, text in schema_files().items():
        path = content_dir / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            out.append(name)
    return out
