"""Work off the GUI thread: a task gets a state to report progress and to notice cancellation;
its result or its exception comes back to the GUI thread as a signal (after Picard's run_task and
Orange's ConcurrentWidgetMixin)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from balancesheet.errors import Cancelled


class TaskState:
    """Handed to the work function: ``progress(fraction, text)`` and ``cancelled``.

    ``progress`` raises :class:`Cancelled` once the user has cancelled, so a core function that
    reports progress through it stops at its next report and its transaction rolls back.
    """

    def __init__(self, task: Task):
        self._task = task
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:
        """True once the user asked to cancel."""
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report."""
        self._cancel.set()

    def check(self) -> None:
        """Raise Cancelled if the user cancelled."""
        if self._cancel.is_set():
            raise Cancelled()

    def progress(self, fraction: float, text: str = "") -> None:
        """Report progress (0…1) and a line of text; raises Cancelled after a cancel."""
        self.check()
        self._task.progressed.emit(float(fraction), str(text))


class Task(QObject):
    """A running piece of work; signals arrive on the thread that created the task (the GUI's)."""

    progressed = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object)      # the exception (Cancelled when cancelled)
    finished = Signal()          # after succeeded or failed

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.state = TaskState(self)
        self.done = False

    def cancel(self) -> None:
        """Ask the work to stop."""
        self.state.cancel()


class _Runnable(QRunnable):
    def __init__(self, task: Task, work: Callable[[TaskState], Any]):
        super().__init__()
        self.task, self.work = task, work
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.work(self.task.state)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI thread
            self.task.done = True
            self.task.failed.emit(exc)
        else:
            self.task.done = True
            self.task.succeeded.emit(result)
        self.task.finished.emit()


def _unless_gone(callback: Callable[..., None]) -> Callable[..., None]:
    """The callback, skipped when the widget it belongs to was closed while the work ran."""
    def deliver(*args: Any) -> None:
        try:
            callback(*args)
        except RuntimeError as exc:
            if "already deleted" not in str(exc):
                raise
    return deliver


def wait_for_tasks(timeout_ms: int = 60_000) -> bool:
    """Wait until background work has finished (before the application exits)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)


_RUNNING: set[Task] = set()  # keep tasks alive until they finish


def run_task(work: Callable[[TaskState], Any], on_success: Callable[[Any], None] | None = None,
             on_failure: Callable[[BaseException], None] | None = None,
             on_progress: Callable[[float, str], None] | None = None,
             pool: QThreadPool | None = None) -> Task:
    """Run ``work(state)`` in the thread pool; connect the callbacks (called in the GUI thread)."""
    task = Task()
    if on_progress:
        task.progressed.connect(_unless_gone(on_progress))
    if on_success:
        task.succeeded.connect(_unless_gone(on_success))
    if on_failure:
        task.failed.connect(_unless_gone(on_failure))
    _RUNNING.add(task)
    task.finished.connect(lambda: _RUNNING.discard(task))
    (pool or QThreadPool.globalInstance()).start(_Runnable(task, work))
    return task
