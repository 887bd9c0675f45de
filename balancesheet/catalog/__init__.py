"""Account catalogs: the items, causes, groups, links and indicators, loaded from data files."""

from __future__ import annotations

from balancesheet.catalog.loader import CatalogFile, build_catalog, load_catalog
from balancesheet.catalog.model import (
    FACTORS,
    RESOURCES,
    Account,
    Catalog,
    Cause,
    Group,
    Indicator,
    Item,
    Link,
    resolve_resource,
)

__all__ = [
    "FACTORS", "RESOURCES", "Account", "Catalog", "CatalogFile", "Cause", "Group", "Indicator",
    "Item", "Link", "build_catalog", "load_catalog", "resolve_resource",
]
