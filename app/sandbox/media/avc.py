"""H.264 and AAC bitstream plumbing: NAL unit framing, avcC records, AudioSpecificConfig, ADTS.

FLV and RTMP carry H.264 as length-prefixed NAL units plus an ``AVCDecoderConfigurationRecord``
(avcC); MPEG-TS wants Annex B start codes with SPS/PPS in-band. AAC is raw in FLV and needs an
ADTS header per frame in MPEG-TS.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

NAL_IDR = 5
NAL_SEI = 6
NAL_SPS = 7
NAL_PPS = 8
NAL_AUD = 9

START_CODE = b"\x00\x00\x00\x01"
# Access unit delimiter, primary_pic_type 7 ("any slice type"), as TS muxers put before each frame.
AUD_NAL = b"\x09\xf0"

_AAC_SAMPLE_RATES = (
    96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
)  # fmt: skip


class BitstreamError(ValueError):
    """The bytes are not the H.264/AAC structure they claim to be."""


def split_annexb(data: bytes) -> list[bytes]:
    """The NAL units of an Annex B byte stream (3- or 4-byte start codes)."""
    nals: list[bytes] = []
    starts: list[tuple[int, int]] = []  # (start code position, payload position)
    pos = data.find(b"\x00\x00\x01")
    while pos >= 0:
        code_at = pos - 1 if pos > 0 and data[pos - 1] == 0 else pos
        starts.append((code_at, pos + 3))
        pos = data.find(b"\x00\x00\x01", pos + 3)
    for index, (_, payload_at) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(data)
        nal = data[payload_at:end].rstrip(b"\x00") if index + 1 < len(starts) else data[payload_at:]
        if nal:
            nals.append(nal)
    return nals


def split_avcc(data: bytes, length_size: int = 4) -> list[bytes]:
    """The NAL units of a length-prefixed (AVCC) access unit."""
    nals: list[bytes] = []
    pos = 0
    while pos < len(data):
        if pos + length_size > len(data):
            raise BitstreamError("truncated NAL length")
        size = int.from_bytes(data[pos : pos + length_size], "big")
        pos += length_size
        if size == 0 or pos + size > len(data):
            raise BitstreamError("bad NAL length")
        nals.append(data[pos : pos + size])
        pos += size
    return nals


def join_avcc(nals: Iterable[bytes], length_size: int = 4) -> bytes:
    """Length-prefix NAL units into one AVCC access unit."""
    return b"".join(len(nal).to_bytes(length_size, "big") + nal for nal in nals)


def nal_type(nal: bytes) -> int:
    return nal[0] & 0x1F


@dataclass(frozen=True, slots=True)
class AvcConfig:
    """The parts of an avcC record a muxer needs."""

    sps: tuple[bytes, ...]
    pps: tuple[bytes, ...]
    length_size: int

    @property
    def profile(self) -> int:
        return self.sps[0][1]

    @property
    def level(self) -> int:
        return self.sps[0][3]

    def record(self) -> bytes:
        """Serialise as an ``AVCDecoderConfigurationRecord`` (ISO/IEC 14496-15)."""
        sps0 = self.sps[0]
        out = bytearray([1, sps0[1], sps0[2], sps0[3], 0xFC | (self.length_size - 1)])
        out.append(0xE0 | len(self.sps))
        for sps in self.sps:
            out += len(sps).to_bytes(2, "big") + sps
        out.append(len(self.pps))
        for pps in self.pps:
            out += len(pps).to_bytes(2, "big") + pps
        if sps0[1] in (100, 110, 122, 144):
            # High profiles carry chroma format and bit depths: 4:2:0, 8 bit, no SPS extensions.
            out += bytes([0xFC | 1, 0xF8, 0xF8, 0])
        return bytes(out)

    @classmethod
    def parse(cls, record: bytes) -> AvcConfig:
        """Read an ``AVCDecoderConfigurationRecord``."""
        if len(record) < 7 or record[0] != 1:
            raise BitstreamError("not an avcC record")
        length_size = (record[4] & 0x03) + 1
        pos = 5

        def read_list(count_mask: int) -> list[bytes]:
            nonlocal pos
            if pos >= len(record):
                raise BitstreamError("truncated avcC record")
            count = record[pos] & count_mask
            pos += 1
            items: list[bytes] = []
            for _ in range(count):
                size = int.from_bytes(record[pos : pos + 2], "big")
                items.append(record[pos + 2 : pos + 2 + size])
                pos += 2 + size
            if pos > len(record):
                raise BitstreamError("truncated avcC record")
            return items

        sps_list = read_list(0x1F)
        pps_list = read_list(0xFF)
        if not sps_list or not pps_list or any(not x for x in (*sps_list, *pps_list)):
            raise BitstreamError("avcC record without SPS/PPS")
        return cls(tuple(sps_list), tuple(pps_list), length_size)


def avcc_to_annexb(au: bytes, config: AvcConfig, keyframe: bool) -> bytes:
    """One access unit as Annex B: AUD first, SPS/PPS before an IDR, existing AUDs dropped."""
    parts = [START_CODE + AUD_NAL]
    if keyframe:
        parts.extend(START_CODE + nal for nal in (*config.sps, *config.pps))
    for nal in split_avcc(au, config.length_size):
        kind = nal_type(nal)
        if kind == NAL_AUD or (keyframe and kind in (NAL_SPS, NAL_PPS)):
            continue
        parts.append(START_CODE + nal)
    return b"".join(parts)


@dataclass(frozen=True, slots=True)
class AacConfig:
    """An MPEG-4 AudioSpecificConfig reduced to what ADTS needs."""

    object_type: int
    sample_rate: int
    channels: int

    @property
    def rate_index(self) -> int:
        return _AAC_SAMPLE_RATES.index(self.sample_rate)

    def record(self) -> bytes:
        """Serialise as a 2-byte AudioSpecificConfig."""
        value = (self.object_type << 11) | (self.rate_index << 7) | (self.channels << 3)
        return value.to_bytes(2, "big")

    @classmethod
    def parse(cls, record: bytes) -> AacConfig:
        if len(record) < 2:
            raise BitstreamError("AudioSpecificConfig too short")
        value = int.from_bytes(record[:2], "big")
        object_type = value >> 11
        rate_index = (value >> 7) & 0x0F
        channels = (value >> 3) & 0x0F
        if object_type in (0, 31) or rate_index >= len(_AAC_SAMPLE_RATES) or not 1 <= channels <= 7:
            raise BitstreamError("unsupported AudioSpecificConfig")
        return cls(object_type, _AAC_SAMPLE_RATES[rate_index], channels)

    def adts_header(self, payload_size: int) -> bytes:
        """The 7-byte ADTS header (no CRC) for one raw AAC frame of ``payload_size`` bytes."""
        frame_length = payload_size + 7
        profile = self.object_type - 1
        return bytes(
            (
                0xFF,
                0xF1,  # MPEG-4, layer 0, no CRC
                (profile << 6) | (self.rate_index << 2) | (self.channels >> 2),
                ((self.channels & 3) << 6) | (frame_length >> 11),
                (frame_length >> 3) & 0xFF,
                ((frame_length & 7) << 5) | 0x1F,
                0xFC,  # buffer fullness 0x7FF (VBR), one raw data block
            )
        )


def iter_adts(data: bytes) -> Iterator[bytes]:
    """Raw AAC frames from an ADTS stream (used by tests and the loop generator)."""
    pos = 0
    while pos + 7 <= len(data):
        if data[pos] != 0xFF or data[pos + 1] & 0xF0 != 0xF0:
            raise BitstreamError("lost ADTS sync")
        header_size = 7 if data[pos + 1] & 1 else 9
        frame_length = ((data[pos + 3] & 3) << 11) | (data[pos + 4] << 3) | (data[pos + 5] >> 5)
        yield data[pos + header_size : pos + frame_length]
        pos += frame_length
