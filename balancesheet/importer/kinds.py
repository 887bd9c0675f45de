"""Per-format parsing: raw text table → clean, typed, converted DataFrame (or issues).

Each parser validates every row and column (collecting all issues), resolves codes, aliases and
names through the catalog, and converts units to the catalog item's unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from balancesheet.catalog import Catalog, resolve_resource
from balancesheet.errors import Issue
from balancesheet.importer.validate import Checker, zero_padded

Parser = Callable[[Checker, Catalog, set[str]], pd.DataFrame]


def _regions(ck: Checker, known: set[str]) -> pd.Series:
    codes = ck.required("region")
    ck.reject((codes != "") & ~codes.str.fullmatch(r"\d{6}"), "region",
              "区划代码应为 6 位数字", "region code must be 6 digits")
    ck.reject(codes.str.fullmatch(r"\d{6}") & ~codes.isin(known), "region",
              "区划代码不在项目中，请先导入区划表（regions）", "unknown region: import regions first")
    return codes


def _resources(ck: Checker, catalog: Catalog) -> pd.Series:
    return ck.mapped("resource", ck.required("resource"),
                     lambda r: r if (r := resolve_resource(r)) in catalog.accounts else None,
                     "未知资源（应为 土地/森林/水资源/湿地 或 land/forest/water/wetland）", "unknown resource")


def _items(ck: Checker, catalog: Catalog, resource: pd.Series, column: str,
           fixed_resource: str | None = None) -> pd.Series:
    raw = ck.required(column)
    keys = (resource.fillna("") if fixed_resource is None else pd.Series(fixed_resource, index=raw.index))
    padded_of: set[tuple[str, str]] = set()  # codes a spreadsheet stored as numbers: 101 → 0101

    def resolve(parts: list[str]) -> str | None:
        res, text = parts
        account = catalog.accounts.get(res)
        code = account.resolve_item(text) if account else None
        if code is None and account is not None:
            padded = zero_padded(text, account.items.keys() | account.aliases.keys())
            if padded is not None:
                code = account.resolve_item(padded)
                padded_of.add((res, text))
        return code

    combos = _Combinations([keys, raw])
    code_of = {tuple(parts): resolve(parts) for parts in combos.distinct}
    resolved = combos.map(lambda parts: code_of[tuple(parts)])
    ck.reject(combos.flag(lambda p: p[0] != "" and p[1] != "" and code_of[tuple(p)] is None), column,
              "项目代码在账户目录中不存在（可在 accounts/ 扩展）", "unknown item code")
    padded = combos.flag(lambda p: tuple(p) in padded_of)
    ck.fixed("补足编码丢失的前导零（按数字存储的编码）", column, padded, raw, resolved)
    rolled = combos.flag(lambda p: p[1] != "" and code_of[tuple(p)] not in (None, p[1])
                         and tuple(p) not in padded_of)
    if rolled.any():
        pairs = pd.DataFrame({"from": raw[rolled], "to": resolved[rolled]}).value_counts()
        ck.notes.append("代码归并：" + "，".join(f"{a}→{b}（{n} 行）" for (a, b), n in pairs.items()))
    return resolved


class _Combinations:
    """The distinct combinations of some columns' values, row by row, for per-combination lookups.

    Vectorised without building a string per row: each column is factorised and the codes are
    combined into one number per row (renumbered after each column, so it stays below the row
    count); a lookup runs once per distinct combination and is spread back by position.
    """

    def __init__(self, columns: Sequence[pd.Series | str]) -> None:
        self.index = next(c.index for c in columns if isinstance(c, pd.Series))
        combined = np.zeros(len(self.index), dtype=np.int64)
        parts: list[tuple[np.ndarray, list[str]]] = []
        for column in columns:
            if isinstance(column, pd.Series):
                codes, uniques = pd.factorize(column, use_na_sentinel=True)
                text = ["" if pd.isna(u) else str(u) for u in uniques] + [""]  # code -1 → last: ''
                codes = np.where(codes < 0, len(text) - 1, codes)
            else:
                codes, text = np.zeros(len(self.index), dtype=np.int64), [column]
            combined = pd.factorize(combined * len(text) + codes)[0]
            parts.append((codes, text))
        self.rows = combined
        # factorize numbers the combinations 0, 1, 2 … by first appearance: a row is the first of
        # its combination exactly where its number exceeds every number before it.
        seen = np.maximum.accumulate(combined) if len(combined) else combined
        first = np.flatnonzero(combined > np.concatenate(([-1], seen[:-1])))
        self.distinct = [[text[codes[row]] for codes, text in parts] for row in first.tolist()]

    def map(self, compute: Callable[[list[str]], object]) -> pd.Series:
        """``compute(parts)`` for every row (parts as text, '' where missing), once per combination."""
        results = np.empty(len(self.distinct), dtype=object)
        results[:] = [compute(parts) for parts in self.distinct]
        return pd.Series(results[self.rows], index=self.index, dtype=object)

    def flag(self, compute: Callable[[list[str]], bool]) -> pd.Series:
        """A boolean per row: ``compute(parts)`` once per combination."""
        results = np.fromiter((bool(compute(parts)) for parts in self.distinct), dtype=bool,
                              count=len(self.distinct))
        return pd.Series(results[self.rows], index=self.index)


def _lookup(columns: Sequence[pd.Series | str], compute: Callable[[list[str]], object]) -> pd.Series:
    """Map each row's values of ``columns`` through ``compute(parts)``, once per distinct combination."""
    return _Combinations(columns).map(compute)


def _item_attr(catalog: Catalog, resource: pd.Series | str, items: pd.Series, attr: str) -> pd.Series:
    def get(parts: list[str]) -> object:
        r, i = parts
        account = catalog.accounts.get(r)
        return getattr(account.items[i], attr) if account and i in account.items else None

    return _lookup([resource, items], get)


def _item_units(catalog: Catalog, resource: pd.Series, items: pd.Series) -> pd.Series:
    return _item_attr(catalog, resource, items, "unit")


def parse_regions(ck: Checker, catalog: Catalog, known: set[str]) -> pd.DataFrame:
    """regions: region, name, parent, area, unit."""
    codes = ck.required("region")
    ck.reject((codes != "") & ~codes.str.fullmatch(r"\d{6}"), "region",
              "区划代码应为 6 位数字", "region code must be 6 digits")
    names = ck.required("name")
    parents = ck.text("parent")
    ck.reject((parents != "") & ~parents.isin(known | set(codes)), "parent",
              "上级区划代码既不在本表也不在项目中", "unknown parent region")
    ck.reject((parents != "") & (parents == codes), "parent", "上级区划不能是自身", "region is its own parent")
    area = ck.number("area", required=False)
    ck.non_negative(area, "area", "面积")
    factors = ck.unit_factors("unit", pd.Series("公顷", index=codes.index), "公顷")
    frame = pd.DataFrame({"code": codes, "name": names, "parent_code": parents.where(parents != "", None),
                          "area_ha": (area * factors).round(8)})
    ck.duplicates(frame, ["code"], "region", "区划代码")
    return frame


def parse_stocks(ck: Checker, catalog: Catalog, known: set[str]) -> pd.DataFrame:
    """stocks: region, year, resource, item, value, unit."""
    region = _regions(ck, known)
    year = ck.year()
    resource = _resources(ck, catalog)
    raw_item = ck.text("item")
    item = _items(ck, catalog, resource, "item")
    kinds = _kinds(catalog, resource, item)
    ck.reject(kinds == "derived", "item", "计算项（由公式得出）不能导入，请导入其组成项目",
              "derived items are computed, not imported")
    value = ck.number("value")
    ck.non_negative(value, "value", "存量")
    target_unit = _item_units(catalog, resource, item)
    factors = ck.unit_factors("unit", target_unit, None)
    frame = pd.DataFrame({"region_code": region, "year": year, "resource": resource, "item": item,
                          "raw_item": raw_item, "value": (value * factors).round(8), "unit": target_unit})
    # A code and its Chinese name are the same item (a duplicate); a suffixed survey code (0201K)
    # is a separate row that rolls up into its base item (summed below).
    alias = _Combinations([resource, raw_item]).flag(lambda parts: parts[0] in catalog.accounts
                                                     and parts[1] in catalog.accounts[parts[0]].aliases)
    frame["key"] = frame["item"].where(~alias, raw_item)
    if "item" in ck.source:  # crosswalked: each old class is its own row (several may add up)
        frame["key"] = ("old:" + ck.source["item"]).fillna(frame["key"])
    ck.duplicates(frame, ["region_code", "year", "resource", "key"], "item", "同一区划、年度、资源的项目")
    clean = frame[~ck.bad]
    if ck.crosswalk is not None:  # an old class split across classes: one row per share
        clean = ck.crosswalk.expand(clean, {"item": "item"}, "value")
    # Suffixed survey codes (0201K …) roll up into their base item: sum them.
    return (clean.groupby(["region_code", "year", "resource", "item", "unit"], as_index=False)["value"]
            .sum())


def _kinds(catalog: Catalog, resource: pd.Series, item: pd.Series) -> pd.Series:
    return _item_attr(catalog, resource, item, "kind")


_DIRECTIONS = {"add": "add", "增加": "add", "增": "add", "+": "add", "reduce": "reduce", "减少": "reduce",
               "减": "reduce", "-": "reduce"}


def parse_flows(ck: Checker, catalog: Catalog, known: set[str]) -> pd.DataFrame:
    """flows: region, year, resource, item, direction, cause, value, unit."""
    region = _regions(ck, known)
    year = ck.year()
    resource = _resources(ck, catalog)
    item = _items(ck, catalog, resource, "item")
    direction = ck.mapped("direction", ck.required("direction"), lambda d: _DIRECTIONS.get(d.lower()),
                          "方向应为 增加/减少（add/reduce）", "direction must be add or reduce")
    _check_leaf(ck, catalog, resource, item, "item")
    cause = _causes(ck, catalog, resource, item, direction, ck.required("cause"))
    value = ck.number("value")
    ck.reject(value < 0, "value", "变动量不能为负数（用「方向」列表示减少）", "flow value must not be negative")
    target_unit = _item_units(catalog, resource, item)
    factors = ck.unit_factors("unit", target_unit, None)
    frame = pd.DataFrame({
        "region_code": region, "year": year, "resource": resource,
        "from_item": item.where(direction == "reduce"), "to_item": item.where(direction == "add"),
        "cause": cause, "value": (value * factors).round(8),
    })
    return frame[~ck.bad]


def _check_leaf(ck: Checker, catalog: Catalog, resource: pd.Series | str, item: pd.Series,
                column: str) -> None:
    def not_leaf(parts: list[str]) -> bool:
        r, i = parts
        account = catalog.accounts.get(r)
        return bool(account and i in account.items
                    and (not account.is_leaf(i) or account.items[i].kind != "stock"))

    mask = _Combinations([resource, item]).flag(not_leaf)
    ck.reject(mask & item.notna(), column, "变动只能记在末级存量项目上（不能记在汇总项、年度流量或计算项上）",
              "flows are booked on leaf stock items only")


def _causes(ck: Checker, catalog: Catalog, resource: pd.Series | str, item: pd.Series,
            direction: pd.Series | str, causes: pd.Series) -> pd.Series:
    def resolve(parts: list[str]) -> str | None:
        r, c = parts
        return catalog.accounts[r].resolve_cause(c) if r in catalog.accounts else None

    resolved = _lookup([resource, causes], resolve)
    has_resource = item.notna() if isinstance(resource, str) else resource.notna()
    ck.reject((causes != "") & has_resource & resolved.isna(), "cause",
              "变动原因不在账户目录中（可在 accounts/ 扩展）", "unknown cause")

    def misfit(parts: list[str]) -> bool:
        r, c, d, i = parts
        account = catalog.accounts.get(r)
        if not account or c not in account.causes or i not in account.items:
            return False
        cause = account.causes[c]
        return not (cause.allows(d) and account.cause_applies(cause, i))

    mask = _Combinations([resource, resolved, direction, item]).flag(misfit)
    ck.reject(mask, "cause", "该变动原因不适用于此项目或此方向", "cause does not apply to this item/direction")
    return resolved


def parse_land_changes(ck: Checker, catalog: Catalog, known: set[str]) -> pd.DataFrame:
    """land changes: region, year, from, to, area, cause (optional), unit."""
    region = _regions(ck, known)
    year = ck.year()
    source = _items(ck, catalog, None, "from", fixed_resource="land")  # type: ignore[arg-type]
    target = _items(ck, catalog, None, "to", fixed_resource="land")  # type: ignore[arg-type]
    _check_leaf(ck, catalog, "land", source, "from")
    _check_leaf(ck, catalog, "land", target, "to")
    land = catalog.accounts["land"]
    root_of = {code: land.ancestors(code)[-1] for code in land.items}
    ck.reject(_Combinations([source, target]).flag(lambda p: bool(p[0] and p[1]) and root_of[p[0]] != root_of[p[1]]),
              "to",
              "变更前后地类不属于同一分类体系（如「永久基本农田」是备忘项，不是地类）",
              "from and to must be classes of the same hierarchy")
    area = ck.number("area")
    ck.reject(area <= 0, "area", "变更面积应大于 0", "area must be positive")
    raw_cause = ck.text("cause").replace("", "NA")
    cause = _causes(ck, catalog, "land", source, "transfer", raw_cause)
    factors = ck.unit_factors("unit", pd.Series("公顷", index=area.index), "公顷")
    frame = pd.DataFrame({"region_code": region, "year": year, "resource": "land", "from_item": source,
                          "to_item": target, "cause": cause, "value": (area * factors).round(8)})
    frame = frame[~ck.bad]
    if ck.crosswalk is not None:  # an old class split across classes: one record per share
        frame = ck.crosswalk.expand(frame, {"from": "from_item", "to": "to_item"}, "value")
    same = frame["from_item"] == frame["to_item"]
    if same.any():
        ck.notes.append(f"{int(same.sum())} 条记录变更前后归并为同一地类（如 0201K→0201），不构成变化，已略过")
    return frame[~same]


_TOWN_ATTR = r"20[1-5]A?"  # 城镇村属性码: 201 城市 … 205 特殊用地; A marks a split-off part
DEDUCTION_HEADERS = ("扣除地类面积", "KCMJ")
MEDIAN_PARCEL_HA = 100.0  # above this (with no unit column) the areas look like 平方米, not 公顷


def parse_parcels(ck: Checker, catalog: Catalog, known: set[str]) -> pd.DataFrame:
    """parcels: region, year, parcel_id, class, area, town_attr, ownership, unit (areas → 公顷)."""
    region = _regions(ck, known)
    year = ck.year()
    parcel = ck.required("parcel_id")
    ck.reject(parcel.str.len() > 64, "parcel_id", "图斑编号过长（最多 64 个字符）", "parcel id over 64 characters")
    raw_class = ck.text("class")
    land_class = _items(ck, catalog, None, "class", fixed_resource="land")  # type: ignore[arg-type]
    land = catalog.accounts["land"]
    root = next(c for c in land.order if land.items[c].parent is None)
    classes = set(land.leaves_under(root))
    ck.reject(land_class.notna() & ~land_class.isin(classes), "class",
              f"图斑地类应为「{land.items[root].name}」下的末级地类（如 0101、0201K），不能是一级类或备忘项",
              "a parcel's class must be a second-level (leaf) land class")
    area = ck.number("area")
    ck.reject(area <= 0, "area", "图斑面积应大于 0", "parcel area must be positive")
    town = ck.text("town_attr")
    ck.reject((town != "") & ~town.str.fullmatch(_TOWN_ATTR), "town_attr",
              "城镇村属性码应为 201–205（可带 A，如 201A）或留空", "town attribute must be 201–205 or empty")
    ownership = ck.text("ownership")
    ck.reject(ownership.str.len() > 32, "ownership", "权属性质过长（最多 32 个字符）", "ownership over 32 characters")
    factors = ck.unit_factors("unit", pd.Series("公顷", index=area.index), "公顷")
    frame = pd.DataFrame({
        "region_code": region, "year": year, "parcel_id": parcel, "class_code": land_class,
        "survey_code": raw_class.where(raw_class != land_class), "area": (area * factors).round(8),
        "town_attr": town.where(town != ""), "ownership": ownership.where(ownership != ""),
    })
    ck.duplicates(frame, ["region_code", "year", "parcel_id"], "parcel_id", "同一区划、年度的图斑编号")
    _check_parcel_unit(ck, area)
    deducted = [h for h in ck.table.headers if h.upper() in DEDUCTION_HEADERS]
    if deducted:
        ck.notes.append(f"文件有「{deducted[0]}」列：按「{ck.columns['area']}」列计入图斑地类，扣除部分（多为田坎 1203）"
                        "未单独导入")
    return frame[~ck.bad]


def _check_parcel_unit(ck: Checker, area: pd.Series) -> None:
    """Refuse areas that look like 平方米 (survey exports' usual unit) when no unit column says so."""
    if "unit" in ck.columns or area.empty:
        return
    median = float(area.median())
    if median > MEDIAN_PARCEL_HA:
        ck.issues.append(Issue(
            ck.table.location(None, ck.columns["area"]),
            f"文件没有单位列，图斑面积的中位数为 {median:,.2f}，按公顷计不像图斑（调查数据常用平方米）。"
            "请加一列「单位」写明 平方米 或 公顷 后重新导入",
            "no unit column and the median parcel area looks like square metres: add a unit column",
            f"{median:g}"))


_OPS = {">=": ">=", "≥": ">=", "=>": ">=", "不低于": ">=", "不少于": ">=", "<=": "<=", "≤": "<=",
        "=<": "<=", "不高于": "<=", "不超过": "<="}
_BINDING = {"yes": True, "y": True, "true": True, "1": True, "是": True, "约束性": True,
            "no": False, "n": False, "false": False, "0": False, "否": False, "预期性": False}


def parse_targets(ck: Checker, catalog: Catalog, known: set[str]) -> pd.DataFrame:
    """targets: region, indicator, year_from, year_to, op, value, binding, source."""
    region = _regions(ck, known)
    indicator = ck.mapped("indicator", ck.required("indicator"), catalog.resolve_indicator,
                          "指标不在指标目录（accounts/indicators.toml）中", "unknown indicator")
    year_from = ck.integer("year_from", 1949, 2100)
    year_to = ck.integer("year_to", 1949, 2100)
    ck.reject(year_from > year_to, "year_to", "截止年度早于起始年度", "year_to before year_from")
    op = ck.mapped("op", ck.required("op"), _OPS.get, "比较符应为 >= 或 <=", "op must be >= or <=")
    value = ck.number("value")
    binding_text = ck.text("binding").str.lower()
    binding = binding_text.map(_BINDING)
    ck.reject((binding_text != "") & binding.isna(), "binding", "约束性应为 是/否（yes/no）",
              "binding must be yes or no")
    frame = pd.DataFrame({"region_code": region, "indicator": indicator, "year_from": year_from,
                          "year_to": year_to, "op": op, "value": value,
                          # an empty binding cell means binding (the default); no fillna(True) on a float
                          # column of NaN, which pandas 4 refuses
                          "binding": binding.isna() | binding.eq(True), "source": ck.text("source")})
    ck.duplicates(frame, ["region_code", "indicator", "year_from", "year_to"], "indicator", "同一指标和期间")
    return frame[~ck.bad]


def parse_officials(ck: Checker, catalog: Catalog, known: set[str]) -> pd.DataFrame:
    """officials: id, name, post, region, start, end."""
    ids = ck.required("id")
    names = ck.required("name")
    posts = ck.required("post")
    region = _regions(ck, known)
    start = ck.date("start")
    end = ck.date("end", required=False)
    start_ts, end_ts = pd.to_datetime(start), pd.to_datetime(end)
    ck.reject(end_ts < start_ts, "end", "任职止早于任职起", "end before start")
    ck.reject(start_ts > pd.Timestamp(dt.date.today()), "start", "任职起在未来", "start in the future")
    frame = pd.DataFrame({"id": ids, "name": names, "post": posts, "region_code": region,
                          "start": start, "end": end})
    ck.duplicates(frame, ["id"], "id", "人员编号")
    return frame[~ck.bad]


PARSERS: dict[str, Parser] = {
    "regions": parse_regions, "stocks": parse_stocks, "flows": parse_flows,
    "land_changes": parse_land_changes, "parcels": parse_parcels, "targets": parse_targets,
    "officials": parse_officials,
}

__all__ = ["PARSERS"]
