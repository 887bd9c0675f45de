"""Read CSV and XLSX files into string tables that remember each cell's spreadsheet row.

Untrusted input: every file passes :mod:`balancesheet.safe_files` first (its size, what it
really is, and for an xlsx its archive: zip bombs and XML entity declarations refused before
anything is decompressed). Values are read as text; validation happens later with exact
locations. The apostrophe the tool's own CSV export puts before a text that a spreadsheet would
take as a formula (:mod:`balancesheet.safe_text`) is taken off again, so exports import back.

Real county workbooks: of several sheets with content the one to read must be named unless
exactly one has a header the importer recognises; hidden rows (作废、过时的数据 as a rule) are
skipped and listed; spaces around cells (also non-breaking, full-width and zero-width ones) are
trimmed and counted. Every such normalisation is reported as a :class:`Fix` (count, first row).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from balancesheet.errors import ImportRejected, Issue, Location
from balancesheet.safe_files import check_file, check_workbook
from balancesheet.safe_text import unguard_series


@dataclass
class Fix:
    """One kind of normalisation in one column: how many cells, the first row, an example."""

    count: int
    row: int | None
    example: str = ""


def fix_note(what: str, column: str, fix: Fix) -> str:
    """The note reporting a normalisation: what, where (column, count, first row), an example."""
    where = f"列「{column}」" if column else ""
    first = f"，如第 {fix.row} 行" if fix.row is not None else ""
    example = f"（{fix.example}）" if fix.example else ""
    return f"已规范化：{what}，{where}{fix.count} 处{first}{example}"


@dataclass
class RawTable:
    """A table of text cells: ``frame`` (header → column), ``rows`` (spreadsheet row numbers).

    ``fixes`` records what the reader normalised ((what, column) → Fix); ``sheet_note`` says
    which sheet of several was read (a preview shows the sheet itself instead).
    """

    file: str
    sheet: str | None
    frame: pd.DataFrame
    headers: list[str]
    notes: list[str] = field(default_factory=list)
    fixes: dict[tuple[str, str], Fix] = field(default_factory=dict)
    sheet_note: str = ""

    def location(self, row: int | None = None, column: str | None = None) -> Location:
        """Location of a cell in this table."""
        return Location(self.file, self.sheet, row, column)


Recognise = Callable[[list[str]], bool]


def read_table(path: Path, sheet: str | None = None, recognise: Recognise | None = None) -> RawTable:
    """Read ``path`` (CSV or XLSX) as text cells; raise ImportRejected with a clear reason.

    Of a workbook with several sheets that have content, ``sheet`` names the one to read; when
    it is None the only sheet whose header ``recognise`` accepts (default: a tidy format's header)
    is read, and a workbook with none or several such sheets is refused, listing its sheets.
    """
    if check_file(path, ImportRejected) == "xlsx":
        return _read_xlsx(path, sheet, recognise)
    return _read_csv(path)


def peek_headers(path: Path, sheet: str | None = None) -> list[str]:
    """The header row of a file, reading only its beginning (for ordering and kind detection)."""
    try:
        if check_file(path, ImportRejected) == "xlsx":
            check_workbook(path, ImportRejected)
            frame = pd.read_excel(path, sheet_name=sheet or 0, header=None, nrows=30, engine="calamine",
                                  dtype=object).map(_cell_text)
            frame.index = range(1, len(frame) + 1)
        else:
            lines = _decode(path, limit=65536).splitlines()[:30]
            frame = _parse_csv("\n".join(lines), path.name)
        return _with_header(path.name, None, frame).headers
    except Exception:  # noqa: BLE001 - the full read reports the real problem
        return []


def read_grid(path: Path, sheet: str | None = None, nrows: int | None = None) -> dict[str | None, pd.DataFrame]:
    """Every sheet of a workbook (or only ``sheet``), or a CSV (key None), as a grid of text cells
    with no header: index = spreadsheet row numbers, columns = 0-based column positions.

    For layouts whose header is not the first row, such as the 存量及变动表 (importer/wide.py).
    Merged cells hold their value in the top-left cell only, as Excel stores them. ``nrows``
    reads only the first rows (of a CSV: of its first 64 KiB).
    """
    if check_file(path, ImportRejected) == "text":
        text = _decode(path, limit=65536 if nrows else None)
        if nrows:
            text = "\n".join(text.splitlines()[:nrows])
        if not text.strip():
            raise ImportRejected(f"{path.name} 是空文件", f"{path.name} is empty")
        body = text.lstrip("\ufeff")
        # csv, not pandas: the title line of such a table has fewer cells than the rows below it.
        lines = list(csv.reader(io.StringIO(body), delimiter=_delimiter(body)))
        width = max(map(len, lines), default=0)
        grid = pd.DataFrame([line + [""] * (width - len(line)) for line in lines])
        grid.index = range(1, len(grid) + 1)
        return {None: _unguard_grid(grid.astype(str))}
    check_workbook(path, ImportRejected)
    try:
        sheets = pd.read_excel(path, sheet_name=sheet if sheet is not None else None, header=None,
                               engine="calamine", dtype=object, nrows=nrows)
    except ValueError as exc:
        raise ImportRejected(f"{path.name} 中没有工作表「{sheet}」，现有：{'、'.join(sheet_names(path))}",
                             f"No sheet {sheet!r} in {path.name}") from exc
    except Exception as exc:  # noqa: BLE001 - calamine raises many types for broken files
        raise unreadable(path, exc) from exc
    if sheet is not None:
        sheets = {sheet: sheets}
    out: dict[str | None, pd.DataFrame] = {}
    for name, frame in sheets.items():  # a handful of sheets
        grid = frame.map(_cell_text)
        grid.index = range(1, len(grid) + 1)
        grid.columns = range(grid.shape[1])
        out[str(name)] = _unguard_grid(grid)
    return out


def _unguard_grid(grid: pd.DataFrame) -> pd.DataFrame:
    """The grid with the export's anti-formula apostrophe taken off (see safe_text)."""
    for column in grid.columns:  # the columns of a sheet, not its rows
        grid[column] = unguard_series(grid[column])
    return grid


def unreadable(path: Path, exc: BaseException) -> ImportRejected:
    """The refusal of a workbook that the reader cannot parse (damaged XML, missing parts …)."""
    detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    return ImportRejected(
        f"{path.name} 无法读取：工作簿内容已损坏或不完整（{detail}）。请在 Excel/WPS 中打开它，"
        "如能打开则另存为 .xlsx 后再导入，否则请向数据提供方重新索取文件。",
        f"{path.name} cannot be read: the workbook is damaged ({detail}); open it in Excel/WPS and save it as .xlsx")


def sheet_names(path: Path) -> list[str]:
    """The sheets of a workbook in their order ([] for a CSV); ImportRejected if it is broken."""
    if check_file(path, ImportRejected) != "xlsx":
        return []
    check_workbook(path, ImportRejected)
    from python_calamine import CalamineWorkbook

    try:
        return [str(name) for name in CalamineWorkbook.from_path(str(path)).sheet_names]
    except Exception as exc:  # noqa: BLE001 - calamine raises many types for broken files
        raise unreadable(path, exc) from exc


def _decode(path: Path, limit: int | None = None) -> str:
    with path.open("rb") as fh:
        data = fh.read(limit) if limit else fh.read()
    if b"\x00" in data[:4096]:
        raise ImportRejected(f"{path.name} 不是文本表格（含二进制内容）", f"{path.name} is not a text table")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            # A prefix may end inside a multi-byte character: ignore only that tail.
            return data.decode(encoding) if limit is None else _decode_prefix(data, encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected(f"{path.name} 的编码无法识别（应为 UTF-8 或 GB18030）", "Unknown text encoding")


def _decode_prefix(data: bytes, encoding: str) -> str:
    for cut in range(4):
        try:
            return data[: len(data) - cut].decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError(encoding, data, 0, 1, "undecodable")


def _delimiter(text: str) -> str:
    """Comma unless the first non-blank line clearly uses tab or semicolon (WPS/Excel exports)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (",", "\t", ";")}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else ","


def _parse_csv(text: str, name: str) -> pd.DataFrame:
    """Parse CSV text; the index holds each line's number as a spreadsheet shows it."""
    if not text.strip():
        raise ImportRejected(f"{name} 是空文件", f"{name} is empty")
    # The parser sizes the table from its first line: skip leading blank lines, keep their count.
    stripped = text.lstrip("\r\n")
    leading = text[: len(text) - len(stripped)].count("\n")
    sep = _delimiter(stripped)
    frame = _parse_csv_arrow(stripped, sep)
    if frame is None:  # rows of different lengths and other irregular files: pandas decides
        try:
            frame = pd.read_csv(io.StringIO(stripped), dtype=str, keep_default_na=False, header=None,
                                skip_blank_lines=False, sep=sep, engine="c")
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error) as exc:
            detail = str(exc).strip().splitlines()[-1][:200] if str(exc).strip() else type(exc).__name__
            raise ImportRejected(f"{name} 无法按 CSV 读取（{detail}）：常见原因是引号未闭合或某行的列数与其他行不同。"
                                 "请在 Excel/WPS 中打开检查，另存为“CSV UTF-8（逗号分隔）”后再导入。",
                                 f"{name}: not a readable CSV ({detail})") from exc
    frame.index = range(leading + 1, leading + 1 + len(frame))
    return frame


_ALL_TEXT = {f"f{i}": "string" for i in range(4096)}  # every column read as text, as written


def _parse_csv_arrow(text: str, sep: str) -> pd.DataFrame | None:
    """The CSV's cells as text through Arrow's parser (several times faster than pandas' on a
    million rows), the same frame ``pd.read_csv(dtype=str, keep_default_na=False, header=None,
    skip_blank_lines=False)`` gives; None when Arrow refuses the file (rows of different lengths,
    over 4,096 columns …), which pandas then reads or rejects with its own message."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    try:
        table = pa_csv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True),
            parse_options=pa_csv.ParseOptions(delimiter=sep, ignore_empty_lines=False, newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(column_types=_ALL_TEXT, strings_can_be_null=False,
                                                  quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if table.num_columns > len(_ALL_TEXT) or any(t != pa.string() for t in table.schema.types):
        return None
    frame = table.to_pandas(types_mapper=lambda _: pd.StringDtype("pyarrow", na_value=float("nan")))
    frame.columns = range(table.num_columns)
    return frame


def _read_csv(path: Path) -> RawTable:
    return _with_header(path.name, None, _parse_csv(_decode(path), path.name))


def _read_xlsx(path: Path, sheet: str | None, recognise: Recognise | None) -> RawTable:
    check_workbook(path, ImportRejected)
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, engine="calamine", dtype=object)
    except Exception as exc:  # noqa: BLE001 - calamine raises many types for broken files
        raise unreadable(path, exc) from exc
    if not sheets:
        raise ImportRejected(f"{path.name} 没有工作表", f"{path.name} has no sheet")
    if sheet is not None and sheet not in sheets:
        raise ImportRejected(f"{path.name} 中没有工作表「{sheet}」，现有：{'、'.join(sheets)}",
                             f"No sheet {sheet!r} in {path.name}")
    texts = {n: f.map(_cell_text) for n, f in sheets.items() if sheet is None or n == sheet}
    for frame in texts.values():
        frame.index = range(1, len(frame) + 1)  # spreadsheet row numbers
    name, note, picked = (sheet, "", "") if sheet is not None else _choose_sheet(path.name, texts, recognise)
    hidden = hidden_rows(path, name)
    table = _with_header(path.name, name, texts[name], hidden)
    table.sheet_note = note
    if picked:
        table.notes.insert(0, picked)
    return table


def _choose_sheet(file: str, texts: dict[str, pd.DataFrame],
                  recognise: Recognise | None) -> tuple[str, str, str]:
    """The sheet to read when the user named none: (name, note when the other sheets are empty,
    note when it was picked among sheets with content); or ImportRejected listing the sheets."""
    filled = [n for n, f in texts.items() if (f != "").to_numpy().any()]
    if len(filled) <= 1:
        name = filled[0] if filled else next(iter(texts))
        others = len(texts) - 1
        return name, (f"工作簿有 {len(texts)} 个工作表，已读取「{name}」（其余 {others} 个为空）" if others else ""), ""
    if recognise is None:
        from balancesheet.importer.formats import recognisable as recognise
    known = [n for n in filled if recognise(_first_row(texts[n]))]
    if len(known) == 1:
        return known[0], "", (f"工作簿有 {len(filled)} 个有内容的工作表（{'、'.join(filled)}），只有「{known[0]}」"
                              "的表头可识别，已读取该表（其余工作表未导入；可用 --sheet 指定）")
    which = (f"其中「{'」「'.join(known)}」的表头都可识别" if known else "其中没有表头可识别的工作表")
    raise ImportRejected(
        f"{file} 有 {len(filled)} 个有内容的工作表：「{'」「'.join(filled)}」，{which}，无法确定导入哪一个。"
        f"请用 --sheet 指定工作表（如 --sheet {(known or filled)[0]}），或在导入向导中选择工作表。",
        f"{file} has {len(filled)} sheets with content ({', '.join(filled)}); choose one with --sheet.",
        [Issue(Location(file), f"有内容的工作表：{'、'.join(filled)}；请选择其一",
               f"sheets with content: {', '.join(filled)}; choose one")],
    )


def _first_row(frame: pd.DataFrame) -> list[str]:
    """The first non-blank row of a text frame, normalised like headers."""
    nonblank = (frame != "").any(axis=1)
    if not nonblank.any():
        return []
    return [normalise_text(h) for h in frame.loc[nonblank.idxmax()] if str(h).strip()]


_ROW_TAG = re.compile(rb"<row\b[^>]*>")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')


def hidden_rows(path: Path, sheet: str) -> list[int]:
    """Row numbers of ``sheet`` that are hidden in the workbook (``<row hidden="1">``).

    Calamine reads cell values only, so the sheet's XML is scanned as a stream for the rare
    ``hidden`` attribute (bytes.find, no XML parsing); [] when the sheet cannot be located.
    """
    part = _sheet_part(path, sheet)
    if part is None:
        return []
    found: list[int | None] = []
    for data in _xml_chunks(path, part):
        at = data.find(b'hidden="')
        while at != -1:
            tag = _ROW_TAG.match(data, data.rfind(b"<", 0, at))
            if tag and _HIDDEN.search(tag.group()):
                number = _ROW_NUMBER.search(tag.group())
                found.append(int(number.group(1)) if number else None)
            at = data.find(b'hidden="', at + 8)
    if None in found:  # rows written without r="…" (rare writers): number them by position
        return _hidden_by_position(path, part)
    return [r for r in found if r is not None]


def _xml_chunks(path: Path, part: str) -> Iterator[bytes]:
    """The zip member ``part`` in chunks (4 MiB at a time) that never split a tag."""
    carry = b""
    with zipfile.ZipFile(path) as archive, archive.open(part) as stream:
        while chunk := stream.read(1 << 22):
            data = carry + chunk
            cut = data.rfind(b"<")  # a tag may straddle chunks: keep the last one for the next round
            yield data[:cut]
            carry = data[cut:]
    yield carry


def _hidden_by_position(path: Path, part: str) -> list[int]:
    found: list[int] = []
    row = 0
    for data in _xml_chunks(path, part):
        for tag in _ROW_TAG.finditer(data):
            number = _ROW_NUMBER.search(tag.group())
            row = int(number.group(1)) if number else row + 1
            if _HIDDEN.search(tag.group()):
                found.append(row)
    return found


def _sheet_part(path: Path, sheet: str) -> str | None:
    """The zip member holding ``sheet``'s XML (from workbook.xml and its relationships)."""
    from xml.etree.ElementTree import ParseError

    import defusedxml.ElementTree as ET  # noqa: N817 - no entity expansion, no external entities
    from defusedxml import DefusedXmlException

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        with zipfile.ZipFile(path) as archive:
            book = ET.fromstring(archive.read("xl/workbook.xml"))
            rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            names = set(archive.namelist())
    except (KeyError, ParseError, DefusedXmlException, zipfile.BadZipFile):
        return None
    rid = next((s.get(rel) for s in book.iter(f"{main}sheet") if s.get("name") == sheet), None)
    target = next((r.get("Target") for r in rels if r.get("Id") == rid), None)
    if not target:
        return None
    part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return part if part in names else None


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp) or hasattr(value, "isoformat"):
        text = value.isoformat()  # type: ignore[union-attr]
        return text[:10] if text.endswith("T00:00:00") else text
    return str(value)


ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"  # invisible; str.strip() keeps them


def normalise_text(value: str) -> str:
    """NFKC (full-width digits and letters to ASCII) and trim, as used for every cell."""
    return unicodedata.normalize("NFKC", value).strip().strip(ZERO_WIDTH).strip()


def _trim(column: pd.Series) -> pd.Series:
    """Cells without surrounding spaces: ASCII, non-breaking, full-width and zero-width ones."""
    trimmed = column.str.strip()
    odd = ~trimmed.str.isascii()  # only non-ASCII cells can hold zero-width characters
    if odd.any():
        trimmed = trimmed.copy()
        codes, distinct = pd.factorize(trimmed[odd])  # few distinct values (names, units) as a rule
        done = pd.Series(distinct, dtype=column.dtype).str.strip(ZERO_WIDTH).str.strip().to_numpy()
        trimmed[odd] = done[codes]
    return trimmed


def _with_header(file: str, sheet: str | None, frame: pd.DataFrame, hidden: list[int] | None = None) -> RawTable:
    frame = frame.fillna("").astype(str)  # index: spreadsheet row numbers, set by the reader
    nonblank = frame.apply(lambda col: (col != "") & ~col.str.isspace()).any(axis=1)
    hidden_here = pd.Index(hidden or [], dtype="int64").intersection(nonblank.index)
    skipped = hidden_here[nonblank[hidden_here].to_numpy()] if len(hidden_here) else hidden_here
    if len(skipped):  # hidden rows carry outdated or deleted data as a rule: skipped, and listed
        nonblank[skipped] = False
    if not nonblank.any():
        raise ImportRejected(f"{file} 是空表", f"{file} is empty")
    header_row = int(nonblank.idxmax())
    raw_headers = list(frame.loc[header_row])
    headers = [normalise_text(h) for h in raw_headers]
    body = frame.loc[header_row + 1:]
    body = body[nonblank.loc[header_row + 1:]]  # blank spacer rows carry no data
    body.columns = range(len(headers))
    keep = [i for i, h in enumerate(headers) if h]
    body = body[keep]
    body.columns = [headers[i] for i in keep]
    dupes = sorted({h for h in body.columns if list(body.columns).count(h) > 1})
    if dupes:
        raise ImportRejected(f"{file} 的表头有重复的列：{'、'.join(dupes)}", f"Duplicate columns {dupes}")
    table = RawTable(file, sheet, body, [headers[i] for i in keep])
    for column in body.columns:
        trimmed = _trim(body[column])
        changed = trimmed != body[column]
        if changed.any():
            first = changed.idxmax()
            table.fixes[("去除首尾空格（含不间断空格、全角空格）", column)] = Fix(
                int(changed.sum()), int(first), repr(body.at[first, column]))
        plain = unguard_series(trimmed)
        if plain is not trimmed:  # texts an export protected from formula evaluation: '=… → =…
            unquoted = plain != trimmed
            first = unquoted.idxmax()
            table.fixes[("去掉导出时加在公式样文本前的单引号", column)] = Fix(
                int(unquoted.sum()), int(first), repr(trimmed[first]))
        body[column] = plain
    renamed = [f"「{raw}」→「{headers[i]}」" for i, raw in enumerate(raw_headers) if headers[i] and raw != headers[i]]
    if renamed:
        table.fixes[("表头去除空格、全角转半角", "")] = Fix(len(renamed), header_row, "，".join(renamed[:3]))
    if len(skipped):
        shown = "、".join(str(int(r)) for r in skipped[:20]) + ("…" if len(skipped) > 20 else "")
        table.notes.append(f"已跳过 {len(skipped)} 个隐藏行（第 {shown} 行）：隐藏行通常是作废或过时的数据，未导入。"
                           "如需导入，请在 Excel/WPS 中取消隐藏后重新导入。")
    return table
