"""Catalog records: items, causes, aliases, groups, links and indicators, as plain data."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from balancesheet.errors import Location

RESOURCES: tuple[str, ...] = ("land", "forest", "water", "wetland")

RESOURCE_SPELLINGS: dict[str, str] = {
    "land": "land", "土地": "land", "土地资源": "land",
    "forest": "forest", "森林": "forest", "森林资源": "forest", "林木": "forest", "林木资源": "forest",
    "water": "water", "水": "water", "水资源": "water",
    "wetland": "wetland", "湿地": "wetland", "湿地资源": "wetland",
}

FACTORS: dict[str, str] = {"human": "人为因素", "natural": "自然因素", "other": "其他因素"}
FACTOR_SPELLINGS: dict[str, str] = {
    "human": "human", "人为": "human", "人为因素": "human",
    "natural": "natural", "自然": "natural", "自然因素": "natural",
    "other": "other", "其他": "other", "其他因素": "other", "核算调整": "other",
}
DIRECTIONS = ("add", "reduce", "both", "transfer", "any")
KINDS = ("stock", "flow", "derived")


@dataclass(frozen=True)
class Item:
    """An account item: a land class, a forest area or volume class, a water quantity …"""

    code: str
    name: str
    parent: str | None
    kind: str
    unit: str
    name_en: str = ""
    formula: str | None = None
    source: Location = Location()


@dataclass(frozen=True)
class Cause:
    """A cause of change, belonging to a factor (human / natural / other)."""

    code: str
    name: str
    factor: str
    direction: str
    applies: tuple[str, ...] = ()
    name_en: str = ""
    source: Location = Location()

    def allows(self, direction: str) -> bool:
        """True if a flow of ``direction`` (add / reduce / transfer) may carry this cause."""
        if self.direction == "any":
            return True
        if self.direction == "both":
            return direction in ("add", "reduce")
        return self.direction == direction


@dataclass(frozen=True)
class Group:
    """A summary grouping across the hierarchy (e.g. 三大类 农用地/建设用地/未利用地)."""

    code: str
    name: str
    members: tuple[str, ...]
    source: Location = Location()


@dataclass(frozen=True)
class Link:
    """A cross-resource identity: ``left`` of this resource equals ``right`` (``resource:code``)."""

    resource: str
    left: str
    right_resource: str
    right: str
    name: str
    source: Location = Location()


@dataclass(frozen=True)
class Indicator:
    """An indicator that targets refer to, computed by a formula over account items."""

    code: str
    name: str
    unit: str
    formula: str
    better: str
    name_en: str = ""
    source: Location = Location()


@dataclass
class Account:
    """The catalog of one resource, with hierarchy queries."""

    resource: str
    name: str
    name_en: str
    unit: str
    classification: str = ""
    items: dict[str, Item] = field(default_factory=dict)
    causes: dict[str, Cause] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    main_items: tuple[str, ...] = ()  # shown as assets in the 资产负债总表
    main_items_source: str = ""

    @cached_property
    def children(self) -> dict[str, list[str]]:
        """Parent code → child codes, in catalog order."""
        out: dict[str, list[str]] = {code: [] for code in self.items}
        for item in self.items.values():
            if item.parent:
                out[item.parent].append(item.code)
        return out

    def ancestors(self, code: str) -> list[str]:
        """``code`` itself followed by its parent, grandparent … up to the root."""
        chain = [code]
        while (parent := self.items[chain[-1]].parent) is not None:
            chain.append(parent)
        return chain

    @cached_property
    def ancestor_pairs(self) -> list[tuple[str, str]]:
        """(item, ancestor) for every item and each of its ancestors, itself included."""
        return [(code, a) for code in self.items for a in self.ancestors(code)]

    def class_at_level(self, code: str, level: int) -> str:
        """The ancestor of ``code`` at depth ``level`` (itself if it is shallower)."""
        chain = self.ancestors(code)[::-1]
        return chain[min(level, len(chain) - 1)]

    def is_leaf(self, code: str) -> bool:
        """True if the item has no children."""
        return not self.children[code]

    def leaves_under(self, code: str) -> list[str]:
        """Leaf codes in the subtree of ``code`` (itself if it is a leaf)."""
        if self.is_leaf(code):
            return [code]
        out: list[str] = []
        for child in self.children[code]:
            out.extend(self.leaves_under(child))
        return out

    def depth(self, code: str) -> int:
        """0 for a root, 1 for its children …"""
        return len(self.ancestors(code)) - 1

    @cached_property
    def order(self) -> list[str]:
        """Item codes in display order: depth-first, parents before children."""
        out: list[str] = []

        def visit(code: str) -> None:
            out.append(code)
            for child in self.children[code]:
                visit(child)

        for item in self.items.values():
            if item.parent is None:
                visit(item.code)
        return out

    @cached_property
    def _names(self) -> dict[str, str]:
        # Names as typed and NFKC-folded: an importer folds full-width （） to () in cells.
        names = {unicodedata.normalize("NFKC", item.name): item.code for item in self.items.values()}
        return names | {item.name: item.code for item in self.items.values()}

    def resolve_item(self, text: str) -> str | None:
        """Map a code, alias or exact Chinese name to an item code; None if unknown."""
        key = str(text).strip()
        if key in self.items:
            return key
        if key in self.aliases:
            return self.aliases[key]
        return self._names.get(key)

    def resolve_cause(self, text: str) -> str | None:
        """Map a cause code or name (full-width brackets or not) to its code; None if unknown."""
        key = str(text).strip()
        if key in self.causes:
            return key
        folded = unicodedata.normalize("NFKC", key)
        for cause in self.causes.values():
            if key == cause.name or folded == unicodedata.normalize("NFKC", cause.name):
                return cause.code
        return None

    def stock_leaves(self) -> list[str]:
        """Leaf items of kind stock (where stocks and flows are booked)."""
        return [c for c in self.order if self.is_leaf(c) and self.items[c].kind == "stock"]

    def cause_applies(self, cause: Cause, item: str) -> bool:
        """True if ``cause`` may be booked on ``item``."""
        if not cause.applies:
            return True
        return any(a in cause.applies for a in self.ancestors(item))


@dataclass
class Catalog:
    """All accounts and indicators in force for a project."""

    accounts: dict[str, Account]
    indicators: dict[str, Indicator]
    sources: tuple[str, ...] = ()

    def account(self, resource: str) -> Account:
        """The account of ``resource`` (any spelling: land, 土地 …)."""
        key = resolve_resource(resource)
        if key is None or key not in self.accounts:
            from balancesheet.errors import UserError

            raise UserError(
                f"未知资源「{resource}」，应为 土地/森林/水资源/湿地 或 land/forest/water/wetland",
                f"Unknown resource {resource!r}.",
            )
        return self.accounts[key]

    def resolve_indicator(self, text: str) -> str | None:
        """Map an indicator code or name to its code; None if unknown."""
        key = str(text).strip()
        if key in self.indicators:
            return key
        for ind in self.indicators.values():
            if key in (ind.name, ind.name_en):
                return ind.code
        return None


def resolve_resource(text: str) -> str | None:
    """Map a resource spelling (land, 土地, 土地资源 …) to its code; None if unknown."""
    return RESOURCE_SPELLINGS.get(str(text).strip().lower()) or RESOURCE_SPELLINGS.get(str(text).strip())
