"""File → Export: the region's data as the tidy CSV files the importer reads back."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ui.errors import show_error
from ui.tasks import run_task

if TYPE_CHECKING:
    from ui.context import AppContext


def export_region(ctx: AppContext, parent: QWidget | None, region: str) -> None:
    """Ask for a folder and write stocks.csv, flows.csv and land_changes.csv there (in a worker)."""
    from balancesheet.errors import UserError

    if not region:
        raise UserError("请先在左侧导航中选择一个区划。", "Select a region first.")
    folder = QFileDialog.getExistingDirectory(parent, QCoreApplication.translate("Export", "Export to folder"),
                                              ctx.preferences.directory("export"))
    if not folder:
        return
    ctx.preferences.set_directory("export", folder)
    project = ctx.require_project()

    def work(state) -> list[tuple[str, int]]:  # noqa: ANN001
        from balancesheet.exporter import KINDS, export_tidy

        written = []
        for number, kind in enumerate(KINDS):
            state.progress(number / len(KINDS), kind)
            path = Path(folder) / f"{region}_{kind}.csv"
            written.append((str(path), export_tidy(project, kind, path, region)))
        return written

    def done(written: list[tuple[str, int]]) -> None:
        lines = "\n".join(QCoreApplication.translate("Export", "{path}: {rows} rows").format(path=p, rows=n) for p, n in written)
        QMessageBox.information(parent, QCoreApplication.translate("Export", "Export finished"), lines)

    run_task(work, done, lambda exc: show_error(parent, exc, language=ctx.language))
