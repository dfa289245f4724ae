"""Confidence monitors on the real window and the sandbox's broken outputs (media faults).

The sandbox serves PGM silent, PVW black or PGM frozen (``Sandbox.set_media_faults``); the panes
decode the real streams, and the alarms, the meters and the event log are read as the director
and the log file would see them. The clear path within one stream is checked on the analyser
with real YUV frames. Every wait is a Qt wait.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtMultimedia import QVideoFrame, QVideoFrameFormat
from PySide6.QtWidgets import QWidget

from app.api.models import StartResult
from app.sandbox import Sandbox
from app.ui.widgets.main_window import MainWindow
from app.ui.widgets.preview import player as states
from app.ui.widgets.preview.monitor_analysis import MonitorAnalyser, luma_thumbnail
from app.ui.widgets.preview.pane import PreviewPane
from app.ui.widgets.preview.panels import ResultPanels
from tests.ui.conftest import close_window
from tests.ui.helpers import PRODUCT_LAUNCH, caster_id, events, select, start
from tests.ui.preview_support import assert_quiet, wait_state

# no_qt_log: see test_panels (QtMultimedia's threads log while the GUI thread waits on them).
pytestmark = [pytest.mark.gui, pytest.mark.media, pytest.mark.no_qt_log]

# The alarm needs 2 s of the condition after the first frame; the first frame can take a few
# seconds on a loaded machine.
ALARM_MS = 20_000
SILENCE_DB = -60.0


def started(qtbot: Any, make_window: Any, sandbox: Sandbox, faults: list[str]) -> MainWindow:
    """The real window with the idle seed caster started and both previews live."""
    sandbox.set_media_faults(faults)
    window = make_window()
    with qtbot.waitSignal(window.casters.casters_loaded, timeout=ALARM_MS):
        window.show()
    select(window, caster_id(sandbox, PRODUCT_LAUNCH))
    assert start(qtbot, window)
    wait_state(qtbot, window.panels.pvw.player, states.LIVE, timeout=ALARM_MS)
    wait_state(qtbot, window.panels.pgm.player, states.LIVE, timeout=ALARM_MS)
    return window


def reading(pane: PreviewPane) -> tuple[tuple[float, float, float], ...]:
    return pane.monitor_strip.meter.levels or ()


def hears(pane: PreviewPane) -> bool:
    """The meter holds a level above the silence threshold on every channel."""
    levels = reading(pane)
    return bool(levels) and all(hold > SILENCE_DB for _, _, hold in levels)


def logged(window: MainWindow, event: str, pane: str, alarm: str) -> list[dict[str, Any]]:
    return [e for e in events(window, event) if e["pane"] == pane and e["alarm"] == alarm]


def test_silent_pgm_alarms_loudly_and_is_logged_while_pvw_meters_its_sound_muted(
    qtbot: Any, make_window: Any, sandbox: Sandbox
) -> None:
    window = started(qtbot, make_window, sandbox, ["pgm:silent"])
    pvw, pgm = window.panels.pvw, window.panels.pgm
    qtbot.waitUntil(lambda: pgm.monitor_strip.shown_alarms() == ["SILENT"], timeout=ALARM_MS)
    badge = pgm.monitor_strip.badges["silent"]
    assert badge.isVisible() and "background: #c62828" in badge.styleSheet()  # loud: red, filled
    [alarm] = logged(window, "monitor_alarm", "pgm", "silent")
    assert alarm["why"] == "detected" and alarm["source"] == "monitor"
    # PGM's meter reads digital silence on every channel; PVW's reads its tone (a 200 ms beep
    # each second, peaking at −18 dBFS), both panes muted: no audio output at all.
    assert reading(pgm) and all(max(level) < SILENCE_DB for level in reading(pgm))
    assert pvw.player.muted and pgm.player.muted
    assert not pvw.player.has_audio_output and not pgm.player.has_audio_output
    seen: list[tuple[tuple[float, float, float], ...]] = []
    pvw.monitor.levels_changed.connect(lambda levels: seen.append(levels or ()))

    def held_between_beeps() -> bool:
        # Between beeps the peak bar has fallen well below the hold, which still shows the beep.
        return any(
            levels and all(peak < hold - 10 and -20 < hold < -16 for peak, _, hold in levels)
            for levels in seen
        )

    qtbot.waitUntil(held_between_beeps, timeout=ALARM_MS)
    assert hears(pvw)
    assert pvw.monitor_strip.shown_alarms() == []
    assert logged(window, "monitor_alarm", "pvw", "silent") == []
    assert "dBFS" in pvw.monitor_strip.meter.describe()

    # Closing ends the monitors' threads with the players'.
    close_window(qtbot, window)
    assert not pvw.monitor.running() and not pgm.monitor.running()
    assert_quiet(window)


def test_black_pvw_and_frozen_pgm_show_on_their_panes(
    qtbot: Any, make_window: Any, sandbox: Sandbox
) -> None:
    window = started(qtbot, make_window, sandbox, ["pvw:black", "pgm:frozen"])
    pvw, pgm = window.panels.pvw, window.panels.pgm
    # The director looks at another window: PGM's alarm (only PGM's) becomes a notification.
    notified: list[tuple[str, str]] = []
    window.alarm_notifier.show = lambda title, body: notified.append((title, body))
    elsewhere = QWidget()
    qtbot.addWidget(elsewhere)
    elsewhere.show()
    elsewhere.activateWindow()
    qtbot.waitUntil(lambda: not window.isActiveWindow(), timeout=ALARM_MS)
    qtbot.waitUntil(lambda: pvw.monitor_strip.shown_alarms() == ["BLACK"], timeout=ALARM_MS)
    qtbot.waitUntil(lambda: pgm.monitor_strip.shown_alarms() == ["FROZEN"], timeout=ALARM_MS)
    assert notified == [("Program (PGM): FROZEN", "The picture has not changed for 2 s or more")], (
        notified
    )
    # PVW's alarm is an amber outline; PGM's is red and filled.
    assert "border: 2px solid #e69500" in pvw.monitor_strip.badges["black"].styleSheet()
    assert "background" not in pvw.monitor_strip.badges["black"].styleSheet()
    assert "background: #c62828" in pgm.monitor_strip.badges["frozen"].styleSheet()
    assert logged(window, "monitor_alarm", "pvw", "black")
    assert logged(window, "monitor_alarm", "pgm", "frozen")
    # The black picture is still too, but BLACK says it; both keep their sound.
    assert logged(window, "monitor_alarm", "pvw", "frozen") == []
    qtbot.waitUntil(lambda: hears(pvw) and hears(pgm), timeout=ALARM_MS)


def test_the_alarm_clears_when_the_fault_goes_away(
    qtbot: Any, make_window: Any, sandbox: Sandbox
) -> None:
    window = started(qtbot, make_window, sandbox, ["pgm:silent"])
    pgm = window.panels.pgm
    qtbot.waitUntil(lambda: "silent" in pgm.monitor.alarms, timeout=ALARM_MS)
    sandbox.set_media_faults([])  # drops PGM's viewers; the pane reconnects to healthy audio
    qtbot.waitUntil(
        lambda: bool(logged(window, "monitor_clear", "pgm", "silent")), timeout=ALARM_MS
    )
    qtbot.waitUntil(lambda: pgm.player.state == states.LIVE and hears(pgm), timeout=ALARM_MS)
    assert pgm.monitor_strip.shown_alarms() == []
    # Live on healthy audio for longer than an alarm takes: no new alarm.
    with qtbot.waitSignal(pgm.monitor.alarm_changed, timeout=3000, raising=False) as blocker:
        pass
    assert not blocker.signal_triggered
    assert len(logged(window, "monitor_alarm", "pgm", "silent")) == 1


def yuv_frame(luma: int) -> QVideoFrame:
    """A limited-range 160×90 YUV 4:2:0 frame with every luma sample at ``luma``."""
    fmt = QVideoFrameFormat(QSize(160, 90), QVideoFrameFormat.PixelFormat.Format_YUV420P)
    fmt.setColorRange(QVideoFrameFormat.ColorRange.ColorRange_Video)
    frame = QVideoFrame(fmt)
    assert frame.map(QVideoFrame.MapMode.WriteOnly)
    try:
        for plane, value in ((0, luma), (1, 128), (2, 128)):
            bits = frame.bits(plane)
            bits[:] = bytes([value]) * len(bits)
    finally:
        frame.unmap()
    return frame


def test_the_analyser_reads_yuv_luma_and_clears_on_the_first_changed_picture(
    qtbot: Any,
) -> None:
    assert luma_thumbnail(yuv_frame(16)) == bytes(64 * 36)  # video black is full-range 0
    assert luma_thumbnail(yuv_frame(235)) == bytes([255]) * (64 * 36)
    analyser = MonitorAnalyser()
    found: list[tuple[str, bool]] = []
    analyser.alarm.connect(lambda _generation, kind, on: found.append((kind, on)))
    analyser.reset(1)
    black = yuv_frame(16)
    t = 1000.0
    for _ in range(9):  # 4 a second, as the pane samples: 2 s after the first
        analyser.picture(black, t)
        t += 0.25
    assert ("black", True) in found and ("frozen", True) not in found
    analyser.picture(yuv_frame(120), t)
    assert found[-1] == ("black", False)
    # The same grey for 2 s: frozen, then a change clears it.
    for _ in range(9):
        t += 0.25
        analyser.picture(yuv_frame(120), t)
    assert found[-1] == ("frozen", True)
    analyser.picture(yuv_frame(140), t + 0.25)
    assert found[-1] == ("frozen", False)
    analyser.deleteLater()


def test_the_video_widget_path_feeds_the_monitor_too(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox, started: tuple[str, StartResult]
) -> None:
    """CASTERDESK_VIDEO=widget: frames reach the QVideoWidget's own sink (Qt's RHI path on a
    desktop); the monitor samples them just the same."""
    monkeypatch.setenv("CASTERDESK_VIDEO", "widget")
    _, result = started
    sandbox.set_media_faults(["pvw:black"])
    widget = ResultPanels()
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    try:
        widget.show()
        qtbot.waitExposed(widget)
        assert widget.pvw.surface.video_widget is not None
        widget.show_result(PRODUCT_LAUNCH, result)
        qtbot.waitUntil(
            lambda: widget.pvw.monitor_strip.shown_alarms() == ["BLACK"], timeout=ALARM_MS
        )
        qtbot.waitUntil(lambda: hears(widget.pgm), timeout=ALARM_MS)
        assert widget.pgm.monitor_strip.shown_alarms() == []
    finally:
        widget.shutdown()
    assert not widget.pvw.monitor.running()
    assert_quiet(widget)
    assert widget.pvw.monitor_strip.meter.levels is None  # emptied when the pane stopped
