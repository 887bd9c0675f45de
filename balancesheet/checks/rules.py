"""The checks: identities, continuity, hierarchy, cross-resource links, signs, codes and units.

Each rule returns a list of Problems; nothing is ever corrected behind the user's back.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

import pandas as pd

from balancesheet.catalog import Account, Catalog
from balancesheet.checks.problem import Problem
from balancesheet.ledger.changes import ChangeTable, FlowTotals, change_table, flow_totals
from balancesheet.ledger.values import ValueTable, load_stocks

if TYPE_CHECKING:
    from balancesheet.project import Project


def _fmt(v: float | None) -> str:
    return "—" if v is None or pd.isna(v) else f"{v:,.2f}"


class Context:
    """What the rules share for one region and year."""

    def __init__(self, project: Project, region: str, year: int, tolerance: float,
                 values: ValueTable | None = None, tables: dict[str, ChangeTable] | None = None,
                 flows: FlowTotals | None = None):
        self.project = project
        self.catalog: Catalog = project.catalog
        self.region = region
        self.year = year
        self.tol = tolerance
        if values is not None and {year - 1, year} <= set(values.years):
            self.values = values
            self.stocks = values.stocks[values.stocks["year"].isin([year - 1, year])]
        else:
            self.stocks = load_stocks(project, region, years=[year - 1, year])
            self.values = ValueTable(self.catalog, self.stocks, [year - 1, year])
        self.tables = {r: t for r, t in (tables or {}).items()
                       if (t.region, t.year_from, t.year_to) == (region, year - 1, year)}
        self._flows = flows if flows is not None and flows.covers(region, year - 1, year) else None

    @property
    def flows(self) -> FlowTotals:
        """The year's flows of every resource by (resource, from, to, cause), read once (the
        given tables' totals are reused: the land records are not summed a second time)."""
        if self._flows is None:
            known = {r: t.flows for r, t in self.tables.items() if t.flows is not None}
            self._flows = flow_totals(self.project, self.region, self.year - 1, self.year, known)
        return self._flows

    @cached_property
    def previous_resources(self) -> set[str]:
        """Resources with any stock at the end of the previous year."""
        return set(self.stocks.loc[self.stocks["year"] == self.year - 1, "resource"])

    @cached_property
    def negatives(self) -> pd.DataFrame:
        """The year's stored stocks below zero."""
        return self.stocks[(self.stocks["year"] == self.year) & (self.stocks["value"] < 0)]

    def change_table(self, resource: str) -> ChangeTable:
        """The year's 存量及变动表 of ``resource`` (computed once)."""
        if resource not in self.tables:
            self.tables[resource] = change_table(self.project, self.region, resource, self.year - 1,
                                                 self.year, self.values, self.flows)
        return self.tables[resource]

    def problem(self, severity: str, kind: str, resource: str | None, item: str | None,
                expected: float | None, actual: float | None, message: str, message_en: str,
                unit: str | None = None, year: int | None = None) -> Problem:
        diff = None if expected is None or actual is None else actual - expected
        return Problem(severity, kind, self.region, year or self.year, resource, item, expected, actual,
                       diff, self.tol, message, message_en, unit)


def _off(a: float | None, b: float | None, tol: float) -> bool:
    return a is not None and b is not None and not pd.isna(a) and not pd.isna(b) and abs(a - b) > tol + 1e-9


def balance(ctx: Context, account: Account) -> list[Problem]:
    """Computed closing (opening + additions − reductions) vs observed closing, per booked item."""
    table = ctx.change_table(account.resource)
    rows = table.rows[table.rows["kind"] == "stock"]
    records = rows.to_dict("records")  # catalog items (tens), not data rows: plain dicts are cheaper
    observed = {r["item"]: r["observed_closing"] for r in records}
    out: list[Problem] = []
    has_previous = account.resource in ctx.previous_resources
    for row in records:
        code = row["item"]
        if any(pd.notna(observed.get(c)) for c in account.children[code]):
            continue  # checked at the children, and their sum by children_sum
        name = f"{code} {row['name']}"
        if _off(row["closing"], row["observed_closing"], ctx.tol):
            out.append(ctx.problem(
                "error", "balance", account.resource, code, row["closing"], row["observed_closing"],
                f"{name}：期初 {_fmt(row['opening'])} + 增加 {_fmt(row['additions'])} − 减少 "
                f"{_fmt(row['reductions'])} = {_fmt(row['closing'])}，但期末存量为 {_fmt(row['observed_closing'])}，"
                f"相差 {_fmt(row['observed_closing'] - row['closing'])}（容差 {ctx.tol}）",
                f"{code}: opening + additions − reductions ≠ observed closing", row["unit"]))
        elif has_previous and pd.isna(row["opening"]) and (pd.notna(row["observed_closing"]) or row["additions"] or row["reductions"]):
            out.append(ctx.problem(
                "warning", "continuity", account.resource, code, None, row["observed_closing"],
                f"{name}：{ctx.year - 1} 年末无存量，无法核对本年期初（本期期初应等于上期期末）",
                f"{code}: no stock at the end of {ctx.year - 1}; opening unknown", row["unit"]))
        elif pd.notna(row["opening"]) and pd.isna(row["observed_closing"]):
            out.append(ctx.problem(
                "warning", "missing_stock", account.resource, code, row["closing"], None,
                f"{name}：缺少 {ctx.year} 年末存量（计算期末为 {_fmt(row['closing'])}）",
                f"{code}: no observed stock at the end of {ctx.year}", row["unit"]))
        if pd.notna(row["closing"]) and row["closing"] < -ctx.tol:
            out.append(ctx.problem(
                "error", "negative", account.resource, code, 0.0, row["closing"],
                f"{name}：计算期末存量为负（{_fmt(row['closing'])}），减少量大于期初加增加",
                f"{code}: computed closing is negative", row["unit"]))
    booked = rows["observed_closing"].notna().any() or (rows["additions"].fillna(0) != 0).any() \
        or (rows["reductions"].fillna(0) != 0).any()
    if not has_previous and booked:
        out.append(ctx.problem(
            "warning", "continuity", account.resource, None, None, None,
            f"{account.name}：没有 {ctx.year - 1} 年末存量，本年期初未知，平衡关系无法核对",
            f"{account.name_en}: no stocks at the end of {ctx.year - 1}; balance not checkable"))
    return out


def children_sum(ctx: Context, account: Account) -> list[Problem]:
    """A parent's own observed stock vs the sum of its children."""
    rolled = ctx.values.rolled[account.resource]
    bad = rolled[(rolled["year"] == ctx.year) & rolled["covered"] & rolled["own"].notna()]
    bad = bad[(bad["own"] - bad["rolled"]).abs() > ctx.tol + 1e-9]
    return [ctx.problem(
        "error", "children_sum", account.resource, r.item, r.rolled, r.own,
        f"{r.item} {account.items[r.item].name}：填报值 {_fmt(r.own)}，下级项目合计 {_fmt(r.rolled)}，"
        f"相差 {_fmt(r.own - r.rolled)}",
        f"{r.item}: reported value differs from the sum of its children", account.items[r.item].unit)
        for r in bad.itertuples()]


def negative_stocks(ctx: Context, account: Account) -> list[Problem]:
    """Observed stocks below zero."""
    rows = ctx.negatives[ctx.negatives["resource"] == account.resource]
    return [ctx.problem("error", "negative", account.resource, r.item, 0.0, r.value,
                        f"{r.item} {account.items[r.item].name if r.item in account.items else ''}："
                        f"存量为负（{_fmt(r.value)}）", f"{r.item}: negative stock")
            for r in rows.itertuples()]


def land_total(ctx: Context) -> list[Problem]:
    """Land total constant across years and equal to the region's area when given."""
    account = ctx.catalog.accounts["land"]
    root = next(c for c in account.order if account.items[c].parent is None)
    now = ctx.values.value("land", root, ctx.year)
    before = ctx.values.value("land", root, ctx.year - 1)
    out = []
    if _off(before, now, ctx.tol):
        out.append(ctx.problem(
            "error", "land_total", "land", root, before, now,
            f"土地总面积发生变化：{ctx.year - 1} 年末 {_fmt(before)}，{ctx.year} 年末 {_fmt(now)}"
            f"（相差 {_fmt(now - before)}）。区域总面积不变，地类变化只能是相互转移",
            "Total land area changed between years", account.unit))
    region = ctx.project.region(ctx.region)
    if region.area_ha is not None and _off(region.area_ha, now, ctx.tol):
        out.append(ctx.problem(
            "error", "land_total", "land", root, region.area_ha, now,
            f"各地类合计 {_fmt(now)} 与区划土地总面积 {_fmt(region.area_ha)} 不符（相差 {_fmt(now - region.area_ha)}）",
            "Land classes do not add up to the region's area", account.unit))
    return out


def links(ctx: Context) -> list[Problem]:
    """Declared cross-resource identities (forest 林地 = land 03, wetland = land 00 …)."""
    out = []
    for account in ctx.catalog.accounts.values():
        for link in account.links:
            left = ctx.values.value(account.resource, link.left, ctx.year)
            right = ctx.values.value(link.right_resource, link.right, ctx.year)
            if _off(right, left, ctx.tol):
                other = ctx.catalog.accounts[link.right_resource]
                right_name = other.items[link.right].name if link.right in other.items else other.groups[link.right].name
                out.append(ctx.problem(
                    "error", "link", account.resource, link.left, right, left,
                    f"{link.name}：{account.name} {link.left} 为 {_fmt(left)}，{other.name} {link.right} {right_name} 为 "
                    f"{_fmt(right)}，相差 {_fmt(left - right)}（容差 {ctx.tol}）", f"Cross-check failed: {link.left} ≠ {link.right_resource}:{link.right}",
                    account.items[link.left].unit if link.left in account.items else None))
    return out


def codes_and_units(ctx: Context) -> list[Problem]:
    """Stored rows whose item, cause or unit is not (or no longer) in the catalog."""
    out = []
    stocks = ctx.project.store.read_sql(
        "SELECT DISTINCT resource, item, unit FROM stock WHERE region_code = :r AND year = :y",
        {"r": ctx.region, "y": ctx.year})
    for r in stocks.itertuples():
        account = ctx.catalog.accounts.get(r.resource)
        if account is None or r.item not in account.items:
            out.append(ctx.problem("error", "unknown_item", r.resource, r.item, None, None,
                                   f"存量记录的项目「{r.item}」不在账户目录中", f"Unknown item {r.item}"))
        elif account.items[r.item].unit != r.unit:
            out.append(ctx.problem("error", "unit", r.resource, r.item, None, None,
                                   f"{r.item} 按「{r.unit}」存储，但目录规定单位为「{account.items[r.item].unit}」",
                                   "Stored unit differs from the catalog unit"))
    out += _flow_codes(ctx)
    return out


def _flow_codes(ctx: Context) -> list[Problem]:
    """Items and causes of the year's stored flows that the catalog does not know (or not as leaves).

    Works on the year's totals by (resource, from, to, cause): one problem per unknown code with
    the number of records that use it; loops run over distinct codes, not records.
    """
    out: list[Problem] = []
    for resource, flows in ctx.flows.by_resource.items():
        if flows.empty:
            continue
        account = ctx.catalog.accounts.get(resource)
        if account is not None:  # the usual case, decided on the distinct codes alone
            codes = set(pd.unique(flows["from_item"].dropna())) | set(pd.unique(flows["to_item"].dropna()))
            if all(c in account.items and account.is_leaf(c) for c in codes) \
                    and set(pd.unique(flows["cause"])) <= set(account.causes):
                continue
        out += _unknown_codes(ctx, resource, account, flows)
    return out


def _unknown_codes(ctx: Context, resource: str, account: Account | None, flows: pd.DataFrame) -> list[Problem]:
    out: list[Problem] = []
    moved = flows["to_item"].fillna("") != flows["from_item"].fillna("")  # count X → X once
    sides = pd.concat([flows[["from_item", "records"]].rename(columns={"from_item": "code"}),
                       flows.loc[moved, ["to_item", "records"]].rename(columns={"to_item": "code"})])
    per_code = sides.dropna(subset=["code"]).groupby("code")["records"].sum()
    for code, n in per_code.items():  # distinct codes (tens), not records
        if account is None or code not in account.items:
            out.append(ctx.problem("error", "unknown_item", resource, code, None, None,
                                   f"{n} 条变动记录的项目「{code}」不在账户目录中", f"Unknown item {code}"))
        elif not account.is_leaf(code):
            out.append(ctx.problem("warning", "flow_on_parent", resource, code, None, None,
                                   f"{n} 条变动记在汇总项目「{code}」上，应记在末级项目",
                                   f"Flows booked on parent item {code}"))
    if account is not None:
        per_cause = flows.groupby("cause")["records"].sum()
        out += [ctx.problem("error", "unknown_cause", resource, None, None, None,
                            f"{n} 条变动记录的原因「{cause}」不在账户目录中", f"Unknown cause {cause}")
                for cause, n in per_cause.items() if cause not in account.causes]
    return out
