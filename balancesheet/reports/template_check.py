"""Check an (edited) report template against the placeholder language and the report's names.

``balancesheet template-check FILE`` prints :func:`format_issues` of :func:`check_template`. Every
issue names its sheet and cell (``'土地'!B7``) and says in Chinese (and English) what is wrong and
how to fix it. The checker never raises on a bad file: an unreadable workbook is an issue too.
"""

from __future__ import annotations

import difflib
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from balancesheet.reports.filler import formula_refs, parse_text, ref_rows

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from balancesheet.reports.data import ReportData

__all__ = ["TemplateIssue", "check_template", "format_issues", "known_names"]

ERROR = "error"
WARNING = "warning"

_BRACED_RE = re.compile(r"\{\{([^{}]*)\}\}")
_HEADER_FOOTER = (("oddHeader", "页眉", "header"), ("oddFooter", "页脚", "footer"),
                  ("evenHeader", "偶数页页眉", "even page header"),
                  ("evenFooter", "偶数页页脚", "even page footer"),
                  ("firstHeader", "首页页眉", "first page header"),
                  ("firstFooter", "首页页脚", "first page footer"))
_PARTS = (("left", "左", "left"), ("center", "中", "centre"), ("right", "右", "right"))


@dataclass
class TemplateIssue:
    """One problem of a template: where (sheet, cell; None for the file) and what (zh, en)."""

    sheet: str | None
    cell: str | None
    message: str
    message_en: str
    severity: str = ERROR  # "error" (the report would be wrong) or "warning"

    @property
    def where(self) -> str:
        """``'土地'!B7``, ``'土地'`` for a whole sheet, '' for the file."""
        if self.sheet is None:
            return ""
        quoted = "'" + self.sheet.replace("'", "''") + "'"
        return f"{quoted}!{self.cell}" if self.cell else quoted


def known_names(data: ReportData) -> tuple[set[str], dict[str, set[str]]]:
    """The scalar names and table columns of a report's data, as :func:`check_template` takes."""
    return set(data.scalars), {name: set(t.columns) for name, t in data.tables.items()}


def _suggest(name: str, known: Iterable[str]) -> tuple[str, str]:
    """' 是否想用 {{year}}？' / ' Did you mean {{year}}?' (or empty strings)."""
    pool = sorted(known)
    lower = {k.lower(): k for k in pool}
    hits = [lower[h] for h in difflib.get_close_matches(name.lower(), list(lower), n=3,
                                                         cutoff=0.6)]
    if not hits:
        return "", ""
    listed = "、".join(hits)
    return f"是否想用：{listed}？", f" Did you mean: {', '.join(hits)}?"


def _check_text(text: str, sheet: str, cell: str | None, scalars: set[str],
                tables: dict[str, set[str]], allow_tables: bool,
                issues: list[TemplateIssue], place: str = "", place_en: str = "") -> list[str]:
    """Check the placeholders of one text; return the (known) tables it uses."""
    used: list[str] = []

    def add(zh: str, en: str, severity: str = ERROR) -> None:
        issues.append(TemplateIssue(sheet, cell, place + zh, place_en + en, severity))

    parts = parse_text(text)
    for p in parts:
        if isinstance(p, str):
            continue
        name, field, raw = p
        if field is None:
            if name in scalars:
                continue
            if name in tables:
                add(f"{raw} 是表格名称，不是数据名称：表格占位符要写成 {{{{{name}.列名}}}}。",
                    f"{raw} names a table, not a value: write {{{{{name}.column}}}}.")
                continue
            zh, en = _suggest(name, scalars)
            add(f"未知的数据名称 {raw}。{zh}", f"Unknown value name {raw}.{en}")
        elif name not in tables:
            zh, en = _suggest(name, tables)
            add(f"未知的表格 “{name}”（{raw}）。{zh}", f"Unknown table '{name}' ({raw}).{en}")
        elif field not in tables[name]:
            zh, en = _suggest(field, tables[name])
            add(f"表格 “{name}” 没有列 “{field}”（{raw}）。{zh}",
                f"Table '{name}' has no column '{field}' ({raw}).{en}")
        elif not allow_tables:
            add(f"这里不能使用表格占位符 {raw}，只能使用数据名称 {{{{名称}}}}。",
                f"Table placeholder {raw} is not allowed here; only {{{{name}}}} values.")
        elif name not in used:
            used.append(name)

    rest = "".join(p if isinstance(p, str) else "\0" for p in parts)
    for m in _BRACED_RE.finditer(rest):
        content = m.group(1).replace("\0", "").strip()
        if not content:
            add(f"空的占位符 “{m.group(0)}”：花括号中要写数据名称，例如 {{{{year}}}}。",
                f"Empty placeholder '{m.group(0)}': write a name, e.g. {{{{year}}}}.")
        else:
            add(f"占位符 “{m.group(0)}” 写法不对：名称只能由字母、数字和下划线组成，"
                f"表格占位符写成 {{{{表格.列名}}}}（例如 {{{{land.name}}}}）。",
                f"Malformed placeholder '{m.group(0)}': a name is letters, digits and underscores; "
                f"a table placeholder is {{{{table.column}}}} (e.g. {{{{land.name}}}}).")
    rest = _BRACED_RE.sub("", rest)
    if "{{" in rest or "}}" in rest:
        add(f"花括号不配对：“{text}”。占位符要写成 {{{{名称}}}}，前后各两个花括号。",
            f"Unbalanced braces in '{text}': a placeholder is {{{{name}}}} "
            "with two braces each side.")
    elif "{" in rest or "}" in rest:
        add(f"单个花括号不是占位符：“{text}”。如果要填数据，请写成 {{{{名称}}}}。",
            f"Single braces are not a placeholder in '{text}'; write {{{{name}}}} to fill a value.",
            WARNING)
    return used


def _unreadable(path: Path, exc: BaseException) -> TemplateIssue:
    reason = f"{type(exc).__name__}: {exc}"
    return TemplateIssue(
        None, None,
        f"无法读取模板文件 “{path.name}”：它不是有效的 Excel 工作簿（.xlsx）。请在 Excel 或 WPS "
        f"中打开后“另存为 Excel 工作簿 (*.xlsx)”。（{reason}）",
        f"Cannot read template '{path.name}': not a valid Excel workbook (.xlsx). Open it in Excel "
        f"or WPS and save it as 'Excel Workbook (*.xlsx)'. ({reason})")


def _load(path: Path) -> tuple[object | None, TemplateIssue | None]:
    if not path.exists():
        return None, TemplateIssue(None, None, f"找不到模板文件：{path}",
                                   f"Template file not found: {path}")
    from balancesheet.errors import UserError
    from balancesheet.safe_files import check_file, check_workbook

    try:  # an untrusted file: zip bombs and XML entity declarations refused before parsing
        if check_file(path) == "xlsx":
            check_workbook(path)
    except UserError as exc:
        return None, TemplateIssue(
            None, None, f"无法读取模板文件 “{path.name}”：{exc.message}",
            f"Cannot read template '{path.name}': not a valid Excel workbook (.xlsx). {exc.message_en}")
    try:
        import openpyxl

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unsupported extensions: irrelevant here
            return openpyxl.load_workbook(path), None
    except Exception as exc:  # any failure to read the user's file is reported, not raised
        return None, _unreadable(path, exc)


def _cell_name(row: int, col: int) -> str:
    from openpyxl.utils.cell import get_column_letter

    return f"{get_column_letter(col)}{row}"


def _check_sheet(ws: Worksheet, scalars: set[str], tables: dict[str, set[str]],
                 issues: list[TemplateIssue]) -> list[int]:
    """Check the cells, merged ranges and header/footer of a sheet; return its table rows."""
    title = ws.title
    if "{{" in title:
        issues.append(TemplateIssue(
            title, None, "工作表名称中的占位符不会被替换（工作表名称原样保留）。",
            "Placeholders in a sheet name are not replaced (the name is kept as is).", WARNING))
    row_tables: dict[int, dict[str, str]] = {}
    for (row, col), cell in sorted(ws._cells.items()):
        value = cell._value
        if type(value) is not str or ("{" not in value and "}" not in value):
            continue
        coord = _cell_name(row, col)
        if cell.data_type == "f":
            if "{{" in value:
                issues.append(TemplateIssue(
                    title, coord, f"公式中的占位符不会被替换：{value}",
                    f"Placeholders inside a formula are not replaced: {value}", WARNING))
            continue
        for name in _check_text(value, title, coord, scalars, tables, True, issues):
            row_tables.setdefault(row, {}).setdefault(name, coord)

    first_row: dict[str, int] = {}
    for row in sorted(row_tables):
        names = row_tables[row]
        if len(names) > 1:
            first, *others = names
            for other in others:
                issues.append(TemplateIssue(
                    title, names[other],
                    f"第 {row} 行混用了两个表格（{first} 与 {other}）："
                    "一行只能放一个表格的占位符。",
                    f"Row {row} mixes two tables ({first} and {other}): one table per row."))
        for name, coord in names.items():
            if name in first_row:
                issues.append(TemplateIssue(
                    title, coord,
                    f"表格 “{name}” 已在本工作表第 {first_row[name]} 行使用：一个表格在每个工作表中"
                    f"只能占一行（第 {row} 行会再次展开全部数据）。",
                    f"Table '{name}' is already used in row {first_row[name]} of this sheet: one "
                    f"row per table and sheet (row {row} would repeat all its rows)."))
            else:
                first_row[name] = row

    for mcr in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        if mcr.min_row == mcr.max_row:
            continue
        for row in sorted(row_tables):
            if mcr.min_row <= row <= mcr.max_row:
                issues.append(TemplateIssue(
                    title, _cell_name(row, mcr.min_col),
                    f"表格行（第 {row} 行）位于跨多行的合并单元格 {mcr.coord} 中："
                    "展开表格行时该合并区域会被拉长并遮住数据。"
                    "请只合并表格行内的单元格（同一行内左右合并）。",
                    f"Table row {row} lies in the merged range {mcr.coord} spanning several "
                    "rows: expanding the rows would stretch it over the data. "
                    "Merge only within the row."))

    titles = ws._print_rows
    if titles is not None:
        inside = [row for row in row_tables if titles.min_row <= row <= titles.max_row]
        if inside:
            issues.append(TemplateIssue(
                title, _cell_name(inside[0], 1),
                f"打印标题行（{titles.min_row}:{titles.max_row}）包含表格行第 {inside[0]} 行："
                "展开后每页都会重复全部数据行。打印标题只应包含表头。",
                f"The print title rows ({titles.min_row}:{titles.max_row}) include table row "
                f"{inside[0]}: every page would repeat all data rows. Use header rows only."))

    hf = ws.HeaderFooter
    for attr, zh_item, en_item in _HEADER_FOOTER:
        item = getattr(hf, attr, None)
        if item is None:
            continue
        for part_attr, zh_part, en_part in _PARTS:
            part = getattr(item, part_attr, None)
            text = part.text if part is not None else None
            if text and ("{" in text or "}" in text):
                _check_text(text, title, None, scalars, tables, False, issues,
                            f"{zh_item}（{zh_part}）：", f"{en_item} ({en_part}): ")
    return sorted(row_tables)


def _check_formulas(wb: object, table_rows: dict[str, list[int]],
                    issues: list[TemplateIssue]) -> None:
    """Formulas that read table rows: openpyxl never calculates them, so the PDF has no result."""
    by_lower = {title.lower(): (title, rows) for title, rows in table_rows.items() if rows}
    if not by_lower:
        return
    for ws in wb.worksheets:
        for (row, col), cell in sorted(ws._cells.items()):
            formula = cell._value
            if cell.data_type != "f" or not isinstance(formula, str):
                continue
            for sheet, ref in formula_refs(formula, ws.title):
                target = by_lower.get((sheet or "").lower())
                span = ref_rows(ref)
                if target is None or span is None:
                    continue
                hit = [t for t in target[1] if span[0] <= t <= span[1]]
                if not hit:
                    continue
                title, first = target[0], hit[0]
                issues.append(TemplateIssue(
                    ws.title, _cell_name(row, col),
                    f"公式 {formula} 引用了表格行（工作表 “{title}” 第 {first} 行）："
                    "本工具只写入数值、不计算公式，报表 PDF 中该单元格没有结果。"
                    "请改用数据占位符。",
                    f"Formula {formula} references a table row ('{title}' row {first}): "
                    "formulas are not recalculated, so the PDF shows no result. "
                    "Use a placeholder instead.", WARNING))
                break


def check_template(path: Path, scalars: set[str], tables: dict[str, set[str]],
                   required_sheets: list[str] | None = None) -> list[TemplateIssue]:
    """Check the template at ``path``; an empty list means it is fine.

    ``scalars`` are the known ``{{name}}`` names, ``tables`` maps each table name to its columns
    and ``required_sheets`` lists sheets the template must have.
    """
    path = Path(path)
    wb, problem = _load(path)
    if problem is not None:
        return [problem]
    issues: list[TemplateIssue] = []
    titles = [ws.title for ws in wb.worksheets]
    for name in required_sheets or []:
        if name not in titles:
            zh, en = _suggest(name, titles)
            issues.append(TemplateIssue(name, None, f"模板缺少工作表 “{name}”。{zh}",
                                        f"The template has no sheet '{name}'.{en}"))

    table_rows = {ws.title: _check_sheet(ws, scalars, tables, issues) for ws in wb.worksheets}

    _check_formulas(wb, table_rows, issues)
    return issues


def format_issues(issues: list[TemplateIssue]) -> str:
    """The issues as text for the command line (Chinese, each followed by its English)."""
    if not issues:
        return "模板检查通过，没有发现问题。 / Template OK: no problems found."
    lines = []
    for issue in issues:
        tag = "错误" if issue.severity == ERROR else "警告"
        where = issue.where or "（文件）"
        lines.append(f"[{tag}] {where}：{issue.message}")
        lines.append(f"        {issue.message_en}")
    errors = sum(1 for i in issues if i.severity == ERROR)
    warnings_ = len(issues) - errors
    lines.append(f"共 {errors} 个错误，{warnings_} 个警告。 / {errors} error(s), "
                 f"{warnings_} warning(s).")
    return "\n".join(lines)
