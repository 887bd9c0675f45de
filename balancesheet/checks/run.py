"""Running every check over a region and year."""

from __future__ import annotations

from typing import TYPE_CHECKING

from balancesheet.checks import rules
from balancesheet.checks.problem import DEFAULT_TOLERANCE, Problem
from balancesheet.ledger.changes import ChangeTable, FlowTotals
from balancesheet.ledger.values import ValueTable

if TYPE_CHECKING:
    from balancesheet.project import Project


def check(project: Project, region: str, year: int, tolerance: float = DEFAULT_TOLERANCE,
          resources: list[str] | None = None, values: ValueTable | None = None,
          tables: dict[str, ChangeTable] | None = None,
          flows: FlowTotals | None = None) -> list[Problem]:
    """Run every check for ``region`` and ``year``; errors first, then warnings.

    ``values`` (holding years year−1 and year), ``tables`` (the year's change tables by
    resource) and ``flows`` (the year's FlowTotals) may be passed when the caller has computed
    them already.
    """
    project.region(region)  # a clear error for an unknown region
    ctx = rules.Context(project, region, year, tolerance, values, tables, flows)
    problems: list[Problem] = []
    names = resources or list(project.catalog.accounts)
    for resource in names:
        account = project.catalog.account(resource)
        problems += rules.balance(ctx, account)
        problems += rules.children_sum(ctx, account)
        problems += rules.negative_stocks(ctx, account)
    if "land" in names:
        problems += rules.land_total(ctx)
    problems += rules.links(ctx)
    problems += rules.codes_and_units(ctx)
    return sorted(problems, key=lambda p: (p.severity != "error", p.resource or "", p.item or ""))
