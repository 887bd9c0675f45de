"""The schema migration chain. Each step upgrades a database from version N to N+1.

A project file records its schema version in ``meta``. Opening an older file first writes a
dated backup copy, then runs the steps in one transaction; a file from a newer version of the
tool is refused rather than damaged. To change the schema: bump ``SCHEMA_VERSION`` in
``schema.py`` and add a step here keyed by the version it upgrades *from*.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection


def _v1_to_v2(conn: Connection) -> None:
    """Version 2 adds departure audits and their findings (no existing table changes)."""
    from balancesheet.store.schema import Audit, Finding

    Audit.__table__.create(conn, checkfirst=True)
    Finding.__table__.create(conn, checkfirst=True)


def _v2_to_v3(conn: Connection) -> None:
    """Version 3 adds parcel snapshots (图斑), table ``parcel`` (no existing table changes)."""
    from balancesheet.store.schema import Parcel

    Parcel.__table__.create(conn, checkfirst=True)


#: the tables whose rows are edited one at a time and carry a version since schema 4
VERSIONED_TABLES = ("period", "stock", "flow", "target", "official", "audit", "finding")


def _v3_to_v4(conn: Connection) -> None:
    """Version 4 adds ``version`` (1 for every existing row) to the rows users edit one at a time,
    so a concurrent change of the same row is detected instead of overwritten. Tables an earlier
    step created from today's models (audit, finding) have the column already."""
    from sqlalchemy import inspect

    for table in VERSIONED_TABLES:
        if any(c["name"] == "version" for c in inspect(conn).get_columns(table)):
            continue
        conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN version INTEGER NOT NULL DEFAULT 1")


# version it upgrades from → step
STEPS: dict[int, Callable[[Connection], None]] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}
