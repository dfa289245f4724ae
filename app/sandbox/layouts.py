"""Every sandbox caster's video sources and layouts: what the director switches between.

Each caster has the same three sources and four layouts (ids differ per caster, but are stable
across runs). Each source has its own look on the scene streams (``app.sandbox.media.renditions``):

========  ======  =================================  ==========
Location  Name    Background (sRGB)                  Beep
========  ======  =================================  ==========
RV01      CAM 1   blue ``(30, 80, 200)``             440 Hz
RV02      CAM 2   amber ``(230, 130, 20)``           660 Hz
RV03      SLIDES  purple ``(150, 40, 160)``          880 Hz
(standby) STANDBY dark grey slate ``(55, 55, 60)``   220 Hz
========  ======  =================================  ==========

Layouts 1–3 show one source full frame; layout 4 is CAM 1 with CAM 2 picture-in-picture in the
lower right (audio from CAM 1). STANDBY is not a layout: EffectCasterUrgent puts it on PGM.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from dataclasses import dataclass

from app.sandbox.media.renditions import INSET_BOX, LOOKS

# Fixed namespace so that ids are the same on every run and every machine.
ID_NAMESPACE = uuid.UUID("5f0c7e2a-6b8d-4c1e-9a37-c0ffee5a1d00")
STANDBY_LOOK = "standby"


def stable_uuid(name: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, name))


def stable_hex(name: str) -> str:
    """32 hex chars, like the real stream names (``1975ee99db904ebb83908d43bc878188``)."""
    return hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()


@dataclass(frozen=True, slots=True)
class Source:
    """A video resource of the caster, bound to a location (RV01…) and a look."""

    location_id: str
    name: str
    look: str
    kind: str  # "live" (LiveStreamUrl) or "vod" (VodUrl, looped)


SOURCES: tuple[Source, ...] = (
    Source("RV01", "CAM 1", "cam1", "live"),
    Source("RV02", "CAM 2", "cam2", "live"),
    Source("RV03", "SLIDES", "slides", "vod"),
)


@dataclass(frozen=True, slots=True)
class VideoLayer:
    """One picture in a layout: normalized position (top left) and size, as the API reports."""

    x: float
    y: float
    width: float
    height: float
    fill_mode: str = "fit"
    position_refer: str = "topLeft"


FULL_FRAME = VideoLayer(0.0, 0.0, 1.0, 1.0)
INSET = VideoLayer(*INSET_BOX)


@dataclass(frozen=True, slots=True)
class LayoutSpec:
    """A layout: which sources it blends (one video layer each) and mixes, and its look."""

    number: int
    look: str
    blend: tuple[str, ...]
    mix: tuple[str, ...]
    layers: tuple[VideoLayer, ...]


LAYOUT_SPECS: tuple[LayoutSpec, ...] = (
    LayoutSpec(1, "cam1", ("RV01",), ("RV01",), (FULL_FRAME,)),
    LayoutSpec(2, "cam2", ("RV02",), ("RV02",), (FULL_FRAME,)),
    LayoutSpec(3, "slides", ("RV03",), ("RV03",), (FULL_FRAME,)),
    LayoutSpec(4, "pip", ("RV01", "RV02"), ("RV01",), (FULL_FRAME, INSET)),
)
PVW_START_LAYOUT = 1  # CAM 1 on preview
PGM_START_LAYOUT = 3  # SLIDES on program, so a first Take visibly changes it

assert all(spec.look in LOOKS for spec in LAYOUT_SPECS) and STANDBY_LOOK in LOOKS


def layout_id(caster_id: str, number: int) -> str:
    return stable_uuid(f"{caster_id}:layout:{number}")


def resource_id(caster_id: str, location_id: str) -> str:
    return stable_uuid(f"{caster_id}:resource:{location_id}")


@functools.lru_cache(maxsize=256)
def caster_layouts(caster_id: str) -> dict[str, LayoutSpec]:
    """Layout id -> layout of one caster, in layout order."""
    return {layout_id(caster_id, spec.number): spec for spec in LAYOUT_SPECS}
