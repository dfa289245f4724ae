"""The renditions the media origin serves, and the shape of the pre-encoded loops behind them.

A caster's PVW and PGM previews, and PGM's four transcoded tiers (named after Alibaba Cloud's
``lld``/``lsd``/``lhd``/``lud`` templates), each play one looped file from ``resources/sandbox``.
``scripts/make_sandbox_media.py`` renders the files from this table; tests and the UI read it to
know what size each stream must decode to.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class Rendition:
    """One stream flavour: picture size and nominal bitrates (bits per second)."""

    name: str
    width: int
    height: int
    video_bitrate: int
    audio_bitrate: int

    @property
    def filename(self) -> str:
        return f"{self.name}.flv"


# Loop timing. 8 s is the shortest loop that holds whole 1 s GOPs of 25 fps video *and* a whole
# number of 1024-sample AAC frames at 48 kHz (375), so the loop seam needs no audio padding.
FPS = 25
GOP_FRAMES = 25
LOOP_SECONDS = 8
LOOP_VIDEO_FRAMES = FPS * LOOP_SECONDS
AUDIO_SAMPLE_RATE = 48_000
AAC_FRAME_SAMPLES = 1024
LOOP_AUDIO_FRAMES = AUDIO_SAMPLE_RATE * LOOP_SECONDS // AAC_FRAME_SAMPLES

_ALL = (
    Rendition("pvw", 640, 360, 700_000, 96_000),
    Rendition("pgm", 640, 360, 700_000, 96_000),
    Rendition("lld", 480, 270, 350_000, 64_000),
    Rendition("lsd", 640, 360, 800_000, 96_000),
    Rendition("lhd", 1280, 720, 1_500_000, 128_000),
    Rendition("lud", 1920, 1080, 2_800_000, 128_000),
)

RENDITIONS: MappingProxyType[str, Rendition] = MappingProxyType({r.name: r for r in _ALL})
"""name -> Rendition, for ``pvw``, ``pgm`` and the PGM tiers ``lld < lsd < lhd < lud``."""

TIERS: tuple[str, ...] = ("lld", "lsd", "lhd", "lud")
