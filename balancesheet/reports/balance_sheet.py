"""The balance-sheet report's data for one region and year (or span), computed once.

Sections: title block, one 存量及变动表 per resource, the 资产负债总表 (assets, liabilities
against targets, net position — per resource, in physical units, never added across resources),
the land transition matrix, the indicator table and the check problems.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from balancesheet.checks import DEFAULT_TOLERANCE, Problem, check
from balancesheet.crosswalk import crosswalked_imports, report_note
from balancesheet.indicators import MISSED, TargetResult, evaluate_targets, indicator_series
from balancesheet.ledger.changes import FACTOR_CODES, ChangeTable, change_table, flow_totals
from balancesheet.ledger.matrix import TransitionMatrix, transition_matrix
from balancesheet.ledger.values import ValueTable, value_table
from balancesheet.reports.data import ChartSpec, ReportData, TableData

if TYPE_CHECKING:
    from balancesheet.project import Project

SHEET_OF = {"land": "土地", "forest": "森林", "water": "水资源", "wetland": "湿地"}
CHANGE_COLUMNS = ["code", "name", "unit", "opening", *[f"add_{f}" for f in FACTOR_CODES], "additions",
                  *[f"red_{f}" for f in FACTOR_CODES], "reductions", "closing", "observed_closing",
                  "discrepancy"]


@dataclass(frozen=True)
class SignOff:
    """The sign-off block of an official table."""

    filing_unit: str = ""   # 填报单位
    head: str = ""          # 负责人
    preparer: str = ""      # 填表人
    report_date: dt.date | None = None  # 报出日期 (default: today)


def chinese_date(day: dt.date) -> str:
    """2024-12-31 → 2024年12月31日."""
    return f"{day.year}年{day.month}月{day.day}日"


def _num(v: Any) -> float | None:
    # Rounded to 1e-6 of the unit: removes float noise (56577.45999999999) without touching data.
    return None if v is None or pd.isna(v) else round(float(v), 6)


def change_rows(table: ChangeTable) -> TableData:
    """The 存量及变动表 rows of one resource (groups and derived items included)."""
    rows = []
    account = table.account
    for r in table.rows.to_dict("records"):
        if r["kind"] == "group" and r["opening"] is None and r["observed_closing"] is None:
            continue
        stock_like = r["kind"] in ("stock", "group")
        row: dict[str, Any] = {
            "code": r["item"], "name": r["name"] + ("（合计）" if r["kind"] == "group" else ""),
            "unit": r["unit"], "opening": _num(r["opening"]) if r["kind"] != "flow" else None,
            "closing": _num(r["closing"]) if stock_like else None,
            "observed_closing": _num(r["observed_closing"]),
            "discrepancy": _num(r["discrepancy"]) if stock_like else None,
            "_emphasis": r["kind"] == "group" or (r["item"] in account.items and not account.is_leaf(r["item"])),
            "_level": int(r["depth"]),
        }
        for prefix, total in (("add", "additions"), ("red", "reductions")):
            for f in FACTOR_CODES:
                row[f"{prefix}_{f}"] = _num(r[f"{prefix}_{f}"]) if stock_like else None
            row[total] = _num(r[total]) if stock_like else None
        rows.append(row)
    return TableData(CHANGE_COLUMNS, rows)


def balance_rows(project: Project, tables: dict[str, ChangeTable], results: list[TargetResult]) -> TableData:
    """资产负债总表: main items' closing stocks, liabilities from missed targets, net position."""
    columns = ["resource", "code", "name", "unit", "asset", "liability", "net", "note"]
    rows: list[dict[str, Any]] = []
    missed = [r for r in results if r.status == MISSED]
    used: set[str] = set()
    for resource, table in tables.items():
        account = table.account
        indexed = table.rows.set_index("item")
        for code in account.main_items:
            closing = _num(indexed.loc[code, "observed_closing"]) if code in indexed.index else None
            target = f"[{resource}:{code}]"
            floors = [r for r in missed if r.op == ">=" and _formula(project, r.indicator) == target]
            liability = sum(r.gap or 0.0 for r in floors) if floors else None
            used |= {r.indicator for r in floors}
            rows.append({
                "resource": account.name, "code": code, "name": indexed.loc[code, "name"] if code in indexed.index else code,
                "unit": indexed.loc[code, "unit"] if code in indexed.index else account.unit,
                "asset": closing, "liability": liability,
                "net": None if closing is None else closing - (liability or 0.0),
                "note": "；".join(f"{r.name}目标 {r.target:,.2f}，缺口 {r.gap:,.2f}" for r in floors),
                "_emphasis": False, "_level": 0,
            })
        for r in missed:
            ref = _formula(project, r.indicator)
            if r.indicator in used or not ref.startswith(f"[{resource}:"):
                continue
            word = "缺口" if r.op == ">=" else "超出控制目标"
            rows.append({
                "resource": account.name, "code": r.indicator, "name": f"负债：{r.name}{word}", "unit": r.unit,
                "asset": None, "liability": r.gap, "net": None,
                "note": f"目标 {r.op} {r.target:,.2f}，实际 {r.actual:,.2f}（{r.source}）" if r.actual is not None else "",
                "_emphasis": True, "_level": 0,
            })
            used.add(r.indicator)
    return TableData(columns, rows)


def _formula(project: Project, indicator: str) -> str:
    return project.catalog.indicators[indicator].formula.replace(" ", "")


def matrix_rows(matrix: TransitionMatrix) -> TableData:
    """The transition matrix as rows (opening classes) × class columns c00 … and the row total."""
    columns = ["code", "name", *[f"c{c}" for c in matrix.classes], "total"]
    rows: list[dict[str, Any]] = []
    for code, name, cells, total in zip(matrix.classes, matrix.names, matrix.cells, matrix.row_sums, strict=True):
        row = {"code": code, "name": name, "total": float(total), "_emphasis": False, "_level": 0}
        row |= {f"c{c}": float(v) for c, v in zip(matrix.classes, cells, strict=True)}
        rows.append(row)
    total_row = {"code": "", "name": "期末合计", "total": float(matrix.column_sums.sum()), "_emphasis": True,
                 "_level": 0}
    total_row |= {f"c{c}": float(v) for c, v in zip(matrix.classes, matrix.column_sums, strict=True)}
    rows.append(total_row)
    return TableData(columns, rows)


def indicator_rows(project: Project, region: str, year: int, results: list[TargetResult],
                   values: ValueTable | None = None) -> TableData:
    """指标: value this year and last, change, the binding (else expected) target and its status."""
    series = indicator_series(project, region, [year - 1, year], values)
    by_indicator: dict[str, TargetResult] = {}
    for r in results:
        if r.year == year and (r.indicator not in by_indicator or r.binding):
            by_indicator[r.indicator] = r
    rows = []
    for code, ind in project.catalog.indicators.items():
        value, previous = _num(series.loc[code, year]), _num(series.loc[code, year - 1])
        result = by_indicator.get(code)
        rows.append({
            "code": code, "name": ind.name, "unit": ind.unit, "value": value, "previous": previous,
            "change": None if value is None or previous is None else value - previous,
            "target": result.target if result else None, "op": {">=": "≥", "<=": "≤"}.get(result.op, "") if result else "",
            "status": (result.status_text + ("" if result.binding else "（预期性）")) if result else "无目标",
            "_emphasis": bool(result and result.status == MISSED), "_level": 0,
        })
    return TableData(["code", "name", "unit", "value", "previous", "change", "target", "op", "status"], rows)


def problem_rows(problems: list[Problem]) -> TableData:
    """校验问题 rows."""
    rows = [{"severity": "错误" if p.severity == "error" else "警告", "kind": p.kind, "resource": p.resource or "",
             "item": p.item or "", "expected": p.expected, "actual": p.actual, "difference": p.difference,
             "message": p.message, "_emphasis": p.severity == "error", "_level": 0} for p in problems]
    return TableData(["severity", "kind", "resource", "item", "expected", "actual", "difference", "message"], rows)


def charts_for(table: ChangeTable) -> list[ChartSpec]:
    """Per resource: opening vs closing of the main items (base unit), additions/reductions by cause."""
    account = table.account
    rows = table.rows.set_index("item")
    mains = [c for c in account.main_items if c in rows.index and rows.loc[c, "unit"] == account.unit
             and rows.loc[c, "kind"] in ("stock", "group")]
    sheet = SHEET_OF[account.resource]
    charts = []
    if mains:
        charts.append(ChartSpec(
            f"{account.name}：主要项目期初与期末存量", [str(rows.loc[c, "name"]) for c in mains],
            {"期初": [_num(rows.loc[c, "opening"]) or 0.0 for c in mains],
             "期末": [_num(rows.loc[c, "observed_closing"]) or 0.0 for c in mains]}, account.unit, sheet))
    leaves = [c for c in account.stock_leaves() if account.items[c].unit == account.unit]
    adds = table.additions_by_cause.reindex(leaves).sum() if not table.additions_by_cause.empty else pd.Series()
    reds = table.reductions_by_cause.reindex(leaves).sum() if not table.reductions_by_cause.empty else pd.Series()
    causes = [c for c in account.causes if adds.get(c, 0) or reds.get(c, 0)]
    if causes:
        charts.append(ChartSpec(
            f"{account.name}：本期增加与减少（按变动原因）", [account.causes[c].name for c in causes],
            {"增加": [float(adds.get(c, 0.0)) for c in causes], "减少": [float(reds.get(c, 0.0)) for c in causes]},
            account.unit, sheet))
    return charts


def balance_sheet_data(project: Project, region: str, year: int, year_from: int | None = None,
                       sign_off: SignOff | None = None, tolerance: float = DEFAULT_TOLERANCE) -> ReportData:
    """Everything the balance-sheet report shows for ``region`` and ``year`` (span year_from → year)."""
    region_row = project.region(region)
    y0 = year - 1 if year_from is None else year_from
    sign_off = sign_off or SignOff()
    values = value_table(project, region, sorted({y0, year - 1, year}))
    flows = flow_totals(project, region, y0, year)  # one GROUP BY for the tables, matrix and checks
    tables = {r: change_table(project, region, r, y0, year, values, flows) for r in project.catalog.accounts}
    results = evaluate_targets(project, region, [year], values)
    matrix = transition_matrix(project, region, y0, year, values=values, flows=flows)
    problems = check(project, region, year, tolerance, values=values, tables=tables, flows=flows)
    span = f"{year}年" if y0 == year - 1 else f"{y0}年末至{year}年末"
    scalars: dict[str, Any] = {
        "region_code": region, "region_name": region_row.name, "year": year, "year_from": y0, "span": span,
        "report_date": chinese_date(sign_off.report_date or dt.date.today()),
        "filing_unit": sign_off.filing_unit or region_row.name, "head": sign_off.head,
        "preparer": sign_off.preparer, "title": f"{region_row.name}{span}自然资源资产负债表",
        "matrix_note": "；".join(matrix.notes) or "行为期初地类，列为期末地类，对角线为未变化面积",
        # Data the report uses that was crosswalked from the 二调 classification: which file, how.
        "data_note": report_note(crosswalked_imports(project, region, {y0, year - 1, year}, range(y0 + 1, year + 1))),
    }
    report_tables: dict[str, TableData] = {}
    charts: list[ChartSpec] = []
    for resource, table in tables.items():
        scalars[f"{resource}_unit"] = table.unit
        report_tables[resource] = change_rows(table)
        charts += charts_for(table)
    report_tables["balance"] = balance_rows(project, tables, results)
    report_tables["matrix"] = matrix_rows(matrix)
    report_tables["indicators"] = indicator_rows(project, region, year, results, values)
    report_tables["problems"] = problem_rows(problems)
    return ReportData(scalars, report_tables, charts)
