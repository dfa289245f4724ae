"""Dialogs of the main window: the Stop confirmation, About, and the log folder."""

from __future__ import annotations

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
