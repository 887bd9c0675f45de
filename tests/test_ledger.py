"""The 存量及变动表: a published-style example computed by hand, flows by factor, spans, derived
items, groups and the sample county's zero discrepancies."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLE_REGION, write_csv
from storage_backends import project_on_both_backends, sample_project_on_both_backends  # noqa: F401

from balancesheet.importer import import_file
from balancesheet.ledger import change_table
from balancesheet.project import Project

REGION = "990001"
RESOURCES = ("land", "forest", "water", "wetland")
STOCK_HEADER = ["region", "year", "resource", "item", "value", "unit"]


def rows_of(table) -> pd.DataFrame:  # noqa: ANN001
    return table.rows.set_index("item")


def approx(value: float) -> object:
    return pytest.approx(value, abs=0.01)


# ---------------------------------------------------------------------------------------------
# The published-style example: land in km², by hand in hectares (km² × 100)
# ---------------------------------------------------------------------------------------------
#
# Opening stocks, end of 2020 (km²):  0101 3.2, 0103 1.5, 0301 4.0, 0701 0.8, 1101 0.5 = 10 km²
#                                      (the region's area: 1,000 ha = 10 km²)
# Land change records 2021 (km²):
#   0101 → 0103 0.06 AGR, 0.04 AGR       (inside 01: changes 0101 and 0103, not 01)
#   0101 → 0701 0.05 CON, 0.03 CON
#   0103 → 0301 0.20 ECO, 0.04 ECO
#   0301 → 0701 0.02 CON
#   1101 → 0101 0.06 REC
#   0301 → 1101 0.015 DIS                (natural)
# Observed stocks, end of 2021 (km²): 0101 3.08, 0103 1.365, 0301 4.205, 0701 0.90, 1101 0.455
#
# By hand (ha):
#   item  opening  additions            reductions                 closing  observed  discrepancy
#   0101  320      6 (REC)              10 (AGR) + 8 (CON) = 18    308      308        0
#   0103  150      10 (AGR)             24 (ECO)                   136      136.5      +0.5
#   0301  400      24 (ECO)             2 (CON) + 1.5 (DIS) = 3.5  420.5    420.5      0
#   0701   80      8 + 2 (CON) = 10     0                           90       90        0
#   1101   50      1.5 (DIS)            6 (REC)                     45.5     45.5      0
#   01    470      6 (REC)              8 (CON) + 24 (ECO) = 32    444      444.5      +0.5
#   03    400      24                   3.5                        420.5    420.5      0
#   07     80      10                   0                           90       90        0
#   11     50      1.5                  6                           45.5     45.5      0
#   T    1000      0                    0                         1000     1000.5      +0.5

OPENING_KM2 = {"0101": 3.2, "0103": 1.5, "0301": 4.0, "0701": 0.8, "1101": 0.5}
CLOSING_KM2 = {"0101": 3.08, "0103": 1.365, "0301": 4.205, "0701": 0.90, "1101": 0.455}
CHANGES_KM2 = [
    ("0101", "0103", 0.06, "AGR"), ("0101", "0103", 0.04, "AGR"),
    ("0101", "0701", 0.05, "CON"), ("0101", "0701", 0.03, "CON"),
    ("0103", "0301", 0.20, "ECO"), ("0103", "0301", 0.04, "ECO"),
    ("0301", "0701", 0.02, "CON"),
    ("1101", "0101", 0.06, "REC"),
    ("0301", "1101", 0.015, "DIS"),
]

# item: opening, additions, reductions, closing, observed, add by factor, red by factor, add by cause, red by cause
HAND = {
    "0101": (320, 6, 18, 308, 308, {"human": 6}, {"human": 18}, {"REC": 6}, {"AGR": 10, "CON": 8}),
    "0103": (150, 10, 24, 136, 136.5, {"human": 10}, {"human": 24}, {"AGR": 10}, {"ECO": 24}),
    "0301": (400, 24, 3.5, 420.5, 420.5, {"human": 24}, {"human": 2, "natural": 1.5},
             {"ECO": 24}, {"CON": 2, "DIS": 1.5}),
    "0701": (80, 10, 0, 90, 90, {"human": 10}, {}, {"CON": 10}, {}),
    "1101": (50, 1.5, 6, 45.5, 45.5, {"natural": 1.5}, {"human": 6}, {"DIS": 1.5}, {"REC": 6}),
    "01": (470, 6, 32, 444, 444.5, {"human": 6}, {"human": 32}, {"REC": 6}, {"CON": 8, "ECO": 24}),
    "03": (400, 24, 3.5, 420.5, 420.5, {"human": 24}, {"human": 2, "natural": 1.5},
           {"ECO": 24}, {"CON": 2, "DIS": 1.5}),
    "07": (80, 10, 0, 90, 90, {"human": 10}, {}, {"CON": 10}, {}),
    "11": (50, 1.5, 6, 45.5, 45.5, {"natural": 1.5}, {"human": 6}, {"DIS": 1.5}, {"REC": 6}),
    "T": (1000, 0, 0, 1000, 1000.5, {}, {}, {}, {}),
}


@pytest.fixture
def km2_project(project: Project, tmp_path: Path) -> Project:
    rows = [[REGION, 2020, "land", c, v, "km²"] for c, v in OPENING_KM2.items()]
    rows += [[REGION, 2021, "土地", c, v, "平方公里"] for c, v in CLOSING_KM2.items()]
    import_file(project, write_csv(tmp_path / "stocks.csv", STOCK_HEADER, rows))
    import_file(project, write_csv(tmp_path / "changes.csv",
                                   ["region", "year", "from", "to", "area", "cause", "unit"],
                                   [[REGION, 2021, a, b, v, c, "km2"] for a, b, v, c in CHANGES_KM2]))
    return project


def test_published_example_rows_equal_the_hand_computation(km2_project: Project) -> None:
    table = change_table(km2_project, REGION, "land", 2020, 2021)
    assert table.unit == "公顷"
    rows = rows_of(table)
    for code, (opening, adds, reds, closing, observed, add_f, red_f, _ac, _rc) in HAND.items():
        row = rows.loc[code]
        assert row["opening"] == approx(opening), code
        assert row["additions"] == approx(adds), code
        assert row["reductions"] == approx(reds), code
        assert row["closing"] == approx(closing), code
        assert row["observed_closing"] == approx(observed), code
        assert row["discrepancy"] == approx(observed - closing), code
        for factor in ("human", "natural", "other"):
            assert row[f"add_{factor}"] == approx(add_f.get(factor, 0)), (code, factor)
            assert row[f"red_{factor}"] == approx(red_f.get(factor, 0)), (code, factor)


def test_published_example_json_has_the_hand_numbers_by_cause_and_factor(km2_project: Project) -> None:
    data = change_table(km2_project, REGION, "land", 2020, 2021).to_json()
    assert (data["region"], data["year"], data["resource"], data["unit"]) == (REGION, 2021, "land", "公顷")
    by_item = {r["item"]: r for r in data["rows"]}
    for code, (opening, adds, reds, closing, observed, add_f, red_f, add_c, red_c) in HAND.items():
        row = by_item[code]
        assert row["opening"] == approx(opening)
        assert row["additions"] == approx(adds)
        assert row["reductions"] == approx(reds)
        assert row["closing"] == approx(closing)
        assert row["observed_closing"] == approx(observed)
        assert row["discrepancy"] == approx(observed - closing)
        assert row["additions_by_factor"] == {f: approx(add_f.get(f, 0)) for f in ("human", "natural", "other")}
        assert row["reductions_by_factor"] == {f: approx(red_f.get(f, 0)) for f in ("human", "natural", "other")}
        assert row["additions_by_cause"] == {k: approx(v) for k, v in add_c.items()}, code
        assert row["reductions_by_cause"] == {k: approx(v) for k, v in red_c.items()}, code
    # classes without data: no opening, no observed value, no change
    assert by_item["0102"]["opening"] is None
    assert by_item["0102"]["observed_closing"] is None
    assert by_item["0102"]["additions"] == 0


def test_internal_transfer_changes_children_not_the_parent(km2_project: Project) -> None:
    rows = rows_of(change_table(km2_project, REGION, "land", 2020, 2021))
    # 0101 → 0103 (10 ha AGR) shows on both children but not on 01
    assert rows.loc["0101", "red_human"] == approx(18)
    assert rows.loc["0103", "add_human"] == approx(10)
    assert rows.loc["01", "additions"] == approx(rows.loc["0101", "additions"] + rows.loc["0103", "additions"] - 10)
    assert rows.loc["01", "reductions"] == approx(rows.loc["0101", "reductions"] + rows.loc["0103", "reductions"] - 10)


def test_published_example_groups(km2_project: Project) -> None:
    rows = rows_of(change_table(km2_project, REGION, "land", 2020, 2021))
    # G1 农用地 = 01 + 03: in 6 (1101→0101); out 8 + 2 (→0701) + 1.5 (0301→1101); 0103→0301 stays inside
    assert rows.loc["G1", "opening"] == approx(870)
    assert rows.loc["G1", "additions"] == approx(6)
    assert rows.loc["G1", "reductions"] == approx(11.5)
    assert rows.loc["G1", "closing"] == approx(864.5)
    assert rows.loc["G1", "observed_closing"] == approx(865)
    assert rows.loc["G2", "additions"] == approx(10)
    assert rows.loc["G2", "reductions"] == approx(0)
    assert rows.loc["G3", "additions"] == approx(1.5)
    assert rows.loc["G3", "reductions"] == approx(6)
    assert rows.loc["G3", "red_human"] == approx(6)
    assert rows.loc["G3", "add_natural"] == approx(1.5)


def test_published_example_stored_in_hectares(km2_project: Project) -> None:
    stocks = km2_project.store.read_sql("SELECT item, year, value, unit FROM stock ORDER BY year, item")
    assert set(stocks["unit"]) == {"公顷"}
    got = {(r.item, r.year): r.value for r in stocks.itertuples()}
    for code, v in OPENING_KM2.items():
        assert got[(code, 2020)] == pytest.approx(v * 100, abs=1e-9)
    flows = km2_project.store.read_sql("SELECT SUM(value) AS v FROM flow")
    assert flows["v"].iloc[0] == pytest.approx(sum(v for *_, v, _c in CHANGES_KM2) * 100, abs=1e-9)


# ---------------------------------------------------------------------------------------------
# Flows on forest and water: add / reduce by cause roll into the factors
# ---------------------------------------------------------------------------------------------

def test_forest_and_water_flows_roll_into_factors(project: Project, tmp_path: Path) -> None:
    stocks = [
        [REGION, 2020, "forest", "F11", 100, "公顷"], [REGION, 2020, "forest", "F12", 20, "公顷"],
        [REGION, 2021, "forest", "F11", 103.5, "公顷"], [REGION, 2021, "forest", "F12", 20.25, "公顷"],
        [REGION, 2020, "water", "S1", 1000, "万立方米"], [REGION, 2021, "water", "S1", 1105, "万立方米"],
    ]
    import_file(project, write_csv(tmp_path / "s.csv", STOCK_HEADER, stocks))
    header = ["region", "year", "resource", "item", "direction", "cause", "value", "unit"]
    flows = [
        [REGION, 2021, "forest", "F11", "add", "AFF", 5, "公顷"],       # human
        [REGION, 2021, "forest", "F11", "增加", "调查核实", 15, "亩"],     # other, 1 ha
        [REGION, 2021, "forest", "F11", "reduce", "OCC", 2, "公顷"],    # human
        [REGION, 2021, "forest", "F11", "减少", "DIS", 0.5, "公顷"],     # natural
        [REGION, 2021, "forest", "F12", "add", "ADJ", 0.25, "公顷"],    # other
        [REGION, 2021, "water", "S1", "add", "PRC", 0.03, "亿立方米"],   # natural, 300 万m³
        [REGION, 2021, "water", "S1", "add", "INF", 50, "万立方米"],     # human
        [REGION, 2021, "water", "S1", "add", "RTN", 20, "万立方米"],     # human
        [REGION, 2021, "water", "S1", "add", "ADJ", 5, "万立方米"],      # other
        [REGION, 2021, "water", "S1", "reduce", "ABS", 200, "万立方米"],  # human
        [REGION, 2021, "water", "S1", "reduce", "EVP", 30, "万立方米"],   # natural
        [REGION, 2021, "water", "S1", "reduce", "OUT", 400000, "立方米"],  # natural, 40 万m³
    ]
    import_file(project, write_csv(tmp_path / "f.csv", header, flows))

    forest = rows_of(change_table(project, REGION, "forest", 2020, 2021))
    f11 = forest.loc["F11"]
    assert (f11["add_human"], f11["add_natural"], f11["add_other"]) == (approx(5), approx(0), approx(1))
    assert (f11["red_human"], f11["red_natural"], f11["red_other"]) == (approx(2), approx(0.5), approx(0))
    assert f11["closing"] == approx(103.5) and f11["discrepancy"] == approx(0)
    f1 = forest.loc["F1"]
    assert f1["opening"] == approx(120)
    assert (f1["add_human"], f1["add_natural"], f1["add_other"]) == (approx(5), approx(0), approx(1.25))
    assert (f1["red_human"], f1["red_natural"], f1["red_other"]) == (approx(2), approx(0.5), approx(0))
    assert f1["closing"] == approx(123.75) and f1["observed_closing"] == approx(123.75)

    water = rows_of(change_table(project, REGION, "水资源", 2020, 2021))
    for code in ("S1", "S"):
        row = water.loc[code]
        assert (row["add_human"], row["add_natural"], row["add_other"]) == (approx(70), approx(300), approx(5))
        assert (row["red_human"], row["red_natural"], row["red_other"]) == (approx(200), approx(70), approx(0))
        assert row["additions"] == approx(375) and row["reductions"] == approx(270)
        assert row["closing"] == approx(1105) and row["discrepancy"] == approx(0)
    # water has no land-style transfers: the untouched S2 stays empty
    assert math.isnan(water.loc["S2", "opening"])


# ---------------------------------------------------------------------------------------------
# The sample county
# ---------------------------------------------------------------------------------------------

SPAN_ITEMS = {"land": ["T", "01", "0101", "0103", "03", "0301", "07", "0702", "10", "1003", "G1", "G2", "G3"],
              "forest": ["F1", "F11", "F14", "F142", "F145", "V1", "V11", "V12"]}


@pytest.mark.parametrize("resource", ["land", "forest"])
def test_span_table_adds_the_yearly_tables(sample_project: Project, resource: str) -> None:
    y0, y2 = 2020, 2023
    span = rows_of(change_table(sample_project, SAMPLE_REGION, resource, y0, y2))
    yearly = [rows_of(change_table(sample_project, SAMPLE_REGION, resource, y - 1, y)) for y in range(y0 + 1, y2 + 1)]
    first = rows_of(change_table(sample_project, SAMPLE_REGION, resource, y0 - 1, y0))
    moved = 0.0
    for code in SPAN_ITEMS[resource]:
        for column in ("additions", "reductions", "add_human", "add_natural", "add_other",
                       "red_human", "red_natural", "red_other"):
            assert span.loc[code, column] == pytest.approx(sum(t.loc[code, column] for t in yearly), abs=1e-6), \
                (code, column)
        assert span.loc[code, "opening"] == pytest.approx(first.loc[code, "observed_closing"], abs=1e-6)
        assert span.loc[code, "observed_closing"] == pytest.approx(yearly[-1].loc[code, "observed_closing"], abs=1e-6)
        assert span.loc[code, "discrepancy"] == pytest.approx(0, abs=0.005)
        moved += span.loc[code, "additions"]
    assert moved > 100  # the sample does move land and forest


def test_derived_forest_items(sample_project: Project) -> None:
    for year in (2019, 2025):
        forest = rows_of(change_table(sample_project, SAMPLE_REGION, "forest", year - 1, year))
        land = rows_of(change_table(sample_project, SAMPLE_REGION, "land", year - 1, year))
        parts = sum(forest.loc[c, "observed_closing"] for c in ("F11", "F12", "F131", "F2"))
        assert forest.loc["F3", "observed_closing"] == pytest.approx(parts, abs=1e-6)
        assert forest.loc["F3", "closing"] == pytest.approx(parts, abs=1e-6)
        cover = forest.loc["F3", "observed_closing"] / land.loc["T", "observed_closing"] * 100
        assert forest.loc["F4", "observed_closing"] == pytest.approx(cover, abs=1e-9)
        assert 53.0 < forest.loc["F4", "observed_closing"] < 54.0
        assert forest.loc["F3", "kind"] == "derived"
        assert math.isnan(forest.loc["F3", "discrepancy"])
        # a derived item's opening is its value at the end of the previous year
        earlier = rows_of(change_table(sample_project, SAMPLE_REGION, "forest", year - 2, year - 1)) \
            if year > 2019 else None
        if earlier is not None:
            assert forest.loc["F3", "opening"] == pytest.approx(earlier.loc["F3", "observed_closing"], abs=1e-6)


def test_derived_water_total(sample_project: Project) -> None:
    water = rows_of(change_table(sample_project, SAMPLE_REGION, "water", 2021, 2022))
    w0 = water.loc["W1", "observed_closing"] + water.loc["W2", "observed_closing"] - water.loc["W3", "observed_closing"]
    assert w0 > 0
    assert water.loc["W0", "observed_closing"] == pytest.approx(w0, abs=1e-6)
    u0 = sum(water.loc[c, "observed_closing"] for c in ("U1", "U2", "U3", "U4"))
    assert water.loc["U0", "observed_closing"] == pytest.approx(u0, abs=1e-6)
    # flow-kind items have no opening and no balance
    assert math.isnan(water.loc["W1", "opening"])
    assert math.isnan(water.loc["W1", "discrepancy"])


def test_groups_sum_to_the_land_total(sample_project: Project) -> None:
    for year in (2019, 2022, 2025):
        land = rows_of(change_table(sample_project, SAMPLE_REGION, "land", year - 1, year))
        groups = sum(land.loc[g, "observed_closing"] for g in ("G1", "G2", "G3"))
        assert groups == pytest.approx(land.loc["T", "observed_closing"], abs=1e-6)
        assert land.loc["T", "observed_closing"] == pytest.approx(238645.00, abs=1e-6)
        assert land.loc["G1", "additions"] + land.loc["G2", "additions"] + land.loc["G3", "additions"] == \
            pytest.approx(land.loc["G1", "reductions"] + land.loc["G2", "reductions"] + land.loc["G3", "reductions"],
                          abs=1e-6)


def test_sample_stock_leaves_have_no_discrepancy(sample_project: Project) -> None:
    checked = 0
    for resource in RESOURCES:
        account = sample_project.catalog.accounts[resource]
        leaves = account.stock_leaves()
        for year in range(2019, 2026):
            rows = rows_of(change_table(sample_project, SAMPLE_REGION, resource, year - 1, year))
            d = rows.loc[leaves, "discrepancy"].dropna()
            bad = d[d.abs() >= 0.005]
            assert bad.empty, (resource, year, bad.to_dict())
            checked += len(d)
            # every stock leaf with data both years has a known discrepancy
            known = rows.loc[leaves, ["opening", "observed_closing"]].notna().all(axis=1)
            assert d.index.tolist() == known[known].index.tolist()
    assert checked > 7 * 90


def test_sample_land_total_never_moves(sample_project: Project) -> None:
    for year in range(2019, 2026):
        t = rows_of(change_table(sample_project, SAMPLE_REGION, "land", year - 1, year)).loc["T"]
        assert t["additions"] == pytest.approx(0, abs=1e-6)
        assert t["reductions"] == pytest.approx(0, abs=1e-6)
        assert t["closing"] == pytest.approx(t["opening"], abs=1e-6)


def test_land_change_onto_the_memo_item_pbf_is_refused(project: Project, tmp_path: Path) -> None:
    """PBF 永久基本农田 is a memo item outside T, not a land class: a land change record from a
    class to PBF would silently shrink the land total. The importer must refuse it."""
    from balancesheet.errors import ImportRejected

    import_file(project, write_csv(tmp_path / "s.csv", ["region", "year", "resource", "item", "value"],
                                   [[REGION, 2020, "land", "0101", 1000], [REGION, 2020, "land", "PBF", 800]]))
    with pytest.raises(ImportRejected):
        import_file(project, write_csv(tmp_path / "c.csv", ["region", "year", "from", "to", "area"],
                                       [[REGION, 2021, "0101", "PBF", 10]]))
    t = rows_of(change_table(project, REGION, "land", 2020, 2021)).loc["T"]
    assert t["reductions"] == 0 and t["closing"] == pytest.approx(1000)
