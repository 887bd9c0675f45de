"""Copying tables to the clipboard never hands a spreadsheet a formula: a county's item named
``=HYPERLINK(…)`` or a file named ``=1+1.csv`` is copied with a leading apostrophe (as Excel/WPS
take typed text), and pasting the block back into the account editor gives the same text."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel
from PySide6.QtWidgets import QApplication

from balancesheet.importer import import_file
from balancesheet.safe_text import needs_guard
from ui.account_editor import AccountEditor
from ui.account_model import parse_tsv
from ui.context import AppContext
from ui.land_changes import LandChangesView

R = "990121"
EVIL_NAME = '=HYPERLINK("http://evil.example","点击")'
EXTENSION = f"""\
resource = "land"
extends = true

[[item]]
code = "12L9"
name = '{EVIL_NAME}'
parent = "12"
"""


def open_editor(qtbot, ctx: AppContext) -> AccountEditor:  # noqa: ANN001
    editor = AccountEditor(ctx, R, 2025, "land")
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitUntil(lambda: editor.model.rowCount() > 0 and not editor.busy, timeout=20_000)
    return editor


def test_account_copy_protects_a_formula_like_name_and_pastes_back(qtbot, ctx: AppContext,  # noqa: ANN001
                                                                   tmp_path: Path) -> None:
    extension = tmp_path / "local.toml"
    extension.write_text(EXTENSION, encoding="utf-8")
    ctx.require_project().add_extension(extension)
    editor = open_editor(qtbot, ctx)
    model, view = editor.model, editor.view
    row = model.row_of("12L9")
    assert row >= 0
    top, bottom = model.index(row, model.column("name")), model.index(row, model.column("observed_closing"))
    view.setCurrentIndex(top)
    view.selectionModel().select(QItemSelection(top, bottom), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    editor.copy()
    text = QApplication.clipboard().text()
    assert text.startswith("\"'=HYPERLINK(") and not any(needs_guard(c) for c in text.rstrip("\n").split("\t"))
    assert parse_tsv(text)[0][0] == EVIL_NAME
    editor.paste()  # the same block back onto itself: accepted as unchanged, nothing to undo
    assert ctx.undo_stack.count() == 0


def test_land_change_copy_protects_a_formula_like_file_name(qtbot, ctx: AppContext, tmp_path: Path) -> None:  # noqa: ANN001
    evil = tmp_path / "=1+1.csv"
    evil.write_text("region,year,from,to,area,cause\n990121,2025,0101,0102,0.5,AGR\n", encoding="utf-8")
    import_file(ctx.require_project(), evil, replace=True)
    view = LandChangesView(ctx, R, 0)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: not view.model.busy, timeout=20_000)
    last = view.model.rowCount() - 1
    text = view.model.tsv([last], view.model.column_titles())
    cells = parse_tsv(text)[1]
    assert "'=1+1.csv" in text.splitlines()[1].split("\t")
    assert "=1+1.csv" in cells  # parse_tsv takes the apostrophe off again


def test_history_csv_export_protects_user_text(tmp_path: Path) -> None:
    """The change log's CSV (who, why, old → new): a user name or reason "=…" stays text."""
    from ui.history import _write_csv

    class Log:  # the two things _write_csv reads of a HistoryModel
        titles = ["When", "Who", "Old", "New"]
        cells = [["2025-01-02 03:04:05", "=cmd|' /C calc'!A0", "-12.5", "@SUM(A1)"]]

        def rowCount(self) -> int:  # noqa: N802 - Qt's name
            return len(self.cells)

        def cell(self, row: int, column: int) -> str:
            return self.cells[row][column]

    out = tmp_path / "history.csv"
    _write_csv(out, Log())  # type: ignore[arg-type]
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1] == "2025-01-02 03:04:05,'=cmd|' /C calc'!A0,-12.5,'@SUM(A1)"
