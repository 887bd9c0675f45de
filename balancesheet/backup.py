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
    return copy_database(source, destination)


def copy_database(source: Path, destination: Path) -> Path:
    """Write a consistent, checked copy of the SQLite file ``source`` to ``destination``.

    The online backup API copies a snapshot (the write-ahead log included) even while other
    connections write. The copy is written as ``<destination>.partial``, checked with ``PRAGMA
    integrity_check`` and only then renamed, so a crash never leaves a partial copy under
    ``destination`` (tests/test_crash.py). It uses a rollback journal: one file that opens anywhere.
    """
    partial = destination.with_name(destination.name + ".partial")
    for leftover in (partial, Path(f"{partial}-journal")):  # of a copy a crash interrupted
        leftover.unlink(missing_ok=True)
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(partial)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
        ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
    if ok != "ok":
        partial.unlink(missing_ok=True)
        raise UserError(f"备份校验失败：{ok}", f"Backup check failed: {ok}")
    partial.replace(destination)
    return destination


def check_backup(backup: Path) -> int:
    """Check that ``backup`` is an intact project file this version can open; return its schema version.

    Opened read-only: ``PRAGMA integrity_check`` must be ok, the file must hold a project
    (``meta``) of a schema version not newer than this program's.
    """
    from balancesheet.store.schema import SCHEMA_VERSION

    backup = Path(backup)
    if not backup.is_file():
        raise UserError(f"备份文件不存在：{backup}", f"Backup not found: {backup}")
    try:
        with closing(sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            row = (conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
                   if "meta" in tables else None)
    except sqlite3.DatabaseError as exc:
        raise UserError(f"{backup.name} 不是有效的项目备份（{exc}）", f"{backup.name} is not a project backup") from exc
    if ok != "ok":
        raise UserError(f"备份文件 {backup.name} 已损坏（完整性检查：{ok}），未恢复。",
                        f"Backup {backup.name} is damaged: {ok}")
    if row is None:
        raise UserError(f"{backup.name} 不是本工具的项目文件，未恢复。", f"{backup.name} is not a project file")
    version = int(row[0])
    if version > SCHEMA_VERSION:
        raise UserError(f"备份 {backup.name} 由更新版本的软件创建（数据结构版本 {version}），请先升级软件。",
                        f"Backup {backup.name} is from a newer version (schema {version}).")
    return version


def restore_backup(backup: Path, target: Path, now: dt.datetime | None = None) -> Path | None:
    """Replace the project file ``target`` with the content of ``backup``; return the safety copy.

    The backup is checked first (:func:`check_backup`); nothing is changed if it fails. The
    current ``target`` (if any) is first copied, with the online backup API, to
    ``<name>-恢复前-YYYYMMDD-HHMM.db`` beside it, so a restore can itself be undone. The content is
    then written *into* the target through the online backup API — never a file copy over a
    database that may be open with a write-ahead log — so another program that has the file open
    sees either the old or the restored content, never a mixture. An older backup is migrated
    the next time the project is opened (after its own dated copy).
    """
    check_backup(backup)
    target = Path(target)
    if target.exists() and target.resolve() == Path(backup).resolve():
        raise UserError("备份文件与项目文件是同一个文件。", "The backup is the project file itself.")
    if not target.parent.is_dir():
        raise UserError(f"目录不存在：{target.parent}", f"Folder not found: {target.parent}")
    safety = None
    if target.exists():
        stamp = f"{(now or dt.datetime.now()):%Y%m%d-%H%M%S}"
        safety = copy_database(target, target.with_name(f"{target.stem}-恢复前-{stamp}{target.suffix or '.db'}"))
    with closing(sqlite3.connect(f"{Path(backup).resolve().as_uri()}?mode=ro", uri=True)) as src, \
            closing(sqlite3.connect(target, timeout=30)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
        ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
    if ok != "ok":  # defensive: the backup API writes what it read from a checked file
        raise UserError(f"恢复后的完整性检查失败：{ok}；恢复前的文件在 {safety}",
                        f"Integrity check failed after restoring; the previous file is {safety}")
    return safety
