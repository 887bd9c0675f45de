"""Text, CSV and JSON renderings of the 存量及变动表 and the transition matrix."""

from __future__ import annotations

from typing import Any

import pandas as pd

from balancesheet.cli.output import number, render, to_csv, to_json
from balancesheet.ledger.changes import FACTOR_CODES, ChangeTable
from balancesheet.ledger.matrix import TransitionMatrix

_FACTOR_ZH = {"human": "人为", "natural": "自然", "other": "其他"}
CSV_COLUMNS = ["item", "name", "parent", "kind", "unit", "opening",
               *[f"add_{f}" for f in FACTOR_CODES], "additions",
               *[f"red_{f}" for f in FACTOR_CODES], "reductions",
               "closing", "observed_closing", "discrepancy"]


def _title(project: Any, region: str) -> str:
    return f"{region} {project.region(region).name}"


def print_change_table(project: Any, table: ChangeTable, fmt: str) -> None:
    """Print ``table`` as text, CSV or JSON."""
    if fmt == "json":
        print(to_json(table.to_json()))
        return
    rows = table.rows
    if fmt == "csv":
        values = rows[CSV_COLUMNS].astype(object).where(rows[CSV_COLUMNS].notna(), "")
        print(to_csv(CSV_COLUMNS, values.values.tolist()), end="")
        return
    account = table.account
    span = (f"{table.year_to} 年" if table.year_to - table.year_from == 1
            else f"{table.year_from} 年末至 {table.year_to} 年末")
    print(f"{_title(project, table.region)}  {span}  {account.name}存量及变动表")
    print(f"单位：{table.unit}（另注单位者除外）；增加/减少按 人为/自然/其他 因素分列；"
          "期末(计算) = 期初 + 增加 − 减少")
    headers = ["代码", "项目", "单位", "期初存量",
               *[f"增加·{_FACTOR_ZH[f]}" for f in FACTOR_CODES], "增加合计",
               *[f"减少·{_FACTOR_ZH[f]}" for f in FACTOR_CODES], "减少合计",
               "期末(计算)", "期末(实测)", "差异"]
    out = []
    for r in rows.to_dict("records"):
        if r["kind"] == "group" and pd.isna(r["observed_closing"]) and pd.isna(r["opening"]):
            continue
        indent = "  " * int(r["depth"])
        name = indent + r["name"] + ("（合计）" if r["kind"] == "group" else "")
        unit = "" if r["unit"] == table.unit else r["unit"]
        if r["kind"] in ("flow", "derived"):
            cells = [""] * 10 + [number(r["observed_closing"]), ""]
            cells[0] = number(r["opening"]) if r["kind"] == "derived" else ""
        else:
            cells = [number(r["opening"]),
                     *[number(r[f"add_{f}"]) for f in FACTOR_CODES], number(r["additions"]),
                     *[number(r[f"red_{f}"]) for f in FACTOR_CODES], number(r["reductions"]),
                     number(r["closing"]), number(r["observed_closing"]), _diff(r["discrepancy"])]
        out.append([r["item"], name, unit, *cells])
    print(render(headers, out, [False, False, False] + [True] * 12))
    print("注：年度流量项目（水资源量、用水量等）与计算项只列本期数；计算项的期初列为上年数。")


def _diff(v: Any) -> str:
    if v is None or pd.isna(v) or abs(v) < 0.005:
        return ""
    return number(v)


def print_matrix(project: Any, m: TransitionMatrix, fmt: str) -> None:
    """Print ``m`` as text, CSV or JSON."""
    if fmt == "json":
        print(to_json(m.to_json()))
        return
    if fmt == "csv":
        rows = [[c, n, *[round(float(v), 6) for v in row], round(float(s), 6)]
                for c, n, row, s in zip(m.classes, m.names, m.cells, m.row_sums, strict=True)]
        rows.append(["total", "期末合计", *[round(float(v), 6) for v in m.column_sums], ""])
        print(to_csv(["class", "name", *m.classes, "row_sum"], rows), end="")
        return
    print(f"{_title(project, m.region)}  土地利用转移矩阵  {m.year_from} 年末 → {m.year_to} 年末")
    print(f"单位：{m.unit}；行 = {m.year_from} 年末地类（行合计 = 期初存量），"
          f"列 = {m.year_to} 年末地类（列合计 = 期末存量），对角线 = 未变化面积")
    headers = ["代码", "地类", *m.classes, "期初合计"]
    out = [[c, n, *[number(v) for v in row], number(s)]
           for c, n, row, s in zip(m.classes, m.names, m.cells, m.row_sums, strict=True)]
    out.append(["", "期末合计", *[number(v) for v in m.column_sums], number(m.column_sums.sum())])
    out.append(["", "期末实测", *[number(v) for v in m.closing_observed], ""])
    print(render(headers, out, [False, False] + [True] * (len(m.classes) + 1)))
    for note in m.notes:
        print(f"注：{note}")
