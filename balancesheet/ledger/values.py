"""Observed values per item and year: stocks rolled up to parents, groups and derived items.

All aggregation is a SQL query plus vectorised pandas merges/group-bys; no Python loop runs over
data rows (loops run over catalog items only, a few dozen).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from balancesheet.catalog import Account, Catalog
from balancesheet.catalog.formula import Ref, parse

if TYPE_CHECKING:
    from balancesheet.project import Project


_ANCESTORS: dict[int, tuple[Account, pd.DataFrame, pd.DataFrame]] = {}


def ancestor_frame(account: Account, proper: bool = False) -> pd.DataFrame:
    """DataFrame (item, ancestor) for each item and its ancestors (itself unless ``proper``)."""
    cached = _ANCESTORS.get(id(account))
    if cached is None or cached[0] is not account:  # keyed by identity; the account is kept alive
        frame = pd.DataFrame(account.ancestor_pairs, columns=["item", "ancestor"])
        cached = (account, frame, frame[frame["item"] != frame["ancestor"]])
        _ANCESTORS[id(account)] = cached
    return cached[2] if proper else cached[1]


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


def incidence(account: Account) -> tuple[list[str], np.ndarray]:
    """Item codes and the matrix M with M[a, i] = 1 when a is an ancestor of i or i itself."""
    cached = _INCIDENCE.get(id(account))
    if cached is None or cached[0] is not account:
        codes = list(account.items)
        index = {c: k for k, c in enumerate(codes)}
        matrix = np.zeros((len(codes), len(codes)))
        for item, ancestor in account.ancestor_pairs:
            matrix[index[ancestor], index[item]] = 1.0
        cached = (account, codes, matrix)
        _INCIDENCE[id(account)] = cached
    return cached[1], cached[2]


_INCIDENCE: dict[int, tuple[Account, list[str], np.ndarray]] = {}


def rollup(account: Account, rows: pd.DataFrame) -> pd.DataFrame:
    """Roll stock rows (item, year, value) of one resource up the hierarchy.

    A parent's value is the sum of the most detailed data below it; an item's own observed value
    (when given) is what it shows. Returns (item, year, value, own, rolled, covered): ``own`` the
    stored value, ``rolled`` the sum of the data below, ``covered`` True where descendants hold data.
    Items × years is a small dense matrix (a catalog has tens of items), so this is matrix algebra.
    """
    rows = rows[rows["item"].isin(account.items)]
    if rows.empty:
        return pd.DataFrame({"item": [], "year": [], "value": [], "own": [], "rolled": [], "covered": []})
    codes, m = incidence(account)
    own = rows.pivot_table(index="item", columns="year", values="value", aggfunc="first").reindex(codes)
    years = list(own.columns)
    values = own.to_numpy(dtype=float)
    has = ~np.isnan(values)
    proper = m - np.eye(len(codes))
    covered = (proper @ has) > 0            # some descendant holds data that year
    base = np.where(has & ~covered, values, 0.0)
    counted = m @ (has & ~covered)  # how many base values sit in the subtree
    rolled = np.where(counted > 0, m @ base, np.nan)
    shown = np.where(has, values, rolled)
    keep = ~np.isnan(shown)
    item_idx, year_idx = np.nonzero(keep)
    return pd.DataFrame({
        "item": [codes[i] for i in item_idx], "year": [years[j] for j in year_idx],
        "value": shown[keep], "own": values[keep], "rolled": rolled[keep], "covered": covered[keep],
    })


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
        self.stocks = stocks
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
        self._series: dict[tuple[str, str], pd.Series] = {}
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
        key = (resource, code)
        if not self._series and not self._wide.empty:  # index every row once
            matrix = self._wide.to_numpy(dtype=float)
            self._series = {k: pd.Series(row, index=self.years) for k, row in zip(self._wide.index, matrix, strict=True)}
        if key not in self._series:
            self._series[key] = pd.Series(float("nan"), index=self.years, dtype=float)
        return self._series[key]

    def value(self, resource: str, code: str, year: int) -> float | None:
        """One value, or None when unknown."""
        v = self.series(resource, code).get(year)
        return None if v is None or v != v else float(v)  # v != v: NaN

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
