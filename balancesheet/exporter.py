"""Export stored data in the tidy interchange formats (the same files the importer reads).

Import → export → import gives identical data. A text that a spreadsheet would run as a formula
(starting with = + - @, tab, CR or ＝＋－＠, numbers excepted) is protected as
:mod:`balancesheet.safe_text` says: in a CSV it gets a leading apostrophe (which the importer takes
off again), in an XLSX it is written as a string cell, never a formula.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from balancesheet.errors import UserError
from balancesheet.safe_text import guard_series, write_text_cell

if TYPE_CHECKING:
    from balancesheet.project import Project

KINDS = ("stocks", "flows", "land_changes")


def export_frame(project: Project, kind: str, region: str | None = None) -> pd.DataFrame:
    """The rows of ``kind`` (stocks, flows, land_changes) as a tidy DataFrame with English headers
    (text exactly as stored: the writers protect it)."""
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
    return frame


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]


def export_tidy(project: Project, kind: str, path: Path, region: str | None = None) -> int:
    """Write ``kind`` to ``path`` (CSV UTF-8 with BOM so Excel/WPS opens it, or XLSX); return rows."""
    frame = export_frame(project, kind, region)
    if path.suffix.lower() == ".xlsx":
        _write_xlsx(frame, path, kind)
    else:
        for column in _text_columns(frame):
            frame[column] = guard_series(frame[column])
        frame.to_csv(path, index=False, encoding="utf-8-sig")  # shortest exact float text
    return len(frame)


def _write_xlsx(frame: pd.DataFrame, path: Path, sheet: str) -> None:
    """One sheet: numbers as numbers, text as string cells (never formulas: pandas' writer would
    make a formula of any text starting with '=')."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet(sheet)
    ws.append(list(frame.columns))
    texts = {frame.columns.get_loc(c) for c in _text_columns(frame)}
    values = frame.astype(object).where(frame.notna(), None)

    def text_cell(value: object) -> object:
        cell = WriteOnlyCell(ws)
        write_text_cell(cell, str(value))
        return cell

    for row in values.itertuples(index=False, name=None):  # openpyxl writes row by row
        ws.append([text_cell(v) if i in texts and v is not None else v for i, v in enumerate(row)])
    book.save(path)
