"""The 二调 → 三调 crosswalk (accounts/crosswalk_land_2007.toml): one-to-one classes map silently,
split classes need the user's choice or shares (refused without, listing class, candidates and
rows), shares add up, the import's notes, change log and the balance-sheet report say what was
applied, and a broken crosswalk file is reported with its file and line."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from conftest import rejected, rows, write_csv

from balancesheet.catalog import load_catalog
from balancesheet.cli import main
from balancesheet.crosswalk import (
    CROSSWALK_FILE,
    check_shares,
    load_crosswalk,
    parse_crosswalk,
    parse_splits,
    read_shares,
)
from balancesheet.errors import CatalogError, ImportRejected
from balancesheet.importer import import_file
from balancesheet.importer.preview import preview
from balancesheet.project import Project
from balancesheet.reports.balance_sheet import balance_sheet_data
from balancesheet.reports.render import balance_sheet_report
from balancesheet.resources import accounts_dir

R = "990001"
STOCK_H = ["region", "year", "resource", "item", "value", "unit"]
LAND_H = ["region", "year", "from", "to", "area", "cause", "unit"]
STOCKS = "SELECT item, value FROM stock WHERE resource = 'land' ORDER BY item"
FLOWS = "SELECT from_item, to_item, value FROM flow ORDER BY from_item, to_item"

# GB/T 21010-2007 second-level classes as listed in the issue
CODES_2007 = ["011", "012", "013", "021", "022", "023", "031", "032", "033", "041", "042", "043",
              *[f"05{i}" for i in range(1, 5)], *[f"06{i}" for i in range(1, 4)], "071", "072",
              *[f"08{i}" for i in range(1, 9)], *[f"09{i}" for i in range(1, 6)],
              *[f"10{i}" for i in range(1, 8)], *[f"11{i}" for i in range(1, 10)], *[f"12{i}" for i in range(1, 8)]]


def places_of(exc: ImportRejected) -> list[tuple[int | None, str | None]]:
    return [(i.location.row, i.location.column) for i in exc.issues]


def stock_file(tmp_path: Path, items: list[tuple[str, object]], name: str = "old.csv", year: str = "2015") -> Path:
    return write_csv(tmp_path / name, STOCK_H, [[R, year, "land", code, str(v), "公顷"] for code, v in items])


# --- the shipped crosswalk ------------------------------------------------------------------------

def test_shipped_crosswalk_covers_every_2007_class_with_valid_targets() -> None:
    catalog = load_catalog()
    cw = load_crosswalk(catalog)
    assert set(CODES_2007) <= set(cw.classes)
    land = catalog.accounts["land"]
    for old in cw.classes.values():
        assert old.targets and all(land.is_leaf(t) and land.items[t].kind == "stock" for t in old.targets)
    assert cw.classes["031"].targets == ("0301", "0302", "0303", "0304")
    assert cw.classes["032"].targets == ("0305", "0306")
    assert cw.classes["127"].targets == ("1206", "1207")
    assert cw.classes["033"].targets == ("0307",) and not cw.classes["033"].splits
    assert cw.classes["111"].targets == ("1101",) and cw.classes["112"].targets == ("1102",)
    assert cw.totals["01"].members == ("011", "012", "013")


def test_the_catalog_loader_does_not_read_the_crosswalk_as_a_catalog() -> None:
    assert (accounts_dir() / CROSSWALK_FILE).is_file()
    assert CROSSWALK_FILE not in load_catalog().sources


# --- one-to-one classes ---------------------------------------------------------------------------

def test_one_to_one_classes_map_silently_and_add_up(project: Project, tmp_path: Path) -> None:
    path = stock_file(tmp_path, [("011", 100), ("013", 50), ("051", 5), ("052", 7), ("033", 30), ("T", 1000)])
    result = import_file(project, path)
    assert rows(project, STOCKS) == [("0101", 100.0), ("0103", 50.0), ("0307", 30.0), ("05H1", 12.0), ("T", 1000.0)]
    assert result.crosswalk is not None and result.crosswalk["detected"] is True
    assert result.crosswalk["one_to_one"] == {"011": "0101", "013": "0103", "033": "0307", "051": "05H1",
                                              "052": "05H1"}
    assert result.crosswalk["shares"] == {}
    note = next(n for n in result.notes if n.startswith("二调地类换算"))
    assert "自动识别" in note and "5 行" in note and "051→05H1" in note


def test_two_rows_of_the_same_2007_class_are_a_duplicate(project: Project, tmp_path: Path) -> None:
    path = stock_file(tmp_path, [("011", 100), ("012", 3), ("011", 1)])
    exc = rejected(project, path)
    assert [(i.location.row, i.location.column) for i in exc.issues] == [(4, "item")]


# --- split classes --------------------------------------------------------------------------------

def test_split_class_without_a_choice_is_refused_listing_class_candidates_and_rows(project: Project,
                                                                                   tmp_path: Path) -> None:
    path = stock_file(tmp_path, [("011", 100), ("031", 200), ("127", 9), ("013", 4)], year="2015")
    path2 = write_csv(tmp_path / "more.csv", STOCK_H, [
        [R, "2015", "land", "011", "1", "公顷"], [R, "2016", "land", "031", "2", "公顷"],
        [R, "2017", "land", "031", "3", "公顷"]])
    exc = rejected(project, path)
    assert {(i.location.row, i.location.column) for i in exc.issues} == {(3, "item"), (4, "item")}
    by_row = {i.location.row: i.message for i in exc.issues}
    assert "031 有林地" in by_row[3] and "0301 乔木林地、0302 竹林地、0303 红树林地、0304 森林沼泽" in by_row[3]
    assert "127 裸地" in by_row[4] and "1206 裸土地、1207 裸岩石砾地" in by_row[4]
    assert "031 有林地（第 3 行）→ 可选 0301 乔木林地" in exc.message
    assert "127 裸地（第 4 行）→ 可选 1206 裸土地、1207 裸岩石砾地" in exc.message
    assert "--split" in exc.message
    exc2 = rejected(project, path2)
    assert "031 有林地（第 3、4 行）" in exc2.message


def test_split_with_shares_sums_to_the_old_value(project: Project, tmp_path: Path) -> None:
    path = stock_file(tmp_path, [("011", 100), ("031", 200.5), ("127", 9)])
    result = import_file(project, path, splits=parse_splits(["031=0301:0.8,0302:0.2", "127=1207"]))
    got = dict(rows(project, STOCKS))
    assert got["0301"] == pytest.approx(160.4) and got["0302"] == pytest.approx(40.1)
    assert got["0301"] + got["0302"] == pytest.approx(200.5, abs=1e-9)
    assert got["1207"] == 9.0 and "1206" not in got and got["0101"] == 100.0
    assert result.crosswalk["shares"] == {"031": {"0301": 0.8, "0302": 0.2}}
    assert result.crosswalk["chosen"] == ["127"] and result.crosswalk["one_to_one"]["127"] == "1207"
    note = next(n for n in result.notes if n.startswith("二调地类换算"))
    assert "拆分 031→0301×80%、0302×20%" in note and "指定 127→1207" in note


def test_land_changes_split_on_both_sides_and_totals_add_up(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "changes_2015.csv", LAND_H, [
        [R, "2015", "031", "072", "10", "建设占用", "公顷"],
        [R, "2015", "031", "032", "10", "生态退耕（退耕还林还草还湿）", "公顷"],  # full-width brackets as typed
        [R, "2015", "011", "127", "4", "灾毁", "公顷"],
    ])
    result = import_file(project, path, splits={"031": {"0301": 0.8, "0302": 0.2}, "032": {"0305": 0.5, "0306": 0.5},
                                                "127": {"1206": 1.0}})
    got = rows(project, FLOWS)
    assert got == [("0101", "1206", 4.0), ("0301", "0305", 4.0), ("0301", "0306", 4.0), ("0301", "0702", 8.0),
                   ("0302", "0305", pytest.approx(1.0)), ("0302", "0306", pytest.approx(1.0)),
                   ("0302", "0702", pytest.approx(2.0))]
    assert sum(v for *_, v in got) == pytest.approx(24.0)
    assert rows(project, "SELECT DISTINCT cause FROM flow WHERE to_item IN ('0305', '0306')") == [("ECO",)]
    assert result.crosswalk["rows"] == 6  # three from-codes and three to-codes mapped


def test_split_choices_are_checked_against_the_crosswalk() -> None:
    catalog = load_catalog()
    cw = load_crosswalk(catalog)
    for given, words in [({"031": {"0301": 0.5, "0302": 0.4}}, "比例之和为 0.9"),
                         ({"031": {"0399": 1.0}}, "不在可选地类中"),
                         ({"011": {"0101": 1.0}}, "一对一"),
                         ({"999": {"0101": 1.0}}, "不是对照表中的二调二级地类"),
                         ({"031": {"0301": 1.0, "0302": 0.0}}, "须大于 0")]:
        with pytest.raises(ImportRejected) as exc:
            check_shares(cw, given, catalog)
        assert words in str(exc.value), (given, str(exc.value))
    for bad in ["031", "031=", "031=0301,0302", "031=0301:abc", "031=0301:1.5", "031=0301:0.5,0301:0.5"]:
        with pytest.raises(ImportRejected):
            parse_splits([bad])
    assert parse_splits(["031=0301:80%,0302:20%"]) == {"031": {"0301": 0.8, "0302": 0.2}}


def test_shares_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "shares.csv", ["二调地类", "三调地类", "比例"],
                     [["031", "0301", "0.7"], ["031", "0302", "30%"], ["127", "1206", ""]])
    assert read_shares(path) == {"031": {"0301": 0.7, "0302": 0.3}, "127": {"1206": 1.0}}
    bad = write_csv(tmp_path / "bad.csv", ["二调地类", "三调地类", "比例"], [["031", "0301", "0.7"], ["031", "0302", "x"]])
    with pytest.raises(ImportRejected) as exc:
        read_shares(bad)
    assert [(i.location.file, i.location.row, i.location.column) for i in exc.value.issues] == [("bad.csv", 3, "比例")]


# --- detection and classification -----------------------------------------------------------------

def test_mixed_old_and_new_codes_are_refused_with_both_located(project: Project, tmp_path: Path) -> None:
    path = stock_file(tmp_path, [("0101", 5), ("013", 4)])
    exc = rejected(project, path)
    assert any(i.location.row == 3 and "同时含二调编码" in i.message for i in exc.issues)
    assert any(i.location.row == 2 and "同时含二调编码" in i.message for i in exc.issues)


def test_explicit_classification(project: Project, tmp_path: Path) -> None:
    # 2007 explicitly: a 三调 class code is refused at its row.
    path = stock_file(tmp_path, [("011", 5), ("0102", 4)], name="a.csv")
    exc = rejected(project, path, classification="2007")
    assert [(i.location.row, i.location.column) for i in exc.issues] == [(3, "item")]
    assert "不是二调地类编码" in exc.issues[0].message
    # 2017 explicitly: 2007 codes are unknown 三调 codes (nothing is crosswalked).
    exc = rejected(project, stock_file(tmp_path, [("011", 5)], name="b.csv"), classification="2017")
    assert "不存在" in exc.issues[0].message
    # 101 alone: 二调 铁路用地, or 三调 0101 that lost its zero — the user must say.
    ambiguous = stock_file(tmp_path, [("101", 5), ("102", 1)], name="c.csv")
    exc = rejected(project, ambiguous)
    assert "--classification" in exc.issues[0].message and exc.issues[0].location.row == 2
    import_file(project, ambiguous, classification="2017")
    assert rows(project, STOCKS) == [("0101", 5.0), ("0102", 1.0)]


def test_2007_subtotal_rows_are_left_out_when_they_add_up_else_refused(project: Project, tmp_path: Path) -> None:
    good = stock_file(tmp_path, [("011", 100), ("012", 20), ("013", 30), ("01", 150), ("11", 7), ("111", 7)],
                      name="sub.csv")
    result = import_file(project, good)
    assert any("已略过 2 个二调一级类汇总行（第 5、6 行）" in n for n in result.notes)
    assert rows(project, STOCKS) == [("0101", 100.0), ("0102", 20.0), ("0103", 30.0), ("1101", 7.0)]
    # 11 where 011 was meant (a lost leading zero): it does not add up to 111–119, so it is refused.
    lost = stock_file(tmp_path, [("11", 100), ("111", 7), ("013", 30)], name="lost.csv", year="2016")
    exc = rejected(project, lost)
    assert [(i.location.row, i.location.column) for i in exc.issues] == [(2, "item")]
    assert "汇总行" in exc.issues[0].message and "011" in exc.issues[0].message
    # In change records a first-level class is never a class.
    changes = write_csv(tmp_path / "c.csv", LAND_H, [[R, "2016", "011", "072", "1", "CON", "公顷"],
                                                      [R, "2016", "01", "072", "1", "CON", "公顷"]])
    exc = rejected(project, changes)
    assert places_of(exc) == [(3, "from")] and "二级类编码" in exc.issues[0].message


# --- records: change log, preview, report ----------------------------------------------------------

def test_the_import_log_records_the_mapping(project: Project, tmp_path: Path) -> None:
    import_file(project, stock_file(tmp_path, [("031", 10)]), splits={"031": {"0301": 0.5, "0302": 0.5}})
    logged = [json.loads(n) for (n,) in rows(project, "SELECT new FROM change_log WHERE action = 'import'")]
    record = logged[-1]["crosswalk"]
    assert record["crosswalk"] == CROSSWALK_FILE and record["shares"] == {"031": {"0301": 0.5, "0302": 0.5}}


def test_preview_lists_split_classes_for_the_wizard(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", STOCK_H, [[R, "2015", "land", "011", "1", "公顷"],
                                                  [R, "2015", "land", "031", "2", "公顷"],
                                                  [R, "2016", "land", "031", "3", "公顷"]])
    refused = preview(project, path)
    assert not refused.clean and refused.crosswalk is None
    [split] = refused.split_classes
    assert (split.code, split.rows, split.shares) == ("031", [3, 4], None)
    assert [c for c, _ in split.candidates] == ["0301", "0302", "0303", "0304"]
    chosen = preview(project, path, splits={"031": {"0303": 1.0}})
    assert chosen.clean and chosen.crosswalk["one_to_one"] == {"011": "0101", "031": "0303"}
    assert chosen.split_classes[0].shares == {"0303": 1.0}
    assert rows(project, "SELECT COUNT(*) FROM stock") == [(0,)]


def test_balance_sheet_report_lists_crosswalked_imports(project: Project, tmp_path: Path) -> None:
    import_file(project, stock_file(tmp_path, [("011", 600), ("031", 400)], name="stocks_2015.csv"),
                splits={"031": {"0301": 0.75, "0302": 0.25}})
    import_file(project, write_csv(tmp_path / "stocks_2016.csv", STOCK_H, [
        [R, "2016", "land", "0101", "590", "公顷"], [R, "2016", "land", "0301", "310", "公顷"],
        [R, "2016", "land", "0302", "100", "公顷"]]))
    data = balance_sheet_data(project, R, 2016)
    note = data.scalars["data_note"]
    assert "stocks_2015.csv" in note and "031→0301×75%、0302×25%" in note and "stocks_2016.csv" not in note
    assert balance_sheet_data(project, R, 2018).scalars["data_note"] == ""  # no crosswalked data used
    report = balance_sheet_report(project, R, 2016, tmp_path / "r.xlsx")
    cover = openpyxl.load_workbook(report.xlsx)["封面"]
    assert cover["A22"].value == note


# --- the crosswalk file itself ------------------------------------------------------------------

def test_bad_crosswalk_file_is_reported_with_file_and_line() -> None:
    catalog = load_catalog()
    text = "\n".join([
        'name = "test"',                      # 1
        "",                                   # 2
        "[[class]]",                          # 3
        'code = "011"',                       # 4
        'name = "水田"',                      # 5
        'targets = ["0101"]',                 # 6
        "",                                   # 7
        "[[class]]",                          # 8
        'code = "031"',                       # 9
        'name = "有林地"',                    # 10
        'targets = ["03", "0399"]',           # 11: 03 is not a leaf, 0399 does not exist
        "",                                   # 12
        "[[class]]",                          # 13
        'code = "011"',                       # 14: duplicate
        'name = "水田"',
        'targets = ["0101"]',
        "",
        "[[class]]",                          # 18
        'code = "012"',
        'name = "水浇地"',
        'target = ["0102"]',                  # typo: target
        "",
        "[[total]]",                          # 23
        'code = "01"',
        'name = "耕地"',
        'members = ["011", "019"]',
    ])
    with pytest.raises(CatalogError) as exc:
        parse_crosswalk(text, "my_crosswalk.toml", catalog)
    places = {(i.location.file, i.location.row) for i in exc.value.issues}
    assert places == {("my_crosswalk.toml", 8), ("my_crosswalk.toml", 13), ("my_crosswalk.toml", 18),
                      ("my_crosswalk.toml", 23)}
    messages = " ".join(i.message for i in exc.value.issues)
    assert "03、0399" in messages and "重复" in messages and "target" in messages and "019" in messages
    with pytest.raises(CatalogError) as syntax:
        parse_crosswalk('name = "x"\n[[class]\ncode = 1\n', "broken.toml", catalog)
    assert syntax.value.issues[0].location.row == 2 and "TOML" in syntax.value.issues[0].message


# --- the command line -----------------------------------------------------------------------------

def test_cli_crosswalk_split_and_split_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "cli.db"
    regions = write_csv(tmp_path / "r.csv", ["region", "name"], [[R, "测试县"]])
    old = stock_file(tmp_path, [("011", 100), ("031", 200), ("127", 9)], name="old.csv")
    assert main(["import", str(db), str(regions)]) == 0
    assert main(["import", str(db), str(old), "--classification", "2007"]) == 2
    err = capsys.readouterr().err
    assert "031 有林地" in err and "127 裸地" in err and "第 3 行" in err
    assert main(["import", str(db), str(old), "--split", "031=0305"]) == 2  # not a candidate
    assert "不在可选地类中" in capsys.readouterr().err
    shares = write_csv(tmp_path / "shares.csv", ["二调地类", "三调地类", "比例"], [["127", "1206", "1"]])
    assert main(["import", str(db), str(old), "--crosswalk", "2007", "--split", "031=0301:0.9,0302:0.1",
                 "--split-file", str(shares)]) == 0
    out = capsys.readouterr().out
    assert "二调地类换算" in out and "031→0301×90%、0302×10%" in out
    p = Project.open(db)
    try:
        got = dict(rows(p, STOCKS))
    finally:
        p.close()
    assert got == {"0101": 100.0, "0301": pytest.approx(180.0), "0302": pytest.approx(20.0), "1206": 9.0}
    assert main(["import", str(db), str(old), "--split", "031"]) == 2
    assert "格式应为" in capsys.readouterr().err
