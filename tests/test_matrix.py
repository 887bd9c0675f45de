"""The land transition matrix: reconciliation with stocks, chaining years, levels, round trips, EXT."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import SAMPLE_REGION, write_csv
from storage_backends import project_on_both_backends, sample_project_on_both_backends  # noqa: F401

from balancesheet.errors import UserError
from balancesheet.importer import import_file
from balancesheet.ledger import change_table, transition_matrix
from balancesheet.ledger.values import value_table
from balancesheet.project import Project

REGION = "990001"
FIRST_LEVEL = ["00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"]
TOTAL = 238645.00


def stocks_at(project: Project, classes: list[str], year: int) -> np.ndarray:
    values = value_table(project, SAMPLE_REGION, [year])
    return np.array([values.value("land", c, year) for c in classes], dtype=float)


def off_diagonal(cells: np.ndarray) -> np.ndarray:
    out = cells.copy()
    np.fill_diagonal(out, 0.0)
    return out


@pytest.mark.parametrize(("y0", "y1"), [(2018, 2019), (2024, 2025)])
def test_one_year_matrix_reconciles_with_stocks(sample_project: Project, y0: int, y1: int) -> None:
    m = transition_matrix(sample_project, SAMPLE_REGION, y0, y1)
    assert m.classes == FIRST_LEVEL
    assert m.cells.shape == (13, 13)
    assert m.unit == "公顷"
    np.testing.assert_allclose(m.row_sums, stocks_at(sample_project, FIRST_LEVEL, y0), atol=1e-6)
    np.testing.assert_allclose(m.column_sums, stocks_at(sample_project, FIRST_LEVEL, y1), atol=1e-6)
    np.testing.assert_allclose(m.opening, m.row_sums, atol=1e-6)
    np.testing.assert_allclose(m.closing_observed, m.column_sums, atol=1e-6)
    assert m.row_sums.sum() == pytest.approx(TOTAL, abs=1e-6)
    assert m.column_sums.sum() == pytest.approx(TOTAL, abs=1e-6)
    assert (m.cells >= -1e-9).all()
    assert off_diagonal(m.cells).sum() > 0
    assert not any("gross" in n for n in m.notes)


def test_one_year_off_diagonal_cells_are_the_year_s_transfers(sample_project: Project) -> None:
    m = transition_matrix(sample_project, SAMPLE_REGION, 2020, 2021)
    expected = np.zeros((13, 13))
    index = {c: i for i, c in enumerate(FIRST_LEVEL)}
    # map the booked second-level codes to their first-level class through the catalog
    land = sample_project.catalog.accounts["land"]
    full = sample_project.store.read_sql(
        "SELECT from_item, to_item, SUM(value) AS v FROM flow WHERE resource = 'land' AND year = 2021 "
        "GROUP BY from_item, to_item")
    for r in full.itertuples():
        i, j = index[land.class_at_level(r.from_item, 1)], index[land.class_at_level(r.to_item, 1)]
        if i != j:
            expected[i, j] += r.v
    assert len(full) > 50
    np.testing.assert_allclose(off_diagonal(m.cells), expected, atol=1e-6)


def test_multi_year_matrix_sums_the_yearly_transfers(sample_project: Project) -> None:
    m = transition_matrix(sample_project, SAMPLE_REGION, 2019, 2025)
    yearly = [transition_matrix(sample_project, SAMPLE_REGION, y - 1, y) for y in range(2020, 2026)]
    assert all(y.classes == m.classes for y in yearly)
    np.testing.assert_allclose(off_diagonal(m.cells), sum(off_diagonal(y.cells) for y in yearly), atol=1e-6)
    np.testing.assert_allclose(m.row_sums, stocks_at(sample_project, FIRST_LEVEL, 2019), atol=1e-6)
    np.testing.assert_allclose(m.column_sums, stocks_at(sample_project, FIRST_LEVEL, 2025), atol=1e-6)
    assert m.row_sums.sum() == pytest.approx(m.column_sums.sum(), abs=1e-6)
    assert m.column_sums.sum() == pytest.approx(TOTAL, abs=1e-6)
    assert any("gross flows" in n or "毛流量" in n for n in m.notes)
    data = m.to_json()
    assert data["from"] == 2019 and data["to"] == 2025
    assert any("gross" in n for n in data["notes"])


def test_multi_year_matrix_agrees_with_the_span_change_table(sample_project: Project) -> None:
    m = transition_matrix(sample_project, SAMPLE_REGION, 2019, 2025)
    rows = change_table(sample_project, SAMPLE_REGION, "land", 2019, 2025).rows.set_index("item")
    for i, code in enumerate(m.classes):
        assert off_diagonal(m.cells)[:, i].sum() == pytest.approx(rows.loc[code, "additions"], abs=1e-6), code
        assert off_diagonal(m.cells)[i, :].sum() == pytest.approx(rows.loc[code, "reductions"], abs=1e-6), code


def test_level_two_matrix_has_56_classes_and_reconciles(sample_project: Project) -> None:
    m = transition_matrix(sample_project, SAMPLE_REGION, 2021, 2023, level=2)
    assert len(m.classes) == 56
    assert "09" in m.classes and "0101" in m.classes and "1108" in m.classes
    assert "01" not in m.classes and "PBF" not in m.classes
    np.testing.assert_allclose(m.row_sums, stocks_at(sample_project, m.classes, 2021), atol=1e-6)
    np.testing.assert_allclose(m.column_sums, stocks_at(sample_project, m.classes, 2023), atol=1e-6)
    level1 = transition_matrix(sample_project, SAMPLE_REGION, 2021, 2023, level=1)
    land = sample_project.catalog.accounts["land"]
    # rolling the level-2 matrix up gives the level-1 matrix
    parent = [level1.classes.index(land.class_at_level(c, 1)) for c in m.classes]
    rolled = np.zeros((13, 13))
    np.add.at(rolled, (np.repeat(parent, 56), np.tile(parent, 56)), m.cells.ravel())
    np.testing.assert_allclose(rolled, level1.cells, atol=1e-6)


@pytest.mark.parametrize(("y0", "y1"), [(2025, 2025), (2025, 2024)])
def test_to_not_after_from_is_a_user_error(sample_project: Project, y0: int, y1: int) -> None:
    with pytest.raises(UserError):
        transition_matrix(sample_project, SAMPLE_REGION, y0, y1)


# ---------------------------------------------------------------------------------------------
# Tiny hand-made projects
# ---------------------------------------------------------------------------------------------

def _stocks(project: Project, path: Path, rows: list[list[object]]) -> None:
    import_file(project, write_csv(path, ["region", "year", "resource", "item", "value"], rows))


def test_round_trip_a_to_b_to_a_shows_both_cells(project: Project, tmp_path: Path) -> None:
    _stocks(project, tmp_path / "s.csv", [
        [REGION, 2020, "land", "0101", 600], [REGION, 2020, "land", "0301", 400],
        [REGION, 2021, "land", "0101", 590], [REGION, 2021, "land", "0301", 410],
        [REGION, 2022, "land", "0101", 594], [REGION, 2022, "land", "0301", 406],
    ])
    import_file(project, write_csv(tmp_path / "c.csv", ["region", "year", "from", "to", "area", "cause"], [
        [REGION, 2021, "0101", "0301", 10, "ECO"],
        [REGION, 2022, "0301", "0101", 4, "REC"],
    ]))
    for level, (a, b) in ((1, ("01", "03")), (2, ("0101", "0301"))):
        m = transition_matrix(project, REGION, 2020, 2022, level=level)
        i, j = m.classes.index(a), m.classes.index(b)
        assert m.cells[i, j] == pytest.approx(10)   # A → B in 2021
        assert m.cells[j, i] == pytest.approx(4)    # B → A in 2022
        assert m.cells[i, i] == pytest.approx(590)  # 600 − 10 moved out
        assert m.cells[j, j] == pytest.approx(396)  # 400 − 4 moved out
        assert m.row_sums[i] == pytest.approx(600) and m.row_sums[j] == pytest.approx(400)
        assert m.column_sums[i] == pytest.approx(594) and m.column_sums[j] == pytest.approx(406)
        assert m.closing_observed[i] == pytest.approx(594)
        assert m.cells.sum() == pytest.approx(1000)
        assert any("gross" in n for n in m.notes)
        data = m.to_json()
        assert data["cells"][i][j] == pytest.approx(10) and data["cells"][j][i] == pytest.approx(4)
    one = transition_matrix(project, REGION, 2021, 2022, level=2)
    i, j = one.classes.index("0101"), one.classes.index("0301")
    assert one.cells[i, j] == 0 and one.cells[j, i] == pytest.approx(4)
    assert one.cells[j, j] == pytest.approx(406)


def test_non_transfer_land_flows_show_as_ext(project: Project, tmp_path: Path) -> None:
    _stocks(project, tmp_path / "s.csv", [
        [REGION, 2020, "land", "0101", 600], [REGION, 2020, "land", "0301", 400],
        [REGION, 2021, "land", "0101", 595], [REGION, 2021, "land", "0301", 408],
    ])
    import_file(project, write_csv(tmp_path / "c.csv", ["region", "year", "from", "to", "area", "cause"],
                                   [[REGION, 2021, "0101", "0301", 10, "CON"]]))
    import_file(project, write_csv(tmp_path / "f.csv",
                                   ["region", "year", "resource", "item", "direction", "cause", "value"], [
                                       [REGION, 2021, "land", "0101", "add", "ADJ", 5],
                                       [REGION, 2021, "land", "0301", "reduce", "ADJ", 2],
                                   ]))
    m = transition_matrix(project, REGION, 2020, 2021)
    assert m.classes[-1] == "EXT"
    assert len(m.classes) == 14 and m.cells.shape == (14, 14)
    ext, a, b = 13, m.classes.index("01"), m.classes.index("03")
    assert m.cells[ext, a] == pytest.approx(5)     # added to 0101 from outside the account
    assert m.cells[b, ext] == pytest.approx(2)     # reduced from 0301 to outside
    assert m.cells[a, b] == pytest.approx(10)
    assert m.row_sums[a] == pytest.approx(600) and m.row_sums[b] == pytest.approx(400)
    assert m.column_sums[a] == pytest.approx(595) and m.column_sums[b] == pytest.approx(408)
    np.testing.assert_allclose(m.column_sums[:13], np.nan_to_num(m.closing_observed[:13]), atol=1e-6)
    np.testing.assert_allclose(m.row_sums[:13], np.nan_to_num(m.opening[:13]), atol=1e-6)
    assert m.row_sums[ext] == pytest.approx(5) and m.column_sums[ext] == pytest.approx(2)
    assert m.row_sums.sum() == pytest.approx(m.column_sums.sum())
    assert any("EXT" in n for n in m.notes)
    assert m.to_json()["classes"][-1] == "EXT"


def test_transfer_only_projects_have_no_ext(project: Project, tmp_path: Path) -> None:
    _stocks(project, tmp_path / "s.csv", [[REGION, 2020, "land", "0101", 1000], [REGION, 2021, "land", "0101", 990],
                                          [REGION, 2021, "land", "1202", 10]])
    import_file(project, write_csv(tmp_path / "c.csv", ["region", "year", "from", "to", "area"],
                                   [[REGION, 2021, "0101", "1202", 10]]))
    m = transition_matrix(project, REGION, 2020, 2021)
    assert "EXT" not in m.classes
    i, j = m.classes.index("01"), m.classes.index("12")
    assert m.cells[i, j] == pytest.approx(10) and m.cells[i, i] == pytest.approx(990)
    # a class with no stock at the end of `from` is taken as 0 and says so
    missing = [n for n in m.notes if "2020" in n and "taken as 0" in n]
    assert len(missing) == 1 and "'12'" in missing[0] and "'01'" not in missing[0]
