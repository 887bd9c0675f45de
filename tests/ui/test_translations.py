"""Every string the UI shows through tr() has a Chinese translation, placeholders intact, and
the compiled .qm (built by the package build) really translates."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QTranslator

from ui.i18n import QM_NAME, compile_translations, qm_path, ts_files
from ui.i18n.tool import lupdate

ROOT = Path(__file__).resolve().parents[2]


def _messages(ts: Path) -> dict[tuple[str, str], str | None]:
    out = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            tr = message.find("translation")
            finished = tr is not None and tr.get("type") not in ("unfinished", "vanished", "obsolete")
            out[(name, message.findtext("source") or "")] = (tr.text if finished else None)
    return out


def test_every_ui_string_has_a_translation(tmp_path: Path) -> None:
    sources = sorted(str(p) for p in (ROOT / "ui").rglob("*.py"))
    fresh = tmp_path / "all.ts"
    subprocess.run([lupdate(), "-silent", "-locations", "none", *sources, "-ts", str(fresh)],
                   check=True, capture_output=True)
    wanted = _messages(fresh)
    assert len(wanted) > 100, "lupdate found too few strings; is the extraction broken?"
    assert not [k for k in wanted if not k[0]], "strings in an unknown context (lupdate lost the class)"
    have: dict[tuple[str, str], str | None] = {}
    for ts in ts_files():
        have.update({k: v for k, v in _messages(ts).items() if v})
    missing = sorted(k for k in wanted if not have.get(k))
    assert not missing, f"{len(missing)} untranslated, e.g. {missing[:5]}"


def test_placeholders_survive_translation() -> None:
    for ts in ts_files():
        for (context, source), target in _messages(ts).items():
            if target:
                assert sorted(re.findall(r"\{\w*\}", source)) == sorted(re.findall(r"\{\w*\}", target)), \
                    f"{ts.name} {context}: {source!r} → {target!r}"


def test_compiled_translation_translates(tmp_path: Path, qapp) -> None:  # noqa: ANN001
    qm = compile_translations(tmp_path)
    assert qm.name == QM_NAME and qm.stat().st_size > 1000
    translator = QTranslator()
    assert translator.load(str(qm))
    assert translator.translate("MainWindow", "&File") == "文件(&F)"
    assert translator.translate("MainWindow", "&Accounts") == "核算(&A)"


def test_the_build_shipped_the_compiled_translation() -> None:
    """``pip install`` (editable too) runs hatch_build.py, which compiles the .qm next to ui/i18n."""
    assert qm_path().exists(), "run pip install -e . (the build compiles the translations)"
    translator = QTranslator()
    assert translator.load(str(qm_path()))
    assert translator.translate("MainWindow", "&Edit") == "编辑(&E)"


def test_qt_own_dialogs_are_translated_too(qapp) -> None:  # noqa: ANN001
    from PySide6.QtCore import QCoreApplication

    from ui.look import install_translators

    install_translators(qapp, "zh_CN")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"  # qtbase_zh_CN
    assert QCoreApplication.translate("MainWindow", "&File") == "文件(&F)"  # ours
    install_translators(qapp, "en")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
