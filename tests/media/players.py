"""Watching streams the way players do: PyAV (FFmpeg) decoding, and a bare RTMP client."""

from __future__ import annotations

import os
import socket
import struct
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import av

from app.sandbox.media import amf0
from app.sandbox.media.rtmp import encode_message


@dataclass
class Playback:
    """What a player saw: picture size, frame counts and times (seconds, stream time base)."""

    url: str
    width: int = 0
    height: int = 0
    sample_rate: int = 0
    channels: int = 0
    first_frame_s: float = 0.0
    video_times: list[float] = field(default_factory=list)
    audio_times: list[float] = field(default_factory=list)
    audio_samples: int = 0


def play(
    url: str, *, video_frames: int = 10, audio_frames: int = 5, timeout: float = 10.0
) -> Playback:
    """Open ``url`` with FFmpeg and decode until enough frames of both kinds came out."""
    result = Playback(url)
    started = time.perf_counter()
    with av.open(url, timeout=timeout) as container:
        for frame in container.decode(video=0, audio=0):
            if isinstance(frame, av.VideoFrame):
                if not result.video_times:
                    result.first_frame_s = time.perf_counter() - started
                result.width, result.height = frame.width, frame.height
                result.video_times.append(float(frame.time or 0.0))
            elif isinstance(frame, av.AudioFrame):
                result.sample_rate = frame.sample_rate
                result.channels = frame.layout.nb_channels
                result.audio_times.append(float(frame.time or 0.0))
                result.audio_samples += frame.samples
            if len(result.video_times) >= video_frames and len(result.audio_times) >= audio_frames:
                break
    return result


class RtmpProbe:
    """A bare RTMP client: connect, createStream, play, and report every ``onStatus`` code."""

    def __init__(self, url: str, timeout: float = 5.0) -> None:
        parts = urlsplit(url)
        app, _, name = parts.path.lstrip("/").partition("/")
        self.app = app
        self.play_name = name + (f"?{parts.query}" if parts.query else "")
        self.tc_url = f"rtmp://{parts.hostname}:{parts.port}/{app}"
        self.sock = socket.create_connection((parts.hostname or "", parts.port or 1935), timeout)
        self.sock.settimeout(timeout)
        self.in_chunk_size = 128
        self.headers: dict[int, list[int]] = {}  # csid -> [length, type, stream id, extended]
        self.partial: dict[int, bytearray] = {}
        self.media_messages = 0

    def close(self) -> None:
        self.sock.close()

    def _recv(self, size: int) -> bytes:
        data = bytearray()
        while len(data) < size:
            chunk = self.sock.recv(size - len(data))
            if not chunk:
                raise ConnectionError("server closed the connection")
            data += chunk
        return bytes(data)

    def handshake(self) -> None:
        self.sock.sendall(b"\x03" + bytes(8) + os.urandom(1528))
        s0s1s2 = self._recv(1 + 1536 * 2)
        assert s0s1s2[0] == 3
        self.sock.sendall(s0s1s2[1:1537])

    def send_command(self, stream_id: int, *values: amf0.AmfValue) -> None:
        self.sock.sendall(encode_message(3, 20, stream_id, 0, amf0.encode(*values), 128))

    def read_message(self) -> tuple[int, int, bytes]:
        """(type, stream id, payload) of the next complete message."""
        while True:
            first = self._recv(1)[0]
            fmt, csid = first >> 6, first & 0x3F
            if csid == 0:
                csid = 64 + self._recv(1)[0]
            elif csid == 1:
                raw = self._recv(2)
                csid = 64 + raw[0] + raw[1] * 256
            header = self.headers.setdefault(csid, [0, 0, 0, 0])
            ts_field = 0
            if fmt == 0:
                raw = self._recv(11)
                ts_field = int.from_bytes(raw[:3], "big")
                header[0] = int.from_bytes(raw[3:6], "big")
                header[1] = raw[6]
                header[2] = struct.unpack("<I", raw[7:11])[0]
            elif fmt == 1:
                raw = self._recv(7)
                ts_field = int.from_bytes(raw[:3], "big")
                header[0] = int.from_bytes(raw[3:6], "big")
                header[1] = raw[6]
            elif fmt == 2:
                ts_field = int.from_bytes(self._recv(3), "big")
            if fmt != 3:
                header[3] = int(ts_field == 0xFFFFFF)
            if header[3]:
                self._recv(4)
            buffer = self.partial.setdefault(csid, bytearray())
            buffer += self._recv(min(self.in_chunk_size, header[0] - len(buffer)))
            if len(buffer) >= header[0]:
                payload = bytes(buffer)
                self.partial[csid] = bytearray()
                if header[1] == 1:
                    self.in_chunk_size = struct.unpack(">I", payload[:4])[0]
                return header[1], header[2], payload

    def play(self, *, until_media: int = 0) -> list[str]:
        """Run a play; return the ``onStatus`` codes seen (and read ``until_media`` messages)."""
        self.handshake()
        connect: dict[str, amf0.AmfValue] = {
            "app": self.app,
            "flashVer": "LNX 9,0,124,2",
            "tcUrl": self.tc_url,
            "fpad": False,
            "capabilities": 15.0,
            "audioCodecs": 4071.0,
            "videoCodecs": 252.0,
            "videoFunction": 1.0,
        }
        self.send_command(0, "connect", 1.0, connect)
        codes: list[str] = []
        stream_id = 0
        sent_play = False
        while True:
            kind, _, payload = self.read_message()
            if kind in (8, 9):
                self.media_messages += 1
                if self.media_messages >= until_media:
                    return codes
                continue
            if kind != 20:
                continue
            values = amf0.decode_all(payload)
            if values[0] == "_result" and values[1] == 1.0:
                self.send_command(0, "createStream", 2.0, None)
            elif values[0] == "_result" and values[1] == 2.0 and not sent_play:
                stream_id = int(values[3])  # type: ignore[arg-type]
                self.send_command(stream_id, "play", 3.0, None, self.play_name, -2000.0)
                sent_play = True
            elif values[0] == "onStatus":
                info = values[3]
                assert isinstance(info, dict)
                codes.append(str(info["code"]))
                if info["level"] == "error" or (
                    info["code"] == "NetStream.Play.Start" and not until_media
                ):
                    return codes


def rtmp_play_codes(url: str, *, until_media: int = 0) -> tuple[list[str], bool]:
    """The ``onStatus`` codes of a play, and whether the server then closed the connection."""
    probe = RtmpProbe(url)
    try:
        codes = probe.play(until_media=until_media)
        closed = False
        if codes and "error" not in codes[-1] and not codes[-1].endswith(("Failed", "NotFound")):
            return codes, closed
        try:
            while True:
                probe.read_message()
        except ConnectionError:
            closed = True
        except TimeoutError:
            closed = False
        return codes, closed
    finally:
        probe.close()


def probe_rgb(frame: av.VideoFrame, probe: tuple[float, float, float]) -> tuple[int, int, int]:
    """Mean sRGB colour of a horizontal strip: ``probe`` is (x from, x to, y) as fractions."""
    rgb = frame.reformat(format="rgb24")
    plane = rgb.planes[0]
    data = bytes(plane)
    row = int(rgb.height * probe[2]) * plane.line_size
    xs = range(int(rgb.width * probe[0]), int(rgb.width * probe[1]))
    r, g, b = (sum(data[row + 3 * x + c] for x in xs) // len(xs) for c in range(3))
    return r, g, b
