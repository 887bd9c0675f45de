"""Undo commands for the ledger edits of the account editor: each redo and undo is one call into
balancesheet.editing (one transaction, logged), followed by ctx.notify_changed.

A command is applied once *before* it is pushed (:func:`push`), so a refused edit (locked year,
bad value) never reaches the stack and the user sees why; the stack's first ``redo`` is then a
no-op. When a later undo/redo is refused (someone locked the year meanwhile), the message is
shown and the command is made obsolete, which removes it from the stack.

Every command states what the user saw (``expected`` in balancesheet.editing), and its undo
expects what the command wrote. When another user (another window, another client of the same
server) changed it meanwhile, the core refuses with ConflictError: the message says who changed
what, the views are refreshed from the database, and the command is not pushed (or leaves the
stack), so undo never overwrites someone else's work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication, QWidget

from ui.errors import show_error

if TYPE_CHECKING:
    from balancesheet.editing import FlowRecord, StockEdit
    from ui.context import AppContext


class LedgerCommand(QUndoCommand):
    """Base: ``_do``/``_undo`` call the core; errors become messages, never tracebacks."""

    def __init__(self, ctx: AppContext, text: str):
        super().__init__(text)
        self.ctx = ctx
        self._applied = False

    def apply(self) -> None:
        """The first redo, run before the push; raises what the core raises."""
        self._do()
        self._applied = True
        self._notify()

    def redo(self) -> None:  # noqa: D102 - QUndoCommand API
        if self._applied:
            self._applied = False  # the push's own redo: already done by apply()
            return
        self._guard(self._do)

    def undo(self) -> None:  # noqa: D102 - QUndoCommand API
        self._guard(self._undo)

    def _guard(self, call) -> None:  # noqa: ANN001
        try:
            call()
        except Exception as exc:  # noqa: BLE001 - shown, and the command leaves the stack
            self.setObsolete(True)
            refused(self.ctx, self, exc, QApplication.activeWindow())
            return
        self._notify()

    def _notify(self) -> None:
        for region, year, resource in sorted(set(self._touched())):
            self.ctx.notify_changed(region, year, resource)

    def _do(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError

    def _touched(self) -> Iterable[tuple[str, int, str]]:
        raise NotImplementedError


class SetStocksCommand(LedgerCommand):
    """Set (or clear) stored stock values, all in one transaction."""

    def __init__(self, ctx: AppContext, edits: list[StockEdit], text: str):
        super().__init__(ctx, text)
        self.edits = list(edits)
        self.undo_edits: list[StockEdit] = []

    def _do(self) -> None:
        from balancesheet.editing import set_stocks

        self.undo_edits = set_stocks(self.ctx.require_project(), self.edits)

    def _undo(self) -> None:
        from balancesheet.editing import set_stocks

        set_stocks(self.ctx.require_project(), self.undo_edits)

    def _touched(self) -> Iterable[tuple[str, int, str]]:
        return ((e.region, int(e.year), e.resource) for e in self.edits)


class FlowHandle:
    """One flow across deletes and re-adds: the database gives a re-added flow a new id."""

    def __init__(self, flow_id: int | None):
        self.id = flow_id


class FlowRegistry(QObject):
    """The handles of the flows the commands of one undo stack refer to (child of the stack)."""

    def __init__(self, stack: QUndoStack):
        super().__init__(stack)
        self.setObjectName("flow_registry")
        self._by_id: dict[int, FlowHandle] = {}

    @staticmethod
    def of(stack: QUndoStack) -> FlowRegistry:
        """The registry of ``stack`` (created on first use)."""
        found = stack.findChild(FlowRegistry, "flow_registry")
        return found if isinstance(found, FlowRegistry) else FlowRegistry(stack)

    def handle(self, flow_id: int) -> FlowHandle:
        """The handle of the flow stored now under ``flow_id``."""
        if flow_id not in self._by_id:
            self._by_id[flow_id] = FlowHandle(flow_id)
        return self._by_id[flow_id]

    def bind(self, handle: FlowHandle, flow_id: int | None) -> None:
        """The flow of ``handle`` is now stored under ``flow_id`` (None: deleted)."""
        if handle.id is not None and self._by_id.get(handle.id) is handle:
            del self._by_id[handle.id]
        handle.id = flow_id
        if flow_id is not None:
            self._by_id[flow_id] = handle  # SQLite may reuse the id of a deleted row

    def require(self, handle: FlowHandle) -> int:
        """The current id of a stored flow."""
        if handle.id is None:
            from balancesheet.errors import UserError

            raise UserError("这条变动记录已被删除", "The flow record was deleted")
        return handle.id


def _flow_key(flow: FlowRecord) -> tuple[str, int, str]:
    return (flow.region, int(flow.year), flow.resource)


class AddFlowCommand(LedgerCommand):
    """Store a new flow record."""

    def __init__(self, ctx: AppContext, flow: FlowRecord, text: str):
        super().__init__(ctx, text)
        self.flow = flow
        self.added = flow  # as stored (what undo expects to delete)
        self.registry = FlowRegistry.of(ctx.undo_stack)
        self.handle = FlowHandle(None)

    def _do(self) -> None:
        from balancesheet.editing import add_flow

        self.added = add_flow(self.ctx.require_project(), self.flow)
        self.registry.bind(self.handle, self.added.id)

    def _undo(self) -> None:
        from balancesheet.editing import delete_flow

        delete_flow(self.ctx.require_project(), self.registry.require(self.handle), expected=self.added)
        self.registry.bind(self.handle, None)

    def _touched(self) -> Iterable[tuple[str, int, str]]:
        return [_flow_key(self.flow)]


class DeleteFlowsCommand(LedgerCommand):
    """Remove stored flow records (undo stores them again); all or none."""

    def __init__(self, ctx: AppContext, flows: list[FlowRecord], text: str):
        super().__init__(ctx, text)
        self.flows = list(flows)
        self.registry = FlowRegistry.of(ctx.undo_stack)
        self.handles = [self.registry.handle(int(f.id)) for f in flows]  # type: ignore[arg-type]

    def _do(self) -> None:
        from balancesheet.editing import add_flow, delete_flow

        project = self.ctx.require_project()
        done: list[int] = []
        try:
            for k, handle in enumerate(self.handles):
                self.flows[k] = delete_flow(project, self.registry.require(handle), expected=self.flows[k])
                self.registry.bind(handle, None)
                done.append(k)
        except Exception:
            for k in reversed(done):  # put back what was deleted before the refusal
                self.registry.bind(self.handles[k], add_flow(project, self.flows[k]).id)
            raise

    def _undo(self) -> None:
        from balancesheet.editing import add_flow

        project = self.ctx.require_project()
        for handle, flow in zip(self.handles, self.flows, strict=True):
            self.registry.bind(handle, add_flow(project, flow).id)

    def _touched(self) -> Iterable[tuple[str, int, str]]:
        return [_flow_key(f) for f in self.flows]


class SetFlowValueCommand(LedgerCommand):
    """Change the quantity of a stored flow record."""

    def __init__(self, ctx: AppContext, flow: FlowRecord, value: float, text: str):
        super().__init__(ctx, text)
        self.flow = flow
        self.value = float(value)
        self.old = flow.value
        self.registry = FlowRegistry.of(ctx.undo_stack)
        self.handle = self.registry.handle(int(flow.id))  # type: ignore[arg-type]

    def _do(self) -> None:
        from balancesheet.editing import set_flow_value

        self.old = set_flow_value(self.ctx.require_project(), self.registry.require(self.handle),
                                  self.value, expected=replace(self.flow, value=self.old))

    def _undo(self) -> None:
        from balancesheet.editing import set_flow_value

        set_flow_value(self.ctx.require_project(), self.registry.require(self.handle), self.old,
                       expected=replace(self.flow, value=self.value))

    def _touched(self) -> Iterable[tuple[str, int, str]]:
        return [_flow_key(self.flow)]


def push(ctx: AppContext, command: LedgerCommand, parent: QWidget | None = None) -> bool:
    """Apply ``command`` and put it on the undo stack; show why when the core refuses it."""
    try:
        command.apply()
    except Exception as exc:  # noqa: BLE001 - every refusal becomes a message
        refused(ctx, command, exc, parent)
        return False
    ctx.undo_stack.push(command)
    return True


def refused(ctx: AppContext, command: LedgerCommand, exc: BaseException, parent: QWidget | None) -> None:
    """Show why the core refused ``command``. After a conflict with another user's change, the
    views it touches reload from the database first, so the message sits over the current data."""
    from balancesheet.errors import ConflictError

    if isinstance(exc, ConflictError):
        command._notify()  # noqa: SLF001 - the editors reload what the command touches
    show_refusal(parent, exc, ctx.language)


def show_refusal(parent: QWidget | None, exc: BaseException, language: str) -> None:
    """Show why an edit was refused; a conflict with another user's change under its own title,
    saying the view now shows the current data (the caller has had it reloaded)."""
    from balancesheet.errors import ConflictError

    if not isinstance(exc, ConflictError):
        show_error(parent, exc, language=language)
        return
    note = QCoreApplication.translate("EditCommands", "The view has been refreshed with the current data.")
    shown = ConflictError(f"{exc.message}\n\n{note}", f"{exc.message_en}\n\n{note}", exc.issues)
    show_error(parent, shown, QCoreApplication.translate("EditCommands", "Changed by someone else"),
               language=language)
