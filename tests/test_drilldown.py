"""Drill-down (balancesheet.drilldown): the flows listed behind a cell of the 存量及变动表 sum to
that cell, for every item, group, side and factor of every account."""

from __future__ import annotations

import math

import pytest

from balancesheet import editing
from balancesheet.catalog import FACTORS
from balancesheet.drilldown import flows_behind, subtree
from balancesheet.ledger import change_table
from balancesheet.project import Project

R = "990121"


@pytest.mark.parametrize("resource", ["land", "forest", "water", "wetland"])
def test_flows_behind_sum_to_every_cell(sample_project: Project, resource: str) -> None:
    table = change_table(sample_project, R, resource, 2024, 2025)
    checked = 0
    for row in table.rows[table.rows["kind"].isin(["stock", "group"])].to_dict("records"):
        for side, prefix, total in (("add", "add", "additions"), ("reduce", "red", "reductions")):
            for factor in (*FACTORS, None):
                column = total if factor is None else f"{prefix}_{factor}"
                flows = flows_behind(sample_project, R, 2025, resource, row["item"], side, factor)
                assert math.isclose(sum(f.value for f in flows), row[column], abs_tol=1e-6), \
                    (row["item"], side, factor)
                checked += bool(flows)
    assert checked > 0  # some cells do have flows behind them


def test_moves_inside_a_class_are_not_its_changes(sample_project: Project) -> None:
    editing.add_flow(sample_project, editing.FlowRecord(R, 2025, "land", "0102", "0101", "AGR", 7.0))
    to_paddy = flows_behind(sample_project, R, 2025, "land", "0101", "add", "human")
    assert any(f.from_item == "0102" and f.value == 7.0 for f in to_paddy)
    cultivated = flows_behind(sample_project, R, 2025, "land", "01", "add")
    assert not any(f.from_item == "0102" and f.value == 7.0 for f in cultivated)
    assert all(f.to_item in subtree(sample_project.catalog.account("land"), "01") for f in cultivated)


def test_group_subtree(sample_project: Project) -> None:
    land = sample_project.catalog.account("land")
    assert {"01", "0101", "0103", "0303"} <= subtree(land, "G1") and "0701" not in subtree(land, "G1")
    assert subtree(land, "01") == {"01", "0101", "0102", "0103"}
