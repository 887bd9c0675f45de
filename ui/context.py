"""The application's shared state: the open project, preferences, the undo stack and signals that
tell every view the data changed. Views hold a reference to it; nothing here computes accounts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ui.settings import Preferences

if TYPE_CHECKING:
    from balancesheet.project import Project


class AppContext(QObject):
    """One per application window. ``project`` is None until a project is opened."""

    project_opened = Signal()
    project_closed = Signal()
    #: data of (region, year, resource) changed; year 0 / resource "" mean "all"
    data_changed = Signal(str, int, str)
    #: a year was locked or unlocked
    locks_changed = Signal(str, int)
    #: the user asked to go to a cell: region, year, resource, item
    navigate = Signal(str, int, str, str)
    #: preferences that change how values look (units, tolerance) changed
    preferences_changed = Signal()

    def __init__(self, preferences: Preferences | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.preferences = preferences or Preferences()
        self.undo_stack = QUndoStack(self)
        self.project: Project | None = None
        self.location = ""

    @property
    def language(self) -> str:
        """The UI language (``zh_CN`` or ``en``)."""
        return self.preferences.language

    def open_project(self, target: str | Path, create: bool = False) -> Project:
        """Open (or create) the project at a path or URL, closing the current one first."""
        from balancesheet.project import Project

        return self.adopt(Project.open(target, create=create), target)

    def adopt(self, project: Project, target: str | Path) -> Project:
        """Make ``project`` (opened at ``target``) the open project."""
        self.close_project()
        self.project = project
        self.location = str(target)
        if "://" not in self.location:
            self.preferences.add_recent(str(Path(self.location).resolve()))
        self.undo_stack.clear()
        self.project_opened.emit()
        return project

    def open_project_in_background(self, target: str | Path,
                                   on_failure: Callable[[BaseException], None]) -> None:
        """Open the project in a worker (the database layer and the catalog load there) while the
        window is already on screen; it becomes the open project when ready."""
        from ui.tasks import run_task

        def work(_state: object) -> Project:
            from balancesheet.project import Project

            project = Project.open(target)
            _ = project.catalog
            return project

        run_task(work, lambda project: self.adopt(project, target), on_failure)

    def close_project(self) -> None:
        """Close the open project (edits are committed as they happen; nothing to save)."""
        if self.project is None:
            return
        self.undo_stack.clear()
        self.project.close()
        self.project = None
        self.location = ""
        self.project_closed.emit()

    def require_project(self) -> Project:
        """The open project (callers run only when one is open)."""
        if self.project is None:
            raise RuntimeError("no project open")
        return self.project

    def notify_changed(self, region: str = "", year: int = 0, resource: str = "") -> None:
        """Tell every view that data changed (after an edit, an undo, an import)."""
        self.data_changed.emit(region, int(year), resource)
