"""Deterministic land change records for the benchmarks (not a benchmark itself).

``land_records(n, leaves)`` draws n transfers between land classes with several causes, areas of
0.01–0.50 ha in hundredths, from a fixed seed: the same n gives the same records on every run and
every machine. The stocks are consistent with the records (closing = opening + transfers), so the
year's checks find a balanced account.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

REGION, YEAR = "990001", 2021
CAUSES = ("CON", "AGR", "ECO", "REC", "DIS", "SUR", "NA")  # land transfer causes (accounts/land.toml)
OPENING_HA = 100_000.0  # per class: far above what a million small records move away


def land_leaves(project) -> list[str]:  # noqa: ANN001
    """The land account's stock leaves under 土地总面积 (the classes change records use)."""
    account = project.catalog.accounts["land"]
    return [c for c in account.stock_leaves() if account.ancestors(c)[-1] == "T"]


def land_records(n: int, leaves: list[str], year: int = YEAR, seed: int = 7) -> pd.DataFrame:
    """n change records (region, year, from, to, area, cause, unit) as the land changes format."""
    rng = np.random.default_rng(seed)
    src = rng.integers(0, len(leaves), n)
    dst = (src + rng.integers(1, len(leaves), n)) % len(leaves)  # never the same class
    codes = np.array(leaves, dtype=object)
    return pd.DataFrame({
        "region": REGION, "year": year, "from": codes[src], "to": codes[dst],
        "area": rng.integers(1, 51, n) / 100.0,
        "cause": np.array(CAUSES, dtype=object)[rng.integers(0, len(CAUSES), n)], "unit": "公顷",
    })


def write_context(folder: Path, records: pd.DataFrame, leaves: list[str]) -> tuple[Path, Path]:
    """regions.csv and stocks.csv (end of YEAR−1 and YEAR) consistent with ``records``."""
    year = int(records["year"].iloc[0])
    opening = pd.Series(OPENING_HA, index=leaves)
    moved_out = records.groupby("from")["area"].sum().reindex(leaves, fill_value=0.0)
    moved_in = records.groupby("to")["area"].sum().reindex(leaves, fill_value=0.0)
    closing = (opening - moved_out + moved_in).round(2)
    regions = folder / "regions.csv"
    regions.write_text(f"region,name,area,unit\n{REGION},基准县,{OPENING_HA * len(leaves):.2f},公顷\n",
                       encoding="utf-8")
    stocks = folder / "stocks.csv"
    lines = ["region,year,resource,item,value,unit"]
    lines += [f"{REGION},{year - 1},land,{c},{v:.2f},公顷" for c, v in opening.items()]
    lines += [f"{REGION},{year},land,{c},{v:.2f},公顷" for c, v in closing.items()]
    stocks.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return regions, stocks


def write_csv(records: pd.DataFrame, path: Path) -> float:
    """Write the records as UTF-8 CSV; returns the seconds it took."""
    start = time.perf_counter()
    records.to_csv(path, index=False, float_format="%.2f")
    return time.perf_counter() - start


def write_xlsx(records: pd.DataFrame, path: Path) -> float:
    """Write the records as one sheet with openpyxl's write_only mode; returns the seconds."""
    from openpyxl import Workbook

    start = time.perf_counter()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("变更记录")
    ws.append(list(records.columns))
    for row in records.itertuples(index=False, name=None):  # generating the input file, not the tool
        ws.append(row)
    wb.save(path)
    return time.perf_counter() - start
