"""The project file: schema version, migrations with backup, refusal of newer files, trail."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy.exc

from balancesheet.errors import UserError
from balancesheet.store import db as store_db
from balancesheet.store import open_store
from balancesheet.store.schema import SCHEMA_VERSION, Stock


def _version(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0])


def _set_version(path: Path, version: int) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(version),))


def test_new_project_records_schema_version_wal_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    store = open_store(path, create=True)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    with pytest.raises(sqlalchemy.exc.IntegrityError), store.session() as s:
        s.add(Stock(region_code="123456", year=2020, resource="land", item="0101", value=1.0, unit="公顷"))
    store.close()
    assert _version(path) == SCHEMA_VERSION


def test_missing_file_is_a_clear_error_unless_create(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="项目文件不存在"):
        open_store(tmp_path / "nope.db")
    assert not (tmp_path / "nope.db").exists()


def test_file_from_newer_version_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    open_store(path, create=True).close()
    _set_version(path, SCHEMA_VERSION + 1)
    before = path.read_bytes()
    with pytest.raises(UserError, match="更新版本"):
        open_store(path)
    assert _version(path) == SCHEMA_VERSION + 1
    assert path.read_bytes() == before


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(UserError, match="不是本工具的项目文件"):
        open_store(path)


def test_older_file_is_backed_up_then_migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.db"
    open_store(path, create=True).close()
    _set_version(path, SCHEMA_VERSION - 1)
    calls: list[int] = []

    def step(conn: object) -> None:
        calls.append(1)

    monkeypatch.setitem(store_db.STEPS, SCHEMA_VERSION - 1, step)
    store = open_store(path)
    store.close()
    assert calls == [1]
    assert _version(path) == SCHEMA_VERSION
    backups = list(tmp_path.glob(f"p.backup-*-v{SCHEMA_VERSION - 1}.db"))
    assert len(backups) == 1
    assert _version(backups[0]) == SCHEMA_VERSION - 1


def test_change_log_is_append_only(tmp_path: Path) -> None:
    store = open_store(tmp_path / "p.db", create=True)
    with store.session() as s:
        store.log(s, "update", "stock", {"k": 1}, 1.0, 2.0)
    with pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"), store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE change_log SET new='3'")
    with pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"), store.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM change_log")
    assert store.read_sql("SELECT new FROM change_log")["new"].tolist() == ["2.0"]
    store.close()


def test_file_of_the_first_released_schema_migrates_with_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.executescript((Path(__file__).parent / "fixtures" / "schema_v1.sql").read_text(encoding="utf-8"))
    assert _version(path) == 1
    from balancesheet.checks import check
    from balancesheet.project import Project

    project = Project.open(path)
    try:
        assert _version(path) == SCHEMA_VERSION
        tables = set(project.store.read_sql("SELECT name FROM sqlite_master WHERE type='table'")["name"])
        assert {"audit", "finding"} <= tables
        stocks = project.store.read_sql("SELECT item, year, value FROM stock ORDER BY year, item")
        assert stocks.values.tolist() == [["0101", 2020, 600.0], ["0301", 2020, 400.0],
                                          ["0101", 2021, 590.0], ["0301", 2021, 410.0]]
        assert [p for p in check(project, "990001", 2021) if p.severity == "error"] == []
    finally:
        project.close()
    backups = list(tmp_path.glob("old.backup-*-v1.db"))
    assert len(backups) == 1 and _version(backups[0]) == 1
