"""Excel number formats: a cell value as Excel displays it (:func:`format_value`).

Pure Python (no reportlab); the tokenised formats are cached.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

_COLOR_NAMES = {"black": "000000", "white": "FFFFFF", "red": "FF0000", "green": "00FF00",
                "blue": "0000FF", "yellow": "FFFF00", "magenta": "FF00FF", "cyan": "00FFFF"}
_DATE_CHARS = set("yYmMdDhHsS")
_WEEKDAYS_CN = "一二三四五六日"


@lru_cache(maxsize=512)
def _split_sections(fmt: str) -> tuple[str, ...]:
    out, cur, i = [], [], 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == '"':
            j = fmt.find('"', i + 1)
            j = len(fmt) - 1 if j < 0 else j
            cur.append(fmt[i:j + 1])
            i = j + 1
            continue
        if ch == "\\" and i + 1 < len(fmt):
            cur.append(fmt[i:i + 2])
            i += 2
            continue
        if ch == ";":
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    out.append("".join(cur))
    return tuple(re.sub(r"\[[<>=][^\]]*\]", "", x) for x in out)  # conditions: not interpreted


@lru_cache(maxsize=1024)
def _tokens(section: str) -> tuple[tuple[tuple[str, str], ...], str | None]:
    """Tokens (kind, text) of one format section and its [Colour], if any.

    kinds: lit (literal text), num (digit placeholders 0#?,.), pct, exp (E+00), text (@),
    date (a date/time code such as yyyy, m, ss, AM/PM).
    """
    toks: list[tuple[str, str]] = []
    color = None
    i, n = 0, len(section)
    while i < n:
        ch = section[i]
        if ch == '"':
            j = section.find('"', i + 1)
            j = n if j < 0 else j
            toks.append(("lit", section[i + 1:j]))
            i = j + 1
        elif ch == "\\":
            toks.append(("lit", section[i + 1:i + 2]))
            i += 2
        elif ch == "_":
            toks.append(("lit", " "))
            i += 2
        elif ch == "*":
            i += 2
        elif ch == "[":
            j = section.find("]", i)
            j = n if j < 0 else j
            content = section[i + 1:j]
            low = content.lower()
            if low in _COLOR_NAMES:
                color = _COLOR_NAMES[low]
            elif content.startswith("$"):
                toks.append(("lit", content[1:].split("-")[0]))
            elif low in ("h", "hh", "m", "mm", "s", "ss"):
                toks.append(("date", "[" + low + "]"))
            i = j + 1
        elif ch in "0#?.,":
            j = i
            while j < n and section[j] in "0#?.,":
                j += 1
            toks.append(("num", section[i:j]))
            i = j
        elif ch == "%":
            toks.append(("pct", "%"))
            i += 1
        elif ch in "Ee" and i + 1 < n and section[i + 1] in "+-" and any(
                k == "num" for k, _ in toks):
            j = i + 2
            while j < n and section[j] in "0#":
                j += 1
            toks.append(("exp", section[i:j]))
            i = j
        elif ch == "@":
            toks.append(("text", "@"))
            i += 1
        elif section[i:i + 5].upper() == "AM/PM":
            toks.append(("date", "AM/PM"))
            i += 5
        elif section[i:i + 3].upper() == "A/P":
            toks.append(("date", "A/P"))
            i += 3
        elif ch in _DATE_CHARS or ch in "aA" and section[i:i + 3].lower() == "aaa":
            j = i
            while j < n and section[j].lower() == ch.lower():
                j += 1
            toks.append(("date", section[i:j].lower()))
            i = j
        else:
            toks.append(("lit", ch))
            i += 1
    return tuple(toks), color


def _general(value: float) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value) if abs(value) < 10**15 else f"{value:.5E}"
    v = float(value)
    if v == 0:
        return "0"
    a = abs(v)
    if a >= 1e11 or a < 1e-9:
        mant, _, exp = f"{v:.5E}".partition("E")
        mant = mant.rstrip("0").rstrip(".")
        return f"{mant}E{exp}"
    if v.is_integer():
        return str(int(v))
    s = format(Decimal(f"{v:.10g}"), "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


def _group(digits: str) -> str:
    out = []
    while len(digits) > 3:
        out.append(digits[-3:])
        digits = digits[:-3]
    out.append(digits)
    return ",".join(reversed(out))


@dataclass(frozen=True)
class _NumPlan:
    pct: int
    exp: str | None
    divide: int  # trailing-comma scaling: divide by 1000**divide
    thousands: bool
    dot: bool
    dec_all: int
    dec_min: int
    int_min: int


@lru_cache(maxsize=1024)
def _num_plan(toks: tuple[tuple[str, str], ...]) -> _NumPlan:
    pattern = "".join(t for k, t in toks if k == "num")
    stripped = pattern.rstrip(",")
    int_pat, dot, dec_pat = stripped.partition(".")
    return _NumPlan(
        pct=sum(1 for k, _ in toks if k == "pct"),
        exp=next((t for k, t in toks if k == "exp"), None),
        divide=len(pattern) - len(stripped),
        thousands="," in int_pat,
        dot=bool(dot),
        dec_all=sum(1 for ch in dec_pat if ch in "0#?"),
        dec_min=sum(1 for ch in dec_pat if ch in "0?"),
        int_min=int_pat.count("0"),
    )


def _format_number(value: float, toks: tuple[tuple[str, str], ...]) -> str:
    plan = _num_plan(toks)
    v = float(value) * (100 ** plan.pct) / (1000 ** plan.divide)
    exp, dec_all, dec_min = plan.exp, plan.dec_all, plan.dec_min
    if exp is not None:
        digits = max(0, sum(1 for ch in exp[2:] if ch == "0"))
        s = f"{abs(v):.{dec_all}E}"
        mant, _, e = s.partition("E")
        sign = "-" if e.startswith("-") else ("+" if exp[1] == "+" else "")
        num_text = f"{mant}E{sign}{abs(int(e)):0{max(digits, 1)}d}"
    else:
        try:
            d = Decimal(f"{abs(v):.15g}").quantize(Decimal(1).scaleb(-dec_all), ROUND_HALF_UP)
        except InvalidOperation:
            return _general(value)
        s = format(d, "f")
        ip, _, fp = s.partition(".")
        fp = fp[:dec_all]
        while len(fp) > dec_min and fp.endswith("0"):
            fp = fp[:-1]
        ip = ip.lstrip("0").rjust(plan.int_min, "0")
        if plan.thousands and ip:
            ip = _group(ip)
        if fp:
            num_text = f"{ip}.{fp}"
        elif plan.dot:
            num_text = ip + "."  # Excel shows "5." for 5 in "0.##"
        else:
            num_text = ip
    out: list[str] = []
    placed = False
    for kind, text in toks:
        if kind == "num":
            if not placed:
                out.append(num_text)
                placed = True
        elif kind in ("lit", "pct"):
            out.append(text)
        elif kind == "text":
            out.append("")
    if not placed:
        out.append(num_text)
    return "".join(out)


def _format_date(value: date | datetime | dtime, toks: tuple[tuple[str, str], ...]) -> str:
    if isinstance(value, dtime):
        value = datetime.combine(date(1899, 12, 30), value)
    elif not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    ampm = any(k == "date" and t in ("AM/PM", "A/P") for k, t in toks)
    out: list[str] = []
    kinds = [(k, t) for k, t in toks]
    for idx, (kind, text) in enumerate(kinds):
        if kind != "date":
            if kind in ("lit", "pct"):
                out.append(text)
            elif kind == "num":
                out.append(text.replace("0", "").replace("#", ""))  # fractional seconds: dropped
            continue
        t = text
        if t.startswith("y"):
            out.append(f"{value.year % 100:02d}" if len(t) <= 2 else f"{value.year:04d}")
        elif t.startswith("m") and not t.startswith("[m"):
            prev = next((x for k, x in reversed(kinds[:idx]) if k == "date"), "")
            nxt = next((x for k, x in kinds[idx + 1:] if k == "date"), "")
            if len(t) <= 2 and (prev.startswith("h") or nxt.startswith("s")):
                out.append(f"{value.minute:02d}" if len(t) == 2 else str(value.minute))
            elif len(t) == 1:
                out.append(str(value.month))
            elif len(t) == 2:
                out.append(f"{value.month:02d}")
            elif len(t) == 3:
                out.append(value.strftime("%b"))
            else:
                out.append(value.strftime("%B"))
        elif t.startswith("d"):
            if len(t) == 1:
                out.append(str(value.day))
            elif len(t) == 2:
                out.append(f"{value.day:02d}")
            else:
                out.append(value.strftime("%a" if len(t) == 3 else "%A"))
        elif t.startswith("a"):
            wd = _WEEKDAYS_CN[value.weekday()]
            out.append(("星期" + wd) if len(t) >= 4 else wd)
        elif t.startswith("h"):
            h = value.hour % 12 or 12 if ampm else value.hour
            out.append(f"{h:02d}" if len(t) >= 2 else str(h))
        elif t.startswith("s"):
            out.append(f"{value.second:02d}" if len(t) >= 2 else str(value.second))
        elif t in ("AM/PM", "A/P"):
            pm = value.hour >= 12
            out.append(("PM" if pm else "AM") if t == "AM/PM" else ("P" if pm else "A"))
        elif t.startswith("["):
            out.append(str(value.hour))
    return "".join(out)


@lru_cache(maxsize=1024)
def _is_date_section(toks: tuple[tuple[str, str], ...]) -> bool:
    return any(k == "date" for k, _ in toks)


def format_value(value: Any, number_format: str | None = "General") -> tuple[str, str | None]:
    """A cell value as Excel displays it with ``number_format``, and the format's colour (RRGGBB).

    Supports General, ``0``, ``0.00``, ``#,##0``, ``#,##0.00``, percentages, trailing-comma
    scaling, scientific ``0.00E+00``, literal text (quoted, escaped, ``[$¥-804]``), ``_x``
    padding, up to four sections (positive;negative;zero;text) with ``[Red]``-style colours, and
    date/time codes (yyyy, m, d, h, mm, ss, AM/PM, aaaa). Rounding is half away from zero on the
    15-significant-digit value, as Excel does. Conditions (``[>100]``) and fractions are not
    interpreted (the number is shown as General).
    """
    if value is None:
        return "", None
    fmt = (number_format or "General").strip() or "General"
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), None
    if isinstance(value, (datetime, date, dtime)):
        if fmt.lower() == "general" or not _is_date_section(_tokens(_split_sections(fmt)[0])[0]):
            if isinstance(value, datetime):
                return (value.strftime("%Y-%m-%d %H:%M:%S") if value.time() != dtime(0)
                        else value.strftime("%Y-%m-%d")), None
            return value.isoformat(), None
        toks, color = _tokens(_split_sections(fmt)[0])
        return _format_date(value, toks), color
    if isinstance(value, timedelta):
        return str(value), None
    if isinstance(value, (int, float, Decimal)):
        v = float(value)
        if math.isnan(v) or math.isinf(v):
            return ("#NUM!" if math.isnan(v) else "#DIV/0!"), None
        if fmt.lower() == "general" or fmt == "@":
            return _general(value), None
        sections = _split_sections(fmt)
        negative_section = False
        if v < 0 and len(sections) >= 2:
            sec = sections[1]
            negative_section = True
        elif v == 0 and len(sections) >= 3:
            sec = sections[2]
        else:
            sec = sections[0]
        toks, color = _tokens(sec)
        if _is_date_section(toks):
            try:
                from openpyxl.utils.datetime import from_excel

                return _format_date(from_excel(v), toks), color
            except (ValueError, OverflowError):
                return _general(value), color
        if not any(k in ("num", "exp") for k, _ in toks):
            if any(k == "text" for k, _ in toks):
                return _general(value), color
            return "".join(t for k, t in toks if k in ("lit", "pct")), color
        text = _format_number(abs(v), toks)
        if v < 0 and not negative_section and re.search(r"[1-9]", text):
            text = "-" + text
        return text, color
    text = str(value)
    sections = _split_sections(fmt)
    if len(sections) >= 4 and "@" in sections[3]:
        toks, color = _tokens(sections[3])
        return "".join(text if k == "text" else t for k, t in toks if k in ("lit", "text")), color
    return text, None
