"""Dialogs of the main window: the confirmations (Stop, an expired Start, Standby, leaving or
quitting while casters stream), About, and the log folder."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from app import __version__
from app.ui.event_log import EventLog, default_log_dir


def _ask(
    parent: QWidget,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    informative: str,
    choices: Sequence[tuple[str, QMessageBox.ButtonRole]],
) -> int | None:
    """A question with ``choices`` and Cancel (the default): the chosen index, None if Cancel."""
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(text)
    box.setInformativeText(informative)
    buttons = [box.addButton(label, role) for label, role in choices]
    box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
    box.exec()
    clicked = box.clickedButton()
    return next((i for i, button in enumerate(buttons) if button is clicked), None)


def confirm_stop_dialog(parent: QWidget, caster_name: str) -> bool:
    """Ask before stopping: name the caster and say that the live output ends."""
    translate = QCoreApplication.translate
    stop = translate("MainWindow", "Stop caster")
    return (
        _ask(
            parent,
            QMessageBox.Icon.Warning,
            stop,
            translate("MainWindow", "Stop “{0}”?").format(caster_name),
            translate(
                "MainWindow",
                "The live output will end: PGM and every playback URL stop for all viewers.",
            ),
            [(stop, QMessageBox.ButtonRole.DestructiveRole)],
        )
        == 0
    )


def confirm_expired_start_dialog(parent: QWidget, caster_name: str) -> bool:
    """Ask before starting a caster past its ExpireTime (the service may refuse or bill it)."""
    translate = QCoreApplication.translate
    return (
        _ask(
            parent,
            QMessageBox.Icon.Warning,
            translate("MainWindow", "Start an expired caster"),
            translate("MainWindow", "“{0}” has expired.").format(caster_name),
            translate(
                "MainWindow",
                "Its subscription ended. Renew it in the ApsaraVideo Live console first, or try "
                "to start it anyway?",
            ),
            [(translate("MainWindow", "Start anyway"), QMessageBox.ButtonRole.AcceptRole)],
        )
        == 0
    )


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
    chosen = _ask(
        parent,
        QMessageBox.Icon.Warning,
        translate("MainWindow", "Quit Caster Desk"),
        translate("MainWindow", "Still streaming in this account: {0}").format(_names(streaming)),
        translate(
            "MainWindow",
            "They keep running, and billing, in the cloud after Caster Desk quits. Stop them "
            "first, or quit and leave them running?",
        ),
        [
            (translate("MainWindow", "Stop them and quit"), QMessageBox.ButtonRole.DestructiveRole),
            (translate("MainWindow", "Quit, keep them running"), QMessageBox.ButtonRole.AcceptRole),
        ],
    )
    if chosen == 0:
        return QuitChoice.STOP_AND_QUIT
    return QuitChoice.QUIT if chosen == 1 else QuitChoice.CANCEL


def confirm_switch_dialog(parent: QWidget, streaming: Sequence[str]) -> bool:
    """Before leaving an account whose casters stream: they keep running without a monitor."""
    translate = QCoreApplication.translate
    return (
        _ask(
            parent,
            QMessageBox.Icon.Question,
            translate("MainWindow", "Switch account or region"),
            translate("MainWindow", "Still streaming here: {0}").format(_names(streaming)),
            translate(
                "MainWindow",
                "They keep running, and billing, in the cloud, but Caster Desk stops showing "
                "them. Switch anyway?",
            ),
            [(translate("MainWindow", "Switch"), QMessageBox.ButtonRole.AcceptRole)],
        )
        == 0
    )


def confirm_standby_dialog(parent: QWidget, caster_name: str) -> bool:
    """Ask before cutting PGM to standby, as the console does; Cancel is the default."""
    translate = QCoreApplication.translate
    standby = translate("MainWindow", "Switch to standby")
    return (
        _ask(
            parent,
            QMessageBox.Icon.Warning,
            standby,
            translate("MainWindow", "Cut the program of “{0}” to standby?").format(caster_name),
            translate(
                "MainWindow",
                "Viewers see the standby video instead of the show until the next Take.",
            ),
            [(standby, QMessageBox.ButtonRole.DestructiveRole)],
        )
        == 0
    )


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
