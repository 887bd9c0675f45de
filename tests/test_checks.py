"""The checks: the clean sample passes, the problems file is found exactly, and each rule on
small hand-made data, negative and positive."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import SAMPLE_REGION, write_csv

from balancesheet.checks import Problem, check
from balancesheet.errors import UserError
from balancesheet.importer import import_file
from balancesheet.project import Project
from balancesheet.resources import sample_data_dir

REGION = "990001"
PROBLEMS_FILE = sample_data_dir() / "problems" / "stocks_with_errors.csv"
CONTRACT_KEYS = {"severity", "kind", "region", "year", "resource", "item", "expected", "actual",
                 "difference", "message"}


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def of_kind(problems: list[Problem], kind: str, item: str | None = None) -> list[Problem]:
    return [p for p in problems if p.kind == kind and (item is None or p.item == item)]


def assert_well_formed(problems: list[Problem], region: str, year: int, tolerance: float = 0.02) -> None:
    for p in problems:
        assert p.severity in ("error", "warning")
        assert p.region == region
        assert p.year == year
        assert p.tolerance == tolerance
        assert p.message
        data = p.to_json()
        assert set(data) >= CONTRACT_KEYS
        if p.expected is not None and p.actual is not None:
            assert p.difference == pytest.approx(p.actual - p.expected, abs=1e-9)
    severities = [p.severity for p in problems]
    assert severities == sorted(severities, key=lambda s: s != "error"), "errors come first"


# ---------------------------------------------------------------------------------------------
# The sample county
# ---------------------------------------------------------------------------------------------

def test_clean_sample_years_have_no_errors(sample_project: Project) -> None:
    for year in range(2019, 2026):
        problems = check(sample_project, SAMPLE_REGION, year)
        assert errors(problems) == [], (year, [p.message for p in errors(problems)])
        assert_well_formed(problems, SAMPLE_REGION, year)


def test_first_sample_year_has_continuity_warnings_only(sample_project: Project) -> None:
    problems = check(sample_project, SAMPLE_REGION, 2018)
    assert problems
    assert {p.severity for p in problems} == {"warning"}
    assert {p.kind for p in problems} == {"continuity"}
    assert {p.resource for p in problems} == {"land", "forest", "water", "wetland"}
    assert_well_formed(problems, SAMPLE_REGION, 2018)


def test_unknown_region_is_a_user_error(sample_project: Project) -> None:
    with pytest.raises(UserError) as info:
        check(sample_project, "990199", 2025)
    assert "990121" in str(info.value)


def _problem_rows() -> list[dict[str, str]]:
    with PROBLEMS_FILE.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _clean_values(project: Project) -> dict[tuple[int, str, str], float]:
    out = {}
    for r in _problem_rows():
        value = project.store.read_sql(
            "SELECT value FROM stock WHERE region_code = :g AND year = :y AND resource = :r AND item = :i",
            {"g": r["region"], "y": int(r["year"]), "r": r["resource"], "i": r["item"]})["value"].iloc[0]
        out[(int(r["year"]), r["resource"], r["item"])] = float(value)
    return out


def _inject_by_sql(project: Project) -> None:
    """Write the problem file's values over the clean ones directly (bypassing the importer)."""
    with project.store.engine.begin() as conn:
        for r in _problem_rows():
            conn.exec_driver_sql(
                "UPDATE stock SET value = ? WHERE region_code = ? AND year = ? AND resource = ? AND item = ?",
                (float(r["value"]), r["region"], int(r["year"]), r["resource"], r["item"]))


def _assert_problem_file_findings(project: Project, clean: dict[tuple[int, str, str], float]) -> None:
    area = project.region(SAMPLE_REGION).area_ha
    assert area == pytest.approx(238645.0)

    p2025 = check(project, SAMPLE_REGION, 2025)
    assert_well_formed(p2025, SAMPLE_REGION, 2025)
    (b,) = of_kind(p2025, "balance", "0101")
    assert (b.severity, b.resource) == ("error", "land")
    assert b.expected == pytest.approx(clean[(2025, "land", "0101")], abs=1e-6)
    assert b.actual == pytest.approx(40494.93, abs=1e-6)
    assert b.difference == pytest.approx(12.34, abs=1e-6)
    totals = of_kind(p2025, "land_total")
    assert len(totals) == 2  # changed since 2024, and differs from the region's area
    for t in totals:
        assert (t.severity, t.item) == ("error", "T")
        assert t.expected == pytest.approx(area, abs=1e-6)
        assert t.actual == pytest.approx(area + 12.34, abs=1e-6)
        assert t.difference == pytest.approx(12.34, abs=1e-6)
    (link,) = of_kind(p2025, "link")
    assert (link.resource, link.item) == ("forest", "F1")
    assert link.difference == pytest.approx(-250.0, abs=1e-6)
    (f11,) = of_kind(p2025, "balance", "F11")
    assert f11.difference == pytest.approx(-250.0, abs=1e-6)
    (sd2025,) = of_kind(p2025, "balance", "SD1106")  # its 2025 opening changed
    assert sd2025.difference == pytest.approx(-8.88, abs=1e-6)
    assert {(p.kind, p.item) for p in errors(p2025)} == {
        ("balance", "0101"), ("land_total", "T"), ("link", "F1"), ("balance", "F11"), ("balance", "SD1106")}

    p2024 = check(project, SAMPLE_REGION, 2024)
    assert_well_formed(p2024, SAMPLE_REGION, 2024)
    (wl,) = of_kind(p2024, "link")
    assert (wl.severity, wl.resource, wl.item) == ("error", "wetland", "SD")
    assert wl.difference == pytest.approx(8.88, abs=1e-6)
    (sd,) = of_kind(p2024, "balance", "SD1106")
    assert sd.expected == pytest.approx(clean[(2024, "wetland", "SD1106")], abs=1e-6)
    assert sd.difference == pytest.approx(8.88, abs=1e-6)
    assert not of_kind(p2024, "land_total")

    # S1 水库蓄水量 under-reported by 500 万m³ in 2023 (negative stocks are refused at import; the
    # negative-stock check is shown on hand-made data below): S1 fails in 2023 and, its 2023
    # closing being 2024's opening, in 2024 the other way round.
    p2023 = check(project, SAMPLE_REGION, 2023)
    assert_well_formed(p2023, SAMPLE_REGION, 2023)
    (s1,) = of_kind(p2023, "balance", "S1")
    assert (s1.severity, s1.resource) == ("error", "water")
    assert s1.expected == pytest.approx(clean[(2023, "water", "S1")], abs=1e-6)
    assert s1.difference == pytest.approx(-500.0, abs=1e-6)
    assert {(p.kind, p.item) for p in errors(p2023)} == {("balance", "S1")}
    (s1_next,) = of_kind(p2024, "balance", "S1")
    assert s1_next.difference == pytest.approx(500.0, abs=1e-6)
    assert {(p.kind, p.item) for p in errors(p2024)} == {("link", "SD"), ("balance", "SD1106"), ("balance", "S1")}


def test_problems_file_imported_on_top_of_the_sample_is_found(sample_project: Project) -> None:
    """sample_data/README: the problems file is imported over the clean data, then `check` finds it."""
    clean = _clean_values(sample_project)
    result = import_file(sample_project, PROBLEMS_FILE)
    assert result.updated == 4
    _assert_problem_file_findings(sample_project, clean)


def test_problems_values_written_directly_are_found(sample_project: Project) -> None:
    """The same findings with the values written by SQL (the checks alone, whatever the importer does)."""
    clean = _clean_values(sample_project)
    _inject_by_sql(sample_project)
    _assert_problem_file_findings(sample_project, clean)


def test_updating_a_stock_by_reimport(project: Project, tmp_path: Path) -> None:
    """Importing a corrected value for an existing stock updates it (and logs old → new)."""
    header = ["region", "year", "resource", "item", "value"]
    import_file(project, write_csv(tmp_path / "a.csv", header, [[REGION, 2020, "land", "0101", "1000"]]))
    result = import_file(project, write_csv(tmp_path / "b.csv", header, [[REGION, 2020, "land", "0101", "1000.5"]]))
    assert (result.inserted, result.updated) == (0, 1)
    stored = project.store.read_sql("SELECT value FROM stock")["value"].tolist()
    assert stored == [1000.5]


# ---------------------------------------------------------------------------------------------
# Hand-made data, one rule at a time
# ---------------------------------------------------------------------------------------------

STOCKS = ["region", "year", "resource", "item", "value"]
CHANGES = ["region", "year", "from", "to", "area", "cause"]
FLOWS = ["region", "year", "resource", "item", "direction", "cause", "value"]


def _load(project: Project, tmp_path: Path, stocks: list[list[object]], changes: list[list[object]] = (),
          flows: list[list[object]] = ()) -> None:
    import_file(project, write_csv(tmp_path / "stocks.csv", STOCKS, stocks))
    if changes:
        import_file(project, write_csv(tmp_path / "changes.csv", CHANGES, changes))
    if flows:
        import_file(project, write_csv(tmp_path / "flows.csv", FLOWS, flows))


def _balanced_land(closing_0101: float) -> list[list[object]]:
    return [[REGION, 2020, "land", "0101", 990], [REGION, 2020, "land", "1202", 10],
            [REGION, 2021, "land", "0101", closing_0101], [REGION, 2021, "land", "1202", 20]]


def test_balance_within_tolerance_is_not_reported(project: Project, tmp_path: Path) -> None:
    _load(project, tmp_path, _balanced_land(980.01), [[REGION, 2021, "0101", "1202", 10, "CON"]])
    problems = check(project, REGION, 2021)
    assert problems == []


def test_balance_outside_tolerance_is_reported(project: Project, tmp_path: Path) -> None:
    _load(project, tmp_path, _balanced_land(980.03), [[REGION, 2021, "0101", "1202", 10, "CON"]])
    problems = check(project, REGION, 2021)
    assert_well_formed(problems, REGION, 2021)
    (b,) = of_kind(problems, "balance")
    assert (b.severity, b.resource, b.item) == ("error", "land", "0101")
    assert b.expected == pytest.approx(980.0) and b.actual == pytest.approx(980.03)
    assert b.difference == pytest.approx(0.03, abs=1e-9)
    assert b.tolerance == 0.02
    assert "0101" in b.message
    # a wider tolerance accepts it; the land total moved by the same 0.03
    assert of_kind(check(project, REGION, 2021, tolerance=0.05), "balance") == []
    assert all(p.tolerance == 0.05 for p in check(project, REGION, 2021, tolerance=0.05))
    assert {p.kind for p in errors(problems)} == {"balance", "land_total"}


def test_balance_without_the_change_records_is_reported(project: Project, tmp_path: Path) -> None:
    _load(project, tmp_path, _balanced_land(980))
    bad = {p.item: p for p in of_kind(check(project, REGION, 2021), "balance")}
    assert set(bad) == {"0101", "1202"}
    assert bad["0101"].difference == pytest.approx(-10) and bad["1202"].difference == pytest.approx(10)


def test_children_sum(project: Project, tmp_path: Path) -> None:
    rows = []
    for year in (2020, 2021):
        rows += [[REGION, year, "land", "01", 500], [REGION, year, "land", "0101", 300],
                 [REGION, year, "land", "0103", 150], [REGION, year, "land", "1202", 550]]
    _load(project, tmp_path, rows)
    problems = check(project, REGION, 2021)
    assert_well_formed(problems, REGION, 2021)
    (c,) = of_kind(problems, "children_sum")
    assert (c.severity, c.resource, c.item) == ("error", "land", "01")
    assert c.expected == pytest.approx(450) and c.actual == pytest.approx(500)
    assert c.difference == pytest.approx(50)
    assert of_kind(problems, "balance") == []


def test_children_that_sum_to_the_parent_are_fine(project: Project, tmp_path: Path) -> None:
    rows = []
    for year in (2020, 2021):
        rows += [[REGION, year, "land", "01", 450.01], [REGION, year, "land", "0101", 300],
                 [REGION, year, "land", "0103", 150], [REGION, year, "land", "1202", 550]]
    _load(project, tmp_path, rows)
    assert check(project, REGION, 2021) == []


def test_continuity_when_the_previous_year_has_no_stocks(project: Project, tmp_path: Path) -> None:
    _load(project, tmp_path, [[REGION, 2021, "land", "0101", 980], [REGION, 2021, "land", "1202", 20]],
          [[REGION, 2021, "0101", "1202", 10, "CON"]])
    problems = check(project, REGION, 2021)
    assert_well_formed(problems, REGION, 2021)
    assert errors(problems) == []
    cont = of_kind(problems, "continuity")
    assert len(cont) == 1 and cont[0].resource == "land" and cont[0].severity == "warning"
    assert "2020" in cont[0].message


def test_continuity_for_flows_booked_without_any_stock(project: Project, tmp_path: Path) -> None:
    """Flows in year Y with no stocks at Y−1 (and none at Y): nothing can be balanced — say so."""
    import_file(project, write_csv(tmp_path / "flows.csv", FLOWS,
                                   [[REGION, 2022, "forest", "F11", "add", "AFF", 12.5]]))
    problems = check(project, REGION, 2022)
    cont = of_kind(problems, "continuity")
    assert cont and cont[0].resource == "forest", [p.kind for p in problems]
    assert_well_formed(problems, REGION, 2022)


def test_continuity_for_one_item_without_an_opening(project: Project, tmp_path: Path) -> None:
    _load(project, tmp_path, [[REGION, 2020, "land", "0101", 1000],
                              [REGION, 2021, "land", "0101", 990], [REGION, 2021, "land", "0103", 10]])
    problems = check(project, REGION, 2021)
    (c,) = of_kind(problems, "continuity")
    assert (c.item, c.severity, c.actual) == ("0103", "warning", 10)
    assert of_kind(problems, "balance", "0101")  # 1000 → 990 with no change record


def test_missing_stock(project: Project, tmp_path: Path) -> None:
    _load(project, tmp_path, [[REGION, 2020, "land", "0101", 600], [REGION, 2020, "land", "0103", 400],
                              [REGION, 2021, "land", "0101", 600]])
    problems = check(project, REGION, 2021)
    assert_well_formed(problems, REGION, 2021)
    (m,) = of_kind(problems, "missing_stock")
    assert (m.item, m.severity, m.expected, m.actual) == ("0103", "warning", 400, None)
    assert "2021" in m.message


def test_land_total_changed_between_years(project: Project, tmp_path: Path) -> None:
    import_file(project, write_csv(tmp_path / "r.csv", ["region", "name"], [["990002", "无面积县"]]))
    import_file(project, write_csv(tmp_path / "s.csv", STOCKS, [
        ["990002", 2020, "land", "0101", 500], ["990002", 2021, "land", "0101", 505]]))
    problems = check(project, "990002", 2021)
    assert_well_formed(problems, "990002", 2021)
    (t,) = of_kind(problems, "land_total")
    assert (t.severity, t.item, t.expected, t.actual) == ("error", "T", 500, 505)
    assert t.difference == pytest.approx(5)


def test_land_total_differs_from_region_area(project: Project, tmp_path: Path) -> None:
    _load(project, tmp_path, [[REGION, 2020, "land", "0101", 990], [REGION, 2021, "land", "0101", 990]])
    problems = check(project, REGION, 2021)
    assert_well_formed(problems, REGION, 2021)
    (t,) = of_kind(problems, "land_total")
    assert (t.expected, t.actual) == (1000, 990)
    assert t.difference == pytest.approx(-10)
    assert {p.kind for p in problems} == {"land_total"}


def test_land_total_equal_to_area_and_constant_is_fine(project: Project, tmp_path: Path) -> None:
    _load(project, tmp_path, [[REGION, 2020, "land", "0101", 1000], [REGION, 2021, "land", "0101", 1000]])
    assert check(project, REGION, 2021) == []


def test_link_forest_vs_land(project: Project, tmp_path: Path) -> None:
    rows = []
    for year in (2020, 2021):
        rows += [[REGION, year, "land", "0301", 400], [REGION, year, "land", "0101", 600],
                 [REGION, year, "forest", "F11", 300], [REGION, year, "forest", "F141", 100]]
    rows[-1][-1] = 99.5
    rows += [[REGION, 2021, "forest", "F145", 0.5]]
    _load(project, tmp_path, rows)
    problems = check(project, REGION, 2021)
    assert of_kind(problems, "link") == []
    assert {p.kind for p in errors(problems)} == {"balance"}  # F141 → F145 moved without flows
    with project.store.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM stock WHERE item = 'F145'")
    (link,) = of_kind(check(project, REGION, 2021), "link")
    assert (link.severity, link.resource, link.item) == ("error", "forest", "F1")
    assert (link.expected, link.actual) == (400, 399.5)
    assert link.difference == pytest.approx(-0.5)
    assert "03" in link.message


def test_negative_observed_stock(project: Project) -> None:
    with project.store.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO period (region_code, year, locked, note) VALUES (?, 2021, 0, '')",
                             (REGION,))
        conn.exec_driver_sql("INSERT INTO stock (region_code, year, resource, item, value, unit) "
                             "VALUES (?, 2021, 'water', 'S2', -3.5, '万立方米')", (REGION,))
    problems = check(project, REGION, 2021)
    assert_well_formed(problems, REGION, 2021)
    (n,) = of_kind(problems, "negative")
    assert (n.severity, n.resource, n.item, n.expected, n.actual) == ("error", "water", "S2", 0.0, -3.5)


def test_negative_computed_closing(project: Project, tmp_path: Path) -> None:
    _load(project, tmp_path, [[REGION, 2020, "water", "S1", 10], [REGION, 2021, "water", "S1", 0]],
          flows=[[REGION, 2021, "water", "S1", "reduce", "ABS", 15]])
    problems = check(project, REGION, 2021)
    neg = of_kind(problems, "negative", "S1")
    assert len(neg) == 1 and neg[0].actual == pytest.approx(-5)
    assert of_kind(problems, "balance", "S1")[0].difference == pytest.approx(5)


def test_unknown_item_and_cause_in_stored_rows(project: Project, tmp_path: Path) -> None:
    _load(project, tmp_path, [[REGION, 2020, "land", "0101", 1000], [REGION, 2021, "land", "0101", 1000]])
    with project.store.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO stock (region_code, year, resource, item, value, unit) "
                             "VALUES (?, 2021, 'land', '0199', 0, '公顷')", (REGION,))
        conn.exec_driver_sql("INSERT INTO flow (region_code, year, resource, from_item, to_item, cause, value) "
                             "VALUES (?, 2021, 'land', '0101', '0198', 'CON', 1)", (REGION,))
        conn.exec_driver_sql("INSERT INTO flow (region_code, year, resource, from_item, to_item, cause, value) "
                             "VALUES (?, 2021, 'land', '0101', '0103', 'XYZ', 2)", (REGION,))
    problems = check(project, REGION, 2021)
    assert_well_formed(problems, REGION, 2021)
    unknown = {p.item for p in of_kind(problems, "unknown_item")}
    assert unknown == {"0199", "0198"}
    (cause,) = of_kind(problems, "unknown_cause")
    assert cause.severity == "error" and "XYZ" in cause.message


def test_stored_unit_differs_from_catalog(project: Project, tmp_path: Path) -> None:
    _load(project, tmp_path, [[REGION, 2020, "land", "0101", 1000], [REGION, 2021, "land", "0101", 1000]])
    assert check(project, REGION, 2021) == []
    with project.store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE stock SET unit = '亩' WHERE year = 2021")
    problems = check(project, REGION, 2021)
    assert_well_formed(problems, REGION, 2021)
    (u,) = of_kind(problems, "unit")
    assert (u.severity, u.item) == ("error", "0101")
    assert "亩" in u.message and "公顷" in u.message


def test_problem_to_json_contract(project: Project, tmp_path: Path) -> None:
    _load(project, tmp_path, [[REGION, 2020, "land", "0101", 990], [REGION, 2021, "land", "0101", 990]])
    (p,) = check(project, REGION, 2021)
    data = p.to_json()
    assert set(data) >= CONTRACT_KEYS
    assert data["severity"] == "error" and data["kind"] == "land_total"
    assert (data["region"], data["year"], data["resource"], data["item"]) == (REGION, 2021, "land", "T")
    assert (data["expected"], data["actual"], data["difference"]) == (1000.0, 990.0, -10.0)
    assert data["tolerance"] == 0.02
    import json

    assert json.loads(json.dumps(data)) == data
