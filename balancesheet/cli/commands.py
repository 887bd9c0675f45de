"""The subcommands. Heavy modules (pandas, SQLAlchemy) are imported inside each command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from balancesheet.cli.output import number, render, to_csv, to_json
from balancesheet.errors import UserError

SAMPLE_REGION = "990121"


def register(sub: Any) -> None:
    """Add every subcommand to ``sub``."""
    def add(name: str, func: Any, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    p = add("init", cmd_init, "创建空项目数据库 / create an empty project database")
    p.add_argument("db", help="项目文件路径（.db）或 postgresql:// 地址")

    p = add("demo", cmd_demo, "创建包含虚构示例县数据的项目 / create a project holding the sample county")
    p.add_argument("db")
    p.add_argument("--force", action="store_true", help="覆盖已存在的文件 / overwrite an existing file")

    p = add("info", cmd_info, "项目概况：区划、年度、资源、领导干部、审计 / what the project holds")
    p.add_argument("db")
    p.add_argument("--json", action="store_true")

    p = add("import", cmd_import, "导入数据文件（CSV/XLSX）/ import files (creates DB if missing)")
    p.add_argument("db")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--kind", choices=["regions", "stocks", "flows", "land_changes", "parcels", "targets", "officials",
                                      "wide"],
                   help="数据类型（默认按表头识别）/ kind of table (default: from the header)")
    p.add_argument("--sheet", help="XLSX 工作表名 / worksheet name")
    p.add_argument("--region", help="存量及变动表未写明区划时使用的区划代码 / region of a wide table that does not say")
    p.add_argument("--year", type=int, help="存量及变动表未写明年度时使用的年度 / year of a wide table that does not say")
    p.add_argument("--replace", action="store_true",
                   help="替换已导入的相同文件或同类变动记录 / replace an earlier import")
    p.add_argument("--classification", "--crosswalk", dest="classification", choices=["2007", "2017"],
                   help="土地编码体系：2007 = 二调（GB/T 21010-2007，按对照表换算为三调），2017 = 三调；默认自动识别"
                        " / land codes: 2007 (二调, crosswalked) or 2017 (三调); default: detect")
    p.add_argument("--split", action="append", default=[], metavar="OLD=NEW[:SHARE],…",
                   help="二调拆分地类的去向，如 031=0301 或 031=0301:0.8,0302:0.2（可重复）"
                        " / target or shares of a split 2007 class (repeatable)")
    p.add_argument("--split-file", type=Path, metavar="FILE",
                   help="拆分比例表（CSV/XLSX：二调地类, 三调地类, 比例）/ table of split shares")

    p = add("check", cmd_check, "校验平衡关系、连续性与跨资源一致性 / run the checks")
    _region_year(p)
    p.add_argument("--tolerance", type=float, default=None, help="容差（默认 0.02）/ tolerance")
    p.add_argument("--json", action="store_true")

    p = add("table", cmd_table, "存量及变动表 / stock and change table")
    _region_year(p)
    p.add_argument("--resource", required=True, help="land/forest/water/wetland 或 土地/森林/水资源/湿地")
    p.add_argument("--from", dest="year_from", type=int,
                   help="跨年度：从该年末起（默认上一年）/ span start (default year-1)")
    _machine(p)

    p = add("matrix", cmd_matrix, "土地利用转移矩阵 / land transition matrix")
    p.add_argument("db")
    p.add_argument("--region", required=True)
    p.add_argument("--from", dest="year_from", type=int, required=True, help="起始年度（该年末）")
    p.add_argument("--to", dest="year_to", type=int, required=True, help="截止年度（该年末）")
    p.add_argument("--level", type=int, choices=[1, 2], default=1, help="地类级别 1=一级类 2=二级类")
    _machine(p)

    p = add("parcels", cmd_parcels, "图斑：生成存量、两期对比生成变更记录和转移矩阵 / parcel snapshots")
    p.add_argument("db")
    p.add_argument("--region", required=True, help="6 位区划代码 / 6-digit region code")
    p.add_argument("--year", type=int, help="一期图斑的年度 / the snapshot's year")
    p.add_argument("--from", dest="year_from", type=int, help="对比：前一期图斑的年度 / first snapshot")
    p.add_argument("--to", dest="year_to", type=int, help="对比：后一期图斑的年度 / second snapshot")
    p.add_argument("--derive-stocks", action="store_true",
                   help="由图斑生成该年（或 --from/--to 两年）年末的土地存量 / set the year's land stocks")
    p.add_argument("--derive-changes", action="store_true",
                   help="把两期之间的地类变化记为 --to 年的土地变更记录 / book the changes in --to's year")
    p.add_argument("--cause", default="NA", help="变更记录的原因（默认 NA 未注明原因）/ cause of the changes")
    p.add_argument("--replace", action="store_true", help="替换这些年度已有的土地变更记录 / replace them")
    p.add_argument("--matrix", action="store_true", help="两期叠加的转移矩阵 / the exact transition matrix")
    p.add_argument("--level", type=int, choices=[1, 2], default=1, help="矩阵地类级别 1=一级类 2=二级类")
    p.add_argument("--json", action="store_true", help="输出 JSON / print JSON")

    p = add("export", cmd_export, "按交换格式导出数据（CSV/XLSX）/ export tidy tables")
    p.add_argument("db")
    p.add_argument("--kind", required=True, choices=["stocks", "flows", "land_changes"])
    p.add_argument("--region", help="只导出该区划 / only this region")
    p.add_argument("-o", "--output", required=True, type=Path, help="输出文件 .csv 或 .xlsx")

    p = add("extend", cmd_extend, "向项目加入账户目录扩展（TOML）/ add a catalog extension")
    p.add_argument("db")
    p.add_argument("file", type=Path)

    p = add("sheet", cmd_sheet, "自然资源资产负债表报告（Excel，可选 PDF）/ balance-sheet report")
    _region_year(p)
    p.add_argument("-o", "--output", required=True, type=Path, help="输出工作簿 .xlsx")
    p.add_argument("--pdf", type=Path, help="同时输出 PDF / also write a PDF")
    p.add_argument("--from", dest="year_from", type=int, help="跨年度报告的起始年末（默认上一年）")
    p.add_argument("--template", type=Path, help="使用指定的模板文件 / template file")
    p.add_argument("--template-dir", type=Path, help="用户模板目录（同名文件覆盖内置模板）")
    p.add_argument("--filing-unit", default="", help="填报单位（默认区划名称）")
    p.add_argument("--head", default="", help="负责人")
    p.add_argument("--preparer", default="", help="填表人")
    p.add_argument("--date", help="报出日期 YYYY-MM-DD（默认今天）")

    p = add("template-check", cmd_template_check,
            "检查修改过的报表模板（有错误时退出码为 1）/ check an edited template")
    p.add_argument("file", type=Path)
    p.add_argument("--names", action="store_true", help="列出可用的占位符名称 / list placeholder names")
    p.add_argument("--kind", choices=["balance_sheet", "audit"],
                   help="模板用于哪种报告（默认按工作表识别）/ which report the template is for")

    p = add("audit", cmd_audit, "领导干部自然资源资产离任（任中）审计报告 / departure audit report")
    p.add_argument("db")
    p.add_argument("--official", required=True, help="领导干部编号 / official id")
    p.add_argument("-o", "--output", required=True, type=Path, help="输出工作簿 .xlsx")
    p.add_argument("--pdf", type=Path, help="同时输出 PDF")
    p.add_argument("--end-rule", choices=["previous", "nearest", "following"], default="previous",
                   help="任期末取哪个年末：previous 任职止之前最近的年末（默认）/ nearest 最近 / following 当年年末")
    p.add_argument("--template", type=Path)
    p.add_argument("--template-dir", type=Path)
    p.add_argument("--date", help="报出日期 YYYY-MM-DD（默认今天）")
    p.add_argument("--new", action="store_true", help="已有定稿审计时另起一份新的审计草稿")

    p = add("official", cmd_official, "修改领导干部信息与任职期间（记入变更日志）/ edit an official")
    p.add_argument("db")
    p.add_argument("id")
    p.add_argument("--name")
    p.add_argument("--post")
    p.add_argument("--start", help="任职起 YYYY-MM-DD")
    p.add_argument("--end", help="任职止 YYYY-MM-DD")
    p.add_argument("--in-office", action="store_true", help="尚在任（清除任职止）")

    p = add("finding", cmd_finding, "审计问题：列出、确认、否决、新增 / audit findings")
    p.add_argument("db")
    p.add_argument("--audit", required=True, type=int)
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--list", action="store_true", help="列出问题")
    g.add_argument("--accept", type=int, nargs="+", metavar="ID", help="确认问题")
    g.add_argument("--reject", type=int, nargs="+", metavar="ID", help="否决问题")
    g.add_argument("--add", action="store_true", help="新增审计人员发现的问题")
    g.add_argument("--edit", type=int, metavar="ID", help="修改问题（并确认），字段用下列选项给出")
    p.add_argument("--area", type=int, choices=range(1, 8), help="审计内容 1–7")
    p.add_argument("--description", default="")
    p.add_argument("--severity", choices=["后果严重", "较严重", "一般"])
    p.add_argument("--responsibility", choices=["直接责任", "领导责任"])
    p.add_argument("--recommendation", default="")
    p.add_argument("--amount", type=float)
    p.add_argument("--unit", default="")
    p.add_argument("--deduction", type=float, help="本问题扣分（覆盖评分方案）")
    p.add_argument("--red-flag", help="重大问题代码（RF1…）")

    p = add("finalise", cmd_finalise, "审计定稿：冻结并生成数据指纹 / finalise (freeze) an audit")
    p.add_argument("db")
    p.add_argument("--audit", required=True, type=int)

    p = add("verify", cmd_verify, "核验定稿审计的数据指纹 / verify a final audit's fingerprint")
    p.add_argument("db")
    p.add_argument("--audit", required=True, type=int)

    from balancesheet.cli.trail import register as register_trail

    register_trail(add, _machine, _region_year)

    p = add("gui", cmd_gui, "桌面程序 / desktop application")
    p.add_argument("db", nargs="?", help="项目文件（省略时打开上次的项目）/ project file (default: the last one)")


def _region_year(p: argparse.ArgumentParser) -> None:
    p.add_argument("db")
    p.add_argument("--region", required=True, help="6 位区划代码 / 6-digit region code")
    p.add_argument("--year", type=int, required=True)


def _machine(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--csv", action="store_true", help="输出 CSV / print CSV")
    g.add_argument("--json", action="store_true", help="输出 JSON / print JSON")


def _open(db: str, create: bool = False) -> Any:
    from balancesheet.project import Project

    project = Project.open(db, create=create)
    for notice in project.store.notices:
        sys.stderr.write(f"提示 / note: {notice}\n")
    return project


@contextmanager
def _opened(db: str, create: bool = False) -> Iterator[Any]:
    """The project at ``db``, closed afterwards whatever happens."""
    project = _open(db, create)
    try:
        yield project
    finally:
        project.close()


def _progress(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def cmd_gui(args: argparse.Namespace) -> int:
    """Start the desktop application (Qt is imported only here, never by the core)."""
    from ui.app import main as gui

    return gui([args.db] if args.db else [])


def cmd_init(args: argparse.Namespace) -> int:
    """Create an empty project."""
    if "://" not in args.db and Path(args.db).exists():
        raise UserError(f"文件已存在：{args.db}", f"File exists: {args.db}")
    _open(args.db, create=True).close()
    print(f"已创建空项目：{args.db} / created an empty project")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Create a project holding the fictional sample county."""
    from balancesheet.sample import load_sample

    path = Path(args.db)
    if "://" not in args.db and path.exists():
        if not args.force:
            raise UserError(f"文件已存在：{path}（加 --force 覆盖）", f"File exists: {path} (use --force)")
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    with _opened(args.db, create=True) as project:
        if "://" in args.db:  # a server database is never emptied by this tool
            from sqlalchemy import select

            from balancesheet.store.schema import Region

            with project.store.session() as s:
                if s.scalar(select(Region.code).limit(1)) is not None:
                    raise UserError(f"数据库 {project.store.display_name} 已有项目数据，示例县只写入空数据库。",
                                    "The database already holds a project; the sample goes into an empty one.")
        load_sample(project, progress=_progress)
    print(f"已创建示例县项目：{args.db}（区划 {SAMPLE_REGION} 青岚县，虚构）/ sample county created")
    print(f"试试 / try: balancesheet table {args.db} --region {SAMPLE_REGION} --year 2025 --resource land")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    """Regions, years, resources, officials, audits."""
    from balancesheet.info import project_info

    with _opened(args.db) as project:
        info = project_info(project)
    if args.json:
        print(to_json(info))
        return 0
    print(f"项目 / project: {args.db}")
    for r in info["regions"]:
        years = r["years"]
        span = f"{years[0]}–{years[-1]}" if years else "无数据"
        area = f"，土地总面积 {number(r['area_ha'])} 公顷" if r.get("area_ha") else ""
        print(f"  区划 {r['code']} {r['name']}：年度 {span}{area}；资源 {'、'.join(r['resources']) or '无'}")
    print(f"领导干部 / officials: {len(info['officials'])}")
    for o in info["officials"]:
        print(f"  {o['id']} {o['name']} {o['post']}（{o['region']}）{o['start']} — {o['end'] or '至今'}")
    print(f"审计 / audits: {len(info['audits'])}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import files; each file all-or-nothing."""
    from balancesheet.crosswalk import parse_splits, read_shares
    from balancesheet.importer import import_file, sort_for_import

    splits = parse_splits(args.split)
    if args.split_file:
        given = read_shares(args.split_file)
        twice = sorted(set(given) & set(splits))
        if twice:
            raise UserError(f"二调地类 {'、'.join(twice)} 在 --split 和 --split-file 中都给出了，只能给一次",
                            f"{twice} given both by --split and --split-file")
        splits |= given
    failed = 0
    with _opened(args.db, create=True) as project:
        for path in sort_for_import(project, list(args.files), args.kind):
            _progress(f"正在导入 {path} …")
            try:
                result = import_file(project, path, kind=args.kind, sheet=args.sheet, replace=args.replace,
                                     progress=lambda f, m: _progress(f"  {f:4.0%} {m}") if f < 1 else None,
                                     region=args.region, year=args.year,
                                     classification=args.classification, splits=splits or None)
            except UserError as exc:
                failed += 1
                sys.stderr.write(f"错误 / error: {exc}\n")
                continue
            print(result.summary())
            for note in result.notes:
                print(f"  注：{note}")
    if failed:
        sys.stderr.write(f"{failed} 个文件未导入（其余文件已导入）/ {failed} file(s) not imported\n")
        return 2
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Run the checks; exit 1 when errors are found."""
    from balancesheet.checks import DEFAULT_TOLERANCE, check

    with _opened(args.db) as project:
        tol = DEFAULT_TOLERANCE if args.tolerance is None else args.tolerance
        problems = check(project, args.region, args.year, tol)
    errors = sum(p.severity == "error" for p in problems)
    if args.json:
        print(to_json([p.to_json() for p in problems]))
    else:
        warnings = len(problems) - errors
        if not problems:
            print(f"{args.region} {args.year} 年：校验通过，未发现问题（容差 {tol}）/ all checks passed")
        for p in problems:
            tag = "错误" if p.severity == "error" else "警告"
            where = "/".join(x for x in (p.resource, p.item) if x)
            print(f"[{tag}] {p.kind} {where}：{p.message}")
        if problems:
            print(f"共 {errors} 个错误、{warnings} 个警告 / {errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0


def cmd_table(args: argparse.Namespace) -> int:
    """Print a 存量及变动表."""
    from balancesheet.cli.tables import print_change_table
    from balancesheet.ledger import change_table

    with _opened(args.db) as project:
        project.region(args.region)
        y0 = args.year - 1 if args.year_from is None else args.year_from
        if y0 >= args.year:
            raise UserError("--from 须早于 --year", "--from must be before --year")
        table = change_table(project, args.region, args.resource, y0, args.year)
        print_change_table(project, table, "csv" if args.csv else "json" if args.json else "text")
    return 0


def cmd_matrix(args: argparse.Namespace) -> int:
    """Print a land transition matrix."""
    from balancesheet.cli.tables import print_matrix
    from balancesheet.ledger import transition_matrix
    from balancesheet.parcels import has_snapshots, parcel_matrix

    with _opened(args.db) as project:
        project.region(args.region)
        exact = has_snapshots(project, args.region, args.year_from, args.year_to)  # DESIGN.md §5
        build = parcel_matrix if exact else transition_matrix
        matrix = build(project, args.region, args.year_from, args.year_to, args.level)
        print_matrix(project, matrix, "csv" if args.csv else "json" if args.json else "text")
    return 0


def cmd_parcels(args: argparse.Namespace) -> int:
    """Parcel snapshots: a year's stocks, or two years compared, booked and as a matrix."""
    from balancesheet.cli.parcels import run_parcels

    with _opened(args.db) as project:
        return run_parcels(project, args)


def cmd_export(args: argparse.Namespace) -> int:
    """Export stocks, flows or land changes in the tidy format."""
    from balancesheet.exporter import export_tidy

    with _opened(args.db) as project:
        if args.region:
            project.region(args.region)
        rows = export_tidy(project, args.kind, args.output, args.region)
    print(f"已导出 {rows} 行到 {args.output} / exported {rows} rows")
    return 0


def cmd_sheet(args: argparse.Namespace) -> int:
    """Write the balance-sheet report (xlsx, optionally PDF)."""
    import datetime as dt

    from balancesheet.reports.balance_sheet import SignOff
    from balancesheet.reports.render import balance_sheet_report

    try:
        day = dt.date.fromisoformat(args.date) if args.date else None
    except ValueError as exc:
        raise UserError(f"报出日期应写成 YYYY-MM-DD，而不是「{args.date}」", "--date must be YYYY-MM-DD") from exc
    if args.output.suffix.lower() != ".xlsx":
        raise UserError("输出工作簿应以 .xlsx 结尾", "-o must end in .xlsx")
    sign_off = SignOff(args.filing_unit, args.head, args.preparer, day)
    with _opened(args.db) as project:
        result = balance_sheet_report(project, args.region, args.year, args.output, args.pdf, args.year_from,
                                      sign_off, args.template, args.template_dir, progress=_progress)
    timing = "，".join(f"{k} {v:.2f} 秒" for k, v in result.timings.items())
    print(f"已生成 {result.xlsx}" + (f" 和 {result.pdf}（{result.pages} 页）" if result.pdf else "") + f"（{timing}）")
    for warning in result.warnings:
        sys.stderr.write(f"警告 / warning: {warning}\n")
    return 0


def _template_kind(path: Path) -> str:
    """audit when the workbook has the audit's sheets (or is named so), else balance_sheet."""
    if "audit" in path.stem.lower() or "审计" in path.stem:
        return "audit"
    try:
        import zipfile

        with zipfile.ZipFile(path) as archive:
            workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        return "audit" if "审计评价" in workbook else "balance_sheet"
    except (OSError, KeyError, zipfile.BadZipFile):
        return "balance_sheet"  # check_template reports the unreadable file


def cmd_template_check(args: argparse.Namespace) -> int:
    """Tell a user what is wrong with an edited template; exit 1 when something is."""
    from balancesheet.catalog import load_catalog
    from balancesheet.reports.render import names_for
    from balancesheet.reports.template_check import check_template, format_issues

    kind = args.kind or _template_kind(args.file)
    scalars, tables, sheets = names_for(kind, load_catalog())
    if args.names:
        print("标量 / scalars: " + ", ".join(sorted(scalars)))
        for table, columns in sorted(tables.items()):
            print(f"表 {table}: " + ", ".join(sorted(columns)))
        return 0
    if not args.file.is_file():
        raise UserError(f"文件不存在：{args.file}", f"File not found: {args.file}")
    issues = check_template(args.file, scalars, tables, sheets)
    if not issues:
        print(f"{args.file.name}：模板检查通过 / template OK")
        return 0
    print(format_issues(issues))
    return 1 if any(i.severity == "error" for i in issues) else 0  # warnings alone still pass


def _date(text: str | None) -> object:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError as exc:
        raise UserError(f"日期应写成 YYYY-MM-DD，而不是「{text}」", "dates are YYYY-MM-DD") from exc


def cmd_audit(args: argparse.Namespace) -> int:
    """Open (or continue) the official's audit and write its report."""
    from balancesheet.audit.workflow import open_audit
    from balancesheet.reports.render import audit_report

    if args.output.suffix.lower() != ".xlsx":
        raise UserError("输出工作簿应以 .xlsx 结尾", "-o must end in .xlsx")
    day = _date(args.date)
    with _opened(args.db) as project:
        audit_id = open_audit(project, args.official, args.end_rule, new=args.new)
        result = audit_report(project, audit_id, args.output, args.pdf, args.template, args.template_dir, day,
                              progress=_progress)
    state = result.source
    pending = sum(f["status"] == "proposed" for f in state.findings)
    print(f"审计 {audit_id}（{'定稿' if state.status == 'final' else '草稿'}）：综合得分 {state.score.total:.2f}，"
          f"等次 {state.score.grade}；已生成 {result.xlsx}" + (f" 和 {result.pdf}（{result.pages} 页）" if result.pdf else ""))
    if pending:
        print(f"有 {pending} 条系统提出的问题待确认：balancesheet finding {args.db} --audit {audit_id} --list")
    for warning in result.warnings:
        sys.stderr.write(f"警告 / warning: {warning}\n")
    return 0


def cmd_official(args: argparse.Namespace) -> int:
    """Edit an official's name, post or tenure."""
    from balancesheet.officials import update_official

    fields: dict[str, object] = {k: getattr(args, k) for k in ("name", "post") if getattr(args, k)}
    if args.start:
        fields["start"] = _date(args.start)
    if args.end and args.in_office:
        raise UserError("--end 与 --in-office 不能同时使用", "--end and --in-office exclude each other")
    if args.end:
        fields["end"] = _date(args.end)
    if args.in_office:
        fields["end"] = None
    if not fields:
        raise UserError("没有要修改的内容（--name/--post/--start/--end/--in-office）", "Nothing to change")
    with _opened(args.db) as project:
        update_official(project, args.id, **fields)
    print(f"已修改领导干部 {args.id}：" + "，".join(f"{k}={v}" for k, v in fields.items()))
    return 0


def cmd_finding(args: argparse.Namespace) -> int:
    """List, accept, reject or add audit findings."""
    from balancesheet.audit.workflow import STATUS_ZH, add_finding, compute, decide

    with _opened(args.db) as project:
        if args.accept or args.reject:
            for fid in args.accept or args.reject:
                decide(project, fid, "accepted" if args.accept else "rejected")
            print(f"已{'确认' if args.accept else '否决'}：{', '.join(map(str, args.accept or args.reject))}")
            return 0
        if args.edit is not None:
            fields = {"area": args.area, "description": args.description or None, "severity": args.severity,
                      "responsibility": args.responsibility, "recommendation": args.recommendation or None,
                      "amount": args.amount, "unit": args.unit or None, "deduction": args.deduction,
                      "red_flag": args.red_flag}
            edits = {k: v for k, v in fields.items() if v is not None}
            if not edits:
                raise UserError("没有要修改的字段（--description/--severity/--responsibility …）", "Nothing to edit")
            decide(project, args.edit, "accepted", **edits)
            print(f"已修改并确认问题 {args.edit}：" + "，".join(edits))
            return 0
        if args.add:
            if args.area is None or not args.description:
                raise UserError("新增问题须给出 --area 和 --description", "--add needs --area and --description")
            fid = add_finding(project, args.audit, args.area, args.description, args.severity or "一般",
                              args.responsibility or "领导责任", args.recommendation, args.amount, args.unit,
                              args.deduction, args.red_flag)
            print(f"已新增问题 {fid}")
            return 0
        state = compute(project, args.audit)
    rows = [[str(f["id"]), str(f["area"]), STATUS_ZH[f["status"]], f["severity"], f["responsibility"],
             f["description"][:60]] for f in state.findings]
    print(render(["编号", "内容", "状态", "严重程度", "责任", "问题"], rows, [True, True, False, False, False, False]))
    return 0


def cmd_finalise(args: argparse.Namespace) -> int:
    """Freeze an audit and print its fingerprint."""
    from balancesheet.audit.workflow import finalise

    with _opened(args.db) as project:
        digest = finalise(project, args.audit)
    print(f"审计 {args.audit} 已定稿，数据指纹 SHA-256：{digest}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    """Recompute a final audit's fingerprint from the database; exit 1 when it differs."""
    from balancesheet.audit.workflow import verify

    with _opened(args.db) as project:
        ok, stored, now = verify(project, args.audit)
    if ok:
        print(f"核验通过：审计 {args.audit} 的数据与定稿时一致（{stored}）/ verified")
        return 0
    print(f"核验失败：审计 {args.audit} 定稿后数据已被改动！\n  定稿指纹 {stored}\n  当前指纹 {now}\n"
          "Verification FAILED: the data changed after the audit was finalised.")
    return 1


def cmd_extend(args: argparse.Namespace) -> int:
    """Validate and store a catalog extension."""
    with _opened(args.db) as project:
        if not args.file.is_file():
            raise UserError(f"文件不存在：{args.file}", f"File not found: {args.file}")
        project.add_extension(args.file)
    print(f"已加入目录扩展：{args.file.name} / catalog extension added")
    return 0


__all__ = ["render", "to_csv"]
