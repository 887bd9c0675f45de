"""Build the shipped report templates ``balance_sheet.xlsx`` and ``audit.xlsx``
(run: ``python templates/build_templates.py``).

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


def _cover_page(wb: Workbook, widths: list[float], title_height: float,
                lines: list[tuple[str, str]]) -> Worksheet:
    """A cover: the big merged title and label：value lines (the shared shape of both covers)."""
    ws = wb.create_sheet("封面")
    _widths(ws, widths)
    ws.merge_cells("A3:B3")
    ws["A3"] = "{{title}}"
    ws["A3"].font = Font(name=FONT, size=20, bold=True)
    ws["A3"].alignment = CENTER
    ws.row_dimensions[3].height = title_height
    for offset, (label, value) in enumerate(lines):
        r = 6 + offset * 2
        ws[f"A{r}"] = f"{label}："
        ws[f"A{r}"].font = Font(name=FONT, size=12, bold=True)
        ws[f"A{r}"].alignment = Alignment(horizontal="right")
        ws[f"B{r}"] = value
        ws[f"B{r}"].font = Font(name=FONT, size=12)
        ws[f"B{r}"].alignment = Alignment(horizontal="left")
    return ws


def cover(wb: Workbook) -> None:
    ws = _cover_page(wb, [14, 50], 60, [
        ("填报单位", "{{filing_unit}}"), ("区划代码", "{{region_code}}"), ("报告期", "{{span}}"),
        ("负责人", "{{head}}"), ("填表人", "{{preparer}}"), ("报出日期", "{{report_date}}")])
    ws.merge_cells("A20:B20")
    ws["A20"] = "本表为实物量账户；不同资源的实物量单位不同，不相加。"
    ws["A20"].font = Font(name=FONT, size=10, italic=True)
    ws["A20"].alignment = CENTER
    ws.merge_cells("A22:B22")  # 数据说明: data crosswalked from the 二调 classification (empty if none)
    ws["A22"] = "{{data_note}}"
    ws["A22"].font = Font(name=FONT, size=10)
    ws["A22"].alignment = LEFT
    ws.row_dimensions[22].height = 64
    _print_setup(ws, landscape=False, title_rows=None)


RESOURCE_SHEETS = (("land", "土地", "土地资源"), ("forest", "森林", "森林资源"),
                   ("water", "水资源", "水资源"), ("wetland", "湿地", "湿地资源"))


def change_sheet(wb: Workbook, resource: str, sheet: str, name: str) -> None:
    """A 存量及变动表 sheet filled from table ``resource``."""
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


def matrix(wb: Workbook, sheet: str = "转移矩阵") -> None:
    """The transition matrix sheet: one column per first-level land class of the catalog."""
    land = load_catalog().accounts["land"]
    root = next(c for c in land.order if land.items[c].parent is None)
    classes = list(land.children[root])
    ws = wb.create_sheet(sheet)
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


def table_sheet(wb: Workbook, sheet: str, title: str, table: str,
                columns: list[tuple[str, str, str, float]], landscape: bool = True, note: str = "",
                unit_line: str = "", sign_off: bool = False) -> None:
    """A titled table: columns are (header, field, kind, width); optional note and sign-off below."""
    ws = wb.create_sheet(sheet)
    _title(ws, title, unit_line, len(columns))
    for col, (header, _f, _k, width) in enumerate(columns, start=1):
        _header_cell(ws, f"{get_column_letter(col)}4", header)
        ws.column_dimensions[get_column_letter(col)].width = width
    _table_row(ws, 5, table, [(field, kind) for _h, field, kind, _w in columns])
    if note:
        last = get_column_letter(len(columns))
        ws.merge_cells(f"A7:{last}7")
        ws["A7"] = note
        ws["A7"].font = Font(name=FONT, size=9)
        ws["A7"].alignment = LEFT
        ws.row_dimensions[7].height = 30
    if sign_off:
        _sign_off(ws, 8 if note else 7, len(columns))
    _print_setup(ws, landscape=landscape, title_rows="4:4")


def audit_cover(wb: Workbook) -> None:
    ws = _cover_page(wb, [16, 56], 70, [
        ("被审计领导干部", "{{official_name}}"), ("职务", "{{post}}"), ("地区", "{{region_name}}（{{region_code}}）"),
        ("任职期间", "{{tenure_start}} 至 {{tenure_end}}"), ("审计类型", "{{audit_kind}}"),
        ("综合得分", "{{total}}"), ("评价等次", "{{grade}}"), ("报告状态", "{{status}}"),
        ("报出日期", "{{report_date}}")])
    ws["B18"].number_format = "0.00"
    ws.merge_cells("A26:B26")
    ws["A26"] = "数据指纹（SHA-256）：{{fingerprint}}"
    ws["A26"].font = Font(name=FONT, size=8)
    ws["A26"].alignment = LEFT
    ws.row_dimensions[26].height = 28
    _print_setup(ws, landscape=False, title_rows=None)


def audit_basics(wb: Workbook) -> None:
    ws = wb.create_sheet("基本情况")
    _widths(ws, [18, 70])
    ws.merge_cells("A1:B1")
    ws["A1"] = "一、基本情况"
    ws["A1"].font = Font(name=FONT, size=16, bold=True)
    ws["A1"].alignment = CENTER
    rows = [("被审计领导干部", "{{official_name}}（编号 {{official_id}}）"), ("职务", "{{post}}"),
            ("地区", "{{region_name}}（区划代码 {{region_code}}）"),
            ("任职期间", "{{tenure_start}} 至 {{tenure_end}}（{{audit_kind}}）"),
            ("比较的年末", "{{start_year}}年12月31日 与 {{end_year}}年12月31日"),
            ("取数说明", "{{compare_note}}"),
            ("数据来源", "本项目数据库中的自然资源资产负债表（土地、森林、水资源、湿地实物量账户）及目标指标"),
            ("审计评价", "综合得分 {{total}} 分，评价等次：{{grade}}。{{grade_note}}")]
    for k, (label, value) in enumerate(rows, start=3):
        ws[f"A{k}"] = label
        ws[f"A{k}"].font = Font(name=FONT, size=11, bold=True)
        ws[f"A{k}"].alignment = CENTER
        ws[f"A{k}"].border = GRID
        ws[f"A{k}"].fill = HEAD_FILL
        ws[f"B{k}"] = value
        ws[f"B{k}"].font = Font(name=FONT, size=11)
        ws[f"B{k}"].alignment = LEFT
        ws[f"B{k}"].border = GRID
        ws.row_dimensions[k].height = 48 if label in ("取数说明", "审计评价") else 22
    _print_setup(ws, landscape=False, title_rows=None)


def balance(wb: Workbook) -> None:
    num, txt, ctr = "number", "text", "center"
    table_sheet(wb, "资产负债总表", "{{region_name}}{{span}}自然资源资产负债总表", "balance", [
        ("资源", "resource", ctr, 10), ("代码", "code", ctr, 7), ("项目", "name", txt, 24), ("单位", "unit", ctr, 10),
        ("资产（期末存量）", "asset", num, 16), ("负债（缺口/超出）", "liability", num, 16), ("净资产", "net", num, 16),
        ("说明", "note", txt, 40)], unit_line="单位：见各行（实物量，不同资源不相加）", sign_off=True)


def indicators(wb: Workbook) -> None:
    num, txt, ctr = "number", "text", "center"
    table_sheet(wb, "指标", "{{region_name}}{{year}}年自然资源主要指标及目标完成情况", "indicators", [
        ("代码", "code", ctr, 7), ("指标", "name", txt, 26), ("单位", "unit", ctr, 12), ("本年", "value", num, 15),
        ("上年", "previous", num, 15), ("变化", "change", num, 13), ("目标", "target", num, 15), ("要求", "op", ctr, 6),
        ("完成情况", "status", txt, 28)], sign_off=True)


def problems(wb: Workbook) -> None:
    num, ctr = "number", "center"
    table_sheet(wb, "校验问题", "{{region_name}}{{year}}年数据校验问题清单", "problems", [
        ("级别", "severity", ctr, 6), ("类型", "kind", ctr, 12), ("资源", "resource", ctr, 8), ("项目", "item", ctr, 8),
        ("期望值", "expected", num, 14), ("实际值", "actual", num, 14), ("差额", "difference", num, 12),
        ("说明", "message", "text", 60)], note="无问题时本表为空。容差见各问题说明。")


def build_audit(path: Path = HERE / "audit.xlsx") -> Path:
    """Write the departure-audit template to ``path``."""
    num, txt, ctr = "number", "text", "center"
    wb = Workbook()
    wb.remove(wb.active)
    audit_cover(wb)
    audit_basics(wb)
    table_sheet(wb, "实物量变化表", "二、自然资源资产实物量变化情况（{{start_year}}年末—{{end_year}}年末）", "changes", [
        ("资源", "resource", ctr, 10), ("代码", "code", ctr, 7), ("项目", "name", txt, 20), ("单位", "unit", ctr, 9),
        ("任职前（期初）", "start", num, 15), ("任期末（期末）", "end", num, 15), ("增减", "change", num, 13),
        ("增减率（%）", "pct", num, 10), ("期间增加", "additions", num, 13), ("期间减少", "reductions", num, 13)],
        note="注：期初为 {{start_year}}年12月31日，期末为 {{end_year}}年12月31日。{{compare_note}}")
    table_sheet(wb, "变动原因", "任期内各资源增减按变动原因汇总", "causes", [
        ("资源", "resource", ctr, 10), ("变动原因", "cause", txt, 30), ("因素", "factor", ctr, 8),
        ("单位", "unit", ctr, 10), ("增加", "additions", num, 15), ("减少", "reductions", num, 15)], landscape=False)
    table_sheet(wb, "目标完成情况", "三、目标完成情况（任期内各年）", "targets", [
        ("年度", "year", ctr, 7), ("代码", "code", ctr, 7), ("指标", "name", txt, 20), ("单位", "unit", ctr, 10),
        ("性质", "kind", ctr, 8), ("要求", "op", ctr, 5), ("目标值", "target", num, 14), ("实际值", "actual", num, 14),
        ("完成情况", "status", txt, 24), ("依据", "source", txt, 34)],
        note="注：无数据的年度标为“无数据”，不视为达标。")
    table_sheet(wb, "指标变化", "主要指标任期内变化", "indicators", [
        ("代码", "code", ctr, 7), ("指标", "name", txt, 22), ("单位", "unit", ctr, 11), ("期初", "start", num, 14),
        ("期末", "end", num, 14), ("变化", "change", num, 13), ("各年数值", "trend", txt, 60)])
    ws_name = "审计评价"
    table_sheet(wb, ws_name, "四、审计评价（综合得分 {{total}} 分，等次：{{grade}}）", "blocks", [
        ("序号", "block", ctr, 6), ("审计内容", "name", txt, 56), ("满分", "max", num, 10),
        ("扣分", "deducted", num, 10), ("得分", "score", num, 10)], landscape=False)
    ws = wb[ws_name]
    ws.merge_cells("A7:E7")
    ws["A7"] = "扣分明细"
    ws["A7"].font = Font(name=FONT, size=12, bold=True)
    for col, text in enumerate(["审计内容", "扣分依据", "扣分", "规则"], start=1):
        _header_cell(ws, f"{get_column_letter(col)}8", text)
    ws.merge_cells("D8:E8")
    _style_range(ws, "D8:E8")
    _table_row(ws, 9, "deductions", [("block", "center"), ("basis", "text"), ("points", "number"), ("rule", "text")])
    ws.merge_cells("D9:E9")
    ws.merge_cells("A11:E11")
    ws["A11"] = "等次：好 ≥ 90，较好 80–<90，一般 70–<80，较差 60–<70，差 < 60。{{grade_note}}"
    ws["A11"].font = Font(name=FONT, size=9)
    ws["A11"].alignment = LEFT
    ws.merge_cells("A12:E12")
    ws["A12"] = "说明：{{score_notes}}"
    ws["A12"].font = Font(name=FONT, size=9)
    ws["A12"].alignment = LEFT
    ws.row_dimensions[12].height = 60
    table_sheet(wb, "问题清单", "五、审计发现的主要问题", "findings", [
        ("序号", "no", ctr, 5), ("审计内容", "area", txt, 22), ("问题描述", "description", txt, 50),
        ("金额/数量", "amount", num, 12), ("单位", "unit", ctr, 8), ("严重程度", "severity", ctr, 9),
        ("责任类型", "responsibility", ctr, 9), ("状态", "status", ctr, 8), ("整改建议", "recommendation", txt, 34)])
    table_sheet(wb, "审计建议", "六、审计建议和整改要求", "advice", [("序号", "no", ctr, 6), ("建议", "text", txt, 90)],
                landscape=False)
    for resource, sheet, name in RESOURCE_SHEETS:
        change_sheet(wb, resource, f"附表-{sheet}", name)
    matrix(wb, "附表-转移矩阵")
    wb.save(path)
    return path


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
    print(build_audit())
