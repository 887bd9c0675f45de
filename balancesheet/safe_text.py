"""Text that a spreadsheet must never run as a formula (CSV/Excel formula injection, OWASP).

A text is *dangerous* when its first character is ``=`` ``+`` ``-`` ``@``, a tab or a carriage
return, or one of the full-width forms ``＝ ＋ － ＠`` (a Chinese input method types them; WPS and
Excel take ``＝`` as ``=``), unless the whole text is a plain number written with ASCII digits
(``-12.5``, ``+3``, ``-1,234.50``, ``1e-3``): a number cannot run anything and stays a number.
Codes get no exception: a county's cause code ``-ADJ`` would be shown by Excel as the formula
``=-ADJ`` (#NAME?), so protecting it is what keeps it a code.

How each output protects a dangerous text (numbers, int and float values, are never touched):

- Excel workbooks (openpyxl): :func:`write_text_cell` stores a string cell (type ``s``, never a
  formula, whatever it starts with) with the quotePrefix style, so Excel/WPS keep it text even
  when a user edits the cell; the value itself is unchanged.
- CSV files and tab-separated clipboard text: :func:`guard` puts one apostrophe in front
  (``=1+1`` → ``'=1+1``), as OWASP advises; spreadsheets show the rest as text.
- Import: the readers apply :func:`unguard`, which takes that apostrophe off again, so what the
  tool exports imports back to exactly the same values. A text that already starts with
  apostrophes followed by a dangerous text (``'=x``) gets one more on export (``''=x``), which
  makes guard/unguard exact inverses for every text.

One module, used by every path that writes user-controlled text: exporter.py (CSV, XLSX),
reports/filler.py (report workbooks), cli/output.py (CSV of the commands) and the desktop
application's clipboard copies.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DANGEROUS_START", "guard", "guard_series", "needs_guard", "to_tsv", "unguard",
           "unguard_series", "write_text_cell"]

#: First characters that make a spreadsheet read a cell as a formula (or a DDE command).
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_FIRST = frozenset(DANGEROUS_START)
_NUMBER = r"[+-]?(?:(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_NUMBER_RE = re.compile(_NUMBER)
_QUOTE = "'"
MAX_CELL_CHARS = 32767  # Excel's limit for the text of one cell

# Characters openpyxl refuses in a cell (the XML 1.0 control characters).
_ILLEGAL_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def needs_guard(text: str) -> bool:
    """True when a spreadsheet would take ``text`` as a formula (see the module docstring)."""
    return bool(text) and text[0] in _FIRST and _NUMBER_RE.fullmatch(text) is None


def _needs_quote(text: str) -> bool:
    if not text:
        return False
    if text[0] == _QUOTE:
        return needs_guard(text.lstrip(_QUOTE))
    return text[0] in _FIRST and _NUMBER_RE.fullmatch(text) is None


def guard(text: str) -> str:
    """``text`` as a CSV/TSV cell: one apostrophe in front of a dangerous text (and of one that
    starts with apostrophes followed by a dangerous text), anything else unchanged."""
    return _QUOTE + text if _needs_quote(text) else text


def unguard(text: str) -> str:
    """The inverse of :func:`guard`: the apostrophe it added taken off again."""
    return text[1:] if text[:1] == _QUOTE and needs_guard(text.lstrip(_QUOTE)) else text


def _dangerous(text: pd.Series) -> pd.Series:
    """Vectorised :func:`needs_guard` over a Series of str (no missing values)."""
    return text.str.startswith(DANGEROUS_START) & ~text.str.fullmatch(_NUMBER)


def guard_series(column: pd.Series) -> pd.Series:
    """:func:`guard` applied to every str cell of ``column`` (other values unchanged)."""
    starts = column.str.startswith((*DANGEROUS_START, _QUOTE))
    starts = starts.fillna(False).astype(bool)  # non-str cells give NA
    if not starts.any():
        return column
    text = column[starts].astype(str)
    quoted = text.str.startswith(_QUOTE)
    mask = (_dangerous(text) & ~quoted) | (quoted & _dangerous(text.str.lstrip(_QUOTE)))
    out = column.astype(object).copy()
    out[mask[mask].index] = _QUOTE + text[mask]
    return out


def unguard_series(column: pd.Series) -> pd.Series:
    """:func:`unguard` applied to every cell of a text ``column``."""
    quoted = column.str.startswith(_QUOTE).fillna(False).astype(bool)
    if not quoted.any():
        return column
    text = column[quoted]
    mask = _dangerous(text.str.lstrip(_QUOTE))
    if not mask.any():
        return column
    out = column.copy()
    out[mask[mask].index] = text[mask].str.slice(1)
    return out


def write_text_cell(cell: Any, text: str) -> None:
    """Store ``text`` in an openpyxl cell as a literal string, never as a formula.

    openpyxl makes a formula of any str starting with ``=`` assigned to ``cell.value``; this sets
    the string type directly. Characters a workbook cannot hold (XML control characters) are
    dropped and the text is cut at Excel's 32,767 characters; an empty text empties the cell.
    A dangerous text also gets the quotePrefix style, so Excel/WPS keep it text when edited.
    """
    text = _ILLEGAL_RE.sub("", text)[:MAX_CELL_CHARS]
    if not text:
        cell._value = None
        cell.data_type = "n"
        return
    cell._value = text
    cell.data_type = "s"
    if needs_guard(text):
        cell.quotePrefix = True  # creates the cell's style when it has none (write-only cells)


def to_tsv(rows: Iterable[Sequence[Any]]) -> str:
    """Tab-separated text for the clipboard, as Excel/WPS copy it: every str cell through
    :func:`guard`, cells holding a tab, line break or double quote quoted, a line break after
    each row. Pasting it into a spreadsheet never creates a formula."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
    writer.writerows([guard(c) if isinstance(c, str) else c for c in row] for row in rows)
    return buf.getvalue()
