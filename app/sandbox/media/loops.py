"""The pre-encoded loops, parsed once into samples on a 90 kHz clock.

Each ``resources/sandbox/<look>_<height>p.flv`` holds one loop whose last frame runs seamlessly
into its first (the first frame is an IDR frame). The origin plays a loop forever by arithmetic
alone: sample ``i`` of iteration ``n`` is due at ``n * duration + sample.ticks``. The looks of one
rendition have the same sample times and codec headers (checked on load), so sample ``i`` of any
look can follow sample ``i - 1`` of another from a keyframe on.
"""

from __future__ import annotations

import functools
import threading
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from app.sandbox.media import amf0, flv
from app.sandbox.media.avc import AacConfig, AvcConfig
from app.sandbox.media.renditions import AAC_FRAME_SAMPLES, DEFAULT_LOOK, LOOKS, RENDITIONS
from app.sandbox.media.resources import sandbox_media_dir

CLOCK_HZ = 90_000


class LoopError(RuntimeError):
    """A loop file is missing or not what the origin can play."""


@dataclass(frozen=True, slots=True)
class Sample:
    """One audio or video frame of a loop, ready to send as an FLV tag / RTMP message body."""

    is_video: bool
    ticks: int  # presentation (= decode) time within the loop, 90 kHz
    keyframe: bool
    tag_body: bytes

    @property
    def tag_type(self) -> int:
        return flv.TAG_VIDEO if self.is_video else flv.TAG_AUDIO

    @property
    def payload(self) -> bytes:
        """The bare frame: an AVCC access unit, or one raw AAC frame."""
        return self.tag_body[5:] if self.is_video else self.tag_body[2:]


@dataclass(frozen=True, slots=True)
class MediaLoop:
    """A parsed loop: codec headers, samples in decode order, and where the keyframes are."""

    rendition: str
    look: str
    width: int
    height: int
    frame_ticks: int
    duration_ticks: int
    samples: tuple[Sample, ...]
    sample_ticks: tuple[int, ...]
    keyframe_indices: tuple[int, ...]
    keyframe_ticks: tuple[int, ...]
    video_header: bytes  # FLV tag body carrying the avcC record
    audio_header: bytes  # FLV tag body carrying the AudioSpecificConfig
    avc: AvcConfig
    aac: AacConfig
    metadata: dict[str, amf0.AmfValue]

    def index_after(self, ticks: int) -> int:
        """Index of the first sample of the loop due strictly after ``ticks`` (0 <= ticks)."""
        return bisect_right(self.sample_ticks, ticks)

    def keyframe_at_or_before(self, ticks: int) -> int:
        """Index of the last keyframe due at or before ``ticks`` within the loop."""
        position = bisect_right(self.keyframe_ticks, ticks) - 1
        return self.keyframe_indices[max(position, 0)]

    @property
    def video_bitrate(self) -> float:
        """Measured video bitrate of the loop, bits per second."""
        size = sum(len(s.tag_body) - 5 for s in self.samples if s.is_video)
        return size * 8 * CLOCK_HZ / self.duration_ticks


def parse_loop(rendition: str, data: bytes, look: str = DEFAULT_LOOK) -> MediaLoop:
    """Build a ``MediaLoop`` from the bytes of a loop FLV file."""
    metadata: dict[str, amf0.AmfValue] = {}
    video_header = audio_header = b""
    video: list[tuple[int, bool, bytes]] = []
    audio: list[bytes] = []
    for item in flv.read_tags(data):
        if item.kind == flv.TAG_SCRIPT:
            values = amf0.decode_all(item.body)
            if len(values) >= 2 and values[0] == "onMetaData" and isinstance(values[1], dict):
                metadata = dict(values[1])
        elif item.kind == flv.TAG_VIDEO and len(item.body) > 5:
            if item.body[0] & 0x0F != 7:
                raise LoopError(f"{rendition}: video is not H.264")
            if item.body[1] == flv.AVC_SEQUENCE_HEADER:
                video_header = item.body
            elif int.from_bytes(item.body[2:5], "big") != 0:
                raise LoopError(f"{rendition}: B-frames (CTS != 0) are not supported")
            else:
                video.append((item.timestamp, item.body[0] >> 4 == 1, item.body))
        elif item.kind == flv.TAG_AUDIO and len(item.body) > 2:
            if item.body[0] >> 4 != 10:
                raise LoopError(f"{rendition}: audio is not AAC")
            if item.body[1] == flv.AAC_SEQUENCE_HEADER:
                audio_header = item.body
            else:
                audio.append(item.body)
    if not video_header or not audio_header or len(video) < 2 or not audio:
        raise LoopError(f"{rendition}: loop lacks codec headers or frames")
    if not video[0][1]:
        raise LoopError(f"{rendition}: loop does not start with a keyframe")
    avc = AvcConfig.parse(video_header[5:])
    aac = AacConfig.parse(audio_header[2:])

    frame_ms = video[1][0] - video[0][0]
    if frame_ms <= 0 or any(ts != i * frame_ms for i, (ts, _, _) in enumerate(video)):
        raise LoopError(f"{rendition}: video frames are not evenly spaced")
    frame_ticks = frame_ms * CLOCK_HZ // 1000
    duration = len(video) * frame_ticks
    audio_ticks = AAC_FRAME_SAMPLES * CLOCK_HZ // aac.sample_rate
    if AAC_FRAME_SAMPLES * CLOCK_HZ % aac.sample_rate or len(audio) * audio_ticks != duration:
        raise LoopError(f"{rendition}: audio does not fill the loop exactly")

    merged = [Sample(True, i * frame_ticks, key, body) for i, (_, key, body) in enumerate(video)]
    merged += [Sample(False, j * audio_ticks, False, body) for j, body in enumerate(audio)]
    merged.sort(key=lambda s: (s.ticks, not s.is_video))
    keyframes = [i for i, s in enumerate(merged) if s.keyframe]
    width = int(_number(metadata.get("width"), 0))
    height = int(_number(metadata.get("height"), 0))
    return MediaLoop(
        rendition=rendition,
        look=look,
        width=width,
        height=height,
        frame_ticks=frame_ticks,
        duration_ticks=duration,
        samples=tuple(merged),
        sample_ticks=tuple(s.ticks for s in merged),
        keyframe_indices=tuple(keyframes),
        keyframe_ticks=tuple(merged[i].ticks for i in keyframes),
        video_header=video_header,
        audio_header=audio_header,
        avc=avc,
        aac=aac,
        metadata=metadata,
    )


def _number(value: amf0.AmfValue, default: float) -> float:
    return (
        float(value) if isinstance(value, int | float) and not isinstance(value, bool) else default
    )


_lock = threading.Lock()


@functools.cache
def _load(rendition: str, look: str, folder: Path) -> MediaLoop:
    path = folder / RENDITIONS[rendition].filename(look)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoopError(f"sandbox media file missing: {path}") from exc
    loop = parse_loop(rendition, data, look)
    if look != DEFAULT_LOOK:
        _check_switchable(_load(rendition, DEFAULT_LOOK, folder), loop)
    return loop


def _check_switchable(reference: MediaLoop, loop: MediaLoop) -> None:
    """A look may replace another mid-stream only if timing and decoder setup are identical."""
    what = f"{loop.rendition}/{loop.look}"
    if loop.sample_ticks != reference.sample_ticks or [s.is_video for s in loop.samples] != [
        s.is_video for s in reference.samples
    ]:
        raise LoopError(f"{what}: sample timing differs from {reference.look}")
    if loop.keyframe_indices != reference.keyframe_indices:
        raise LoopError(f"{what}: keyframes differ from {reference.look}")
    if (loop.video_header, loop.audio_header) != (reference.video_header, reference.audio_header):
        raise LoopError(f"{what}: codec headers differ from {reference.look}")


def load_loop(rendition: str, look: str = DEFAULT_LOOK, folder: Path | None = None) -> MediaLoop:
    """The parsed loop of ``look`` at ``rendition``; parsed (and checked) on first use, then shared."""
    if rendition not in RENDITIONS:
        raise LoopError(f"unknown rendition {rendition!r}")
    if look not in LOOKS:
        raise LoopError(f"unknown look {look!r}")
    with _lock:
        return _load(rendition, look, folder or sandbox_media_dir())
