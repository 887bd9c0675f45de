"""Formula injection is impossible in what the tool writes, and report placeholders never run code.

The rule (balancesheet/safe_text.py): a text starting with = + - @ tab CR or ＝＋－＠ is protected
unless it is a plain number; workbooks get string cells (never formulas), CSV and clipboard text a
leading apostrophe that the importer takes off again. Checked on every path that writes user text:
the tidy export (CSV, XLSX), report workbooks (filler), the CSV of the commands, and by a second
real client (LibreOffice), which does evaluate an unprotected CSV cell as a formula.
"""

from __future__ import annotations

import csv
import io
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import external_tool, rows, write_csv
from hypothesis import given, settings
from hypothesis import strategies as st

from balancesheet.cli import main
from balancesheet.cli.output import to_csv
from balancesheet.exporter import export_tidy
from balancesheet.importer import import_file
from balancesheet.importer.readers import ZERO_WIDTH, read_table
from balancesheet.project import Project
from balancesheet.reports.data import ReportData, TableData
from balancesheet.reports.filler import fill_template
from balancesheet.safe_text import (
    guard,
    guard_series,
    needs_guard,
    to_tsv,
    unguard,
    unguard_series,
    write_text_cell,
)

PROPERTY = settings(max_examples=300, derandomize=True, database=None, deadline=None)

DANGEROUS = ["=1+1", "=cmd|' /C calc'!A0", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "＝1+1", "＋1", "－1",
             "＠SUM(A1)", "-ADJ", "-", "+", "=", "-1,23", "--1", "-1e", "-.", "=HYPERLINK(\"http://x\",\"点\")"]
SAFE = ["", "abc", "土地", "0101", "990001", "-12.5", "+3", "-0", "1e-3", "-1,234.50", ".5", "-.5", "1E+10",
        " =1", "'=1", "'", ">=", "<=", "1-2", "a=b", "x"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_dangerous_texts(text: str) -> None:
    assert needs_guard(text)
    assert guard(text) == "'" + text
    assert unguard(guard(text)) == text


@pytest.mark.parametrize("text", SAFE)
def test_numbers_and_plain_texts_untouched(text: str) -> None:
    assert not needs_guard(text)
    if not text.startswith("'"):
        assert guard(text) == text


def test_apostrophes_before_a_dangerous_text_stay_exact() -> None:
    assert guard("'=1") == "''=1" and unguard("''=1") == "'=1"
    assert guard("'-12.5") == "'-12.5" and unguard("'-12.5") == "'-12.5"  # a number: no quote added
    assert unguard("'abc") == "'abc"


@PROPERTY
@given(st.lists(st.text(max_size=12) | st.sampled_from(DANGEROUS + SAFE), max_size=12))
def test_guard_is_invertible_and_vectorised_alike(texts: list[str]) -> None:
    guarded = [guard(t) for t in texts]
    assert [unguard(g) for g in guarded] == texts
    assert not any(needs_guard(g) for g in guarded)
    series = pd.Series(texts, dtype=object)
    assert guard_series(series).tolist() == guarded
    assert unguard_series(pd.Series(guarded, dtype="str")).tolist() == texts


def test_guard_series_leaves_numbers_and_missing_values() -> None:
    series = pd.Series(["=1", -12.5, None, 3, "-ADJ"], dtype=object)
    assert guard_series(series).tolist() == ["'=1", -12.5, None, 3, "'-ADJ"]


# --- round trips through the real readers ------------------------------------------------------

def _importable(text: str) -> bool:
    """Texts the reader keeps as they are (it trims spaces and zero-width characters, and a NUL
    marks a binary file)."""
    return "\0" not in text and text.strip().strip(ZERO_WIDTH).strip() == text and text != ""


cell_texts = st.lists(st.one_of(st.sampled_from(DANGEROUS + SAFE), st.text(min_size=1, max_size=15)).filter(
    _importable), min_size=1, max_size=8)


@settings(max_examples=60, derandomize=True, database=None, deadline=None)
@given(cell_texts)
def test_csv_round_trip(tmp_path_factory: pytest.TempPathFactory, texts: list[str]) -> None:
    """What the CLI's CSV writer protects, the importer's reader gives back exactly."""
    path = tmp_path_factory.mktemp("rt") / "names.csv"
    path.write_text(to_csv(["region", "name"], [[f"{i:06d}", t] for i, t in enumerate(texts)]), encoding="utf-8-sig")
    assert read_table(path).frame["name"].tolist() == texts


@settings(max_examples=40, derandomize=True, database=None, deadline=None)
@given(cell_texts.filter(lambda ts: not any(c in t for t in ts for c in "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")))
def test_xlsx_round_trip(tmp_path_factory: pytest.TempPathFactory, texts: list[str]) -> None:
    """String cells written by write_text_cell come back unchanged (calamine), never as formulas."""
    texts = [t for t in texts if not any(0 < ord(c) < 32 and c not in "\t\n" for c in t)] or ["x"]
    path = tmp_path_factory.mktemp("rt") / "names.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["region", "name"])
    for i, text in enumerate(texts, start=2):
        sheet.cell(i, 1, f"{i:06d}")
        write_text_cell(sheet.cell(i, 2), text)
    book.save(path)
    assert read_table(path).frame["name"].tolist() == texts
    cells = [c for (c,) in openpyxl.load_workbook(path).active.iter_rows(min_row=2, min_col=2, max_col=2)]
    assert all(c.data_type == "s" for c in cells)
    assert [bool(c.quotePrefix) for c in cells] == [needs_guard(t) for t in texts]


# --- the tidy export ---------------------------------------------------------------------------

EXTENSION = """\
resource = "land"
extends = true

[[item]]
code = "-12L1"
name = "=HYPERLINK(\\"http://evil.example\\",\\"点击\\")"
parent = "12"

[[cause]]
code = "-LOC"
name = "@SUM(1+1)*cmd|' /C calc'!A0"
factor = "人为"
direction = "transfer"
"""


def county(folder: Path, name: str) -> Project:
    """A project whose county extension has codes and names a spreadsheet would run."""
    extension = folder / "local.toml"
    extension.write_text(EXTENSION, encoding="utf-8")
    project = Project.open(folder / name, create=True)
    project.add_extension(extension)
    import_file(project, write_csv(folder / "r.csv", ["region", "name", "area"], [["990001", "=1+1县", "100"]]))
    return project


@pytest.fixture
def evil_county(tmp_path: Path) -> Project:
    project = county(tmp_path, "evil.db")
    import_file(project, write_csv(tmp_path / "s.csv", ["region", "year", "resource", "item", "value"],
                                   [["990001", 2020, "land", "1201", "100"], ["990001", 2020, "land", "-12L1", "5"]]))
    import_file(project, write_csv(tmp_path / "c.csv", ["region", "year", "from", "to", "area", "cause"],
                                   [["990001", 2021, "1201", "-12L1", "2.5", "-LOC"]]))
    yield project
    project.close()


def data_rows(project: Project) -> list[list[tuple]]:
    return [rows(project, "SELECT region_code, year, resource, item, value FROM stock ORDER BY item"),
            rows(project, "SELECT region_code, year, resource, from_item, to_item, cause, value FROM flow ORDER BY id")]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_protects_codes_and_imports_back(evil_county: Project, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for kind in ("stocks", "land_changes"):
        export_tidy(evil_county, kind, out / f"{kind}{suffix}")
    if suffix == ".csv":
        text = (out / "land_changes.csv").read_text(encoding="utf-8-sig")
        assert "990001,2021,1201,'-12L1,2.5,'-LOC,公顷" in text
        assert "'2.5" not in text and "'990001" not in text
    else:
        with zipfile.ZipFile(out / "land_changes.xlsx") as archive:
            xml = archive.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in xml and "-LOC" in xml
        sheet = openpyxl.load_workbook(out / "land_changes.xlsx").active
        to, cause, area = sheet["D2"], sheet["F2"], sheet["E2"]
        assert (to.value, to.data_type, to.quotePrefix) == ("-12L1", "s", True)
        assert (cause.value, cause.data_type, cause.quotePrefix) == ("-LOC", "s", True)
        assert (area.value, area.data_type) == (2.5, "n")
    again = county(tmp_path, "again.db")
    try:
        for kind in ("stocks", "land_changes"):
            import_file(again, out / f"{kind}{suffix}")
        assert data_rows(again) == data_rows(evil_county)
    finally:
        again.close()


def test_cli_csv_protects_names_not_numbers(evil_county: Project, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(evil_county.store.engine.url.database)
    assert main(["table", db, "--region", "990001", "--year", "2021", "--resource", "land", "--csv"]) == 0
    lines = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    header, body = lines[0], {r[0]: r for r in lines[1:]}
    row = dict(zip(header, body["'-12L1"], strict=True))
    assert row["name"] == "'=HYPERLINK(\"http://evil.example\",\"点击\")"
    assert row["additions"] == "2.5" and row["closing"] == "7.5"
    assert not any(needs_guard(cell) for line in lines for cell in line)


def test_cli_csv_keeps_negative_numbers() -> None:
    text = to_csv(["item", "discrepancy", "note"], [["0101", -12.5, "-12.5"], ["0102", "-3", "=1"]])
    assert text.splitlines()[1:] == ["0101,-12.5,-12.5", "0102,-3,'=1"]


def test_libreoffice_runs_no_formula_from_our_files(evil_county: Project, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """A second client: LibreOffice evaluates an unprotected CSV cell (the control file), but no
    cell of the CLI's CSV or of the XLSX export becomes a formula."""
    soffice = external_tool("soffice", "libreoffice")
    db = str(evil_county.store.engine.url.database)
    main(["table", db, "--region", "990001", "--year", "2021", "--resource", "land", "--csv"])
    ours = tmp_path / "ours.csv"
    ours.write_text(capsys.readouterr().out, encoding="utf-8")
    control = tmp_path / "control.csv"
    control.write_text("item,name\n-12L1,=1+1\n", encoding="utf-8")
    export_tidy(evil_county, "land_changes", tmp_path / "export.xlsx")
    out = tmp_path / "lo"
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(out), str(ours), str(control)], check=True, capture_output=True, timeout=180)
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(out), str(tmp_path / "export.xlsx")],
                   check=True, capture_output=True, timeout=180)

    def formulas(path: Path) -> list[str]:
        sheet = openpyxl.load_workbook(path).active
        return [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]

    assert formulas(out / "control.xlsx") == ["B2"]  # LibreOffice does run a bare =1+1
    assert formulas(out / "ours.xlsx") == []
    shown = list(csv.reader((out / "export.csv").open(encoding="utf-8")))
    assert shown[1][3] == "-12L1" and shown[1][5] == "-LOC"  # text, not #NAME? or a number


# --- report workbooks and placeholders --------------------------------------------------------------

MALICIOUS = {
    "A1": "{{x.__class__}}", "A2": "{{ title.__class__ }}", "A3": "{0.__class__.__mro__}", "A4": "{{__import__('os').system('touch PWNED')}}",
    "A5": "${{7*7}}", "A6": "{{title|attr('__class__')}}", "A7": "%(title)s", "A8": "{{title}}{{title.__globals__}}",
    "A9": "{{rows.__class__.__init__.__globals__}}", "A10": "{title}", "A11": "{{title}}",
    "A20": "{{ rows.name }}",  # a table row: repeated once per data row (nothing below it)
}


def test_placeholders_are_looked_up_never_evaluated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    template = tmp_path / "evil.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    for ref, text in MALICIOUS.items():
        sheet[ref] = text
    sheet.oddFooter.center.text = "{{title.__class__}} {{title}}"
    book.save(template)
    data = ReportData({"title": "=1+1"}, {"rows": TableData(["name"], [{"name": "＝SUM(A1)"}, {"name": "\t=2"}])})
    filled = fill_template(template, data)
    sheet = filled.active
    for ref in ("A1", "A2", "A3", "A4", "A5", "A6", "A7", "A9", "A10"):
        assert sheet[ref].value == MALICIOUS[ref], ref  # left as written: nothing looked up or run
    assert sheet["A8"].value == "=1+1{{title.__globals__}}"
    assert (sheet["A11"].value, sheet["A11"].data_type, sheet["A11"].quotePrefix) == ("=1+1", "s", True)
    assert [(c.value, c.data_type, c.quotePrefix) for c in (sheet["A20"], sheet["A21"])] == [
        ("＝SUM(A1)", "s", True), ("\t=2", "s", True)]
    assert sheet.oddFooter.center.text == "{{title.__class__}} =1+1"
    assert not (tmp_path / "PWNED").exists()
    out = tmp_path / "filled.xlsx"
    filled.save(out)
    with zipfile.ZipFile(out) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_tsv_for_the_clipboard() -> None:
    text = to_tsv([["代码", "名称", "面积"], ["0101", "=cmd|' /C calc'!A0", "-12.50"], ["0102", "a\tb", "3"]])
    assert text == "代码\t名称\t面积\n0101\t'=cmd|' /C calc'!A0\t-12.50\n0102\t\"a\tb\"\t3\n"
    parsed = list(csv.reader(io.StringIO(text), delimiter="\t"))
    assert [[unguard(c) for c in row] for row in parsed][1][1] == "=cmd|' /C calc'!A0"
