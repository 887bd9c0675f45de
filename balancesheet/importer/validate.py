"""Vectorised validation of a raw table: every rejected value with its row, column and reason."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from balancesheet import units
from balancesheet.errors import Issue
from balancesheet.importer.readers import RawTable

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
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
        self.notes: list[str] = list(table.notes)
        self._normalised: dict[str, pd.Series] = {}

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
                column = column.copy()
                column[wide] = column[wide].str.normalize("NFKC").str.strip()
            self._normalised[name] = column
        return self._normalised[name]

    def reject(self, mask: pd.Series, name: str, message: str, message_en: str) -> None:
        """Record an issue for each row where ``mask`` holds."""
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
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
        numbers = pd.to_numeric(values.where(values != ""), errors="coerce")
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
        cleaned = values.where(~values.str.match(_THOUSANDS), values.str.replace(",", "", regex=False))
        numbers = pd.to_numeric(cleaned.where(cleaned != ""), errors="coerce")
        self.reject((values != "") & numbers.isna(), name, "不是数字", "not a number")
        self.reject(numbers.notna() & ~np.isfinite(numbers.astype(float)), name, "不是有限数值", "not finite")
        return numbers.astype(float)

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
        given = self.text(name)
        given = given.where(given != "", default or "")
        key = given + "\x1f" + target_units.fillna("")
        table: dict[str, float] = {}
        unknown_units: set[str] = set()
        for k in pd.unique(key):  # distinct (unit, target) pairs: a handful
            u, _, t = k.partition("\x1f")
            if u and not units.is_known(u):
                unknown_units.add(u)
                continue
            try:
                table[k] = units.factor(u, t) if u and t else 1.0
            except Exception:  # noqa: BLE001 - a UserError; reported per row below
                continue
        factors = key.map(table).astype(float)
        unknown = given.isin(unknown_units)
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


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates from ISO, 2018/7/16, 2018年7月16日, 20180716 or Excel serial numbers; (dates, bad)."""
    text = values.str.replace(r"[年月/.]", "-", regex=True).str.replace("日", "", regex=False)
    text = text.str.replace(r"^(\d{4})(\d{2})(\d{2})$", r"\1-\2-\3", regex=True)
    parsed = pd.to_datetime(text.where(text.str.match(r"^\d{4}-\d{1,2}-\d{1,2}")), errors="coerce",
                            format="%Y-%m-%d")
    serial = pd.to_numeric(values.where(values.str.fullmatch(r"\d{5}(\.0+)?")), errors="coerce")
    from_serial = pd.to_datetime("1899-12-30") + pd.to_timedelta(serial, unit="D")
    parsed = parsed.fillna(from_serial)
    return parsed.dt.date.where(parsed.notna(), None), (values != "") & parsed.isna()
