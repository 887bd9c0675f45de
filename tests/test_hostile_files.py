"""Hostile files: zip bombs and oversize files refused before they take memory, XML entity attacks
neutralised on every path that parses an xlsx (calamine, the hidden-row scan, the wide reader,
openpyxl for report templates), disguised and odd archives refused or read safely.

The peak memory of a refusal is measured in a fresh process (ru_maxrss before and after) and in
this one (tracemalloc): a 3 GiB zip bomb is refused having read its central directory only.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import textwrap
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import rows, write_csv
from corpus.make_corpus import (
    LAUGHS,
    PADDING,
    STOCK_HEADER,
    STOCK_ROWS,
    replace_part,
    with_doctype,
    workbook_parts,
    zip_members,
)

from balancesheet import safe_files
from balancesheet.errors import ImportRejected, UserError
from balancesheet.importer import import_file, readers
from balancesheet.importer.preview import preview
from balancesheet.importer.wide import sniff
from balancesheet.project import Project
from balancesheet.reports.filler import fill_template
from balancesheet.reports.template_check import check_template

ROOT = Path(__file__).resolve().parents[1]
SHEET = "xl/worksheets/sheet1.xml"
BOMB_GIB = 3
MIB = 1024**2


# --- a real zip bomb, built in a second --------------------------------------------------------

def _raw_deflate(data: bytes, final: bool) -> bytes:
    """``data`` as a self-contained piece of a raw deflate stream (fresh dictionary, byte
    aligned): such pieces can be concatenated, and repeated, into one valid stream."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


def raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip archive from already deflated members (name, deflated data, crc32, unzipped size)."""
    local, central = bytearray(), bytearray()
    for name, deflated, crc, size in members:
        encoded = name.encode()
        central += struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(deflated), size,
                               len(encoded), 0, 0, 0, 0, 0, len(local)) + encoded
        local += struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(deflated), size,
                             len(encoded), 0) + encoded + deflated
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(local), 0)
    return bytes(local + central + end)


def bomb_bytes(gib: int = BOMB_GIB) -> bytes:
    """A workbook whose one sheet unzips to ``gib`` GiB of rows of cells (valid deflate, valid
    CRC): every reader that trusted it would try to hold a billion cells."""
    head = f'<?xml version="1.0"?><worksheet xmlns="{_MAIN}"><sheetData>'.encode()
    tail = b"</sheetData></worksheet>"
    chunk = b"<row><c><v>1</v></c></row>" * 40330  # ~1 MiB
    copies = gib * 1024**3 // len(chunk)
    crc = zlib.crc32(head)
    for _ in range(copies):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    deflated = _raw_deflate(head, False) + _raw_deflate(chunk, False) * copies + _raw_deflate(tail, True)
    members = [(name, _raw_deflate(data, True), zlib.crc32(data), len(data))
               for name, data in workbook_parts({"Sheet1": [STOCK_HEADER]}) if name != SHEET]
    members.append((SHEET, deflated, crc, len(head) + len(chunk) * copies + len(tail)))
    return raw_zip(members)


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    path.write_bytes(bomb_bytes())
    return path


def test_the_bomb_is_real(bomb: Path) -> None:
    """A valid archive: small on disk, 3 GiB unzipped, and its sheet decompresses as declared."""
    assert bomb.stat().st_size < 12 * MIB
    with zipfile.ZipFile(bomb) as archive:
        info = archive.getinfo(SHEET)
        assert info.file_size > BOMB_GIB * 1024**3 - 2 * MIB
        with archive.open(info) as stream:  # the first 16 MiB: real rows of cells
            start = stream.read(16 * MIB)
    assert start.count(b"<row><c><v>1</v></c></row>") > 600_000


def test_bomb_refused_everywhere_without_reading_it(bomb: Path, project: Project, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a reader was called before the archive was checked")

    monkeypatch.setattr(readers.pd, "read_excel", must_not_parse)
    tracemalloc.start()
    try:
        with pytest.raises(ImportRejected) as exc:
            import_file(project, bomb)
        result = preview(project, bomb)
        assert not sniff(bomb)
        with pytest.raises(UserError):
            fill_template(bomb, None)  # type: ignore[arg-type]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "压缩炸弹" in exc.value.message and "bomb.xlsx" in exc.value.message
    assert "（3,07" in exc.value.message  # the unzipped size: 3,071 MB
    assert result.issues and "压缩炸弹" in result.message
    assert peak < 8 * MIB, peak
    issues = check_template(bomb, set(), {})
    assert len(issues) == 1 and "压缩炸弹" in issues[0].message


MEASURE = textwrap.dedent("""
    import json, resource, sys
    from pathlib import Path
    from balancesheet.errors import ImportRejected
    from balancesheet.importer.readers import read_table
    out = {}
    for path in sys.argv[1:]:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
            read_table(Path(path))
            out[path] = ["read", 0]
        except ImportRejected as exc:
            out[path] = [exc.message, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before]
    print(json.dumps(out))
""")


def test_refusals_take_no_memory_in_a_fresh_process(bomb: Path, tmp_path: Path) -> None:
    """ru_maxrss of a new process grows by less than 16 MiB while it refuses a 3 GiB bomb, a
    600 MB CSV (sparse file) and a sheet that unzips to 1 GiB but claims 2,000 bytes."""
    oversize = tmp_path / "huge.csv"
    with oversize.open("wb") as fh:
        fh.write(b"region,year,resource,item,value,unit\n")
        fh.truncate(600 * MIB)
    liar = tmp_path / "liar.xlsx"
    data = bytearray(bomb_bytes(1))
    at = data.rfind(b"PK\x01\x02")  # the sheet is the last member: its directory entry
    struct.pack_into("<I", data, at + 24, 2000)
    struct.pack_into("<I", data, struct.unpack_from("<I", data, at + 42)[0] + 22, 2000)  # its local header
    liar.write_bytes(data)
    done = subprocess.run([sys.executable, "-c", MEASURE, str(bomb), str(oversize), str(liar)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT, check=True)
    out = json.loads(done.stdout)
    message, grown_kib = out[str(bomb)]
    assert "压缩炸弹" in message and grown_kib < 16 * 1024, out[str(bomb)]
    message, grown_kib = out[str(oversize)]
    assert "太大" in message and "512 MB" in message and "拆分" in message and grown_kib < 16 * 1024
    message, grown_kib = out[str(liar)]
    assert "liar.xlsx" in message and grown_kib < 64 * 1024, out[str(liar)]


def test_ratio_bomb_under_the_total_limit(project: Project, tmp_path: Path) -> None:
    """60 MB in about 60 KB: below 2 GiB, but a member expanding over 200 times is refused."""
    parts = replace_part(workbook_parts({"Sheet1": [STOCK_HEADER]}), SHEET, lambda x: x + b" " * (60 * MIB))
    path = tmp_path / "ratio.xlsx"
    path.write_bytes(zip_members(parts))
    assert path.stat().st_size < 200 * 1024
    with pytest.raises(ImportRejected) as exc:
        import_file(project, path)
    assert "压缩炸弹" in exc.value.message


# --- many members, odd members -------------------------------------------------------------------

def test_many_members_refused_before_the_directory_is_parsed(project: Project, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "many.xlsx"
    parts = workbook_parts({"Sheet1": [STOCK_HEADER, *STOCK_ROWS]})
    parts += [(f"xl/media/{i}.bin", b"") for i in range(safe_files.MAX_ZIP_MEMBERS + 1)]
    path.write_bytes(zip_members(parts, zipfile.ZIP_STORED))

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the central directory was parsed")

    monkeypatch.setattr(safe_files.zipfile, "ZipFile", no_parsing)
    with pytest.raises(ImportRejected) as exc:
        import_file(project, path)
    assert f"{len(parts):,}" in exc.value.message and "上限 10,000" in exc.value.message


def test_huge_central_directory_refused(project: Project, tmp_path: Path) -> None:
    """Few members with enormous names: the directory itself is the bomb."""
    parts = workbook_parts({"Sheet1": [STOCK_HEADER, *STOCK_ROWS]})
    parts += [(f"xl/{i:04d}" + "n" * 60000, b"") for i in range(80)]
    path = tmp_path / "names.xlsx"
    path.write_bytes(zip_members(parts, zipfile.ZIP_STORED))
    with pytest.raises(ImportRejected) as exc:
        import_file(project, path)
    assert "目录过大" in exc.value.message


def test_zip64_workbook_is_read(project: Project, tmp_path: Path) -> None:
    """The end-record parser follows a zip64 record (large workbooks use them)."""
    path = tmp_path / "z64.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in workbook_parts({"Sheet1": [STOCK_HEADER, *STOCK_ROWS]}):
            with archive.open(name, "w", force_zip64=True) as member:
                member.write(data)
    data = bytearray(path.read_bytes())  # also the zip64 end record (as for 65,535+ members)
    end = data.rfind(b"PK\x05\x06")
    count, directory, offset = struct.unpack_from("<HII", data, end + 10)
    zip64_end = struct.pack("<4sQ2H2I4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, directory, offset)
    locator = struct.pack("<4sIQI", b"PK\x06\x07", 0, end, 1)
    struct.pack_into("<HHII", data, end + 8, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
    path.write_bytes(bytes(data[:end]) + zip64_end + locator + bytes(data[end:]))
    assert safe_files._directory_size(path) == (count, directory)
    result = import_file(project, path)
    assert result.rows == 2


def test_embedded_zip_bomb_is_never_opened(project: Project, tmp_path: Path) -> None:
    """A workbook carrying a zip bomb as an embedded object: only the outer archive is read."""
    inner = raw_zip([(SHEET, _raw_deflate(b"\0" * (64 * MIB), True), zlib.crc32(b"\0" * (64 * MIB)), 64 * MIB)])
    parts = [*workbook_parts({"Sheet1": [STOCK_HEADER, *STOCK_ROWS]}), ("xl/embeddings/oleObject1.bin", inner)]
    path = tmp_path / "embedded.xlsx"
    path.write_bytes(zip_members(parts))
    result = import_file(project, path)
    assert result.rows == 2
    assert rows(project, "SELECT item, value FROM stock ORDER BY item") == [("0101", 12.5), ("0102", 3.0)]


def test_odd_member_names_write_nothing(project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Path traversal and absolute names: members are read by name, never extracted to disk."""
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    parts = [*workbook_parts({"Sheet1": [STOCK_HEADER, *STOCK_ROWS]}),
             ("../../evil.xml", b"<x/>"), ("/tmp/evil_abs.xml", b"<x/>"), ("xl\\..\\..\\evil2.xml", b"<x/>")]
    path = tmp_path / "odd.xlsx"
    path.write_bytes(zip_members(parts))
    before = sorted(p.name for p in tmp_path.rglob("*"))
    assert import_file(project, path).rows == 2
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert not Path("/tmp/evil_abs.xml").exists()


# --- XML entity attacks: every parser ---------------------------------------------------------

@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-7f3a", encoding="utf-8")
    return path


def entity_workbook(path: Path, secret: Path, padded: bool = False, where: str = SHEET) -> Path:
    """A stock table whose item cell (or the sheet name) is an external entity reading ``secret``."""
    doctype = (PADDING if padded else "") + f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    if where == SHEET:
        change = lambda x: with_doctype(x, doctype).replace(b">0101<", b">&xxe;<", 1)  # noqa: E731
    else:
        change = lambda x: with_doctype(x, doctype).replace(b'name="Sheet1"', b'name="&xxe;"')  # noqa: E731
    parts = replace_part(workbook_parts({"Sheet1": [STOCK_HEADER, *STOCK_ROWS]}), where, change)
    path.write_bytes(zip_members(parts))
    return path


@pytest.mark.parametrize("where", [SHEET, "xl/workbook.xml"])
@pytest.mark.parametrize("padded", [False, True], ids=["prolog", "behind-8KiB-comment"])
def test_external_entity_never_read(project: Project, tmp_path: Path, secret: Path, padded: bool,
                                    where: str) -> None:
    """Import, preview and the wide reader refuse; nothing shows the secret. A declaration in the
    prolog is refused by the archive check; one hidden behind a long comment reaches calamine,
    which does not expand entities."""
    path = entity_workbook(tmp_path / "xxe.xlsx", secret, padded, where)
    with pytest.raises(ImportRejected) as exc:
        import_file(project, path)
    text = str(exc.value)
    assert "TOP-SECRET" not in text and "xxe.xlsx" in text
    assert ("实体" in text) if not padded else ("无法读取" in text)
    result = preview(project, path)
    assert not result.clean and "TOP-SECRET" not in " ".join(map(str, result.issues))
    with pytest.raises(ImportRejected) as exc:
        readers.read_grid(path)
    assert "TOP-SECRET" not in str(exc.value)
    assert rows(project, "SELECT COUNT(*) FROM stock") == [(0,)]


def test_calamine_itself_does_not_expand_entities(tmp_path: Path, secret: Path) -> None:
    """Below our check: the Rust reader refuses an undefined (external or nested) entity."""
    path = entity_workbook(tmp_path / "x.xlsx", secret)
    with pytest.raises(Exception) as exc:  # noqa: B017, PT011 - calamine's own error type
        pd.read_excel(path, engine="calamine", header=None)
    assert "entity" in str(exc.value) and "TOP-SECRET" not in str(exc.value)
    laughs = replace_part(workbook_parts({"Sheet1": [STOCK_HEADER, *STOCK_ROWS]}), SHEET,
                          lambda x: with_doctype(x, LAUGHS).replace(b">0101<", b">&lol9;<", 1))
    path.write_bytes(zip_members(laughs))
    with pytest.raises(Exception) as exc:  # noqa: B017, PT011
        pd.read_excel(path, engine="calamine", header=None)
    assert "entity" in str(exc.value)


def test_hidden_row_scan_uses_defusedxml(tmp_path: Path, secret: Path) -> None:
    """readers.hidden_rows parses workbook.xml (to find the sheet's part): an entity there gives
    no rows, no exception and no file read."""
    path = entity_workbook(tmp_path / "x.xlsx", secret, where="xl/workbook.xml")
    assert readers.hidden_rows(path, "TOP-SECRET-7f3a") == []
    assert readers.hidden_rows(path, "Sheet1") == []
    laughs = replace_part(workbook_parts({"Sheet1": [STOCK_HEADER]}), "xl/workbook.xml",
                          lambda x: with_doctype(x, LAUGHS).replace(b'name="Sheet1"', b'name="&lol9;"'))
    path.write_bytes(zip_members(laughs))
    tracemalloc.start()
    try:
        assert readers.hidden_rows(path, "Sheet1") == []
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * MIB


def test_openpyxl_reads_through_defusedxml(tmp_path: Path, secret: Path) -> None:
    """Report templates are read by openpyxl: defusedxml is installed and used, so an entity
    hidden past our prolog check still raises instead of reading the file."""
    import openpyxl.xml
    from defusedxml import DefusedXmlException

    assert openpyxl.xml.DEFUSEDXML is True
    path = entity_workbook(tmp_path / "t.xlsx", secret, padded=True)
    with pytest.raises(Exception) as exc:  # noqa: B017, PT011 - openpyxl wraps the cause
        openpyxl.load_workbook(path)
    causes = [exc.value, exc.value.__cause__, exc.value.__context__]
    assert any(isinstance(c, DefusedXmlException) for c in causes)


@pytest.mark.parametrize("padded", [False, True], ids=["prolog", "behind-8KiB-comment"])
def test_template_with_entities_refused(tmp_path: Path, secret: Path, padded: bool) -> None:
    path = entity_workbook(tmp_path / "template.xlsx", secret, padded)
    with pytest.raises(UserError) as exc:
        fill_template(path, None)  # type: ignore[arg-type]
    assert "template.xlsx" in exc.value.message and "TOP-SECRET" not in str(exc.value)
    (issue,) = check_template(path, set(), {})
    assert "template.xlsx" in issue.message and "TOP-SECRET" not in issue.message


# --- disguised files -------------------------------------------------------------------------------

def test_folder_named_like_a_workbook(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "data.xlsx"
    folder.mkdir()
    with pytest.raises(ImportRejected) as exc:
        import_file(project, folder)
    assert "文件夹" in exc.value.message


def test_csv_renamed_xlsx_says_rename_it(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "stocks.xlsx", STOCK_HEADER, STOCK_ROWS)
    with pytest.raises(ImportRejected) as exc:
        import_file(project, path)
    assert ".csv" in exc.value.message and "stocks.xlsx" in exc.value.message
    renamed = path.rename(tmp_path / "stocks.csv")
    assert import_file(project, renamed).rows == 2


def test_oversize_template_and_workbook_refused_by_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safe_files, "MAX_FILE_BYTES", 1024)
    path = tmp_path / "big.xlsx"
    path.write_bytes(zip_members(workbook_parts({"Sheet1": [STOCK_HEADER, *STOCK_ROWS * 50]})))
    with pytest.raises(UserError) as exc:
        fill_template(path, None)  # type: ignore[arg-type]
    assert "太大" in exc.value.message
    with pytest.raises(ImportRejected):
        readers.read_table(path)


def test_a_real_workbook_passes_the_checks(tmp_path: Path) -> None:
    """What Excel-like writers produce (openpyxl here, with styles, theme and properties) passes."""
    path = tmp_path / "ok.xlsx"
    book = openpyxl.Workbook()
    for row in [STOCK_HEADER, *STOCK_ROWS]:
        book.active.append(row)
    book.save(path)
    assert safe_files.check_file(path) == "xlsx"
    safe_files.check_workbook(path)
    assert readers.read_table(path).frame["item"].tolist() == ["0101", "0102"]


def test_a_csv_starting_with_pk_is_read_as_text(project: Project, tmp_path: Path) -> None:
    """Only a zip signature (PK\\x03\\x04) makes a workbook: a CSV whose header starts "PK" is a CSV."""
    path = tmp_path / "pk.csv"
    path.write_text("PKID,name,region,area\n1,新设县（虚构）,990002,10\n", encoding="utf-8")
    assert readers.read_table(path).headers == ["PKID", "name", "region", "area"]
