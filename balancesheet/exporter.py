"""Export stored data in the tidy interchange formats (the same files the importer reads).

Import → export → import gives identical data. A text cell that a spreadsheet would read as a
formula (starting with = + - @) gets a leading single quote, so Excel/WPS shows it as text.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from balancesheet.errors import UserError

if TYPE_CHECKING:
    from balancesheet.project import Project

KINDS = ("stocks", "flows", "land_changes")
_FORMULA_START = ("=", "+", "-", "@")


def _guard(series: pd.Series) -> pd.Series:
    text = series.astype(str)
    return text.where(~text.str.startswith(_FORMULA_START), "'" + text)


def export_frame(project: Project, kind: str, region: str | None = None) -> pd.DataFrame:
    """The rows of ``kind`` (stocks, flows, land_changes) as a tidy DataFrame with English headers."""
    where, params = ("WHERE region_code = :r", {"r": region}) if region else ("", {})
    if kind == "stocks":
        frame = project.store.read_sql(
            f"SELECT region_code AS region, year, resource, item, value, unit FROM stock {where} "
            "ORDER BY region_code, year, resource, item", params)
    elif kind == "flows":
        cond = f"{where} {'AND' if where else 'WHERE'} (from_item IS NULL OR to_item IS NULL)"
        frame = project.store.read_sql(
            "SELECT region_code AS region, year, resource, COALESCE(to_item, from_item) AS item, "
            "CASE WHEN to_item IS NULL THEN 'reduce' ELSE 'add' END AS direction, cause, value "
            f"FROM flow {cond} ORDER BY id", params)
        units = {f"{r}\x1f{c}": a.items[c].unit for r, a in project.catalog.accounts.items() for c in a.items}
        frame["unit"] = (frame["resource"] + "\x1f" + frame["item"]).map(units).fillna("")
    elif kind == "land_changes":
        cond = f"{where} {'AND' if where else 'WHERE'} resource = 'land' AND from_item IS NOT NULL AND to_item IS NOT NULL"
        frame = project.store.read_sql(
            "SELECT region_code AS region, year, from_item AS \"from\", to_item AS \"to\", value AS area, cause "
            f"FROM flow {cond} ORDER BY id", params)
        frame["unit"] = project.catalog.accounts["land"].unit
    else:
        raise UserError(f"未知的导出类型「{kind}」，可用：{', '.join(KINDS)}", f"Unknown kind {kind!r}")
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = _guard(frame[column])
    return frame


def export_tidy(project: Project, kind: str, path: Path, region: str | None = None) -> int:
    """Write ``kind`` to ``path`` (CSV UTF-8 with BOM so Excel/WPS opens it, or XLSX); return rows."""
    frame = export_frame(project, kind, region)
    if path.suffix.lower() == ".xlsx":
        frame.to_excel(path, index=False, sheet_name=kind)
    else:
        frame.to_csv(path, index=False, encoding="utf-8-sig")  # shortest exact float text
    return len(frame)
