"""PDF rendering of filled workbooks: embedded fonts, layout the workbook dictates, charts."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import warnings
import zlib
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.pagebreak import Break

from balancesheet.reports.data import ChartSpec
from balancesheet.reports.fonts import (
    MISSING_MARK,
    FontWarning,
    bundled_font_path,
    register_fonts,
)
from balancesheet.reports.pdf import PdfInfo, format_value, render_pdf

THIN = Side(style="thin")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HAS_POPPLER = shutil.which("pdftotext") is not None and shutil.which("pdffonts") is not None
needs_poppler = pytest.mark.skipif(not HAS_POPPLER, reason="poppler-utils (pdftotext) missing")


# --- helpers ----------------------------------------------------------------------------------

def pdftext(path: Path, first: int | None = None, last: int | None = None,
            layout: bool = False) -> str:
    cmd = ["pdftotext", "-enc", "UTF-8"]
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    if layout:
        cmd.append("-layout")
    return subprocess.run([*cmd, str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def squash(text: str) -> str:
    """Text without any whitespace (pdftotext spacing between CJK glyphs varies)."""
    return re.sub(r"\s+", "", text)


def pdf_objects(path: Path) -> dict[int, bytes]:
    data = path.read_bytes()
    return {int(m.group(1)): m.group(2)
            for m in re.finditer(rb"(\d+) 0 obj\s*(.*?)endobj", data, re.S)}


def font_embedding(path: Path) -> dict[str, bool]:
    """Pure-Python check: each /Type /Font → has its descriptor a /FontFile2 (TrueType) stream?"""
    objs = pdf_objects(path)
    result = {}
    for body in objs.values():
        head = body.split(b"stream", 1)[0]
        if not re.search(rb"/Type /Font[\s/>]", head) or b"/Subtype /Type0" in head:
            continue
        name = re.search(rb"/BaseFont /([^\s/>]+)", head)
        desc = re.search(rb"/FontDescriptor (\d+) 0 R", head)
        embedded = bool(desc and re.search(rb"/FontFile[23]? ", objs.get(int(desc.group(1)), b"")))
        result[name.group(1).decode() if name else "?"] = embedded
    return result


def page_sizes(path: Path) -> list[tuple[float, float]]:
    """(width, height) of each page in order, from /Pages /Kids and each page's /MediaBox."""
    objs = pdf_objects(path)
    root = next(b for b in objs.values() if b"/Type /Pages" in b and b"/Kids" in b)
    kids = [int(k) for k in re.findall(rb"(\d+) 0 R", root.split(b"/Kids", 1)[1].split(b"]")[0])]
    sizes = []
    for k in kids:
        num = rb"([\d.\-]+)"
        box = re.search(rb"/MediaBox \[\s*" + rb" ".join([num] * 4) + rb"\s*\]", objs[k])
        assert box, objs[k][:200]
        x0, y0, x1, y1 = (float(v) for v in box.groups())
        sizes.append((x1 - x0, y1 - y0))
    return sizes


def content_streams(path: Path) -> bytes:
    data = path.read_bytes()
    out = []
    for m in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", m.end())
        raw = data[m.end():end]
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
    return b"\n".join(out)


def table_sheet(ws, headers: list[str], rows: list[list[object]], *, title: str | None = None,
                widths: list[float] | None = None, fmt: str = "#,##0.00") -> None:
    """A title row (merged over the table), a bordered header row and bordered data rows."""
    start = 1
    if title:
        ws.cell(1, 1, title).font = Font(bold=True, size=16)
        ws.cell(1, 1).alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        start = 2
    for j, h in enumerate(headers, 1):
        c = ws.cell(start, j, h)
        c.font = Font(bold=True)
        c.border = GRID
        c.alignment = Alignment(horizontal="center")
    for i, row in enumerate(rows, start + 1):
        for j, v in enumerate(row, 1):
            c = ws.cell(i, j, v)
            c.border = GRID
            if isinstance(v, float):
                c.number_format = fmt
    for j, w in enumerate(widths or [], 1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(j)].width = w
    ws.print_title_rows = f"{start}:{start}"


@pytest.fixture
def simple_wb() -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "土地"
    table_sheet(ws, ["编码", "项目", "期初数", "期末数", "变化率"],
                [["01", "耕地", 56577.455, 56000.0, 0.1234],
                 ["02", "园地", 1234.5, 1300.25, -0.05]],
                title="示范县土地资源存量及变动表", widths=[8, 16, 14, 14, 10])
    ws["E3"].number_format = "0.0%"
    ws["E4"].number_format = "0.0%"
    return wb


# --- fonts ------------------------------------------------------------------------------------

def test_bundled_font_is_truetype_with_digits_and_cjk() -> None:
    from reportlab.pdfbase.ttfonts import TTFontFile

    path = bundled_font_path()
    assert path.is_file() and path.suffix == ".ttc"
    assert (path.parent / "LICENSE-wqy-microhei.txt").is_file()
    face = TTFontFile(str(path), subfontIndex=0)
    assert "glyf" in face.table  # TrueType outlines: reportlab can embed them
    for ch in "0123456789,.%-土地资源存量及变动表第页共合计：（）":
        assert face.charToGlyph.get(ord(ch)), ch


def test_register_fonts_is_idempotent_and_reports_coverage() -> None:
    fs = register_fonts()
    assert register_fonts() is fs
    assert fs.regular and fs.bold
    assert fs.missing_glyphs("土地资源2025年1,234.56") == set()
    assert fs.missing_glyphs("䶮") == {"䶮"}  # Extension A: not in Micro Hei (nor SimSun)
    assert fs.missing_glyphs("𠀀") == {"𠀀"}  # Extension B


def test_excel_font_names_pick_system_faces_when_present() -> None:
    from balancesheet.reports.fonts import FontSet, _Source

    fs = register_fonts()
    # pretend the system has a 黑体 face (the bundled collection's second face stands in)
    with_hei = FontSet(regular=fs.regular, bold=fs.bold,
                       _styles={"hei": [_Source(bundled_font_path(), 1)]})
    hei = with_hei.font_for("黑体")
    assert hei != fs.regular and with_hei.paths[hei].endswith("#1")
    assert with_hei.font_for("宋体") == fs.regular  # no 宋体 face: the regular font
    assert with_hei.font_for("黑体", bold=True) == fs.bold
    assert fs.font_for("仿宋_GB2312") == fs.regular  # nothing found: regular


def test_font_can_be_forced_by_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from balancesheet.reports import fonts

    monkeypatch.setattr(fonts, "_cache", {})
    monkeypatch.setenv("BALANCESHEET_PDF_FONT", f"{bundled_font_path()}#1")
    fs = fonts.register_fonts()
    assert fs.paths[fs.regular].endswith("wqy-microhei.ttc#1")


def test_glyphs_without_outlines_count_as_missing() -> None:
    from balancesheet.reports.fonts import FontSet

    fs = register_fonts()
    # Micro Hei maps ℃ and Ⅴ to empty glyphs: they must not print as nothing
    if fs.paths[fs.regular].startswith(str(bundled_font_path())):
        assert fs.missing_glyphs("25℃ Ⅴ类") == {"℃", "Ⅴ"}
    alone = FontSet(regular=fs.regular, bold=fs.bold, _fallbacks=[])  # no fallback fonts
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FontWarning)
        markup, unresolved = alone.markup("劣Ⅴ类 25℃ 䶮村", fs.regular)
        label, _ = alone.printable("25℃ 䶮", fs.regular)
    if "℃" in alone.missing_glyphs("℃"):
        assert "°C" in markup and "°C" in label  # compatibility equivalent, no warning
    assert unresolved == {"䶮"} and f"{MISSING_MARK}村" in markup
    assert any("U+4DAE" in w for w in alone.warnings)


def test_every_font_is_embedded(tmp_path: Path, simple_wb: openpyxl.Workbook) -> None:
    out = tmp_path / "r.pdf"
    chart = ChartSpec("耕地面积", ["耕地", "园地"], {"期初": [1.0, 2.0]}, "公顷", "土地")
    render_pdf(simple_wb, out, [chart])
    fonts = font_embedding(out)
    assert fonts, "no fonts found in the PDF"
    assert all(fonts.values()), fonts  # pure-Python check (works without poppler)
    if shutil.which("pdffonts"):
        lines = subprocess.run(["pdffonts", str(out)], check=True, capture_output=True,
                               text=True).stdout.splitlines()[2:]
        assert lines
        for line in lines:
            # columns: name type encoding emb sub uni object ID (name/type may contain spaces)
            flags = line.split()[-5:-2]
            assert flags[0] == "yes", line


# --- text, formats, layout --------------------------------------------------------------------

@needs_poppler
def test_text_headings_and_number_formats(tmp_path: Path, simple_wb: openpyxl.Workbook) -> None:
    out = tmp_path / "r.pdf"
    info = render_pdf(simple_wb, out, title="示范县")
    assert isinstance(info, PdfInfo) and info.pages == 1
    text = squash(pdftext(out))
    for expected in ("示范县土地资源存量及变动表", "编码", "项目", "期初数", "耕地", "园地",
                     "56,577.46", "56,000.00", "1,234.50", "1,300.25", "12.3%", "-5.0%"):
        assert expected in text, expected


@pytest.mark.parametrize(("value", "fmt", "shown"), [
    (56577.455, "#,##0.00", "56,577.46"),
    (1234.567, "0.00", "1234.57"),
    (1.005, "0.00", "1.01"),  # Excel rounds the 15-digit decimal half away from zero
    (12.5, "0", "13"),
    (1234567, "#,##0", "1,234,567"),
    (0.1234, "0.0%", "12.3%"),
    (0.1 + 0.2, "General", "0.3"),
    (2025, "General", "2025"),
    (-1234.5, "#,##0.00", "-1,234.50"),
    (-5, "#,##0.00_);(#,##0.00)", "(5.00)"),
    (0, '#,##0.00;-#,##0.00;"-"', "-"),
    (1234567, "#,##0,", "1,235"),
    (3, '0"公顷"', "3公顷"),
    (1234.5, "[$¥-804]#,##0.00", "¥1,234.50"),
    ("文本", "@", "文本"),
    (None, "0.00", ""),
    (True, "General", "TRUE"),
])
def test_format_value(value: object, fmt: str, shown: str) -> None:
    assert format_value(value, fmt)[0] == shown


def test_format_value_dates_and_colours() -> None:
    from datetime import date

    assert format_value(date(2026, 11, 23), 'yyyy"年"m"月"d"日"')[0] == "2026年11月23日"
    assert format_value(date(2026, 1, 2), "General")[0] == "2026-01-02"
    assert format_value(-5, "#,##0.00;[Red]-#,##0.00") == ("-5.00", "FF0000")


@needs_poppler
def test_long_table_repeats_header_rows_and_title_only_first(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "森林"
    table_sheet(ws, ["编码", "林种名称", "蓄积量"],
                [[f"{i:03d}", f"林种{i}", float(i * 100)] for i in range(1, 151)],
                title="森林资源存量表（大标题）", widths=[8, 20, 14])
    ws.print_title_rows = "2:2"
    out = tmp_path / "r.pdf"
    info = render_pdf(wb, out)
    assert info.pages >= 3
    first, second, last = (squash(pdftext(out, p, p)) for p in (1, 2, info.pages))
    assert "森林资源存量表（大标题）" in first and "林种名称" in first and "林种1" in first
    assert "林种名称" in second and "蓄积量" in second  # header repeated on page 2
    assert "森林资源存量表（大标题）" not in second  # the rows above the titles are not repeated
    assert "林种名称" in last and "林种150" in last and "15,000.00" in last


@needs_poppler
def test_manual_row_break_starts_a_new_page_with_the_header(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    table_sheet(ws, ["项目", "数值"], [[f"项{i}", float(i)] for i in range(1, 11)])
    ws.row_breaks.append(Break(id=4))  # after sheet row 4 (data rows 1-3)
    out = tmp_path / "r.pdf"
    info = render_pdf(wb, out)
    assert info.pages == 2
    first, second = squash(pdftext(out, 1, 1)), squash(pdftext(out, 2, 2))
    assert "项3" in first and "项4" not in first
    assert "项目" in second and "数值" in second and "项4" in second and "项3" not in second


def test_orientation_from_page_setup(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wide = wb.active
    wide.title = "横向"
    table_sheet(wide, [f"列{j}" for j in range(12)], [[float(j) for j in range(12)]])
    wide.page_setup.orientation = "landscape"
    tall = wb.create_sheet("纵向")
    table_sheet(tall, ["项目"], [["a"]])
    out = tmp_path / "r.pdf"
    render_pdf(wb, out)
    (w1, h1), (w2, h2) = page_sizes(out)
    assert (round(w1), round(h1)) == (842, 595)  # A4 landscape
    assert (round(w2), round(h2)) == (595, 842)  # A4 portrait, each sheet on its own page


@needs_poppler
def test_footer_page_x_of_y(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    table_sheet(ws, ["项目", "数值"], [[f"项{i}", float(i)] for i in range(120)])
    second = wb.create_sheet("第二表")
    second["A1"] = "内容"
    second.oddFooter.center.text = "&A 第 &P 页 共 &N 页"
    out = tmp_path / "r.pdf"
    info = render_pdf(wb, out)
    n = info.pages
    assert n >= 3
    assert f"第1页共{n}页" in squash(pdftext(out, 1, 1))
    assert f"第{n - 1}页共{n}页" in squash(pdftext(out, n - 1, n - 1))
    assert f"第二表第{n}页共{n}页" in squash(pdftext(out, n, n))  # the sheet's own footer


@needs_poppler
def test_cjk_text_wraps_in_a_narrow_column(tmp_path: Path) -> None:
    long_text = "水域及水利设施用地中的坑塘水面与沟渠合计面积"
    wb = openpyxl.Workbook()
    ws = wb.active
    table_sheet(ws, ["项目", "面积"], [[long_text, 12.5]], widths=[6, 10])
    out = tmp_path / "r.pdf"
    render_pdf(wb, out)
    text = pdftext(out, layout=True)
    assert long_text in squash(text)  # every character drawn, in order
    assert not any(long_text in line for line in text.splitlines())  # ... over several lines


@needs_poppler
def test_text_overflows_into_empty_neighbours_like_excel(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "填报单位：示范县自然资源局"  # left aligned: overflows into empty B1:C1
    ws["E1"] = "单位：公顷"
    ws["E1"].alignment = Alignment(horizontal="right")  # overflows to the left into D1
    for col in "ABCDEF":
        ws.column_dimensions[col].width = 10
    ws["F1"] = "x"
    out = tmp_path / "r.pdf"
    render_pdf(wb, out)
    lines = pdftext(out, layout=True).splitlines()
    assert any("填报单位：示范县自然资源局" in squash(line) for line in lines)
    assert any("单位：公顷" in squash(line) for line in lines)


@needs_poppler
def test_rare_characters_use_a_fallback_or_are_reported(tmp_path: Path) -> None:
    fs = register_fonts()
    wb = openpyxl.Workbook()
    ws = wb.active
    rare = "䶮村𠀀组☉ 25℃ Ⅴ类"
    table_sheet(ws, ["地名"], [[rare]], widths=[30])
    out = tmp_path / "r.pdf"
    with warnings.catch_warnings():  # FontWarning is issued once per process; info.warnings always
        warnings.simplefilter("ignore", FontWarning)
        info = render_pdf(wb, out)
    text = squash(pdftext(out))
    assert "村" in text and "组" in text and "类" in text
    assert "25℃" in text or "25°C" in text  # fallback font, or the equivalent °C
    assert "Ⅴ类" in text or "V类" in text
    for ch in "䶮𠀀☉":
        if fs.fallback_for(ch):
            assert ch in text  # drawn with the fallback font
        else:
            assert any(f"U+{ord(ch):04X}" in w for w in info.warnings), info.warnings
            assert MISSING_MARK in text  # a visible 缺字 mark, not a silent gap
    assert all(font_embedding(out).values())


@needs_poppler
def test_merged_title_is_centred_over_the_table(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    table_sheet(ws, ["甲", "乙", "丙", "丁"], [[1.0, 2.0, 3.0, 4.0]], title="合并标题",
                widths=[20, 20, 20, 20])
    out = tmp_path / "r.pdf"
    render_pdf(wb, out)
    html = subprocess.run(["pdftotext", "-bbox", str(out), "-"], check=True, capture_output=True,
                          text=True).stdout
    word = re.search(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>合并标题</word>',
                     html)
    assert word, html[:2000]
    centre = (float(word.group(1)) + float(word.group(2))) / 2
    table_w = 4 * (20 * 7 + 5) * 0.75  # Excel width units → points
    left = 0.75 * 72  # default left margin
    assert abs(centre - (left + table_w / 2)) < 6, (centre, left + table_w / 2)


def test_bold_cells_use_the_bold_face(tmp_path: Path) -> None:
    from balancesheet.reports.pdf.context import RenderContext as _Ctx
    from balancesheet.reports.pdf.sheet import SheetLayout as _SheetLayout
    from balancesheet.reports.pdf.styles import theme_palette as _theme_palette

    fs = register_fonts()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "合计"
    ws["A1"].font = Font(bold=True)
    ws["A2"] = "耕地"
    layout = _SheetLayout(ws, _Ctx(fs, _theme_palette(wb)), 0, "")
    layout.build()
    assert layout.keys[(1, 1)][0] == fs.bold
    assert layout.keys[(2, 1)][0] == fs.regular
    out = tmp_path / "r.pdf"
    render_pdf(wb, out)
    if fs.bold_is_synthetic:  # no bold face: outlines filled and stroked ("2 Tr")
        assert b" 2 Tr " in content_streams(out)


def test_borders_follow_the_cells(tmp_path: Path) -> None:
    def lines_drawn(bordered: bool) -> int:
        wb = openpyxl.Workbook()
        ws = wb.active
        for r in range(1, 4):
            for c in range(1, 4):
                ws.cell(r, c, r * c)
                if bordered:
                    ws.cell(r, c).border = GRID
        out = tmp_path / f"b{bordered}.pdf"
        render_pdf(wb, out)
        return len(re.findall(rb" l S", content_streams(out)))

    assert lines_drawn(False) == 0
    assert lines_drawn(True) >= 8  # 4 horizontal + 4 vertical grid lines (at least)


@needs_poppler
def test_hidden_rows_columns_sheets_and_print_area_are_not_printed(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"], ws["C1"] = "可见", "隐藏列", "也可见"
    ws["A2"] = "隐藏行"
    ws["A3"] = "第三行"
    ws.column_dimensions["B"].hidden = True
    ws.row_dimensions[2].hidden = True
    hidden = wb.create_sheet("隐藏表")
    hidden["A1"] = "隐藏表内容"
    hidden.sheet_state = "hidden"
    area = wb.create_sheet("区域")
    area["A1"], area["D5"] = "区域内", "区域外"
    area.print_area = "A1:B2"
    area["F1"].fill = PatternFill("solid", fgColor="FFFF00")  # styled empty cell: no effect
    out = tmp_path / "r.pdf"
    info = render_pdf(wb, out)
    text = squash(pdftext(out))
    assert "可见" in text and "也可见" in text and "第三行" in text and "区域内" in text
    for absent in ("隐藏列", "隐藏行", "隐藏表内容", "区域外"):
        assert absent not in text
    assert info.pages == 2


@needs_poppler
def test_chart_page_after_its_sheet(tmp_path: Path, simple_wb: openpyxl.Workbook) -> None:
    simple_wb.create_sheet("森林")["A1"] = "森林表"
    chart = ChartSpec("土地资源期初期末对比", ["耕地", "园地", "林地"],
                      {"期初数": [100.0, 50.0, 300.0], "期末数": [98.0, 52.0, 305.0]},
                      "公顷", "土地")
    out = tmp_path / "r.pdf"
    info = render_pdf(simple_wb, out, [chart])
    assert info.pages == 3
    chart_page = squash(pdftext(out, 2, 2))
    assert "土地资源期初期末对比（单位：公顷）" in chart_page
    for label in ("期初数", "期末数", "耕地", "林地"):
        assert label in chart_page
    assert "森林表" in squash(pdftext(out, 3, 3))


def test_empty_sheets_and_empty_workbook_do_not_crash(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "空"
    wb.create_sheet("有内容")["B2"] = "内容"
    wb.create_sheet("也空")
    info = render_pdf(wb, tmp_path / "a.pdf")
    assert info.pages == 1  # empty sheets print nothing (as in Excel)
    info = render_pdf(openpyxl.Workbook(), tmp_path / "b.pdf")
    assert info.pages == 1 and (tmp_path / "b.pdf").stat().st_size > 1000
    chart = ChartSpec("无数据", [], {}, "", "空")
    info = render_pdf(openpyxl.Workbook(), tmp_path / "c.pdf", [chart])
    assert any("无数据" in w for w in info.warnings)


def test_progress_reports_up_to_done(tmp_path: Path, simple_wb: openpyxl.Workbook) -> None:
    seen: list[tuple[float, str]] = []
    render_pdf(simple_wb, tmp_path / "r.pdf", progress=lambda f, m: seen.append((f, m)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_page_renders_to_png(tmp_path: Path, simple_wb: openpyxl.Workbook) -> None:
    out = tmp_path / "r.pdf"
    render_pdf(simple_wb, out)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(out),
                    str(tmp_path / "page")], check=True, capture_output=True)
    png = next(tmp_path.glob("page*.png"))
    assert png.stat().st_size > 5_000


def test_nine_sheet_report_renders_quickly(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for k in range(9):
        ws = wb.create_sheet(f"表{k}")
        table_sheet(ws, ["编码", "项目", *[f"指标{j}" for j in range(10)]],
                    [[f"{i:02d}", f"项目名称{i}", *[i * 1000.5 + j for j in range(10)]]
                     for i in range(45)], title=f"第{k}张表", widths=[6, 18])
        ws.page_setup.orientation = "landscape"
    register_fonts()
    render_pdf(wb, tmp_path / "warm.pdf")  # first call pays one-off imports and font loading
    start = time.perf_counter()
    info = render_pdf(wb, tmp_path / "r.pdf")
    elapsed = time.perf_counter() - start
    assert info.pages >= 9
    assert elapsed < 1.5, f"{elapsed:.2f} s"  # ~0.3 s on a 2-core machine; generous for CI


def fallback_wb() -> openpyxl.Workbook:
    """Every kind of cell a fast path touches: plain, bold, right/centred, numbers, overflow,
    a capped row whose plain text is clipped, wrapped text, a merge and a fill."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "土地"
    table_sheet(ws, ["编码", "项目", "期初数", "期末数", "变化率"],
                [[f"{i:02d}", f"项目名称{i}", i * 1234.567, -i * 98.7, i / 100]
                 for i in range(1, 60)], title="示范县土地资源存量及变动表",
                widths=[8, 16, 14, 14, 10])
    ws["B5"].font = Font(bold=True)
    ws["B6"].alignment = Alignment(horizontal="right")
    ws["B7"].alignment = Alignment(horizontal="center", vertical="center")
    ws["B8"].fill = PatternFill("solid", fgColor="FFFF00")
    other = wb.create_sheet("说明")
    other["A1"] = "一段很长的说明文字会溢出到右边的空单元格中显示"
    other["A2"] = "\n".join(f"很高的单元格第{k}行" for k in range(90))  # capped: clipped
    other["A3"] = "换行的说明文字" * 8
    other["A3"].alignment = Alignment(wrap_text=True)
    other["A3"].font = Font(bold=True)
    other.merge_cells("A4:C5")
    other["A4"] = "合并单元格"
    return wb


@needs_poppler
def test_public_fallback_paths_give_the_same_text(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from balancesheet.reports.pdf import fast_paths

    chart = ChartSpec("土地资源期初期末对比", ["耕地", "园地"], {"期初数": [100.0, 50.0]}, "公顷",
                      "土地")
    fast, slow = tmp_path / "fast.pdf", tmp_path / "public.pdf"
    fast_info = render_pdf(fallback_wb(), fast, [chart], title="示范")
    monkeypatch.setattr(fast_paths, "ENABLED", False)
    assert not fast_paths.reportlab_fast() and not fast_paths.openpyxl_fast()
    slow_info = render_pdf(fallback_wb(), slow, [chart], title="示范")
    assert (slow_info.pages, slow_info.fonts, slow_info.warnings) == (
        fast_info.pages, fast_info.fonts, fast_info.warnings)
    assert b" re W n" in content_streams(fast)  # a plain-text cell clipped to its capped row
    for layout in (False, True):
        assert pdftext(slow, layout=layout) == pdftext(fast, layout=layout)
    # the public paths really ran: reportlab's default ASCII85 streams, its own text objects
    assert b"/ASCII85Decode" in slow.read_bytes() and b"/ASCII85Decode" not in fast.read_bytes()
    assert fast.read_bytes() != slow.read_bytes()


def test_fast_paths_need_the_tested_major_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    import reportlab

    from balancesheet.reports.pdf import fast_paths

    assert fast_paths.major_version("5.1.0") == 5
    assert fast_paths.major_version("x.y") is None
    tested = fast_paths.major_version(reportlab.Version) == fast_paths.TESTED_REPORTLAB_MAJOR
    assert fast_paths.reportlab_fast() == tested
    monkeypatch.setattr(fast_paths, "_REPORTLAB_TESTED", False)  # as with another major version
    monkeypatch.setattr(fast_paths, "_OPENPYXL_TESTED", False)
    assert not fast_paths.reportlab_fast() and not fast_paths.openpyxl_fast()
    wb = openpyxl.Workbook()
    wb.active["A1"] = "合计"
    assert fast_paths.style_key(wb.active["A1"]) is None
