"""Switching a stream's look, on a hand-driven clock: the change lands on the next keyframe, the
last call before it wins, and HLS segments across changes keep one continuous MPEG-TS stream
(timestamps, continuity counters) that FFmpeg decodes look by look."""

from __future__ import annotations

import io
import itertools
from collections import defaultdict

import av
import pytest

from app.sandbox.media.hls import WINDOW
from app.sandbox.media.origin import MediaOrigin
from app.sandbox.media.renditions import FPS
from benchmarks.watch import classify


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def origin(clock: Clock) -> MediaOrigin:
    return MediaOrigin(private_key="k", clock=clock)  # never started: no sockets needed


def _continuity_errors(data: bytes) -> list[str]:
    """Every TS packet with payload must carry its PID's previous counter + 1 (mod 16)."""
    last: dict[int, int] = {}
    errors = []
    for offset in range(0, len(data), 188):
        packet = data[offset : offset + 188]
        assert packet[0] == 0x47
        pid = ((packet[1] & 0x1F) << 8) | packet[2]
        has_payload = packet[3] & 0x10
        counter = packet[3] & 0x0F
        if has_payload:
            if pid in last and counter != (last[pid] + 1) & 0x0F:
                errors.append(f"pid {pid:#x} at packet {offset // 188}: {last[pid]} -> {counter}")
            last[pid] = counter
    return errors


def test_changes_land_on_keyframes_and_hls_stays_one_stream(
    origin: MediaOrigin, clock: Clock
) -> None:
    origin.publish("s", "lld", look="slides")  # media time 6.0 s (the preroll), a keyframe
    stream = origin.live_stream("s")
    assert stream is not None
    clock.now += 0.3
    assert origin.set_look("s", "cam2") == pytest.approx(7.0)  # the next keyframe, 0.7 s on
    clock.now += 2.5  # media 8.8 s
    assert origin.set_look("s", "pip") == pytest.approx(9.0)
    clock.now += 0.1
    assert origin.set_look("s", "standby") == pytest.approx(9.0)  # replaces pip: last wins
    clock.now += 1.0  # media 9.9 s: already showing standby, so this is a no-op
    assert origin.set_look("s", "standby") == pytest.approx(10.0)
    assert [(run.start_ticks / 90_000, run.look) for run in stream.runs] == [
        (0.0, "slides"),
        (7.0, "cam2"),
        (9.0, "standby"),
    ]
    clock.now += 3.0  # media 12.9 s

    done = origin.hls.complete_segments(stream)
    assert done == 12
    data = b"".join(origin.hls.segment(stream, n) or b"" for n in range(done - WINDOW - 2, done))
    assert not _continuity_errors(data)

    seen: dict[str, list[float]] = defaultdict(list)
    times = []
    with av.open(io.BytesIO(data), format="mpegts") as container:
        for frame in container.decode(video=0):
            media_s = float(frame.time or 0.0) - 1.0  # PTS_OFFSET
            times.append(media_s)
            seen[classify(frame)].append(media_s)
    assert set(seen) == {"slides", "cam2", "standby"}
    assert max(seen["slides"]) < 7.0 <= min(seen["cam2"])
    assert max(seen["cam2"]) < 9.0 <= min(seen["standby"])
    assert all(abs(b - a - 1 / FPS) < 0.002 for a, b in itertools.pairwise(times))


def test_republish_with_another_look_switches_without_stopping_viewers(
    origin: MediaOrigin, clock: Clock
) -> None:
    origin.publish("s", "pgm", look="cam1")
    stream = origin.live_stream("s")
    clock.now += 0.5
    origin.publish("s", "pgm", look="cam2")
    assert origin.live_stream("s") is stream and stream.look == "cam2"
    assert stream.look_at(stream.now_ticks()) == "cam1"  # until the next keyframe
    assert origin.set_look("nope", "cam2") is None
    with pytest.raises(ValueError, match="look"):
        origin.set_look("s", "cam9")
    with pytest.raises(ValueError, match="look"):
        origin.publish("t", "pgm", look="cam9")
