"""What the preflight found, in the UI's language, and the question before Start.

Each failed item is one line: what is wrong and how to fix it. When none of them makes Start
impossible, the director may start anyway (Cancel stays the default); otherwise only Close.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from app.probe.preflight import PreflightItem, PreflightReport
from app.ui.names import region_label

ConfirmPreflight = Callable[[QWidget, str, PreflightReport], bool]


def _minutes(seconds: str) -> str:
    try:
        value = float(seconds)
    except ValueError:
        return seconds
    return f"{abs(value) / 60:.0f}"


def describe_item(item: PreflightItem) -> tuple[str, str]:
    """(what is wrong, the fix) for a failed item."""
    if item.check == "domain":
        return (
            QCoreApplication.translate("Preflight", "No streaming domain is set for this caster."),
            QCoreApplication.translate(
                "Preflight",
                "Set one in the Live console (production studio → settings → domain name, "
                "SetCasterConfig DomainName); StartCaster refuses a caster without one.",
            ),
        )
    if item.check == "clock":
        headline = QCoreApplication.translate(
            "Preflight", "This computer's clock is {0} min off the server's."
        ).format(_minutes(item.value))
        if item.state == "block":
            fix = QCoreApplication.translate(
                "Preflight",
                "The gateway refuses requests more than 15 min off. Set the clock "
                "automatically (network time) and try again.",
            )
        else:
            fix = QCoreApplication.translate(
                "Preflight",
                "Set the clock automatically (network time): past 15 min every request is refused.",
            )
        return headline, fix
    if item.check == "keychain":
        return (
            QCoreApplication.translate(
                "Preflight", "The system keychain does not answer ({0})."
            ).format(item.value),
            QCoreApplication.translate(
                "Preflight",
                "Unlock it or start the keychain service: this session keeps working, but "
                "Caster Desk cannot sign in again without it.",
            ),
        )
    return (
        QCoreApplication.translate(
            "Preflight", "{0} is not a region known to offer production studios."
        ).format(region_label(item.value)),
        QCoreApplication.translate(
            "Preflight", "Choose the region where the caster was bought (toolbar → Region)."
        ),
    )


def report_text(report: PreflightReport) -> str:
    """Every failed item with its fix, one paragraph each."""
    parts = []
    for item in report.failed:
        what, fix = describe_item(item)
        mark = "✗" if item.state == "block" else "⚠"
        parts.append(f"{mark} {what}\n    {fix}")
    return "\n\n".join(parts)


def confirm_preflight_dialog(parent: QWidget, caster_name: str, report: PreflightReport) -> bool:
    """Show what the preflight found; True when the director chose Start anyway."""
    box = QMessageBox(parent)
    box.setObjectName("preflightDialog")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("Preflight", "Before starting"))
    box.setText(
        QCoreApplication.translate("Preflight", "Starting “{0}” may fail:").format(caster_name)
    )
    box.setInformativeText(report_text(report))
    start = None
    if report.can_start_anyway:
        start = box.addButton(
            QCoreApplication.translate("Preflight", "Start anyway"),
            QMessageBox.ButtonRole.AcceptRole,
        )
        box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
    else:
        box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Close))
    box.exec()
    return start is not None and box.clickedButton() is start
