"""The departure-audit report's data, computed once from an AuditResult.

Sections: 基本情况, 实物量变化表 (tenure start vs end), 目标完成情况 (each tenure year), 审计评价
(score by content area with every deduction and its basis), 问题清单 (findings by content area
with responsibility), 审计建议, and annexed 存量及变动表 / transition matrix for the tenure span.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from balancesheet.audit.workflow import STATUS_ZH, AuditResult
from balancesheet.indicators import STATUS_ZH as TARGET_ZH
from balancesheet.reports.balance_sheet import _num, change_rows, chinese_date, matrix_rows
from balancesheet.reports.data import ChartSpec, ReportData, TableData

if TYPE_CHECKING:
    from balancesheet.project import Project

AREAS = {
    1: "贯彻执行中央生态文明建设方针政策和决策部署情况",
    2: "遵守自然资源资产管理和生态环境保护法律法规情况",
    3: "自然资源资产管理和生态环境保护重大决策情况",
    4: "完成自然资源资产管理和生态环境保护目标情况",
    5: "履行自然资源资产管理和生态环境保护监督责任情况",
    6: "组织自然资源资产和生态环境保护相关资金征管用和项目建设运行情况",
    7: "履行其他相关责任情况",
}


def _change_rows(result: AuditResult) -> TableData:
    rows = []
    for table in result.analysis.tables.values():
        account = table.account
        indexed = table.rows.set_index("item")
        for code in account.main_items:
            if code not in indexed.index:
                continue
            r = indexed.loc[code]
            start, end = _num(r["opening"]), _num(r["observed_closing"])
            change = None if start is None or end is None else end - start
            pct = None if change is None or not start else change / start * 100
            rows.append({"resource": account.name, "code": code, "name": r["name"], "unit": r["unit"],
                         "start": start, "end": end, "change": change, "pct": pct,
                         "additions": _num(r["additions"]), "reductions": _num(r["reductions"]),
                         "_emphasis": False, "_level": 0})
    return TableData(["resource", "code", "name", "unit", "start", "end", "change", "pct", "additions",
                      "reductions"], rows)


def _cause_rows(result: AuditResult) -> TableData:
    rows = []
    for table in result.analysis.tables.values():
        account = table.account
        leaves = [c for c in account.stock_leaves() if account.items[c].unit == account.unit]
        adds = table.additions_by_cause.reindex(leaves).sum() if not table.additions_by_cause.empty else {}
        reds = table.reductions_by_cause.reindex(leaves).sum() if not table.reductions_by_cause.empty else {}
        for code, cause in account.causes.items():
            a, r = float(adds.get(code, 0.0)), float(reds.get(code, 0.0))
            if a or r:
                rows.append({"resource": account.name, "cause": cause.name,
                             "factor": {"human": "人为", "natural": "自然", "other": "其他"}[cause.factor],
                             "unit": account.unit, "additions": a, "reductions": r, "_emphasis": False, "_level": 0})
    return TableData(["resource", "cause", "factor", "unit", "additions", "reductions"], rows)


def _target_rows(result: AuditResult) -> TableData:
    rows = [{"year": t.year, "code": t.indicator, "name": t.name, "unit": t.unit,
             "kind": "约束性" if t.binding else "预期性", "op": {">=": "≥", "<=": "≤"}[t.op], "target": t.target,
             "actual": t.actual, "status": t.status_text if t.status == "missed" else TARGET_ZH[t.status],
             "source": t.source, "_emphasis": t.status == "missed", "_level": 0}
            for t in sorted(result.analysis.targets, key=lambda t: (t.indicator, t.year))]
    return TableData(["year", "code", "name", "unit", "kind", "op", "target", "actual", "status", "source"], rows)


def _indicator_rows(project: Project, result: AuditResult) -> TableData:
    frame = result.analysis.indicators
    start, end = result.analysis.tenure.start_year, result.analysis.tenure.end_year
    rows = []
    for code, ind in project.catalog.indicators.items():
        series = frame.loc[code]
        a, b = _num(series[start]), _num(series[end])
        trend = "；".join(f"{y}年 {v:,.2f}" for y, v in series.items() if v == v)
        rows.append({"code": code, "name": ind.name, "unit": ind.unit, "start": a, "end": b,
                     "change": None if a is None or b is None else b - a, "trend": trend,
                     "_emphasis": False, "_level": 0})
    return TableData(["code", "name", "unit", "start", "end", "change", "trend"], rows)


def audit_report_data(project: Project, result: AuditResult, report_date: dt.date | None = None) -> ReportData:
    """Everything the audit report shows."""
    a = result.analysis
    t = a.tenure
    s = result.score
    scalars: dict[str, Any] = {
        "region_code": a.official.region, "region_name": a.official.region_name,
        "official_id": a.official.id, "official_name": a.official.name, "post": a.official.post,
        "tenure_start": chinese_date(t.start_date), "tenure_end": chinese_date(t.end_date) if t.end_date else "至今（在任）",
        "audit_kind": "任中审计" if t.running else "离任审计", "start_year": t.start_year, "end_year": t.end_year,
        "compare_note": t.explanation, "total": s.total, "grade": s.grade,
        "grade_note": f"存在重大问题（{'、'.join(s.red_flags)}），评价等次封顶。" if s.red_flags else "",
        "score_notes": "；".join(s.notes),
        "status": "定稿" if result.status == "final" else "草稿（未定稿）",
        "fingerprint": result.fingerprint, "report_date": chinese_date(report_date or dt.date.today()),
        "audit_id": result.audit_id,
        "title": f"{a.official.region_name}{a.official.post}{a.official.name}自然资源资产{'任中' if t.running else '离任'}审计报告",
        "matrix_note": "；".join(a.matrix.notes) or "行为期初地类，列为期末地类，对角线为未变化面积",
        # for the annexed tables, shared with the balance-sheet template's sheets
        "span": f"{t.start_year}年末至{t.end_year}年末", "year_from": t.start_year, "year": t.end_year,
        "filing_unit": a.official.region_name, "head": "", "preparer": "",
    }
    tables: dict[str, TableData] = {
        "changes": _change_rows(result), "causes": _cause_rows(result), "targets": _target_rows(result),
        "indicators": _indicator_rows(project, result),
        "blocks": TableData(["block", "name", "max", "deducted", "score"], [
            {"block": b.block, "name": b.name, "max": b.max_points, "deducted": b.deducted, "score": b.score,
             "_emphasis": False, "_level": 0} for b in s.blocks]),
        "deductions": TableData(["block", "rule", "points", "basis"], [
            {"block": d.block, "rule": d.rule_name, "points": d.points, "basis": d.basis, "_emphasis": False,
             "_level": 0} for d in s.deductions]),
        "findings": TableData(["no", "area", "description", "amount", "unit", "severity", "responsibility",
                               "status", "recommendation"], [
            {"no": n, "area": f"{f['area']}. {AREAS[f['area']]}", "description": f["description"],
             "amount": f["amount"], "unit": f["unit"], "severity": f["severity"],
             "responsibility": f["responsibility"], "status": STATUS_ZH[f["status"]],
             "recommendation": f["recommendation"], "_emphasis": f["severity"] == "后果严重", "_level": 0}
            for n, f in enumerate([f for f in result.findings if f["status"] != "rejected"], start=1)]),
    }
    advice = list(dict.fromkeys(f["recommendation"] for f in result.findings
                                if f["status"] == "accepted" and f["recommendation"]))
    tables["advice"] = TableData(["no", "text"], [{"no": n, "text": text, "_emphasis": False, "_level": 0}
                                                  for n, text in enumerate(advice, start=1)])
    for resource, table in a.tables.items():
        scalars[f"{resource}_unit"] = table.unit
        tables[resource] = change_rows(table)
    tables["matrix"] = matrix_rows(a.matrix)
    charts = [ChartSpec("各审计内容得分", [f"{b.block}" for b in s.blocks],
                        {"满分": [b.max_points for b in s.blocks], "得分": [b.score for b in s.blocks]}, "分",
                        "审计评价")]
    return ReportData(scalars, tables, charts)
