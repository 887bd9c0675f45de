"""Write a validated import into the database: one transaction, batch record, change log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from balancesheet.editing import refuse_locked
from balancesheet.errors import ImportRejected
from balancesheet.store import Store, current_user
from balancesheet.store.bulk import copy_into
from balancesheet.store.schema import (
    Flow,
    ImportBatch,
    Official,
    Parcel,
    Period,
    Region,
    Stock,
    Target,
)

Progress = Callable[[float, str], None]
CHUNK = 50_000


@dataclass
class WriteCounts:
    """What an import did to the database."""

    inserted: int = 0
    updated: int = 0
    replaced: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)


def new_batch(session: Session, file_name: str, sha256: str, kind: str, rows: int) -> ImportBatch:
    """Record the import batch (file, hash, kind, time, user, rows)."""
    batch = ImportBatch(file_name=file_name, sha256=sha256, kind=kind, rows=rows,
                        imported_at=dt.datetime.now().replace(microsecond=0), user=current_user())
    session.add(batch)
    session.flush()
    return batch


def _bulk_insert(session: Session, table: type, frame: pd.DataFrame, progress: Progress | None) -> int:
    """Insert ``frame`` (columns named as the table's) with the driver's executemany, in chunks.

    Plain tuples straight to the DB-API cursor: the ORM's per-row bookkeeping would cost ten
    times the database work for a million change records. On PostgreSQL: COPY (store.bulk).
    """
    if frame.empty:
        return 0
    conn = session.connection()
    if conn.dialect.driver == "psycopg":
        return copy_into(conn, table.__tablename__, frame, progress)
    mark = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(conn.dialect.paramstyle)
    names = list(frame.columns)
    if mark is None:  # an unusual driver: let SQLAlchemy bind
        conn.execute(insert(table), frame.astype(object).where(frame.notna(), None).to_dict("records"))
        return len(frame)
    sql = (f"INSERT INTO {table.__tablename__} ({', '.join(names)}) "
           f"VALUES ({', '.join([mark] * len(names))})")
    # Missing values as None (NULL): SQLite would store a NaN as NULL, PostgreSQL as 'NaN'.
    columns = [frame[c].astype(object).where(frame[c].notna(), None).tolist() if frame[c].hasnans
               else frame[c].tolist() for c in names]
    rows = list(zip(*columns, strict=True))
    for start in range(0, len(rows), CHUNK):
        conn.exec_driver_sql(sql, rows[start:start + CHUNK])
        if progress:
            done = min(start + CHUNK, len(rows))
            progress(done / len(rows), f"写入 {done:,} / {len(rows):,} 行")
    return len(rows)


def ensure_periods(session: Session, frame: pd.DataFrame) -> None:
    """Create the accounting years (region, year) that imported rows refer to."""
    pairs = frame[["region_code", "year"]].drop_duplicates().astype({"year": int})
    existing = {(r, y) for r, y in session.execute(select(Period.region_code, Period.year)).all()}
    new = [{"region_code": r, "year": y, "locked": False, "note": ""}
           for r, y in pairs.itertuples(index=False) if (r, y) not in existing]
    if new:
        session.execute(insert(Period), new)


def region_years(frame: pd.DataFrame) -> list[tuple[str, int]]:
    """The distinct (region, year) pairs of a parsed stocks or flows frame."""
    pairs = frame[["region_code", "year"]].drop_duplicates()
    return list(zip(pairs["region_code"].astype(str), pairs["year"].astype(int), strict=True))


def _plain(rec: dict) -> dict:
    """A record with pandas' missing markers (NaN, NaT) turned into None."""
    return {k: (None if v is pd.NaT or (isinstance(v, float) and pd.isna(v)) else v) for k, v in rec.items()}


def _upsert(store: Store, session: Session, model: type, rec: dict, key: dict, fields: tuple[str, ...],
            batch: ImportBatch, counts: WriteCounts) -> None:
    """Insert ``rec`` or update the row matching ``key``, logging old → new of ``fields``."""
    old = session.scalars(select(model).filter_by(**key)).first()
    if old is None:
        session.add(model(**rec))
        counts.inserted += 1
        return
    before = {k: getattr(old, k) for k in fields}
    after = {k: rec[k] for k in fields}
    if before == after:
        counts.unchanged += 1
        return
    for k, v in after.items():
        setattr(old, k, v)
    store.log(session, "update", model.__tablename__, key, before, after, batch.id)
    counts.updated += 1


def write_regions(store: Store, session: Session, frame: pd.DataFrame, batch: ImportBatch,
                  replace: bool, progress: Progress | None) -> WriteCounts:
    """Insert new regions (parents first) and update changed ones."""
    counts = WriteCounts()
    placed = set(session.scalars(select(Region.code)).all())
    pending = [_plain(rec) for rec in frame.to_dict("records")]
    while pending:
        ready = [r for r in pending if not r["parent_code"] or r["parent_code"] in placed or r["code"] in placed]
        if not ready:
            raise ImportRejected("区划的上级关系成环", "Region parents form a cycle")
        for rec in ready:
            _upsert(store, session, Region, rec, {"code": rec["code"]}, ("name", "parent_code", "area_ha"),
                    batch, counts)
            placed.add(rec["code"])
        session.flush()
        pending = [r for r in pending if r["code"] not in placed]
    return counts


def write_stocks(store: Store, session: Session, frame: pd.DataFrame, batch: ImportBatch,
                 replace: bool, progress: Progress | None) -> WriteCounts:
    """Insert new stock values; update changed ones, logging old → new."""
    counts = WriteCounts()
    refuse_locked(session, region_years(frame))
    ensure_periods(session, frame)
    keys = ["region_code", "year", "resource", "item"]
    existing = pd.DataFrame(
        session.execute(
            select(Stock.id, Stock.region_code, Stock.year, Stock.resource, Stock.item, Stock.value,
                   Stock.version)
            .where(Stock.region_code.in_(frame["region_code"].unique().tolist()))
            .where(Stock.year.in_([int(y) for y in frame["year"].unique()]))
        ).all(),
        columns=["id", *keys, "old", "version"],
    )
    frame = frame.astype({"year": int})
    merged = frame.merge(existing, on=keys, how="left")
    new = merged[merged["id"].isna()]
    counts.inserted = _bulk_insert(session, Stock, new.assign(batch_id=batch.id)[
        [*keys, "value", "unit", "batch_id"]], progress)
    known = merged[merged["id"].notna()]
    changed = known[(known["value"] - known["old"]).abs() > 1e-9]
    counts.unchanged = len(known) - len(changed)
    if not changed.empty:
        session.execute(  # ORM bulk UPDATE by primary key and the version read (Stock is Versioned)
            update(Stock),
            [{"id": int(i), "value": float(v), "batch_id": batch.id, "version": int(n)}
             for i, v, n in zip(changed["id"], changed["value"], changed["version"], strict=True)],
        )
        for rec in changed.to_dict("records"):
            key = {k: rec[k] for k in keys}
            store.log(session, "update", "stock", key, rec["old"], rec["value"], batch.id)
        counts.updated = len(changed)
    return counts


Clash = tuple[str, int, str, list[tuple[str, int]]]
# Land change records from a 变更调查 file and those derived from two parcel snapshots describe the
# same changes: either one already stored makes the other a double count.
SAME_CHANGES = {"land_changes": ("land_changes", "parcel_changes"),
                "parcel_changes": ("land_changes", "parcel_changes")}


def flow_clashes(session: Session, frame: pd.DataFrame, kind: str) -> list[Clash]:
    """(region, year, resource, [(file name, batch id)]) where flows of ``kind`` imported earlier
    already exist for a region, year and resource of ``frame`` (importing again double-counts)."""
    keys = frame[["region_code", "year", "resource"]].drop_duplicates().astype({"year": int})
    clashes = []
    for region, year, resource in keys.itertuples(index=False):
        rows = session.execute(
            select(ImportBatch.file_name, Flow.batch_id).join(ImportBatch, Flow.batch_id == ImportBatch.id)
            .where(Flow.region_code == region, Flow.year == year, Flow.resource == resource,
                   ImportBatch.kind.in_(SAME_CHANGES.get(kind, (kind,)))).distinct()
        ).all()
        if rows:
            clashes.append((region, year, resource, [(str(n), int(b)) for n, b in rows]))
    return clashes


def describe_clashes(clashes: list[Clash]) -> str:
    """The clashes as one line: 990121 2021 年 land（来自 a.csv）；…"""
    return "；".join(f"{r} {y} 年 {res}（来自 {', '.join(sorted({n for n, _ in rows}))}）"
                    for r, y, res, rows in clashes)


def write_flows(store: Store, session: Session, frame: pd.DataFrame, batch: ImportBatch,
                replace: bool, progress: Progress | None) -> WriteCounts:
    """Insert flow records; flows of the same kind already stored for the same region, year and
    resource are refused (double counting) unless ``replace``, which deletes them first."""
    counts = WriteCounts()
    refuse_locked(session, region_years(frame))
    ensure_periods(session, frame)
    clashes = flow_clashes(session, frame, batch.kind)
    if clashes and not replace:
        raise ImportRejected(
            f"{batch.file_name}：以下区划、年度、资源已有同类变动记录，再次导入会重复计算：{describe_clashes(clashes)}。"
            "如要用本文件替换它们，请加 --replace。",
            f"{batch.file_name}: flows of the same kind already exist for these region/year/resource; use --replace.",
        )
    for region, year, resource, rows in clashes:
        ids = [b for _, b in rows]
        result = session.execute(delete(Flow).where(
            Flow.region_code == region, Flow.year == year, Flow.resource == resource, Flow.batch_id.in_(ids)))
        counts.replaced += result.rowcount or 0
        store.log(session, "replace", "flow", {"region": region, "year": year, "resource": resource},
                  {"rows": result.rowcount}, {"batch": batch.id}, batch.id)
    counts.inserted = _bulk_insert(session, Flow, frame.assign(batch_id=batch.id)[
        ["region_code", "year", "resource", "from_item", "to_item", "cause", "value", "batch_id"]
    ].astype({"year": int}), progress)
    return counts


def snapshot_clashes(session: Session, frame: pd.DataFrame) -> list[Clash]:
    """(region, year, "图斑", [(file name, batch id)]) for each region and year of ``frame``
    that already has a parcel snapshot (a year has one snapshot; importing another replaces it)."""
    keys = frame[["region_code", "year"]].drop_duplicates().astype({"year": int})
    clashes = []
    for region, year in keys.itertuples(index=False):
        rows = session.execute(
            select(ImportBatch.file_name, ImportBatch.id).join(Parcel, Parcel.batch_id == ImportBatch.id)
            .where(Parcel.region_code == region, Parcel.year == year).distinct()
        ).all()
        if rows:
            clashes.append((region, year, "图斑", [(str(n), int(b)) for n, b in rows]))
    return clashes


def write_parcels(store: Store, session: Session, frame: pd.DataFrame, batch: ImportBatch,
                  replace: bool, progress: Progress | None) -> WriteCounts:
    """Store a parcel snapshot per region and year; a year that has one already is refused
    unless ``replace``, which deletes the old snapshot first (logged)."""
    counts = WriteCounts()
    refuse_locked(session, region_years(frame))
    ensure_periods(session, frame)
    clashes = snapshot_clashes(session, frame)
    if clashes and not replace:
        raise ImportRejected(
            f"{batch.file_name}：以下区划、年度已有图斑数据：{describe_clashes(clashes)}。一个年度只能有一套图斑；"
            "如要用本文件替换，请加 --replace（之后请重新由图斑生成存量和变更记录）。",
            f"{batch.file_name}: a parcel snapshot already exists for these region/years; use --replace.",
        )
    for region, year, _, rows in clashes:
        result = session.execute(delete(Parcel).where(Parcel.region_code == region, Parcel.year == year))
        counts.replaced += result.rowcount or 0
        store.log(session, "replace", "parcel", {"region": region, "year": year},
                  {"rows": result.rowcount, "batches": [b for _, b in rows]}, {"batch": batch.id}, batch.id)
    columns = ["region_code", "year", "parcel_id", "class_code", "survey_code", "area", "town_attr",
               "ownership", "batch_id"]
    counts.inserted = _bulk_insert(session, Parcel, frame.assign(batch_id=batch.id)[columns]
                                   .astype({"year": int}), progress)
    for (region, year), part in frame.groupby(["region_code", "year"]):
        counts.notes.append(f"{region} {int(year)} 年图斑 {len(part):,} 个，面积合计 {part['area'].sum():,.4f} 公顷；"
                            f"生成存量：balancesheet parcels DB --region {region} --year {int(year)} --derive-stocks")
    return counts


def write_targets(store: Store, session: Session, frame: pd.DataFrame, batch: ImportBatch,
                  replace: bool, progress: Progress | None) -> WriteCounts:
    """Insert or update targets keyed by region, indicator and years."""
    counts = WriteCounts()
    for rec in frame.astype({"year_from": int, "year_to": int}).to_dict("records"):
        rec = _plain(rec) | {"batch_id": batch.id}
        key = {k: rec[k] for k in ("region_code", "indicator", "year_from", "year_to")}
        _upsert(store, session, Target, rec, key, ("op", "value", "binding", "source"), batch, counts)
    return counts


def write_officials(store: Store, session: Session, frame: pd.DataFrame, batch: ImportBatch,
                    replace: bool, progress: Progress | None) -> WriteCounts:
    """Insert or update officials keyed by id."""
    counts = WriteCounts()
    for rec in frame.to_dict("records"):
        rec = _plain(rec) | {"batch_id": batch.id}
        _upsert(store, session, Official, rec, {"id": rec["id"]}, ("name", "post", "region_code", "start", "end"),
                batch, counts)
    return counts


WRITERS = {
    "regions": write_regions, "stocks": write_stocks, "flows": write_flows,
    "land_changes": write_flows, "parcels": write_parcels, "targets": write_targets,
    "officials": write_officials,
}
