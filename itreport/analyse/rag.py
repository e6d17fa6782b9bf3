"""RAG colours as an ordered scale, and the threshold rule that produces them."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum

from itreport.models.division import Threshold


class Rag(StrEnum):
    """A computed status. GREY means "not assessable" (no current report), NONE "not applicable"."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    GREY = "grey"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {Rag.GREEN: 0, Rag.GREY: 1, Rag.AMBER: 2, Rag.RED: 3}


def worst(values: Iterable[Rag]) -> Rag:
    """The most severe colour; green when there is nothing to judge."""
    return max(values, key=lambda r: r.severity, default=Rag.GREEN)


def by_threshold(value: Decimal | int | None, threshold: Threshold) -> Rag:
    """At or above red → red; at or above amber → amber; otherwise (or unknown) green."""
    if value is None:
        return Rag.GREEN
    if value >= threshold.red:
        return Rag.RED
    if value >= threshold.amber:
        return Rag.AMBER
    return Rag.GREEN


def better_than(reported: Rag, computed: Rag) -> bool:
    """True when a manager's reported colour is rosier than the computed one (grey never counts)."""
    if Rag.GREY in (reported, computed):
        return False
    return reported.severity < computed.severity
