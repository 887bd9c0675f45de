"""Generate the corpus of broken and hostile input files in this folder (tests/corpus/).

    python tests/corpus/make_corpus.py          # (re)write every file
    python tests/corpus/make_corpus.py --check  # exit 1 if a file differs from what it would write

Every file is built here byte for byte (fixed zip timestamps, a seeded random generator, no
library that stamps the time), so the committed files are exactly what this script writes;
tests/test_import_fuzz.py checks that, then drives every corpus file through every importer
kind and entry point, each of which must refuse it with a clear message (never a traceback) and
leave the database unchanged. :data:`CORPUS` says what each file is and which word the refusal
must contain (what the user is told the file is, or what to do).

The helpers (:func:`workbook`, :func:`zip_members`, :func:`cfb`) are also used by the tests to
build valid seeds and damaged variants.
"""

from __future__ import annotations

import random
import struct
import sys
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
REGION = "990001"
STOCK_HEADER = ["region", "year", "resource", "item", "value", "unit"]
STOCK_ROWS: list[list[object]] = [[REGION, 2018, "land", "0101", 12.5, "公顷"],
                                  [REGION, 2018, "land", "0102", 3, "公顷"]]
_EPOCH = (1980, 1, 1, 0, 0, 0)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


# --- building blocks ---------------------------------------------------------------------------

def zip_members(members: Sequence[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip archive of ``members`` (name, data) in order, with fixed timestamps."""
    import io
    import warnings

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a duplicate member name is what some tests want
        for name, data in members:
            info = zipfile.ZipInfo(name, _EPOCH)
            info.compress_type = method
            archive.writestr(info, data)
    return out.getvalue()


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell(ref: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def sheet_xml(rows: Sequence[Sequence[object]], prolog: str = "") -> bytes:
    """A worksheet part holding ``rows`` (inline strings, numbers, booleans)."""
    body = "".join(f'<row r="{r}">' + "".join(_cell(f"{_column(c)}{r}", v) for c, v in enumerate(row)) + "</row>"
                   for r, row in enumerate(rows, start=1))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{prolog}'
            f'<worksheet xmlns="{_MAIN}"><sheetData>{body}</sheetData></worksheet>').encode()


def workbook_parts(sheets: dict[str, Sequence[Sequence[object]]]) -> list[tuple[str, bytes]]:
    """The members of a minimal valid .xlsx holding ``sheets`` (name → rows)."""
    names = list(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(names) + 1))
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/xl/workbook.xml" '
             'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
             f'{overrides}</Types>')
    rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG}">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    book = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" '
            f'xmlns:r="{_REL}"><sheets>'
            + "".join(f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1))
            + "</sheets></workbook>")
    book_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG}">'
                 + "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                           for i in range(1, len(names) + 1))
                 + "</Relationships>")
    parts = [("[Content_Types].xml", types.encode()), ("_rels/.rels", rels.encode()),
             ("xl/workbook.xml", book.encode()), ("xl/_rels/workbook.xml.rels", book_rels.encode())]
    parts += [(f"xl/worksheets/sheet{i}.xml", sheet_xml(rows)) for i, rows in enumerate(sheets.values(), 1)]
    return parts


def workbook(sheets: dict[str, Sequence[Sequence[object]]]) -> bytes:
    """A minimal valid .xlsx (calamine and openpyxl read it) holding ``sheets``."""
    return zip_members(workbook_parts(sheets))


def replace_part(parts: list[tuple[str, bytes]], name: str,
                 change: Callable[[bytes], bytes | None]) -> list[tuple[str, bytes]]:
    """``parts`` with member ``name`` changed (None drops it)."""
    out = []
    for member, data in parts:
        new = change(data) if member == name else data
        if new is not None:
            out.append((member, new))
    return out


def with_doctype(xml: bytes, doctype: str) -> bytes:
    """``xml`` with ``doctype`` inserted after its XML declaration."""
    head, _, rest = xml.partition(b"?>")
    return head + b"?>" + doctype.encode() + rest


def cfb(streams: dict[str, bytes]) -> bytes:
    """A compound file (OLE2 / CFB version 3, 512-byte sectors) holding ``streams`` (each at
    least 4,096 bytes, so none lives in the mini stream) under the root storage: the container
    of .xls workbooks and of password-encrypted .xlsx files."""
    sector = 512
    free, end, fat_mark = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    names = sorted(streams, key=lambda n: (len(n), n.upper()))  # the CFB order of siblings
    chains: list[tuple[int, int]] = []  # (first sector, sectors)
    next_free = 2  # sector 0: FAT, sector 1: directory
    for name in names:
        count = -(-len(streams[name]) // sector)
        chains.append((next_free, count))
        next_free += count
    fat = [fat_mark, end]
    for first, count in chains:
        fat += [first + k + 1 for k in range(count - 1)] + [end]
    assert len(fat) <= sector // 4, "cfb(): streams too large for one FAT sector"
    fat += [free] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
                + struct.pack("<III", free, right, child) + bytes(16) + bytes(4) + bytes(16)
                + struct.pack("<IQ", start, size))

    entries = [entry("Root Entry", 5, 1 if names else free, free, end, 0)]
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else free
        entries.append(entry(name, 2, free, right, chains[i][0], len(streams[name])))
    while len(entries) % 4:
        entries.append(entry("", 0, free, free, 0, 0))
    directory = b"".join(entries)
    assert len(directory) == sector, "cfb(): at most three streams"
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<109I", 0, *([free] * 108)))
    assert len(header) == sector
    body = b"".join(streams[n].ljust(-(-len(streams[n]) // sector) * sector, b"\0") for n in names)
    return header + struct.pack(f"<{sector // 4}I", *fat) + directory + body


def _deflate_bomb(name: str, unit: bytes, copies: int, declared: int | None = None) -> bytes:
    """A zip of one ``name`` member holding ``unit`` × ``copies`` (deflated), plus a minimal
    workbook around it; ``declared`` overrides the size the archive claims for that member."""
    parts = replace_part(workbook_parts({"Sheet1": [STOCK_HEADER]}), name, lambda _: unit * copies)
    data = bytearray(zip_members(parts))
    if declared is not None:
        _set_declared_size(data, name, declared)
    return bytes(data)


def _set_declared_size(data: bytearray, name: str, size: int) -> None:
    """Overwrite the uncompressed size recorded for ``name`` (local header and directory)."""
    encoded = name.encode()
    at = 0
    while (at := data.find(b"PK\x03\x04", at)) >= 0:
        length = struct.unpack_from("<H", data, at + 26)[0]
        if bytes(data[at + 30:at + 30 + length]) == encoded:
            struct.pack_into("<I", data, at + 22, size)
        at += 4
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46:at + 46 + length]) == encoded:
            struct.pack_into("<I", data, at + 24, size)
        at += 4


def _set_flag(data: bytes, bit: int) -> bytes:
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = 0
        while (at := out.find(signature, at)) >= 0:
            out[at + offset] |= bit
            at += 4
    return bytes(out)


def _csv(rows: Sequence[Sequence[object]], encoding: str = "utf-8") -> bytes:
    return "".join(",".join(str(c) for c in row) + "\r\n" for row in rows).encode(encoding)


# --- the corpus --------------------------------------------------------------------------------

XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS = ('<!DOCTYPE x [<!ENTITY lol0 "lol">'
          + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)) + "]>")
PARAMETER = '<!DOCTYPE x [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>'
PADDING = "<!--" + "padding " * 1024 + "-->"  # 8 KiB: beyond the prolog the archive check scans


def _stock_parts() -> list[tuple[str, bytes]]:
    return workbook_parts({"Sheet1": [STOCK_HEADER, *STOCK_ROWS]})


def _cell_entity(xml: bytes, entity: str) -> bytes:
    return xml.replace(b">0101<", f">{entity}<".encode(), 1)


def _shared_strings_xxe() -> bytes:
    parts = _stock_parts()
    sst = (f'<?xml version="1.0" encoding="UTF-8"?>\n{XXE}<sst xmlns="{_MAIN}" count="1" uniqueCount="1">'
           "<si><t>&xxe;</t></si></sst>").encode()
    parts = replace_part(parts, "xl/worksheets/sheet1.xml",
                         lambda x: x.replace(b'<c r="D2" t="inlineStr"><is><t xml:space="preserve">0101</t></is></c>',
                                             b'<c r="D2" t="s"><v>0</v></c>'))
    parts = replace_part(parts, "xl/_rels/workbook.xml.rels", lambda x: x.replace(
        b"</Relationships>",
        f'<Relationship Id="rId9" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'.encode()))
    return zip_members([*parts, ("xl/sharedStrings.xml", sst)])


def _build() -> dict[str, bytes]:
    rng = random.Random(20240607)
    valid = zip_members(_stock_parts())
    text_table = _csv([STOCK_HEADER, *STOCK_ROWS])
    sheet = "xl/worksheets/sheet1.xml"
    files = {
        "empty.xlsx": b"",
        "empty.csv": b"",
        "blank.csv": b" , , \r\n,,,\r\n\r\n",
        "pdf_renamed.xlsx": b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
        "png_renamed.xlsx": b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(200)),
        "png_renamed.csv": b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(200)),
        "csv_renamed.xlsx": text_table,
        "legacy.xls": cfb({"Workbook": b"\x09\x08\x10\x00\x00\x06\x05\x00".ljust(4096, b"\0")}),
        "legacy_renamed.xlsx": cfb({"Workbook": b"\x09\x08\x10\x00\x00\x06\x05\x00".ljust(4096, b"\0")}),
        "encrypted.xlsx": cfb({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00".ljust(4096, b"\0"),
                               "EncryptedPackage": bytes(rng.randrange(256) for _ in range(4608))}),
        "word_renamed.xlsx": cfb({"WordDocument": bytes(4096)}),
        "random_bytes.xlsx": bytes(rng.randrange(256) for _ in range(3000)),
        "random_bytes.csv": bytes(rng.randrange(256) for _ in range(3000)),
        "truncated_half.xlsx": valid[: len(valid) // 2],
        "truncated_head.xlsx": valid[:100],
        "zip_not_workbook.xlsx": zip_members([("readme.txt", b"hello")]),
        "ods_renamed.xlsx": zip_members([("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
                                         ("content.xml", b"<office:document-content/>")], zipfile.ZIP_STORED),
        "zip_encrypted_member.xlsx": _set_flag(valid, 0x1),
        "zip_lzma.xlsx": zip_members(_stock_parts(), zipfile.ZIP_LZMA),
        "zip_missing_sheet.xlsx": zip_members(replace_part(_stock_parts(), sheet, lambda _: None)),
        "zip_missing_workbook.xlsx": zip_members(replace_part(_stock_parts(), "xl/workbook.xml", lambda _: None)),
        "zip_garbage_sheet.xlsx": zip_members(replace_part(_stock_parts(), sheet,
                                                           lambda _: b"<worksheet><sheetData><row><c r='A1' t='s'><v>9")),
        "zip_bad_utf8_workbook.xlsx": zip_members(replace_part(_stock_parts(), "xl/workbook.xml",
                                                               lambda x: x.replace(b"Sheet1", b"\xff\xfe\x80"))),
        "zip_declared_bomb.xlsx": _deflate_bomb(sheet, b"<row/>", 100, declared=0xFFFF0000),
        "zip_ratio_bomb.xlsx": _deflate_bomb(sheet, b"<row/>", 9_000_000),
        "zip_liar_bomb.xlsx": _deflate_bomb(sheet, b"<row/>", 1_700_000, declared=2000),
        "xxe_sheet.xlsx": zip_members(replace_part(_stock_parts(), sheet,
                                                   lambda x: _cell_entity(with_doctype(x, XXE), "&xxe;"))),
        "xxe_shared_strings.xlsx": _shared_strings_xxe(),
        "xxe_workbook.xlsx": zip_members(replace_part(_stock_parts(), "xl/workbook.xml", lambda x: with_doctype(
            x, XXE).replace(b'name="Sheet1"', b'name="&xxe;"'))),
        "xxe_content_types.xlsx": zip_members(replace_part(_stock_parts(), "[Content_Types].xml",
                                                           lambda x: with_doctype(x, XXE))),
        "billion_laughs.xlsx": zip_members(replace_part(_stock_parts(), sheet,
                                                        lambda x: _cell_entity(with_doctype(x, LAUGHS), "&lol9;"))),
        "parameter_entity.xlsx": zip_members(replace_part(_stock_parts(), sheet, lambda x: with_doctype(x, PARAMETER))),
        "padded_doctype_sheet.xlsx": zip_members(replace_part(
            _stock_parts(), sheet, lambda x: _cell_entity(with_doctype(x, PADDING + LAUGHS), "&lol9;"))),
        "padded_doctype_workbook.xlsx": zip_members(replace_part(
            _stock_parts(), "xl/workbook.xml",
            lambda x: with_doctype(x, PADDING + XXE).replace(b'name="Sheet1"', b'name="&xxe;"'))),
        "nul.csv": text_table.replace(b"12.5", b"1\x002.5"),
        "utf16.csv": "\ufeff".encode("utf-16-le") + text_table.decode().encode("utf-16-le"),
        "bad_encoding.csv": b"region,name\r\n" + b"\xff\xfe\xff\x80" * 64 + b"\r\n",
        "duplicate_headers.csv": _csv([[*STOCK_HEADER, "value"], [*STOCK_ROWS[0], "1"]]),
        "formula_values.csv": _csv([STOCK_HEADER, [REGION, 2018, "land", "0101", "=1+1", "公顷"],
                                    [REGION, 2018, "land", "0102", "@SUM(A1)", "公顷"],
                                    [REGION, 2018, "land", "0103", "'=cmd|' /C calc'!A0", "公顷"]]),
        "non_finite.csv": _csv([STOCK_HEADER, *([REGION, 2018, "land", code, v, "公顷"] for code, v in
                                               (("0101", "nan"), ("0102", "inf"), ("0103", "-inf"),
                                                ("0201", "1e400"), ("0202", "NaN")))]),
        "control_chars.csv": _csv([STOCK_HEADER, [REGION, 2018, "land", "01\x0101", "1", "公顷"],
                                   [REGION, 2018, "la\x1bnd", "0102", "2\x07", "公顷"]]),
        "huge_cell.csv": _csv([STOCK_HEADER, [REGION, 2018, "land", "0101", "9" * 10_000, "公顷"],
                               [REGION, 2018, "land", "x" * 10_000, "1", "公顷"]]),
        "unbalanced_quote.csv": b'region,year,resource,item,value,unit\r\n990001,2018,land,"0101,12.5,\xe5\x85\xac\r\n',
    }
    return files


#: file → (what it is, a word the refusal of a direct import must contain)
CORPUS: dict[str, tuple[str, str]] = {
    "empty.xlsx": ("0 bytes named .xlsx", "空文件"),
    "empty.csv": ("0 bytes", "空文件"),
    "blank.csv": ("separators only, rows of different lengths", "CSV"),
    "pdf_renamed.xlsx": ("a PDF named .xlsx", "PDF"),
    "png_renamed.xlsx": ("a PNG image named .xlsx", "图片"),
    "png_renamed.csv": ("a PNG image named .csv", "图片"),
    "csv_renamed.xlsx": ("a valid CSV named .xlsx", ".csv"),
    "legacy.xls": ("an OLE compound file with a Workbook stream (Excel 97-2003)", ".xls"),
    "legacy_renamed.xlsx": ("the same named .xlsx", ".xls"),
    "encrypted.xlsx": ("an OLE file with EncryptionInfo/EncryptedPackage (a password-encrypted .xlsx)",
                       "受密码保护或加密的工作簿，请在 Excel/WPS 中另存为未加密的 .xlsx"),
    "word_renamed.xlsx": ("an OLE file with a WordDocument stream", "Office 97-2003"),
    "random_bytes.xlsx": ("3,000 random bytes named .xlsx", "Excel"),
    "random_bytes.csv": ("3,000 random bytes named .csv", "二进制"),
    "truncated_half.xlsx": ("a valid workbook cut in half", "已损坏"),
    "truncated_head.xlsx": ("the first 100 bytes of a valid workbook", "已损坏"),
    "zip_not_workbook.xlsx": ("a zip holding readme.txt", "不是 Excel 工作簿"),
    "ods_renamed.xlsx": ("an OpenDocument spreadsheet named .xlsx", ".ods"),
    "zip_encrypted_member.xlsx": ("a workbook whose zip members are flagged encrypted", "ZIP 密码"),
    "zip_lzma.xlsx": ("a workbook compressed with LZMA (method 14)", "压缩方式"),
    "zip_missing_sheet.xlsx": ("a workbook without its worksheet part", "无法读取"),
    "zip_missing_workbook.xlsx": ("a workbook without xl/workbook.xml", "无法读取"),
    "zip_garbage_sheet.xlsx": ("a worksheet part that is broken XML", "无法读取"),
    "zip_bad_utf8_workbook.xlsx": ("workbook.xml with bytes that are not UTF-8", "无法读取"),
    "zip_declared_bomb.xlsx": ("a member declaring 4 GB unzipped", "压缩炸弹"),
    "zip_ratio_bomb.xlsx": ("54 MB of sheet XML in 53 KB (ratio about 1,000)", "压缩炸弹"),
    "zip_liar_bomb.xlsx": ("10 MB of sheet XML declared as 2,000 bytes", "已损坏"),
    "xxe_sheet.xlsx": ("an external entity (file:///etc/passwd) in a worksheet cell", "实体"),
    "xxe_shared_strings.xlsx": ("an external entity in the shared strings", "实体"),
    "xxe_workbook.xlsx": ("an external entity as a sheet name", "实体"),
    "xxe_content_types.xlsx": ("a DOCTYPE in [Content_Types].xml", "实体"),
    "billion_laughs.xlsx": ("nested entities expanding to 10⁹ 'lol' in a cell", "实体"),
    "parameter_entity.xlsx": ("a parameter entity fetching a remote DTD", "实体"),
    "padded_doctype_sheet.xlsx": ("billion laughs behind an 8 KiB comment (past the prolog scan)", "无法读取"),
    "padded_doctype_workbook.xlsx": ("an external entity sheet name behind an 8 KiB comment", "无法读取"),
    "nul.csv": ("a NUL byte in a CSV", "二进制"),
    "utf16.csv": ("UTF-16 text (not UTF-8 or GB18030)", "二进制"),
    "bad_encoding.csv": ("bytes that are neither UTF-8 nor GB18030", "编码"),
    "duplicate_headers.csv": ("the column value twice", "重复"),
    "formula_values.csv": ("formulas where numbers belong", "不是数字"),
    "non_finite.csv": ("nan, inf, -inf, 1e400 as values", "不是"),
    "control_chars.csv": ("control characters in codes and values", "错误"),
    "huge_cell.csv": ("10,000-character cells", "错误"),
    "unbalanced_quote.csv": ("a quote that never closes", "CSV"),
}


def write(folder: Path = HERE) -> list[Path]:
    """Write every corpus file into ``folder``; return their paths."""
    written = []
    for name, data in _build().items():
        path = folder / name
        path.write_bytes(data)
        written.append(path)
    return written


def stale(folder: Path = HERE) -> list[str]:
    """Corpus files missing from ``folder`` or differing from what :func:`write` would write."""
    return [name for name, data in _build().items()
            if not (folder / name).is_file() or (folder / name).read_bytes() != data]


if __name__ == "__main__":
    if "--check" in sys.argv[1:]:
        differing = stale()
        print("\n".join(differing) or "corpus up to date")
        sys.exit(1 if differing else 0)
    for path in write():
        print(f"{path.stat().st_size:>8,}  {path.name}")
