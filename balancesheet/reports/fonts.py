"""Fonts for the PDF reports: an embeddable Chinese TrueType font, a bold face and fallbacks.

reportlab embeds only TrueType (``glyf``) outlines, so every font here is a .ttf/.ttc file loaded
with :class:`reportlab.pdfbase.ttfonts.TTFont` (OpenType-CFF files such as Noto Sans CJK are
rejected by reportlab and skipped). The choice, made once per process by :func:`register_fonts`:

1. ``BALANCESHEET_PDF_FONT`` / ``BALANCESHEET_PDF_FONT_BOLD`` (a font file path, optionally
   ``path#index`` for a .ttc) when set;
2. with ``prefer_system`` (the default) the system's Chinese TrueType fonts: Windows 宋体
   ``simsun.ttc`` (regular), 黑体 ``simhei.ttf`` (used as the bold face), 仿宋 ``simfang.ttf``,
   楷体 ``simkai.ttf`` (used for cells whose Excel font names them); macOS Songti/STHeiti/Arial
   Unicode when they load as TrueType;
3. else the bundled WenQuanYi Micro Hei (``balancesheet/fonts/wqy-microhei.ttc``, subfont 0),
   also used as the bold face (reportlab cannot synthesise bold).

Characters the main font lacks (rare place-name characters, CJK Extension A/B, symbols) are drawn
with the first installed fallback TrueType font that has them (:meth:`FontSet.markup` wraps them in
``<font name=...>`` for a Paragraph); when no font has them they are kept (a .notdef box) and a
warning naming them is recorded (:attr:`FontSet.warnings`, :mod:`warnings`) and they are drawn as
the missing-character mark ``□``: never silently dropped.
"""

from __future__ import annotations

import os
import sys
import threading
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

FAMILY = "BalanceSheetCJK"
MISSING_MARK = "□"  # drawn for a character no available font has (the usual 缺字 mark)

# Excel font names → a style key; a FontSet draws a cell in the matching system face when present.
_STYLE_OF_EXCEL_FONT = {
    "宋体": "song", "simsun": "song", "新宋体": "song", "nsimsun": "song", "宋体-extb": "song",
    "黑体": "hei", "simhei": "hei", "微软雅黑": "hei", "microsoft yahei": "hei", "等线": "hei",
    "仿宋": "fang", "仿宋_gb2312": "fang", "fangsong": "fang", "fangsong_gb2312": "fang",
    "楷体": "kai", "楷体_gb2312": "kai", "kaiti": "kai", "kaiti_gb2312": "kai",
}


class FontWarning(UserWarning):
    """A character no available font can draw (it would show as a box)."""


class FontError(RuntimeError):
    """No usable Chinese TrueType font (not even the bundled one) could be loaded."""


@dataclass(frozen=True)
class _Source:
    path: Path
    index: int = 0


def bundled_font_path() -> Path:
    """The bundled WenQuanYi Micro Hei collection (.ttc; face 0 is the proportional font)."""
    return Path(__file__).resolve().parent.parent / "fonts" / "wqy-microhei.ttc"


def _windows_font_dirs() -> list[Path]:
    dirs = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def _system_faces() -> dict[str, list[_Source]]:
    """Candidate system faces per style key (only files that exist)."""
    cands: dict[str, list[_Source]] = {}
    if sys.platform.startswith("win"):
        for d in _windows_font_dirs():
            for key, name, idx in (("song", "simsun.ttc", 0), ("hei", "simhei.ttf", 0),
                                   ("fang", "simfang.ttf", 0), ("kai", "simkai.ttf", 0),
                                   ("hei", "msyh.ttc", 0)):
                cands.setdefault(key, []).append(_Source(d / name, idx))
    elif sys.platform == "darwin":
        for key, path, idx in (
                ("song", "/System/Library/Fonts/Supplemental/Songti.ttc", 0),
                ("hei", "/System/Library/Fonts/STHeiti Light.ttc", 0),
                ("song", "/Library/Fonts/Arial Unicode.ttf", 0),
                ("song", "/System/Library/Fonts/Supplemental/Arial Unicode.ttf", 0)):
            cands.setdefault(key, []).append(_Source(Path(path), idx))
    return {k: [s for s in v if s.path.is_file()] for k, v in cands.items()}


def _fallback_sources() -> list[_Source]:
    """Installed TrueType fonts tried, in order, for characters the main font lacks."""
    paths: list[tuple[str | Path, int]] = []
    if sys.platform.startswith("win"):
        for d in _windows_font_dirs():
            paths += [(d / "simsunb.ttf", 0), (d / "mingliub.ttc", 0), (d / "simsun.ttc", 0),
                      (d / "msyh.ttc", 0), (d / "seguisym.ttf", 0), (d / "arialuni.ttf", 0)]
    elif sys.platform == "darwin":
        paths += [("/System/Library/Fonts/Supplemental/Songti.ttc", 0),
                  ("/Library/Fonts/Arial Unicode.ttf", 0),
                  ("/System/Library/Fonts/Supplemental/Arial Unicode.ttf", 0)]
    else:
        for base in ("/usr/share/fonts/truetype", "/usr/share/fonts", "/usr/local/share/fonts"):
            paths += [(f"{base}/wqy/wqy-zenhei.ttc", 0), (f"{base}/arphic/uming.ttc", 0),
                      (f"{base}/arphic/ukai.ttc", 0), (f"{base}/hanazono/HanaMinA.ttf", 0),
                      (f"{base}/hanazono/HanaMinB.ttf", 0),
                      (f"{base}/droid/DroidSansFallbackFull.ttf", 0),
                      (f"{base}/dejavu/DejaVuSans.ttf", 0)]
    seen: set[Path] = set()
    out: list[_Source] = []
    for p, idx in paths:
        path = Path(p)
        if path not in seen and path.is_file():
            seen.add(path)
            out.append(_Source(path, idx))
    return out


def _env_source(var: str) -> _Source | None:
    value = os.environ.get(var, "").strip()
    if not value:
        return None
    path, _, idx = value.partition("#")
    return _Source(Path(path), int(idx) if idx.isdigit() else 0)


_load_lock = threading.RLock()
_loaded: dict[_Source, str | None] = {}  # source → registered font name (None: unusable)


def _load(source: _Source, *, need_text: bool = True) -> str | None:
    """Register a TrueType font once; its name, or None when it is not usable TrueType.

    ``need_text``: the font must have Latin digits and common hanzi (a main font, not a fallback).
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    with _load_lock:
        if source in _loaded:
            name = _loaded[source]
        else:
            name = f"BS{len(_loaded) + 1}-{source.path.stem}-{source.index}"
            try:
                font = TTFont(name, str(source.path), subfontIndex=source.index)
            except Exception:  # CFF outlines, broken or unreadable file: skip it
                name = None
            else:
                pdfmetrics.registerFont(font)
            _loaded[source] = name
        if name is None:
            return None
        if need_text and not _covers(name, "0123456789.,%表土地资源合计"):
            return None
        return name


_coverage_cache: dict[str, frozenset[int]] = {}


def _cmap(font_name: str) -> dict[int, int]:
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.getFont(font_name).face.charToGlyph


def _blank(font_name: str) -> frozenset[int]:
    """Code points the font maps to a glyph without outlines although they are visible characters.

    (WenQuanYi Micro Hei does this for ℃ Ⅴ Ⅹ ǎ ǐ ǒ ǔ ...: they would print as nothing.)
    """
    got = _coverage_cache.get(font_name)
    if got is None:
        from reportlab.pdfbase import pdfmetrics

        face = pdfmetrics.getFont(font_name).face
        pos = getattr(face, "glyphPos", None)
        blank: set[int] = set()
        if pos:
            for cp, g in face.charToGlyph.items():
                if g + 1 < len(pos) and pos[g + 1] == pos[g] and _visible(cp):
                    blank.add(cp)
        got = _coverage_cache[font_name] = frozenset(blank)
    return got


def _visible(cp: int) -> bool:
    ch = chr(cp)
    return not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf", "Zs", "Zl", "Zp") \
        and unicodedata.name(ch, "").find("FILLER") < 0


def _has(font_name: str, cp: int) -> bool:
    return bool(_cmap(font_name).get(cp, 0)) and cp not in _blank(font_name)


def _covers(font_name: str, text: str) -> bool:
    return all(ord(ch) < 32 or _has(font_name, ord(ch)) for ch in text)


@dataclass
class FontSet:
    """The registered fonts: names to give reportlab, plus glyph coverage helpers.

    ``regular`` and ``bold`` are registered font names (``bold`` may equal ``regular``);
    ``family`` is registered with :func:`reportlab.pdfbase.pdfmetrics.registerFontFamily` so
    ``<b>`` in Paragraph markup picks ``bold``. ``warnings`` accumulates (deduplicated) messages
    about characters no font can draw.
    """

    regular: str
    bold: str
    family: str = FAMILY
    paths: dict[str, str] = field(default_factory=dict)  # registered name → font file (#index)
    warnings: list[str] = field(default_factory=list)
    _styles: dict[str, list[_Source]] = field(default_factory=dict, repr=False)
    _fallback_sources: list[_Source] = field(default_factory=list, repr=False)
    _fallbacks: list[str] | None = field(default=None, repr=False)
    _warned: set[str] = field(default_factory=set, repr=False)
    _resolved: dict[str, str] = field(default_factory=dict, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @property
    def bold_is_synthetic(self) -> bool:
        """True when there is no separate bold face: bold text is drawn by stroking the outlines."""
        return self.bold == self.regular

    # --- coverage -----------------------------------------------------------------------------
    def missing_glyphs(self, text: str, font: str | None = None) -> set[str]:
        """The characters of ``text`` (not control characters) that ``font`` (regular) lacks."""
        font = font or self.regular
        cmap, blank = _cmap(font), _blank(font)
        return {ch for ch in set(text)
                if ord(ch) >= 32 and (not cmap.get(ord(ch), 0) or ord(ch) in blank)}

    def fallback_for(self, ch: str) -> str | None:
        """The registered name of the first fallback font that has ``ch``, or None."""
        with self._lock:
            if self._fallbacks is None:
                self._fallbacks = []
                for src in self._fallback_sources:
                    name = _load(src, need_text=False)
                    if name and name not in (self.regular, self.bold):
                        self._fallbacks.append(name)
                        self.paths[name] = f"{src.path}#{src.index}"
            fallbacks = self._fallbacks
        code = ord(ch)
        for name in fallbacks:
            if _has(name, code):
                return name
        return None

    def _warn(self, chars: set[str], font: str) -> None:
        with self._lock:
            new = sorted(chars - self._warned)
            self._warned.update(new)
        if not new:
            return
        listed = "、".join(f"“{c}”(U+{ord(c):04X})" for c in new)
        msg = f"字体 {font} 及后备字体均缺少字符 {listed}，PDF 中以“{MISSING_MARK}”代替"
        self.warnings.append(msg)
        warnings.warn(msg, FontWarning, stacklevel=3)

    def markup(self, text: str, font: str | None = None) -> tuple[str, set[str]]:
        """``text`` escaped for Paragraph markup; characters ``font`` lacks in fallback <font> tags.

        A character no fallback font has is replaced by its compatibility equivalent when ``font``
        has that (℃ → °C, Ⅴ → V); otherwise it is shown as the missing-character mark ``□``
        (缺字符号) and warned about once per process. Returns the markup and the set of the
        characters shown as ``□``.
        """
        font = font or self.regular
        missing = self.missing_glyphs(text, font)
        if not missing:
            return escape(text), set()
        parts: list[str] = []
        run: list[str] = []
        run_font: str | None = None
        unresolved: set[str] = set()

        def flush() -> None:
            if run:
                chunk = escape("".join(run))
                parts.append(f'<font name="{run_font}">{chunk}</font>' if run_font else chunk)
                run.clear()

        for ch in text:
            target = None
            if ch in missing:
                target = self.fallback_for(ch)
                if target is None:
                    alt = self._equivalent(ch, font)
                    if alt is None:
                        unresolved.add(ch)
                    ch = alt or MISSING_MARK
            if target != run_font:
                flush()
                run_font = target
            run.append(ch)
        flush()
        if unresolved:
            self._warn(unresolved, font)
        return "".join(parts), unresolved

    def printable(self, text: str, font: str | None = None) -> tuple[str, set[str]]:
        """``text`` for a single-font context (chart labels, page headers): characters ``font``
        lacks become their compatibility equivalent (℃ → °C) or ``□`` (warned about); returns
        the text and the set of characters shown as ``□``."""
        font = font or self.regular
        missing = self.missing_glyphs(text, font)
        if not missing:
            return text, set()
        subs = {ch: self._equivalent(ch, font) for ch in missing}
        unresolved = {ch for ch, alt in subs.items() if alt is None}
        if unresolved:
            self._warn(unresolved, font)
        return "".join(subs.get(ch) or MISSING_MARK if ch in missing else ch
                       for ch in text), unresolved

    def _equivalent(self, ch: str, font: str) -> str | None:
        alt = unicodedata.normalize("NFKC", ch)
        if alt and alt != ch and not self.missing_glyphs(alt, font):
            return alt
        return None

    # --- faces --------------------------------------------------------------------------------
    def font_for(self, excel_font: str | None = None, bold: bool = False) -> str:
        """The registered font for a cell whose Excel font is ``excel_font`` (宋体, 黑体, ...).

        Uses a system face of the same style when one was found (Windows), else regular/bold.
        """
        if bold:
            return self.bold
        style = _STYLE_OF_EXCEL_FONT.get((excel_font or "").strip().lower())
        if not style or not self._styles:
            return self.regular
        name = self._resolved.get(style)
        if name is None:
            name = self.regular
            for src in self._styles.get(style, ()):
                loaded = _load(src)
                if loaded:
                    with self._lock:
                        self.paths.setdefault(loaded, f"{src.path}#{src.index}")
                    name = loaded
                    break
            self._resolved[style] = name
        return name


_cache: dict[bool, FontSet] = {}


def register_fonts(prefer_system: bool = True) -> FontSet:
    """Register the report fonts with reportlab (once per process; later calls return the same set).

    ``BALANCESHEET_PDF_FONT`` / ``BALANCESHEET_PDF_FONT_BOLD`` (``path`` or ``path#index``) force
    the regular / bold font; ``prefer_system=False`` ignores the system's Chinese fonts (the
    bundled Micro Hei is used). Raises :class:`FontError` when not even the bundled font loads.
    """
    from reportlab.pdfbase import pdfmetrics

    with _load_lock:
        if prefer_system in _cache:
            return _cache[prefer_system]
        styles = _system_faces() if prefer_system else {}
        paths: dict[str, str] = {}

        def first(sources: list[_Source]) -> str | None:
            for src in sources:
                name = _load(src)
                if name:
                    paths[name] = f"{src.path}#{src.index}"
                    return name
            return None

        env_regular, env_bold = _env_source("BALANCESHEET_PDF_FONT"), _env_source(
            "BALANCESHEET_PDF_FONT_BOLD")
        regular = first([env_regular] if env_regular else [])
        regular = regular or first(styles.get("song", []) + styles.get("hei", []))
        regular = regular or first([_Source(bundled_font_path(), 0)])
        if regular is None:
            raise FontError(f"无法加载 PDF 中文字体（内置字体 {bundled_font_path()} 缺失或损坏）")
        bold = first([env_bold] if env_bold else []) or first(styles.get("hei", [])) or regular
        pdfmetrics.registerFontFamily(FAMILY, normal=regular, bold=bold, italic=regular,
                                      boldItalic=bold)
        fallbacks = [s for s in _fallback_sources() if f"{s.path}#{s.index}" not in paths.values()]
        if Path(paths[regular].rsplit("#", 1)[0]) != bundled_font_path():
            fallbacks.append(_Source(bundled_font_path(), 0))
        fs = FontSet(regular=regular, bold=bold, paths=paths, _styles=styles,
                     _fallback_sources=fallbacks)
        _cache[prefer_system] = fs
        return fs
