"""The thread side of a preview: one QMediaPlayer living on a QThread of its own.

Qt opens and closes streams synchronously (``setSource(QUrl())`` takes 11–40 ms, measured), so a
player on the GUI thread would stall the window on every minimise, "Preview this" or Stop.
:class:`PlayerEngine` owns the QMediaPlayer on its own thread; :class:`~.player.PreviewPlayer`
keeps the state machine on the GUI thread and talks to it with queued signals.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, QUrl, Signal, Slot

if TYPE_CHECKING:  # imported by the player when its first preview starts (see player.py)
    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer, QVideoSink

log = logging.getLogger("casterdesk.ui.player")


class PlayerEngine(QObject):
    """Owns one QMediaPlayer on its own thread, so that opening and closing a stream (11–40 ms
    inside Qt, measured) never blocks the GUI thread.

    Commands arrive as queued signals from :class:`PreviewPlayer`; what the QMediaPlayer reports
    goes back tagged with the session number it belongs to, so that reports about a stream that
    was closed meanwhile are told apart from reports about the current one.
    """

    opened = Signal(int)
    error = Signal(int, int, str)
    status = Signal(int, int)
    unavailable = Signal(str)

    def __init__(
        self,
        low_latency: bool,
        network_timeout_ms: int | None,
        audio_receiver: Callable[[Any], None] | None = None,
    ) -> None:
        super().__init__()
        self._low_latency = low_latency
        self._network_timeout_ms = network_timeout_ms
        # Gets every decoded QAudioBuffer (a slot of a QObject on its own thread: the monitor).
        self._audio_receiver = audio_receiver
        self._player: QMediaPlayer | None = None
        self._audio: QAudioOutput | None = None
        self._session = -1

    @Slot(object)
    def build(self, sink: QVideoSink) -> None:
        from PySide6.QtMultimedia import (  # noqa: PLC0415
            QAudioBufferOutput,
            QMediaPlayer,
            QPlaybackOptions,
        )

        player = QMediaPlayer(self)
        if not player.isAvailable():
            self.unavailable.emit("no Qt multimedia backend could be loaded")
            return
        # No audio output until the user unmutes: nothing is decoded for it, and no audio
        # renderer thread runs (on a machine without sound it logs a warning from that thread
        # on every start, which deadlocks against a Python Qt message handler).
        options = QPlaybackOptions()
        # Measured on the sandbox: LowLatencyStreaming delays the first frame by 1-2 s
        # (RTMP 148 → 2148 ms, FLV 14 → 2018 ms median), so it stays off by default. The
        # network timeout turns a silent HTTP server into an error after 5 s instead of 20 s.
        if self._low_latency:
            options.setPlaybackIntent(QPlaybackOptions.PlaybackIntent.LowLatencyStreaming)
        if self._network_timeout_ms is not None:
            options.setNetworkTimeout(self._network_timeout_ms)
        player.setPlaybackOptions(options)
        player.setVideoSink(sink)
        if self._audio_receiver is not None:
            # Decoded audio for the level meters, with no audio device: it flows while muted.
            buffers = QAudioBufferOutput(self)
            buffers.audioBufferReceived.connect(self._audio_receiver)
            player.setAudioBufferOutput(buffers)
        player.errorOccurred.connect(self._on_error)
        player.mediaStatusChanged.connect(self._on_status)
        self._player = player

    @Slot(object)
    def set_sink(self, sink: QVideoSink) -> None:
        if self._player is not None:
            self._player.setVideoSink(sink)

    @Slot(int, str)
    def open(self, session: int, url: str) -> None:
        if self._player is None:
            return
        self._close()
        self._session = session
        self._player.setSource(QUrl(url))
        self._player.play()
        self.opened.emit(session)

    @Slot()
    def close(self) -> None:
        self._close()

    @Slot(bool)
    def set_audio(self, on: bool) -> None:
        if self._player is None:
            return
        if not on:
            self._player.setAudioOutput(None)  # type: ignore[arg-type]  # nullptr detaches
            return
        if self._audio is None:
            from PySide6.QtMultimedia import QAudioOutput  # noqa: PLC0415

            self._audio = QAudioOutput(self)
        self._player.setAudioOutput(self._audio)

    @Slot(float)
    def set_rate(self, rate: float) -> None:
        """Play faster than real time to catch up to the live edge, or at 1× (``live_edge``)."""
        if self._player is not None:
            self._player.setPlaybackRate(rate)

    @Slot()
    def shutdown(self) -> None:
        """Close the stream, delete the player and end this thread's event loop."""
        self._close()
        if self._player is not None:
            self._player.errorOccurred.disconnect(self._on_error)
            self._player.mediaStatusChanged.disconnect(self._on_status)
            self._player.setVideoSink(None)  # type: ignore[arg-type]  # nullptr detaches
            self._player.deleteLater()
            self._player = None
        thread = self.thread()
        self.deleteLater()  # deferred deletions run as the thread finishes
        thread.quit()

    def _close(self) -> None:
        # stop() and setSource() report the load they cancel; those reports carry session -1.
        self._session = -1
        if self._player is not None and not self._player.source().isEmpty():
            self._player.stop()
            # An empty source closes the connection (FFmpeg's demuxer is torn down).
            self._player.setSource(QUrl())

    def _on_error(self, error: QMediaPlayer.Error, message: str) -> None:
        self.error.emit(self._session, error.value, message)

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        self.status.emit(self._session, status.value)


# Engine threads still running at exit (a player that was never shut down): ended in order,
# so that no QThread is destroyed while it runs (Qt aborts the process then).
RUNNING_ENGINES: set[QThread] = set()


@atexit.register
def _stop_engine_threads() -> None:
    for thread in list(RUNNING_ENGINES):
        with contextlib.suppress(RuntimeError):  # its C++ object is gone already
            thread.quit()
            thread.wait(5000)
    RUNNING_ENGINES.clear()
