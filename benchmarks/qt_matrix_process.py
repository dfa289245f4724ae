"""B10's alternative: the same matrix probed through QtMultimedia instead of PyAV (for the note).

``python -m benchmarks.qt_matrix_process`` reads a JSON list of URLs on stdin and probes them as
``app.probe`` would, but with Qt: a ``QMediaPlayer`` per URL (at most 4 at once) with a
``QVideoSink`` and a ``QAudioBufferOutput`` (no audio device), watching until 2 s of video and
audio media time have arrived, each frame turned into a small grey picture for the detectors.
It prints one JSON line: wall seconds, CPU seconds, and per URL the size and time to first frame.
Qt plays at the presentation clock, so it cannot take the GOP cache at decoding speed.
"""

from __future__ import annotations

import json
import os
import sys
import time

from PySide6.QtCore import QCoreApplication, QTimer, QUrl
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtMultimedia import QAudioBufferOutput, QMediaPlayer, QVideoFrame, QVideoSink

from app.probe.detect import Detector

WINDOW_S = 2.0
CONCURRENCY = 4
TIMEOUT_S = 20.0


class QtProbe:
    """One URL watched with QMediaPlayer."""

    def __init__(self, url: str, done: object) -> None:
        self.url = url
        self.done = done
        self.started = time.perf_counter()
        self.first_ms: float | None = None
        self.size = (0, 0)
        self.video: list[float] = []
        self.audio_s = 0.0
        self.detector = Detector()
        self.error = ""
        self.finished = False
        self.player = QMediaPlayer()
        self.sink = QVideoSink()
        self.audio = QAudioBufferOutput()
        self.player.setVideoSink(self.sink)
        self.player.setAudioBufferOutput(self.audio)
        self.sink.videoFrameChanged.connect(self.on_frame)
        self.audio.audioBufferReceived.connect(self.on_audio)
        self.player.errorOccurred.connect(self.on_error)
        self.player.setSource(QUrl(url))
        self.player.play()

    def on_frame(self, frame: QVideoFrame) -> None:
        if self.finished or not frame.isValid():
            return
        if self.first_ms is None:
            self.first_ms = (time.perf_counter() - self.started) * 1000
        self.size = (frame.width(), frame.height())
        t = frame.startTime() / 1e6
        grey = frame.toImage().scaled(80, 45).convertToFormat(QImage.Format.Format_Grayscale8)
        data = bytes(grey.constBits())[: 80 * 45]
        self.detector.picture(data, t, 0.04)
        self.video.append(t)
        self.check()

    def on_audio(self, buffer: object) -> None:
        self.audio_s += buffer.duration() / 1e6  # type: ignore[attr-defined]
        self.check()

    def on_error(self, *_: object) -> None:
        self.error = self.player.errorString()
        self.finish()

    def check(self) -> None:
        span = self.video[-1] - self.video[0] + 0.04 if self.video else 0.0
        if span >= WINDOW_S and self.audio_s >= WINDOW_S:
            self.finish()
        elif time.perf_counter() - self.started > TIMEOUT_S:
            self.error = "timed out"
            self.finish()

    def finish(self) -> None:
        if self.finished:
            return
        self.finished = True
        self.player.stop()
        self.done(self)  # type: ignore[operator]


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    urls: list[str] = json.loads(sys.stdin.readline())
    app = QGuiApplication([])
    pending = list(urls)
    running: list[QtProbe] = []
    results: dict[str, dict[str, object]] = {}
    cpu0 = time.process_time()
    started = time.perf_counter()

    def done(probe: QtProbe) -> None:
        results[probe.url] = {
            "size": probe.size,
            "first_ms": probe.first_ms,
            "error": probe.error,
            "black": probe.detector.black,
        }
        running.remove(probe)
        QTimer.singleShot(0, probe.player.deleteLater)
        launch()

    def launch() -> None:
        while pending and len(running) < CONCURRENCY:
            running.append(QtProbe(pending.pop(0), done))
        if not pending and not running:
            QCoreApplication.quit()

    QTimer.singleShot(0, launch)
    app.exec()
    print(
        json.dumps(
            {
                "wall_s": time.perf_counter() - started,
                "cpu_s": time.process_time() - cpu0,
                "results": [results.get(u) for u in urls],
            }
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
