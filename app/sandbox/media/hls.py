"""HLS for a live stream: a sliding-window playlist and MPEG-TS segments computed on demand.

Segments run from one keyframe to the next (one GOP, 1 s) and are numbered from the stream's
epoch, so numbers only ever grow, cuts included. Segment ``s`` is a pure function of the loop and
``s`` (continuity counters included), so segments are cached per ``(rendition, s)`` and shared by
every stream and viewer of that rendition.
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
        self._layouts: dict[str, _LoopLayout] = {}
        self._cache: OrderedDict[tuple[str, int], bytes] = OrderedDict()

    def _layout(self, loop: MediaLoop) -> _LoopLayout:
        layout = self._layouts.get(loop.rendition)
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
        self._layouts[loop.rendition] = layout
        return layout

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
        loop = stream.loop
        key = (loop.rendition, segment)
        data = self._cache.get(key)
        if data is not None:
            self._cache.move_to_end(key)
            return data
        layout = self._layout(loop)
        iteration, position = divmod(segment, len(layout.ends))
        counters = {
            pid: (iteration * layout.loop_packets[pid] + layout.packets_before[position][pid])
            & 0x0F
            for pid in PIDS
        }
        first, last = layout.ranges[position]
        data = _mux(loop, first, last, iteration * loop.duration_ticks, counters)
        self._cache[key] = data
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return data
