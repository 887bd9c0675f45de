"""Read CSV and XLSX files into string tables that remember each cell's spreadsheet row.

Untrusted input: the size of the file and of the xlsx archive's members is checked before
anything is decompressed, so a zip bomb is refused before it can eat memory. Values are read as
text; validation happens later with exact locations.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from balancesheet.errors import ImportRejected, Location

MAX_FILE_BYTES = 512 * 1024**2
MAX_UNZIPPED_BYTES = 2 * 1024**3
MAX_ZIP_RATIO = 200


@dataclass
class RawTable:
    """A table of text cells: ``frame`` (header → column), ``rows`` (spreadsheet row numbers)."""

    file: str
    sheet: str | None
    frame: pd.DataFrame
    headers: list[str]
    notes: list[str] = field(default_factory=list)

    def location(self, row: int | None = None, column: str | None = None) -> Location:
        """Location of a cell in this table."""
        return Location(self.file, self.sheet, row, column)


def read_table(path: Path, sheet: str | None = None) -> RawTable:
    """Read ``path`` (CSV or XLSX) as text cells; raise ImportRejected with a clear reason."""
    if not path.is_file():
        raise ImportRejected(f"文件不存在：{path}", f"File not found: {path}")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ImportRejected(f"{path.name} 太大（{size / 1024**2:.0f} MB，上限 {MAX_FILE_BYTES // 1024**2} MB）",
                             f"{path.name} is too large")
    head = _head(path)
    if head.startswith(b"PK"):
        return _read_xlsx(path, sheet)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRejected(
            f"{path.name} 是旧版 Excel（.xls）或加密的工作簿。请在 Excel/WPS 中另存为 .xlsx（不设密码）后再导入。",
            f"{path.name} is a legacy .xls or password-protected workbook; save it as .xlsx.",
        )
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        raise ImportRejected(f"{path.name} 不是有效的 Excel 文件（文件已损坏或并非 Excel 格式）",
                             f"{path.name} is not a valid Excel file")
    return _read_csv(path)


def peek_headers(path: Path, sheet: str | None = None) -> list[str]:
    """The header row of a file, reading only its beginning (for ordering and kind detection)."""
    if not path.is_file() or path.stat().st_size == 0:
        return []
    head = _head(path)
    try:
        if head.startswith(b"PK"):
            _check_zip(path)
            frame = pd.read_excel(path, sheet_name=sheet or 0, header=None, nrows=30, engine="calamine",
                                  dtype=object).map(_cell_text)
            frame.index = range(1, len(frame) + 1)
        else:
            lines = _decode(path, limit=65536).splitlines()[:30]
            frame = _parse_csv("\n".join(lines), path.name)
        return _with_header(path.name, None, frame).headers
    except Exception:  # noqa: BLE001 - the full read reports the real problem
        return []


def sheet_names(path: Path) -> list[str]:
    """The sheets of a workbook in their order ([] for a CSV); ImportRejected if it is broken."""
    if not path.is_file() or not _head(path).startswith(b"PK"):
        return []
    _check_zip(path)
    from python_calamine import CalamineWorkbook

    try:
        return [str(name) for name in CalamineWorkbook.from_path(str(path)).sheet_names]
    except Exception as exc:  # noqa: BLE001 - calamine raises many types for broken files
        raise ImportRejected(f"{path.name} 无法读取：{exc}", f"{path.name} cannot be read") from exc


def _head(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(8)


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
    try:
        frame = pd.read_csv(io.StringIO(stripped), dtype=str, keep_default_na=False, header=None,
                            skip_blank_lines=False, sep=_delimiter(stripped), engine="c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error) as exc:
        raise ImportRejected(f"{name} 无法按 CSV 读取：{exc}", f"{name}: not a readable CSV") from exc
    frame.index = range(leading + 1, leading + 1 + len(frame))
    return frame


def _read_csv(path: Path) -> RawTable:
    return _with_header(path.name, None, _parse_csv(_decode(path), path.name))


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise ImportRejected(f"{path.name} 已损坏（不是完整的 xlsx 压缩包）", f"{path.name} is corrupt") from exc
    total = sum(i.file_size for i in infos)
    worst = max((i.file_size / max(i.compress_size, 1) for i in infos), default=0)
    if total > MAX_UNZIPPED_BYTES or (worst > MAX_ZIP_RATIO and total > 50 * 1024**2):
        raise ImportRejected(f"{path.name} 解压后过大（{total / 1024**2:.0f} MB），疑似压缩炸弹，已拒绝",
                             f"{path.name} expands too much; refused as a possible zip bomb")
    if not any(i.filename.startswith("xl/") for i in infos):
        raise ImportRejected(f"{path.name} 不是 Excel 工作簿", f"{path.name} is not an Excel workbook")


def _read_xlsx(path: Path, sheet: str | None) -> RawTable:
    _check_zip(path)
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, engine="calamine", dtype=object)
    except Exception as exc:  # noqa: BLE001 - calamine raises many types for broken files
        raise ImportRejected(f"{path.name} 无法读取：{exc}", f"{path.name} cannot be read") from exc
    if not sheets:
        raise ImportRejected(f"{path.name} 没有工作表", f"{path.name} has no sheet")
    if sheet is None:
        name = next((n for n, f in sheets.items() if not f.dropna(how="all").empty), next(iter(sheets)))
    elif sheet in sheets:
        name = sheet
    else:
        raise ImportRejected(f"{path.name} 中没有工作表「{sheet}」，现有：{'、'.join(sheets)}",
                             f"No sheet {sheet!r} in {path.name}")
    frame = sheets[name].map(_cell_text)
    frame.index = range(1, len(frame) + 1)  # spreadsheet row numbers
    table = _with_header(path.name, name, frame)
    if len(sheets) > 1 and sheet is None:
        table.notes.append(f"工作簿有 {len(sheets)} 个工作表，已读取「{name}」（可用 --sheet 指定）")
    return table


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


def normalise_text(value: str) -> str:
    """NFKC (full-width digits and letters to ASCII) and trim, as used for every cell."""
    return unicodedata.normalize("NFKC", value).strip()


def _with_header(file: str, sheet: str | None, frame: pd.DataFrame) -> RawTable:
    frame = frame.fillna("").astype(str)  # index: spreadsheet row numbers, set by the reader
    nonblank = frame.apply(lambda col: col.str.strip() != "").any(axis=1)
    if not nonblank.any():
        raise ImportRejected(f"{file} 是空表", f"{file} is empty")
    header_row = int(nonblank.idxmax())
    headers = [normalise_text(h) for h in frame.loc[header_row]]
    body = frame.loc[header_row + 1:]
    body = body[nonblank.loc[header_row + 1:]]  # blank spacer rows carry no data
    body.columns = range(len(headers))
    keep = [i for i, h in enumerate(headers) if h]
    body = body[keep]
    body.columns = [headers[i] for i in keep]
    dupes = sorted({h for h in body.columns if list(body.columns).count(h) > 1})
    if dupes:
        raise ImportRejected(f"{file} 的表头有重复的列：{'、'.join(dupes)}", f"Duplicate columns {dupes}")
    for column in body.columns:
        body[column] = body[column].str.strip()
    return RawTable(file, sheet, body, [headers[i] for i in keep])
