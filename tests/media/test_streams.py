"""Every rendition plays as RTMP, HTTP-FLV and HLS in FFmpeg, at its size, with sound."""

from __future__ import annotations

import threading

import pytest

from app.sandbox.media.renditions import AUDIO_SAMPLE_RATE, RENDITIONS
from tests.media.conftest import OriginHarness, wait_until
from tests.media.players import play

pytestmark = pytest.mark.media

KINDS = ("rtmp", "flv", "hls")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("rendition", list(RENDITIONS))
def test_rendition_decodes(origin: OriginHarness, rendition: str, kind: str) -> None:
    name = f"stream_{rendition}"
    origin.call(origin.origin.publish, name, rendition)
    seen = play(origin.url(kind, name), video_frames=12, audio_frames=12)
    expected = RENDITIONS[rendition]
    assert (seen.width, seen.height) == (expected.width, expected.height)
    assert seen.sample_rate == AUDIO_SAMPLE_RATE and seen.channels == 2
    assert seen.audio_samples >= 12 * 1024
    # 25 fps: consecutive pictures are 40 ms apart.
    steps = {round(b - a, 3) for a, b in zip(seen.video_times, seen.video_times[1:], strict=False)}
    assert steps == {0.04}, steps
    print(f"{kind} {rendition}: first frame after {seen.first_frame_s * 1000:.0f} ms")


@pytest.mark.parametrize("kind", ["rtmp", "flv"])
def test_first_frame_is_immediate_thanks_to_the_gop_cache(origin: OriginHarness, kind: str) -> None:
    origin.call(origin.origin.publish, "fast", "pgm")
    times = [play(origin.url(kind, "fast"), video_frames=1, audio_frames=0).first_frame_s]
    times.append(play(origin.url(kind, "fast"), video_frames=1, audio_frames=0).first_frame_s)
    print(f"{kind} first frame: " + ", ".join(f"{t * 1000:.0f} ms" for t in times))
    assert max(times) < 2.0


def test_viewer_joins_at_a_keyframe_a_little_in_the_past(origin: OriginHarness) -> None:
    """The GOP cache burst: the first decoded picture is a keyframe, and more arrive at once."""
    origin.call(origin.origin.publish, "gop", "pvw")
    seen = play(origin.url("flv", "gop"), video_frames=40, audio_frames=0)
    assert seen.video_times[0] == 0.0
    # 40 frames are 1.6 s of video; the burst delivers them well before that much time passes.
    assert seen.first_frame_s < 1.0


def test_two_viewers_watch_one_url_at_once(origin: OriginHarness) -> None:
    origin.call(origin.origin.publish, "shared", "pgm")
    url = origin.url("flv", "shared")
    results: dict[str, object] = {}

    def watch(key: str) -> None:
        try:
            # 100 frames (4 s) outlast the GOP cache burst, so both watch live at once.
            results[key] = play(url, video_frames=100, audio_frames=10)
        except Exception as exc:  # reported below
            results[key] = exc

    watchers = [threading.Thread(target=watch, args=(k,)) for k in ("a", "b")]
    for watcher in watchers:
        watcher.start()
    wait_until(lambda: origin.viewers("shared") == 2 or len(results) == 2, 10, "two viewers")
    peak = origin.viewers("shared")
    for watcher in watchers:
        watcher.join(20)
    assert peak == 2
    for key in ("a", "b"):
        seen = results[key]
        assert not isinstance(seen, Exception), seen
        assert len(seen.video_times) >= 100  # type: ignore[attr-defined]
    wait_until(lambda: origin.viewers("shared") == 0, 5, "viewers to leave")
