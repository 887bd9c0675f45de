"""The import wizard: choose files (or drop them), check each one (kind, sheet, column mapping,
units, the first rows, every problem with its row and column), then import them in a worker with
progress and cancel. Each file is imported in one transaction: all of it or nothing."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from shiboken6 import isValid

from ui.import_preview import PreviewPage
from ui.import_run import ImportPage

if TYPE_CHECKING:
    from balancesheet.importer.preview import Preview
    from ui.context import AppContext

SUFFIXES = (".csv", ".xlsx", ".xlsm")
FILES, PREVIEW, IMPORT = range(3)


def dropped_files(mime: QMimeData | None) -> list[str]:
    """The local CSV/XLSX/XLSM files among the URLs of a drag (what the wizard can import)."""
    if mime is None or not mime.hasUrls():
        return []
    out = []
    for url in mime.urls():
        if not url.isLocalFile():
            continue
        path = Path(url.toLocalFile())
        if path.suffix.lower() in SUFFIXES and path.is_file():
            out.append(str(path))
    return out


@dataclass(eq=False)
class FileEntry:
    """A file to import and the user's choices for it; ``preview`` is the latest check."""

    path: str
    kind: str | None = None               # the kind to read as; None: recognised from the headers
    kind_chosen: bool = False             # the user chose the kind (not only mapped columns)
    sheet: str | None = None              # None: the first sheet with data
    columns: dict[str, str] = field(default_factory=dict)  # header → field, as the user set it
    replace: bool = False
    preview: Preview | None = None
    generation: int = 0                   # bumped by every new check; older results are dropped
    checking: bool = False
    known: frozenset[str] = frozenset()   # regions of other files the last check accepted
    failure: str = ""                     # the check itself failed (unexpected error)
    # 二调 → 三调 crosswalk (stocks, land changes): the classification the file uses ("2007",
    # "2017"; None: detect), the shares as edited (split class → {三调 class: percent}), the valid
    # ones sent to the core (fractions), and why the edited ones cannot be used ("" when they can).
    classification: str | None = None
    shares: dict[str, dict[str, float]] = field(default_factory=dict)
    splits: dict[str, dict[str, float]] = field(default_factory=dict)
    split_error: str = ""
    # A 存量及变动表 (wide) that does not state its region or year: the user's (None: the file's),
    # and what the file's sheets state (regions, years) as the core reads them.
    region: str | None = None
    year: int | None = None
    stated: tuple[tuple[str, ...], tuple[int, ...]] = ((), ())

    @property
    def name(self) -> str:
        """The file name without its folder."""
        return Path(self.path).name

    @property
    def ready(self) -> bool:
        """Checked, clean, and allowed (replace ticked where the database needs it)."""
        p = self.preview
        return (not self.checking and p is not None and p.clean and not self.split_error
                and (self.replace or not p.needs_replace))


class FileDropList(QListWidget):
    """A list of files that accepts CSV/Excel files dropped from the file manager."""

    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDragDropMode(QListWidget.DragDropMode.DropOnly)
        self.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if dropped_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt override
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        files = dropped_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.files_dropped.emit(files)
        else:
            event.ignore()


class FilesPage(QWizardPage):
    """Choose the files: add, remove, or drop them on the list."""

    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle(self.tr("Files to import"))
        self.setSubTitle(self.tr(
            "Choose tables in the import formats (CSV or Excel): regions, stocks, flows, land "
            "changes, targets or officials. You can also drag files onto the list."))
        self.list = FileDropList()
        self.list.setObjectName("files")
        self.list.files_dropped.connect(self.wiz.add_files)
        self.list.itemSelectionChanged.connect(self._selection)
        self.add_button = QPushButton(self.tr("&Add files…"))
        self.add_button.clicked.connect(self.choose)
        self.remove_button = QPushButton(self.tr("&Remove"))
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch()
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        hint = QLabel(self.tr("Files are imported in the order their contents need: regions first, "
                              "then officials, targets, stocks, land changes and flows."))
        hint.setWordWrap(True)
        layout.addWidget(hint)

    def refresh(self) -> None:
        """Show the wizard's files."""
        self.list.clear()
        for entry in self.wiz.entries:
            item = QListWidgetItem(f"{entry.name}    {Path(entry.path).parent}")
            item.setToolTip(entry.path)
            item.setData(Qt.ItemDataRole.UserRole, entry.path)
            self.list.addItem(item)
        self._selection()
        self.completeChanged.emit()

    def _selection(self) -> None:
        self.remove_button.setEnabled(bool(self.list.selectedItems()))

    def choose(self) -> None:
        """Ask for files (starting in the folder used last time) and add them."""
        prefs = self.wiz.ctx.preferences
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Add files to import"), prefs.directory("import"),
            self.tr("Tables (*.csv *.xlsx *.xlsm);;All files (*)"))
        if files:
            prefs.set_directory("import", str(Path(files[0]).parent))
            self.wiz.add_files(files)

    def remove_selected(self) -> None:
        """Remove the selected files from the import."""
        paths = {item.data(Qt.ItemDataRole.UserRole) for item in self.list.selectedItems()}
        self.wiz.remove_files(paths)

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return bool(self.wiz.entries)


class ImportWizard(QWizard):
    """Import tables into the open project, checked first and each file all or nothing.

    ``files`` (e.g. dropped on the main window) are listed at once and the wizard opens on their
    check. ``imported`` is emitted with the ImportResults of every run that imported something
    (after ``ctx.notify_changed()``).
    """

    imported = Signal(list)

    def __init__(self, ctx: AppContext, files: list[str] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.entries: list[FileEntry] = []
        self.setWindowTitle(self.tr("Import data"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.files_page = FilesPage(self)
        self.preview_page = PreviewPage(self)
        self.import_page = ImportPage(self)
        self.setPage(FILES, self.files_page)
        self.setPage(PREVIEW, self.preview_page)
        self.setPage(IMPORT, self.import_page)
        self.resize(1200, 760)
        geometry = ctx.preferences.geometry("import_wizard")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self._skip_to_preview = bool(files)
        self._page = FILES
        self.add_files(files or [])
        self.currentIdChanged.connect(self._page_changed)
        self._closed = ctx.project_closed.connect(_reject_later(self))

    def _page_changed(self, page: int) -> None:
        if page == PREVIEW and self._page == IMPORT:
            self.preview_page.refresh()
            self.preview_page.check_all()  # the project changed, and so may the verdicts
        self._page = page

    # ------------------------------------------------------------------ files
    def add_files(self, paths: list[str]) -> int:
        """Add files not listed yet; return how many were added."""
        known = {str(Path(e.path).resolve()) for e in self.entries}
        added = 0
        for path in paths:
            resolved = str(Path(path).resolve())
            if resolved in known:
                continue
            known.add(resolved)
            self.entries.append(FileEntry(str(path)))
            added += 1
        if added:
            self.files_page.refresh()
            if self.currentId() == PREVIEW:
                self.preview_page.refresh()
        return added

    def remove_files(self, paths: set[str]) -> None:
        """Drop files from the import (their running checks are ignored)."""
        self.entries = [e for e in self.entries if e.path not in paths]
        self.files_page.refresh()

    def forget(self, entries: list[FileEntry]) -> None:
        """Take imported files off the list."""
        done = set(map(id, entries))
        self.entries = [e for e in self.entries if id(e) not in done]
        self.files_page.refresh()

    def known_regions(self, entry: FileEntry) -> frozenset[str]:
        """Region codes that the other (regions) files of this import will create first."""
        codes: set[str] = set()
        for other in self.entries:
            if other is not entry and other.preview is not None and other.preview.clean:
                codes.update(other.preview.regions)
        return frozenset(codes)

    # ------------------------------------------------------------------ window
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._skip_to_preview and self.currentId() == FILES:
            self._skip_to_preview = False
            self.next()

    def reject(self) -> None:
        """Close, except while importing: then Cancel/Escape/close cancel the import instead."""
        if self.import_page.running:
            self.import_page.cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.import_page.running:
            self.import_page.cancel()
            event.ignore()
            return
        super().closeEvent(event)

    def done(self, result: int) -> None:
        """Remember the window's size, then close."""
        self.ctx.preferences.set_geometry("import_wizard", self.saveGeometry())
        if self._closed is not None:
            self.ctx.project_closed.disconnect(self._closed)
            self._closed = None
        super().done(result)


def _reject_later(wizard: ImportWizard) -> Callable[[], None]:
    """A slot closing ``wizard`` when the project closes, harmless once the wizard is gone."""
    ref = weakref.ref(wizard)

    def reject() -> None:
        target = ref()
        if target is not None and isValid(target):
            target.reject()
    return reject


__all__ = ["FileEntry", "ImportWizard", "dropped_files"]
