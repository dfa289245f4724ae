"""A thin horizontal audio meter: peak and RMS per channel in dBFS, with the 2 s peak hold.

One bar per channel, −60 to 0 dBFS from left to right (anything below −60, the silence
threshold, shows nothing). The RMS is the bright bar, the peak the dimmer bar beyond it, the hold
a tick; green up to −18 dBFS, yellow up to −6, red above. The loudest hold is written at the end
in dB. It repaints only when a bar moves by a pixel: 20 readings a second of a steady tone, or of
silence, cost no painting; the scale is drawn once per size, the readout laid out once per text.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QStaticText,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.probe.levels import FLOOR_DB

RANGE_DB = 60.0  # the scale: −60 … 0 dBFS
ZONES = ((-18.0, QColor(46, 160, 67)), (-6.0, QColor(230, 180, 30)), (0.0, QColor(220, 50, 47)))
TICKS_DB = (-48.0, -36.0, -24.0, -18.0, -12.0, -6.0)
BAR_GAP = 1

Levels = tuple[tuple[float, float, float], ...]


def _position(db: float, width: int) -> int:
    """Pixels from the left for a level in dBFS (0 below the scale)."""
    fraction = (max(-RANGE_DB, min(0.0, db)) + RANGE_DB) / RANGE_DB
    return round(fraction * width)


class AudioMeter(QWidget):
    """Shows ``(peak_db, rms_db, hold_db)`` per channel (:meth:`set_levels`); None empties it."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self._levels: Levels | None = None
        self._drawn: tuple[object, ...] | None = None
        self._scale: QPixmap | None = None  # background and ticks at the current size
        self._texts: dict[str, QStaticText] = {}
        self._readout_px: int | None = None  # measured once per font: it is asked 20× a second
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.retranslate()

    def retranslate(self) -> None:
        self.setAccessibleName(self.tr("{} audio level").format(self._title))

    def sizeHint(self) -> QSize:
        return QSize(240, self._bar_area_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(80, self._bar_area_height())

    def _bar_area_height(self) -> int:
        return max(16, QFontMetrics(self.font()).height())

    def _readout_width(self) -> int:
        if self._readout_px is None:
            self._readout_px = QFontMetrics(self.font()).horizontalAdvance("−60.0") + 6
        return self._readout_px

    @property
    def levels(self) -> Levels | None:
        return self._levels

    def set_levels(self, levels: Levels | None) -> None:
        self._levels = levels
        key = self._geometry_key()
        if key != self._drawn:
            self._drawn = key
            self.update()

    def _geometry_key(self) -> tuple[object, ...]:
        """What the painting depends on, in pixels: unchanged → no repaint."""
        if not self._levels:
            return ()
        width = max(1, self.width() - self._readout_width())
        bars = tuple(
            (_position(p, width), _position(r, width), _position(h, width))
            for p, r, h in self._levels
        )
        return (width, bars, self._readout())

    def _readout(self) -> str:
        if not self._levels:
            return ""
        loudest = max(hold for _, _, hold in self._levels)
        if loudest <= -RANGE_DB:
            return "−∞"
        return f"{loudest:.1f}".replace("-", "−")

    def describe(self) -> str:
        """The levels in words (the tooltip, and what a screen reader can ask for)."""
        if not self._levels:
            return self.tr("{}: no audio measured").format(self._title)
        names = [self.tr("L"), self.tr("R")] if len(self._levels) == 2 else None
        lines = []
        for index, (peak, rms, hold) in enumerate(self._levels):
            name = names[index] if names else str(index + 1)
            lines.append(
                self.tr("{name}: peak {peak} dBFS, RMS {rms} dBFS, hold {hold} dBFS").format(
                    name=name, peak=_db(peak), rms=_db(rms), hold=_db(hold)
                )
            )
        return "\n".join(lines)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            QToolTip.showText(event.globalPos(), self.describe(), self)
            return True
        return super().event(event)

    def resizeEvent(self, event: object) -> None:
        self._drawn = None
        self._scale = None
        super().resizeEvent(event)  # type: ignore[arg-type]

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._scale = None
            self._texts.clear()
            self._readout_px = None
            self._drawn = None
        super().changeEvent(event)

    def _scale_pixmap(self, width: int) -> QPixmap:
        """The empty meter (background and ticks), drawn once per size."""
        if self._scale is None or self._scale.size() != self.size():
            pixmap = QPixmap(self.size())
            pixmap.fill(QColor(24, 24, 24))
            painter = QPainter(pixmap)
            painter.setPen(QColor(70, 70, 70))
            for tick in TICKS_DB:
                x = _position(tick, width)
                painter.drawLine(x, 0, x, self.height())
            painter.end()
            self._scale = pixmap
        return self._scale

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        width = max(1, self.width() - self._readout_width())
        height = self.height()
        painter.drawPixmap(0, 0, self._scale_pixmap(width))
        levels = self._levels or ()
        count = max(1, len(levels))
        bar = max(1, (height - BAR_GAP * (count + 1)) // count)
        for index, (peak, rms, hold) in enumerate(levels):
            top = BAR_GAP + index * (bar + BAR_GAP)
            self._paint_bar(painter, QRect(0, top, width, bar), peak, dim=True)
            self._paint_bar(painter, QRect(0, top, width, bar), rms, dim=False)
            if hold > -RANGE_DB:
                x = min(width - 2, _position(hold, width))
                painter.fillRect(QRect(x, top, 2, bar), _zone_colour(hold).lighter(130))
        text = self._readout()
        if text:
            static = self._texts.get(text)
            if static is None:
                if len(self._texts) > 64:
                    self._texts.clear()
                static = self._texts[text] = QStaticText(text)
                static.prepare(font=self.font())
            painter.setPen(QColor(230, 230, 230))
            size = static.size()
            painter.drawStaticText(
                QPointF(self.width() - 2 - size.width(), (height - size.height()) / 2), static
            )
        painter.end()

    def _paint_bar(self, painter: QPainter, area: QRect, db: float, *, dim: bool) -> None:
        end = _position(db, area.width())
        start = 0
        for limit, colour in ZONES:
            stop = min(end, _position(limit, area.width()))
            if stop > start:
                shown = colour.darker(220) if dim else colour
                painter.fillRect(QRect(start, area.top(), stop - start, area.height()), shown)
            start = max(start, stop)
            if start >= end:
                break


def _zone_colour(db: float) -> QColor:
    for limit, colour in ZONES:
        if db <= limit:
            return colour
    return ZONES[-1][1]


def _db(value: float) -> str:
    return "−∞" if value <= FLOOR_DB else f"{value:.1f}".replace("-", "−")
