"""The black / frozen / silent conditions, on synthetic pictures and PCM at the thresholds."""

from __future__ import annotations

import array

from app.probe.detect import Detector, is_black, peak, same_picture

PIXELS = 80 * 45


def grey(level: int, bright: int = 0) -> bytes:
    """A flat picture at ``level`` with ``bright`` pixels at full white."""
    return bytes([255] * bright + [level] * (PIXELS - bright))


def test_black_needs_98_percent_of_pixels_at_or_below_ten_percent() -> None:
    assert is_black(grey(25))
    assert not is_black(grey(26))  # just above 0.10 × 255
    assert is_black(grey(0, bright=PIXELS * 2 // 100))
    assert not is_black(grey(0, bright=PIXELS * 2 // 100 + 1))


def test_same_picture_allows_minus_60_db_of_noise() -> None:
    base = grey(100)
    assert same_picture(base, base)
    # 0.001 × 255 of mean difference is the limit: a few pixels changed by one level pass...
    nudged = bytes([101] * 900) + base[900:]
    assert same_picture(base, nudged)
    # ...and a frame counter ticking over does not.
    ticked = bytes([200] * 40) + base[40:]
    assert not same_picture(base, ticked)
    assert not same_picture(base, base[:-1])


def test_peak_of_float_pcm() -> None:
    assert peak(array.array("f", [0.0, -0.5, 0.25])) == 0.5
    assert peak(array.array("f")) == 0.0


def _feed_video(detector: Detector, pictures: list[bytes], fps: int = 25) -> None:
    for n, picture in enumerate(pictures):
        detector.picture(picture, n / fps, 1 / fps)


def test_conditions_must_hold_for_two_seconds() -> None:
    short, enough = Detector(), Detector()
    _feed_video(short, [grey(0)] * 49)  # 1.96 s
    _feed_video(enough, [grey(0)] * 50)  # 2.00 s, like FFmpeg counts it
    assert not short.black and enough.black
    assert enough.frozen  # a black picture does not change either


def test_a_change_breaks_a_frozen_run() -> None:
    detector = Detector()
    pictures = [grey(100)] * 30 + [grey(140)] + [grey(100)] * 30
    _feed_video(detector, pictures)
    assert not detector.frozen and not detector.black


def test_silence_is_every_sample_at_or_below_minus_60_dbfs() -> None:
    quiet, beeping = Detector(), Detector()
    frame = 1024 / 48_000
    for n in range(100):  # 2.13 s
        quiet.audio(array.array("f", [0.0009] * 1024), n * frame, frame)
        level = 0.2 if n % 40 == 0 else 0.0  # a beep every ~0.85 s
        beeping.audio(array.array("f", [level] * 1024), n * frame, frame)
    assert quiet.silent
    assert not beeping.silent
