"""Cold start of the desktop application to a painted main window with the sample county.

Measures, from process launch (wall clock), until the main window with the project open, the
navigator filled and the first account table shown has been rendered. The floor is the same for
a bare PySide6 program that shows an empty QMainWindow and renders it (the cost of Python + Qt).

    python bench/bench_gui_start.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR = r"""
import time
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1280, 800); w.show()
app.processEvents(); w.grab()
print(f"painted-at {time.time():.6f}", flush=True)
"""


def _timed(cmd: list[str], env: dict[str, str], mark: str = "painted-at") -> float:
    start = time.time()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith(mark))
    return float(line.split()[1]) - start


def _both(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float, float]:
    start = time.time()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, check=True).stdout
    marks = {x.split()[0]: float(x.split()[1]) - start for x in out.splitlines() if x.endswith(("at",)) or "-at " in x}
    return marks["painted-at"], marks["project-at"], marks["ready-at"], marks["checked-at"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "county.db"
        subprocess.run([sys.executable, "-m", "balancesheet", "demo", str(db)], check=True,
                       capture_output=True)
        env["XDG_CONFIG_HOME"] = tmp  # private settings: no recent files, default language
        env["XDG_DATA_HOME"] = tmp
        app = [sys.executable, "-m", "ui.app", str(db), "--quit-after-paint"]
        floor = [sys.executable, "-c", FLOOR]
        _both(app, env), _timed(floor, env)  # warm the OS file cache once
        runs = [_both(app, env) for _ in range(args.runs)]
        floor_times = [_timed(floor, env) for _ in range(args.runs)]
        shutil.rmtree(tmp, ignore_errors=True)
    f = statistics.median(floor_times)
    for label, times in (("main window painted", [r[0] for r in runs]),
                         ("the project open (navigator filled, painted)", [r[1] for r in runs]),
                         ("the land account table shown", [r[2] for r in runs]),
                         ("checks of the year done (problems panel filled)", [r[3] for r in runs])):
        m = statistics.median(times)
        print(f"cold start to {label}: median {m:.3f} s (min {min(times):.3f}, max {max(times):.3f}, "
              f"{args.runs} runs); floor {f:.3f} s; ratio {m / f:.2f}")
    print("floor: a bare PySide6 program showing and rendering an empty QMainWindow")


if __name__ == "__main__":
    main()
