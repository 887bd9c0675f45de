"""The import wizard with a parcel snapshot (图斑): recognised by its survey headers, imported, and
a second snapshot of the same year offered only with Replace."""

from __future__ import annotations

from pathlib import Path

from conftest import rows, write_csv
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from ui.context import AppContext
from ui.import_wizard import IMPORT, PREVIEW, ImportWizard

R = "990121"
HEADER = ["区划代码", "SJNF", "BSM", "DLBM", "TBMJ", "CZCSXM", "QSXZ", "单位"]
PARCELS = [[R, "2025", "4400001", "0101", "12500", "", "20", "平方米"],
           [R, "2025", "4400002", "0201K", "8000", "203", "20", "平方米"],
           [R, "2025", "4400003", "0702", "1500.5", "203", "20", "平方米"]]
Next = QWizard.WizardButton.NextButton


def checked_wizard(qtbot, ctx: AppContext, path: Path) -> ImportWizard:  # noqa: ANN001
    wizard = ImportWizard(ctx, [str(path)])
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(lambda: wizard.currentId() == PREVIEW and wizard.entries
                    and not any(e.checking for e in wizard.entries), timeout=60_000)
    return wizard


def import_now(qtbot, wizard: ImportWizard) -> None:  # noqa: ANN001
    button = wizard.button(Next)
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentId() == IMPORT and not wizard.import_page.running, timeout=120_000)


def test_parcel_snapshot_through_the_wizard(qtbot, ctx: AppContext, tmp_path: Path) -> None:  # noqa: ANN001
    wizard = checked_wizard(qtbot, ctx, write_csv(tmp_path / "地类图斑2025.csv", HEADER, PARCELS))
    page = wizard.preview_page
    assert page.kind.currentData() == "parcels" and page.issues.rowCount() == 0
    assert "平方米" in page.units.text() and not page.replace.isVisible()
    import_now(qtbot, wizard)
    assert "图斑（地类图斑） 3 行" in wizard.import_page.summary.toPlainText()
    assert rows(ctx.project, "SELECT parcel_id, class_code, area FROM parcel ORDER BY parcel_id") == [
        ("4400001", "0101", 1.25), ("4400002", "0201", 0.8), ("4400003", "0702", 0.15005)]

    again = checked_wizard(qtbot, ctx, write_csv(tmp_path / "图斑2025修订.csv", HEADER, PARCELS[:1]))
    page = again.preview_page
    assert page.issues.rowCount() == 0 and page.replace.isVisible() and "地类图斑2025.csv" in page.replace_note.text()
    assert not again.button(Next).isEnabled()
    page.replace.setChecked(True)
    import_now(qtbot, again)
    assert rows(ctx.project, "SELECT parcel_id FROM parcel") == [("4400001",)]
