"""A consistent copy of an open project (SQLite online backup API), and restoring one."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from balancesheet.errors import UserError

if TYPE_CHECKING:
    from balancesheet.project import Project


def default_backup_name(location: str, now: dt.datetime | None = None) -> str:
    """``county-备份-20261123-2210.db`` for ``county.db``."""
    stem = Path(location).stem if location and "://" not in location else "project"
    return f"{stem}-备份-{(now or dt.datetime.now()):%Y%m%d-%H%M}.db"


def backup_project(project: Project, destination: Path) -> Path:
    """Copy the project into ``destination`` while it may be in use; return the path.

    Uses SQLite's online backup, which copies a consistent snapshot even while other
    connections write. The copy is checked with ``PRAGMA integrity_check``.
    """
    if not project.store.is_sqlite:
        raise UserError("服务器上的项目（PostgreSQL）请由管理员用 pg_dump 备份。",
                        "Back up a PostgreSQL project with pg_dump.")
    destination = Path(destination)
    source = Path(project.store.location)
    if destination.resolve() == source.resolve():
        raise UserError("备份文件不能是项目文件本身，请选另一个文件名。", "Choose another file for the backup.")
    if not destination.parent.is_dir():
        raise UserError(f"目录不存在：{destination.parent}", f"Folder not found: {destination.parent}")
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(partial)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
        ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
    if ok != "ok":
        partial.unlink(missing_ok=True)
        raise UserError(f"备份校验失败：{ok}", f"Backup check failed: {ok}")
    partial.replace(destination)
    return destination
