"""Table models of the import wizard's preview: the column mapping (with its combo delegate),
the file's first rows, and the problems found by validation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

if TYPE_CHECKING:
    from balancesheet.errors import Issue
    from balancesheet.importer.preview import Preview

Index = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole
EDIT = Qt.ItemDataRole.EditRole
TIP = Qt.ItemDataRole.ToolTipRole
ALIGN = Qt.ItemDataRole.TextAlignmentRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole
BACKGROUND = Qt.ItemDataRole.BackgroundRole
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
PROBLEM = QColor(255, 228, 225)
MUTED = QColor(128, 128, 128)


def field_choices(kind: str | None) -> list[tuple[str, str, bool]]:
    """(field, label, required) of a kind's columns; the label joins the Chinese and the code name."""
    if kind is None:
        return []
    from balancesheet.importer.formats import FORMATS

    if kind not in FORMATS:  # the 存量及变动表 layout: its columns, none required by name
        from balancesheet.importer.wide import WIDE, WIDE_COLUMNS

        columns = WIDE_COLUMNS if kind == WIDE else ()
    else:
        columns = FORMATS[kind]
    return [(c.name, f"{c.spellings[1]}（{c.name}）", c.required) for c in columns]


class MappingModel(QAbstractTableModel):
    """One row per header of the file: the header and the field it is imported as (editable).

    Editing the field emits ``mapping_edited(header, field)`` ("" = do not import the column);
    the wizard validates again and shows the new mapping through :meth:`set_preview`.
    """

    mapping_edited = Signal(str, str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.headers: list[str] = []
        self.columns: dict[str, str] = {}
        self.choices: list[tuple[str, str, bool]] = []

    def set_preview(self, preview: Preview | None) -> None:
        """Show the headers and mapping of ``preview`` (None: nothing)."""
        self.beginResetModel()
        self.headers = list(preview.headers) if preview else []
        self.columns = dict(preview.columns) if preview else {}
        self.choices = field_choices(preview.kind if preview else None)
        self.endResetModel()

    def label(self, field: str) -> str:
        """How a field shows: 面积（area） *, with the star on required fields."""
        for name, text, required in self.choices:
            if name == field:
                return text + (" *" if required else "")
        return self.tr("(not imported)")

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.headers)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else 2

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = DISPLAY) -> Any:
        if role != DISPLAY:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return (self.tr("Column in the file"), self.tr("Imported as"))[section] if section < 2 else None
        return str(section + 1)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or index.row() >= len(self.headers):
            return None
        header = self.headers[index.row()]
        field = self.columns.get(header, "")
        if role == DISPLAY:
            return header if index.column() == 0 else self.label(field)
        if role == EDIT:
            return header if index.column() == 0 else field
        if role == FOREGROUND and not field:
            return QBrush(MUTED)
        if role == TIP and index.column() == 1:
            return self.tr("Choose the field this column holds; * marks a required field.")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == 1 and self.choices else base

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:  # noqa: N802 - Qt API
        if role != EDIT or not index.isValid() or index.column() != 1:
            return False
        field = str(value or "")
        if field and field not in {name for name, _, _ in self.choices}:
            return False
        header = self.headers[index.row()]
        if self.columns.get(header, "") == field:
            return True
        for other, taken in list(self.columns.items()):  # one column per field
            if taken == field and other != header:
                del self.columns[other]
                row = self.headers.index(other)
                self.dataChanged.emit(self.index(row, 1), self.index(row, 1))
        if field:
            self.columns[header] = field
        else:
            self.columns.pop(header, None)
        self.dataChanged.emit(index, index)
        self.mapping_edited.emit(header, field)
        return True


class FieldDelegate(QStyledItemDelegate):
    """A combo of the kind's fields (and "not imported") for the mapping's field column; the
    choice is committed as soon as it is made."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802 - Qt API
                     index: Index) -> QWidget:
        combo = QComboBox(parent)
        combo.setObjectName("field_combo")
        model = index.model()
        choices = model.choices if isinstance(model, MappingModel) else []
        combo.addItem(self.tr("(not imported)"), "")
        for name, text, required in choices:
            combo.addItem(text + (" *" if required else ""), name)
        combo.activated.connect(lambda _i, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802 - Qt API
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(EDIT))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,  # noqa: N802 - Qt API
                     index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), EDIT)


class SampleModel(QAbstractTableModel):
    """The first rows of the file as read (text), numbered as the spreadsheet numbers them;
    cells with a problem are tinted and explain it on hover."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.headers: list[str] = []
        self.rows: list[tuple[int, list[str]]] = []
        self.problems: dict[tuple[int, str], str] = {}

    def set_preview(self, preview: Preview | None, language: str = "zh_CN") -> None:
        """Show the sample rows of ``preview`` and mark the problems that fall on them."""
        self.beginResetModel()
        self.headers = list(preview.headers) if preview else []
        self.rows = list(preview.sample) if preview else []
        self.problems = {}
        for issue in preview.issues if preview else []:
            key = (issue.location.row or 0, issue.location.column or "")
            self.problems.setdefault(key, issue_message(issue, language))
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = DISPLAY) -> Any:
        if role != DISPLAY:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return str(self.rows[section][0]) if 0 <= section < len(self.rows) else None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or index.row() >= len(self.rows) or index.column() >= len(self.headers):
            return None
        number, cells = self.rows[index.row()]
        problem = self.problems.get((number, self.headers[index.column()]))
        if role == DISPLAY:
            return cells[index.column()] if index.column() < len(cells) else ""
        if role == BACKGROUND and problem:
            return QBrush(PROBLEM)
        if role == TIP and problem:
            return problem
        return None


def issue_message(issue: Issue, language: str) -> str:
    """An issue's message in the UI language (the core's Chinese unless English has one)."""
    return issue.message_en if language == "en" and issue.message_en else issue.message


class IssuesModel(QAbstractTableModel):
    """The problems found in the files: file, sheet, row, column, problem, value (one per row)."""

    def __init__(self, language: str = "zh_CN", parent: QObject | None = None):
        super().__init__(parent)
        self.language = language
        self.issues: list[Issue] = []

    def set_issues(self, issues: list[Issue]) -> None:
        """Replace the listed problems."""
        self.beginResetModel()
        self.issues = list(issues)
        self.endResetModel()

    def titles(self) -> tuple[str, ...]:
        return (self.tr("File"), self.tr("Sheet"), self.tr("Row"), self.tr("Column"),
                self.tr("Problem"), self.tr("Value"))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.issues)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = DISPLAY) -> Any:
        if role != DISPLAY:
            return None
        if orientation == Qt.Orientation.Horizontal:
            titles = self.titles()
            return titles[section] if 0 <= section < len(titles) else None
        return str(section + 1)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or index.row() >= len(self.issues):
            return None
        issue = self.issues[index.row()]
        where = issue.location
        if role in (DISPLAY, TIP):
            values = (where.file, where.sheet or "", "" if where.row is None else str(where.row),
                      where.column or "", issue_message(issue, self.language), issue.value or "")
            return values[index.column()] if 0 <= index.column() < 6 else None
        if role == ALIGN and index.column() == 2:
            return RIGHT
        return None
