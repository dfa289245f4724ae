"""The checked-in loops: sizes, GOPs, exact lengths, ordered bitrates, distinct looks, and looks
of one size that can replace each other at any keyframe."""

from __future__ import annotations

import itertools

import av
import pytest

from app.sandbox.media.loops import CLOCK_HZ, LoopError, load_loop
from app.sandbox.media.renditions import (
    FPS,
    GOP_FRAMES,
    INSET_PROBE,
    LOOKS,
    LOOP_AUDIO_FRAMES,
    LOOP_SECONDS,
    LOOP_VIDEO_FRAMES,
    MAIN_PROBE,
    RENDITIONS,
    TIERS,
    media_files,
)
from app.sandbox.media.resources import sandbox_media_dir
from tests.media.players import probe_rgb


@pytest.mark.parametrize("look", list(LOOKS))
@pytest.mark.parametrize("rendition", list(RENDITIONS))
def test_loop_shape(rendition: str, look: str) -> None:
    loop = load_loop(rendition, look)
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


@pytest.mark.parametrize("rendition", list(RENDITIONS))
def test_every_look_has_the_same_timing_and_codec_headers(rendition: str) -> None:
    """What lets a stream switch look at a keyframe with no new sequence header."""
    reference = load_loop(rendition, "cam1")
    for look in LOOKS:
        loop = load_loop(rendition, look)
        assert loop.sample_ticks == reference.sample_ticks, look
        assert loop.keyframe_indices == reference.keyframe_indices, look
        assert loop.video_header == reference.video_header, look
        assert loop.audio_header == reference.audio_header, look


def test_unknown_look_is_refused() -> None:
    with pytest.raises(LoopError, match="look"):
        load_loop("pgm", "cam9")


def test_tier_bitrates_and_sizes_are_ordered() -> None:
    loops = [load_loop(tier) for tier in TIERS]
    bitrates = [loop.video_bitrate for loop in loops]
    print("tier video bitrates (kbit/s):", [round(b / 1000) for b in bitrates])
    assert bitrates == sorted(bitrates) and len(set(bitrates)) == len(bitrates)
    areas = [loop.width * loop.height for loop in loops]
    assert areas == sorted(areas) and len(set(areas)) == len(areas)


def test_checked_in_media_stays_small() -> None:
    files = {p.name: p.stat().st_size for p in sandbox_media_dir().glob("*.flv")}
    assert set(files) == set(media_files())
    total = sum(files.values())
    print(f"checked-in sandbox media: {len(files)} files, {total / 1e6:.2f} MB")
    assert total < 9_000_000


def _first_frame_probes(rendition: str, look: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    path = sandbox_media_dir() / RENDITIONS[rendition].filename(look)
    with av.open(str(path)) as container:
        frame = next(container.decode(video=0))
    return probe_rgb(frame, MAIN_PROBE), probe_rgb(frame, INSET_PROBE)


def _close(rgb: tuple[int, ...], expected: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 24 for a, b in zip(rgb, expected, strict=True))


@pytest.mark.parametrize("rendition", ["lld", "pgm", "lhd", "lud"])
def test_each_look_shows_its_own_colours(rendition: str) -> None:
    for key, look in LOOKS.items():
        main, inset = _first_frame_probes(rendition, key)
        assert _close(main, look.background), (key, main)
        inset_colour = LOOKS[look.inset].background if look.inset else look.background
        assert _close(inset, inset_colour), (key, inset)
    colours = {look.background for look in LOOKS.values() if look.inset is None}
    assert len(colours) == 4  # CAM 1, CAM 2, SLIDES and STANDBY are all different


def _beep_hz(path: str) -> float:
    """Pitch of the first beep (the loop-start beep, an octave above the look's tone)."""
    samples: list[float] = []
    with av.open(path) as container:
        for frame in container.decode(audio=0):
            samples.extend(memoryview(frame.planes[0]).cast("f")[: frame.samples])
            if len(samples) >= 48_000 // 5:
                break
    window = samples[960 : 48_000 // 5 - 960]  # inside the 200 ms beep, clear of its fades
    crossings = sum(1 for a, b in itertools.pairwise(window) if a < 0 <= b)
    return crossings / (len(window) / 48_000)


@pytest.mark.parametrize("key", list(LOOKS))
def test_each_look_has_its_own_tone(key: str) -> None:
    path = sandbox_media_dir() / RENDITIONS["pgm"].filename(key)
    assert _beep_hz(str(path)) == pytest.approx(2 * LOOKS[key].tone_hz, rel=0.05)
