"""Edit → Preferences: language, tolerance, area unit, folders, the user's template folder."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from ui.settings import Preferences

FOLDERS = ("import", "export", "report")


class PreferencesDialog(QDialog):
    """A form over :class:`Preferences`; ``apply()`` stores what the user chose."""

    def __init__(self, preferences: Preferences, parent: QWidget | None = None):
        super().__init__(parent)
        self.preferences = preferences
        self.setWindowTitle(self.tr("Preferences"))
        self.setMinimumWidth(560)
        form = QFormLayout(self)
        self.language = QComboBox()
        self.language.addItem("简体中文", "zh_CN")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(preferences.language)))
        form.addRow(self.tr("Language:"), self.language)
        self.unit = QComboBox()
        self.unit.addItem(self.tr("Hectares (公顷)"), "公顷")
        self.unit.addItem(self.tr("Mu (亩)"), "亩")
        self.unit.setCurrentIndex(max(0, self.unit.findData(preferences.area_unit)))
        form.addRow(self.tr("Show areas in:"), self.unit)
        self.tolerance = QDoubleSpinBox()
        self.tolerance.setDecimals(4)
        self.tolerance.setRange(0.0, 1000.0)
        self.tolerance.setSingleStep(0.01)
        self.tolerance.setValue(preferences.tolerance)
        self.tolerance.setToolTip(self.tr("Differences up to this amount (in the item's unit) are "
                                          "treated as rounding by the checks"))
        form.addRow(self.tr("Check tolerance:"), self.tolerance)
        names = {"import": self.tr("Import folder:"), "export": self.tr("Export folder:"),
                 "report": self.tr("Report folder:")}
        self.folders = {}
        for purpose in FOLDERS:
            self.folders[purpose] = self._folder_row(form, names[purpose],
                                                     preferences.directory(purpose))
        self.template_dir = self._folder_row(form, self.tr("My templates folder:"),
                                             preferences.template_dir)
        self.template_dir.setPlaceholderText(self.tr("(empty: the shipped templates)"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _folder_row(self, form: QFormLayout, label: str, value: str) -> QLineEdit:
        edit = QLineEdit(value)
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(lambda: self._browse(edit))
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        row.addWidget(browse)
        form.addRow(label, row)
        return edit

    def _browse(self, edit: QLineEdit) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a folder"), edit.text())
        if folder:
            edit.setText(folder)

    def apply(self) -> None:
        """Store the choices in the preferences."""
        p = self.preferences
        p.language = self.language.currentData()
        p.area_unit = self.unit.currentData()
        p.tolerance = self.tolerance.value()
        for purpose, edit in self.folders.items():
            p.set_directory(purpose, edit.text().strip())
        p.template_dir = self.template_dir.text().strip()
