"""Take the screenshots in docs/screenshots/ of the desktop application on the sample county.

Runs offscreen (no display needed), with private settings, the bundled Chinese font and the
Chinese translation, on a fresh sample project with sample_data/problems/stocks_with_errors.csv
imported on top (so the problems panel has something to show).

    python docs/screenshots/take.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# An offscreen "screen" as large as a desktop monitor (the default is 800×600, which would clamp
# restored window geometry).
os.environ.setdefault("QT_QPA_PLATFORM",
                      f"offscreen:configfile={Path(__file__).with_name('offscreen_screen.json')}")
sys.path.insert(0, str(ROOT))

SIZE = (1440, 900)
REGION = "990121"


def settle(app, until: Callable[[], bool] | None = None, timeout: float = 60.0) -> None:  # noqa: ANN001
    """Process events until background work is done (and ``until`` holds)."""
    from PySide6.QtCore import QThreadPool

    deadline = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < deadline:
        app.processEvents()
        busy = QThreadPool.globalInstance().activeThreadCount() > 0
        if not busy and (until is None or until()):
            quiet += 1
            if quiet > 20:
                return
        else:
            quiet = 0
        time.sleep(0.01)
    raise TimeoutError("the application did not settle")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="bs-shots-"))
    os.environ["XDG_CONFIG_HOME"] = os.environ["XDG_DATA_HOME"] = str(tmp)

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from balancesheet.importer import import_file
    from balancesheet.project import Project
    from balancesheet.resources import sample_data_dir
    from balancesheet.sample import load_sample
    from ui.app import Application, create_app
    from ui.settings import Preferences

    db = tmp / "青岚县.db"
    project = Project.open(db, create=True)
    load_sample(project)
    import_file(project, sample_data_dir() / "problems" / "stocks_with_errors.csv")
    project.close()

    app = create_app(sys.argv[:1])
    prefs = Preferences(QSettings(str(tmp / "app.ini"), QSettings.Format.IniFormat))
    controller = Application(app, prefs)
    window = controller.window
    window.resize(*SIZE)
    window.show()
    controller.ctx.open_project(db)
    settle(app, lambda: window.tabs.count() >= 1)

    def shot(name: str, widget=None) -> None:  # noqa: ANN001
        settle(app)
        target = widget or window
        path = args.out / f"{name}.png"
        target.grab().save(str(path))
        print(path)

    shot("01_account_editor_and_problems")

    window.open_key(("changes", REGION, 2025))
    shot("02_land_changes")
    matrix = window.open_key(("matrix", REGION, 2025))
    shot("03_transition_matrix")
    matrix.show_heatmap()
    shot("03b_transition_heat_map")
    window.open_key(("charts", REGION))
    shot("04_charts")

    from ui.import_wizard import ImportWizard

    wizard = ImportWizard(controller.ctx, [str(sample_data_dir() / "problems" / "bad_import.csv")], window)
    wizard.resize(1100, 720)
    wizard.show()
    settle(app)
    if hasattr(wizard, "next"):
        wizard.next()
    shot("05_import_wizard_errors", wizard)
    wizard.close()

    window.problems_dock.hide()  # room for the findings and the score
    workspace = window.open_key(("official", "GL001"))
    settle(app)
    workspace.findings_view.selectRow(0)
    shot("06_audit_workspace")

    from balancesheet.reports.render import balance_sheet_report

    xlsx, pdf = tmp / "资产负债表.xlsx", tmp / "资产负债表.pdf"
    balance_sheet_report(controller.ctx.require_project(), REGION, 2025, xlsx, pdf)
    window.show_report(str(pdf), str(xlsx))
    shot("07_pdf_preview")
    window.problems_dock.show()

    from balancesheet import editing
    from ui.history import HistoryDialog

    project = controller.ctx.require_project()
    editing.lock_year(project, REGION, 2024, "2024 年报已报送")
    editing.unlock_year(project, REGION, 2024, "更正 0101 水田面积")
    editing.set_stock(project, REGION, 2024, "land", "0101", 1234.5)
    history = HistoryDialog(controller.ctx, window, REGION, 2024)
    history.show()
    settle(app)
    shot("07b_change_history", history)
    history.close()

    controller.switch_language("en")
    window = controller.window
    window.resize(*SIZE)
    window.show()
    settle(app, lambda: window.tabs.count() >= 1)
    shot("08_english")
    controller.ctx.close_project()
    QApplication.instance().quit()


if __name__ == "__main__":
    main()
