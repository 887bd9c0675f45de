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
_NO_STOCKS = pd.DataFrame({"resource": pd.Series(dtype=object), "item": pd.Series(dtype=object),
                           "year": pd.Series(dtype=int), "value": pd.Series(dtype=float)})


def rollup(account: Account, rows: pd.DataFrame) -> pd.DataFrame:
    """Roll stock rows (item, year, value) of one resource up the hierarchy.

    A parent's value is the sum of the most detailed data below it; an item's own observed value
    (when given) is what it shows. Returns (item, year, value, own, rolled, covered): ``own`` the
    stored value, ``rolled`` the sum of the data below, ``covered`` True where descendants hold data.
    Items × years is a small dense matrix (a catalog has tens of items), so this is matrix algebra.
    """
    rows = rows[rows["item"].isin(account.items)]
    years = sorted(set(int(y) for y in rows["year"]))
    return _Rollup(account, rows, years).frame()


class _Rollup:
    """The rollup of one resource's stock rows as items × years matrices (incidence order)."""

    def __init__(self, account: Account, rows: pd.DataFrame, years: list[int]) -> None:
        codes, m = incidence(account)
        self.codes, self.years = codes, years
        values = np.full((len(codes), len(years)), np.nan)
        rows = rows[rows["value"].notna()].drop_duplicates(["item", "year"])  # the first value counts
        item_idx = rows["item"].map({c: k for k, c in enumerate(codes)})
        year_idx = rows["year"].map({y: k for k, y in enumerate(years)})
        ok = (item_idx.notna() & year_idx.notna()).to_numpy()
        values[item_idx[ok].to_numpy(dtype=int), year_idx[ok].to_numpy(dtype=int)] = \
            rows["value"].to_numpy(dtype=float)[ok]
        has = ~np.isnan(values)
        proper = m - np.eye(len(codes))
        self.covered = (proper @ has) > 0            # some descendant holds data that year
        base = np.where(has & ~self.covered, values, 0.0)
        counted = m @ (has & ~self.covered)  # how many base values sit in the subtree
        self.rolled = np.where(counted > 0, m @ base, np.nan)
        self.own = values
        self.shown = np.where(has, values, self.rolled)

    def frame(self) -> pd.DataFrame:
        """(item, year, value, own, rolled, covered) for every item and year with a value."""
        keep = ~np.isnan(self.shown)
        if not keep.any():
            return pd.DataFrame({"item": [], "year": [], "value": [], "own": [], "rolled": [],
                                 "covered": []})
        item_idx, year_idx = np.nonzero(keep)
        return pd.DataFrame({
            "item": [self.codes[i] for i in item_idx], "year": [self.years[j] for j in year_idx],
            "value": self.shown[keep], "own": self.own[keep], "rolled": self.rolled[keep],
            "covered": self.covered[keep],
        })

    def groups(self, account: Account) -> dict[str, np.ndarray]:
        """Each group's values by year: the sum of its members' values (NaN where none has one)."""
        index = {c: k for k, c in enumerate(self.codes)}
        known = ~np.isnan(self.shown)
        filled = np.where(known, self.shown, 0.0)
        out = {}
        for group in account.groups.values():  # catalog groups (a few), not data rows
            rows = [index[c] for c in group.members if c in index]
            total = filled[rows].sum(axis=0)
            out[group.code] = np.where(known[rows].any(axis=0), total, np.nan)
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
        self.stocks = stocks
        self.years = sorted(set(int(y) for y in years))
        self.rolled: dict[str, pd.DataFrame] = {}  # per resource, as returned by rollup()
        self._rows: dict[tuple[str, str], np.ndarray] = {}  # (resource, code) → values by year
        in_years = stocks[stocks["year"].isin(self.years)] if not stocks.empty else stocks
        for resource, account in catalog.accounts.items():  # a few resources
            part = in_years[in_years["resource"] == resource] if not in_years.empty else in_years
            result = _Rollup(account, part if not part.empty else _NO_STOCKS, self.years)
            self.rolled[resource] = result.frame()
            for code, row in zip(result.codes, result.shown, strict=True):
                if not np.isnan(row).all():
                    self._rows[(resource, code)] = row
            for code, row in result.groups(account).items():
                if (resource, code) not in self._rows and not np.isnan(row).all():
                    self._rows[(resource, code)] = row
        self._column = {y: k for k, y in enumerate(self.years)}
        self._series: dict[tuple[str, str], pd.Series] = {}
        self._derived: dict[tuple[str, str], pd.Series] = {}

    def series(self, resource: str, code: str) -> pd.Series:
        """Values by year of an item, group or derived item (NaN where unknown)."""
        account = self.catalog.accounts[resource]
        item = account.items.get(code)
        key = (resource, code)
        if item is not None and item.kind == "derived":
            if key not in self._derived:
                formula = parse(item.formula or "")
                self._derived[key] = self._evaluate(formula.evaluate, resource)
            return self._derived[key]
        if key not in self._series:
            self._series[key] = pd.Series(self._row(resource, code), index=self.years, dtype=float)
        return self._series[key]

    def _row(self, resource: str, code: str) -> np.ndarray:
        """Values by year (in ``years`` order) as an array, without building a Series."""
        item = self.catalog.accounts[resource].items.get(code)
        if item is not None and item.kind == "derived":  # the formula, never a stored value
            return self.series(resource, code).to_numpy(dtype=float)
        key = (resource, code)
        row = self._rows.get(key)
        if row is None:
            row = self._rows[key] = np.full(len(self.years), np.nan)
        return row

    def value(self, resource: str, code: str, year: int) -> float | None:
        """One value, or None when unknown."""
        column = self._column.get(year)
        v = None if column is None else self._row(resource, code)[column]
        return None if v is None or v != v else float(v)  # v != v: NaN

    def array(self, resource: str, codes: list[str], year: int) -> np.ndarray:
        """The values of ``codes`` (items, groups, derived items) at ``year``; NaN where unknown."""
        column = self._column.get(year)
        if column is None:
            return np.full(len(codes), np.nan)
        return np.array([self._row(resource, c)[column] for c in codes], dtype=float)

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
