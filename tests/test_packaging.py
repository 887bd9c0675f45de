"""A wheel built from the repository works outside the source tree (data travels inside it)."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True, timeout=600)
    return next(out.glob("balancesheet-*.whl"))


def test_wheel_carries_catalogs_templates_and_sample_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("balancesheet/_data/accounts/land.toml", "balancesheet/_data/accounts/indicators.toml",
                     "balancesheet/_data/sample_data/stocks.csv", "balancesheet/_data/sample_data/land_changes.csv",
                     "balancesheet/cli/__init__.py", "ui/__init__.py", "ui/help/manual_zh_CN.md",
                     "ui/i18n/balancesheet_zh_CN.qm", "balancesheet/fonts/wqy-microhei.ttc"):
        assert required in names, required


def test_installed_wheel_runs_demo_outside_source_tree(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run([str(bindir / "python"), "-m", "pip", "install", "--no-deps", "-q", str(wheel)],
                   check=True, capture_output=True, timeout=600)
    # Dependencies come from the test environment's site-packages; the package itself only from the wheel.
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"]}
    work = tmp_path / "elsewhere"
    work.mkdir()
    exe = str(bindir / "balancesheet")
    demo = subprocess.run([exe, "demo", "s.db"], cwd=work, env=env, capture_output=True, text=True, timeout=600)
    assert demo.returncode == 0, demo.stderr
    where = subprocess.run([str(bindir / "python"), "-c",
                            "import balancesheet.resources as r; print(r.accounts_dir())"],
                           cwd=work, env=env, capture_output=True, text=True, timeout=60)
    assert str(env_dir) in where.stdout and "_data" in where.stdout, where.stdout + where.stderr
    check = subprocess.run([exe, "check", "s.db", "--region", "990121", "--year", "2025"], cwd=work, env=env,
                           capture_output=True, text=True, timeout=600)
    assert check.returncode == 0, check.stdout + check.stderr
    gui_env = {**env, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path),
               "XDG_DATA_HOME": str(tmp_path)}
    gui = subprocess.run([str(bindir / "python"), "-m", "ui.app", "s.db", "--quit-after-paint"], cwd=work,
                         env=gui_env, capture_output=True, text=True, timeout=300)
    assert gui.returncode == 0 and "ready-at" in gui.stdout, gui.stdout + gui.stderr
    translated = subprocess.run([str(bindir / "python"), "-c",
                                 "from PySide6.QtCore import QTranslator; import ui.i18n as i; t = QTranslator(); "
                                 "t.load(str(i.qm_path())); print(i.qm_path(), t.translate('MainWindow', '&File'))"],
                                cwd=work, env=gui_env, capture_output=True, text=True, timeout=60)
    assert str(env_dir) in translated.stdout and "文件(&F)" in translated.stdout, translated.stdout + translated.stderr
