"""Plain-text output: aligned tables that respect the width of Chinese characters."""

from __future__ import annotations

import csv
import io
import json
import math
import unicodedata
from collections.abc import Sequence
from typing import Any


def width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def number(value: Any, decimals: int = 2) -> str:
    """1234.5 → '1,234.50'; None/NaN → ''."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{float(value):,.{decimals}f}"


def render(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]) -> str:
    """Columns padded to their widest cell; numbers right-aligned."""
    widths = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        parts = []
        for cell, w, r in zip(cells, widths, right, strict=True):
            pad = " " * (w - width(cell))
            parts.append(pad + cell if r else cell + pad)
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """CSV text (UTF-8 written by the caller). Text a spreadsheet would run as a formula
    (``=…``, ``+…``, ``-…``, ``@…``; numbers excepted) gets a leading apostrophe
    (:func:`balancesheet.safe_text.guard`); numbers are written as they are."""
    from balancesheet.safe_text import guard

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([guard(h) for h in headers])
    writer.writerows([guard(c) if isinstance(c, str) else c for c in row] for row in rows)
    return buf.getvalue()


def to_json(data: Any) -> str:
    """Pretty JSON with Chinese kept readable."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
