"""Open a project database (SQLite file or PostgreSQL URL), create or migrate its schema."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from balancesheet import __version__
from balancesheet.backup import copy_database
from balancesheet.errors import ConflictError, DatabaseBusy, UserError
from balancesheet.store.migrations import STEPS
from balancesheet.store.schema import SCHEMA_VERSION, Base, ChangeLog, Meta

_APPEND_ONLY = (
    "CREATE TRIGGER IF NOT EXISTS change_log_append_only_u BEFORE UPDATE ON change_log "
    "BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS change_log_append_only_d BEFORE DELETE ON change_log "
    "BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END",
)
_APPEND_ONLY_PG = (
    "CREATE OR REPLACE FUNCTION change_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$BEGIN RAISE EXCEPTION 'change_log is append-only'; END$$",
    "DROP TRIGGER IF EXISTS change_log_append_only ON change_log",
    "CREATE TRIGGER change_log_append_only BEFORE UPDATE OR DELETE ON change_log "
    "FOR EACH ROW EXECUTE FUNCTION change_log_append_only()",
    "DROP TRIGGER IF EXISTS change_log_append_only_t ON change_log",
    "CREATE TRIGGER change_log_append_only_t BEFORE TRUNCATE ON change_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION change_log_append_only()",
)


def _no_psycopg() -> UserError:
    return UserError("需要安装 psycopg：pip install 'balancesheet[postgres]'",
                     "PostgreSQL needs psycopg: pip install 'balancesheet[postgres]'")


def database_url(target: str | Path) -> str:
    """A SQLAlchemy URL for ``target``: a file path as SQLite, ``postgresql://`` (or ``postgres://``)
    through the psycopg 3 driver, any other URL as is."""
    s = str(target)
    if "://" in s:
        scheme, rest = s.split("://", 1)
        return f"postgresql+psycopg://{rest}" if scheme in ("postgres", "postgresql") else s
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
        self.notices: list[str] = []  # what opening did that the user should hear of (a migration)
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def display_name(self) -> str:
        """The location for messages: the file path, or the server URL without its password."""
        return self.location if self.is_sqlite else self.engine.url.render_as_string(hide_password=True)

    @property
    def is_sqlite(self) -> bool:
        """True for an embedded SQLite file."""
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self, write: bool = False) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error.

        ``write`` for a transaction whose reads decide its writes (an edit checking what the user
        saw): on SQLite it takes the write lock at once (BEGIN IMMEDIATE), so nothing it read can
        change before it commits; on PostgreSQL versioned rows (schema.Versioned) guard it.
        Waiting longer than the lock timeout for another writer raises DatabaseBusy; a versioned
        row another writer changed meanwhile raises ConflictError (caused by StaleDataError).
        """
        try:
            with self._sessions.begin() as session:
                if write and self.is_sqlite:
                    session.connection().exec_driver_sql("BEGIN IMMEDIATE")
                yield session
        except OperationalError as exc:
            if _is_busy(exc):
                raise self._busy() from exc
            raise
        except StaleDataError as exc:
            raise ConflictError("您要修改的数据刚被其他用户改动，本次修改未保存。请刷新后核对并重新操作。",
                                "Someone else changed this data a moment ago; nothing was saved. "
                                "Refresh, check and try again.") from exc

    def _busy(self) -> DatabaseBusy:
        seconds = LOCK_TIMEOUT_MS // 1000
        if self.is_sqlite:
            return DatabaseBusy(
                f"项目文件正被另一程序写入（例如另一窗口正在导入），等待 {seconds} 秒后仍未结束，本次操作未保存。"
                "请稍后重试。",
                f"The project file is being written by another program (e.g. an import in another window); "
                f"waited {seconds} s. Nothing was saved; please try again shortly.")
        return DatabaseBusy(
            f"这些数据正被其他用户修改，等待 {seconds} 秒后仍未结束，本次操作未保存。请稍后重试。",
            f"Other users are changing this data; waited {seconds} s. Nothing was saved; please try again shortly.")

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


def log_key(key: Any) -> str:
    """The change log's ``key`` text for ``key``, as Store.log writes it (to look entries up)."""
    return _json(key)


LOCK_TIMEOUT_MS = 10_000  # how long a write waits for another writer's lock (both databases)
_SQLITE_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED (primary result codes)
_PG_BUSY = {"55P03", "40P01"}  # lock_not_available (lock_timeout), deadlock_detected


def _is_busy(exc: OperationalError) -> bool:
    """True when ``exc`` says another writer held a lock longer than we wait."""
    orig = exc.orig
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _SQLITE_BUSY
    if getattr(orig, "sqlstate", None) in _PG_BUSY:
        return True
    return isinstance(orig, sqlite3.OperationalError) and "database is locked" in str(orig)


def _postgres_lock_timeout(dbapi_connection: Any, _record: Any) -> None:
    # Wait for another client's row lock as long as SQLite waits for its write lock, then fail
    # clearly (DatabaseBusy) instead of hanging the window. SET outside a transaction persists.
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
    dbapi_connection.autocommit = autocommit


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged edit survives a power cut
    cursor.execute(f"PRAGMA busy_timeout={LOCK_TIMEOUT_MS}")
    cursor.close()


def _postgres_types(dbapi_connection: Any, _record: Any) -> None:
    # SUM over integers is NUMERIC on PostgreSQL: read it as float, as SQLite gives numbers.
    from psycopg.types.numeric import FloatLoader

    dbapi_connection.adapters.register_loader("numeric", FloatLoader)


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
    try:
        engine = create_engine(url)
    except ModuleNotFoundError as exc:
        if exc.name == "psycopg":
            raise _no_psycopg() from exc
        raise
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    elif engine.dialect.driver == "psycopg":
        event.listen(engine, "connect", _postgres_types)
        event.listen(engine, "connect", _postgres_lock_timeout)
    store = Store(engine, str(path) if path else url)
    try:
        _prepare_schema(store, path)
    except OperationalError as exc:
        engine.dispose()
        if is_sqlite or getattr(exc.orig, "sqlstate", None) is not None:  # not a failed connection
            raise
        raise UserError(f"无法连接数据库服务器 {store.display_name}：{exc.orig}",
                        f"Cannot connect to the database server {store.display_name}: {exc.orig}") from exc
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
    """Refuse, through a read-only connection, a file we must not open for writing.

    A rollback journal beside the file (a crash in the middle of a write) is rolled back first:
    SQLite's own recovery of the state before that write, which a read-only connection cannot do.
    The file is read as immutable when no journal or WAL can hold part of it, so refusing it
    leaves no -wal/-shm files behind (tests/test_crash.py, tests/test_store.py).
    """
    try:
        if Path(f"{path}-journal").exists():
            with closing(sqlite3.connect(path)) as conn:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        settled = not Path(f"{path}-journal").exists() and not Path(f"{path}-wal").exists()
        uri = f"{path.as_uri()}?mode=ro" + ("&immutable=1" if settled else "")
        with closing(sqlite3.connect(uri, uri=True)) as conn:
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
        raise UserError(f"{store.display_name} 不是本工具的项目文件", f"{store.display_name} is not a project file")
    with store.engine.connect() as conn:
        version = int(conn.execute(select(Meta.value).where(Meta.key == "schema_version")).scalar_one())
    if version > SCHEMA_VERSION:
        raise _newer_than_supported(version, store.display_name)
    if version < SCHEMA_VERSION:
        migrate(store, version, path)


def migrate(store: Store, version: int, path: Path | None) -> Path | None:
    """Upgrade from ``version`` to the current schema after a dated backup copy (SQLite).

    A server database is not copied (it may be large and shared): the store's notices tell the
    user that it was upgraded and to keep pg_dump backups before upgrading the software.
    """
    backup = None
    if path is None:
        store.notices.append(
            f"服务器上的项目 {store.display_name} 已从数据结构版本 {version} 升级到 {SCHEMA_VERSION}。"
            "服务器数据库不自动备份，升级软件前请先用 pg_dump 备份。")
    else:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = path.with_name(f"{path.stem}.backup-{stamp}-v{version}{path.suffix}")
        copy_database(path, backup)  # a snapshot through the WAL, renamed into place once checked
        store.notices.append(f"项目文件已从数据结构版本 {version} 升级到 {SCHEMA_VERSION}；升级前的文件已备份为 {backup}。")
    with store.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            # pysqlite commits each CREATE/ALTER by itself unless a transaction is open: open one, so
            # a failed or killed migration leaves the old file as it was (tests/test_store.py).
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        # Row-locked on a server: a second client opening the same old database waits here and
        # then finds it upgraded already.
        version = int(conn.execute(select(Meta.value).where(Meta.key == "schema_version")
                                   .with_for_update()).scalar_one())
        for step in range(version, SCHEMA_VERSION):
            STEPS[step](conn)
        Base.metadata.create_all(conn)  # tables that are new in this version
        _install_triggers(conn)
        conn.execute(Meta.__table__.update().where(Meta.key == "schema_version"),
                     {"value": str(SCHEMA_VERSION)})
    return backup


def _install_triggers(conn: Connection) -> None:
    """The change log refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL) in the database."""
    ddls = {"sqlite": _APPEND_ONLY, "postgresql": _APPEND_ONLY_PG}.get(conn.dialect.name, ())
    for ddl in ddls:
        conn.exec_driver_sql(ddl)
