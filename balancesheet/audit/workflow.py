"""The audit as a saved record: proposed findings, the auditor's decisions, score, freeze, verify.

An audit starts as a draft for one official. The tool proposes findings (missed targets, declines
of indicators in the bad direction, check errors at the tenure's end); the auditor accepts,
edits or rejects each and adds their own. Finalising freezes the audit: its data are stored as a
snapshot with a SHA-256 fingerprint, and `verify` recomputes that fingerprint from the database,
so a changed stock or finding after the fact is detected.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from balancesheet.audit.analysis import TenureAnalysis, analyse_tenure
from balancesheet.audit.scoring import Decline, FindingInput, Score, TargetMiss, load_scheme, score
from balancesheet.checks import check
from balancesheet.concurrency import (
    UNCHECKED,
    Unchecked,
    by_whom,
    conflict,
    last_change,
    retrying,
    same_number,
)
from balancesheet.errors import UserError
from balancesheet.indicators import MISSED
from balancesheet.store import current_user
from balancesheet.store.schema import Audit, Finding, Official

if TYPE_CHECKING:
    from balancesheet.project import Project

SEVERITIES = ("后果严重", "较严重", "一般")
RESPONSIBILITIES = ("直接责任", "领导责任")
STATUSES = ("proposed", "accepted", "rejected")
STATUS_ZH = {"proposed": "待确认", "accepted": "已确认", "rejected": "已否决"}
FIELD_ZH = {"status": "状态", "area": "审计内容", "description": "问题描述", "amount": "数量", "unit": "单位",
            "severity": "严重程度", "responsibility": "责任类型", "recommendation": "整改建议",
            "deduction": "扣分", "red_flag": "一票否决事项"}
TARGET_AREA = 4    # 完成自然资源资产管理和生态环境保护目标情况
DATA_AREA = 5      # 履行自然资源资产管理和生态环境保护监督责任情况


@dataclass(frozen=True)
class Proposal:
    """A finding the tool proposes, keyed by ``source`` so re-running never duplicates it."""

    source: str
    area: int
    description: str
    amount: float | None
    unit: str
    severity: str
    recommendation: str


@dataclass
class AuditResult:
    """An audit with everything its report shows."""

    audit_id: int
    status: str
    analysis: TenureAnalysis
    findings: list[dict[str, Any]]
    score: Score
    fingerprint: str


def _declines(analysis: TenureAnalysis, project: Project) -> list[Decline]:
    start, end = analysis.tenure.start_year, analysis.tenure.end_year
    out = []
    for code, ind in project.catalog.indicators.items():
        a, b = analysis.indicators.loc[code, start], analysis.indicators.loc[code, end]
        if a == a and b == b:  # both known (NaN != NaN)
            out.append(Decline(code, ind.name, float(a), float(b), ind.unit, ind.better))
    return out


def _misses(analysis: TenureAnalysis) -> list[TargetMiss]:
    end = analysis.tenure.end_year
    return [TargetMiss(t.indicator, t.name, t.year, float(t.gap or 0.0), t.unit, t.binding, t.year == end)
            for t in analysis.targets if t.status == MISSED]


def propose(project: Project, analysis: TenureAnalysis) -> list[Proposal]:
    """Findings the data suggest: missed targets, bad-direction declines, check errors at the end."""
    out: list[Proposal] = []
    for t in analysis.targets:
        if t.status != MISSED:
            continue
        kind = "约束性" if t.binding else "预期性"
        word = "低于" if t.op == ">=" else "超过"
        out.append(Proposal(
            f"target:{t.indicator}:{t.year}", TARGET_AREA,
            f"{t.year}年{t.name}{t.actual:,.2f}{t.unit}，{word}{kind}目标{t.target:,.2f}{t.unit}"
            f"（{t.source}），差额 {t.gap:,.2f}{t.unit}。",
            t.gap, t.unit, "较严重" if t.binding else "一般",
            f"查明{t.name}未达目标的原因，制定整改措施，确保{t.name}达到{t.source or '规划'}要求。"))
    for d in _declines(analysis, project):
        worse = (d.end_value < d.start_value) if d.better == "higher" else (d.end_value > d.start_value)
        if not worse or abs(d.end_value - d.start_value) < 1e-9:
            continue
        change = abs(d.end_value - d.start_value)
        direction = "减少" if d.end_value < d.start_value else "增加"
        out.append(Proposal(
            f"decline:{d.indicator}", TARGET_AREA,
            f"任期内{d.name}由{d.start_value:,.2f}{d.unit}{direction}至{d.end_value:,.2f}{d.unit}，"
            f"{direction}{change:,.2f}{d.unit}。", change, d.unit, "一般",
            f"分析{d.name}变化的原因，落实保护责任。"))
    for p in check(project, analysis.official.region, analysis.tenure.end_year):
        if p.severity != "error":
            continue
        out.append(Proposal(
            f"check:{analysis.tenure.end_year}:{p.kind}:{p.resource}:{p.item}", DATA_AREA,
            f"{analysis.tenure.end_year}年资产负债表数据校验未通过：{p.message}", p.difference, p.unit or "",
            "一般", "核实并更正自然资源资产负债表数据，建立数据质量复核制度。"))
    return out


def open_audit(project: Project, official_id: str, end_rule: str = "previous", new: bool = False) -> int:
    """The official's latest audit, or a new draft (when none exists or ``new``).

    A draft gets the tool's current proposals added; a final audit is returned untouched.
    """
    with project.store.session() as s:
        latest = s.scalars(select(Audit).where(Audit.official_id == official_id).order_by(Audit.id.desc())).first()
        if latest is not None and latest.status == "final" and not new:
            return latest.id
    analysis = analyse_tenure(project, official_id, end_rule)
    proposals = propose(project, analysis)
    with project.store.session(write=True) as s:
        s.get(Official, official_id, with_for_update=True)  # PostgreSQL: one draft even when two open at once
        audit = None if new else s.scalars(select(Audit).where(
            Audit.official_id == official_id, Audit.status == "draft").order_by(Audit.id.desc())).first()
        if audit is None:
            audit = Audit(official_id=official_id, region_code=analysis.official.region,
                          start_year=analysis.tenure.start_year, end_year=analysis.tenure.end_year,
                          end_rule=end_rule, status="draft", created_at=dt.datetime.now().replace(microsecond=0),
                          created_by=current_user())
            s.add(audit)
            s.flush()
            project.store.log(s, "create", "audit", audit.id, None, {"official": official_id})
        else:
            audit.start_year, audit.end_year, audit.end_rule = (analysis.tenure.start_year,
                                                                analysis.tenure.end_year, end_rule)
        known = set(s.scalars(select(Finding.source).where(Finding.audit_id == audit.id)).all())
        for p in proposals:
            if p.source not in known:
                s.add(Finding(audit_id=audit.id, area=p.area, description=p.description, amount=p.amount,
                              unit=p.unit, severity=p.severity, responsibility="领导责任",
                              recommendation=p.recommendation, source=p.source, status="proposed"))
        return audit.id


def _draft(session: Any, audit_id: int, freeze: bool = False) -> Audit:
    """The draft audit ``audit_id``, row-locked until the transaction ends (PostgreSQL; on SQLite a
    write session holds the file's lock): shared to change its findings, exclusive to ``freeze``
    it, so no finding changes between the freeze's reading and its commit."""
    audit = session.get(Audit, audit_id, with_for_update=True if freeze else {"read": True})
    if audit is None:
        raise UserError(f"未找到审计 {audit_id}", f"Unknown audit {audit_id}")
    if audit.status == "final":
        raise UserError(f"审计 {audit_id} 已定稿（{audit.finalised_at:%Y-%m-%d}），内容已冻结，不能修改",
                        f"Audit {audit_id} is final and frozen")
    return audit


def decide(project: Project, finding_id: int, status: str,
           expected: dict[str, Any] | Unchecked = UNCHECKED, **edits: Any) -> None:
    """Accept or reject a finding, optionally editing its fields (logged old → new).

    ``expected``: fields of the finding as the user saw them (e.g. status and the edited fields);
    ConflictError, nothing changed, when someone else changed any of them since.
    """
    if status not in STATUSES:
        raise UserError(f"状态应为 {'/'.join(STATUSES)}", "Invalid status")
    _validate(edits)
    retrying(lambda: _decide(project, finding_id, status, expected, edits))


def _decide(project: Project, finding_id: int, status: str, expected: dict[str, Any] | Unchecked,
            edits: dict[str, Any]) -> None:
    with project.store.session(write=True) as s:
        finding = s.get(Finding, finding_id)
        if finding is None:
            raise UserError(f"未找到问题 {finding_id}", f"Unknown finding {finding_id}")
        _draft(s, finding.audit_id)
        if not isinstance(expected, Unchecked):
            _refuse_changed(s, finding, expected)
        before = {k: getattr(finding, k) for k in ("status", *edits)}
        finding.status = status
        for key, value in edits.items():
            setattr(finding, key, value)
        project.store.log(s, "update", "finding", finding_id, before, {"status": status, **edits})


def _same_field(stored: Any, seen: Any) -> bool:
    if isinstance(stored, int | float) and isinstance(seen, int | float) and not isinstance(seen, bool):
        return same_number(stored, seen)
    if isinstance(stored, str | None) and isinstance(seen, str | None):
        return (stored or "") == (seen or "")
    return bool(stored == seen)


def _refuse_changed(session: Any, finding: Finding, expected: dict[str, Any]) -> None:
    """ConflictError when a field of ``finding`` is no longer what the user saw."""
    differ = [k for k, seen in expected.items() if not _same_field(getattr(finding, k), seen)]
    if not differ:
        return
    by_zh, by_en = by_whom(last_change(session, "finding", finding.id))

    def shown(key: str, value: Any) -> str:
        return STATUS_ZH.get(value, value) if key == "status" else ("空白" if value in (None, "") else str(value))

    fields = "；".join(f"{FIELD_ZH.get(k, k)}现为「{shown(k, getattr(finding, k))}」，您看到的是「{shown(k, expected[k])}」"
                      for k in differ)
    head = finding.description if len(finding.description) <= 20 else finding.description[:20] + "…"
    raise conflict([(f"问题 {finding.id}「{head}」{by_zh}修改（{fields}）",
                     f"Finding {finding.id} was changed {by_en} ({', '.join(differ)})")])


def add_finding(project: Project, audit_id: int, area: int, description: str, severity: str,
                responsibility: str, recommendation: str = "", amount: float | None = None, unit: str = "",
                deduction: float | None = None, red_flag: str | None = None) -> int:
    """Add the auditor's own finding (accepted)."""
    _validate({"area": area, "severity": severity, "responsibility": responsibility})
    if not description.strip():
        raise UserError("问题描述不能为空", "Description is required")
    with project.store.session(write=True) as s:
        _draft(s, audit_id)
        finding = Finding(audit_id=audit_id, area=area, description=description, amount=amount, unit=unit,
                          severity=severity, responsibility=responsibility, recommendation=recommendation,
                          source="manual", status="accepted", deduction=deduction, red_flag=red_flag)
        s.add(finding)
        s.flush()
        project.store.log(s, "insert", "finding", finding.id, None, {"audit": audit_id, "description": description})
        return finding.id


def _validate(fields: dict[str, Any]) -> None:
    if "area" in fields and fields["area"] not in range(1, 8):
        raise UserError("审计内容应为 1–7", "area must be 1–7")
    if "severity" in fields and fields["severity"] not in SEVERITIES:
        raise UserError(f"严重程度应为 {'/'.join(SEVERITIES)}", "Invalid severity")
    if "responsibility" in fields and fields["responsibility"] not in RESPONSIBILITIES:
        raise UserError(f"责任类型应为 {'/'.join(RESPONSIBILITIES)}", "Invalid responsibility")


def _findings(project: Project, audit_id: int) -> list[dict[str, Any]]:
    frame = project.store.read_sql(
        "SELECT id, area, description, amount, unit, severity, responsibility, recommendation, source, status, "
        "deduction, red_flag FROM finding WHERE audit_id = :a ORDER BY area, id", {"a": audit_id})
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return [{k: (int(v) if k in ("id", "area") else v) for k, v in r.items()} for r in records]


def _score(project: Project, analysis: TenureAnalysis, findings: list[dict[str, Any]]) -> Score:
    scheme = load_scheme(indicators=set(project.catalog.indicators))
    # Findings proposed from targets and declines are scored by the scheme's rules, not again here.
    inputs = [FindingInput(str(f["id"]), f["area"], f["severity"], f["description"], f["deduction"], f["red_flag"])
              for f in findings if f["status"] == "accepted" and not f["source"].startswith(("target:", "decline:"))]
    return score(scheme, _misses(analysis), _declines(analysis, project), inputs)


def _fingerprint_data(analysis: TenureAnalysis, findings: list[dict[str, Any]], result: Score) -> dict[str, Any]:
    tables = {}
    for resource, table in analysis.tables.items():
        rows = table.rows[["item", "opening", "additions", "reductions", "observed_closing"]]
        tables[resource] = [[r[0], *[None if v != v else round(float(v), 6) for v in r[1:]]]
                            for r in rows.itertuples(index=False, name=None)]
    return {
        "official": analysis.official.__dict__, "start_year": analysis.tenure.start_year,
        "end_year": analysis.tenure.end_year, "tables": tables,
        "targets": [[t.indicator, t.year, t.status, None if t.actual is None else round(t.actual, 6)]
                    for t in analysis.targets],
        "findings": [{k: f[k] for k in ("id", "area", "description", "amount", "severity", "responsibility",
                                       "status", "deduction", "red_flag")} for f in findings],
        "total": result.total, "grade": result.grade,
    }


def fingerprint(data: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of an audit's data."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def compute(project: Project, audit_id: int) -> AuditResult:
    """The audit's analysis, findings and score as they are in the database now."""
    with project.store.session() as s:
        audit = s.get(Audit, audit_id)
        if audit is None:
            raise UserError(f"未找到审计 {audit_id}", f"Unknown audit {audit_id}")
        official_id, rule, status = audit.official_id, audit.end_rule, audit.status
    analysis = analyse_tenure(project, official_id, rule)
    findings = _findings(project, audit_id)
    result = _score(project, analysis, findings)
    digest = fingerprint(_fingerprint_data(analysis, findings, result))
    return AuditResult(audit_id, status, analysis, findings, result, digest)


def finalise(project: Project, audit_id: int) -> str:
    """Freeze the audit: refuse while findings are still proposed; store snapshot and fingerprint.

    The audit is locked before its data are read, so no finding decided meanwhile escapes the
    snapshot (on SQLite nothing at all can change between the reading and the freeze).
    """
    return retrying(lambda: _finalise(project, audit_id))


def _finalise(project: Project, audit_id: int) -> str:
    with project.store.session(write=True) as s:
        audit = _draft(s, audit_id, freeze=True)
        result = compute(project, audit_id)
        pending = [f["id"] for f in result.findings if f["status"] == "proposed"]
        if pending:
            raise UserError(f"还有 {len(pending)} 条待确认的问题（编号 {', '.join(map(str, pending))}），"
                            "请逐条确认或否决后再定稿", "Decide every proposed finding before finalising")
        data = _fingerprint_data(result.analysis, result.findings, result.score)
        audit.status = "final"
        audit.finalised_at = dt.datetime.now().replace(microsecond=0)
        audit.finalised_by = current_user()
        audit.snapshot = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
        audit.fingerprint = fingerprint(data)
        project.store.log(s, "finalise", "audit", audit_id, None, {"fingerprint": audit.fingerprint})
        return audit.fingerprint


def verify(project: Project, audit_id: int) -> tuple[bool, str | None, str]:
    """(matches, stored fingerprint, fingerprint recomputed from the database now)."""
    with project.store.session() as s:
        audit = s.get(Audit, audit_id)
        if audit is None:
            raise UserError(f"未找到审计 {audit_id}", f"Unknown audit {audit_id}")
        if audit.status != "final":
            raise UserError(f"审计 {audit_id} 尚未定稿，没有指纹可核验", "Audit is not final")
        stored = audit.fingerprint
    now = compute(project, audit_id).fingerprint
    return stored == now, stored, now
