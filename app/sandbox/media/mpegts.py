"""A small MPEG-TS muxer for HLS segments: PAT/PMT, PES with PTS, PCR, continuity counters.

One H.264 stream (Annex B, AUD first, SPS/PPS before each IDR) and one AAC stream (ADTS). The
packet layout depends only on the frame sizes, never on timestamp values, so the number of
packets per segment is fixed for a given slice of a loop; the HLS packager uses that to keep
continuity counters running across segments without muxing the history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.sandbox.media.avc import AacConfig, AvcConfig, avcc_to_annexb

PACKET_SIZE = 188
PID_PAT = 0x0000
PID_PMT = 0x1000
PID_VIDEO = 0x0100
PID_AUDIO = 0x0101
PIDS = (PID_PAT, PID_PMT, PID_VIDEO, PID_AUDIO)
STREAM_TYPE_H264 = 0x1B
STREAM_TYPE_AAC = 0x0F
PTS_MASK = (1 << 33) - 1
# PTS = media time + this, so the PCR (= media time of the video frame) always runs ahead of
# the decode times by a second: plenty of buffer headroom for any demuxer.
PTS_OFFSET = 90_000
AUDIO_FRAMES_PER_PES = 5


def _crc32_table() -> tuple[int, ...]:
    table = []
    for i in range(256):
        crc = i << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
        table.append(crc & 0xFFFFFFFF)
    return tuple(table)


_CRC_TABLE = _crc32_table()


def crc32_mpeg2(data: bytes) -> int:
    """CRC-32/MPEG-2 (polynomial 0x04C11DB7, not reflected, initial 0xFFFFFFFF)."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _CRC_TABLE[((crc >> 24) ^ byte) & 0xFF]
    return crc


def _section(table_id: int, table_ext: int, body: bytes) -> bytes:
    """A PSI section with pointer field, CRC and 0xFF padding to one packet payload."""
    length = 5 + len(body) + 4
    section = bytes((table_id, 0xB0 | (length >> 8), length & 0xFF))
    section += table_ext.to_bytes(2, "big") + b"\xc1\x00\x00" + body
    section += crc32_mpeg2(section).to_bytes(4, "big")
    payload = b"\x00" + section
    return payload + b"\xff" * (184 - len(payload))


PAT_PAYLOAD = _section(0x00, 1, (1).to_bytes(2, "big") + (0xE000 | PID_PMT).to_bytes(2, "big"))
PMT_PAYLOAD = _section(
    0x02,
    1,
    (0xE000 | PID_VIDEO).to_bytes(2, "big")
    + b"\xf0\x00"
    + bytes((STREAM_TYPE_H264,))
    + (0xE000 | PID_VIDEO).to_bytes(2, "big")
    + b"\xf0\x00"
    + bytes((STREAM_TYPE_AAC,))
    + (0xE000 | PID_AUDIO).to_bytes(2, "big")
    + b"\xf0\x00",
)


def _timestamp(marker: int, value: int) -> bytes:
    value &= PTS_MASK
    return bytes(
        (
            (marker << 4) | ((value >> 29) & 0x0E) | 1,
            (value >> 22) & 0xFF,
            ((value >> 14) & 0xFE) | 1,
            (value >> 7) & 0xFF,
            ((value << 1) & 0xFE) | 1,
        )
    )


def _pcr(base: int) -> bytes:
    base &= PTS_MASK
    return bytes(
        (
            (base >> 25) & 0xFF,
            (base >> 17) & 0xFF,
            (base >> 9) & 0xFF,
            (base >> 1) & 0xFF,
            ((base & 1) << 7) | 0x7E,  # 6 reserved bits, extension 0
            0,
        )
    )


def pes_packet(stream_id: int, pts: int, data: bytes) -> bytes:
    """A PES packet with a PTS only (no B-frames, so DTS = PTS)."""
    length = 3 + 5 + len(data)
    field = length if length <= 0xFFFF else 0  # 0 = unbounded, allowed for video only
    return (
        b"\x00\x00\x01"
        + bytes((stream_id,))
        + field.to_bytes(2, "big")
        + b"\x80\x80\x05"
        + _timestamp(0x2, pts)
        + data
    )


class _PacketWriter:
    def __init__(self, counters: dict[int, int]) -> None:
        self.counters = dict(counters)
        self.out = bytearray()

    def write(self, pid: int, payload: bytes, *, pcr: int | None = None, rai: bool = False) -> None:
        """Split ``payload`` (a PES packet or a PSI payload) into TS packets."""
        pos = 0
        first = True
        while pos < len(payload) or first:
            adaptation = b""
            if first and (pcr is not None or rai):
                adaptation = bytes(((0x40 if rai else 0) | (0x10 if pcr is not None else 0),))
                if pcr is not None:
                    adaptation += _pcr(pcr)
            room = 184 - (1 + len(adaptation) if adaptation else 0)
            chunk = payload[pos : pos + room]
            pos += len(chunk)
            stuffing = 184 - len(chunk) - (1 + len(adaptation) if adaptation else 0)
            if stuffing > 0:
                if not adaptation:
                    # An adaptation field of its own: length byte, then (if room) flags + 0xFF.
                    adaptation = b"" if stuffing == 1 else b"\x00" + b"\xff" * (stuffing - 2)
                    field = bytes((len(adaptation),)) + adaptation
                else:
                    adaptation += b"\xff" * stuffing
                    field = bytes((len(adaptation),)) + adaptation
            elif adaptation:
                field = bytes((len(adaptation),)) + adaptation
            else:
                field = b""
            counter = self.counters.get(pid, 0)
            self.counters[pid] = (counter + 1) & 0x0F
            control = 0x30 if field else 0x10
            self.out += bytes(
                (0x47, (0x40 if first else 0) | (pid >> 8), pid & 0xFF, control | counter)
            )
            self.out += field + chunk
            first = False


@dataclass(frozen=True, slots=True)
class VideoFrame:
    ticks: int  # media time, 90 kHz
    keyframe: bool
    avcc: bytes


@dataclass(frozen=True, slots=True)
class AudioFrame:
    ticks: int
    raw: bytes


def mux_segment(
    avc: AvcConfig,
    aac: AacConfig,
    video: Sequence[VideoFrame],
    audio: Sequence[AudioFrame],
    counters: dict[int, int] | None = None,
) -> tuple[bytes, dict[int, int]]:
    """One self-contained TS segment (PAT, PMT, then PES in time order).

    Returns the bytes and the continuity counters to start the next segment with.
    """
    writer = _PacketWriter(counters or {})
    writer.write(PID_PAT, PAT_PAYLOAD)
    writer.write(PID_PMT, PMT_PAYLOAD)
    events: list[tuple[int, int, int]] = [(f.ticks, 0, i) for i, f in enumerate(video)]
    events += [(audio[i].ticks, 1, i) for i in range(0, len(audio), AUDIO_FRAMES_PER_PES)]
    events.sort()
    for ticks, kind, i in events:
        if kind == 0:
            frame = video[i]
            data = avcc_to_annexb(frame.avcc, avc, frame.keyframe)
            pes = pes_packet(0xE0, ticks + PTS_OFFSET, data)
            writer.write(PID_VIDEO, pes, pcr=ticks, rai=frame.keyframe)
        else:
            group = audio[i : i + AUDIO_FRAMES_PER_PES]
            data = b"".join(aac.adts_header(len(f.raw)) + f.raw for f in group)
            writer.write(PID_AUDIO, pes_packet(0xC0, ticks + PTS_OFFSET, data))
    return bytes(writer.out), writer.counters


def packet_counts(data: bytes) -> dict[int, int]:
    """How many packets of each PID a TS byte string holds (continuity bookkeeping, tests)."""
    counts: dict[int, int] = {}
    for pos in range(0, len(data), PACKET_SIZE):
        pid = ((data[pos + 1] & 0x1F) << 8) | data[pos + 2]
        counts[pid] = counts.get(pid, 0) + 1
    return counts
