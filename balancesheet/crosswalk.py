"""The crosswalk from the 二调 land classification (GB/T 21010-2007, 2009–2018 series) to the 三调
working classification of the land account, and its use when a file is imported.

The crosswalk is data (``accounts/crosswalk_land_2007.toml``), validated on load with file and
line like the catalogs. A 2007 class maps to one 三调 class (silently) or splits across several;
for a split class present in a file the user chooses one target or gives shares
(``--split 031=0301:0.8,0302:0.2`` or a shares file), else the import is refused listing each
split class, its candidates and its rows. Applying it to a file being imported (stocks, land
change records) is :mod:`balancesheet.importer.crosswalk`; what was applied goes into the
import's notes, its change-log entry, and the balance-sheet report (:func:`report_note`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from balancesheet.catalog.loader import (  # one way to locate errors
    CatalogFile,
    _Collector,
    _parse_toml,
)
from balancesheet.errors import CatalogError, ImportRejected, Issue, Location

if TYPE_CHECKING:
    from balancesheet.catalog import Account, Catalog
    from balancesheet.project import Project

CROSSWALK_FILE = "crosswalk_land_2007.toml"
OLD, NEW = "2007", "2017"
CLASSIFICATIONS = {
    "2007": OLD, "二调": OLD, "gb/t21010-2007": OLD, "gb21010-2007": OLD,
    "2017": NEW, "三调": NEW, "gb/t21010-2017": NEW, "gb21010-2017": NEW, "none": NEW,
}
SHARE_TOLERANCE = 1e-6
_TOP_KEYS = {"name", "name_en", "classification", "resource", "class", "total"}
_KEYS = {"class": {"code", "name", "targets", "note", "verify"}, "total": {"code", "name", "members"}}
_CODE = re.compile(r"^[0-9A-Za-z]+$")

Shares = dict[str, dict[str, float]]  # old class → {三调 class: share}, shares summing to 1


@dataclass(frozen=True)
class OldClass:
    """A 2007 second-level class and the 三调 classes it maps to (several: it splits)."""

    code: str
    name: str
    targets: tuple[str, ...]
    note: str = ""
    verify: bool = False
    source: Location = field(default_factory=Location)

    @property
    def splits(self) -> bool:
        """True when the class spreads over several 三调 classes (the user must choose)."""
        return len(self.targets) > 1


@dataclass(frozen=True)
class OldTotal:
    """A 2007 first-level class: in a 2007 table, the subtotal of its members."""

    code: str
    name: str
    members: tuple[str, ...]
    source: Location = field(default_factory=Location)


@dataclass
class Crosswalk:
    """The 2007 → 三调 crosswalk: second-level classes with their targets, first-level totals."""

    file: str
    name: str
    resource: str
    classes: dict[str, OldClass]
    totals: dict[str, OldTotal]

    def resolve(self, text: str) -> str | None:
        """The 2007 code ``text`` names: a code, a code that lost its leading zeros (31 → 031), or a
        2007 class name; None if it is none of these."""
        from balancesheet.importer.validate import zero_padded

        codes = self.classes.keys() | self.totals.keys()
        if text in codes:
            return text
        padded = zero_padded(text, codes)
        if padded is not None:
            return padded
        return self._names.get(text)

    @property
    def _names(self) -> dict[str, str]:
        return {c.name: c.code for c in (*self.totals.values(), *self.classes.values())}

    def label(self, code: str) -> str:
        """「031 有林地」"""
        entry = self.classes.get(code) or self.totals.get(code)
        return f"{code} {entry.name}" if entry else code


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------

def default_path() -> Path:
    """The shipped crosswalk file."""
    from balancesheet.resources import accounts_dir

    return accounts_dir() / CROSSWALK_FILE


def load_crosswalk(catalog: Catalog, path: Path | None = None) -> Crosswalk:
    """Load and validate the crosswalk against ``catalog``; CatalogError lists every problem with
    its file and line."""
    path = path or default_path()
    return parse_crosswalk(path.read_text(encoding="utf-8"), path.name, catalog)


def parse_crosswalk(text: str, name: str, catalog: Catalog) -> Crosswalk:
    """Parse crosswalk ``text`` (reported as file ``name``) and check it against the land account."""
    col = _Collector()
    file = CatalogFile(name, text)
    data = _parse_toml(file, col)
    classes: dict[str, OldClass] = {}
    totals: dict[str, OldTotal] = {}
    resource = "land"
    if data is not None:
        col.index(file)
        top = Location(name, row=1)
        for key in sorted(set(data) - _TOP_KEYS):
            col.add(top, f"未知的顶层字段「{key}」，可用：{', '.join(sorted(_TOP_KEYS))}", f"Unknown top-level key {key!r}")
        resource = str(data.get("resource", "land"))
        account = catalog.accounts.get(resource)
        if account is None:
            col.add(top, f"resource 应为 land（土地），而不是「{resource}」", "resource must be land")
        else:
            classes = _load_classes(name, data, account, col)
            totals = _load_totals(name, data, classes, col)
        if not classes and not col.issues:
            col.add(top, "对照表中没有任何 [[class]]", "The crosswalk has no [[class]]")
    if col.issues:
        raise CatalogError(f"地类对照表 {name} 有 {len(col.issues)} 处错误，请改正后重试",
                           f"The crosswalk {name} has {len(col.issues)} error(s).", col.issues)
    assert data is not None
    return Crosswalk(name, str(data.get("name", name)), resource, classes, totals)


def _unknown_keys(raw: dict[str, Any], table: str, loc: Location, col: _Collector) -> None:
    for key in sorted(set(raw) - _KEYS[table]):
        col.add(loc, f"未知字段「{key}」（拼写错误？）可用字段：{', '.join(sorted(_KEYS[table]))}", f"Unknown key {key!r}")


def _code_and_name(raw: dict[str, Any], loc: Location, col: _Collector, taken: set[str]) -> tuple[str, str] | None:
    code, name = str(raw.get("code", "")).strip(), str(raw.get("name", "")).strip()
    if not code or not _CODE.match(code):
        col.add(loc, f"缺少代码 code 或代码「{code}」含字母数字以外的字符", f"Missing or invalid code {code!r}")
        return None
    if not name:
        col.add(loc, f"「{code}」缺少名称 name", f"{code}: missing name")
        return None
    if code in taken:
        col.add(loc, f"代码「{code}」重复", f"Duplicate code {code!r}")
        return None
    return code, name


def _strings(raw: dict[str, Any], key: str) -> list[str] | None:
    value = raw.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        return None
    return [v.strip() for v in value]


def _load_classes(name: str, data: dict[str, Any], account: Account, col: _Collector) -> dict[str, OldClass]:
    classes: dict[str, OldClass] = {}
    for i, raw in enumerate(data.get("class", [])):
        loc = col.where(name, "class", i)
        _unknown_keys(raw, "class", loc, col)
        named = _code_and_name(raw, loc, col, set(classes))
        if named is None:
            continue
        code, title = named
        targets = _strings(raw, "targets")
        if targets is None:
            col.add(loc, f"「{code}」的 targets 应为三调地类编码的列表（至少一个）", f"{code}: targets must list codes")
            continue
        bad = [t for t in targets if t not in account.items or not account.is_leaf(t)
               or account.items[t].kind != "stock"]
        if bad:
            col.add(loc, f"「{code} {title}」的目标「{'、'.join(bad)}」不是三调土地目录（land）中的末级地类",
                    f"{code}: targets {bad} are not leaf land classes")
            continue
        if len(set(targets)) != len(targets):
            col.add(loc, f"「{code}」的 targets 有重复", f"{code}: duplicate targets")
            continue
        if code in account.items:
            col.add(loc, f"二调编码「{code}」与三调编码相同，无法区分新旧编码", f"{code} is also a 三调 code")
            continue
        classes[code] = OldClass(code, title, tuple(targets), str(raw.get("note", "")), bool(raw.get("verify", False)),
                                 loc)
    return classes


def _load_totals(name: str, data: dict[str, Any], classes: dict[str, OldClass], col: _Collector) -> dict[str, OldTotal]:
    totals: dict[str, OldTotal] = {}
    for i, raw in enumerate(data.get("total", [])):
        loc = col.where(name, "total", i)
        _unknown_keys(raw, "total", loc, col)
        named = _code_and_name(raw, loc, col, set(totals) | set(classes))
        if named is None:
            continue
        code, title = named
        members = _strings(raw, "members")
        unknown = [m for m in members or [] if m not in classes]
        if members is None or unknown:
            col.add(loc, f"一级类「{code}」的 members 应列出本表的二级类编码（未知：{'、'.join(unknown)}）",
                    f"{code}: members must be classes of this crosswalk")
            continue
        totals[code] = OldTotal(code, title, tuple(members), loc)
    return totals


# --------------------------------------------------------------------------------------------
# The user's choices for split classes
# --------------------------------------------------------------------------------------------

def classification_of(text: str | None) -> str | None:
    """2007 / 2017 from a user's spelling (2007, 二调, GB/T 21010-2007, 2017, 三调 …); None = detect."""
    if text is None or not str(text).strip():
        return None
    key = str(text).strip().lower().replace(" ", "")
    if key not in CLASSIFICATIONS:
        raise ImportRejected(f"未知的分类「{text}」：应为 2007（二调，GB/T 21010-2007）或 2017（三调）",
                             f"Unknown classification {text!r}: use 2007 or 2017")
    return CLASSIFICATIONS[key]


def _share(text: str, where: str) -> float:
    text = text.strip()
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise ImportRejected(f"{where}：比例「{text}」不是数字（应如 0.8 或 80%）",
                             f"{where}: share {text!r} is not a number") from None
    if not value > 0 or value > 1 + SHARE_TOLERANCE:
        raise ImportRejected(f"{where}：比例「{text}」应大于 0 且不超过 1（100%）", f"{where}: share must be in (0, 1]")
    return value


def parse_splits(texts: Iterable[str]) -> Shares:
    """Split choices as typed on the command line: ``031=0301`` (one target) or
    ``031=0301:0.8,0302:0.2`` (shares; 80% also accepted). Not yet checked against the crosswalk."""
    shares: Shares = {}
    for text in texts:
        where = f"--split {text}"
        code, sep, rest = text.partition("=")
        code = code.strip()
        parts = [p for p in rest.split(",") if p.strip()] if sep else []
        if not code or not parts:
            raise ImportRejected(f"{where}：格式应为 二调编码=三调编码 或 二调编码=三调编码:比例,三调编码:比例"
                                 "（如 031=0301:0.8,0302:0.2）", f"{where}: use OLD=NEW or OLD=NEW:SHARE,NEW:SHARE")
        if code in shares:
            raise ImportRejected(f"{where}：二调地类「{code}」给出了两次", f"{where}: {code} given twice")
        chosen: dict[str, float] = {}
        for part in parts:
            target, has_share, share = part.partition(":")
            target = target.strip()
            if target in chosen:
                raise ImportRejected(f"{where}：目标「{target}」重复", f"{where}: target {target} twice")
            if not has_share and len(parts) > 1:
                raise ImportRejected(f"{where}：给出多个目标时须写明各自比例（如 0301:0.8,0302:0.2）",
                                     f"{where}: several targets need shares")
            chosen[target] = _share(share, where) if has_share else 1.0
        shares[code] = chosen
    return shares


SHARE_COLUMNS = {"old": ("二调地类", "二调编码", "二调地类编码", "old", "code", "from"),
                 "target": ("三调地类", "三调编码", "三调地类编码", "target", "to", "new"),
                 "share": ("比例", "份额", "share")}


def read_shares(path: Path) -> Shares:
    """Split shares from a CSV/XLSX table with columns 二调地类, 三调地类, 比例 (one row per
    target; a class with one row and no share goes wholly to its target)."""
    from balancesheet.importer.formats import _key
    from balancesheet.importer.readers import read_table

    table = read_table(Path(path), recognise=lambda headers: True)
    found = {name: next((h for h in table.headers if _key(h) in {_key(s) for s in spellings}), None)
             for name, spellings in SHARE_COLUMNS.items()}
    missing = [SHARE_COLUMNS[n][0] for n in ("old", "target") if found[n] is None]
    if missing:
        raise ImportRejected(f"{table.file}：比例表缺少列 {'、'.join(missing)}（应有 二调地类、三调地类、比例）",
                             f"{table.file}: the shares table needs columns old, target, share")
    shares: Shares = {}
    issues: list[Issue] = []
    frame = table.frame
    for row in frame.index:  # a handful of rows: one per split target
        old, target = frame.at[row, found["old"]], frame.at[row, found["target"]]
        share = frame.at[row, found["share"]] if found["share"] else ""
        where = table.location(int(row), found["share"] or found["target"])
        if not old or not target:
            issues.append(Issue(table.location(int(row), found["old"] if not old else found["target"]),
                                "二调地类和三调地类都须填写", "old and target are required"))
            continue
        try:
            value = _share(share, str(where)) if share else None
        except ImportRejected as exc:
            issues.append(Issue(where, exc.message, exc.message_en, share))
            continue
        shares.setdefault(old, {})[target] = value if value is not None else float("nan")
    for chosen in shares.values():  # a class given by one row without a share goes wholly there
        for target, value in list(chosen.items()):
            if value != value:  # NaN: no share written
                chosen[target] = 1.0 if len(chosen) == 1 else 0.0
    if issues:
        raise ImportRejected(f"{table.file}：比例表有 {len(issues)} 处错误", f"{table.file}: {len(issues)} error(s)",
                             issues)
    return shares


def check_shares(crosswalk: Crosswalk, shares: Mapping[str, Mapping[str, float]], catalog: Catalog) -> Shares:
    """The user's split choices checked against the crosswalk: every class a split class, every
    target one of its candidates, shares above 0 summing to 1. ImportRejected lists every problem."""
    land = catalog.accounts[crosswalk.resource]
    problems: list[Issue] = []
    checked: Shares = {}
    for code, chosen in shares.items():
        where = Location(f"--split {code}")
        old = crosswalk.classes.get(code)
        if old is None:
            problems.append(Issue(where, f"「{code}」不是对照表中的二调二级地类", f"{code} is not a 2007 class"))
            continue
        if not old.splits:
            problems.append(Issue(where, f"{crosswalk.label(code)} 一对一换算为 {old.targets[0]}，无需选择",
                                  f"{code} maps one-to-one"))
            continue
        foreign = [t for t in chosen if t not in old.targets]
        if foreign:
            options = "、".join(f"{t} {land.items[t].name}" for t in old.targets)
            problems.append(Issue(where, f"{crosswalk.label(code)} 的目标「{'、'.join(foreign)}」不在可选地类中（可选：{options}）",
                                  f"{code}: {foreign} are not among its targets"))
            continue
        if any(v <= 0 for v in chosen.values()):
            problems.append(Issue(where, f"{crosswalk.label(code)} 的比例须大于 0（多个目标时每个都须写比例）",
                                  f"{code}: every share must be above 0"))
            continue
        total = sum(chosen.values())
        if abs(total - 1.0) > SHARE_TOLERANCE:
            problems.append(Issue(where, f"{crosswalk.label(code)} 的比例之和为 {total:g}，应为 1（100%）",
                                  f"{code}: shares sum to {total:g}, not 1"))
            continue
        checked[code] = dict(chosen)
    if problems:
        raise ImportRejected(f"二调地类拆分比例有 {len(problems)} 处错误，未导入任何数据", "Invalid split choices",
                             problems)
    return checked


def describe(record: Mapping[str, Any]) -> str:
    """A crosswalk record in words: 拆分 031→0301×80%、0302×20%；一对一 011→0101 …"""
    parts = []
    if record.get("shares"):
        parts.append("拆分 " + "；".join(
            f"{c}→" + "、".join(f"{t}×{s:.4g}" if s == 1 else f"{t}×{s * 100:.4g}%" for t, s in m.items())
            for c, m in record["shares"].items()))
    pairs = record.get("one_to_one", {})
    chosen = [c for c in record.get("chosen", []) if c in pairs]
    if chosen:
        parts.append("指定 " + "、".join(f"{c}→{pairs[c]}" for c in chosen))
    plain = [f"{c}→{t}" for c, t in pairs.items() if c not in chosen]
    if plain:
        parts.append("一对一 " + "、".join(plain[:12]) + (f" 等 {len(plain)} 类" if len(plain) > 12 else ""))
    return "；".join(parts)


# --------------------------------------------------------------------------------------------
# What the report says
# --------------------------------------------------------------------------------------------

def crosswalked_imports(project: Project, region: str, stock_years: Iterable[int],
                        flow_years: Iterable[int]) -> list[dict[str, Any]]:
    """Imports whose data the report for ``region`` uses (stocks of ``stock_years``, flows of
    ``flow_years``) and that were crosswalked: file name, time and the mapping record."""
    import json

    from sqlalchemy import select

    from balancesheet.store.schema import ChangeLog, Flow, ImportBatch, Stock

    stock_years, flow_years = [int(y) for y in stock_years], [int(y) for y in flow_years]
    used = (select(Stock.batch_id).where(Stock.region_code == region, Stock.year.in_(stock_years))
            .union(select(Flow.batch_id).where(Flow.region_code == region, Flow.year.in_(flow_years))))
    query = (select(ImportBatch.file_name, ImportBatch.imported_at, ChangeLog.new)
             .join(ChangeLog, ChangeLog.batch_id == ImportBatch.id)
             .where(ChangeLog.action == "import", ImportBatch.id.in_(used),
                    ChangeLog.new.like('%"crosswalk"%'))
             .order_by(ImportBatch.id))
    found = []
    with project.store.session() as s:
        for name, at, new in s.execute(query).all():
            record = json.loads(new or "{}").get("crosswalk")
            if record:
                found.append({"file": name, "imported_at": at, "record": record})
    return found


def report_note(imports: list[dict[str, Any]]) -> str:
    """The report's line on crosswalked data ('' when none was)."""
    if not imports:
        return ""
    listed = "；".join(f"{i['file']}（{i['imported_at']:%Y-%m-%d} 导入，{i['record']['rows']} 行：{describe(i['record'])}）"
                      for i in imports)
    return ("数据说明：以下导入文件的土地数据由二调分类（GB/T 21010-2007）按地类对照表换算为三调工作分类，"
            f"拆分地类按用户给定的去向或比例分配：{listed}。")


__all__ = ["CLASSIFICATIONS", "Crosswalk", "OldClass", "OldTotal", "Shares", "check_shares", "classification_of",
           "crosswalked_imports", "describe", "load_crosswalk", "parse_crosswalk", "parse_splits", "read_shares",
           "report_note"]
