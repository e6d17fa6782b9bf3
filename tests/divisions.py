"""Divisions for the page checks: a copy written in another language, and a PDF's page count."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pypdfium2 as pdfium

LOCALES = ("en_GB", "sv_SE")
LOCALE_LINE = re.compile(r"^locale:.*$", re.MULTILINE)


def localised(source: Path, dest: Path, locale: str) -> Path:
    """A copy of the division at `dest` whose briefings are written in `locale`."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(source, dest)
    division = dest / "division.yaml"
    text = division.read_text(encoding="utf-8")
    text = (
        LOCALE_LINE.sub(f"locale: {locale}", text)
        if LOCALE_LINE.search(text)
        else text.rstrip("\n") + f"\nlocale: {locale}\n"
    )
    division.write_text(text, encoding="utf-8")
    return dest


def page_count(pdf: Path) -> int:
    document = pdfium.PdfDocument(str(pdf))
    try:
        return len(document)
    finally:
        document.close()
