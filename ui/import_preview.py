"""The import wizard's check page: per file the kind, sheet, column mapping, units, first rows and
every problem found, each file checked in a worker by ``balancesheet.importer.preview``; for land
codes the classification (二调/三调) and the shares of split 二调 classes, for a 存量及变动表 the
region and year when the file does not state them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from shiboken6 import isValid

from ui.import_models import (
    FieldDelegate,
    IssuesModel,
    MappingModel,
    SampleModel,
    SplitBox,
    SplitModel,
    share_problems,
    splits_from,
)
from ui.tasks import run_task

if TYPE_CHECKING:
    from balancesheet.importer.preview import Preview
    from balancesheet.project import Project
    from ui.import_wizard import FileEntry, ImportWizard

ENTRY = Qt.ItemDataRole.UserRole
KIND_ROW, SHEET_ROW, CLASSIFICATION_ROW, REGION_ROW, YEAR_ROW = range(5)
NO_YEAR = 1948  # the year box's "not given" value (the core accepts 1949 onwards)
CROSSWALK_PREFIX = "二调地类换算"  # the core's note on the crosswalk applied (shown on its own row)
RED = "<span style='color:#b00020'>{}</span>"
CLI_HINT = re.compile(r"命令行：[^。]*。")  # the core's "on the command line: --split …" sentence


@dataclass
class Checked:
    """A check's answer: the preview, the project's regions (code, name), and for a 存量及变动表
    the regions and years its sheets state."""

    preview: Preview
    regions: list[tuple[str, str]]
    stated: tuple[tuple[str, ...], tuple[int, ...]] = ((), ())


def check_file(project: Project, entry: FileEntry, known: frozenset[str]) -> Checked:
    """Preview ``entry`` with the user's choices (runs in the worker; reads the entry's choices
    as they were when the check was started, see :meth:`PreviewPage.check`)."""
    from balancesheet.importer.preview import preview
    from balancesheet.importer.wide import WIDE

    result = preview(project, entry.path, entry.kind, entry.sheet, dict(entry.columns), known,
                     region=entry.region, year=entry.year, classification=entry.classification,
                     splits=entry.splits or None)
    regions = project.regions()
    stated: tuple[tuple[str, ...], tuple[int, ...]] = ((), ())
    if result.kind == WIDE:
        stated = wide_stated(project, Path(entry.path), entry.sheet)
    return Checked(result, regions, stated)


def wide_stated(project: Project, path: Path,
                sheet: str | None) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The regions and years the 存量及变动表 sheets of ``path`` (or its ``sheet``) state in their
    title, 填报单位 line, sheet name or cover, as the core reads them (one per sheet at most)."""
    from balancesheet.errors import UserError
    from balancesheet.importer.readers import read_grid
    from balancesheet.importer.wide_items import Indexes
    from balancesheet.importer.wide_layout import find_layout, sheet_texts
    from balancesheet.importer.wide_meta import Context, RegionRow, sheet_about

    try:
        grids = read_grid(path, sheet)
    except UserError:
        return (), ()
    layouts = {name: find_layout(grid, name) for name, grid in grids.items()}
    frame = project.store.read_sql("SELECT code, name, parent_code FROM region")
    rows = [RegionRow(str(c), str(n), p if isinstance(p, str) else None)
            for c, n, p in frame.itertuples(index=False)]
    cover = [text for name, grid in grids.items() if layouts[name] is None
             for text in sheet_texts(grid)]
    context = Context(path.name, rows, Indexes(project.catalog), cover)
    regions: set[str] = set()
    years: set[int] = set()
    for layout in layouts.values():  # a workbook's sheets: a handful
        if layout is not None:
            region, year, _opening, _resource = sheet_about(context, layout, [])
            regions.update([region] if region else [])
            years.update([year] if year else [])
    return tuple(sorted(regions)), tuple(sorted(years))


def _table(model: object, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)  # type: ignore[arg-type]
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setHighlightSections(False)
    return view


def _crosswalk_kinds() -> tuple[str, ...]:
    """The kinds whose land codes may be 二调 codes (stocks, land changes)."""
    from balancesheet.importer.crosswalk import KINDS  # loaded with the importer by the first check

    return tuple(KINDS)


def _wide_kind() -> str:
    from balancesheet.importer.wide import WIDE  # loaded with the importer by the first check

    return WIDE


def _row(field: QWidget, note: QLabel) -> QHBoxLayout:
    """A form row's field with its note beside it."""
    row = QHBoxLayout()
    row.addWidget(field)
    row.addWidget(note, 1)
    return row


class PreviewPage(QWizardPage):
    """Check every file; the Import button is enabled only when all of them are ready."""

    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.wiz = wizard
        self.ctx = wizard.ctx
        self.setTitle(self.tr("Check the files"))
        self.setSubTitle(self.tr("Each file is read and checked without changing the project. "
                                 "Everything listed under Problems must be fixed before importing."))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Import"))
        self.files = QListWidget()
        self.files.setObjectName("preview_files")
        self.files.currentItemChanged.connect(lambda *_: self.show_entry(self.current()))
        self.mapping = MappingModel(self)
        self.mapping.mapping_edited.connect(self._mapping_edited)
        self.sample = SampleModel(self)
        self.issues = IssuesModel(self.ctx.language, self)
        self.splits = SplitModel(self)
        self.splits.shares_edited.connect(self._shares_edited)
        self.region_rows: list[tuple[str, str]] = []  # the project's regions (code, name)
        self._shown: tuple[FileEntry | None, Preview | None] = (None, None)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.files)
        splitter.addWidget(self._details())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([230, 950])
        self.reason = QLabel()
        self.reason.setObjectName("reason")
        self.reason.setWordWrap(True)
        self.reason.setTextFormat(Qt.TextFormat.PlainText)
        self.recheck = QPushButton(self.tr("Check &again"))
        self.recheck.setToolTip(self.tr("Read every file again (after you corrected it)"))
        self.recheck.clicked.connect(self.check_all)
        bottom = QHBoxLayout()
        bottom.addWidget(self.reason, 1)
        bottom.addWidget(self.recheck)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

    # ------------------------------------------------------------------ layout
    def _details(self) -> QWidget:
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setObjectName("file_title")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel()
        self.status.setObjectName("file_status")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        self.kind.setPlaceholderText(self.tr("Choose the kind of table"))
        self.kind_note = QLabel()
        self.kind_note.setWordWrap(True)
        self.kind.activated.connect(self._kind_chosen)
        self.sheet = QComboBox()
        self.sheet.setObjectName("sheet")
        self.sheet.setPlaceholderText(self.tr("Choose the sheet"))
        self.sheet.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.sheet.activated.connect(self._sheet_chosen)
        self.sheet_label = QLabel(self.tr("Sheet:"))
        self.sheet_note = QLabel()
        self.sheet_note.setObjectName("sheet_note")
        self.sheet_note.setWordWrap(True)
        self._choice_widgets()
        self.replace = QCheckBox(self.tr("&Replace the earlier import"))
        self.replace.setObjectName("replace")
        self.replace.toggled.connect(self._replace_toggled)
        self.replace_note = QLabel()
        self.replace_note.setWordWrap(True)
        self.replace_note.setTextFormat(Qt.TextFormat.PlainText)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.kind)
        kind_row.addWidget(self.kind_note, 1)
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(self.sheet)
        sheet_row.addWidget(self.sheet_note, 1)
        form = QFormLayout()
        form.addRow(self.tr("Kind of table:"), kind_row)
        form.addRow(self.sheet_label, sheet_row)
        form.addRow(self.tr("Land classification:"),
                    _row(self.classification, self.classification_note))
        form.addRow(self.tr("Region:"), _row(self.region, self.region_note))
        form.addRow(self.tr("Year:"), _row(self.year, self.year_note))
        for row in (CLASSIFICATION_ROW, REGION_ROW, YEAR_ROW):
            form.setRowVisible(row, False)
        self.form = form

        self.mapping_view = _table(self.mapping, "mapping")
        self.mapping_view.setItemDelegateForColumn(1, FieldDelegate(self.mapping_view))
        self.mapping_view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        header = self.mapping_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.mapping_view.verticalHeader().setDefaultSectionSize(self.kind.sizeHint().height() + 2)
        self.mapping_view.verticalHeader().hide()
        self.missing = QLabel()
        self.missing.setObjectName("missing")
        self.missing.setWordWrap(True)
        self.units = QLabel()
        self.units.setObjectName("units")
        self.units.setWordWrap(True)
        legend = QLabel(self.tr("* required field"))
        mapping_box = QGroupBox(self.tr("Columns"))
        box = QVBoxLayout(mapping_box)
        box.addWidget(self.mapping_view, 1)
        box.addWidget(self.missing)
        box.addWidget(self.units)
        box.addWidget(legend)

        self.sample_view = _table(self.sample, "sample")
        self.sample_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sample_box = QGroupBox(self.tr("First rows"))
        QVBoxLayout(self.sample_box).addWidget(self.sample_view)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(mapping_box)
        top.addWidget(self.sample_box)
        top.setStretchFactor(1, 1)
        top.setSizes([340, 600])

        self.issues_view = _table(self.issues, "issues")
        self.issues_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.issues_view.setWordWrap(False)
        self.issues_view.verticalHeader().hide()  # a count beside the Row column only confuses
        self.issues_view.horizontalHeader().setStretchLastSection(False)
        self.issues_box = QGroupBox(self.tr("Problems"))
        QVBoxLayout(self.issues_box).addWidget(self.issues_view)
        self.split_box = SplitBox(self.splits)
        self.split_box.hide()
        parts = QSplitter(Qt.Orientation.Vertical)
        parts.addWidget(top)
        parts.addWidget(self.split_box)
        parts.addWidget(self.issues_box)
        parts.setSizes([330, 0, 250])
        parts.setCollapsible(1, False)
        self.parts = parts

        details = QWidget()
        layout = QVBoxLayout(details)
        layout.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(self.status, 1)
        layout.addLayout(head)
        layout.addLayout(form)
        layout.addWidget(self.replace)
        layout.addWidget(self.replace_note)
        layout.addWidget(parts, 1)
        self._fill_kinds()
        return details

    def _choice_widgets(self) -> None:
        """The classification (land codes) and the region and year (a 存量及变动表) choices."""
        self.classification = QComboBox()
        self.classification.setObjectName("classification")
        self.classification.addItem(self.tr("Detect automatically"), "")
        self.classification.addItem(self.tr("二调 (GB/T 21010-2007)"), "2007")
        self.classification.addItem(self.tr("三调 (GB/T 21010-2017)"), "2017")
        self.classification.setToolTip(self.tr(
            "The land classification of the codes in the file. Codes of the 二调 classification "
            "are converted to the 三调 classes of the land account."))
        self.classification.activated.connect(self._classification_chosen)
        self.classification_note = QLabel()
        self.classification_note.setObjectName("classification_note")
        self.classification_note.setWordWrap(True)
        self.classification_note.setTextFormat(Qt.TextFormat.PlainText)
        self.region = QComboBox()
        self.region.setObjectName("region")
        self.region.setPlaceholderText(self.tr("Choose the region"))
        self.region.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.region.activated.connect(self._region_chosen)
        self.region_note = QLabel()
        self.region_note.setObjectName("region_note")
        self.region_note.setWordWrap(True)
        self.region_note.setTextFormat(Qt.TextFormat.RichText)
        self.year = QSpinBox()
        self.year.setObjectName("year")
        self.year.setRange(NO_YEAR, dt.date.today().year)
        self.year.setSpecialValueText(self.tr("(not given)"))
        self.year.setKeyboardTracking(False)  # checked once the year is typed, not at each digit
        self.year.setMinimumWidth(self.year.fontMetrics().horizontalAdvance("0000000000") + 30)
        self.year.valueChanged.connect(self._year_chosen)
        self.year_note = QLabel()
        self.year_note.setObjectName("year_note")
        self.year_note.setWordWrap(True)
        self.year_note.setTextFormat(Qt.TextFormat.RichText)

    def _fill_kinds(self) -> None:
        from balancesheet.importer.formats import KIND_NAMES, ORDER

        for kind in ORDER:
            self.kind.addItem(f"{KIND_NAMES[kind]}（{kind}）", kind)

    # ------------------------------------------------------------------ wizard page
    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self.refresh()

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return bool(self.wiz.entries) and all(e.ready for e in self.wiz.entries)

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        return self.isComplete()  # also when next() is called without the (disabled) button

    def refresh(self) -> None:
        """List the files and check those not checked yet."""
        self._fill_files()
        for entry in self.wiz.entries:
            if entry.preview is None and not entry.checking:
                self.check(entry)
        self._update()

    def check_all(self) -> None:
        """Check every file again (the files or the project may have changed)."""
        for entry in self.wiz.entries:
            self.check(entry)

    def current(self) -> FileEntry | None:
        """The file shown on the right."""
        item = self.files.currentItem()
        return self._entry(item) if item is not None else None

    def _entry(self, item: QListWidgetItem) -> FileEntry | None:
        wanted = item.data(ENTRY)
        return next((e for e in self.wiz.entries if id(e) == wanted), None)

    def select(self, entry: FileEntry) -> None:
        """Show ``entry``'s details."""
        for row in range(self.files.count()):
            if self.files.item(row).data(ENTRY) == id(entry):
                self.files.setCurrentRow(row)

    # ------------------------------------------------------------------ checking in a worker
    def check(self, entry: FileEntry) -> None:
        """Check ``entry`` with its current choices in a worker (a newer check supersedes it)."""
        from copy import copy

        project = self.ctx.require_project()
        entry.generation += 1
        entry.checking = True
        entry.failure = ""
        entry.known = self.wiz.known_regions(entry)
        generation = entry.generation
        choices = copy(entry)  # the choices as they are now (the user may change them meanwhile)
        known = entry.known

        def done(result: Checked) -> None:
            if isValid(self):
                self.region_rows = result.regions
                self._checked(entry, generation, result.preview, "", result.stated)

        def failed(exc: BaseException) -> None:
            if isValid(self):
                from balancesheet.errors import UserError
                from ui.errors import log, user_message

                if not isinstance(exc, UserError):
                    log.error("import preview failed", exc_info=(type(exc), exc, exc.__traceback__))
                self._checked(entry, generation, None, user_message(exc, self.ctx.language))

        run_task(lambda _state: check_file(project, choices, known), done, failed)
        self._update()

    def _checked(self, entry: FileEntry, generation: int, result: Preview | None, failure: str,
                 stated: tuple[tuple[str, ...], tuple[int, ...]] = ((), ())) -> None:
        if entry.generation != generation or entry not in self.wiz.entries:
            return  # superseded by a newer check, or removed
        entry.checking = False
        entry.preview = result
        entry.failure = failure
        entry.stated = stated
        if result is not None:
            entry.sheet = result.sheet
        classes = result.split_classes if result else []
        entry.split_error = "\n".join(share_problems(classes, entry.shares))
        self._recheck_dependants()
        self._update()

    def _recheck_dependants(self) -> None:
        """Check again the files whose accepted regions changed (a regions file was checked)."""
        for other in self.wiz.entries:
            if not other.checking and other.known != self.wiz.known_regions(other):
                self.check(other)

    # ------------------------------------------------------------------ the user's choices
    def _kind_chosen(self, index: int) -> None:
        entry = self.current()
        kind = self.kind.itemData(index)
        if entry is None or entry.preview is None or kind == (entry.kind or entry.preview.kind):
            return
        entry.kind, entry.kind_chosen, entry.columns = kind, True, {}
        self.check(entry)

    def _sheet_chosen(self, index: int) -> None:
        entry = self.current()
        sheet = self.sheet.itemText(index)
        if entry is None or sheet == entry.sheet:
            return
        entry.sheet, entry.kind, entry.kind_chosen, entry.columns = sheet, None, False, {}
        self.check(entry)

    def _mapping_edited(self, _header: str, _field: str) -> None:
        entry = self.current()
        if entry is None or entry.preview is None:
            return
        entry.kind = entry.preview.kind  # the mapping belongs to the kind it was made for
        entry.columns = {h: self.mapping.columns.get(h, "") for h in self.mapping.headers}
        self.check(entry)

    def _classification_chosen(self, index: int) -> None:
        entry = self.current()
        chosen = self.classification.itemData(index) or None
        if entry is None or chosen == entry.classification:
            return
        entry.classification = chosen
        self.check(entry)

    def _shares_edited(self) -> None:
        """The user changed a share: say what is wrong, or check the file with the new shares."""
        entry = self.current()
        if entry is None:
            return
        entry.shares = {code: dict(chosen) for code, chosen in self.splits.shares.items()}
        entry.split_error = "\n".join(share_problems(self.splits.classes, entry.shares))
        splits = splits_from(entry.shares)
        if not entry.split_error and splits != entry.splits:
            entry.splits = splits
            self.check(entry)
        else:
            self._update()

    def _region_chosen(self, index: int) -> None:
        entry = self.current()
        code = self.region.itemData(index)
        if entry is None or not code or code == self._region_of(entry):
            return
        entry.region = code
        self.check(entry)

    def _year_chosen(self, value: int) -> None:
        entry = self.current()
        year = None if value == NO_YEAR else value
        if entry is None or year == self._year_of(entry) or not self.year.isVisibleTo(self):
            return
        entry.year = year
        self.check(entry)

    @staticmethod
    def _region_of(entry: FileEntry) -> str | None:
        """The region a 存量及变动表 is read for: the user's, else the one its sheets state."""
        regions = entry.stated[0]
        return entry.region or (regions[0] if len(regions) == 1 else None)

    @staticmethod
    def _year_of(entry: FileEntry) -> int | None:
        """The year a 存量及变动表 is read for: the user's, else the one its sheets state."""
        years = entry.stated[1]
        return entry.year or (years[0] if len(years) == 1 else None)

    def _replace_toggled(self, on: bool) -> None:
        entry = self.current()
        if entry is not None:
            entry.replace = on
            self._update()

    # ------------------------------------------------------------------ showing
    def _fill_files(self) -> None:
        current = self.current()
        self.files.blockSignals(True)
        self.files.clear()
        for entry in self.wiz.entries:
            item = QListWidgetItem()
            item.setData(ENTRY, id(entry))
            item.setToolTip(entry.path)
            self.files.addItem(item)
        self.files.blockSignals(False)
        if self.wiz.entries:
            self.select(current if current in self.wiz.entries else self.wiz.entries[0])
        self.show_entry(self.current())

    def _update(self) -> None:
        style = self.style()
        for row in range(self.files.count()):
            item = self.files.item(row)
            entry = self._entry(item)
            if entry is None:
                continue
            text, icon = self.verdict(entry)
            item.setText(f"{entry.name}\n{text}")
            item.setIcon(style.standardIcon(icon))
        self.show_entry(self.current())
        self.reason.setText(self.blocking_reason())
        self.completeChanged.emit()

    def verdict(self, entry: FileEntry) -> tuple[str, QStyle.StandardPixmap]:
        """A short status of a file and its icon."""
        pixmap = QStyle.StandardPixmap
        p = entry.preview
        if entry.checking:
            return self.tr("Checking…"), pixmap.SP_BrowserReload
        if entry.failure or p is None:
            return self.tr("Could not be checked"), pixmap.SP_MessageBoxCritical
        if entry.split_error:
            return self.tr("Shares to correct"), pixmap.SP_MessageBoxWarning
        if not p.clean:
            return self.tr("{count} problem(s)").format(count=f"{len(p.issues):,}"), pixmap.SP_MessageBoxCritical
        if p.needs_replace and not entry.replace:
            return self.tr("Imported before: tick Replace"), pixmap.SP_MessageBoxWarning
        return self.tr("Ready: {count} row(s)").format(count=f"{p.rows:,}"), pixmap.SP_DialogApplyButton

    def blocking_reason(self) -> str:
        """Why Import is disabled (empty when it is enabled)."""
        entries = self.wiz.entries
        if not entries:
            return self.tr("Add files on the previous page.")
        if any(e.checking for e in entries):
            return self.tr("Checking the files…")
        blocked = [self.tr("{file} ({status})").format(file=e.name, status=self.verdict(e)[0])
                   for e in entries if not e.ready]
        if not blocked:
            return self.tr("All files are ready: Import adds them to the project, each file "
                           "completely or not at all.")
        return self.tr("Import is possible when every file is ready. Not ready: {files}. Correct "
                       "the file (then Check again), its kind, sheet or columns, or remove it on "
                       "the previous page.").format(files=self.tr(", ").join(blocked))

    def show_entry(self, entry: FileEntry | None) -> None:
        """Fill the details on the right for ``entry``."""
        p = entry.preview if entry else None
        self.title.setText(f"<b>{escape(entry.name)}</b>" if entry else "")
        self.status.setText(self._status_text(entry) if entry else "")
        self._show_kind(entry, p)
        self._show_sheets(entry, p)
        self._show_classification(entry, p)
        self._show_wide(entry, p)
        self._show_replace(entry, p)
        if entry is not self._shown[0] or p is not self._shown[1]:
            # Only a new check result resets the tables: while a check runs, the mapping keeps
            # what the user just chose (and its combo is not destroyed under the user's hand).
            self._shown = (entry, p)
            self._show_preview(p)
            self.splits.set_classes(p.split_classes if p else [], entry.shares if entry else {})
            self._show_split_box(bool(p and p.split_classes))
        self.split_box.show_error(entry.split_error if entry else "")

    def _show_split_box(self, shown: bool) -> None:
        """Show or hide the split classes; when they appear, they get room (the first rows and
        the problems give some of theirs)."""
        if shown == self.split_box.isVisibleTo(self):
            return
        self.split_box.setVisible(shown)
        top, _split, issues = self.parts.sizes()
        total = sum(self.parts.sizes())
        if shown:  # the first rows and the problems keep a few rows each
            issues = max(100, total // 5)
            split = min(self.split_box.wanted_height(), max(total - issues - 150, 150))
            self.parts.setSizes([max(total - split - issues, 150), split, issues])
        else:
            self.parts.setSizes([top, 0, issues])

    def _show_preview(self, p: Preview | None) -> None:
        self.mapping.set_preview(p)
        for row in range(self.mapping.rowCount()):
            self.mapping_view.openPersistentEditor(self.mapping.index(row, 1))
        missing = [label for name, label, _ in self.mapping.choices if p and name in p.missing]
        self.missing.setText(self.tr("<span style='color:#b00020'>Required fields without a column: "
                                     "{fields}. Choose the column that holds each.</span>")
                             .format(fields=self.tr(", ").join(missing)) if missing else "")
        self.missing.setVisible(bool(missing))
        self.units.setText(self._units_text(p))
        self.sample.set_preview(p, self.ctx.language)
        self.sample_box.setTitle(self.tr("First rows (of {count})").format(
            count=f"{p.rows if p else 0:,}"))
        self.sample_view.resizeColumnsToContents()
        self.issues.set_issues(p.issues if p else [])
        self.issues_box.setTitle(self.tr("Problems ({count})").format(
            count=f"{len(p.issues) if p else 0:,}"))
        self.issues_view.resizeColumnsToContents()
        self.issues_view.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)

    def _status_text(self, entry: FileEntry) -> str:
        p = entry.preview
        if entry.checking:
            return self.tr("Checking…")
        if entry.failure:
            return escape(entry.failure)
        if p is None:
            return ""
        if not p.clean:
            message = p.message_en if self.ctx.language == "en" and p.message_en else p.message
            if p.split_classes:  # the split table below is the way to choose, not the command line
                message = CLI_HINT.sub("", message)
            return RED.format(escape(message))
        notes = "".join(f"<br>{escape(n)}" for n in p.notes if not n.startswith(CROSSWALK_PREFIX))
        return escape(self.tr("No problems: {rows} rows can be imported.").format(rows=f"{p.rows:,}")) + notes

    def _show_kind(self, entry: FileEntry | None, p: Preview | None) -> None:
        self.kind.setEnabled(p is not None and bool(p.headers))
        kind = (entry.kind if entry else None) or (p.kind if p else None)  # a choice being checked
        self.kind.setCurrentIndex(self.kind.findData(kind) if kind else -1)
        if p is None or not p.headers:
            note = ""
        elif p.kind is None:
            note = self.tr("Not recognised from the headers: choose the kind.")
        elif p.detected:
            note = self.tr("Recognised from the headers.")
        elif entry is not None and entry.kind_chosen:
            note = self.tr("Chosen by you.")
        elif entry is not None and entry.columns:
            note = self.tr("Read with the columns as you mapped them.")
        else:
            note = self.tr("Not fully recognised: the closest kind. Check the columns below.")
        self.kind_note.setText(note)

    def _show_sheets(self, entry: FileEntry | None, p: Preview | None) -> None:
        sheets = p.sheets if p else []
        sheet = (entry.sheet if entry else None) or (p.sheet if p else None)
        self.sheet.clear()
        self.sheet.addItems(sheets)
        # No sheet read yet (several could be: the user must choose): show none as chosen.
        # A 存量及变动表 is read from every such sheet: with one sheet, that one.
        if sheet not in sheets and len(sheets) == 1 and p is not None and p.kind is not None:
            sheet = sheets[0]
        self.sheet.setCurrentIndex(sheets.index(sheet) if sheet in sheets else -1)
        self.form.setRowVisible(SHEET_ROW, len(sheets) > 0)
        if p is None or len(sheets) < 2 or sheet in sheets:
            note = ""
        elif p.kind is None:
            note = RED.format(escape(self.tr("Several sheets could be imported: choose one.")))
        else:  # a 存量及变动表 workbook: every such sheet is read
            note = escape(self.tr("Every 存量及变动表 sheet is read; choose a sheet to import only it."))
        self.sheet_note.setText(note)

    def _show_classification(self, entry: FileEntry | None, p: Preview | None) -> None:
        shown = entry is not None and p is not None and p.kind in _crosswalk_kinds()
        self.form.setRowVisible(CLASSIFICATION_ROW, shown)
        if not shown or entry is None or p is None:
            return
        index = self.classification.findData(entry.classification or "")
        self.classification.setCurrentIndex(max(0, index))
        self.classification_note.setText(self._classification_text(entry, p))

    def _classification_text(self, entry: FileEntry, p: Preview) -> str:
        from balancesheet.crosswalk import describe

        if entry.checking:
            return ""
        if p.crosswalk:
            return self.tr("Converted from 二调 to 三调 classes ({rows} rows): {mapping}").format(
                rows=f"{p.crosswalk.get('rows', 0):,}", mapping=describe(p.crosswalk))
        if p.split_classes:
            return self.tr("The file uses 二调 codes; some classes split: choose below.")
        if entry.classification == "2017":
            return self.tr("The codes are read as 三调 classes; nothing is converted.")
        if entry.classification == "2007":
            return self.tr("The codes are read as 二调 classes and converted to 三调 classes.")
        if p.clean:
            return self.tr("No 二调 codes found: the codes are read as 三调 classes.")
        return self.tr("二调 codes are recognised and converted to 三调 classes; choose here when "
                       "the codes could be either.")

    def _show_wide(self, entry: FileEntry | None, p: Preview | None) -> None:
        shown = entry is not None and p is not None and p.kind == _wide_kind()
        self.form.setRowVisible(REGION_ROW, shown)
        self.form.setRowVisible(YEAR_ROW, shown)
        if not shown or entry is None:
            return
        regions, years = entry.stated
        rows = self.region_rows + [(code, "") for code in sorted(entry.known)
                                   if code not in {c for c, _ in self.region_rows}]
        texts = [f"{code} {name}".strip() for code, name in rows]
        if [self.region.itemText(i) for i in range(self.region.count())] != texts:
            self.region.clear()
            for (code, _name), text in zip(rows, texts, strict=True):
                self.region.addItem(text, code)
        region = self._region_of(entry)
        self.region.setCurrentIndex(self.region.findData(region) if region else -1)
        self.region_note.setText(self._stated_text(entry.region, regions, self.tr(
            "The file does not state its region: choose it.")))
        year = self._year_of(entry)
        self.year.blockSignals(True)
        self.year.setValue(year or NO_YEAR)
        self.year.blockSignals(False)
        self.year_note.setText(self._stated_text(entry.year, years, self.tr(
            "The file does not state its year: enter it.")))

    def _stated_text(self, chosen: object, stated: tuple[object, ...], missing: str) -> str:
        """How a region or year of a 存量及变动表 was found (rich text)."""
        if chosen is not None:
            return escape(self.tr("Chosen by you."))
        if len(stated) == 1:
            return escape(self.tr("Stated in the file."))
        if stated:
            return RED.format(escape(self.tr("The sheets state different ones ({values}): import "
                                             "the sheets one at a time.").format(
                values=self.tr(", ").join(map(str, stated)))))
        return RED.format(escape(missing))

    def _show_replace(self, entry: FileEntry | None, p: Preview | None) -> None:
        needed = bool(entry and p and p.clean and p.needs_replace)
        self.replace.setVisible(needed)
        self.replace_note.setVisible(needed)
        self.replace.blockSignals(True)
        self.replace.setChecked(bool(entry and entry.replace))
        self.replace.blockSignals(False)
        if not needed or p is None:
            return
        parts = []
        if p.earlier:
            parts.append(self.tr("The same content was imported before: {earlier}. Importing it again "
                                 "is refused unless you tick Replace.").format(earlier=p.earlier))
        if p.clashes:
            parts.append(self.tr("Change records of this kind are already stored for {clashes}. "
                                 "Importing them again would count them twice; with Replace, those "
                                 "records are deleted and replaced by this file's.")
                         .format(clashes=p.clashes))
        parts.append(self.tr("Stock values in the file overwrite the stored ones; every change is "
                             "logged with this import."))
        self.replace_note.setText(" ".join(parts))

    def _units_text(self, p: Preview | None) -> str:
        if p is None or p.kind is None:
            return ""
        if p.units:
            return self.tr("Units in the file: {units} (converted to each item's unit on import).") \
                .format(units=self.tr(", ").join(p.units))
        return self.tr("No unit column: values are taken in each item's own unit (hectares for land).")
