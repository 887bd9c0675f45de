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
from balancesheet.ledger.values import ValueTable, incidence, value_table

if TYPE_CHECKING:
    from balancesheet.project import Project

FACTOR_CODES = tuple(FACTORS)


def load_flow_totals(project: Project, region: str, resource: str, year_from: int,
                     year_to: int, by_cause: bool = True) -> pd.DataFrame:
    """Flows of years year_from+1 … year_to summed by (from_item, to_item, cause) in SQL.

    Columns from_item, to_item, cause, value, records. Without ``by_cause`` the sum runs over
    (from_item, to_item) only and ``cause`` is empty: a narrower sort, for the transition matrix.
    The WHERE clause is the key of the ix_flow_lookup index (region, resource, year).
    """
    keys = "from_item, to_item, cause" if by_cause else "from_item, to_item"
    frame = project.store.read_sql(
        f"SELECT {keys}, SUM(value) AS value, COUNT(*) AS records FROM flow "
        "WHERE region_code = :region AND resource = :resource AND year > :y0 AND year <= :y1 "
        f"GROUP BY {keys}",
        {"region": region, "resource": resource, "y0": year_from, "y1": year_to},
    )
    return frame if by_cause else frame.assign(cause="")


@dataclass
class FlowTotals:
    """Every resource's flows of a region and span summed by (resource, from_item, to_item, cause).

    Read once, shared by what compiles the same span: the change tables, the transition matrix
    and the checks (with a million land change records the summing is most of their time).
    """

    region: str
    year_from: int
    year_to: int
    by_resource: dict[str, pd.DataFrame]  # resource → from_item, to_item, cause, value, records

    @property
    def frame(self) -> pd.DataFrame:
        """All resources' totals in one frame (resource, from_item, to_item, cause, value, records)."""
        parts = [part.assign(resource=name) for name, part in self.by_resource.items() if not part.empty]
        if not parts:
            return pd.DataFrame(columns=["resource", *_TOTAL_COLUMNS])
        return pd.concat(parts, ignore_index=True)[["resource", *_TOTAL_COLUMNS]]

    def covers(self, region: str, year_from: int, year_to: int) -> bool:
        """True when these are the totals of ``region`` for the span year_from → year_to."""
        return (self.region, self.year_from, self.year_to) == (region, year_from, year_to)

    def of(self, resource: str) -> pd.DataFrame:
        """The totals of one resource (from_item, to_item, cause, value, records)."""
        found = self.by_resource.get(resource)
        return found if found is not None else pd.DataFrame(columns=_TOTAL_COLUMNS)


_TOTAL_COLUMNS = ["from_item", "to_item", "cause", "value", "records"]


def flow_totals(project: Project, region: str, year_from: int, year_to: int,
                known: dict[str, pd.DataFrame] | None = None) -> FlowTotals:
    """The flows of every resource of ``region`` in years year_from+1 … year_to, summed in SQL.

    One GROUP BY per catalog resource, each on the full key of the ix_flow_lookup index (a
    GROUP BY over all resources at once sorts a longer key and uses only the region of the
    index: 25 % slower with a million records), plus one over rows of any other resource
    (none unless written around the importer; the checks report them). ``known`` gives the
    totals of some resources already read for the same span (a ChangeTable's ``flows``).
    """
    names = list(project.catalog.accounts)
    totals = {r: known[r] if known and r in known else load_flow_totals(project, region, r, year_from, year_to)
              for r in names}
    others = project.store.read_sql(
        "SELECT resource, from_item, to_item, cause, SUM(value) AS value, COUNT(*) AS records "
        "FROM flow WHERE region_code = :region AND year > :y0 AND year <= :y1 "
        f"AND resource NOT IN ({', '.join(f':r{i}' for i in range(len(names)))}) "
        "GROUP BY resource, from_item, to_item, cause",
        {"region": region, "y0": year_from, "y1": year_to, **{f"r{i}": r for i, r in enumerate(names)}},
    )
    for name, part in others.groupby("resource", sort=True):
        totals[str(name)] = part.drop(columns="resource").reset_index(drop=True)
    return FlowTotals(region, year_from, year_to, totals)


def side_totals(account: Account, flows: pd.DataFrame, side: str) -> pd.DataFrame:
    """Additions (``side='to_item'``) or reductions (``'from_item'``): items × causes.

    Every ancestor of the booked item receives the flow, except an ancestor that also contains
    the other side of a transfer: a move inside a class is not a change of that class. With the
    ancestor incidence matrix M this is  Σ value · M[a, side] · (1 − M[a, other])  per cause.
    """
    additions, reductions = _cause_totals(account, flows)
    return (additions if side == "to_item" else reductions)[0]


Sides = tuple[pd.DataFrame, pd.DataFrame]  # (items × causes, groups × causes)


def _cause_totals(account: Account, flows: pd.DataFrame) -> tuple[Sides, Sides]:
    """Additions and reductions by cause of items and groups, in one pass over the totals.

    Items as :func:`side_totals` (rows with a non-zero total). Groups receive the flows that
    cross their boundary: Σ value · G[g, side] · (1 − G[g, other]) with G[g, i] = 1 when item i
    or one of its ancestors is a member of g (rows of groups that some crossing flow reaches).
    """
    codes, m = incidence(account)
    outside = len(codes)
    index = {c: k for k, c in enumerate(codes)}
    source = flows["from_item"].map(index).fillna(outside).to_numpy(dtype=int)
    target = flows["to_item"].map(index).fillna(outside).to_numpy(dtype=int)
    causes, cause_idx = np.unique(flows["cause"].to_numpy(dtype=str), return_inverse=True)
    values = flows["value"].to_numpy(dtype=float)
    padded = np.hstack([m, np.zeros((outside, 1))])  # last column: outside the account
    group_codes, g = group_incidence(account)
    g_padded = np.hstack([g, np.zeros((len(group_codes), 1))])

    def side(here: np.ndarray, there: np.ndarray) -> Sides:
        known = here < outside
        if not known.any():
            return pd.DataFrame(dtype=float), pd.DataFrame()
        here, there = here[known], there[known]
        used, local = np.unique(cause_idx[known], return_inverse=True)  # causes on this side
        names = [str(c) for c in causes[used]]
        weights = np.zeros((len(here), len(used)))
        weights[np.arange(len(here)), local] = values[known]
        totals = (padded[:, here] * (1.0 - padded[:, there])) @ weights
        items = pd.DataFrame(totals, index=codes, columns=names)[(totals != 0).any(axis=1)]
        if not group_codes:
            return items, pd.DataFrame()
        crossing = g_padded[:, here] * (1.0 - g_padded[:, there])
        reached = crossing.any(axis=1)
        if not reached.any():
            return items, pd.DataFrame()
        crossed = np.bincount(local, weights=crossing.any(axis=0), minlength=len(used)) > 0
        groups = pd.DataFrame((crossing @ weights)[reached][:, crossed],
                              index=[c for c, r in zip(group_codes, reached, strict=True) if r],
                              columns=[c for c, u in zip(names, crossed, strict=True) if u])
        return items, groups.sort_index()

    return side(target, source), side(source, target)


_GROUPS: dict[int, tuple[Account, list[str], np.ndarray]] = {}


def group_incidence(account: Account) -> tuple[list[str], np.ndarray]:
    """Group codes and G with G[g, i] = 1 when item i (incidence order) or an ancestor is in g."""
    cached = _GROUPS.get(id(account))
    if cached is None or cached[0] is not account:  # keyed by identity; the account is kept alive
        codes, _ = incidence(account)
        matrix = np.zeros((len(account.groups), len(codes)))
        for row, group in enumerate(account.groups.values()):
            members = set(group.members)
            for col, code in enumerate(codes):  # catalog items (tens), not data rows
                if members.intersection(account.ancestors(code)):
                    matrix[row, col] = 1.0
        cached = (account, list(account.groups), matrix)
        _GROUPS[id(account)] = cached
    return cached[1], cached[2]


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
    flows: pd.DataFrame | None = None  # the span's flow totals it was computed from (see FlowTotals.of)

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
                 year_to: int, values: ValueTable | None = None,
                 flows: FlowTotals | None = None) -> ChangeTable:
    """Compute the 存量及变动表 of ``resource`` for the span year_from → year_to.

    ``values`` may pass a ValueTable already holding both years, ``flows`` the span's
    FlowTotals (each saves a query).
    """
    account = project.catalog.account(resource)
    resource = account.resource
    if values is None or not {year_from, year_to} <= set(values.years):
        values = value_table(project, region, [year_from, year_to])
    booked = (flows.of(resource) if flows is not None and flows.covers(region, year_from, year_to)
              else load_flow_totals(project, region, resource, year_from, year_to))
    (add_cause, group_adds), (red_cause, group_reds) = _cause_totals(account, booked)
    add_cause = pd.concat([add_cause, group_adds]) if not group_adds.empty else add_cause
    red_cause = pd.concat([red_cause, group_reds]) if not group_reds.empty else red_cause

    layout = _layout(account)
    codes = layout.codes
    opening = values.array(resource, codes, year_from)
    observed = values.array(resource, codes, year_to)
    is_stock = layout.is_stock
    factor_of = {c.code: FACTOR_CODES.index(c.factor) for c in account.causes.values()}
    other = FACTOR_CODES.index("other")

    def by_factor(table: pd.DataFrame) -> np.ndarray:
        """codes × factors: the causes' totals summed per factor, NaN off stock rows."""
        out = np.zeros((len(codes), len(FACTOR_CODES)))
        if not table.empty:
            onehot = np.zeros((len(table.columns), len(FACTOR_CODES)))
            onehot[np.arange(len(table.columns)), [factor_of.get(c, other) for c in table.columns]] = 1.0
            rows = [layout.position[c] for c in table.index]
            np.add.at(out, rows, np.nan_to_num(table.to_numpy(dtype=float)) @ onehot)
        out[~is_stock] = np.nan
        return out

    adds, reds = by_factor(add_cause), by_factor(red_cause)
    additions = adds.sum(axis=1)
    reductions = reds.sum(axis=1)
    closing = np.where(is_stock, opening + additions - reductions, observed)
    columns: dict[str, Any] = {"item": codes, **layout.meta}
    columns["opening"] = np.where(layout.is_flow, np.nan, opening)
    columns["observed_closing"] = observed
    for k, f in enumerate(FACTOR_CODES):
        columns[f"add_{f}"] = adds[:, k]
    for k, f in enumerate(FACTOR_CODES):
        columns[f"red_{f}"] = reds[:, k]
    columns["additions"] = additions
    columns["reductions"] = reductions
    columns["closing"] = closing
    columns["discrepancy"] = np.where(is_stock, observed - closing, np.nan)
    frame = pd.DataFrame(columns)
    return ChangeTable(region, resource, year_from, year_to, account.unit, frame,
                       add_cause.fillna(0.0), red_cause.fillna(0.0), account, booked)


@dataclass(frozen=True)
class _Layout:
    """What a 存量及变动表 of an account shows per row, computed once per account."""

    codes: list[str]                 # items in display order, then groups
    position: dict[str, int]
    meta: dict[str, pd.Series]       # name, parent, kind, unit, depth (object columns)
    is_stock: np.ndarray             # stock items and groups
    is_flow: np.ndarray              # flow-kind items (no opening)


_LAYOUTS: dict[int, tuple[Account, _Layout]] = {}


def _layout(account: Account) -> _Layout:
    cached = _LAYOUTS.get(id(account))
    if cached is None or cached[0] is not account:  # keyed by identity; the account is kept alive
        codes = account.order + list(account.groups)
        rows = [_meta(account, c) for c in codes]
        meta = {key: pd.Series([r[key] for r in rows], dtype=object)
                for key in ("name", "parent", "kind", "unit", "depth")}
        kinds = np.array([r["kind"] for r in rows], dtype=object)
        layout = _Layout(codes, {c: k for k, c in enumerate(codes)}, meta,
                         np.isin(kinds, ["stock", "group"]), kinds == "flow")
        cached = (account, layout)
        _LAYOUTS[id(account)] = cached
    return cached[1]  # its meta Series are copied into each table's DataFrame


def _meta(account: Account, code: str) -> dict[str, Any]:
    if code in account.items:
        item = account.items[code]
        return {"name": item.name, "parent": item.parent, "kind": item.kind, "unit": item.unit,
                "depth": account.depth(code)}
    group = account.groups[code]
    return {"name": group.name, "parent": None, "kind": "group", "unit": account.unit, "depth": 0}
