"""A project on a PostgreSQL server: the command line end to end gives what SQLite gives, the
change log is append-only in the server too, old schemas migrate, newer ones are refused, and a
missing driver or an unreachable server is a clear message. (Everything else in the storage suite
runs on both backends through tests/storage_backends.py; backups: tests/test_backup.py.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy.exc
from conftest import SAMPLE_REGION
from sqlalchemy import Integer, MetaData, create_engine, insert, select, text
from storage_backends import PgServer

from balancesheet import editing
from balancesheet.cli import main
from balancesheet.errors import UserError
from balancesheet.project import Project
from balancesheet.store import database_url, open_store
from balancesheet.store.schema import SCHEMA_VERSION, Meta

server = pytest.mark.postgresql  # needs the test server (BALANCESHEET_TEST_PG_URL)
FIXTURES = Path(__file__).parent / "fixtures"


def run(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


def output(capsys: pytest.CaptureFixture[str], argv: list[str], code: int = 0) -> str:
    capsys.readouterr()
    assert run(argv) == code
    return capsys.readouterr().out


def schema_version(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(Meta.value).where(Meta.key == "schema_version")).scalar_one())
    finally:
        engine.dispose()


def copy_sqlite_file_to(url: str, sqlite_path: Path) -> None:
    """The tables and rows of an SQLite project file as they are, on the server (sequences after
    the copied ids): a project that an older version of the tool created there."""
    source = create_engine(f"sqlite:///{sqlite_path}")
    target = create_engine(url)
    tables = MetaData()
    tables.reflect(source)
    for table in tables.sorted_tables:
        for column in table.columns:
            column.type = column.type.as_generic()  # SQLite's DATETIME is PostgreSQL's TIMESTAMP
    try:
        with source.connect() as src, target.begin() as dst:
            tables.create_all(dst)
            for table in tables.sorted_tables:
                records = [dict(r._mapping) for r in src.execute(select(table))]
                if records:
                    dst.execute(insert(table), records)
                if "id" in table.c and isinstance(table.c.id.type, Integer):
                    dst.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                     f"(SELECT MAX(id) FROM {table.name}))"))
    finally:
        source.dispose()
        target.dispose()


# --- URLs and the driver (no server needed) --------------------------------------------------------

@pytest.mark.parametrize(("given", "url"), [
    ("postgresql://u:p@host:5432/county", "postgresql+psycopg://u:p@host:5432/county"),
    ("postgres://u@host/county", "postgresql+psycopg://u@host/county"),
    ("postgresql+psycopg://u@host/county", "postgresql+psycopg://u@host/county"),
    ("postgresql+psycopg2://u@host/county", "postgresql+psycopg2://u@host/county"),
])
def test_postgresql_urls_use_the_psycopg_driver(given: str, url: str) -> None:
    assert database_url(given) == url


def test_without_psycopg_the_app_starts_and_a_server_url_says_what_to_install(tmp_path: Path) -> None:
    script = (
        "import sys; sys.modules['psycopg'] = None\n"  # as if not installed: importing it fails
        "from balancesheet.cli import main\n"
        f"assert main(['demo', {str(tmp_path / 'file.db')!r}]) == 0\n"  # files work without it
        "sys.exit(main(['info', 'postgresql://someone@127.0.0.1:1/county']))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                          env=os.environ | {"PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 2, done.stderr
    assert "需要安装 psycopg：pip install 'balancesheet[postgres]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_opening_the_store_does_not_import_the_driver_for_a_file(tmp_path: Path) -> None:
    script = ("import sys\nfrom balancesheet.store import open_store\n"
              f"open_store({str(tmp_path / 'p.db')!r}, create=True).close()\n"
              "assert 'psycopg' not in sys.modules, 'psycopg imported for an SQLite file'\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


# --- the server ------------------------------------------------------------------------------------

@server
def test_demo_then_table_on_the_server_equal_the_sqlite_file(pg_url: str, sample_db: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    plain = pg_url.replace("postgresql+psycopg://", "postgresql://", 1)  # as a user types it
    assert "青岚县" in output(capsys, ["demo", plain])
    for argv in (["table", "{db}", "--region", SAMPLE_REGION, "--year", "2025", "--resource", "land", "--json"],
                 ["table", "{db}", "--region", SAMPLE_REGION, "--year", "2024", "--resource", "forest", "--json"],
                 ["matrix", "{db}", "--region", SAMPLE_REGION, "--from", "2018", "--to", "2025", "--json"],
                 ["check", "{db}", "--region", SAMPLE_REGION, "--year", "2025", "--json"],
                 ["info", "{db}", "--json"]):
        on_server = json.loads(output(capsys, [a.replace("{db}", plain) for a in argv]))
        in_file = json.loads(output(capsys, [a.replace("{db}", str(sample_db)) for a in argv]))
        assert on_server == _approx(in_file), argv
    text_table = output(capsys, ["table", plain, "--region", SAMPLE_REGION, "--year", "2025", "--resource", "land"])
    assert text_table == output(capsys, ["table", str(sample_db), "--region", SAMPLE_REGION, "--year", "2025",
                                         "--resource", "land"])
    for kind in ("stocks", "flows", "land_changes"):  # the tidy exports, byte for byte
        exported = [tmp_path / f"{kind}-{where}.csv" for where in ("server", "file")]
        assert run(["export", plain, "--kind", kind, "-o", str(exported[0])]) == 0
        assert run(["export", str(sample_db), "--kind", kind, "-o", str(exported[1])]) == 0
        assert exported[0].read_bytes() == exported[1].read_bytes(), kind
    assert run(["demo", plain]) == 2  # a database that holds a project already
    assert "已有项目数据" in capsys.readouterr().err


def _approx(value: object) -> object:
    """``value`` with every float compared to 1e-9 relative (sums may add in another order)."""
    if isinstance(value, dict):
        return {k: _approx(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_approx(v) for v in value]
    return pytest.approx(value, rel=1e-9) if isinstance(value, float) else value


@server
def test_demo_and_table_as_processes(pg_url: str) -> None:
    env = os.environ | {"PYTHONIOENCODING": "utf-8"}
    demo = subprocess.run([sys.executable, "-m", "balancesheet", "demo", pg_url], capture_output=True,
                          text=True, timeout=600, env=env)
    assert demo.returncode == 0, demo.stderr
    table = subprocess.run([sys.executable, "-m", "balancesheet", "table", pg_url, "--region", SAMPLE_REGION,
                            "--year", "2025", "--resource", "land", "--csv"], capture_output=True, text=True,
                           timeout=300, env=env)
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0].startswith("item,") and "0101" in table.stdout


@server
def test_change_log_refuses_update_delete_and_truncate_in_the_server(pg_url: str) -> None:
    store = open_store(pg_url, create=True)
    try:
        with store.session() as s:
            store.log(s, "update", "stock", {"k": 1}, 1.0, 2.0)
        for sql in ("UPDATE change_log SET new = '3'", "DELETE FROM change_log", "TRUNCATE change_log"):
            with pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"), store.engine.begin() as conn:
                conn.execute(text(sql))
        assert store.read_sql("SELECT new FROM change_log")["new"].tolist() == ["2.0"]
    finally:
        store.close()


@server
def test_first_released_schema_on_the_server_migrates_and_says_to_pg_dump(
        pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    old = tmp_path / "v1.db"
    with sqlite3.connect(old) as conn:
        conn.executescript((FIXTURES / "schema_v1.sql").read_text(encoding="utf-8"))
    copy_sqlite_file_to(pg_url, old)
    assert schema_version(pg_url) == 1
    assert run(["info", pg_url, "--json"]) == 0
    captured = capsys.readouterr()
    assert "pg_dump" in captured.err and f"数据结构版本 1 升级到 {SCHEMA_VERSION}" in captured.err
    assert "balancesheet:balancesheet@" not in captured.err  # no password in messages
    assert schema_version(pg_url) == SCHEMA_VERSION
    from balancesheet.checks import check

    project = Project.open(pg_url)
    try:
        assert project.store.notices == []  # migrated once
        stocks = project.store.read_sql("SELECT item, year, value FROM stock ORDER BY year, item")
        assert stocks.values.tolist() == [["0101", 2020, 600.0], ["0301", 2020, 400.0],
                                          ["0101", 2021, 590.0], ["0301", 2021, 410.0]]
        assert [p for p in check(project, "990001", 2021) if p.severity == "error"] == []
        assert editing.set_stock(project, "990001", 2021, "land", "0101", 591.0) == 590.0  # versioned rows
        assert project.store.read_sql("SELECT value, version FROM stock WHERE year = 2021 AND item = '0101'"
                                      ).values.tolist() == [[591.0, 2]]
        with project.store.session() as s:  # new rows get new ids after the copied ones
            project.store.log(s, "test", "stock", {"k": 1})
        assert project.store.read_sql("SELECT MAX(id) AS m FROM change_log")["m"][0] == 6
        with pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"), \
                project.store.engine.begin() as conn:
            conn.execute(text("DELETE FROM change_log"))
    finally:
        project.close()


@server
def test_newer_schema_on_the_server_is_refused_and_left_untouched(pg_url: str) -> None:
    open_store(pg_url, create=True).close()
    engine = create_engine(pg_url)
    try:
        with engine.begin() as conn:
            conn.execute(Meta.__table__.update().where(Meta.key == "schema_version"),
                         {"value": str(SCHEMA_VERSION + 1)})
            tables = conn.execute(text("SELECT COUNT(*) FROM information_schema.tables "
                                       "WHERE table_schema = 'public'")).scalar_one()
        with pytest.raises(UserError, match="更新版本") as exc:
            open_store(pg_url)
        assert "balancesheet:balancesheet@" not in exc.value.message
        assert schema_version(pg_url) == SCHEMA_VERSION + 1
        with engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM information_schema.tables "
                                     "WHERE table_schema = 'public'")).scalar_one() == tables
    finally:
        engine.dispose()


@server
def test_a_database_of_another_application_is_refused(pg_url: str) -> None:
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(UserError, match="不是本工具的项目文件"):
        open_store(pg_url)


@server
def test_an_unreachable_server_is_a_clear_message_without_the_password(pg_server: PgServer) -> None:
    server = pg_server.url
    for url in (server.set(port=1, password="s3cret"), server.set(password="s3cret")):  # no server, wrong password
        with pytest.raises(UserError, match="无法连接数据库服务器") as exc:
            open_store(url.render_as_string(hide_password=False))
        assert "s3cret" not in exc.value.message and "s3cret" not in str(exc.value)


def test_counts_and_sums_are_numbers_on_both_backends(backend_sample_project: Project) -> None:
    frame = backend_sample_project.store.read_sql(
        "SELECT COUNT(*) AS n, SUM(year) AS years, SUM(value) AS total FROM flow WHERE region_code = :r",
        {"r": SAMPLE_REGION})
    n, years, total = (frame[c][0] for c in ("n", "years", "total"))
    assert n == 25267 and years > 2018 * n and total > 0
    assert all(pd.api.types.is_numeric_dtype(t) for t in frame.dtypes)
    with backend_sample_project.store.session() as s:  # not Decimal (PostgreSQL's SUM of integers)
        assert isinstance(s.scalar(text("SELECT SUM(year) FROM flow")), int | float)


def test_bulk_insert_keeps_every_text_and_number_exactly_on_both_backends(backend_project: Project) -> None:
    """The import writer's bulk path (executemany on SQLite, COPY on PostgreSQL): texts with
    backslashes, tabs, newlines, a literal \\N, empty and missing values, and floats, exactly."""
    from balancesheet.importer.writer import _bulk_insert, new_batch
    from balancesheet.store.schema import Parcel

    texts = ["a\\b", "tab\there", "line\nbreak\r\n", "\\N", "", None, "图斑 ,\"引号\"", "  "]
    areas = [0.1, 1 / 3, 1e-12, 123456789.123456789, 0.0, 2.5e10, 7.0, float(2**53)]
    frame = pd.DataFrame({"region_code": "990001", "year": 2020, "parcel_id": [f"P{i}" for i in range(8)],
                          "class_code": "0101", "survey_code": pd.Series(texts, dtype="str"), "area": areas,
                          "town_attr": pd.Series([None] * 8, dtype=object), "ownership": texts})
    with backend_project.store.session() as s:
        batch = new_batch(s, "weird.csv", "0" * 64, "parcels", 8)
        assert _bulk_insert(s, Parcel, frame.assign(batch_id=batch.id), None) == 8
    stored = backend_project.store.read_sql(
        "SELECT parcel_id, survey_code, area, town_attr, ownership FROM parcel ORDER BY parcel_id")
    stored = stored.astype(object).where(stored.notna(), None)
    assert stored["survey_code"].tolist() == texts and stored["ownership"].tolist() == texts
    assert stored["area"].tolist() == areas  # exactly, not approximately
    assert stored["town_attr"].tolist() == [None] * 8
