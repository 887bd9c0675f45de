"""Indicators (耕地保有量, 森林覆盖率 …) per year, and targets evaluated against them.

A target is met, missed (by how much, in the indicator's unit) or has no data — never "met" for
missing data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from balancesheet.ledger.values import ValueTable, value_table

if TYPE_CHECKING:
    from balancesheet.project import Project

MET, MISSED, NO_DATA = "met", "missed", "no_data"
STATUS_ZH = {MET: "达标", MISSED: "未达标", NO_DATA: "无数据"}


@dataclass(frozen=True)
class TargetResult:
    """One target evaluated for one year."""

    indicator: str
    name: str
    unit: str
    year: int
    op: str
    target: float
    binding: bool
    source: str
    actual: float | None
    status: str
    gap: float | None  # shortfall (>=) or overdraft (<=), positive when missed; 0 when met

    @property
    def status_text(self) -> str:
        """达标 / 未达标（差 12.34 公顷） / 无数据."""
        if self.status == MISSED and self.gap is not None:
            word = "缺口" if self.op == ">=" else "超出"
            return f"未达标（{word} {self.gap:,.2f} {self.unit}）"
        return STATUS_ZH[self.status]


def indicator_series(project: Project, region: str, years: list[int],
                     values: ValueTable | None = None) -> pd.DataFrame:
    """Indicator values: rows = indicator codes, columns = years (NaN where unknown)."""
    table = values if values is not None and set(years) <= set(values.years) else value_table(project, region, years)
    data = {code: table.formula(ind.formula).reindex(years) for code, ind in project.catalog.indicators.items()}
    return pd.DataFrame(data).T.reindex(columns=years)


def load_targets(project: Project, region: str) -> pd.DataFrame:
    """The region's targets (indicator, year_from, year_to, op, value, binding, source)."""
    return project.store.read_sql(
        "SELECT indicator, year_from, year_to, op, value, binding, source FROM target "
        "WHERE region_code = :r ORDER BY indicator, binding DESC, year_from", {"r": region})


def evaluate_targets(project: Project, region: str, years: list[int],
                     values: ValueTable | None = None) -> list[TargetResult]:
    """Every target applying to each of ``years``, evaluated against the indicator's value."""
    series = indicator_series(project, region, years, values)
    targets = load_targets(project, region)
    out: list[TargetResult] = []
    for t in targets.itertuples():  # targets: a few dozen per region
        indicator = project.catalog.indicators.get(t.indicator)
        if indicator is None:
            continue
        for year in years:
            if not t.year_from <= year <= t.year_to:
                continue
            actual = series.loc[t.indicator, year] if t.indicator in series.index else float("nan")
            if pd.isna(actual):
                status, gap, actual_value = NO_DATA, None, None
            else:
                actual_value = float(actual)
                gap = (t.value - actual_value) if t.op == ">=" else (actual_value - t.value)
                status = MISSED if gap > 1e-9 else MET
                gap = max(gap, 0.0)
            out.append(TargetResult(t.indicator, indicator.name, indicator.unit, year, t.op, float(t.value),
                                    bool(t.binding), t.source or "", actual_value, status, gap))
    return out
