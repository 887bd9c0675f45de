"""The checks: identities, continuity, hierarchy, cross-resource links, signs, codes and units.

Each rule returns a list of Problems; nothing is ever corrected behind the user's back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from balancesheet.catalog import Account, Catalog
from balancesheet.checks.problem import Problem
from balancesheet.ledger.changes import ChangeTable, change_table
from balancesheet.ledger.values import ValueTable, load_stocks

if TYPE_CHECKING:
    from balancesheet.project import Project


def _fmt(v: float | None) -> str:
    return "—" if v is None or pd.isna(v) else f"{v:,.2f}"


class Context:
    """What the rules share for one region and year."""

    def __init__(self, project: Project, region: str, year: int, tolerance: float,
                 values: ValueTable | None = None, tables: dict[str, ChangeTable] | None = None):
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
                       if (t.year_from, t.year_to) == (year - 1, year)}

    def change_table(self, resource: str) -> ChangeTable:
        """The year's 存量及变动表 of ``resource`` (computed once)."""
        if resource not in self.tables:
            self.tables[resource] = change_table(self.project, self.region, resource, self.year - 1,
                                                 self.year, self.values)
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
    rows = table.rows[table.rows["kind"] == "stock"].set_index("item")
    out: list[Problem] = []
    has_previous = not ctx.stocks[(ctx.stocks["resource"] == account.resource)
                                  & (ctx.stocks["year"] == ctx.year - 1)].empty
    for code, row in rows.iterrows():  # catalog items (tens), not data rows
        children = account.children[code]
        if children and rows.loc[children, "observed_closing"].notna().any():
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
    rows = ctx.stocks[(ctx.stocks["resource"] == account.resource) & (ctx.stocks["year"] == ctx.year)
                      & (ctx.stocks["value"] < 0)]
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
    flows = ctx.project.store.read_sql(
        "SELECT resource, from_item, to_item, cause, COUNT(*) AS n FROM flow WHERE region_code = :r AND year = :y "
        "GROUP BY resource, from_item, to_item, cause", {"r": ctx.region, "y": ctx.year})
    for r in flows.itertuples():
        account = ctx.catalog.accounts.get(r.resource)
        for code in (r.from_item, r.to_item):
            if code is None or pd.isna(code):
                continue
            if account is None or code not in account.items:
                out.append(ctx.problem("error", "unknown_item", r.resource, code, None, None,
                                       f"{r.n} 条变动记录的项目「{code}」不在账户目录中", f"Unknown item {code}"))
            elif not account.is_leaf(code):
                out.append(ctx.problem("warning", "flow_on_parent", r.resource, code, None, None,
                                       f"{r.n} 条变动记在汇总项目「{code}」上，应记在末级项目",
                                       f"Flows booked on parent item {code}"))
        if account is not None and r.cause not in account.causes:
            out.append(ctx.problem("error", "unknown_cause", r.resource, None, None, None,
                                   f"{r.n} 条变动记录的原因「{r.cause}」不在账户目录中", f"Unknown cause {r.cause}"))
    return out
