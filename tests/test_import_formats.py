"""Importing the tidy interchange formats (DESIGN.md §5): every kind, both header languages,
encodings, XLSX, unit conversion, aliases, names, dates, and the `balancesheet import` command."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from conftest import rows, write_csv, write_xlsx
from storage_backends import project_on_both_backends  # noqa: F401 - `project` on SQLite and PostgreSQL

from balancesheet.cli import main
from balancesheet.importer import import_file
from balancesheet.project import Project
from balancesheet.resources import sample_data_dir

R = "990001"  # the region of the `project` fixture


def new_project(tmp_path: Path, name: str) -> Project:
    p = Project.open(tmp_path / f"{name}.db", create=True)
    import_file(p, write_csv(tmp_path / f"{name}_regions.csv", ["region", "name", "area", "unit"],
                             [[R, "测试县", "1000", "公顷"]]))
    return p


STOCKS = "SELECT region_code, year, resource, item, value, unit FROM stock ORDER BY resource, item"
FLOWS = ("SELECT region_code, year, resource, from_item, to_item, cause, value FROM flow "
         "ORDER BY resource, COALESCE(from_item, to_item), cause")


# --- every kind, English and Chinese headers ------------------------------------------------

HEADERS = {
    "regions": (["region", "name", "parent", "area", "unit"],
                ["区划代码", "名称", "上级代码", "土地总面积", "单位"]),
    "stocks": (["region", "year", "resource", "item", "value", "unit"],
               ["区划代码", "年度", "资源", "项目代码", "数值", "单位"]),
    "flows": (["region", "year", "resource", "item", "direction", "cause", "value", "unit"],
              ["区划代码", "年度", "资源", "项目代码", "方向", "变动原因", "数值", "单位"]),
    "land_changes": (["region", "year", "from", "to", "area", "cause", "unit"],
                     ["区划代码", "年度", "变更前地类", "变更后地类", "面积", "变动原因", "单位"]),
    "targets": (["region", "indicator", "year_from", "year_to", "op", "value", "binding", "source"],
                ["区划代码", "指标", "起始年度", "截止年度", "比较", "目标值", "约束性", "依据"]),
    "officials": (["id", "name", "post", "region", "start", "end"],
                  ["编号", "姓名", "职务", "区划代码", "任职起", "任职止"]),
}

DATA = {
    "regions": [["990002", "新设县（虚构）", R, "12.5", "km²"]],
    "stocks": [[R, "2018", "land", "0101", "100.5", "公顷"], [R, "2018", "forest", "V11", "3000", "立方米"]],
    "flows": [[R, "2019", "forest", "F11", "add", "AFF", "10.25", "公顷"],
              [R, "2019", "forest", "V11", "reduce", "HRV", "50", "立方米"]],
    "land_changes": [[R, "2019", "0101", "0702", "1.5", "CON", "公顷"]],
    "targets": [[R, "CULT", "2021", "2025", ">=", "500", "yes", "某县规划（虚构）"]],
    "officials": [["GL9", "张三（虚构）", "县长", R, "2018-07-16", "2021-01-31"]],
}

EXPECTED = {
    "regions": ("SELECT code, name, parent_code, area_ha FROM region ORDER BY code",
                [(R, "测试县", None, 1000.0), ("990002", "新设县（虚构）", R, 1250.0)]),
    "stocks": (STOCKS, [(R, 2018, "forest", "V11", 3000.0, "立方米"), (R, 2018, "land", "0101", 100.5, "公顷")]),
    "flows": (FLOWS, [(R, 2019, "forest", None, "F11", "AFF", 10.25),
                      (R, 2019, "forest", "V11", None, "HRV", 50.0)]),
    "land_changes": (FLOWS, [(R, 2019, "land", "0101", "0702", "CON", 1.5)]),
    "targets": ("SELECT region_code, indicator, year_from, year_to, op, value, binding, source FROM target",
                [(R, "CULT", 2021, 2025, ">=", 500.0, 1, "某县规划（虚构）")]),
    "officials": ('SELECT id, name, post, region_code, CAST(start AS TEXT), CAST("end" AS TEXT) FROM official',
                  [("GL9", "张三（虚构）", "县长", R, "2018-07-16", "2021-01-31")]),
}


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("kind", list(HEADERS))
def test_each_kind_imports_from_csv(project: Project, tmp_path: Path, kind: str, language: str) -> None:
    header = HEADERS[kind][0 if language == "en" else 1]
    path = write_csv(tmp_path / f"{kind}_{language}.csv", header, DATA[kind])
    result = import_file(project, path)
    assert result.kind == kind  # detected from the header alone
    assert result.rows == len(DATA[kind])
    assert result.inserted == len(DATA[kind])
    sql, expected = EXPECTED[kind]
    assert rows(project, sql) == expected
    batch = rows(project, "SELECT file_name, kind, rows FROM import_batch ORDER BY id DESC LIMIT 1")
    assert batch == [(path.name, kind, len(DATA[kind]))]


def test_kinds_with_chinese_values_and_directions(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "flows_zh.csv", HEADERS["flows"][1], [
        [R, "2019", "森林", "乔木林地", "增加", "造林更新", "3", "公顷"],
        [R, "2019", "森林", "F11", "减少", "征占用林地", "2", "公顷"],
    ])
    assert import_file(project, path).kind == "flows"
    assert rows(project, FLOWS) == [(R, 2019, "forest", None, "F11", "AFF", 3.0),
                                    (R, 2019, "forest", "F11", None, "OCC", 2.0)]


# --- encodings -------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["stocks", "land_changes"])
def test_utf8_bom_and_gb18030_store_identical_data(tmp_path: Path, kind: str) -> None:
    header = HEADERS[kind][1]
    data = ([[R, "2018", "土地", "水田", "1500", "亩"], [R, "2018", "湿地", "SD1106", "7.5", "公顷"]]
            if kind == "stocks" else [[R, "2019", "0101", "0702", "15", "建设占用", "亩"]])
    sql = STOCKS if kind == "stocks" else FLOWS
    stored = {}
    for encoding in ("utf-8", "utf-8-sig", "gb18030"):
        p = new_project(tmp_path, encoding)
        try:
            path = write_csv(tmp_path / f"{kind}_{encoding}.csv", header, data, encoding=encoding)
            raw = path.read_bytes()
            assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
            assert import_file(p, path).kind == kind
            stored[encoding] = rows(p, sql)
        finally:
            p.close()
    assert stored["utf-8"] == stored["utf-8-sig"] == stored["gb18030"]
    if kind == "stocks":
        assert stored["utf-8"] == [(R, 2018, "land", "0101", 100.0, "公顷"),
                                   (R, 2018, "wetland", "SD1106", 7.5, "公顷")]
    else:
        assert stored["utf-8"] == [(R, 2019, "land", "0101", "0702", "CON", 1.0)]


# --- XLSX ------------------------------------------------------------------------------------

def test_xlsx_with_english_and_chinese_headers_imports_like_csv(tmp_path: Path) -> None:
    values = [[R, 2018, "land", "0101", 100.5, "公顷"], [R, 2018, "land", "0201", 1500, "亩"],
              [R, 2018, "forest", "V11", 3000.25, "立方米"], [R, 2018, "water", "S1", 1.5, "亿立方米"]]
    results = {}
    for label, header in (("en", HEADERS["stocks"][0]), ("zh", HEADERS["stocks"][1])):
        p = new_project(tmp_path, f"x_{label}")
        try:
            # Codes as text, years and values as numbers: what Excel holds.
            path = write_xlsx(tmp_path / f"stocks_{label}.xlsx", {"Sheet1": [header, *values]})
            result = import_file(p, path)
            assert result.kind == "stocks"
            assert result.rows == 4
            results[label] = rows(p, STOCKS)
        finally:
            p.close()
    p = new_project(tmp_path, "csv")
    try:
        import_file(p, write_csv(tmp_path / "stocks.csv", HEADERS["stocks"][0],
                                 [[str(c) for c in r] for r in values]))
        results["csv"] = rows(p, STOCKS)
    finally:
        p.close()
    assert results["en"] == results["zh"] == results["csv"]
    assert results["csv"] == [
        (R, 2018, "forest", "V11", 3000.25, "立方米"), (R, 2018, "land", "0101", 100.5, "公顷"),
        (R, 2018, "land", "0201", 100.0, "公顷"), (R, 2018, "water", "S1", 15000.0, "万立方米"),
    ]


def test_xlsx_numeric_region_codes_are_read_as_codes(project: Project, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "land.xlsx", {"变更": [
        HEADERS["land_changes"][1], [990001, 2019, "0101", "0702", 2.25, "建设占用", "公顷"]]})
    assert import_file(project, path).kind == "land_changes"
    assert rows(project, FLOWS) == [(R, 2019, "land", "0101", "0702", "CON", 2.25)]


# --- kind: detection and override ------------------------------------------------------------

def test_kind_auto_detected_and_overridden(project: Project, tmp_path: Path) -> None:
    header = ["region", "year", "resource", "item", "value", "unit", "direction", "cause"]
    data = [[R, "2019", "forest", "F11", "4", "公顷", "add", "AFF"]]
    auto = write_csv(tmp_path / "auto.csv", header, data)
    assert import_file(project, auto).kind == "flows"  # the most specific format wins
    assert rows(project, FLOWS) == [(R, 2019, "forest", None, "F11", "AFF", 4.0)]
    assert rows(project, STOCKS) == []

    forced = write_csv(tmp_path / "forced.csv", header, [[R, "2019", "forest", "F11", "5", "公顷", "", ""]])
    result = import_file(project, forced, kind="stocks")
    assert result.kind == "stocks"
    assert rows(project, STOCKS) == [(R, 2019, "forest", "F11", 5.0, "公顷")]


def test_cli_kind_override(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "cli.db"
    regions = write_csv(tmp_path / "r.csv", ["region", "name"], [[R, "测试县"]])
    odd = write_csv(tmp_path / "odd.csv", ["区划代码", "年度", "资源", "项目", "数值", "方向", "原因"],
                    [[R, "2018", "土地", "0101", "9", "", ""]])
    assert main(["import", str(db), str(regions)]) == 0
    capsys.readouterr()
    # From its header alone this is a flows table (with empty directions and causes): refused.
    assert main(["import", str(db), str(odd)]) == 2
    assert "方向" in capsys.readouterr().err
    assert main(["import", str(db), str(odd), "--kind", "stocks"]) == 0
    p = Project.open(db)
    try:
        assert rows(p, STOCKS) == [(R, 2018, "land", "0101", 9.0, "公顷")]
    finally:
        p.close()
    capsys.readouterr()


# --- unit conversion on import ---------------------------------------------------------------

def test_units_convert_to_the_item_unit_on_import(project: Project, tmp_path: Path) -> None:
    mu = write_csv(tmp_path / "mu.csv", HEADERS["stocks"][0], [
        [R, "2018", "land", "0101", "1500", "亩"], [R, "2018", "land", "0102", "3", "万亩"],
        [R, "2018", "land", "0103", "25000", "平方米"]])
    km = write_csv(tmp_path / "km.csv", HEADERS["stocks"][0], [
        [R, "2019", "land", "0101", "2", "km²"], [R, "2019", "land", "0102", "1.5", "平方公里"],
        [R, "2019", "land", "0103", "3", "ｋｍ２"]])
    water = write_csv(tmp_path / "water.csv", HEADERS["stocks"][0], [
        [R, "2018", "water", "S1", "1.5", "亿立方米"], [R, "2018", "water", "S2", "2500", "立方米"],
        [R, "2018", "water", "S3", "7", ""], [R, "2018", "forest", "V11", "2", "万立方米"]])
    for path in (mu, km, water):
        import_file(project, path)
    got = {(y, r, i): (v, u) for _, y, r, i, v, u in rows(project, STOCKS)}
    assert got[(2018, "land", "0101")] == (100.0, "公顷")
    assert got[(2018, "land", "0102")] == (2000.0, "公顷")
    assert got[(2018, "land", "0103")] == (2.5, "公顷")
    assert got[(2019, "land", "0101")] == (200.0, "公顷")
    assert got[(2019, "land", "0102")] == (150.0, "公顷")
    assert got[(2019, "land", "0103")] == (300.0, "公顷")
    assert got[(2018, "water", "S1")] == (15000.0, "万立方米")
    assert got[(2018, "water", "S2")] == (0.25, "万立方米")
    assert got[(2018, "water", "S3")] == (7.0, "万立方米")  # no unit: already the item's unit
    assert got[(2018, "forest", "V11")] == (20000.0, "立方米")


def test_region_area_and_land_change_units(project: Project, tmp_path: Path) -> None:
    import_file(project, write_csv(tmp_path / "r.csv", HEADERS["regions"][0],
                                   [["990003", "乙县", "", "30000", "亩"], ["990004", "丙县", "", "7", "平方公里"]]))
    assert rows(project, "SELECT code, area_ha FROM region WHERE code > '990002' ORDER BY code") == [
        ("990003", 2000.0), ("990004", 700.0)]
    import_file(project, write_csv(tmp_path / "lc.csv", HEADERS["land_changes"][0],
                                   [[R, "2019", "0101", "0702", "30", "CON", "亩"]]))
    assert rows(project, "SELECT value FROM flow") == [(2.0,)]


# --- resources, items, aliases, causes --------------------------------------------------------

def test_resource_spellings_and_item_names(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", HEADERS["stocks"][1], [
        [R, "2018", "土地", "水田", "10", "公顷"], [R, "2018", "森林", "乔木林地", "20", "公顷"],
        [R, "2018", "水资源", "水库蓄水量", "30", "万立方米"], [R, "2018", "湿地", "SD1106", "40", "公顷"],
        [R, "2018", "LAND", "0102", "50", "公顷"]])
    result = import_file(project, path)
    assert rows(project, "SELECT resource, item, value FROM stock ORDER BY value") == [
        ("land", "0101", 10.0), ("forest", "F11", 20.0), ("water", "S1", 30.0),
        ("wetland", "SD1106", 40.0), ("land", "0102", 50.0)]
    assert any("水田→0101" in n for n in result.notes)


def test_suffixed_codes_are_summed_into_the_base_code(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", HEADERS["stocks"][0], [
        [R, "2018", "land", "0201K", "12.5", "公顷"], [R, "2018", "land", "0201", "30", "公顷"],
        [R, "2018", "land", "1104A", "1", "公顷"], [R, "2018", "land", "1104", "2", "公顷"]])
    result = import_file(project, path)
    assert rows(project, STOCKS) == [(R, 2018, "land", "0201", 42.5, "公顷"), (R, 2018, "land", "1104", 3.0, "公顷")]
    assert result.rows == 2
    notes = " ".join(result.notes)
    assert "0201K→0201" in notes and "1104A→1104" in notes


def test_land_change_within_one_base_class_is_skipped_with_a_note(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "lc.csv", HEADERS["land_changes"][0], [
        [R, "2019", "1104A", "1104", "1.0", "CON", "公顷"],
        [R, "2019", "0201K", "0301", "2.0", "ECO", "公顷"]])
    result = import_file(project, path)
    assert rows(project, FLOWS) == [(R, 2019, "land", "0201", "0301", "ECO", 2.0)]
    assert result.inserted == 1
    assert any("略过" in n for n in result.notes)


def test_flows_direction_decides_from_or_to(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "f.csv", HEADERS["flows"][0], [
        [R, "2019", "water", "S1", "add", "PRC", "100", "万立方米"],
        [R, "2019", "water", "S1", "reduce", "ABS", "40", "万立方米"],
        [R, "2019", "wetland", "N2", "增加", "ADJ", "1", "公顷"],
        [R, "2019", "wetland", "N2", "减少", "ADJ", "2", "公顷"]])
    import_file(project, path)
    got = rows(project, "SELECT resource, from_item, to_item, cause, value FROM flow ORDER BY value")
    assert got == [("wetland", None, "N2", "ADJ", 1.0), ("wetland", "N2", None, "ADJ", 2.0),
                   ("water", "S1", None, "ABS", 40.0), ("water", None, "S1", "PRC", 100.0)]


def test_cause_by_chinese_name_and_empty_cause_is_na(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "lc.csv", HEADERS["land_changes"][1], [
        [R, "2019", "0101", "0702", "1", "建设占用", "公顷"],
        [R, "2019", "0102", "0301", "2", "", "公顷"],
        [R, "2019", "0103", "0404", "3", "灾毁", "公顷"]])
    import_file(project, path)
    assert rows(project, "SELECT from_item, to_item, cause FROM flow ORDER BY value") == [
        ("0101", "0702", "CON"), ("0102", "0301", "NA"), ("0103", "0404", "DIS")]


def test_land_changes_without_cause_column(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "lc.csv", ["region", "year", "from", "to", "area"],
                     [[R, "2019", "0101", "0102", "0.5"]])
    assert import_file(project, path).kind == "land_changes"
    assert rows(project, "SELECT cause, value FROM flow") == [("NA", 0.5)]


# --- dates and booleans ------------------------------------------------------------------------

def test_official_dates_in_every_form_parse_to_the_same_date(project: Project, tmp_path: Path) -> None:
    header = HEADERS["officials"][0]
    csv_path = write_csv(tmp_path / "o.csv", header, [
        ["A1", "甲", "县长", R, "2018-07-16", ""],
        ["A2", "乙", "县长", R, "2018/7/16", "2020/1/2"],
        ["A3", "丙", "县长", R, "2018年7月16日", "2020年1月2日"],
        ["A4", "丁", "县长", R, "2018.07.16", "20200102"]])
    import_file(project, csv_path)
    xlsx_path = write_xlsx(tmp_path / "o.xlsx", {"任职": [
        header,
        ["B1", "戊", "书记", R, 43297, 43832],                      # Excel serial numbers
        ["B2", "己", "书记", R, dt.date(2018, 7, 16), dt.date(2020, 1, 2)],  # date cells
        ["B3", "庚", "书记", R, "2018-07-16", None]]})
    import_file(project, xlsx_path)
    got = rows(project, 'SELECT id, CAST(start AS TEXT), CAST("end" AS TEXT) FROM official ORDER BY id')
    assert got == [("A1", "2018-07-16", None), ("A2", "2018-07-16", "2020-01-02"),
                   ("A3", "2018-07-16", "2020-01-02"), ("A4", "2018-07-16", "2020-01-02"),
                   ("B1", "2018-07-16", "2020-01-02"), ("B2", "2018-07-16", "2020-01-02"),
                   ("B3", "2018-07-16", None)]


def test_officials_all_still_in_office(project: Project, tmp_path: Path) -> None:
    # Nobody has left office yet: every end date is empty (the optional column may also be absent).
    with_end = write_csv(tmp_path / "o1.csv", HEADERS["officials"][1],
                         [["A1", "甲", "县委书记", R, "2023-04-20", ""], ["A2", "乙", "县长", R, "2021-05-06", ""]])
    assert import_file(project, with_end).inserted == 2
    without_end = write_csv(tmp_path / "o2.csv", ["id", "name", "post", "region", "start"],
                            [["A3", "丙", "副县长", R, "2022-01-10"]])
    assert import_file(project, without_end).kind == "officials"
    assert rows(project, 'SELECT id, CAST(start AS TEXT), CAST("end" AS TEXT) FROM official ORDER BY id') == [
        ("A1", "2023-04-20", None), ("A2", "2021-05-06", None), ("A3", "2022-01-10", None)]


def test_target_binding_yes_no_in_both_languages(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", HEADERS["targets"][1], [
        [R, "CULT", "2016", "2020", ">=", "500", "是", ""],
        [R, "CULT", "2021", "2025", "≥", "510", "否", ""],
        [R, "WU", "2016", "2020", "<=", "100", "yes", ""],
        [R, "WU", "2021", "2025", "不超过", "90", "NO", ""],
        [R, "PBF", "2021", "2025", ">=", "300", "", ""]])
    import_file(project, path)
    got = rows(project, "SELECT indicator, year_from, op, binding FROM target ORDER BY indicator, year_from")
    assert got == [("CULT", 2016, ">=", 1), ("CULT", 2021, ">=", 0), ("PBF", 2021, ">=", 1),
                   ("WU", 2016, "<=", 1), ("WU", 2021, "<=", 0)]


# --- the sample files --------------------------------------------------------------------------

def test_sample_chinese_gb18030_stocks_match_stocks_csv(tmp_path: Path) -> None:
    sample = sample_data_dir()
    zh = sample / "examples" / "stocks_zh.csv"
    with pytest.raises(UnicodeDecodeError):
        zh.read_bytes().decode("utf-8")  # really GB18030
    assert "亩" in zh.read_bytes().decode("gb18030")
    p = Project.open(tmp_path / "zh.db", create=True)
    try:
        import_file(p, sample / "regions.csv")
        result = import_file(p, zh)
        assert result.kind == "stocks" and result.rows == 20
        got = {(r, i): v for r, i, v in rows(p, "SELECT resource, item, value FROM stock WHERE year = 2018")}
    finally:
        p.close()
    with (sample / "stocks.csv").open(encoding="utf-8") as fh:
        reference = {(r["resource"], r["item"]): float(r["value"]) for r in csv.DictReader(fh)
                     if r["year"] == "2018" and r["region"] == "990121"}
    land = {k: v for k, v in got.items() if k[0] == "land"}
    assert len(land) == 10
    for key, value in got.items():
        assert value == pytest.approx(reference[key], abs=0.01), key
    assert land[("land", "0101")] == pytest.approx(40706.80, abs=0.01)  # 610602.00 亩 / 15


def test_cli_imports_several_files_regions_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "new.db"
    sample = sample_data_dir()
    stocks = write_csv(tmp_path / "s.csv", HEADERS["stocks"][1], [["990121", "2018", "土地", "0101", "1500", "亩"]])
    officials = sample / "officials.csv"
    targets = sample / "targets.csv"
    code = main(["import", str(db), str(stocks), str(officials), str(targets), str(sample / "regions.csv")])
    out = capsys.readouterr()
    assert code == 0, out.err
    p = Project.open(db)
    try:
        order = [k for (k,) in rows(p, "SELECT kind FROM import_batch ORDER BY id")]
        assert order[0] == "regions"
        assert sorted(order) == ["officials", "regions", "stocks", "targets"]
        assert order.index("officials") < order.index("stocks")
        assert rows(p, STOCKS) == [("990121", 2018, "land", "0101", 100.0, "公顷")]
        assert rows(p, "SELECT COUNT(*) FROM official") == [(3,)]
        assert rows(p, "SELECT COUNT(*) FROM target") == [(18,)]
        assert rows(p, "SELECT code, area_ha FROM region ORDER BY code") == [("990100", None), ("990121", 238645.0)]
    finally:
        p.close()
    assert "s.csv" in out.out and "regions.csv" in out.out
