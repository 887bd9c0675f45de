"""Translations: Qt Linguist ``.ts`` sources (zh_CN/*.ts, one per area of the UI) compiled to one
``balancesheet_zh_CN.qm`` by the package build (hatch_build.py) with ``pyside6-lrelease``.

English is the source language of every ``tr()`` string; Simplified Chinese is the default.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
TS_DIR = HERE / "zh_CN"
QM_NAME = "balancesheet_zh_CN.qm"

log = logging.getLogger("balancesheet.ui")


def ts_files() -> list[Path]:
    """The translation sources, one per area of the UI."""
    return sorted(TS_DIR.glob("*.ts"))


def lrelease() -> str:
    """The path of Qt's ``lrelease`` (shipped inside the PySide6-Essentials wheel)."""
    import PySide6

    for name in ("lrelease", "lrelease.exe"):
        exe = Path(PySide6.__file__).resolve().parent / name
        if exe.exists():
            return str(exe)
    found = shutil.which("pyside6-lrelease")
    if not found:
        raise RuntimeError("lrelease not found; install PySide6-Essentials")
    return found


def compile_translations(out_dir: Path = HERE) -> Path:
    """Compile every ``zh_CN/*.ts`` into ``out_dir/balancesheet_zh_CN.qm``; return its path."""
    out = out_dir / QM_NAME
    subprocess.run([lrelease(), "-silent", *map(str, ts_files()), "-qm", str(out)], check=True)
    return out


def qm_path() -> Path:
    """The compiled Chinese translation shipped with the package."""
    return HERE / QM_NAME
