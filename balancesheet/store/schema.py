"""Database tables (SQLAlchemy 2.0 typed ORM). Quantities are floats in the catalog item's unit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# 1: first release; 2: audits and findings; 3: parcel snapshots; 4: row versions (concurrent edits)
SCHEMA_VERSION = 4


class Base(DeclarativeBase):
    """Declarative base of every table."""


class Versioned:
    """A row edited one at a time, by several users at once (optimistic concurrency).

    ``version`` starts at 1 and every ORM UPDATE or DELETE of the row is ``… WHERE id = ? AND
    version = <the version read>`` and sets it one higher, so a write based on a row another
    writer changed meanwhile matches nothing and raises StaleDataError instead of overwriting
    (balancesheet.concurrency turns that into a ConflictError). Bulk writes that bypass the ORM
    (imports) raise the version themselves; bulk inserts get 1 from the column default.
    """

    version: Mapped[int] = mapped_column(Integer, server_default=text("1"), sort_order=1000)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, object]:  # noqa: N805 - declarative directive
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class Meta(Base):
    """Key/value facts about the project file (schema version, creating app version)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ImportBatch(Base):
    """One imported file: name, content hash, kind, time, row count."""

    __tablename__ = "import_batch"
    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(100))
    rows: Mapped[int] = mapped_column(Integer)


class Region(Base):
    """An administrative region (6-digit 区划代码), optionally with its total land area in 公顷."""

    __tablename__ = "region"
    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))
    area_ha: Mapped[float | None] = mapped_column(Float)


class Period(Versioned, Base):
    """An accounting year of a region (1 Jan – 31 Dec) and whether it is locked (结账)."""

    __tablename__ = "period"
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    locked: Mapped[bool] = mapped_column(default=False)
    locked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    locked_by: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="")


class Stock(Versioned, Base):
    """The observed quantity of an item at 31 December of ``year`` (for flow-kind items: the year's amount)."""

    __tablename__ = "stock"
    __table_args__ = (
        UniqueConstraint("region_code", "year", "resource", "item", name="uq_stock_key"),
        Index("ix_stock_lookup", "region_code", "resource", "year"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    year: Mapped[int] = mapped_column(Integer)
    resource: Mapped[str] = mapped_column(String(16))
    item: Mapped[str] = mapped_column(String(32))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(32))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))


class Flow(Versioned, Base):
    """A movement during ``year``: from an item (reduce), to an item (add), or both (transfer)."""

    __tablename__ = "flow"
    __table_args__ = (
        CheckConstraint("from_item IS NOT NULL OR to_item IS NOT NULL", name="ck_flow_has_side"),
        Index("ix_flow_lookup", "region_code", "resource", "year"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    year: Mapped[int] = mapped_column(Integer)
    resource: Mapped[str] = mapped_column(String(16))
    from_item: Mapped[str | None] = mapped_column(String(32))
    to_item: Mapped[str | None] = mapped_column(String(32))
    cause: Mapped[str] = mapped_column(String(32))
    value: Mapped[float] = mapped_column(Float)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))


class Parcel(Base):
    """One parcel (图斑) of a region's survey snapshot at the end of ``year``.

    ``class_code`` is the land account's item (a suffixed survey code such as 0201K resolved to
    0201); ``survey_code`` keeps the code as the survey wrote it when it differs. ``area`` is in
    公顷. Keyed by (region, year, parcel id) and stored without a rowid on SQLite, so a snapshot
    lies in parcel-id order and two snapshots join by merging two ranges of one index.
    """

    __tablename__ = "parcel"
    __table_args__ = {"sqlite_with_rowid": False}
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    parcel_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    class_code: Mapped[str] = mapped_column(String(32))
    survey_code: Mapped[str | None] = mapped_column(String(32))
    area: Mapped[float] = mapped_column(Float)
    town_attr: Mapped[str | None] = mapped_column(String(8))
    ownership: Mapped[str | None] = mapped_column(String(32))
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))


class Target(Versioned, Base):
    """A target (约束性/预期性指标) on an indicator for a span of years."""

    __tablename__ = "target"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    indicator: Mapped[str] = mapped_column(String(32))
    year_from: Mapped[int] = mapped_column(Integer)
    year_to: Mapped[int] = mapped_column(Integer)
    op: Mapped[str] = mapped_column(String(2))
    value: Mapped[float] = mapped_column(Float)
    binding: Mapped[bool]
    source: Mapped[str] = mapped_column(Text, default="")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))


class Official(Versioned, Base):
    """A leading official and the tenure in a region (``end`` None while still in office)."""

    __tablename__ = "official"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    post: Mapped[str] = mapped_column(String(100))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))


class CatalogExtension(Base):
    """A county's catalog extension (TOML text), stored so every user of the project sees it."""

    __tablename__ = "catalog_extension"
    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(500), unique=True)
    text: Mapped[str] = mapped_column(Text)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(100))


class ChangeLog(Base):
    """Append-only audit trail: who changed what, when, old → new (JSON)."""

    __tablename__ = "change_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(Text)
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))


class Audit(Versioned, Base):
    """A departure audit of an official: draft while being worked on, frozen once final.

    ``snapshot`` holds the data the report showed (JSON) and ``fingerprint`` its SHA-256, which
    ``balancesheet verify`` recomputes from the database.
    """

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[str] = mapped_column(ForeignKey("official.id"))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    end_rule: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(8), default="draft")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    finalised_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finalised_by: Mapped[str | None] = mapped_column(String(100))
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    snapshot: Mapped[str | None] = mapped_column(Text)


class Finding(Versioned, Base):
    """An audit finding: proposed by the tool or entered by the auditor, accepted or rejected."""

    __tablename__ = "finding"
    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), index=True)
    area: Mapped[int] = mapped_column(Integer)          # audit content area 1 … 7
    description: Mapped[str] = mapped_column(Text)
    amount: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(32), default="")
    severity: Mapped[str] = mapped_column(String(8))     # 后果严重 / 较严重 / 一般
    responsibility: Mapped[str] = mapped_column(String(8))  # 直接责任 / 领导责任
    recommendation: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(200))     # "manual" or what proposed it
    status: Mapped[str] = mapped_column(String(10))      # proposed / accepted / rejected
    deduction: Mapped[float | None] = mapped_column(Float)  # overrides the scheme's points
    red_flag: Mapped[str | None] = mapped_column(String(16))
