"""The byte-level building blocks: AMF0, FLV, avcC, ADTS, CRC-32/MPEG-2, RTMP chunking."""

from __future__ import annotations

import asyncio
import struct

import pytest

from app.sandbox.media import amf0, flv
from app.sandbox.media.avc import (
    AacConfig,
    AvcConfig,
    BitstreamError,
    avcc_to_annexb,
    iter_adts,
    join_avcc,
    split_annexb,
    split_avcc,
)
from app.sandbox.media.loops import LoopError, load_loop, parse_loop
from app.sandbox.media.mpegts import crc32_mpeg2
from app.sandbox.media.rtmp import ChunkReader, encode_message


def test_amf0_round_trip() -> None:
    values: list[amf0.AmfValue] = [
        "onStatus",
        3.0,
        None,
        True,
        {"level": "status", "nested": {"n": 1.5}},
        amf0.EcmaArray(width=640.0, stereo=False),
        ["a", 2.0],
        "x" * 70_000,
    ]
    decoded = amf0.decode_all(amf0.encode(*values))
    assert decoded == values
    assert isinstance(decoded[5], amf0.EcmaArray)
    with pytest.raises(amf0.AmfError):
        amf0.decode_all(b"\x02\x00\x05ab")
    with pytest.raises(amf0.AmfError):
        amf0.decode_all(b"\x11")


def test_flv_tags_round_trip() -> None:
    data = flv.file_header() + flv.tag(9, 0x12345678, b"abc") + flv.tag(8, 5, b"")
    tags = list(flv.read_tags(data))
    assert [(t.kind, t.timestamp, t.body) for t in tags] == [(9, 0x12345678, b"abc"), (8, 5, b"")]
    with pytest.raises(flv.FlvError):
        list(flv.read_tags(b"nope" * 5))
    with pytest.raises(flv.FlvError):
        list(flv.read_tags(data[:-3]))


def test_avc_config_and_nal_framing() -> None:
    loop = load_loop("pvw")
    record = loop.video_header[5:]
    config = AvcConfig.parse(record)
    assert config.record() == record
    assert config.profile == 100 and config.length_size == 4
    first = loop.samples[0]
    assert first.is_video and first.keyframe
    nals = split_avcc(first.payload)
    assert join_avcc(nals) == first.payload
    annexb = avcc_to_annexb(first.payload, config, keyframe=True)
    units = split_annexb(annexb)
    assert [u[0] & 0x1F for u in units[:3]] == [9, 7, 8]  # AUD, SPS, PPS, then the IDR slice
    assert units[3:] == nals
    with pytest.raises(BitstreamError):
        split_avcc(b"\x00\x00\x00\x09abc")
    with pytest.raises(BitstreamError):
        AvcConfig.parse(b"\x01\x64\x00\x1f\xff\xe0\x00")


def test_aac_config_and_adts() -> None:
    config = AacConfig.parse(bytes.fromhex("1190"))
    assert (config.object_type, config.sample_rate, config.channels) == (2, 48000, 2)
    assert config.record() == bytes.fromhex("1190")
    frames = [b"\x21" * 10, b"\x42" * 300]
    stream = b"".join(config.adts_header(len(f)) + f for f in frames)
    assert list(iter_adts(stream)) == frames
    with pytest.raises(BitstreamError):
        AacConfig.parse(b"\x00\x00")


def test_crc32_mpeg2_check_value() -> None:
    assert crc32_mpeg2(b"123456789") == 0x0376E6E7


def test_loop_parser_rejects_what_it_cannot_play() -> None:
    with pytest.raises(LoopError):
        load_loop("nope")
    with pytest.raises(LoopError):
        parse_loop("pvw", flv.file_header() + flv.tag(9, 0, b"\x17\x01\x00\x00\x00"))


def _read_messages(data: bytes, count: int) -> list[tuple[int, int, int, bytes]]:
    async def run() -> list[tuple[int, int, int, bytes]]:
        reader = asyncio.StreamReader()
        reader.feed_data(data)
        reader.feed_eof()
        chunks = ChunkReader(reader)
        out = []
        for _ in range(count):
            message = await chunks.read_message()
            out.append((message.msg_type, message.stream_id, message.timestamp, message.payload))
        return out

    return asyncio.run(run())


def test_rtmp_chunking_round_trip_with_extended_timestamps() -> None:
    big = bytes(range(256)) * 40
    wire = (
        encode_message(2, 1, 0, 0, struct.pack(">I", 100), 128)
        + encode_message(7, 9, 1, 0x1FFFFFF, big, 100)
        + encode_message(70, 20, 1, 5, b"x" * 250, 100)
        + encode_message(400, 8, 1, 0xFFFFFE, b"y", 100)
    )
    messages = _read_messages(wire, 4)
    assert messages[1] == (9, 1, 0x1FFFFFF, big)
    assert messages[2] == (20, 1, 5, b"x" * 250)
    assert messages[3] == (8, 1, 0xFFFFFE, b"y")
