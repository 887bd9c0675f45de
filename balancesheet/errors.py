"""User-facing errors: a message a county accountant understands, in Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where a bad value sits: file, sheet, row (1-based as a spreadsheet shows it), column."""

    file: str = ""
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = [self.file] if self.file else []
        if self.sheet:
            parts.append(f"工作表「{self.sheet}」")
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column:
            parts.append(f"列「{self.column}」")
        return "，".join(parts)


@dataclass(frozen=True)
class Issue:
    """One rejected value: where, what was wrong (zh/en), the value itself."""

    location: Location
    message: str
    message_en: str = ""
    value: str | None = None

    def __str__(self) -> str:
        value = f"（值：{self.value!r}）" if self.value not in (None, "") else ""
        en = f" / {self.message_en}" if self.message_en else ""
        where = f"{self.location}：" if str(self.location) else ""
        return f"{where}{self.message}{value}{en}"


class UserError(Exception):
    """An error caused by the user's input or request; shown as is, never as a traceback.

    ``issues`` lists every rejected value when there are several (an import reports them all).
    """

    def __init__(self, message: str, message_en: str = "", issues: list[Issue] | None = None):
        super().__init__(message)
        self.message = message
        self.message_en = message_en
        self.issues: list[Issue] = list(issues or [])

    def __str__(self) -> str:
        head = self.message + (f"\n{self.message_en}" if self.message_en else "")
        if not self.issues:
            return head
        lines = [head]
        shown = self.issues[:MAX_ISSUES_SHOWN]
        lines += [f"  - {issue}" for issue in shown]
        if len(self.issues) > len(shown):
            more = len(self.issues) - len(shown)
            lines.append(f"  … 另有 {more} 处问题未列出 / {more} more not shown")
        return "\n".join(lines)


class CatalogError(UserError):
    """A catalog file (accounts/*.toml or an extension) is invalid."""


class ImportRejected(UserError):
    """An import file was refused; the database is unchanged."""


class LockedYearError(UserError):
    """A locked (结账) year was about to change."""


class ConflictError(UserError):
    """Someone else changed (or removed) what the user was editing since it was shown: nothing of
    the edit was saved; the message says who changed it, when, to what, and what to do."""


class DatabaseBusy(UserError):
    """Another program held the project's write lock longer than we wait (SQLite busy timeout,
    PostgreSQL lock timeout): nothing was saved; trying again later works."""


class Cancelled(UserError):
    """The user cancelled a long operation; whatever it was writing was rolled back."""

    def __init__(self, message: str = "已取消，数据库未改动。", message_en: str = "Cancelled; nothing was changed."):
        super().__init__(message, message_en)


MAX_ISSUES_SHOWN = 50

__all__ = [
    "Cancelled",
    "CatalogError",
    "ConflictError",
    "DatabaseBusy",
    "ImportRejected",
    "Issue",
    "Location",
    "LockedYearError",
    "UserError",
]
