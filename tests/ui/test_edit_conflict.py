"""Two users on one project file, seen from the account editor: an entry over a value someone else
changed after the table was shown is refused with a message naming who changed it and to what,
the table reloads with the current value, and the undo stack stays consistent (the refused entry
is not pushed; an undo over someone else's change is refused and leaves the stack)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from balancesheet import editing
from balancesheet.project import Project
from balancesheet.store import current_user
from ui.account_editor import AccountEditor
from ui.context import AppContext
from ui.look import install_translators

R = "990121"


def settle(qtbot, editor: AccountEditor) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: not editor.busy, timeout=20_000)


def open_editor(qtbot, ctx: AppContext) -> AccountEditor:  # noqa: ANN001
    editor = AccountEditor(ctx, R, 2025, "land")
    qtbot.addWidget(editor)
    editor.resize(1280, 800)
    editor.show()
    qtbot.waitUntil(lambda: editor.model.rowCount() > 0, timeout=20_000)
    settle(qtbot, editor)
    return editor


def stored(ctx: AppContext, item: str) -> float | None:
    frame = ctx.require_project().store.read_sql(
        "SELECT value FROM stock WHERE region_code = :r AND year = 2025 AND resource = 'land' AND item = :i",
        {"r": R, "i": item})
    return None if frame.empty else float(frame["value"].iloc[0])


def cell(editor: AccountEditor, item: str):  # noqa: ANN201
    return editor.model.index(editor.model.row_of(item), editor.model.column("observed_closing"))


def type_into(qtbot, editor: AccountEditor, index, text: str) -> None:  # noqa: ANN001
    """Open the cell's editor as a double-click would, type, press Enter."""
    editor.view.setCurrentIndex(index)
    editor.view.edit(index)
    line = editor.view.viewport().findChild(QLineEdit)
    assert line is not None, "no editor opened"
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.view.state() != editor.view.State.EditingState)


@pytest.fixture(autouse=True)
def chinese(qapp) -> Iterator[None]:  # noqa: ANN001
    """The default UI language (the messages are read in Chinese)."""
    install_translators(qapp, "zh_CN")
    yield
    install_translators(qapp, "en")


@pytest.fixture
def other_user(sample_copy: Path, ctx: AppContext) -> Iterator[Project]:
    """A second instance of the app on the same project file (another window, another process)."""
    other = Project.open(sample_copy)
    yield other
    other.close()


def conflicts(messages) -> list[str]:  # noqa: ANN001
    return [text for _, title, text, _ in messages if title == "数据已被他人修改"]


def test_entry_over_a_value_changed_by_someone_else_is_refused_and_the_table_reloads(
        qtbot, ctx: AppContext, other_user: Project, messages) -> None:  # noqa: ANN001
    editor = open_editor(qtbot, ctx)
    index = cell(editor, "0101")
    shown = editor.model.value(index)
    assert shown is not None and stored(ctx, "0101") == shown
    editing.set_stock(other_user, R, 2025, "land", "0101", 4321.5)  # while this window shows the old value

    type_into(qtbot, editor, index, "1234")
    qtbot.waitUntil(lambda: bool(conflicts(messages)), timeout=10_000)
    text = conflicts(messages)[0]
    assert f"已被 {current_user()} 于 " in text and "改为 4,321.50 公顷" in text
    assert f"（您看到的是 {shown:,.2f} 公顷），您的修改未保存。" in text
    assert text.endswith("已刷新为最新数据。")
    settle(qtbot, editor)
    assert editor.model.value(cell(editor, "0101")) == 4321.5  # the current value shows
    assert stored(ctx, "0101") == 4321.5  # the other user's value was not overwritten
    assert ctx.undo_stack.count() == 0  # the refused entry never reached the stack

    type_into(qtbot, editor, cell(editor, "0101"), "1234")  # now it is what the user saw
    settle(qtbot, editor)
    assert stored(ctx, "0101") == 1234.0 and ctx.undo_stack.count() == 1


def test_undo_over_someone_elses_later_change_is_refused_and_leaves_the_stack(
        qtbot, ctx: AppContext, other_user: Project, messages) -> None:  # noqa: ANN001
    editor = open_editor(qtbot, ctx)
    before = stored(ctx, "0102")
    type_into(qtbot, editor, cell(editor, "0102"), "777")
    settle(qtbot, editor)
    assert stored(ctx, "0102") == 777.0 and ctx.undo_stack.count() == 1
    editing.set_stock(other_user, R, 2025, "land", "0102", 888.0)  # someone builds on it meanwhile

    ctx.undo_stack.undo()
    text = conflicts(messages)[0]
    assert "改为 888.00 公顷（您看到的是 777.00 公顷）" in text
    assert stored(ctx, "0102") == 888.0 != before  # undo did not overwrite the later change
    assert ctx.undo_stack.count() == 0 and not ctx.undo_stack.canRedo()  # the command left the stack
    settle(qtbot, editor)
    assert editor.model.value(cell(editor, "0102")) == 888.0


def test_audit_findings_decided_by_someone_else_are_not_overwritten(
        qtbot, ctx: AppContext, other_user: Project, messages) -> None:  # noqa: ANN001
    from balancesheet.audit.workflow import decide
    from ui.audit_workspace import AuditWorkspace

    workspace = AuditWorkspace(ctx, "GL002")
    qtbot.addWidget(workspace)
    workspace.show()
    with qtbot.waitSignal(workspace.loaded, timeout=30_000):
        pass

    def status(finding_id: int) -> str:
        frame = ctx.require_project().store.read_sql(f"SELECT status FROM finding WHERE id = {finding_id}")
        return str(frame["status"].iloc[0])

    def select(finding_id: int) -> None:
        model = workspace.findings
        workspace.findings_view.selectRow(next(r for r in range(model.rowCount())
                                               if model.record(r)["id"] == finding_id))

    records = [workspace.findings.record(r) for r in range(workspace.findings.rowCount())]
    proposed = sorted(f["id"] for f in records if f["status"] == "proposed")
    first, second = proposed[:2]
    # accepted here, rejected there meanwhile: undoing the accept would overwrite the rejection
    select(first)
    with qtbot.waitSignal(workspace.loaded, timeout=30_000):
        workspace.accept_selected()
    assert status(first) == "accepted" and ctx.undo_stack.count() == 1
    decide(other_user, first, "rejected")
    ctx.undo_stack.undo()
    assert "状态现为「已否决」，您看到的是「已确认」" in conflicts(messages)[-1]
    assert status(first) == "rejected" and ctx.undo_stack.count() == 0
    # shown as proposed here, already rejected there: accepting it is refused, nothing pushed
    qtbot.waitUntil(lambda: workspace.findings.rowCount() != 0, timeout=30_000)
    select(second)
    decide(other_user, second, "rejected")
    workspace.accept_selected()
    assert "您看到的是「待确认」" in conflicts(messages)[-1]
    assert status(second) == "rejected" and ctx.undo_stack.count() == 0
