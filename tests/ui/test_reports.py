"""Reports from the UI: generate in a worker (cancel leaves nothing), preview the PDF, print it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import external_tool
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QPushButton

from ui.pdf_preview import PdfPreview
from ui.reports import ReportDialog, generate_report

REPORT = 60_000  # ms


def pdf_pages(path: Path) -> int:
    """Pages of a PDF according to poppler's pdfinfo (independent of QtPdf)."""
    out = subprocess.run([external_tool("pdfinfo"), str(path)], capture_output=True, text=True,
                         check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


@pytest.fixture
def save_as(monkeypatch, tmp_path: Path):
    """The save dialog answers with reports/<name>; records where it started."""
    folder = tmp_path / "reports"
    folder.mkdir()
    asked: list[str] = []

    def answer(parent, caption, start, filter_):
        asked.append(start)
        return str(folder / "县报表"), filter_  # no suffix typed: .xlsx is added

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    return folder, asked


def test_balance_sheet_report_preview_and_print(qtbot, ctx, save_as, monkeypatch, tmp_path) -> None:
    folder, asked = save_as
    ctx.preferences.set_directory("report", str(tmp_path))
    ready: list[tuple[str, str]] = []
    task = generate_report(ctx, None, "balance_sheet", region="990121", year=2025,
                           on_ready=lambda pdf, xlsx: ready.append((pdf, xlsx)))
    assert task is not None
    assert Path(asked[0]).parent == tmp_path and asked[0].endswith(".xlsx")
    qtbot.waitUntil(lambda: bool(ready), timeout=REPORT)
    pdf, xlsx = map(Path, ready[0])
    assert (pdf, xlsx) == (folder / "县报表.pdf", folder / "县报表.xlsx")
    assert pdf.stat().st_size > 0 and xlsx.stat().st_size > 0
    # no partial files left behind
    assert sorted(p.name for p in folder.iterdir()) == ["县报表.pdf", "县报表.xlsx"]
    assert ctx.preferences.directory("report") == str(folder)

    preview = PdfPreview(ctx, str(pdf), str(xlsx))
    qtbot.addWidget(preview)
    preview.resize(1000, 700)
    preview.show()
    pages = pdf_pages(pdf)
    assert preview.document.status() == QPdfDocument.Status.Ready
    assert preview.page_count() == pages > 1
    assert preview.pages.text().endswith(str(pages))

    qtbot.mouseClick(preview.next, Qt.MouseButton.LeftButton)
    assert preview.current_page() == 1 and preview.page.value() == 2
    preview.page.setValue(pages)
    assert preview.current_page() == pages - 1 and not preview.next.isEnabled()
    qtbot.mouseClick(preview.zoom_in, Qt.MouseButton.LeftButton)
    assert preview.view.zoomMode() == QPdfView.ZoomMode.Custom
    zoomed = preview.view.zoomFactor()
    qtbot.mouseClick(preview.zoom_out, Qt.MouseButton.LeftButton)
    assert preview.view.zoomFactor() == pytest.approx(zoomed / 1.25)
    qtbot.mouseClick(preview.fit, Qt.MouseButton.LeftButton)
    assert preview.view.zoomMode() == QPdfView.ZoomMode.FitToWidth

    printed = tmp_path / "printed.pdf"

    def print_to_file(dialog: QPrintDialog) -> int:
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return QPrintDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QPrintDialog, "exec", print_to_file)
    qtbot.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)
    assert pdf_pages(printed) == pages
    copy = QPdfDocument()
    copy.load(str(printed))
    for page in (0, 1):  # the cover is portrait, the tables landscape: printed the same way
        original, out = preview.document.pagePointSize(page), copy.pagePointSize(page)
        assert (original.width() > original.height()) == (out.width() > out.height())

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url) or True))
    qtbot.mouseClick(preview.workbook_button, Qt.MouseButton.LeftButton)
    assert opened == [QUrl.fromLocalFile(str(xlsx))]


def test_cancel_leaves_no_files_and_no_preview(qtbot, ctx, save_as, messages) -> None:
    folder, _ = save_as
    ready: list[tuple[str, str]] = []
    task = generate_report(ctx, None, "balance_sheet", region="990121", year=2025,
                           on_ready=lambda pdf, xlsx: ready.append((pdf, xlsx)))
    cancel = task.progress_dialog.findChild(QPushButton)
    assert cancel.text() == "Cancel"
    with qtbot.waitSignal(task.finished, timeout=REPORT):
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.wait(50)  # the queued failed() callback
    assert task.state.cancelled
    assert ready == [] and list(folder.iterdir()) == []
    assert messages == []


def test_an_old_report_survives_a_failed_run(qtbot, ctx, save_as, messages, tmp_path) -> None:
    folder, _ = save_as
    (folder / "县报表.xlsx").write_bytes(b"old report")
    ctx.preferences.template_dir = str(tmp_path / "no such folder")
    ready: list[tuple[str, str]] = []
    task = generate_report(ctx, None, "balance_sheet", region="990121", year=2025,
                           on_ready=lambda pdf, xlsx: ready.append((pdf, xlsx)))
    qtbot.waitUntil(lambda: bool(messages), timeout=REPORT)
    assert task.done and ready == []
    assert "模板目录不存在" in messages.texts()
    assert sorted(p.name for p in folder.iterdir()) == ["县报表.xlsx"]
    assert (folder / "县报表.xlsx").read_bytes() == b"old report"


def test_cancelling_the_save_dialog_does_nothing(ctx, monkeypatch) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    assert generate_report(ctx, None, "balance_sheet", region="990121", year=2025) is None


def test_report_dialog_chooses_and_generates_an_audit_report(qtbot, ctx, save_as) -> None:
    from balancesheet.audit.workflow import open_audit

    folder, asked = save_as
    audit_id = open_audit(ctx.project, "GL002")
    ready: list[tuple[str, str]] = []
    dialog = ReportDialog(ctx, None, region="990121", year=2024,
                          on_ready=lambda pdf, xlsx: ready.append((pdf, xlsx)))
    qtbot.addWidget(dialog)
    assert dialog.selection() == ("balance_sheet", {"region": "990121", "year": 2024})
    assert dialog.year.count() == 8 and not dialog.audits.isEnabled()

    dialog.audit.setChecked(True)
    assert dialog.audits.isEnabled() and not dialog.year.isEnabled()
    assert dialog.selection() == ("audit", {"audit_id": audit_id})
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.task is not None
    assert "陈立新" in Path(asked[0]).name
    qtbot.waitUntil(lambda: bool(ready), timeout=REPORT)
    pdf = Path(ready[0][0])
    assert pdf.is_file() and pdf_pages(pdf) > 1


def test_the_workspace_generates_its_audit_report(qtbot, ctx, save_as) -> None:
    from ui.audit_workspace import AuditWorkspace

    workspace = AuditWorkspace(ctx, "GL001")
    qtbot.addWidget(workspace)
    with qtbot.waitSignal(workspace.loaded, timeout=REPORT):
        pass
    with qtbot.waitSignal(workspace.report_ready, timeout=REPORT) as signal:
        qtbot.mouseClick(workspace.report_button, Qt.MouseButton.LeftButton)
    pdf, xlsx = signal.args
    assert Path(pdf).is_file() and Path(xlsx).is_file()
