"""Preferences over QSettings: typed properties with defaults (language, folders, units, …)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

LANGUAGES = ("zh_CN", "en")
AREA_UNITS = ("公顷", "亩")
MAX_RECENT = 8


class Preferences:
    """The user's preferences and remembered state. Tests pass an INI-backed QSettings."""

    def __init__(self, settings: QSettings | None = None):
        self.qsettings = settings or QSettings("balancesheet", "balancesheet")

    def _get(self, key: str, default: object, kind: type) -> object:
        value = self.qsettings.value(key, default)
        try:
            return kind(value) if value is not None else default
        except (TypeError, ValueError):
            return default

    def _set(self, key: str, value: object) -> None:
        self.qsettings.setValue(key, value)
        self.qsettings.sync()

    @property
    def language(self) -> str:
        """``zh_CN`` (default) or ``en``."""
        value = str(self._get("ui/language", "zh_CN", str))
        return value if value in LANGUAGES else "zh_CN"

    @language.setter
    def language(self, value: str) -> None:
        self._set("ui/language", value if value in LANGUAGES else "zh_CN")

    @property
    def tolerance(self) -> float:
        """Tolerance of the checks, in the item's unit."""
        from balancesheet.checks.problem import DEFAULT_TOLERANCE

        return float(self._get("checks/tolerance", DEFAULT_TOLERANCE, float))  # type: ignore[arg-type]

    @tolerance.setter
    def tolerance(self, value: float) -> None:
        self._set("checks/tolerance", float(value))

    @property
    def area_unit(self) -> str:
        """The unit areas are shown and entered in: 公顷 (stored) or 亩."""
        value = str(self._get("ui/area_unit", "公顷", str))
        return value if value in AREA_UNITS else "公顷"

    @area_unit.setter
    def area_unit(self, value: str) -> None:
        self._set("ui/area_unit", value if value in AREA_UNITS else "公顷")

    def directory(self, purpose: str) -> str:
        """The last folder used for ``purpose`` (open, import, export, report)."""
        return str(self._get(f"dirs/{purpose}", "", str))

    def set_directory(self, purpose: str, path: str) -> None:
        """Remember the folder used for ``purpose``."""
        self._set(f"dirs/{purpose}", path)

    @property
    def template_dir(self) -> str:
        """A folder of the user's own report templates (empty: the shipped ones)."""
        return str(self._get("reports/template_dir", "", str))

    @template_dir.setter
    def template_dir(self, value: str) -> None:
        self._set("reports/template_dir", value)

    @property
    def recent_files(self) -> list[str]:
        """Recently opened projects, most recent first."""
        value = self.qsettings.value("files/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or []) if v]

    def add_recent(self, path: str) -> None:
        """Put ``path`` first in the recent list."""
        items = [path] + [p for p in self.recent_files if p != path]
        self._set("files/recent", items[:MAX_RECENT])

    def remove_recent(self, path: str) -> None:
        """Forget ``path`` (e.g. the file no longer exists)."""
        self._set("files/recent", [p for p in self.recent_files if p != path])

    def geometry(self, name: str) -> QByteArray | None:
        """Saved geometry/state blob of a window or splitter."""
        value = self.qsettings.value(f"geometry/{name}")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, name: str, blob: QByteArray) -> None:
        """Remember a window's geometry/state."""
        self._set(f"geometry/{name}", blob)
