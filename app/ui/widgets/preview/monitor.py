"""The confidence monitor of one preview pane: audio levels, and black / frozen / silent alarms.

Nothing here runs on the GUI thread but a time check per frame and the relay of small results:

- **Audio**: the player's QMediaPlayer hands every decoded ``QAudioBuffer`` to a
  ``QAudioBufferOutput`` (no audio device: it works while the pane is muted), whose signal is
  delivered straight to :class:`MonitorAnalyser` on the monitor's own thread. There the levels
  are measured (:class:`app.probe.levels.LevelMeter`) and sent to the GUI 20 times a second as a
  tuple of ``(peak_db, rms_db, hold_db)`` per channel.
- **Pictures**: a timer takes the frame the pane shows (the player keeps it) every
  ``ANALYSE_EVERY_S`` (4 a second) while the pane is live, if a new one came since, and hands it to
  the analyser, which maps the luma plane (no RGB conversion), shrinks it to 64×36 in Qt's C++
  and judges it with FFmpeg's thresholds (:mod:`app.probe.detect`, shared with
  ``casterdesk check``).

Alarms hold for ``DURATION_S`` (2 s) as FFmpeg's ``blackdetect``/``freezedetect``/
``silencedetect`` count them, and clear at the first picture or buffer that breaks the condition.
A stream with pictures but no audio at all for 2 s is silent too, and a black picture shows BLACK
only (it is frozen too, but that says nothing more). Whenever the player changes
state (reconnecting, paused, a new source…) the monitor starts again from nothing.

``CASTERDESK_MONITORS=off`` turns the monitors off (no thread, no audio decoded): the benchmark
compares the app with and without them.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal

from app.ui.widgets.preview import player as states
from app.ui.widgets.preview.player import PreviewPlayer
from app.ui.widgets.preview.player_engine import RUNNING_ENGINES

if TYPE_CHECKING:
    from app.ui.widgets.preview.monitor_analysis import MonitorAnalyser

log = logging.getLogger("casterdesk.ui.monitor")

MONITORS_ENV = "CASTERDESK_MONITORS"
ALARMS = ("black", "frozen", "silent")
ANALYSE_EVERY_S = 0.25  # pictures judged per second: 4 (FFmpeg's filters see every frame)


def monitors_enabled() -> bool:
    """False when ``CASTERDESK_MONITORS`` says off (``off``, ``0``, ``no``, ``false``)."""
    return os.environ.get(MONITORS_ENV, "").strip().lower() not in ("off", "0", "no", "false")


class ConfidenceMonitor(QObject):
    """The GUI side of a pane's monitor: feeds the analyser and relays what it finds.

    Signals: ``alarm_changed(kind, on, why)`` (``why``: "detected"; "recovered" when the
    condition ended; "restarted" when the stream (re)started playing, "not playing" when it
    stopped, paused or reconnects: nothing left to judge) and ``levels_changed(levels)``
    (a tuple of ``(peak_db, rms_db, hold_db)`` per channel, or None: nothing to show).
    """

    alarm_changed = Signal(str, bool, str)
    levels_changed = Signal(object)
    _analyse = Signal(object, float)
    _reset = Signal(int)
    _end = Signal()

    def __init__(self, player: PreviewPlayer, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._player = player
        self._alarms: set[str] = set()
        self._generation = 0
        self._sampled = -1  # the player's frame count at the last picture taken
        self._sample = QTimer(self)
        self._sample.setObjectName("monitorSample")
        self._sample.setInterval(round(ANALYSE_EVERY_S * 1000))
        self._sample.timeout.connect(self._take_picture)
        self._thread: QThread | None = None
        self._analyser: MonitorAnalyser | None = None
        self.enabled = monitors_enabled()
        if not self.enabled:
            return
        # The analyser (and Qt Multimedia with it) starts with the player's engine, when the
        # first preview starts: not while the window is built.
        player.set_audio_receiver_factory(self._start_analyser)
        player.state_changed.connect(self._on_state)

    def _start_analyser(self) -> Callable[[Any], None]:
        """Start the analyser's thread; returns the slot that takes the decoded audio."""
        from app.ui.widgets.preview.monitor_analysis import MonitorAnalyser  # noqa: PLC0415

        thread = QThread()
        thread.setObjectName(f"monitor-{self._player.name}")
        analyser = MonitorAnalyser()
        analyser.moveToThread(thread)
        self._analyse.connect(analyser.picture)
        self._reset.connect(analyser.reset)
        self._end.connect(analyser.shutdown)
        analyser.levels.connect(self._on_levels)
        analyser.alarm.connect(self._on_alarm)
        self._thread, self._analyser = thread, analyser
        thread.start()
        RUNNING_ENGINES.add(thread)
        return analyser.audio

    @property
    def alarms(self) -> frozenset[str]:
        """The alarms on now."""
        return frozenset(self._alarms)

    def running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def shutdown(self) -> None:
        """End the analyser's thread (after the player's, which feeds it). Safe to call twice."""
        if not self.enabled:
            return
        self.enabled = False
        self._sample.stop()
        self._player.state_changed.disconnect(self._on_state)
        if self._thread is None:  # no preview ever started
            return
        self._end.emit()
        if self._thread.wait(10_000):
            RUNNING_ENGINES.discard(self._thread)
        else:
            log.warning("%s: the monitor thread did not end within 10 s", self._player.name)
        self._thread = None
        self._analyser = None
        self._clear("not playing")

    def _take_picture(self) -> None:
        count = self._player.frames_decoded
        frame = self._player.latest_frame()
        if count == self._sampled or frame is None:
            return  # no new picture (a stall is not a frozen picture: the player says stalled)
        self._sampled = count
        self._analyse.emit(frame, time.monotonic())

    def _on_state(self, state: str, _detail: str) -> None:
        # Whatever was measured belongs to the stream as it was: start again.
        self._generation += 1
        self._reset.emit(self._generation)
        live = state == states.LIVE
        if live:
            self._sample.start()
        else:
            self._sample.stop()
        self._clear("restarted" if live else "not playing")
        if not live:
            self.levels_changed.emit(None)

    def _clear(self, why: str) -> None:
        for kind in sorted(self._alarms):
            self._alarms.discard(kind)
            self.alarm_changed.emit(kind, False, why)

    def _on_levels(self, generation: int, levels: object) -> None:
        if generation == self._generation:
            self.levels_changed.emit(levels)

    def _on_alarm(self, generation: int, kind: str, on: bool) -> None:
        if generation != self._generation or (kind in self._alarms) == on:
            return
        if on:
            self._alarms.add(kind)
        else:
            self._alarms.discard(kind)
        self.alarm_changed.emit(kind, on, "detected" if on else "recovered")
