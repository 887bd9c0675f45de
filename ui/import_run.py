"""The import wizard's last page: import the checked files in a worker, one transaction per file,
with progress and cancel, then say exactly which files were imported and which were not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)
from shiboken6 import isValid

from ui.errors import show_error
from ui.tasks import Task, TaskState, run_task

if TYPE_CHECKING:
    from balancesheet.importer import ImportResult
    from balancesheet.project import Project
    from ui.import_wizard import FileEntry, ImportWizard

STEPS = 1000
Button = QWizard.WizardButton
RUNNING_LAYOUT = [Button.Stretch, Button.FinishButton]
DEFAULT_LAYOUT = [Button.Stretch, Button.BackButton, Button.NextButton, Button.FinishButton,
                  Button.CancelButton]


@dataclass
class ImportOutcome:
    """What a run did: the files imported (in order) and the failure that stopped it, if any."""

    results: list[ImportResult] = field(default_factory=list)
    error: BaseException | None = None
    current: int = 0  # the file being imported (read by the GUI thread for its status)


def _file_progress(state: TaskState, number: int, count: int) -> Callable[[float, str], None]:
    """Progress of the ``number``-th of ``count`` files as a share of the whole run."""
    def progress(fraction: float, text: str) -> None:
        state.progress((number + fraction) / count, f"({number + 1}/{count}) {text}")
    return progress


def import_files(project: Project, entries: list[FileEntry], state: TaskState,
                 outcome: ImportOutcome) -> ImportOutcome:
    """Import ``entries`` in order, each in its own transaction; stop at the first failure.

    Runs in the worker. ``state.progress`` raises Cancelled after a cancel, which rolls back the
    file being written; the files before it stay imported.
    """
    from balancesheet.importer import import_file

    count = len(entries)
    for number, entry in enumerate(entries):
        outcome.current = number
        preview = entry.preview
        try:
            state.check()
            outcome.results.append(import_file(
                project, entry.path, preview.kind if preview else None, entry.sheet, entry.replace,
                _file_progress(state, number, count), dict(entry.columns) or None,
                region=entry.region, year=entry.year, classification=entry.classification,
                splits={c: dict(s) for c, s in entry.splits.items()} or None))
        except Exception as exc:  # noqa: BLE001 - reported per file; later files are not tried
            outcome.error = exc
            break
    return outcome


class ImportPage(QWizardPage):
    """Runs the import as soon as it is shown; Cancel stops it with nothing of the current file
    written."""

    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.wiz = wizard
        self.ctx = wizard.ctx
        self.running = False
        self.task: Task | None = None
        self.entries: list[FileEntry] = []
        self.outcome = ImportOutcome()
        self.setTitle(self.tr("Import"))
        self.setSubTitle(self.tr("The files are imported in this order. Each file is imported "
                                 "completely or not at all."))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Close"))
        self.order = QTreeWidget()
        self.order.setObjectName("order")
        self.order.setRootIsDecorated(False)
        self.order.setHeaderLabels([self.tr("File"), self.tr("Kind"), self.tr("Status")])
        self.order.setColumnWidth(0, 320)
        self.order.setColumnWidth(1, 200)
        self.bar = QProgressBar()
        self.bar.setRange(0, STEPS)
        self.cancel_button = QPushButton(self.tr("&Cancel import"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.step = QLabel()
        self.step.setObjectName("step")
        self.verdict = QLabel()
        self.verdict.setObjectName("verdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)
        self.verdict.setStyleSheet("font-weight: bold")
        self.summary = QPlainTextEdit()
        self.summary.setObjectName("summary")
        self.summary.setReadOnly(True)
        bar_row = QHBoxLayout()
        bar_row.addWidget(self.bar, 1)
        bar_row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.order, 2)
        layout.addLayout(bar_row)
        layout.addWidget(self.step)
        layout.addWidget(self.verdict)
        layout.addWidget(self.summary, 3)

    # ------------------------------------------------------------------ wizard page
    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self.start()

    def cleanupPage(self) -> None:  # noqa: N802 - Qt override
        self.wiz.setButtonLayout(DEFAULT_LAYOUT)  # (also called when the wizard closes)

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return not self.running

    # ------------------------------------------------------------------ running
    def start(self) -> None:
        """Import the wizard's files (all checked and ready) in dependency order."""
        from balancesheet.importer import sort_for_import

        project = self.ctx.require_project()
        by_path = {Path(e.path): e for e in self.wiz.entries}
        kinds = {path: e.preview.kind for path, e in by_path.items() if e.preview and e.preview.kind}
        self.entries = [by_path[p] for p in sort_for_import(project, list(by_path), kinds=kinds)]
        self.order.clear()
        for entry in self.entries:
            QTreeWidgetItem(self.order, [entry.name, self._kind_name(entry), self.tr("Waiting")])
        self.verdict.clear()
        self.summary.clear()
        self.bar.setValue(0)
        self.step.setText(self.tr("Starting…"))
        self.running = True
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(self.tr("&Cancel import"))
        self.wiz.setButtonLayout(RUNNING_LAYOUT)
        self.completeChanged.emit()
        self.outcome = outcome = ImportOutcome()
        entries = list(self.entries)
        self.task = run_task(lambda state: import_files(project, entries, state, outcome),
                             self._guard(self._finished), self._guard(self._crashed),
                             self._guard(self._progressed))

    def _guard(self, slot):  # noqa: ANN001, ANN202 - wraps a slot of this page
        def call(*args: object) -> None:
            if isValid(self):
                slot(*args)
        return call

    def cancel(self) -> None:
        """Stop the import at its next progress report; the file being written is rolled back."""
        if self.task is not None and self.running:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.cancel_button.setText(self.tr("Cancelling…"))
            self.step.setText(self.tr("Cancelling: rolling back the file being imported…"))

    def _progressed(self, fraction: float, text: str) -> None:
        if not self.running:
            return
        self.bar.setValue(round(fraction * STEPS))
        if not (self.task and self.task.state.cancelled):
            self.step.setText(text)
        current = min(self.outcome.current, len(self.entries) - 1)
        for row in range(current):  # the worker moved on: those files are committed
            self._set_status(row, self.tr("Imported"))
        self._set_status(current, self.tr("Importing…"))

    def _crashed(self, exc: BaseException) -> None:
        self.outcome.error = exc
        self._finished(self.outcome)

    def _finished(self, outcome: ImportOutcome) -> None:
        self.running = False
        self.task = None
        self.bar.setValue(STEPS if outcome.error is None else 0)
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText(self.tr("&Cancel import"))
        self.step.clear()
        done = self.entries[:len(outcome.results)]
        rest = self.entries[len(outcome.results):]
        for row in range(len(self.entries)):
            self._set_status(row, self.tr("Imported") if row < len(done) else self.tr("Not imported"))
        self.verdict.setText(self._verdict(outcome, done, rest))
        self.summary.setPlainText(self._summary(outcome))
        if outcome.results:
            self.wiz.forget(done)
            self.ctx.notify_changed()
            self.wiz.imported.emit(list(outcome.results))
        self.wiz.setButtonLayout([Button.BackButton, *RUNNING_LAYOUT] if rest else RUNNING_LAYOUT)
        self.completeChanged.emit()
        from balancesheet.errors import Cancelled

        if outcome.error is not None and not isinstance(outcome.error, Cancelled):
            show_error(self, outcome.error, self.tr("Import failed"), self.ctx.language)

    # ------------------------------------------------------------------ telling the user
    def _verdict(self, outcome: ImportOutcome, done: list[FileEntry], rest: list[FileEntry]) -> str:
        from balancesheet.errors import Cancelled

        names = self.tr(", ").join
        if outcome.error is None:
            return self.tr("All {count} file(s) were imported.").format(count=len(done))
        failed = rest[0].name if rest else ""
        if isinstance(outcome.error, Cancelled):
            text = self.tr("Import cancelled. {file} was not imported: what had been written of it "
                           "was rolled back, so the project is as it was before it.").format(file=failed)
        else:
            text = self.tr("{file} could not be imported; nothing of it was written.").format(file=failed)
        if done:
            text += " " + self.tr("Imported before that: {files}.").format(files=names(e.name for e in done))
        if len(rest) > 1:
            text += " " + self.tr("Not imported: {files}.").format(files=names(e.name for e in rest))
        if rest:
            text += " " + self.tr("Go Back to check and import the files not imported.")
        return text

    def _summary(self, outcome: ImportOutcome) -> str:
        from ui.errors import user_message

        lines = []
        for result in outcome.results:
            lines.append(result.summary())
            lines += [f"    {note}" for note in result.notes]
        if outcome.error is not None:
            lines.append(user_message(outcome.error, self.ctx.language))
        return "\n".join(lines)

    def _set_status(self, row: int, text: str) -> None:
        item = self.order.topLevelItem(row)
        if item is not None:
            item.setText(2, text)

    @staticmethod
    def _kind_name(entry: FileEntry) -> str:
        from balancesheet.importer.formats import KIND_NAMES

        kind = entry.preview.kind if entry.preview else None
        return f"{KIND_NAMES[kind]}（{kind}）" if kind else ""
