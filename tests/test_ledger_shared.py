"""One flow GROUP BY per span, shared by the change tables, the matrix and the checks.

With a million change records that query is most of the time of every compilation, so the
checks and the report must run it once, and sharing must not change a single number.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLE_REGION
from sqlalchemy import event

from balancesheet.checks import check
from balancesheet.ledger import (
    FlowTotals,
    change_table,
    flow_totals,
    transition_matrix,
    value_table,
)
from balancesheet.project import Project
from balancesheet.reports.balance_sheet import balance_sheet_data

REGION = "990001"


@contextmanager
def flow_queries(project: Project) -> Iterator[list[tuple[str, str]]]:
    """(statement, parameters) of the SQL that sums the flow table's values while the block runs."""
    seen: list[tuple[str, str]] = []

    def record(_conn, _cursor, statement, parameters, *_args) -> None:  # noqa: ANN001
        if "FROM flow" in statement and "SUM(value)" in statement:
            seen.append((statement, repr(parameters)))

    event.listen(project.store.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(project.store.engine, "before_cursor_execute", record)


@pytest.mark.parametrize("span", [(2024, 2025), (2019, 2020), (2018, 2025)])
def test_shared_totals_give_the_same_tables_and_matrix(sample_project: Project, span: tuple[int, int]) -> None:
    y0, y1 = span
    shared = flow_totals(sample_project, SAMPLE_REGION, y0, y1)
    assert shared.covers(SAMPLE_REGION, y0, y1) and not shared.covers(SAMPLE_REGION, y0 + 1, y1)
    for resource in sample_project.catalog.accounts:
        alone = change_table(sample_project, SAMPLE_REGION, resource, y0, y1)
        together = change_table(sample_project, SAMPLE_REGION, resource, y0, y1, flows=shared)
        pd.testing.assert_frame_equal(alone.rows, together.rows)
        pd.testing.assert_frame_equal(alone.additions_by_cause, together.additions_by_cause)
        pd.testing.assert_frame_equal(alone.reductions_by_cause, together.reductions_by_cause)
    for level in (1, 2):
        alone_m = transition_matrix(sample_project, SAMPLE_REGION, y0, y1, level)  # GROUP BY without cause
        together_m = transition_matrix(sample_project, SAMPLE_REGION, y0, y1, level, flows=shared)
        assert alone_m.classes == together_m.classes
        np.testing.assert_allclose(alone_m.cells, together_m.cells, rtol=0, atol=1e-9)
        assert alone_m.notes == together_m.notes


def test_totals_of_another_span_are_not_used(sample_project: Project) -> None:
    other = flow_totals(sample_project, SAMPLE_REGION, 2020, 2021)
    with flow_queries(sample_project) as seen:
        table = change_table(sample_project, SAMPLE_REGION, "land", 2024, 2025, flows=other)
    assert len(seen) == 1  # its own query: the given totals belong to 2021
    expected = change_table(sample_project, SAMPLE_REGION, "land", 2024, 2025)
    pd.testing.assert_frame_equal(table.rows, expected.rows)


def summed_once(seen: list[tuple[str, str]], project: Project) -> bool:
    """Each resource's flows summed once: one query per resource and one for any other."""
    return len(seen) == len(set(seen)) == len(project.catalog.accounts) + 1


def test_check_sums_the_flows_once(sample_project: Project) -> None:
    with flow_queries(sample_project) as seen:
        problems = check(sample_project, SAMPLE_REGION, 2025)
    assert summed_once(seen, sample_project), seen
    shared = flow_totals(sample_project, SAMPLE_REGION, 2024, 2025)
    with flow_queries(sample_project) as again:
        assert check(sample_project, SAMPLE_REGION, 2025, flows=shared) == problems
    assert again == []


def test_report_data_sums_the_flows_once(sample_project: Project) -> None:
    with flow_queries(sample_project) as seen:
        balance_sheet_data(sample_project, SAMPLE_REGION, 2025)
    assert summed_once(seen, sample_project), seen


def test_value_array_matches_single_values(sample_project: Project) -> None:
    values = value_table(sample_project, SAMPLE_REGION, [2024, 2025])
    for resource, account in sample_project.catalog.accounts.items():
        codes = [*account.order, *account.groups, "NOT-A-CODE"]
        for year in (2024, 2025, 1999):
            got = values.array(resource, codes, year)
            want = [values.value(resource, c, year) for c in codes]
            assert [None if np.isnan(v) else v for v in got] == want


def test_unknown_code_in_many_records_is_one_problem(project: Project) -> None:
    rows = [("0101", "0198", "CON", 1.0), ("0102", "0198", "AGR", 2.0), ("0198", "0103", "CON", 4.0),
            ("0101", "0103", "XYZ", 8.0), ("0102", "0103", "XYZ", 16.0), ("01", "0103", "CON", 0.5)]
    with project.store.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO period (region_code, year, locked, note) VALUES (?, 2021, 0, '')",
                             (REGION,))
        for source, target, cause, value in rows:
            conn.exec_driver_sql(
                "INSERT INTO flow (region_code, year, resource, from_item, to_item, cause, value) "
                "VALUES (?, 2021, 'land', ?, ?, ?, ?)", (REGION, source, target, cause, value))
        conn.exec_driver_sql(  # a resource no catalog has: written around the importer
            "INSERT INTO flow (region_code, year, resource, from_item, to_item, cause, value) "
            "VALUES (?, 2021, 'minerals', NULL, 'M1', 'MINE', 5)", (REGION,))
    problems = check(project, REGION, 2021)
    unknown, other = sorted((p for p in problems if p.kind == "unknown_item"), key=lambda p: p.resource)
    assert (unknown.resource, unknown.item) == ("land", "0198") and unknown.message.startswith("3 条变动记录")
    assert (other.resource, other.item, other.severity) == ("minerals", "M1", "error")
    (cause,) = [p for p in problems if p.kind == "unknown_cause"]
    assert "XYZ" in cause.message and cause.message.startswith("2 条变动记录")
    (parent,) = [p for p in problems if p.kind == "flow_on_parent"]
    assert parent.item == "01" and parent.severity == "warning" and parent.message.startswith("1 条")


def test_flow_totals_frame_holds_every_resource(sample_project: Project) -> None:
    shared = flow_totals(sample_project, SAMPLE_REGION, 2024, 2025)
    assert isinstance(shared, FlowTotals)
    assert set(shared.frame["resource"]) == {"land", "forest", "water", "wetland"}
    assert list(shared.frame.columns) == ["resource", "from_item", "to_item", "cause", "value", "records"]
    counted = sample_project.store.read_sql(
        "SELECT resource, COUNT(*) AS n, SUM(value) AS v FROM flow WHERE region_code = :r AND year = 2025 "
        "GROUP BY resource", {"r": SAMPLE_REGION}).set_index("resource")
    for resource, row in counted.iterrows():
        part = shared.of(resource)
        assert int(part["records"].sum()) == row["n"]
        assert part["value"].sum() == pytest.approx(row["v"])
    assert shared.of("no-such-resource").empty


def test_check_reuses_the_totals_of_a_given_table(sample_project: Project) -> None:
    """As the account editor calls it: the land table first, then the year's checks."""
    values = value_table(sample_project, SAMPLE_REGION, [2024, 2025])
    land = change_table(sample_project, SAMPLE_REGION, "land", 2024, 2025, values)
    with flow_queries(sample_project) as seen:
        problems = check(sample_project, SAMPLE_REGION, 2025, resources=["land"], values=values,
                         tables={"land": land})
    assert len(seen) == len(sample_project.catalog.accounts)  # the other resources and "any other"
    assert not any("resource = ?" in sql and "'land'" in params for sql, params in seen), seen
    assert problems == check(sample_project, SAMPLE_REGION, 2025, resources=["land"])
