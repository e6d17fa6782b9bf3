"""Rendering: Jinja (sandboxed) to HTML, WeasyPrint (confined) to PDF."""
