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

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QImage
from PySide6.QtMultimedia import QAudioBuffer, QAudioFormat, QVideoFrame, QVideoFrameFormat

from app.probe.detect import DURATION_S, Detector, full_range
from app.probe.levels import LevelMeter
from app.ui.widgets.preview import player as states
from app.ui.widgets.preview.player import PreviewPlayer, multimedia_unavailable_reason
from app.ui.widgets.preview.player_engine import RUNNING_ENGINES

log = logging.getLogger("casterdesk.ui.monitor")

MONITORS_ENV = "CASTERDESK_MONITORS"
ALARMS = ("black", "frozen", "silent")
ANALYSE_EVERY_S = 0.25  # pictures judged per second: 4 (FFmpeg's filters see every frame)
LEVELS_EVERY_S = 0.05  # level readings sent to the GUI: 20 a second
THUMB_WIDTH, THUMB_HEIGHT = 64, 36

_PIXEL = QVideoFrameFormat.PixelFormat
# Formats whose plane 0 is the 8-bit luma, one byte a pixel.
_LUMA8 = frozenset(
    {
        _PIXEL.Format_YUV420P,
        _PIXEL.Format_YUV422P,
        _PIXEL.Format_YV12,
        _PIXEL.Format_NV12,
        _PIXEL.Format_NV21,
        _PIXEL.Format_IMC1,
        _PIXEL.Format_IMC2,
        _PIXEL.Format_IMC3,
        _PIXEL.Format_IMC4,
        _PIXEL.Format_Y8,
    }
)
# Plane 0 is 16-bit luma with the value in the high bits: its high bytes are an 8-bit luma.
_LUMA16_HIGH = frozenset({_PIXEL.Format_P010, _PIXEL.Format_P016, _PIXEL.Format_Y16})

_SAMPLE = QAudioFormat.SampleFormat
# memoryview.cast code and full scale of each sample format Qt may hand out.
_PCM = {
    _SAMPLE.Float: ("f", 1.0),
    _SAMPLE.Int16: ("h", 32768.0),
    _SAMPLE.Int32: ("i", 2147483648.0),
    _SAMPLE.UInt8: ("B", 128.0),
}


def monitors_enabled() -> bool:
    """False when ``CASTERDESK_MONITORS`` says off (``off``, ``0``, ``no``, ``false``)."""
    return os.environ.get(MONITORS_ENV, "").strip().lower() not in ("off", "0", "no", "false")


def luma_thumbnail(frame: QVideoFrame) -> bytes | None:
    """The frame's luma as full-range 8-bit grey at 64×36 (area-averaged), or None.

    YUV frames give their luma plane as it is (only it is read); other formats, rare from
    FFmpeg's decoders, are converted whole.
    """
    pixel = frame.surfaceFormat().pixelFormat()
    width, height = frame.width(), frame.height()
    if width <= 0 or height <= 0:
        return None
    if pixel in _LUMA8 or pixel in _LUMA16_HIGH:
        if not frame.map(QVideoFrame.MapMode.ReadOnly):
            return None
        try:
            stride = frame.bytesPerLine(0)
            plane = frame.bits(0)
            if plane is None:
                return None
            if pixel in _LUMA16_HIGH:
                data = bytes(plane)[1::2]  # little-endian: every odd byte is a high byte
                stride //= 2
            else:
                data = bytes(plane)
        finally:
            frame.unmap()
        image = QImage(data, width, height, stride, QImage.Format.Format_Grayscale8)
        video_range = (
            frame.surfaceFormat().colorRange() != QVideoFrameFormat.ColorRange.ColorRange_Full
        )
    else:
        image = frame.toImage().convertToFormat(QImage.Format.Format_Grayscale8)
        if image.isNull():
            return None
        video_range = False
    small = image.scaled(
        THUMB_WIDTH,
        THUMB_HEIGHT,
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    row = small.bytesPerLine()
    raw = bytes(small.constBits())
    grey = b"".join(raw[y * row : y * row + THUMB_WIDTH] for y in range(THUMB_HEIGHT))
    return full_range(grey) if video_range else grey


def pcm_samples(buffer: QAudioBuffer) -> tuple[memoryview | list[int], int, float] | None:
    """``(interleaved samples, channels, full scale)`` of a decoded buffer, or None.

    The samples are a view of the buffer's memory (nothing copied; valid while ``buffer`` is)."""
    fmt = buffer.format()
    kind = _PCM.get(fmt.sampleFormat())
    channels = fmt.channelCount()
    if kind is None or channels <= 0:
        return None
    code, scale = kind
    data = buffer.constData()
    if data is None:
        return None
    view = memoryview(data).cast("B")
    usable = len(view) - len(view) % (fmt.bytesPerSample() or 1)
    samples = view[:usable].cast(code)  # type: ignore[call-overload]  # code is a str
    if code == "B":  # unsigned 8-bit, silence at 128: rare enough to convert
        return [v - 128 for v in samples.tolist()], channels, scale
    return samples, channels, scale


class MonitorAnalyser(QObject):
    """Measures audio and judges pictures, on the monitor's thread.

    Every result carries the generation it belongs to (:meth:`reset` starts a new one), so the
    GUI drops what was measured on a stream it no longer shows.
    """

    levels = Signal(int, object)  # generation, ((peak_db, rms_db, hold_db), …) per channel
    alarm = Signal(int, str, bool)  # generation, "black"|"frozen"|"silent", on

    def __init__(self) -> None:
        super().__init__()
        self._generation = 0
        self._detector = Detector()
        self._meter = LevelMeter()
        self._on = dict.fromkeys(ALARMS, False)
        self._since = time.monotonic()
        self._last_audio: float | None = None
        self._levels_at = 0.0
        self._sent: tuple[tuple[int, ...], ...] | None = None  # the last reading sent, rounded

    @Slot(int)
    def reset(self, generation: int) -> None:
        self._generation = generation
        self._detector = Detector()
        self._meter = LevelMeter()
        self._on = dict.fromkeys(ALARMS, False)
        self._since = time.monotonic()
        self._last_audio = None
        self._sent = None

    @Slot(QAudioBuffer)
    def audio(self, buffer: QAudioBuffer) -> None:
        pcm = pcm_samples(buffer)
        if pcm is None:
            return
        samples, channels, scale = pcm
        now = time.monotonic()
        loudest = self._meter.add(samples, channels, now, scale)
        self._last_audio = now
        length = buffer.duration() / 1e6
        # Wall time, like the pictures: buffers arrive paced by playback.
        self._detector.audio_peak(loudest, now - length, length)
        if now - self._levels_at >= LEVELS_EVERY_S:
            self._levels_at = now
            reading = self._meter.reading(now)
            # To a quarter of a dB (about a pixel): silence, or a steady tone, sends nothing new.
            rounded = tuple(tuple(round(v * 4) for v in channel) for channel in reading)
            if rounded != self._sent:
                self._sent = rounded
                self.levels.emit(self._generation, reading)
        self._judge(now)

    @Slot(object, float)
    def picture(self, frame: QVideoFrame, at: float) -> None:
        try:
            grey = luma_thumbnail(frame)
        except (RuntimeError, ValueError, TypeError) as exc:  # a frame Qt could not map
            log.debug("monitor: frame not analysed (%s)", exc)
            return
        if grey is None:
            return
        self._detector.picture(grey, at, 0.0)
        self._judge(at)

    @Slot()
    def shutdown(self) -> None:
        """Delete this analyser and end its thread's event loop (on its thread)."""
        thread = self.thread()
        self.deleteLater()
        thread.quit()

    def _judge(self, now: float) -> None:
        heard = self._last_audio if self._last_audio is not None else self._since
        no_audio = now - heard >= DURATION_S
        black = self._detector.black_now
        found = {
            "black": black,
            # A black picture is always still: BLACK says it all.
            "frozen": self._detector.frozen_now and not black,
            "silent": self._detector.silent_now or no_audio,
        }
        for kind, on in found.items():
            if on != self._on[kind]:
                self._on[kind] = on
                self.alarm.emit(self._generation, kind, on)


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
        self.enabled = monitors_enabled() and multimedia_unavailable_reason() is None
        if not self.enabled:
            return
        thread = QThread()
        thread.setObjectName(f"monitor-{player.name}")
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
        player.set_audio_receiver(analyser.audio)
        player.state_changed.connect(self._on_state)

    @property
    def alarms(self) -> frozenset[str]:
        """The alarms on now."""
        return frozenset(self._alarms)

    def running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def shutdown(self) -> None:
        """End the analyser's thread (after the player's, which feeds it). Safe to call twice."""
        if self._thread is None:
            return
        self._sample.stop()
        self._player.state_changed.disconnect(self._on_state)
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
