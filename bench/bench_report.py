"""Benchmark: the balance-sheet report (xlsx + pdf) for one county-year of the sample county.

Floor: writing the same cells (every value of every table) into a new workbook with bare
openpyxl and saving it. Run: ``python bench/bench_report.py`` (uses a temporary demo project).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from balancesheet.project import Project
from balancesheet.reports.balance_sheet import balance_sheet_data
from balancesheet.reports.render import balance_sheet_report
from balancesheet.sample import load_sample

REGION, YEAR, RUNS = "990121", 2025, 5


def floor(data, path: Path) -> float:  # noqa: ANN001
    start = time.perf_counter()
    wb = Workbook()
    for name, table in data.tables.items():
        ws = wb.create_sheet(name)
        ws.append(table.columns)
        for row in table.rows:
            ws.append([row.get(c) for c in table.columns])
    wb.save(path)
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project = Project.open(folder / "s.db", create=True)
        load_sample(project)
        balance_sheet_report(project, REGION, YEAR, folder / "warm.xlsx", folder / "warm.pdf")  # imports, fonts
        best: dict[str, float] = {}
        for _ in range(RUNS):
            start = time.perf_counter()
            result = balance_sheet_report(project, REGION, YEAR, folder / "r.xlsx", folder / "r.pdf")
            total = time.perf_counter() - start
            for key, value in {**result.timings, "total": total}.items():
                best[key] = min(best.get(key, value), value)
        data = balance_sheet_data(project, REGION, YEAR)
        floor_time = min(floor(data, folder / "floor.xlsx") for _ in range(RUNS))
        cells = sum(len(t.rows) * len(t.columns) for t in data.tables.values())
        print(f"report for {REGION} {YEAR}: {result.pages} PDF pages, {cells} table cells; best of {RUNS}")
        for key in ("data", "xlsx", "pdf"):
            print(f"  {key:<6} {best[key]:6.3f} s")
        print(f"{'xlsx + pdf report (total)':<30} {best['total']:6.3f} s   floor {floor_time:6.3f} s   "
              f"ratio {best['total'] / floor_time:5.2f}")
        project.close()


if __name__ == "__main__":
    main()
