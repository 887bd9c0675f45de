"""The tidy interchange formats (DESIGN.md §5): columns, their English/Chinese spellings, kinds."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from balancesheet.errors import ImportRejected


@dataclass(frozen=True)
class Column:
    """A column of a format: canonical name, accepted header spellings, whether required."""

    name: str
    spellings: tuple[str, ...]
    required: bool = True


def _c(name: str, *spellings: str, required: bool = True) -> Column:
    return Column(name, (name, *spellings), required)


REGION = _c("region", "区划代码", "行政区划代码", "区划", "region_code")
YEAR = _c("year", "年度", "年份", "年")
RESOURCE = _c("resource", "资源", "资源类型", "资源类别")
UNIT = _c("unit", "单位", "计量单位", required=False)

FORMATS: dict[str, tuple[Column, ...]] = {
    "regions": (
        REGION, _c("name", "名称", "区划名称", "行政区名称"),
        _c("parent", "上级代码", "上级区划代码", "上级", required=False),
        _c("area", "土地总面积", "总面积", "面积", required=False), UNIT,
    ),
    "stocks": (
        REGION, YEAR, RESOURCE, _c("item", "项目代码", "项目", "地类编码", "项目编码"),
        _c("value", "数值", "值", "存量", "期末存量", "数量"), UNIT,
    ),
    "flows": (
        REGION, YEAR, RESOURCE, _c("item", "项目代码", "项目", "项目编码"),
        _c("direction", "方向", "增减", "增减方向"), _c("cause", "变动原因", "原因", "变动原因代码"),
        _c("value", "数值", "值", "变动量", "数量"), UNIT,
    ),
    "land_changes": (
        REGION, YEAR, _c("from", "变更前地类", "变更前地类编码", "原地类", "from_class"),
        _c("to", "变更后地类", "变更后地类编码", "现地类", "to_class"),
        _c("area", "面积", "变更面积", "变化面积"),
        _c("cause", "变动原因", "变更原因", "原因", required=False), UNIT,
    ),
    # 三调 地类图斑 (DLTB) fields by name or alias. 标识码 (BSM) first: it is unique in a county,
    # while 图斑编号 (TBBH) in a survey export repeats across villages. 图斑地类面积 (TBDLMJ) before
    # 图斑面积 (TBMJ), which also holds the deducted 田坎 area.
    "parcels": (
        REGION, _c("year", "年度", "年份", "年", "数据年份", "SJNF"),
        _c("parcel_id", "标识码", "BSM", "图斑标识码", "图斑编号", "图斑号", "parcel"),
        _c("class", "地类编码", "DLBM", "地类代码", "地类", "class_code"),
        _c("area", "面积", "图斑地类面积", "TBDLMJ", "图斑面积", "TBMJ"),
        _c("town_attr", "城镇村属性码", "CZCSXM", "城镇村属性", required=False),
        _c("ownership", "权属性质", "QSXZ", required=False), UNIT,
    ),
    "targets": (
        REGION, _c("indicator", "指标", "指标名称", "指标代码"),
        _c("year_from", "起始年度", "年度起", "起始年", "开始年度"),
        _c("year_to", "截止年度", "年度止", "截止年", "结束年度"),
        _c("op", "比较", "比较符", "运算符", "要求"), _c("value", "目标值", "数值", "值"),
        _c("binding", "约束性", "是否约束性", "指标属性", required=False),
        _c("source", "依据", "来源", "文件依据", required=False),
    ),
    "officials": (
        _c("id", "编号", "人员编号", "干部编号"), _c("name", "姓名"), _c("post", "职务"), REGION,
        _c("start", "任职起", "任职开始", "任职起始日期", "起始日期"),
        _c("end", "任职止", "任职结束", "任职终止日期", "终止日期", required=False),
    ),
}

KIND_NAMES = {
    "regions": "区划", "stocks": "存量", "flows": "变动（增减）", "land_changes": "土地变更记录",
    "parcels": "图斑（地类图斑）", "targets": "目标指标", "officials": "领导干部任职",
    "wide": "存量及变动表",  # the official wide layout (importer/wide.py), not a tidy format
}

# Import order: what a later kind refers to is imported first.
ORDER = ("regions", "officials", "targets", "stocks", "wide", "parcels", "land_changes", "flows")


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower().replace(" ", "").replace("_", "")


def map_headers(kind: str, headers: list[str]) -> dict[str, str]:
    """Canonical column name → the header as spelled in the file, for the columns present."""
    found: dict[str, str] = {}
    keys = {_key(h): h for h in headers}
    for column in FORMATS[kind]:
        for spelling in column.spellings:
            if _key(spelling) in keys:
                found[column.name] = keys[_key(spelling)]
                break
    return found


def resolve_columns(kind: str, headers: list[str], mapping: dict[str, str] | None = None) -> dict[str, str]:
    """Canonical column name → header, the user's ``mapping`` (header → field) first.

    ``mapping`` names, for some or all headers of the file, the field each one holds; an empty
    field means "ignore this header". Headers it does not mention are recognised by their spelling
    (:func:`map_headers`) for the fields still free. Raise ImportRejected for a header that is not
    in the file, a field the kind does not have, or two headers given the same field.
    """
    fields = {c.name: c for c in FORMATS[kind]}
    by_key = {_key(h): h for h in headers}
    chosen: dict[str, str] = {}
    named: set[str] = set()
    for given, field in (mapping or {}).items():
        header = by_key.get(_key(given))
        if header is None:
            raise ImportRejected(f"列映射中的「{given}」不在文件的表头中（表头为：{'、'.join(headers)}）",
                                 f"Mapped header {given!r} is not in the file")
        named.add(header)
        if not field:
            continue
        if field not in fields:
            raise ImportRejected(
                f"{KIND_NAMES[kind]}表没有字段「{field}」，可用：{'、'.join(fields)}",
                f"Kind {kind} has no field {field!r}")
        if field in chosen and chosen[field] != header:
            raise ImportRejected(f"列「{chosen[field]}」和「{header}」都映射到了字段「{field}」，只能选一列",
                                 f"Headers {chosen[field]!r} and {header!r} both map to {field!r}")
        chosen[field] = header
    rest = [h for h in headers if h not in named]
    for field, header in map_headers(kind, rest).items():
        chosen.setdefault(field, header)
    return {c.name: chosen[c.name] for c in FORMATS[kind] if c.name in chosen}


def mapped_headers(headers: list[str], mapping: dict[str, str] | None) -> list[str]:
    """The headers as the user's mapping names them (for kind detection); ignored ones dropped."""
    if not mapping:
        return list(headers)
    by_key = {_key(h): f for h, f in mapping.items()}
    return [by_key.get(_key(h), h) for h in headers if by_key.get(_key(h), h)]


def guess_kind(headers: list[str]) -> str | None:
    """The kind most of whose required columns appear (for a preview to start from), or None."""
    best: tuple[float, int, str] | None = None
    for kind, columns in FORMATS.items():
        required = [c.name for c in columns if c.required]
        share = sum(r in map_headers(kind, headers) for r in required) / len(required)
        if share and (best is None or (share, len(required)) > best[:2]):
            best = (share, len(required), kind)
    return best[2] if best else None


def detect_kind(headers: list[str], file: str) -> str:
    """The format whose required columns all appear in ``headers`` (the most specific wins)."""
    matches = []
    for kind, columns in FORMATS.items():
        required = [c.name for c in columns if c.required]
        present = map_headers(kind, headers)
        if all(r in present for r in required):
            matches.append((len(required), kind))
    if not matches:
        raise ImportRejected(
            f"{file}：无法从表头识别数据类型。表头为：{'、'.join(headers)}。"
            "请使用 README 中的列名，或用 --kind 指定类型（regions/stocks/flows/land_changes/parcels/targets/officials）",
            f"{file}: cannot tell the kind of table from its header; use --kind.",
        )
    matches.sort(reverse=True)
    return matches[0][1]


def recognisable(headers: list[str], kind: str | None = None, columns: dict[str, str] | None = None) -> bool:
    """True when ``headers`` hold every required column of ``kind`` (of some kind when None),
    as the user's ``columns`` mapping names them: a sheet worth reading."""
    try:
        if kind is None:
            detect_kind(mapped_headers(headers, columns), "")
            return True
        resolved = resolve_columns(kind, headers, columns)
    except ImportRejected:
        return False
    return all(c.name in resolved for c in FORMATS.get(kind, ()) if c.required)
