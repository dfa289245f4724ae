"""Black, frozen and silent detection with FFmpeg's thresholds, on small luma pictures and PCM.

The conditions are those of FFmpeg's ``blackdetect`` (``d=2 pic_th=0.98 pix_th=0.10``),
``freezedetect`` (``n=-60dB d=2``) and ``silencedetect`` (``n=-60dB d=2``):

- a picture is *black* when at least 98 % of its pixels have a luma at or below 10 % of the
  video range (limited range: 16 + 0.10 × 219 ≈ 37.9);
- two pictures are *the same* when their mean absolute luma difference is at most −60 dB of full
  scale (0.001 × 255);
- audio is *silent* while every sample's magnitude is at most −60 dBFS (0.001).

A condition counts once it has held for ``duration_s`` (2 s) of media time, measured like FFmpeg:
from the start of the first frame in the run to the end of the last one.

Pictures arrive as 8-bit full-range grey (``frame.reformat(width, height, format="gray")``), so
the luma threshold is mapped to that range. Downscaling averages pixels, which keeps black black,
and identical frames stay identical.

The check (``casterdesk check``) asks whether a condition held at all (``black``, ``frozen``,
``silent``: the longest stretch); the live monitors of the preview panes ask whether it holds
*now* (``black_now``…: the current stretch), so that an alarm clears when the picture moves again.
"""

from __future__ import annotations

import array
from dataclasses import dataclass, field

DURATION_S = 2.0
PIC_TH = 0.98
PIX_TH = 0.10
NOISE_DB = -60.0
SILENCE_DB = -60.0

# ``pix_th`` is a fraction of the limited luma range (16–235); on a full-range grey picture that
# range spans 0–255, so the threshold is the same fraction of 255.
_BLACK_LEVEL = PIX_TH * 255
_FREEZE_MAFD = 10 ** (NOISE_DB / 20) * 255
_SILENCE_LEVEL = 10 ** (SILENCE_DB / 20)


def is_black(grey: bytes) -> bool:
    """At least ``PIC_TH`` of the pixels at or below the black level."""
    if not grey:
        return False
    dark = sum(grey.count(bytes((v,))) for v in range(int(_BLACK_LEVEL) + 1))
    return dark >= PIC_TH * len(grey)


def same_picture(a: bytes, b: bytes, limit: float = _FREEZE_MAFD) -> bool:
    """Mean absolute difference of two equally sized grey pictures at most ``limit`` (0–255).

    Stops as soon as the difference is certain to exceed the limit: live pictures differ a lot
    almost everywhere, so this usually looks at a few hundred pixels.
    """
    if len(a) != len(b) or not a:
        return False
    if a == b:
        return True
    budget = limit * len(a)
    total = 0
    for x, y in zip(a, b, strict=True):
        total += abs(x - y)
        if total > budget:
            return False
    return True


def peak(samples: array.array[float]) -> float:
    """Largest sample magnitude of float PCM."""
    if not samples:
        return 0.0
    high, low = max(samples), min(samples)
    return high if high >= -low else -low


@dataclass(slots=True)
class _Run:
    """How long a condition has held without a break, and its longest stretch so far."""

    start: float | None = None
    end: float = 0.0
    longest: float = 0.0

    def step(self, holds: bool, start: float, end: float) -> None:
        if holds:
            if self.start is None:
                self.start = start
            self.end = end
            self.longest = max(self.longest, self.end - self.start)
        else:
            self.start = None

    @property
    def current(self) -> float:
        """How long the condition has held up to now (0 when it does not hold)."""
        return 0.0 if self.start is None else self.end - self.start


@dataclass(slots=True)
class Detector:
    """Feeds of pictures and audio in, the longest black / frozen / silent stretch out."""

    duration_s: float = DURATION_S
    _black: _Run = field(default_factory=_Run)
    _frozen: _Run = field(default_factory=_Run)
    _silent: _Run = field(default_factory=_Run)
    _previous: bytes | None = None
    _previous_time: float = 0.0

    def picture(self, grey: bytes, time_s: float, frame_s: float) -> None:
        """One decoded picture (grey, downscaled) shown from ``time_s`` for ``frame_s``."""
        self._black.step(is_black(grey), time_s, time_s + frame_s)
        if self._previous is not None:
            same = same_picture(self._previous, grey)
            # A frozen run starts at the first of the identical pictures.
            self._frozen.step(same, self._previous_time, time_s + frame_s)
        self._previous, self._previous_time = grey, time_s

    def audio(self, samples: array.array[float], time_s: float, length_s: float) -> None:
        """One decoded audio frame (float PCM, all channels) from ``time_s`` for ``length_s``."""
        self.audio_peak(peak(samples), time_s, length_s)

    def audio_peak(self, level: float, time_s: float, length_s: float) -> None:
        """One audio frame whose largest sample magnitude (0–1, all channels) is ``level``."""
        self._silent.step(level <= _SILENCE_LEVEL, time_s, time_s + length_s)

    @property
    def black(self) -> bool:
        return self._black.longest >= self.duration_s - 1e-6

    @property
    def frozen(self) -> bool:
        return self._frozen.longest >= self.duration_s - 1e-6

    @property
    def silent(self) -> bool:
        return self._silent.longest >= self.duration_s - 1e-6

    @property
    def black_now(self) -> bool:
        """Black for at least ``duration_s`` up to the latest picture."""
        return self._black.current >= self.duration_s - 1e-6

    @property
    def frozen_now(self) -> bool:
        return self._frozen.current >= self.duration_s - 1e-6

    @property
    def silent_now(self) -> bool:
        return self._silent.current >= self.duration_s - 1e-6


# Limited ("video") range luma, 16–235, stretched to 0–255: the grey the thresholds above expect.
_VIDEO_TO_FULL = bytes(min(255, max(0, round((v - 16) * 255 / 219))) for v in range(256))


def full_range(luma: bytes) -> bytes:
    """Limited-range 8-bit luma (16 = black, 235 = white) as full-range grey (0–255)."""
    return luma.translate(_VIDEO_TO_FULL)
