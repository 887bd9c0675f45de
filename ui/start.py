"""Starting without a project: open a file, create one, or open the sample county."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.errors import data_dir, show_error
from ui.tasks import TaskState, run_task

if TYPE_CHECKING:
    from ui.context import AppContext
    from ui.main_window import MainWindow


def sample_path() -> Path:
    """Where the sample county project lives (the user's data folder)."""
    return data_dir() / "sample_county.db"


def _build_sample(path: Path, state: TaskState) -> Path:
    from balancesheet.project import Project
    from balancesheet.sample import SAMPLE_FILES, load_sample

    partial = path.with_name(path.name + ".partial")
    for suffix in ("", "-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    project = Project.open(partial, create=True)
    try:
        done = []

        def progress(line: str) -> None:
            if line.startswith("  "):
                done.append(line)
            state.progress(len(done) / len(SAMPLE_FILES), line.strip())

        load_sample(project, progress=progress)
        with project.store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        project.close()
    partial.replace(path)
    return path


def open_sample(ctx: AppContext, parent: QWidget | None = None) -> None:
    """Open the sample county, building it first (in a worker, with progress) if needed."""
    path = sample_path()
    if path.exists():
        ctx.open_project(path)
        return
    dialog = QProgressDialog(parent)
    dialog.setWindowTitle(QCoreApplication.translate("StartDialog", "Sample county"))
    dialog.setLabelText(QCoreApplication.translate("StartDialog", "Creating the sample county…"))
    dialog.setRange(0, 100)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)

    def done(result: Path) -> None:
        dialog.reset()
        try:
            ctx.open_project(result)
        except Exception as exc:  # noqa: BLE001
            show_error(parent, exc, language=ctx.language)

    def failed(exc: BaseException) -> None:
        dialog.reset()
        show_error(parent, exc, language=ctx.language)

    task = run_task(lambda state: _build_sample(path, state), done, failed,
                    lambda f, text: (dialog.setValue(int(f * 100)), dialog.setLabelText(text)))
    dialog.canceled.connect(task.cancel)
    dialog.show()


class StartDialog(QDialog):
    """Shown when the application starts with no project to open."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle(QCoreApplication.translate("StartDialog", "Welcome"))
        layout = QVBoxLayout(self)
        title = QLabel(QCoreApplication.translate("StartDialog", "<h2>Natural-resource balance sheet</h2>"
                               "<p>Open a project file, create a new one, or explore the "
                               "fictional sample county.</p>"))
        title.setWordWrap(True)
        layout.addWidget(title)
        self.recent = QListWidget()
        for path in window.ctx.preferences.recent_files:
            self.recent.addItem(path)
        self.recent.itemActivated.connect(lambda item: self._run(lambda: window.open_path(item.text())))
        if self.recent.count():
            layout.addWidget(QLabel(QCoreApplication.translate("StartDialog", "Recent projects:")))
            layout.addWidget(self.recent)
        else:
            self.recent.hide()
        buttons = QHBoxLayout()
        for text, slot in ((QCoreApplication.translate("StartDialog", "Open a project…"), window.open_project_dialog),
                           (QCoreApplication.translate("StartDialog", "Create a new project…"), window.new_project),
                           (QCoreApplication.translate("StartDialog", "Open the sample county"), window.open_sample)):
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, s=slot: self._run(s))
            buttons.addWidget(button)
        layout.addLayout(buttons)
        window.ctx.project_opened.connect(self.accept)

    def _run(self, slot) -> None:  # noqa: ANN001
        try:
            slot()
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc, language=self.window_.ctx.language)
