"""The audit workspace drives the core's audit workflow: what it shows is what compute() says,
decisions change the finding table and the score, undo decides back, finalise freezes."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog

from balancesheet.audit.workflow import compute
from balancesheet.store.schema import Audit, Finding
from ui.audit_tables import BAD, GOOD
from ui.audit_workspace import AuditWorkspace, OfficialPicker, new_audit
from ui.formatting import format_number

LOAD = 30_000  # ms: the first load opens the audit and computes the tenure analysis


def open_workspace(qtbot, ctx, official: str = "GL002", **kwargs: Any) -> AuditWorkspace:
    workspace = AuditWorkspace(ctx, official, **kwargs)
    qtbot.addWidget(workspace)
    workspace.resize(1280, 800)
    workspace.show()
    with qtbot.waitSignal(workspace.loaded, timeout=LOAD):
        pass
    return workspace


def reloaded(qtbot, workspace: AuditWorkspace):
    """Wait for the workspace's next load (after a decision, an undo …)."""
    return qtbot.waitSignal(workspace.loaded, timeout=LOAD)


def stored(ctx, audit_id: int) -> dict[int, Finding]:
    from sqlalchemy import select

    with ctx.project.store.session() as s:
        rows = s.scalars(select(Finding).where(Finding.audit_id == audit_id)).all()
        for row in rows:
            s.expunge(row)
        return {f.id: f for f in rows}


def select_finding(workspace: AuditWorkspace, finding_id: int) -> None:
    model = workspace.findings
    row = next(r for r in range(model.rowCount()) if model.record(r)["id"] == finding_id)
    workspace.findings_view.selectRow(row)


def type_chinese(widget, text: str) -> None:
    """Enter Chinese as an input method commits it (QTest.keyClicks types Latin keys only)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def cell(model, row: int, column: int, role=Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(row, column), role)


def assert_score_matches(ctx, workspace: AuditWorkspace) -> None:
    score = compute(ctx.project, workspace.audit_id).score
    assert workspace.score.total.text() == format_number(score.total)
    assert workspace.score.grade.text() == score.grade
    deductions = workspace.score.deductions
    shown = [cell(deductions, r, 2) for r in range(deductions.rowCount())]
    assert shown == [format_number(d.points) for d in score.deductions]


def test_the_workspace_shows_the_cores_numbers(qtbot, qtmodeltester, ctx, messages) -> None:
    workspace = open_workspace(qtbot, ctx, "GL002")
    result = compute(ctx.project, workspace.audit_id)
    tenure = result.analysis.tenure

    assert workspace.name.text() == "陈立新（虚构）"
    assert "2020年11月3日 至 2025年8月28日" in workspace.tenure.text().replace(" – ", " 至 ")
    assert "2019年12月31日" in workspace.compared.text()
    assert "2024年12月31日" in workspace.compared.text()
    assert workspace.reason.text() == tenure.explanation
    assert not workspace.shortened.isVisible()

    # start and end of every main item, as the core's change tables have them
    changes = workspace.changes
    assert changes.rowCount() > 10
    by_name = {t.account.name: t.rows.set_index("item") for t in result.analysis.tables.values()}
    for row in range(changes.rowCount()):
        record = changes.record(row)
        core = by_name[record["resource"]].loc[record["code"]]
        assert cell(changes, row, 3) == format_number(core["opening"])
        assert cell(changes, row, 4) == format_number(core["observed_closing"])
        align = cell(changes, row, 3, Qt.ItemDataRole.TextAlignmentRole)
        assert align & Qt.AlignmentFlag.AlignRight.value
    assert "2019" in changes.headerData(3, Qt.Orientation.Horizontal)

    # targets: one coloured cell per indicator and year; misses say by how much
    targets = workspace.targets
    missed = [t for t in result.analysis.targets if t.status == "missed"]
    assert missed
    red = sum(cell(targets, r, c, Qt.ItemDataRole.BackgroundRole).color() == BAD
              for r in range(targets.rowCount()) for c in range(3, targets.columnCount())
              if cell(targets, r, c, Qt.ItemDataRole.BackgroundRole) is not None)
    assert red == len(missed)
    cult = next(r for r in range(targets.rowCount()) if targets.record(r)["code"] == "CULT")
    year_col = 3 + tenure.years.index(2024)
    gap = next(t.gap for t in missed if t.indicator == "CULT" and t.year == 2024)
    assert format_number(gap) in cell(targets, cult, year_col)
    assert cell(targets, cult, 3, Qt.ItemDataRole.BackgroundRole).color() == GOOD  # 2020 met

    # findings and score
    assert [workspace.findings.record(r)["id"] for r in range(workspace.findings.rowCount())] == \
        [f["id"] for f in result.findings]
    area = cell(workspace.findings, 0, 1)
    assert area.startswith("4 ") and "目标" in area
    assert_score_matches(ctx, workspace)
    assert workspace.score.blocks.rowCount() == 7

    with reloaded(qtbot, workspace):  # the region's data changed: the analysis is recomputed
        ctx.notify_changed("990121", 2024, "land")

    workspace._report_ready("r.pdf", "r.xlsx")  # no preview connected: the paths are told
    assert "r.xlsx" in messages.texts()

    for model in (workspace.findings, workspace.changes, workspace.targets,
                  workspace.score.blocks, workspace.score.deductions):
        qtmodeltester.check(model)


def test_accept_reject_and_add_change_the_database_and_the_score(qtbot, ctx) -> None:
    workspace = open_workspace(qtbot, ctx, "GL002")
    audit_id = workspace.audit_id
    before = stored(ctx, audit_id)
    first, second = sorted(i for i, f in before.items() if f.status == "proposed")[:2]

    select_finding(workspace, first)
    with reloaded(qtbot, workspace):
        qtbot.mouseClick(workspace.accept_button, Qt.MouseButton.LeftButton)
    assert stored(ctx, audit_id)[first].status == "accepted"
    assert_score_matches(ctx, workspace)

    select_finding(workspace, second)
    with reloaded(qtbot, workspace):
        qtbot.mouseClick(workspace.reject_button, Qt.MouseButton.LeftButton)
    assert stored(ctx, audit_id)[second].status == "rejected"
    assert workspace.findings.record(
        next(r for r in range(workspace.findings.rowCount())
             if workspace.findings.record(r)["id"] == second))["status"] == "rejected"

    total_before = compute(ctx.project, audit_id).score.total
    qtbot.mouseClick(workspace.add_button, Qt.MouseButton.LeftButton)
    dialog = workspace.finding_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.area.setCurrentIndex(dialog.area.findData(2))
    dialog.severity.setCurrentText("较严重")
    dialog.responsibility.setCurrentText("直接责任")
    type_chinese(dialog.description, "违规审批占用林地 3.2 公顷")
    type_chinese(dialog.recommendation, "依法整改")
    qtbot.keyClicks(dialog.amount, "3.2")
    dialog.unit.setCurrentText("公顷")
    with reloaded(qtbot, workspace):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    added = [f for f in stored(ctx, audit_id).values() if f.source == "manual"]
    assert len(added) == 1
    f = added[0]
    assert (f.area, f.severity, f.responsibility, f.amount, f.unit, f.status) == \
        (2, "较严重", "直接责任", 3.2, "公顷", "accepted")
    assert (f.description, f.recommendation) == ("违规审批占用林地 3.2 公顷", "依法整改")
    assert_score_matches(ctx, workspace)
    assert compute(ctx.project, audit_id).score.total < total_before


def test_the_add_dialog_refuses_an_empty_description_or_a_bad_amount(qtbot, ctx) -> None:
    workspace = open_workspace(qtbot, ctx, "GL002")
    count = len(stored(ctx, workspace.audit_id))
    qtbot.mouseClick(workspace.add_button, Qt.MouseButton.LeftButton)
    dialog = workspace.finding_dialog
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error.isVisible()
    type_chinese(dialog.description, "问题")
    qtbot.keyClicks(dialog.amount, "12x")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "12x" in dialog.error.text()
    dialog.reject()
    assert len(stored(ctx, workspace.audit_id)) == count


def test_edit_then_undo_and_redo(qtbot, ctx) -> None:
    workspace = open_workspace(qtbot, ctx, "GL002")
    audit_id = workspace.audit_id
    target = min(i for i, f in stored(ctx, audit_id).items() if f.status == "proposed")
    original = stored(ctx, audit_id)[target]

    select_finding(workspace, target)
    qtbot.mouseClick(workspace.edit_button, Qt.MouseButton.LeftButton)
    dialog = workspace.finding_dialog
    assert dialog.description.toPlainText() == original.description
    dialog.severity.setCurrentText("后果严重")
    dialog.description.setPlainText("改写后的问题描述")
    assert set(dialog.changes()) == {"severity", "description"}
    with reloaded(qtbot, workspace):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    edited = stored(ctx, audit_id)[target]
    assert (edited.status, edited.severity, edited.description) == \
        ("accepted", "后果严重", "改写后的问题描述")
    assert edited.amount == original.amount  # untouched fields stay exactly as stored

    with reloaded(qtbot, workspace):
        ctx.undo_stack.undo()
    back = stored(ctx, audit_id)[target]
    assert (back.status, back.severity, back.description) == \
        ("proposed", original.severity, original.description)
    assert_score_matches(ctx, workspace)

    with reloaded(qtbot, workspace):
        ctx.undo_stack.redo()
    assert stored(ctx, audit_id)[target].severity == "后果严重"


def test_undo_an_accept_and_an_added_finding(qtbot, ctx) -> None:
    workspace = open_workspace(qtbot, ctx, "GL002")
    audit_id = workspace.audit_id
    target = min(i for i, f in stored(ctx, audit_id).items() if f.status == "proposed")
    select_finding(workspace, target)
    with reloaded(qtbot, workspace):
        workspace.accept_selected()
    assert ctx.undo_stack.undoText().endswith(str(target))
    with reloaded(qtbot, workspace):
        ctx.undo_stack.undo()
    assert stored(ctx, audit_id)[target].status == "proposed"
    assert workspace.findings.record(0)["status"] == "proposed"

    workspace._added({"area": 1, "description": "手工问题", "severity": "一般",
                      "responsibility": "领导责任", "recommendation": "", "amount": None,
                      "unit": "", "deduction": 2.0, "red_flag": None})
    manual = next(f for f in stored(ctx, audit_id).values() if f.source == "manual")
    assert manual.status == "accepted"
    with reloaded(qtbot, workspace):
        ctx.undo_stack.undo()
    assert stored(ctx, audit_id)[manual.id].status == "rejected"  # the core keeps every finding
    assert_score_matches(ctx, workspace)
    ctx.undo_stack.redo()
    assert stored(ctx, audit_id)[manual.id].status == "accepted"


def test_finalise_makes_it_read_only_and_verify_detects_tampering(qtbot, ctx, messages) -> None:
    workspace = open_workspace(qtbot, ctx, "GL001")
    audit_id = workspace.audit_id

    qtbot.mouseClick(workspace.finalise_button, Qt.MouseButton.LeftButton)  # proposals pending
    assert "not decided" in messages.texts()
    with ctx.project.store.session() as s:
        assert s.get(Audit, audit_id).status == "draft"

    workspace.findings_view.selectAll()
    with reloaded(qtbot, workspace):
        qtbot.mouseClick(workspace.accept_button, Qt.MouseButton.LeftButton)
    assert {f.status for f in stored(ctx, audit_id).values()} == {"accepted"}
    assert ctx.undo_stack.count() == 1  # several findings, one undoable step

    messages.clear()
    with reloaded(qtbot, workspace):
        qtbot.mouseClick(workspace.finalise_button, Qt.MouseButton.LeftButton)
    assert messages[0][0] == "Question" and "cannot be undone" in messages[0][2]
    with ctx.project.store.session() as s:
        audit = s.get(Audit, audit_id)
        status, fingerprint, by = audit.status, audit.fingerprint, audit.finalised_by
    assert status == "final"
    assert workspace.read_only
    for button in (workspace.accept_button, workspace.reject_button, workspace.edit_button,
                   workspace.add_button, workspace.finalise_button):
        assert not button.isEnabled()
    assert not workspace.rule.isEnabled()
    assert fingerprint in workspace.status.text() and by in workspace.status.text()
    assert workspace.new_draft.isVisible()

    qtbot.mouseClick(workspace.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: workspace.verified.isVisible(), timeout=LOAD)
    assert workspace.verified.property("verified") is True

    # an undo of a decision of the frozen audit is refused and dropped
    messages.clear()
    ctx.undo_stack.undo()
    assert "final" in messages.texts() or "定稿" in messages.texts()
    assert {f.status for f in stored(ctx, audit_id).values()} == {"accepted"}
    assert ctx.undo_stack.count() == 0

    # someone changes a stock of the tenure after finalising
    with ctx.project.store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE stock SET value = value + 1 WHERE region_code = '990121' "
                             "AND year = 2022 AND resource = 'land' AND item = '0101'")
    workspace.verified.hide()
    qtbot.mouseClick(workspace.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: workspace.verified.isVisible(), timeout=LOAD)
    assert workspace.verified.property("verified") is False
    assert fingerprint in workspace.verified.text()


def test_several_audits_the_user_picks_which(qtbot, ctx) -> None:
    from balancesheet.audit.workflow import decide, finalise, open_audit

    first = open_audit(ctx.project, "GL003")
    for f in compute(ctx.project, first).findings:
        decide(ctx.project, f["id"], "rejected")
    finalise(ctx.project, first)

    workspace = open_workspace(qtbot, ctx, "GL003")
    assert workspace.audit_id == first and workspace.read_only
    with reloaded(qtbot, workspace):
        qtbot.mouseClick(workspace.new_draft, Qt.MouseButton.LeftButton)
    draft = workspace.audit_id
    assert draft != first and not workspace.read_only
    assert workspace.audits.count() == 2
    assert not workspace.shortened.isVisible()

    index = workspace.audits.findData(first)
    with reloaded(qtbot, workspace):
        workspace.audits.setCurrentIndex(index)
        workspace.audits.activated.emit(index)
    assert workspace.audit_id == first and workspace.read_only

    again = open_workspace(qtbot, ctx, "GL003")
    assert again.audit_id == draft  # the newest audit shows first
    shown = open_workspace(qtbot, ctx, "GL003", audit_id=first)
    assert shown.audit_id == first


def test_the_end_rule_is_chosen_and_explained(qtbot, ctx) -> None:
    workspace = open_workspace(qtbot, ctx, "GL001")  # ends 12 April 2023
    assert workspace.state.entry.end_rule == "previous"
    assert "2022年12月31日" in workspace.compared.text()
    assert workspace.shortened.isVisible()  # no 2017 data: the comparison starts at 2018

    index = workspace.rule.findData("following")
    with reloaded(qtbot, workspace):
        workspace.rule.setCurrentIndex(index)
        workspace.rule.activated.emit(index)
    assert "2023年12月31日" in workspace.compared.text()
    with ctx.project.store.session() as s:
        audit = s.get(Audit, workspace.audit_id)
        assert (audit.end_rule, audit.end_year) == ("following", 2023)


def test_areas_follow_the_unit_preference(qtbot, ctx) -> None:
    from balancesheet.units import convert

    workspace = open_workspace(qtbot, ctx, "GL002")
    changes = workspace.changes
    row = next(r for r in range(changes.rowCount()) if changes.record(r)["unit"] == "公顷")
    hectares = changes.record(row)["start"]
    ctx.preferences.area_unit = "亩"
    ctx.preferences_changed.emit()
    assert cell(changes, row, 2) == "亩"
    assert cell(changes, row, 3) == format_number(convert(hectares, "公顷", "亩"))
    water = next(r for r in range(changes.rowCount())
                 if changes.record(r)["unit"] == "万立方米")
    assert cell(changes, water, 2) == "万立方米"


def test_new_audit_asks_for_an_official(qtbot, qtmodeltester, ctx, monkeypatch) -> None:
    seen: list[OfficialPicker] = []

    def choose_second(picker: OfficialPicker) -> int:
        seen.append(picker)
        picker.view.selectRow(1)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(OfficialPicker, "exec", choose_second)
    assert new_audit(ctx, None) == "GL002"
    model = seen[0].model
    assert model.rowCount() == 3
    assert cell(model, 0, 4) == "2018年7月16日"
    qtmodeltester.check(model)

    monkeypatch.setattr(OfficialPicker, "exec", lambda _p: QDialog.DialogCode.Rejected.value)
    assert new_audit(ctx, None) is None


@pytest.mark.parametrize("official", ["GL003"])
def test_a_running_tenure_has_no_end_rule_to_choose(qtbot, ctx, official: str) -> None:
    workspace = open_workspace(qtbot, ctx, official)
    assert workspace.state.result.analysis.tenure.running
    assert not workspace.rule.isEnabled()
    assert "2025年12月31日" in workspace.compared.text()
