"""The user's column mapping (header → field) for headers the importer does not recognise, and
the preview: what importing a file would do, found without changing the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import rejected, rows, snapshot, write_csv, write_xlsx

from balancesheet.editing import lock_year
from balancesheet.errors import ImportRejected
from balancesheet.importer import import_file, sort_for_import
from balancesheet.importer.formats import guess_kind, resolve_columns
from balancesheet.importer.preview import preview
from balancesheet.project import Project
from balancesheet.resources import sample_data_dir

R = "990001"  # the region of the `project` fixture
LAND_H = ["region", "year", "from", "to", "area", "cause", "unit"]
ODD_LAND_H = ["区划代码", "年度", "变更前地类", "变更后地类", "地块面积", "变动原因", "单位"]
FLOWS = "SELECT region_code, year, from_item, to_item, cause, value FROM flow"


# --- resolve_columns ------------------------------------------------------------------------------

def test_mapping_names_an_unrecognised_header() -> None:
    assert "area" not in resolve_columns("land_changes", ODD_LAND_H)
    got = resolve_columns("land_changes", ODD_LAND_H, {"地块面积": "area"})
    assert got == {"region": "区划代码", "year": "年度", "from": "变更前地类", "to": "变更后地类",
                   "area": "地块面积", "cause": "变动原因", "unit": "单位"}


def test_mapping_wins_over_spelling_and_can_ignore_a_header() -> None:
    headers = ["region", "year", "from", "to", "面积", "核定面积"]
    assert resolve_columns("land_changes", headers)["area"] == "面积"
    got = resolve_columns("land_changes", headers, {"核定面积": "area"})
    assert got["area"] == "核定面积"
    got = resolve_columns("land_changes", headers, {"from": "", "to": "from", "核定面积": "to"})
    assert (got["from"], got["to"]) == ("to", "核定面积")


def test_mapping_keys_match_like_headers() -> None:
    # Full-width letters and spaces in a typed mapping match the file's header as the reader does.
    got = resolve_columns("land_changes", ODD_LAND_H, {" 地块面积 ": "area"})
    assert got["area"] == "地块面积"


@pytest.mark.parametrize(("mapping", "words"), [
    ({"面积": "area"}, ["面积", "不在文件的表头中"]),
    ({"地块面积": "acreage"}, ["acreage", "土地变更记录"]),
    ({"地块面积": "area", "年度": "area"}, ["地块面积", "年度", "area"]),
])
def test_bad_mapping_is_refused(mapping: dict[str, str], words: list[str]) -> None:
    with pytest.raises(ImportRejected) as exc:
        resolve_columns("land_changes", ODD_LAND_H, mapping)
    assert all(w in exc.value.message for w in words)


def test_guess_kind_picks_the_closest_format() -> None:
    assert guess_kind(ODD_LAND_H) == "land_changes"
    assert guess_kind(["甲", "乙"]) is None


# --- import_file with a mapping -------------------------------------------------------------------

def test_import_with_mapping(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "odd.csv", ODD_LAND_H, [[R, "2019", "0101", "0702", "1.5", "CON", "亩"]])
    exc = rejected(project, path)
    assert "无法从表头识别" in exc.message
    result = import_file(project, path, columns={"地块面积": "area"})
    assert (result.kind, result.inserted) == ("land_changes", 1)
    assert rows(project, FLOWS) == [(R, 2019, "0101", "0702", "CON", 0.1)]


def test_issues_name_the_files_header(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "odd.csv", ODD_LAND_H, [[R, "2019", "0101", "0702", "x", "CON", "公顷"]])
    exc = rejected(project, path, kind="land_changes", columns={"地块面积": "area"})
    assert [(i.location.row, i.location.column, i.value) for i in exc.issues] == [(2, "地块面积", "x")]


def test_sort_for_import_uses_given_kinds(project: Project, tmp_path: Path) -> None:
    odd = write_csv(tmp_path / "odd.csv", ODD_LAND_H, [[R, "2019", "0101", "0702", "1", "CON", "公顷"]])
    regions = write_csv(tmp_path / "regions.csv", ["region", "name"], [["990002", "乙县"]])
    assert sort_for_import(project, [regions, odd]) == [regions, odd]  # unknown kind sorts last
    stocks_named = write_csv(tmp_path / "x.csv", ["甲"], [["1"]])
    got = sort_for_import(project, [stocks_named, regions], kinds={stocks_named: "regions",
                                                                   regions: "flows"})
    assert got == [stocks_named, regions]


# --- preview --------------------------------------------------------------------------------------

def test_preview_of_bad_import_lists_every_issue(sample_project: Project) -> None:
    before = snapshot(sample_project)
    got = preview(sample_project, sample_data_dir() / "problems" / "bad_import.csv")
    assert snapshot(sample_project) == before
    assert (got.kind, got.detected, got.clean, got.rows, got.units) == ("land_changes", True, False, 7,
                                                                        ["公顷"])
    assert [(i.location.row, i.location.column) for i in got.issues] == [
        (4, "from"), (5, "area"), (6, "area"), (7, "year"), (8, "year")]
    assert all(i.location.file == "bad_import.csv" for i in got.issues)
    assert "5 处错误" in got.message
    assert got.sample[0] == (2, ["990121", "2021", "0103", "0301", "1.25", "ECO", "公顷"])
    assert got.columns["area"] == "area" and got.missing == []


def test_preview_guesses_the_kind_and_lists_missing_fields(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "odd.csv", ODD_LAND_H, [[R, "2019", "0101", "0702", "1.5", "CON", "亩"]])
    got = preview(project, path)
    assert (got.kind, got.detected, got.missing, got.clean) == ("land_changes", False, ["area"], False)
    assert "缺少列" in got.message and got.issues[0].location.row is None
    assert got.columns == {"区划代码": "region", "年度": "year", "变更前地类": "from", "变更后地类": "to",
                           "变动原因": "cause", "单位": "unit"}
    fixed = preview(project, path, columns={"地块面积": "area"})
    assert (fixed.kind, fixed.detected, fixed.clean, fixed.missing) == ("land_changes", True, True, [])
    assert fixed.columns["地块面积"] == "area" and fixed.units == ["亩"]
    assert rows(project, "SELECT COUNT(*) FROM flow") == [(0,)]


def test_preview_knows_regions_of_the_same_batch(project: Project, tmp_path: Path) -> None:
    regions = write_csv(tmp_path / "regions.csv", ["region", "name", "parent"], [["990002", "乙县", R]])
    stocks = write_csv(tmp_path / "stocks.csv", ["region", "year", "resource", "item", "value"],
                       [["990002", "2019", "land", "0101", "5"]])
    assert preview(project, regions).regions == ["990002"]
    assert not preview(project, stocks).clean
    assert preview(project, stocks, known_regions=["990002"]).clean


def test_preview_reports_what_needs_replace(sample_project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "lc.csv", LAND_H, [["990121", "2021", "0101", "0702", "1", "CON", "公顷"]])
    got = preview(sample_project, path)
    assert got.clean and got.needs_replace and not got.earlier
    assert "990121 2021 年 land" in got.clashes and "land_changes.csv" in got.clashes
    new_year = write_csv(tmp_path / "new.csv", LAND_H, [["990121", "2026", "0101", "0702", "1", "CON", "公顷"]])
    assert not preview(sample_project, new_year).needs_replace
    import_file(sample_project, new_year)
    again = preview(sample_project, new_year)
    assert "「new.csv」" in again.earlier and "2026 年" in again.clashes


def test_preview_refuses_locked_years(sample_project: Project, tmp_path: Path) -> None:
    lock_year(sample_project, "990121", 2025)
    path = write_csv(tmp_path / "s.csv", ["region", "year", "resource", "item", "value"],
                     [["990121", "2025", "land", "0101", "5"]])
    got = preview(sample_project, path)
    assert not got.clean and "已结账锁定" in got.issues[0].message


def test_preview_of_workbook_sheets(project: Project, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "two.xlsx", {
        "说明": [["本工作簿的第二个工作表是存量"]],
        "存量": [["region", "year", "resource", "item", "value", "unit"], [R, 2019, "land", "0101", 5, "公顷"]],
    })
    # Only 存量 has a recognisable header: it is read, and the notes say so.
    first = preview(project, path)
    assert (first.sheets, first.sheet, first.clean) == (["说明", "存量"], "存量", True)
    assert any("只有「存量」的表头可识别" in n for n in first.notes)
    explained = preview(project, path, sheet="说明")
    assert (explained.sheet, explained.clean) == ("说明", False)
    second = preview(project, path, sheet="存量")
    assert (second.sheet, second.kind, second.clean, second.rows) == ("存量", "stocks", True, 1)
    assert preview(project, path, sheet="无此表").issues[0].message.startswith("two.xlsx 中没有工作表")


def test_preview_of_unreadable_file(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    got = preview(project, path)
    assert not got.clean and got.headers == [] and got.kind is None
    assert got.issues[0].location.file == "broken.xlsx" and "已损坏" in got.issues[0].message
