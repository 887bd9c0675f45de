"""Row labels of a 存量及变动表 → catalog items and groups, and the unit each row is in.

A row names its item by code, by name, or both (they must agree). Names are compared after
folding full-width characters and spaces and dropping what hand-made tables add: numbering
(一、 1. （1）), 其中：, and a 合计/小计/总计 suffix. Codes typed as numbers lose leading zeros
(101 → 0101): a code with an odd number of digits is tried with one more zero.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from balancesheet import units
from balancesheet.catalog import Account, Catalog
from balancesheet.importer.wide_layout import fold

_NUMBERING = re.compile(r"^(其中[:：]?|[(]?[一二三四五六七八九十]+[)、.]|[(]?\d{1,2}[)、.](?!\d)|[(]\d{1,2}[)])+")
_TOTAL = re.compile(r"[(]?(合计|小计|总计)[)]?$")


def clean_name(text: str) -> str:
    """A row label as it is compared with catalog names."""
    name = _NUMBERING.sub("", fold(text))
    return _TOTAL.sub("", name)


def is_total_label(text: str) -> bool:
    """True for a bare 合计 / 小计 / 总计 (a total whose item the label does not name)."""
    return bool(fold(text)) and not clean_name(text) and bool(_TOTAL.search(fold(text)))


@dataclass
class ItemIndex:
    """Codes and names of one account's items and groups, for resolving row labels."""

    account: Account
    codes: dict[str, str] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, account: Account) -> ItemIndex:
        """Index ``account`` (items, aliases, groups)."""
        index = cls(account)
        for code, item in account.items.items():  # catalog items: tens
            index.codes[fold(code).upper()] = code
            index.names.setdefault(fold(item.name), []).append(code)
        for alias, code in account.aliases.items():
            index.codes[fold(alias).upper()] = code
        for code, group in account.groups.items():
            index.codes[fold(code).upper()] = code
            index.names.setdefault(fold(group.name), []).append(code)
        return index

    def by_code(self, text: str) -> str | None:
        """The item or group a code names (101 → 0101), else None."""
        key = fold(text).upper()
        if key in self.codes:
            return self.codes[key]
        if key.isdigit() and len(key) % 2:
            return self.codes.get("0" + key)
        return None

    def resolve(self, code_text: str, name_text: str) -> tuple[str | None, str]:
        """(item or group code, "") or (None, why not, in Chinese)."""
        account = self.account
        name = clean_name(name_text)
        named = self.names.get(name, [])
        if fold(code_text):
            code = self.by_code(code_text)
            if code is None:
                return None, f"代码「{code_text}」不在{account.name}目录中（可在 accounts/ 中扩展）"
            if named and code not in named:
                return None, (f"代码与名称不一致：代码 {code} 是「{self.label(code)}」，"
                              f"而「{name_text.strip()}」是 {'、'.join(named)}")
            return code, ""
        if not name:
            if is_total_label(name_text):
                return None, "合计行未写明是哪个项目的合计，请写成如「耕地合计」或填写代码"
            return None, "没有项目代码或名称"
        if not named:
            return None, (f"项目「{name_text.strip()}」不在{account.name}目录中"
                          "（请核对名称、填写代码，或在 accounts/ 中扩展）")
        if len(named) > 1:
            return None, f"名称「{name_text.strip()}」对应多个项目（{'、'.join(named)}），请在代码列写明代码"
        return named[0], ""

    def label(self, code: str) -> str:
        """The catalog name of an item or group."""
        if code in self.account.items:
            return self.account.items[code].name
        return self.account.groups[code].name

    def kind(self, code: str) -> str:
        """stock / flow / derived for items, group for groups."""
        return self.account.items[code].kind if code in self.account.items else "group"

    def unit(self, code: str) -> str:
        """The unit an item is stored in (groups: the account's unit)."""
        return self.account.items[code].unit if code in self.account.items else self.account.unit

    def hits(self, code_text: str, name_text: str) -> int:
        """1 if the label resolves in this account (to guess a sheet's resource), else 0."""
        return int(self.resolve(code_text, name_text)[0] is not None)


@dataclass
class Indexes:
    """ItemIndex per resource of a catalog, built on first use."""

    catalog: Catalog

    @cached_property
    def by_resource(self) -> dict[str, ItemIndex]:
        """resource → ItemIndex."""
        return {r: ItemIndex.of(a) for r, a in self.catalog.accounts.items()}


def unit_for(target: str, given: str, title: list[str]) -> str:
    """The unit a value of an item stored in ``target`` is written in: the row's own unit cell,
    else the title's unit of the same dimension (单位：亩), else the item's unit."""
    if given:
        return given
    for candidate in title:
        if units.is_known(target) and units.same_dimension(candidate, target):
            return candidate
    return target


__all__ = ["ItemIndex", "Indexes", "clean_name", "is_total_label", "unit_for"]
