"""Import the official wide 存量及变动表 (kind ``wide``): the layout the tool exports and hand-made
variants of it, one sheet or every such sheet of a workbook, all or nothing.

What is imported (README 数据交换格式 → 存量及变动表):
- the closing stock (期末存量（实测）, or 期末存量) of every row that is a leaf item, or a parent
  item none of whose items the sheet lists; annual quantities (kind flow) likewise;
- the opening (期初存量) as the stocks of the year before, only when the project holds no stocks
  of that resource, region and year (else it is compared with them and differences are noted);
- nothing from 本期增加/本期减少: a wide table does not say from which class to which class an
  area moved, nor which cause; they are compared with the project's stored flows instead.
Subtotals (parent items, groups such as 农用地) are recomputed by the ledger: each is checked
against its items and a mismatch rejects the file with its row and column. Derived items
(森林覆盖率 …) are not imported; where they can be recomputed, a difference is noted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from balancesheet.errors import ImportRejected, Issue, Location
from balancesheet.importer.readers import RawTable, read_grid
from balancesheet.importer.validate import Checker
from balancesheet.importer.wide_items import Indexes
from balancesheet.importer.wide_layout import COLUMNS, SheetLayout, find_layout, sheet_texts
from balancesheet.importer.wide_meta import Context, RegionRow, sheet_about
from balancesheet.importer.wide_rows import raw_table, read_rows, resource_from_rows
from balancesheet.importer.writer import Progress, WriteCounts, write_stocks

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from balancesheet.project import Project
    from balancesheet.store import Store
    from balancesheet.store.schema import ImportBatch

WIDE = "wide"
WIDE_COLUMNS = COLUMNS
SNIFF_ROWS = 40  # the header of a 存量及变动表 starts within its first rows


@dataclass
class WideSheet:
    """One sheet read: where it came from, what it is about, and its rows resolved."""

    table: RawTable
    layout: SheetLayout
    region: str
    year: int
    year_from: int
    resource: str
    rows: pd.DataFrame  # row, item, kind, label, unit, factor, store, <value fields in base unit>


@dataclass
class WideData:
    """A read 存量及变动表 file: the stocks to write and what was noted. len() = closing rows."""

    closing: pd.DataFrame            # region_code, year, resource, item, unit, value
    opening: pd.DataFrame            # the same for the year before, to write (may be empty)
    sheets: list[WideSheet] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.closing)


def sniff(path: Path, sheet: str | None = None) -> bool:
    """True if ``path`` (or its ``sheet``) holds a 存量及变动表 layout."""
    try:
        grids = read_grid(path, sheet, nrows=SNIFF_ROWS)
    except ImportRejected:
        return False
    return any(find_layout(g, name) is not None for name, g in grids.items())


def read_wide(project: Project, path: Path, sheet: str | None = None, region: str | None = None,
              year: int | None = None, columns: dict[str, str] | None = None) -> WideData:
    """Read and check every 存量及变动表 sheet of ``path`` (or only ``sheet``) without writing.

    ``region``/``year`` (command line) are used where the file does not state them.
    ``columns`` maps column labels (as the preview shows them) to fields, overriding recognition.
    Raise ImportRejected listing every problem with its sheet, row and column.
    """
    from balancesheet.importer.wide_checks import compare_flows, derived_notes, plan_openings

    grids = read_grid(path, sheet)
    layouts = {name: find_layout(g, name) for name, g in grids.items()}
    if not any(layouts.values()):
        where = f"工作表「{sheet}」" if sheet else path.name
        raise ImportRejected(
            f"{where} 不是存量及变动表：没有找到含「项目/代码」和「期初存量/本期增加/期末存量」的表头行。"
            "请核对文件，或用 --kind 指定其他类型。",
            f"{path.name}: no 存量及变动表 layout found (a header with item and opening/closing columns).")
    ctx = Context(path.name, _regions(project), Indexes(project.catalog),
                  [t for n, g in grids.items() if layouts[n] is None for t in sheet_texts(g)],
                  region, year, columns)
    sheets: list[WideSheet] = []
    issues: list[Issue] = []
    notes: list[str] = []
    for layout in layouts.values():  # a workbook's sheets: a handful
        if layout is None:
            continue
        read, sheet_issues, sheet_notes = _read_sheet(ctx, layout)
        issues += sheet_issues
        notes += sheet_notes
        if read is not None:
            sheets.append(read)
    issues += _same_table_twice(ctx.file, sheets)
    order = {name: i for i, name in enumerate(layouts)}
    issues.sort(key=lambda i: (order.get(i.location.sheet, 0), i.location.row or 0, i.location.column or ""))
    if issues:
        raise ImportRejected(
            f"{path.name} 有 {len(issues)} 处错误，未导入任何数据（数据库未改动）。请改正后重新导入。",
            f"{path.name}: {len(issues)} error(s); nothing was imported.", issues)
    closing = _stocks(sheets, "closing")
    opening, opening_notes = plan_openings(project, sheets, closing)
    notes += opening_notes + derived_notes(project.catalog, sheets) + compare_flows(project, sheets)
    skipped = [n for n, lay in layouts.items() if lay is None]
    if skipped and len(layouts) > 1:
        notes.append(f"已读取 {len(sheets)} 个存量及变动表工作表（{'、'.join(s.table.sheet or '' for s in sheets)}），"
                     f"其他工作表不是此格式，已略过：{'、'.join(str(n) for n in skipped)}")
    return WideData(closing, opening, sheets, notes)


def _regions(project: Project) -> list[RegionRow]:
    frame = project.store.read_sql("SELECT code, name, parent_code FROM region")
    return [RegionRow(str(c), str(n), p if isinstance(p, str) else None)
            for c, n, p in frame.itertuples(index=False)]


def _read_sheet(ctx: Context, layout: SheetLayout) -> tuple[WideSheet | None, list[Issue], list[str]]:
    """One sheet: region/year/resource, items, numbers, units, subtotals."""
    from balancesheet.importer.wide_checks import mark_stored, subtotal_issues

    table, fields = raw_table(ctx.file, layout, ctx.columns)
    where = Location(ctx.file, layout.sheet)
    place = f"工作表「{layout.sheet}」" if layout.sheet else ctx.file
    issues: list[Issue] = []
    notes = [f"{place}：未识别的列已忽略：{'、'.join(layout.unknown)}"] if layout.unknown else []
    if "closing" not in fields and "computed" in fields:
        fields["closing"] = fields.pop("computed")
        notes.append(f"{place}没有「期末存量（实测）」列，以「{fields['closing']}」为期末存量")
    if "code" not in fields and "name" not in fields:
        issues.append(Issue(where, "没有「代码」或「项目」列，无法识别各行的项目", "no item column"))
    if "closing" not in fields:
        issues.append(Issue(where, "没有「期末存量」列，没有可导入的存量", "no closing column"))
    region, year, year_from, resource = sheet_about(ctx, layout, issues)
    resource = resource or resource_from_rows(ctx.indexes, table, fields)
    if resource is None:
        issues.append(Issue(where, "无法确定是哪类资源的表：标题（如「…土地资源存量及变动表」）、"
                                   "工作表名（土地/森林/水资源/湿地）和各行项目都未能确定", "unknown resource"))
    if issues or resource is None:
        return None, issues, notes
    ck = Checker(table, fields)
    index = ctx.indexes.by_resource[resource]
    rows = read_rows(ck, index, layout, fields)
    for column in ("closing", "opening"):
        if column in rows:
            rows[f"store_{column}"] = mark_stored(index.account, rows, column)
            ck.reject(rows[f"store_{column}"] & (rows[column] < 0), column, "存量不能为负数",
                      "a stock must not be negative")
    if ck.issues:
        return None, issues + ck.issues, notes
    issues += subtotal_issues(table, index.account, rows, fields)
    headings = rows[rows["item"].isna()]
    if not headings.empty:
        notes.append(f"{place}第 {'、'.join(str(r) for r in headings['row'])} 行"
                     "没有数值、也不是目录中的项目，视为标题行，已略过")
    sheet = WideSheet(table, layout, region, year, year_from, resource, rows[rows["item"].notna()])
    return sheet, issues, notes


def _same_table_twice(file: str, sheets: list[WideSheet]) -> list[Issue]:
    seen: dict[tuple[str, int, str], str | None] = {}
    issues = []
    for s in sheets:
        key = (s.region, s.year, s.resource)
        if key in seen:
            issues.append(Issue(Location(file, s.table.sheet),
                                f"与工作表「{seen[key]}」是同一区划、年度、资源的表（{s.region} {s.year} 年 {s.resource}），"
                                "只能导入一个", "the same table twice"))
        seen[key] = s.table.sheet
    return issues


def _stocks(sheets: Iterable[WideSheet], column: str) -> pd.DataFrame:
    """The stocks a column of the sheets gives for their stored rows (region, year, resource, item …)."""
    parts = []
    for s in sheets:
        if column not in s.rows:
            continue
        rows = s.rows[s.rows[f"store_{column}"] & s.rows[column].notna()]
        parts.append(pd.DataFrame({"region_code": s.region, "year": s.year,
                                   "resource": s.resource, "item": rows["item"], "unit": rows["unit"],
                                   "value": rows[column]}))
    columns = ["region_code", "year", "resource", "item", "unit", "value"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def prepare_wide(project: Project, path: Path, sheet: str | None = None, region: str | None = None,
                 year: int | None = None, columns: dict[str, str] | None = None,
                 ) -> tuple[RawTable, str, Checker, WideData]:
    """:func:`read_wide` shaped as importer.prepare's answer: (first sheet, kind, checker with the
    notes, data)."""
    data = read_wide(project, path, sheet, region, year, columns)
    table = data.sheets[0].table if data.sheets else RawTable(path.name, sheet, pd.DataFrame(), [])
    checker = Checker(table, {})
    checker.notes = list(data.notes)
    return table, WIDE, checker, data


def write_wide(store: Store, session: Session, data: WideData, batch: ImportBatch, replace: bool,
               progress: Progress | None) -> WriteCounts:
    """Write the closing stocks (and the openings planned for years without data) in the import's
    transaction, each value change logged as for a stocks file."""
    counts = write_stocks(store, session, data.closing, batch, replace, progress)
    if not data.opening.empty:
        more = write_stocks(store, session, data.opening, batch, replace, progress)
        counts.inserted += more.inserted
        counts.updated += more.updated
        counts.unchanged += more.unchanged
    return counts


__all__ = ["WIDE", "WIDE_COLUMNS", "WideData", "WideSheet", "prepare_wide", "read_wide", "sniff", "write_wide"]
