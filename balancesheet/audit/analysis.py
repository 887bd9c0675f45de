"""Tenure analysis: what changed in the county's natural resources during an official's tenure.

Stocks at the year-end before the tenure and at its end (see tenure.py for the rule), changes by
cause over the span, the land transition matrix of the span, indicators for every year, and
every applicable target evaluated for each year of the tenure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import select

from balancesheet.audit.tenure import TenureYears, tenure_years
from balancesheet.errors import UserError
from balancesheet.indicators import TargetResult, evaluate_targets, indicator_series
from balancesheet.ledger.changes import ChangeTable, change_table
from balancesheet.ledger.matrix import TransitionMatrix, transition_matrix
from balancesheet.ledger.values import value_table
from balancesheet.store.schema import Official

if TYPE_CHECKING:
    from balancesheet.project import Project


@dataclass(frozen=True)
class OfficialInfo:
    """The audited official."""

    id: str
    name: str
    post: str
    region: str
    region_name: str


@dataclass
class TenureAnalysis:
    """Everything the audit compares, computed once."""

    official: OfficialInfo
    tenure: TenureYears
    tables: dict[str, ChangeTable]       # span start_year → end_year, per resource
    matrix: TransitionMatrix
    indicators: pd.DataFrame             # indicator × year (start_year … end_year)
    targets: list[TargetResult]          # each tenure year (start_year+1 … end_year)


def load_official(project: Project, official_id: str) -> tuple[OfficialInfo, dt.date, dt.date | None]:
    """The official ``official_id`` with the tenure's start and end, or a UserError listing the known ones."""
    with project.store.session() as s:
        row = s.get(Official, official_id)
        if row is None:
            known = "、".join(f"{o.id} {o.name}" for o in s.scalars(select(Official)).all()) or "无"
            raise UserError(f"未找到领导干部编号 {official_id}。项目中的领导干部：{known}",
                            f"Unknown official {official_id}.")
        info = (row.id, row.name, row.post, row.region_code, row.start, row.end)
    region = project.region(info[3])
    return OfficialInfo(info[0], info[1], info[2], info[3], region.name), info[4], info[5]


def stock_years(project: Project, region: str) -> list[int]:
    """Years with any year-end stock for the region."""
    frame = project.store.read_sql("SELECT DISTINCT year FROM stock WHERE region_code = :r ORDER BY year",
                                   {"r": region})
    return [int(y) for y in frame["year"]]


def analyse_tenure(project: Project, official_id: str, rule: str = "previous") -> TenureAnalysis:
    """Compare the region's resources before and at the end of the official's tenure."""
    official, start, end = load_official(project, official_id)
    tenure = tenure_years(start, end, stock_years(project, official.region), rule)
    years = list(range(tenure.start_year, tenure.end_year + 1))
    values = value_table(project, official.region, years)
    tables = {r: change_table(project, official.region, r, tenure.start_year, tenure.end_year, values)
              for r in project.catalog.accounts}
    matrix = transition_matrix(project, official.region, tenure.start_year, tenure.end_year, values=values)
    indicators = indicator_series(project, official.region, years, values)
    targets = evaluate_targets(project, official.region, tenure.years, values)
    return TenureAnalysis(official, tenure, tables, matrix, indicators, targets)
