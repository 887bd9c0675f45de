"""Benchmark: import 1,000,000 land change records from CSV and from XLSX.

Figure: ``balancesheet.importer.import_file`` of the file into a project that already holds the
region and the stocks (read, validate every cell, write in one transaction with batch and log).
Floor: the same file read by pandas (``pd.read_csv``; ``pd.read_excel(engine="calamine")`` for XLSX,
the reader the importer uses) plus one ``executemany`` of the same rows into the ``flow`` table
of a fresh project file (same schema and index, same pragmas: WAL, synchronous=FULL), committed.
Generating the input files is timed separately and is part of neither.

    .venv/bin/python bench/bench_import_1m.py [N] [--runs R] [--only csv|xlsx] [--keep DIR] [--profile]

``--keep DIR`` writes (or reuses) the generated files there; ``--profile`` runs one extra import of
each file under cProfile and prints the top entries (cumulative and own time).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from landgen import land_leaves, land_records, write_context, write_csv, write_xlsx

from balancesheet.importer import import_file
from balancesheet.project import Project

INSERT = ("INSERT INTO flow (region_code, year, resource, from_item, to_item, cause, value) "
          "VALUES (?, ?, 'land', ?, ?, ?, ?)")
COLUMNS = ["region", "year", "from", "to", "cause", "area"]


def fresh_project(folder: Path, name: str, regions: Path, stocks: Path) -> Project:
    """A new project file holding the benchmark county's region and stocks."""
    path = folder / f"{name}.db"
    for leftover in folder.glob(f"{name}.db*"):
        leftover.unlink()
    project = Project.open(path, create=True)
    import_file(project, regions)
    import_file(project, stocks)
    return project


def floor_import(path: Path, read: Callable[[Path], pd.DataFrame], db: Path) -> float:
    """Seconds for pandas read + one executemany into the flow table of ``db`` + commit."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    try:
        start = time.perf_counter()
        frame = read(path)
        rows = frame[COLUMNS].astype({"region": str}).astype(object).values.tolist()
        conn.executemany(INSERT, rows)
        conn.commit()
        return time.perf_counter() - start
    finally:
        conn.close()


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"region": str, "from": str, "to": str}, keep_default_na=False)


def read_xlsx(path: Path) -> pd.DataFrame:
    return pd.read_excel(path, engine="calamine", dtype={"region": str, "from": str, "to": str},
                         keep_default_na=False)  # the cause code NA is not a missing value


def profile(project: Project, path: Path, top: int = 18) -> None:
    """Import ``path`` under cProfile and print the top entries."""
    prof = cProfile.Profile()
    prof.enable()
    import_file(project, path)
    prof.disable()
    for key in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(prof, stream=out).strip_dirs().sort_stats(key).print_stats(top)
        text = out.getvalue()
        print(f"--- profile of {path.name}, by {key} ---")
        print(text[text.index("ncalls"):].rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--only", choices=["csv", "xlsx"])
    parser.add_argument("--keep", type=Path, help="folder for the generated files (reused when present)")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = args.keep or folder
        files.mkdir(parents=True, exist_ok=True)
        scratch = Project.open(folder / "scratch.db", create=True)
        leaves = land_leaves(scratch)
        scratch.close()
        records = land_records(args.n, leaves)
        regions, stocks = write_context(files, records, leaves)
        kinds = [args.only] if args.only else ["csv", "xlsx"]
        paths = {k: files / f"changes_{args.n}.{k}" for k in kinds}
        for kind, path in paths.items():
            if path.exists():
                print(f"input: reusing {path}")
                continue
            seconds = (write_csv if kind == "csv" else write_xlsx)(records, path)
            print(f"input: generated {path.name} ({path.stat().st_size / 1024**2:.0f} MB) in {seconds:.1f} s")
        print(f"import of {args.n:,} land change records, best of {args.runs}")
        for kind, path in paths.items():
            figure = float("inf")
            for run in range(args.runs):
                project = fresh_project(folder, f"{kind}{run}", regions, stocks)
                start = time.perf_counter()
                result = import_file(project, path)
                figure = min(figure, time.perf_counter() - start)
                project.close()
                assert result.inserted == args.n, result
            reader = read_csv if kind == "csv" else read_xlsx
            floor = float("inf")
            for run in range(args.runs):
                fresh_project(folder, f"floor{run}", regions, stocks).close()
                floor = min(floor, floor_import(path, reader, folder / f"floor{run}.db"))
            print(f"import {args.n:,} land change records ({kind.upper()}) {figure:7.2f} s   "
                  f"floor {floor:6.2f} s   ratio {figure / floor:5.2f}")
        if args.profile:
            for kind, path in paths.items():
                project = fresh_project(folder, f"profile_{kind}", regions, stocks)
                profile(project, path)
                project.close()


if __name__ == "__main__":
    main()
