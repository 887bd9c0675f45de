"""A heat map of a square matrix (the land transition matrix): one coloured cell per pair of classes.

Off-diagonal cells (area that changed class) use a warm colour ramp on a logarithmic scale, so a
few hectares stand out next to tens of thousands; the diagonal (area that stayed) uses a pale blue
ramp of its own. The colour grid is drawn as one scaled image and the grid lines as one call, so
painting costs the same for 14 or 60 classes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QToolTip, QWidget

from ui.formatting import format_number

# colour stops (position, r, g, b)
WARM = np.array([[0.0, 255, 245, 224], [0.35, 253, 190, 120], [0.7, 228, 90, 40],
                 [1.0, 127, 20, 10]], dtype=float)
PALE = np.array([[0.0, 238, 242, 247], [1.0, 150, 175, 205]], dtype=float)
EMPTY = (252, 252, 252)
NEGATIVE = (214, 96, 200)
GRID = QColor(210, 210, 210)
TEXT = QColor(40, 40, 40)


def ramp(stops: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Colours (…, 3) for positions ``t`` in 0…1 along the colour ``stops``."""
    t = np.clip(t, 0.0, 1.0)
    return np.stack([np.interp(t, stops[:, 0], stops[:, k]) for k in (1, 2, 3)], axis=-1)


def cell_colours(values: np.ndarray) -> np.ndarray:
    """RGB (n, n, 3) uint8: warm log scale off the diagonal, pale log scale on it."""
    n = len(values)
    off = ~np.eye(n, dtype=bool)
    rgb = np.empty((n, n, 3))
    rgb[:] = EMPTY
    positive = values > 0
    for mask, stops in ((off & positive, WARM), (~off & positive, PALE)):
        if mask.any():
            top = np.log1p(values[mask].max())
            rgb[mask] = ramp(stops, np.log1p(values[mask]) / top if top > 0 else 0.0)
    rgb[values < 0] = NEGATIVE
    return rgb.round().astype(np.uint8)


@dataclass
class _Layout:
    grid: QRectF
    side: float
    rows: QRectF       # the row labels' band
    columns: QRectF    # the column labels' band
    legend: QRectF
    vertical_codes: bool
    label_font: QFont
    cell_font: QFont


class HeatMap(QWidget):
    """Paints ``values`` (n × n, rows = from, columns = to) with labelled rows and columns.

    Hovering a cell outlines it and its tooltip reads ``从 X 到 Y：n 公顷``.
    """

    hovered = Signal(int, int)  # row, column (-1, -1 when leaving the grid)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.codes: list[str] = []
        self.names: list[str] = []
        self.values = np.zeros((0, 0))
        self.unit = ""
        self.caption = ""
        self._image: QImage | None = None
        self._rgb = np.zeros((0, 0, 3), np.uint8)
        self._hover: tuple[int, int] | None = None
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Ctrl+C copies the matrix
        self.setMinimumSize(320, 240)
        self.setBackgroundRole(self.backgroundRole())
        self.setAutoFillBackground(True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(900, 640)

    def set_matrix(self, codes: list[str], names: list[str], values: np.ndarray, unit: str,
                   caption: str = "") -> None:
        """Show ``values`` (already in ``unit``) for the classes ``codes`` / ``names``."""
        self.codes, self.names, self.unit, self.caption = list(codes), list(names), unit, caption
        self.values = np.asarray(values, dtype=float)
        self._hover = None
        self._image = None
        if len(self.values):
            rgb = self._rgb = cell_colours(self.values)
            n = len(rgb)
            rgba = np.dstack([rgb, np.full((n, n), 255, np.uint8)]).copy()
            self._image = QImage(rgba.data, n, n, 4 * n, QImage.Format.Format_RGBA8888).copy()
        self.update()

    # ------------------------------------------------------------------ geometry
    def _layout(self) -> _Layout:
        n = max(len(self.codes), 1)
        base = QFont(self.font())
        metrics = QFontMetricsF(base)
        line = metrics.height()
        legend_w = metrics.horizontalAdvance("000,000.00") + 34
        caption_h = line + 8 if self.caption else 4
        avail_h = self.height() - caption_h - 8
        label_font = QFont(base)
        # rows: "code name" labels; shrink the font when rows are thin
        guess = min((self.width() - legend_w - 200) / n, (avail_h - line * 2) / n)
        label_font.setPixelSize(int(max(8, min(metrics.height() * 0.8, guess - 2))))
        lm = QFontMetricsF(label_font)
        row_w = max((lm.horizontalAdvance(f"{c} {m}") for c, m in zip(self.codes, self.names,
                                                                         strict=False)), default=40)
        row_w = min(row_w + 10, self.width() * 0.3)
        code_w = max((lm.horizontalAdvance(c) for c in self.codes), default=20) + 6
        side = min((self.width() - row_w - legend_w - 16) / n, (avail_h - lm.height() - 6) / n)
        vertical = code_w > side
        top_h = (code_w if vertical else lm.height()) + 6
        side = max(2.0, min(side, (avail_h - top_h) / n))
        grid = QRectF(8 + row_w, caption_h + top_h, side * n, side * n)
        cell_font = QFont(base)
        cell_font.setPixelSize(int(max(7, min(line * 0.75, side * 0.3))))
        return _Layout(grid, side, QRectF(8, grid.top(), row_w - 4, grid.height()),
                       QRectF(grid.left(), caption_h, grid.width(), top_h - 2),
                       QRectF(grid.right() + 14, grid.top(), legend_w - 20, grid.height()),
                       vertical, label_font, cell_font)

    def cell_at(self, pos: QPointF) -> tuple[int, int] | None:
        """(row, column) of the cell under ``pos``, or None outside the grid."""
        if not len(self.codes):
            return None
        lay = self._layout()
        if not lay.grid.contains(pos):
            return None
        n = len(self.codes)
        r = min(int((pos.y() - lay.grid.top()) / lay.side), n - 1)
        c = min(int((pos.x() - lay.grid.left()) / lay.side), n - 1)
        return r, c

    def cell_rect(self, r: int, c: int) -> QRectF:
        """The rectangle of cell (r, c) in widget coordinates."""
        lay = self._layout()
        return QRectF(lay.grid.left() + c * lay.side, lay.grid.top() + r * lay.side, lay.side,
                      lay.side)

    def tooltip_text(self, r: int, c: int) -> str:
        """``从 01 耕地 到 07 住宅用地：12.34 公顷``; the diagonal says the area stayed."""
        value = format_number(float(self.values[r, c]), 2)
        a, b = f"{self.codes[r]} {self.names[r]}", f"{self.codes[c]} {self.names[c]}"
        if r == c:
            return self.tr("{cls} unchanged: {value} {unit}").format(cls=a, value=value, unit=self.unit)
        return self.tr("From {a} to {b}: {value} {unit}").format(a=a, b=b, value=value, unit=self.unit)

    # ------------------------------------------------------------------ events
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cell = self.cell_at(QPointF(event.pos()))
            if cell is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), self.tooltip_text(*cell), self)
            return True
        return super().event(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        cell = self.cell_at(event.position())
        if cell != self._hover:
            self._hover = cell
            self.hovered.emit(*(cell or (-1, -1)))
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802
        if self._hover is not None:
            self._hover = None
            self.hovered.emit(-1, -1)
            self.update()
        super().leaveEvent(event)

    # ------------------------------------------------------------------ painting
    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        try:
            if self._image is None:
                painter.setPen(self.palette().placeholderText().color())
                painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No data"))
                return
            lay = self._layout()
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            if self.caption:
                painter.setPen(self.palette().windowText().color())
                painter.drawText(QRectF(8, 4, self.width() - 16, lay.columns.top() - 4),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                                 self.caption)
            painter.drawImage(lay.grid, self._image)
            self._paint_grid_lines(painter, lay)
            self._paint_labels(painter, lay)
            if lay.side >= 24:
                self._paint_values(painter, lay)
            self._paint_hover(painter, lay)
            self._paint_legend(painter, lay)
        finally:
            painter.end()

    def _paint_grid_lines(self, painter: QPainter, lay: _Layout) -> None:
        n = len(self.codes)
        if lay.side < 5:
            return
        g = lay.grid
        lines = [QLineF(g.left() + k * lay.side, g.top(), g.left() + k * lay.side, g.bottom())
                 for k in range(n + 1)]
        lines += [QLineF(g.left(), g.top() + k * lay.side, g.right(), g.top() + k * lay.side)
                  for k in range(n + 1)]
        painter.setPen(QPen(GRID, 1))
        painter.drawLines(lines)

    def _label_step(self, lay: _Layout) -> int:
        height = QFontMetricsF(lay.label_font).height()
        return max(1, int(np.ceil(height / max(lay.side, 1))))

    def _paint_labels(self, painter: QPainter, lay: _Layout) -> None:
        # grouped by colour: few pen changes however many classes (painting runs on every hover)
        painter.setFont(lay.label_font)
        metrics = QFontMetricsF(lay.label_font)
        hover_r, hover_c = self._hover or (-1, -1)
        step = self._label_step(lay)
        shown = [i for i in range(len(self.codes)) if not i % step or i in (hover_r, hover_c)]
        normal, strong = self.palette().windowText().color(), QColor(180, 40, 20)
        for colour, rows, columns in ((normal, [i for i in shown if i != hover_r],
                                       [i for i in shown if i != hover_c]),
                                      (strong, [hover_r] if hover_r >= 0 else [],
                                       [hover_c] if hover_c >= 0 else [])):
            painter.setPen(colour)
            for i in rows:
                text = metrics.elidedText(f"{self.codes[i]} {self.names[i]}",
                                          Qt.TextElideMode.ElideRight, lay.rows.width())
                painter.drawText(QRectF(lay.rows.left(), lay.grid.top() + i * lay.side,
                                        lay.rows.width(), lay.side),
                                 Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
            self._paint_codes(painter, lay, columns)

    def _paint_codes(self, painter: QPainter, lay: _Layout, columns: list[int]) -> None:
        if not columns:
            return
        if not lay.vertical_codes:
            for i in columns:
                painter.drawText(QRectF(lay.grid.left() + i * lay.side, lay.columns.top(), lay.side,
                                        lay.columns.height()),
                                 Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                                 self.codes[i])
            return
        painter.save()
        painter.rotate(-90)  # rotated (x, y) is (−y, x) on screen: codes read upwards
        for i in columns:
            painter.drawText(QRectF(-lay.columns.bottom(), lay.grid.left() + i * lay.side,
                                    lay.columns.height(), lay.side),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.codes[i])
        painter.restore()

    def _paint_values(self, painter: QPainter, lay: _Layout) -> None:
        painter.setFont(lay.cell_font)
        metrics = QFontMetricsF(lay.cell_font)
        room = lay.side - 4
        if metrics.height() > room:
            return
        rgb = self._rgb.astype(float)
        light = rgb @ np.array([0.299, 0.587, 0.114]) > 140  # dark text on light cells
        labels: dict[bool, list[tuple[QRectF, str]]] = {True: [], False: []}
        n = len(self.codes)
        for r in range(n):
            for c in range(n):
                value = float(self.values[r, c])
                if value == 0:
                    continue
                text = format_number(value, 2)
                if metrics.horizontalAdvance(text) > room:
                    text = format_number(value, 0)
                    if metrics.horizontalAdvance(text) > room:
                        continue
                labels[bool(light[r, c])].append((QRectF(
                    lay.grid.left() + c * lay.side, lay.grid.top() + r * lay.side, lay.side,
                    lay.side), text))
        for on_light, colour in ((True, TEXT), (False, QColor(255, 255, 255))):
            painter.setPen(colour)
            for rect, text in labels[on_light]:
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_hover(self, painter: QPainter, lay: _Layout) -> None:
        if self._hover is None:
            return
        r, c = self._hover
        painter.setPen(QPen(QColor(20, 20, 20), 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(lay.grid.left() + c * lay.side, lay.grid.top() + r * lay.side,
                                lay.side, lay.side).adjusted(1, 1, -1, -1))

    def _paint_legend(self, painter: QPainter, lay: _Layout) -> None:
        off = self.values[~np.eye(len(self.values), dtype=bool)]
        top_value = float(off.max()) if off.size and off.max() > 0 else 0.0
        metrics = QFontMetricsF(self.font())
        painter.setFont(self.font())
        painter.setPen(self.palette().windowText().color())
        box = lay.legend
        bar = QRectF(box.left(), box.top() + metrics.height() * 2.5 + 6, 14,
                     max(40.0, min(box.height() * 0.6, 260.0)))
        painter.drawText(QRectF(box.left(), box.top(), box.width() + 20, metrics.height() * 2),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                         self.tr("Changed\n({unit})").format(unit=self.unit))
        steps = np.linspace(1.0, 0.0, 64)
        strip = ramp(WARM, steps).round().astype(np.uint8)
        rgba = np.dstack([strip.reshape(64, 1, 3), np.full((64, 1), 255, np.uint8)]).copy()
        painter.drawImage(bar, QImage(rgba.data, 1, 64, 4, QImage.Format.Format_RGBA8888).copy())
        painter.setPen(QPen(GRID, 1))
        painter.drawRect(bar)
        painter.setPen(self.palette().windowText().color())
        ticks = [0.0] + [10.0 ** k for k in range(0, 8) if 10.0 ** k < top_value] + [top_value]
        top_log = np.log1p(top_value) if top_value > 0 else 1.0
        last_y = None
        for value in reversed(ticks):
            y = bar.bottom() - bar.height() * (np.log1p(value) / top_log)
            if last_y is not None and abs(y - last_y) < metrics.height():
                continue
            last_y = y
            painter.drawLine(QLineF(bar.right(), y, bar.right() + 4, y))
            painter.drawText(QRectF(bar.right() + 6, y - metrics.height() / 2, box.width(),
                                    metrics.height()), Qt.AlignmentFlag.AlignLeft |
                             Qt.AlignmentFlag.AlignVCenter, format_number(value, 0 if value >= 10 else 2))
        swatches = [(QColor(*ramp(PALE, np.array(0.6)).round().astype(int)),
                     self.tr("Unchanged\n(diagonal)"))]
        if (self.values < 0).any():
            swatches.append((QColor(*NEGATIVE), self.tr("Negative:\ncheck the data")))
        top = bar.bottom() + metrics.height()
        for colour, text in swatches:
            swatch = QRectF(bar.left(), top, 14, 14)
            painter.fillRect(swatch, colour)
            painter.drawText(QRectF(swatch.right() + 6, top - 3, box.width() + 20, metrics.height() * 2),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, text)
            top += metrics.height() * 2 + 8
