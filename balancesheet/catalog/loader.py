"""Load and validate the account catalogs (accounts/*.toml) and county extensions.

Every problem is collected with its file and line, then reported together.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from balancesheet import units
from balancesheet.catalog import formula as formulas
from balancesheet.catalog.model import (
    DIRECTIONS,
    FACTOR_SPELLINGS,
    KINDS,
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
from balancesheet.errors import CatalogError, Issue, Location

_CODE = re.compile(r"^[0-9A-Za-z_\-]+$")
# Other data in accounts/, with loaders of their own (audit scoring; balancesheet.crosswalk).
NOT_CATALOGS = frozenset({"audit_scheme.toml", "crosswalk_land_2007.toml"})
_BLOCK = re.compile(r"^\s*\[\[\s*(\w+)\s*\]\]")
_TOP_KEYS = {"resource", "name", "name_en", "unit", "classification", "extends", "main_items"}
_KEYS = {
    "item": {"code", "name", "name_en", "parent", "kind", "unit", "formula"},
    "cause": {"code", "name", "name_en", "factor", "direction", "applies"},
    "alias": {"code", "target", "name", "name_en"},
    "group": {"code", "name", "name_en", "members"},
    "link": {"left", "right", "name", "name_en"},
    "indicator": {"code", "name", "name_en", "unit", "formula", "better"},
}


@dataclass(frozen=True)
class CatalogFile:
    """The text of one catalog file and the name it is reported under."""

    name: str
    text: str


class _Collector:
    """Gathers issues and knows the line of every [[block]] of a file."""

    def __init__(self) -> None:
        self.issues: list[Issue] = []
        self._lines: dict[str, dict[str, list[int]]] = {}

    def index(self, file: CatalogFile) -> None:
        blocks: dict[str, list[int]] = {}
        for number, line in enumerate(file.text.splitlines(), start=1):
            if m := _BLOCK.match(line):
                blocks.setdefault(m.group(1), []).append(number)
        self._lines[file.name] = blocks

    def where(self, file: str, table: str | None = None, index: int | None = None) -> Location:
        row = None
        if table is not None and index is not None:
            lines = self._lines.get(file, {}).get(table, [])
            row = lines[index] if index < len(lines) else None
        return Location(file=file, row=row)

    def add(self, location: Location, message: str, message_en: str = "") -> None:
        self.issues.append(Issue(location, message, message_en))


def shipped_files(directory: Path | None = None) -> list[CatalogFile]:
    """The shipped catalog files (resource files first, then indicators)."""
    from balancesheet.resources import accounts_dir

    folder = directory or accounts_dir()
    return [CatalogFile(p.name, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.toml"))
            if p.name not in NOT_CATALOGS]


def load_catalog(extensions: list[CatalogFile] | None = None, directory: Path | None = None) -> Catalog:
    """Load the shipped catalogs plus ``extensions``; raise CatalogError listing every problem."""
    return build_catalog(shipped_files(directory) + list(extensions or []))


def build_catalog(files: list[CatalogFile]) -> Catalog:
    """Parse and validate ``files`` into one Catalog."""
    col = _Collector()
    accounts: dict[str, Account] = {}
    indicators: dict[str, Indicator] = {}
    pending_links: list[tuple[Account, Link, Location]] = []
    parsed = [(f, _parse_toml(f, col)) for f in files]
    # Base files first, extensions after, so an extension can refer to shipped items.
    parsed.sort(key=lambda pair: bool(pair[1] and pair[1].get("extends")))
    for file, data in parsed:
        if data is None:
            continue
        col.index(file)
        if "indicator" in data:
            _load_indicators(file, data, indicators, col)
            continue
        account = _load_account_header(file, data, accounts, col)
        if account is None:
            continue
        _load_items(file, data, account, col)
        _load_causes(file, data, account, col)
        _load_aliases(file, data, account, col)
        _load_groups(file, data, account, col)
        for i, raw in enumerate(data.get("link", [])):
            link = _make_link(file, i, raw, account, col)
            if link:
                pending_links.append((account, link, col.where(file.name, "link", i)))
    for account in accounts.values():
        _check_hierarchy(account, col)
        for code in account.main_items:
            if code not in account.items and code not in account.groups:
                col.add(Location(account.main_items_source, row=1),
                        f"main_items 中的「{code}」不是本资源的项目或分组", f"Unknown main item {code!r}")
    ordered = {r: accounts[r] for r in RESOURCES if r in accounts}  # land, forest, water, wetland
    catalog = Catalog(ordered, indicators, tuple(f.name for f in files))
    _check_links(catalog, pending_links, col)
    _check_formulas(catalog, col)
    missing = [r for r in RESOURCES if r not in accounts]
    if missing and not col.issues:
        col.add(Location(), f"缺少资源目录文件：{', '.join(missing)}", f"Missing catalogs: {missing}")
    if col.issues:
        raise CatalogError(
            f"账户目录有 {len(col.issues)} 处错误，请改正后重试",
            f"The account catalogs have {len(col.issues)} error(s).",
            col.issues,
        )
    return catalog


def _parse_toml(file: CatalogFile, col: _Collector) -> dict[str, Any] | None:
    try:
        return tomllib.loads(file.text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        col.add(Location(file.name, row=int(m.group(1)) if m else None),
                f"TOML 语法错误：{exc}", "TOML syntax error")
        return None


def _unknown_keys(raw: dict[str, Any], table: str, loc: Location, col: _Collector) -> None:
    for key in sorted(set(raw) - _KEYS[table]):
        col.add(loc, f"未知字段「{key}」（拼写错误？）可用字段：{', '.join(sorted(_KEYS[table]))}",
                f"Unknown key {key!r}")


def _required_code(raw: dict[str, Any], loc: Location, col: _Collector, what: str) -> str | None:
    code = str(raw.get("code", "")).strip()
    if not code:
        col.add(loc, f"{what}缺少代码 code", f"{what}: missing code")
        return None
    if not _CODE.match(code):
        col.add(loc, f"代码「{code}」只能包含字母、数字、- 和 _", f"Invalid code {code!r}")
        return None
    if not str(raw.get("name", "")).strip():
        col.add(loc, f"{what}「{code}」缺少名称 name", f"{code}: missing name")
        return None
    return code


def _load_account_header(file: CatalogFile, data: dict[str, Any], accounts: dict[str, Account],
                         col: _Collector) -> Account | None:
    loc = Location(file.name, row=1)
    for key in sorted(set(data) - _TOP_KEYS - set(_KEYS)):
        col.add(loc, f"未知的顶层字段「{key}」", f"Unknown top-level key {key!r}")
    resource = resolve_resource(str(data.get("resource", "")))
    if resource is None:
        col.add(loc, f"resource 应为 land/forest/water/wetland，而不是「{data.get('resource', '')}」",
                "resource must be land, forest, water or wetland")
        return None
    if data.get("extends"):
        if resource not in accounts:
            col.add(loc, f"扩展文件所扩展的资源「{resource}」没有基础目录", "Extension of a missing catalog")
            return None
        return accounts[resource]
    if resource in accounts:
        col.add(loc, f"资源「{resource}」的目录重复定义（扩展文件须写 extends = true）",
                f"Catalog for {resource} defined twice")
        return None
    unit = str(data.get("unit", ""))
    if not units.is_known(unit):
        col.add(loc, f"未知单位「{unit}」", f"Unknown unit {unit!r}")
        return None
    for key in ("name", "name_en"):
        if not data.get(key):
            col.add(loc, f"缺少顶层字段 {key}", f"Missing {key}")
    account = Account(resource, str(data.get("name", "")), str(data.get("name_en", "")), units.unit(unit).symbol,
                      str(data.get("classification", "")))
    account.main_items = tuple(str(c) for c in data.get("main_items", []))
    account.main_items_source = file.name
    accounts[resource] = account
    return account


def _load_items(file: CatalogFile, data: dict[str, Any], account: Account, col: _Collector) -> None:
    for i, raw in enumerate(data.get("item", [])):
        loc = col.where(file.name, "item", i)
        _unknown_keys(raw, "item", loc, col)
        code = _required_code(raw, loc, col, "项目")
        if code is None:
            continue
        if code in account.items:
            col.add(loc, f"项目代码「{code}」重复", f"Duplicate item code {code!r}")
            continue
        kind = str(raw.get("kind", "stock"))
        if kind not in KINDS:
            col.add(loc, f"项目「{code}」的 kind 应为 stock/flow/derived，而不是「{kind}」", "Invalid kind")
            continue
        unit = str(raw.get("unit", account.unit))
        if not units.is_known(unit):
            col.add(loc, f"项目「{code}」的单位「{unit}」未知", f"Unknown unit {unit!r}")
            continue
        formula = raw.get("formula") or None
        if (kind == "derived") != bool(formula):
            col.add(loc, f"项目「{code}」：derived 项目必须有 formula，其他项目不能有",
                    "formula required exactly for derived items")
            continue
        parent = str(raw.get("parent") or "").strip() or None
        account.items[code] = Item(code, str(raw["name"]), parent, kind, units.unit(unit).symbol,
                                   str(raw.get("name_en", "")), formula, loc)


def _load_causes(file: CatalogFile, data: dict[str, Any], account: Account, col: _Collector) -> None:
    for i, raw in enumerate(data.get("cause", [])):
        loc = col.where(file.name, "cause", i)
        _unknown_keys(raw, "cause", loc, col)
        code = _required_code(raw, loc, col, "变动原因")
        if code is None:
            continue
        if code in account.causes:
            col.add(loc, f"变动原因代码「{code}」重复", f"Duplicate cause {code!r}")
            continue
        factor = FACTOR_SPELLINGS.get(str(raw.get("factor", "")))
        direction = str(raw.get("direction", ""))
        if factor is None:
            col.add(loc, f"变动原因「{code}」的 factor 应为 human/natural/other（人为/自然/其他）", "Invalid factor")
            continue
        if direction not in DIRECTIONS:
            col.add(loc, f"变动原因「{code}」的 direction 应为 {'/'.join(DIRECTIONS)}", "Invalid direction")
            continue
        applies = tuple(str(a) for a in raw.get("applies", []))
        for target in applies:
            if target not in account.items:
                col.add(loc, f"变动原因「{code}」的 applies 引用了不存在的项目「{target}」", "Unknown item in applies")
        account.causes[code] = Cause(code, str(raw["name"]), factor, direction, applies,
                                     str(raw.get("name_en", "")), loc)


def _load_aliases(file: CatalogFile, data: dict[str, Any], account: Account, col: _Collector) -> None:
    for i, raw in enumerate(data.get("alias", [])):
        loc = col.where(file.name, "alias", i)
        _unknown_keys(raw, "alias", loc, col)
        code, target = str(raw.get("code", "")).strip(), str(raw.get("target", "")).strip()
        if not code or target not in account.items:
            col.add(loc, f"别名「{code}」的目标项目「{target}」不存在", f"Alias {code!r}: unknown target")
        elif code in account.items or code in account.aliases:
            col.add(loc, f"别名「{code}」与已有代码重复", f"Alias {code!r} duplicates a code")
        else:
            account.aliases[code] = target


def _load_groups(file: CatalogFile, data: dict[str, Any], account: Account, col: _Collector) -> None:
    for i, raw in enumerate(data.get("group", [])):
        loc = col.where(file.name, "group", i)
        _unknown_keys(raw, "group", loc, col)
        code = _required_code(raw, loc, col, "分组")
        if code is None:
            continue
        if code in account.items or code in account.groups:
            col.add(loc, f"分组代码「{code}」与已有代码重复", f"Group {code!r} duplicates a code")
            continue
        members = tuple(str(m) for m in raw.get("members", []))
        unknown = [m for m in members if m not in account.items]
        if unknown or not members:
            col.add(loc, f"分组「{code}」的成员不存在或为空：{', '.join(unknown)}", "Unknown group members")
            continue
        account.groups[code] = Group(code, str(raw["name"]), members, loc)


def _make_link(file: CatalogFile, i: int, raw: dict[str, Any], account: Account,
               col: _Collector) -> Link | None:
    loc = col.where(file.name, "link", i)
    _unknown_keys(raw, "link", loc, col)
    right = str(raw.get("right", ""))
    right_resource, _, right_code = right.rpartition(":")
    left = str(raw.get("left", ""))
    if not left or not right_code or not right_resource:
        col.add(loc, "link 须有 left（本资源项目）和 right（资源:项目）", "link needs left and right")
        return None
    return Link(account.resource, left, resolve_resource(right_resource) or right_resource, right_code,
                str(raw.get("name", f"{left} = {right}")), loc)


def _check_hierarchy(account: Account, col: _Collector) -> None:
    for item in account.items.values():
        loc = item.source
        if item.parent is None:
            continue
        parent = account.items.get(item.parent)
        if parent is None:
            col.add(loc, f"项目「{item.code}」的上级项目「{item.parent}」不存在", f"Unknown parent {item.parent!r}")
        elif parent.kind == "derived":
            col.add(loc, f"项目「{item.code}」的上级「{item.parent}」是计算项，不能有下级", "Derived parent")
        elif units.unit(parent.unit) != units.unit(item.unit):
            col.add(loc, f"项目「{item.code}」的单位与上级「{item.parent}」不同", "Unit differs from parent")
    # Cycles: walk up from every item; a chain longer than the catalog is a loop.
    for code in account.items:
        seen: set[str] = set()
        current: str | None = code
        while current is not None and current in account.items:
            if current in seen:
                col.add(account.items[code].source, f"项目「{code}」的上下级关系成环", "Parent cycle")
                break
            seen.add(current)
            current = account.items[current].parent


def _check_links(catalog: Catalog, links: list[tuple[Account, Link, Location]], col: _Collector) -> None:
    for account, link, loc in links:
        other = catalog.accounts.get(link.right_resource)
        if link.left not in account.items and link.left not in account.groups:
            col.add(loc, f"link 左侧项目「{link.left}」不存在", f"Unknown link item {link.left!r}")
        elif other is None or (link.right not in other.items and link.right not in other.groups):
            col.add(loc, f"link 右侧「{link.right_resource}:{link.right}」不存在", "Unknown link target")
        else:
            account.links.append(link)


def ref_unit(catalog: Catalog, resource: str, code: str) -> str | None:
    """Unit of an item or group reference (None if unknown)."""
    account = catalog.accounts.get(resource)
    if account is None:
        return None
    if code in account.items:
        return account.items[code].unit
    if code in account.groups:
        return account.items[account.groups[code].members[0]].unit
    return None


def _check_formulas(catalog: Catalog, col: _Collector) -> None:
    targets: list[tuple[str, str, str, str, Location]] = []  # resource, code, text, unit, location
    for account in catalog.accounts.values():
        for item in account.items.values():
            if item.formula:
                targets.append((account.resource, item.code, item.formula, item.unit, item.source))
    for ind in catalog.indicators.values():
        targets.append(("", ind.code, ind.formula, ind.unit, ind.source))
    graph: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for resource, code, text, _unit, loc in targets:
        try:
            parsed = formulas.parse(text)
        except formulas.FormulaError as exc:
            col.add(loc, str(exc), "Invalid formula")
            continue
        ok = True
        for ref in parsed.refs:
            res, ref_code = ref.qualified(resource)
            res = resolve_resource(res) or res
            if ref_unit(catalog, res, ref_code) is None:
                col.add(loc, f"「{code}」的公式引用了不存在的项目「{res}:{ref_code}」", "Unknown reference")
                ok = False
        if not ok:
            continue

        def unit_of(ref: formulas.Ref, _r: str = resource) -> str | None:
            res, c = ref.qualified(_r)
            return ref_unit(catalog, resolve_resource(res) or res, c)

        for a, b in parsed.unit_conflicts(unit_of):
            col.add(loc, f"「{code}」的公式把不同单位的量相加减：{a} 与 {b}", "Adding different units")
        if resource:
            graph[(resource, code)] = [
                (resolve_resource(r.qualified(resource)[0]) or "", r.code) for r in parsed.refs
            ]
    _check_cycles(catalog, graph, col)


def _check_cycles(catalog: Catalog, graph: dict[tuple[str, str], list[tuple[str, str]]],
                  col: _Collector) -> None:
    state: dict[tuple[str, str], int] = {}

    def visit(node: tuple[str, str]) -> bool:
        if state.get(node) == 1:
            return False
        if state.get(node) == 2:
            return True
        state[node] = 1
        ok = all(visit(dep) for dep in graph.get(node, []) if dep in graph)
        state[node] = 2
        return ok

    for node in graph:
        if not visit(node):
            item = catalog.accounts[node[0]].items[node[1]]
            col.add(item.source, f"计算项「{node[1]}」的公式循环引用", "Formula cycle")
            return


def _load_indicators(file: CatalogFile, data: dict[str, Any], indicators: dict[str, Indicator],
                     col: _Collector) -> None:
    for i, raw in enumerate(data.get("indicator", [])):
        loc = col.where(file.name, "indicator", i)
        _unknown_keys(raw, "indicator", loc, col)
        code = _required_code(raw, loc, col, "指标")
        if code is None:
            continue
        if code in indicators:
            col.add(loc, f"指标代码「{code}」重复", f"Duplicate indicator {code!r}")
            continue
        unit, better = str(raw.get("unit", "")), str(raw.get("better", ""))
        if not units.is_known(unit):
            col.add(loc, f"指标「{code}」的单位「{unit}」未知", "Unknown unit")
            continue
        if better not in ("higher", "lower"):
            col.add(loc, f"指标「{code}」的 better 应为 higher 或 lower", "better must be higher/lower")
            continue
        if not raw.get("formula"):
            col.add(loc, f"指标「{code}」缺少 formula", "Missing formula")
            continue
        indicators[code] = Indicator(code, str(raw["name"]), units.unit(unit).symbol, str(raw["formula"]),
                                     better, str(raw.get("name_en", "")), loc)
