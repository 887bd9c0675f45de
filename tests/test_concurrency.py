"""Two users, one project (issue 7 item 5): several writers on one SQLite file or one PostgreSQL
server never lose an update. Each edit says what the user saw; a cell someone else changed
meanwhile is refused with a ConflictError naming who, when and what, and nothing is written.

- race: real processes, barrier-synchronised, edit the same cell expecting the same value:
  exactly one wins each round, the others are told, the change log holds exactly the winners;
- the row version (schema v4) catches a write between an edit's read and its write, on every
  versioned table (a composite key too) — and a v3 file migrates to it;
- undo over someone else's later change is refused; a writer blocked past the lock timeout gets a
  clear DatabaseBusy; the batch of a paste is all or nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import re
import sqlite3
import threading
from collections import Counter
from pathlib import Path

import pytest
from concurrency_worker import REGION, RESOURCE, YEAR, writer
from conftest import rows, snapshot, write_csv
from sqlalchemy import create_engine, select
from sqlalchemy.orm.exc import StaleDataError

import balancesheet.store.db as db
from balancesheet import editing
from balancesheet.audit.workflow import add_finding, decide, open_audit
from balancesheet.concurrency import UNCHECKED, number_text
from balancesheet.editing import FlowRecord, StockEdit
from balancesheet.errors import ConflictError, DatabaseBusy, LockedYearError, UserError
from balancesheet.importer import import_file
from balancesheet.project import Project
from balancesheet.store import current_user
from balancesheet.store.schema import SCHEMA_VERSION, Finding, Flow, Period, Stock

ROUNDS = 24           # rounds of the race; every third starts from an empty cell (a race to insert)
SAME_CELL = 4         # writers of the same cell per round (one more edits another cell meanwhile)
FIXTURES = Path(__file__).parent / "fixtures"


def seeded(store_url: str, tmp_path: Path) -> Project:
    """A project with region 990001, stocks 2020–2021 (0101, 0301) and an official."""
    project = Project.open(store_url, create=True)
    import_file(project, write_csv(tmp_path / "regions.csv", ["region", "name", "area", "unit"],
                                   [[REGION, "测试县", "1000", "公顷"]]))
    import_file(project, write_csv(tmp_path / "stocks.csv", ["region", "year", "resource", "item", "value", "unit"],
                                   [[REGION, y, RESOURCE, i, v, "公顷"] for y in (2020, 2021)
                                    for i, v in (("0101", 600), ("0301", 400))]))
    import_file(project, write_csv(tmp_path / "officials.csv", ["id", "name", "post", "region", "start", "end"],
                                   [["OLD001", "王某（虚构）", "县长", REGION, "2019-03-01", "2021-12-31"]]))
    return project


def value(project: Project, item: str, year: int = YEAR) -> float | None:
    found = rows(project, f"SELECT value FROM stock WHERE region_code = '{REGION}' AND year = {year} "
                          f"AND resource = '{RESOURCE}' AND item = '{item}'")
    return found[0][0] if found else None


def cell_log(project: Project, item: str) -> list[tuple[float | None, float | None]]:
    key = json.dumps({"item": item, "region_code": REGION, "resource": RESOURCE, "year": YEAR},
                     ensure_ascii=False, sort_keys=True)
    found = rows(project, f"SELECT old, new FROM change_log WHERE entity = 'stock' AND key = '{key}' ORDER BY id")
    return [(None if o is None else json.loads(o), None if n is None else json.loads(n)) for o, n in found]


# --- the race --------------------------------------------------------------------------------------

def test_writers_racing_for_one_cell_exactly_one_wins_and_nothing_is_lost(store_url: str, tmp_path: Path) -> None:
    project = seeded(store_url, tmp_path)
    spawn = multiprocessing.get_context("spawn")
    writers = SAME_CELL + 1
    barrier = spawn.Barrier(writers)
    tasks = [spawn.Queue() for _ in range(writers)]
    results = spawn.Queue()
    processes = [spawn.Process(target=writer, args=(store_url, k, barrier, tasks[k], results), daemon=True)
                 for k in range(writers)]
    for process in processes:
        process.start()
    log_before = len(cell_log(project, "0101"))
    tally: Counter[str] = Counter()
    winners: list[float] = []
    try:
        for round_ in range(ROUNDS):
            if round_ % 3 == 2:  # the cell is emptied: this round the writers race to insert it
                editing.set_stocks(project, [StockEdit(REGION, YEAR, RESOURCE, "0101", None, value(project, "0101"))])
            seen, other_seen = value(project, "0101"), value(project, "0301")
            for k in range(SAME_CELL):
                tasks[k].put((round_, "0101", 1000.0 * round_ + k + 1.25, seen))
            tasks[SAME_CELL].put((round_, "0301", 500.0 + round_, other_seen))
            outcomes = [results.get(timeout=180) for _ in range(writers)]
            errors = [o[5] for o in outcomes if o[4] == "error"]
            assert not errors, errors[0]
            same = [o for o in outcomes if o[2] == "0101"]
            won = [o for o in same if o[4] == "won"]
            lost = [o for o in same if o[4] == "conflict"]
            assert len(won) == 1 and len(lost) == SAME_CELL - 1, (round_, same)
            winner = won[0][3]
            assert value(project, "0101") == winner  # the winner's value, never a loser's
            for o in lost:  # each loser is told who wrote what, and what they had seen
                assert f"{number_text(winner)} 公顷" in o[5] and current_user() in o[5], o[5]
                assert f"您看到的是 {'空白' if seen is None else number_text(seen) + ' 公顷'}" in o[5], o[5]
                assert ("填入" if seen is None else "改为") in o[5] and "您的修改未保存" in o[5]
            other = [o for o in outcomes if o[2] == "0301"]
            assert [o[4] for o in other] == ["won"] and value(project, "0301") == 500.0 + round_  # no false conflict
            winners.append(winner)
            tally.update(won=1, conflicts=len(lost), inserts=int(seen is None),
                         races=sum(o[6] for o in outcomes))
    finally:
        for queue in tasks:
            queue.put(None)
        for process in processes:
            process.join(timeout=60)
    assert all(p.exitcode == 0 for p in processes)
    # The change log of the cell is one unbroken chain: each entry starts where the last ended,
    # and its edits are exactly the winners' values (plus the test's own clearing of the cell).
    log = cell_log(project, "0101")[log_before:]
    assert [new for _, new in log if new is not None] == winners
    assert len(log) == ROUNDS + ROUNDS // 3
    assert all(old == previous_new for (old, _), (_, previous_new) in zip(log[1:], log, strict=False))
    assert value(project, "0101") == winners[-1] == log[-1][1]
    backend = project.store.engine.dialect.name
    project.close()
    print(f"\nconcurrency[{backend}]: {ROUNDS} rounds × {SAME_CELL} writers of one cell (+1 of another cell): "
          f"{tally['won']} won, {tally['conflicts']} ConflictErrors, {tally['inserts']} rounds racing to insert, "
          f"{tally['races']} writes caught by the row version/unique key and re-checked, lost updates 0")
    assert tally == Counter(won=ROUNDS, conflicts=ROUNDS * (SAME_CELL - 1), inserts=ROUNDS // 3,
                            races=tally["races"])


# --- what the user saw ------------------------------------------------------------------------------

def test_a_cell_changed_since_it_was_shown_is_refused_with_who_when_and_what(store_url: str,
                                                                              tmp_path: Path) -> None:
    project = seeded(store_url, tmp_path)
    other = Project.open(store_url)  # another window, or another client of the server
    try:
        editing.set_stock(other, REGION, YEAR, RESOURCE, "0101", 1234.5)
        before = snapshot(project)
        with pytest.raises(ConflictError) as exc:
            editing.set_stocks(project, [StockEdit(REGION, YEAR, RESOURCE, "0101", 1200.0, 600.0)])
        assert snapshot(project) == before
        at = rows(project, "SELECT at FROM change_log ORDER BY id DESC")[0][0]
        when = dt.datetime.fromisoformat(at) if isinstance(at, str) else at  # SQLite gives text
        assert exc.value.message == (
            f"2021 年「0101 水田」（990001）已被 {current_user()} 于 {when:%Y年%m月%d日 %H:%M} 改为 1,234.50 公顷"
            "（您看到的是 600.00 公顷），您的修改未保存。请按最新数据核对后重新输入。")
        assert "was changed to 1,234.50 公顷" in exc.value.message_en
        # an import's value names the import; an emptied cell and a filled one say so
        with pytest.raises(ConflictError, match="导入「stocks.csv」时改为 600.00 公顷（您看到的是 1.00 公顷）"):
            editing.set_stocks(project, [StockEdit(REGION, 2020, RESOURCE, "0101", 2.0, 1.0)])
        editing.set_stock(other, REGION, 2020, RESOURCE, "0301", None)
        with pytest.raises(ConflictError, match="清空（您看到的是 400.00 公顷）"):
            editing.set_stocks(project, [StockEdit(REGION, 2020, RESOURCE, "0301", 401.0, 400.0)])
        with pytest.raises(ConflictError, match="填入 1,234.50 公顷（您看到的是 空白）"):
            editing.set_stocks(project, [StockEdit(REGION, YEAR, RESOURCE, "0101", 5.0, None)])
        # what the user saw is what is stored: the edit goes through, and its undo expects it
        undo = editing.set_stocks(project, [StockEdit(REGION, YEAR, RESOURCE, "0101", 1300.0, 1234.5)])
        assert undo == [StockEdit(REGION, YEAR, RESOURCE, "0101", 1234.5, 1300.0)]
        assert value(project, "0101") == 1300.0
    finally:
        other.close()
        project.close()


def test_a_batch_with_one_stale_cell_writes_nothing(store_url: str, tmp_path: Path) -> None:
    project = seeded(store_url, tmp_path)
    try:
        editing.set_stock(project, REGION, YEAR, RESOURCE, "0301", 450.0)  # someone else, meanwhile
        before = snapshot(project)
        batch = [StockEdit(REGION, YEAR, RESOURCE, "0101", 601.0, 600.0),
                 StockEdit(REGION, YEAR, RESOURCE, "0301", 401.0, 400.0),
                 StockEdit(REGION, 2020, RESOURCE, "0301", 402.0, 300.0)]
        with pytest.raises(ConflictError) as exc:
            editing.set_stocks(project, batch)
        assert snapshot(project) == before
        assert "另有 1 处也已被他人修改" in exc.value.message and len(exc.value.issues) == 2
        assert "2020 年「0301" in str(exc.value)
    finally:
        project.close()


def test_undo_after_someone_else_changed_the_cell_is_refused(store_url: str, tmp_path: Path) -> None:
    project = seeded(store_url, tmp_path)
    other = Project.open(store_url)
    try:
        undo = editing.set_stocks(project, [StockEdit(REGION, YEAR, RESOURCE, "0101", 610.0, 600.0)])
        editing.set_stock(other, REGION, YEAR, RESOURCE, "0101", 620.0)
        with pytest.raises(ConflictError, match="改为 620.00 公顷（您看到的是 610.00 公顷）"):
            editing.set_stocks(project, undo)
        assert value(project, "0101") == 620.0  # the other user's value stays
        # undo of a flow value, and of an added flow someone else deleted
        flow = editing.add_flow(project, FlowRecord(REGION, YEAR, RESOURCE, "0101", "0301", "ECO", 5.0))
        assert editing.set_flow_value(project, flow.id, 6.0, expected=flow) == 5.0
        editing.set_flow_value(other, flow.id, 7.0)
        with pytest.raises(ConflictError, match=r"变动记录「0101→0301 ECO」（990001）已被 .* 改为 7.00 公顷"):
            editing.set_flow_value(project, flow.id, 5.0, expected=FlowRecord(**{**flow.__dict__, "value": 6.0}))
        editing.delete_flow(other, flow.id)
        with pytest.raises(ConflictError, match="删除"):
            editing.delete_flow(project, flow.id, expected=FlowRecord(**{**flow.__dict__, "value": 7.0}))
        with pytest.raises(UserError, match="不存在"):  # blind (CLI): the old message
            editing.delete_flow(project, flow.id)
        # a reused id holding another record is not the record the user saw
        again = editing.add_flow(other, FlowRecord(REGION, YEAR, RESOURCE, "0301", "0101", "ECO", 7.0))
        if project.store.is_sqlite:  # SQLite gives the new row the id of the deleted last one
            assert again.id == flow.id
            with pytest.raises(ConflictError, match="删除"):
                editing.set_flow_value(project, flow.id, 1.0, expected=FlowRecord(**{**flow.__dict__, "value": 7.0}))
    finally:
        other.close()
        project.close()


def test_a_finding_changed_since_it_was_shown_is_refused(store_url: str, tmp_path: Path) -> None:
    project = seeded(store_url, tmp_path)
    other = Project.open(store_url)
    try:
        audit = open_audit(project, "OLD001", "following")
        finding = add_finding(project, audit, 4, "虚构问题：耕地减少", "一般", "直接责任", amount=10.0, unit="公顷")
        decide(other, finding, "rejected", severity="较严重")
        before = snapshot(project)
        with pytest.raises(ConflictError) as exc:
            decide(project, finding, "accepted", expected={"status": "accepted", "severity": "一般"},
                   severity="后果严重")
        assert snapshot(project) == before
        assert re.search(r"问题 \d+「虚构问题：耕地减少」已被 .* 于 .* 修改（状态现为「已否决」，您看到的是「已确认」；"
                         r"严重程度现为「较严重」，您看到的是「一般」）", exc.value.message), exc.value.message
        decide(project, finding, "accepted", expected={"status": "rejected", "severity": "较严重", "amount": 10.0},
               severity="后果严重")
        assert rows(project, f"SELECT status, severity FROM finding WHERE id = {finding}") == [("accepted", "后果严重")]
        decide(project, finding, "rejected", expected=UNCHECKED)  # the CLI: no expectation
    finally:
        other.close()
        project.close()


# --- the row version -----------------------------------------------------------------------------------

VERSIONED = [
    (Stock, lambda s: s.scalars(select(Stock).where(Stock.item == "0101", Stock.year == YEAR)).one(),
     lambda row: setattr(row, "value", 1.0)),
    (Period, lambda s: s.get(Period, (REGION, YEAR)), lambda row: setattr(row, "note", "x")),  # composite key
    (Flow, lambda s: s.scalars(select(Flow)).one(), lambda row: setattr(row, "value", 1.0)),
    (Finding, lambda s: s.scalars(select(Finding).order_by(Finding.id)).first(),
     lambda row: setattr(row, "severity", "较严重")),
]


@pytest.mark.parametrize(("model", "load", "change"), VERSIONED, ids=[m.__tablename__ for m, _, _ in VERSIONED])
@pytest.mark.parametrize("deleting", [False, True], ids=["update", "delete"])
def test_a_write_between_read_and_write_is_caught_by_the_row_version(store_url: str, tmp_path: Path, model: type,
                                                                     load, change, deleting: bool) -> None:  # noqa: ANN001
    project = seeded(store_url, tmp_path)
    other = Project.open(store_url)
    try:
        editing.add_flow(project, FlowRecord(REGION, YEAR, RESOURCE, "0101", "0301", "ECO", 5.0))
        add_finding(project, open_audit(project, "OLD001", "following"), 4, "问题", "一般", "直接责任")
        with pytest.raises(ConflictError) as exc, project.store.session() as mine:
            row = load(mine)  # read …
            assert row.version == 1
            with other.store.session() as theirs:  # … someone else commits …
                change(load(theirs))
            if deleting:  # … and our write finds the version moved on
                mine.delete(row)
            else:
                change(row)
        assert isinstance(exc.value.__cause__, StaleDataError)
        with project.store.session() as s:
            assert load(s).version == 2  # theirs, kept
    finally:
        other.close()
        project.close()


@pytest.mark.postgresql
def test_postgresql_an_edit_that_loses_the_race_after_its_check_is_rechecked(pg_url: str, tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """On the server the edit's read does not lock: another client may commit after our check and
    before our UPDATE. The version check catches it, the edit runs again and now explains the conflict."""
    project = seeded(pg_url, tmp_path)
    other = Project.open(pg_url)
    real = editing.same_number
    calls = []

    def interleaved(stored: float | None, seen: float | None) -> bool:
        calls.append((stored, seen))
        if len(calls) == 1:  # right after our read: the other client commits its edit
            editing.set_stocks(other, [StockEdit(REGION, YEAR, RESOURCE, "0101", 777.0)])
        return real(stored, seen)

    monkeypatch.setattr(editing, "same_number", interleaved)
    try:
        with pytest.raises(ConflictError, match="改为 777.00 公顷（您看到的是 600.00 公顷）"):
            editing.set_stocks(project, [StockEdit(REGION, YEAR, RESOURCE, "0101", 650.0, 600.0)])
        assert calls[:2] == [(600.0, 600.0), (777.0, 600.0)]  # checked, lost at the UPDATE, re-read
        assert value(project, "0101") == 777.0
        assert [new for _, new in cell_log(project, "0101")] == [777.0]
    finally:
        other.close()
        project.close()


def test_a_year_cannot_be_locked_between_an_edits_check_and_its_write(store_url: str, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The edit's lock check holds: SQLite's write lock, or FOR SHARE on the year's row on the
    server, makes a concurrent 结账 wait until the edit has committed (then it locks the year)."""
    project = seeded(store_url, tmp_path)
    other = Project.open(store_url)
    real = editing.refuse_locked
    locker: dict[str, object] = {}

    def check_then_someone_locks(session, keys) -> None:  # noqa: ANN001
        real(session, keys)
        if "thread" not in locker:
            thread = threading.Thread(target=lambda: locker.update(
                state=editing.lock_year(other, REGION, YEAR, "结账")))
            locker["thread"] = thread
            thread.start()
            thread.join(1.0)
            locker["waited"] = thread.is_alive()  # still waiting for our edit to finish

    monkeypatch.setattr(editing, "refuse_locked", check_then_someone_locks)
    try:
        editing.set_stocks(project, [StockEdit(REGION, YEAR, RESOURCE, "0101", 601.0, 600.0)])
        locker["thread"].join(30)  # type: ignore[attr-defined]
        assert locker["waited"] is True and locker["state"].locked  # type: ignore[attr-defined]
        assert value(project, "0101") == 601.0  # the edit, committed before the year was locked
        monkeypatch.setattr(editing, "refuse_locked", real)
        with pytest.raises(LockedYearError):
            editing.set_stocks(project, [StockEdit(REGION, YEAR, RESOURCE, "0101", 602.0, 601.0)])
    finally:
        other.close()
        project.close()


# --- another program holding the lock ----------------------------------------------------------------

def test_a_writer_blocked_past_the_lock_timeout_gets_a_clear_message(store_url: str, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    seeded(store_url, tmp_path).close()
    monkeypatch.setattr(db, "LOCK_TIMEOUT_MS", 300)
    project = Project.open(store_url)
    holder = create_engine(db.database_url(store_url))
    try:
        with holder.connect() as conn:
            if holder.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")  # e.g. an import running in another window
            else:
                conn.exec_driver_sql("SELECT 1 FROM stock WHERE item = '0101' AND year = 2021 FOR UPDATE")
            before = snapshot(project)
            with pytest.raises(DatabaseBusy, match="稍后重试"):
                editing.set_stocks(project, [StockEdit(REGION, YEAR, RESOURCE, "0101", 1.0, 600.0)])
            assert snapshot(project) == before
            conn.rollback()
        editing.set_stocks(project, [StockEdit(REGION, YEAR, RESOURCE, "0101", 1.0, 600.0)])  # free again
        assert value(project, "0101") == 1.0
    finally:
        holder.dispose()
        project.close()


# --- schema version 4 ------------------------------------------------------------------------------------

def test_a_version_3_file_migrates_to_row_versions(tmp_path: Path) -> None:
    path = tmp_path / "v3.db"
    with sqlite3.connect(path) as conn:
        conn.executescript((FIXTURES / "schema_v3.sql").read_text(encoding="utf-8"))
    project = Project.open(path)
    try:
        assert SCHEMA_VERSION == 4
        assert rows(project, "SELECT value FROM meta WHERE key = 'schema_version'") == [("4",)]
        for table in ("period", "stock", "flow", "target", "official", "audit", "finding"):
            assert rows(project, f"SELECT DISTINCT version FROM {table}") == [(1,)], table
        assert rows(project, "SELECT item, year, value FROM stock ORDER BY year, item") == [
            ("0101", 2020, 600.0), ("0301", 2020, 400.0), ("0101", 2021, 590.0), ("0301", 2021, 410.0)]
        assert rows(project, "SELECT region_code, year, locked FROM period ORDER BY year") == [
            ("990001", 2020, 1), ("990001", 2021, 0)]
        assert len(rows(project, "SELECT id FROM finding")) == 3
        assert len(rows(project, "SELECT parcel_id FROM parcel")) == 2
        assert len(rows(project, "SELECT id FROM change_log")) == 11
        with pytest.raises(UserError, match="已结账锁定"):  # the lock survived
            editing.set_stock(project, "990001", 2020, "land", "0101", 1.0)
        editing.set_stocks(project, [StockEdit("990001", 2021, "land", "0101", 595.0, 590.0)])
        assert rows(project, "SELECT value, version FROM stock WHERE year = 2021 AND item = '0101'") == [(595.0, 2)]
        with pytest.raises(ConflictError):
            editing.set_stocks(project, [StockEdit("990001", 2021, "land", "0101", 596.0, 590.0)])
    finally:
        project.close()
    backups = list(tmp_path.glob("v3.backup-*-v3.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:  # the backup is the untouched version-3 file
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("3",)
        assert "version" not in [r[1] for r in conn.execute("PRAGMA table_info(stock)")]
