"""The inline error banner: what happened, what to do, and the RequestId with a Copy button."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.ui import theme
from app.ui.errors import ErrorInfo
from app.ui.theme import error_banner_style, is_dark_palette

TextSource = str | Callable[[], str]
InfoSource = ErrorInfo | Callable[[], ErrorInfo]


def _evaluate(source: Any) -> Any:
    return source() if callable(source) else source


class ErrorBanner(QFrame):
    """The inline error: what happened, what to do, and the RequestId with a Copy button.

    It keeps what it was given as callables where it can, so that a language switch re-words
    the error that is on screen (the explanation tables have English and Chinese).
    """

    copied = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._dark: bool | None = None
        self._apply_theme()
        theme.controller().changed.connect(self._apply_theme)
        self.info: ErrorInfo | None = None
        self._context: TextSource = ""
        self._source: InfoSource | None = None
        self.origin = ""
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("errorSummary")
        self.summary_label.setWordWrap(True)
        font = self.summary_label.font()
        font.setBold(True)
        self.summary_label.setFont(font)
        self.fix_label = QLabel(self)
        self.fix_label.setObjectName("errorFix")
        self.fix_label.setWordWrap(True)
        self.detail_label = QLabel(self)
        self.detail_label.setObjectName("errorDetail")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.request_label = QLabel(self)
        self.request_label.setObjectName("errorRequestId")
        self.request_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = QPushButton(self)
        self.copy_button.setObjectName("copyRequestId")
        self.dismiss_button = QPushButton(self)
        self.dismiss_button.setObjectName("dismissError")
        text = QVBoxLayout()
        text.addWidget(self.summary_label)
        text.addWidget(self.fix_label)
        text.addWidget(self.detail_label)
        request_row = QHBoxLayout()
        request_row.addWidget(self.request_label)
        request_row.addWidget(self.copy_button)
        request_row.addStretch(1)
        text.addLayout(request_row)
        layout = QHBoxLayout(self)
        layout.addLayout(text, 1)
        layout.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)
        self.copy_button.clicked.connect(self.copy_request_id)
        self.dismiss_button.clicked.connect(self.dismiss)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.copy_button.setText(self.tr("Copy RequestId"))
        self.dismiss_button.setText(self.tr("Dismiss"))
        if self._source is not None:
            self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _apply_theme(self, _theme: str = "") -> None:
        dark = is_dark_palette(QGuiApplication.palette())
        if dark != self._dark:
            self._dark = dark
            self.setStyleSheet(error_banner_style(dark))

    def show_info(self, context: TextSource, info: InfoSource, origin: str = "") -> None:
        """Show an error. Either argument may be a callable, re-run on a language switch.

        ``origin`` names what failed (e.g. ``refresh``), so that its success may dismiss it.
        """
        self._context = context
        self._source = info
        self.origin = origin
        self._render()
        self.show()

    def _render(self) -> None:
        info: ErrorInfo = _evaluate(self._source)
        context: str = _evaluate(self._context)
        self.info = info
        self.summary_label.setText(f"{context}: {info.summary}" if context else info.summary)
        self.fix_label.setText(info.fix)
        self.fix_label.setVisible(bool(info.fix))
        self.detail_label.setText(info.detail)
        self.detail_label.setVisible(bool(info.detail))
        has_id = bool(info.request_id)
        self.request_label.setText(self.tr("RequestId: {0}").format(info.request_id or ""))
        self.request_label.setVisible(has_id)
        self.copy_button.setVisible(has_id)

    def text(self) -> str:
        """Everything the banner says (for tests and accessibility)."""
        parts = [self.summary_label.text(), self.fix_label.text(), self.detail_label.text()]
        if self.info and self.info.request_id:
            parts.append(self.request_label.text())
        return "\n".join(p for p in parts if p)

    def copy_request_id(self) -> None:
        if self.info and self.info.request_id:
            QGuiApplication.clipboard().setText(self.info.request_id)
            self.copied.emit(self.info.request_id)

    def dismiss(self) -> None:
        self.info = None
        self._source = None
        self._context = ""
        self.origin = ""
        self.hide()
