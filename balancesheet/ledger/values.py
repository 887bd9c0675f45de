"""Observed values per item and year: stocks rolled up to parents, groups and derived items.

All aggregation is a SQL query plus vectorised pandas merges/group-bys; no Python loop runs over
data rows (loops run over catalog items only, a few dozen).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from balancesheet.catalog import Account, Catalog
from balancesheet.catalog.formula import Ref, parse

if TYPE_CHECKING:
    from balancesheet.project import Project


def ancestor_frame(account: Account, proper: bool = False) -> pd.DataFrame:
    """DataFrame (item, ancestor) for each item and its ancestors (itself unless ``proper``)."""
    frame = pd.DataFrame(account.ancestor_pairs, columns=["item", "ancestor"])
    return frame[frame["item"] != frame["ancestor"]] if proper else frame


def load_stocks(project: Project, region: str, resources: Iterable[str] | None = None,
                years: Iterable[int] | None = None) -> pd.DataFrame:
    """Stored stock rows (resource, item, year, value) of a region, optionally filtered."""
    sql = "SELECT resource, item, year, value FROM stock WHERE region_code = :region"
    params: dict[str, object] = {"region": region}
    if resources is not None:
        names = list(resources)
        sql += " AND resource IN (" + ", ".join(f":r{i}" for i in range(len(names))) + ")"
        params.update({f"r{i}": r for i, r in enumerate(names)})
    if years is not None:
        ys = sorted(set(int(y) for y in years))
        sql += " AND year IN (" + ", ".join(f":y{i}" for i in range(len(ys))) + ")"
        params.update({f"y{i}": y for i, y in enumerate(ys)})
    return project.store.read_sql(sql, params)


def rollup(account: Account, rows: pd.DataFrame) -> pd.DataFrame:
    """Roll stock rows (item, year, value) of one resource up the hierarchy.

    A parent's value is the sum of the most detailed data below it; an item's own observed value
    (when given) is what it shows. Returns (item, year, value, own, rolled, covered): ``own`` the
    stored value, ``rolled`` the sum of the data below, ``covered`` True where descendants hold data.
    """
    rows = rows[rows["item"].isin(account.items)][["item", "year", "value"]]
    if rows.empty:
        return pd.DataFrame({"item": [], "year": [], "value": [], "own": [], "rolled": [], "covered": []})
    anc = ancestor_frame(account)
    proper = ancestor_frame(account, proper=True)
    covered = (rows[["item", "year"]].merge(proper, on="item")[["ancestor", "year"]]
               .drop_duplicates().rename(columns={"ancestor": "item"}))
    base = rows.merge(covered, on=["item", "year"], how="left", indicator=True)
    base = base[base["_merge"] == "left_only"].drop(columns="_merge")
    rolled = (base.merge(anc, on="item").groupby(["ancestor", "year"], as_index=False)["value"].sum()
              .rename(columns={"ancestor": "item"}))
    out = rolled.merge(rows.rename(columns={"value": "own"}), on=["item", "year"], how="outer")
    out["rolled"] = out["value"]
    out["value"] = out["own"].combine_first(out["value"])
    out = out.merge(covered.assign(covered=True), on=["item", "year"], how="left")
    out["covered"] = out["covered"].astype("boolean").fillna(False).astype(bool)
    return out


def group_values(account: Account, rolled: pd.DataFrame) -> pd.DataFrame:
    """Values (item=group code, year, value) of the account's groups from rolled item values."""
    members = pd.DataFrame(
        [(g.code, m) for g in account.groups.values() for m in g.members], columns=["group", "item"]
    )
    if members.empty or rolled.empty:
        return pd.DataFrame({"item": [], "year": [], "value": []})
    merged = members.merge(rolled[["item", "year", "value"]], on="item")
    return (merged.groupby(["group", "year"], as_index=False)["value"].sum(min_count=1)
            .rename(columns={"group": "item"}))


class ValueTable:
    """Every item, group and derived value of a region for some years, across all resources."""

    def __init__(self, catalog: Catalog, stocks: pd.DataFrame, years: Iterable[int]):
        self.catalog = catalog
        self.years = sorted(set(int(y) for y in years))
        parts = []
        self.rolled: dict[str, pd.DataFrame] = {}  # per resource, as returned by rollup()
        for resource, account in catalog.accounts.items():
            rolled = rollup(account, stocks[stocks["resource"] == resource])
            self.rolled[resource] = rolled
            groups = group_values(account, rolled)
            both = pd.concat([rolled[["item", "year", "value"]], groups], ignore_index=True)
            both["resource"] = resource
            parts.append(both)
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        self._wide = (frame.pivot_table(index=["resource", "item"], columns="year", values="value",
                                        aggfunc="first")
                      if not frame.empty else pd.DataFrame())
        self._wide = self._wide.reindex(columns=self.years)
        self._derived: dict[tuple[str, str], pd.Series] = {}

    def series(self, resource: str, code: str) -> pd.Series:
        """Values by year of an item, group or derived item (NaN where unknown)."""
        account = self.catalog.accounts[resource]
        item = account.items.get(code)
        if item is not None and item.kind == "derived":
            key = (resource, code)
            if key not in self._derived:
                formula = parse(item.formula or "")
                self._derived[key] = self._evaluate(formula.evaluate, resource)
            return self._derived[key]
        if (resource, code) in self._wide.index:
            return self._wide.loc[(resource, code)].astype(float)
        return pd.Series(float("nan"), index=self.years, dtype=float)

    def value(self, resource: str, code: str, year: int) -> float | None:
        """One value, or None when unknown."""
        v = self.series(resource, code).get(year)
        return None if v is None or pd.isna(v) else float(v)

    def formula(self, text: str, resource: str = "") -> pd.Series:
        """Evaluate a formula (e.g. an indicator's) over the years."""
        return self._evaluate(parse(text).evaluate, resource)

    def _evaluate(self, evaluate, resource: str) -> pd.Series:  # noqa: ANN001
        def value_of(ref: Ref) -> pd.Series:
            res, code = ref.qualified(resource)
            return self.series(self.catalog.account(res).resource, code)

        result = evaluate(value_of)
        if not isinstance(result, pd.Series):
            result = pd.Series(result, index=self.years, dtype=float)
        return result.astype(float)


def value_table(project: Project, region: str, years: Iterable[int]) -> ValueTable:
    """All observed values of ``region`` for ``years`` (one SQL query)."""
    ys = sorted(set(int(y) for y in years))
    return ValueTable(project.catalog, load_stocks(project, region, years=ys), ys)
