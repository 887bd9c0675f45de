"""Messy input as counties send it: workbooks with several sheets, hidden rows, spaces (also
non-breaking, full-width, zero-width) around codes and headers, full-width digits and
punctuation, codes stored as numbers that lost their leading zeros, Excel serial dates, totals
rows inside the data, thousands separators. What is unambiguous is normalised and reported
(count, first row); the rest is refused at its exact cell, with the database unchanged."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest
from conftest import rejected, rows, snapshot, write_csv, write_xlsx

from balancesheet.cli import main
from balancesheet.importer import import_file
from balancesheet.importer.preview import preview
from balancesheet.importer.readers import hidden_rows
from balancesheet.importer.validate import zero_padded
from balancesheet.project import Project

R = "990001"
STOCK_H = ["region", "year", "resource", "item", "value", "unit"]
FLOW_H = ["region", "year", "resource", "item", "direction", "cause", "value", "unit"]
LAND_H = ["region", "year", "from", "to", "area", "cause", "unit"]
OFFICIAL_H = ["id", "name", "post", "region", "start", "end"]
STOCKS = "SELECT item, value FROM stock ORDER BY item"


def note_with(notes: list[str], *words: str) -> str:
    found = [n for n in notes if all(w in n for w in words)]
    assert found, f"no note with {words}: {notes}"
    return found[0]


def places(exc: Exception) -> list[tuple[int | None, str | None]]:
    return [(i.location.row, i.location.column) for i in exc.issues]  # type: ignore[attr-defined]


def workbook(path: Path, sheets: dict[str, Sequence[Sequence[object]]], hidden: dict[str, list[int]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, sheet_rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in sheet_rows:
            ws.append(list(row))
        for r in hidden.get(name, []):
            ws.row_dimensions[r].hidden = True
    wb.save(path)
    return path


# --- several sheets ------------------------------------------------------------------------------

def test_several_importable_sheets_and_none_chosen_is_refused_listing_them(project: Project, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", {
        "2018": [STOCK_H, [R, 2018, "land", "0101", 5, "公顷"]],
        "2019": [STOCK_H, [R, 2019, "land", "0101", 6, "公顷"]],
        "空表": [],
    })
    exc = rejected(project, path)
    assert "「2018」「2019」" in exc.message and "--sheet" in exc.message and "空表" not in exc.message
    assert exc.issues[0].location.file == "book.xlsx"
    import_file(project, path, sheet="2019")
    assert rows(project, "SELECT year, value FROM stock") == [(2019, 6.0)]


def test_several_sheets_none_recognisable_is_refused(project: Project, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", {"封面": [["2018 年土地"]], "附注": [["见上表"]]})
    exc = rejected(project, path)
    assert "没有表头可识别" in exc.message and "「封面」「附注」" in exc.message


def test_the_only_recognisable_sheet_is_read_and_said_so(project: Project, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", {"填表说明": [["单位：公顷"], ["第二张表是数据"]],
                                               "数据": [STOCK_H, [R, 2018, "land", "0101", 5, "公顷"]]})
    result = import_file(project, path)
    note_with(result.notes, "只有「数据」的表头可识别", "--sheet")
    assert rows(project, STOCKS) == [("0101", 5.0)]


def test_cli_sheet_choice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "cli.db"
    regions = write_csv(tmp_path / "r.csv", ["region", "name"], [[R, "测试县"]])
    path = write_xlsx(tmp_path / "book.xlsx", {"甲": [STOCK_H, [R, 2018, "land", "0101", 5, "公顷"]],
                                               "乙": [STOCK_H, [R, 2018, "land", "0102", 6, "公顷"]]})
    assert main(["import", str(db), str(regions)]) == 0
    assert main(["import", str(db), str(path)]) == 2
    assert "「甲」「乙」" in capsys.readouterr().err
    assert main(["import", str(db), str(path), "--sheet", "乙"]) == 0
    p = Project.open(db)
    try:
        assert rows(p, STOCKS) == [("0102", 6.0)]
    finally:
        p.close()


# --- hidden rows ---------------------------------------------------------------------------------

def test_hidden_rows_are_skipped_and_listed(project: Project, tmp_path: Path) -> None:
    data = [STOCK_H, [R, 2018, "land", "0101", 5, "公顷"], [R, 2018, "land", "0102", 999, "公顷"],
            [R, 2018, "land", "0103", 7, "公顷"], [R, 2018, "land", "作废", "x", "公顷"]]
    path = workbook(tmp_path / "hidden.xlsx", {"说明": [["无"]], "存量": data}, {"存量": [3, 5]})
    assert hidden_rows(path, "存量") == [3, 5] and hidden_rows(path, "说明") == []
    result = import_file(project, path, sheet="存量")
    note_with(result.notes, "已跳过 2 个隐藏行", "第 3、5 行", "取消隐藏")
    assert rows(project, STOCKS) == [("0101", 5.0), ("0103", 7.0)]  # the bad hidden row is not even checked


def test_a_visible_bad_row_next_to_hidden_ones_keeps_its_row_number(project: Project, tmp_path: Path) -> None:
    data = [STOCK_H, [R, 2018, "land", "0101", 5, "公顷"], [R, 2018, "land", "0102", 1, "公顷"],
            [R, 2018, "land", "0103", "abc", "公顷"]]
    path = workbook(tmp_path / "h.xlsx", {"Sheet1": data}, {"Sheet1": [2, 3]})
    exc = rejected(project, path)
    assert places(exc) == [(4, "value")] and exc.issues[0].location.sheet == "Sheet1"


def test_hidden_rows_found_in_sheet_xml_without_row_numbers(tmp_path: Path) -> None:
    import zipfile

    path = workbook(tmp_path / "plain.xlsx", {"S": [STOCK_H, [R, 2018, "land", "0101", 5, "公顷"]] * 3},
                    {"S": [4]})
    rewritten = tmp_path / "norow.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(rewritten, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b'<row r="4" hidden="1"', b'<row hidden="1"')
            dst.writestr(info, data)
    assert hidden_rows(rewritten, "S") == [4]


# --- spaces, full-width, thousands separators ---------------------------------------------------------

def test_spaces_nbsp_and_full_width_are_normalised_and_reported(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", [" region\u00a0", "年度\u3000", "resource", "item", "value", "unit"], [
        [R, "2018", "land", "0101\u00a0", "1,234.5", "公顷"],
        ["９９０００１", "２０１８", "land", "\u200b０１０２", "１２．５", "公顷"],
        [R, "2018", "land", " 0103 ", "１，０００", "公顷 "],
    ])
    result = import_file(project, path)
    assert rows(project, STOCKS) == [("0101", 1234.5), ("0102", 12.5), ("0103", 1000.0)]
    spaces = note_with(result.notes, "去除首尾空格", "列「item」")  # NBSP, zero-width and plain spaces
    assert "3 处" in spaces and "第 2 行" in spaces
    note_with(result.notes, "去除首尾空格", "列「unit」", "1 处", "第 4 行")
    note_with(result.notes, "表头", "2 处")
    wide = note_with(result.notes, "全角字符转为半角", "列「value」")
    assert "2 处" in wide and "第 3 行" in wide and "「１２．５」→「12.5」" in wide
    note_with(result.notes, "全角字符转为半角", "列「region」", "第 3 行")
    note_with(result.notes, "全角字符转为半角", "列「item」", "「０１０２」→「0102」")
    thousands = note_with(result.notes, "千位分隔符", "列「value」")
    assert "2 处" in thousands and "第 2 行" in thousands


def test_full_width_minus_is_a_direction_and_full_width_brackets_match_names(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "f.csv", FLOW_H, [[R, "2019", "森林", "F11", "－", "征占用林地", "２", "公顷"]])
    import_file(project, path)
    assert rows(project, "SELECT from_item, to_item, value FROM flow") == [("F11", None, 2.0)]
    land = write_csv(tmp_path / "l.csv", LAND_H, [[R, "2019", "0103", "0301", "1", "生态退耕（退耕还林还草还湿）", "公顷"]])
    import_file(project, land)
    assert rows(project, "SELECT cause FROM flow WHERE resource = 'land'") == [("ECO",)]


def test_what_stays_ambiguous_is_refused_at_its_cell(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", STOCK_H, [
        [R, "2018", "land", "0101", "1,23", "公顷"],           # not a thousands separator
        [R, "2018", "land", "01 02", "5", "公顷"],             # a space inside a code
        [R, "2018", "land", "0103", "１２。５", "公顷"],        # 。 is not a decimal point
        [R, "2018", "land", "9999", "5", "公顷"],              # no such code, padded or not
    ])
    exc = rejected(project, path)
    assert places(exc) == [(2, "value"), (3, "item"), (4, "value"), (5, "item")]


# --- codes stored as numbers ------------------------------------------------------------------------

def test_codes_that_lost_their_leading_zeros_are_padded_and_reported(project: Project, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "n.xlsx", {"Sheet1": [
        STOCK_H, [990001, 2018, "land", 101, 10, "公顷"], [990001, 2018, "land", 305.0, 2, "公顷"],
        [990001, 2018, "land", "1104", 3, "公顷"], [990001, 2018, "land", 1, 12, "公顷"]]})
    result = import_file(project, path)
    assert rows(project, STOCKS) == [("01", 12.0), ("0101", 10.0), ("0305", 2.0), ("1104", 3.0)]
    note = note_with(result.notes, "前导零", "列「item」")
    assert "3 处" in note and "第 2 行" in note and "「101」→「0101」" in note
    changes = write_xlsx(tmp_path / "c.xlsx", {"变更": [LAND_H, [990001, 2019, 103, 702, 1.5, "建设占用", "公顷"]]})
    import_file(project, changes)
    assert rows(project, "SELECT from_item, to_item, value FROM flow") == [("0103", "0702", 1.5)]


def test_zero_padding_only_where_unambiguous() -> None:
    land = {"01", "0101", "0102", "11", "1101", "T"}
    assert zero_padded("101", land) == "0101"
    assert zero_padded("101.0", land) == "0101"
    assert zero_padded("1", land) == "01"
    assert zero_padded("11", land) is None            # a code itself
    assert zero_padded("0101", land) is None          # already a code
    assert zero_padded("5", {"05", "0005"}) is None   # two padded forms: ambiguous
    assert zero_padded("1.5", land) is None and zero_padded("abc", land) is None
    assert zero_padded("31", {"031", "03"}) == "031"


# --- Excel serial dates ---------------------------------------------------------------------------

def test_excel_serial_dates_are_converted_and_reported(project: Project, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "o.xlsx", {"干部": [
        OFFICIAL_H, ["A1", "张三", "县长", 990001, 43831, 44927.75], ["A2", "李四", "书记", 990001, "2019-03-01", None]]})
    result = import_file(project, path)
    assert rows(project, "SELECT id, start, \"end\" FROM official ORDER BY id") == [
        ("A1", "2020-01-01", "2023-01-01"), ("A2", "2019-03-01", None)]
    note_with(result.notes, "Excel 日期序列号", "列「start」", "1 处", "第 2 行", "「43831」→「2020-01-01」")
    note_with(result.notes, "Excel 日期序列号", "列「end」", "第 2 行")
    bad = write_csv(tmp_path / "o.csv", OFFICIAL_H, [["A3", "王五", "县长", R, "4383", ""]])
    assert places(rejected(project, bad)) == [(2, "start")]


# --- totals rows ------------------------------------------------------------------------------------

def test_totals_rows_are_left_out_and_located(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", STOCK_H, [
        [R, "2018", "land", "0101", "10", "公顷"],
        [R, "2018", "land", "0102", "5", "公顷"],
        ["", "", "", "小 计", "15", ""],                      # row 4: named
        [R, "2018", "land", "0103", "2.5", "公顷"],
        ["", "", "", "", "2.5", ""],                          # row 6: blank, equals the rows since row 4
        ["", "", "", "合计：", "17.5", ""],                   # row 7: named
        ["", "", "", "", "17.5", ""],                         # row 8: blank, equals all data rows
    ])
    result = import_file(project, path)
    note_with(result.notes, "已略过 4 个合计/小计行", "第 4、6、7、8 行")
    assert rows(project, STOCKS) == [("0101", 10.0), ("0102", 5.0), ("0103", 2.5)]


def test_blank_item_that_is_not_a_total_is_refused(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", STOCK_H, [
        [R, "2018", "land", "0101", "10", "公顷"], [R, "2018", "land", "", "4", "公顷"]])
    before = snapshot(project)
    exc = rejected(project, path)
    assert places(exc) == [(3, "item")] and snapshot(project) == before


def test_totals_rows_in_land_changes(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", LAND_H, [
        [R, "2019", "0101", "0702", "1", "CON", "公顷"], [R, "2019", "0103", "0701", "2", "CON", "公顷"],
        ["", "", "合计", "", "3", "", ""]])
    result = import_file(project, path)
    note_with(result.notes, "1 个合计/小计行", "第 4 行")
    assert rows(project, "SELECT COUNT(*), SUM(value) FROM flow") == [(2, 3.0)]


# --- the preview shows the same notes ---------------------------------------------------------------

def test_preview_reports_what_would_be_normalised(project: Project, tmp_path: Path) -> None:
    path = workbook(tmp_path / "p.xlsx", {"Sheet1": [STOCK_H, [990001, 2018, "land", 101, "1,000", "公顷"],
                                                     [990001, 2018, "land", "0102", 1, "公顷"],
                                                     [990001, 2018, "land", "0103", 5, "公顷"],
                                                     ["", "", "", "合计", 1001, ""]]}, {"Sheet1": [4]})
    got = preview(project, path)
    assert got.clean and got.rows == 3
    note_with(got.notes, "已跳过 1 个隐藏行", "第 4 行")
    note_with(got.notes, "合计/小计行", "第 5 行")
    note_with(got.notes, "前导零", "第 2 行")
    note_with(got.notes, "千位分隔符", "第 2 行")
    assert rows(project, "SELECT COUNT(*) FROM stock") == [(0,)]
