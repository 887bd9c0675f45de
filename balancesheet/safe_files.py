"""Untrusted input files: what a file really is, and the limits checked before anything is read.

Every file a user hands the tool (an import, a report template) passes here first:

- :func:`check_file`: it exists, is no larger than :data:`MAX_FILE_BYTES` (512 MiB, about seven
  times a million-row CSV; larger tables are imported in parts) and is not something else under a
  spreadsheet's name. By its first bytes: an OLE compound file is a password-protected (encrypted)
  .xlsx, a legacy .xls or another Office 97-2003 document; a PDF, an image, an archive or an empty
  file is named as such. Each gets a message saying what the file is and what to do.
- :func:`check_workbook`: an .xlsx is a zip archive. Before any member is decompressed by the
  readers (calamine, openpyxl), its central directory is checked: at most
  :data:`MAX_ZIP_MEMBERS` members (read from the end record, before the directory itself is
  parsed), no zip-encrypted member, only the stored/deflate methods Excel writes, at most
  :data:`MAX_UNZIPPED_BYTES` unzipped in total and no member expanding more than
  :data:`MAX_ZIP_RATIO` times once the total passes :data:`RATIO_FLOOR_BYTES` (a zip bomb), and
  members under ``xl/`` (a workbook). A member larger than it declares is refused by the readers
  themselves (calamine and Python's zipfile both stop at the declared size). Then the first
  :data:`PROLOG_BYTES` of every member are scanned for ``<!DOCTYPE`` / ``<!ENTITY``: OOXML
  forbids DTDs, so such a file is an XML entity attack (billion laughs, external entities reading
  local files) and is refused before any XML parser sees it. A declaration hidden behind a longer
  prolog still expands nothing: calamine does not expand entities and openpyxl parses through
  defusedxml (tests/test_hostile_files.py proves both).
"""

from __future__ import annotations

import mmap
import struct
import zipfile
import zlib
from pathlib import Path

from balancesheet.errors import UserError

MAX_FILE_BYTES = 512 * 1024**2
MAX_UNZIPPED_BYTES = 2 * 1024**3
MAX_ZIP_RATIO = 200
RATIO_FLOOR_BYTES = 50 * 1024**2
MAX_ZIP_MEMBERS = 10_000
MAX_DIRECTORY_BYTES = 4 * 1024**2  # the central directory (about 100 bytes per member)
PROLOG_BYTES = 4096

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Signatures no table begins with (BMP's "BM" is left out: a CSV header may be 编码 in pinyin).
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF", "PDF 文件", "a PDF document"),
    (b"\x89PNG", "PNG 图片", "a PNG image"),
    (b"\xff\xd8\xff", "JPEG 图片", "a JPEG image"),
    (b"GIF8", "GIF 图片", "a GIF image"),
    (b"Rar!", "RAR 压缩包", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包", "a 7z archive"),
    (b"\x1f\x8b", "gzip 压缩包", "a gzip archive"),
    (b"SQLite format 3\x00", "SQLite 数据库（如本工具的项目文件）", "an SQLite database"),
)
_DTD_MARKS = tuple(mark.encode(enc) for mark in ("<!DOCTYPE", "<!ENTITY")
                   for enc in ("ascii", "utf-16-le", "utf-16-be"))
_SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".et", ".ett")


def check_file(path: Path, error: type[UserError] = UserError) -> str:
    """Check an input file before reading it: ``"xlsx"`` (a zip archive) or ``"text"``.

    Raise ``error`` (a :class:`UserError` class) naming the file, what it is and what to do for a
    missing file, a folder, an oversize or empty file, an encrypted workbook, a legacy .xls, a
    PDF/image/archive, or a non-zip file named like a workbook. Reads 16 bytes (all of an OLE
    file's names only for an OLE file).
    """
    if path.is_dir():
        raise error(f"{path.name} 是文件夹，不是文件：请选择其中的 CSV 或 Excel（.xlsx）文件",
                    f"{path.name} is a folder; choose a CSV or .xlsx file in it")
    if not path.is_file():
        raise error(f"文件不存在：{path}", f"File not found: {path}")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise error(f"{path.name} 太大（{size / 1024**2:,.0f} MB，上限 {MAX_FILE_BYTES // 1024**2} MB），未读取。"
                    "请按区划或年度拆分为几个文件分别导入。",
                    f"{path.name} is too large ({size / 1024**2:,.0f} MB, limit "
                    f"{MAX_FILE_BYTES // 1024**2} MB); split it by region or year")
    if size == 0:
        raise error(f"{path.name} 是空文件（0 字节）：请检查是否选错了文件，或文件在保存、复制时是否中断",
                    f"{path.name} is empty (0 bytes)")
    with path.open("rb") as fh:
        head = fh.read(16)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):  # a zip archive (a CSV may start "PKID,…")
        return "xlsx"
    if head.startswith(_OLE):
        _refuse_ole(path, error)
    for magic, what, what_en in _SIGNATURES:
        if head.startswith(magic):
            raise error(f"{path.name} 实际是{what}，不是表格：请导入原始的 Excel（.xlsx）或 CSV 文件",
                        f"{path.name} is {what_en}, not a table; import the original .xlsx or CSV file")
    if path.suffix.lower() in _SPREADSHEET_SUFFIXES:
        if b"\x00" in head:
            raise error(f"{path.name} 不是有效的 Excel 文件（已损坏或并非 Excel 格式）："
                        "请在 Excel/WPS 中打开确认，另存为 .xlsx 后再导入",
                        f"{path.name} is not a valid Excel file; open it in Excel/WPS and save it as .xlsx")
        raise error(f"{path.name} 的扩展名是 {path.suffix}，内容却是文本而不是 Excel 工作簿：如果它是 CSV，"
                    "请把扩展名改为 .csv 后再导入；否则请在 Excel/WPS 中打开并另存为 .xlsx",
                    f"{path.name} holds text, not an Excel workbook; if it is a CSV, rename it to .csv")
    return "text"


def _refuse_ole(path: Path, error: type[UserError]) -> None:
    """An OLE compound file: which Office 97-2003 document it is, by its stream names."""
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        encrypted = data.find("EncryptedPackage".encode("utf-16-le")) >= 0
        workbook = data.find("Workbook".encode("utf-16-le")) >= 0 or data.find("Book".encode("utf-16-le")) >= 0
    if encrypted:
        raise error(f"{path.name} 是受密码保护或加密的工作簿，请在 Excel/WPS 中另存为未加密的 .xlsx"
                    "（打开时输入密码，再在“文件 → 信息 → 保护工作簿”或 WPS“文件 → 文档加密”中清除密码）后再导入。",
                    f"{path.name} is a password-protected (encrypted) workbook; save it in Excel/WPS as an "
                    "unencrypted .xlsx and import that")
    if workbook:
        raise error(f"{path.name} 是旧版 Excel 97-2003 工作簿（.xls），本工具读取 .xlsx 和 CSV：请在 Excel/WPS 中"
                    "打开，“另存为”Excel 工作簿（*.xlsx）后再导入。",
                    f"{path.name} is a legacy Excel 97-2003 workbook (.xls); save it as .xlsx in Excel/WPS")
    raise error(f"{path.name} 是 Office 97-2003 文档（如 Word .doc），不是表格：请导入 Excel（.xlsx）或 CSV 文件",
                f"{path.name} is an Office 97-2003 document, not a table; import an .xlsx or CSV file")


def _directory_size(path: Path) -> tuple[int, int] | None:
    """(members, central directory bytes) from the zip's end record, before zipfile parses the
    directory; None when there is no readable end record (zipfile then reports the damage)."""
    with path.open("rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - 65536 - 22))
        tail = fh.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < 22:
            return None
        members, directory = struct.unpack_from("<HI", tail, at + 10)
        if members != 0xFFFF and directory != 0xFFFFFFFF:
            return members, directory
        if at < 20 or tail[at - 20:at - 16] != b"PK\x06\x07":  # zip64: the locator precedes it
            return None
        (offset,) = struct.unpack_from("<Q", tail, at - 20 + 8)
        fh.seek(offset)
        record = fh.read(56)
    if len(record) < 56 or not record.startswith(b"PK\x06\x06"):
        return None
    members64, directory64 = struct.unpack_from("<QQ", record, 32)
    return members64, directory64


def check_workbook(path: Path, error: type[UserError] = UserError) -> None:
    """Check an .xlsx archive before any member is decompressed (see the module docstring);
    raise ``error`` naming the file, the reason and what to do."""
    name = path.name
    members, directory = _directory_size(path) or (0, 0)
    if members > MAX_ZIP_MEMBERS:
        raise error(f"{name} 含有 {members:,} 个压缩成员（上限 {MAX_ZIP_MEMBERS:,}），不像正常的工作簿，已拒绝，未读取",
                    f"{name} has {members:,} archive members (limit {MAX_ZIP_MEMBERS:,}); refused")
    if directory > MAX_DIRECTORY_BYTES:
        raise error(f"{name} 的压缩包目录过大（{directory / 1024**2:,.1f} MB，上限 {MAX_DIRECTORY_BYTES // 1024**2} MB），"
                    "不像正常的工作簿，已拒绝，未读取",
                    f"{name} has an oversize archive directory ({directory:,} bytes); refused")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_members(name, infos, error)
            _check_prologs(name, archive, infos, error)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, struct.error) as exc:
        raise error(f"{name} 已损坏（不是完整的 xlsx 压缩包，可能下载或复制不完整）：请重新获取原文件，"
                    "或在 Excel/WPS 中打开后另存为 .xlsx",
                    f"{name} is corrupt (not a complete xlsx archive)") from exc


def _check_members(name: str, infos: list[zipfile.ZipInfo], error: type[UserError]) -> None:
    if len(infos) > MAX_ZIP_MEMBERS:
        raise error(f"{name} 含有 {len(infos):,} 个压缩成员（上限 {MAX_ZIP_MEMBERS:,}），不像正常的工作簿，已拒绝，未读取",
                    f"{name} has {len(infos):,} archive members (limit {MAX_ZIP_MEMBERS:,}); refused")
    if any(i.flag_bits & 0x1 for i in infos):
        raise error(f"{name} 的压缩包成员设置了 ZIP 密码，这不是 Excel/WPS 保存的工作簿：请在 Excel/WPS 中另存为未加密的 .xlsx",
                    f"{name} has password-protected zip members; save it as an unencrypted .xlsx")
    odd = sorted({i.compress_type for i in infos} - {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
    if odd:
        raise error(f"{name} 使用了 Excel 不使用的压缩方式（方法 {odd[0]}）：请在 Excel/WPS 中打开并另存为 .xlsx",
                    f"{name} uses a compression method Excel does not write ({odd[0]}); save it as .xlsx")
    total = sum(i.file_size for i in infos)
    worst = max((i.file_size / max(i.compress_size, 1) for i in infos), default=0)
    if total > MAX_UNZIPPED_BYTES or (worst > MAX_ZIP_RATIO and total > RATIO_FLOOR_BYTES):
        raise error(f"{name} 解压后过大（{total / 1024**2:,.0f} MB，压缩比最高 {worst:,.0f} 倍），疑似压缩炸弹，已拒绝，"
                    f"未解压（上限：解压后 {MAX_UNZIPPED_BYTES // 1024**3} GB）。如确为正常数据，请拆分为几个文件。",
                    f"{name} expands too much ({total / 1024**2:,.0f} MB); refused as a possible zip bomb")
    if not any(i.filename.startswith("xl/") for i in infos):
        ods = any(i.filename == "content.xml" for i in infos)
        what = "OpenDocument 表格（.ods）" if ods else "其他压缩包"
        raise error(f"{name} 不是 Excel 工作簿（是{what}）：请在 Excel/WPS 中打开并另存为 .xlsx 后再导入",
                    f"{name} is not an Excel workbook; save it as .xlsx")


def _check_prologs(name: str, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo],
                   error: type[UserError]) -> None:
    for info in infos:
        if info.file_size == 0 or info.is_dir():
            continue
        with archive.open(info) as member:
            prolog = member.read(PROLOG_BYTES)
        if any(mark in prolog for mark in _DTD_MARKS):
            raise error(f"{name} 的 {info.filename} 含有 XML 文档类型或实体声明（<!DOCTYPE>/<!ENTITY>）。Excel/WPS "
                        "保存的工作簿从不包含它，这是恶意构造文件（XML 实体攻击）的特征，已拒绝，未读取其中任何内容。"
                        "请向数据提供方索取原始文件，或在 Excel/WPS 中打开后另存为 .xlsx。",
                        f"{name}: {info.filename} declares an XML DTD/entity, which workbooks never do "
                        "(an XML entity attack); refused without reading it")


__all__ = ["MAX_FILE_BYTES", "MAX_UNZIPPED_BYTES", "MAX_ZIP_MEMBERS", "MAX_ZIP_RATIO", "check_file",
           "check_workbook"]
