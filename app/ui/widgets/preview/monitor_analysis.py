"""The analysing half of a pane's confidence monitor (see ``monitor``), on the monitor's thread.

It reads Qt Multimedia's frames and audio buffers, so it is imported when the first preview
starts, not while the window is built.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QImage
from PySide6.QtMultimedia import QAudioBuffer, QAudioFormat, QVideoFrame, QVideoFrameFormat

from app.probe.detect import DURATION_S, Detector, full_range
from app.probe.levels import LevelMeter
from app.ui.widgets.preview.monitor import ALARMS

log = logging.getLogger("casterdesk.ui.monitor")

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
