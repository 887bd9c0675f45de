"""Online backup of an open project: a consistent copy while another connection writes."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from balancesheet.backup import backup_project, default_backup_name
from balancesheet.errors import UserError
from balancesheet.project import Project


def _counts(path: Path) -> tuple:
    with sqlite3.connect(path) as conn:
        return (conn.execute("SELECT COUNT(*), ROUND(SUM(value), 2) FROM flow").fetchone(),
                conn.execute("SELECT COUNT(*), ROUND(SUM(value), 2) FROM stock").fetchone())


def test_backup_is_a_complete_copy_that_opens(sample_project: Project, tmp_path: Path) -> None:
    target = backup_project(sample_project, tmp_path / "copy.db")
    assert _counts(target) == _counts(Path(sample_project.store.location))
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    reopened = Project.open(target)
    assert reopened.region("990121").name.startswith("青岚县")
    reopened.close()
    assert not (tmp_path / "copy.db.partial").exists()


def test_backup_while_another_connection_writes_is_consistent(sample_project: Project, tmp_path: Path) -> None:
    source = Path(sample_project.store.location)
    stop = threading.Event()

    def writer() -> None:
        with sqlite3.connect(source, timeout=30) as conn:
            while not stop.is_set():
                conn.execute("INSERT INTO flow (region_code, year, resource, from_item, to_item, cause, value) "
                             "VALUES ('990121', 2025, 'land', '0101', '0102', 'A', 1.0)")
                conn.commit()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copies = [backup_project(sample_project, tmp_path / f"copy{i}.db") for i in range(3)]
    finally:
        stop.set()
        thread.join()
    final = _counts(source)[0][0]
    for copy in copies:
        with sqlite3.connect(copy) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            total = conn.execute("SELECT COUNT(*) FROM flow").fetchone()[0]
        assert 24547 + 720 <= total <= final  # a snapshot between the start and the end


def test_backup_refuses_the_project_file_itself_and_missing_folders(sample_project: Project,
                                                                     tmp_path: Path) -> None:
    with pytest.raises(UserError, match="不能是项目文件本身"):
        backup_project(sample_project, Path(sample_project.store.location))
    with pytest.raises(UserError, match="目录不存在"):
        backup_project(sample_project, tmp_path / "no" / "such" / "copy.db")


def test_a_server_project_is_refused_with_the_pg_dump_advice(backend_project: Project, tmp_path: Path) -> None:
    """SQLite: a copy that opens. PostgreSQL: refused, naming pg_dump, and nothing written."""
    if backend_project.store.is_sqlite:
        assert backup_project(backend_project, tmp_path / "copy.db").exists()
        return
    with pytest.raises(UserError, match="pg_dump"):
        backup_project(backend_project, tmp_path / "copy.db")
    assert not list(tmp_path.glob("copy.db*"))


def test_default_backup_name_carries_the_date() -> None:
    import datetime as dt

    assert default_backup_name("/x/青岚县.db", dt.datetime(2026, 11, 23, 22, 10)) == "青岚县-备份-20261123-2210.db"
