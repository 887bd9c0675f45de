"""Produce a report: compute its data once, fill the template, save the workbook, draw the PDF.

The PDF is drawn from the filled workbook, so the two cannot disagree (templates/README.md).
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from balancesheet.catalog import Catalog
from balancesheet.errors import UserError
from balancesheet.resources import data_dir

if TYPE_CHECKING:
    from balancesheet.project import Project
    from balancesheet.reports.balance_sheet import SignOff
    from balancesheet.reports.data import ReportData

Progress = Callable[[str], None]
BALANCE_SHEET = "balance_sheet.xlsx"
BALANCE_SHEET_SHEETS = ["封面", "资产负债总表", "土地", "森林", "水资源", "湿地", "转移矩阵", "指标", "校验问题"]
AUDIT = "audit.xlsx"
AUDIT_SHEETS = ["封面", "基本情况", "实物量变化表", "目标完成情况", "审计评价", "问题清单", "审计建议"]


@dataclass
class ReportResult:
    """What was written, and how long each stage took."""

    xlsx: Path
    pdf: Path | None
    template: Path
    pages: int | None = None
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    source: Any = None  # what the data were computed from (an AuditResult for audits)


def find_template(name: str, template: Path | None = None, template_dir: Path | None = None) -> Path:
    """The template to use: an explicit file, else ``template_dir/name``, else the shipped one."""
    if template is not None:
        if not template.is_file():
            raise UserError(f"模板文件不存在：{template}", f"Template not found: {template}")
        return template
    if template_dir is not None:
        if not template_dir.is_dir():
            raise UserError(f"模板目录不存在：{template_dir}", f"Template folder not found: {template_dir}")
        candidate = template_dir / name
        if candidate.is_file():
            return candidate
    return data_dir("templates") / name


def balance_sheet_names(catalog: Catalog) -> tuple[set[str], dict[str, set[str]]]:
    """Scalar names and table columns the balance-sheet template may use (for template-check)."""
    from balancesheet.reports.balance_sheet import CHANGE_COLUMNS

    scalars = {"region_code", "region_name", "year", "year_from", "span", "report_date", "filing_unit", "head",
               "preparer", "title", "matrix_note", "data_note"} | {f"{r}_unit" for r in catalog.accounts}
    land = catalog.accounts["land"]
    root = next(c for c in land.order if land.items[c].parent is None)
    tables: dict[str, set[str]] = {r: set(CHANGE_COLUMNS) for r in catalog.accounts}
    tables["balance"] = {"resource", "code", "name", "unit", "asset", "liability", "net", "note"}
    tables["matrix"] = {"code", "name", "total"} | {f"c{c}" for c in land.order if c != root} | {"cEXT"}
    tables["indicators"] = {"code", "name", "unit", "value", "previous", "change", "target", "op", "status"}
    tables["problems"] = {"severity", "kind", "resource", "item", "expected", "actual", "difference", "message"}
    return scalars, tables


def audit_names(catalog: Catalog) -> tuple[set[str], dict[str, set[str]]]:
    """Scalar names and table columns the audit template may use."""
    scalars, tables = balance_sheet_names(catalog)
    scalars |= {"official_id", "official_name", "post", "tenure_start", "tenure_end", "audit_kind", "start_year",
                "end_year", "compare_note", "total", "grade", "grade_note", "score_notes", "status", "fingerprint",
                "audit_id"}
    for name in ("balance", "indicators", "problems"):
        tables.pop(name)
    tables |= {
        "changes": {"resource", "code", "name", "unit", "start", "end", "change", "pct", "additions", "reductions"},
        "causes": {"resource", "cause", "factor", "unit", "additions", "reductions"},
        "targets": {"year", "code", "name", "unit", "kind", "op", "target", "actual", "status", "source"},
        "indicators": {"code", "name", "unit", "start", "end", "change", "trend"},
        "blocks": {"block", "name", "max", "deducted", "score"},
        "deductions": {"block", "rule", "points", "basis"},
        "findings": {"no", "area", "description", "amount", "unit", "severity", "responsibility", "status",
                     "recommendation"},
        "advice": {"no", "text"},
    }
    return scalars, tables


def names_for(kind: str, catalog: Catalog) -> tuple[set[str], dict[str, set[str]], list[str]]:
    """(scalars, tables, required sheets) of report ``kind`` (balance_sheet or audit)."""
    if kind == "audit":
        return (*audit_names(catalog), AUDIT_SHEETS)
    return (*balance_sheet_names(catalog), BALANCE_SHEET_SHEETS)


def verify_template(path: Path, catalog: Catalog, kind: str) -> None:
    """Refuse a user's template with errors (a report would show raw placeholders); warnings pass."""
    from balancesheet.reports.template_check import check_template, format_issues

    scalars, tables, sheets = names_for(kind, catalog)
    issues = check_template(path, scalars, tables, sheets)
    if any(i.severity == "error" for i in issues):
        raise UserError(f"模板 {path.name} 有错误，未生成报告：\n{format_issues(issues)}",
                        f"Template {path.name} has errors; no report written.")


def write_report(data: ReportData, template: Path, xlsx: Path, pdf: Path | None = None,
                 progress: Progress | None = None) -> ReportResult:
    """Fill ``template`` with ``data`` into ``xlsx``; draw ``pdf`` from the filled workbook."""
    from balancesheet.reports.filler import fill_template

    say = progress or (lambda _m: None)
    xlsx, pdf = Path(xlsx), None if pdf is None else Path(pdf)
    result = ReportResult(xlsx, pdf, template)
    start = time.perf_counter()
    say(f"填写模板 {template.name} …")
    workbook = fill_template(template, data)
    # Written under temporary names in the same folders and renamed at the end, so a crash or a
    # kill never leaves a half-written report under the names asked for (tests/test_crash.py).
    token = uuid.uuid4().hex[:8]
    parts = {final: final.with_name(f".{final.name}.{token}.partial") for final in (xlsx, pdf) if final}
    try:
        try:
            workbook.save(parts[xlsx])
        except OSError as exc:
            raise UserError(f"无法写入 {xlsx}：{exc.strerror}（文件是否正在 Excel/WPS 中打开？）",
                            f"Cannot write {xlsx}") from exc
        result.timings["xlsx"] = time.perf_counter() - start
        if pdf is not None:
            from balancesheet.reports.pdf import render_pdf

            say("生成 PDF …")
            start = time.perf_counter()
            info = render_pdf(workbook, parts[pdf], data.charts, title=str(data.scalars.get("title", "")))
            result.timings["pdf"] = time.perf_counter() - start
            result.pages = info.pages
            result.warnings += list(info.warnings)
        for final, part in parts.items():
            try:
                os.replace(part, final)
            except OSError as exc:
                raise UserError(f"无法写入 {final}：{exc.strerror}（文件是否正在 Excel/WPS 或 PDF 阅读器中打开？）",
                                f"Cannot write {final}: is it open in another program?") from exc
    finally:
        for part in parts.values():
            part.unlink(missing_ok=True)
    return result


def choose_template(name: str, kind: str, catalog: Catalog, template: Path | None,
                    template_dir: Path | None) -> Path:
    """The template to use for report ``kind``; a user's template is verified before use."""
    chosen = find_template(name, template, template_dir)
    if chosen.resolve() != (data_dir("templates") / name).resolve():
        verify_template(chosen, catalog, kind)
    return chosen


def produce(compute_data: Callable[[], ReportData], template: Path, xlsx: Path, pdf: Path | None,
            progress: Progress | None) -> ReportResult:
    """Compute the report's data once, then write the workbook and the PDF; time each stage."""
    start = time.perf_counter()
    data = compute_data()
    elapsed = time.perf_counter() - start
    result = write_report(data, template, xlsx, pdf, progress)
    result.timings = {"data": elapsed, **result.timings}
    return result


def balance_sheet_report(project: Project, region: str, year: int, xlsx: Path, pdf: Path | None = None,
                         year_from: int | None = None, sign_off: SignOff | None = None,
                         template: Path | None = None, template_dir: Path | None = None,
                         progress: Progress | None = None) -> ReportResult:
    """The balance-sheet report of ``region`` for ``year`` as a workbook (and PDF)."""
    from balancesheet.reports.balance_sheet import balance_sheet_data

    chosen = choose_template(BALANCE_SHEET, "balance_sheet", project.catalog, template, template_dir)
    if progress:
        progress(f"计算 {region} {year} 年报表数据 …")
    return produce(lambda: balance_sheet_data(project, region, year, year_from, sign_off), chosen, xlsx, pdf,
                   progress)


def audit_report(project: Project, audit_id: int, xlsx: Path, pdf: Path | None = None,
                 template: Path | None = None, template_dir: Path | None = None,
                 report_date: object = None, progress: Progress | None = None) -> ReportResult:
    """The departure-audit report of audit ``audit_id`` as a workbook (and PDF).

    A final audit's report is produced only while its data still match its fingerprint.
    """
    from balancesheet.audit.workflow import compute, verify
    from balancesheet.reports.audit_report import audit_report_data

    chosen = choose_template(AUDIT, "audit", project.catalog, template, template_dir)
    if progress:
        progress(f"计算审计 {audit_id} 的任期分析与评分 …")

    computed: list[Any] = []

    def data() -> ReportData:
        state = compute(project, audit_id)
        computed.append(state)
        if state.status == "final":
            ok, stored, _now = verify(project, audit_id)
            if not ok:
                raise UserError(
                    f"审计 {audit_id} 已定稿，但定稿后数据库中的数据已被改动（指纹不符），无法重现定稿报告。"
                    f"请核查定稿后对数据的改动（变更日志 change_log 记录了修改人、时间和新旧值）；定稿指纹 {stored}",
                    f"Audit {audit_id} is final but its data changed since; the report cannot be reproduced.")
        return audit_report_data(project, state, report_date)  # type: ignore[arg-type]

    result = produce(data, chosen, xlsx, pdf, progress)
    result.source = computed[0]
    return result
