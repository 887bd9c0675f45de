"""The change log read back: who changed what, when, old → new (``balancesheet history``).

Every write of the project appends to ``change_log`` in the same transaction as the change itself
(:meth:`balancesheet.store.Store.log`; the table is append-only, enforced by triggers). What a row
records:

- an edit of a stock, a flow, a finding, an official, a year's lock: one entry, old → new;
- an import: one entry for the file (name, SHA-256, counts) — the rows it inserted carry its batch
  id — plus one entry per stored value it *changed* (old → new);
- parcel derivations, catalog extensions, audits created and finalised.

:func:`history` filters the log by region, year, entity, user and time. A region/year is matched
in the entry's own key or values, through its import batch (the batch wrote rows of that region
and year), or through its audit (findings and audits belong to an audit of a region).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from balancesheet.project import Project

ACTIONS = {"edit": "修改", "add": "新增", "insert": "新增", "delete": "删除", "import": "导入", "update": "更新",
           "replace": "替换", "lock": "结账锁定", "unlock": "解锁", "derive": "由图斑生成", "create": "创建",
           "finalise": "定稿", "extend": "扩展账户目录"}
ENTITIES = {"stock": "存量", "flow": "变动记录", "period": "年度", "finding": "审计发现", "audit": "审计",
            "official": "领导干部", "target": "目标", "region": "区划", "catalog": "账户目录", "parcel": "图斑",
            "stocks": "存量表", "flows": "变动表", "land_changes": "土地变更表", "regions": "区划表",
            "targets": "目标表", "officials": "领导干部表", "parcels": "图斑表", "wide": "存量及变动表"}
# what a user's --entity means: the entries of edits and of imports of that kind
ENTITY_GROUPS = {"stock": ("stock", "stocks", "wide"), "flow": ("flow", "flows", "land_changes"),
                 "target": ("target", "targets"), "official": ("official", "officials"),
                 "region": ("region", "regions"), "parcel": ("parcel", "parcels"),
                 "finding": ("finding",), "audit": ("audit",), "period": ("period",), "catalog": ("catalog",)}


@dataclass(frozen=True)
class HistoryEntry:
    """One change-log entry, its JSON fields decoded."""

    id: int
    at: dt.datetime
    user: str
    action: str
    entity: str
    key: Any
    old: Any
    new: Any
    batch_id: int | None
    file: str | None
    item_name: str = ""  # the catalog's name of the stock's item, where the entry names one

    def what(self) -> str:
        """The entry in one Chinese phrase: 修改 存量 990121 2021 land 0101."""
        return f"{ACTIONS.get(self.action, self.action)}{ENTITIES.get(self.entity, self.entity)}"

    def key_text(self) -> str:
        """The changed thing, e.g. ``990121 2021 land 0101`` or a file name."""
        key = self.key
        if isinstance(key, dict):
            order = ("region_code", "region", "year", "years", "from", "to", "resource", "item", "id", "source")
            parts = [key[k] for k in order if k in key] + [v for k, v in key.items() if k not in order]
            text = " ".join("–".join(map(str, p)) if isinstance(p, list) else str(p) for p in parts)
            return f"{text} {self.item_name}" if self.item_name else text
        return str(key)

    def old_text(self) -> str:
        """The old value in words (empty when there was none)."""
        return describe(self.old)

    def new_text(self) -> str:
        """The new value in words."""
        return describe(self.new)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-ready fields."""
        return {"id": self.id, "at": self.at.isoformat(sep=" "), "user": self.user, "action": self.action,
                "entity": self.entity, "key": self.key, "old": self.old, "new": self.new,
                "batch": self.batch_id, "file": self.file}


LABELS = {"rows": "行数", "inserted": "新增", "updated": "更新", "replaced": "替换", "unchanged": "未变",
          "by": "操作人", "at": "时间", "note": "备注", "reason": "原因", "status": "状态", "value": "数值",
          "from_item": "原项目", "to_item": "新项目", "cause": "原因", "resource": "资源", "year": "年度",
          "region_code": "区划", "description": "描述", "fingerprint": "指纹", "parcels": "图斑数",
          "area": "面积", "name": "名称", "area_ha": "面积（公顷）", "op": "比较", "binding": "约束性",
          "severity": "严重程度", "responsibility": "责任", "deduction": "扣分", "sha256": "SHA-256"}


def describe(value: Any) -> str:
    """A logged value in words: numbers with separators, objects as 标签：值 pairs."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return f"{value:,.4f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    if isinstance(value, dict):
        keys = [k for k in LABELS if k in value] + [k for k in value if k not in LABELS]
        keys = [k for k in keys if k != "sha256" or len(value) == 1]  # the digest is in --json
        return "，".join(f"{LABELS.get(k, k)}：{describe(value[k])}" for k in keys)
    if isinstance(value, list):
        return "、".join(describe(v) for v in value)
    return str(value)


def _decoded(text: str | float | None) -> Any:
    if not isinstance(text, str):  # None, or NaN where pandas read a column of missing values
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def history(project: Project, region: str | None = None, year: int | None = None, entity: str | None = None,
            user: str | None = None, since: dt.date | None = None, until: dt.date | None = None,
            limit: int | None = None) -> list[HistoryEntry]:
    """The change-log entries matching every filter given, newest first.

    ``entity`` is one of :data:`ENTITY_GROUPS` (``stock`` also finds imports of stock tables);
    ``since``/``until`` are inclusive dates; ``limit`` keeps the newest entries.
    """
    import pandas as pd

    from balancesheet.errors import UserError

    where, params = ["1 = 1"], {}
    if entity is not None:
        if entity not in ENTITY_GROUPS:
            raise UserError(f"未知的类别 {entity}（可用：{'、'.join(ENTITY_GROUPS)}）", f"unknown entity {entity}")
        names = ENTITY_GROUPS[entity]
        where.append("c.entity IN (" + ", ".join(f":e{i}" for i in range(len(names))) + ")")
        params |= {f"e{i}": n for i, n in enumerate(names)}
    if user is not None:
        where.append("c.user = :user")
        params["user"] = user
    if since is not None:
        where.append("c.at >= :since")
        params["since"] = dt.datetime.combine(since, dt.time())
    if until is not None:
        where.append("c.at < :until")
        params["until"] = dt.datetime.combine(until + dt.timedelta(days=1), dt.time())
    frame = project.store.read_sql(
        "SELECT c.id, c.at, c.user, c.action, c.entity, c.key, c.old, c.new, c.batch_id, b.file_name "
        "FROM change_log c LEFT JOIN import_batch b ON b.id = c.batch_id "
        f"WHERE {' AND '.join(where)} ORDER BY c.id DESC", params)
    if region is not None or year is not None:
        frame = frame[_touches(project, frame, region, year)]
    if limit is not None:
        frame = frame.head(limit)
    entries = []
    for r in frame.itertuples(index=False):  # the entries shown: a log's length, not a data table's
        key = _decoded(r.key)
        entries.append(HistoryEntry(int(r.id), pd.Timestamp(r.at).to_pydatetime(), r.user, r.action, r.entity,
                                    key, _decoded(r.old), _decoded(r.new),
                                    None if pd.isna(r.batch_id) else int(r.batch_id),
                                    None if pd.isna(r.file_name) else r.file_name, _item_name(project, key)))
    return entries


def _item_name(project: Project, key: Any) -> str:
    """The catalog name of the item a key names (``resource`` + ``item``), or ''."""
    if not isinstance(key, dict) or "item" not in key or key.get("resource") not in project.catalog.accounts:
        return ""
    item = project.catalog.accounts[key["resource"]].items.get(key["item"])
    return item.name if item else ""


def _touches(project: Project, frame: Any, region: str | None, year: int | None) -> Any:
    """Which entries concern ``region``/``year`` (vectorised over the entries' JSON text)."""
    import pandas as pd

    text = frame["key"].fillna("") + " " + frame["old"].fillna("") + " " + frame["new"].fillna("")
    found_region = text.str.extract(r'"(?:region|region_code|code)": "(\d{6})"', expand=False)
    years = text.str.extract(r'"year": (\d{4})', expand=False).astype("float")
    span = text.str.extract(r'"years?": \[(\d{4}), (\d{4})\]').astype("float")
    parcels_from = text.str.extract(r'"from": (\d{4}), "region"', expand=False).astype("float")
    parcels_to = text.str.extract(r'"to": (\d{4})', expand=False).astype("float")
    low = years.fillna(span[0]).fillna(parcels_from)
    high = years.fillna(span[1]).fillna(parcels_to)
    ok = pd.Series(True, index=frame.index)
    if region is not None:
        ok &= found_region.eq(region) | found_region.isna()
    if year is not None:
        ok &= ((low <= year) & (high >= year)) | low.isna()
    # entries that name no region/year: through their batch or their audit
    unplaced = (found_region.isna() & (region is not None)) | (low.isna() & (year is not None))
    if unplaced.any():
        batches, audits, findings = _owners(project, region, year)
        by_batch = frame["batch_id"].isin(batches)
        audit_id = pd.to_numeric(frame["key"], errors="coerce")
        by_audit = ((frame["entity"] == "audit") & audit_id.isin(audits)) | (
            (frame["entity"] == "finding") & audit_id.isin(findings))
        ok &= ~unplaced | by_batch | by_audit
    return ok


def _owners(project: Project, region: str | None, year: int | None) -> tuple[set[int], set[int], set[int]]:
    """Import batches that wrote rows of ``region``/``year``; audits and findings of such audits."""
    conditions, params = [], {}
    if region is not None:
        conditions.append("region_code = :region")
        params["region"] = region
    where = " AND ".join(conditions) or "1 = 1"
    year_eq = " AND year = :year" if year is not None else ""
    if year is not None:
        params["year"] = int(year)
    span = " AND year_from <= :year AND year_to >= :year" if year is not None else ""
    batches = project.store.read_sql(
        f"SELECT DISTINCT batch_id FROM stock WHERE {where}{year_eq} UNION "
        f"SELECT DISTINCT batch_id FROM flow WHERE {where}{year_eq} UNION "
        f"SELECT DISTINCT batch_id FROM parcel WHERE {where}{year_eq} UNION "
        f"SELECT DISTINCT batch_id FROM target WHERE {where}{span} UNION "
        f"SELECT DISTINCT batch_id FROM official WHERE {where}", params)
    audit_span = " AND start_year <= :year AND end_year >= :year" if year is not None else ""
    audits = project.store.read_sql(f"SELECT id FROM audit WHERE {where}{audit_span}", params)
    findings = project.store.read_sql(
        f"SELECT f.id FROM finding f JOIN audit a ON a.id = f.audit_id WHERE "
        f"{where.replace('region_code', 'a.region_code')}"
        f"{audit_span.replace('start_year', 'a.start_year').replace('end_year', 'a.end_year')}", params)
    return ({int(b) for b in batches["batch_id"].dropna()}, {int(a) for a in audits["id"]},
            {int(f) for f in findings["id"]})

