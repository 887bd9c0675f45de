"""Property (hypothesis): the tool's own 存量及变动表 export imports back to identical stocks.

A project gets random land and forest stocks (2 decimals) for two years; its balance-sheet workbook
for the later year (sheets 土地, 森林, 水资源, 湿地 …) is imported in one run into a fresh project
that holds the earlier year's stocks (or, in the second property, nothing): the stored stocks must
be the same to the cent, item by item, with nothing extra (no subtotal, group or derived value).

Function-scoped fixtures are not reset between hypothesis examples, so every example builds its own
projects in a fresh temporary directory.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import write_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from balancesheet.catalog import load_catalog
from balancesheet.importer import import_file
from balancesheet.project import Project
from balancesheet.reports.render import balance_sheet_report

REGION = "990001"
YEAR = 2024
CATALOG = load_catalog()
LEAVES = [(r, c) for r in ("land", "forest") for c in CATALOG.accounts[r].stock_leaves()]
UNITS = {(r, c): CATALOG.accounts[r].items[c].unit for r, c in LEAVES}
SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEADER = ["region", "year", "resource", "item", "value", "unit"]

cents = st.integers(0, 10**11).map(lambda c: c / 100)
year_stocks = st.dictionaries(st.sampled_from(LEAVES), cents, min_size=1, max_size=len(LEAVES))


@contextmanager
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def new_project(path: Path, stocks: dict[int, dict[tuple[str, str], float]]) -> Project:
    project = Project.open(path.with_suffix(".db"), create=True)
    import_file(project, write_csv(path.with_suffix(".regions.csv"), ["region", "name", "area"],
                                   [[REGION, "测试县", "250000"]]))
    rows = [[REGION, year, r, c, f"{v:.2f}", UNITS[(r, c)]] for year, values in stocks.items()
            for (r, c), v in values.items()]
    if rows:
        import_file(project, write_csv(path.with_suffix(".stocks.csv"), HEADER, rows))
    return project


def stored(project: Project) -> dict[tuple[int, str, str], tuple[float, str]]:
    frame = project.store.read_sql("SELECT year, resource, item, value, unit FROM stock")
    return {(int(y), r, i): (round(float(v), 2), u) for y, r, i, v, u in frame.itertuples(index=False)}


def exact(project: Project) -> dict[tuple[int, str, str], float]:
    frame = project.store.read_sql("SELECT year, resource, item, value FROM stock")
    return {(int(y), r, i): float(v) for y, r, i, v in frame.itertuples(index=False)}


def export(base: Path, stocks: dict[int, dict[tuple[str, str], float]]) -> Path:
    source = new_project(base / "source", stocks)
    try:
        xlsx = base / "存量及变动表.xlsx"
        balance_sheet_report(source, REGION, YEAR, xlsx)
        return xlsx
    finally:
        source.close()


@SETTINGS
@given(previous=year_stocks, current=year_stocks)
def test_export_then_import_gives_identical_stocks(previous: dict, current: dict) -> None:
    with folder() as base:
        xlsx = export(base, {YEAR - 1: previous, YEAR: current})
        target = new_project(base / "target", {YEAR - 1: previous})
        try:
            before = stored(target)
            result = import_file(target, xlsx)
            after = stored(target)
            values = exact(target)
        finally:
            target.close()
    assert result.kind == "wide"
    expected = {(YEAR, r, c): (v, UNITS[(r, c)]) for (r, c), v in current.items()}
    assert {k: v for k, v in after.items() if k[0] == YEAR} == expected
    assert {k: v for k, v in after.items() if k[0] != YEAR} == before  # the earlier year untouched
    for (r, c), v in current.items():  # to the cent, no float noise beyond it
        assert abs(values[(YEAR, r, c)] - v) < 5e-9, (r, c, values[(YEAR, r, c)], v)
    assert not any("期初存量与项目中" in n for n in result.notes), result.notes


@SETTINGS
@given(previous=year_stocks, current=year_stocks)
def test_opening_becomes_the_previous_year_when_it_has_no_data(previous: dict, current: dict) -> None:
    with folder() as base:
        xlsx = export(base, {YEAR - 1: previous, YEAR: current})
        target = new_project(base / "target", {})
        try:
            result = import_file(target, xlsx)
            after = stored(target)
        finally:
            target.close()
    expected = {(YEAR, r, c): (v, UNITS[(r, c)]) for (r, c), v in current.items()}
    expected |= {(YEAR - 1, r, c): (v, UNITS[(r, c)]) for (r, c), v in previous.items()}
    assert after == expected
    resources = {r for r, _c in previous}
    assert sum("已将期初存量作为 2023 年末存量导入" in n for n in result.notes) == len(resources)
