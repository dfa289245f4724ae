"""The column between PVW and PGM, as in OBS Studio Mode: Take, Undo and Standby.

The buttons show the window's actions (:class:`app.ui.widgets.actions.CommandActions`), so their
shortcuts, tooltips and enabled state are the actions'. Above them: what PGM shows now (the
layout's name, or STANDBY), as the last read of the scenes said.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from app.ui.theme import PGM_ACCENT

STANDBY_COLOUR = "#55555c"  # the sandbox's slate, and a neutral "not the show" grey


class TakeBar(QWidget):
    """Take (large), Undo with its countdown, and Standby; PGM's layout name above them."""

    def __init__(
        self, take: QAction, undo: QAction, standby: QAction, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("takeBar")
        self._pgm_name = ""
        self._standby = False
        self.caption = QLabel(self)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pgm_name_label = QLabel(self)
        self.pgm_name_label.setObjectName("takeBarPgmName")
        self.pgm_name_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pgm_name_label.setWordWrap(True)
        font = self.pgm_name_label.font()
        font.setBold(True)
        self.pgm_name_label.setFont(font)

        self.take_button = QToolButton(self)
        self.take_button.setObjectName("takeButton")
        self.take_button.setDefaultAction(take)
        self.take_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.take_button.setMinimumHeight(72)
        big = self.take_button.font()
        big.setPointSizeF(big.pointSizeF() * 1.5)
        big.setBold(True)
        self.take_button.setFont(big)
        self.undo_button = QToolButton(self)
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setDefaultAction(undo)
        self.standby_button = QToolButton(self)
        self.standby_button.setObjectName("standbyButton")
        self.standby_button.setDefaultAction(standby)
        for button in (self.undo_button, self.standby_button):
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addStretch(1)
        layout.addWidget(self.caption)
        layout.addWidget(self.pgm_name_label)
        layout.addSpacing(8)
        layout.addWidget(self.take_button)
        layout.addWidget(self.undo_button)
        layout.addSpacing(16)
        layout.addWidget(self.standby_button)
        layout.addStretch(2)
        self.setFixedWidth(132)
        self.retranslate()

    def retranslate(self) -> None:
        self.caption.setText(self.tr("On PGM:"))
        self._show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_pgm(self, name: str, standby: bool) -> None:
        """What PGM shows: a layout's name ("" when not known), or standby."""
        self._pgm_name, self._standby = name, standby
        self._show()

    def pgm_text(self) -> str:
        return self.pgm_name_label.text()

    def _show(self) -> None:
        if self._standby:
            text, colour = self.tr("STANDBY"), STANDBY_COLOUR
        else:
            text, colour = self._pgm_name or "—", PGM_ACCENT.name() if self._pgm_name else ""
        self.pgm_name_label.setText(text)
        self.pgm_name_label.setStyleSheet(
            f"background: {colour}; color: white; padding: 3px; border-radius: 3px;"
            if colour
            else ""
        )
