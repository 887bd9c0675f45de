"""Which region, year and resource a 存量及变动表 sheet is about, from what it says.

Sources, most specific first: the sheet's title lines and 填报单位 line, its sheet name, then the
workbook's cover (区划代码、报告期). The command line's --region/--year fill what the file does not
say; where both say something different the import is refused (which one is right is the user's call).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from balancesheet.catalog import resolve_resource
from balancesheet.errors import Issue, Location
from balancesheet.importer.wide_items import Indexes
from balancesheet.importer.wide_layout import SheetLayout, fold

_SPAN = re.compile(r"((?:19|20)\d{2})年(?:末|底|度)?(?:至|到|—|－|-|–|~|～)((?:19|20)\d{2})年")
_YEAR_TITLE = re.compile(r"(?<!\d)((?:19|20)\d{2})年")
_YEAR_BARE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_RESOURCE_TITLE = re.compile(r"(土地|森林|林木|水|湿地)(?:资源)?(?:资产)?(?:实物量)?存量及?变动")
_NOT_TITLE = re.compile(r"报出日期|填表日期|日期[:：]|负责人|填表人")


@dataclass(frozen=True)
class RegionRow:
    """A region of the project: code, name, parent code."""

    code: str
    name: str
    parent: str | None


def regions_named(texts: Iterable[str], regions: list[RegionRow]) -> set[str]:
    """Codes of the regions whose code or name (with or without a trailing （虚构）-style note)
    appears in ``texts``; a region whose child also appears is dropped (青岚县 beats 云岭市)."""
    text = "\n".join(fold(t) for t in texts)
    found = set()
    for region in regions:  # the project's regions: a handful
        full = fold(region.name)
        base = re.sub(r"[(][^()]*[)]$", "", full)
        if re.search(rf"(?<!\d){region.code}(?!\d)", text) or (full and full in text) \
                or (len(base) >= 2 and base in text):
            found.add(region.code)
    parents = {r.code: r.parent for r in regions}
    return {c for c in found if not any(parents.get(other) == c for other in found)}


def years_named(titles: Iterable[str], sheet: str | None) -> tuple[int | None, int | None, list[int]]:
    """(year, year_from, all years seen) stated by title lines and the sheet name.

    「2022年末至2023年末」 is a span: year 2023 from 2022. A title names years with 年; a sheet name
    may be a bare 2023. Lines with dates of signing (报出日期 …) are not titles.
    """
    lines = [fold(t) for t in titles if not _NOT_TITLE.search(fold(t))]
    for line in lines:
        span = _SPAN.search(line)
        if span:
            return int(span.group(2)), int(span.group(1)), [int(span.group(1)), int(span.group(2))]
    seen = sorted({int(y) for line in lines for y in _YEAR_TITLE.findall(line)})
    if not seen and sheet:
        seen = sorted({int(y) for y in _YEAR_BARE.findall(fold(sheet))})
    if len(seen) == 1:
        return seen[0], None, seen
    return None, None, seen


def resource_named(titles: Iterable[str], sheet: str | None) -> str | None:
    """The resource a title (…土地资源存量及变动表) or a sheet name (土地, 森林 …) names."""
    for line in titles:
        found = _RESOURCE_TITLE.search(fold(line))
        if found:
            return resolve_resource("水资源" if found.group(1) == "水" else found.group(1))
    if sheet:
        name = re.sub(r"[\d年度()（）\s_-]", "", sheet)
        name = re.sub(r"(存量及?变动表|存量表|变动表|账户|表)$", "", name)
        return resolve_resource(name)
    return None


@dataclass
class Context:
    """What every sheet is read against: the project's regions, the catalog, the user's choices."""

    file: str
    regions: list[RegionRow]
    indexes: Indexes
    cover: list[str]
    region: str | None = None
    year: int | None = None
    columns: dict[str, str] | None = None


def sheet_about(ctx: Context, layout: SheetLayout, issues: list[Issue]) -> tuple[str, int, int, str | None]:
    """Region, year, opening year and resource (None: the title and sheet name do not say) of a
    sheet; problems appended to ``issues``."""
    where = Location(ctx.file, layout.sheet)
    stated = layout.title + [t for t in layout.footer if "填报单位" in t] + [layout.sheet or ""]
    found = regions_named(stated, ctx.regions) or regions_named(ctx.cover, ctx.regions)
    region = choose(where, "区划", sorted(found), ctx.region, issues, {r.code for r in ctx.regions},
                    "--region")
    year, year_from, seen = years_named(layout.title, layout.sheet)
    if not seen:
        year, year_from, seen = years_named([t for t in ctx.cover if "报告期" in t or "表" in t], None)
    stated = [str(year)] if year is not None else [str(y) for y in seen]  # several: ambiguous
    given = None if ctx.year is None else str(ctx.year)
    year_value = choose(where, "年度", stated, given, issues, None, "--year")
    year = int(year_value) if year_value else 0
    if year_from is not None and year_from >= year:
        year_from = None
    if year and not in_range(year):
        issues.append(Issue(where, f"年度 {year} 超出范围", "year out of range", str(year)))
    resource = resource_named(layout.title, layout.sheet)
    return region, year, (year_from if year_from else year - 1), resource


def choose(where: Location, what: str, found: list[str], given: str | None, issues: list[Issue],
           known: set[str] | None, option: str) -> str:
    """The value the file states, else the command line's; a conflict or nothing is an issue."""
    if given is not None and known is not None and given not in known:
        issues.append(Issue(where, f"{option} 给出的{what}「{given}」不在项目中，请先导入区划表（regions）",
                            f"{option} {given} is not in the project", given))
        return ""
    if given is not None and found and given not in found:
        issues.append(Issue(where, f"文件中写明的{what}（{'、'.join(found)}）与 {option} 给出的「{given}」不同，"
                                   "请核对后只保留正确的一个", f"{what} in the file differs from {option}", given))
        return ""
    if given is not None:
        return given
    if len(found) == 1:
        return found[0]
    if found:
        issues.append(Issue(where, f"文件中出现多个{what}（{'、'.join(found)}），请用 {option} 指定",
                            f"several {option[2:]}s named; use {option}"))
    else:
        looked = "标题、填报单位、工作表名和封面中都没有项目中已有区划的名称或代码" if what == "区划" \
            else "标题（如「2025年…」）、工作表名和封面中都没有年度"
        issues.append(Issue(where, f"未能从文件中识别{what}：{looked}。请在表格标题中写明，或在命令行用 {option} 指定",
                            f"{option[2:]} not found in the file; state it in the title or use {option}"))
    return ""


def in_range(year: int) -> bool:
    """A data year the tool accepts (1949 … this year)."""
    return 1949 <= year <= dt.date.today().year


__all__ = ["Context", "RegionRow", "choose", "in_range", "regions_named", "resource_named", "sheet_about",
           "years_named"]
