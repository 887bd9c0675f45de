"""Checks over a region and year: ``check(project, region, year) -> list[Problem]``.

``check`` (and the ledger and pandas behind it) loads on first use, so code that only needs
``Problem`` or ``DEFAULT_TOLERANCE`` (the desktop app's start-up) stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from balancesheet.checks.problem import DEFAULT_TOLERANCE, Problem

if TYPE_CHECKING:
    from balancesheet.checks.run import check


def __getattr__(name: str) -> Any:
    if name == "check":
        from balancesheet.checks.run import check

        return check
    raise AttributeError(f"module 'balancesheet.checks' has no attribute {name!r}")


__all__ = ["DEFAULT_TOLERANCE", "Problem", "check"]
