"""Several users editing one project at once (two windows on one SQLite file, or the clients of
one PostgreSQL server): an edit may say what the user saw, and is refused with ConflictError when
the stored data differ from it, instead of silently overwriting someone else's change.

Two lines of defence. Inside the edit's transaction the row is read and compared with what the
user saw (``expected``). A writer committing between that read and the write is caught by the
row's version (schema.Versioned: StaleDataError, which Store.session turns into ConflictError) or
by a unique key (a concurrent insert: IntegrityError). Either makes :func:`retrying` run the edit
again: its fresh read then finds the difference and names who made it, or finds none (the race
touched nothing the user saw) and the edit goes through. On SQLite an edit's transaction also
holds the write lock from its start (Store.session(write=True)), so there the first line suffices.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from balancesheet.errors import ConflictError
from balancesheet.store.db import log_key
from balancesheet.store.schema import ChangeLog, ImportBatch

T = TypeVar("T")
ATTEMPTS = 3  # runs of an edit that lost a race before giving up (each re-reads and re-checks)


class Unchecked:
    """The type of :data:`UNCHECKED`: the caller states no expectation (CLI, imports, scripts)."""

    _instance: Unchecked | None = None

    def __new__(cls) -> Unchecked:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNCHECKED"

    def __reduce__(self) -> str:
        return "UNCHECKED"  # pickled as the module global: still the one instance


UNCHECKED = Unchecked()


def same_number(stored: float | None, seen: float | None) -> bool:
    """True when a stored value is the one the user saw (both empty, or equal up to float noise)."""
    if stored is None or seen is None:
        return stored is None and seen is None
    return math.isclose(float(stored), float(seen), rel_tol=1e-9, abs_tol=1e-12)


@dataclass(frozen=True)
class Change:
    """The change log's latest entry for a key: who, when, what action, the new value (decoded),
    and the imported file when an import made it."""

    user: str
    at: dt.datetime
    action: str
    new: Any
    file: str | None = None


def last_change(session: Session, entity: str, key: Any, more_keys: bool = False,
                action: str | None = None) -> Change | None:
    """The latest change log entry of ``entity`` under ``key`` (of ``action`` when given);
    ``more_keys`` also matches keys holding more fields after ``key``'s (a flow logged as
    {"id": 5, "region_code": …} is found by {"id": 5})."""
    text = log_key(key)
    match = ChangeLog.key == text
    if more_keys and text.endswith("}"):
        match = match | ChangeLog.key.startswith(text[:-1] + ", ", autoescape=True)
    query = (select(ChangeLog.user, ChangeLog.at, ChangeLog.action, ChangeLog.new, ImportBatch.file_name)
             .outerjoin(ImportBatch, ChangeLog.batch_id == ImportBatch.id)
             .where(ChangeLog.entity == entity, match))
    if action is not None:
        query = query.where(ChangeLog.action == action)
    row = session.execute(query.order_by(ChangeLog.id.desc()).limit(1)).first()
    if row is None:
        return None
    return Change(row.user, row.at, row.action, None if row.new is None else json.loads(row.new), row.file_name)


def imported_by(session: Session, batch_id: int | None) -> Change | None:
    """Who imported batch ``batch_id`` and when (for rows an import inserted without a log entry)."""
    if batch_id is None:
        return None
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        return None
    return Change(batch.user, batch.imported_at, "import", None, batch.file_name)


def by_whom(change: Change | None) -> tuple[str, str]:
    """"已被 张三 于 2026年11月24日 10:32 " and its English, or a neutral phrase when unknown."""
    if change is None:
        return "已被其他用户", "by another user"
    zh = f"已被 {change.user} 于 {change.at:%Y年%m月%d日 %H:%M} "
    en = f"by {change.user} at {change.at:%Y-%m-%d %H:%M}"
    if change.file:
        zh += f"导入「{change.file}」时"
        en += f" (importing {change.file})"
    return zh, en


def number_text(value: float | None) -> str:
    """A value for a message: thousands separators, two decimals, more when it has them."""
    if value is None:
        return "空白"
    text = f"{value:,.6f}".rstrip("0")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return f"{value:,.{max(decimals, 2)}f}"


def changed_value(what: tuple[str, str], change: Change | None, current: float | None,
                  seen: float | None, unit: str = "") -> tuple[str, str]:
    """A sentence (zh, en): ``what`` (e.g. 2021 年「0101 水田」) now holds ``current``, not ``seen``."""
    by_zh, by_en = by_whom(change)
    u = f" {unit}" if unit else ""
    if current is None:
        zh, en = f"{what[0]}{by_zh}清空", f"{what[1]} was cleared {by_en}"
    elif seen is None:
        zh, en = (f"{what[0]}{by_zh}填入 {number_text(current)}{u}",
                  f"{what[1]} was set to {number_text(current)}{u} {by_en}")
    else:
        zh, en = (f"{what[0]}{by_zh}改为 {number_text(current)}{u}",
                  f"{what[1]} was changed to {number_text(current)}{u} {by_en}")
    seen_zh = "空白" if seen is None else f"{number_text(seen)}{u}"
    return f"{zh}（您看到的是 {seen_zh}）", f"{en} (you saw {'nothing' if seen is None else number_text(seen)})"


def removed(what: tuple[str, str], change: Change | None) -> tuple[str, str]:
    """A sentence (zh, en): ``what`` was deleted meanwhile."""
    by_zh, by_en = by_whom(change)
    return f"{what[0]}{by_zh}删除", f"{what[1]} was deleted {by_en}"


def conflict(sentences: list[tuple[str, str]]) -> ConflictError:
    """The ConflictError for one or more changed things: the first in the message, every one in
    the details, and what to do."""
    from balancesheet.errors import Issue, Location

    (zh, en), more = sentences[0], len(sentences) - 1
    zh += "，您的修改未保存。请按最新数据核对后重新输入。"
    en += "; your change was not saved. Check the current data and enter it again."
    if more:
        zh += f"另有 {more} 处也已被他人修改，见详细信息。"
        en += f" {more} more were changed too (see details)."
    issues = [Issue(Location(), z, e) for z, e in sentences] if more else []
    return ConflictError(zh, en, issues)


def is_unique_violation(exc: IntegrityError) -> bool:
    """True when ``exc`` is a duplicate key (another writer inserted the same row first)."""
    orig = exc.orig
    if getattr(orig, "sqlstate", None) == "23505":
        return True
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return code in (1555, 2067)  # SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_CONSTRAINT_UNIQUE
    return "UNIQUE constraint failed" in str(orig)


def lost_race(exc: BaseException) -> bool:
    """True when ``exc`` means another writer committed first (version check or unique key)."""
    if isinstance(exc, IntegrityError):
        return is_unique_violation(exc)
    return isinstance(exc, ConflictError) and isinstance(exc.__cause__, StaleDataError)


def retrying(edit: Callable[[], T], attempts: int = ATTEMPTS) -> T:
    """Run ``edit`` (one whole transaction); when it lost a race to another writer, run it again.

    The next run re-reads what it changes and compares it with what the user saw, so a real
    conflict ends as the edit's own ConflictError (naming who changed what) and a harmless race
    (e.g. both creating the same year record) simply succeeds.
    """
    for attempt in range(attempts):
        try:
            return edit()
        except (IntegrityError, ConflictError) as exc:
            if not lost_race(exc):
                raise
            if attempt == attempts - 1:
                raise ConflictError(
                    "这些数据正被其他用户同时修改，连续几次都未能保存您的修改。请刷新后核对，稍后再试。",
                    "Others keep changing this data at the same moment; your change was not saved. "
                    "Refresh, check and try again later.") from exc
    raise AssertionError("unreachable")


__all__ = ["UNCHECKED", "Change", "Unchecked", "by_whom", "changed_value", "conflict", "imported_by",
           "is_unique_violation", "last_change", "lost_race", "number_text", "removed", "retrying",
           "same_number"]
