"""Untrusted files: broken, disguised, empty, binary or oversized input is refused with a message
(never a traceback) and leaves the project untouched; sheets and spacer rows are handled."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from conftest import rejected, rows, write_csv, write_xlsx

from balancesheet import safe_files
from balancesheet.cli import main
from balancesheet.errors import ImportRejected
from balancesheet.importer import import_file, readers
from balancesheet.project import Project

R = "990001"  # the region of the `project` fixture
STOCK_H = ["region", "year", "resource", "item", "value", "unit"]


def places(exc: ImportRejected) -> set[tuple[str, str | None, int | None, str | None]]:
    return {(i.location.file, i.location.sheet, i.location.row, i.location.column) for i in exc.issues}


@pytest.fixture
def real_xlsx(tmp_path: Path) -> bytes:
    path = write_xlsx(tmp_path / "real.xlsx", {"Sheet1": [STOCK_H, *[[R, 2018, "land", "0101", i, "公顷"]
                                                                      for i in range(50)]]})
    return path.read_bytes()


# --- disguised and broken files ----------------------------------------------------------------

def test_text_renamed_xlsx(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "data.xlsx", STOCK_H, [[R, "2018", "land", "0101", "1", "公顷"]])
    exc = rejected(project, path)
    assert "data.xlsx" in exc.message and "Excel" in exc.message


def test_truncated_xlsx(project: Project, tmp_path: Path, real_xlsx: bytes) -> None:
    path = tmp_path / "half.xlsx"
    path.write_bytes(real_xlsx[: len(real_xlsx) // 2])
    assert path.read_bytes()[:2] == b"PK"
    exc = rejected(project, path)
    assert "half.xlsx" in exc.message


def test_xlsx_with_corrupt_member(project: Project, tmp_path: Path, real_xlsx: bytes) -> None:
    # A complete zip whose worksheet is garbage XML.
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(real_xlsx)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = b"<worksheet><sheetData><row><c r='A1' t='s'><v>99"
            dst.writestr(info.filename, data)
    path = tmp_path / "garbled.xlsx"
    path.write_bytes(out.getvalue())
    rejected(project, path)


def test_zip_that_is_not_a_workbook(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    exc = rejected(project, path)
    assert "Excel" in exc.message


@pytest.mark.parametrize("name", ["old.xls", "locked.xlsx", "old.csv"])
def test_legacy_ole_workbook_asks_for_xlsx(project: Project, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    exc = rejected(project, path)
    assert ".xlsx" in exc.message
    assert name in exc.message


@pytest.mark.parametrize("name", ["empty.csv", "empty.xlsx"])
def test_empty_file(project: Project, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    exc = rejected(project, path)
    assert name in exc.message


def test_blank_only_file(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text(" , ,\n,,\n", encoding="utf-8")
    exc = rejected(project, path)
    assert "空" in exc.message


def test_csv_with_nul_byte(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(b"region,year,resource,item,value,unit\n990001,2018,land,0101,1\x00,ha\n")
    exc = rejected(project, path)
    assert "nul.csv" in exc.message and "二进制" in exc.message


def test_utf16_text_is_refused(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "u16.csv", STOCK_H, [[R, "2018", "土地", "0101", "1", "公顷"]], encoding="utf-16")
    rejected(project, path)


def test_undecodable_bytes(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes(b"region,name\n" + b"\xff\xfe\xff\x80" * 64 + b"\n")
    exc = rejected(project, path)
    assert "编码" in exc.message


def test_missing_file(project: Project, tmp_path: Path) -> None:
    exc = rejected(project, tmp_path / "nowhere.csv")
    assert "nowhere.csv" in exc.message


def test_zip_bomb_refused_before_parsing(project: Project, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safe_files, "MAX_UNZIPPED_BYTES", 1024 * 1024)

    def must_not_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the workbook was parsed before its size was checked")

    monkeypatch.setattr(readers.pd, "read_excel", must_not_parse)
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", bytes(5 * 1024 * 1024))
    assert path.stat().st_size < 64 * 1024  # small on disk, 5 MB unzipped
    exc = rejected(project, path)
    assert "压缩炸弹" in exc.message or "zip bomb" in exc.message_en
    assert "bomb.xlsx" in exc.message


def test_zip_bomb_via_cli_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(safe_files, "MAX_UNZIPPED_BYTES", 1024 * 1024)
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", bytes(3 * 1024 * 1024))
    assert main(["import", str(tmp_path / "b.db"), str(path)]) == 2
    assert "bomb.xlsx" in capsys.readouterr().err


def test_empty_file_via_cli_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nothing.csv"
    path.write_bytes(b"")
    assert main(["import", str(tmp_path / "e.db"), str(path)]) == 2
    assert "nothing.csv" in capsys.readouterr().err


# --- sheets --------------------------------------------------------------------------------------

def test_named_sheet_is_imported_and_missing_sheet_lists_sheets(project: Project, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", {
        "说明": [["本工作簿为青岚县（虚构）存量数据"], ["单位：公顷"]],
        "数据": [STOCK_H, [R, 2018, "land", "0101", 12.5, "公顷"], [R, 2018, "land", "0102", 3, "公顷"]],
        "草稿": [STOCK_H, [R, 2018, "land", "0101", 999, "公顷"]],
    })
    exc = rejected(project, path, sheet="汇总")
    assert "汇总" in exc.message
    assert all(name in exc.message for name in ("说明", "数据", "草稿"))
    result = import_file(project, path, sheet="数据")
    assert result.kind == "stocks" and result.rows == 2
    assert rows(project, "SELECT item, value FROM stock ORDER BY item") == [("0101", 12.5), ("0102", 3.0)]


def test_errors_in_a_sheet_name_the_sheet(project: Project, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", {
        "说明": [["说明文字"]],
        "数据": [STOCK_H, [R, 2018, "land", "0101", 1, "公顷"], [R, 2018, "land", "0102", "x", "公顷"]],
    })
    exc = rejected(project, path, sheet="数据")
    assert places(exc) == {("book.xlsx", "数据", 3, "value")}
    assert "工作表「数据」" in str(exc)


# --- spacer rows and row numbers ---------------------------------------------------------------

def test_blank_spacer_rows_keep_real_row_numbers(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "spaced.csv"
    path.write_text(
        "region,year,resource,item,value,unit\n"   # 1
        "990001,2018,land,0101,1,公顷\n"           # 2
        "\n"                                        # 3
        ",,,,,\n"                                   # 4
        "990001,2018,land,0102,x,公顷\n"           # 5 bad value
        " , , , , , \n"                             # 6
        "990001,2018,land,0199,1,公顷\n"           # 7 bad item
        "990001,2018,land,0103,2,公顷\n",          # 8
        encoding="utf-8")
    exc = rejected(project, path)
    assert places(exc) == {("spaced.csv", None, 5, "value"), ("spaced.csv", None, 7, "item")}


def test_blank_spacer_rows_are_ignored_on_import(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "spaced_ok.csv"
    path.write_text("region,year,resource,item,value,unit\n\n990001,2018,land,0101,1,公顷\n,,,,,\n\n"
                    "990001,2018,land,0102,2,公顷\n\n", encoding="utf-8")
    result = import_file(project, path)
    assert result.rows == 2
    assert rows(project, "SELECT item, value FROM stock ORDER BY item") == [("0101", 1.0), ("0102", 2.0)]


def test_leading_blank_line_before_header(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "lead.csv"
    path.write_text("\nregion,year,resource,item,value,unit\n"   # header on row 2
                    "990001,2018,land,0101,1,公顷\n"             # 3
                    "990001,2018,land,0102,bad,公顷\n",          # 4
                    encoding="utf-8")
    exc = rejected(project, path)
    assert places(exc) == {("lead.csv", None, 4, "value")}


def test_xlsx_spacer_rows_keep_real_row_numbers(project: Project, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "spaced.xlsx", {"数据": [
        [],                                                   # 1 blank
        STOCK_H,                                              # 2 header
        [R, 2018, "land", "0101", 1, "公顷"],                 # 3
        [],                                                   # 4
        [None, None, None, None, None, None],                 # 5
        [R, 2018, "land", "0102", -4, "公顷"],                # 6 negative
        [R, 2099, "land", "0103", 1, "公顷"],                 # 7 bad year
    ]})
    exc = rejected(project, path)
    assert places(exc) == {("spaced.xlsx", "数据", 6, "value"), ("spaced.xlsx", "数据", 7, "year")}
