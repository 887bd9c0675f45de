"""Benchmark: the land change records view (lazy model) over N records (default 1,000,000).

Builds a temporary project with N land flows (executemany), then times through the real model
(worker thread, signals, model reset) what a user does: open the view (model load: ids, count,
total area, years), change the sort, change the filter, and fetch the 50 rows visible at the end
of the table. Each figure is printed with its floor — the same SQL run in bare ``sqlite3`` — and
the ratio, plus the longest pause of the GUI thread while the worker loads (the view stays fluid
when it is short). Not a test: ``QT_QPA_PLATFORM=offscreen python bench/bench_ui_changes.py [N]``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QEventLoop, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from balancesheet.project import Project  # noqa: E402
from ui.changes_model import AREA, ChangeQuery, ChangeSql, LandChangesModel  # noqa: E402
from ui.context import AppContext  # noqa: E402
from ui.settings import Preferences  # noqa: E402

REGION = "990001"
REPEATS = 3
DESCENDING = Qt.SortOrder.DescendingOrder


def build(path: Path, n: int) -> None:
    """A project holding ``n`` land change records over 2019–2025 from three batch files."""
    project = Project.open(path, create=True)
    account = project.catalog.account("land")
    leaves = account.stock_leaves()
    causes = [c.code for c in account.causes.values() if c.allows("transfer")]
    project.close()
    rng = np.random.default_rng(7)
    years = rng.integers(2019, 2026, n)
    src, dst = rng.integers(0, len(leaves), n), rng.integers(0, len(leaves), n)
    cause = rng.integers(0, len(causes), n)
    area = np.round(rng.uniform(0.01, 30.0, n), 2)
    batch = rng.integers(1, 4, n)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO region (code, name) VALUES (?, ?)", (REGION, "基准县"))
    conn.executemany(
        "INSERT INTO import_batch (id, file_name, sha256, kind, imported_at, user, rows) "
        "VALUES (?, ?, '', 'land_changes', ?, 'bench', 0)",
        [(i, f"变更调查_{i}.xlsx", dt.datetime.now()) for i in (1, 2, 3)])
    conn.executemany(
        "INSERT INTO flow (region_code, year, resource, from_item, to_item, cause, value, batch_id) "
        "VALUES (?, ?, 'land', ?, ?, ?, ?, ?)",
        zip([REGION] * n, years.tolist(), [leaves[i] for i in src], [leaves[i] for i in dst],
            [causes[i] for i in cause], area.tolist(), batch.tolist(), strict=True))
    conn.commit()
    conn.close()


class Stalls:
    """Longest gap between ticks of a 5 ms timer on the GUI thread (how long the GUI froze)."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.clock = QElapsedTimer()
        self.longest = 0
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.longest = max(self.longest, self.clock.restart())

    def __enter__(self) -> Stalls:
        self.longest = 0
        self.clock.start()
        self.timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.timer.stop()


def until_loaded(model: LandChangesModel, start: Callable[[], None]) -> float:
    """Seconds from ``start()`` to the model's ``loaded`` signal, in a running event loop."""
    loop = QEventLoop()
    model.loaded.connect(loop.quit)
    model.failed.connect(lambda exc: (loop.quit(), print("failed:", exc)))
    began = time.perf_counter()
    start()
    if model.busy:
        loop.exec()
    model.loaded.disconnect(loop.quit)
    return time.perf_counter() - began


def floor(path: Path, statements: list[tuple[str, list]]) -> float:
    """Seconds to run ``statements`` in bare sqlite3 and fetch every row."""
    conn = sqlite3.connect(path)
    began = time.perf_counter()
    for sql, params in statements:
        conn.execute(sql, params).fetchall()
    elapsed = time.perf_counter() - began
    conn.close()
    return elapsed


def best(times: list[float]) -> str:
    return f"{min(times):.3f} s (median {statistics.median(times):.3f})"


def report(name: str, figures: list[float], floors: list[float]) -> None:
    ratio = min(figures) / min(floors)
    print(f"{name:<44} {best(figures):<28} floor {best(floors):<28} ratio {ratio:.2f}")


def main(n: int) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    folder = Path(tempfile.mkdtemp(prefix="bench_ui_changes_"))
    path = folder / "bench.db"
    began = time.perf_counter()
    build(path, n)
    print(f"built {n:,} land change records in {time.perf_counter() - began:.1f} s ({path})")
    ctx = AppContext(Preferences(QSettings(str(folder / "app.ini"), QSettings.Format.IniFormat)))
    ctx.open_project(path)
    project = ctx.require_project()
    sql = ChangeSql(project.catalog.account("land"), {1: "a", 2: "b", 3: "c"})
    full = ChangeQuery(REGION)
    by_area = ChangeQuery(REGION, sort_column=AREA, descending=True)
    filtered = ChangeQuery(REGION, cause="CON", sort_column=AREA, descending=True)
    years_sql = ("SELECT DISTINCT year FROM flow WHERE region_code = ? AND resource = 'land' "
                 "ORDER BY year", [REGION])
    rows: dict[str, list[float]] = {k: [] for k in ("load", "sort", "filter", "fetch", "stall")}
    floors: dict[str, list[float]] = {k: [] for k in ("load", "sort", "filter", "fetch")}
    for _ in range(REPEATS):
        model = LandChangesModel(ctx, REGION)
        with Stalls() as stalls:
            rows["load"].append(until_loaded(model, model.reload))
        rows["stall"].append(stalls.longest / 1000)
        assert model.rowCount() == n, model.rowCount()
        rows["sort"].append(until_loaded(model, lambda m=model: m.sort(AREA, DESCENDING)))
        rows["filter"].append(until_loaded(model, lambda m=model: m.set_query(filtered)))
        model._cache.clear()
        last = model.rowCount()
        began = time.perf_counter()
        cells = [model.index(r, c).data() for r in range(last - 50, last) for c in range(6)]
        rows["fetch"].append(time.perf_counter() - began)
        assert all(cells[i] for i in range(0, len(cells), 6))
        floors["load"].append(floor(path, [sql.ids(full), sql.totals(full), years_sql]))
        floors["sort"].append(floor(path, [sql.ids(by_area)]))
        floors["filter"].append(floor(path, [sql.ids(filtered), sql.totals(filtered)]))
        ids = [int(i) for i in model.ids[-50:]]
        floors["fetch"].append(floor(path, [(sql.rows(50), ids)]))
        model.deleteLater()
    print(f"\n{n:,} records, best of {REPEATS} (figure: through the model, worker and signals; "
          "floor: the same SQL in bare sqlite3)")
    report("model load (ids, count, total area, years)", rows["load"], floors["load"])
    report("sort change (by area, descending)", rows["sort"], floors["sort"])
    report("filter change (cause 建设占用, by area)", rows["filter"], floors["filter"])
    report("data of the last 50 rows (6 columns)", rows["fetch"], floors["fetch"])
    print(f"{'longest GUI-thread pause during the load':<44} {best(rows['stall'])}")
    ctx.close_project()
    shutil.rmtree(folder, ignore_errors=True)
    del app


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
