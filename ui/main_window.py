"""The main window: navigator, tabbed views, problems panel, status bar, menus and toolbar.

Every view is created lazily when first opened, so the window paints before pandas and the
report machinery load. The window only routes: the views call the core.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from ui.errors import show_error
from ui.navigator import Key, Navigator
from ui.tasks import run_task

if TYPE_CHECKING:
    from ui.context import AppContext

PROJECT_FILTER = "项目文件 / Projects (*.db *.sqlite *.bsdb);;所有文件 / All files (*)"


class MainWindow(QMainWindow):
    """The application's main window over an :class:`AppContext`."""

    #: the user changed the language: the application rebuilds the window
    language_changed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.region = ""
        self.year = 0
        self.tabs_by_key: dict[Key, QWidget] = {}
        self.setObjectName("MainWindow")
        self.setAcceptDrops(True)
        self.resize(1280, 800)

        self.tabs = QTabWidget(self)
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.tabs.currentChanged.connect(lambda _i: self._update_actions())
        self.setCentralWidget(self.tabs)

        self.navigator = Navigator(ctx, self)
        self.navigator.opened.connect(self.open_key)
        self.navigator.current_changed.connect(self.set_current)
        self.nav_dock = self._dock(self.tr("Navigator"), "NavigatorDock", self.navigator,
                                   Qt.DockWidgetArea.LeftDockWidgetArea)
        self.problems = None
        self.problems_dock = self._dock(self.tr("Problems"), "ProblemsDock", QLabel(),
                                        Qt.DockWidgetArea.BottomDockWidgetArea)

        self.status_project = QLabel()
        self.status_place = QLabel()
        self.status_lock = QLabel()
        for label in (self.status_project, self.status_place, self.status_lock):
            self.statusBar().addPermanentWidget(label)

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        ctx.project_opened.connect(self._project_opened)
        ctx.project_closed.connect(self._project_closed)
        ctx.navigate.connect(self.go_to_cell)
        ctx.locks_changed.connect(self._locks_changed)
        ctx.undo_stack.indexChanged.connect(self._undo_index_changed)
        self._restore_geometry()
        self._update_title()
        self._update_actions()

    # ------------------------------------------------------------------ construction
    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, text: str, slot: Callable[[], object], shortcut: QKeySequence | str | None = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: self._guarded(slot))
        return action

    def _guarded(self, slot: Callable[[], object]) -> None:
        try:
            slot()
        except Exception as exc:  # noqa: BLE001 - every failure becomes a message, never a traceback
            show_error(self, exc, language=self.ctx.language)

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.act_new = self._action(self.tr("&New project…"), self.new_project, key.New,
                                    self.tr("Create an empty project file"))
        self.act_open = self._action(self.tr("&Open project…"), self.open_project_dialog, key.Open,
                                     self.tr("Open a project file"))
        self.act_sample = self._action(self.tr("Open the &sample county"), self.open_sample)
        self.act_import = self._action(self.tr("&Import data…"), self.import_data, "Ctrl+I",
                                       self.tr("Import tables (CSV or Excel) into the project"))
        self.act_export = self._action(self.tr("&Export data…"), self.export_data, "Ctrl+E",
                                       self.tr("Export the region's data as importable tables"))
        self.act_save = self._action(self.tr("&Save"), self.save, key.Save,
                                     self.tr("Every edit is saved at once; this confirms it"))
        self.act_backup = self._action(self.tr("&Back up project…"), self.backup,
                                       tip=self.tr("Write a consistent copy of the project file"))
        self.act_restore = self._action(self.tr("&Restore from backup…"), self.restore,
                                        tip=self.tr("Replace the project's data with a backup copy "
                                                    "(the current file is kept)"))
        self.act_history = self._action(self.tr("Change &history…"), self.show_history, "Ctrl+H",
                                        self.tr("Who changed what and when: every edit, import, lock and unlock"))
        self.act_print = self._action(self.tr("&Print…"), self.print_, key.Print,
                                      self.tr("Print the report shown, or make one to print"))
        self.act_close = self._action(self.tr("&Close project"), self.close_project)
        self.act_quit = self._action(self.tr("E&xit"), self.close, key.Quit)
        self.act_undo = self.ctx.undo_stack.createUndoAction(self, self.tr("&Undo"))
        self.act_undo.setShortcut(QKeySequence(key.Undo))
        self.act_redo = self.ctx.undo_stack.createRedoAction(self, self.tr("&Redo"))
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence(key.Redo)])
        self.act_copy = self._action(self.tr("&Copy"), lambda: self._edit("copy"), key.Copy)
        self.act_paste = self._action(self.tr("&Paste"), lambda: self._edit("paste"), key.Paste)
        self.act_find = self._action(self.tr("&Find…"), lambda: self._edit("find"), key.Find)
        self.act_prefs = self._action(self.tr("Pre&ferences…"), self.preferences, key.Preferences)
        self.act_check = self._action(self.tr("&Check"), self.run_checks, "F5",
                                      self.tr("Check the selected region and year"))
        self.act_lock = self._action(self.tr("&Lock year…"), self.lock_year,
                                     tip=self.tr("Sign the year off (结账): no more changes"))
        self.act_unlock = self._action(self.tr("&Unlock year…"), self.unlock_year,
                                       tip=self.tr("Reopen a locked year (the reason is logged)"))
        self.act_changes = self._action(self.tr("Land &change records"),
                                        lambda: self._open_for_year("changes"))
        self.act_matrix = self._action(self.tr("&Transition matrix"),
                                       lambda: self._open_for_year("matrix"))
        self.act_charts = self._action(self.tr("C&harts"), self._open_charts)
        self.act_new_audit = self._action(self.tr("&New audit…"), self.new_audit,
                                          tip=self.tr("Start a departure audit of an official"))
        self.act_report = self._action(self.tr("&Generate report…"), self.generate_report, "Ctrl+R",
                                       self.tr("Balance-sheet or audit report: workbook and PDF"))
        self.act_manual = self._action(self.tr("User &manual"), self.manual, key.HelpContents)
        self.act_about = self._action(self.tr("&About"), self.about)
        self._project_actions = [self.act_import, self.act_export, self.act_save, self.act_backup,
                                 self.act_restore, self.act_history,
                                 self.act_print, self.act_close, self.act_check, self.act_lock,
                                 self.act_unlock, self.act_changes, self.act_matrix, self.act_charts,
                                 self.act_new_audit, self.act_report]

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu(self.tr("&File"))
        file.addActions([self.act_new, self.act_open])
        self.recent_menu = QMenu(self.tr("Open &recent"), self)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file.addMenu(self.recent_menu)
        file.addAction(self.act_sample)
        file.addSeparator()
        file.addActions([self.act_import, self.act_export])
        file.addSeparator()
        file.addActions([self.act_save, self.act_backup, self.act_restore, self.act_print])
        file.addSeparator()
        file.addActions([self.act_close, self.act_quit])
        edit = bar.addMenu(self.tr("&Edit"))
        edit.addActions([self.act_undo, self.act_redo])
        edit.addSeparator()
        edit.addActions([self.act_copy, self.act_paste, self.act_find])
        edit.addSeparator()
        edit.addAction(self.act_prefs)
        accounts = bar.addMenu(self.tr("&Accounts"))
        accounts.addAction(self.act_check)
        accounts.addSeparator()
        accounts.addActions([self.act_lock, self.act_unlock, self.act_history])
        accounts.addSeparator()
        accounts.addActions([self.act_changes, self.act_matrix, self.act_charts])
        audit = bar.addMenu(self.tr("A&udit"))
        audit.addActions([self.act_new_audit, self.act_report])
        self.view_menu = bar.addMenu(self.tr("&View"))
        self.view_menu.addAction(self.nav_dock.toggleViewAction())
        self.view_menu.addAction(self.problems_dock.toggleViewAction())
        units = self.view_menu.addMenu(self.tr("Area &unit"))
        self.unit_actions = {}
        for unit, text in (("公顷", self.tr("Hectares (公顷)")), ("亩", self.tr("Mu (亩)"))):
            act = QAction(text, self, checkable=True)
            act.setChecked(self.ctx.preferences.area_unit == unit)
            act.triggered.connect(lambda _c=False, u=unit: self.set_area_unit(u))
            units.addAction(act)
            self.unit_actions[unit] = act
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addActions([self.act_manual, self.act_about])

    def _build_toolbar(self) -> None:
        bar = self.addToolBar(self.tr("Main"))
        bar.setObjectName("MainToolBar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.addActions([self.act_open, self.act_import])
        bar.addSeparator()
        bar.addActions([self.act_undo, self.act_redo])
        bar.addSeparator()
        bar.addActions([self.act_check, self.act_lock, self.act_report])
        self.view_menu.addAction(bar.toggleViewAction())

    # ------------------------------------------------------------------ state
    def _restore_geometry(self) -> None:
        geometry = self.ctx.preferences.geometry("main")
        state = self.ctx.preferences.geometry("main_state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)

    def import_running(self) -> bool:
        """True while the import wizard is writing (closing now would abandon it)."""
        wizard = getattr(self, "import_wizard", None)
        try:
            return bool(wizard is not None and wizard.import_page.running)
        except RuntimeError:  # the wizard was deleted
            return False

    def _refuse_while_importing(self) -> bool:
        if self.import_running():
            QMessageBox.information(self, self.tr("Import in progress"), self.tr(
                "An import is being written. Cancel it in the import window or wait until it "
                "finishes, then try again."))
            return True
        return False

    def close_project(self) -> None:
        """Close the project (refused while an import is writing)."""
        if not self._refuse_while_importing():
            self.ctx.close_project()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self._refuse_while_importing():
            event.ignore()
            return
        self.ctx.preferences.set_geometry("main", self.saveGeometry())
        self.ctx.preferences.set_geometry("main_state", self.saveState())
        event.accept()

    def _update_title(self) -> None:
        name = Path(self.ctx.location).name if self.ctx.location else self.tr("no project")
        self.setWindowTitle(self.tr("Natural-resource balance sheet — {name}").format(name=name))
        project = self.ctx.project  # a server URL without its password
        self.status_project.setText(project.store.display_name if project else self.ctx.location)

    def _update_status(self) -> None:
        if not self.region:
            self.status_place.setText("")
            self.status_lock.setText("")
            return
        self.status_place.setText(self.tr("Region {region}, {year}").format(
            region=self.region, year=self.year) if self.year else self.region)
        if self.year and self.ctx.project is not None:
            from balancesheet.editing import period_state

            state = period_state(self.ctx.project, self.region, self.year)
            self.status_lock.setText(self.tr("Locked") if state.locked else self.tr("Open for editing"))
            self.status_lock.setToolTip(state.reason())
        else:
            self.status_lock.setText("")
        self._update_actions()

    def _update_actions(self) -> None:
        has = self.ctx.project is not None
        for action in self._project_actions:
            action.setEnabled(has)
        tab = self.tabs.currentWidget()
        self.act_paste.setEnabled(has and hasattr(tab, "paste"))
        self.act_find.setEnabled(has and hasattr(tab, "find"))

    def set_current(self, region: str, year: int) -> None:
        """The region and year the status bar shows and the year actions apply to."""
        self.region, self.year = region, year or self.year
        self._update_status()

    def _project_opened(self) -> None:
        self.close_all_tabs()
        self._update_title()
        self.region, self.year = self._default_place()
        self._update_status()
        self._ensure_problems_panel()
        notices = list(self.ctx.require_project().store.notices)  # e.g. the file was upgraded (backup where)
        if notices:
            QTimer.singleShot(0, lambda: QMessageBox.information(self, self.tr("Project upgraded"),
                                                                 "\n\n".join(notices)))
        if self.region and self.year:
            QTimer.singleShot(0, lambda: self._guarded(self._open_default_view))

    def _project_closed(self) -> None:
        self.close_all_tabs()
        self.region, self.year = "", 0
        self._update_title()
        self._update_status()

    def _locks_changed(self, _region: str, _year: int) -> None:
        self._update_status()

    def _undo_index_changed(self, _index: int) -> None:
        self._update_actions()

    def restore_views(self, keys: list) -> None:
        """After a rebuild (language change): the same project, the same views."""
        self._update_title()
        self.navigator.reload()
        self.region, self.year = self._default_place()
        self._ensure_problems_panel()
        self._update_status()
        for key in keys:
            if key:
                self._guarded(lambda k=key: self.open_key(tuple(k)))
        if self.region and self.year:
            self._guarded(self.run_checks)

    def _default_place(self) -> tuple[str, int]:
        from sqlalchemy import func, select

        from balancesheet.store.schema import Stock

        project = self.ctx.project
        if project is None:
            return "", 0
        with project.store.session() as s:
            row = s.execute(select(Stock.region_code, func.max(Stock.year))
                            .group_by(Stock.region_code).order_by(func.count().desc())).first()
        return (str(row[0]), int(row[1])) if row else ("", 0)

    def _open_default_view(self) -> None:
        resource = "land" if "land" in self.ctx.require_project().catalog.accounts else \
            next(iter(self.ctx.require_project().catalog.accounts))
        view = self.open_key(("account", self.region, self.year, resource))
        if view is not None and hasattr(view, "loaded"):
            # check once the table is on screen: both compete for the same interpreter
            def first_check() -> None:
                view.loaded.disconnect(first_check)
                self._guarded(self.run_checks)
            view.loaded.connect(first_check)
        else:
            self.run_checks()

    # ------------------------------------------------------------------ tabs
    def open_key(self, key: Key) -> QWidget | None:
        """Show the view for a navigator key, creating it the first time."""
        key = tuple(key)
        if key in self.tabs_by_key:
            widget = self.tabs_by_key[key]
            self.tabs.setCurrentWidget(widget)
            return widget
        widget, title = self._create_view(key)
        if widget is None:
            return None
        widget.setProperty("view_key", key)
        self.tabs_by_key[key] = widget
        self.tabs.setCurrentIndex(self.tabs.addTab(widget, title))
        if key[0] in ("account", "changes", "matrix"):
            self.set_current(key[1], key[2])
        return widget

    def _create_view(self, key: Key) -> tuple[QWidget | None, str]:
        project = self.ctx.require_project()
        kind = key[0]
        if kind == "account":
            from ui.account_editor import AccountEditor

            _, region, year, resource = key
            name = project.catalog.account(resource).name
            return AccountEditor(self.ctx, region, year, resource), f"{year} {name}"
        if kind == "changes":
            from ui.land_changes import LandChangesView

            return LandChangesView(self.ctx, key[1], key[2]), self.tr("{year} land changes").format(
                year=key[2])
        if kind == "matrix":
            from ui.matrix_view import TransitionMatrixView

            years = self._years(key[1])
            first = years[0] if years else key[2] - 1
            return (TransitionMatrixView(self.ctx, key[1], first, key[2]),
                    self.tr("Transition matrix"))
        if kind == "charts":
            from ui.charts import ChartsView

            return ChartsView(self.ctx, key[1]), self.tr("Charts")
        if kind in ("official", "audit"):
            from ui.audit_workspace import AuditWorkspace

            official = key[1] if kind == "official" else self._official_of_audit(key[1])
            audit_id = key[1] if kind == "audit" else None
            workspace = AuditWorkspace(self.ctx, official, audit_id=audit_id)
            workspace.report_ready.connect(self.show_report)
            return workspace, self.tr("Audit {official}").format(official=official)
        if kind == "pdf":
            from ui.pdf_preview import PdfPreview

            return PdfPreview(self.ctx, key[1], key[2]), Path(key[1]).name
        return None, ""

    def _years(self, region: str) -> list[int]:
        from sqlalchemy import select

        from balancesheet.store.schema import Stock

        with self.ctx.require_project().store.session() as s:
            return sorted(int(y) for y in s.scalars(
                select(Stock.year).where(Stock.region_code == region).distinct()).all())

    def _official_of_audit(self, audit_id: int) -> str:
        from balancesheet.store.schema import Audit

        with self.ctx.require_project().store.session() as s:
            audit = s.get(Audit, audit_id)
            return audit.official_id if audit else ""

    def close_tab(self, index: int) -> None:
        """Close the tab at ``index``."""
        widget = self.tabs.widget(index)
        key = widget.property("view_key") if widget else None
        self.tabs.removeTab(index)
        if key is not None:
            self.tabs_by_key.pop(tuple(key), None)
        if widget is not None:
            widget.deleteLater()

    def close_all_tabs(self) -> None:
        """Close every view (when the project changes)."""
        while self.tabs.count():
            self.close_tab(0)

    def current_view(self) -> QWidget | None:
        """The widget of the current tab."""
        return self.tabs.currentWidget()

    def go_to_cell(self, region: str, year: int, resource: str, item: str) -> None:
        """Open the account of ``resource`` and select ``item`` (the problems panel asks)."""
        if not resource:
            resource = "land"
        widget = self.open_key(("account", region, int(year), resource))
        if widget is not None and item and hasattr(widget, "select_item"):
            widget.select_item(item)

    def _edit(self, what: str) -> None:
        focus = self.focusWidget()
        if what in ("copy", "paste") and isinstance(focus, QLineEdit | QTextEdit | QPlainTextEdit):
            getattr(focus, what)()
            return
        target = self.current_view()
        method = getattr(target, what, None)
        if callable(method):
            method()

    # ------------------------------------------------------------------ file menu
    def new_project(self) -> None:
        """Create an empty project file and offer to import data into it."""
        path, _ = QFileDialog.getSaveFileName(self, self.tr("New project"),
                                              self.ctx.preferences.directory("open"), PROJECT_FILTER)
        if not path:
            return
        if Path(path).suffix == "":
            path += ".db"
        if Path(path).exists():
            from balancesheet.errors import UserError

            raise UserError(f"文件已存在：{path}。请换一个文件名，或用“打开项目”打开它。",
                            f"File exists: {path}")
        self.ctx.preferences.set_directory("open", str(Path(path).parent))
        self.ctx.open_project(path, create=True)
        self.import_data()

    def open_project_dialog(self) -> None:
        """Ask for a project file and open it."""
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open project"),
                                              self.ctx.preferences.directory("open"), PROJECT_FILTER)
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> None:
        """Open the project at ``path`` (errors shown, the current project stays open)."""
        if self._refuse_while_importing():
            return
        if "://" not in path and not Path(path).exists():
            self.ctx.preferences.remove_recent(path)
        self.ctx.preferences.set_directory("open", str(Path(path).parent))
        self.ctx.open_project(path)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.ctx.preferences.recent_files
        if not recent:
            self.recent_menu.addAction(self.tr("(none)")).setEnabled(False)
        for number, path in enumerate(recent, start=1):
            action = self.recent_menu.addAction(f"&{number} {path}")
            action.triggered.connect(lambda _c=False, p=path: self._guarded(lambda: self.open_path(p)))

    def open_sample(self) -> None:
        """Open the sample county (created in the data folder the first time, in a worker)."""
        from ui.start import open_sample

        open_sample(self.ctx, self)

    def import_data(self, files: list[str] | None = None) -> None:
        """Open the import wizard (optionally with dropped files)."""
        if self.ctx.project is None:
            return
        from ui.import_wizard import ImportWizard

        old = getattr(self, "import_wizard", None)
        if old is not None and old.isVisible():
            old.raise_()  # one import at a time
            return
        if old is not None:
            old.deleteLater()
        wizard = ImportWizard(self.ctx, files or [], self)
        wizard.open()
        self.import_wizard = wizard

    def export_data(self) -> None:
        """Export the current region's stocks, flows and land changes as importable CSV files."""
        from ui.exporting import export_region

        export_region(self.ctx, self, self.region)

    def save(self) -> None:
        """Edits are committed as they happen; flush the write-ahead log into the file."""
        project = self.ctx.require_project()
        if project.store.is_sqlite:
            with project.store.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
        self.statusBar().showMessage(self.tr("All changes are saved in {path}").format(
            path=self.ctx.location), 5000)

    def backup(self) -> None:
        """Write a consistent copy of the project while it is open."""
        from balancesheet.backup import backup_project, default_backup_name

        project = self.ctx.require_project()
        suggested = str(Path(self.ctx.preferences.directory("backup") or Path(self.ctx.location).parent)
                        / default_backup_name(self.ctx.location))
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Back up project"), suggested, PROJECT_FILTER)
        if not path:
            return
        self.ctx.preferences.set_directory("backup", str(Path(path).parent))
        self.statusBar().showMessage(self.tr("Writing the backup…"))

        def done(written: Path) -> None:
            self.statusBar().showMessage(self.tr("Backup written: {path}").format(path=written), 8000)

        run_task(lambda _state: backup_project(project, Path(path)), done,
                 lambda exc: show_error(self, exc, language=self.ctx.language))

    def restore(self) -> None:
        """Replace the open project's data with a backup, after confirmation; the current file is kept."""
        from balancesheet.backup import check_backup, restore_backup

        project = self.ctx.require_project()
        if not project.store.is_sqlite:
            from balancesheet.errors import UserError

            raise UserError("服务器上的项目（PostgreSQL）请由管理员用 pg_restore 恢复。",
                            "Restore a PostgreSQL project with pg_restore.")
        folder = self.ctx.preferences.directory("backup") or str(Path(self.ctx.location).parent)
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Restore from backup"), folder, PROJECT_FILTER)
        if not path:
            return
        check_backup(Path(path))  # a damaged or foreign file is refused before anything is asked
        answer = QMessageBox.question(
            self, self.tr("Restore from backup"),
            self.tr("Replace all data of {project} with the backup {backup}?\n\nChanges made after the "
                    "backup will be gone from the project; the current file is first saved beside it "
                    "(name with 恢复前 and the time), so the restore can be undone.").format(
                project=self.ctx.location, backup=path),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        location = Path(project.store.location)
        self.statusBar().showMessage(self.tr("Restoring…"))

        def done(safety: Path | None) -> None:
            self.ctx.undo_stack.clear()  # the edits on the stack belong to the replaced data
            self.ctx.locks_changed.emit("", 0)
            self.ctx.notify_changed("", 0)
            self.statusBar().showMessage(self.tr("Restored from {backup}; the previous file is {safety}").format(
                backup=path, safety=safety), 15000)

        run_task(lambda _state: restore_backup(Path(path), location), done,
                 lambda exc: show_error(self, exc, language=self.ctx.language))

    def show_history(self) -> None:
        """The change log of the project, opened on the current region and year."""
        from ui.history import HistoryDialog

        dialog = HistoryDialog(self.ctx, self, self.region, self.year)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def print_(self) -> None:
        """Print the report in the current tab; elsewhere, make the report first."""
        view = self.current_view()
        if hasattr(view, "print_"):
            view.print_()
        else:
            self.generate_report()

    # ------------------------------------------------------------------ accounts menu
    def _ensure_problems_panel(self) -> None:
        if self.problems is not None:
            return
        from ui.problems import ProblemsPanel

        self.problems = ProblemsPanel(self.ctx, self)
        self.problems_dock.setWidget(self.problems)

    def run_checks(self) -> None:
        """Check the current region and year; the problems panel lists what it finds."""
        if not (self.region and self.year):
            raise self._need_year()
        self._ensure_problems_panel()
        self.problems_dock.show()
        self.problems.show_checks(self.region, self.year)

    def _need_year(self) -> Exception:
        from balancesheet.errors import UserError

        return UserError("请先在左侧导航中选择一个区划的某一年度。", "Select a region's year first.")

    def lock_year(self) -> None:
        """Lock (结账) the current year after confirmation."""
        from balancesheet.editing import lock_year

        if not (self.region and self.year):
            raise self._need_year()
        note, ok = QInputDialog.getText(
            self, self.tr("Lock year"),
            self.tr("Lock {year} of region {region}? Nobody can change its data until it is "
                    "unlocked.\nNote (optional):").format(year=self.year, region=self.region))
        if not ok:
            return
        lock_year(self.ctx.require_project(), self.region, self.year, note.strip())
        self.ctx.undo_stack.clear()  # edits before the lock cannot be undone into a locked year
        self.ctx.locks_changed.emit(self.region, self.year)
        self.ctx.notify_changed(self.region, self.year)

    def unlock_year(self) -> None:
        """Unlock the current year; the reason is required and logged."""
        from balancesheet.editing import unlock_year

        if not (self.region and self.year):
            raise self._need_year()
        reason, ok = QInputDialog.getText(
            self, self.tr("Unlock year"),
            self.tr("Why must {year} be reopened? (recorded in the change log)").format(year=self.year))
        if not ok:
            return
        unlock_year(self.ctx.require_project(), self.region, self.year, reason)
        self.ctx.locks_changed.emit(self.region, self.year)
        self.ctx.notify_changed(self.region, self.year)

    def _open_for_year(self, kind: str) -> None:
        if not (self.region and self.year):
            raise self._need_year()
        self.open_key((kind, self.region, self.year))

    def _open_charts(self) -> None:
        if not self.region:
            raise self._need_year()
        self.open_key(("charts", self.region))

    def set_area_unit(self, unit: str) -> None:
        """Show (and enter) areas in 公顷 or 亩."""
        self.ctx.preferences.area_unit = unit
        for name, action in self.unit_actions.items():
            action.setChecked(name == unit)
        self.ctx.preferences_changed.emit()

    # ------------------------------------------------------------------ audit menu
    def new_audit(self) -> None:
        """Choose an official and open the audit workspace."""
        from ui.audit_workspace import new_audit

        official = new_audit(self.ctx, self)
        if official:
            self.open_key(("official", official))

    def generate_report(self) -> None:
        """Choose and generate a report; its preview opens in a tab."""
        from ui.reports import ReportDialog

        dialog = ReportDialog(self.ctx, self, region=self.region, year=self.year,
                              on_ready=self.show_report)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.report_dialog = dialog

    def show_report(self, pdf: str, xlsx: str | None = None) -> None:
        """Open the preview of a generated report."""
        self.open_key(("pdf", str(pdf), str(xlsx) if xlsx else None))

    # ------------------------------------------------------------------ preferences, help
    def preferences(self) -> None:
        """Edit the preferences; a language change rebuilds the window."""
        from ui.preferences_dialog import PreferencesDialog

        dialog = PreferencesDialog(self.ctx.preferences, self)
        if dialog.exec():
            old_language = self.ctx.language
            dialog.apply()
            for name, action in self.unit_actions.items():
                action.setChecked(name == self.ctx.preferences.area_unit)
            self.ctx.preferences_changed.emit()
            if self.ctx.language != old_language:
                self.language_changed.emit(self.ctx.language)

    def manual(self) -> None:
        """Show the user manual."""
        from ui.help import show_manual

        show_manual(self, self.ctx.language)

    def about(self) -> None:
        """Version, licence, data folder."""
        from balancesheet import __version__
        from ui.errors import log_path

        QMessageBox.about(self, self.tr("About"), self.tr(
            "<h3>Natural-resource balance sheet {version}</h3>"
            "<p>County natural-resource asset balance sheets (land, water, forest, wetland) and "
            "departure audits of leading officials.</p>"
            "<p>Log file: {log}</p>").format(version=__version__, log=log_path()))

    # ------------------------------------------------------------------ drag and drop
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        from ui.import_wizard import dropped_files

        if self.ctx.project is not None and dropped_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        from ui.import_wizard import dropped_files

        files = dropped_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self._guarded(lambda: self.import_data(files))
