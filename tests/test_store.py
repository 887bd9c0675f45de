"""The project file: schema version, migrations with backup, refusal of newer files, trail."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy.exc

from balancesheet.errors import UserError
from balancesheet.store import db as store_db
from balancesheet.store import open_store
from balancesheet.store.schema import SCHEMA_VERSION, Stock


def _version(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0])


def _set_version(path: Path, version: int) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
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


def test_change_log_is_append_only(store_url: str) -> None:  # SQLite and PostgreSQL triggers
    store = open_store(store_url, create=True)
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
        notices = list(project.store.notices)
    finally:
        project.close()
    backups = list(tmp_path.glob("old.backup-*-v1.db"))
    assert len(backups) == 1 and _version(backups[0]) == 1
    # the user hears of it (command line: stderr; desktop app: a message) with the backup's name
    assert len(notices) == 1 and "升级" in notices[0] and backups[0].name in notices[0]


# Issue 7, item 2: migrations keep a dated copy of the old file and are all-or-nothing; a file of
# a newer version is refused without a byte of it (or of its WAL) changing.


def _v1_file(path: Path) -> Path:
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript((Path(__file__).parent / "fixtures" / "schema_v1.sql").read_text(encoding="utf-8"))
    return path


def _dump(path: Path) -> list[str]:
    """Schema and every row as SQL (a read-only connection that leaves nothing beside the file)."""
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)) as conn:
        return list(conn.iterdump())


def _companions(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name)}


def test_backup_before_migration_is_named_with_the_date_and_holds_the_old_file(tmp_path: Path) -> None:
    path = _v1_file(tmp_path / "县项目.db")
    original = _dump(path)
    started = dt.datetime.now().replace(microsecond=0)
    open_store(path).close()
    finished = dt.datetime.now()
    names = [p.name for p in tmp_path.iterdir() if p.name != path.name]
    assert len(names) == 1, names  # the backup, and no -wal/-shm/-journal/.partial left over
    match = re.fullmatch(r"县项目\.backup-(\d{8}-\d{6})-v1\.db", names[0])
    assert match, names[0]
    assert started <= dt.datetime.strptime(match[1], "%Y%m%d-%H%M%S") <= finished
    backup = tmp_path / names[0]
    assert _version(backup) == 1 and _version(path) == SCHEMA_VERSION
    assert _dump(backup) == original  # the old schema and every row, unchanged
    with closing(sqlite3.connect(f"{backup.as_uri()}?mode=ro", uri=True)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([path.name, names[0]])


def test_a_failing_migration_step_leaves_the_file_as_it_was(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Every step runs in the one transaction, DDL included (pysqlite would commit each CREATE or
    ALTER by itself): a step that fails leaves neither new tables nor new columns behind."""
    path = _v1_file(tmp_path / "old.db")
    original = _dump(path)

    def broken(conn: Any) -> None:
        conn.exec_driver_sql("ALTER TABLE stock ADD COLUMN half_done INTEGER")
        raise RuntimeError("step failed")

    monkeypatch.setitem(store_db.STEPS, SCHEMA_VERSION - 1, broken)
    with pytest.raises(RuntimeError, match="step failed"):
        open_store(path)
    assert _dump(path) == original
    monkeypatch.undo()
    open_store(path).close()  # the next start migrates it
    assert _version(path) == SCHEMA_VERSION
    backups = list(tmp_path.glob("old.backup-*-v1.db"))  # one per attempt (one when in the same second)
    assert backups and all(_dump(b) == original for b in backups)


def test_newer_file_is_refused_clearly_and_nothing_is_written_beside_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from balancesheet.cli import main

    path = tmp_path / "p.db"
    open_store(path, create=True).close()
    _set_version(path, SCHEMA_VERSION + 1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.db"]
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    with pytest.raises(UserError) as refused:
        open_store(path)
    assert f"数据结构版本 {SCHEMA_VERSION + 1}，本软件支持 {SCHEMA_VERSION}" in refused.value.message
    assert "请升级软件" in refused.value.message and "newer version" in refused.value.message_en
    assert main(["info", str(path)]) == 2  # the command line says the same, no traceback
    err = capsys.readouterr().err
    assert "更新版本" in err and "Traceback" not in err
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.db"]  # no -wal, -shm or backup created


def test_newer_version_still_in_the_wal_is_refused_and_left_untouched(tmp_path: Path) -> None:
    """A newer program upgraded the file and stopped before a checkpoint: the new version is only
    in the write-ahead log. It is read there, and neither the file nor its WAL changes."""
    path = tmp_path / "p.db"
    open_store(path, create=True).close()
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_autocheckpoint=0")
        conn.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION + 1),))
        conn.commit()
        for suffix in ("", "-wal"):  # the files as a killed process leaves them
            shutil.copy(f"{path}{suffix}", crashed / f"p.db{suffix}")
    copy = crashed / "p.db"
    assert _companions(copy).keys() == {"p.db", "p.db-wal"}
    before = _companions(copy)
    with pytest.raises(UserError, match="更新版本"):
        open_store(copy)
    after = _companions(copy)
    after.pop("p.db-shm", None)  # the WAL's index, which any reader rebuilds (no data in it)
    assert after == before
