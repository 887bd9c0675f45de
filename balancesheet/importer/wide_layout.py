"""The layout of a 存量及变动表 sheet, as the tool exports it and as people make it by hand.

Finds the header (one to three rows; merged cells such as 本期增加 over 人为因素/自然因素/…), what
each column holds, the body rows between the header and the footer (注：…, 填报单位：…), and the
texts that state the unit (单位：公顷 / 亩 / 万亩), the region and the year. Pure functions over a
grid of text cells (readers.read_grid); no database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from balancesheet import units
from balancesheet.importer.formats import Column

# Columns of the layout (the wizard's mapping offers them). Chinese names as the export writes them.
VALUE_FIELDS = ("opening", "add_human", "add_natural", "add_other", "additions",
                "red_human", "red_natural", "red_other", "reductions", "closing", "computed")
COLUMNS: tuple[Column, ...] = tuple(Column(name, (name, zh), False) for name, zh in (
    ("code", "代码"), ("name", "项目"), ("unit", "单位"), ("opening", "期初存量"),
    ("add_human", "本期增加·人为因素"), ("add_natural", "本期增加·自然因素"),
    ("add_other", "本期增加·其他因素"), ("additions", "本期增加·合计"),
    ("red_human", "本期减少·人为因素"), ("red_natural", "本期减少·自然因素"),
    ("red_other", "本期减少·其他因素"), ("reductions", "本期减少·合计"),
    ("closing", "期末存量（实测）"), ("computed", "期末存量（计算）"),
))
FIELD_NAMES = {c.name: c.spellings[1] for c in COLUMNS}

_ENGLISH = {"item": "code", "code": "code", "name": "name", "unit": "unit", "opening": "opening",
            "additions": "additions", "reductions": "reductions", "closing": "computed",
            "observed_closing": "closing", "parent": "", "kind": "", "level": "", "depth": "",
            "discrepancy": ""} | {f"{p}_{f}": f"{p}_{f}" for p in ("add", "red")
                                  for f in ("human", "natural", "other")}
_FOOTER = re.compile(r"^(注|说明|备注|填报单位|单位负责人|负责人|填表人|制表|审核|报出日期|数据来源|资料来源)")
_COLUMN_NUMBERS = {"甲", "乙", "丙", "丁", "栏次", "行次", "序号"}
_NUMERIC = re.compile(r"^[+-]?[\d,]*\.?\d+%?$")


def fold(text: str) -> str:
    """NFKC (full-width → ASCII), no spaces of any width: how labels are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (as a spreadsheet names columns)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def classify(label: str) -> tuple[str | None, str | None]:
    """(field, unit named in the label) of a header label (parts of a header of several rows
    joined by "/"); field "" = known but not imported (差异, parent …), None = not recognised."""
    text = fold(label)
    unit = None
    for inner in re.findall(r"[(]([^()]+)[)]", text):
        if units.is_known(inner):
            unit = unit or inner
            text = text.replace(f"({inner})", "")
    english = _ENGLISH.get(text.lower())
    if english is not None:
        return english, unit
    if re.search("差异|差额|备注|说明", text):
        return "", unit
    if re.search("期初|年初|上年末", text):
        return "opening", unit
    if re.search("期末|年末", text):
        return ("computed" if "计算" in text else "closing"), unit
    for word, prefix in (("增加", "add"), ("减少", "red")):
        if word in text:
            return _factor_field(prefix, text), unit
    if re.fullmatch(r"(计量)?单位", text):
        return "unit", unit
    if re.search("代码|编码|编号", text):
        return "code", unit
    if re.search("项目|名称|地类|指标|科目", text):
        return "name", unit
    return None, unit


def _factor_field(prefix: str, text: str) -> str:
    if "人为" in text:
        return f"{prefix}_human"
    if "自然" in text:
        return f"{prefix}_natural"
    if re.search("其他|核算|调整", text):
        return f"{prefix}_other"
    return "additions" if prefix == "add" else "reductions"


@dataclass
class SheetLayout:
    """Where the parts of one 存量及变动表 sheet are."""

    sheet: str | None
    header_rows: list[int]                 # spreadsheet row numbers of the header
    labels: dict[int, str]                 # column position → display label ("E 本期增加/人为因素")
    fields: dict[int, str]                 # column position → field (only recognised columns)
    label_units: dict[int, str]            # column position → unit named in its label
    body: pd.DataFrame                     # text cells of the data rows (index: row numbers)
    title: list[str] = field(default_factory=list)   # text lines above the header
    footer: list[str] = field(default_factory=list)  # 注 / 填报单位 … lines below
    unknown: list[str] = field(default_factory=list)  # labels of columns not recognised
    skipped_rows: list[int] = field(default_factory=list)  # column-number rows (甲 乙 1 2 …)

    def column(self, name: str) -> int | None:
        """Position of the column holding field ``name`` (None if the sheet has none)."""
        return next((c for c, f in self.fields.items() if f == name), None)


def _row_texts(grid: pd.DataFrame, rows: list[int]) -> list[str]:
    """The non-blank rows among ``rows`` as lines of text (cells joined by spaces)."""
    texts = (" ".join(v.strip() for v in grid.loc[r] if v.strip()) for r in rows)  # title lines: a few
    return [t for t in texts if t]


def _header_labels(grid: pd.DataFrame, rows: list[int]) -> dict[int, str]:
    """Column → joined label of a header of several rows; an upper label spans the empty cells
    to its right that have a label below (a merged 本期增加 over 人为因素 | 自然因素 | …)."""
    cells = grid.loc[rows].copy()
    lower_filled = pd.Series(False, index=cells.columns)
    for position in reversed(range(len(rows))):
        row = cells.iloc[position]
        if position < len(rows) - 1:
            spread = row.where(row != "").ffill().fillna("")
            cells.iloc[position] = row.where(row != "", spread.where(lower_filled, ""))
        lower_filled |= row != ""
    labels = {}
    for col in cells.columns:
        parts = [p for p in cells[col] if p]
        parts = [p for i, p in enumerate(parts) if i == 0 or p != parts[i - 1]]
        if parts:
            labels[int(col)] = "/".join(parts)
    return labels


def find_layout(grid: pd.DataFrame, sheet: str | None, search_rows: int = 40) -> SheetLayout | None:
    """The layout of ``grid`` if it is a 存量及变动表 (a header naming the item, a closing column and
    an opening or change column), else None."""
    if grid.empty:
        return None
    head = grid.head(search_rows).apply(lambda col: col.str.strip())
    field_of = head.map(lambda v: _field(v) if v else None)
    for start in head.index[field_of.isin(["code", "name"]).any(axis=1)]:
        label_cols = [c for c, f in field_of.loc[start].items() if f in ("code", "name")]
        header = [start]
        for nxt in (start + 1, start + 2):
            if nxt not in head.index or not _continues_header(head.loc[nxt], head.loc[header[-1]], label_cols):
                break
            header.append(nxt)
        labels = _header_labels(head, header)
        classified = {c: classify(text) for c, text in labels.items()}
        fields = {c: f for c, (f, _u) in classified.items() if f}
        found = set(fields.values())
        changes = {f for f in found if f == "opening" or f.startswith(("add", "red"))}
        if not ({"closing", "computed"} & found and changes):
            continue
        return _layout(grid, sheet, start, header, labels, fields,
                       {c: u for c, (_f, u) in classified.items() if u},
                       [labels[c] for c, (f, _u) in classified.items() if f is None])
    return None


@lru_cache(maxsize=4096)
def _field(label: str) -> str | None:
    return classify(label)[0]


def _continues_header(row: pd.Series, above: pd.Series, label_cols: list[int]) -> bool:
    """A further header row: no numbers, and the item columns empty (merged from above) or
    repeating the label above them."""
    values = row[row != ""]
    if values.empty or values.map(lambda v: bool(_NUMERIC.match(fold(v)))).any():
        return False
    return all(row[c] == "" or row[c] == above[c] for c in label_cols)


def _layout(grid: pd.DataFrame, sheet: str | None, start: int, header: list[int], labels: dict[int, str],
            fields: dict[int, str], label_units: dict[int, str], unknown: list[str]) -> SheetLayout:
    dup = sorted({f for f in fields.values() if list(fields.values()).count(f) > 1})
    for name in dup:  # two columns for one field: keep the first, name the others as unknown
        extra = [c for c, f in fields.items() if f == name][1:]
        for c in extra:
            unknown.append(labels[c])
            del fields[c]
    display = {c: f"{column_letter(c)} {text}" for c, text in labels.items()}
    body = grid.loc[header[-1] + 1:]
    stripped = body.apply(lambda col: col.str.strip())
    cells = stripped.to_numpy(dtype=object)
    filled = cells != ""
    blank = pd.Series(~filled.any(axis=1), index=body.index)
    first_text = pd.Series(cells[np.arange(len(cells)), filled.argmax(axis=1)] if len(cells) else [],
                           index=body.index, dtype=object)
    footer_mask = first_text.map(lambda t: bool(_FOOTER.match(fold(t)))).astype(bool)
    label_cols = [c for c, f in fields.items() if f in ("code", "name")]
    numbers_row = first_text.isin(_COLUMN_NUMBERS) | stripped[label_cols].isin(_COLUMN_NUMBERS).any(axis=1)
    keep = ~blank & ~footer_mask & ~numbers_row
    return SheetLayout(
        sheet=sheet, header_rows=header, labels=display, fields=fields, label_units=label_units,
        body=body[keep], title=_row_texts(grid, list(grid.index[grid.index < start])),
        footer=_row_texts(grid, list(first_text.index[footer_mask])),
        unknown=unknown, skipped_rows=[int(r) for r in body.index[numbers_row & ~blank]],
    )


def sheet_texts(grid: pd.DataFrame, rows: int = 20) -> list[str]:
    """The first lines of a sheet as text (a cover sheet's 填报单位、区划代码、报告期)."""
    return _row_texts(grid, list(grid.index[:rows]))


def title_units(lines: list[str]) -> list[str]:
    """Units named in 单位：… lines (公顷, 亩, 万亩, 立方米 …), in order, known units only."""
    found: list[str] = []
    for line in lines:
        for match in re.finditer(r"单位[:：]\s*([^\s（(，,;；]+(?:[、/和及][^\s（(，,;；、/和及]+)*)", fold(line)):
            for token in re.split(r"[、和及]", match.group(1)):
                if units.is_known(token) and token not in found:
                    found.append(token)
    return found


__all__ = ["COLUMNS", "FIELD_NAMES", "VALUE_FIELDS", "SheetLayout", "classify", "column_letter",
           "find_layout", "fold", "sheet_texts", "title_units"]
