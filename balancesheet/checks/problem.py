"""A problem found by the checks: what disagrees, where, by how much."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

DEFAULT_TOLERANCE = 0.02  # two-decimal published data: a few rounding units


@dataclass(frozen=True)
class Problem:
    """One finding of a check. ``severity`` is ``error`` or ``warning``."""

    severity: str
    kind: str
    region: str
    year: int
    resource: str | None
    item: str | None
    expected: float | None
    actual: float | None
    difference: float | None
    tolerance: float | None
    message: str
    message_en: str = ""
    unit: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The machine contract of ``check --json`` (DESIGN.md §5)."""
        out = asdict(self)
        for key in ("expected", "actual", "difference"):
            if out[key] is not None:
                out[key] = round(float(out[key]), 6)
        return out
