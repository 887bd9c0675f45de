"""How numbers and dates look in the UI: thousands separators, fixed decimals, 2024年12月31日."""

from __future__ import annotations

import datetime as dt
import math


def format_number(value: float | None, decimals: int = 2) -> str:
    """``1234567.891`` → ``1,234,567.89``; None/NaN → empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:,.{decimals}f}"


def parse_number(text: str) -> float:
    """Parse what a user typed or pasted: thousands separators, full-width digits, spaces.

    Raises ValueError with the original text when it is not a number.
    """
    cleaned = text.strip().translate(_FULL_WIDTH).replace(",", "").replace(" ", "")
    if not cleaned:
        raise ValueError(text)
    return float(cleaned)


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－＋", "0123456789.,-+")


def format_date(day: dt.date | None, language: str = "zh_CN") -> str:
    """``2024年12月31日`` in Chinese, ``2024-12-31`` in English, empty for None."""
    if day is None:
        return ""
    if language.startswith("zh"):
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()
