"""Fill an .xlsx report template with a :class:`ReportData` (the placeholder language).

The language is documented in ``templates/README.md``:

- ``{{name}}`` — a scalar. A cell holding exactly one placeholder receives the typed value (a
  number stays a number and keeps the cell's number format); a cell with text around placeholders
  receives text (floats with thousands separators and 2 decimals, ints plain, None → '').
- ``{{table.field}}`` — a table row: the row is repeated once per data row and everything below
  moves down. openpyxl's ``insert_rows`` moves only cell values, so the shifting is done here:
  cells with their styles, merged ranges, row heights, print area and print titles, defined
  names, conditional formatting, data validations, auto filter, Excel tables, row page breaks,
  freeze panes, images' and charts' anchors, chart series references and formula references.

Nothing in a placeholder is evaluated: a placeholder is a name (letters, digits, underscore) looked
up in the report's data, never eval'd or format-expanded, so ``{{x.__class__}}`` or ``{0.__init__}``
stay as written. Values are written as values (never formulas); text, whatever it starts with
(``=``, ``+``, ``-``, ``@`` …), is stored as a string cell (:func:`balancesheet.safe_text.write_text_cell`).
A template is an untrusted file too: it passes :func:`balancesheet.safe_files.check_workbook` (zip
bombs, XML entity declarations) before openpyxl (through defusedxml) reads it.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from collections import OrderedDict
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import openpyxl
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.formula.translate import Translator
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.print_settings import PrintArea

from balancesheet.errors import UserError
from balancesheet.safe_files import check_file, check_workbook
from balancesheet.safe_text import write_text_cell

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from balancesheet.reports.data import ReportData, TableData

__all__ = ["PLACEHOLDER_RE", "fill_template", "fill_workbook", "format_value", "load_template", "parse_text"]

#: ``{{ name }}`` or ``{{ table.field }}``; names are identifiers (letters, digits, underscore).
PLACEHOLDER_RE = re.compile(r"\{\{\s*([^\W\d]\w*)(?:\.([^\W\d]\w*))?\s*\}\}")

_MISSING = object()  # a placeholder whose name the data does not know: left as written
_MAX_INDENT = 15
_HEADER_FOOTER_ITEMS = ("oddHeader", "oddFooter", "evenHeader", "evenFooter",
                        "firstHeader", "firstFooter")

# A cell or area reference without sheet (A1, $A$1:B$7) and a row range (3:5, $3:$5).
_AREA_RE = re.compile(r"^(\$?[A-Za-z]{1,3}\$?)(\d+)(?::(\$?[A-Za-z]{1,3}\$?)(\d+))?$")
_ROWS_RE = re.compile(r"^(\$?)(\d+):(\$?)(\d+)$")

# A parsed cell text: literal strings and (name, field, raw) placeholders, in order.
Part = str | tuple[str, str | None, str]


@lru_cache(maxsize=4096)
def parse_text(text: str) -> tuple[Part, ...]:
    """Split a cell text into literal strings and ``(name, field, raw)`` placeholders."""
    parts: list[Part] = []
    pos = 0
    for m in PLACEHOLDER_RE.finditer(text):
        if m.start() > pos:
            parts.append(text[pos:m.start()])
        parts.append((m.group(1), m.group(2), m.group(0)))
        pos = m.end()
    if pos < len(text):
        parts.append(text[pos:])
    return tuple(parts)


def _single(parts: tuple[Part, ...]) -> tuple[str, str | None, str] | None:
    """The placeholder if the text is exactly one placeholder (surrounding blanks allowed)."""
    found = None
    for p in parts:
        if isinstance(p, tuple):
            if found is not None:
                return None
            found = p
        elif p.strip():
            return None
    return found


def format_value(value: Any) -> str:
    """A value as text inside a sentence: 1234.5 → '1,234.50', 2024 → '2024', None → ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real | Decimal):
        f = float(value)
        return "" if math.isnan(f) else f"{f:,.2f}"
    if isinstance(value, dt.datetime):
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


# ---------------------------------------------------------------------------------------------
# Writing values


def _write_value(cell: Cell, value: Any) -> None:
    """Store a typed value: numbers as numbers, None/NaN/inf as an empty cell, text as text."""
    kind = type(value)  # fast paths first: exact builtin types, no ABC checks
    if kind is float:
        cell._value = value if math.isfinite(value) else None
        cell.data_type = "n"
    elif kind is str:
        write_text_cell(cell, value)
    elif kind is int:
        cell._value = value
        cell.data_type = "n"
    elif value is None:
        cell._value = None
        cell.data_type = "n"
    elif isinstance(value, bool):
        cell._value = value
        cell.data_type = "b"
    elif isinstance(value, numbers.Integral):
        cell._value = int(value)
        cell.data_type = "n"
    elif isinstance(value, numbers.Real | Decimal):
        f = float(value)
        cell._value = f if math.isfinite(f) else None
        cell.data_type = "n"
    elif isinstance(value, dt.date | dt.time | dt.timedelta):
        cell.value = value  # openpyxl sets a date number format on General cells
    else:
        write_text_cell(cell, str(value))


# ---------------------------------------------------------------------------------------------
# Row shifting: template row t replaced by n rows (t … t+n-1), rows below move by n-1.


@dataclass(frozen=True)
class _Shift:
    t: int
    n: int

    @property
    def delta(self) -> int:
        return self.n - 1

    def point(self, r: int) -> int | None:
        """Where a single row goes (None: it was the removed template row)."""
        if r < self.t:
            return r
        if r == self.t:
            return r if self.n else None
        return r + self.delta

    def span(self, r1: int, r2: int) -> tuple[int, int] | None:
        """Where a block of rows goes: a block holding the template row grows or shrinks."""
        a = r1 if r1 <= self.t else r1 + self.delta
        b = r2 if r2 < self.t else (self.t + self.n - 1 if r2 == self.t else r2 + self.delta)
        return None if a > b else (a, b)


def _unquote(sheet: str) -> str:
    if len(sheet) >= 2 and sheet[0] == sheet[-1] == "'":
        return sheet[1:-1].replace("''", "'")
    return sheet


def split_ref(value: str, home: str | None) -> tuple[str, str | None, str]:
    """``'土地'!A1:B2`` → (prefix ``'土地'!``, sheet ``土地``, ``A1:B2``); unqualified → home."""
    bang = value.rfind("!")
    if bang < 0:
        return "", home, value
    return value[:bang + 1], _unquote(value[:bang]), value[bang + 1:]


def ref_rows(ref: str) -> tuple[int, int] | None:
    """The rows a reference without sheet covers (None for names or whole columns)."""
    m = _AREA_RE.match(ref)
    if m:
        r1 = int(m.group(2))
        r2 = int(m.group(4)) if m.group(4) else r1
        return min(r1, r2), max(r1, r2)
    m = _ROWS_RE.match(ref)
    if m:
        r1, r2 = int(m.group(2)), int(m.group(4))
        return min(r1, r2), max(r1, r2)
    return None


def formula_refs(text: str, home: str | None) -> list[tuple[str | None, str]]:
    """The (sheet, reference) operands of a formula (``=…``); unqualified ones on ``home``."""
    try:
        tokens = Tokenizer(text if text.startswith("=") else "=" + text).items
    except Exception:  # a formula openpyxl cannot tokenize is left alone
        return []
    out = []
    for tok in tokens:
        if tok.type == Token.OPERAND and tok.subtype == Token.RANGE:
            _, sheet, ref = split_ref(tok.value, home)
            out.append((sheet, ref))
    return out


def _shift_ref(value: str, home: str | None, sheet: str, shift: _Shift,
               expand_point: bool = False) -> str:
    prefix, target, ref = split_ref(value, home)
    if target is None or target.lower() != sheet.lower():
        return value
    m = _AREA_RE.match(ref)
    if m:
        c1, r1, c2, r2 = m.group(1), int(m.group(2)), m.group(3), m.group(4)
        if c2 is None and expand_point and r1 == shift.t:
            c2, r2 = c1, r1  # a chart series on the template row: the whole block of rows
        if c2 is None:
            new = shift.point(r1)
            return "#REF!" if new is None else f"{prefix}{c1}{new}"
        r2 = int(r2)
        span = shift.span(r1, r2) if r1 <= r2 else None
        if r1 > r2:  # reversed corners: shift each on its own
            p1, p2 = shift.point(r1), shift.point(r2)
            span = None if p1 is None or p2 is None else (p1, p2)
        if span is None:
            return "#REF!"
        return f"{prefix}{c1}{span[0]}:{c2}{span[1]}"
    m = _ROWS_RE.match(ref)
    if m:
        span = shift.span(int(m.group(2)), int(m.group(4)))
        if span is None:
            return "#REF!"
        return f"{prefix}{m.group(1)}{span[0]}:{m.group(3)}{span[1]}"
    return value


def _shift_formula(text: str, home: str | None, sheet: str, shift: _Shift,
                   expand_point: bool = False) -> str:
    """Shift the references to ``sheet`` in a formula (with or without its leading '=').

    ``expand_point``: a single-cell reference to the template row becomes the rows' block.
    """
    bare = not text.startswith("=")
    try:
        tok = Tokenizer("=" + text if bare else text)
    except Exception:
        return text
    changed = False
    for item in tok.items:
        if item.type == Token.OPERAND and item.subtype == Token.RANGE:
            new = _shift_ref(item.value, home, sheet, shift, expand_point)
            if new != item.value:
                item.value = new
                changed = True
    if not changed:
        return text
    out = tok.render()
    return out[1:] if bare else out


def _shift_ranges(ranges: MultiCellRange, shift: _Shift) -> MultiCellRange:
    new = []
    for cr in ranges.ranges:
        span = shift.span(cr.min_row, cr.max_row)
        if span is not None:
            new.append(CellRange(min_col=cr.min_col, min_row=span[0], max_col=cr.max_col,
                                 max_row=span[1]))
    return MultiCellRange(new)


def _shift_range_string(ref: str | None, shift: _Shift) -> str | None:
    if not ref:
        return ref
    shifted = _shift_ranges(MultiCellRange(ref), shift)
    return str(shifted) or None


# ---------------------------------------------------------------------------------------------
# The filler


@dataclass
class _TemplateCell:
    cell: Cell | MergedCell
    column: int
    parts: tuple[Part, ...] | None   # None: no placeholder, copied as is
    single: tuple[str, str | None, str] | None
    is_name: bool
    style: Any                       # the template's StyleArray
    variants: dict[tuple[bool, int], Any]


class _Filler:
    def __init__(self, wb: Workbook, data: ReportData) -> None:
        self.wb = wb
        self.scalars = data.scalars
        self.tables = data.tables
        # Every formula cell of the workbook: their references follow the moved rows.
        self.formulas: list[tuple[Worksheet, Cell]] = [
            (ws, c) for ws in wb.worksheets for c in ws._cells.values()
            if c.data_type == "f" and isinstance(c._value, str)
        ]

    # -- values ----------------------------------------------------------------------------

    def _lookup(self, name: str, field: str | None, table: str | None, row: dict | None,
                columns: set[str] | None) -> Any:
        if field is None:
            return self.scalars.get(name, _MISSING)
        if name == table and row is not None and columns is not None:
            if field in row:
                return row[field]
            return None if field in columns else _MISSING
        return _MISSING

    def _fill(self, cell: Cell, parts: tuple[Part, ...], single: tuple | None,
              table: str | None = None, row: dict | None = None,
              columns: set[str] | None = None) -> None:
        if single is not None:
            value = self._lookup(single[0], single[1], table, row, columns)
            if value is _MISSING:
                write_text_cell(cell, "".join(p if isinstance(p, str) else p[2] for p in parts))
            else:
                _write_value(cell, value)
            return
        out = []
        for p in parts:
            if isinstance(p, str):
                out.append(p)
            else:
                value = self._lookup(p[0], p[1], table, row, columns)
                out.append(p[2] if value is _MISSING else format_value(value))
        write_text_cell(cell, "".join(out))

    # -- sheets ----------------------------------------------------------------------------

    def run(self) -> None:
        for ws in self.wb.worksheets:
            self._fill_sheet(ws)

    def _fill_sheet(self, ws: Worksheet) -> None:
        # row → (column, table) of its table placeholders; cells holding no table placeholder.
        found: dict[int, list[tuple[int, str]]] = {}
        scalar_cells: list[Cell] = []
        for (r, c), cell in ws._cells.items():
            v = cell._value
            if type(v) is not str or "{{" not in v or cell.data_type != "s":
                continue
            tables = [p[0] for p in parse_text(v)
                      if isinstance(p, tuple) and p[1] is not None and p[0] in self.tables]
            if tables:
                found.setdefault(r, []).append((c, tables[0]))
            else:
                scalar_cells.append(cell)
        # The leftmost table names the row when a row (wrongly) mixes two tables.
        table_rows = {r: min(hits)[1] for r, hits in found.items()}
        for cell in scalar_cells:
            if cell.row not in table_rows:
                parts = parse_text(cell._value)
                self._fill(cell, parts, _single(parts))
        for t in sorted(table_rows, reverse=True):  # bottom-up: rows above keep their numbers
            self._expand(ws, t, table_rows[t])
        self._fill_header_footer(ws)

    def _fill_header_footer(self, ws: Worksheet) -> None:
        hf = ws.HeaderFooter
        for item_name in _HEADER_FOOTER_ITEMS:
            item = getattr(hf, item_name, None)
            if item is None:
                continue
            for part in (item.left, item.center, item.right):
                if part is None or not part.text or "{{" not in part.text:
                    continue
                out = []
                for p in parse_text(part.text):
                    if isinstance(p, str):
                        out.append(p)
                        continue
                    value = self.scalars.get(p[0], _MISSING) if p[1] is None else _MISSING
                    # '&' starts a header/footer code: a literal ampersand is written '&&'.
                    text = p[2] if value is _MISSING else format_value(value).replace("&", "&&")
                    out.append(text)
                part.text = "".join(out)

    # -- table rows ------------------------------------------------------------------------

    def _variant(self, spec: _TemplateCell, bold: bool, indent: int) -> Any:
        key = (bold, indent)
        style = spec.variants.get(key)
        if style is None:
            style = copy(spec.style)
            if bold:
                font = copy(self.wb._fonts[style.fontId])
                font.bold = True
                style.fontId = self.wb._fonts.add(font)
            if indent:
                alignment = copy(self.wb._alignments[style.alignmentId])
                alignment.indent = indent
                if alignment.horizontal in (None, "general"):
                    alignment.horizontal = "left"  # Excel ignores indent on General alignment
                style.alignmentId = self.wb._alignments.add(alignment)
            spec.variants[key] = style
        return style

    def _expand(self, ws: Worksheet, t: int, table_name: str) -> None:
        table: TableData = self.tables[table_name]
        rows = table.rows
        n = len(rows)
        shift = _Shift(t, n)
        delta = shift.delta
        cells = ws._cells

        template: list[Cell | MergedCell] = []
        new_cells: dict[tuple[int, int], Cell | MergedCell] = {}
        for key, cell in cells.items():
            r = key[0]
            if r < t:
                new_cells[key] = cell
            elif r == t:
                template.append(cell)
            else:
                nr = r + delta
                cell.row = nr
                new_cells[(nr, key[1])] = cell
                link = cell.hyperlink
                if link is not None:
                    link.ref = cell.coordinate
        template.sort(key=lambda c: c.column)

        specs = []
        for cell in template:
            parts = single = None
            is_name = False
            if type(cell._value) is str and cell.data_type == "s" and "{{" in cell._value:
                parts = parse_text(cell._value)
                single = _single(parts)
                is_name = any(isinstance(p, tuple) and p[0] == table_name and p[1] == "name"
                              for p in parts)
            specs.append(_TemplateCell(cell, cell.column, parts, single, is_name,
                                       copy(cell._style), {}))

        template_ids = {id(c) for c in template}
        self.formulas = [(w, c) for (w, c) in self.formulas if id(c) not in template_ids]
        new_formulas: list[tuple[Worksheet, Cell]] = []
        columns = set(table.columns)

        # The common cell, exactly one {{table.column}}: its value is row.get(column).
        direct = [spec.single[1] if spec.single is not None and spec.single[0] == table_name
                  and spec.single[1] in columns else None for spec in specs]
        plan = list(zip(specs, direct, strict=True))
        for i, row in enumerate(rows):
            r = t + i
            bold = bool(row.get("_emphasis"))
            level = row.get("_level") or 0
            if level:
                try:
                    level = max(0, min(_MAX_INDENT, int(level)))
                except (TypeError, ValueError):
                    level = 0
            for spec, field in plan:
                src = spec.cell
                indent = level if spec.is_name else 0
                style = self._variant(spec, bold, indent) if bold or indent else spec.style
                if i == 0:
                    cell = src  # the template cell itself: keeps its comment and hyperlink
                    if style is not spec.style:
                        cell._style = StyleArray(style)
                elif src.__class__ is MergedCell:
                    cell = MergedCell(ws, row=r, column=spec.column)
                    cell._style = StyleArray(style)
                else:
                    cell = Cell(ws, row=r, column=spec.column, style_array=style)
                new_cells[(r, spec.column)] = cell
                if cell.__class__ is MergedCell:
                    continue
                if field is not None:
                    _write_value(cell, row.get(field))
                elif spec.parts is not None:
                    self._fill(cell, spec.parts, spec.single, table_name, row, columns)
                elif i:
                    value = src._value
                    if src.data_type == "f" and isinstance(value, str):
                        value = Translator(value, origin=src.coordinate).translate_formula(
                            row_delta=i)
                    cell._value = value
                    cell.data_type = src.data_type
                if cell.data_type == "f" and isinstance(cell._value, str):
                    new_formulas.append((ws, cell))
        cells.clear()
        cells.update(new_cells)

        self._shift_sheet_parts(ws, shift, specs)
        self._shift_references(ws, shift)
        self.formulas.extend(new_formulas)

    def _shift_sheet_parts(self, ws: Worksheet, shift: _Shift, specs: list[_TemplateCell]) -> None:
        t, n, delta = shift.t, shift.n, shift.delta

        # Merged ranges: those inside the template row are repeated per data row.
        merged = []
        for mcr in ws.merged_cells.ranges:
            if mcr.min_row == mcr.max_row == t:
                for i in range(n):
                    merged.append(_merged_range(ws, mcr.min_col, t + i, mcr.max_col, t + i))
                continue
            span = shift.span(mcr.min_row, mcr.max_row)
            if span is None or (span[0] == span[1] and mcr.min_col == mcr.max_col):
                continue
            if (span[0], span[1]) != (mcr.min_row, mcr.max_row):
                mcr.min_row, mcr.max_row = span
                mcr.start_cell = ws._cells.get((mcr.min_row, mcr.min_col), mcr.start_cell)
            merged.append(mcr)
        ws.merged_cells.ranges = set(merged)

        # Row heights and row styles.
        dims = ws.row_dimensions
        template_dim = dims.get(t)
        moved = [(r, d) for r, d in dims.items() if r > t]
        if template_dim is not None:
            del dims[t]
        for r, _d in moved:
            del dims[r]
        for r, d in moved:
            d.index = r + delta
            dims[r + delta] = d
        if template_dim is not None:
            for i in range(n):
                d = template_dim if i == 0 else copy(template_dim)
                d.index = t + i
                dims[t + i] = d

        # Print area and print titles.
        if ws._print_area is not None and ws._print_area.ranges:
            area = PrintArea()
            area.ranges = _shift_ranges(ws._print_area, shift).ranges
            ws._print_area = area
        rows = ws._print_rows
        if rows is not None:
            span = shift.span(rows.min_row, rows.max_row)
            if span is None:
                ws._print_rows = None
            else:
                rows.min_row, rows.max_row = span

        # Conditional formatting (ranges and rule formulas) and data validations.
        cf = ws.conditional_formatting
        if cf._cf_rules:
            rules_by_range: OrderedDict = OrderedDict()
            for fmt, rules in cf._cf_rules.items():
                sqref = _shift_ranges(fmt.sqref, shift)
                if not sqref.ranges:
                    continue
                fmt.sqref = sqref
                for rule in rules:
                    if rule.formula:
                        rule.formula = [_shift_formula(f, ws.title, ws.title, shift)
                                        for f in rule.formula]
                rules_by_range.setdefault(fmt, []).extend(rules)
            cf._cf_rules = rules_by_range
        dvs = ws.data_validations
        if dvs is not None and dvs.dataValidation:
            kept = []
            for dv in dvs.dataValidation:
                sqref = _shift_ranges(dv.sqref, shift)
                if not sqref.ranges:
                    continue
                dv.sqref = sqref
                for attr in ("formula1", "formula2"):
                    f = getattr(dv, attr)
                    if f:
                        setattr(dv, attr, _shift_formula(f, ws.title, ws.title, shift))
                kept.append(dv)
            dvs.dataValidation = kept

        # Auto filter, Excel tables, row page breaks, freeze panes.
        if ws.auto_filter is not None and ws.auto_filter.ref:
            ws.auto_filter.ref = _shift_range_string(ws.auto_filter.ref, shift)
        for tbl in ws.tables.values():
            tbl.ref = _shift_range_string(tbl.ref, shift) or tbl.ref
            if tbl.autoFilter is not None and tbl.autoFilter.ref:
                tbl.autoFilter.ref = _shift_range_string(tbl.autoFilter.ref, shift)
        if ws.row_breaks is not None and ws.row_breaks.brk:
            kept_breaks = []
            for brk in ws.row_breaks.brk:  # a page break after row brk.id
                after = brk.id if brk.id < t else (t + n - 1 if brk.id == t else brk.id + delta)
                if after >= 1:
                    brk.id = after
                    kept_breaks.append(brk)
            ws.row_breaks.brk = kept_breaks
        pane = ws.freeze_panes
        if pane:
            row, col = coordinate_to_tuple(pane)
            if row > t:
                ws.freeze_panes = f"{get_column_letter(col)}{row + delta}"

        # Images and charts anchored below the template row move down.
        for obj in (*ws._images, *ws._charts):
            _shift_anchor(obj, shift)

    def _shift_references(self, ws: Worksheet, shift: _Shift) -> None:
        title = ws.title
        for home, cell in self.formulas:
            if isinstance(cell._value, str):
                cell._value = _shift_formula(cell._value, home.title, title, shift)
        for name in self.wb.defined_names.values():
            if name.value:
                name.value = _shift_formula(name.value, None, title, shift)
        for sheet in self.wb.worksheets:
            home = sheet.title
            for name in sheet.defined_names.values():
                if name.value:
                    name.value = _shift_formula(name.value, home, title, shift)
        for sheet in self.wb.worksheets:
            for chart in sheet._charts:
                _shift_chart(chart, sheet.title, title, shift)
        for sheet in getattr(self.wb, "chartsheets", []):
            for chart in getattr(sheet, "_charts", []):
                _shift_chart(chart, sheet.title, title, shift)


def _merged_range(ws: Worksheet, min_col: int, min_row: int, max_col: int,
                  max_row: int) -> MergedCellRange:
    """A merged range over cells already in place (MergedCellRange() would restyle borders)."""
    mcr = MergedCellRange.__new__(MergedCellRange)
    CellRange.__init__(mcr, min_col=min_col, min_row=min_row, max_col=max_col, max_row=max_row)
    mcr.ws = ws
    start = ws._cells.get((min_row, min_col))
    if start is None:
        start = ws.cell(row=min_row, column=min_col)
    mcr.start_cell = start
    return mcr


def _shift_anchor(obj: Any, shift: _Shift) -> None:
    anchor = obj.anchor
    if isinstance(anchor, str):
        row, col = coordinate_to_tuple(anchor)
        if row > shift.t:
            obj.anchor = f"{get_column_letter(col)}{row + shift.delta}"
        return
    start = getattr(anchor, "_from", None)
    if start is None:  # AbsoluteAnchor: positioned in EMU, not on cells
        return
    if start.row + 1 > shift.t:
        start.row = max(0, start.row + shift.delta)
    end = getattr(anchor, "to", None)
    if end is not None and end.row + 1 > shift.t:
        end.row = max(start.row, end.row + shift.delta)


def _shift_chart(chart: Any, home: str, sheet: str, shift: _Shift) -> None:
    seen: set[int] = set()
    for plot in (chart, *getattr(chart, "_charts", [])):
        if id(plot) in seen:
            continue
        seen.add(id(plot))
        for series in getattr(plot, "series", None) or []:
            for attr in ("val", "cat", "xVal", "yVal", "bubbleSize", "tx"):
                src = getattr(series, attr, None)
                if src is None:
                    continue
                for kind in ("numRef", "strRef", "multiLvlStrRef"):
                    ref = getattr(src, kind, None)
                    if ref is not None and ref.f:
                        # data ranges on the template row grow; a series title stays one cell
                        ref.f = _shift_formula(ref.f, home, sheet, shift,
                                               expand_point=attr != "tx")


# ---------------------------------------------------------------------------------------------
# Public API


def fill_workbook(wb: Workbook, data: ReportData) -> None:
    """Fill every worksheet of ``wb`` in place with ``data`` (see the module docstring).

    Unknown placeholder names are left as written, so they show in the output; run
    :func:`balancesheet.reports.template_check.check_template` to list them.
    """
    _Filler(wb, data).run()


def load_template(path: Path) -> Workbook:
    """Open a template workbook, an untrusted file: checked first (:mod:`balancesheet.safe_files`),
    then read by openpyxl; UserError naming the file and what to do when it cannot be used."""
    if check_file(path) != "xlsx":
        raise UserError(f"模板 {path.name} 不是 Excel 工作簿（.xlsx）：请在 Excel/WPS 中另存为 .xlsx",
                        f"Template {path.name} is not an .xlsx workbook")
    check_workbook(path)
    try:
        return openpyxl.load_workbook(path)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for broken files
        raise UserError(f"模板 {path.name} 无法读取：工作簿已损坏或含有不允许的内容（{type(exc).__name__}）。"
                        "请在 Excel/WPS 中打开后另存为 .xlsx 再使用。",
                        f"Template {path.name} cannot be read ({type(exc).__name__})") from exc


def fill_template(template: Path, data: ReportData) -> Workbook:
    """Load ``template`` (.xlsx/.xltx, macros dropped), fill it with ``data`` and return it.

    The caller saves the workbook (``wb.save(path)``).
    """
    wb = load_template(Path(template))
    wb.template = False  # an .xltx template is saved as an ordinary workbook
    fill_workbook(wb, data)
    return wb
