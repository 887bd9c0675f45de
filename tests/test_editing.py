"""Single edits and the year lock (balancesheet.editing): logged old → new, validated against the
catalog, refused in locked years (imports too) with the database unchanged, undone exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import rows, snapshot, write_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from storage_backends import project_on_both_backends, sample_project_on_both_backends  # noqa: F401

from balancesheet import editing
from balancesheet.editing import FlowRecord, StockEdit
from balancesheet.errors import LockedYearError, UserError
from balancesheet.importer import import_file
from balancesheet.project import Project

R = "990121"  # the sample county
STOCK_H = ["region", "year", "resource", "item", "value", "unit"]


def stock(project: Project, year: int, resource: str, item: str, region: str = R) -> float | None:
    found = rows(project, f"SELECT value FROM stock WHERE region_code = '{region}' AND year = {year} "
                          f"AND resource = '{resource}' AND item = '{item}'")
    return found[0][0] if found else None


def log_rows(project: Project, entity: str) -> list[tuple]:
    return rows(project, f"SELECT action, key, old, new FROM change_log WHERE entity = '{entity}' "
                         "ORDER BY id")


def refused_unchanged(project: Project, action, error=UserError) -> UserError:  # noqa: ANN001
    """Run ``action`` expecting ``error``; the database must be exactly as before."""
    before = snapshot(project)
    with pytest.raises(error) as exc:
        action()
    assert snapshot(project) == before
    return exc.value


# --- stocks ------------------------------------------------------------------------------------

def test_set_stock_changes_value_and_logs_old_and_new(sample_project: Project) -> None:
    old = stock(sample_project, 2025, "land", "0101")
    previous = editing.set_stock(sample_project, R, 2025, "land", "0101", old + 12.34)
    assert previous == old
    assert stock(sample_project, 2025, "land", "0101") == pytest.approx(old + 12.34)
    action, key, logged_old, logged_new = log_rows(sample_project, "stock")[-1]
    assert action == "edit"
    assert json.loads(key) == {"region_code": R, "year": 2025, "resource": "land", "item": "0101"}
    assert json.loads(logged_old) == pytest.approx(old)
    assert json.loads(logged_new) == pytest.approx(old + 12.34)


def test_new_value_and_clearing_are_logged(project: Project) -> None:
    assert editing.set_stock(project, "990001", 2020, "land", "0101", 5.5) is None
    assert stock(project, 2020, "land", "0101", "990001") == 5.5
    assert rows(project, "SELECT unit FROM stock") == [("公顷",)]
    assert editing.set_stock(project, "990001", 2020, "land", "0101", None) == 5.5
    assert stock(project, 2020, "land", "0101", "990001") is None
    logged = [(a, o, n) for a, _k, o, n in log_rows(project, "stock")]
    assert logged == [("edit", None, "5.5"), ("edit", "5.5", None)]


def test_unchanged_value_is_not_logged(sample_project: Project) -> None:
    old = stock(sample_project, 2025, "land", "0101")
    editing.set_stock(sample_project, R, 2025, "land", "0101", old)
    assert log_rows(sample_project, "stock") == []


def test_undo_edits_restore_every_value(sample_project: Project) -> None:
    before = rows(sample_project, "SELECT * FROM stock ORDER BY id")
    edits = [StockEdit(R, 2025, "land", "0101", 1.0), StockEdit(R, 2025, "land", "0101", 2.0),
             StockEdit(R, 2024, "forest", "F11", 3.0), StockEdit(R, 2025, "water", "W1", None),
             StockEdit(R, 2025, "land", "1204", 4.0)]
    undo = editing.set_stocks(sample_project, edits)
    assert stock(sample_project, 2025, "land", "0101") == 2.0
    assert stock(sample_project, 2025, "water", "W1") is None
    redo = editing.set_stocks(sample_project, undo)  # the undo of the undo: the edits again
    assert [(e.item, e.value) for e in redo] == [("0101", 1.0), ("0101", 2.0), ("F11", 3.0),
                                                 ("W1", None), ("1204", 4.0)]
    assert rows(sample_project, "SELECT region_code, year, resource, item, value, unit FROM stock "
                                "ORDER BY region_code, year, resource, item") == sorted(
        (r[1], r[2], r[3], r[4], r[5], r[6]) for r in before)
    # the redo edits put the edited values back
    editing.set_stocks(sample_project, redo)
    assert stock(sample_project, 2025, "land", "0101") == 2.0
    assert stock(sample_project, 2024, "forest", "F11") == 3.0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["0101", "0102", "1204", "09"]),
                          st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False))),
                min_size=1, max_size=6))
def test_undo_round_trips_any_batch(project: Project, batch: list[tuple[str, float | None]]) -> None:
    before = rows(project, "SELECT item, value FROM stock ORDER BY item")
    undo = editing.set_stocks(project, [StockEdit("990001", 2021, "land", i, v) for i, v in batch])
    editing.set_stocks(project, undo)
    assert rows(project, "SELECT item, value FROM stock ORDER BY item") == before


@pytest.mark.parametrize(("resource", "item", "words"), [
    ("land", "01", "下级项目"),        # a parent
    ("forest", "F3", "公式"),          # derived (森林面积)
    ("land", "G1", "没有编码"),        # a group is not an item
    ("land", "9999", "没有编码"),      # unknown
])
def test_computed_and_unknown_items_refused(sample_project: Project, resource: str, item: str,
                                            words: str) -> None:
    exc = refused_unchanged(sample_project, lambda: editing.set_stock(
        sample_project, R, 2025, resource, item, 1.0))
    assert words in exc.message


@pytest.mark.parametrize("value", [-0.01, float("nan"), float("inf"), "abc"])
def test_bad_values_refused(sample_project: Project, value: object) -> None:
    exc = refused_unchanged(sample_project, lambda: editing.set_stock(
        sample_project, R, 2025, "land", "0101", value))  # type: ignore[arg-type]
    assert "水田" in exc.message


def test_one_bad_edit_refuses_the_whole_batch(sample_project: Project) -> None:
    edits = [StockEdit(R, 2025, "land", "0101", 1.0), StockEdit(R, 2025, "land", "0102", -1.0)]
    refused_unchanged(sample_project, lambda: editing.set_stocks(sample_project, edits))


def test_unknown_region_is_a_user_error(sample_project: Project) -> None:
    exc = refused_unchanged(sample_project, lambda: editing.set_stock(
        sample_project, "999999", 2025, "land", "0101", 1.0))
    assert "999999" in exc.message


def test_editable_items(sample_project: Project) -> None:
    land = editing.editable_items(sample_project.catalog.account("land"))
    assert {"0101", "09", "PBF"} <= land and not {"01", "T", "G1"} & land
    forest = editing.editable_items(sample_project.catalog.account("forest"))
    assert "F11" in forest and not {"F1", "F3", "F4", "V0"} & forest
    assert {"W1", "S1", "GDP"} <= editing.editable_items(sample_project.catalog.account("water"))


# --- flows -------------------------------------------------------------------------------------

def test_flow_add_edit_delete_round_trip(sample_project: Project) -> None:
    count = rows(sample_project, "SELECT COUNT(*) FROM flow")[0][0]
    stored = editing.add_flow(sample_project, FlowRecord(R, 2025, "land", "0103", "0101", "REC", 3.5))
    assert stored.id is not None and rows(sample_project, "SELECT COUNT(*) FROM flow")[0][0] == count + 1
    assert editing.set_flow_value(sample_project, stored.id, 4.25) == 3.5
    assert rows(sample_project, f"SELECT value FROM flow WHERE id = {stored.id}") == [(4.25,)]
    removed = editing.delete_flow(sample_project, stored.id)
    assert removed == FlowRecord(R, 2025, "land", "0103", "0101", "REC", 4.25, stored.id)
    back = editing.add_flow(sample_project, removed)
    assert back.id is not None and back.value == 4.25
    actions = [(a, json.loads(o) if o else None, json.loads(n) if n else None)
               for a, _k, o, n in log_rows(sample_project, "flow")]
    assert [a for a, _o, _n in actions] == ["add", "edit", "delete", "add"]
    assert actions[1][1:] == (3.5, 4.25)
    assert actions[2][1]["value"] == 4.25 and actions[2][2] is None


@pytest.mark.parametrize(("flow", "words"), [
    (FlowRecord(R, 2025, "land", "0103", "0101", "XXX", 1.0), "未知的变动原因"),
    (FlowRecord(R, 2025, "land", "0103", "0199", "REC", 1.0), "没有编码"),
    (FlowRecord(R, 2025, "land", None, None, "REC", 1.0), "至少"),
    (FlowRecord(R, 2025, "land", "0103", "0101", "REC", -1.0), "负数"),
    (FlowRecord(R, 2025, "land", "01", "0101", "REC", 1.0), "末级"),
    (FlowRecord(R, 2025, "land", "0101", "0101", "REC", 1.0), "相同"),
    (FlowRecord(R, 2025, "land", "0101", "PBF", "REC", 1.0), "分类体系"),
    (FlowRecord(R, 2025, "land", None, "0101", "REC", 1.0), "不适用"),     # a transfer cause
    (FlowRecord(R, 2025, "forest", "F11", None, "GRW", 1.0), "不适用"),    # an add-only cause
    (FlowRecord(R, 2025, "forest", None, "V11", "AFF", 1.0), "不适用"),    # applies to areas
])
def test_bad_flows_refused(sample_project: Project, flow: FlowRecord, words: str) -> None:
    exc = refused_unchanged(sample_project, lambda: editing.add_flow(sample_project, flow))
    assert words in exc.message


def test_flow_value_checks(sample_project: Project) -> None:
    flow_id = rows(sample_project, "SELECT MIN(id) FROM flow WHERE year = 2025")[0][0]
    refused_unchanged(sample_project, lambda: editing.set_flow_value(sample_project, flow_id, -2))
    refused_unchanged(sample_project, lambda: editing.set_flow_value(sample_project, flow_id, None))
    exc = refused_unchanged(sample_project, lambda: editing.delete_flow(sample_project, 10**9))
    assert "不存在" in exc.message


# --- the year lock -----------------------------------------------------------------------------

def test_lock_is_logged_and_explained(sample_project: Project) -> None:
    assert not editing.period_state(sample_project, R, 2024).locked
    state = editing.lock_year(sample_project, R, 2024, "年报已报送", user="张会计")
    assert state.locked and state.locked_by == "张会计" and state.locked_at is not None
    reason = state.reason()
    assert "2024" in reason and "张会计" in reason and "年报已报送" in reason and "解锁" in reason
    assert editing.period_state(sample_project, R, 2024).reason() == reason
    assert set(editing.locked_years(sample_project)) == {(R, 2024)}
    assert editing.locked_years(sample_project, "990100") == {}
    action, key, _old, new = rows(sample_project, "SELECT action, key, old, new FROM change_log "
                                                  "WHERE entity = 'period'")[-1]
    assert action == "lock" and json.loads(key) == {"region_code": R, "year": 2024}
    assert json.loads(new) == {"by": "张会计", "note": "年报已报送"}
    refused_unchanged(sample_project, lambda: editing.lock_year(sample_project, R, 2024))


@pytest.fixture
def locked(sample_project: Project) -> Project:
    """The sample county with 2024 locked."""
    editing.lock_year(sample_project, R, 2024, "年报已报送")
    return sample_project


def test_locked_year_refuses_every_edit(locked: Project) -> None:
    flow_id = rows(locked, "SELECT MIN(id) FROM flow WHERE year = 2024")[0][0]
    attempts = [
        lambda: editing.set_stock(locked, R, 2024, "land", "0101", 1.0),
        lambda: editing.set_stocks(locked, [StockEdit(R, 2025, "land", "0101", 1.0),
                                            StockEdit(R, 2024, "land", "0101", 1.0)]),
        lambda: editing.add_flow(locked, FlowRecord(R, 2024, "land", "0103", "0101", "REC", 1.0)),
        lambda: editing.delete_flow(locked, flow_id),
        lambda: editing.set_flow_value(locked, flow_id, 1.0),
    ]
    for attempt in attempts:
        exc = refused_unchanged(locked, attempt, LockedYearError)
        assert "2024" in exc.message and "解锁" in exc.message
    editing.set_stock(locked, R, 2025, "land", "0101", 1.0)  # other years stay open
    assert stock(locked, 2025, "land", "0101") == 1.0


def test_locked_year_refuses_imports(locked: Project, tmp_path: Path) -> None:
    stocks = write_csv(tmp_path / "stocks.csv", STOCK_H, [[R, 2025, "land", "0101", "1", "公顷"],
                                                          [R, 2024, "land", "0101", "1", "公顷"]])
    exc = refused_unchanged(locked, lambda: import_file(locked, stocks), LockedYearError)
    assert "2024" in exc.message
    changes = write_csv(tmp_path / "changes.csv", ["region", "year", "from", "to", "area", "cause"],
                        [[R, 2024, "0103", "0101", "1.5", "REC"]])
    refused_unchanged(locked, lambda: import_file(locked, changes), LockedYearError)
    flows = write_csv(tmp_path / "flows.csv",
                      ["region", "year", "resource", "item", "direction", "cause", "value", "unit"],
                      [[R, 2024, "forest", "F11", "add", "AFF", "1", "公顷"]])
    refused_unchanged(locked, lambda: import_file(locked, flows), LockedYearError)


def test_unlock_needs_a_reason_and_is_logged(locked: Project) -> None:
    for reason in ("", "   "):
        exc = refused_unchanged(locked, lambda r=reason: editing.unlock_year(locked, R, 2024, r))
        assert "原因" in exc.message
    state = editing.unlock_year(locked, R, 2024, " 更正 0101 面积 ", user="李科长")
    assert not state.locked and state.reason() == ""
    action, _key, old, new = rows(locked, "SELECT action, key, old, new FROM change_log "
                                          "WHERE entity = 'period'")[-1]
    assert action == "unlock" and json.loads(old)["note"] == "年报已报送"
    assert json.loads(new) == {"by": "李科长", "reason": "更正 0101 面积"}
    editing.set_stock(locked, R, 2024, "land", "0101", 1.0)
    assert stock(locked, 2024, "land", "0101") == 1.0
    refused_unchanged(locked, lambda: editing.unlock_year(locked, R, 2024, "again"))
