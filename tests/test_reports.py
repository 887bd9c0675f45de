"""The balance-sheet report end to end: same numbers in workbook, PDF and `table`; templates
the user edits; second-client (LibreOffice) reading; fonts embedded; template-check."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLE_REGION, external_tool

from balancesheet.cli import main
from balancesheet.project import Project
from balancesheet.reports.render import balance_sheet_report
from balancesheet.resources import data_dir

YEAR = 2025
NUMBER = re.compile(r"-?\d{1,3}(?:,\d{3})*\.\d{2}")


@pytest.fixture(scope="module")
def report(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("report")
    project = Project.open(sample_db)
    try:
        result = balance_sheet_report(project, SAMPLE_REGION, YEAR, out / "r.xlsx", out / "r.pdf")
    finally:
        project.close()
    return result.xlsx, result.pdf  # type: ignore[return-value]


def _formatted(value: float, number_format: str) -> str:
    decimals = len(number_format.split(".")[1].rstrip("_);")) if "." in number_format else 0
    return f"{value:,.{decimals}f}" if "," in number_format else f"{value:.{decimals}f}"


def workbook_numbers(path: Path) -> Counter[str]:
    """Every numeric cell of the workbook as its number format shows it."""
    wb = openpyxl.load_workbook(path)
    found: Counter[str] = Counter()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool) and "#,##0.00" in cell.number_format:
                    found[_formatted(float(cell.value), cell.number_format)] += 1
    return found


def test_every_number_of_the_workbook_tables_is_in_the_pdf(report: tuple[Path, Path]) -> None:
    xlsx, pdf = report
    text = subprocess.run([external_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    in_pdf = Counter(NUMBER.findall(text))
    in_workbook = workbook_numbers(xlsx)
    assert sum(in_workbook.values()) > 1000  # the tables are really there
    missing = in_workbook - in_pdf
    assert not missing, f"numbers in the workbook but not in the PDF: {list(missing.items())[:10]}"


def test_workbook_numbers_equal_the_table_command(report: tuple[Path, Path], sample_db: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    xlsx, _ = report
    wb = openpyxl.load_workbook(xlsx)
    for resource, sheet in (("land", "土地"), ("forest", "森林"), ("water", "水资源"), ("wetland", "湿地")):
        assert main(["table", str(sample_db), "--region", SAMPLE_REGION, "--year", str(YEAR),
                     "--resource", resource, "--json"]) == 0
        rows = {r["item"]: r for r in json.loads(capsys.readouterr().out)["rows"]}
        ws = wb[sheet]
        header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "代码")
        checked = 0
        for r in range(header_row + 2, ws.max_row + 1):
            code = ws.cell(r, 1).value
            if code not in rows:
                continue
            for col, key in ((4, "opening"), (8, "additions"), (12, "reductions"), (14, "observed_closing")):
                expected, actual = rows[code][key], ws.cell(r, col).value
                if expected is None:
                    assert actual in (None, ""), (sheet, code, key)
                else:
                    assert actual == pytest.approx(expected, abs=1e-6), (sheet, code, key)
                    checked += 1
        assert checked > 20, sheet


def test_pdf_fonts_are_all_embedded_and_chinese_extracts(report: tuple[Path, Path]) -> None:
    _, pdf = report
    fonts = subprocess.run([external_tool("pdffonts"), str(pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts, "no fonts listed"
    for line in fonts:
        assert line.split()[-5] == "yes", line  # the 'emb' column
    text = subprocess.run([external_tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for heading in ("自然资源资产负债总表", "土地资源存量及变动表", "土地利用转移矩阵", "耕地保有量", "第 1 页 共"):
        assert heading in text


def test_libreoffice_opens_the_workbook(report: tuple[Path, Path], tmp_path: Path) -> None:
    xlsx, _ = report
    soffice = external_tool("soffice", "libreoffice")
    profile = (tmp_path / "lo").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(xlsx)], check=True, capture_output=True, timeout=240)
    converted = tmp_path / "r.pdf"
    assert converted.is_file() and converted.stat().st_size > 20_000
    text = subprocess.run([external_tool("pdftotext"), str(converted), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "土地资源存量及变动表" in text and "238,645.00" in text


def test_user_template_dir_overrides_and_edits_are_kept(sample_db: Path, tmp_path: Path) -> None:
    own = tmp_path / "my_templates"
    own.mkdir()
    wb = openpyxl.load_workbook(data_dir("templates") / "balance_sheet.xlsx")
    ws = wb["土地"]
    ws["A1"] = "{{region_name}}土地台账（本县格式）{{year}}"
    ws["A1"].font = openpyxl.styles.Font(name="黑体", size=18, bold=True, color="C00000")
    wb.save(own / "balance_sheet.xlsx")
    out = tmp_path / "out.xlsx"
    assert main(["sheet", str(sample_db), "--region", SAMPLE_REGION, "--year", str(YEAR), "-o", str(out),
                 "--pdf", str(tmp_path / "out.pdf"), "--template-dir", str(own)]) == 0
    filled = openpyxl.load_workbook(out)["土地"]["A1"]
    assert filled.value == "青岚县（虚构）土地台账（本县格式）2025"
    assert (filled.font.name, filled.font.size, filled.font.color.rgb) == ("黑体", 18, "00C00000")
    text = subprocess.run([external_tool("pdftotext"), str(tmp_path / "out.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "土地台账（本县格式）2025" in text  # the PDF follows the edited template


def test_report_for_a_region_without_data(project: Project, tmp_path: Path) -> None:
    result = balance_sheet_report(project, "990001", 2025, tmp_path / "e.xlsx", tmp_path / "e.pdf")
    assert result.pages and result.pages >= 1
    wb = openpyxl.load_workbook(tmp_path / "e.xlsx")
    placeholders = [c.coordinate for ws in wb.worksheets for row in ws.iter_rows() for c in row
                    if isinstance(c.value, str) and "{{" in c.value]
    assert placeholders == []


def test_template_check_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.xlsx"
    shutil.copy(data_dir("templates") / "balance_sheet.xlsx", good)
    assert main(["template-check", str(good)]) == 0
    wb = openpyxl.load_workbook(good)
    wb["土地"]["P2"] = "{{yaer}}"
    del wb["指标"]
    wb.save(tmp_path / "bad.xlsx")
    capsys.readouterr()
    assert main(["template-check", str(tmp_path / "bad.xlsx")]) == 1
    out = capsys.readouterr().out
    assert "yaer" in out and "year" in out and "'土地'!P2" in out
    assert "指标" in out


def test_sheet_cli_refuses_bad_output_and_date(sample_db: Path, tmp_path: Path) -> None:
    base = ["sheet", str(sample_db), "--region", SAMPLE_REGION, "--year", str(YEAR)]
    assert main([*base, "-o", str(tmp_path / "x.pdf")]) == 2
    assert main([*base, "-o", str(tmp_path / "x.xlsx"), "--date", "15/01/2026"]) == 2
    assert not (tmp_path / "x.xlsx").exists()


def test_sheet_refuses_a_user_template_with_errors(sample_db: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    own = tmp_path / "t"
    own.mkdir()
    wb = openpyxl.load_workbook(data_dir("templates") / "balance_sheet.xlsx")
    wb["森林"]["P3"] = "{{forest.nmae}}"
    wb.save(own / "balance_sheet.xlsx")
    out = tmp_path / "o.xlsx"
    assert main(["sheet", str(sample_db), "--region", SAMPLE_REGION, "--year", str(YEAR), "-o", str(out),
                 "--template-dir", str(own)]) == 2
    err = capsys.readouterr().err
    assert "nmae" in err and "'森林'!P3" in err
    assert not out.exists()
