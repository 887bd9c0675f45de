"""``balancesheet parcels``: a snapshot's stocks, two snapshots compared, booked, as a matrix."""

from __future__ import annotations

import argparse
from typing import Any

from balancesheet.cli.output import number, render, to_json
from balancesheet.errors import UserError


def run_parcels(project: Any, args: argparse.Namespace) -> int:
    """Do what the options ask; print text, or one JSON object with ``--json``."""
    from balancesheet import parcels

    span = args.year_from is not None or args.year_to is not None
    if args.year is not None and span:
        raise UserError("--year 与 --from/--to 不能同时使用", "--year excludes --from/--to")
    if not span and args.year is None:
        raise UserError("请给出 --year Y（一期图斑），或 --from Y0 --to Y1（两期对比）",
                        "give --year, or --from and --to")
    if span and (args.year_from is None or args.year_to is None):
        raise UserError("两期对比需要同时给出 --from 和 --to", "--from and --to go together")
    if not span and (args.derive_changes or args.matrix):
        raise UserError("--derive-changes 和 --matrix 需要两期图斑：--from Y0 --to Y1",
                        "--derive-changes and --matrix need --from and --to")
    project.region(args.region)
    out: dict[str, Any] = {"region": args.region}
    if not span:
        out["year"] = args.year
        if args.derive_stocks:
            done = parcels.derive_stocks(project, args.region, args.year)
            out["stocks"] = done.to_json()
            _say(args, done.summary())
        else:
            out["snapshot"] = _snapshot(project, parcels.snapshot(project, args.region, args.year), args)
        return _finish(args, out)
    out["from"], out["to"] = args.year_from, args.year_to
    if args.derive_stocks:
        out["stocks"] = []
        for year in (args.year_from, args.year_to):
            done = parcels.derive_stocks(project, args.region, year)
            out["stocks"].append(done.to_json())
            _say(args, done.summary())
    if args.derive_changes:
        comparison = parcels.derive_changes(project, args.region, args.year_from, args.year_to, args.cause,
                                            args.replace)
    elif not (args.matrix or args.derive_stocks):
        comparison = parcels.compare_snapshots(project, args.region, args.year_from, args.year_to)
    else:
        comparison = None
    if comparison is not None:
        out["comparison"] = comparison.to_json()
        _say(args, comparison.summary())
    if args.matrix:
        from balancesheet.cli.tables import print_matrix

        matrix = parcels.parcel_matrix(project, args.region, args.year_from, args.year_to, args.level)
        out["matrix"] = matrix.to_json()
        if not args.json:
            print_matrix(project, matrix, "text")
    return _finish(args, out)


def _say(args: argparse.Namespace, text: str) -> None:
    if not args.json:
        print(text)


def _finish(args: argparse.Namespace, out: dict[str, Any]) -> int:
    if args.json:
        print(to_json(out))
    return 0


def _snapshot(project: Any, snap: Any, args: argparse.Namespace) -> dict[str, Any]:
    """Print a stored snapshot's classes; its JSON form."""
    land = project.catalog.account("land")
    rows = snap.by_class
    if not args.json:
        print(f"{snap.region} {snap.year} 年末图斑 {snap.parcels:,} 个，面积合计 {snap.area:,.4f} 公顷"
              f"（来自 {snap.file_name}）")
        table = [[r.class_code, land.items[r.class_code].name, f"{int(r.parcels):,}", number(r.area, 4)]
                 for r in rows.itertuples(index=False)]
        print(render(["地类编码", "地类", "图斑数", "面积（公顷）"], table, [False, False, True, True]))
        print(f"生成存量：balancesheet parcels DB --region {snap.region} --year {snap.year} --derive-stocks")
    return {"year": snap.year, "unit": "公顷", "parcels": snap.parcels, "area": round(snap.area, 6),
            "file": snap.file_name,
            "classes": [{"class": r.class_code, "name": land.items[r.class_code].name,
                         "parcels": int(r.parcels), "area": round(float(r.area), 6)}
                        for r in rows.itertuples(index=False)]}
