"""The confidence monitors' alarms in Chinese: the words a Chinese console uses."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from app.ui import i18n
from app.ui.widgets.preview.monitor_strip import MonitorStrip


def test_alarms_and_meter_speak_chinese(qtbot: Any) -> None:
    strip = MonitorStrip("pgm", "PGM")
    qtbot.addWidget(strip)
    assert [strip.badges[a].text() for a in ("black", "frozen", "silent")] == [
        "BLACK",
        "FROZEN",
        "SILENT",
    ]
    i18n.apply_language(i18n.CHINESE)
    QCoreApplication.processEvents()
    assert [strip.badges[a].text() for a in ("black", "frozen", "silent")] == [
        "黑场",
        "画面静止",
        "无声",
    ]
    assert "−60 dBFS" in strip.badges["silent"].toolTip()
    assert strip.meter.accessibleName() == "PGM 音频电平"
    strip.meter.set_levels(((-12.0, -20.0, -6.0), (-100.0, -100.0, -100.0)))
    assert strip.meter.describe().splitlines() == [
        "左：峰值 −12.0 dBFS，RMS −20.0 dBFS，保持 −6.0 dBFS",
        "右：峰值 −∞ dBFS，RMS −∞ dBFS，保持 −∞ dBFS",
    ]
