"""Benchmark: import land change records, compile a year's land table, matrix and checks.

Prints each figure, its floor (the same work in bare pandas/SQLite) and the ratio. Not a test:
run it with ``python bench/bench_ledger.py [N_RECORDS]`` (default 200,000).
"""

from __future__ import annotations

import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from balancesheet.checks import check
from balancesheet.importer import import_file
from balancesheet.ledger import change_table, transition_matrix
from balancesheet.project import Project

REGION, YEAR = "990001", 2021


def timed(func):  # noqa: ANN001, ANN201
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def make_files(folder: Path, n: int, leaves: list[str]) -> tuple[Path, Path, Path]:
    rng = random.Random(7)
    opening = {c: 10_000.0 for c in leaves}
    moves = []
    for _ in range(n):
        a, b = rng.sample(leaves, 2)
        area = round(rng.uniform(0.01, 0.5), 2)
        moves.append((a, b, area))
    closing = dict(opening)
    for a, b, v in moves:
        closing[a] -= v
        closing[b] += v
    regions = folder / "regions.csv"
    regions.write_text(f"region,name,area,unit\n{REGION},基准县,{10_000 * len(leaves)},公顷\n", encoding="utf-8")
    stocks = folder / "stocks.csv"
    lines = ["region,year,resource,item,value,unit"]
    lines += [f"{REGION},{YEAR - 1},land,{c},{v:.2f},公顷" for c, v in opening.items()]
    lines += [f"{REGION},{YEAR},land,{c},{v:.2f},公顷" for c, v in closing.items()]
    stocks.write_text("\n".join(lines) + "\n", encoding="utf-8")
    changes = folder / "changes.csv"
    pd.DataFrame({"region": REGION, "year": YEAR, "from": [m[0] for m in moves], "to": [m[1] for m in moves],
                  "area": [m[2] for m in moves], "cause": "CON", "unit": "公顷"}).to_csv(changes, index=False)
    return regions, stocks, changes


def floor_import(path: Path, db: Path) -> float:
    start = time.perf_counter()
    frame = pd.read_csv(path, dtype={"from": str, "to": str})
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE f (region TEXT, year INT, from_item TEXT, to_item TEXT, cause TEXT, value REAL)")
    conn.executemany("INSERT INTO f VALUES (?,?,?,?,?,?)",
                     frame[["region", "year", "from", "to", "cause", "area"]].astype(object).values.tolist())
    conn.commit()
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def floor_groupby(db: Path) -> float:
    conn = sqlite3.connect(db)
    start = time.perf_counter()
    pd.read_sql_query("SELECT from_item, to_item, cause, SUM(value) FROM f WHERE year = 2021 "
                      "GROUP BY from_item, to_item, cause", conn)
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def report(name: str, figure: float, floor: float) -> None:
    print(f"{name:<44} {figure:8.3f} s   floor {floor:8.3f} s   ratio {figure / floor:6.2f}")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project = Project.open(folder / "bench.db", create=True)
        leaves = [c for c in project.catalog.accounts["land"].stock_leaves()
                  if project.catalog.accounts["land"].ancestors(c)[-1] == "T"]
        regions, stocks, changes = make_files(folder, n, leaves)
        import_file(project, regions)
        import_file(project, stocks)
        t_import, _ = timed(lambda: import_file(project, changes))
        report(f"import {n:,} land change records (CSV)", t_import, floor_import(changes, folder / "floor.db"))
        t_group = floor_groupby(folder / "floor.db")
        t_table, _ = timed(lambda: change_table(project, REGION, "land", YEAR - 1, YEAR))
        report("land 存量及变动表 for the year", t_table, t_group)
        t_matrix, _ = timed(lambda: transition_matrix(project, REGION, YEAR - 1, YEAR))
        report("land transition matrix for the year", t_matrix, t_group)
        t_check, problems = timed(lambda: check(project, REGION, YEAR))
        report(f"all checks for the year ({len(problems)} problems)", t_check, t_group)
        project.close()


if __name__ == "__main__":
    main()
