"""The Excel template filler and the template checker.

Templates are built here with openpyxl (not the shipped ones): a 土地 sheet with a title, a header
row, a table row (B:C merged), a sign-off block right below it, print settings and defined names.
"""

from __future__ import annotations

import csv
import subprocess
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from conftest import external_tool
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from balancesheet.reports.data import ReportData, TableData
from balancesheet.reports.filler import fill_template, fill_workbook, format_value
from balancesheet.reports.template_check import (
    TemplateIssue,
    check_template,
    format_issues,
    known_names,
)

COLUMNS = ["code", "name", "unit", "opening", "closing"]
THIN = Side(style="thin", color="FF000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FILL = PatternFill("solid", fgColor="FFEFEFEF")
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def table_rows(n: int, prefix: str = "地类") -> list[dict]:
    """n rows: the first is a bold total, the others indented by level 1 or 2."""
    return [{"code": f"{i:03d}", "name": f"{prefix}{i}", "unit": "公顷", "opening": 1000.5 + i,
             "closing": 2000.25 + i, "_emphasis": i == 0, "_level": 0 if i == 0 else 1 + i % 2}
            for i in range(n)]


def make_data(n: int = 3, forest: int = 2, **scalars: object) -> ReportData:
    values = {"region_name": "示例县", "year": 2024, "land_unit": "公顷", "head": "张三",
              "preparer": "李四", "report_date": "2025年3月1日", "area": 1234567.891,
              "count": 12345, "nothing": None}
    values.update(scalars)
    return ReportData(values, {"land": TableData(COLUMNS, table_rows(n)),
                               "forest": TableData(COLUMNS, table_rows(forest, "林地"))})


def style_table_row(ws, row: int) -> None:
    for col in "ABCDEF":
        cell = ws[f"{col}{row}"]
        cell.font = Font(name="仿宋", size=11, color="FF1F4E79")
        cell.border = BORDER
        cell.fill = FILL
    ws[f"D{row}"].number_format = ws[f"E{row}"].number_format = "#,##0.00"


def land_sheet(ws) -> None:
    """Rows: 1 title, 2 unit/year, 3 header, 4 table row, 5 sign-off, 6 date."""
    ws.title = "土地"
    ws["A1"] = "{{region_name}}{{year}}年土地资源存量及变动表"
    ws.merge_cells("A1:F1")
    ws["A1"].font = Font(name="黑体", size=16, bold=True)
    ws["A2"] = "单位：{{land_unit}}"
    ws["E2"] = "{{year}}"
    ws["E2"].number_format = '0"年"'
    for col, text in zip("ABDEF", ["代码", "名称", "期初", "期末", "单位"], strict=True):
        ws[f"{col}3"] = text
    ws.merge_cells("B3:C3")
    ws["A4"], ws["B4"] = "{{land.code}}", "{{land.name}}"
    ws["D4"], ws["E4"], ws["F4"] = "{{land.opening}}", "{{land.closing}}", "{{land.unit}}"
    style_table_row(ws, 4)
    ws.merge_cells("B4:C4")
    ws.row_dimensions[4].height = 20
    ws["A5"], ws["D5"] = "负责人：{{head}}", "填表人：{{preparer}}"
    ws.merge_cells("A5:B5")
    ws.row_dimensions[5].height = 28
    ws["A6"] = "报出日期：{{report_date}}"
    ws.print_area = "A1:F6"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = 0.4
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.left.text = "负责人：{{head}}"


def build_template(path: Path, extra=None) -> Path:
    """The 土地 template (``extra(wb, ws)`` may add to it), saved at ``path``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    land_sheet(ws)
    wb.defined_names["signoff"] = DefinedName("signoff", attr_text="'土地'!$A$5:$F$6")
    wb.defined_names["land_rows"] = DefinedName("land_rows", attr_text="'土地'!$A$4:$F$4")
    wb.defined_names["title_cell"] = DefinedName("title_cell", attr_text="'土地'!$A$1")
    ws.defined_names.add(DefinedName("date_cell", attr_text="'土地'!$A$6"))
    if extra is not None:
        extra(wb, ws)
    wb.save(path)
    return path


def fill_and_reopen(template: Path, data: ReportData, out: Path) -> openpyxl.Workbook:
    wb = fill_template(template, data)
    wb.save(out)
    return openpyxl.load_workbook(out)


@pytest.fixture
def template(tmp_path: Path) -> Path:
    return build_template(tmp_path / "t.xlsx")


# --- scalars ---------------------------------------------------------------------------------

def test_scalar_typed_vs_interpolated(tmp_path: Path) -> None:
    def extra(wb, ws):
        cover = wb.create_sheet("封面")
        cover["A1"] = "{{ year }}"
        cover["A2"] = "面积 {{area}}，个数 {{count}}，空 [{{nothing}}]"
        cover["A3"] = "{{area}}"
        cover["A3"].number_format = "#,##0.0"
        cover["A4"] = "{{nothing}}"
        cover["A5"] = "{{no_such_name}} 保留"
        cover["A6"] = "{{region_name}}"

    wb = fill_and_reopen(build_template(tmp_path / "t.xlsx", extra), make_data(),
                         tmp_path / "o.xlsx")
    ws = wb["土地"]
    assert ws["E2"].value == 2024 and isinstance(ws["E2"].value, int)
    assert ws["E2"].number_format == '0"年"'           # number format kept
    assert ws["A1"].value == "示例县2024年土地资源存量及变动表"
    assert ws["A2"].value == "单位：公顷"
    cover = wb["封面"]
    assert cover["A1"].value == 2024                    # blanks inside braces allowed
    assert cover["A2"].value == "面积 1,234,567.89，个数 12345，空 []"
    assert cover["A3"].value == pytest.approx(1234567.891)
    assert cover["A3"].number_format == "#,##0.0"
    assert cover["A4"].value is None                    # None → empty cell
    assert cover["A5"].value == "{{no_such_name}} 保留"  # unknown names stay visible
    assert cover["A6"].value == "示例县" and cover["A6"].data_type == "s"


def test_format_value() -> None:
    assert format_value(1234.5) == "1,234.50"
    assert format_value(2024) == "2024"
    assert format_value(None) == ""
    assert format_value(float("nan")) == ""
    assert format_value("x") == "x"


def test_footer_scalars_expanded_and_print_settings_kept(template: Path, tmp_path: Path) -> None:
    wb = fill_and_reopen(template, make_data(5, head="A&B"), tmp_path / "o.xlsx")
    ws = wb["土地"]
    assert ws.oddFooter.left.text == "负责人：A&&B"      # '&' escaped as header/footer code
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_margins.left == pytest.approx(0.4)
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)


def test_sheet_title_placeholders_not_expanded(tmp_path: Path) -> None:
    def extra(wb, ws):
        other = wb.create_sheet("{{year}}")
        other["A1"] = "{{year}}"

    wb = fill_template(build_template(tmp_path / "t.xlsx", extra), make_data())
    assert "{{year}}" in wb.sheetnames
    assert wb["{{year}}"]["A1"].value == 2024


# --- table rows ------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [1, 3, 200])
def test_table_expansion(template: Path, tmp_path: Path, n: int) -> None:
    data = make_data(n)
    ws = fill_and_reopen(template, data, tmp_path / "o.xlsx")["土地"]
    for i, row in enumerate(data.tables["land"].rows):
        r = 4 + i
        assert ws[f"A{r}"].value == row["code"]
        assert ws[f"B{r}"].value == row["name"]
        assert ws[f"D{r}"].value == pytest.approx(row["opening"])
        assert ws[f"E{r}"].value == pytest.approx(row["closing"])
        assert ws[f"F{r}"].value == "公顷"
    assert ws["A3"].value == "代码"                      # rows above untouched
    # the sign-off block lands right below the last data row
    assert ws[f"A{4 + n}"].value == "负责人：张三"
    assert ws[f"D{4 + n}"].value == "填表人：李四"
    assert ws[f"A{5 + n}"].value == "报出日期：2025年3月1日"
    assert ws.max_row == 5 + n


def test_table_with_no_rows_removes_template_row(template: Path, tmp_path: Path) -> None:
    ws = fill_and_reopen(template, make_data(0), tmp_path / "o.xlsx")["土地"]
    assert ws["A4"].value == "负责人：张三"
    assert ws["A5"].value == "报出日期：2025年3月1日"
    assert ws.max_row == 5
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert merged == {"A1:F1", "B3:C3", "A4:B4"}
    assert ws.row_dimensions[4].height == 28
    assert ws.print_area == "'土地'!$A$1:$F$5"
    assert ws.parent.defined_names["signoff"].value == "'土地'!$A$4:$F$5"
    assert ws.parent.defined_names["land_rows"].value == "#REF!"
    assert ws.print_title_rows == "$3:$3"


def test_styles_copied_to_every_new_row(template: Path, tmp_path: Path) -> None:
    ws = fill_and_reopen(template, make_data(30), tmp_path / "o.xlsx")["土地"]
    for r in range(4, 34):
        for col in "ABDEF":                                 # C is inside the B:C merge
            cell = ws[f"{col}{r}"]
            assert cell.font.name == "仿宋" and cell.font.sz == 11
            assert cell.font.color.rgb == "FF1F4E79"
            assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin"
            assert cell.fill.fgColor.rgb == "FFEFEFEF"
        assert ws[f"C{r}"].border.top.style == ws[f"C{r}"].border.bottom.style == "thin"
        assert ws[f"D{r}"].number_format == "#,##0.00"
        assert ws[f"E{r}"].number_format == "#,##0.00"
        assert ws.row_dimensions[r].height == 20
    assert not ws["A34"].border.left.style                  # the sign-off is not a table row


def test_merged_cells_shifted_and_replicated(template: Path, tmp_path: Path) -> None:
    n = 7
    ws = fill_and_reopen(template, make_data(n), tmp_path / "o.xlsx")["土地"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    expected = {"A1:F1", "B3:C3", f"A{4 + n}:B{4 + n}"} | {f"B{4 + i}:C{4 + i}" for i in range(n)}
    assert merged == expected


def test_row_heights_shifted(template: Path, tmp_path: Path) -> None:
    n = 10
    ws = fill_and_reopen(template, make_data(n), tmp_path / "o.xlsx")["土地"]
    assert [ws.row_dimensions[4 + i].height for i in range(n)] == [20] * n
    assert ws.row_dimensions[4 + n].height == 28           # the sign-off row keeps its height
    assert ws.row_dimensions[5 + n].height is None


def test_print_area_titles_and_defined_names(template: Path, tmp_path: Path) -> None:
    n = 12
    wb = fill_and_reopen(template, make_data(n), tmp_path / "o.xlsx")
    ws = wb["土地"]
    assert ws.print_area == f"'土地'!$A$1:$F${5 + n}"
    assert ws.print_title_rows == "$3:$3"                   # above the table: unchanged
    assert wb.defined_names["signoff"].value == f"'土地'!$A${4 + n}:$F${5 + n}"
    assert wb.defined_names["land_rows"].value == f"'土地'!$A$4:$F${3 + n}"
    assert wb.defined_names["title_cell"].value == "'土地'!$A$1"
    assert ws.defined_names["date_cell"].value == f"'土地'!$A${5 + n}"


def test_print_titles_below_the_table_move(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表"
    ws["A1"] = "{{land.code}}"
    ws["A3"] = "页头"
    ws.print_title_rows = "3:4"
    wb.save(tmp_path / "t.xlsx")
    ws = fill_and_reopen(tmp_path / "t.xlsx", make_data(10), tmp_path / "o.xlsx")["表"]
    assert ws.print_title_rows == "$12:$13"
    assert ws["A12"].value == "页头"


def test_emphasis_bold_and_indent(template: Path, tmp_path: Path) -> None:
    ws = fill_and_reopen(template, make_data(4), tmp_path / "o.xlsx")["土地"]
    # row 4: total (_emphasis, level 0); rows 5-7: levels 2, 1, 2
    assert all(ws[f"{c}4"].font.b for c in "ABDEF")
    assert ws["B4"].font.name == "仿宋"                     # bold copy keeps the font
    assert not any(ws[f"{c}{r}"].font.b for c in "ABDEF" for r in (5, 6, 7))
    assert [ws[f"B{r}"].alignment.indent for r in (4, 5, 6, 7)] == [0, 2, 1, 2]
    assert ws["B5"].alignment.horizontal == "left"
    assert all(ws[f"{c}5"].alignment.indent == 0 for c in "ADEF")


def test_template_alignment_kept_with_indent(tmp_path: Path) -> None:
    def extra(wb, ws):
        ws["B4"].alignment = Alignment(horizontal="right", vertical="center", wrap_text=True)

    ws = fill_and_reopen(build_template(tmp_path / "t.xlsx", extra), make_data(3),
                         tmp_path / "o.xlsx")["土地"]
    assert ws["B5"].alignment.indent == 2 and ws["B5"].alignment.horizontal == "right"
    assert ws["B5"].alignment.wrap_text and ws["B5"].alignment.vertical == "center"


def _sheet_cells_xml(path: Path, sheet_index: int = 1) -> dict[str, ElementTree.Element]:
    with zipfile.ZipFile(path) as zf:
        root = ElementTree.fromstring(zf.read(f"xl/worksheets/sheet{sheet_index}.xml"))
    return {c.get("r"): c for c in root.iter(f"{{{NS['m']}}}c")}


def test_formula_injection_stored_as_text(template: Path, tmp_path: Path) -> None:
    data = make_data(5)
    evil = ["=1+1", "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3", "=HYPERLINK(\"http://x\")"]
    for row, text in zip(data.tables["land"].rows, evil, strict=True):
        row["name"] = text
    data.scalars["head"] = "=CMD()"
    ws_tpl = openpyxl.load_workbook(template)
    ws_tpl["土地"]["H1"] = "{{head}}"
    ws_tpl.save(template)
    out = tmp_path / "o.xlsx"
    fill_template(template, data).save(out)
    cells = _sheet_cells_xml(out)
    for coord in [f"B{4 + i}" for i in range(5)] + ["H1"]:
        el = cells[coord]
        assert el.find("m:f", NS) is None, coord
        assert el.get("t") == "inlineStr", coord
    ws = openpyxl.load_workbook(out)["土地"]
    assert [ws[f"B{4 + i}"].value for i in range(5)] == evil
    assert all(ws[f"B{4 + i}"].data_type == "s" for i in range(5))
    assert ws["H1"].value == "=CMD()" and ws["H1"].data_type == "s"
    # numbers are numbers, not formulas or text
    assert cells["D4"].find("m:f", NS) is None and cells["D4"].get("t") == "n"


def test_two_tables_on_one_sheet(tmp_path: Path) -> None:
    def extra(wb, ws):
        ws["A8"] = "森林"
        ws["A9"], ws["B9"], ws["D9"] = "{{forest.code}}", "{{forest.name}}", "{{forest.opening}}"
        style_table_row(ws, 9)
        ws.merge_cells("B9:C9")
        ws["A10"] = "森林合计后"
        ws.print_area = "A1:F10"

    data = make_data(n=5, forest=3)
    ws = fill_and_reopen(build_template(tmp_path / "t.xlsx", extra), data,
                         tmp_path / "o.xlsx")["土地"]
    assert [ws[f"B{r}"].value for r in range(4, 9)] == [f"地类{i}" for i in range(5)]
    assert ws["A9"].value == "负责人：张三"
    assert ws["A12"].value == "森林"
    assert [ws[f"B{r}"].value for r in (13, 14, 15)] == ["林地0", "林地1", "林地2"]
    assert ws["D15"].value == pytest.approx(1002.5)
    assert ws["A16"].value == "森林合计后"
    assert ws.print_area == "'土地'!$A$1:$F$16"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"B13:C13", "B15:C15", "B8:C8", "A9:B9"} <= merged
    assert ws["B15"].font.name == "仿宋" and ws["B13"].font.b


def test_missing_column_value_and_unknown_column(tmp_path: Path) -> None:
    def extra(wb, ws):
        ws["G4"] = "{{land.no_such_column}}"

    data = make_data(2)
    del data.tables["land"].rows[1]["closing"]
    ws = fill_and_reopen(build_template(tmp_path / "t.xlsx", extra), data,
                         tmp_path / "o.xlsx")["土地"]
    assert ws["E5"].value is None                           # a known column without a value
    assert ws["G4"].value == "{{land.no_such_column}}"      # unknown: left visible


def test_conditional_formatting_validation_formula_and_image(tmp_path: Path) -> None:
    from openpyxl.drawing.image import Image
    from PIL import Image as PILImage

    png = tmp_path / "logo.png"
    PILImage.new("RGB", (8, 8), "red").save(png)

    def extra(wb, ws):
        ws.conditional_formatting.add(
            "D4:E4", CellIsRule(operator="lessThan", formula=["0"], font=Font(color="FFFF0000")))
        ws.conditional_formatting.add(
            "A6", CellIsRule(operator="equal", formula=["$A$6"], font=Font(color="FFFF0000")))
        dv = DataValidation(type="list", formula1='"是,否"')
        dv.add("F6")
        ws.add_data_validation(dv)
        ws["F6"] = "是"
        ws["E6"] = "=SUM(E4:E4)+E2"
        ws.add_image(Image(png), "H6")
        ws.freeze_panes = "A4"

    n = 9
    wb = fill_and_reopen(build_template(tmp_path / "t.xlsx", extra), make_data(n),
                         tmp_path / "o.xlsx")
    ws = wb["土地"]
    ranges = {str(cf.sqref): [r.formula for r in cf.rules] for cf in ws.conditional_formatting}
    assert ranges == {f"D4:E{3 + n}": [["0"]], f"A{5 + n}": [[f"$A${5 + n}"]]}
    assert str(ws.data_validations.dataValidation[0].sqref) == f"F{5 + n}"
    assert ws[f"E{5 + n}"].value == f"=SUM(E4:E{3 + n})+E2"
    assert ws.freeze_panes == "A4"
    assert len(ws._images) == 1 and ws._images[0].anchor._from.row == 5 + n - 1


def test_formula_in_other_sheet_follows(tmp_path: Path) -> None:
    def extra(wb, ws):
        other = wb.create_sheet("汇总")
        other["A1"] = "='土地'!A6"
        other["A2"] = "=SUM('土地'!D4:D4)"

    wb = fill_and_reopen(build_template(tmp_path / "t.xlsx", extra), make_data(4),
                         tmp_path / "o.xlsx")
    assert wb["汇总"]["A1"].value == "='土地'!A9"
    assert wb["汇总"]["A2"].value == "=SUM('土地'!D4:D7)"


def test_excel_table_autofilter_and_chart_follow(tmp_path: Path) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.worksheet.table import Table

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表"
    ws.append(["代码", "名称", "期初"])
    ws.append(["{{land.code}}", "{{land.name}}", "{{land.opening}}"])
    ws["A4"] = "合计后"
    ws.add_table(Table(displayName="Land", ref="A1:C2"))
    other = wb.create_sheet("筛选")
    other.append(["代码"])
    other.append(["{{forest.code}}"])
    other.auto_filter.ref = "A1:A2"
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=3, min_row=1, max_row=2), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, min_row=2, max_row=2))
    ws.add_chart(chart, "E6")
    wb.save(tmp_path / "t.xlsx")

    n = 6
    wb = fill_and_reopen(tmp_path / "t.xlsx", make_data(n, forest=4), tmp_path / "o.xlsx")
    ws = wb["表"]
    assert ws.tables["Land"].ref == f"A1:C{1 + n}"
    assert wb["筛选"].auto_filter.ref == "A1:A5"
    assert ws[f"A{3 + n}"].value == "合计后"
    (chart,) = ws._charts
    assert chart.anchor._from.row == 5 + n - 1
    series = chart.series[0]
    assert series.val.numRef.f == f"'表'!$C$2:$C${1 + n}"
    assert series.cat.numRef.f == f"'表'!$B$2:$B${1 + n}"


# --- a user-edited template ------------------------------------------------------------------

def test_user_edited_template_keeps_edits(template: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(template)
    ws = wb["土地"]
    # moved placeholder: the year now sits in H2 instead of E2
    ws["H2"], ws["E2"] = "{{year}}", None
    # restyled title
    ws["A1"].font = Font(name="楷体", size=20, color="FFC00000", bold=True)
    # swapped the opening and closing columns (header and placeholders)
    ws["D3"], ws["E3"] = "期末", "期初"
    ws["D4"], ws["E4"] = "{{land.closing}}", "{{land.opening}}"
    ws.column_dimensions["D"].width = 25
    wb.save(template)

    data = make_data(3)
    ws = fill_and_reopen(template, data, tmp_path / "o.xlsx")["土地"]
    assert ws["H2"].value == 2024 and ws["E2"].value is None
    assert ws["A1"].font.name == "楷体" and ws["A1"].font.sz == 20
    assert ws["A1"].font.color.rgb == "FFC00000"
    assert ws["A1"].value == "示例县2024年土地资源存量及变动表"
    for i, row in enumerate(data.tables["land"].rows):
        assert ws[f"D{4 + i}"].value == pytest.approx(row["closing"])
        assert ws[f"E{4 + i}"].value == pytest.approx(row["opening"])
    assert ws["D3"].value == "期末"
    assert ws.column_dimensions["D"].width == 25


def test_fill_workbook_in_place_and_template_untouched(template: Path) -> None:
    wb = openpyxl.load_workbook(template)
    fill_workbook(wb, make_data(2))
    assert wb["土地"]["B5"].value == "地类1"
    assert openpyxl.load_workbook(template)["土地"]["B4"].value == "{{land.name}}"


def test_performance_ten_sheets_of_a_hundred_rows(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    tables = {}
    wide = [*COLUMNS, *[f"c{i:02d}" for i in range(10)]]
    for s in range(10):
        ws = wb.create_sheet(f"表{s}")
        land_sheet(ws)
        ws.title = f"表{s}"
        ws.unmerge_cells("B4:C4")
        name = f"t{s}"
        for col, field in enumerate(wide, start=1):
            ws.cell(4, col, f"{{{{{name}.{field}}}}}")
        style_table_row(ws, 4)
        tables[name] = TableData(wide, [{**r, **{f"c{i:02d}": float(i) for i in range(10)}}
                                        for r in table_rows(100)])
    wb.save(tmp_path / "big.xlsx")
    data = ReportData(make_data().scalars, tables)
    best = float("inf")
    for _ in range(3):
        loaded = openpyxl.load_workbook(tmp_path / "big.xlsx")
        start = time.perf_counter()
        fill_workbook(loaded, data)
        best = min(best, time.perf_counter() - start)
    assert best < 0.3, f"filling 10 sheets x 100 rows took {best:.3f} s"
    assert loaded["表9"]["O103"].value == 9.0


# --- LibreOffice reads what we wrote ---------------------------------------------------------

def test_libreoffice_reads_filled_numbers(template: Path, tmp_path: Path) -> None:
    soffice = external_tool("soffice", "libreoffice")
    out = tmp_path / "filled.xlsx"
    fill_template(template, make_data(3)).save(out)
    profile = (tmp_path / "lo-profile").as_uri()
    utf8_csv = "csv:Text - txt - csv (StarCalc):44,34,76,1"
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    utf8_csv, "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=180)
    with (tmp_path / "filled.csv").open(encoding="utf-8", errors="replace") as fh:
        rows = list(csv.reader(fh))
    assert rows[3][1] == "地类0" and rows[5][1] == "地类2"
    assert rows[3][3] == "1,000.50"                        # a number, shown with its format
    assert rows[5][4] == "2,002.25"
    assert rows[6][0] == "负责人：张三"


# --- template check --------------------------------------------------------------------------

SCALARS = {"region_name", "year", "year_from", "land_unit", "head", "preparer", "report_date",
           "area", "count", "nothing"}
TABLES = {"land": set(COLUMNS), "forest": set(COLUMNS)}


def issues_of(path: Path, **kw) -> list[TemplateIssue]:
    return check_template(path, SCALARS, TABLES, **kw)


def only(issues: list[TemplateIssue], cell: str, sheet: str = "土地") -> TemplateIssue:
    hits = [i for i in issues if i.sheet == sheet and i.cell == cell]
    assert len(hits) == 1, [(i.where, i.message_en) for i in issues]
    return hits[0]


def test_clean_template_has_no_issues(template: Path) -> None:
    assert issues_of(template, required_sheets=["土地"]) == []
    assert "没有发现问题" in format_issues([])


def test_known_names_from_report_data() -> None:
    scalars, tables = known_names(make_data())
    assert "year" in scalars and tables["land"] == set(COLUMNS)


def test_check_unreadable_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_text("这不是一个工作簿", encoding="utf-8")
    (issue,) = issues_of(bad)
    assert issue.sheet is None and issue.cell is None
    assert "无法读取模板文件" in issue.message and "bad.xlsx" in issue.message
    assert "not a valid Excel workbook" in issue.message_en
    (issue,) = issues_of(tmp_path / "missing.xlsx")
    assert "找不到模板文件" in issue.message


def test_check_missing_sheet(template: Path) -> None:
    issues = issues_of(template, required_sheets=["土地", "森林", "土 地"])
    assert {i.sheet for i in issues} == {"森林", "土 地"}
    assert all(i.cell is None and "缺少工作表" in i.message for i in issues)
    assert "土地" in next(i for i in issues if i.sheet == "土 地").message   # suggestion


def test_check_unknown_names_with_suggestions(tmp_path: Path) -> None:
    def extra(wb, ws):
        ws["H1"] = "{{yaer}}年"
        ws["H2"] = "{{lnad.name}}"
        ws["G4"] = "{{land.closng}}"
        ws["H3"] = "{{land}}"

    issues = issues_of(build_template(tmp_path / "t.xlsx", extra))
    assert len(issues) == 4
    unknown = only(issues, "H1")
    assert "未知的数据名称 {{yaer}}" in unknown.message and "year" in unknown.message
    assert "Did you mean: year" in unknown.message_en
    table = only(issues, "H2")
    assert "未知的表格" in table.message and "land" in table.message
    column = only(issues, "G4")
    assert "没有列 “closng”" in column.message and "closing" in column.message
    assert "表格名称" in only(issues, "H3").message
    text = format_issues(issues)
    assert "'土地'!H1" in text and "'土地'!G4" in text and "4 个错误" in text


def test_check_row_mixing_tables_and_table_twice(tmp_path: Path) -> None:
    def extra(wb, ws):
        ws["G4"] = "{{forest.name}}"
        ws["A8"] = "{{land.code}}"

    issues = issues_of(build_template(tmp_path / "t.xlsx", extra))
    assert len(issues) == 2
    assert "混用了两个表格" in only(issues, "G4").message
    twice = only(issues, "A8")
    assert "已在本工作表第 4 行使用" in twice.message


def test_check_table_row_in_multirow_merge(tmp_path: Path) -> None:
    def extra(wb, ws):
        ws["G3"] = "备注"
        ws.merge_cells("G3:G4")

    issues = issues_of(build_template(tmp_path / "t.xlsx", extra))
    issue = only(issues, "G4")
    assert "G3:G4" in issue.message and "合并单元格" in issue.message


@pytest.mark.parametrize("text", ["{{year}", "{year}}", "{{ }}", "{{land.}}", "{{=today}}",
                                  "{{a.b.c}}"])
def test_check_malformed_braces(tmp_path: Path, text: str) -> None:
    def extra(wb, ws):
        ws["H7"] = f"年份 {text}"

    issues = issues_of(build_template(tmp_path / "t.xlsx", extra))
    issue = only(issues, "H7")
    assert issue.severity == "error"
    assert any(word in issue.message for word in ("花括号不配对", "空的占位符", "写法不对"))


def test_check_single_braces_warn(tmp_path: Path) -> None:
    def extra(wb, ws):
        ws["H7"] = "{year}年"

    issue = only(issues_of(build_template(tmp_path / "t.xlsx", extra)), "H7")
    assert issue.severity == "warning" and "单个花括号" in issue.message


def test_check_formula_referencing_table_row(tmp_path: Path) -> None:
    def extra(wb, ws):
        ws["E6"] = "=SUM(E4:E4)"
        ws["F6"] = "=A1"                                   # not a table row: fine
        other = wb.create_sheet("汇总")
        other["B2"] = "='土地'!D4*2"

    issues = issues_of(build_template(tmp_path / "t.xlsx", extra))
    assert len(issues) == 2
    issue = only(issues, "E6")
    assert issue.severity == "warning" and "不计算公式" in issue.message
    assert "第 4 行" in only(issues, "B2", sheet="汇总").message


def test_check_print_titles_holding_the_table_row(tmp_path: Path) -> None:
    def extra(wb, ws):
        ws.print_title_rows = "3:4"

    issue = only(issues_of(build_template(tmp_path / "t.xlsx", extra)), "A4")
    assert "打印标题行" in issue.message


def test_check_header_footer_and_formula_placeholders(tmp_path: Path) -> None:
    def extra(wb, ws):
        ws.oddHeader.right.text = "{{land.name}} {{heed}}"
        ws["H9"] = '="{{year}}"'

    issues = issues_of(build_template(tmp_path / "t.xlsx", extra))
    header = [i for i in issues if i.cell is None]
    assert len(header) == 2 and all(i.message.startswith("页眉（右）") for i in header)
    assert "公式中的占位符" in only(issues, "H9").message
