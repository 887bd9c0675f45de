"""What the audit workspace shows, loaded off the GUI thread through the core (no Qt here).

``load_state`` opens or continues an official's audit (``balancesheet.audit.workflow``), computes
it and gathers the rows the workspace's tables show; the UI only formats them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from balancesheet.audit.workflow import AuditResult
    from balancesheet.project import Project


@dataclass(frozen=True)
class AuditEntry:
    """One stored audit of the official (the audit table's row)."""

    id: int
    status: str
    start_year: int
    end_year: int
    end_rule: str
    created_at: dt.datetime | None
    created_by: str
    finalised_at: dt.datetime | None
    finalised_by: str | None
    fingerprint: str | None

    @property
    def final(self) -> bool:
        """True once finalised (frozen, read-only)."""
        return self.status == "final"


@dataclass
class AuditState:
    """An audit as the workspace shows it."""

    official_id: str
    entries: list[AuditEntry]          # the official's audits, newest first
    entry: AuditEntry                  # the one shown
    result: AuditResult
    changes: list[dict[str, Any]]      # main items at the tenure's start and end (report rows)
    blocks: dict[int, str] = field(default_factory=dict)       # content area → name (scheme)
    red_flags: list[tuple[str, str]] = field(default_factory=list)

    @property
    def latest(self) -> bool:
        """True when the audit shown is the official's newest (the one open_audit continues)."""
        return bool(self.entries) and self.entries[0].id == self.entry.id


def audit_entries(project: Project, official_id: str) -> list[AuditEntry]:
    """The official's audits, newest first."""
    from sqlalchemy import select

    from balancesheet.store.schema import Audit

    with project.store.session() as s:
        rows = s.scalars(select(Audit).where(Audit.official_id == official_id)
                         .order_by(Audit.id.desc())).all()
        return [AuditEntry(a.id, a.status, a.start_year, a.end_year, a.end_rule, a.created_at,
                           a.created_by, a.finalised_at, a.finalised_by, a.fingerprint)
                for a in rows]


def read_findings(project: Project, audit_id: int) -> list[dict[str, Any]]:
    """The audit's findings as stored (quick: for the table right after a decision)."""
    from sqlalchemy import select

    from balancesheet.store.schema import Finding

    keys = ("id", "area", "description", "amount", "unit", "severity", "responsibility",
            "recommendation", "source", "status", "deduction", "red_flag")
    with project.store.session() as s:
        rows = s.scalars(select(Finding).where(Finding.audit_id == audit_id)
                         .order_by(Finding.area, Finding.id)).all()
        return [{k: getattr(f, k) for k in keys} for f in rows]


def load_state(project: Project, official_id: str, audit_id: int | None = None,
               rule: str | None = None, new: bool = False) -> AuditState:
    """Open and compute the audit to show.

    ``audit_id`` None shows the official's newest audit (a new draft when there is none);
    ``rule`` re-opens the newest draft under another end rule; ``new`` starts a new draft.
    The newest draft gets the tool's current proposals (``open_audit``) on every load.
    """
    from balancesheet.audit.workflow import compute, open_audit

    entries = audit_entries(project, official_id)
    if new:
        current = next((e for e in entries if e.id == audit_id), entries[0] if entries else None)
        audit_id = open_audit(project, official_id, rule or (current.end_rule if current else
                                                             "previous"), new=True)
    elif rule is not None:
        audit_id = open_audit(project, official_id, rule)
    elif not entries:
        audit_id = open_audit(project, official_id, "previous")
    else:
        chosen = next((e for e in entries if e.id == audit_id), entries[0])
        audit_id = chosen.id
        if chosen is entries[0] and not chosen.final:
            open_audit(project, official_id, chosen.end_rule)  # adds proposals new data suggest
    entries = audit_entries(project, official_id)
    entry = next(e for e in entries if e.id == audit_id)
    result = compute(project, audit_id)
    return AuditState(official_id, entries, entry, result, _change_rows(project, result),
                      *_scheme(project))


def _change_rows(project: Project, result: AuditResult) -> list[dict[str, Any]]:
    from balancesheet.reports.audit_report import audit_report_data

    return list(audit_report_data(project, result).tables["changes"].rows)


def _scheme(project: Project) -> tuple[dict[int, str], list[tuple[str, str]]]:
    from balancesheet.audit.scoring import load_scheme

    scheme = load_scheme(indicators=set(project.catalog.indicators))
    return ({b.code: b.name for b in scheme.blocks},
            [(f.code, f.name) for f in scheme.red_flags])
