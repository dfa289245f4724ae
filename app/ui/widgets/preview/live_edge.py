"""Catching a live preview up to the live edge: pure logic, no Qt.

A live origin (a CDN, and the sandbox) sends a new viewer its GOP cache: everything from a
keyframe 2–3 s ago, at once, so that the first picture comes at once. A player that then
presents frames at their timestamps (QMediaPlayer does) shows that first keyframe first and
stays 2–3 s behind for the whole session: a Take shows on the preview that much later than on
air (measured: 2.16 s behind the edge on the sandbox's RTMP monitor).

:class:`LiveEdge` watches each frame's timestamp against the wall clock and says what playback
rate to use. After a stream's first frame it asks for ``CATCH_UP_RATE``. While the player has a
backlog its timestamps advance that many times faster than the wall clock. At the live edge it
runs out of frames and the timestamps advance only as fast as the stream arrives (1×), or stop
for a moment: that is the edge.

Then it builds a cushion, since a player with no buffer at all shows every hiccup of delivery as
a freeze (measured: 0.2 s pauses in delivery were 0.24 s freezes at the edge, invisible 2 s
behind it). It plays at ``SETTLE_RATE`` (0.8×). Qt's clock ran ahead of the data while the player
was starved at 2×, so at first frames still come as they arrive (1×); once they come at 0.8×
the clock is behind the data, and ``CUSHION_S`` more of it builds up before the rate is 1×.
Sound, when a pane is unmuted, plays those seconds fast or slow at its own pitch (Qt's pitch
compensation, on by default here).

Once caught up it stays caught up: Qt's clock runs on while the player waits for data, and frames
that come late are shown as they come (measured), so a pause in delivery longer than the
cushion freezes the picture for the difference but adds no lag.

HLS is left alone: it arrives a whole segment (1 s) at a time, so a player at its edge shows
each segment at once and then waits for the next (measured: 1 s freezes). HLS players keep a
few segments of buffer for that reason.

How far behind the player was is not observable up front (the backlog sits in Qt's demuxer);
:attr:`LiveEdge.caught_up_s` says afterwards how much lag the catch-up removed.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

CATCH_UP_RATE = 2.0  # measured: 2.16 s of GOP cache gone in ~2.2 s, no frame dropped
# The rate is judged over this much wall time of frames: at 25 fps, 15 frames.
WINDOW_S = 0.6
# No frame for this long while catching up: the player ran out of data, so it is at the edge.
STARVED_S = 0.25
# From the edge, this much stream is let build up again (slower than real time), so that a short
# pause in delivery does not freeze the picture; it is also how far behind live the preview stays.
CUSHION_S = 0.2
SETTLE_RATE = 0.8  # 20 % slower is hardly seen on a preview; the cushion takes 1 s at it
SETTLE_WINDOW_S = 1.0  # 1× against 0.8× is 25 against 20 frames: judged over a longer window
MAX_SETTLE_S = 8.0  # 1× after this long at 0.8× whatever was seen (the clock may never fall back)
# Give up catching up after this long (a stream whose timestamps run fast, or a backlog that
# keeps coming); then the cushion is built as at the edge.
MAX_CATCH_UP_S = 10.0


def catches_up(url: str) -> bool:
    """Whether a preview of ``url`` should catch up to the live edge: not for HLS (above)."""
    return not url.split("?", 1)[0].lower().endswith(".m3u8")


@dataclass(slots=True)
class _Catching:
    since_wall: float
    since_media: float


@dataclass(slots=True)
class _Settling:
    since_wall: float
    cushion_until: float | None = None  # wall time of 1×, once frames come at 0.8×


class LiveEdge:
    """Decides the playback rate of one live preview from its frames (wall time, timestamp).

    Feed every shown frame to :meth:`frame`; it returns the rate to set when that changes,
    else None. Call :meth:`reset` when a new stream is opened; ``enabled=False`` (HLS, see
    :func:`catches_up`) keeps that stream at 1×.
    """

    def __init__(self, catch_up_rate: float = CATCH_UP_RATE, cushion_s: float = CUSHION_S) -> None:
        self.catch_up_rate = catch_up_rate
        self.cushion_s = cushion_s
        self.rate = 1.0
        self.caught_up_s = 0.0  # lag removed by the last catch-up
        self.catch_ups = 0  # catch-ups started since the last reset
        self.enabled = True
        self._window: deque[tuple[float, float]] = deque()
        self._last: tuple[float, float] | None = None
        self._catching: _Catching | None = None
        self._settling: _Settling | None = None

    def reset(self, enabled: bool = True) -> float | None:
        """A new stream: forget the old one. Returns 1.0 if the rate must go back to 1×."""
        back = 1.0 if self.rate != 1.0 else None
        self.enabled = enabled
        self.rate = 1.0
        self.caught_up_s = 0.0
        self.catch_ups = 0
        self._window.clear()
        self._last = None
        self._catching = None
        self._settling = None
        return back

    @property
    def catching_up(self) -> bool:
        """True until the rate is back at 1× (catching up, then building the cushion)."""
        return self._catching is not None or self._settling is not None

    def frame(self, wall_s: float, media_s: float) -> float | None:
        """One frame shown at ``wall_s`` (monotonic seconds) with timestamp ``media_s``.

        Returns the playback rate to set now, or None to leave it as it is.
        """
        if not self.enabled:
            return None
        last, self._last = self._last, (wall_s, media_s)
        if last is None or media_s < last[1]:  # first frame, or the timestamps started over
            return self._start(wall_s, media_s)
        if self._settling is not None:
            return self._settle(wall_s, media_s)
        if self._catching is None:
            return None
        if wall_s - last[0] > STARVED_S:
            return self._stop(last)
        self._window.append((wall_s, media_s))
        while self._window and wall_s - self._window[0][0] > WINDOW_S:
            self._window.popleft()
        if wall_s - self._catching.since_wall > MAX_CATCH_UP_S:
            return self._stop((wall_s, media_s))
        first = self._window[0]
        span = wall_s - first[0]
        if span < WINDOW_S * 0.9:
            return None
        speed = (media_s - first[1]) / span
        # Halfway between 1× (fed live) and the catch-up rate (playing a backlog).
        if speed < (1.0 + self.catch_up_rate) / 2:
            return self._stop((wall_s, media_s))
        return None

    def _start(self, wall_s: float, media_s: float) -> float | None:
        self._catching = _Catching(wall_s, media_s)
        self._settling = None
        self.catch_ups += 1
        self._window.clear()
        self._window.append((wall_s, media_s))
        if self.rate == self.catch_up_rate:
            return None
        self.rate = self.catch_up_rate
        return self.rate

    def _stop(self, at: tuple[float, float]) -> float:
        assert self._catching is not None
        wall_s, media_s = at
        played = media_s - self._catching.since_media
        self.caught_up_s = max(0.0, played - (wall_s - self._catching.since_wall))
        self._catching = None
        self._window.clear()
        self._settling = _Settling(wall_s)
        self._window.append(at)
        self.rate = SETTLE_RATE
        return self.rate

    def _settle(self, wall_s: float, media_s: float) -> float | None:
        """At 0.8×: wait for frames to come at 0.8× (the clock is behind the data), then for
        the cushion to build; 1× then."""
        settling = self._settling
        assert settling is not None
        if settling.cushion_until is None:
            self._window.append((wall_s, media_s))
            while self._window and wall_s - self._window[0][0] > SETTLE_WINDOW_S:
                self._window.popleft()
            first = self._window[0]
            span = wall_s - first[0]
            if span >= SETTLE_WINDOW_S * 0.9 and (media_s - first[1]) / span < (
                (1.0 + SETTLE_RATE) / 2
            ):
                settling.cushion_until = wall_s + self.cushion_s / (1.0 - SETTLE_RATE)
        done = settling.cushion_until is not None and wall_s >= settling.cushion_until
        if not done and wall_s - settling.since_wall <= MAX_SETTLE_S:
            return None
        self._settling = None
        self._window.clear()
        self.rate = 1.0
        return 1.0
