"""A project: its database and the catalog in force (shipped catalogs + the project's extensions)."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from pathlib import Path

from sqlalchemy import select

from balancesheet.catalog import Catalog, CatalogFile, build_catalog
from balancesheet.catalog.loader import shipped_files
from balancesheet.errors import UserError
from balancesheet.store import Store, current_user, open_store
from balancesheet.store.schema import CatalogExtension, Region


class Project:
    """Everything a command needs: the store and the catalog."""

    def __init__(self, store: Store):
        self.store = store

    @classmethod
    def open(cls, target: str | Path, create: bool = False) -> Project:
        """Open (or with ``create``, create) the project at a file path or database URL."""
        return cls(open_store(target, create=create))

    @cached_property
    def catalog(self) -> Catalog:
        """Shipped catalogs plus the extensions stored in this project."""
        return build_catalog(shipped_files() + self.extensions())

    def extensions(self) -> list[CatalogFile]:
        """Catalog extensions stored in the project."""
        with self.store.session() as s:
            rows = s.scalars(select(CatalogExtension).order_by(CatalogExtension.id)).all()
            return [CatalogFile(r.file_name, r.text) for r in rows]

    def add_extension(self, path: Path) -> None:
        """Validate a catalog extension file against the catalogs and store it in the project."""
        file = CatalogFile(path.name, path.read_text(encoding="utf-8"))
        build_catalog(shipped_files() + self.extensions() + [file])  # raises CatalogError with lines
        with self.store.session() as s:
            existing = s.scalar(select(CatalogExtension).where(CatalogExtension.file_name == file.name))
            old = existing.text if existing else None
            if existing:
                existing.text = file.text
            else:
                s.add(CatalogExtension(file_name=file.name, text=file.text,
                                       added_at=dt.datetime.now(), user=current_user()))
            self.store.log(s, "extend", "catalog", file.name, old, file.text)
        self.__dict__.pop("catalog", None)

    def region(self, code: str) -> Region:
        """The region ``code`` or a UserError naming the known ones."""
        with self.store.session() as s:
            region = s.get(Region, str(code).strip())
            if region is None:
                known = "、".join(f"{r.code} {r.name}" for r in s.scalars(select(Region)).all()) or "无"
                raise UserError(f"未找到区划代码 {code}。项目中的区划：{known}", f"Unknown region {code}.")
            return region

    def regions(self) -> list[tuple[str, str]]:
        """(code, name) of every region of the project, by code."""
        with self.store.session() as s:
            return [(r.code, r.name) for r in s.scalars(select(Region).order_by(Region.code)).all()]

    def close(self) -> None:
        """Release the database."""
        self.store.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
