"""Live streams as pure arithmetic over a loop, and the viewers that follow them.

A published stream is a loop plus the clock reading at which its media time was zero. Nothing runs
for a stream nobody watches. A viewer starts at a recent keyframe (the GOP cache a CDN keeps,
so the first picture comes at once), receives everything from there up to "now" in one burst,
then follows in real time, waking about every frame interval.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

from app.sandbox.media.loops import CLOCK_HZ, MediaLoop, Sample, load_loop

Clock = Callable[[], float]

# How long a stream has already been "on air" when it is published, so that HLS has a full
# playlist window at once and a new viewer always finds a keyframe in the past.
PREROLL_S = 6.0
# The GOP cache: a new viewer starts at the latest keyframe at least this old, and gets everything
# from there at once. FFmpeg-based players (ffplay, VLC, QtMultimedia) probe ~40 frames of an
# H.264 FLV stream before showing the first one (1 ms FLV timestamps make them count twice as
# many frames to guess the frame rate), so with our 1 s GOPs a single-GOP cache would leave them
# waiting for live frames for up to 1.6 s. Two seconds of cache makes the first picture immediate.
GOP_CACHE_S = 2.0
# Wake no more often than this: each wake sends every sample that has come due (~2 audio frames
# and 1 video frame), which keeps the cost per viewer low.
MIN_WAKE_S = 0.04
# A viewer that cannot keep up (its socket is not draining) is dropped rather than buffered.
MAX_LAG_TICKS = 10 * CLOCK_HZ


class StopReason:
    """Why a viewer's feed ended (plain strings, compared by the servers)."""

    CUT = "cut"
    UNPUBLISHED = "unpublished"
    TOO_SLOW = "too slow"
    CLOSED = "closed"


class LiveStream:
    """One published stream: a rendition's loop on a clock that started at ``epoch``."""

    def __init__(
        self, name: str, rendition: str, *, clock: Clock, epoch: float, hls_seq_base: int = 0
    ) -> None:
        self.name = name
        self.rendition = rendition
        self.clock = clock
        self.epoch = epoch
        self.hls_seq_base = hls_seq_base
        self.cut_until = 0.0
        self.viewers: set[Viewer] = set()
        self._loop: MediaLoop | None = None

    @property
    def loop(self) -> MediaLoop:
        if self._loop is None:
            self._loop = load_loop(self.rendition)
        return self._loop

    def set_rendition(self, rendition: str) -> None:
        """Switch to another loop (the clock runs on; current viewers must be stopped first)."""
        self.rendition = rendition
        self._loop = None

    def is_cut(self) -> bool:
        return self.clock() < self.cut_until

    def now_ticks(self) -> int:
        """Media time now, 90 kHz ticks since the stream's epoch."""
        return int((self.clock() - self.epoch) * CLOCK_HZ)

    # Samples are numbered globally: sample i of loop iteration n is n * len(samples) + i.

    def sample(self, index: int) -> tuple[int, Sample]:
        """(media time in ticks, sample) of global sample ``index``."""
        loop = self.loop
        iteration, i = divmod(index, len(loop.samples))
        return iteration * loop.duration_ticks + loop.sample_ticks[i], loop.samples[i]

    def index_after(self, ticks: int) -> int:
        """Global index of the first sample due strictly after media time ``ticks``."""
        loop = self.loop
        iteration, offset = divmod(ticks, loop.duration_ticks)
        return iteration * len(loop.samples) + loop.index_after(offset)

    def keyframe_index(self, ticks: int) -> int:
        """Global index of the latest keyframe due at or before media time ``ticks``."""
        loop = self.loop
        iteration, offset = divmod(ticks, loop.duration_ticks)
        return iteration * len(loop.samples) + loop.keyframe_at_or_before(offset)

    def stop_viewers(self, reason: str) -> None:
        for viewer in list(self.viewers):
            viewer.stop(reason)


class Viewer:
    """One subscriber of a ``LiveStream`` (an RTMP play or an HTTP-FLV request)."""

    def __init__(self, stream: LiveStream) -> None:
        self.stream = stream
        self.stop_reason: str | None = None
        self._wake: asyncio.Future[None] | None = None
        stream.viewers.add(self)

    def stop(self, reason: str) -> None:
        """End the feed at its next step (idempotent)."""
        if self.stop_reason is None:
            self.stop_reason = reason
        self.stream.viewers.discard(self)
        if self._wake is not None and not self._wake.done():
            self._wake.set_result(None)

    async def batches(self) -> AsyncIterator[list[tuple[int, Sample]]]:
        """Samples as they come due, with timestamps in ms from this viewer's first keyframe.

        The first batch is the GOP cache: from a keyframe ``GOP_CACHE_S`` or more ago up to now.
        """
        stream = self.stream
        try:
            index = stream.keyframe_index(stream.now_ticks() - int(GOP_CACHE_S * CLOCK_HZ))
            base = stream.sample(index)[0]
            while self.stop_reason is None:
                now = stream.now_ticks()
                end = stream.index_after(now)
                if end > index:
                    if now - stream.sample(index)[0] > MAX_LAG_TICKS:
                        self.stop(StopReason.TOO_SLOW)
                        break
                    batch = []
                    for i in range(index, end):
                        ticks, sample = stream.sample(i)
                        batch.append(((ticks - base) // 90, sample))
                    index = end
                    yield batch
                    continue
                delay = (stream.sample(index)[0] - now) / CLOCK_HZ
                await self._sleep(max(delay, MIN_WAKE_S))
        finally:
            self.stop(StopReason.CLOSED)

    async def _sleep(self, delay: float) -> None:
        loop = asyncio.get_running_loop()
        wake: asyncio.Future[None] = loop.create_future()
        handle = loop.call_later(delay, _resolve, wake)
        self._wake = wake
        try:
            await wake
        finally:
            handle.cancel()
            self._wake = None


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
