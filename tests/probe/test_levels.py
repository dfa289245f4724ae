"""Audio levels for the meters, and the live (current-stretch) side of the detectors."""

from __future__ import annotations

import math

from app.probe.detect import Detector, full_range
from app.probe.levels import FLOOR_DB, HOLD_S, LevelMeter, channel_stats, dbfs


def sine(amplitude: float, frames: int = 1024, channels: int = 2) -> list[float]:
    """Interleaved: channel 0 a sine of ``amplitude``, channel 1 silent."""
    out = []
    for n in range(frames):
        out.append(amplitude * math.sin(2 * math.pi * 1000 * n / 48000))
        out.extend([0.0] * (channels - 1))
    return out


def test_dbfs_and_the_floor() -> None:
    assert dbfs(1.0) == 0.0
    assert math.isclose(dbfs(0.5), -6.0206, abs_tol=1e-3)
    assert dbfs(0.0) == FLOOR_DB
    assert dbfs(1e-9) == FLOOR_DB


def test_channel_stats_split_interleaved_channels() -> None:
    (peak_l, sumsq_l, n_l), (peak_r, sumsq_r, _) = channel_stats([0.5, -0.25, -0.75, 0.0], 2)
    assert n_l == 2
    assert (peak_l, peak_r) == (0.75, 0.25)
    assert math.isclose(sumsq_l, 0.5**2 + 0.75**2) and math.isclose(sumsq_r, 0.25**2)


def test_a_sine_reads_its_peak_and_rms_per_channel() -> None:
    meter = LevelMeter()
    for step in range(10):
        meter.add(sine(0.5), 2, step * 0.02)
    (peak, rms, hold), (peak_r, rms_r, hold_r) = meter.reading(0.2)
    assert math.isclose(peak, -6.02, abs_tol=0.05)
    assert math.isclose(rms, -6.02 - 3.01, abs_tol=0.05)  # a sine's RMS is 3 dB under its peak
    assert math.isclose(hold, peak)
    assert peak_r == rms_r == hold_r == FLOOR_DB


def test_16_bit_samples_are_read_against_their_full_scale() -> None:
    meter = LevelMeter()
    loudest = meter.add([16384, -8192], 2, 0.0, 32768.0)
    assert loudest == 0.5
    assert math.isclose(meter.reading(0.0)[0][0], -6.02, abs_tol=0.01)


def test_the_peak_hold_lasts_two_seconds_then_follows_the_peak() -> None:
    meter = LevelMeter()
    meter.add(sine(1.0), 2, 0.0)
    assert math.isclose(meter.reading(0.0)[0][2], 0.0, abs_tol=0.01)
    t = 0.0
    while t < HOLD_S - 0.1:
        t += 0.05
        meter.add(sine(0.1), 2, t)
        peak, _, hold = meter.reading(t)[0]
        assert math.isclose(hold, 0.0, abs_tol=0.01), t  # held
        assert peak < hold
    t += 0.2
    meter.add(sine(0.1), 2, t)
    peak, _, hold = meter.reading(t)[0]
    assert math.isclose(hold, -20.0, abs_tol=0.05)  # let go after 2 s


def test_the_peak_bar_falls_smoothly_and_jumps_up_at_once() -> None:
    meter = LevelMeter()
    meter.add(sine(1.0), 2, 0.0)
    meter.reading(0.0)
    meter.add(sine(0.001), 2, 0.05)
    assert math.isclose(meter.reading(0.05)[0][0], -1.0, abs_tol=0.05)  # 20 dB/s × 50 ms
    meter.add(sine(1.0), 2, 0.1)
    assert math.isclose(meter.reading(0.1)[0][0], 0.0, abs_tol=0.01)


def test_live_conditions_clear_when_the_picture_or_sound_comes_back() -> None:
    detector = Detector()
    black, grey = bytes(64 * 36), bytes([128]) * (64 * 36)
    t = 0.0
    for _ in range(8):  # 4 pictures a second, as the monitors sample
        detector.picture(black, t, 0.0)
        t += 0.25
    assert not detector.black_now  # 1.75 s
    detector.picture(black, t, 0.0)
    assert detector.black_now and detector.frozen_now  # 2.0 s
    detector.picture(grey, t + 0.25, 0.0)
    assert not detector.black_now and not detector.frozen_now
    assert detector.black  # the check still knows it happened
    for n in range(100):
        detector.audio_peak(0.0, n * 0.021, 0.021)
    assert detector.silent_now
    detector.audio_peak(0.01, 2.1, 0.021)
    assert not detector.silent_now and detector.silent


def test_limited_range_luma_is_stretched_to_full_range() -> None:
    assert full_range(bytes([16, 235, 0, 255, 126])) == bytes([0, 255, 0, 255, 128])


def test_a_memoryview_of_float_pcm_is_read_in_place_every_second_frame() -> None:
    import array

    pcm = memoryview(array.array("f", sine(0.5)).tobytes()).cast("f")
    [(peak, sumsq, count), (silent, _, _)] = channel_stats(pcm, 2, step=2)
    assert count == 512 and silent == 0.0
    assert math.isclose(peak, 0.5, rel_tol=1e-3)
    assert math.isclose(sumsq / count, 0.125, rel_tol=0.02)  # a sine's mean square: A²/2
