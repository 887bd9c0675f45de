"""Parcel snapshots (图斑): import (suffixed codes, units, every bad cell located, duplicates with both
rows, one snapshot per year), the year's stocks, the changes and the exact transition matrix
between two snapshots — all on small hand-checkable snapshots."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from conftest import rejected, rows, snapshot, write_csv, write_xlsx
from storage_backends import project_on_both_backends  # noqa: F401 - `project` on SQLite and PostgreSQL

from balancesheet import parcels
from balancesheet.cli import main
from balancesheet.editing import lock_year
from balancesheet.errors import LockedYearError, UserError
from balancesheet.importer import import_file
from balancesheet.importer.preview import preview
from balancesheet.ledger import transition_matrix
from balancesheet.project import Project
from balancesheet.store.schema import SCHEMA_VERSION

R = "990001"  # the `project` fixture's region, 1,000 ha
ZH = ["区划代码", "年度", "标识码", "地类编码", "图斑面积", "城镇村属性码", "权属性质", "单位"]
EN = ["region", "year", "parcel_id", "class", "area", "town_attr", "ownership", "unit"]

# 2020: 1,000 ha in 11 parcels; suffixed survey codes roll up (0201K → 0201, 0301K → 0301, 1104A → 1104)
Y2020 = [("A01", "0101", 100), ("A02", "0101", 50), ("A03", "0103", 80), ("A04", "0201K", 30),
         ("A05", "0201", 20), ("A06", "0301", 300), ("A07", "0301K", 100), ("A08", "0702", 40),
         ("A09", "1104A", 60), ("A10", "1203", 20), ("A11", "0404", 200)]
STOCKS_2020 = {"0101": 150, "0103": 80, "0201": 50, "0301": 400, "0702": 40, "1104": 60, "1203": 20, "0404": 200}
# 2021: three parcels change class (0101→0702 50, 0201→0301 30, 0404→0301 200); A07 and A09 keep
# their class under another spelling (0301K, 1104A → 1104): no change
Y2021 = [("A01", "0101", 100), ("A02", "0702", 50), ("A03", "0103", 80), ("A04", "0301", 30),
         ("A05", "0201", 20), ("A06", "0301", 300), ("A07", "0301K", 100), ("A08", "0702", 40),
         ("A09", "1104", 60), ("A10", "1203", 20), ("A11", "0301", 200)]
STOCKS_2021 = {"0101": 100, "0103": 80, "0201": 20, "0301": 630, "0702": 90, "1104": 60, "1203": 20}
# 2022: A01 re-measured 100 → 90, A02 50 → 60, A08 40 → 50 (same classes); A03 0103 → 0301 and 80 → 70;
# A05 (0201, 20 ha) is gone and B01 (0202, 20 ha) is new
Y2022 = [("A01", "0101", 90), ("A02", "0702", 60), ("A03", "0301", 70), ("A04", "0301", 30),
         ("A06", "0301", 300), ("A07", "0301", 100), ("A08", "0702", 50), ("A09", "1104", 60),
         ("A10", "1203", 20), ("A11", "0301", 200), ("B01", "0202", 20)]


def snapshot_file(folder: Path, year: int, parcels_: list[tuple[str, str, float]], name: str = "",
                  header: list[str] = ZH, unit: str = "公顷") -> Path:
    """A parcel table for ``year`` (Chinese headers by default)."""
    body = [[R, year, pid, cls, area, "203" if cls == "0702" else "", "20", unit] for pid, cls, area in parcels_]
    return write_csv(folder / (name or f"图斑{year}.csv"), header, body)


def imported(project: Project, folder: Path, *years: int) -> None:
    data = {2020: Y2020, 2021: Y2021, 2022: Y2022}
    for year in years:
        import_file(project, snapshot_file(folder, year, data[year]))


def stocks(project: Project, year: int) -> dict[str, float]:
    """The stored nonzero land stocks of ``year``."""
    got = rows(project, f"SELECT item, value FROM stock WHERE resource = 'land' AND year = {year}")
    return {item: value for item, value in got if value}


def land_flows(project: Project, year: int) -> list[tuple]:
    return rows(project, "SELECT from_item, to_item, cause, value FROM flow WHERE resource = 'land' "
                         f"AND year = {year} ORDER BY cause, from_item NULLS FIRST, to_item NULLS FIRST")


# --- import -----------------------------------------------------------------------------------------

def test_snapshot_is_recognised_by_its_headers_and_stored_with_suffixed_codes_resolved(
        project: Project, tmp_path: Path) -> None:
    result = import_file(project, snapshot_file(tmp_path, 2020, Y2020))
    assert (result.kind, result.rows, result.inserted) == ("parcels", 11, 11)
    assert any("0201K→0201（1 行）" in n for n in result.notes)
    stored = rows(project, "SELECT parcel_id, class_code, survey_code, area, town_attr, ownership "
                           "FROM parcel WHERE year = 2020 ORDER BY parcel_id")
    assert stored[3] == ("A04", "0201", "0201K", 30.0, None, "20")
    assert stored[7] == ("A08", "0702", None, 40.0, "203", "20")
    assert [r[1] for r in stored] == ["0101", "0101", "0103", "0201", "0201", "0301", "0301", "0702", "1104",
                                      "1203", "0404"]
    assert rows(project, "SELECT year FROM period") == [(2020,)]


@pytest.mark.parametrize("header", [EN, ["区划代码", "SJNF", "BSM", "DLBM", "TBMJ", "CZCSXM", "QSXZ", "单位"]])
def test_english_and_survey_field_names(project: Project, tmp_path: Path, header: list[str]) -> None:
    result = import_file(project, snapshot_file(tmp_path, 2020, Y2020, header=header))
    assert result.kind == "parcels" and result.inserted == 11


def test_units_are_converted_to_hectares(project: Project, tmp_path: Path) -> None:
    m2 = [(pid, cls, area * 10_000) for pid, cls, area in Y2020]
    import_file(project, snapshot_file(tmp_path, 2020, m2, unit="平方米"))
    mu = [(pid, cls, area * 15) for pid, cls, area in Y2021]
    import_file(project, snapshot_file(tmp_path, 2021, mu, unit="亩"))
    assert rows(project, "SELECT year, SUM(area) FROM parcel GROUP BY year") == [(2020, 1000.0), (2021, 1000.0)]


def test_square_metres_without_a_unit_column_are_refused(project: Project, tmp_path: Path) -> None:
    m2 = [[R, 2020, pid, cls, area * 10_000] for pid, cls, area in Y2020]
    exc = rejected(project, write_csv(tmp_path / "m2.csv", ZH[:5], m2))
    assert len(exc.issues) == 1 and exc.issues[0].location.column == "图斑面积"
    assert "平方米" in exc.issues[0].message and "单位" in exc.issues[0].message


def test_duplicate_parcel_ids_are_rejected_naming_both_rows(project: Project, tmp_path: Path) -> None:
    dup = Y2020 + [("A03", "0103", 5)]  # spreadsheet row 13 repeats row 4
    exc = rejected(project, snapshot_file(tmp_path, 2020, dup))
    assert [(i.location.row, i.location.column) for i in exc.issues] == [(13, "标识码")]
    assert "与第 4 行相同" in exc.issues[0].message and exc.issues[0].value == "A03"


@pytest.mark.parametrize(("row", "column", "message"), [
    ([R, 2020, "X1", "9999", 5, "", "", "公顷"], "地类编码", "不存在"),
    ([R, 2020, "X1", "01", 5, "", "", "公顷"], "地类编码", "末级地类"),
    ([R, 2020, "X1", "PBF", 5, "", "", "公顷"], "地类编码", "末级地类"),
    ([R, 2020, "X1", "", 5, "", "", "公顷"], "地类编码", "必填"),
    ([R, 2020, "", "0101", 5, "", "", "公顷"], "标识码", "必填"),
    ([R, 2020, "X1", "0101", 0, "", "", "公顷"], "图斑面积", "大于 0"),
    ([R, 2020, "X1", "0101", "5亩", "", "", "公顷"], "图斑面积", "不是数字"),
    ([R, 2020, "X1", "0101", 5, "209", "", "公顷"], "城镇村属性码", "201–205"),
    ([R, 2020, "X1", "0101", 5, "", "", "立方米"], "单位", "量纲"),
    (["990999", 2020, "X1", "0101", 5, "", "", "公顷"], "区划代码", "不在项目中"),
    ([R, 2099, "X1", "0101", 5, "", "", "公顷"], "年度", "超出范围"),
])
def test_each_bad_cell_is_located(project: Project, tmp_path: Path, row: list[object], column: str,
                                  message: str) -> None:
    good = [[R, 2020, pid, cls, area, "", "", "公顷"] for pid, cls, area in Y2020[:3]]
    exc = rejected(project, write_csv(tmp_path / "bad.csv", ZH, [*good, row]))
    assert [(i.location.file, i.location.row, i.location.column) for i in exc.issues] == [("bad.csv", 5, column)]
    assert message in exc.issues[0].message


def test_every_bad_cell_of_a_workbook_is_reported_at_once(project: Project, tmp_path: Path) -> None:
    body = [ZH[:5], [R, 2020, "X1", "0101", 5], [R, 2020, "X2", "0199", 5], [R, 2020, "X3", "0103", -2],
            [R, 2020, "X1", "0102", 1]]
    exc = rejected(project, write_xlsx(tmp_path / "图斑.xlsx", {"地类图斑": body}))
    assert {(i.location.sheet, i.location.row, i.location.column) for i in exc.issues} == {
        ("地类图斑", 3, "地类编码"), ("地类图斑", 4, "图斑面积"), ("地类图斑", 5, "标识码")}


def test_a_second_snapshot_of_a_year_is_refused_unless_replace(project: Project, tmp_path: Path) -> None:
    imported(project, tmp_path, 2020)
    other = snapshot_file(tmp_path, 2020, Y2020[:5], name="图斑2020_修订.csv")
    exc = rejected(project, other)
    assert "已有图斑数据" in exc.message and "图斑2020.csv" in exc.message and "--replace" in exc.message
    result = import_file(project, other, replace=True)
    assert (result.inserted, result.replaced) == (5, 11)
    assert rows(project, "SELECT COUNT(*), SUM(area) FROM parcel WHERE year = 2020") == [(5, 280.0)]
    assert rows(project, "SELECT action, entity FROM change_log WHERE action = 'replace'") == [("replace", "parcel")]


def test_the_same_file_again_is_refused(project: Project, tmp_path: Path) -> None:
    path = snapshot_file(tmp_path, 2020, Y2020)
    import_file(project, path)
    assert "内容完全相同" in rejected(project, path).message


def test_preview_shows_the_snapshot_already_stored(project: Project, tmp_path: Path) -> None:
    imported(project, tmp_path, 2020)
    p = preview(project, snapshot_file(tmp_path, 2020, Y2020[:5], name="again.csv"))
    assert p.kind == "parcels" and p.clean and p.needs_replace and "图斑2020.csv" in p.clashes


# --- stocks -------------------------------------------------------------------------------------------

def test_stocks_are_the_sums_per_class(project: Project, tmp_path: Path) -> None:
    imported(project, tmp_path, 2020)
    done = parcels.derive_stocks(project, R, 2020)
    assert stocks(project, 2020) == STOCKS_2020
    classes = parcels.land_classes(project.catalog.account("land"))
    assert rows(project, "SELECT COUNT(*) FROM stock WHERE year = 2020") == [(len(classes),)]
    assert (done.parcels, done.area, done.inserted, done.updated) == (11, 1000.0, len(classes), 0)
    assert done.notes == []  # the snapshot's 1,000 ha equal the region's area
    again = parcels.derive_stocks(project, R, 2020)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, len(classes))
    assert [a for (a,) in rows(project, "SELECT action FROM change_log WHERE entity = 'stock'")] == ["derive", "derive"]


def test_derived_stocks_overwrite_older_values_and_log_them(project: Project, tmp_path: Path) -> None:
    import_file(project, write_csv(tmp_path / "stocks.csv", ["region", "year", "resource", "item", "value"],
                                   [[R, 2020, "land", "0101", 140], [R, 2020, "land", "0102", 7]]))
    imported(project, tmp_path, 2020)
    done = parcels.derive_stocks(project, R, 2020)
    assert done.updated == 2 and stocks(project, 2020) == STOCKS_2020
    logged = rows(project, "SELECT old, new FROM change_log WHERE action = 'update' AND entity = 'stock' ORDER BY id")
    assert logged == [("140.0", "150.0"), ("7.0", "0.0")]


def test_a_snapshot_short_of_the_region_area_is_noted(project: Project, tmp_path: Path) -> None:
    import_file(project, snapshot_file(tmp_path, 2020, Y2020[:3]))
    done = parcels.derive_stocks(project, R, 2020)
    assert "230.0000" in done.notes[0] and "1,000.0000" in done.notes[0]


def test_a_year_without_snapshot_names_the_years_that_have_one(project: Project, tmp_path: Path) -> None:
    imported(project, tmp_path, 2020)
    with pytest.raises(UserError, match="没有 2019 年的图斑数据（已有图斑的年度：2020）"):
        parcels.derive_stocks(project, R, 2019)


def test_locked_years_are_refused(project: Project, tmp_path: Path) -> None:
    imported(project, tmp_path, 2020, 2021)
    lock_year(project, R, 2021, "已结账")
    with pytest.raises(LockedYearError):
        parcels.derive_stocks(project, R, 2021)
    with pytest.raises(LockedYearError):
        parcels.derive_changes(project, R, 2020, 2021)
    assert stocks(project, 2021) == {} and land_flows(project, 2021) == []
    before = snapshot(project)
    with pytest.raises(LockedYearError, match="2021 年已结账锁定"):
        import_file(project, snapshot_file(tmp_path, 2021, Y2021[:2], name="新.csv"), replace=True)
    assert snapshot(project) == before


# --- changes and the matrix ------------------------------------------------------------------------------

def test_changes_are_the_parcels_whose_class_changed(project: Project, tmp_path: Path) -> None:
    imported(project, tmp_path, 2020, 2021)
    done = parcels.derive_changes(project, R, 2020, 2021)
    assert land_flows(project, 2021) == [("0101", "0702", "NA", 50.0), ("0201", "0301", "NA", 30.0),
                                         ("0404", "0301", "NA", 200.0)]
    assert (done.transfers, done.adjustments, len(done.only_from), len(done.only_to)) == (3, 0, 0, 0)
    assert any("2020、2021 年还没有土地存量" in n for n in done.notes)  # nothing to reconcile with yet
    out = done.to_json()
    assert out["changed"]["parcels"] == 3 and out["changed"]["area"] == 280.0 and out["matched"] == 11
    batch = rows(project, "SELECT kind, file_name FROM import_batch WHERE kind = 'parcel_changes'")
    assert batch == [("parcel_changes", "图斑对比 990001 2020→2021")]


def test_booked_changes_reconcile_the_derived_stocks(project: Project, tmp_path: Path) -> None:
    from balancesheet.ledger import change_table

    imported(project, tmp_path, 2020, 2021)
    for year in (2020, 2021):
        parcels.derive_stocks(project, R, year)
    done = parcels.derive_changes(project, R, 2020, 2021)
    assert done.notes == [] and stocks(project, 2021) == STOCKS_2021
    table = change_table(project, R, "land", 2020, 2021).rows.set_index("item")
    leaves = parcels.land_classes(project.catalog.account("land"))
    assert np.allclose(table.loc[leaves, "closing"], table.loc[leaves, "observed_closing"])
    assert table.loc["0301", "additions"] == 230.0 and table.loc["0101", "reductions"] == 50.0


def test_remeasured_parcels_are_adjustments_and_one_sided_parcels_are_reported(
        project: Project, tmp_path: Path) -> None:
    imported(project, tmp_path, 2021, 2022)
    done = parcels.derive_changes(project, R, 2021, 2022, cause="调查核实/变更更正")
    assert land_flows(project, 2022) == [
        (None, "0702", "ADJ", 20.0), ("0101", None, "ADJ", 10.0), ("0103", None, "ADJ", 10.0),
        ("0103", "0301", "SUR", 70.0)]
    assert rows(project, "SELECT parcel_id, class_code, area FROM parcel WHERE year = 2021 AND parcel_id = 'A05'")
    assert done.only_from[["parcel_id", "class_code", "area"]].values.tolist() == [["A05", "0201", 20.0]]
    assert done.only_to[["parcel_id", "class_code", "area"]].values.tolist() == [["B01", "0202", 20.0]]
    out = done.to_json()
    assert out["only_from"] == {"parcels": 1, "area": 20.0, "by_class": {"0201": {"parcels": 1, "area": 20.0}},
                                "list": [{"parcel_id": "A05", "class": "0201", "area": 20.0}]}
    assert out["remeasured"] == {"parcels": 4, "gained": 20.0, "lost": 20.0}
    text = done.summary()
    assert "只在 2021 年出现的图斑 1 个，面积 20.0000" in text and "A05" in text and "B01" in text
    assert "未记账" in text


def test_one_sided_parcels_stay_visible_as_discrepancies(project: Project, tmp_path: Path) -> None:
    from balancesheet.ledger import change_table

    imported(project, tmp_path, 2021, 2022)
    for year in (2021, 2022):
        parcels.derive_stocks(project, R, year)
    parcels.derive_changes(project, R, 2021, 2022)
    table = change_table(project, R, "land", 2021, 2022).rows.set_index("item")
    gaps = table.loc[parcels.land_classes(project.catalog.account("land")), "discrepancy"].fillna(0)
    assert gaps[gaps.abs() > 1e-9].to_dict() == {"0201": -20.0, "0202": 20.0}  # A05 gone, B01 new


def test_parcel_matrix_reconciles_both_snapshots(project: Project, tmp_path: Path) -> None:
    imported(project, tmp_path, 2021, 2022)
    m = parcels.parcel_matrix(project, R, 2021, 2022, level=2)
    f = m.frame()
    assert m.method == "parcels" and m.classes[-1] == "EXT"
    assert (f.loc["0101", "0101"], f.loc["0101", "EXT"]) == (90.0, 10.0)
    assert (f.loc["0103", "0301"], f.loc["0103", "EXT"], f.loc["0201", "EXT"]) == (70.0, 10.0, 20.0)
    assert (f.loc["0702", "0702"], f.loc["EXT", "0702"], f.loc["EXT", "0202"]) == (90.0, 20.0, 20.0)
    n = len(m.classes) - 1
    opening = dict(zip(m.classes[:n], m.row_sums[:n], strict=True))
    closing = dict(zip(m.classes[:n], m.column_sums[:n], strict=True))
    assert {k: v for k, v in opening.items() if v} == STOCKS_2021
    assert {k: v for k, v in closing.items() if v} == {"0101": 90, "0202": 20, "0301": 700, "0702": 110,
                                                       "1104": 60, "1203": 20}
    assert any("只在 2021 年出现的图斑 1 个" in n for n in m.notes)


def test_parcel_matrix_equals_the_transition_matrix_of_the_derived_changes(
        project: Project, tmp_path: Path) -> None:
    imported(project, tmp_path, 2020, 2021, 2022)
    for year in (2020, 2021, 2022):
        parcels.derive_stocks(project, R, year)
    parcels.derive_changes(project, R, 2020, 2021)
    parcels.derive_changes(project, R, 2021, 2022)
    for level in (1, 2):
        exact, booked = parcels.parcel_matrix(project, R, 2020, 2021, level), transition_matrix(project, R, 2020, 2021, level)
        assert exact.classes == booked.classes and "EXT" not in exact.classes
        assert np.allclose(exact.cells, booked.cells)
    # with re-measured parcels both show the adjustments as EXT; only the unbooked one-sided parcels differ
    exact, booked = parcels.parcel_matrix(project, R, 2021, 2022, 2), transition_matrix(project, R, 2021, 2022, 2)
    assert exact.classes == booked.classes
    diff = booked.frame() - exact.frame()
    moved = {(i, j): v for (i, j), v in diff.stack().items() if abs(v) > 1e-9}
    assert moved == {("0201", "0201"): 20.0, ("0201", "EXT"): -20.0, ("EXT", "0202"): -20.0}


def test_changes_already_stored_are_not_counted_twice(project: Project, tmp_path: Path) -> None:
    imported(project, tmp_path, 2020, 2021)
    import_file(project, write_csv(tmp_path / "变更.csv", ["region", "year", "from", "to", "area", "cause"],
                                   [[R, 2021, "0101", "0702", 50, "CON"]]))
    with pytest.raises(UserError, match=r"2021 年 1 条（变更.csv）.*--replace"):
        parcels.derive_changes(project, R, 2020, 2021)
    done = parcels.derive_changes(project, R, 2020, 2021, replace=True)
    assert done.replaced == 1 and len(land_flows(project, 2021)) == 3
    # the other way round: a change-record file on top of derived changes is refused too
    exc = rejected(project, write_csv(tmp_path / "变更2.csv", ["region", "year", "from", "to", "area"],
                                      [[R, 2021, "0103", "0702", 5]]))
    assert "图斑对比" in exc.message and "--replace" in exc.message


def test_a_span_of_several_years_is_booked_in_its_last_year(project: Project, tmp_path: Path) -> None:
    imported(project, tmp_path, 2020, 2022)
    done = parcels.derive_changes(project, R, 2020, 2022)
    assert land_flows(project, 2021) == []
    booked = land_flows(project, 2022)
    assert ("0101", "0702", "NA", 50.0) in booked and ("0103", "0301", "NA", 70.0) in booked
    assert any("变化全部记在 2022 年" in n for n in done.notes)
    m = parcels.parcel_matrix(project, R, 2020, 2022, 2).frame()
    assert (m.loc["0404", "0301"], m.loc["0103", "0301"], m.loc["0201", "0301"]) == (200.0, 70.0, 30.0)


def test_unknown_or_non_transfer_causes_are_refused(project: Project, tmp_path: Path) -> None:
    imported(project, tmp_path, 2020, 2021)
    with pytest.raises(UserError, match="不是土地账户的转移原因"):
        parcels.derive_changes(project, R, 2020, 2021, cause="火星撞击")
    with pytest.raises(UserError, match="须晚于"):
        parcels.derive_changes(project, R, 2021, 2020)


# --- command line -------------------------------------------------------------------------------------

def test_command_line(project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = project.store.location
    project.close()
    files = [str(snapshot_file(tmp_path, y, d)) for y, d in ((2020, Y2020), (2021, Y2021))]
    assert main(["import", db, *files]) == 0
    assert "图斑（地类图斑） 11 行" in capsys.readouterr().out
    assert main(["parcels", db, "--region", R, "--year", "2020"]) == 0
    assert "0201      果园" in capsys.readouterr().out
    assert main(["parcels", db, "--region", R, "--from", "2020", "--to", "2021", "--derive-stocks",
                 "--derive-changes", "--matrix", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [s["year"] for s in out["stocks"]] == [2020, 2021]
    assert out["comparison"]["booked"] == {"year": 2021, "cause": "NA", "transfers": 3, "adjustments": 0,
                                           "replaced": 0}
    matrix = out["matrix"]
    cells = dict(zip(matrix["classes"], matrix["cells"], strict=True))
    assert cells["01"][matrix["classes"].index("07")] == 50.0 and matrix["method"] == "parcels"
    assert main(["matrix", db, "--region", R, "--from", "2020", "--to", "2021", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["method"] == "parcels"  # snapshots at both ends: exact
    assert main(["parcels", db, "--region", R, "--year", "2020", "--from", "2020"]) == 2
    assert "--year 与 --from/--to 不能同时使用" in capsys.readouterr().err
    assert main(["parcels", db, "--region", R, "--year", "2020", "--matrix"]) == 2
    assert main(["parcels", db, "--region", R, "--year", "2019"]) == 2
    assert "没有 2019 年的图斑数据" in capsys.readouterr().err
    assert main(["parcels", db, "--region", R, "--from", "2020", "--to", "2021", "--derive-changes"]) == 2
    assert "--replace" in capsys.readouterr().err


# --- schema -------------------------------------------------------------------------------------------

def test_a_version_2_project_migrates_and_takes_parcels(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    with sqlite3.connect(path) as conn:
        conn.executescript((Path(__file__).parent / "fixtures" / "schema_v2.sql").read_text(encoding="utf-8"))
    project = Project.open(path)
    try:
        assert rows(project, "SELECT value FROM meta WHERE key = 'schema_version'") == [(str(SCHEMA_VERSION),)]
        assert rows(project, "SELECT item, year, value FROM stock ORDER BY year, item") == [
            ("0101", 2020, 600.0), ("0301", 2020, 400.0), ("0101", 2021, 590.0), ("0301", 2021, 410.0)]
        assert rows(project, "SELECT official_id, status FROM audit") == [("OLD001", "draft")]
        assert len(rows(project, "SELECT id FROM finding")) == 2
        parcel_sql = rows(project, "SELECT sql FROM sqlite_master WHERE name = 'parcel'")[0][0]
        assert "WITHOUT ROWID" in parcel_sql and "PRIMARY KEY (region_code, year, parcel_id)" in parcel_sql
        body = [["990001", 2022, "P1", "0101", 590, "公顷"], ["990001", 2022, "P2", "0301K", 410, "公顷"]]
        import_file(project, write_csv(tmp_path / "图斑.csv", [*ZH[:5], "单位"], body))
        assert parcels.derive_stocks(project, "990001", 2022).updated == 0
        assert stocks(project, 2022) == {"0101": 590.0, "0301": 410.0}
    finally:
        project.close()
    backups = list(tmp_path.glob("v2.backup-*-v2.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:  # the backup is the untouched version-2 file
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("2",)
