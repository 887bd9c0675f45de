"""Bad input is rejected with exact locations, all at once, and nothing is written (all or nothing);
re-imports and double counting are refused unless replace=True."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import rejected, rows, write_csv

from balancesheet.cli import main
from balancesheet.errors import ImportRejected, Issue
from balancesheet.importer import import_file
from balancesheet.project import Project
from balancesheet.resources import sample_data_dir

R = "990001"  # the region of the `project` fixture
STOCK_H = ["region", "year", "resource", "item", "value", "unit"]
STOCK_ZH = ["区划代码", "年度", "资源", "项目代码", "数值", "单位"]
FLOW_H = ["region", "year", "resource", "item", "direction", "cause", "value", "unit"]
FLOW_ZH = ["区划代码", "年度", "资源", "项目代码", "方向", "变动原因", "数值", "单位"]
LAND_H = ["region", "year", "from", "to", "area", "cause", "unit"]
TARGET_H = ["region", "indicator", "year_from", "year_to", "op", "value", "binding", "source"]
OFFICIAL_H = ["id", "name", "post", "region", "start", "end"]
REGION_H = ["region", "name", "parent", "area", "unit"]


def places(exc: ImportRejected) -> set[tuple[str, int | None, str | None]]:
    return {(i.location.file, i.location.row, i.location.column) for i in exc.issues}


def issue_at(exc: ImportRejected, file: str, row: int, column: str) -> Issue:
    found = [i for i in exc.issues if (i.location.file, i.location.row, i.location.column) == (file, row, column)]
    assert found, f"no issue at {file} row {row} column {column}: {[str(i) for i in exc.issues]}"
    return found[0]


GOOD_STOCK = [R, "2018", "land", "0101", "10", "公顷"]
GOOD_FLOW = [R, "2019", "forest", "F11", "add", "AFF", "1", "公顷"]
GOOD_LAND = [R, "2019", "0101", "0702", "1", "CON", "公顷"]


# --- one bad value per file: the exact cell -------------------------------------------------------

BAD_CELLS = [
    # id, header, rows (the bad row is spreadsheet row 3), column header of the bad cell, message part
    ("unknown item", STOCK_H, [GOOD_STOCK, [R, "2018", "land", "0199", "1", "公顷"]], "item", "不存在"),
    ("unknown resource", STOCK_H, [GOOD_STOCK, [R, "2018", "矿产", "0101", "1", "公顷"]], "resource", "未知资源"),
    ("non-numeric value", STOCK_H, [GOOD_STOCK, [R, "2018", "land", "0102", "12,3a", "公顷"]], "value", "不是数字"),
    ("negative stock", STOCK_H, [GOOD_STOCK, [R, "2018", "land", "0102", "-0.5", "公顷"]], "value", "负"),
    ("unknown unit", STOCK_H, [GOOD_STOCK, [R, "2018", "land", "0102", "5", "furlong"]], "unit", "未知单位"),
    ("volume unit for land", STOCK_H, [GOOD_STOCK, [R, "2018", "land", "0102", "5", "立方米"]], "unit", "量纲"),
    ("area unit for volume", STOCK_H, [GOOD_STOCK, [R, "2018", "forest", "V11", "5", "公顷"]], "unit", "量纲"),
    ("year 2099", STOCK_H, [GOOD_STOCK, [R, "2099", "land", "0102", "5", "公顷"]], "year", "超出范围"),
    ("year 1900", STOCK_H, [GOOD_STOCK, [R, "1900", "land", "0102", "5", "公顷"]], "year", "超出范围"),
    ("fractional year", STOCK_H, [GOOD_STOCK, [R, "2018.5", "land", "0102", "5", "公顷"]], "year", "整数"),
    ("year in words", STOCK_H, [GOOD_STOCK, [R, "二〇一八", "land", "0102", "5", "公顷"]], "year", "整数"),
    ("empty value", STOCK_H, [GOOD_STOCK, [R, "2018", "land", "0102", "", "公顷"]], "value", "必填"),
    ("empty item", STOCK_H, [GOOD_STOCK, [R, "2018", "land", "", "5", "公顷"]], "item", "必填"),
    ("empty region", STOCK_H, [GOOD_STOCK, ["", "2018", "land", "0102", "5", "公顷"]], "region", "必填"),
    ("empty year", STOCK_H, [GOOD_STOCK, [R, "", "land", "0102", "5", "公顷"]], "year", "必填"),
    ("5-digit region", STOCK_H, [GOOD_STOCK, ["99001", "2018", "land", "0102", "5", "公顷"]], "region", "6 位"),
    ("unknown region", STOCK_H, [GOOD_STOCK, ["990999", "2018", "land", "0102", "5", "公顷"]], "region", "regions"),
    ("derived item F3", STOCK_H, [GOOD_STOCK, [R, "2018", "forest", "F3", "5", "公顷"]], "item", "计算项"),
    ("unknown cause", FLOW_H, [GOOD_FLOW, [R, "2019", "forest", "F11", "add", "XYZ", "1", "公顷"]], "cause", "不在账户目录"),
    ("harvest on an area item", FLOW_H, [GOOD_FLOW, [R, "2019", "forest", "F11", "reduce", "HRV", "1", "公顷"]],
     "cause", "不适用"),
    ("add-only cause reducing", FLOW_H, [GOOD_FLOW, [R, "2019", "forest", "F11", "reduce", "AFF", "1", "公顷"]],
     "cause", "不适用"),
    ("flow on parent land 01", FLOW_H, [GOOD_FLOW, [R, "2019", "land", "01", "add", "ADJ", "1", "公顷"]],
     "item", "末级"),
    ("flow on parent forest F1", FLOW_H, [GOOD_FLOW, [R, "2019", "forest", "F1", "add", "AFF", "1", "公顷"]],
     "item", "末级"),
    ("negative flow", FLOW_H, [GOOD_FLOW, [R, "2019", "forest", "F12", "add", "AFF", "-1", "公顷"]], "value", "负"),
    ("bad direction", FLOW_H, [GOOD_FLOW, [R, "2019", "forest", "F12", "up", "ADJ", "1", "公顷"]], "direction", "方向"),
    ("zero land change", LAND_H, [GOOD_LAND, [R, "2019", "0102", "0702", "0", "CON", "公顷"]], "area", "大于 0"),
    ("negative land change", LAND_H, [GOOD_LAND, [R, "2019", "0102", "0702", "-2", "CON", "公顷"]], "area", "大于 0"),
    ("land change to parent", LAND_H, [GOOD_LAND, [R, "2019", "0102", "07", "1", "CON", "公顷"]], "to", "末级"),
    ("land change unknown class", LAND_H, [GOOD_LAND, [R, "2019", "0199", "0702", "1", "CON", "公顷"]], "from", "不存在"),
    ("land change unknown cause", LAND_H, [GOOD_LAND, [R, "2019", "0102", "0702", "1", "采伐消耗", "公顷"]],
     "cause", "不在账户目录"),
    ("land change volume unit", LAND_H, [GOOD_LAND, [R, "2019", "0102", "0702", "1", "CON", "万立方米"]], "unit", "量纲"),
    ("target op =", TARGET_H, [[R, "CULT", "2016", "2020", ">=", "1", "yes", ""],
                               [R, "CULT", "2021", "2025", "=", "1", "yes", ""]], "op", ">="),
    ("target unknown indicator", TARGET_H, [[R, "CULT", "2016", "2020", ">=", "1", "yes", ""],
                                           [R, "NOPE", "2021", "2025", ">=", "1", "yes", ""]], "indicator", "指标"),
    ("target binding maybe", TARGET_H, [[R, "CULT", "2016", "2020", ">=", "1", "yes", ""],
                                        [R, "CULT", "2021", "2025", ">=", "1", "maybe", ""]], "binding", "是/否"),
    ("target years reversed", TARGET_H, [[R, "CULT", "2016", "2020", ">=", "1", "yes", ""],
                                         [R, "CULT", "2025", "2021", ">=", "1", "yes", ""]], "year_to", "早于"),
    ("official end before start", OFFICIAL_H, [["A1", "甲", "县长", R, "2018-07-16", "2020-01-01"],
                                               ["A2", "乙", "县长", R, "2020-01-02", "2019-12-31"]], "end", "早于"),
    ("official unreadable start", OFFICIAL_H, [["A1", "甲", "县长", R, "2018-07-16", "2020-01-01"],
                                               ["A2", "乙", "县长", R, "去年春天", ""]], "start", "日期无法识别"),
    ("official impossible date", OFFICIAL_H, [["A1", "甲", "县长", R, "2018-07-16", "2020-01-01"],
                                              ["A2", "乙", "县长", R, "2018-13-45", ""]], "start", "日期无法识别"),
    ("official unreadable end", OFFICIAL_H, [["A1", "甲", "县长", R, "2018-07-16", "2020-01-01"],
                                             ["A2", "乙", "县长", R, "2018-07-16", "soon"]], "end", "日期无法识别"),
    ("official start in the future", OFFICIAL_H, [["A1", "甲", "县长", R, "2018-07-16", "2020-01-01"],
                                                  ["A2", "乙", "县长", R, "2099-07-16", ""]], "start", "未来"),
    ("official unknown region", OFFICIAL_H, [["A1", "甲", "县长", R, "2018-07-16", "2020-01-01"],
                                             ["A2", "乙", "县长", "990888", "2018-07-16", ""]], "region", "regions"),
    ("region code 7 digits", REGION_H, [["990002", "甲县", R, "1", "公顷"],
                                        ["9900031", "乙县", R, "1", "公顷"]], "region", "6 位"),
    ("region negative area", REGION_H, [["990002", "甲县", R, "1", "公顷"],
                                        ["990003", "乙县", R, "-1", "公顷"]], "area", "负"),
    ("region unknown parent", REGION_H, [["990002", "甲县", R, "1", "公顷"],
                                         ["990003", "乙县", "990777", "1", "公顷"]], "parent", "上级"),
]


@pytest.mark.parametrize(("header", "data", "column", "message"),
                         [case[1:] for case in BAD_CELLS], ids=[case[0] for case in BAD_CELLS])
def test_bad_cell_is_reported_at_its_exact_location(project: Project, tmp_path: Path, header: list[str],
                                                    data: list[list[str]], column: str, message: str) -> None:
    path = write_csv(tmp_path / "bad.csv", header, data)
    exc = rejected(project, path)
    assert places(exc) == {("bad.csv", 3, column)}, [str(i) for i in exc.issues]
    issue = issue_at(exc, "bad.csv", 3, column)
    assert message in issue.message
    assert issue.message_en
    assert issue.value == data[1][header.index(column)].strip()
    assert "未导入任何数据" in exc.message


def test_chinese_headers_are_named_as_written(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "中文.csv", FLOW_ZH, [
        [R, "2019", "森林", "F11", "增加", "造林更新", "1", "公顷"],
        [R, "2019", "森林", "F11", "减少", "采伐消耗", "1", "公顷"],   # harvest is for volumes
        [R, "2019", "森林", "F12", "增加", "造林更新", "1,5", "公顷"]])
    exc = rejected(project, path)
    assert places(exc) == {("中文.csv", 3, "变动原因"), ("中文.csv", 4, "数值")}
    assert "中文.csv" in str(exc) and "第 3 行" in str(exc) and "列「变动原因」" in str(exc)


def test_thousands_separators_are_accepted(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", STOCK_H, [
        [R, "2018", "land", "0101", "1,234.50", "公顷"], [R, "2018", "land", "0102", "12,345,678", "公顷"],
        [R, "2018", "land", "0103", "１，２３４．５", "公顷"]])
    import_file(project, path)
    assert rows(project, "SELECT item, value FROM stock ORDER BY item") == [
        ("0101", 1234.5), ("0102", 12345678.0), ("0103", 1234.5)]


@pytest.mark.parametrize("value", ["1,23", "1,2345.6", "12.3.4", "1 234", "abc", "--1", "1e", "nan", "inf"])
def test_malformed_numbers_are_rejected(project: Project, tmp_path: Path, value: str) -> None:
    path = write_csv(tmp_path / "s.csv", STOCK_H, [GOOD_STOCK, [R, "2018", "land", "0102", value, "公顷"]])
    exc = rejected(project, path)
    assert places(exc) == {("s.csv", 3, "value")}


def test_duplicate_stock_key_names_the_first_row(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "dup.csv", STOCK_H, [
        [R, "2018", "land", "0101", "1", "公顷"], [R, "2018", "land", "0102", "2", "公顷"],
        [R, "2018", "land", "0103", "3", "公顷"], [R, "2018", "land", "0102", "4", "公顷"]])
    exc = rejected(project, path)
    assert places(exc) == {("dup.csv", 5, "item")}
    assert "第 3 行" in exc.issues[0].message


def test_same_item_by_code_and_by_name_is_a_duplicate(project: Project, tmp_path: Path) -> None:
    # 水田 *is* 0101 (not a suffixed survey code that rolls up): two values for one key must not be
    # silently added together.
    path = write_csv(tmp_path / "twice.csv", STOCK_H, [
        [R, "2018", "land", "0101", "10", "公顷"], [R, "2018", "land", "水田", "10", "公顷"]])
    exc = rejected(project, path)
    assert places(exc) == {("twice.csv", 3, "item")}
    assert "第 2 行" in exc.issues[0].message


def test_duplicate_target_and_official(project: Project, tmp_path: Path) -> None:
    t = write_csv(tmp_path / "t.csv", TARGET_H, [[R, "CULT", "2021", "2025", ">=", "1", "yes", ""],
                                                 [R, "CULT", "2021", "2025", ">=", "2", "yes", ""]])
    exc = rejected(project, t)
    assert places(exc) == {("t.csv", 3, "indicator")}
    assert "第 2 行" in exc.issues[0].message
    o = write_csv(tmp_path / "o.csv", OFFICIAL_H, [["A1", "甲", "县长", R, "2018-07-16", "2020-01-01"],
                                                   ["A2", "乙", "县长", R, "2018-07-16", ""],
                                                   ["A1", "丙", "县长", R, "2019-07-16", ""]])
    exc = rejected(project, o)
    assert places(exc) == {("o.csv", 4, "id")}
    assert "第 2 行" in exc.issues[0].message


def test_missing_required_column_is_listed(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "nov.csv", ["region", "year", "resource", "item", "unit"],
                     [[R, "2018", "land", "0101", "公顷"]])
    exc = rejected(project, path, kind="stocks")
    assert "nov.csv" in exc.message and "value" in exc.message and "数值" in exc.message
    assert "region" not in exc.message
    flows = write_csv(tmp_path / "f.csv", ["region", "year", "resource", "item", "value"],
                      [[R, "2018", "land", "0101", "1"]])
    exc = rejected(project, flows, kind="flows")
    assert "direction" in exc.message and "cause" in exc.message


def test_unrecognisable_header_suggests_kind(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "what.csv", ["甲", "乙", "丙"], [["1", "2", "3"]])
    exc = rejected(project, path)
    assert "--kind" in exc.message
    assert "甲" in exc.message  # shows the header it saw
    exc = rejected(project, path, kind="nonsense")
    assert "nonsense" in exc.message


# --- all problems at once -----------------------------------------------------------------------

def test_all_problems_are_reported_at_once(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "many.csv", STOCK_H, [
        [R, "2018", "land", "0101", "1", "公顷"],
        [R, "2018", "land", "0199", "1", "公顷"],        # row 3: unknown item
        [R, "2018", "land", "0102", "x", "公顷"],        # row 4: not a number
        [R, "2018", "land", "0103", "1", "亩"],
        [R, "2099", "land", "0202", "1", "furlong"],     # row 6: year and unit
        ["12", "2018", "land", "0201", "-1", "公顷"],    # row 7: region and negative
    ])
    exc = rejected(project, path)
    assert len(exc.issues) >= 3
    assert places(exc) == {("many.csv", 3, "item"), ("many.csv", 4, "value"), ("many.csv", 6, "year"),
                           ("many.csv", 6, "unit"), ("many.csv", 7, "region"), ("many.csv", 7, "value")}
    assert len({i.location.row for i in exc.issues}) == 4


def test_sample_bad_import_is_rejected_at_the_right_rows(sample_project: Project) -> None:
    path = sample_data_dir() / "problems" / "bad_import.csv"
    exc = rejected(sample_project, path)
    assert places(exc) == {("bad_import.csv", 4, "from"), ("bad_import.csv", 5, "area"),
                           ("bad_import.csv", 6, "area"), ("bad_import.csv", 7, "year"),
                           ("bad_import.csv", 8, "year")}
    assert issue_at(exc, "bad_import.csv", 4, "from").value == "0199"
    assert issue_at(exc, "bad_import.csv", 5, "area").value == "12,3a"


# --- all or nothing -----------------------------------------------------------------------------

def test_rejected_file_with_mostly_good_rows_writes_nothing(sample_project: Project, tmp_path: Path) -> None:
    good = [["990121", "2019", "land", code, "1", "公顷"] for code in ("0101", "0102", "0103")]
    path = write_csv(tmp_path / "mixed.csv", STOCK_H, [*good, ["990121", "2019", "land", "0201", "?", "公顷"]])
    exc = rejected(sample_project, path)
    assert places(exc) == {("mixed.csv", 5, "value")}


def test_double_counting_refusal_changes_nothing(sample_project: Project, tmp_path: Path) -> None:
    # Valid rows, but 2019 land changes of 990121 are already imported: refused in the writer.
    path = write_csv(tmp_path / "more.csv", LAND_H, [["990121", "2019", "0101", "0702", "1", "CON", "公顷"]])
    exc = rejected(sample_project, path)
    assert "990121" in exc.message and "2019" in exc.message and "--replace" in exc.message


def test_region_cycle_refused_in_the_writer_changes_nothing(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cycle.csv", REGION_H, [
        ["990005", "独立县", "", "1", "公顷"], ["990006", "甲", "990007", "", ""], ["990007", "乙", "990006", "", ""]])
    rejected(project, path)
    assert rows(project, "SELECT code FROM region") == [(R,)]


# --- re-imports and replacing -------------------------------------------------------------------

def test_same_file_twice_is_refused_then_replace_accepted(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", STOCK_H, [GOOD_STOCK])
    assert import_file(project, path).inserted == 1
    exc = rejected(project, path)
    assert "--replace" in exc.message
    copy = tmp_path / "again.csv"  # same bytes under another name: still the same data
    copy.write_bytes(path.read_bytes())
    exc = rejected(project, copy)
    assert "again.csv" in exc.message and "「s.csv」" in exc.message and "--replace" in exc.message
    result = import_file(project, copy, replace=True)
    assert (result.inserted, result.updated, result.unchanged) == (0, 0, 1)
    assert rows(project, "SELECT COUNT(*) FROM import_batch WHERE kind = 'stocks'") == [(2,)]
    assert rows(project, "SELECT item, value FROM stock") == [("0101", 10.0)]


@pytest.mark.parametrize("kind", ["flows", "land_changes"])
def test_second_flows_file_for_same_year_is_double_counting(project: Project, tmp_path: Path, kind: str) -> None:
    if kind == "flows":
        header = FLOW_H
        first = [[R, "2019", "forest", "F11", "add", "AFF", "5", "公顷"],
                 [R, "2019", "forest", "F11", "reduce", "OCC", "2", "公顷"],
                 [R, "2020", "forest", "F11", "add", "AFF", "7", "公顷"]]
        second = [[R, "2019", "forest", "F12", "add", "AFF", "3", "公顷"]]
        resource = "forest"
    else:
        header = LAND_H
        first = [[R, "2019", "0101", "0702", "5", "CON", "公顷"], [R, "2019", "0102", "0702", "2", "CON", "公顷"],
                 [R, "2020", "0101", "0702", "7", "CON", "公顷"]]
        second = [[R, "2019", "0103", "0702", "3", "CON", "公顷"]]
        resource = "land"
    import_file(project, write_csv(tmp_path / "first.csv", header, first))
    first_batch = rows(project, "SELECT MAX(id) FROM import_batch")[0][0]
    second_path = write_csv(tmp_path / "second.csv", header, second)
    exc = rejected(project, second_path)
    assert "first.csv" in exc.message and "--replace" in exc.message

    result = import_file(project, second_path, replace=True)
    assert result.replaced == 2 and result.inserted == 1
    year_2019 = f"SELECT value, batch_id FROM flow WHERE year = 2019 AND resource = '{resource}'"
    got = rows(project, year_2019)
    assert [v for v, _ in got] == [3.0]
    assert all(b != first_batch for _, b in got)
    # Another year of the old file is not touched.
    assert rows(project, "SELECT value, batch_id FROM flow WHERE year = 2020") == [(7.0, first_batch)]
    assert rows(project, "SELECT SUM(value) FROM flow WHERE year = 2019") == [(3.0,)]
    log = rows(project, "SELECT action, entity FROM change_log WHERE action = 'replace'")
    assert log == [("replace", "flow")]


def test_flows_and_land_changes_do_not_clash(project: Project, tmp_path: Path) -> None:
    import_file(project, write_csv(tmp_path / "lc.csv", LAND_H, [GOOD_LAND]))
    import_file(project, write_csv(tmp_path / "f.csv", FLOW_H,
                                   [[R, "2019", "land", "0101", "add", "ADJ", "0.5", "公顷"]]))
    assert rows(project, "SELECT COUNT(*) FROM flow") == [(2,)]


def test_changed_stock_is_updated_and_logged(project: Project, tmp_path: Path) -> None:
    import_file(project, write_csv(tmp_path / "v1.csv", STOCK_H, [
        [R, "2018", "land", "0101", "100", "公顷"], [R, "2018", "land", "0102", "50", "公顷"]]))
    result = import_file(project, write_csv(tmp_path / "v2.csv", STOCK_H, [
        [R, "2018", "land", "0101", "1800", "亩"], [R, "2018", "land", "0102", "50", "公顷"],
        [R, "2018", "land", "0103", "5", "公顷"]]))
    assert (result.inserted, result.updated, result.unchanged) == (1, 1, 1)
    assert rows(project, "SELECT item, value FROM stock ORDER BY item") == [
        ("0101", 120.0), ("0102", 50.0), ("0103", 5.0)]
    log = rows(project, "SELECT key, old, new, batch_id FROM change_log WHERE entity = 'stock' AND action = 'update'")
    assert len(log) == 1
    key, old, new, batch = log[0]
    assert json.loads(key) == {"region_code": R, "year": 2018, "resource": "land", "item": "0101"}
    assert json.loads(old) == 100.0 and json.loads(new) == 120.0
    assert batch == rows(project, "SELECT MAX(id) FROM import_batch")[0][0]


def test_sample_stocks_with_errors_rows_replace_clean_values(sample_project: Project, tmp_path: Path) -> None:
    # sample_data/README: these rows are imported on top of the clean set, each replacing the stored
    # value (the fourth row of that file, a negative stock, is refused by the importer by design).
    lines = (sample_data_dir() / "problems" / "stocks_with_errors.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "stocks_with_errors_3.csv"
    path.write_text("\n".join(lines[:4]) + "\n", encoding="utf-8")
    stocks = "SELECT resource, year, item, value FROM stock"
    before = {(r, y, i): v for r, y, i, v in rows(sample_project, stocks)}
    result = import_file(sample_project, path)
    assert (result.inserted, result.updated, result.unchanged) == (0, 3, 0)
    after = {(r, y, i): v for r, y, i, v in rows(sample_project, stocks)}
    assert after[("land", 2025, "0101")] == pytest.approx(before[("land", 2025, "0101")] + 12.34)
    assert after[("forest", 2025, "F11")] == pytest.approx(before[("forest", 2025, "F11")] - 250.0)
    assert after[("wetland", 2024, "SD1106")] == pytest.approx(before[("wetland", 2024, "SD1106")] + 8.88)
    assert {k for k in before if before[k] != after[k]} == {
        ("land", 2025, "0101"), ("forest", 2025, "F11"), ("wetland", 2024, "SD1106")}
    assert rows(sample_project,
                "SELECT COUNT(*) FROM change_log WHERE entity = 'stock' AND action = 'update'") == [(3,)]


# --- the command line ----------------------------------------------------------------------------

def test_cli_bad_file_exits_2_and_prints_location(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "cli.db"
    regions = write_csv(tmp_path / "regions.csv", ["region", "name"], [[R, "测试县"]])
    assert main(["import", str(db), str(regions)]) == 0
    bad = write_csv(tmp_path / "bad_stock.csv", STOCK_H, [GOOD_STOCK, [R, "2018", "land", "0102", "12,3a", "公顷"]])
    capsys.readouterr()
    assert main(["import", str(db), str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad_stock.csv" in err and "第 3 行" in err and "列「value」" in err and "12,3a" in err
    p = Project.open(db)
    try:
        assert rows(p, "SELECT COUNT(*) FROM stock") == [(0,)]
    finally:
        p.close()
