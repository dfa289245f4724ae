"""Desktop notifications for PGM's confidence alarms, while the director looks elsewhere.

A director who has moved to another window (the console, a chat) still hears about a black,
frozen or silent program: each PGM alarm that starts while Caster Desk's window is not the
active one (or is minimised) is shown as a system notification through the tray, where the
desktop has one. PVW's alarms never notify: PVW is off air. Nothing is shown where there is no
system tray (``QSystemTrayIcon.isSystemTrayAvailable()``); the pane and the event log still
carry every alarm.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QSystemTrayIcon, QWidget

Show = Callable[[str, str], None]


class AlarmNotifier(QObject):
    """Turns ``monitor_alarm`` events of the PGM pane into desktop notifications.

    ``describe(alarm)`` gives the alarm's name and meaning in the UI's language (the pane's
    badge and its tooltip); :attr:`show` (``show(title, body)``) puts the notification on
    screen: the tray's, unless replaced.
    """

    def __init__(
        self,
        window: QWidget,
        describe: Callable[[str], tuple[str, str]],
        show: Show | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._describe = describe
        self.show: Show = show or self._show_in_tray
        self._tray: QSystemTrayIcon | None = None

    def on_event(self, name: str, fields: dict[str, Any]) -> None:
        """An event of the panels (``preview_event``): notify for a new PGM alarm."""
        if name != "monitor_alarm" or fields.get("pane") != "pgm":
            return
        if self._window.isActiveWindow() and not self._window.isMinimized():
            return  # the director sees the pane's own alarm
        text, meaning = self._describe(str(fields.get("alarm", "")))
        self.show(self.tr("Program (PGM): {0}").format(text), meaning)

    def _show_in_tray(self, title: str, body: str) -> None:
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        if self._tray is None:
            self._tray = QSystemTrayIcon(self._window.windowIcon(), self)
            self._tray.setToolTip(self._window.windowTitle())
            self._tray.show()
        self._tray.showMessage(title, body, QSystemTrayIcon.MessageIcon.Warning, 10_000)
