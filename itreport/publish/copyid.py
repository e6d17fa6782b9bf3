"""Copy ids: short, deterministic names for one person's copy of one edition of one build.

Derived with SHA-256 from the build (commit and PDF digest), the edition and the address, so the
same inputs always give the same id and copies of different builds never share one. The id is for
tracing careless leaks back to a person; it is not a secret and not a forensic watermark.
"""

from __future__ import annotations

import base64
import hashlib
import re

COPY_ID_RE = re.compile(r"\b([A-Z2-7]{4}-[A-Z2-7]{4})\b")


def copy_id(commit: str | None, edition: str, email: str, pdf_sha256: str) -> str:
    """Eight base32 characters as XXXX-XXXX (40 bits: unique across any realistic log)."""
    material = "\0".join(("itreport-copy-v1", commit or "", edition, email.lower(), pdf_sha256))
    digest = hashlib.sha256(material.encode("utf-8")).digest()
    text = base64.b32encode(digest[:5]).decode("ascii")
    return f"{text[:4]}-{text[4:]}"


def ids_in_text(text: str) -> list[str]:
    """Every string shaped like a copy id in a page's text (the fallback when metadata was
    stripped); the caller keeps the ones the distribution log knows."""
    return list(dict.fromkeys(COPY_ID_RE.findall(text)))
