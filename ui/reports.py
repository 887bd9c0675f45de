"""Generate a report (the balance sheet of a region's year, or an audit's report): ask where to
save, run ``balancesheet.reports.render`` in a worker with a progress dialog, then hand the PDF
and workbook to ``on_ready`` (the main window opens the preview tab).

The core writes to hidden partial files next to the chosen name; only a finished report replaces
the chosen files, so a cancelled or failed run leaves nothing behind and an older report intact.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ui.errors import show_error
from ui.tasks import Task, run_task

translate = QCoreApplication.translate

if TYPE_CHECKING:
    from ui.context import AppContext

KINDS = ("balance_sheet", "audit")
STEPS = 4  # the core reports three stages (data, workbook, PDF); the fourth is "done"
OnReady = Callable[[str, str], Any]



def suggested_name(ctx: AppContext, kind: str, region: str | None, year: int | None,
                   audit_id: int | None) -> str:
    """A file name (without folder) for the report's workbook."""
    from balancesheet.store.schema import Audit, Official

    project = ctx.require_project()
    if kind == "audit":
        with project.store.session() as s:
            audit = s.get(Audit, audit_id)
            official = s.get(Official, audit.official_id) if audit else None
            name = official.name if official else ""
        stem = translate("Reports", "Audit report {id} {name}").format(id=audit_id, name=name)
    else:
        stem = translate("Reports", "{region} balance sheet {year}").format(
            region=project.region(str(region)).name, year=year)
    return "".join(c for c in stem if c not in '\\/:*?"<>|').strip() + ".xlsx"


def _partial(path: Path, token: str) -> Path:
    return path.with_name(f".{path.stem}.{token}.partial{path.suffix}")


def _remove(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(OSError):  # a partial file left behind is hidden and harmless
            path.unlink(missing_ok=True)


def generate_report(ctx: AppContext, parent: QWidget | None, kind: str, *,
                    region: str | None = None, year: int | None = None,
                    audit_id: int | None = None, on_ready: OnReady | None = None) -> Task | None:
    """Ask where to save the ``kind`` report ("balance_sheet": region and year; "audit":
    audit_id) and produce it in a worker; ``on_ready(pdf_path, xlsx_path)`` when it is written.

    Returns the running task (its ``progress_dialog`` and ``paths`` attached), or None when the
    user cancelled the file dialog.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown report kind {kind!r}")
    if kind == "audit" and audit_id is None or kind == "balance_sheet" and not (region and year):
        raise ValueError("a balance sheet needs region and year; an audit report needs audit_id")
    project = ctx.require_project()
    folder = ctx.preferences.directory("report") or str(Path.home())
    chosen, _ = QFileDialog.getSaveFileName(
        parent, translate("Reports", "Save the report as"),
        str(Path(folder) / suggested_name(ctx, kind, region, year, audit_id)),
        translate("Reports", "Excel workbook (*.xlsx)"))
    if not chosen:
        return None
    xlsx = Path(chosen if chosen.lower().endswith(".xlsx") else chosen + ".xlsx")
    pdf = xlsx.with_suffix(".pdf")
    ctx.preferences.set_directory("report", str(xlsx.parent))
    template_dir = Path(ctx.preferences.template_dir) if ctx.preferences.template_dir else None
    token = uuid.uuid4().hex[:8]
    part_xlsx, part_pdf = _partial(xlsx, token), _partial(pdf, token)

    def work(state: Any) -> Any:
        from balancesheet.reports.render import audit_report, balance_sheet_report

        stage = [0]

        def say(text: str) -> None:
            stage[0] += 1
            state.progress(min(stage[0], STEPS - 1) / STEPS, text)  # raises once cancelled

        if kind == "audit":
            result = audit_report(project, int(audit_id or 0), part_xlsx, part_pdf,
                                  template_dir=template_dir, progress=say)
        else:
            result = balance_sheet_report(project, str(region), int(year or 0), part_xlsx,
                                          part_pdf, template_dir=template_dir, progress=say)
        state.check()
        return result

    progress = QProgressDialog(translate("Reports", "Generating the report…"),
                               translate("Reports", "Cancel"), 0, STEPS, parent)
    progress.setWindowTitle(translate("Reports", "Report"))
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(0)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    progress.setValue(0)

    def close_progress() -> None:
        progress.canceled.disconnect()
        progress.hide()
        progress.deleteLater()

    def on_progress(fraction: float, text: str) -> None:
        progress.setLabelText(text)
        progress.setValue(round(fraction * STEPS))

    def succeeded(result: Any) -> None:
        close_progress()
        if task.state.cancelled:
            _remove(part_xlsx, part_pdf)
            return
        try:
            os.replace(part_xlsx, xlsx)
            os.replace(part_pdf, pdf)
        except OSError as exc:
            from balancesheet.errors import UserError

            _remove(part_xlsx, part_pdf)
            show_error(parent, UserError(
                f"无法写入 {xlsx.name} 或 {pdf.name}：{exc.strerror}"
                "（文件是否正在 Excel/WPS 或 PDF "
                "阅读器中打开？关闭后再生成。）",
                f"Cannot write {xlsx.name} or {pdf.name}: {exc.strerror}. Is the file open in "
                "another program? Close it and generate again."), language=ctx.language)
            return
        if result.warnings:
            QMessageBox.warning(parent, translate("Reports", "Report"), translate("Reports",
                "The report was written, with warnings:\n{warnings}").format(
                warnings="\n".join(result.warnings)))
        if on_ready is not None:
            on_ready(str(pdf), str(xlsx))

    def failed(exc: BaseException) -> None:
        from balancesheet.errors import Cancelled

        close_progress()
        _remove(part_xlsx, part_pdf)
        if not isinstance(exc, Cancelled):
            show_error(parent, exc, translate("Reports", "Report"), language=ctx.language)

    task = run_task(work, succeeded, failed, on_progress)
    progress.canceled.connect(task.cancel)
    progress.show()
    task.progress_dialog = progress  # type: ignore[attr-defined]
    task.paths = (xlsx, pdf)  # type: ignore[attr-defined]
    return task


class ReportDialog(QDialog):
    """生成报告: choose the balance sheet (region and year) or an audit's report, then generate.

    On OK the dialog closes and :func:`generate_report` runs with ``on_ready``; ``task`` is the
    running task (None when the user cancelled saving).
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 region: str | None = None, year: int | None = None,
                 audit_id: int | None = None, on_ready: OnReady | None = None):
        super().__init__(parent)
        self.ctx, self.on_ready = ctx, on_ready
        self.task: Task | None = None
        self.setWindowTitle(self.tr("Generate report"))
        self.balance = QRadioButton(self.tr("Natural resource balance sheet"))
        self.audit = QRadioButton(self.tr("Departure audit report"))
        group = QButtonGroup(self)
        group.addButton(self.balance)
        group.addButton(self.audit)
        self.region = QComboBox()
        self.year = QComboBox()
        self.audits = QComboBox()
        self._fill(region, year, audit_id)
        self.region.currentIndexChanged.connect(lambda _i: self._fill_years(None))
        group.buttonToggled.connect(lambda *_: self._update())
        folder = ctx.preferences.template_dir
        templates = QLabel(self.tr("Templates from: {folder}").format(folder=folder) if folder
                           else self.tr("Templates: the shipped ones"))
        templates.setStyleSheet("color: #6c757d;")
        templates.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.balance)
        form.addRow(self.tr("Region:"), self.region)
        form.addRow(self.tr("Year:"), self.year)
        form.addRow(self.audit)
        form.addRow(self.tr("Audit:"), self.audits)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Generate…"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(templates)
        box.addWidget(buttons)
        chosen = self.audit if audit_id is not None and self.audits.count() else self.balance
        chosen.setChecked(True)
        if not self.region.count():
            self.audit.setChecked(True)
        self._update()
        self.resize(560, 0)

    def _fill(self, region: str | None, year: int | None, audit_id: int | None) -> None:
        from sqlalchemy import select

        from balancesheet.store.schema import Audit, Official, Region, Stock

        with self.ctx.require_project().store.session() as s:
            codes = set(s.scalars(select(Stock.region_code).distinct()).all())
            regions = [(r.code, r.name) for r in s.scalars(select(Region).order_by(Region.code))
                       if r.code in codes]
            officials = {o.id: o for o in s.scalars(select(Official)).all()}
            audits = [(a.id, a.status, a.start_year, a.end_year, officials.get(a.official_id))
                      for a in s.scalars(select(Audit).order_by(Audit.id.desc())).all()]
            text = self.tr("Audit {id} · {name} {post} · {start}–{end} · {state}")
            audit_texts = [(aid, text.format(
                id=aid, name=o.name if o else "", post=o.post if o else "", start=y0, end=y1,
                state=self.tr("final") if status == "final" else self.tr("draft")))
                for aid, status, y0, y1, o in audits]
        for code, name in regions:
            self.region.addItem(f"{name} ({code})", code)
        if region:
            self.region.setCurrentIndex(max(self.region.findData(region), 0))
        self._fill_years(year)
        for aid, text in audit_texts:
            self.audits.addItem(text, aid)
        if audit_id is not None:
            self.audits.setCurrentIndex(max(self.audits.findData(audit_id), 0))

    def _fill_years(self, year: int | None) -> None:
        from sqlalchemy import select

        from balancesheet.store.schema import Stock

        self.year.clear()
        code = self.region.currentData()
        if code is None:
            return
        with self.ctx.require_project().store.session() as s:
            years = sorted(set(s.scalars(select(Stock.year).where(Stock.region_code == code))),
                           reverse=True)
        for y in years:
            self.year.addItem(str(y), int(y))
        if year:
            self.year.setCurrentIndex(max(self.year.findData(int(year)), 0))

    def _update(self) -> None:
        balance = self.balance.isChecked()
        self.balance.setEnabled(self.region.count() > 0)
        self.audit.setEnabled(self.audits.count() > 0)
        self.region.setEnabled(balance)
        self.year.setEnabled(balance)
        self.audits.setEnabled(not balance)
        ok = (self.year.count() > 0) if balance else (self.audits.count() > 0)
        self.ok_button.setEnabled(ok)

    def selection(self) -> tuple[str, dict[str, Any]]:
        """The report chosen: ("balance_sheet", {region, year}) or ("audit", {audit_id})."""
        if self.balance.isChecked():
            return "balance_sheet", {"region": self.region.currentData(),
                                     "year": self.year.currentData()}
        return "audit", {"audit_id": self.audits.currentData()}

    def accept(self) -> None:
        """Close, then ask where to save and generate the chosen report."""
        kind, options = self.selection()
        owner = self.parentWidget()
        super().accept()
        try:
            self.task = generate_report(self.ctx, owner, kind, on_ready=self.on_ready, **options)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            show_error(owner, exc, self.tr("Report"), language=self.ctx.language)
