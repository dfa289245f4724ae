"""Dialogs of the main window: the Stop confirmation, About, and the log folder."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from app import __version__
from app.ui.event_log import EventLog, default_log_dir


def confirm_stop_dialog(parent: QWidget, caster_name: str) -> bool:
    """Ask before stopping: name the caster and say that the live output ends."""

    translate = QCoreApplication.translate
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(translate("MainWindow", "Stop caster"))
    box.setText(translate("MainWindow", "Stop “{0}”?").format(caster_name))
    box.setInformativeText(
        translate(
            "MainWindow",
            "The live output will end: PGM and every playback URL stop for all viewers.",
        )
    )
    stop = box.addButton(
        translate("MainWindow", "Stop caster"), QMessageBox.ButtonRole.DestructiveRole
    )
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is stop


def confirm_expired_start_dialog(parent: QWidget, caster_name: str) -> bool:
    """Ask before starting a caster past its ExpireTime (the service may refuse or bill it)."""
    translate = QCoreApplication.translate
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(translate("MainWindow", "Start an expired caster"))
    box.setText(translate("MainWindow", "“{0}” has expired.").format(caster_name))
    box.setInformativeText(
        translate(
            "MainWindow",
            "Its subscription ended. Renew it in the ApsaraVideo Live console first, or try to "
            "start it anyway?",
        )
    )
    start = box.addButton(
        translate("MainWindow", "Start anyway"), QMessageBox.ButtonRole.AcceptRole
    )
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is start


class QuitChoice(Enum):
    """What to do about casters still streaming in the cloud when the window closes."""

    CANCEL = "cancel"
    QUIT = "quit"  # they keep running (and billing)
    STOP_AND_QUIT = "stop_and_quit"


def _names(names: Sequence[str]) -> str:
    shown = "、".join(f"“{n}”" for n in names[:5])
    return shown + ("…" if len(names) > 5 else "")


def confirm_quit_dialog(parent: QWidget, streaming: Sequence[str]) -> QuitChoice:
    """Name the casters still streaming and say they keep running, and billing, in the cloud."""
    translate = QCoreApplication.translate
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(translate("MainWindow", "Quit Caster Desk"))
    box.setText(
        translate("MainWindow", "Still streaming in this account: {0}").format(_names(streaming))
    )
    box.setInformativeText(
        translate(
            "MainWindow",
            "They keep running, and billing, in the cloud after Caster Desk quits. Stop them "
            "first, or quit and leave them running?",
        )
    )
    stop = box.addButton(
        translate("MainWindow", "Stop them and quit"), QMessageBox.ButtonRole.DestructiveRole
    )
    leave = box.addButton(
        translate("MainWindow", "Quit, keep them running"), QMessageBox.ButtonRole.AcceptRole
    )
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is stop:
        return QuitChoice.STOP_AND_QUIT
    return QuitChoice.QUIT if clicked is leave else QuitChoice.CANCEL


def confirm_switch_dialog(parent: QWidget, streaming: Sequence[str]) -> bool:
    """Before leaving an account whose casters stream: they keep running without a monitor."""
    translate = QCoreApplication.translate
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(translate("MainWindow", "Switch account or region"))
    box.setText(translate("MainWindow", "Still streaming here: {0}").format(_names(streaming)))
    box.setInformativeText(
        translate(
            "MainWindow",
            "They keep running, and billing, in the cloud, but Caster Desk stops showing them. "
            "Switch anyway?",
        )
    )
    switch = box.addButton(translate("MainWindow", "Switch"), QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is switch


def confirm_standby_dialog(parent: QWidget, caster_name: str) -> bool:
    """Ask before cutting PGM to standby, as the console does; Cancel is the default."""

    translate = QCoreApplication.translate
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(translate("MainWindow", "Switch to standby"))
    box.setText(translate("MainWindow", "Cut the program of “{0}” to standby?").format(caster_name))
    box.setInformativeText(
        translate(
            "MainWindow",
            "Viewers see the standby video instead of the show until the next Take.",
        )
    )
    standby = box.addButton(
        translate("MainWindow", "Switch to standby"), QMessageBox.ButtonRole.DestructiveRole
    )
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is standby


def show_about(parent: QWidget) -> None:
    translate = QCoreApplication.translate
    QMessageBox.about(
        parent,
        translate("MainWindow", "About Caster Desk"),
        translate(
            "MainWindow",
            "Caster Desk {0}\nA desktop console for ApsaraVideo Live production studios.",
        ).format(__version__),
    )


def open_log_folder(event_log: EventLog) -> None:
    """Help → Open log folder: the event log's folder in the file manager."""
    path = event_log.path.parent if event_log.path else default_log_dir()
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
