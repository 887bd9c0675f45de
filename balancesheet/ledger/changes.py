"""The 存量及变动表: opening, additions and reductions by cause and factor, closing — per item.

For a region, a resource and a span (stocks at the end of ``year_from`` to those at the end of
``year_to``, i.e. the flows of years year_from+1 … year_to). One year Y is the span (Y−1, Y).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from balancesheet.catalog import FACTORS, Account
from balancesheet.ledger.values import ValueTable, ancestor_frame, incidence, value_table

if TYPE_CHECKING:
    from balancesheet.project import Project

FACTOR_CODES = tuple(FACTORS)


def load_flow_totals(project: Project, region: str, resource: str, year_from: int,
                     year_to: int) -> pd.DataFrame:
    """Flows of years year_from+1 … year_to summed by (from_item, to_item, cause) in SQL."""
    return project.store.read_sql(
        "SELECT from_item, to_item, cause, SUM(value) AS value, COUNT(*) AS records FROM flow "
        "WHERE region_code = :region AND resource = :resource AND year > :y0 AND year <= :y1 "
        "GROUP BY from_item, to_item, cause",
        {"region": region, "resource": resource, "y0": year_from, "y1": year_to},
    )


def side_totals(account: Account, flows: pd.DataFrame, side: str) -> pd.DataFrame:
    """Additions (``side='to_item'``) or reductions (``'from_item'``): items × causes.

    Every ancestor of the booked item receives the flow, except an ancestor that also contains
    the other side of a transfer: a move inside a class is not a change of that class. With the
    ancestor incidence matrix M this is  Σ value · M[a, side] · (1 − M[a, other])  per cause.
    """
    other = "from_item" if side == "to_item" else "to_item"
    booked = flows[flows[side].isin(account.items)]
    if booked.empty:
        return pd.DataFrame(dtype=float)
    codes, m = incidence(account)
    index = {c: k for k, c in enumerate(codes)}
    padded = np.hstack([m, np.zeros((len(codes), 1))])  # last column: outside the account
    here = padded[:, booked[side].map(index).to_numpy(dtype=int)]
    there = padded[:, booked[other].map(index).fillna(len(codes)).to_numpy(dtype=int)]
    causes, cause_idx = np.unique(booked["cause"].to_numpy(dtype=str), return_inverse=True)
    weights = np.zeros((len(booked), len(causes)))
    weights[np.arange(len(booked)), cause_idx] = booked["value"].to_numpy(dtype=float)
    totals = pd.DataFrame((here * (1.0 - there)) @ weights, index=codes, columns=list(causes))
    return totals[(totals != 0).any(axis=1)]


@dataclass
class ChangeTable:
    """A computed 存量及变动表 for one region, resource and span."""

    region: str
    resource: str
    year_from: int
    year_to: int
    unit: str
    rows: pd.DataFrame            # one row per item / group / derived item, display order
    additions_by_cause: pd.DataFrame   # item × cause
    reductions_by_cause: pd.DataFrame  # item × cause
    account: Account

    def to_json(self) -> dict[str, Any]:
        """The machine contract of ``table --json`` (DESIGN.md §5)."""
        out_rows = []
        for rec in self.rows.to_dict("records"):
            code = rec["item"]
            out_rows.append({
                "item": code, "name": rec["name"], "parent": rec["parent"] or None, "kind": rec["kind"],
                "unit": rec["unit"], "level": int(rec["depth"]),
                **{k: _num(rec[k]) for k in ("opening", "additions", "reductions", "closing",
                                             "observed_closing", "discrepancy")},
                "additions_by_factor": {f: _num(rec[f"add_{f}"]) for f in FACTOR_CODES},
                "reductions_by_factor": {f: _num(rec[f"red_{f}"]) for f in FACTOR_CODES},
                "additions_by_cause": _by_cause(self.additions_by_cause, code),
                "reductions_by_cause": _by_cause(self.reductions_by_cause, code),
            })
        return {"region": self.region, "year": self.year_to, "year_from": self.year_from,
                "resource": self.resource, "unit": self.unit, "rows": out_rows}


def _num(v: Any) -> float | None:
    return None if v is None or pd.isna(v) else round(float(v), 6)


def _by_cause(frame: pd.DataFrame, code: str) -> dict[str, float]:
    if code not in frame.index:
        return {}
    row = frame.loc[code]
    return {c: round(float(v), 6) for c, v in row.items() if not pd.isna(v) and v != 0}


def change_table(project: Project, region: str, resource: str, year_from: int,
                 year_to: int, values: ValueTable | None = None) -> ChangeTable:
    """Compute the 存量及变动表 of ``resource`` for the span year_from → year_to.

    ``values`` may pass a ValueTable already holding both years (saves the query).
    """
    account = project.catalog.account(resource)
    resource = account.resource
    if values is None or not {year_from, year_to} <= set(values.years):
        values = value_table(project, region, [year_from, year_to])
    flows = load_flow_totals(project, region, resource, year_from, year_to)
    add_cause = side_totals(account, flows, "to_item")
    red_cause = side_totals(account, flows, "from_item")

    codes = account.order + list(account.groups)
    frame = pd.DataFrame({"item": codes})
    meta = [_meta(account, c) for c in codes]
    for key in ("name", "parent", "kind", "unit", "depth"):
        frame[key] = pd.Series([m[key] for m in meta], dtype=object)
    frame["opening"] = [values.value(resource, c, year_from) for c in codes]
    frame["observed_closing"] = [values.value(resource, c, year_to) for c in codes]
    frame = frame.astype({"opening": float, "observed_closing": float})
    is_stock = frame["kind"].isin(["stock", "group"])

    factor_of = {c.code: c.factor for c in account.causes.values()}

    def by_factor(table: pd.DataFrame, prefix: str) -> None:
        sums = table.T.groupby([factor_of.get(c, "other") for c in table.columns]).sum().T
        sums = sums.reindex(index=codes, columns=list(FACTOR_CODES)).fillna(0.0)
        for f in FACTOR_CODES:
            frame[f"{prefix}_{f}"] = sums[f].to_numpy()
            frame[f"{prefix}_{f}"] = frame[f"{prefix}_{f}"].where(is_stock)

    group_adds, group_reds = _group_flows(account, flows)
    add_cause = pd.concat([add_cause, group_adds]) if not group_adds.empty else add_cause
    red_cause = pd.concat([red_cause, group_reds]) if not group_reds.empty else red_cause
    by_factor(add_cause, "add")
    by_factor(red_cause, "red")
    frame["additions"] = frame[[f"add_{f}" for f in FACTOR_CODES]].sum(axis=1).where(is_stock)
    frame["reductions"] = frame[[f"red_{f}" for f in FACTOR_CODES]].sum(axis=1).where(is_stock)
    frame["closing"] = np.where(is_stock, frame["opening"] + frame["additions"] - frame["reductions"],
                                frame["observed_closing"])
    frame["discrepancy"] = (frame["observed_closing"] - frame["closing"]).where(is_stock)
    flow_kind = frame["kind"].isin(["flow", "derived"])
    frame.loc[frame["kind"] == "flow", "opening"] = np.nan
    frame.loc[flow_kind, "closing"] = frame.loc[flow_kind, "observed_closing"]
    return ChangeTable(region, resource, year_from, year_to, account.unit, frame,
                       add_cause.fillna(0.0), red_cause.fillna(0.0), account)


def _meta(account: Account, code: str) -> dict[str, Any]:
    if code in account.items:
        item = account.items[code]
        return {"name": item.name, "parent": item.parent, "kind": item.kind, "unit": item.unit,
                "depth": account.depth(code)}
    group = account.groups[code]
    return {"name": group.name, "parent": None, "kind": "group", "unit": account.unit, "depth": 0}


def _group_flows(account: Account, flows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Additions/reductions by cause for groups: flows crossing the group boundary."""
    if not account.groups or flows.empty:
        return pd.DataFrame(), pd.DataFrame()
    anc = ancestor_frame(account)
    members = pd.DataFrame([(g.code, m) for g in account.groups.values() for m in g.members],
                           columns=["group", "member"])
    leaf_group = anc.merge(members, left_on="ancestor", right_on="member")[["item", "group"]]
    f = flows.merge(leaf_group.rename(columns={"item": "from_item", "group": "g_from"}),
                    on="from_item", how="left")
    f = f.merge(leaf_group.rename(columns={"item": "to_item", "group": "g_to"}), on="to_item", how="left")
    crossing = f[f["g_from"].fillna("") != f["g_to"].fillna("")]
    adds = crossing[crossing["g_to"].notna()].pivot_table(index="g_to", columns="cause", values="value",
                                                         aggfunc="sum")
    reds = crossing[crossing["g_from"].notna()].pivot_table(index="g_from", columns="cause",
                                                           values="value", aggfunc="sum")
    return adds, reds
