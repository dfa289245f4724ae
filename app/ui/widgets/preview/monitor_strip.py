"""The strip under a pane's picture: its audio meter and its alarms (BLACK, FROZEN, SILENT).

It sits under the picture, not over it (the picture is a native window on Qt's RHI path), and
keeps one height whether alarms show or not, so the picture never jumps. PGM's alarms are loud
(white on red, bold: what is on air is broken); PVW's are an amber outline (worth a look before
the Take).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from app.ui.widgets.preview.audio_meter import AudioMeter
from app.ui.widgets.preview.monitor import ALARMS

PGM_ALARM_STYLE = (
    "background: #c62828; color: white; font-weight: bold; padding: 0px 8px;"
    " border: 2px solid #c62828; border-radius: 3px;"
)
PVW_ALARM_STYLE = (
    "color: palette(window-text); font-weight: bold; padding: 0px 6px;"
    " border: 2px solid #e69500; border-radius: 3px;"
)


class MonitorStrip(QWidget):
    """Meter and alarm badges of one pane (``kind`` "pvw" or "pgm")."""

    def __init__(self, kind: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setObjectName(f"{kind}MonitorStrip")
        self.meter = AudioMeter(title, self)
        self.meter.setObjectName(f"{kind}AudioMeter")
        self.badges: dict[str, QLabel] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.meter, 1)
        style = PGM_ALARM_STYLE if kind == "pgm" else PVW_ALARM_STYLE
        for alarm in ALARMS:
            badge = QLabel(self)
            badge.setObjectName(f"{kind}Alarm_{alarm}")
            badge.setStyleSheet(style)
            badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
            badge.hide()
            self.badges[alarm] = badge
            layout.addWidget(badge)
        self.setFixedHeight(max(self.meter.sizeHint().height(), 22) + 2)
        self.retranslate()

    def retranslate(self) -> None:
        names = {
            "black": (self.tr("BLACK"), self.tr("The picture has been black for 2 s or more")),
            "frozen": (
                self.tr("FROZEN"),
                self.tr("The picture has not changed for 2 s or more"),
            ),
            "silent": (
                self.tr("SILENT"),
                self.tr(
                    "No sound above −60 dBFS for 2 s or more (muting the pane does not matter)"
                ),
            ),
        }
        for alarm, (text, tip) in names.items():
            badge = self.badges[alarm]
            badge.setText(text)
            badge.setToolTip(tip)
            badge.setAccessibleName(text)
        self.meter.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_alarm(self, alarm: str, on: bool) -> None:
        badge = self.badges.get(alarm)
        if badge is not None:
            badge.setVisible(on)

    def shown_alarms(self) -> list[str]:
        """The alarm texts showing, in order (for tests and screen readers)."""
        return [self.badges[a].text() for a in ALARMS if not self.badges[a].isHidden()]
