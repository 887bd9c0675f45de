"""Deterministic parcel snapshots (图斑) for the benchmarks (not a benchmark itself).

``parcel_snapshots(n, leaves)`` draws n parcels for the first year and the second year's snapshot
of the same county from a fixed seed: the same n gives the same files on every run and every
machine. Between the years about 3 % of the parcels change class, 1 % are re-measured (area
changes), 0.2 % disappear (split or merged away) and as many new ids appear. Classes follow a
rough county mix (mostly 耕地, 林地, 农村宅基地, 农村道路, 坑塘) and include suffixed survey codes
(0201K, 0301K, 1104A …); areas are in 平方米 as survey exports carry them (median about 2,500 m²).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

REGION, YEAR_FROM, YEAR_TO = "990001", 2020, 2021
CHANGE_SHARE, REMEASURE_SHARE, GONE_SHARE = 0.03, 0.01, 0.002
HEAVY = {"0101": 12, "0103": 10, "0301": 14, "0305": 4, "0307": 3, "0702": 8, "1006": 6, "1104": 5,
         "1203": 3, "0201": 4, "0404": 3, "1101": 2, "0601": 2, "1003": 2}
SUFFIXED = ("0201K", "0301K", "0307K", "1104A", "1104K", "0810A")
COLUMNS = ["区划代码", "年度", "标识码", "地类编码", "图斑面积", "城镇村属性码", "权属性质", "单位"]


def land_classes(project) -> list[str]:  # noqa: ANN001
    """The land account's leaves under 土地总面积 (the classes a parcel may carry)."""
    account = project.catalog.accounts["land"]
    return [c for c in account.stock_leaves() if account.ancestors(c)[-1] == "T"]


def _draw_classes(rng: np.random.Generator, codes: np.ndarray, n: int) -> np.ndarray:
    weights = np.array([HEAVY.get(c, 0.3) for c in codes], dtype=float)
    drawn = codes[rng.choice(len(codes), n, p=weights / weights.sum())]
    suffixed = rng.random(n) < 0.04  # some parcels carry a suffixed survey code of their class family
    drawn[suffixed] = np.array(SUFFIXED, dtype=object)[rng.integers(0, len(SUFFIXED), int(suffixed.sum()))]
    return drawn


def parcel_snapshots(n: int, leaves: list[str], seed: int = 11) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two snapshots (columns as ``COLUMNS``), first year and second year."""
    rng = np.random.default_rng(seed)
    codes = np.array(leaves, dtype=object)
    ids = np.char.add("440", np.char.zfill(np.arange(1, n + 1).astype(str), 12)).astype(object)
    area = np.round(rng.lognormal(np.log(2500.0), 1.0, n), 2)  # 平方米
    first = pd.DataFrame({
        "区划代码": REGION, "年度": YEAR_FROM, "标识码": ids, "地类编码": _draw_classes(rng, codes, n),
        "图斑面积": area,
        "城镇村属性码": np.where(rng.random(n) < 0.15, np.array(["201", "202", "203"], dtype=object)[
            rng.integers(0, 3, n)], ""),
        "权属性质": np.where(rng.random(n) < 0.7, "20", "10"), "单位": "平方米",
    })
    second = first.copy()
    second["年度"] = YEAR_TO
    changed = rng.random(n) < CHANGE_SHARE
    second.loc[changed, "地类编码"] = _draw_classes(rng, codes, int(changed.sum()))
    remeasured = rng.random(n) < REMEASURE_SHARE
    second.loc[remeasured, "图斑面积"] = np.round(area[remeasured] * rng.uniform(0.8, 1.2, int(remeasured.sum())), 2)
    gone = rng.random(n) < GONE_SHARE
    new = second[gone].copy()
    new["标识码"] = np.char.add("441", np.char.zfill(np.arange(1, len(new) + 1).astype(str), 12)).astype(object)
    second = pd.concat([second[~gone], new], ignore_index=True)
    return first, second


def write_csv(frame: pd.DataFrame, path: Path) -> float:
    """Write a snapshot as UTF-8 CSV; returns the seconds it took."""
    start = time.perf_counter()
    frame.to_csv(path, index=False, float_format="%.2f")
    return time.perf_counter() - start


def write_regions(folder: Path, total_m2: float) -> Path:
    """regions.csv with the benchmark county (its area: the first snapshot's total)."""
    path = folder / "regions.csv"
    path.write_text(f"region,name,area,unit\n{REGION},基准县,{total_m2 / 10_000:.4f},公顷\n", encoding="utf-8")
    return path
