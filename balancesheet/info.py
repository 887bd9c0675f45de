"""What a project holds: regions with their years and resources, officials, audits."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from balancesheet.store.schema import Audit, Official, Region

if TYPE_CHECKING:
    from balancesheet.project import Project


def project_info(project: Project) -> dict[str, Any]:
    """The ``info --json`` contract: regions (code, name, years), officials, audits."""
    years = project.store.read_sql(
        "SELECT region_code, resource, MIN(year) AS y0, MAX(year) AS y1 FROM stock GROUP BY region_code, resource"
    )
    year_rows = project.store.read_sql("SELECT DISTINCT region_code, year FROM stock ORDER BY year")
    with project.store.session() as s:
        regions = s.scalars(select(Region).order_by(Region.code)).all()
        officials = s.scalars(select(Official).order_by(Official.start)).all()
        out_regions = [{
            "code": r.code, "name": r.name, "parent": r.parent_code, "area_ha": r.area_ha,
            "years": [int(y) for y in year_rows.loc[year_rows["region_code"] == r.code, "year"]],
            "resources": sorted(years.loc[years["region_code"] == r.code, "resource"].unique().tolist()),
        } for r in regions]
        out_officials = [{"id": o.id, "name": o.name, "post": o.post, "region": o.region_code,
                          "start": o.start.isoformat(), "end": o.end.isoformat() if o.end else None}
                         for o in officials]
        out_audits = [{"id": a.id, "official": a.official_id, "region": a.region_code, "start_year": a.start_year,
                       "end_year": a.end_year, "status": a.status, "fingerprint": a.fingerprint}
                      for a in s.scalars(select(Audit).order_by(Audit.id)).all()]
    return {"regions": out_regions, "officials": out_officials, "audits": out_audits}
