"""Checks of a read 存量及变动表 against its own items and against the project.

- which rows are stored (items with no listed items below them) and which are subtotals;
- subtotals (parent items, groups) against the sum of their items: a mismatch rejects the file;
- derived items (森林覆盖率 …) against the catalog's formulas: a difference is noted;
- the opening column: stored as the year before when that year has no data, else compared;
- 本期增加/本期减少 by factor against the flows stored in the project: differences noted.

Tolerances allow for published rounding: half a unit of the second decimal of the table's unit per
item summed (at least 0.01), converted into the stored unit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from balancesheet.catalog import Account, Catalog
from balancesheet.errors import Issue
from balancesheet.importer.readers import RawTable
from balancesheet.ledger.values import (
    ValueTable,
    ancestor_frame,
    group_values,
    incidence,
    load_stocks,
    rollup,
)

if TYPE_CHECKING:
    from balancesheet.importer.wide import WideSheet
    from balancesheet.project import Project

MAX_LISTED = 8
_FACTOR_FIELDS = ("add_human", "add_natural", "add_other", "additions",
                  "red_human", "red_natural", "red_other", "reductions")


def tolerance(factor: pd.Series | float, items: pd.Series | float = 1) -> pd.Series | float:
    """Rounding allowance in the stored unit for a sum of ``items`` values written in a unit that
    is ``factor`` stored units."""
    return factor * np.maximum(0.01, 0.005 * items) + 1e-9


def mark_stored(account: Account, rows: pd.DataFrame, column: str) -> pd.Series:
    """Rows whose ``column`` value is stored: an item of kind stock (or, for the closing column,
    an annual quantity) with a value, none of whose descendants has a value in the sheet."""
    kinds = ["stock"] if column == "opening" else ["stock", "flow"]
    valued = rows["item"].notna() & rows[column].notna()
    pairs = ancestor_frame(account, proper=True)
    covered = set(pairs.loc[pairs["item"].isin(rows.loc[valued, "item"]), "ancestor"])
    return valued & rows["kind"].isin(kinds) & ~rows["item"].isin(covered)


def _expected(account: Account, rows: pd.DataFrame, column: str) -> pd.DataFrame:
    """Per item and group: the sum of the stored values below it and how many there are."""
    stored = rows[rows[f"store_{column}"]]
    base = pd.DataFrame({"item": stored["item"], "year": 0, "value": stored[column]})
    rolled = rollup(account, base)
    codes, m = incidence(account)
    has = pd.Series(0.0, index=codes)
    has[stored["item"]] = 1.0
    counts = pd.Series(m @ has.to_numpy(), index=codes)
    groups = group_values(account, rolled)
    group_counts = {g.code: sum(counts.get(mem, 0.0) for mem in g.members) for g in account.groups.values()}
    expected = pd.concat([rolled.set_index("item")["value"], groups.set_index("item")["value"]])
    return pd.DataFrame({"expected": expected,
                         "items": pd.concat([counts, pd.Series(group_counts, dtype=float)])})


def subtotal_issues(table: RawTable, account: Account, rows: pd.DataFrame, fields: dict[str, str]) -> list[Issue]:
    """Parent and group rows whose value differs from the sum of their listed items."""
    issues: list[Issue] = []
    for column in ("closing", "opening"):
        if column not in rows:
            continue
        subtotal = rows[rows["item"].notna() & rows[column].notna() & ~rows[f"store_{column}"]
                        & rows["kind"].isin(["stock", "group"])]
        if subtotal.empty:
            continue
        sums = _expected(account, rows, column).reindex(subtotal["item"])
        expected = pd.Series(sums["expected"].to_numpy(), index=subtotal.index)
        items = pd.Series(sums["items"].to_numpy(), index=subtotal.index).fillna(0)
        diff = subtotal[column] - expected
        bad = expected.notna() & (diff.abs() > tolerance(subtotal["factor"], items))
        for row, rec in subtotal[bad].iterrows():  # the wrong subtotals: a few rows
            f = rec["factor"]
            issues.append(Issue(
                table.location(int(row), fields[column]),
                f"{rec['label']} 是合计行（由其明细汇总，不导入），但与明细之和不符：表中 {rec[f'shown_{column}']:,.4f}，"
                f"其 {int(items[row])} 项明细之和 {expected[row] / f:,.4f}，相差 {diff[row] / f:,.4f}"
                f"（{rec['written_unit']}）。请核对本行或其明细行",
                f"subtotal differs from the sum of its items by {diff[row] / f:,.4f}",
                str(rec[f"shown_{column}"])))
    return issues


def derived_notes(catalog: Catalog, sheets: list[WideSheet]) -> list[str]:
    """Derived rows whose value differs from the catalog formula over the imported stocks."""
    stocks = pd.concat([pd.DataFrame({"region": s.region, "resource": s.resource, "item": s.rows["item"],
                                      "year": s.year, "value": s.rows["closing"]})[s.rows["store_closing"]]
                        for s in sheets], ignore_index=True) if sheets else pd.DataFrame()
    notes = []
    for s in sheets:
        derived = s.rows[(s.rows["kind"] == "derived") & s.rows["closing"].notna()]
        if derived.empty:
            continue
        mine = stocks[(stocks["region"] == s.region) & (stocks["year"] == s.year)]
        values = ValueTable(catalog, mine, [s.year])
        found = []
        for _row, rec in derived.iterrows():  # derived items: a few per account
            computed = values.value(s.resource, rec["item"], s.year)
            if computed is not None and abs(rec["closing"] - computed) > max(
                    tolerance(rec["factor"]), 1e-3 * abs(computed)):
                found.append(f"第 {rec['row']} 行 {rec['label']} 表中 {rec['shown_closing']:,.4f}，"
                             f"按目录公式 {computed / rec['factor']:,.4f}")
        if found:
            place = f"工作表「{s.table.sheet}」" if s.table.sheet else s.table.file
            notes.append(f"{place}的计算项与公式结果不同（计算项不导入，以公式为准）：" + "；".join(found))
    return notes


def plan_openings(project: Project, sheets: list[WideSheet], closing: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The opening stocks to write (for years with no stocks of that resource) and notes."""
    parts, notes = [], []
    for s in sheets:
        if "opening" not in s.rows:
            continue
        rows = s.rows[s.rows["store_opening"]]
        if rows.empty:
            continue
        opening = pd.DataFrame({"region_code": s.region, "year": s.year_from, "resource": s.resource,
                                "item": rows["item"], "unit": rows["unit"], "value": rows["opening"]})
        stored = load_stocks(project, s.region, [s.resource], [s.year_from])[["item", "value"]]
        same = closing[(closing["region_code"] == s.region) & (closing["year"] == s.year_from)
                       & (closing["resource"] == s.resource)][["item", "value"]]
        prior = pd.concat([stored, same], ignore_index=True).drop_duplicates("item", keep="last")
        sheet = f"工作表「{s.table.sheet}」" if s.table.sheet else s.table.file
        if prior.empty:
            parts.append(opening)
            notes.append(f"{sheet}：项目中没有 {s.region} {s.year_from} 年末的{_name(project, s)}存量，"
                         f"已将期初存量作为 {s.year_from} 年末存量导入（{len(opening)} 项）")
            continue
        both = opening.merge(prior, on="item", suffixes=("", "_prior"))
        if len(both) < len(opening):
            notes.append(f"{sheet}：项目中已有 {s.year_from} 年末的{_name(project, s)}存量，但没有其中 "
                         f"{len(opening) - len(both)} 项（如 {'、'.join(opening[~opening['item'].isin(prior['item'])]['item'].head(5))}）；"
                         "这些项目的期初存量未导入，需要时请导入该年的存量表")
        factor = rows.set_index("item")["factor"].reindex(both["item"]).to_numpy()
        off = both[(both["value"] - both["value_prior"]).abs() > tolerance(factor)]
        if not off.empty:
            listed = "；".join(f"{r.item} 表中 {r.value:,.2f}，已有 {r.value_prior:,.2f}"
                              for r in off.head(MAX_LISTED).itertuples())
            more = f" 等 {len(off)} 项" if len(off) > MAX_LISTED else ""
            notes.append(f"{sheet}：期初存量与项目中 {s.year_from} 年末存量不一致（期初未导入，以项目中的为准）："
                         f"{listed}{more}")
    frame = pd.concat(parts, ignore_index=True) if parts else closing.iloc[0:0]
    return frame, notes


def compare_flows(project: Project, sheets: list[WideSheet]) -> list[str]:
    """Notes where 本期增加/本期减少 by factor differ from the project's stored flows."""
    from balancesheet.ledger.changes import change_table, load_flow_totals

    notes = []
    for s in sheets:
        present = [f for f in _FACTOR_FIELDS if f in s.rows]
        given = s.rows[present].fillna(0.0) if present else pd.DataFrame()
        if given.empty or not (given.abs() > 1e-9).any().any():
            continue
        sheet = f"工作表「{s.table.sheet}」" if s.table.sheet else s.table.file
        if load_flow_totals(project, s.region, s.resource, s.year_from, s.year).empty:
            years = f"{s.year}" if s.year_from + 1 == s.year else f"{s.year_from + 1}–{s.year}"
            source = "土地变更记录（land_changes）" if s.resource == "land" else "变动（增减）表（flows）"
            notes.append(f"{sheet}：本期增加/减少未导入（宽表不含变动的来源、去向和原因）；项目中没有 "
                         f"{years} 年的{_name(project, s)}变动记录，核对时期末存量与「期初 + 增加 − 减少」"
                         f"的差异将显示为未解释差异。可导入{source}补全")
            continue
        table = change_table(project, s.region, s.resource, s.year_from, s.year).rows.set_index("item")
        off = []
        for f in present:  # factor columns: at most eight
            mine = s.rows[s.rows[f].notna()]
            theirs = table[f].reindex(mine["item"]).fillna(0.0).to_numpy()
            bad = (mine[f] - theirs).abs() > tolerance(mine["factor"])
            off += [f"{r.label} {f} 表中 {getattr(r, 'shown_' + f):,.2f}，记录合计 {t / r.factor:,.2f}"
                    for r, t in zip(mine[bad].itertuples(), theirs[bad.to_numpy()], strict=True)]
        if off:
            more = f" 等 {len(off)} 处" if len(off) > MAX_LISTED else ""
            notes.append(f"{sheet}：本期增加/减少与项目中已有的变动记录不一致（宽表的增减不导入）："
                         + "；".join(off[:MAX_LISTED]) + more)
    return notes


def _name(project: Project, sheet: WideSheet) -> str:
    return project.catalog.accounts[sheet.resource].name


__all__ = ["compare_flows", "derived_notes", "mark_stored", "plan_openings", "subtotal_issues", "tolerance"]
