"""Fonts and translators for the application: Chinese renders without any system CJK font."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

log = logging.getLogger("balancesheet.ui")
_translators: list[QTranslator] = []


def bundled_font_path() -> Path:
    """The WenQuanYi Micro Hei collection shipped in balancesheet/fonts (also used by the PDFs)."""
    import balancesheet

    return Path(balancesheet.__file__).resolve().parent / "fonts" / "wqy-microhei.ttc"


def register_fonts(app: QGuiApplication) -> list[str]:
    """Register the bundled CJK font and put it behind the default font as a fallback."""
    font_id = QFontDatabase.addApplicationFont(str(bundled_font_path()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.warning("bundled CJK font could not be registered: %s", bundled_font_path())
        return []
    font: QFont = app.font()
    base = font.family()
    font.setFamilies([base, *families])
    if font.pointSizeF() < 9:
        font.setPointSizeF(10)
    app.setFont(font)
    return families


def install_translators(app: QCoreApplication, language: str) -> None:
    """Install Qt's own (qtbase) and our translations for ``language``; ``en`` removes them."""
    from ui.i18n import qm_path

    for tr in _translators:
        app.removeTranslator(tr)
    _translators.clear()
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in (("qtbase_zh_CN", qt_dir), (qm_path().stem, str(qm_path().parent))):
        tr = QTranslator(app)
        if tr.load(name, folder):
            app.installTranslator(tr)
            _translators.append(tr)
        else:
            log.warning("translation %s not found in %s", name, folder)
