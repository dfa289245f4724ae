"""The live timeline runs on across loop seams and 33-bit PTS wrap without going backwards."""

from __future__ import annotations

import itertools

import pytest

from app.sandbox.media.live import PREROLL_S
from app.sandbox.media.renditions import LOOP_SECONDS
from tests.media.conftest import OriginHarness
from tests.media.players import play

pytestmark = pytest.mark.media


def _assert_steady(times: list[float], step: float, tolerance: float) -> None:
    for earlier, later in itertools.pairwise(times):
        assert abs((later - earlier) - step) <= tolerance, (earlier, later)


@pytest.mark.parametrize("kind", ["rtmp", "flv", "hls"])
def test_timestamps_are_steady_across_the_loop_seam(origin: OriginHarness, kind: str) -> None:
    # Media time is PREROLL_S + on_air_s at publish: put the seam of the 2nd loop ~0.6 s ahead.
    on_air = 2 * LOOP_SECONDS - PREROLL_S - 0.6
    if kind == "hls":
        on_air += 1.6  # HLS plays from three finished segments back: the seam is behind "now"
    origin.call(origin.origin.publish, "seam", "pvw", on_air_s=on_air)
    seen = play(origin.url(kind, "seam"), video_frames=100, audio_frames=150)
    assert len(seen.video_times) >= 100
    _assert_steady(seen.video_times, 0.040, 0.0015)
    _assert_steady(seen.audio_times, 1024 / 48000, 0.0015)
    span = seen.video_times[-1] - seen.video_times[0]
    assert span > 3.5  # 100 frames: the seam is somewhere inside


def test_hls_pts_wraps_after_26_5_hours_without_a_jump(origin: OriginHarness) -> None:
    wrap_s = (1 << 33) / 90_000 - 1.0  # PTS = media time + 1 s, modulo 2**33
    origin.call(origin.origin.publish, "marathon", "lld", on_air_s=wrap_s - PREROLL_S + 0.5)
    seen = play(origin.url("hls", "marathon"), video_frames=75, audio_frames=100)
    _assert_steady(seen.video_times, 0.040, 0.0015)
    _assert_steady(seen.audio_times, 1024 / 48000, 0.0015)


@pytest.mark.parametrize("kind", ["rtmp", "flv"])
def test_long_running_streams_start_viewers_at_zero(origin: OriginHarness, kind: str) -> None:
    """RTMP/FLV timestamps count from the viewer's first keyframe, so they never overflow."""
    origin.call(origin.origin.publish, "marathon", "lsd", on_air_s=40 * 86400.0)
    seen = play(origin.url(kind, "marathon"), video_frames=30, audio_frames=30)
    assert seen.video_times[0] == 0.0
    _assert_steady(seen.video_times, 0.040, 0.0015)
