"""A box that shows one widget at 16:9, as large as fits: the preview pictures' frame."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

RATIO_W, RATIO_H = 16, 9
MINIMUM = QSize(160, 90)


def fit_16_9(width: int, height: int) -> QSize:
    """The largest exact 16:9 size (a multiple of 16×9) within ``width`` × ``height``."""
    steps = max(1, min(width // RATIO_W, height // RATIO_H))
    return QSize(steps * RATIO_W, steps * RATIO_H)


class AspectBox(QWidget):
    """Holds ``child`` at exactly 16:9: centred across, at the top.

    The box never grows taller than a 16:9 picture of its full width (its maximum height
    follows its width), so a wide pane gives the height it cannot use to what is under it
    instead of black bars; a short pane gets a smaller picture, still 16:9, not a stretched one.
    """

    def __init__(self, child: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.child = child
        child.setParent(self)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(MINIMUM)

    def sizeHint(self) -> QSize:
        return QSize(480, 270)

    def minimumSizeHint(self) -> QSize:
        return MINIMUM

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        width, height = self.width(), self.height()
        size = fit_16_9(width, height)
        self.child.setGeometry((width - size.width()) // 2, 0, size.width(), size.height())
        cap = max(MINIMUM.height(), width * RATIO_H // RATIO_W)
        if self.maximumHeight() != cap:
            self.setMaximumHeight(cap)
