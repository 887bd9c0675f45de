"""Importing 存量及变动表 (kind wide): the tool's own workbook (every sheet in one run, all or nothing)
and hand-made variants — merged two-level headers, 单位：亩/万亩 in the title, subtotal rows (a
wrong one rejected with its place), blank spacer rows, numbers stored as text with thousands
separators, region/year from the title, the sheet name or the command line, unknown row labels and
bad numbers located; openings and stored flows compared; the CLI and the preview."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLE_REGION, rejected, rows, snapshot

from balancesheet.cli import main
from balancesheet.importer import import_file
from balancesheet.importer.preview import preview
from balancesheet.project import Project
from balancesheet.reports.render import balance_sheet_report
from balancesheet.resources import sample_data_dir

R = "990001"  # the `project` fixture's region, 测试县
STOCKS = "SELECT year, item, value FROM stock WHERE resource = :r ORDER BY year, item"

# A hand-made land table: names only, parents and a group as subtotals, text numbers, a spacer.
#        项目        期初存量     增加·人为 增加·自然 减少·人为 减少·自然 期末存量
LAND = [
    ["耕地（合计）", "1,300.00", "10", "", "5", "", "1,310.50"],
    ["  其中：水田", "100.00", "5", "", "", "", "105.00"],
    ["  水浇地", "50", "", "", "", "", "50"],
    ["  旱地", "1,150.00", "5", "", "5", "", "1,155.50"],
    [],
    ["林地小计", "200", "", "", "10", "", "190.25"],
    ["乔木林地", "150", "", "", "10", "", "140.25"],
    ["竹林地", "50", "", "", "", "", "50"],
    ["农用地合计", "1,500.00", "", "", "", "", "1,500.75"],
]
LEAVES_2024 = [("0101", 105.0), ("0102", 50.0), ("0103", 1155.5), ("0301", 140.25), ("0302", 50.0)]
LEAVES_2023 = [("0101", 100.0), ("0102", 50.0), ("0103", 1150.0), ("0301", 150.0), ("0302", 50.0)]


def handmade(path: Path, body: list[list[object]] | None = None, title: str = "测试县2024年土地资源存量及变动表",
             unit: str = "单位：公顷", sheet: str = "Sheet1",
             footer: tuple[str, ...] = ("填报单位：测试县自然资源局", "填表人：张三")) -> Path:
    """A table as a county makes it in Excel: title, unit line, two merged header rows, body, footer."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append([title])
    ws.append([unit])
    ws.append(["项目", "期初存量", "本期增加", None, "本期减少", None, "期末存量"])
    ws.append([None, None, "人为因素", "自然因素", "人为因素", "自然因素", None])
    for cells in ("A1:G1", "A3:A4", "B3:B4", "C3:D3", "E3:F3", "G3:G4"):
        ws.merge_cells(cells)
    for row in LAND if body is None else body:
        ws.append(row)
    ws.append([])
    for line in footer:
        ws.append([line])
    wb.save(path)
    return path


def first_data_row(body: list[list[object]], label: str) -> int:
    """Spreadsheet row of the body row labelled ``label`` (body starts at row 5)."""
    return 5 + next(i for i, r in enumerate(body) if r and str(r[0]).strip() == label)


# --- hand-made variants -------------------------------------------------------------------------

def test_merged_headers_text_numbers_spacers_and_subtotals(project: Project, tmp_path: Path) -> None:
    result = import_file(project, handmade(tmp_path / "土地2024.xlsx"))
    assert result.kind == "wide" and result.rows == 5
    got = rows(project, STOCKS.replace(":r", "'land'"))
    assert got == [(2023, c, v) for c, v in LEAVES_2023] + [(2024, c, v) for c, v in LEAVES_2024]
    assert any("已将期初存量作为 2023 年末存量导入（5 项）" in n for n in result.notes)
    assert any("本期增加/减少未导入" in n for n in result.notes)
    # subtotals and groups are recomputed, never stored
    assert rows(project, "SELECT COUNT(*) FROM stock WHERE item IN ('01', '03', 'G1', 'T')") == [(0,)]
    assert rows(project, "SELECT kind, rows FROM import_batch ORDER BY id DESC LIMIT 1") == [("wide", 5)]


@pytest.mark.parametrize(("unit", "factor"), [("单位：亩", 1 / 15), ("单位：万亩", 10000 / 15),
                                              ("计量单位：公顷（另注单位者除外）", 1.0)])
def test_unit_in_the_title_line_is_converted(project: Project, tmp_path: Path, unit: str, factor: float) -> None:
    import_file(project, handmade(tmp_path / "t.xlsx", unit=unit))
    got = dict(((y, c), v) for y, c, v in rows(project, STOCKS.replace(":r", "'land'")))
    for code, value in LEAVES_2024:
        assert got[(2024, code)] == pytest.approx(value * factor, abs=5e-9), code  # stored to 8 decimals


def test_unit_named_in_the_column_header(project: Project, tmp_path: Path) -> None:
    path = handmade(tmp_path / "t.xlsx", unit="")
    wb = openpyxl.load_workbook(path)
    wb.active["G3"] = "期末存量（亩）"
    wb.active["B3"] = "期初存量（亩）"
    wb.save(path)
    import_file(project, path)
    assert rows(project, "SELECT value FROM stock WHERE year = 2024 AND item = '0101'") == [(pytest.approx(7.0),)]


def test_wrong_subtotal_is_rejected_with_its_place(project: Project, tmp_path: Path) -> None:
    body = [list(r) for r in LAND]
    body[0][6] = "1,311.50"  # 耕地 closing: its items sum to 1,310.50
    exc = rejected(project, handmade(tmp_path / "t.xlsx", body))
    assert len(exc.issues) == 1
    issue = exc.issues[0]
    assert (issue.location.sheet, issue.location.row, issue.location.column) == ("Sheet1", 5, "G 期末存量")
    assert "合计行" in issue.message and "1,310.5000" in issue.message and "相差 1.0000" in issue.message
    assert issue.value == "1311.5"


def test_subtotal_within_rounding_passes(project: Project, tmp_path: Path) -> None:
    body = [list(r) for r in LAND]
    body[0][6] = "1,310.51"  # three items rounded to 2 decimals: ±0.015 allowed
    import_file(project, handmade(tmp_path / "t.xlsx", body))
    assert rows(project, "SELECT COUNT(*) FROM stock WHERE year = 2024") == [(5,)]


def test_wrong_group_subtotal_and_opening_subtotal_are_rejected(project: Project, tmp_path: Path) -> None:
    body = [list(r) for r in LAND]
    body[8][6] = "1,600.75"  # 农用地 (group G1) closing
    body[5][1] = "210"       # 林地 opening
    exc = rejected(project, handmade(tmp_path / "t.xlsx", body))
    assert sorted((i.location.row, i.location.column) for i in exc.issues) == [
        (first_data_row(body, "林地小计"), "B 期初存量"), (first_data_row(body, "农用地合计"), "G 期末存量")]


def test_unknown_row_label_and_bad_number_are_located(project: Project, tmp_path: Path) -> None:
    body = [list(r) for r in LAND] + [["水稻田", "1", "", "", "", "", "2"], ["盐碱地", "3", "", "", "", "", "12,34.5"]]
    exc = rejected(project, handmade(tmp_path / "t.xlsx", body))
    places = {(i.location.file, i.location.sheet, i.location.row, i.location.column): i for i in exc.issues}
    unknown = places[("t.xlsx", "Sheet1", 14, "A 项目")]
    assert "「水稻田」不在土地资源目录中" in unknown.message and unknown.value == "水稻田"
    bad = places[("t.xlsx", "Sheet1", 15, "G 期末存量")]
    assert bad.message == "不是数字" and bad.value == "12,34.5"
    assert len(exc.issues) == 2
    assert "第 14 行" in str(exc) and "列「A 项目」" in str(exc)


def test_code_and_name_must_agree_and_numeric_codes_get_their_zero(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["测试县2024年土地资源存量及变动表"])
        w.writerow(["代码", "项目", "期初存量", "期末存量"])
        w.writerow(["101", "水田", "1", "2"])          # 101 typed as a number → 0101
        w.writerow(["0102", "旱地", "1", "2"])         # 0102 is 水浇地
        w.writerow(["0102", "水浇地", "1", "2"])
        w.writerow(["0102", "", "1", "3"])            # the same item twice
    exc = rejected(project, path)
    assert sorted((i.location.row, i.location.column) for i in exc.issues) == [(4, "B 项目"), (6, "B 项目")]
    assert "代码与名称不一致" in exc.issues[0].message and "同一项目重复" in exc.issues[1].message


def test_heading_rows_without_numbers_are_skipped_with_a_note(project: Project, tmp_path: Path) -> None:
    body = [["（一）按地类分"], *LAND]
    result = import_file(project, handmade(tmp_path / "t.xlsx", body))
    assert any("第 5 行没有数值、也不是目录中的项目，视为标题行" in n for n in result.notes)
    assert rows(project, "SELECT COUNT(*) FROM stock WHERE year = 2024") == [(5,)]


def test_dashes_are_blank_and_a_leaf_without_closing_is_not_stored(project: Project, tmp_path: Path) -> None:
    body = [list(r) for r in LAND]
    body[2] = ["  水浇地", "—", "", "", "", "", "—"]
    body[0] = ["耕地（合计）", "1,250.00", "", "", "", "", "1,260.50"]
    body[8] = ["农用地合计", "1,450.00", "", "", "", "", "1,450.75"]
    import_file(project, handmade(tmp_path / "t.xlsx", body))
    assert rows(project, "SELECT year, value FROM stock WHERE item = '0102'") == []


def test_forest_rows_in_their_own_units_and_derived_items_checked(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "森林.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["测试县２０２４年森林资源存量及变动表"])  # full-width digits in the title
        w.writerow(["单位：公顷、立方米"])
        w.writerow(["代码", "项目", "单位", "期初存量", "期末存量"])
        w.writerow(["甲", "乙", "丙", "1", "2"])  # the column-number row of official tables
        w.writerow(["F11", "乔木林地", "", "10", "１２.５"])
        w.writerow(["V11", "天然林蓄积", "万立方米", "1", "1.5"])
        w.writerow(["V12", "人工林蓄积", "", "100", "200"])
        w.writerow(["V1", "森林蓄积", "立方米", "10100", "15200"])
        for code in ("V2", "V3", "V4"):
            w.writerow([code, "", "", "0", "0"])
        w.writerow(["V0", "活立木总蓄积", "立方米", "10100", "15300"])  # formula: V1 + V2 + V3 + V4 = 15200
    result = import_file(project, path)
    assert rows(project, "SELECT year, item, value, unit FROM stock ORDER BY year, item") == [
        (2023, "F11", 10.0, "公顷"), (2023, "V11", 10000.0, "立方米"), (2023, "V12", 100.0, "立方米"),
        (2023, "V2", 0.0, "立方米"), (2023, "V3", 0.0, "立方米"), (2023, "V4", 0.0, "立方米"),
        (2024, "F11", 12.5, "公顷"), (2024, "V11", 15000.0, "立方米"), (2024, "V12", 200.0, "立方米"),
        (2024, "V2", 0.0, "立方米"), (2024, "V3", 0.0, "立方米"), (2024, "V4", 0.0, "立方米")]
    note = next(n for n in result.notes if "计算项与公式结果不同" in n)
    assert "第 12 行 V0 活立木总蓄积 表中 15,300.0000，按目录公式 15,200.0000" in note


def test_unknown_unit_and_unit_of_another_dimension_are_located(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "森林.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["测试县2024年森林资源存量及变动表"])
        w.writerow(["代码", "项目", "单位", "期初存量", "期末存量"])
        w.writerow(["F11", "乔木林地", "顷", "10", "12"])
        w.writerow(["V11", "天然林蓄积", "亩", "1", "2"])
    exc = rejected(project, path)
    assert [(i.location.row, i.location.column, i.value) for i in exc.issues] == [
        (3, "C 单位", "顷"), (4, "C 单位", "亩")]
    assert "未知单位" in exc.issues[0].message and "量纲不同" in exc.issues[1].message


def test_region_and_year_from_the_cover_sheet(project: Project, tmp_path: Path) -> None:
    path = handmade(tmp_path / "t.xlsx", title="土地资源存量及变动表", sheet="土地", footer=())
    wb = openpyxl.load_workbook(path)
    cover = wb.create_sheet("封面", 0)
    for line in (["自然资源资产负债表"], ["区划代码：", R], ["报告期：", "2024年"], ["报出日期：", "2025年3月1日"]):
        cover.append(line)
    wb.save(path)
    result = import_file(project, path)
    assert rows(project, "SELECT DISTINCT region_code, year FROM stock ORDER BY year") == [(R, 2023), (R, 2024)]
    assert any("其他工作表不是此格式，已略过：封面" in n for n in result.notes)


# --- region and year ----------------------------------------------------------------------------

def test_region_and_year_missing_from_the_file(project: Project, tmp_path: Path) -> None:
    path = handmade(tmp_path / "t.xlsx", title="土地资源存量及变动表", footer=())
    exc = rejected(project, path)
    messages = " ".join(i.message for i in exc.issues)
    assert "未能从文件中识别区划" in messages and "--region" in messages
    assert "未能从文件中识别年度" in messages and "--year" in messages
    assert all(i.location.sheet == "Sheet1" for i in exc.issues)
    import_file(project, path, region=R, year=2024)
    assert rows(project, "SELECT COUNT(*) FROM stock WHERE year = 2024 AND region_code = '990001'") == [(5,)]


def test_year_from_the_sheet_name_and_region_from_the_filing_unit(project: Project, tmp_path: Path) -> None:
    path = handmade(tmp_path / "t.xlsx", title="土地资源存量及变动表", sheet="2024年", footer=("填报单位：测试县",))
    import_file(project, path)
    assert rows(project, "SELECT COUNT(*) FROM stock WHERE year = 2024") == [(5,)]


def test_command_line_that_contradicts_the_file_is_refused(project: Project, tmp_path: Path) -> None:
    exc = rejected(project, handmade(tmp_path / "t.xlsx"), year=2023)
    assert "与 --year 给出的「2023」不同" in exc.issues[0].message
    exc = rejected(project, handmade(tmp_path / "t.xlsx"), region="990099")
    assert "不在项目中" in exc.issues[0].message


def test_span_title_sets_the_opening_year(project: Project, tmp_path: Path) -> None:
    path = handmade(tmp_path / "t.xlsx", title="测试县2020年末至2024年末土地资源存量及变动表")
    result = import_file(project, path)
    assert rows(project, "SELECT DISTINCT year FROM stock ORDER BY year") == [(2020,), (2024,)]
    assert any("2020 年末" in n for n in result.notes)


# --- openings and flows against the project -------------------------------------------------------

def test_opening_that_differs_from_the_stored_year_is_noted_not_written(project: Project, tmp_path: Path) -> None:
    from conftest import write_csv

    import_file(project, write_csv(tmp_path / "s.csv", ["region", "year", "resource", "item", "value"],
                                   [[R, 2023, "land", "0101", "99"]]))
    result = import_file(project, handmade(tmp_path / "t.xlsx"))
    assert rows(project, "SELECT year, item, value FROM stock WHERE year = 2023") == [(2023, "0101", 99.0)]
    note = next(n for n in result.notes if "期初存量与项目中 2023 年末存量不一致" in n)
    assert "0101 表中 100.00，已有 99.00" in note
    partial = next(n for n in result.notes if "没有其中 4 项" in n)
    assert "如 0102、0103、0301、0302" in partial and "期初存量未导入" in partial


def test_several_years_in_the_title_need_the_command_line(project: Project, tmp_path: Path) -> None:
    path = handmade(tmp_path / "t.xlsx", title="测试县2024年土地资源存量及变动表（2025年修订）")
    exc = rejected(project, path)
    assert "文件中出现多个年度（2024、2025），请用 --year 指定" in exc.issues[0].message
    import_file(project, path, year=2024)
    assert rows(project, "SELECT DISTINCT year FROM stock ORDER BY year") == [(2023,), (2024,)]


# --- the tool's own workbook ----------------------------------------------------------------------

@pytest.fixture
def sample_workbook(sample_db: Path, tmp_path: Path) -> Path:
    p = Project.open(sample_db)
    try:
        out = tmp_path / "青岚县2023年自然资源资产负债表.xlsx"
        balance_sheet_report(p, SAMPLE_REGION, 2023, out)
    finally:
        p.close()
    return out


def fresh_with_sample_regions(tmp_path: Path) -> Project:
    p = Project.open(tmp_path / "fresh.db", create=True)
    import_file(p, sample_data_dir() / "regions.csv")
    return p


def test_exported_workbook_imports_every_sheet(sample_db: Path, sample_workbook: Path, tmp_path: Path) -> None:
    fresh = fresh_with_sample_regions(tmp_path)
    try:
        result = import_file(fresh, sample_workbook)
        imported = rows(fresh, "SELECT resource, item, value, unit FROM stock WHERE year = 2023 "
                               "ORDER BY resource, item")
    finally:
        fresh.close()
    source = Project.open(sample_db)
    try:
        expected = rows(source, "SELECT resource, item, value, unit FROM stock WHERE year = 2023 "
                                "AND region_code = '990121' ORDER BY resource, item")
    finally:
        source.close()
    assert imported == expected
    assert {r for r, *_ in imported} == {"land", "forest", "water", "wetland"}
    assert any("已读取 4 个存量及变动表工作表（土地、森林、水资源、湿地）" in n for n in result.notes)


def test_one_bad_sheet_rejects_the_whole_workbook(sample_workbook: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(sample_workbook)
    ws = wb["森林"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "F11")
    ws.cell(row, 14).value = "abc"
    wb.save(sample_workbook)
    fresh = fresh_with_sample_regions(tmp_path)
    try:
        exc = rejected(fresh, sample_workbook)
        assert rows(fresh, "SELECT COUNT(*) FROM stock") == [(0,)]
    finally:
        fresh.close()
    assert [(i.location.sheet, i.location.row, i.location.column) for i in exc.issues] == [
        ("森林", row, "N 期末存量（实测）")]


def test_flows_are_compared_with_the_stored_ones(sample_project: Project, sample_workbook: Path,
                                                 tmp_path: Path) -> None:
    before = snapshot(sample_project)["stock"]
    result = import_file(sample_project, sample_workbook)
    assert result.unchanged == result.rows == 117 and result.inserted == result.updated == 0
    assert snapshot(sample_project)["stock"] == before
    assert not any("不一致" in n for n in result.notes), result.notes
    changed = tmp_path / "changed.xlsx"
    wb = openpyxl.load_workbook(sample_workbook)
    ws = wb["土地"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "0101")
    ws.cell(row, 5).value = (ws.cell(row, 5).value or 0) + 7
    wb.save(changed)
    result = import_file(sample_project, changed)
    note = next(n for n in result.notes if "本期增加/减少与项目中已有的变动记录不一致" in n)
    assert "0101 水田 add_human" in note and "（宽表的增减不导入）" in note


def test_table_csv_imports_with_region_and_year(sample_db: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    db = tmp_path / "copy.db"
    shutil.copy(sample_db, db)
    assert main(["table", str(db), "--region", SAMPLE_REGION, "--year", "2023", "--resource", "forest",
                 "--csv"]) == 0
    path = tmp_path / "forest.csv"
    path.write_text(capsys.readouterr().out, encoding="utf-8")
    fresh = fresh_with_sample_regions(tmp_path)
    try:
        exc = rejected(fresh, path)  # recognised from its English header (item, opening, observed_closing)
        assert {i.message.split("：")[0] for i in exc.issues} == {"未能从文件中识别区划", "未能从文件中识别年度"}
        import_file(fresh, path, region=SAMPLE_REGION, year=2023)
        got = rows(fresh, "SELECT item, value FROM stock WHERE year = 2023 ORDER BY item")
    finally:
        fresh.close()
    source = Project.open(sample_db)
    try:
        assert got == rows(source, "SELECT item, value FROM stock WHERE year = 2023 AND resource = 'forest' "
                                   "AND region_code = '990121' ORDER BY item")
    finally:
        source.close()


# --- command line and preview -----------------------------------------------------------------------

def test_cli_recognises_the_layout_and_takes_region_and_year(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    db = tmp_path / "p.db"
    assert main(["import", str(db), str(sample_data_dir() / "regions.csv")]) == 0
    detected = handmade(tmp_path / "a.xlsx", title="青岚县2024年土地资源存量及变动表")
    assert main(["import", str(db), str(detected)]) == 0
    out = capsys.readouterr().out
    assert "a.xlsx：存量及变动表 5 行" in out
    plain = handmade(tmp_path / "b.xlsx", title="土地资源存量及变动表", footer=())
    assert main(["import", str(db), str(plain), "--kind", "wide"]) == 2
    assert "在命令行用 --region 指定" in capsys.readouterr().err
    assert main(["import", str(db), str(plain), "--kind", "wide", "--region", SAMPLE_REGION, "--year", "2022",
                 "--replace"]) == 0
    p = Project.open(db)
    try:
        assert rows(p, "SELECT year, COUNT(*) FROM stock GROUP BY year ORDER BY year") == [
            (2021, 5), (2022, 5), (2023, 5), (2024, 5)]
    finally:
        p.close()


def test_preview_shows_the_layout_and_every_problem(project: Project, tmp_path: Path) -> None:
    good = preview(project, handmade(tmp_path / "good.xlsx", unit="单位：亩"))
    assert good.clean and good.kind == "wide" and good.detected
    assert good.headers[:2] == ["A 项目", "B 期初存量"] and good.columns["G 期末存量"] == "closing"
    assert good.columns["C 本期增加/人为因素"] == "add_human" and good.units == ["亩"]
    assert good.sample[0] == (5, ["耕地（合计）", "1,300.00", "10", "", "5", "", "1,310.50"])
    assert rows(project, "SELECT COUNT(*) FROM stock") == [(0,)]
    body = [list(r) for r in LAND] + [["水稻田", "1", "", "", "", "", "2"]]
    bad = preview(project, handmade(tmp_path / "bad.xlsx", body))
    assert not bad.clean and [(i.location.row, i.location.column) for i in bad.issues] == [(14, "A 项目")]
    mapped = preview(project, handmade(tmp_path / "bad.xlsx", body), kind="wide",
                     columns={"A 项目": "", "B 期初存量": "name"})
    assert not mapped.clean and "B 期初存量" in mapped.columns


def test_a_file_that_is_neither_tidy_nor_wide_keeps_the_tidy_message(project: Project, tmp_path: Path) -> None:
    from conftest import write_csv

    exc = rejected(project, write_csv(tmp_path / "odd.csv", ["甲", "乙"], [["1", "2"]]))
    assert "无法从表头识别数据类型" in exc.message
    exc = rejected(project, write_csv(tmp_path / "odd.csv", ["甲", "乙"], [["1", "2"]]), kind="wide")
    assert "不是存量及变动表" in exc.message and "期末存量" in exc.message


def test_the_sample_example_matches_the_sample_county(sample_project: Project) -> None:
    """sample_data/examples/wide_zh.csv: 青岚县's 2025 forest table by hand — 亩, names only,
    合计 rows, a column-number row, text numbers — is exactly the sample county's data."""
    result = import_file(sample_project, sample_data_dir() / "examples" / "wide_zh.csv")
    assert (result.kind, result.rows, result.unchanged, result.inserted, result.updated) == ("wide", 15, 15, 0, 0)
    assert result.notes == []
