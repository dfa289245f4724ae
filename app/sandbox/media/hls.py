"""HLS for a live stream: a sliding-window playlist and MPEG-TS segments computed on demand.

Segments run from one keyframe to the next (one GOP, 1 s) and are numbered from the stream's
epoch, so numbers only ever grow, cuts included. A stream changes look only at a keyframe, so each
segment shows one look. Segment ``s`` is a pure function of the look's loop, ``s`` and the
continuity counters it starts with, so segments are cached on those and shared by every stream
and viewer that shows the same thing. The counters run on across a change of look: the packager
counts each run's packets by arithmetic (packets per segment are fixed per look and position).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from app.sandbox.media.live import LiveStream
from app.sandbox.media.loops import CLOCK_HZ, MediaLoop
from app.sandbox.media.mpegts import PIDS, AudioFrame, VideoFrame, mux_segment, packet_counts

WINDOW = 6  # segments listed in the playlist
KEEP = 30  # segments still served after they leave the window (slow players)
CACHE_SIZE = 48


@dataclass(frozen=True, slots=True)
class _LoopLayout:
    """A loop's segments: sample ranges, end times, TS packet counts per PID."""

    ranges: tuple[tuple[int, int], ...]  # sample index range of each segment in the loop
    ends: tuple[int, ...]  # end of each segment, ticks within the loop
    durations: tuple[int, ...]
    packets_before: tuple[dict[int, int], ...]  # packets per PID in the loop before segment k
    loop_packets: dict[int, int]  # packets per PID in a whole loop


def _mux(loop: MediaLoop, first: int, last: int, offset: int, counters: dict[int, int]) -> bytes:
    video: list[VideoFrame] = []
    audio: list[AudioFrame] = []
    for sample in loop.samples[first:last]:
        if sample.is_video:
            video.append(VideoFrame(offset + sample.ticks, sample.keyframe, sample.payload))
        else:
            audio.append(AudioFrame(offset + sample.ticks, sample.payload))
    data, _ = mux_segment(loop.avc, loop.aac, video, audio, counters)
    return data


class HlsPackager:
    """Builds playlists and segments for ``LiveStream``s (call on the origin's loop)."""

    def __init__(self) -> None:
        self._layouts: dict[tuple[str, str], _LoopLayout] = {}
        self._cache: OrderedDict[tuple[str, str, int, tuple[int, ...]], bytes] = OrderedDict()

    def _layout(self, loop: MediaLoop) -> _LoopLayout:
        layout = self._layouts.get((loop.rendition, loop.look))
        if layout is not None:
            return layout
        firsts = loop.keyframe_indices
        ranges = tuple(zip(firsts, (*firsts[1:], len(loop.samples)), strict=True))
        ends = (*loop.keyframe_ticks[1:], loop.duration_ticks)
        durations = tuple(e - s for s, e in zip(loop.keyframe_ticks, ends, strict=True))
        before: list[dict[int, int]] = []
        running = dict.fromkeys(PIDS, 0)
        for first, last in ranges:
            before.append(dict(running))
            for pid, count in packet_counts(_mux(loop, first, last, 0, {})).items():
                running[pid] += count
        layout = _LoopLayout(ranges, ends, durations, tuple(before), running)
        self._layouts[(loop.rendition, loop.look)] = layout
        return layout

    def _packets_before(self, loop: MediaLoop, segment: int) -> dict[int, int]:
        """Packets per PID in segments 0 … segment-1 if ``loop`` had played from the epoch."""
        layout = self._layout(loop)
        iteration, position = divmod(segment, len(layout.ends))
        before = layout.packets_before[position]
        return {pid: iteration * layout.loop_packets[pid] + before[pid] for pid in PIDS}

    @staticmethod
    def _segment_at(loop: MediaLoop, ticks: int) -> int:
        """The number of the segment starting at keyframe time ``ticks``."""
        iteration, offset = divmod(ticks, loop.duration_ticks)
        return iteration * len(loop.keyframe_ticks) + loop.keyframe_ticks.index(offset)

    def _counters(self, stream: LiveStream, segment: int, start_ticks: int) -> dict[int, int]:
        """Continuity counters at the start of ``segment``, across every change of look before."""
        runs = stream.runs
        current = stream.run_index(start_ticks)
        if runs[0].hls_counters is None:
            runs[0].hls_counters = dict.fromkeys(PIDS, 0)
        for k in range(1, current + 1):
            if runs[k].hls_counters is not None:
                continue
            prev = runs[k - 1]
            prev_loop = stream.loop_for(prev.look)
            first = self._segment_at(prev_loop, prev.start_ticks)
            end = self._segment_at(prev_loop, runs[k].start_ticks)
            counted = self._packets_before(prev_loop, end)
            skipped = self._packets_before(prev_loop, first)
            base = prev.hls_counters or {}
            runs[k].hls_counters = {
                pid: (base[pid] + counted[pid] - skipped[pid]) & 0x0F for pid in PIDS
            }
        run = runs[current]
        loop = stream.loop_for(run.look)
        counted = self._packets_before(loop, segment)
        skipped = self._packets_before(loop, self._segment_at(loop, run.start_ticks))
        base = run.hls_counters or {}
        return {pid: (base[pid] + counted[pid] - skipped[pid]) & 0x0F for pid in PIDS}

    def complete_segments(self, stream: LiveStream) -> int:
        """How many segments (numbered from 0 at the epoch) have fully elapsed."""
        loop = stream.loop
        layout = self._layout(loop)
        iteration, offset = divmod(stream.now_ticks(), loop.duration_ticks)
        return iteration * len(layout.ends) + bisect_right(layout.ends, offset)

    def playlist(self, stream: LiveStream, segment_uri: Callable[[int], str]) -> str:
        """The live playlist; ``segment_uri(sequence_number)`` gives each entry's URI."""
        layout = self._layout(stream.loop)
        done = self.complete_segments(stream)
        first = max(0, done - WINDOW)
        count = len(layout.durations)
        target = math.ceil(max(layout.durations) / CLOCK_HZ)
        lines = [
            "#EXTM3U",
            "#EXT-X-VERSION:3",
            f"#EXT-X-TARGETDURATION:{target}",
            f"#EXT-X-MEDIA-SEQUENCE:{first + stream.hls_seq_base}",
        ]
        for segment in range(first, done):
            duration = layout.durations[segment % count] / CLOCK_HZ
            lines.append(f"#EXTINF:{duration:.3f},")
            lines.append(segment_uri(segment + stream.hls_seq_base))
        return "\n".join(lines) + "\n"

    def next_sequence(self, stream: LiveStream) -> int:
        """The sequence number the stream's next segment will carry."""
        return self.complete_segments(stream) + stream.hls_seq_base

    def segment(self, stream: LiveStream, sequence: int) -> bytes | None:
        """Segment ``sequence`` as MPEG-TS, or None if it is not (or no longer) available."""
        segment = sequence - stream.hls_seq_base
        done = self.complete_segments(stream)
        if segment < 0 or segment >= done or segment < done - WINDOW - KEEP:
            return None
        base_loop = stream.loop
        iteration, position = divmod(segment, len(base_loop.keyframe_ticks))
        start_ticks = iteration * base_loop.duration_ticks + base_loop.keyframe_ticks[position]
        loop = stream.loop_for(stream.look_at(start_ticks))
        counters = self._counters(stream, segment, start_ticks)
        key = (loop.rendition, loop.look, segment, tuple(counters[pid] for pid in PIDS))
        data = self._cache.get(key)
        if data is not None:
            self._cache.move_to_end(key)
            return data
        layout = self._layout(loop)
        first, last = layout.ranges[position]
        data = _mux(loop, first, last, iteration * loop.duration_ticks, counters)
        self._cache[key] = data
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return data
