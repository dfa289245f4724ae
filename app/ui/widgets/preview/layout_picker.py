"""The PVW layout picker: one tile per layout of the caster, drawn from its VideoLayers.

The tiles stand in a column left of PVW (layouts → PVW → Take → PGM, read left to right), so
the picker takes width, which a wide screen has to spare, not height under one pane only.

Each tile shows a small 16:9 schematic (one box per picture, at its normalized position and
size, named after its source), the layout's name, and its tally: ON AIR (red) for the layout on
PGM, PREVIEW (green) for the one on PVW. Clicking a tile asks for that layout on PVW.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.ui.controllers.directing import LayoutEntry
from app.ui.theme import PGM_ACCENT, PVW_ACCENT

# Box fills for the schematic: the first picture, then the inset(s) on top of it.
_BOX_COLOURS = (QColor(70, 90, 120), QColor(150, 110, 60), QColor(110, 70, 130))
TILE_SIZE = QSize(150, 104)


class LayoutTile(QAbstractButton):
    """One layout: schematic, name and tally badge. Accessible name: the layout's name."""

    def __init__(self, entry: LayoutEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        self.on_air = False
        self.preview = False
        self.setObjectName(f"layoutTile_{entry.layout_id}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFixedSize(TILE_SIZE)
        self.setAccessibleName(entry.name)
        self.setText(entry.name)

    def set_tally(self, on_air: bool, preview: bool) -> None:
        self.on_air, self.preview = on_air, preview
        self.setAccessibleDescription(self.tally_text())
        self.update()

    def tally_text(self) -> str:
        """What the badge says: "ON AIR", "PREVIEW", both, or nothing."""
        marks = []
        if self.on_air:
            marks.append(self.tr("ON AIR"))
        if self.preview:
            marks.append(self.tr("PREVIEW"))
        return " · ".join(marks)

    def sizeHint(self) -> QSize:
        return TILE_SIZE

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        outer = QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5)
        accent = PGM_ACCENT if self.on_air else PVW_ACCENT if self.preview else None
        border = accent if accent is not None else palette.color(QPalette.ColorRole.Mid)
        if self.hasFocus() or self.isDown():
            border = palette.color(QPalette.ColorRole.Highlight)
        painter.setPen(border)
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        if accent is not None:
            pen = painter.pen()
            pen.setWidthF(3.0)
            painter.setPen(pen)
        painter.drawRoundedRect(outer, 5, 5)

        # The schematic: a 16:9 frame with the layout's pictures in it.
        width = outer.width() - 12
        frame = QRectF(outer.left() + 6, outer.top() + 6, width, width * 9 / 16)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(20, 20, 24))
        painter.drawRect(frame)
        small = QFont(self.font())
        small.setPointSizeF(max(small.pointSizeF() * 0.7, 6.0))
        painter.setFont(small)
        for index, box in enumerate(self.entry.boxes):
            rect = QRectF(
                frame.left() + box.x * frame.width(),
                frame.top() + box.y * frame.height(),
                box.width * frame.width(),
                box.height * frame.height(),
            )
            painter.setPen(QColor(230, 230, 230))
            painter.setBrush(_BOX_COLOURS[index % len(_BOX_COLOURS)])
            painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
            if index < len(self.entry.sources) and rect.height() >= 9:
                # The first picture's name goes top right when others sit on top of it.
                align = (
                    Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight
                    if index == 0 and len(self.entry.boxes) > 1
                    else Qt.AlignmentFlag.AlignCenter
                )
                painter.drawText(rect.adjusted(3, 2, -3, -2), align, self.entry.sources[index])

        # The tally badge over the schematic's top left corner.
        tally = self.tally_text()
        if tally:
            bold = QFont(small)
            bold.setBold(True)
            painter.setFont(bold)
            metrics = painter.fontMetrics()
            badge = QRectF(
                frame.left() + 3,
                frame.top() + 3,
                metrics.horizontalAdvance(tally) + 10,
                metrics.height() + 2,
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(accent if accent is not None else PGM_ACCENT)
            painter.drawRoundedRect(badge, 3, 3)
            painter.setPen(QColor(255, 255, 255))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, tally)

        # The name under it.
        painter.setFont(self.font())
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        name_area = QRectF(outer.left() + 4, frame.bottom() + 2, outer.width() - 8, 0)
        name_area.setBottom(outer.bottom() - 2)
        name = painter.fontMetrics().elidedText(
            self.entry.name, Qt.TextElideMode.ElideRight, int(name_area.width())
        )
        painter.drawText(name_area, Qt.AlignmentFlag.AlignCenter, name)
        painter.end()


class _TileStrip(QScrollArea):
    """A vertically scrolling column of tiles, as wide as a tile and its scroll bar."""

    def sizeHint(self) -> QSize:
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(TILE_SIZE.width() + bar + 4, super().sizeHint().height())


class LayoutPicker(QWidget):
    """The caster's layouts as tiles; ``picked(layout_id)`` when one is chosen for PVW."""

    picked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("layoutPicker")
        self.tiles: list[LayoutTile] = []
        self.caption = QLabel(self)
        self.caption.setObjectName("layoutPickerCaption")
        self.empty_label = QLabel(self)
        # A note, not a disabled control (greyed-out text is below WCAG's 4.5:1).
        italic = self.empty_label.font()
        italic.setItalic(True)
        self.empty_label.setFont(italic)
        self.empty_label.setWordWrap(True)
        self.caption.setWordWrap(True)
        self._row = QWidget(self)
        self._tiles_layout = QVBoxLayout(self._row)
        self._tiles_layout.setContentsMargins(0, 0, 0, 0)
        self._tiles_layout.addWidget(self.empty_label)
        self._tiles_layout.addStretch(1)
        self._scroll = scroll = _TileStrip(self)
        scroll.setWidget(self._row)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # A column left of PVW: as tall as the panes, scrolling when the layouts are more.
        scroll.setMinimumHeight(44)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(scroll, 1)
        self.setFixedWidth(scroll.sizeHint().width())
        self._loading = False
        self._ready = True
        self.retranslate()

    def retranslate(self) -> None:
        self.caption.setText(self.tr("Layouts (click one to put it on PVW)"))
        self.caption.setToolTip(self.tr("Click a layout to put it on the preview (PVW)"))
        self.setAccessibleName(self.tr("PVW layouts"))
        self.empty_label.setText(
            self.tr("Reading the caster's layouts…")
            if self._loading
            else self.tr("Start or select a live caster to direct it.")
        )
        for tile in self.tiles:
            tile.setToolTip(self.tr("Put “{0}” on PVW").format(tile.entry.name))
            tile.set_tally(tile.on_air, tile.preview)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_layouts(self, entries: tuple[LayoutEntry, ...], *, loading: bool = False) -> None:
        """Rebuild the tiles (no tally yet: :meth:`set_tally` follows)."""
        for tile in self.tiles:
            self._tiles_layout.removeWidget(tile)
            tile.deleteLater()
        self.tiles = []
        self._loading = loading
        for index, entry in enumerate(entries):
            tile = LayoutTile(entry, self._row)
            tile.setEnabled(self._ready)
            tile.clicked.connect(lambda _checked=False, i=entry.layout_id: self.picked.emit(i))
            self._tiles_layout.insertWidget(index, tile)
            self.tiles.append(tile)
        self.empty_label.setVisible(not self.tiles)
        self.retranslate()

    def set_ready(self, ready: bool) -> None:
        """Let the tiles be clicked or not; the caption and the hint stay readable (a whole
        disabled picker greyed them to 1.6:1, and WCAG wants 4.5)."""
        self._ready = ready
        for tile in self.tiles:
            tile.setEnabled(ready)

    def set_tally(self, on_air: str | None, preview: str | None) -> None:
        """Mark the tiles; a layout newly on PVW is scrolled into view (the column is short)."""
        for tile in self.tiles:
            was_preview = tile.preview
            tile.set_tally(tile.entry.layout_id == on_air, tile.entry.layout_id == preview)
            if tile.preview and not was_preview:
                self._scroll.ensureWidgetVisible(tile, 0, 0)

    def tile(self, name: str) -> LayoutTile | None:
        """The tile of the layout called ``name``."""
        return next((t for t in self.tiles if t.entry.name == name), None)
