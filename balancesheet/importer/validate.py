"""Vectorised validation of a raw table: every rejected value with its row, column and reason.

What is unambiguous is normalised and reported (full-width characters, thousands separators,
codes that lost their leading zeros, Excel serial dates, totals rows): each kind of change is
counted per column with its first row and becomes a note of the import (:meth:`Checker.finish`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from balancesheet import units
from balancesheet.errors import Issue
from balancesheet.importer.readers import Fix, RawTable, fix_note

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_SERIAL = r"\d{5}(\.\d+)?"  # an Excel date serial (days since 1899-12-30), as a cell shows it
_NUMERIC_CODE = re.compile(r"^(\d+)(?:\.0+)?$")
_TOTAL = r"(本页|本表|全县|全市|全区|全镇|全乡|总)?(合计|总计|小计)[:：]?"  # spaces removed first
TOTAL_TOLERANCE = 0.01  # a blank-item row is a total when its value is this close to the sum
FIRST_YEAR = 1949
FREE_TEXT = frozenset({"name", "post", "source"})  # kept as typed: （虚构） stays full-width


class Checker:
    """Validates the columns of one raw table and collects issues (never stops at the first)."""

    def __init__(self, table: RawTable, columns: dict[str, str]):
        self.table = table
        self.columns = columns  # canonical name → header in the file
        self.frame = table.frame
        self.issues: list[Issue] = []
        self.bad = pd.Series(False, index=self.frame.index)
        self.notes: list[str] = [*table.notes, *([table.sheet_note] if table.sheet_note else [])]
        self.fixes: dict[tuple[str, str], Fix] = dict(table.fixes)
        self.source: dict[str, pd.Series] = {}  # column → the code as written, where it was recoded
        self.crosswalk: Any = None  # balancesheet.crosswalk.Applied when old codes were mapped
        self.summary: list[str] = []  # sentences for the refusal's message (e.g. split classes to choose)
        self._normalised: dict[str, pd.Series] = {}
        self._rejected: dict[str, pd.Series] = {}

    def text(self, name: str) -> pd.Series:
        """The column's text ('' everywhere when the optional column is absent)."""
        header = self.columns.get(name)
        if header is None:
            return pd.Series("", index=self.frame.index, dtype=object)
        if name in FREE_TEXT:
            return self.frame[header]
        if name not in self._normalised:
            # Codes, numbers, dates: NFKC folds full-width digits and punctuation (１２３，．) to ASCII.
            column = self.frame[header]
            wide = ~column.str.isascii()  # only non-ASCII cells can need folding
            if wide.any():
                folded = per_distinct(column[wide], lambda u: u.str.normalize("NFKC").str.strip())
                full_width = per_distinct(  # ０-９，．－ Ａ-Ｚ …
                    column[wide], lambda u: u.str.contains("[\uff01-\uff5e]", regex=True)).astype(bool)
                self.fixed("全角字符转为半角（如 １２３，．－）", name, full_width & (folded != column[wide]), column, folded)
                column = column.copy()
                column[wide] = folded
            self._normalised[name] = column
        return self._normalised[name]

    def recode(self, name: str, values: pd.Series) -> None:
        """Replace a column's text (codes mapped before parsing, e.g. by a crosswalk)."""
        self._normalised[name] = values

    def fixed(self, what: str, name: str, mask: pd.Series, before: pd.Series | None = None,
              after: pd.Series | None = None) -> None:
        """Record that column ``name`` was normalised (``what``) where ``mask`` holds."""
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
        header = self.columns.get(name, name)
        first = mask.idxmax()
        example = f"「{before[first]}」→「{after[first]}」" if before is not None and after is not None else ""
        earlier = self.fixes.get((what, header))
        if earlier is not None:
            self.fixes[(what, header)] = Fix(earlier.count + int(mask.sum()), earlier.row, earlier.example)
        else:
            self.fixes[(what, header)] = Fix(int(mask.sum()), int(first), example)

    def finish(self) -> None:
        """Add one note per normalisation made (what, column, count, first row, example)."""
        self.notes.extend(fix_note(what, column, fix) for (what, column), fix in self.fixes.items())
        self.fixes = {}

    def drop(self, mask: pd.Series) -> None:
        """Leave out rows before any column is validated (totals rows and the like)."""
        keep = ~mask.fillna(False).astype(bool)
        self.frame = self.frame[keep]
        self.bad = self.bad[keep]
        self._normalised = {k: v[keep] for k, v in self._normalised.items()}
        self._rejected = {k: v[keep] for k, v in self._rejected.items()}

    def drop_totals(self, codes: list[str], value: str) -> None:
        """Leave out totals rows and report them: rows whose code column says 合计/总计/小计, and
        rows with every code blank whose value equals the sum of the data rows above it (since
        the previous total) or of all data rows."""
        present = [c for c in codes if c in self.columns]
        if not present or value not in self.columns:
            return
        texts = [self.text(c) for c in present]
        named = pd.Series(False, index=self.frame.index)
        for text in texts:
            maybe = text.str.contains("计", regex=False)
            if maybe.any():
                squeezed = text[maybe].str.replace(r"\s+", "", regex=True)
                named |= squeezed.str.fullmatch(_TOTAL).reindex(named.index, fill_value=False).astype(bool)
        blank = pd.concat([t == "" for t in texts], axis=1).all(axis=1)
        amounts = self.text(value)
        blank &= amounts != ""
        summed = pd.Series(False, index=self.frame.index)
        if blank.any():
            numbers = pd.to_numeric(amounts.str.replace(",", "", regex=False), errors="coerce")
            marker = named | blank
            running = numbers.where(~marker, 0.0).fillna(0.0).cumsum()
            at_marks = running[marker]
            since_last = at_marks - at_marks.shift(1, fill_value=0.0)
            grand = float(running.iloc[-1])
            tolerance = TOTAL_TOLERANCE + 1e-9 * abs(grand)
            at_total = ((numbers[marker] - since_last).abs() <= tolerance) | ((numbers[marker] - grand).abs() <= tolerance)
            summed = at_total.reindex(summed.index, fill_value=False) & blank
        totals = named | summed
        if not totals.any():
            return
        rows = totals.index[totals.to_numpy()]
        shown = "、".join(str(int(r)) for r in rows[:20]) + ("…" if len(rows) > 20 else "")
        self.notes.append(f"已略过 {len(rows)} 个合计/小计行（第 {shown} 行）：合计由明细汇总得出，不作为数据导入")
        self.drop(totals)

    def reject(self, mask: pd.Series, name: str, message: str, message_en: str) -> None:
        """Record an issue for each row where ``mask`` holds."""
        mask = mask.fillna(False).astype(bool)
        earlier = self._rejected.get(name)
        if earlier is not None:
            mask &= ~earlier  # one issue per cell: the first found
        if not mask.any():
            return
        self._rejected[name] = mask if earlier is None else earlier | mask
        header = self.columns.get(name, name)
        values = self.text(name)[mask]
        self.issues.extend(
            Issue(self.table.location(int(row), header), message, message_en, value)
            for row, value in values.items()
        )
        self.bad |= mask

    def required(self, name: str) -> pd.Series:
        """Text of a required column; empty cells rejected."""
        values = self.text(name)
        self.reject(values == "", name, "必填项为空", "required value is empty")
        return values

    def integer(self, name: str, low: int, high: int, what: str = "年度") -> pd.Series:
        """Whole numbers within [low, high]; others rejected."""
        values = self.required(name)
        numbers = per_distinct(values, lambda u: pd.to_numeric(u.where(u != ""), errors="coerce"))
        self.reject((values != "") & (numbers.isna() | (numbers % 1 != 0)), name,
                    f"{what}应为整数", f"{name} must be a whole number")
        self.reject(numbers.notna() & ((numbers < low) | (numbers > high)), name,
                    f"{what}超出范围（应在 {low}–{high} 之间）", f"{name} outside {low}–{high}")
        return numbers

    def year(self, name: str = "year") -> pd.Series:
        """A data year: 1949 … the current year."""
        return self.integer(name, FIRST_YEAR, dt.date.today().year)

    def number(self, name: str, required: bool = True) -> pd.Series:
        """Decimal numbers; '1,234.5' thousands separators accepted, anything else rejected."""
        values = self.required(name) if required else self.text(name)
        separated = values.str.contains(",", regex=False)
        if separated.any():  # the pattern is checked on the few cells holding a comma only
            separated[separated] = values[separated].str.match(_THOUSANDS).astype(bool)
        cleaned = values.where(~separated, values.str.replace(",", "", regex=False))
        self.fixed("去除数字中的千位分隔符", name, separated, values, cleaned)
        numbers = to_float(cleaned)
        self.reject((values != "") & numbers.isna(), name, "不是数字", "not a number")
        self.reject(numbers.notna() & ~np.isfinite(numbers.astype(float)), name, "不是有限数值", "not finite")
        return numbers.astype(float)

    def date(self, name: str, required: bool = True) -> pd.Series:
        """Dates in any accepted form (see :func:`parse_dates`); Excel serial numbers reported."""
        values = self.required(name) if required else self.text(name)
        dates, bad = parse_dates(values)
        self.reject(bad, name, "日期无法识别（应如 2020-07-16）", "unreadable date")
        serial = values.str.fullmatch(_SERIAL) & ~bad
        self.fixed("Excel 日期序列号转为日期", name, serial, values, dates.astype(str))
        return dates

    def non_negative(self, numbers: pd.Series, name: str, what: str = "数值") -> None:
        """Reject negative quantities."""
        self.reject(numbers < 0, name, f"{what}不能为负数", f"{name} must not be negative")

    def mapped(self, name: str, keys: pd.Series, resolve: Callable[[str], str | None], message: str,
               message_en: str) -> pd.Series:
        """Map ``keys`` through ``resolve`` (called once per distinct key); unknown rejected."""
        distinct = {k: resolve(k) for k in pd.unique(keys[keys != ""])}
        out = keys.map(distinct)
        self.reject((keys != "") & out.isna(), name, message, message_en)
        return out

    def unit_factors(self, name: str, target_units: pd.Series, default: str | None) -> pd.Series:
        """Factor converting each row's unit (or ``default``) into its target unit."""
        if name in self.columns:
            given = self.text(name)
            given = given.where(given != "", default or "")
            given_codes, given_units = pd.factorize(given, use_na_sentinel=False)
        else:  # no unit column: every row in the default unit
            given_codes, given_units = np.zeros(len(target_units), dtype=np.int64), np.array([default or ""], dtype=object)
        target_codes, targets = pd.factorize(target_units.fillna(""), use_na_sentinel=False)
        pair = given_codes * len(targets) + target_codes  # one number per (unit, target) pair
        table = np.full(len(given_units) * len(targets), np.nan)
        unknown_units: set[int] = set()  # codes of the given units that are not units
        for k in np.unique(pair):  # distinct (unit, target) pairs: a handful
            u, t = str(given_units[k // len(targets)]), str(targets[k % len(targets)])
            if u and not units.is_known(u):
                unknown_units.add(k // len(targets))
                continue
            try:
                table[k] = units.factor(u, t) if u and t else 1.0
            except Exception:  # noqa: BLE001 - a UserError; reported per row below
                continue
        factors = pd.Series(table[pair], index=target_units.index)
        unknown = pd.Series(np.isin(given_codes, list(unknown_units)), index=target_units.index)
        self.reject(unknown, name, f"未知单位（可用：{units.known_units()}）", "unknown unit")
        self.reject(~unknown & factors.isna() & target_units.notna(), name,
                    "单位与项目的计量单位不一致（量纲不同）", "unit does not fit the item")
        return factors

    def duplicates(self, frame: pd.DataFrame, keys: list[str], name: str, what: str) -> None:
        """Reject rows whose key repeats an earlier row, naming the first row."""
        ok = frame[~self.bad]
        dup = ok.duplicated(keys, keep=False)
        if not dup.any():
            return
        first = ok[dup].reset_index().groupby(keys)["index"].transform("min")
        first.index = ok[dup].index
        later = ok[dup].index[first.to_numpy() != ok[dup].index.to_numpy()]
        for row in later:
            self.issues.append(Issue(self.table.location(int(row), self.columns.get(name, name)),
                                     f"{what}重复（与第 {int(first[row])} 行相同）", "duplicate key",
                                     self.text(name)[row]))
        self.bad.loc[later] = True


def to_float(text: pd.Series) -> pd.Series:
    """Numbers from text: NaN where empty or not a number (same index).

    Arrow's parser first (about 20× faster than ``pd.to_numeric`` on a million cells); when any
    cell is not a plain decimal number it refuses the whole column, and pandas parses it then.
    """
    try:
        array = pa.array(text.where(text != "", None), type=pa.string(), from_pandas=True)
        parsed = pc.cast(array, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pd.to_numeric(text.where(text != ""), errors="coerce").astype(float)
    return pd.Series(parsed, index=text.index, dtype=float)


def per_distinct(values: pd.Series, compute: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``compute`` run on the distinct values only and spread back to every row (same index).

    A large file's columns repeat a handful of values (year, unit, region, class): converting
    each distinct value once instead of a million cells is what keeps big imports fast.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    done = np.asarray(compute(pd.Series(uniques, dtype=values.dtype)))
    return pd.Series(done[codes], index=values.index)


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates from ISO, 2018/7/16, 2018年7月16日, 20180716 or Excel serial numbers; (dates, bad)."""
    text = values.str.replace(r"[年月/.]", "-", regex=True).str.replace("日", "", regex=False)
    text = text.str.replace(r"^(\d{4})(\d{2})(\d{2})$", r"\1-\2-\3", regex=True)
    parsed = pd.to_datetime(text.where(text.str.match(r"^\d{4}-\d{1,2}-\d{1,2}")), errors="coerce",
                            format="%Y-%m-%d")
    serial = pd.to_numeric(values.where(values.str.fullmatch(_SERIAL)), errors="coerce").floordiv(1)
    from_serial = pd.to_datetime("1899-12-30") + pd.to_timedelta(serial, unit="D")
    parsed = parsed.fillna(from_serial)
    return parsed.dt.date.where(parsed.notna(), None), (values != "") & parsed.isna()


def zero_padded(text: str, codes: Collection[str]) -> str | None:
    """The code ``text`` stands for when a spreadsheet stored it as a number and dropped its
    leading zeros (101 → 0101, 1.0 → 01, 31 → 031): only when ``text`` is not itself a code and
    exactly one zero-padded form of it is; None otherwise."""
    match = _NUMERIC_CODE.match(text)
    if match is None or text in codes:
        return None
    digits = match.group(1)
    if digits in codes:
        return digits  # 101.0 → 101
    lengths = {len(c) for c in codes if c.isdigit() and len(c) > len(digits)}
    found = [digits.zfill(n) for n in sorted(lengths) if digits.zfill(n) in codes]
    return found[0] if len(found) == 1 else None
