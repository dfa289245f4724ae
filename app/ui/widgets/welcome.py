"""The first-run view: no profile yet, so offer the two ways in."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class WelcomeView(QWidget):
    """The two ways in: "Add an Alibaba Cloud account" or "Try the sandbox"."""

    add_account_requested = Signal()
    sandbox_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeView")
        self.title_label = title = QLabel(self)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.intro_label = intro = QLabel(self)
        intro.setWordWrap(True)
        intro.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("addAccountButton")
        self.add_button.setDefault(True)
        self.sandbox_button = QPushButton(self)
        self.sandbox_button.setObjectName("trySandboxButton")
        for button in (self.add_button, self.sandbox_button):
            button.setMinimumHeight(40)
            button.setMinimumWidth(280)

        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(title)
        layout.addSpacing(12)
        layout.addWidget(intro)
        layout.addSpacing(24)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.sandbox_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)

        self.add_button.clicked.connect(self.add_account_requested)
        self.sandbox_button.clicked.connect(self.sandbox_requested)
        self.retranslate()

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Welcome to Caster Desk"))
        self.intro_label.setText(
            self.tr(
                "Start your ApsaraVideo Live production studios, watch PVW and PGM, and copy "
                "the playback URLs.\nTo begin, add your Alibaba Cloud account, or try "
                "everything on the built-in sandbox first (no account needed)."
            )
        )
        self.add_button.setText(self.tr("Add an Alibaba Cloud account"))
        self.sandbox_button.setText(self.tr("Try the sandbox"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
