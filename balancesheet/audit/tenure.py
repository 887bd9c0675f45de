"""Map an official's tenure (mid-year dates, possibly still running) to the year-ends compared.

Stocks are observed at 31 December. The comparison uses the year-end **before the tenure
started** and the year-end **at its end**, by a stated rule:

- ``previous`` (default): the last 31 December on or before the end date (a tenure ending
  2023-04-12 is compared at 2022-12-31);
- ``nearest``: the 31 December nearest to the end date (ties go to the earlier one);
- ``following``: the 31 December of the end year.

A tenure still running (任中审计) ends at the latest year-end with data. The result says which
dates were compared and why, in Chinese, for the report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from balancesheet.errors import UserError

END_RULES = ("previous", "nearest", "following")


@dataclass(frozen=True)
class TenureYears:
    """The year-ends compared for a tenure, and the reasons."""

    start_date: dt.date
    end_date: dt.date | None
    start_year: int  # stocks at 31 Dec of this year = before the tenure
    end_year: int    # stocks at 31 Dec of this year = at the tenure's end
    running: bool
    rule: str
    explanation: str
    shortened: bool = False  # the start year-end moved later for lack of data

    @property
    def years(self) -> list[int]:
        """The years whose flows fall in the compared span (start_year+1 … end_year)."""
        return list(range(self.start_year + 1, self.end_year + 1))


def _zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def tenure_years(start: dt.date, end: dt.date | None, data_years: list[int], rule: str = "previous",
                 today: dt.date | None = None) -> TenureYears:
    """Choose the year-ends to compare for a tenure; ``data_years`` are the years with stocks."""
    if rule not in END_RULES:
        raise UserError(f"未知的期末取数规则「{rule}」，可用：{', '.join(END_RULES)}", f"Unknown rule {rule!r}")
    if not data_years:
        raise UserError("该区划没有任何年末存量数据，无法进行任期分析", "No stock data for the region")
    first, last = min(data_years), max(data_years)
    start_year = start.year - 1
    reasons = [f"任职起 {_zh(start)}，期初取任职前最近的年末 {start_year}年12月31日"]
    shortened = start_year < first
    if shortened:
        if end is not None and end.year <= first:
            raise UserError(
                f"任期 {_zh(start)} 至 {_zh(end)} 早于最早的存量数据（{first}年末），无法比较任职前后的变化。"
                f"请先导入 {start_year} 年末及以后的存量数据。",
                f"The tenure ends before the first year-end with data ({first}).",
            )
        reasons.append(f"但 {start_year}年末无存量数据，期初改取最早有数据的年末 {first}年12月31日"
                       "（比较期间短于任期，评价时应予说明）")
        start_year = first
    running = end is None
    if running:
        end_year = last
        reasons.append(f"尚在任（任中审计），期末取最近有数据的年末 {end_year}年12月31日")
    else:
        assert end is not None
        if rule == "previous":
            end_year = end.year if (end.month, end.day) == (12, 31) else end.year - 1
            why = "任职止之前最近的年末"
        elif rule == "following":
            end_year = end.year
            why = "任职止当年的年末"
        else:
            before = dt.date(end.year - 1, 12, 31)
            after = dt.date(end.year, 12, 31)
            end_year = before.year if (end - before) <= (after - end) else after.year
            why = "距任职止最近的年末"
        reasons.append(f"任职止 {_zh(end)}，期末取{why} {end_year}年12月31日")
        if end_year > last:
            reasons.append(f"但 {end_year}年末尚无数据，改取最近有数据的年末 {last}年12月31日")
            end_year = last
    if end_year <= start_year:
        raise UserError(
            f"任期 {_zh(start)} 至 {_zh(end) if end else '今'} 内没有完整的年末可比（期初 {start_year}年末，"
            f"期末 {end_year}年末）。可改用 --end-rule following，或等待下一年度数据。",
            "The tenure spans no year-end that can be compared.",
        )
    return TenureYears(start, end, start_year, end_year, running, rule, "；".join(reasons) + "。", shortened)
