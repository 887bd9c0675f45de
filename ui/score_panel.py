"""The audit's live score: total, grade, each content area's points and every deduction with its
basis, as ``balancesheet.audit.scoring`` computed them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.audit_tables import CENTER, Column, RecordModel
from ui.formatting import format_number

if TYPE_CHECKING:
    from balancesheet.audit.scoring import Score


def table(model: RecordModel, parent: QWidget | None = None) -> QTableView:
    """A read-only table view with the workspace's look (whole rows selected, no grid clutter)."""
    view = QTableView(parent)
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
    return view


class ScorePanel(QWidget):
    """Shows a :class:`balancesheet.audit.scoring.Score`; ``set_busy`` while it is recomputed."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.score: Score | None = None
        self.total = QLabel("–")
        self.total.setObjectName("scoreTotal")
        self.total.setStyleSheet("font-size: 22pt; font-weight: bold;")
        self.grade = QLabel("")
        self.grade.setObjectName("scoreGrade")
        self.grade.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.grade_note = QLabel("")
        self.grade_note.setWordWrap(True)
        self.busy = QLabel(self.tr("Recomputing…"))
        self.busy.setStyleSheet("color: #6c757d;")
        self.busy.hide()

        self.blocks = RecordModel([
            Column(self.tr("No."), text=lambda b: str(b.block), align=CENTER),
            Column(self.tr("Content area"), text=lambda b: b.name, tooltip=lambda b: b.basis),
            Column(self.tr("Full marks"), number=lambda b: b.max_points),
            Column(self.tr("Deducted"), number=lambda b: b.deducted),
            Column(self.tr("Score"), number=lambda b: b.score),
        ], self)
        self.deductions = RecordModel([
            Column(self.tr("Area"), text=lambda d: str(d.block), align=CENTER),
            Column(self.tr("Rule"), text=lambda d: d.rule_name, tooltip=lambda d: d.rule),
            Column(self.tr("Points"), number=lambda d: d.points),
            Column(self.tr("Basis"), text=lambda d: d.basis, tooltip=lambda d: d.basis),
        ], self)
        self.blocks_view = table(self.blocks, self)
        self.blocks_view.setWordWrap(False)
        header = self.blocks_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.blocks_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.deductions_view = table(self.deductions, self)
        self.deductions_view.setWordWrap(True)
        header = self.deductions_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 130)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(lambda *_: self.deductions_view.resizeRowsToContents())
        self.notes = QPlainTextEdit()
        self.notes.setReadOnly(True)
        self.notes.setMinimumHeight(60)
        self._layout()

    def _layout(self) -> None:
        head = QHBoxLayout()
        head.addWidget(QLabel(self.tr("Total:")))
        head.addWidget(self.total)
        head.addSpacing(16)
        head.addWidget(QLabel(self.tr("Grade:")))
        head.addWidget(self.grade)
        head.addStretch(1)
        head.addWidget(self.busy)
        left = QVBoxLayout()
        left.addLayout(head)
        left.addWidget(self.grade_note)
        left.addWidget(self.blocks_view)
        left.addStretch(1)
        self.details = QTabWidget()
        self.details.addTab(self.deductions_view, "")
        self.details.addTab(self.notes, "")
        box = QHBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(left, 5)
        box.addWidget(self.details, 6)

    def _fit_blocks(self) -> None:
        """The seven content areas always show in full: the table is as tall as its rows."""
        view = self.blocks_view
        view.resizeRowsToContents()
        height = (view.horizontalHeader().height() + view.verticalHeader().length()
                  + 2 * view.frameWidth())
        view.setFixedHeight(height)

    def set_busy(self, busy: bool) -> None:
        """Say the score is being recomputed (the numbers shown are the previous ones)."""
        self.busy.setVisible(busy)

    def set_score(self, score: Score) -> None:
        """Show ``score``."""
        self.score = score
        self.total.setText(format_number(score.total))
        self.grade.setText(score.grade)
        if score.grade != score.grade_uncapped:
            self.grade_note.setText(self.tr(
                "A major problem caps the grade: by points it would be “{grade}”.").format(
                grade=score.grade_uncapped))
        else:
            self.grade_note.setText("")
        self.grade_note.setVisible(bool(self.grade_note.text()))
        self.blocks.set_rows(score.blocks)
        self._fit_blocks()
        self.deductions.set_rows(score.deductions)
        self.deductions_view.resizeRowsToContents()
        self.notes.setPlainText("\n".join(f"• {n}" for n in score.notes))
        self.details.setTabText(0, self.tr("Deductions and their basis ({n})").format(
            n=len(score.deductions)))
        self.details.setTabText(1, self.tr("Notes: nothing deducted ({n})").format(
            n=len(score.notes)))
