"""One live preview: a QMediaPlayer and a state machine; no widget (see ``video_view``).

Qt reports a stream's life through several loosely ordered signals (media status, playback state,
errors) and, separately, through frames reaching a video sink. ``PreviewPlayer`` folds them into
one state a director can read::

    idle → connecting → buffering → live ↔ stalled → reconnecting (in N s) → connecting → …
    paused (pane hidden: nothing decoded), stopped (caster stopped), error (gave up, with why)

Frames are the only proof of life: "live" means a frame arrived, "stalled" means none for
``STALL_S``. Sources are tried in order (monitor StreamUrl, then FLV, then HLS). After a stream
that played drops, every round is retried 1–1.5 s later (jittered) for as long as the pane plays
it: the caster is still on air until the API says otherwise, and then the pane is stopped. Before
anything played (a caster just started), rounds back off 1, 2, 4, 8 s and give up after
``GIVE_UP_ROUNDS``.

The QMediaPlayer lives on a thread of its own (:class:`PlayerEngine`): Qt opens and closes streams
synchronously (``setSource(QUrl())`` takes 11–40 ms, measured), and the GUI thread must never
wait for that. The state machine stays on the GUI thread. Frames reach a ``QVideoSink`` that the
view owns (``QVideoWidget``'s, drawn by Qt's RHI) or, where there is no RHI, the player's own
sink, whose frames ``video_view.VideoView`` paints (``frame_changed``).

A live origin sends a new viewer its GOP cache (2–3 s of the past) and Qt presents it at 1×,
so each stream starts that far behind live: ``live_edge.LiveEdge`` has the player play faster
until it has caught up, then slower until a small cushion has built up, then at 1×.
"""

from __future__ import annotations

import logging
import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSize, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

from app.api.playback_urls import playback_url_problem
from app.redaction import redact
from app.ui.widgets.preview.live_edge import LiveEdge, catches_up
from app.ui.widgets.preview.player_engine import RUNNING_ENGINES, PlayerEngine

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QMediaPlayer, QVideoFrame, QVideoSink

MULTIMEDIA_IMPORT_ERROR: str | None = None
_multimedia_imported = False


def _import_multimedia() -> str | None:
    """Import QtMultimedia's classes into this module when the first preview needs them, not
    while the window is built (its import and first sink: ~13 ms); returns why they cannot be
    loaded, or None."""
    global _multimedia_imported, MULTIMEDIA_IMPORT_ERROR, QMediaPlayer, QVideoSink  # noqa: PLW0603
    if not _multimedia_imported:
        _multimedia_imported = True
        try:
            from PySide6.QtMultimedia import QMediaPlayer, QVideoSink  # noqa: PLC0415
        except ImportError as exc:  # a wheel without QtMultimedia, or its libraries missing
            MULTIMEDIA_IMPORT_ERROR = str(exc)
    return MULTIMEDIA_IMPORT_ERROR


log = logging.getLogger("casterdesk.ui.player")


class PlayerState(StrEnum):
    """A preview's state. String-valued: it goes straight into the event log."""

    IDLE = "idle"
    CONNECTING = "connecting"
    BUFFERING = "buffering"
    LIVE = "live"
    STALLED = "stalled"
    RECONNECTING = "reconnecting"
    PAUSED = "paused"
    STOPPED = "stopped"
    ERROR = "error"


IDLE = PlayerState.IDLE
CONNECTING = PlayerState.CONNECTING
BUFFERING = PlayerState.BUFFERING
LIVE = PlayerState.LIVE
STALLED = PlayerState.STALLED
RECONNECTING = PlayerState.RECONNECTING
PAUSED = PlayerState.PAUSED
STOPPED = PlayerState.STOPPED
ERROR = PlayerState.ERROR
STATES = tuple(PlayerState)

STALL_S = 3.0  # no frame for this long while live → stalled
CONNECT_TIMEOUT_S = 10.0  # no first frame this long after setting a source → try the next one
BACKOFF_S = (1, 2, 4, 8)  # before anything played: delays before each round, then 8 s
# After the stream played: every round this long after the last (uniform, so that the panes of
# many windows do not hammer the origin in step). The stream is back within this of its return.
ON_AIR_RETRY_S = (1.0, 1.5)
# Rounds of every source failing before anything played → error: 1+2+4+8+8 s ≈ 23 s of
# retrying, time for a just-started caster's streams to appear.
GIVE_UP_ROUNDS = 6
NETWORK_TIMEOUT_MS = 5000  # FFmpeg socket timeout; HTTP default is 20 s (measured)
TICK_MS = 250  # one timer drives the watchdog, the countdown and the retry
FPS_WINDOW_S = 2.0


@dataclass(frozen=True, slots=True)
class PreviewSource:
    """One URL to try, and a short label for the user ("monitor", "FLV lsd")."""

    url: str
    label: str


def multimedia_unavailable_reason() -> str | None:
    """Why video previews cannot work here, in plain language, or None if they can."""
    error = _import_multimedia()
    if error is not None:
        return f"Qt Multimedia could not be loaded ({error})"
    return None


class PreviewPlayer(QObject):
    """The live preview of one pane (PVW or PGM): player, sink, view and state machine.

    Signals: ``state_changed(state, detail)``, ``frame_arrived(width, height)`` for every frame,
    ``first_frame({"ms_since_source", "width", "height"})`` once per :meth:`play`, and
    ``countdown_changed(seconds)`` while reconnecting.
    """

    state_changed = Signal(str, str)
    frame_arrived = Signal(int, int)
    frame_changed = Signal(object)  # the QVideoFrame to show, or None to show black
    first_frame = Signal(dict)
    countdown_changed = Signal(int)
    # Commands to the engine's thread (queued).
    _build_engine = Signal(object)
    _open_stream = Signal(int, str)
    _close_stream_now = Signal()
    _use_sink = Signal(object)
    _use_audio = Signal(bool)
    _set_rate = Signal(float)
    _end_engine = Signal()

    def __init__(
        self,
        name: str,
        parent: QObject | None = None,
        *,
        low_latency: bool = False,
        network_timeout_ms: int | None = NETWORK_TIMEOUT_MS,
        give_up_rounds: int = GIVE_UP_ROUNDS,
    ) -> None:
        super().__init__(parent)
        self.name = name
        self.give_up_rounds = give_up_rounds
        self._state = IDLE
        self._detail = ""
        self._sources: list[PreviewSource] = []
        self._index = 0
        self._frames = 0
        self._size = QSize()
        # (arrival, timestamp) of recent frames, in seconds; timestamp = arrival when unknown.
        self._arrivals: deque[tuple[float, float]] = deque()
        self._source_set_at = 0.0
        self._last_frame_at = 0.0
        self._got_frame_this_source = False
        self._ever_live = False  # in this play() session
        self._first_frame_sent = False
        self._rounds_failed = 0
        self._retry_at: float | None = None
        self._countdown = -1
        self._last_error = ""
        self._muted = True
        self._shut_down = False
        self._low_latency = low_latency
        self._network_timeout_ms = network_timeout_ms
        # Session numbers: each opened stream gets the next one; the engine tags its reports
        # with it, so late reports about a closed stream are ignored.
        self._session = 0
        self._opened_session = -1
        self._stream_open = False
        self._latest: QVideoFrame | None = None
        self._live_edge = LiveEdge()

        self._tick = QTimer(self)
        self._tick.setObjectName("previewTick")
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._on_tick)
        # Failures are handled on the next turn of the event loop: Qt reports one failure as
        # several signals (errorOccurred, then InvalidMedia), and switching source inside the
        # first would make the rest look like failures of the next source.
        self._failure: str | None = None
        self._fail_timer = QTimer(self)
        self._fail_timer.setObjectName("previewFailure")
        self._fail_timer.setSingleShot(True)
        self._fail_timer.setInterval(0)
        self._fail_timer.timeout.connect(self._handle_failure)

        self._engine: PlayerEngine | None = None
        self._thread: QThread | None = None
        self._sink: QVideoSink | None = None
        self._own_sink: QVideoSink | None = None
        self._has_audio = False
        self._audio_receiver_factory: Callable[[], Callable[[Any], None]] | None = None
        self._unavailable: str | None = None
        self._multimedia_checked = False

    def _multimedia_ready(self) -> bool:
        """Load Qt Multimedia and make the player's own sink (unless a view gave one) the first
        time a preview needs them, not while the window is built; False if previews cannot work
        here."""
        if not self._multimedia_checked:
            self._multimedia_checked = True
            self._unavailable = multimedia_unavailable_reason()
            if self._unavailable is None and self._sink is None:
                self._own_sink = QVideoSink(self)
                self._sink = self._own_sink
                self._sink.videoFrameChanged.connect(self._on_frame)
        return self._unavailable is None

    def set_video_sink(self, sink: QVideoSink) -> None:
        """Send frames to ``sink`` (e.g. a QVideoWidget's, drawn by Qt's RHI) instead of the
        player's own sink. ``frame_changed`` then still carries every frame (no conversion)."""
        if self._unavailable is not None or self._shut_down or sink is self._sink:
            return
        if self._sink is not None:
            self._sink.videoFrameChanged.disconnect(self._on_frame)
        self._sink = sink
        sink.videoFrameChanged.connect(self._on_frame)
        if self._engine is not None:
            self._use_sink.emit(sink)

    def set_audio_receiver_factory(self, factory: Callable[[], Callable[[Any], None]]) -> None:
        """Send every decoded ``QAudioBuffer`` to the slot ``factory`` returns (a slot of a
        QObject living on another thread: the pane's monitor), muted or not. ``factory`` is
        called when the player's engine starts. Call this before the first stream."""
        if self._engine is not None:
            log.warning("%s: an audio receiver must be set before the player starts", self.name)
            return
        self._audio_receiver_factory = factory

    def prepare(self) -> None:
        """Start the player's thread and its QMediaPlayer now, so that the first stream does
        not wait for them."""
        self._ensure_engine()

    def prepare_soon(self) -> None:
        """:meth:`prepare` once the pane (this player's parent) has painted; the pane calls this
        when it is shown. Not before: the next turn of the event loop comes before the window's
        first paint, which the thread and Qt Multimedia would delay."""
        if self._engine is not None or self._shut_down:
            return
        pane = self.parent()
        if isinstance(pane, QWidget):
            pane.installEventFilter(self)  # once: installing again moves it, never doubles it
        else:
            QTimer.singleShot(0, self, self.prepare)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self.prepare)
        return False

    def _ensure_engine(self) -> bool:
        """Start the engine's thread (the first time a stream is opened)."""
        if self._engine is not None:
            return True
        if self._shut_down or not self._multimedia_ready():
            return False
        thread = QThread()
        thread.setObjectName(f"preview-{self.name}")
        factory = self._audio_receiver_factory
        receiver = factory() if factory is not None else None
        engine = PlayerEngine(self._low_latency, self._network_timeout_ms, receiver)
        engine.moveToThread(thread)
        self._build_engine.connect(engine.build)
        self._open_stream.connect(engine.open)
        self._close_stream_now.connect(engine.close)
        self._use_sink.connect(engine.set_sink)
        self._use_audio.connect(engine.set_audio)
        self._set_rate.connect(engine.set_rate)
        self._end_engine.connect(engine.shutdown)
        engine.opened.connect(self._on_opened)
        engine.error.connect(self._on_engine_error)
        engine.status.connect(self._on_engine_status)
        engine.unavailable.connect(self._on_unavailable)
        RUNNING_ENGINES.add(thread)
        thread.start()
        self._engine, self._thread = engine, thread
        self._build_engine.emit(self._sink)
        if not self._muted:
            self._use_audio.emit(True)
        return True

    # --- what the pane reads -----------------------------------------------------------------

    @property
    def state(self) -> PlayerState:
        return self._state

    @property
    def detail(self) -> str:
        return self._detail

    @property
    def frames_decoded(self) -> int:
        """Frames that reached the sink since this player was made (never reset)."""
        return self._frames

    @property
    def resolution(self) -> QSize:
        """Size of the last frame (invalid before the first)."""
        return QSize(self._size)

    @property
    def fps(self) -> float:
        """The stream's frames per second over the last couple of seconds (0 when nothing
        arrives). Counted against the frames' timestamps, so catching up at 2× is not 50 fps."""
        arrivals = self._arrivals
        if len(arrivals) < 2 or time.monotonic() - arrivals[-1][0] > 1.0:
            return 0.0
        span = arrivals[-1][1] - arrivals[0][1]
        if span <= 0:  # the timestamps started over: count by arrival this once
            span = arrivals[-1][0] - arrivals[0][0]
        return (len(arrivals) - 1) / span if span > 0 else 0.0

    @property
    def current_source(self) -> PreviewSource | None:
        if not self._sources:
            return None
        return self._sources[self._index]

    @property
    def sources(self) -> list[PreviewSource]:
        return list(self._sources)

    @property
    def muted(self) -> bool:
        return self._muted

    def seconds_until_retry(self) -> int | None:
        if self._retry_at is None:
            return None
        return max(0, int(self._retry_at - time.monotonic() + 0.999))

    def is_decoding(self) -> bool:
        """True while a stream is open (or being opened) for this player."""
        return self._stream_open

    def engine_running(self) -> bool:
        """True while the player's thread runs (from the first stream until shutdown)."""
        return self._thread is not None and self._thread.isRunning()

    def latest_frame(self) -> QVideoFrame | None:
        """The last frame shown (not converted): for analysis at a low rate, or None."""
        return self._latest

    # --- commands ----------------------------------------------------------------------------

    def play(self, sources: list[PreviewSource], *, paused: bool = False) -> None:
        """Start a new session on ``sources`` (first is preferred; the rest are fallbacks).

        ``paused``: take the sources but open nothing until :meth:`resume_decoding` (the pane
        is not visible yet).
        """
        if self._shut_down:
            return
        given = [s for s in sources if s.url]
        problems = [playback_url_problem(s.url) for s in given]
        self._sources = [s for s, problem in zip(given, problems, strict=True) if not problem]
        self._index = 0
        self._ever_live = False
        self._first_frame_sent = False
        self._rounds_failed = 0
        self._last_error = ""
        if not self._sources:
            self._release()
            if "too_long" in problems:
                why = self.tr("The stream URL is over 8 KB long, so it was not opened.")
            elif problems:
                why = self.tr("Not a stream URL (rtmp, http or https), so it was not opened.")
            else:
                why = self.tr("No stream URL to preview.")
            if problems:
                log.warning(
                    "%s: refused to open a URL (%s)", self.name, ", ".join(map(str, problems))
                )
            self._set_state(ERROR, why)
            return
        if not self._multimedia_ready():
            self._set_state(
                ERROR, self.tr("Video preview is unavailable: {}").format(self._unavailable)
            )
            return
        if paused:
            self._release()
            self._set_state(PAUSED, "")
            return
        self._connect_current()

    def retry(self) -> None:
        """Start the current sources again from the first (after an error)."""
        if self._sources and not self._shut_down:
            self.play(list(self._sources))

    def stop(self, detail: str = "") -> None:
        """Stop decoding for good (the caster stopped): state "stopped", with ``detail``."""
        if self._shut_down:
            return
        self._release()
        self._set_state(STOPPED, detail)

    def clear(self) -> None:
        """Forget the sources and go back to "idle"."""
        if self._shut_down:
            return
        self._release()
        self._sources = []
        self._index = 0
        self._latest = None
        self.frame_changed.emit(None)
        self._size = QSize()
        self._set_state(IDLE, "")

    def pause_decoding(self) -> None:
        """The pane is hidden: close the stream so nothing is fetched or decoded."""
        if self._shut_down or self._state in (IDLE, STOPPED, ERROR, PAUSED):
            return
        self._release()
        self._set_state(PAUSED, "")

    def resume_decoding(self) -> None:
        """The pane is visible again: reopen the stream from the preferred source."""
        if self._shut_down or self._state != PAUSED:
            return
        self._index = 0
        self._rounds_failed = 0
        self._connect_current()

    def set_muted(self, muted: bool) -> None:
        """Muted (the default) means no audio output at all; unmuting attaches one."""
        if muted == self._muted or self._shut_down:
            return
        self._muted = muted
        if not self._multimedia_ready():
            return
        self._has_audio = not muted
        if self._engine is not None:
            self._use_audio.emit(not muted)

    @property
    def has_audio_output(self) -> bool:
        """True when unmuted: the player gets (or has) an audio output."""
        return self._has_audio

    def shutdown(self) -> None:
        """Stop, drop the source and every connection, stop the timer. Safe to call twice."""
        if self._shut_down:
            return
        self._release()
        self._shut_down = True
        if self._sink is not None:
            self._sink.videoFrameChanged.disconnect(self._on_frame)
        self._latest = None
        if self._engine is not None and self._thread is not None:
            self._end_engine.emit()  # closes, deletes the player, ends the thread's loop
            # Shutting down is the one place that waits: nothing may outlive the window.
            if not self._thread.wait(10_000):
                log.warning("%s: the player thread did not end within 10 s", self.name)
            else:
                RUNNING_ENGINES.discard(self._thread)
            self._engine = None
        self._has_audio = False
        self._tick.timeout.disconnect(self._on_tick)
        self._fail_timer.timeout.disconnect(self._handle_failure)
        self._set_state(STOPPED, "")

    # --- internals ---------------------------------------------------------------------------

    def _release(self) -> None:
        """Stop the player and every timer; no retry pending."""
        self._close_stream()
        self._tick.stop()
        self._retry_at = None
        self._countdown = -1
        self._arrivals.clear()

    def _close_stream(self) -> None:
        """Have the engine close the stream (on its thread); forget any failure pending.

        Whatever the engine still reports about that stream carries its old session number
        and is ignored.
        """
        if self._stream_open:
            self._stream_open = False
            self._session += 1
            self._close_stream_now.emit()
        self._fail_timer.stop()
        self._failure = None

    def _connect_current(self) -> None:
        if not self._ensure_engine():
            return
        source = self._sources[self._index]
        self._retry_at = None
        self._countdown = -1
        self._got_frame_this_source = False
        self._arrivals.clear()
        # setSource() ignores the URL it already has, so a reconnect must clear it first.
        self._close_stream()
        self._reset_live_edge(source.url)
        self._source_set_at = time.monotonic()
        self._set_state(CONNECTING, source.label)
        log.info("%s: opening %s (%s)", self.name, redact(source.url), source.label)
        self._session += 1
        self._stream_open = True
        self._open_stream.emit(self._session, source.url)
        self._tick.start()

    def _set_state(self, state: PlayerState, detail: str) -> None:
        if state == self._state and detail == self._detail:
            return
        previous = self._state
        self._state, self._detail = state, detail
        log.info("%s: %s → %s %s", self.name, previous, state, redact(detail))
        self.state_changed.emit(state, detail)

    def _fail(self, reason: str) -> None:
        """The current source failed (error, end of stream, no picture): act on it soon."""
        if self._state not in (CONNECTING, BUFFERING, LIVE, STALLED) or self._failure is not None:
            return
        self._failure = reason
        self._fail_timer.start()

    def _handle_failure(self) -> None:
        reason, self._failure = self._failure, None
        if reason is None or self._shut_down:
            return
        if self._state not in (CONNECTING, BUFFERING, LIVE, STALLED):
            return  # paused, stopped or reconnecting since: nothing to fall back from
        source = self._sources[self._index]
        self._last_error = reason
        log.info("%s: %s failed: %s", self.name, source.label, redact(reason))
        had_frames = self._got_frame_this_source
        self._close_stream()
        if not had_frames and self._index + 1 < len(self._sources):
            self._index += 1  # fall back at once to the next kind of URL
            self._connect_current()
            return
        if not had_frames:
            self._rounds_failed += 1
            if not self._ever_live and self._rounds_failed >= self.give_up_rounds:
                self._release()
                self._set_state(ERROR, reason)
                return
        self._schedule_retry(reason)

    def retry_delay(self) -> float:
        """Seconds before the next round: short and jittered once the stream has played (it is
        on air: back at once when it returns); else 1, 2, 4, 8, 8… as rounds keep failing."""
        if self._ever_live:
            return random.uniform(*ON_AIR_RETRY_S)  # jitter, not a secret
        return float(BACKOFF_S[min(max(self._rounds_failed - 1, 0), len(BACKOFF_S) - 1)])

    def _schedule_retry(self, reason: str) -> None:
        delay = self.retry_delay()
        self._index = 0  # every round starts again from the preferred source
        self._retry_at = time.monotonic() + delay
        self._countdown = self.seconds_until_retry() or 0
        self._set_state(RECONNECTING, reason)
        self.countdown_changed.emit(self._countdown)
        self._tick.start()

    @Slot()
    def _on_tick(self) -> None:
        now = time.monotonic()
        if self._retry_at is not None:
            remaining = self.seconds_until_retry() or 0
            if remaining != self._countdown:
                self._countdown = remaining
                self.countdown_changed.emit(remaining)
            if now >= self._retry_at:
                self._connect_current()
            return
        if self._state in (CONNECTING, BUFFERING) and not self._got_frame_this_source:
            if now - self._source_set_at > CONNECT_TIMEOUT_S:
                self._fail(self.tr("No picture within {} s.").format(int(CONNECT_TIMEOUT_S)))
        elif self._state == LIVE and now - self._last_frame_at > STALL_S:
            self._set_state(STALLED, self.tr("No picture for {} s.").format(int(STALL_S)))
            # Keep the connection: a frame before the retry brings it straight back to live.
            self._retry_at = None
            self._schedule_retry(self._detail)

    @Slot(int)
    def _on_opened(self, session: int) -> None:
        if session == self._session:
            self._opened_session = session

    @Slot(str)
    def _on_unavailable(self, reason: str) -> None:
        self._unavailable = reason
        if self._stream_open:
            self._release()
            self._set_state(
                ERROR, self.tr("Video preview is unavailable: {}").format(self._unavailable)
            )

    @Slot(int, int, str)
    def _on_engine_error(self, session: int, error: int, message: str) -> None:
        if session == self._session and self._stream_open:
            self._on_error(QMediaPlayer.Error(error), message)

    @Slot(int, int)
    def _on_engine_status(self, session: int, status: int) -> None:
        if session == self._session and self._stream_open:
            self._on_media_status(QMediaPlayer.MediaStatus(status))

    def _on_frame(self, frame: QVideoFrame) -> None:
        if not frame.isValid() or self._shut_down:
            return  # Qt sends an empty frame when playback stops
        if not self._stream_open or self._opened_session != self._session:
            return  # a late frame of a stream closed since (the engine closes it first)
        if self._state not in (CONNECTING, BUFFERING, LIVE, STALLED, RECONNECTING):
            return  # a late frame after stop/pause
        now = time.monotonic()
        self._frames += 1
        self._last_frame_at = now
        stamp = frame.startTime()
        self._arrivals.append((now, stamp / 1e6 if stamp >= 0 else now))
        while self._arrivals and now - self._arrivals[0][0] > FPS_WINDOW_S:
            self._arrivals.popleft()
        width, height = frame.width(), frame.height()
        self._size = QSize(width, height)
        self._latest = frame
        self._follow_live_edge(now, frame)
        self.frame_changed.emit(frame)
        if not self._got_frame_this_source:
            self._got_frame_this_source = True
            self._rounds_failed = 0
        if self._state != LIVE:
            self._retry_at = None
            self._countdown = -1
            self._ever_live = True
            self._set_state(LIVE, self._sources[self._index].label)
        if not self._first_frame_sent:
            self._first_frame_sent = True
            ms = round((now - self._source_set_at) * 1000)
            log.info("%s: first frame %dx%d after %d ms", self.name, width, height, ms)
            self.first_frame.emit({"ms_since_source": ms, "width": width, "height": height})
        self.frame_arrived.emit(width, height)

    # --- catching up to the live edge (see live_edge) ----------------------------------------

    @property
    def live_edge(self) -> LiveEdge:
        """The catch-up state: ``rate`` now, ``caught_up_s`` (lag removed by the last one)."""
        return self._live_edge

    def _reset_live_edge(self, url: str) -> None:
        """A new stream starts at 1×; its first frame starts a catch-up (not HLS). Queued
        before the open, so the engine applies it first."""
        if self._live_edge.reset(catches_up(url)) is not None and self._engine is not None:
            self._set_rate.emit(1.0)

    def _follow_live_edge(self, now: float, frame: QVideoFrame) -> None:
        """Speed up while the player is behind the live edge, back to 1× once there."""
        if frame.startTime() < 0:
            return  # no timestamp: nothing to judge the lag by
        rate = self._live_edge.frame(now, frame.startTime() / 1e6)
        if rate is None:
            return
        log.info("%s: rate %g× (caught up %.2f s)", self.name, rate, self._live_edge.caught_up_s)
        self._set_rate.emit(rate)

    def _on_error(self, error: QMediaPlayer.Error, message: str) -> None:
        if error == QMediaPlayer.Error.NoError:
            return
        self._fail(self._explain(error, message))

    def _explain(self, error: QMediaPlayer.Error, message: str) -> str:
        """Qt's error as a plain sentence, with Qt's own words kept in brackets."""
        errors = QMediaPlayer.Error
        if error == errors.AccessDeniedError:
            text = self.tr("Access to the stream was denied (is the auth_key still valid?).")
        elif error == errors.NetworkError:
            text = self.tr("The network connection to the stream failed.")
        elif error == errors.FormatError:
            text = self.tr("The stream's format cannot be played here.")
        elif self._got_frame_this_source:
            text = self.tr("The stream was interrupted.")
        else:
            text = self.tr("The stream could not be opened: refused, not found, or not on air yet.")
        return f"{text} ({message})" if message else text

    def _on_media_status(self, status: QMediaPlayer.MediaStatus) -> None:
        media = QMediaPlayer.MediaStatus
        if status in (media.BufferingMedia, media.BufferedMedia, media.LoadedMedia):
            if self._state == CONNECTING:
                self._set_state(BUFFERING, self._sources[self._index].label)
        elif status == media.EndOfMedia:
            self._fail(self.tr("The stream ended."))
        elif status == media.InvalidMedia:
            self._fail(self.tr("The stream could not be played (invalid media)."))
