"""Table models of the import wizard's preview: the column mapping (with its combo delegate),
the file's first rows, the problems found by validation, and the choices for 二调 classes that
split across several 三调 classes (with the box showing them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.formatting import format_number, parse_number

if TYPE_CHECKING:
    from balancesheet.errors import Issue
    from balancesheet.importer.crosswalk import SplitClass
    from balancesheet.importer.preview import Preview

Index = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole
EDIT = Qt.ItemDataRole.EditRole
TIP = Qt.ItemDataRole.ToolTipRole
ALIGN = Qt.ItemDataRole.TextAlignmentRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole
BACKGROUND = Qt.ItemDataRole.BackgroundRole
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
TOP_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
TOP_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
PROBLEM = QColor(255, 228, 225)
MUTED = QColor(128, 128, 128)
ERROR = QColor(176, 0, 32)


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


# ------------------------------------------------------------------ 二调 → 三调 split classes
SHARE_TOLERANCE = 1e-4  # percent: the core's 1e-6 on shares


def given_shares(shares: dict[str, dict[str, float]], code: str) -> dict[str, float]:
    """The shares (percent) entered for split class ``code``, those above 0 only."""
    return {target: value for target, value in shares.get(code, {}).items() if value > 0}


def share_problems(classes: list[SplitClass], shares: dict[str, dict[str, float]]) -> list[str]:
    """What is wrong with the entered shares of ``classes``: one message per class whose shares
    do not add up to 100 % (a class with no share entered is not chosen yet, not wrong)."""
    problems = []
    for split in classes:
        given = given_shares(shares, split.code)
        total = sum(given.values())
        if given and abs(total - 100) > SHARE_TOLERANCE:
            problems.append(QCoreApplication.translate(
                "SplitModel", "{cls}: the shares add up to {total} %; they must add up to 100 %.")
                .format(cls=f"{split.code} {split.name}", total=format_number(total, 2)))
    return problems


def splits_from(shares: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """The choices to give the core (``balancesheet.importer.Splits``: shares as fractions) for
    the classes whose entered shares add up to 100 %."""
    out = {}
    for code in shares:
        given = given_shares(shares, code)
        if given and abs(sum(given.values()) - 100) <= SHARE_TOLERANCE:
            out[code] = {target: value / 100 for target, value in given.items()}
    return out


class SplitModel(QAbstractTableModel):
    """The split 二调 classes of a file and the user's choice for each: one row per candidate
    三调 class with its share in percent (editable) and an "all to this class" tick; the class
    and the total of its shares are on the class's first row (the view spans them).

    ``shares`` (split class → {三调 class: percent}) is what the user entered; every edit emits
    ``shares_edited``.
    """

    shares_edited = Signal()
    OLD, NEW, ALL, SHARE, TOTAL = range(5)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.classes: list[SplitClass] = []
        self.rows: list[tuple[int, str, str]] = []  # (class number, 三调 code, name)
        self.shares: dict[str, dict[str, float]] = {}

    def set_classes(self, classes: list[SplitClass], shares: dict[str, dict[str, float]]) -> None:
        """Show ``classes`` with the ``shares`` entered so far (copied)."""
        self.beginResetModel()
        self.classes = list(classes)
        self.rows = [(n, code, name) for n, split in enumerate(self.classes)
                     for code, name in split.candidates]
        self.shares = {code: dict(chosen) for code, chosen in shares.items()}
        self.endResetModel()

    def groups(self) -> list[tuple[int, int]]:
        """(first row, row count) of each class."""
        out, first = [], 0
        for split in self.classes:
            out.append((first, len(split.candidates)))
            first += len(split.candidates)
        return out

    def total(self, code: str) -> float | None:
        """The sum of the shares entered for class ``code`` (None: none entered)."""
        given = given_shares(self.shares, code)
        return sum(given.values()) if given else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else 5

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = DISPLAY) -> Any:
        if role != DISPLAY:
            return None
        if orientation == Qt.Orientation.Horizontal:
            titles = (self.tr("二调 class (GB/T 21010-2007)"), self.tr("三调 class"),
                      self.tr("All to this class"), self.tr("Share (%)"),
                      self.tr("Class total (%)"))
            return titles[section] if 0 <= section < len(titles) else None
        return str(section + 1)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        number, target, name = self.rows[index.row()]
        split = self.classes[number]
        column = index.column()
        share = given_shares(self.shares, split.code).get(target)
        if column == self.OLD:
            return self._old_data(split, role)
        if column == self.NEW and role == DISPLAY:
            return f"{target} {name}"
        if column == self.ALL and role == Qt.ItemDataRole.CheckStateRole:
            only = given_shares(self.shares, split.code) == {target: 100.0}
            return Qt.CheckState.Checked if only else Qt.CheckState.Unchecked
        if column == self.ALL and role == TIP:
            return self.tr("Put the whole area of {cls} into {target}.").format(
                cls=f"{split.code} {split.name}", target=f"{target} {name}")
        if column == self.SHARE:
            if role == DISPLAY:
                return format_number(share, 2)
            if role == EDIT:
                return share or 0.0
            if role == ALIGN:
                return RIGHT
            if role == TIP:
                return self.tr("The share of {cls} that becomes {target}, in percent.").format(
                    cls=f"{split.code} {split.name}", target=f"{target} {name}")
        if column == self.TOTAL:
            return self._total_data(split, role)
        return None

    def _old_data(self, split: SplitClass, role: int) -> Any:
        if role == DISPLAY:
            return f"{split.code} {split.name}"
        if role == ALIGN:
            return TOP_LEFT
        if role == TIP:
            rows = "、".join(str(r) for r in split.rows[:20]) + ("…" if split.count > 20 else "")
            text = self.tr("{count} row(s) of the file: {rows}").format(
                count=split.count, rows=rows)
            return f"{text}\n{split.note}" if split.note else text
        return None

    def _total_data(self, split: SplitClass, role: int) -> Any:
        total = self.total(split.code)
        wrong = total is not None and abs(total - 100) > SHARE_TOLERANCE
        if role == DISPLAY:
            return self.tr("not chosen") if total is None else format_number(total, 2)
        if role == ALIGN:
            return TOP_RIGHT
        if role == FOREGROUND and (wrong or total is None):
            return QBrush(ERROR if wrong else MUTED)
        if role == BACKGROUND and wrong:
            return QBrush(PROBLEM)
        if role == TIP:
            return self.tr("The shares of a class must add up to 100 %.")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.ALL:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if index.column() == self.SHARE:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:  # noqa: N802 - Qt API
        if not index.isValid() or index.row() >= len(self.rows):
            return False
        number, target, _name = self.rows[index.row()]
        code = self.classes[number].code
        if index.column() == self.ALL and role == Qt.ItemDataRole.CheckStateRole:
            state = value.value if hasattr(value, "value") else int(value)
            self.shares[code] = {target: 100.0} if state == Qt.CheckState.Checked.value else {}
        elif index.column() == self.SHARE and role == EDIT:
            share = _percent(value)
            if share is None:
                return False
            chosen = self.shares.setdefault(code, {})
            if share > 0:
                chosen[target] = share
            else:
                chosen.pop(target, None)
        else:
            return False
        first, count = self.groups()[number]
        self.dataChanged.emit(self.index(first, 0), self.index(first + count - 1, self.TOTAL))
        self.shares_edited.emit()
        return True


def _percent(value: Any) -> float | None:
    """A share typed or set as 80, "80", "80 %" or "８０％" (percent), or None when it is not one
    between 0 and 100."""
    if value is None or value == "":
        return 0.0
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        try:
            number = parse_number(str(value).replace("%", "").replace("％", ""))
        except ValueError:
            return None
    return number if 0 <= number <= 100 else None


class ShareDelegate(QStyledItemDelegate):
    """A percent spin box (0–100 %, two decimals) for the split table's share column."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802 - Qt API
                     index: Index) -> QWidget:
        spin = QDoubleSpinBox(parent)
        spin.setObjectName("share_editor")
        spin.setRange(0, 100)
        spin.setDecimals(2)
        spin.setSuffix(" %")
        spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        spin.setButtonSymbols(QDoubleSpinBox.ButtonSymbols.NoButtons)
        return spin

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802 - Qt API
        if isinstance(editor, QDoubleSpinBox):
            editor.setValue(float(index.data(EDIT) or 0))
            editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,  # noqa: N802 - Qt API
                     index: Index) -> None:
        if isinstance(editor, QDoubleSpinBox):
            editor.interpretText()
            model.setData(index, editor.value(), EDIT)


class SplitBox(QGroupBox):
    """The split 二调 classes of the file shown and their choices: the table, what is wrong with
    the shares, and how to choose."""

    def __init__(self, model: SplitModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("split_box")
        self.model = model
        self.setTitle(self.tr("二调 classes that split into several 三调 classes"))
        self.help = QLabel(self.tr(
            "For each class, tick the one 三调 class that receives all of it, or enter the share "
            "of each (the shares of a class must add up to 100 %). The file is checked again with "
            "your choice."))
        self.help.setWordWrap(True)
        self.view = QTableView()
        self.view.setObjectName("splits")
        self.view.setModel(model)
        self.view.setItemDelegateForColumn(SplitModel.SHARE, ShareDelegate(self.view))
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.SelectedClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        self.view.horizontalHeader().setHighlightSections(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(self.view.fontMetrics().horizontalAdvance("100.00 %") + 24)
        self.error = QLabel()
        self.error.setObjectName("split_error")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #b00020")
        layout = QVBoxLayout(self)
        layout.addWidget(self.help)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error)
        model.modelReset.connect(self._spans)

    def _spans(self) -> None:
        """One cell per class for its name and its total, across its candidates' rows."""
        self.view.clearSpans()
        for first, count in self.model.groups():
            if count > 1:
                self.view.setSpan(first, SplitModel.OLD, count, 1)
                self.view.setSpan(first, SplitModel.TOTAL, count, 1)

    def wanted_height(self) -> int:
        """The height that shows every row of the table (with the help and one error line)."""
        view = self.view
        rows = view.verticalHeader().defaultSectionSize() * self.model.rowCount()
        margins = self.contentsMargins().top() + self.contentsMargins().bottom()
        return (rows + view.horizontalHeader().sizeHint().height() + 2 * view.frameWidth()
                + self.help.sizeHint().height() + 2 * self.error.fontMetrics().height()
                + margins + 24)

    def show_error(self, text: str) -> None:
        """Say what is wrong with the shares ("" when nothing is)."""
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def share_index(self, code: str, target: str) -> QModelIndex:
        """The share cell of class ``code`` → ``target`` (invalid when not shown)."""
        return self._index(code, target, SplitModel.SHARE)

    def all_index(self, code: str, target: str) -> QModelIndex:
        """The "all to this class" cell of class ``code`` → ``target``."""
        return self._index(code, target, SplitModel.ALL)

    def _index(self, code: str, target: str, column: int) -> QModelIndex:
        for row, (number, to, _name) in enumerate(self.model.rows):
            if self.model.classes[number].code == code and to == target:
                return self.model.index(row, column)
        return QModelIndex()
