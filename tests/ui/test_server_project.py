"""The desktop app on a PostgreSQL server: the window opens a server project (and never shows its
password), and the land change records view's SQL (filters, sort orders, totals, rows by id) gives
the same records in the same order as on the SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SAMPLE_REGION, write_csv
from storage_backends import PgServer

from balancesheet.importer import import_file
from balancesheet.project import Project
from ui.changes_model import (
    AREA,
    BATCH,
    CAUSE,
    FROM,
    TO,
    YEAR,
    ChangeQuery,
    ChangeSql,
    fetch_records,
    load_batch_names,
    query_ids,
    query_totals,
)

server = pytest.mark.postgresql


@pytest.fixture
def server_sample(pg_server: PgServer, pg_sample_template: str) -> Iterator[Project]:
    name = pg_server.create(template=pg_sample_template)
    project = Project.open(pg_server.url_of(name))
    yield project
    project.close()
    pg_server.drop(name)


def _view(project: Project, query: ChangeQuery) -> tuple[list[int], tuple[int, float], list[tuple]]:
    engine = project.store.engine
    account = project.catalog.account("land")
    sql = ChangeSql(account, load_batch_names(engine), engine.dialect.paramstyle, engine.dialect.name)
    ids = query_ids(engine, *sql.ids(query))
    records = fetch_records(engine, sql, ids[:300])
    return ids.tolist(), query_totals(engine, *sql.totals(query)), [records[int(i)] for i in ids[:300]]


@server
@pytest.mark.parametrize("column", [YEAR, FROM, TO, CAUSE, AREA, BATCH])
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_order_is_the_same_on_the_server(sample_project: Project, server_sample: Project,
                                                     column: int, descending: bool) -> None:
    query = ChangeQuery(SAMPLE_REGION, sort_column=column, descending=descending)
    in_file = _view(sample_project, query)
    on_server = _view(server_sample, query)
    assert on_server[0] == in_file[0]  # the same ids in the same order (ties broken by id)
    assert on_server[1][0] == in_file[1][0] and on_server[1][1] == pytest.approx(in_file[1][1], rel=1e-12)
    assert on_server[2] == in_file[2]


@server
@pytest.mark.parametrize("query", [
    ChangeQuery(SAMPLE_REGION, year=2021),
    ChangeQuery(SAMPLE_REGION, cause="REC", sort_column=AREA, descending=True),
    ChangeQuery(SAMPLE_REGION, codes=("0101", "0102"), sort_column=FROM),
    ChangeQuery(SAMPLE_REGION, codes=()),
])
def test_filters_are_the_same_on_the_server(sample_project: Project, server_sample: Project,
                                            query: ChangeQuery) -> None:
    assert _view(server_sample, query) == _view(sample_project, query)


@pytest.mark.parametrize("column", [FROM, TO])
def test_an_empty_side_sorts_first_ascending_and_last_descending(backend_project: Project, tmp_path: Path,
                                                                 column: int) -> None:
    import_file(backend_project, write_csv(tmp_path / "c.csv", ["region", "year", "from", "to", "area", "cause"],
                                           [["990001", 2021, "0101", "0301", 10, "CON"]]))
    import_file(backend_project, write_csv(tmp_path / "f.csv", ["region", "year", "resource", "item", "direction",
                                                                "cause", "value"],
                                           [["990001", 2021, "land", "0101", "add", "ADJ", 5],
                                            ["990001", 2021, "land", "0301", "reduce", "ADJ", 2]]))
    side = 2 if column == FROM else 3  # the record's from / to field
    for descending in (False, True):
        _, _, records = _view(backend_project, ChangeQuery("990001", sort_column=column, descending=descending))
        sides = [r[side] for r in records]
        assert sides == ([None, "0101", "0301"][::-1] if descending else [None, "0101", "0301"])


@server
def test_the_window_opens_a_server_project_without_showing_its_password(qtbot, preferences,  # noqa: ANN001
                                                                        server_sample: Project) -> None:
    from ui.context import AppContext
    from ui.main_window import MainWindow

    url = server_sample.store.location
    assert ":balancesheet@" in url  # the test server's password is in the URL
    server_sample.close()
    ctx = AppContext(preferences)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    ctx.open_project(url)
    try:
        qtbot.waitUntil(lambda: window.tabs.count() == 1, timeout=20_000)
        assert ("account", SAMPLE_REGION, 2025, "land") in window.tabs_by_key
        assert window.navigator.find_key(("year", SAMPLE_REGION, 2025)) is not None
        shown = window.status_project.text()
        assert "127.0.0.1" in shown and ":balancesheet@" not in shown and "***" in shown
        assert "balancesheet" in window.windowTitle()
    finally:
        ctx.close_project()
