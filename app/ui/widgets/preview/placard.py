"""What a pane shows around and instead of its picture: the placard and elided labels.

Qt's RHI draws the picture in a native window, and nothing can be painted over it; so while
nothing plays, :class:`StateOverlay` (a placard: the state in large type, and why) takes the
picture's place, and the state line and URLs under the picture are :class:`ElidedLabel` s.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from app.ui.theme import OVERLAY_BOX, OVERLAY_ERROR_TEXT, OVERLAY_TEXT
from app.ui.widgets.preview import player as states


class ElidedLabel(QLabel):
    """Shows a long text elided in the middle; the full text is in the tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        # The width it has: eliding to more than that would cut the text off instead ("6").
        width = max(self.width(), 1)
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, width))


# States in which the picture is shown (a frame arrived, or the last one is frozen); in the
# others the placard takes its place.
PICTURE_STATES = frozenset({states.LIVE, states.STALLED})


class StateOverlay(QWidget):
    """The placard shown instead of the picture while nothing plays: the state, in large type
    on black, and why. (Kept apart from the picture: a native video window cannot be drawn over.)
    """

    def __init__(
        self, accent: QColor, parent: QWidget | None = None, *, on_air: bool = False
    ) -> None:
        super().__init__(parent)
        self._accent = accent
        # Tally: only PGM is on air; PVW, when it plays, is the preview.
        self._on_air = on_air
        self._state = states.IDLE
        self._detail = ""
        self._countdown = 0
        self._backdrop: QImage | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_state(self, state: str, detail: str) -> None:
        self._state, self._detail = states.PlayerState(state), detail
        self.update()

    def set_countdown(self, seconds: int) -> None:
        self._countdown = seconds
        self.update()

    def set_backdrop(self, image: QImage | None) -> None:
        """The last picture, shown grey and dim behind "Stopped" (None: plain black)."""
        self._backdrop = (
            image.convertToFormat(QImage.Format.Format_Grayscale8) if image is not None else None
        )
        self.update()

    def headline(self) -> str:
        """The big line of text for the current state (what the user reads)."""
        state = self._state
        if state == states.IDLE:
            return self.tr("No stream")
        if state == states.CONNECTING:
            return self.tr("Connecting…")
        if state == states.BUFFERING:
            return self.tr("Buffering…")
        if state == states.LIVE:
            return self.tr("ON AIR") if self._on_air else self.tr("PREVIEW")
        if state == states.STALLED:
            return self.tr("Stalled")
        if state == states.RECONNECTING:
            return self.tr("Reconnecting in {} s").format(self._countdown)
        if state == states.PAUSED:
            return self.tr("Paused while hidden")
        if state == states.STOPPED:
            return self.tr("Stopped")
        return self.tr("Preview error")

    def text(self) -> str:
        """Everything the overlay says, one line per row."""
        lines = [self.headline()]
        if self._state == states.IDLE and not self._detail:
            lines.append(self.tr("Start a caster to see its preview."))
        elif self._detail and self._state != states.LIVE:
            lines.append(self._detail)
        return "\n".join(lines)

    def line(self) -> str:
        """The state in one line, for the strip under the picture."""
        if self._state == states.LIVE or not self._detail:
            return self.headline()
        return f"{self.headline()} · {self._detail}"

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        stopped = self._state == states.STOPPED and self._backdrop is not None
        if stopped and self._backdrop is not None:
            # Stopped looks stopped: the last picture, desaturated and dimmed, kept to the
            # picture's aspect ratio, with "Stopped" large over it.
            picture = self._backdrop.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(QPoint(0, 0), picture)
            target.moveCenter(self.rect().center())
            painter.setOpacity(0.35)
            painter.drawImage(target, self._backdrop)
            painter.setOpacity(1.0)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * (2.2 if stopped else 1.2))
        painter.setFont(font)
        text = self.text()
        area = self.rect().adjusted(16, 16, -16, -16)
        bounds = painter.boundingRect(
            area, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), text
        )
        box = bounds.adjusted(-14, -10, 14, 10).intersected(self.rect())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(OVERLAY_BOX)
        painter.drawRoundedRect(box, 6, 6)
        painter.setPen(OVERLAY_ERROR_TEXT if self._state == states.ERROR else OVERLAY_TEXT)
        painter.drawText(area, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), text)
        painter.end()
