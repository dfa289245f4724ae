"""Broken versions of a loop for the media faults: black, frozen and silent, made without encoding.

``--media-fault lud:black`` and friends (``app.sandbox.media.media_faults``) need streams that
are wrong in one way only and still switch looks like the healthy ones. Each variant is derived
from a look's parsed loop by swapping frame payloads; timing, keyframe positions and codec headers
stay the loop's own, so a faulty stream follows Takes exactly like its healthy twin.

- ``frozen``: every video frame is the loop's first IDR frame (filler dropped): the decoder
  outputs the same picture 25 times a second.
- ``black``: every video frame is a pre-encoded black IDR of the same size and SPS/PPS
  (``resources/sandbox/black_<height>p.264``, made by ``scripts/make_sandbox_media.py
  --fault-stills``).
- ``silent``: every audio frame is one AAC frame of digital silence (``silence.aac``).
"""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path

from app.sandbox.media.avc import join_avcc, nal_type, split_avcc
from app.sandbox.media.loops import LoopError, MediaLoop, Sample
from app.sandbox.media.resources import sandbox_media_dir

VARIANTS: tuple[str, ...] = ("black", "frozen", "silent")
NAL_FILLER = 12


@functools.cache
def _still(name: str, folder: Path) -> bytes:
    path = folder / name
    try:
        return path.read_bytes()
    except OSError as exc:
        raise LoopError(f"sandbox media file missing: {path}") from exc


def _without_filler(access_unit: bytes) -> bytes:
    return join_avcc(n for n in split_avcc(access_unit) if nal_type(n) != NAL_FILLER)


def _video(loop: MediaLoop, picture: bytes) -> tuple[Sample, ...]:
    # The FLV frame-type nibble stays as it was, so keyframe positions (and HLS segments) match.
    return tuple(
        replace(s, tag_body=s.tag_body[:5] + picture) if s.is_video else s for s in loop.samples
    )


def derive(loop: MediaLoop, variant: str, folder: Path | None = None) -> MediaLoop:
    """``loop`` made black, frozen or silent; its ``look`` becomes ``"<look>+<variant>"``."""
    folder = folder or sandbox_media_dir()
    if variant == "frozen":
        samples = _video(loop, _without_filler(loop.samples[loop.keyframe_indices[0]].payload))
    elif variant == "black":
        samples = _video(loop, _still(f"black_{loop.height}p.264", folder))
    elif variant == "silent":
        silence = _still("silence.aac", folder)
        samples = tuple(
            s if s.is_video else replace(s, tag_body=s.tag_body[:2] + silence) for s in loop.samples
        )
    else:
        raise LoopError(f"unknown variant {variant!r}")
    return replace(loop, look=f"{loop.look}+{variant}", samples=samples)
