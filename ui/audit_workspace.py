"""The audit workspace (a tab): the official and tenure, the year-ends compared and why, the tenure
analysis and targets, the findings to decide, the live score, finalise and verify.

Every number comes from ``balancesheet.audit`` (loaded in a worker, see ui/audit_state.py);
every decision goes through the core as an undoable command (ui/findings.py).
"""

from __future__ import annotations

import datetime as dt
import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import SIGNAL, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui.audit_tables import (
    CENTER,
    RECORD_ROLE,
    Column,
    RecordModel,
    change_columns,
    finding_columns,
    target_columns,
    target_rows,
)
from ui.errors import show_error
from ui.findings import AddFinding, DecideFindings, FindingDialog, audit_events, status_text
from ui.formatting import format_date
from ui.score_panel import ScorePanel, table
from ui.tasks import run_task

translate = QCoreApplication.translate

if TYPE_CHECKING:
    from ui.audit_state import AuditEntry, AuditState
    from ui.context import AppContext

END_RULES = ("previous", "nearest", "following")


class AuditWorkspace(QWidget):
    """The audit of official ``official_id`` (its newest audit, or ``audit_id``)."""

    #: an audit report was generated from this workspace: pdf path, xlsx path
    report_ready = Signal(str, str)
    #: the audit shown was (re)loaded and its numbers are on screen
    loaded = Signal()

    def __init__(self, ctx: AppContext, official_id: str, parent: QWidget | None = None, *,
                 audit_id: int | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.official_id = official_id
        self.audit_id: int | None = audit_id
        self.state: AuditState | None = None
        self.finding_dialog: FindingDialog | None = None
        self.task = None
        self._generation = 0
        self._build()
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(30)
        self._reload_timer.timeout.connect(self.reload)
        audit_events().changed.connect(self._audit_changed)
        ctx.data_changed.connect(self._data_changed)
        ctx.preferences_changed.connect(self._show_tables)
        self._set_enabled(False)
        self._load(audit_id=audit_id)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.name = QLabel()
        self.name.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.post = QLabel()
        self.tenure = QLabel()
        self.compared = QLabel()
        self.compared.setStyleSheet("font-weight: bold;")
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.shortened = QLabel(self.tr("Compared span shorter than the tenure"))
        self.shortened.setToolTip(self.tr(
            "The comparison starts later than the tenure because earlier year-end data are "
            "missing; state this in the evaluation."))
        self.shortened.setStyleSheet("background: #fff3cd; color: #664d03; padding: 1px 6px;")
        self.shortened.hide()
        self.audits = QComboBox()
        self.audits.setToolTip(self.tr(
            "The official's audits: a draft being worked on or a final one"))
        self.audits.activated.connect(self._audit_chosen)
        self.audits.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.new_draft = QPushButton(self.tr("New draft"))
        self.new_draft.setToolTip(self.tr("Start a new draft audit of this official"))
        self.new_draft.clicked.connect(self.start_new_draft)
        self.rule = QComboBox()
        for code, text, tip in self._rules():
            self.rule.addItem(text, code)
            self.rule.setItemData(self.rule.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.rule.activated.connect(self._rule_chosen)
        self.rule.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.rule_note = QLabel()
        self.rule_note.setStyleSheet("color: #6c757d;")

        header = QGridLayout()
        who = QHBoxLayout()
        who.addWidget(self.name)
        who.addWidget(self.post)
        who.addWidget(self.tenure)
        who.addStretch(1)
        header.addLayout(who, 0, 0, 1, 2)
        header.addWidget(QLabel(self.tr("Audit:")), 0, 2, Qt.AlignmentFlag.AlignRight)
        audits = QHBoxLayout()
        audits.addWidget(self.audits, 1)
        audits.addWidget(self.new_draft)
        header.addLayout(audits, 0, 3)
        compared = QHBoxLayout()
        compared.addWidget(self.compared)
        compared.addWidget(self.shortened)
        compared.addStretch(1)
        header.addLayout(compared, 1, 0, 1, 2)
        header.addWidget(QLabel(self.tr("Year-end at the tenure's end:")), 1, 2,
                         Qt.AlignmentFlag.AlignRight)
        rules = QHBoxLayout()
        rules.addWidget(self.rule, 1)
        rules.addWidget(self.rule_note)
        header.addLayout(rules, 1, 3)
        header.addWidget(self.reason, 2, 0, 1, 4)
        header.setColumnStretch(1, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._findings_tab(), self.tr("Findings"))
        self.changes = RecordModel(parent=self)
        self.changes_view = table(self.changes, self)
        self.changes_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.tabs.addTab(self.changes_view, self.tr("Resources at start and end"))
        self.targets = RecordModel(parent=self)
        self.targets_view = table(self.targets, self)
        self.targets_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.tabs.addTab(self.targets_view, self.tr("Targets each year"))

        self.score = ScorePanel(self)
        score_box = QGroupBox(self.tr("Evaluation score"))
        inner = QVBoxLayout(score_box)
        inner.addWidget(self.score)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(self.tabs)
        split.addWidget(score_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verified = QLabel()
        self.verified.setWordWrap(True)
        self.verified.hide()
        self.verify_button = QPushButton(self.tr("Verify"))
        self.verify_button.setToolTip(self.tr(
            "Recompute the fingerprint from the database and compare it with the finalised one"))
        self.verify_button.clicked.connect(self.verify)
        self.finalise_button = QPushButton(self.tr("Finalise…"))
        self.finalise_button.setToolTip(self.tr("Freeze the audit and store its fingerprint"))
        self.finalise_button.clicked.connect(self.finalise)
        self.report_button = QPushButton(self.tr("Generate report…"))
        self.report_button.clicked.connect(self.generate_report)
        bottom = QHBoxLayout()
        texts = QVBoxLayout()
        texts.addWidget(self.status)
        texts.addWidget(self.verified)
        bottom.addLayout(texts, 1)
        for button in (self.verify_button, self.finalise_button, self.report_button):
            bottom.addWidget(button)

        box = QVBoxLayout(self)
        box.addLayout(header)
        box.addWidget(split, 1)
        box.addLayout(bottom)

    def _rules(self) -> list[tuple[str, str, str]]:
        return [
            ("previous", self.tr("Previous year-end"),
             self.tr("The last 31 December on or before the tenure's end (the default)")),
            ("nearest", self.tr("Nearest year-end"),
             self.tr("The 31 December nearest to the tenure's end (ties: the earlier)")),
            ("following", self.tr("Year-end of the end year"),
             self.tr("31 December of the year the tenure ended")),
        ]

    def _findings_tab(self) -> QWidget:
        self.findings = RecordModel(parent=self)
        self.findings_view = table(self.findings, self)
        self.findings_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.findings_view.setWordWrap(False)
        self.findings_view.doubleClicked.connect(lambda _i: self.edit_selected())
        self.accept_button = QPushButton(self.tr("Accept"))
        self.accept_button.setToolTip(self.tr("Accept the selected findings"))
        self.accept_button.clicked.connect(self.accept_selected)
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.setToolTip(self.tr(
            "Edit the selected finding (a proposed one is accepted)"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.reject_button = QPushButton(self.tr("Reject"))
        self.reject_button.setToolTip(self.tr("Reject the selected findings"))
        self.reject_button.clicked.connect(self.reject_selected)
        self.add_button = QPushButton(self.tr("Add finding…"))
        self.add_button.clicked.connect(self.add_finding)
        self.pending = QLabel()
        self.detail = QTextBrowser()
        self.detail.setMaximumHeight(70)
        self.detail.setPlaceholderText(self.tr("Select a finding to read it in full."))
        buttons = QHBoxLayout()
        for button in (self.accept_button, self.edit_button, self.reject_button):
            buttons.addWidget(button)
        buttons.addSpacing(12)
        buttons.addWidget(self.pending, 1)
        buttons.addWidget(self.add_button)
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 4, 0, 0)
        box.addWidget(self.findings_view, 1)
        box.addWidget(self.detail)
        box.addLayout(buttons)
        self.findings_view.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        return page

    # ------------------------------------------------------------------ loading
    def _load(self, **options: Any) -> None:
        """Load (or reload) in a worker; only the newest load's result is shown."""
        from ui.audit_state import load_state

        project = self.ctx.project
        if project is None:
            return
        self._generation += 1
        generation, official = self._generation, self.official_id
        self.score.set_busy(True)

        def work(_state: Any) -> tuple[int, AuditState]:
            try:
                return generation, load_state(project, official, **options)
            except BaseException as exc:
                exc.generation = generation  # type: ignore[attr-defined]
                raise

        self.task = run_task(work, self._loaded, self._load_failed)

    def reload(self) -> None:
        """Recompute the audit shown (after a decision, an undo, a data change)."""
        self._load(audit_id=self.audit_id)

    def _loaded(self, payload: tuple[int, AuditState]) -> None:
        generation, state = payload
        if generation != self._generation:
            return
        self.state = state
        self.audit_id = state.entry.id
        self.score.set_busy(False)
        self._show(state)
        self.loaded.emit()

    def _load_failed(self, exc: BaseException) -> None:
        if getattr(exc, "generation", self._generation) != self._generation:
            return
        self.score.set_busy(False)
        if self.state is not None:
            self._show(self.state)  # e.g. a refused end rule: show the audit as it still is
        show_error(self, exc, self.tr("Audit"), language=self.ctx.language)

    def _audit_changed(self, audit_id: int) -> None:
        if audit_id != self.audit_id or self.ctx.project is None:
            return
        from ui.audit_state import read_findings

        self._show_findings(read_findings(self.ctx.project, audit_id))  # at once; score follows
        self.score.set_busy(True)
        self._reload_timer.start()

    def _data_changed(self, region: str, _year: int, _resource: str) -> None:
        if self.state is None or region in ("", self.state.result.analysis.official.region):
            self._reload_timer.start()

    # ------------------------------------------------------------------ showing
    def _show(self, state: AuditState) -> None:
        analysis, entry = state.result.analysis, state.entry
        official, tenure = analysis.official, analysis.tenure
        lang = self.ctx.language
        self.name.setText(official.name)
        self.post.setText(self.tr("{post} · {region} ({code}) ·").format(
            post=official.post, region=official.region_name, code=official.region))
        end = format_date(tenure.end_date, lang) if tenure.end_date else self.tr("in office")
        kind = self.tr("audit during the tenure") if tenure.running else self.tr("departure audit")
        self.tenure.setText(self.tr("Tenure: {start} – {end} ({kind})").format(
            start=format_date(tenure.start_date, lang), end=end, kind=kind))
        self.compared.setText(self.tr("Compared: year-end {start} with year-end {end}").format(
            start=format_date(dt.date(tenure.start_year, 12, 31), lang),
            end=format_date(dt.date(tenure.end_year, 12, 31), lang)))
        self.reason.setText(tenure.explanation)
        self.shortened.setVisible(tenure.shortened)
        self._show_audits(state)
        self._show_tables()
        self._show_findings(state.result.findings)
        self.score.set_score(state.result.score)
        self._show_status(entry)
        self._set_enabled(True)

    def _show_audits(self, state: AuditState) -> None:
        self.audits.clear()
        for e in state.entries:
            self.audits.addItem(self._entry_text(e), e.id)
        self.audits.setCurrentIndex(self.audits.findData(state.entry.id))
        self.rule.setCurrentIndex(max(self.rule.findData(state.entry.end_rule), 0))
        running = state.result.analysis.tenure.running
        self.rule_note.setText(self.tr("(in office: the latest year-end)") if running else "")
        self.rule.setToolTip(self.rule.itemData(self.rule.currentIndex(),
                                                Qt.ItemDataRole.ToolTipRole))

    def _entry_text(self, e: AuditEntry) -> str:
        state = self.tr("final") if e.final else self.tr("draft")
        return self.tr("Audit {id} · {state} · {start}–{end}").format(
            id=e.id, state=state, start=e.start_year, end=e.end_year)

    def _show_tables(self) -> None:
        if self.state is None:
            return
        state, unit = self.state, self.ctx.preferences.area_unit
        tenure = state.result.analysis.tenure
        self.changes.set_rows(state.changes, change_columns(tenure, unit, self.ctx.language))
        self.targets.set_rows(target_rows(state.result.analysis.targets),
                              target_columns(tenure.years, unit))
        self._even_year_columns()

    def _even_year_columns(self) -> None:
        """Every year column of the targets as wide as the widest: the years line up."""
        header = self.targets_view.horizontalHeader()
        first = 3  # indicator, unit, kind, then the years
        if self.targets.columnCount() <= first:
            return
        self.targets_view.resizeColumnsToContents()
        width = max(header.sectionSize(c) for c in range(first, self.targets.columnCount()))
        for c in range(first, self.targets.columnCount()):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(c, width)

    def _show_findings(self, findings: list[dict[str, Any]]) -> None:
        blocks = self.state.blocks if self.state else {}
        selected = {f["id"] for f in self.selected_findings()}
        self.findings.set_rows(findings, finding_columns(blocks))
        header = self.findings_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 120)
        selection = self.findings_view.selectionModel()
        for row, f in enumerate(findings):
            if f["id"] in selected:
                selection.select(self.findings.index(row, 0),
                                 selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
        pending = sum(f["status"] == "proposed" for f in findings)
        self.pending.setText(self.tr("{n} proposed finding(s) to decide").format(n=pending)
                             if pending else self.tr("Every finding is decided."))
        self._selected()

    def _show_status(self, entry: AuditEntry) -> None:
        lang = self.ctx.language
        if entry.final:
            when = entry.finalised_at
            stamp = f"{format_date(when.date(), lang)} {when:%H:%M}" if when else ""
            self.status.setText(self.tr(
                "Final (read-only): finalised by {user} on {when}. Fingerprint (SHA-256): {digest}"
            ).format(user=entry.finalised_by or "", when=stamp, digest=entry.fingerprint or ""))
            self.status.setStyleSheet("color: #0f5132;")
        else:
            self.status.setText(self.tr(
                "Draft: decide every proposed finding, then finalise. Decisions can be undone "
                "(Ctrl+Z) until the audit is final."))
            self.status.setStyleSheet("")
        self.verified.hide()

    # ------------------------------------------------------------------ state of the controls
    @property
    def read_only(self) -> bool:
        """True while the audit shown is final (or nothing is loaded yet)."""
        return self.state is None or self.state.entry.final

    def _set_enabled(self, loaded: bool) -> None:
        editable = loaded and not self.read_only
        self.add_button.setEnabled(editable)
        self.finalise_button.setEnabled(editable)
        self.verify_button.setEnabled(loaded and self.state is not None and self.state.entry.final)
        self.report_button.setEnabled(loaded)
        self.audits.setEnabled(loaded)
        running = bool(self.state and self.state.result.analysis.tenure.running)
        self.rule.setEnabled(editable and bool(self.state and self.state.latest) and not running)
        self.new_draft.setVisible(loaded and self.read_only)
        self._update_buttons()

    def _selected(self) -> None:
        self._update_buttons()
        chosen = self.selected_findings()
        if len(chosen) != 1:
            self.detail.clear()
            return
        f = chosen[0]
        blocks = self.state.blocks if self.state else {}
        head = " · ".join(str(x) for x in (
            self.tr("Finding {id}").format(id=f["id"]),
            f"{f['area']} {blocks.get(f['area'], '')}".strip(), f["severity"], f["responsibility"],
            status_text(f["status"])))
        parts = [f"<b>{html.escape(head)}</b>", html.escape(f["description"] or "")]
        if f.get("recommendation"):
            parts.append("<i>" + html.escape(self.tr("Recommendation: {text}").format(
                text=f["recommendation"])) + "</i>")
        if f.get("deduction") is not None:
            parts.append(html.escape(self.tr("Deduction set by the audit team: {points} points")
                                     .format(points=f["deduction"])))
        self.detail.setHtml("<br>".join(parts))

    def _update_buttons(self) -> None:
        chosen = self.selected_findings()
        editable = not self.read_only
        self.accept_button.setEnabled(editable and any(f["status"] != "accepted" for f in chosen))
        self.reject_button.setEnabled(editable and any(f["status"] != "rejected" for f in chosen))
        self.edit_button.setEnabled(editable and len(chosen) == 1)

    def selected_findings(self) -> list[dict[str, Any]]:
        """The findings selected in the table, in table order."""
        rows = sorted({i.row() for i in self.findings_view.selectionModel().selectedRows()})
        return [self.findings.data(self.findings.index(r, 0), RECORD_ROLE) for r in rows]

    # ------------------------------------------------------------------ decisions
    def accept_selected(self) -> None:
        """Accept the selected findings (one undoable step)."""
        self._decide("accepted", self.tr("Accept finding {id}"), self.tr("Accept {n} findings"))

    def reject_selected(self) -> None:
        """Reject the selected findings (one undoable step)."""
        self._decide("rejected", self.tr("Reject finding {id}"), self.tr("Reject {n} findings"))

    def _decide(self, status: str, one: str, many: str) -> None:
        if self.read_only or self.audit_id is None:
            return
        chosen = [f for f in self.selected_findings() if f["status"] != status]
        if not chosen:
            return
        text = one.format(id=chosen[0]["id"]) if len(chosen) == 1 else many.format(n=len(chosen))
        self.ctx.undo_stack.push(
            DecideFindings(self.ctx, self.audit_id, chosen, status, None, text))

    def edit_selected(self) -> None:
        """Open the dialog editing the selected finding; OK decides it with the edits."""
        chosen = self.selected_findings()
        if self.read_only or len(chosen) != 1 or self.state is None:
            return
        finding = chosen[0]
        dialog = FindingDialog(self.state.blocks, self.state.red_flags, finding, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._edited(finding, dialog.changes()))
        self.finding_dialog = dialog
        dialog.open()

    def _edited(self, finding: dict[str, Any], changes: dict[str, Any]) -> None:
        status = "accepted" if finding["status"] == "proposed" else finding["status"]
        if self.audit_id is None or (not changes and status == finding["status"]):
            return
        text = self.tr("Edit finding {id}").format(id=finding["id"])
        self.ctx.undo_stack.push(
            DecideFindings(self.ctx, self.audit_id, [finding], status, changes, text))

    def add_finding(self) -> None:
        """Open the dialog for the auditor's own finding; OK adds it (accepted)."""
        if self.read_only or self.state is None:
            return
        dialog = FindingDialog(self.state.blocks, self.state.red_flags, None, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._added(dialog.values()))
        self.finding_dialog = dialog
        dialog.open()

    def _added(self, values: dict[str, Any]) -> None:
        if self.audit_id is not None:
            self.ctx.undo_stack.push(AddFinding(self.ctx, self.audit_id, values))

    # ------------------------------------------------------------------ audits and rules
    def _audit_chosen(self, index: int) -> None:
        audit_id = self.audits.itemData(index)
        if audit_id is not None and audit_id != self.audit_id:
            self._set_enabled(False)
            self._load(audit_id=int(audit_id))

    def _rule_chosen(self, index: int) -> None:
        rule = self.rule.itemData(index)
        if self.state is None or rule == self.state.entry.end_rule:
            return
        self._set_enabled(False)
        self._load(rule=rule)

    def start_new_draft(self) -> None:
        """Start a new draft audit of the official (e.g. after a final one)."""
        self._set_enabled(False)
        self._load(audit_id=self.audit_id, new=True)

    # ------------------------------------------------------------------ finalise, verify, report
    def finalise(self) -> None:
        """Freeze the audit after confirmation (cannot be undone)."""
        if self.read_only or self.state is None or self.audit_id is None:
            return
        pending = [f for f in self.findings.records() if f["status"] == "proposed"]
        if pending:
            QMessageBox.information(self, self.tr("Finalise audit"), self.tr(
                "{n} proposed finding(s) are not decided yet. Accept, edit or reject each of "
                "them before finalising.").format(n=len(pending)))
            return
        answer = QMessageBox.question(
            self, self.tr("Finalise audit"),
            self.tr("Finalise audit {id} of {name}?\n\nIts data, findings and score are frozen and "
                    "fingerprinted; the audit can no longer be changed. This cannot be undone, and "
                    "the decisions made so far can no longer be undone either.").format(
                id=self.audit_id, name=self.state.result.analysis.official.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        from balancesheet.audit.workflow import finalise

        project, audit_id = self.ctx.require_project(), self.audit_id
        self._set_enabled(False)
        self.task = run_task(lambda _s: finalise(project, audit_id), self._finalised,
                             self._action_failed)

    def _finalised(self, _fingerprint: str) -> None:
        if self.audit_id is not None:
            audit_events().changed.emit(self.audit_id)
        self.reload()

    def _action_failed(self, exc: BaseException) -> None:
        self._set_enabled(self.state is not None)
        show_error(self, exc, self.tr("Audit"), language=self.ctx.language)

    def verify(self) -> None:
        """Recompute the final audit's fingerprint from the database (in a worker)."""
        if self.state is None or not self.state.entry.final or self.audit_id is None:
            return
        from balancesheet.audit.workflow import verify

        project, audit_id = self.ctx.require_project(), self.audit_id
        self.verify_button.setEnabled(False)
        self.task = run_task(lambda _s: verify(project, audit_id), self._verified,
                             self._action_failed)

    def _verified(self, outcome: tuple[bool, str | None, str]) -> None:
        ok, stored, now = outcome
        self.verify_button.setEnabled(True)
        if ok:
            text = self.tr("Verified: the data are unchanged since the audit was finalised.")
            self.verified.setStyleSheet("background: #d1e7dd; color: #0f5132; padding: 3px;")
        else:
            text = self.tr("Tampered: the data changed after the audit was finalised!\n"
                           "Finalised fingerprint: {stored}\nFingerprint now: {now}").format(
                stored=stored, now=now)
            self.verified.setStyleSheet("background: #f8d7da; color: #842029; padding: 3px;")
        self.verified.setText(text)
        self.verified.setProperty("verified", ok)
        self.verified.show()

    def generate_report(self) -> None:
        """Write this audit's report (workbook and PDF); ``report_ready`` tells where."""
        if self.audit_id is None:
            return
        from ui.reports import generate_report

        generate_report(self.ctx, self, "audit", audit_id=self.audit_id, on_ready=self._report_ready)

    def _report_ready(self, pdf: str, xlsx: str) -> None:
        if self.receivers(SIGNAL("report_ready(QString,QString)")):
            self.report_ready.emit(pdf, xlsx)
        else:  # nobody shows a preview: at least say where the report is
            QMessageBox.information(self, self.tr("Report"), self.tr(
                "The report was written:\n{xlsx}\n{pdf}").format(xlsx=xlsx, pdf=pdf))


# ---------------------------------------------------------------------- choosing an official

def official_rows(ctx: AppContext) -> list[dict[str, Any]]:
    """The project's officials with their tenure and audits (a small table: plain SQL)."""
    from sqlalchemy import select

    from balancesheet.store.schema import Audit, Official, Region

    with ctx.require_project().store.session() as s:
        regions = {r.code: r.name for r in s.scalars(select(Region)).all()}
        audits: dict[str, list[str]] = {}
        for a in s.scalars(select(Audit).order_by(Audit.id)).all():
            audits.setdefault(a.official_id, []).append(a.status)
        return [{"id": o.id, "name": o.name, "post": o.post,
                 "region": f"{regions.get(o.region_code, '')} ({o.region_code})",
                 "start": o.start, "end": o.end, "audits": audits.get(o.id, [])}
                for o in s.scalars(select(Official).order_by(Official.id)).all()]


class OfficialPicker(QDialog):
    """Choose the official to audit; :meth:`official_id` after it is accepted."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("New audit: choose an official"))
        lang = ctx.language
        self.model = RecordModel([
            Column(self.tr("ID"), text=lambda o: o["id"]),
            Column(self.tr("Name"), text=lambda o: o["name"]),
            Column(self.tr("Post"), text=lambda o: o["post"]),
            Column(self.tr("Region"), text=lambda o: o["region"]),
            Column(self.tr("Tenure from"), text=lambda o: format_date(o["start"], lang)),
            Column(self.tr("Tenure to"), text=lambda o: format_date(o["end"], lang)
                   if o["end"] else self.tr("in office")),
            Column(self.tr("Audits"), text=self._audits, align=CENTER),
        ], self)
        self.model.set_rows(official_rows(ctx))
        self.view = table(self.model, self)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.doubleClicked.connect(lambda _i: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Open audit"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(False)
        self.view.selectionModel().selectionChanged.connect(
            lambda *_: self.ok_button.setEnabled(self.official_id() is not None))
        note = QLabel(self.tr("The official's newest audit opens (a draft is continued, a final "
                              "one can start a new draft); without any audit a draft is started."))
        note.setWordWrap(True)
        box = QVBoxLayout(self)
        box.addWidget(self.view)
        box.addWidget(note)
        box.addWidget(buttons)
        self.resize(820, 360)
        if self.model.rowCount():
            self.view.selectRow(0)

    def _audits(self, official: dict[str, Any]) -> str:
        statuses = official["audits"]
        if not statuses:
            return self.tr("none")
        final = statuses.count("final")
        return self.tr("{n} ({final} final)").format(n=len(statuses), final=final)

    def official_id(self) -> str | None:
        """The chosen official's id (None when none is selected)."""
        rows = self.view.selectionModel().selectedRows()
        return self.model.record(rows[0].row())["id"] if rows else None


def new_audit(ctx: AppContext, parent: QWidget | None = None) -> str | None:
    """Ask which official to audit; the id, or None when cancelled or there are no officials."""
    if ctx.project is None:
        return None
    picker = OfficialPicker(ctx, parent)
    if picker.model.rowCount() == 0:
        QMessageBox.information(parent, translate("AuditWorkspace", "New audit"), translate(
            "AuditWorkspace", "The project has no officials yet. Import the officials' table "
            "(id, name, post, region, start, end) first."))
        return None
    if picker.exec() != QDialog.DialogCode.Accepted:
        return None
    return picker.official_id()
