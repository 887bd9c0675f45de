"""Open a project database (SQLite file or PostgreSQL URL), create or migrate its schema."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from balancesheet import __version__
from balancesheet.errors import UserError
from balancesheet.store.migrations import STEPS
from balancesheet.store.schema import SCHEMA_VERSION, Base, ChangeLog, Meta

_APPEND_ONLY = (
    "CREATE TRIGGER IF NOT EXISTS change_log_append_only_u BEFORE UPDATE ON change_log "
    "BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS change_log_append_only_d BEFORE DELETE ON change_log "
    "BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END",
)


def database_url(target: str | Path) -> str:
    """A SQLAlchemy URL for ``target``: a URL as is, or a file path as SQLite."""
    s = str(target)
    if "://" in s:
        return s.replace("postgres://", "postgresql://", 1)
    return f"sqlite:///{Path(s).expanduser().resolve()}"


def current_user() -> str:
    """The operating-system user name, recorded in the change log."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name on some Windows setups
        return "unknown"


class Store:
    """A project database: engine, sessions, schema version, change log."""

    def __init__(self, engine: Engine, location: str):
        self.engine = engine
        self.location = location
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        """True for an embedded SQLite file."""
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        with self._sessions.begin() as session:
            yield session

    def read_sql(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        """Run a read query into a pandas DataFrame (aggregation stays in SQL)."""
        import pandas as pd

        with self.engine.connect() as conn:
            return pd.read_sql_query(text(sql), conn, params=params or {})

    def log(self, session: Session, action: str, entity: str, key: Any, old: Any = None,
            new: Any = None, batch_id: int | None = None) -> None:
        """Append one entry to the change log (inside the caller's transaction)."""
        session.add(ChangeLog(
            at=dt.datetime.now().replace(microsecond=0), user=current_user(), action=action,
            entity=entity, key=_json(key), old=None if old is None else _json(old),
            new=None if new is None else _json(new), batch_id=batch_id,
        ))

    def close(self) -> None:
        """Release connections."""
        self.engine.dispose()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged edit survives a power cut
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def open_store(target: str | Path, create: bool = False) -> Store:
    """Open the project at ``target`` (file path or URL), creating it when ``create``.

    A missing SQLite file without ``create`` is a UserError; an older schema is migrated after a
    backup copy; a newer one is refused.
    """
    url = database_url(target)
    is_sqlite = url.startswith("sqlite")
    path = Path(url.removeprefix("sqlite:///")) if is_sqlite else None
    if path is not None and not path.exists():
        if not create:
            raise UserError(f"项目文件不存在：{path}（可用 balancesheet init 创建）",
                            f"Project file not found: {path}")
        if not path.parent.is_dir():
            raise UserError(f"目录不存在：{path.parent}", f"Folder not found: {path.parent}")
    if path is not None and path.exists():
        _refuse_unreadable(path)  # before any connection that could write to the file
    engine = create_engine(url)
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    store = Store(engine, str(path) if path else url)
    try:
        _prepare_schema(store, path)
    except Exception:
        engine.dispose()
        raise
    return store


def _newer_than_supported(version: int, location: str) -> UserError:
    return UserError(
        f"项目文件 {location} 由更新版本的软件创建（数据结构版本 {version}，本软件支持 {SCHEMA_VERSION}），"
        "为避免损坏数据已拒绝打开，请升级软件。",
        f"The project was written by a newer version (schema {version} > {SCHEMA_VERSION}); "
        "refusing to open it. Please upgrade.",
    )


def _refuse_unreadable(path: Path) -> None:
    """Refuse, through a read-only connection, a file we must not open for writing."""
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not tables:
                return  # an empty file: a new project
            if "meta" not in tables:
                raise UserError(f"{path} 不是本工具的项目文件", f"{path} is not a project file")
            row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise UserError(f"{path} 不是有效的项目文件（{exc}）", f"{path} is not a valid project file") from exc
    if row is not None and int(row[0]) > SCHEMA_VERSION:
        raise _newer_than_supported(int(row[0]), str(path))


def _prepare_schema(store: Store, path: Path | None) -> None:
    tables = set(inspect(store.engine).get_table_names())
    if not tables:
        with store.engine.begin() as conn:
            Base.metadata.create_all(conn)
            _install_triggers(conn)
            conn.execute(Meta.__table__.insert(), [
                {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                {"key": "created_by", "value": f"balancesheet {__version__}"},
                {"key": "created_at", "value": dt.datetime.now().isoformat(timespec="seconds")},
            ])
        return
    if "meta" not in tables:
        raise UserError(f"{store.location} 不是本工具的项目文件", f"{store.location} is not a project file")
    with store.engine.connect() as conn:
        version = int(conn.execute(select(Meta.value).where(Meta.key == "schema_version")).scalar_one())
    if version > SCHEMA_VERSION:
        raise _newer_than_supported(version, store.location)
    if version < SCHEMA_VERSION:
        migrate(store, version, path)


def migrate(store: Store, version: int, path: Path | None) -> Path | None:
    """Upgrade from ``version`` to the current schema after a dated backup copy (SQLite)."""
    backup = None
    if path is not None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = path.with_name(f"{path.stem}.backup-{stamp}-v{version}{path.suffix}")
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(FULL)")
        shutil.copy2(path, backup)
    with store.engine.begin() as conn:
        for step in range(version, SCHEMA_VERSION):
            STEPS[step](conn)
        Base.metadata.create_all(conn)  # tables that are new in this version
        _install_triggers(conn)
        conn.execute(Meta.__table__.update().where(Meta.key == "schema_version"),
                     {"value": str(SCHEMA_VERSION)})
    return backup


def _install_triggers(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        for ddl in _APPEND_ONLY:
            conn.exec_driver_sql(ddl)
