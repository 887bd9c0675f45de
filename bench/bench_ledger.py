"""Benchmark: compile a year's land 存量及变动表, transition matrix and checks over N change records.

Prints each figure, its floor and the ratio. The floor is one SQL ``GROUP BY from_item, to_item,
cause`` over the same stored records (bare ``sqlite3`` on the project file, ``fetchall``), the least
any compilation of the year must do. Not a test: run it with

    .venv/bin/python bench/bench_ledger.py [N_RECORDS] [--runs R] [--db PATH]

N defaults to 1,000,000. The records are generated deterministically (bench/landgen.py) and stored
through ``balancesheet.importer.import_file`` (its time is printed as setup, measured properly by
bench_import_1m.py). ``--db PATH`` keeps the project file and reuses it on the next run.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from landgen import REGION, YEAR, land_leaves, land_records, write_context, write_csv

from balancesheet.checks import check
from balancesheet.importer import import_file
from balancesheet.ledger import change_table, transition_matrix
from balancesheet.project import Project

FLOOR_SQL = ("SELECT from_item, to_item, cause, SUM(value) FROM flow "
             "WHERE region_code = ? AND resource = 'land' AND year = ? GROUP BY from_item, to_item, cause")


def floor_groupby(db: Path) -> tuple[int, list[tuple]]:
    """The floor: the year's records summed by (from, to, cause) — (groups, rows)."""
    conn = sqlite3.connect(db)
    try:
        groups = conn.execute(FLOOR_SQL, (REGION, YEAR)).fetchall()
        return len(groups), groups
    finally:
        conn.close()


def build(db: Path, n: int) -> None:
    """A project holding the region, both years' land stocks and n change records of YEAR."""
    project = Project.open(db, create=True)
    try:
        leaves = land_leaves(project)
        records = land_records(n, leaves)
        folder = db.parent
        regions, stocks = write_context(folder, records, leaves)
        changes = folder / f"changes_{n}.csv"
        write_csv(records, changes)
        import_file(project, regions)
        import_file(project, stocks)
        start = time.perf_counter()
        import_file(project, changes)
        print(f"setup: imported {n:,} land change records in {time.perf_counter() - start:.1f} s")
    finally:
        project.close()


def report(name: str, figure: float, floor: float) -> None:
    print(f"{name:<46} {figure:7.3f} s   floor {floor:7.3f} s   ratio {figure / floor:5.2f}")


def run(db: Path, n: int, runs: int) -> None:
    if not db.exists():
        build(db, n)
    project = Project.open(db)
    try:
        stored = project.store.read_sql("SELECT COUNT(*) AS n FROM flow WHERE year = :y", {"y": YEAR})["n"][0]
        work: dict[str, Callable[[], object]] = {
            "floor": lambda: floor_groupby(db),
            "table": lambda: change_table(project, REGION, "land", YEAR - 1, YEAR),
            "matrix": lambda: transition_matrix(project, REGION, YEAR - 1, YEAR),
            "check": lambda: check(project, REGION, YEAR),
        }
        best = {name: float("inf") for name in work}
        last: dict[str, object] = {}
        for _ in range(runs):  # interleaved, so that a busy moment of the machine hits all alike
            for name, func in work.items():
                start = time.perf_counter()
                last[name] = func()
                best[name] = min(best[name], time.perf_counter() - start)
        groups = last["floor"][0]  # type: ignore[index]
        print(f"{stored:,} land change records stored for {REGION} {YEAR} ({groups} distinct "
              f"from × to × cause); best of {runs}, interleaved")
        report("land 存量及变动表 for the year", best["table"], best["floor"])
        report("land transition matrix for the year", best["matrix"], best["floor"])
        problems = last["check"]
        report(f"all checks for the year ({len(problems)} problems)", best["check"], best["floor"])  # type: ignore[arg-type]
        matrix, table = last["matrix"], last["table"]
        assert abs(matrix.cells.sum() - table.rows.set_index("item").loc["T", "opening"]) < 1e-3  # type: ignore[attr-defined]
    finally:
        project.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, help="project file to build once and reuse")
    args = parser.parse_args()
    if args.db:
        run(args.db, args.n, args.runs)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(Path(tmp) / "bench.db", args.n, args.runs)


if __name__ == "__main__":
    main()
