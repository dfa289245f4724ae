"""FLV: the container of the pre-encoded loops, of HTTP-FLV, and (tag bodies) of RTMP messages."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass

from app.sandbox.media import amf0

TAG_AUDIO = 8
TAG_VIDEO = 9
TAG_SCRIPT = 18

# Video tag body, first byte: frame type (1 key, 2 inter) << 4 | codec id 7 (AVC).
VIDEO_KEY_AVC = 0x17
VIDEO_INTER_AVC = 0x27
AVC_SEQUENCE_HEADER = 0
AVC_NALU = 1
# Audio tag body, first byte: AAC (10) << 4 | 44 kHz rate code | 16 bit | stereo (FLV says so for AAC).
AUDIO_AAC = 0xAF
AAC_SEQUENCE_HEADER = 0
AAC_RAW = 1


class FlvError(ValueError):
    """The data is not a well-formed FLV file."""


@dataclass(frozen=True, slots=True)
class FlvTag:
    """One FLV tag: type, timestamp in milliseconds, body."""

    kind: int
    timestamp: int
    body: bytes


def file_header(*, audio: bool = True, video: bool = True) -> bytes:
    """The 9-byte FLV header followed by the first (zero) PreviousTagSize."""
    flags = (4 if audio else 0) | (1 if video else 0)
    return b"FLV\x01" + bytes((flags,)) + struct.pack(">I", 9) + b"\x00\x00\x00\x00"


def tag(kind: int, timestamp: int, body: bytes) -> bytes:
    """A complete tag: 11-byte header, body, trailing PreviousTagSize."""
    ts = timestamp & 0xFFFFFFFF
    header = (
        bytes((kind,))
        + len(body).to_bytes(3, "big")
        + (ts & 0xFFFFFF).to_bytes(3, "big")
        + bytes((ts >> 24,))
        + b"\x00\x00\x00"  # stream id, always 0
    )
    return header + body + struct.pack(">I", 11 + len(body))


def video_body(keyframe: bool, packet_type: int, data: bytes, cts: int = 0) -> bytes:
    """An AVC video tag body (``packet_type`` 0 = avcC sequence header, 1 = NAL units)."""
    first = VIDEO_KEY_AVC if keyframe else VIDEO_INTER_AVC
    return bytes((first, packet_type)) + (cts & 0xFFFFFF).to_bytes(3, "big") + data


def audio_body(packet_type: int, data: bytes) -> bytes:
    """An AAC audio tag body (``packet_type`` 0 = AudioSpecificConfig, 1 = raw frame)."""
    return bytes((AUDIO_AAC, packet_type)) + data


def metadata_body(metadata: dict[str, amf0.AmfValue]) -> bytes:
    """An ``onMetaData`` script tag body."""
    return amf0.encode("onMetaData", amf0.EcmaArray(metadata))


def read_tags(data: bytes) -> Iterator[FlvTag]:
    """Every tag of an FLV file held in memory."""
    if len(data) < 13 or data[:3] != b"FLV":
        raise FlvError("not an FLV file")
    pos = struct.unpack_from(">I", data, 5)[0] + 4
    while pos + 11 <= len(data):
        kind = data[pos] & 0x1F
        size = int.from_bytes(data[pos + 1 : pos + 4], "big")
        timestamp = int.from_bytes(data[pos + 4 : pos + 7], "big") | (data[pos + 7] << 24)
        end = pos + 11 + size
        if end + 4 > len(data):
            raise FlvError("truncated FLV tag")
        yield FlvTag(kind, timestamp, data[pos + 11 : end])
        pos = end + 4
