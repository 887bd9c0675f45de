"""The 二调 → 三调 crosswalk applied to a file being imported (stocks, land change records).

Before a table is parsed its land code columns are read: 2007 codes (detected, or as the user
says) are replaced by their 三调 class, split classes take the user's choice (refused without
one, listing class, candidates and rows), 2007 first-level subtotal rows are left out when they
add up. After parsing, :meth:`Applied.expand` spreads the rows of a split class by its shares.
The crosswalk itself (data, loading, shares) is :mod:`balancesheet.crosswalk`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from balancesheet.crosswalk import (
    NEW,
    Crosswalk,
    OldClass,
    Shares,
    check_shares,
    classification_of,
    describe,
    load_crosswalk,
)
from balancesheet.errors import Issue

if TYPE_CHECKING:
    from balancesheet.catalog import Account, Catalog
    from balancesheet.importer.validate import Checker

KINDS = {"stocks": ("item",), "land_changes": ("from", "to")}  # the code columns crosswalked
ROWS_SHOWN = 10
ROWS_KEPT = 200  # rows of a split class a preview keeps (the count is exact)


@dataclass
class SplitClass:
    """A split 2007 class found in a file: its candidates, where it is, and the choice made."""

    code: str
    name: str
    candidates: list[tuple[str, str]]  # (三调 code, name)
    rows: list[int]                    # spreadsheet rows holding it (the first ROWS_KEPT)
    count: int                         # how many rows hold it
    note: str = ""
    shares: dict[str, float] | None = None  # the user's choice, None when none was given


@dataclass
class Applied:
    """What the crosswalk did to one file: kept on the checker, recorded with the import."""

    crosswalk: Crosswalk
    detected: bool
    source: dict[str, pd.Series]           # column → the 2007 code of each crosswalked row
    shares: Shares                          # split classes spread over several targets
    one_to_one: dict[str, str]              # 2007 code → 三调 code (mapped, or one target chosen)
    chosen: set[str]                        # split classes the user sent to one target
    rows: int
    unused: list[str] = field(default_factory=list)  # split choices for classes not in the file
    splits: list[SplitClass] = field(default_factory=list)  # the split classes found, as chosen

    def expand(self, frame: pd.DataFrame, columns: Mapping[str, str], value: str) -> pd.DataFrame:
        """One row per share for rows whose old class splits (value × share), for each code
        column (file column → frame column); the copies follow their row (same index)."""
        for column, target in columns.items():
            if column not in self.source or not self.shares:
                continue
            old = self.source[column].reindex(frame.index).to_numpy(dtype=object)
            counts = np.ones(len(frame), dtype=np.int64)
            for code, shares in self.shares.items():  # a few split classes
                counts[old == code] = len(shares)
            if (counts == 1).all():
                continue
            at = np.repeat(np.arange(len(frame)), counts)
            nth = np.arange(len(at)) - np.repeat(np.cumsum(counts) - counts, counts)  # k-th share of its row
            old = old[at]
            frame = frame.iloc[at].copy()
            codes, share = frame[target].to_numpy(dtype=object, copy=True), np.ones(len(at))
            for code, shares in self.shares.items():
                of_class = old == code
                for k, (to, part) in enumerate(shares.items()):
                    pick = of_class & (nth == k)
                    codes[pick], share[pick] = to, part
            frame[target] = codes
            frame[value] = frame[value].to_numpy() * share
        return frame

    def record(self) -> dict[str, Any]:
        """The mapping as stored with the import (change log) and shown by the report."""
        return {"crosswalk": self.crosswalk.file, "from": "GB/T 21010-2007", "to": "三调工作分类",
                "detected": self.detected, "rows": self.rows, "one_to_one": dict(sorted(self.one_to_one.items())),
                "chosen": sorted(self.chosen), "shares": {c: dict(m) for c, m in sorted(self.shares.items())}}

    def note(self) -> str:
        """The import note saying what was mapped."""
        how = "自动识别（文件含二调编码）" if self.detected else "按指定的 2007 分类"
        text = (f"二调地类换算：{how}，按对照表 {self.crosswalk.file} 将 {self.rows} 行的 GB/T 21010-2007 "
                f"地类换算为三调工作分类；{describe(self.record())}")
        if self.unused:
            text += f"。给出的拆分选择 {'、'.join(self.unused)} 未在文件中出现，未使用"
        return text


def _rows_text(rows: np.ndarray) -> str:
    shown = "、".join(str(int(r)) for r in rows[:ROWS_SHOWN])
    return f"第 {shown} 行" + (f" 等共 {len(rows)} 行" if len(rows) > ROWS_SHOWN else "")


def _land_mask(ck: Checker, kind: str) -> pd.Series:
    from balancesheet.catalog import resolve_resource

    if kind != "stocks":
        return pd.Series(True, index=ck.frame.index)
    resources = ck.text("resource")
    return resources.map({r: resolve_resource(r) == "land" for r in pd.unique(resources)}).astype(bool)


def _classes_of(land: Account) -> set[str]:
    """The land classes (the codes under the root holding most of them): not T or memo items."""
    roots = [c for c in land.order if land.items[c].parent is None]
    root = max(roots, key=lambda r: len(land.leaves_under(r)))
    return {c for c in land.items if c != root and root in land.ancestors(c)}


def apply_crosswalk(ck: Checker, catalog: Catalog, kind: str, classification: str | None = None,
                    splits: Mapping[str, Mapping[str, float]] | None = None,
                    crosswalk: Crosswalk | None = None) -> list[SplitClass]:
    """Map a file's 2007 land codes to 三调 classes before it is parsed (stocks, land changes).

    ``classification``: "2007" (the file uses 2007 codes), "2017" (三调: never map), None (detect:
    2007 codes that are not 三调 codes). ``splits`` are the user's choices for split classes.
    Rows that cannot be mapped are rejected on the checker; the split classes found are returned
    (for a preview to offer choices). Sets ``ck.crosswalk`` when anything was mapped.
    """
    mode = classification_of(classification)
    if kind not in KINDS or mode == NEW or "land" not in catalog.accounts:
        return []
    columns = [c for c in KINDS[kind] if c in ck.columns]
    if not columns:
        return []
    land = catalog.accounts["land"]
    crosswalk = crosswalk or load_crosswalk(catalog)
    land_rows = _land_mask(ck, kind)
    detected = mode is None
    if mode is None and not _detect(ck, crosswalk, land, columns, land_rows):
        return []
    chosen_shares = check_shares(crosswalk, splits or {}, catalog)
    if kind == "stocks":  # first-level rows: subtotals left out, or refused
        _drop_or_refuse_totals(ck, crosswalk, land_rows)
        land_rows = _land_mask(ck, kind)
    classes = _classes_of(land)
    found: dict[str, list[np.ndarray]] = {}  # split class → the rows holding it, per column
    one_to_one: dict[str, str] = {}
    used: set[str] = set()
    rows = 0
    for column in columns:
        text = ck.text(column)
        considered = (land_rows & (text != "")).to_numpy()
        at, distinct = pd.factorize(text)  # resolve each distinct value once, then take per row
        old_of = np.array([crosswalk.resolve(v) for v in distinct] + [None], dtype=object)
        old = pd.Series(old_of[at], index=text.index).where(considered)
        in_class = old.isin(crosswalk.classes.keys())
        # 三调 codes that are not land classes (T 土地总面积, memo items) pass through unchanged.
        through = pd.Series(np.array([_not_a_class(land, classes, v) for v in distinct] + [False])[at],
                            index=text.index)
        if kind != "stocks":  # (a stocks file's were handled above)
            ck.reject(old.isin(crosswalk.totals.keys()), column, _TOTAL_IN_CHANGES,
                      "a 2007 first-level class cannot be a change's class")
        ck.reject(pd.Series(considered, index=text.index) & ~in_class & ~through & ~old.isin(crosswalk.totals.keys()),
                  column,
                  "不是二调地类编码（GB/T 21010-2007）：本文件按二调分类换算，三调编码请另建文件导入",
                  "not a GB/T 21010-2007 class code")
        present = pd.unique(old[in_class])
        target = {c: _target(crosswalk.classes[c], chosen_shares.get(c)) for c in present}
        missing = [c for c, t in target.items() if t is None]
        for code in present:
            if code in missing or code in chosen_shares:
                found.setdefault(code, []).append(text.index.to_numpy()[(old == code).to_numpy()])
        for code in missing:
            ck.reject(old == code, column, _split_message(crosswalk, land, code),
                      f"{code} splits across 三调 classes: choose one or give shares")
        good = in_class & ~old.isin(missing)
        new_of = np.array([target.get(c) for c in old_of], dtype=object)
        ck.recode(column, text.where(~good, pd.Series(new_of[at], index=text.index)))
        ck.source[column] = old.where(good).astype("str")
        for code in present:
            if code in missing:
                continue
            if code in chosen_shares and len(chosen_shares[code]) > 1:
                used.add(code)
            else:
                one_to_one[code] = str(target[code])
        rows += int(good.sum())
    where = {c: np.unique(np.concatenate(parts)) for c, parts in found.items()}
    if missing_all := sorted(c for c in found if c not in chosen_shares):
        ck.summary.append("以下二调地类在三调工作分类中分为多个地类，须选择其一或给出比例：" + "；".join(
            f"{crosswalk.label(c)}（{_rows_text(where[c])}）→ 可选 "
            + "、".join(f"{t} {land.items[t].name}" for t in crosswalk.classes[c].targets) for c in missing_all)
            + f"。命令行：--split {missing_all[0]}={crosswalk.classes[missing_all[0]].targets[0]}（全部归入一类）或 "
            f"--split {missing_all[0]}={crosswalk.classes[missing_all[0]].targets[0]}:0.8,"
            f"{crosswalk.classes[missing_all[0]].targets[1]}:0.2（按比例），也可用 --split-file 比例表")
    split_classes = [SplitClass(c, crosswalk.classes[c].name,
                                [(t, land.items[t].name) for t in crosswalk.classes[c].targets],
                                [int(r) for r in where[c][:ROWS_KEPT]], len(where[c]), crosswalk.classes[c].note,
                                chosen_shares.get(c))
                     for c in sorted(found)]
    if rows:
        ck.crosswalk = Applied(crosswalk, detected, dict(ck.source),
                               {c: chosen_shares[c] for c in used}, one_to_one,
                               {c for c in one_to_one if c in chosen_shares}, rows,
                               sorted(c for c in chosen_shares if c not in found), split_classes)
        ck.notes.append(ck.crosswalk.note())
    return split_classes


def _not_a_class(land: Account, classes: set[str], value: str) -> bool:
    code = land.resolve_item(value)
    return code is not None and code not in classes


def _target(old: OldClass, chosen: dict[str, float] | None) -> str | None:
    """The 三调 code a class's rows carry while parsed (the first share's for a split), or None."""
    if not old.splits:
        return old.targets[0]
    return next(iter(chosen)) if chosen else None


_TOTAL_IN_CHANGES = ("二调一级类不能作为变更前后地类：请使用二级类编码（如 011）；若这是丢失前导零的二级类编码"
                     "（如 11 应为 011），请将编码列设为文本格式后重新导出")


def _split_message(crosswalk: Crosswalk, land: Account, code: str) -> str:
    old = crosswalk.classes[code]
    options = "、".join(f"{t} {land.items[t].name}" for t in old.targets)
    return (f"二调地类「{crosswalk.label(code)}」在三调工作分类中分为 {options}，须选择其一或给出比例"
            f"（如 --split {code}={old.targets[0]} 或 --split {code}={old.targets[0]}:0.8,{old.targets[1]}:0.2）")


def _detect(ck: Checker, crosswalk: Crosswalk, land: Account, columns: list[str], land_rows: pd.Series) -> bool:
    """True when the file's land codes are 2007 codes (some 2007-only, none 三调-only); a mixed or
    undecidable file gets an issue asking for --classification. False: read as 三调."""

    from balancesheet.importer.validate import zero_padded

    classes = _classes_of(land)
    codes = land.items.keys() | land.aliases.keys()
    first: dict[str, tuple[str, int]] = {}  # value → (column, first row)
    for column in columns:
        text = ck.text(column)
        values = text[land_rows & (text != "")]
        for row, value in values.drop_duplicates().items():
            first.setdefault(value, (column, int(row)))
    old_only, new_only, either = [], [], []
    for value in first:
        old = crosswalk.resolve(value)
        new = land.resolve_item(value)
        padded = None if new is not None else zero_padded(value, codes)
        if old and new is None and padded is None:
            old_only.append(value)
        elif old is None and (new or padded) in classes:
            new_only.append(value)
        elif old == value and padded is not None:
            either.append(value)  # 101: 二调 铁路用地, or 三调 0101 水田 that lost its zero
    if old_only and new_only:
        for value in (old_only[0], new_only[0]):
            column, row = first[value]
            ck.issues.append(Issue(ck.table.location(row, ck.columns[column]),
                                   f"文件同时含二调编码（如 {old_only[0]}）和三调编码（如 {new_only[0]}）。"
                                   "请分开文件导入，或用 --classification 2007 / 2017 指明编码体系",
                                   "the file mixes 2007 and 三调 codes", value))
        return False
    if old_only:
        return True
    if either and not new_only:
        column, row = first[either[0]]
        ck.issues.append(Issue(ck.table.location(row, ck.columns[column]),
                               f"编码「{either[0]}」既可能是二调地类，也可能是丢失前导零的三调地类（0{either[0]}），"
                               "无法判断。请用 --classification 2007（二调）或 --classification 2017（三调）指明",
                               "ambiguous code: say --classification 2007 or 2017", either[0]))
    return False


def _drop_or_refuse_totals(ck: Checker, crosswalk: Crosswalk, land_rows: pd.Series) -> None:
    """2007 first-level rows in a stocks file: left out when they equal the sum of their members
    (same region and year), refused otherwise."""
    text = ck.text("item")
    old = _old_codes(crosswalk, text[land_rows & (text != "")])
    totals = old[old.isin(crosswalk.totals.keys())]
    if totals.empty:
        return
    member_of = {m: t.code for t in crosswalk.totals.values() for m in t.members}
    amounts = pd.to_numeric(ck.text("value").str.replace(",", "", regex=False), errors="coerce")
    key = ck.text("region") + "\x1f" + ck.text("year") + "\x1f"
    members = old[old.isin(member_of.keys())]
    sums = amounts[members.index].groupby((key[members.index] + members.map(member_of)).to_numpy()).sum()
    expected = (key[totals.index] + totals).map(sums)
    given = amounts[totals.index]
    equal = (given - expected).abs() <= 0.01 + 1e-9 * expected.abs()
    drop = totals.index[equal.fillna(False).to_numpy()]
    refuse = totals.index[~equal.fillna(False).to_numpy()]
    for row in refuse:  # a handful of subtotal rows at most
        code = totals[row]
        members_text = "、".join(crosswalk.totals[code].members)
        found = "本文件中没有其二级类" if pd.isna(expected[row]) else f"本文件中其二级类之和为 {expected[row]:g}，与本行 {given[row]:g} 不符"
        ck.issues.append(Issue(
            ck.table.location(int(row), ck.columns["item"]),
            f"二调一级类「{crosswalk.label(code)}」是汇总行，不能直接换算为三调地类：{found}。请删除此行或提供二级类"
            f"（{members_text}）数据；若这是丢失前导零的二级类编码（如 11 应为 011），请将编码列设为文本格式后重新导出",
            "a 2007 first-level class is a subtotal: give its second-level classes", text[row]))
        ck.bad[row] = True
    if len(drop):
        rows = "、".join(str(int(r)) for r in drop[:20])
        ck.notes.append(f"已略过 {len(drop)} 个二调一级类汇总行（第 {rows} 行）：其数值等于同区划、年度的二级类之和，"
                        "三调各类的合计由换算后的明细汇总得出")
        ck.drop(pd.Series(ck.frame.index.isin(drop), index=ck.frame.index))


def _old_codes(crosswalk: Crosswalk, values: pd.Series) -> pd.Series:
    """The 2007 code of each value (resolved once per distinct value)."""
    return values.map({v: crosswalk.resolve(v) for v in pd.unique(values)})




__all__ = ["KINDS", "Applied", "SplitClass", "apply_crosswalk"]
