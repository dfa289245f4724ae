"""The checked-in loops: sizes, GOPs, exact lengths, ordered bitrates, distinct looks."""

from __future__ import annotations

import av
import pytest

from app.sandbox.media.loops import CLOCK_HZ, load_loop
from app.sandbox.media.renditions import (
    FPS,
    GOP_FRAMES,
    LOOP_AUDIO_FRAMES,
    LOOP_SECONDS,
    LOOP_VIDEO_FRAMES,
    RENDITIONS,
    TIERS,
)
from app.sandbox.media.resources import sandbox_media_dir


@pytest.mark.parametrize("rendition", list(RENDITIONS))
def test_loop_shape(rendition: str) -> None:
    loop = load_loop(rendition)
    expected = RENDITIONS[rendition]
    assert (loop.width, loop.height) == (expected.width, expected.height)
    assert loop.duration_ticks == LOOP_SECONDS * CLOCK_HZ
    video = [s for s in loop.samples if s.is_video]
    audio = [s for s in loop.samples if not s.is_video]
    assert len(video) == LOOP_VIDEO_FRAMES and len(audio) == LOOP_AUDIO_FRAMES
    assert [i for i, s in enumerate(video) if s.keyframe] == list(
        range(0, LOOP_VIDEO_FRAMES, GOP_FRAMES)
    )
    assert loop.frame_ticks == CLOCK_HZ // FPS
    assert loop.aac.sample_rate == 48000 and loop.aac.channels == 2
    # Real bitrate within a quarter of the nominal one.
    assert 0.75 < loop.video_bitrate / expected.video_bitrate < 1.25


def test_tier_bitrates_and_sizes_are_ordered() -> None:
    loops = [load_loop(tier) for tier in TIERS]
    bitrates = [loop.video_bitrate for loop in loops]
    print("tier video bitrates (kbit/s):", [round(b / 1000) for b in bitrates])
    assert bitrates == sorted(bitrates) and len(set(bitrates)) == len(bitrates)
    areas = [loop.width * loop.height for loop in loops]
    assert areas == sorted(areas) and len(set(areas)) == len(areas)


def test_checked_in_media_stays_small() -> None:
    total = sum(p.stat().st_size for p in sandbox_media_dir().glob("*.flv"))
    assert {p.stem for p in sandbox_media_dir().glob("*.flv")} == set(RENDITIONS)
    assert total < 12_000_000


def _background_rgb(rendition: str) -> tuple[int, int, int]:
    """Mean colour of a strip of the background (right of the second boxes) in frame 0."""
    path = sandbox_media_dir() / RENDITIONS[rendition].filename
    with av.open(str(path)) as container:
        frame = next(container.decode(video=0)).reformat(format="rgb24")
    plane = frame.planes[0]
    data = bytes(plane)
    y = int(frame.height * 0.55)
    xs = range(int(frame.width * 0.75), int(frame.width * 0.95))
    row = y * plane.line_size
    sums = [sum(data[row + 3 * x + c] for x in xs) // len(xs) for c in range(3)]
    return sums[0], sums[1], sums[2]


def test_pvw_and_pgm_look_clearly_different() -> None:
    red, green, _ = _background_rgb("pvw")
    assert green > red + 60  # preview is green
    for rendition in ("pgm", *TIERS):
        red, green, _ = _background_rgb(rendition)
        assert red > green + 60, rendition  # programme and its tiers are red
