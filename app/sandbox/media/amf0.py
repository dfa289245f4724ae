"""AMF0, the value encoding of RTMP commands and of FLV script tags (``onMetaData``)."""

from __future__ import annotations

import struct
from typing import Union

AmfValue = Union[float, bool, str, None, "EcmaArray", dict[str, "AmfValue"], list["AmfValue"]]

_NUMBER, _BOOLEAN, _STRING, _OBJECT = 0x00, 0x01, 0x02, 0x03
_NULL, _UNDEFINED, _REFERENCE, _ECMA_ARRAY = 0x05, 0x06, 0x07, 0x08
_OBJECT_END, _STRICT_ARRAY, _DATE, _LONG_STRING = 0x09, 0x0A, 0x0B, 0x0C


class AmfError(ValueError):
    """Malformed or unsupported AMF0 data."""


class EcmaArray(dict[str, AmfValue]):
    """A mapping that encodes as an AMF0 ECMA array (what ``onMetaData`` uses), not an object."""


def encode(*values: AmfValue) -> bytes:
    """Encode values one after another, as an RTMP command or a script tag body lays them out."""
    out = bytearray()
    for value in values:
        _encode_value(out, value)
    return bytes(out)


def _encode_key(out: bytearray, key: str) -> None:
    raw = key.encode("utf-8")
    out += struct.pack(">H", len(raw)) + raw


def _encode_value(out: bytearray, value: AmfValue) -> None:
    if value is None:
        out.append(_NULL)
    elif isinstance(value, bool):
        out += bytes((_BOOLEAN, 1 if value else 0))
    elif isinstance(value, int | float):
        out.append(_NUMBER)
        out += struct.pack(">d", float(value))
    elif isinstance(value, str):
        raw = value.encode("utf-8")
        if len(raw) > 0xFFFF:
            out.append(_LONG_STRING)
            out += struct.pack(">I", len(raw)) + raw
        else:
            out.append(_STRING)
            out += struct.pack(">H", len(raw)) + raw
    elif isinstance(value, dict):
        if isinstance(value, EcmaArray):
            out.append(_ECMA_ARRAY)
            out += struct.pack(">I", len(value))
        else:
            out.append(_OBJECT)
        for key, item in value.items():
            _encode_key(out, key)
            _encode_value(out, item)
        out += b"\x00\x00" + bytes((_OBJECT_END,))
    elif isinstance(value, list):
        out.append(_STRICT_ARRAY)
        out += struct.pack(">I", len(value))
        for item in value:
            _encode_value(out, item)
    else:
        raise AmfError(f"cannot encode {type(value).__name__} as AMF0")


def decode_all(data: bytes) -> list[AmfValue]:
    """Decode every value in ``data``."""
    values: list[AmfValue] = []
    pos = 0
    while pos < len(data):
        value, pos = _decode_value(data, pos)
        values.append(value)
    return values


def _need(data: bytes, pos: int, size: int) -> None:
    if pos + size > len(data):
        raise AmfError("truncated AMF0 data")


def _decode_key(data: bytes, pos: int) -> tuple[str, int]:
    _need(data, pos, 2)
    size = struct.unpack_from(">H", data, pos)[0]
    _need(data, pos + 2, size)
    return data[pos + 2 : pos + 2 + size].decode("utf-8", errors="replace"), pos + 2 + size


def _decode_pairs(data: bytes, pos: int, into: dict[str, AmfValue]) -> int:
    while True:
        _need(data, pos, 3)
        if data[pos : pos + 3] == b"\x00\x00\x09":
            return pos + 3
        key, pos = _decode_key(data, pos)
        into[key], pos = _decode_value(data, pos)


def _decode_value(data: bytes, pos: int) -> tuple[AmfValue, int]:
    _need(data, pos, 1)
    marker = data[pos]
    pos += 1
    if marker == _NUMBER:
        _need(data, pos, 8)
        return struct.unpack_from(">d", data, pos)[0], pos + 8
    if marker == _BOOLEAN:
        _need(data, pos, 1)
        return data[pos] != 0, pos + 1
    if marker == _STRING:
        return _decode_key(data, pos)
    if marker == _LONG_STRING:
        _need(data, pos, 4)
        size = struct.unpack_from(">I", data, pos)[0]
        _need(data, pos + 4, size)
        return data[pos + 4 : pos + 4 + size].decode("utf-8", errors="replace"), pos + 4 + size
    if marker in (_NULL, _UNDEFINED):
        return None, pos
    if marker == _OBJECT:
        obj: dict[str, AmfValue] = {}
        return obj, _decode_pairs(data, pos, obj)
    if marker == _ECMA_ARRAY:
        _need(data, pos, 4)
        array = EcmaArray()
        return array, _decode_pairs(data, pos + 4, array)
    if marker == _STRICT_ARRAY:
        _need(data, pos, 4)
        count = struct.unpack_from(">I", data, pos)[0]
        pos += 4
        items: list[AmfValue] = []
        for _ in range(count):
            item, pos = _decode_value(data, pos)
            items.append(item)
        return items, pos
    if marker == _DATE:
        _need(data, pos, 10)
        return struct.unpack_from(">d", data, pos)[0], pos + 10
    raise AmfError(f"unsupported AMF0 marker 0x{marker:02x}")
