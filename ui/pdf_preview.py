"""A generated report's PDF inside the app (QtPdf): pages, zoom, print, open the workbook."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QPageLayout, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from ui.context import AppContext

ZOOM_STEP = 1.25
MAX_PRINT_DPI = 300  # pages are rendered as images; more than this only costs memory


class PdfPreview(QWidget):
    """The PDF at ``pdf_path`` (and, when given, the workbook it was drawn from)."""

    def __init__(self, ctx: AppContext, pdf_path: str, xlsx_path: str | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.pdf_path, self.xlsx_path = str(pdf_path), (str(xlsx_path) if xlsx_path else None)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self._build()
        self.navigator = self.view.pageNavigator()
        self.navigator.currentPageChanged.connect(self._page_changed)
        self.document.load(self.pdf_path)
        self._loaded()

    def _button(self, text: str, tip: str, slot: Callable[[], object],
                shortcut: QKeySequence | None = None) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.clicked.connect(slot)
        if shortcut is not None:
            button.setShortcut(shortcut)
        return button

    def _build(self) -> None:
        keys = QKeySequence.StandardKey
        self.previous = self._button(self.tr("◀ Previous"), self.tr("Previous page"),
                                     self.previous_page, QKeySequence(keys.MoveToPreviousPage))
        self.next = self._button(self.tr("Next ▶"), self.tr("Next page"), self.next_page,
                                 QKeySequence(QKeySequence.StandardKey.MoveToNextPage))
        self.page = QSpinBox(self)
        self.page.setMinimum(1)
        self.page.setKeyboardTracking(False)
        self.page.valueChanged.connect(lambda n: self.go_to(n - 1))
        self.pages = QLabel(self)
        self.fit = self._button(self.tr("Fit width"), self.tr("Zoom to the width of the window"),
                                self.fit_width)
        self.fit.setCheckable(True)
        self.zoom_out = self._button("−", self.tr("Zoom out"), lambda: self.zoom(1 / ZOOM_STEP),
                                     QKeySequence(QKeySequence.StandardKey.ZoomOut))
        self.zoom_in = self._button("+", self.tr("Zoom in"), lambda: self.zoom(ZOOM_STEP),
                                    QKeySequence(QKeySequence.StandardKey.ZoomIn))
        for button in (self.zoom_out, self.zoom_in):
            button.setMinimumWidth(28)
        self.zoom_label = QLabel(self)
        self.print_button = self._button(self.tr("Print…"), self.tr("Print the report"),
                                         self.print_)
        self.workbook_button = self._button(
            self.tr("Open workbook"), self.tr("Open the Excel workbook in the spreadsheet program"),
            self.open_workbook)
        self.workbook_button.setEnabled(bool(self.xlsx_path))
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        for widget in (self.previous, self.page, self.pages, self.next):
            bar.addWidget(widget)
        bar.addSpacing(16)
        for widget in (self.fit, self.zoom_out, self.zoom_label, self.zoom_in):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.workbook_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addLayout(bar)
        box.addWidget(self.view, 1)
        self.view.zoomFactorChanged.connect(lambda _z: self._show_zoom())
        self.view.zoomModeChanged.connect(lambda _m: self._show_zoom())
        self.view.viewport().installEventFilter(self)

    # ------------------------------------------------------------------ document
    def title(self) -> str:
        """The tab title: the PDF's file name."""
        return Path(self.pdf_path).name

    def page_count(self) -> int:
        """Pages of the document (0 when it did not load)."""
        return self.document.pageCount()

    def _loaded(self) -> None:
        ready = self.document.status() == QPdfDocument.Status.Ready
        count = self.page_count() if ready else 0
        self.page.setMaximum(max(count, 1))
        self.pages.setText(self.tr("of {n}").format(n=count))
        for widget in (self.previous, self.next, self.page, self.print_button, self.fit,
                       self.zoom_in, self.zoom_out):
            widget.setEnabled(ready and count > 0)
        self._page_changed(0)
        self._show_zoom()
        if not ready:
            QMessageBox.warning(self, self.tr("Report preview"), self.tr(
                "The PDF {path} could not be opened ({error}). Generate the report again.").format(
                path=self.pdf_path, error=self.document.error().name))

    # ------------------------------------------------------------------ pages and zoom
    def current_page(self) -> int:
        """The page shown (0-based)."""
        return self.navigator.currentPage()

    def go_to(self, page: int) -> None:
        """Show ``page`` (0-based)."""
        if 0 <= page < self.page_count() and page != self.current_page():
            self.navigator.jump(page, QPointF(), self.navigator.currentZoom())

    def previous_page(self) -> None:
        """Show the page before."""
        self.go_to(self.current_page() - 1)

    def next_page(self) -> None:
        """Show the page after."""
        self.go_to(self.current_page() + 1)

    def _page_changed(self, page: int) -> None:
        self.page.blockSignals(True)
        self.page.setValue(page + 1)
        self.page.blockSignals(False)
        self.previous.setEnabled(page > 0)
        self.next.setEnabled(page + 1 < self.page_count())

    def fit_width(self) -> None:
        """Zoom the pages to the view's width (and keep it when the window resizes)."""
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def zoom(self, factor: float) -> None:
        """Zoom in (``factor`` > 1) or out from what is shown now."""
        current = self._effective_zoom()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(min(max(current * factor, 0.1), 8.0))

    def _effective_zoom(self) -> float:
        if self.view.zoomMode() != QPdfView.ZoomMode.FitToWidth or not self.page_count():
            return self.view.zoomFactor()
        # FitToWidth: the factor that makes the widest page fill the viewport (points → pixels)
        width = max(self.document.pagePointSize(p).width() for p in range(self.page_count()))
        dpi = self.logicalDpiX() / 72.0
        usable = self.view.viewport().width() - 2 * self.view.documentMargins().left()
        return max(usable / (width * dpi), 0.1) if width else 1.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Fit-to-width changes the zoom with the view's size: keep the percentage shown true."""
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._show_zoom()
        return super().eventFilter(watched, event)

    def _show_zoom(self) -> None:
        fitted = self.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
        self.fit.setChecked(fitted)
        self.zoom_label.setText(f"{self._effective_zoom():.0%}")

    # ------------------------------------------------------------------ print, workbook
    def print_(self) -> None:
        """Print the report: choose the printer and pages, then render each page at the
        printer's resolution (at most MAX_PRINT_DPI) in its own orientation."""
        count = self.page_count()
        if not count:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.title())
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, count)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        first, last = 1, count
        if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            first, last = printer.fromPage(), min(printer.toPage() or count, count)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.render_pages(printer, range(first - 1, last))
        finally:
            QApplication.restoreOverrideCursor()

    def render_pages(self, printer: QPrinter, pages: range) -> None:
        """Draw ``pages`` (0-based) onto ``printer``, one sheet each, scaled to fit."""
        painter = QPainter()
        for n, page in enumerate(pages):
            size = self.document.pagePointSize(page)
            orientation = (QPageLayout.Orientation.Landscape if size.width() > size.height()
                           else QPageLayout.Orientation.Portrait)
            printer.setPageOrientation(orientation)
            if n == 0:
                if not painter.begin(printer):
                    QMessageBox.warning(self, self.tr("Print"), self.tr(
                        "The printer could not be started. Check that it is connected and ready."))
                    return
            else:
                printer.newPage()
            dpi = min(printer.resolution(), MAX_PRINT_DPI)
            image = self.document.render(page, QSize(round(size.width() * dpi / 72),
                                                     round(size.height() * dpi / 72)))
            area = QRectF(painter.viewport())
            scale = min(area.width() / image.width(), area.height() / image.height())
            target = QRectF(0, 0, image.width() * scale, image.height() * scale)
            target.moveCenter(area.center())
            painter.drawImage(target, image)
        painter.end()

    def open_workbook(self) -> None:
        """Open the workbook in the system's spreadsheet program (Excel, WPS …)."""
        if not self.xlsx_path:
            return
        if not Path(self.xlsx_path).is_file():
            QMessageBox.warning(self, self.tr("Open workbook"), self.tr(
                "The workbook {path} no longer exists.").format(path=self.xlsx_path))
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(self.xlsx_path)):
            QMessageBox.warning(self, self.tr("Open workbook"), self.tr(
                "No program is set up to open {path}. Install a spreadsheet program (Excel, WPS, "
                "LibreOffice) or open the file from its folder.").format(path=self.xlsx_path))
