"""Live streams as pure arithmetic over a loop, and the viewers that follow them.

A published stream is a loop plus the clock reading at which its media time was zero. Nothing runs
for a stream nobody watches. A viewer starts at a recent keyframe (the GOP cache a CDN keeps,
so the first picture comes at once), receives everything from there up to "now" in one burst,
then follows in real time, waking about every frame interval.

A stream shows one look at a time (its scene's layout). ``set_look`` schedules a change at the
next keyframe: every look of a rendition has the same sample times and codec headers, so a
viewer's feed simply continues with the other loop's samples, with no new sequence header, no
reconnect and no jump in timestamps.
"""

from __future__ import annotations

import asyncio
from bisect import bisect_right
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from app.sandbox.media.loops import CLOCK_HZ, MediaLoop, Sample, load_loop
from app.sandbox.media.renditions import DEFAULT_LOOK
from app.sandbox.media.variants import derive

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


@dataclass(slots=True)
class LookRun:
    """A stretch of a stream showing one look, from ``start_ticks`` (a keyframe) to the next run.

    ``hls_counters`` caches the MPEG-TS continuity counters at the run's first segment; the HLS
    packager fills it, since only it knows how many packets each segment of a look takes.
    """

    start_ticks: int
    look: str
    hls_counters: dict[int, int] | None = None


class LiveStream:
    """One published stream: a rendition's loops on a clock that started at ``epoch``.

    ``variant`` (``black``, ``frozen``, ``silent``) serves every look broken that way: a media
    fault's view of a healthy stream (see :meth:`view`).
    """

    def __init__(
        self,
        name: str,
        rendition: str,
        *,
        clock: Clock,
        epoch: float,
        hls_seq_base: int = 0,
        look: str = DEFAULT_LOOK,
        variant: str | None = None,
    ) -> None:
        self.name = name
        self.variant = variant
        self.rendition = rendition
        self.clock = clock
        self.epoch = epoch
        self.hls_seq_base = hls_seq_base
        self.cut_until = 0.0
        self.viewers: set[Viewer] = set()
        self.runs: list[LookRun] = [LookRun(0, look)]
        self._run_starts: list[int] = [0]
        self._loops: dict[str, MediaLoop] = {}

    @property
    def loop(self) -> MediaLoop:
        """The loop of the latest look: its timing and codec headers are those of every look."""
        return self.loop_for(self.runs[-1].look)

    @property
    def look(self) -> str:
        """The look scheduled last (it may start at the next keyframe)."""
        return self.runs[-1].look

    def loop_for(self, look: str) -> MediaLoop:
        loop = self._loops.get(look)
        if loop is None:
            loop = load_loop(self.rendition, look)
            if self.variant is not None:
                loop = derive(loop, self.variant)
            self._loops[look] = loop
        return loop

    def view(self, rendition: str, variant: str | None) -> LiveStream:
        """A twin on the same clock showing the same looks, at ``rendition``'s size and/or
        broken as ``variant``. The origin forwards later look changes with their keyframe time."""
        twin = LiveStream(
            self.name,
            rendition,
            clock=self.clock,
            epoch=self.epoch,
            hls_seq_base=self.hls_seq_base,
            variant=variant,
        )
        twin.runs = [LookRun(run.start_ticks, run.look) for run in self.runs]
        twin._run_starts = list(self._run_starts)
        twin.cut_until = self.cut_until
        return twin

    def set_rendition(self, rendition: str) -> None:
        """Switch to another loop (the clock runs on; current viewers must be stopped first)."""
        self.rendition = rendition
        self._loops.clear()
        for run in self.runs:
            run.hls_counters = None

    def run_index(self, ticks: int) -> int:
        """Index in ``runs`` of the run showing at media time ``ticks``."""
        return max(0, bisect_right(self._run_starts, ticks) - 1)

    def look_at(self, ticks: int) -> str:
        return self.runs[self.run_index(ticks)].look

    def set_look(self, look: str, at: int | None = None) -> int:
        """Show ``look`` from the next keyframe on; returns that keyframe's media time (ticks).

        A change that has not started yet is replaced, so the last call wins. Samples already
        due (and so possibly sent) never change. ``at`` forces the keyframe time (a view
        follows its stream's change at the same keyframe).
        """
        new_loop = self.loop_for(look)  # fails here, not mid-stream, if the look cannot load
        if at is None:
            iteration, offset = divmod(self.now_ticks(), new_loop.duration_ticks)
            position = bisect_right(new_loop.keyframe_ticks, offset)
            if position == len(new_loop.keyframe_ticks):
                at = (iteration + 1) * new_loop.duration_ticks  # sample 0 is a keyframe
            else:
                at = iteration * new_loop.duration_ticks + new_loop.keyframe_ticks[position]
        while len(self.runs) > 1 and self.runs[-1].start_ticks >= at:
            self.runs.pop()
            self._run_starts.pop()
        if self.runs[-1].look != look:
            self.runs.append(LookRun(at, look))
            self._run_starts.append(at)
        return at

    def is_cut(self) -> bool:
        return self.clock() < self.cut_until

    def now_ticks(self) -> int:
        """Media time now, 90 kHz ticks since the stream's epoch."""
        return int((self.clock() - self.epoch) * CLOCK_HZ)

    # Samples are numbered globally: sample i of loop iteration n is n * len(samples) + i.

    def sample(self, index: int) -> tuple[int, Sample]:
        """(media time in ticks, sample) of global sample ``index``, in the look showing then."""
        loop = self.loop
        iteration, i = divmod(index, len(loop.samples))
        ticks = iteration * loop.duration_ticks + loop.sample_ticks[i]
        if len(self.runs) > 1:
            loop = self.loop_for(self.look_at(ticks))
        return ticks, loop.samples[i]

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
