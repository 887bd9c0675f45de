"""Book the changes between two parcel snapshots as land change records (see the package doc)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import delete, func, insert, select, text

from balancesheet.editing import refuse_locked
from balancesheet.errors import UserError
from balancesheet.importer.writer import ensure_periods, new_batch
from balancesheet.parcels.overlay import ADJUSTMENT, Comparison, compare, span
from balancesheet.parcels.snapshots import require
from balancesheet.store.schema import Flow, ImportBatch, Stock

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from balancesheet.catalog import Account
    from balancesheet.project import Project

DEFAULT_CAUSE = "NA"     # 未注明原因: a snapshot says that a class changed, not why
KIND = "parcel_changes"  # the import-batch kind of derived change records

_TRANSFERS_SQL = """
INSERT INTO flow (region_code, year, resource, from_item, to_item, cause, value, batch_id)
SELECT a.region_code, :y1, 'land', a.class_code, b.class_code, :cause,
       CASE WHEN a.area < b.area THEN a.area ELSE b.area END, :batch
FROM parcel AS a JOIN parcel AS b
  ON b.region_code = a.region_code AND b.year = :y1 AND b.parcel_id = a.parcel_id
WHERE a.region_code = :region AND a.year = :y0 AND a.class_code <> b.class_code
ORDER BY a.parcel_id
"""



def _resolve_cause(account: Account, cause: str) -> str:
    code = account.resolve_cause(cause)
    if code is None or not account.causes[code].allows("transfer"):
        usable = "、".join(f"{c.code} {c.name}" for c in account.causes.values() if c.allows("transfer"))
        raise UserError(f"「{cause}」不是土地账户的转移原因。可用：{usable}",
                        f"{cause!r} is not a land transfer cause")
    return code


def _span_flows(region: str, y0: int, y1: int) -> Any:
    return (Flow.region_code == region, Flow.resource == "land", Flow.year > y0, Flow.year <= y1)


def _existing_changes(session: Session, region: str, y0: int, y1: int) -> pd.DataFrame:
    """Land flows already stored for the years ``y0+1 … y1``: year, source file, count."""
    rows = session.execute(
        select(Flow.year, ImportBatch.file_name, func.count()).outerjoin(ImportBatch, Flow.batch_id == ImportBatch.id)
        .where(*_span_flows(region, y0, y1)).group_by(Flow.year, ImportBatch.file_name)
    ).all()
    frame = pd.DataFrame(rows, columns=["year", "file_name", "count"])
    frame["file_name"] = frame["file_name"].fillna("手工录入")
    return frame


def derive_changes(project: Project, region: str, year_from: int, year_to: int, cause: str = DEFAULT_CAUSE,
                   replace: bool = False) -> Comparison:
    """Book the land changes between two snapshots in ``year_to`` (see the module docstring).

    Land change records already stored for the years of the span would double-count: they are
    refused unless ``replace``, which deletes them first (logged). One transaction; a locked
    ``year_to`` (or a locked year whose records would be deleted) is refused.
    """
    account = project.catalog.account("land")
    cause = _resolve_cause(account, cause)
    y0, y1 = span(year_from, year_to)
    with project.store.session() as s:
        conn = s.connection()
        for year in (y0, y1):
            require(project, conn, region, year)
        existing = _existing_changes(s, region, y0, y1)
        if not existing.empty and not replace:
            listed = "；".join(f"{y} 年 {n:,} 条（{f}）" for y, f, n in existing.itertuples(index=False))
            years = f"{y1} 年" if y1 - y0 == 1 else f"{y0 + 1}–{y1} 年"
            raise UserError(f"{region} 在 {years}已有土地变动记录：{listed}。再由图斑生成会重复计算；"
                            "如要用图斑对比的结果替换它们，请加 --replace。",
                            "Land change records already exist in the span; use --replace.")
        refuse_locked(s, [(region, y1), *((region, int(y)) for y in existing["year"].unique())])
        comparison = compare(project, conn, region, y0, y1)
        ensure_periods(s, pd.DataFrame({"region_code": [region], "year": [y1]}))
        if not existing.empty:
            deleted = s.execute(delete(Flow).where(*_span_flows(region, y0, y1))).rowcount
            comparison.replaced = int(deleted or 0)
            project.store.log(s, "replace", "flow", {"region": region, "years": [y0 + 1, y1], "resource": "land"},
                              {"rows": comparison.replaced}, {"source": "parcels"})
        _book(project, s, comparison, cause)
        _note_missing_stocks(s, comparison)
    return comparison


def _note_missing_stocks(s: Session, comparison: Comparison) -> None:
    """Say so when a year of the span has no land stocks yet (the booked changes have nothing
    to reconcile with until they are derived)."""
    region, years = comparison.region, (comparison.year_from, comparison.year_to)
    stored = {int(y) for (y,) in s.execute(
        select(Stock.year).where(Stock.region_code == region, Stock.resource == "land",
                                 Stock.year.in_(years)).distinct())}
    missing = [y for y in years if y not in stored]
    if missing:
        which = "、".join(str(y) for y in missing)
        comparison.notes.append(f"{which} 年还没有土地存量：balancesheet parcels DB --region {region} "
                                f"--from {years[0]} --to {years[1]} --derive-stocks 可由图斑生成")


def _book(project: Project, s: Session, comparison: Comparison, cause: str) -> None:
    region, y0, y1 = comparison.region, comparison.year_from, comparison.year_to
    gained, lost = comparison.adjustment_totals()
    n_transfers = int(comparison.changed["parcels"].sum())
    stamp = dt.datetime.now().isoformat()
    digest = hashlib.sha256(f"{KIND}|{region}|{y0}|{y1}|{stamp}".encode()).hexdigest()
    batch = new_batch(s, f"图斑对比 {region} {y0}→{y1}", digest, KIND, n_transfers + len(gained) + len(lost))
    s.execute(text(_TRANSFERS_SQL), {"region": region, "y0": y0, "y1": y1, "cause": cause, "batch": batch.id})
    records = ([{"to_item": c, "from_item": None, "value": float(v)} for c, v in gained.items()]
               + [{"from_item": c, "to_item": None, "value": float(v)} for c, v in lost.items()])
    if records:
        s.execute(insert(Flow), [r | {"region_code": region, "year": y1, "resource": "land", "cause": ADJUSTMENT,
                                      "batch_id": batch.id} for r in records])
    comparison.cause, comparison.transfers, comparison.adjustments = cause, n_transfers, len(records)
    project.store.log(s, "derive", "flow", {"region": region, "from": y0, "to": y1, "source": "parcels"}, None,
                      {"transfers": n_transfers, "adjustments": len(records), "cause": cause,
                       "replaced": comparison.replaced, "only_from": len(comparison.only_from),
                       "only_to": len(comparison.only_to)}, batch.id)
