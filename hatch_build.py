"""Package build step: compile the Qt Linguist sources ui/i18n/zh_CN/*.ts into
ui/i18n/balancesheet_zh_CN.qm (with PySide6's lrelease), for wheels and editable installs alike.
The .qm is a build product and is not committed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

QM = "ui/i18n/balancesheet_zh_CN.qm"


def _lrelease() -> list[str]:
    import PySide6

    folder = Path(PySide6.__file__).resolve().parent
    for name in ("lrelease", "lrelease.exe"):
        if (folder / name).exists():
            return [str(folder / name)]
    return [sys.executable, "-c", "from PySide6.scripts.pyside_tool import lrelease; lrelease()"]


class CustomBuildHook(BuildHookInterface):
    """Compile translations before the wheel (or the editable wheel) is assembled."""

    def initialize(self, version: str, build_data: dict) -> None:  # noqa: D102 - hatch hook
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        sources = sorted((root / "ui" / "i18n" / "zh_CN").glob("*.ts"))
        if not sources:
            raise RuntimeError("no translation sources in ui/i18n/zh_CN")
        out = root / QM
        subprocess.run([*_lrelease(), "-silent", *map(str, sources), "-qm", str(out)], check=True)
        build_data["force_include"][str(out)] = QM
