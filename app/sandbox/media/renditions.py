"""The renditions the media origin serves, the pictures ("looks") they can show, and the loops.

A caster's PVW and PGM monitors, and PGM's four transcoded tiers (named after Alibaba Cloud's
``lld``/``lsd``/``lhd``/``lud`` templates), each play the look of their scene's current layout:
one of the three sources alone, the two-camera picture-in-picture, or the STANDBY slate. Every
look exists as a pre-encoded loop at every picture size, ``resources/sandbox/<look>_<height>p.flv``;
renditions of the same size (PVW, PGM and ``lsd`` are all 640×360) share the files.

All looks of one size are encoded with the same settings, so they have the same frame timing,
keyframe positions and codec headers (avcC and AudioSpecificConfig, byte for byte): the origin
can switch a stream from one look to another at a keyframe without a new sequence header.
``scripts/make_sandbox_media.py`` renders the files from these tables; tests and the UI read them
to know what size each stream must decode to and what each look looks like.
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

    def filename(self, look: str) -> str:
        """The loop file of ``look`` at this rendition's size."""
        return f"{look}_{self.height}p.flv"


@dataclass(frozen=True, slots=True)
class Look:
    """What a layout looks (and sounds) like on a scene's stream.

    ``background`` is the sRGB colour of the main picture; ``inset`` names the look shown small in
    the picture-in-picture box (lower right), if any. ``tone_hz`` is the pitch of the beep heard
    once a second, so the audio tells the looks apart too.
    """

    key: str
    label: str
    background: tuple[int, int, int]
    tone_hz: float
    inset: str | None = None


# Loop timing. 8 s is the shortest loop that holds whole 1 s GOPs of 25 fps video *and* a whole
# number of 1024-sample AAC frames at 48 kHz (375), so the loop seam needs no audio padding.
FPS = 25
GOP_FRAMES = 25
LOOP_SECONDS = 8
LOOP_VIDEO_FRAMES = FPS * LOOP_SECONDS
AUDIO_SAMPLE_RATE = 48_000
AAC_FRAME_SAMPLES = 1024
LOOP_AUDIO_FRAMES = AUDIO_SAMPLE_RATE * LOOP_SECONDS // AAC_FRAME_SAMPLES

# Bitrates are low on purpose: 5 looks × 4 sizes are checked in, and a flat colour with a label
# needs few bits. PVW, PGM and lsd share the 360p files, so they share their bitrates.
_ALL = (
    Rendition("pvw", 640, 360, 200_000, 32_000),
    Rendition("pgm", 640, 360, 200_000, 32_000),
    Rendition("lld", 480, 270, 120_000, 32_000),
    Rendition("lsd", 640, 360, 200_000, 32_000),
    Rendition("lhd", 1280, 720, 400_000, 32_000),
    Rendition("lud", 1920, 1080, 700_000, 32_000),
)

RENDITIONS: MappingProxyType[str, Rendition] = MappingProxyType({r.name: r for r in _ALL})
"""name -> Rendition, for ``pvw``, ``pgm`` and the PGM tiers ``lld < lsd < lhd < lud``."""

TIERS: tuple[str, ...] = ("lld", "lsd", "lhd", "lud")

_LOOKS = (
    Look("cam1", "CAM 1", (30, 80, 200), 440.0),  # blue
    Look("cam2", "CAM 2", (230, 130, 20), 660.0),  # amber
    Look("slides", "SLIDES", (150, 40, 160), 880.0),  # purple
    Look("pip", "CAM 1", (30, 80, 200), 440.0, inset="cam2"),  # CAM 1, CAM 2 lower right
    Look("standby", "STANDBY", (55, 55, 60), 220.0),  # dark grey slate
)

LOOKS: MappingProxyType[str, Look] = MappingProxyType({look.key: look for look in _LOOKS})
"""key -> Look: ``cam1``, ``cam2``, ``slides``, ``pip`` (CAM 1 with CAM 2 inset), ``standby``."""

DEFAULT_LOOK = "cam1"

# Where a decoded frame shows which look it is (fractions of width and height). The main sample
# is a strip of plain background below the labels; the inset sample lies inside the PiP box,
# which is plain background on every other look.
MAIN_PROBE = (0.05, 0.35, 0.75)  # x from, x to, y
INSET_PROBE = (0.62, 0.90, 0.75)
INSET_BOX = (0.55, 0.42, 0.40, 0.40)  # x, y, width, height of the PiP box


def media_files() -> list[str]:
    """Every loop file the origin may open: each look at each distinct picture size."""
    sizes = sorted({r.height: r for r in _ALL}.values(), key=lambda r: r.height)
    return [r.filename(look) for r in sizes for look in LOOKS]
