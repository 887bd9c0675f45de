"""A parcel snapshot (图斑) as stored: find it, and set its year's land stocks from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import text

from balancesheet.errors import UserError
from balancesheet.importer.writer import write_stocks
from balancesheet.store.schema import ImportBatch

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from balancesheet.catalog import Account
    from balancesheet.project import Project

_SNAPSHOT_SQL = """
SELECT class_code, COUNT(*) AS parcels, SUM(area) AS area, MIN(batch_id) AS batch_id
FROM parcel WHERE region_code = :region AND year = :year GROUP BY class_code ORDER BY class_code
"""


@dataclass
class Snapshot:
    """A stored parcel snapshot: count, area (公顷) and both per class, and the file it came from."""

    region: str
    year: int
    parcels: int
    area: float
    by_class: pd.DataFrame  # class_code, parcels, area
    batch_id: int
    file_name: str


def find_snapshot(project: Project, region: str, year: int) -> Snapshot | None:
    """The parcel snapshot of ``region`` at the end of ``year``, or None when there is none."""
    by_class = project.store.read_sql(_SNAPSHOT_SQL, {"region": region, "year": int(year)})
    if by_class.empty:
        return None
    batch_id = int(by_class["batch_id"].min())
    with project.store.session() as s:
        batch = s.get(ImportBatch, batch_id)
        file_name = batch.file_name if batch else ""
    return Snapshot(region, int(year), int(by_class["parcels"].sum()), float(by_class["area"].sum()),
                    by_class[["class_code", "parcels", "area"]], batch_id, file_name)


def snapshot(project: Project, region: str, year: int) -> Snapshot:
    """The parcel snapshot of ``region`` at the end of ``year``; UserError naming the stored years."""
    with project.store.engine.connect() as conn:
        require(project, conn, region, year)
    found = find_snapshot(project, region, year)
    assert found is not None
    return found


def has_snapshots(project: Project, region: str, *years: int) -> bool:
    """True when ``region`` has a parcel snapshot for every one of ``years``."""
    with project.store.engine.connect() as conn:
        return all(exists(conn, region, y) for y in years)


def exists(conn: Connection, region: str, year: int) -> bool:
    """True when ``region`` has a parcel snapshot for ``year`` (one index seek)."""
    sql = "SELECT 1 FROM parcel WHERE region_code = :r AND year = :y LIMIT 1"
    return conn.execute(text(sql), {"r": region, "y": int(year)}).first() is not None


def require(project: Project, conn: Connection, region: str, year: int) -> None:
    """UserError (naming the years that have one) unless ``region`` has a snapshot for ``year``."""
    project.region(region)
    if exists(conn, region, year):
        return
    years = [int(y) for (y,) in conn.execute(
        text("SELECT DISTINCT year FROM parcel WHERE region_code = :r ORDER BY year"), {"r": region})]
    stored = "、".join(str(y) for y in years) or "无"
    raise UserError(f"{region} 没有 {year} 年的图斑数据（已有图斑的年度：{stored}）。"
                    "请先导入图斑表：balancesheet import DB 图斑.csv",
                    f"No parcel snapshot of {region} for {year} (stored: {years or 'none'}).")


@dataclass
class StockDerivation:
    """What :func:`derive_stocks` wrote: the year's land stocks from its snapshot."""

    region: str
    year: int
    parcels: int
    area: float
    stocks: pd.DataFrame  # item, name, value (公顷) for every land class under 土地总面积
    inserted: int
    updated: int
    unchanged: int
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """Lines for the user."""
        lines = [f"{self.region} {self.year} 年末土地存量由图斑生成：图斑 {self.parcels:,} 个，面积合计 "
                 f"{self.area:,.4f} 公顷，{int((self.stocks['value'] > 0).sum())} 个地类有面积；"
                 f"存量新增 {self.inserted}，更新 {self.updated}，未变 {self.unchanged}"]
        return "\n".join(lines + [f"注：{n}" for n in self.notes])

    def to_json(self) -> dict[str, Any]:
        """Machine-readable form."""
        return {"region": self.region, "year": self.year, "unit": "公顷", "parcels": self.parcels,
                "area": round(self.area, 6), "inserted": self.inserted, "updated": self.updated,
                "unchanged": self.unchanged, "notes": self.notes,
                "stocks": [{"item": r.item, "name": r.name, "value": round(float(r.value), 6)}
                           for r in self.stocks.itertuples(index=False)]}


def land_classes(account: Account) -> list[str]:
    """The land classes a parcel can carry: the leaves under 土地总面积, in catalog order."""
    root = next(c for c in account.order if account.items[c].parent is None)
    return account.leaves_under(root)


def derive_stocks(project: Project, region: str, year: int) -> StockDerivation:
    """Set ``region``'s land stocks at the end of ``year`` to its parcel snapshot's sums per class.

    Every land class under 土地总面积 gets a value (0 where no parcel has it); suffixed survey
    codes were resolved to their classes on import. One transaction; a locked year is refused;
    every changed value is logged old → new with the snapshot's import batch.
    """
    snap = snapshot(project, region, year)
    account = project.catalog.account("land")
    classes = land_classes(account)
    values = snap.by_class.set_index("class_code")["area"].reindex(classes, fill_value=0.0).round(8)
    frame = pd.DataFrame({"region_code": region, "year": int(year), "resource": "land", "item": classes,
                          "value": values.to_numpy(), "unit": [account.items[c].unit for c in classes]})
    notes = []
    area_ha = project.region(region).area_ha
    if area_ha and abs(area_ha - snap.area) > 0.01:
        notes.append(f"图斑面积合计 {snap.area:,.4f} 公顷与区划土地总面积 {area_ha:,.4f} 公顷相差 "
                     f"{snap.area - area_ha:,.4f} 公顷，校验会报告此差异")
    with project.store.session() as s:
        batch = s.get(ImportBatch, snap.batch_id)
        counts = write_stocks(project.store, s, frame, batch, False, None)
        project.store.log(s, "derive", "stock", {"region": region, "year": int(year), "source": "parcels"},
                          None, {"parcels": snap.parcels, "area": snap.area, "inserted": counts.inserted,
                                 "updated": counts.updated}, snap.batch_id)
    stocks = pd.DataFrame({"item": classes, "name": [account.items[c].name for c in classes],
                           "value": values.to_numpy()})
    return StockDerivation(region, int(year), snap.parcels, snap.area, stocks, counts.inserted,
                           counts.updated, counts.unchanged, notes)
