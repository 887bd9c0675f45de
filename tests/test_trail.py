"""The trail: every change logged (who, when, old → new), shown by ``balancesheet history``;
locked years refused through the command line; backups written while in use and restored."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from conftest import rows, snapshot, write_csv

from balancesheet import editing
from balancesheet.audit import workflow
from balancesheet.backup import backup_project, check_backup, restore_backup
from balancesheet.cli import main
from balancesheet.editing import FlowRecord
from balancesheet.errors import UserError
from balancesheet.importer import import_file
from balancesheet.officials import update_official
from balancesheet.project import Project
from balancesheet.trail import history

R = "990121"


def run(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


def _stock(project: Project, year: int, item: str) -> float:
    return rows(project, f"SELECT value FROM stock WHERE region_code = '{R}' AND year = {year} "
                         f"AND resource = 'land' AND item = '{item}'")[0][0]


def test_every_kind_of_change_is_in_the_history_with_old_and_new(backend_sample_project: Project,
                                                                 tmp_path: Path) -> None:
    p = backend_sample_project  # on SQLite and on PostgreSQL
    start = len(history(p))
    old_0101 = _stock(p, 2023, "0101")
    editing.set_stock(p, R, 2023, "land", "0101", old_0101 + 12.5)
    added = editing.add_flow(p, FlowRecord(R, 2023, "forest", None, "F11", "AFF", 3.0))
    editing.set_flow_value(p, added.id, 4.0)  # type: ignore[arg-type]
    editing.delete_flow(p, added.id)  # type: ignore[arg-type]
    targets = write_csv(tmp_path / "t.csv", ["region", "indicator", "year_from", "year_to", "op", "value", "binding"],
                        [[R, "CULT", 2021, 2025, ">=", "56800", "yes"]])
    import_file(p, targets)
    update_official(p, "GL001", post="县委书记（已调任）")
    audit = workflow.open_audit(p, "GL001")
    finding = rows(p, f"SELECT MIN(id) FROM finding WHERE audit_id = {audit}")[0][0]
    workflow.decide(p, finding, "accepted")

    entries = history(p)
    assert len(entries) - start >= 9
    new = entries[: len(entries) - start]
    assert [e.id for e in entries] == sorted((e.id for e in entries), reverse=True)  # newest first
    by = {(e.action, e.entity): e for e in new}
    stock = by[("edit", "stock")]
    assert stock.old == old_0101 and stock.new == old_0101 + 12.5
    assert stock.key == {"region_code": R, "year": 2023, "resource": "land", "item": "0101"}
    assert by[("add", "flow")].new["to_item"] == "F11"
    edit = by[("edit", "flow")]
    assert (edit.old, edit.new) == (3.0, 4.0) and edit.key["year"] == 2023  # placed by region and year
    assert by[("delete", "flow")].old["value"] == 4.0
    target = by[("update", "target")]
    assert target.old["value"] == 56730.0 and target.new["value"] == 56800.0 and target.file == "t.csv"
    assert by[("update", "official")].new["post"] == "县委书记（已调任）"
    assert by[("update", "finding")].new["status"] == "accepted"
    assert by[("create", "audit")].new == {"official": "GL001"}
    assert all(e.user for e in new) and all(abs((e.at - dt.datetime.now()).total_seconds()) < 120 for e in new)

    # filters
    in_2023 = history(p, region=R, year=2023)
    assert {("edit", "stock"), ("add", "flow"), ("edit", "flow"), ("delete", "flow")} <= {
        (e.action, e.entity) for e in in_2023}
    assert all(e.key.get("year", 2023) == 2023 for e in in_2023 if isinstance(e.key, dict))
    assert ("edit", "stock") not in {(e.action, e.entity) for e in history(p, region=R, year=2022)}
    assert {e.entity for e in history(p, entity="flow")} <= {"flow", "flows", "land_changes"}
    assert {e.entity for e in history(p, entity="stock")} == {"stock", "stocks"}  # edits and imports
    assert history(p, user="nobody-here") == []
    assert history(p, until=dt.date.today() - dt.timedelta(days=1)) == []
    assert len(history(p, since=dt.date.today())) == len(entries)
    assert len(history(p, limit=3)) == 3
    assert ("update", "finding") in {(e.action, e.entity) for e in history(p, region=R, year=2020)}  # its audit
    with pytest.raises(UserError, match="未知的类别"):
        history(p, entity="stocks-and-more")


def test_the_change_log_cannot_be_rewritten(sample_project: Project) -> None:
    with closing(sqlite3.connect(sample_project.store.location)) as conn:
        for sql in ("UPDATE change_log SET new = '0' WHERE id = 1", "DELETE FROM change_log WHERE id = 1"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute(sql)


def test_history_command_shows_who_when_and_why(sample_db: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    db = shutil.copy(sample_db, tmp_path / "c.db")
    assert run(["lock", str(db), "--region", R, "--year", "2024", "--note", "年报已报送"]) == 0
    stocks = write_csv(tmp_path / "s.csv", ["region", "year", "resource", "item", "value", "unit"],
                       [[R, 2024, "land", "0101", "1", "公顷"]])
    with Project.open(db) as project:
        before = snapshot(project)
    assert run(["import", str(db), str(stocks)]) != 0  # the locked year refuses the command-line import
    assert "unlock" in capsys.readouterr().err.lower()
    with Project.open(db) as project:
        assert snapshot(project) == before
    assert run(["unlock", str(db), "--region", R, "--year", "2024"]) == 2  # --reason is required
    assert run(["unlock", str(db), "--region", R, "--year", "2024", "--reason", "更正耕地面积"]) == 0
    capsys.readouterr()
    assert run(["history", str(db), "--region", R, "--year", "2024", "--entity", "period"]) == 0
    out = capsys.readouterr().out
    assert "解锁年度" in out and "更正耕地面积" in out and "结账锁定年度" in out and "年报已报送" in out
    assert run(["history", str(db), "--entity", "period", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert [e["action"] for e in entries] == ["unlock", "lock"]
    assert entries[0]["new"]["reason"] == "更正耕地面积" and entries[0]["user"]
    assert run(["history", str(db), "--limit", "2", "--csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("编号,时间,用户,操作") and len(lines) == 3
    assert run(["history", str(db), "--since", "2026-13-01"]) == 2


def test_backup_while_open_and_restore(sample_project: Project, tmp_path: Path) -> None:
    p = sample_project
    copy = backup_project(p, tmp_path / "b.db")
    assert check_backup(copy) >= 1
    before = snapshot(p)
    editing.set_stock(p, R, 2025, "land", "0101", 1.0)  # a change made after the backup
    location = Path(p.store.location)
    safety = restore_backup(copy, location, now=dt.datetime(2026, 11, 24, 9, 30))
    assert safety is not None and safety.name == "sample-恢复前-20261124-093000.db"
    # the project that was open the whole time sees the restored content
    assert snapshot(p) == before
    with Project.open(safety) as previous:
        assert _stock(previous, 2025, "0101") == 1.0  # the restore can itself be undone
    with closing(sqlite3.connect(location)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_restore_refuses_damaged_or_foreign_files_and_changes_nothing(sample_project: Project,
                                                                      tmp_path: Path) -> None:
    location = Path(sample_project.store.location)
    before = snapshot(sample_project)
    good = backup_project(sample_project, tmp_path / "good.db")
    damaged = tmp_path / "damaged.db"
    data = bytearray(good.read_bytes())
    data[len(data) // 2: len(data) // 2 + 4096] = b"\xff" * 4096
    damaged.write_bytes(bytes(data))
    text = tmp_path / "notes.db"
    text.write_text("不是数据库", encoding="utf-8")
    newer = tmp_path / "newer.db"
    shutil.copy(good, newer)
    with closing(sqlite3.connect(newer)) as conn:
        conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
        conn.commit()
    for bad, words in ((damaged, "损坏"), (text, "不是"), (newer, "更新版本"), (tmp_path / "none.db", "不存在")):
        with pytest.raises(UserError, match=words):
            restore_backup(bad, location)
        assert snapshot(sample_project) == before
    assert not list(tmp_path.glob("*恢复前*")) and not list(location.parent.glob("*恢复前*"))


def test_backup_and_restore_commands(sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = shutil.copy(sample_db, tmp_path / "county.db")
    folder = tmp_path / "backups"
    folder.mkdir()
    assert run(["backup", str(db), str(folder)]) == 0
    written = list(folder.glob("county-备份-*.db"))
    assert len(written) == 1 and str(written[0]) in capsys.readouterr().out
    with Project.open(db) as project:
        before = snapshot(project)
        editing.set_stock(project, R, 2025, "land", "0101", 2.0)
    assert run(["restore", str(written[0]), str(db)]) == 0
    assert "恢复前" in capsys.readouterr().out
    with Project.open(db) as project:
        assert snapshot(project) == before
