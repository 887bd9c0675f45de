"""``history``, ``lock``, ``unlock``, ``backup`` and ``restore``: the trail and the safety of a project."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from balancesheet.cli.output import render, to_csv, to_json
from balancesheet.errors import UserError


def register(add: Callable[[str, Any, str], argparse.ArgumentParser],
             machine: Callable[[argparse.ArgumentParser], None],
             region_year: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the commands through the parser factory ``add`` (name, function, help); ``machine`` and
    ``region_year`` add the options every command shares (--csv/--json; db, --region, --year)."""
    p = add("history", cmd_history, "修改记录：谁、何时、改了什么（旧值 → 新值）/ the change log")
    p.add_argument("db")
    p.add_argument("--region", help="只看该区划 / only this region")
    p.add_argument("--year", type=int, help="只看该年度 / only this year")
    p.add_argument("--entity", help="只看一类：stock flow target finding audit official period region parcel catalog")
    p.add_argument("--user", help="只看该用户 / only this user")
    p.add_argument("--since", type=_date, help="起始日期 YYYY-MM-DD（含）/ from this date")
    p.add_argument("--until", type=_date, help="截止日期 YYYY-MM-DD（含）/ up to this date")
    p.add_argument("--limit", type=int, default=None, help="最多显示条数（最新的）/ newest N entries")
    machine(p)

    p = add("lock", cmd_lock, "年度结账锁定：锁定后不能修改或导入 / lock (结账) a year")
    region_year(p)
    p.add_argument("--note", default="", help="备注（记入修改记录）/ note, logged")

    p = add("unlock", cmd_unlock, "解锁已结账年度（须说明原因，记入修改记录）/ unlock a year, with a reason")
    region_year(p)
    p.add_argument("--reason", required=True, help="解锁原因 / why (logged with your user name)")

    p = add("backup", cmd_backup, "在线备份项目（程序运行时也可用）/ consistent backup copy of a project")
    p.add_argument("db")
    p.add_argument("destination", nargs="?", type=Path,
                   help="备份文件或目录（默认：项目旁，文件名带日期时间）/ file or folder")

    p = add("restore", cmd_restore, "从备份恢复项目（先保留当前文件的副本）/ restore a project from a backup")
    p.add_argument("backup", type=Path)
    p.add_argument("db", type=Path)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD：{text}") from exc


def _opened(db: str) -> Any:
    from balancesheet.cli.commands import _opened as opened

    return opened(db)


def cmd_history(args: argparse.Namespace) -> int:
    """Print the change log, newest first, filtered."""
    from balancesheet.trail import history

    with _opened(args.db) as project:
        entries = history(project, args.region, args.year, args.entity, args.user, args.since, args.until,
                          args.limit)
    if args.json:
        print(to_json([e.to_json() for e in entries]))
        return 0
    headers = ["编号", "时间", "用户", "操作", "对象", "旧值", "新值", "导入文件"]
    rows = [[str(e.id), f"{e.at:%Y-%m-%d %H:%M:%S}", e.user, e.what(), e.key_text(), e.old_text(),
             e.new_text(), e.file or ""] for e in entries]
    if args.csv:
        print(to_csv(headers, rows), end="")
        return 0
    if not rows:
        print("没有符合条件的修改记录 / no entries")
        return 0
    clipped = [[c if len(c) <= 60 else c[:59] + "…" for c in r] for r in rows]
    print(render(headers, clipped, [True] + [False] * 7))
    print(f"共 {len(rows)} 条（最新在前；完整内容用 --json 或 --csv）/ {len(rows)} entries, newest first")
    return 0


def cmd_lock(args: argparse.Namespace) -> int:
    """Lock a year."""
    from balancesheet.editing import lock_year

    with _opened(args.db) as project:
        state = lock_year(project, args.region, args.year, args.note)
    print(f"已结账锁定：{args.region} {args.year} 年（{state.locked_by}）/ locked")
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    """Unlock a year with a reason."""
    from balancesheet.editing import unlock_year

    with _opened(args.db) as project:
        unlock_year(project, args.region, args.year, args.reason)
    print(f"已解锁：{args.region} {args.year} 年；原因已记入修改记录 / unlocked, reason logged")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """Write a consistent copy of the project (it may be open in the desktop app meanwhile)."""
    from balancesheet.backup import backup_project, default_backup_name

    with _opened(args.db) as project:
        destination = args.destination
        if destination is None:
            destination = Path(project.store.location).parent
        if destination.is_dir():
            destination = destination / default_backup_name(project.store.location)
        written = backup_project(project, destination)
    print(f"已备份到 / backup written: {written}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore a project file from a backup, keeping a copy of the current file."""
    from balancesheet.backup import restore_backup

    if "://" in str(args.db):
        raise UserError("服务器上的项目（PostgreSQL）请由管理员用 pg_restore 恢复。",
                        "Restore a PostgreSQL project with pg_restore.")
    safety = restore_backup(args.backup, args.db)
    print(f"已从 {args.backup} 恢复 {args.db} / restored")
    if safety is not None:
        print(f"恢复前的文件保存为 / the previous file was kept as: {safety}")
    return 0
