"""Two parcel snapshots overlaid by parcel id (SQL): what changed class, what was re-measured,
what is found in one snapshot only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import text

from balancesheet.errors import UserError
from balancesheet.parcels.snapshots import require

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from balancesheet.project import Project

ADJUSTMENT = "ADJ"  # 核算调整: the catalog's cause for re-measured area
LISTED = 20         # one-sided parcels printed by summary(); to_json() lists them all

# Every parcel of the first snapshot looked up in the second (one index seek each): per (class at
# start, class at end — NULL when the id is gone) the area kept, lost or gained by re-measurement.
_OVERLAY_SQL = """
SELECT a.class_code AS from_class, b.class_code AS to_class, COUNT(*) AS parcels,
       SUM(CASE WHEN a.area < b.area THEN a.area ELSE b.area END) AS kept,
       SUM(CASE WHEN a.area > b.area THEN a.area - b.area ELSE 0 END) AS lost,
       SUM(CASE WHEN b.area > a.area THEN b.area - a.area ELSE 0 END) AS gained,
       SUM(CASE WHEN a.area <> b.area THEN 1 ELSE 0 END) AS remeasured,
       SUM(CASE WHEN b.parcel_id IS NULL THEN a.area ELSE 0 END) AS only_from
FROM parcel AS a LEFT JOIN parcel AS b
  ON b.region_code = a.region_code AND b.year = :y1 AND b.parcel_id = a.parcel_id
WHERE a.region_code = :region AND a.year = :y0
GROUP BY a.class_code, b.class_code
"""

# The second snapshot's totals per class: what the first did not reach is new in the second.
_TOTALS_SQL = """
SELECT class_code AS to_class, COUNT(*) AS parcels, SUM(area) AS area
FROM parcel WHERE region_code = :region AND year = :y1 GROUP BY class_code
"""

_ONE_SIDED_SQL = """
SELECT a.parcel_id, a.class_code, a.survey_code, a.area FROM parcel AS a
WHERE a.region_code = :region AND a.year = :y_here AND NOT EXISTS (
  SELECT 1 FROM parcel AS b WHERE b.region_code = a.region_code AND b.year = :y_there
  AND b.parcel_id = a.parcel_id)
ORDER BY a.parcel_id
"""


@dataclass
class Comparison:
    """Two snapshots overlaid by parcel id, and what :func:`derive_changes` booked from them."""

    region: str
    year_from: int
    year_to: int
    parcels_from: int
    parcels_to: int
    overlay: pd.DataFrame   # from_class, to_class (None: one side only), parcels, kept, lost, gained …
    only_from: pd.DataFrame  # parcel_id, class_code, survey_code, area: in year_from only
    only_to: pd.DataFrame    # the same, in year_to only
    cause: str | None = None  # set once booked
    transfers: int = 0        # change records booked (one per parcel whose class changed)
    adjustments: int = 0      # 核算调整 records booked (per class and direction)
    replaced: int = 0         # land change records of the span deleted first (replace)
    notes: list[str] = field(default_factory=list)

    @property
    def matched(self) -> pd.DataFrame:
        """Overlay rows of parcels present in both snapshots."""
        return self.overlay[self.overlay["from_class"].notna() & self.overlay["to_class"].notna()]

    @property
    def changed(self) -> pd.DataFrame:
        """Overlay rows of parcels whose class changed: from_class, to_class, parcels, kept (area)."""
        m = self.matched
        return m[m["from_class"] != m["to_class"]]

    def adjustment_totals(self) -> tuple[pd.Series, pd.Series]:
        """Area gained per class at the end, lost per class at the start (re-measured parcels)."""
        m = self.matched
        gained = m.groupby("to_class")["gained"].sum()
        lost = m.groupby("from_class")["lost"].sum()
        return gained[gained > 0], lost[lost > 0]

    def summary(self) -> str:
        """Lines for the user."""
        m, c = self.matched, self.changed
        gained, lost = self.adjustment_totals()
        lines = [
            f"{self.region}：{self.year_from} 年末 → {self.year_to} 年末 图斑对比（按图斑编号叠加，面积单位 公顷）",
            f"  {self.year_from} 年图斑 {self.parcels_from:,} 个，{self.year_to} 年 {self.parcels_to:,} 个，"
            f"两期都有 {int(m['parcels'].sum()):,} 个",
            f"  地类变化的图斑 {int(c['parcels'].sum()):,} 个，面积 {c['kept'].sum():,.4f}"
            "（两期面积不同时取较小者）",
            f"  面积变化的图斑 {int(m['remeasured'].sum()):,} 个：增加 {gained.sum():,.4f}，减少 {lost.sum():,.4f}"
            f"（记为核算调整 {ADJUSTMENT}）",
        ]
        for frame, year, other in ((self.only_from, self.year_from, self.year_to),
                                   (self.only_to, self.year_to, self.year_from)):
            lines.append(f"  只在 {year} 年出现的图斑 {len(frame):,} 个，面积 {frame['area'].sum():,.4f}"
                         f"（{other} 年无此编号；未记账，请核实是否分割、合并或编号改变）")
            lines += [f"    {r.parcel_id}  {r.class_code}  {r.area:,.4f}" for r in frame.head(LISTED).itertuples()]
            if len(frame) > LISTED:
                lines.append(f"    … 另有 {len(frame) - LISTED:,} 个（--json 列出全部）")
        if self.cause is not None:
            lines.append(f"已记入 {self.year_to} 年：土地变更记录 {self.transfers:,} 条（原因 {self.cause}），"
                         f"核算调整 {self.adjustments} 条" + (f"；替换旧记录 {self.replaced:,} 条" if self.replaced else ""))
        return "\n".join(lines + [f"注：{n}" for n in self.notes])

    def to_json(self) -> dict[str, Any]:
        """Machine-readable form (areas in 公顷; one-sided parcels listed in full)."""
        m, c = self.matched, self.changed
        gained, lost = self.adjustment_totals()

        def side(frame: pd.DataFrame) -> dict[str, Any]:
            by_class = frame.groupby("class_code")["area"].agg(["count", "sum"])
            return {"parcels": len(frame), "area": round(float(frame["area"].sum()), 6),
                    "by_class": {k: {"parcels": int(r["count"]), "area": round(float(r["sum"]), 6)}
                                 for k, r in by_class.iterrows()},
                    "list": [{"parcel_id": r.parcel_id, "class": r.class_code, "area": round(float(r.area), 6)}
                             for r in frame.itertuples(index=False)]}

        return {
            "region": self.region, "from": self.year_from, "to": self.year_to, "unit": "公顷",
            "parcels_from": self.parcels_from, "parcels_to": self.parcels_to,
            "matched": int(m["parcels"].sum()),
            "changed": {"parcels": int(c["parcels"].sum()), "area": round(float(c["kept"].sum()), 6),
                        "by_pair": [{"from": r.from_class, "to": r.to_class, "parcels": int(r.parcels),
                                     "area": round(float(r.kept), 6)} for r in c.itertuples(index=False)]},
            "remeasured": {"parcels": int(m["remeasured"].sum()), "gained": round(float(gained.sum()), 6),
                           "lost": round(float(lost.sum()), 6)},
            "only_from": side(self.only_from), "only_to": side(self.only_to),
            "booked": None if self.cause is None else {
                "year": self.year_to, "cause": self.cause, "transfers": self.transfers,
                "adjustments": self.adjustments, "replaced": self.replaced},
            "notes": self.notes,
        }


def span(year_from: int, year_to: int) -> tuple[int, int]:
    """The span as two ints; UserError unless ``year_to`` is later than ``year_from``."""
    if int(year_to) <= int(year_from):
        raise UserError(f"截止年度 {year_to} 须晚于起始年度 {year_from}", "--to must be later than --from")
    return int(year_from), int(year_to)


def read(conn: Connection, sql: str, params: dict[str, Any]) -> pd.DataFrame:
    """A query's result as a DataFrame, on the caller's connection (and transaction)."""
    return pd.read_sql_query(text(sql), conn, params=params)


def overlay(conn: Connection, region: str, y0: int, y1: int) -> pd.DataFrame:
    """Per (from_class, to_class) pair: parcels, kept, lost, gained, remeasured, only_from, only_to.

    A NULL to_class holds the parcels of ``y0`` only, a NULL from_class those of ``y1`` only
    (the second snapshot's totals per class less what the first snapshot's parcels reached:
    exact counts, areas to rounding).
    """
    params = {"region": region, "y0": y0, "y1": y1}
    frame = read(conn, _OVERLAY_SQL, params).astype(
        {c: float for c in ("kept", "lost", "gained", "only_from")} | {"parcels": int, "remeasured": int})
    totals = read(conn, _TOTALS_SQL, params).set_index("to_class")
    reached = frame[frame["to_class"].notna()].assign(area=lambda f: f["kept"] + f["gained"]) \
        .groupby("to_class")[["parcels", "area"]].sum()
    new = totals.sub(reached.reindex(totals.index, fill_value=0))
    new = new[new["parcels"] > 0]
    only_to = pd.DataFrame({"from_class": None, "to_class": new.index, "parcels": new["parcels"].astype(int).to_numpy(),
                            "kept": 0.0, "lost": 0.0, "gained": 0.0, "remeasured": 0, "only_from": 0.0,
                            "only_to": new["area"].astype(float).to_numpy()})
    frame["only_to"] = 0.0
    return pd.concat([frame, only_to], ignore_index=True) if len(only_to) else frame


def compare(project: Project, conn: Connection, region: str, year_from: int, year_to: int) -> Comparison:
    """Overlay the two snapshots on ``conn`` and list the parcels found in one of them only."""
    y0, y1 = span(year_from, year_to)
    for year in (y0, y1):
        require(project, conn, region, year)
    pairs = overlay(conn, region, y0, y1)
    sides = []
    for here, there, missing in ((y0, y1, "to_class"), (y1, y0, "from_class")):
        empty = pd.DataFrame({"parcel_id": [], "class_code": [], "survey_code": [], "area": []})
        sides.append(read(conn, _ONE_SIDED_SQL, {"region": region, "y_here": here, "y_there": there})
                     if pairs[missing].isna().any() else empty)
    count_from = int(pairs.loc[pairs["from_class"].notna(), "parcels"].sum())
    count_to = int(pairs.loc[pairs["to_class"].notna(), "parcels"].sum())
    comparison = Comparison(region, y0, y1, count_from, count_to, pairs, sides[0], sides[1])
    if y1 - y0 > 1:
        comparison.notes.append(
            f"跨 {y1 - y0} 年：两期图斑只说明 {y0} 年末到 {y1} 年末变了什么，变化全部记在 {y1} 年，"
            f"{y0 + 1}–{y1 - 1} 年没有变更记录；这些年份若有存量，校验会报告差异。有逐年图斑时请逐年生成。")
    return comparison


def compare_snapshots(project: Project, region: str, year_from: int, year_to: int) -> Comparison:
    """Overlay the snapshots at the end of ``year_from`` and ``year_to`` by parcel id (no writing)."""
    with project.store.engine.connect() as conn:
        return compare(project, conn, region, year_from, year_to)
