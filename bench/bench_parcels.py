"""Benchmark: two N-parcel snapshots (图斑) → import each, then the transition matrix of the span.

Prints each figure, its floor and the ratio:

- import of one snapshot (CSV, 平方米, Chinese headers, every cell validated, written in one
  transaction): floor = ``pandas.read_csv`` + one ``executemany`` of the same rows into the
  ``parcel`` table of a fresh project file (same schema and key, WAL + synchronous=FULL), as
  bench_import_1m.py does for change records; the floor into a bare keyless 7-column table is
  printed too;
- the exact transition matrix from the two snapshots (``parcels.parcel_matrix``): floor = one SQL
  join of the two snapshots + ``GROUP BY`` from-class, to-class in bare ``sqlite3`` on the same
  project file, ``fetchall``.

Also printed without a floor: the year's stocks, the comparison (with the one-sided parcels
listed) and booking the changes. Peak memory (max RSS) is printed after each phase. Not a test:

    .venv/bin/python bench/bench_parcels.py [N] [--runs R]

N defaults to 1,000,000; the snapshots come from bench/parcelgen.py (deterministic).
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from parcelgen import (
    REGION,
    YEAR_FROM,
    YEAR_TO,
    land_classes,
    parcel_snapshots,
    write_csv,
    write_regions,
)

from balancesheet import parcels
from balancesheet.importer import import_file
from balancesheet.project import Project

FLOOR_MATRIX_SQL = (
    "SELECT a.class_code, b.class_code, SUM(b.area) FROM parcel a JOIN parcel b "
    "ON b.region_code = a.region_code AND b.year = ? AND b.parcel_id = a.parcel_id "
    "WHERE a.region_code = ? AND a.year = ? GROUP BY a.class_code, b.class_code")
FLOOR_COLUMNS = ["区划代码", "年度", "标识码", "地类编码", "图斑面积", "城镇村属性码", "权属性质"]
HEAP = ("CREATE TABLE parcel_floor (region_code TEXT, year INTEGER, parcel_id TEXT, class_code TEXT, area REAL, "
        "town_attr TEXT, ownership TEXT)")


def peak_mb() -> float:
    """Peak resident memory of this process so far, MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(func: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def best_of(runs: int, func: Callable[[], object]) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        seconds, result = timed(func)
        best = min(best, seconds)
    return best, result


def fresh_table(folder: Path) -> Path:
    """A new project file (the tool's schema) holding the county and one import batch."""
    db = folder / "floor.db"
    for leftover in folder.glob("floor.db*"):
        leftover.unlink()
    Project.open(db, create=True).close()
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO region (code, name) VALUES (?, '基准县')", (REGION,))
        conn.execute("INSERT INTO import_batch (id, file_name, sha256, kind, imported_at, user, rows) "
                     "VALUES (1, 'floor', '', 'parcels', '2026-01-01', 'bench', 0)")
    return db


def floor_import(csv: Path, db: Path, table: str | None = None) -> float:
    """pandas.read_csv + one executemany of the same rows into the ``parcel`` table of ``db``
    (the tool's schema: key, WITHOUT ROWID; WAL + synchronous=FULL), committed. ``table``: the
    DDL of a bare table to create and fill instead."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    if table:
        conn.execute("DROP TABLE IF EXISTS parcel_floor")
        conn.execute(table)
        conn.commit()
    start = time.perf_counter()
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    n = len(frame)
    values = [frame["区划代码"].tolist(), frame["年度"].astype(int).tolist(), frame["标识码"].tolist(),
              frame["地类编码"].tolist(), frame["图斑面积"].astype(float).tolist(), frame["城镇村属性码"].tolist(),
              frame["权属性质"].tolist()]
    if table:
        conn.executemany("INSERT INTO parcel_floor VALUES (?,?,?,?,?,?,?)", list(zip(*values, strict=True)))
    else:
        rows = list(zip(*values, [None] * n, [1] * n, strict=True))
        conn.executemany("INSERT INTO parcel (region_code, year, parcel_id, class_code, area, town_attr, ownership, "
                         "survey_code, batch_id) VALUES (?,?,?,?,?,?,?,?,?)", rows)
    conn.commit()
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def floor_matrix(db: Path) -> tuple[float, list[tuple]]:
    """One join + GROUP BY in bare sqlite3 on the project file (a fresh connection per run)."""
    conn = sqlite3.connect(db)
    try:
        start = time.perf_counter()
        groups = conn.execute(FLOOR_MATRIX_SQL, (YEAR_TO, REGION, YEAR_FROM)).fetchall()
        return time.perf_counter() - start, groups
    finally:
        conn.close()


def report(name: str, figure: float, floor: float | None = None) -> None:
    tail = f"   floor {floor:7.3f} s   ratio {figure / floor:5.2f}" if floor else ""
    print(f"{name:<52} {figure:7.3f} s{tail}   (peak {peak_mb():,.0f} MiB)", flush=True)


def run(folder: Path, n: int, runs: int) -> None:
    db = folder / "bench.db"
    project = Project.open(db, create=True)
    try:
        start = time.perf_counter()
        first, second = parcel_snapshots(n, land_classes(project))
        files = {YEAR_FROM: folder / f"图斑{YEAR_FROM}.csv", YEAR_TO: folder / f"图斑{YEAR_TO}.csv"}
        write_csv(first, files[YEAR_FROM])
        write_csv(second, files[YEAR_TO])
        import_file(project, write_regions(folder, float(first["图斑面积"].sum())))
        print(f"setup: {len(first):,} + {len(second):,} parcels generated and written as CSV "
              f"({files[YEAR_FROM].stat().st_size / 1e6:.0f} MB each) in {time.perf_counter() - start:.1f} s")
        del first, second
        for year, path in files.items():
            t_import, result = timed(lambda path=path: import_file(project, path))
            floor = floor_import(path, fresh_table(folder))
            report(f"import {result.rows:,} parcels of {year} (CSV)", t_import, floor)  # type: ignore[union-attr]
            heap = floor_import(path, fresh_table(folder), HEAP)
            print(f"{'  (floor into a bare keyless 7-column table)':<52} {heap:7.3f} s   ratio {t_import / heap:5.2f}")
        floor, groups = min((floor_matrix(db) for _ in range(runs)), key=lambda r: r[0])
        t_matrix, matrix = best_of(runs, lambda: parcels.parcel_matrix(project, REGION, YEAR_FROM, YEAR_TO))
        report(f"transition matrix from the two snapshots (best of {runs})", t_matrix, floor)
        matched = sum(v for _, _, v in groups)
        n_cls = len(matrix.classes) - 1  # type: ignore[union-attr]
        kept = matrix.cells[:n_cls, :n_cls].sum() + matrix.cells[n_cls, :n_cls].sum()  # type: ignore[union-attr]
        assert abs(kept - matrix.column_sums[:n_cls].sum()) < 1e-6  # type: ignore[union-attr]
        print(f"  {len(groups):,} from×to groups in the floor ({matched:,.2f} ha matched); matrix "
              f"{n_cls}×{n_cls} + EXT; {len(matrix.notes)} notes")  # type: ignore[union-attr]
        for year in (YEAR_FROM, YEAR_TO):
            t_stocks, _ = timed(lambda year=year: parcels.derive_stocks(project, REGION, year))
            report(f"stocks of {year} from its snapshot", t_stocks)
        t_compare, comparison = timed(lambda: parcels.compare_snapshots(project, REGION, YEAR_FROM, YEAR_TO))
        report("comparison (one-sided parcels listed)", t_compare)
        t_book, booked = timed(lambda: parcels.derive_changes(project, REGION, YEAR_FROM, YEAR_TO))
        report(f"book the changes ({booked.transfers:,} records + {booked.adjustments} adjustments)",  # type: ignore[union-attr]
               t_book)
        print(comparison.summary().splitlines()[1])  # type: ignore[union-attr]
    finally:
        project.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of the matrix and its floor (best kept)")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, pandas {pd.__version__}, SQLite {sqlite3.sqlite_version}")
    with tempfile.TemporaryDirectory() as tmp:
        run(Path(tmp), args.n, args.runs)


if __name__ == "__main__":
    main()
