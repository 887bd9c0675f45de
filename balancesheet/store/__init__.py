"""Storage: the project database (SQLite file or PostgreSQL server) through SQLAlchemy."""

from __future__ import annotations

from balancesheet.store.db import Store, current_user, database_url, open_store

__all__ = ["Store", "current_user", "database_url", "open_store"]
