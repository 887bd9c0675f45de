"""Single edits of the ledger (the desktop editor, the CLI) and the year lock (结账).

Every function runs in one transaction, checks the year is not locked, validates the value
against the catalog and appends old → new to the change log. Each returns what an undo needs
(the previous value or the removed record), so the caller can reverse an edit with the same
functions; undo is just another logged edit.

Several users may edit at once (balancesheet.concurrency): an edit can carry what the user saw
(``expected``, the record displayed); when the stored data differ, nothing is written and
ConflictError says who changed what and when. The undo an edit returns expects what the edit
wrote, so undoing over someone else's later change is refused the same way.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from balancesheet.concurrency import (
    UNCHECKED,
    Unchecked,
    changed_value,
    conflict,
    imported_by,
    last_change,
    removed,
    retrying,
    same_number,
)
from balancesheet.errors import LockedYearError, UserError
from balancesheet.store import current_user
from balancesheet.store.schema import Flow, Period, Stock

if TYPE_CHECKING:
    from balancesheet.catalog import Account
    from balancesheet.project import Project


@dataclass(frozen=True)
class StockEdit:
    """Set (``value`` a number) or clear (``value`` None) the stored value of one item and year.

    ``expected``: the value the user saw (None: an empty cell); the edit is refused with
    ConflictError when the stored value differs. UNCHECKED (the default) writes blind.
    """

    region: str
    year: int
    resource: str
    item: str
    value: float | None
    expected: float | None | Unchecked = UNCHECKED


@dataclass(frozen=True)
class FlowRecord:
    """A flow as stored; ``id`` None for one not stored yet."""

    region: str
    year: int
    resource: str
    from_item: str | None
    to_item: str | None
    cause: str
    value: float
    id: int | None = None


@dataclass(frozen=True)
class PeriodState:
    """Whether a region's year is locked, by whom, when and why."""

    region: str
    year: int
    locked: bool
    locked_by: str | None = None
    locked_at: dt.datetime | None = None
    note: str = ""

    def reason(self) -> str:
        """A sentence saying why the year cannot be edited (empty when it can)."""
        if not self.locked:
            return ""
        when = f"{self.locked_at:%Y年%m月%d日 %H:%M}" if self.locked_at else ""
        return (f"{self.year} 年已由 {self.locked_by or '未知用户'} 于 {when} 结账锁定"
                + (f"（{self.note}）" if self.note else "") + "，如需修改请先解锁。")


def editable_items(account: Account) -> set[str]:
    """Items whose values are entered rather than computed: leaves and flow-kind items."""
    return {code for code, item in account.items.items()
            if item.kind in ("stock", "flow") and account.is_leaf(code)}


def period_state(project: Project, region: str, year: int) -> PeriodState:
    """The lock state of ``region``'s ``year`` (unlocked when no period row exists yet)."""
    with project.store.session() as s:
        row = s.get(Period, (region, int(year)))
        if row is None:
            return PeriodState(region, int(year), False)
        return PeriodState(region, int(year), bool(row.locked), row.locked_by, row.locked_at, row.note or "")


def locked_years(project: Project, region: str | None = None) -> dict[tuple[str, int], PeriodState]:
    """Every locked (region, year) of the project, or of one region."""
    with project.store.session() as s:
        q = select(Period).where(Period.locked.is_(True))
        if region is not None:
            q = q.where(Period.region_code == region)
        return {(p.region_code, p.year): PeriodState(p.region_code, p.year, True, p.locked_by,
                                                     p.locked_at, p.note or "")
                for p in s.scalars(q).all()}


def refuse_locked(session: Session, keys: Iterable[tuple[str, int]]) -> None:
    """Raise LockedYearError when any (region, year) in ``keys`` is locked.

    The year records read stay share-locked until the caller's transaction ends (SELECT … FOR
    SHARE on PostgreSQL; on SQLite a write session holds the file's write lock), so a year cannot
    be locked between this check and the caller's writes.
    """
    wanted = {(str(r), int(y)) for r, y in keys}
    if not wanted:
        return
    rows = session.scalars(select(Period).where(tuple_(Period.region_code, Period.year).in_(sorted(wanted)))
                           .with_for_update(read=True)).all()
    hits = sorted((p.region_code, p.year) for p in rows if p.locked)
    if hits:
        text = "、".join(f"{r} {y} 年" for r, y in hits)
        raise LockedYearError(f"{text}已结账锁定，不能修改。如确需修改，请先解锁（解锁会记录原因）。",
                              f"Locked year(s): {text}; unlock first.")


def _period(session: Session, region: str, year: int) -> Period:
    row = session.get(Period, (region, year))
    if row is None:
        row = Period(region_code=region, year=year, locked=False, note="")
        session.add(row)
        session.flush()
    return row


def _check_value(value: float | None, what: str) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise UserError(f"{what}：「{value}」不是数字", f"{what}: {value!r} is not a number") from None
    if not math.isfinite(number):
        raise UserError(f"{what}：数值无效", f"{what}: not a finite number")
    if number < 0:
        raise UserError(f"{what}：不能为负数（{number:g}）", f"{what}: negative value {number:g}")
    return number


def _check_item(project: Project, edit: StockEdit) -> Account:
    account = project.catalog.account(edit.resource)
    if edit.item not in account.items:
        raise UserError(f"{account.name}没有编码为 {edit.item} 的项目", f"Unknown item {edit.item}")
    if edit.item not in editable_items(account):
        item = account.items[edit.item]
        raise UserError(f"「{item.name}」由下级项目或公式计算得出，不能直接修改，请修改其下级项目。",
                        f"{item.name} is computed; edit its children.")
    return account


def set_stocks(project: Project, edits: list[StockEdit]) -> list[StockEdit]:
    """Apply ``edits`` in one transaction (all or nothing); return the edits that undo them.

    Values are in the item's catalog unit; None clears the stored value. When any edit's
    ``expected`` differs from the stored value, nothing is written (ConflictError naming every
    such cell). The undo edits expect the values written.
    """
    if not edits:
        return []
    for region in sorted({e.region for e in edits}):
        project.region(region)  # a clear error for an unknown region
    for edit in edits:
        account = _check_item(project, edit)
        _check_value(edit.value, f"{edit.year} 年「{account.items[edit.item].name}」")
    return retrying(lambda: _write_stocks(project, edits))


def _write_stocks(project: Project, edits: list[StockEdit]) -> list[StockEdit]:
    undo: list[StockEdit] = []
    conflicts: list[tuple[str, str]] = []
    with project.store.session(write=True) as s:
        refuse_locked(s, [(e.region, e.year) for e in edits])
        for edit in edits:
            unit = project.catalog.account(edit.resource).items[edit.item].unit
            _period(s, edit.region, int(edit.year))
            row = s.scalar(select(Stock).where(Stock.region_code == edit.region, Stock.year == edit.year,
                                               Stock.resource == edit.resource, Stock.item == edit.item))
            old = None if row is None else row.value
            new = None if edit.value is None else float(edit.value)
            if not isinstance(edit.expected, Unchecked) and not same_number(old, edit.expected):
                conflicts.append(_stock_conflict(project, s, edit, row))
                continue
            undo.append(StockEdit(edit.region, edit.year, edit.resource, edit.item, old, new))
            if old == new:
                continue
            if new is None:
                s.delete(row)
            elif row is None:
                s.add(Stock(region_code=edit.region, year=int(edit.year), resource=edit.resource,
                            item=edit.item, value=new, unit=unit))
            else:
                row.value = new
            project.store.log(s, "edit", "stock", _stock_key(edit), old, new)
            s.flush()
        if conflicts:
            raise conflict(conflicts)  # rolls the whole batch back
    return list(reversed(undo))


def _stock_key(edit: StockEdit) -> dict[str, object]:
    return {"region_code": edit.region, "year": int(edit.year), "resource": edit.resource, "item": edit.item}


def _stock_conflict(project: Project, session: Session, edit: StockEdit, row: Stock | None) -> tuple[str, str]:
    """The sentence saying what became of a cell since the user saw ``edit.expected``."""
    item = project.catalog.account(edit.resource).items[edit.item]
    change = last_change(session, "stock", _stock_key(edit))
    current = None if row is None else row.value
    if row is not None and (change is None or not same_number(_number(change.new), current)):
        change = imported_by(session, row.batch_id) or change  # inserted by an import, not logged by key
    what = (f"{edit.year} 年「{edit.item} {item.name}」（{edit.region}）",
            f"{edit.year} {edit.item} {item.name} ({edit.region})")
    return changed_value(what, change, current, edit.expected, item.unit)  # type: ignore[arg-type]


def _number(value: object) -> float | None:
    try:
        return None if value is None else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def set_stock(project: Project, region: str, year: int, resource: str, item: str,
              value: float | None) -> float | None:
    """Set one stored value; return the previous one (None when there was none)."""
    undo = set_stocks(project, [StockEdit(region, int(year), resource, item, value)])
    return undo[0].value


def _flow_record(row: Flow) -> FlowRecord:
    return FlowRecord(row.region_code, row.year, row.resource, row.from_item, row.to_item, row.cause,
                      row.value, row.id)


def _check_flow(project: Project, flow: FlowRecord) -> None:
    """The rules the importer applies to flow rows, for one flow entered by hand."""
    project.region(flow.region)
    account = project.catalog.account(flow.resource)
    if flow.resource != account.resource:
        raise UserError(f"资源应写作 {account.resource}", f"Resource must be {account.resource}")
    for code in (flow.from_item, flow.to_item):
        if code is None:
            continue
        if code not in account.items:
            raise UserError(f"{account.name}没有编码为 {code} 的项目", f"Unknown item {code}")
        if not account.is_leaf(code) or account.items[code].kind != "stock":
            raise UserError(f"变动只能记在末级存量项目上，「{code} {account.items[code].name}」不是末级存量项目",
                            f"Flows are booked on leaf stock items only, not on {code}")
    if flow.from_item is None and flow.to_item is None:
        raise UserError("变动记录至少要有转出或转入项目", "A flow needs a from or a to item")
    if flow.from_item == flow.to_item:
        raise UserError("变动记录的转出和转入项目相同，不构成变化", "From and to item are the same")
    if flow.from_item and flow.to_item and \
            account.ancestors(flow.from_item)[-1] != account.ancestors(flow.to_item)[-1]:
        raise UserError("转出和转入项目不属于同一分类体系（如「永久基本农田」是备忘项，不是地类）",
                        "From and to item must belong to the same hierarchy")
    if flow.cause not in account.causes:
        known = "、".join(f"{c.code} {c.name}" for c in account.causes.values())
        raise UserError(f"未知的变动原因 {flow.cause}。可用：{known}", f"Unknown cause {flow.cause}")
    cause = account.causes[flow.cause]
    direction = ("transfer" if flow.from_item and flow.to_item
                 else "add" if flow.to_item else "reduce")
    items = [c for c in (flow.from_item, flow.to_item) if c is not None]
    if not cause.allows(direction) or not all(account.cause_applies(cause, c) for c in items):
        raise UserError(f"变动原因「{cause.code} {cause.name}」不适用于此项目或此方向",
                        f"Cause {cause.code} does not apply to this item or direction")
    if flow.value is None:
        raise UserError(f"{flow.year} 年变动记录：缺少数值", "A flow needs a value")
    _check_value(flow.value, f"{flow.year} 年变动记录")


def add_flow(project: Project, flow: FlowRecord) -> FlowRecord:
    """Store a new flow (its ``id`` is ignored); return it with the id it got."""
    _check_flow(project, flow)
    return retrying(lambda: _add_flow(project, flow))


def _add_flow(project: Project, flow: FlowRecord) -> FlowRecord:
    with project.store.session(write=True) as s:
        refuse_locked(s, [(flow.region, flow.year)])
        _period(s, flow.region, int(flow.year))
        row = Flow(region_code=flow.region, year=int(flow.year), resource=flow.resource,
                   from_item=flow.from_item, to_item=flow.to_item, cause=flow.cause,
                   value=float(flow.value))
        s.add(row)
        s.flush()
        stored = _flow_record(row)
        project.store.log(s, "add", "flow", {"id": row.id}, None, _flow_json(stored))
    return stored


def delete_flow(project: Project, flow_id: int, expected: FlowRecord | Unchecked = UNCHECKED) -> FlowRecord:
    """Remove a flow; return it as it was (``add_flow`` puts it back).

    ``expected``: the record as the user saw it; ConflictError when it was changed or deleted since.
    """
    return retrying(lambda: _delete_flow(project, flow_id, expected))


def _delete_flow(project: Project, flow_id: int, expected: FlowRecord | Unchecked) -> FlowRecord:
    with project.store.session(write=True) as s:
        row = _stored_flow(project, s, flow_id, expected)
        refuse_locked(s, [(row.region_code, row.year)])
        record = _flow_record(row)
        s.delete(row)
        project.store.log(s, "delete", "flow", {"id": flow_id}, _flow_json(record), None)
    return record


def set_flow_value(project: Project, flow_id: int, value: float,
                   expected: FlowRecord | Unchecked = UNCHECKED) -> float:
    """Change a flow's quantity; return the previous one.

    ``expected``: the record as the user saw it; ConflictError when it was changed or deleted since.
    """
    return retrying(lambda: _set_flow_value(project, flow_id, value, expected))


def _set_flow_value(project: Project, flow_id: int, value: float, expected: FlowRecord | Unchecked) -> float:
    with project.store.session(write=True) as s:
        row = _stored_flow(project, s, flow_id, expected)
        refuse_locked(s, [(row.region_code, row.year)])
        if value is None:
            raise UserError(f"{row.year} 年变动记录：缺少数值", "A flow needs a value")
        number = _check_value(value, f"{row.year} 年变动记录")
        old = row.value
        if number != old:
            row.value = float(number)  # type: ignore[arg-type]
            project.store.log(s, "edit", "flow", {"id": flow_id, "region_code": row.region_code, "year": row.year,
                                                  "resource": row.resource}, old, number)
    return old


def _stored_flow(project: Project, session: Session, flow_id: int, expected: FlowRecord | Unchecked) -> Flow:
    """The flow stored under ``flow_id``, refused when it is not the record the user saw."""
    row = session.get(Flow, flow_id)
    if isinstance(expected, Unchecked):
        if row is None:
            raise UserError(f"变动记录 {flow_id} 不存在（可能已被删除）", f"Flow {flow_id} not found")
        return row
    what = _flow_what(expected)
    if row is None or _what_moves(_flow_record(row)) != _what_moves(expected):  # gone, or the id was reused
        raise conflict([removed(what, last_change(session, "flow", {"id": flow_id}, more_keys=True,
                                                  action="delete"))])
    if not same_number(row.value, expected.value):
        account = project.catalog.account(expected.resource)
        unit = account.items[expected.to_item or expected.from_item or ""].unit
        change = last_change(session, "flow", {"id": flow_id}, more_keys=True)
        raise conflict([changed_value(what, change, row.value, expected.value, unit)])
    return row


def _what_moves(flow: FlowRecord) -> tuple[object, ...]:
    """Everything of a flow but its value and id: what tells one record from another."""
    return (flow.region, int(flow.year), flow.resource, flow.from_item, flow.to_item, flow.cause)


def _flow_what(flow: FlowRecord) -> tuple[str, str]:
    arrow = f"{flow.from_item or ''}→{flow.to_item or ''}"
    return (f"{flow.year} 年变动记录「{arrow} {flow.cause}」（{flow.region}）",
            f"The {flow.year} change record {arrow} {flow.cause} ({flow.region})")


def _flow_json(flow: FlowRecord) -> dict[str, object]:
    return {"region_code": flow.region, "year": flow.year, "resource": flow.resource,
            "from_item": flow.from_item, "to_item": flow.to_item, "cause": flow.cause,
            "value": flow.value}


def lock_year(project: Project, region: str, year: int, note: str = "",
              user: str | None = None) -> PeriodState:
    """Lock (结账) ``region``'s ``year``: no edit or import may change it until unlocked."""
    project.region(region)
    who = user or current_user()
    retrying(lambda: _lock(project, region, int(year), note, who))
    return period_state(project, region, year)


def _lock(project: Project, region: str, year: int, note: str, who: str) -> None:
    with project.store.session(write=True) as s:
        row = _period(s, region, int(year))
        if row.locked:
            raise UserError(f"{region} {year} 年已经结账锁定（{row.locked_by}）", f"{year} already locked")
        row.locked, row.locked_by = True, who
        row.locked_at = dt.datetime.now().replace(microsecond=0)
        row.note = note
        project.store.log(s, "lock", "period", {"region_code": region, "year": int(year)},
                          None, {"by": who, "note": note})


def unlock_year(project: Project, region: str, year: int, reason: str,
                user: str | None = None) -> PeriodState:
    """Unlock a locked year; ``reason`` is required and logged with who unlocked it."""
    if not reason.strip():
        raise UserError("解锁必须说明原因（会记入修改记录）", "Unlocking needs a reason (it is logged)")
    who = user or current_user()
    retrying(lambda: _unlock(project, region, int(year), reason, who))
    return period_state(project, region, year)


def _unlock(project: Project, region: str, year: int, reason: str, who: str) -> None:
    with project.store.session(write=True) as s:
        row = s.get(Period, (region, int(year)))
        if row is None or not row.locked:
            raise UserError(f"{region} {year} 年未结账锁定", f"{year} is not locked")
        old = {"by": row.locked_by, "at": row.locked_at, "note": row.note}
        row.locked, row.locked_by, row.locked_at, row.note = False, None, None, ""
        project.store.log(s, "unlock", "period", {"region_code": region, "year": int(year)},
                          old, {"by": who, "reason": reason.strip()})


__all__ = ["UNCHECKED", "FlowRecord", "PeriodState", "StockEdit", "add_flow", "delete_flow", "editable_items",
           "lock_year", "locked_years", "period_state", "refuse_locked", "set_flow_value",
           "set_stock", "set_stocks", "unlock_year"]
