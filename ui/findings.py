"""Audit findings in the UI: the dialog that edits or adds one, the undo commands that decide
them through the core (``balancesheet.audit.workflow.decide`` / ``add_finding``), and the
signal that tells every open workspace an audit's findings changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.formatting import format_number, parse_number

translate = QCoreApplication.translate

if TYPE_CHECKING:
    from ui.context import AppContext

#: the scheme's severities and responsibilities (core data, shown as they are)
SEVERITIES = ("后果严重", "较严重", "一般")
RESPONSIBILITIES = ("直接责任", "领导责任")
UNITS = ("", "公顷", "亩", "万立方米", "立方米", "%", "万元", "个")
FIELDS = ("area", "description", "amount", "unit", "severity", "responsibility", "recommendation",
          "deduction", "red_flag")



class AuditEvents(QObject):
    """Application-wide audit notifications (an undo may come from any tab)."""

    #: the findings, status or rule of audit ``audit_id`` changed
    changed = Signal(int)


_EVENTS: AuditEvents | None = None


def audit_events() -> AuditEvents:
    """The one :class:`AuditEvents` of the application."""
    global _EVENTS
    if _EVENTS is None:
        _EVENTS = AuditEvents(QCoreApplication.instance())
    return _EVENTS


def status_text(status: str) -> str:
    """Proposed / Accepted / Rejected, translated."""
    return {"proposed": translate("Findings", "Proposed"),
            "accepted": translate("Findings", "Accepted"),
            "rejected": translate("Findings", "Rejected")}.get(status, status)


def source_text(source: str) -> str:
    """Who proposed a finding: the auditor, or which rule of the tool (target, decline, check)."""
    kind, _, rest = source.partition(":")
    if kind == "manual":
        return translate("Findings", "Auditor")
    if kind == "target":
        return translate("Findings", "Missed target ({year})").format(year=rest.rpartition(":")[2])
    if kind == "decline":
        return translate("Findings", "Decline in tenure")
    if kind == "check":
        return translate("Findings", "Data check ({year})").format(year=rest.partition(":")[0])
    return source


class FindingDialog(QDialog):
    """Edit a finding's fields, or enter a new one (``finding`` None).

    ``blocks`` are the scheme's content areas (code → name), ``red_flags`` its (code, name)
    pairs. After ``accepted``, :meth:`values` gives every field and :meth:`changes` the ones
    that differ from the finding being edited.
    """

    def __init__(self, blocks: dict[int, str], red_flags: list[tuple[str, str]],
                 finding: dict[str, Any] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.finding = dict(finding or {})
        self.setWindowTitle(self.tr("Edit finding {id}").format(id=finding["id"]) if finding
                            else self.tr("Add a finding"))
        self.area = QComboBox()
        for code, name in sorted(blocks.items()):
            self.area.addItem(f"{code}  {name}", code)
        self.severity = QComboBox()
        self.severity.addItems(SEVERITIES)
        self.responsibility = QComboBox()
        self.responsibility.addItems(RESPONSIBILITIES)
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.recommendation = QPlainTextEdit()
        self.recommendation.setTabChangesFocus(True)
        self.amount = QLineEdit()
        self.amount.setPlaceholderText(self.tr("optional"))
        self.unit = QComboBox()
        self.unit.setEditable(True)
        self.unit.addItems(UNITS)
        self.override = QCheckBox(self.tr("Deduct instead of the scheme's points:"))
        self.deduction = QDoubleSpinBox()
        self.deduction.setRange(0.0, 100.0)
        self.deduction.setDecimals(2)
        self.deduction.setSingleStep(0.5)
        self.deduction.setSuffix(self.tr(" points"))
        self.deduction.setEnabled(False)
        self.override.toggled.connect(self.deduction.setEnabled)
        self.red_flag = QComboBox()
        self.red_flag.addItem(self.tr("No"), None)
        for code, name in red_flags:
            self.red_flag.addItem(name, code)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b02a37;")
        self.error.setWordWrap(True)
        self.error.hide()
        self._layout()
        self._fill()

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow(self.tr("Content area:"), self.area)
        form.addRow(self.tr("Severity:"), self.severity)
        form.addRow(self.tr("Responsibility:"), self.responsibility)
        form.addRow(self.tr("Description:"), self.description)
        form.addRow(self.tr("Recommendation:"), self.recommendation)
        amount = QHBoxLayout()
        amount.addWidget(self.amount, 1)
        amount.addWidget(QLabel(self.tr("Unit:")))
        amount.addWidget(self.unit)
        form.addRow(self.tr("Amount:"), amount)
        deduct = QHBoxLayout()
        deduct.addWidget(self.override)
        deduct.addWidget(self.deduction)
        deduct.addStretch(1)
        form.addRow(deduct)
        form.addRow(self.tr("Major problem (caps the grade):"), self.red_flag)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.error)
        box.addWidget(buttons)
        self.resize(640, 480)

    def _fill(self) -> None:
        f = self.finding
        if not f:
            self.severity.setCurrentText("一般")
            self.responsibility.setCurrentText("领导责任")
            return
        self.area.setCurrentIndex(max(self.area.findData(f["area"]), 0))
        self.severity.setCurrentText(f["severity"])
        self.responsibility.setCurrentText(f["responsibility"])
        self.description.setPlainText(f["description"] or "")
        self.recommendation.setPlainText(f["recommendation"] or "")
        self.amount.setText(format_number(f["amount"]))
        self.unit.setCurrentText(f["unit"] or "")
        self.override.setChecked(f["deduction"] is not None)
        self.deduction.setValue(float(f["deduction"] or 0.0))
        self.red_flag.setCurrentIndex(max(self.red_flag.findData(f["red_flag"]), 0))

    def values(self) -> dict[str, Any]:
        """Every field as the core takes it (raises ValueError for an amount that is no number)."""
        text = self.amount.text().strip()
        return {
            "area": int(self.area.currentData()),
            "description": self.description.toPlainText().strip(),
            "amount": parse_number(text) if text else None,
            "unit": self.unit.currentText().strip(),
            "severity": self.severity.currentText(),
            "responsibility": self.responsibility.currentText(),
            "recommendation": self.recommendation.toPlainText().strip(),
            "deduction": self.deduction.value() if self.override.isChecked() else None,
            "red_flag": self.red_flag.currentData(),
        }

    def changes(self) -> dict[str, Any]:
        """The fields that differ from the finding edited (amounts compared as shown)."""
        return {key: value for key, value in self.values().items()
                if not _same(key, value, self.finding.get(key))}

    def accept(self) -> None:
        """Close only with a description and a readable amount; otherwise say what is wrong."""
        try:
            values = self.values()
        except ValueError:
            self._complain(self.tr("The amount “{text}” is not a number.").format(
                text=self.amount.text()))
            self.amount.setFocus()
            return
        if not values["description"]:
            self._complain(self.tr("Describe the finding."))
            self.description.setFocus()
            return
        super().accept()

    def _complain(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


def _same(key: str, value: Any, old: Any) -> bool:
    if key == "amount" and value is not None and old is not None:
        return format_number(value) == format_number(old)
    if key in ("unit", "recommendation"):
        return (value or "") == (old or "")
    return value == old


def _report(exc: BaseException, ctx: AppContext) -> None:
    from ui.edit_commands import show_refusal

    show_refusal(QApplication.activeWindow(), exc, ctx.language)


class DecideFindings(QUndoCommand):
    """Accept or reject findings (one, or several as one step), optionally editing the fields of
    a single one; undo decides each back to what it was.

    A command whose call fails (e.g. the audit has been finalised since, or another user changed
    a finding meanwhile: each decision expects the fields as the user saw them, each undo what the
    command wrote) puts back what it had already decided, is dropped from the stack after the
    error is shown once, and the findings reload.
    """

    def __init__(self, ctx: AppContext, audit_id: int, findings: list[dict[str, Any]],
                 status: str, edits: dict[str, Any] | None = None, text: str = ""):
        super().__init__(text)
        self.ctx, self.audit_id = ctx, audit_id
        self.after = [(int(f["id"]), {"status": status, **(edits or {})}) for f in findings]
        self.before = [(int(f["id"]), {"status": f["status"], **{k: f.get(k) for k in edits or {}}})
                       for f in reversed(findings)]

    def _apply(self, decisions: list[tuple[int, dict[str, Any]]],
               seen: list[tuple[int, dict[str, Any]]]) -> None:
        from balancesheet.audit.workflow import decide

        project = self.ctx.require_project()
        expected = dict(seen)
        done: list[int] = []
        try:
            for finding_id, fields in decisions:
                edits = {k: v for k, v in fields.items() if k != "status"}
                decide(project, finding_id, fields["status"], expected=expected[finding_id], **edits)
                done.append(finding_id)
        except Exception as exc:  # noqa: BLE001 - shown to the user, command dropped
            self.setObsolete(True)
            wrote = dict(decisions)
            for finding_id in reversed(done):  # all or none: put back what this run decided
                back = expected[finding_id]
                try:
                    decide(project, finding_id, back["status"], expected=wrote[finding_id],
                           **{k: v for k, v in back.items() if k != "status"})
                except Exception:  # noqa: BLE001, S112 - changed again meanwhile: the reload shows it
                    continue
            audit_events().changed.emit(self.audit_id)  # reload before the message shows
            _report(exc, self.ctx)
            return
        audit_events().changed.emit(self.audit_id)

    def redo(self) -> None:
        self._apply(self.after, self.before)

    def undo(self) -> None:
        self._apply(self.before, self.after)


class AddFinding(QUndoCommand):
    """Add the auditor's finding; undo rejects it (the core keeps every finding), redo accepts
    it again."""

    def __init__(self, ctx: AppContext, audit_id: int, fields: dict[str, Any]):
        super().__init__(translate("Findings", "Add finding"))
        self.ctx, self.audit_id, self.fields = ctx, audit_id, dict(fields)
        self.finding_id: int | None = None

    def _run(self, status: str | None) -> None:
        from balancesheet.audit.workflow import add_finding, decide

        project = self.ctx.require_project()
        try:
            if self.finding_id is None:
                self.finding_id = add_finding(project, self.audit_id, **self.fields)
            else:
                status = status or "accepted"
                other = "rejected" if status == "accepted" else "accepted"
                decide(project, self.finding_id, status, expected={"status": other})
        except Exception as exc:  # noqa: BLE001 - shown to the user, command dropped
            self.setObsolete(True)
            _report(exc, self.ctx)
            return
        audit_events().changed.emit(self.audit_id)

    def redo(self) -> None:
        self._run("accepted")

    def undo(self) -> None:
        self._run("rejected")
