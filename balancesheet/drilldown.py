"""The flow records behind one cell of the 存量及变动表 (drill-down from an addition or reduction).

The rule is the ledger's (balancesheet.ledger.changes.side_totals and _group_flows): a flow adds
to an item — or a group — when its ``to_item`` lies inside the item's subtree (a group: inside
the subtrees of its members) and its ``from_item`` does not; a move inside a class is not a
change of that class. Reductions mirror this with from/to swapped. A cause not in the catalog
counts as the "other" factor, as in the change table. So the values listed here sum to the cell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from balancesheet.catalog import FACTORS
from balancesheet.editing import FlowRecord
from balancesheet.errors import UserError
from balancesheet.store.schema import Flow

if TYPE_CHECKING:
    from balancesheet.catalog import Account
    from balancesheet.project import Project

SIDES = ("add", "reduce")


def subtree(account: Account, code: str) -> set[str]:
    """Item codes inside ``code``: the item and its descendants, or for a group every item under
    one of its members."""
    if code in account.groups:
        members = account.groups[code].members
        return {c for c in account.items if any(a in members for a in account.ancestors(c))}
    if code not in account.items:
        raise UserError(f"{account.name}没有编码为 {code} 的项目", f"Unknown item {code}")
    return {c for c in account.items if code in account.ancestors(c)}


def flows_behind(project: Project, region: str, year: int, resource: str, item: str, side: str,
                 factor: str | None = None) -> list[FlowRecord]:
    """The flows of ``year`` that make up ``item``'s additions (``side='add'``) or reductions
    (``'reduce'``), of one ``factor`` (human / natural / other) or of all (None), ordered by id.

    Their values sum to the corresponding cell of ``change_table(project, region, resource,
    year − 1, year)``.
    """
    if side not in SIDES:
        raise ValueError(f"side must be one of {SIDES}, not {side!r}")
    if factor is not None and factor not in FACTORS:
        raise ValueError(f"factor must be one of {tuple(FACTORS)}, not {factor!r}")
    account = project.catalog.account(resource)
    inside = subtree(account, item)
    here, there = (Flow.to_item, Flow.from_item) if side == "add" else (Flow.from_item, Flow.to_item)
    factor_of = {c.code: c.factor for c in account.causes.values()}
    with project.store.session() as s:
        rows = s.scalars(select(Flow).where(
            Flow.region_code == region, Flow.year == int(year), Flow.resource == account.resource,
            here.in_(sorted(inside))).order_by(Flow.id)).all()
        out = []
        for row in rows:  # the flows of one item, year and side: hundreds at most
            other = row.from_item if side == "add" else row.to_item
            if other in inside:
                continue
            if factor is not None and factor_of.get(row.cause, "other") != factor:
                continue
            out.append(FlowRecord(row.region_code, row.year, row.resource, row.from_item,
                                  row.to_item, row.cause, row.value, row.id))
    return out


__all__ = ["SIDES", "flows_behind", "subtree"]
