"""Build the shipped report template ``balance_sheet.xlsx`` (run: ``python templates/build_templates.py``).

The template is an ordinary workbook: after building it, users edit it in Excel/WPS. This script
exists so the shipped file can be regenerated when the catalog's first-level land classes change
(the transition-matrix sheet has one column per class). The placeholder language is described in
templates/README.md.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from balancesheet.catalog import load_catalog

HERE = Path(__file__).resolve().parent
FONT = "宋体"
THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
NUMBER = "#,##0.00"
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
SIGN_OFF = "填报单位：{{filing_unit}}　　　负责人：{{head}}　　　填表人：{{preparer}}　　　报出日期：{{report_date}}"


def _print_setup(ws: Worksheet, landscape: bool, title_rows: str | None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.font = FONT
    if title_rows:
        ws.print_title_rows = title_rows


def _title(ws: Worksheet, text: str, unit_line: str, ncols: int) -> None:
    last = get_column_letter(ncols)
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = text
    ws["A1"].font = Font(name=FONT, size=16, bold=True)
    ws["A1"].alignment = CENTER
    ws.row_dimensions[1].height = 30
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = unit_line
    ws["A2"].font = Font(name=FONT, size=10)
    ws["A2"].alignment = Alignment(horizontal="right", vertical="center")


def _header_cell(ws: Worksheet, ref: str, text: str) -> None:
    ws[ref] = text
    ws[ref].font = Font(name=FONT, size=10, bold=True)
    ws[ref].alignment = CENTER
    ws[ref].fill = HEAD_FILL
    ws[ref].border = GRID


def _style_range(ws: Worksheet, cells: str) -> None:
    """Border and shade every cell of a header block (merged cells' hidden parts included)."""
    for row in ws[cells]:
        for cell in row:
            cell.border = GRID
            cell.fill = HEAD_FILL


def _table_row(ws: Worksheet, row: int, table: str, fields: list[tuple[str, str]]) -> None:
    """fields: (field, kind) with kind 'text' | 'number' | 'center'."""
    for col, (field, kind) in enumerate(fields, start=1):
        cell = ws.cell(row=row, column=col, value=f"{{{{{table}.{field}}}}}")
        cell.font = Font(name=FONT, size=10)
        cell.border = GRID
        if kind == "number":
            cell.number_format = NUMBER
            cell.alignment = RIGHT
        elif kind == "center":
            cell.alignment = CENTER
        else:
            cell.alignment = LEFT


def _sign_off(ws: Worksheet, row: int, ncols: int) -> None:
    last = get_column_letter(ncols)
    ws.merge_cells(f"A{row}:{last}{row}")
    ws[f"A{row}"] = SIGN_OFF
    ws[f"A{row}"].font = Font(name=FONT, size=10)
    ws[f"A{row}"].alignment = Alignment(horizontal="left", vertical="center")
    ws.row_dimensions[row].height = 24


def _widths(ws: Worksheet, widths: list[float]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def cover(wb: Workbook) -> None:
    ws = wb.create_sheet("封面")
    _widths(ws, [14, 50])
    ws.merge_cells("A3:B3")
    ws["A3"] = "{{title}}"
    ws["A3"].font = Font(name=FONT, size=20, bold=True)
    ws["A3"].alignment = CENTER
    ws.row_dimensions[3].height = 60
    lines = [("填报单位", "{{filing_unit}}"), ("区划代码", "{{region_code}}"), ("报告期", "{{span}}"),
             ("负责人", "{{head}}"), ("填表人", "{{preparer}}"), ("报出日期", "{{report_date}}")]
    for offset, (label, value) in enumerate(lines):
        r = 6 + offset * 2
        ws[f"A{r}"] = f"{label}："
        ws[f"A{r}"].font = Font(name=FONT, size=12, bold=True)
        ws[f"A{r}"].alignment = Alignment(horizontal="right")
        ws[f"B{r}"] = value
        ws[f"B{r}"].font = Font(name=FONT, size=12)
    ws.merge_cells("A20:B20")
    ws["A20"] = "本表为实物量账户；不同资源的实物量单位不同，不相加。"
    ws["A20"].font = Font(name=FONT, size=10, italic=True)
    ws["A20"].alignment = CENTER
    _print_setup(ws, landscape=False, title_rows=None)


def balance(wb: Workbook) -> None:
    ws = wb.create_sheet("资产负债总表")
    headers = ["资源", "代码", "项目", "单位", "资产（期末存量）", "负债（缺口/超出）", "净资产", "说明"]
    _title(ws, "{{region_name}}{{span}}自然资源资产负债总表", "单位：见各行（实物量，不同资源不相加）", len(headers))
    for col, text in enumerate(headers, start=1):
        _header_cell(ws, f"{get_column_letter(col)}4", text)
    _table_row(ws, 5, "balance", [("resource", "center"), ("code", "center"), ("name", "text"), ("unit", "center"),
                                  ("asset", "number"), ("liability", "number"), ("net", "number"), ("note", "text")])
    _sign_off(ws, 7, len(headers))
    _widths(ws, [10, 7, 24, 10, 16, 16, 16, 40])
    _print_setup(ws, landscape=True, title_rows="4:4")


RESOURCE_SHEETS = (("land", "土地", "土地资源"), ("forest", "森林", "森林资源"),
                   ("water", "水资源", "水资源"), ("wetland", "湿地", "湿地资源"))


def change_sheet(wb: Workbook, resource: str, sheet: str, name: str) -> None:
    ws = wb.create_sheet(sheet)
    ncols = 15
    _title(ws, f"{{{{region_name}}}}{{{{span}}}}{name}存量及变动表",
           f"单位：{{{{{resource}_unit}}}}（另注单位者除外）", ncols)
    single = {"A": "代码", "B": "项目", "C": "单位", "D": "期初存量", "M": "期末存量（计算）",
              "N": "期末存量（实测）", "O": "差异（实测−计算）"}
    for col, text in single.items():
        ws.merge_cells(f"{col}4:{col}5")
        _header_cell(ws, f"{col}4", text)
    ws.merge_cells("E4:H4")
    _header_cell(ws, "E4", "本期增加")
    ws.merge_cells("I4:L4")
    _header_cell(ws, "I4", "本期减少")
    for first in (5, 9):  # E and I: the factor columns under 本期增加 / 本期减少
        for k, text in enumerate(["人为因素", "自然因素", "其他因素", "合计"]):
            _header_cell(ws, f"{get_column_letter(first + k)}5", text)
    _style_range(ws, "A4:O5")
    fields = [("code", "center"), ("name", "text"), ("unit", "center"), ("opening", "number"),
              ("add_human", "number"), ("add_natural", "number"), ("add_other", "number"), ("additions", "number"),
              ("red_human", "number"), ("red_natural", "number"), ("red_other", "number"), ("reductions", "number"),
              ("closing", "number"), ("observed_closing", "number"), ("discrepancy", "number")]
    _table_row(ws, 6, resource, fields)
    ws.merge_cells("A8:O8")
    ws["A8"] = "注：期末存量（计算）= 期初存量 + 本期增加 − 本期减少；年度流量项目与计算项只列本期数。"
    ws["A8"].font = Font(name=FONT, size=9)
    _sign_off(ws, 9, ncols)
    _widths(ws, [7, 26, 8] + [13] * 12)
    ws.row_dimensions[4].height = 20
    ws.row_dimensions[5].height = 20
    _print_setup(ws, landscape=True, title_rows="4:5")


def matrix(wb: Workbook) -> None:
    land = load_catalog().accounts["land"]
    root = next(c for c in land.order if land.items[c].parent is None)
    classes = [c for c in land.children[root]]
    ws = wb.create_sheet("转移矩阵")
    ncols = 3 + len(classes)
    _title(ws, "{{region_name}}{{year_from}}年末—{{year}}年末土地利用转移矩阵", "单位：公顷", ncols)
    ws.merge_cells(f"A3:{get_column_letter(ncols)}3")
    ws["A3"] = "{{matrix_note}}"
    ws["A3"].font = Font(name=FONT, size=9)
    ws["A3"].alignment = LEFT
    _header_cell(ws, "A4", "代码")
    _header_cell(ws, "B4", "期初地类＼期末地类")
    for k, code in enumerate(classes):
        _header_cell(ws, f"{get_column_letter(3 + k)}4", f"{code}\n{land.items[code].name}")
    _header_cell(ws, f"{get_column_letter(ncols)}4", "期初合计")
    ws.row_dimensions[4].height = 48
    fields = [("code", "center"), ("name", "text")] + [(f"c{c}", "number") for c in classes] + [("total", "number")]
    _table_row(ws, 5, "matrix", fields)
    _sign_off(ws, 7, ncols)
    _widths(ws, [6, 16] + [11] * len(classes) + [12])
    _print_setup(ws, landscape=True, title_rows="4:4")


def indicators(wb: Workbook) -> None:
    ws = wb.create_sheet("指标")
    headers = ["代码", "指标", "单位", "本年", "上年", "变化", "目标", "要求", "完成情况"]
    _title(ws, "{{region_name}}{{year}}年自然资源主要指标及目标完成情况", "", len(headers))
    for col, text in enumerate(headers, start=1):
        _header_cell(ws, f"{get_column_letter(col)}4", text)
    _table_row(ws, 5, "indicators", [("code", "center"), ("name", "text"), ("unit", "center"), ("value", "number"),
                                     ("previous", "number"), ("change", "number"), ("target", "number"),
                                     ("op", "center"), ("status", "text")])
    _sign_off(ws, 7, len(headers))
    _widths(ws, [7, 26, 12, 15, 15, 13, 15, 6, 28])
    _print_setup(ws, landscape=True, title_rows="4:4")


def problems(wb: Workbook) -> None:
    ws = wb.create_sheet("校验问题")
    headers = ["级别", "类型", "资源", "项目", "期望值", "实际值", "差额", "说明"]
    _title(ws, "{{region_name}}{{year}}年数据校验问题清单", "", len(headers))
    for col, text in enumerate(headers, start=1):
        _header_cell(ws, f"{get_column_letter(col)}4", text)
    _table_row(ws, 5, "problems", [("severity", "center"), ("kind", "center"), ("resource", "center"),
                                   ("item", "center"), ("expected", "number"), ("actual", "number"),
                                   ("difference", "number"), ("message", "text")])
    ws.merge_cells("A7:H7")
    ws["A7"] = "无问题时本表为空。容差见各问题说明。"
    ws["A7"].font = Font(name=FONT, size=9)
    _widths(ws, [6, 12, 8, 8, 14, 14, 12, 60])
    _print_setup(ws, landscape=True, title_rows="4:4")


def build(path: Path = HERE / "balance_sheet.xlsx") -> Path:
    """Write the balance-sheet template to ``path``."""
    wb = Workbook()
    wb.remove(wb.active)
    cover(wb)
    balance(wb)
    for resource, sheet, name in RESOURCE_SHEETS:
        change_sheet(wb, resource, sheet, name)
    matrix(wb)
    indicators(wb)
    problems(wb)
    wb.save(path)
    return path


if __name__ == "__main__":
    print(build())
