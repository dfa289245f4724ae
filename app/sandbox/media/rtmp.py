"""An RTMP server for playback only: handshake, chunk streams, AMF0 commands, live media.

Enough of the protocol for FFmpeg's ``rtmp://`` client (ffplay, ffprobe, VLC, QtMultimedia's
FFmpeg backend): the plain handshake, ``connect`` / ``createStream`` / ``getStreamLength`` /
``play`` / ``deleteStream``, protocol control messages, and audio/video messages whose bodies are
FLV tag bodies. Whether a play is allowed, and what it plays, is the ``PlayHandler``'s decision.

Slow clients are bounded as on the HTTP listener (``ListenerLimits``): handshake, connect and
play must be done within the head timeout, and a session that is not playing is the first to be
evicted when the connection cap is reached. A playing session has no deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from app.sandbox.listener import ConnectionSlots, ListenerLimits, close_listener
from app.sandbox.media import amf0, flv
from app.sandbox.media.live import StopReason, Viewer

log = logging.getLogger(__name__)

HANDSHAKE_SIZE = 1536
OUT_CHUNK_SIZE = 4096
WINDOW_ACK_SIZE = 2_500_000
MAX_MESSAGE_SIZE = 1 << 20  # clients only send small commands
WRITE_HIGH_WATER = 4 << 20  # bytes buffered for a client before we wait for it to drain
DRAIN_TIMEOUT_S = 10.0
CLOSE_GRACE_S = 2.0

# Message types
SET_CHUNK_SIZE, ABORT, ACK, USER_CONTROL, WINDOW_ACK, SET_PEER_BW = 1, 2, 3, 4, 5, 6
AUDIO, VIDEO, DATA_AMF3, COMMAND_AMF3, DATA_AMF0, COMMAND_AMF0 = 8, 9, 15, 17, 18, 20
# Chunk stream ids we send on
CSID_CONTROL, CSID_COMMAND, CSID_DATA, CSID_AUDIO, CSID_VIDEO = 2, 3, 5, 6, 7
STREAM_BEGIN = 0
STREAM_EOF = 1


class RtmpProtocolError(Exception):
    """The peer broke the protocol; the connection is dropped."""


@dataclass(frozen=True, slots=True)
class PlayRequest:
    """A client's ``play``: application, stream name and the query from both possible places."""

    app: str
    stream: str
    query: dict[str, str]
    tc_url: str
    client: tuple[str, int]


@dataclass(frozen=True, slots=True)
class PlayRefused:
    """A refused play: the ``onStatus`` code and description sent before closing."""

    code: str
    description: str


PlayHandler = Callable[[PlayRequest], "Viewer | PlayRefused"]


def encode_message(
    csid: int, msg_type: int, stream_id: int, timestamp: int, payload: bytes, chunk_size: int
) -> bytes:
    """One message as chunks: a type 0 header, then type 3 continuations."""
    timestamp &= 0xFFFFFFFF
    extended = timestamp >= 0xFFFFFF
    ext = struct.pack(">I", timestamp) if extended else b""
    out = bytearray(_basic_header(0, csid))
    out += (0xFFFFFF if extended else timestamp).to_bytes(3, "big")
    out += len(payload).to_bytes(3, "big") + bytes((msg_type,))
    out += struct.pack("<I", stream_id) + ext
    out += payload[:chunk_size]
    continuation = _basic_header(3, csid) + ext  # FFmpeg repeats the extended timestamp
    for pos in range(chunk_size, len(payload), chunk_size):
        out += continuation
        out += payload[pos : pos + chunk_size]
    return bytes(out)


def _basic_header(fmt: int, csid: int) -> bytes:
    if csid < 64:
        return bytes(((fmt << 6) | csid,))
    if csid < 320:
        return bytes((fmt << 6, csid - 64))
    return bytes(((fmt << 6) | 1, (csid - 64) & 0xFF, (csid - 64) >> 8))


def split_query(text: str) -> tuple[str, dict[str, str]]:
    """``"name?a=1&b=2"`` -> ``("name", {"a": "1", "b": "2"})``."""
    base, _, query = text.partition("?")
    return base, dict(parse_qsl(query, keep_blank_values=True))


@dataclass(slots=True)
class _InChunkStream:
    timestamp: int = 0
    delta: int = 0
    length: int = 0
    msg_type: int = 0
    stream_id: int = 0
    extended: bool = False
    buffer: bytearray = field(default_factory=bytearray)


@dataclass(frozen=True, slots=True)
class _Message:
    msg_type: int
    stream_id: int
    timestamp: int
    payload: bytes


class ChunkReader:
    """Reassembles incoming chunks into messages, applying Set Chunk Size and Abort itself."""

    def __init__(self, reader: asyncio.StreamReader) -> None:
        self.reader = reader
        self.in_chunk_size = 128
        self.chunks: dict[int, _InChunkStream] = {}

    async def read_message(self) -> _Message:
        read = self.reader.readexactly
        while True:
            first = (await read(1))[0]
            fmt, csid = first >> 6, first & 0x3F
            if csid == 0:
                csid = 64 + (await read(1))[0]
            elif csid == 1:
                raw = await read(2)
                csid = 64 + raw[0] + (raw[1] << 8)
            state = self.chunks.get(csid)
            if state is None:
                if fmt != 0:
                    raise RtmpProtocolError("chunk stream must start with a type 0 header")
                state = self.chunks[csid] = _InChunkStream()
            starting = not state.buffer
            if fmt == 0:
                head = await read(11)
                ts_field = int.from_bytes(head[0:3], "big")
                state.length = int.from_bytes(head[3:6], "big")
                state.msg_type = head[6]
                state.stream_id = struct.unpack("<I", head[7:11])[0]
            elif fmt == 1:
                head = await read(7)
                ts_field = int.from_bytes(head[0:3], "big")
                state.length = int.from_bytes(head[3:6], "big")
                state.msg_type = head[6]
            elif fmt == 2:
                ts_field = int.from_bytes(await read(3), "big")
            else:
                ts_field = 0xFFFFFF if state.extended else state.delta
            if fmt != 3:
                state.extended = ts_field == 0xFFFFFF
            if state.extended:
                ts_field = struct.unpack(">I", await read(4))[0]
            if state.length > MAX_MESSAGE_SIZE:
                raise RtmpProtocolError("message too large")
            if starting:
                if fmt == 0:
                    state.timestamp = ts_field
                    state.delta = 0
                else:
                    if fmt != 3:
                        state.delta = ts_field
                    state.timestamp = (state.timestamp + state.delta) & 0xFFFFFFFF
            size = min(self.in_chunk_size, state.length - len(state.buffer))
            state.buffer += await read(size)
            if len(state.buffer) >= state.length:
                message = _Message(
                    state.msg_type, state.stream_id, state.timestamp, bytes(state.buffer)
                )
                state.buffer = bytearray()
                self._control(message)
                return message

    def _control(self, message: _Message) -> None:
        if message.msg_type == SET_CHUNK_SIZE and len(message.payload) >= 4:
            size = struct.unpack(">I", message.payload[:4])[0] & 0x7FFFFFFF
            if not 1 <= size <= MAX_MESSAGE_SIZE:
                raise RtmpProtocolError("bad chunk size")
            self.in_chunk_size = size
        elif message.msg_type == ABORT and len(message.payload) >= 4:
            stale = self.chunks.get(struct.unpack(">I", message.payload[:4])[0])
            if stale is not None:
                stale.buffer = bytearray()


class _Session:
    """One client connection."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        on_play: PlayHandler,
        *,
        setup_timeout_s: float,
        on_playing: Callable[[bool], None] = lambda playing: None,
    ) -> None:
        self.reader = reader
        self.writer = writer
        self.on_play = on_play
        self.setup_timeout_s = setup_timeout_s
        self.on_playing = on_playing
        self.deadline: asyncio.Timeout | None = None
        self.chunks = ChunkReader(reader)
        self.app = ""
        self.app_query: dict[str, str] = {}
        self.tc_url = ""
        self.next_stream_id = 1
        self.sender: asyncio.Task[None] | None = None
        self.viewer: Viewer | None = None
        peer = writer.get_extra_info("peername")
        self.client = (str(peer[0]), int(peer[1])) if isinstance(peer, tuple) else ("", 0)

    # --- wire -------------------------------------------------------------------------------

    async def handshake(self) -> None:
        c0c1 = await self.reader.readexactly(1 + HANDSHAKE_SIZE)
        if c0c1[0] != 3:
            raise RtmpProtocolError(f"unsupported RTMP version {c0c1[0]}")
        # S1: time 0, zero version (so clients skip the digest check), random bytes.
        s1 = b"\x00" * 8 + os.urandom(HANDSHAKE_SIZE - 8)
        self.writer.write(b"\x03" + s1 + c0c1[1:])  # S0, S1, S2 (= C1 echoed)
        await self.writer.drain()
        await self.reader.readexactly(HANDSHAKE_SIZE)  # C2

    def send(self, csid: int, msg_type: int, stream_id: int, timestamp: int, body: bytes) -> None:
        self.writer.write(
            encode_message(csid, msg_type, stream_id, timestamp, body, OUT_CHUNK_SIZE)
        )

    def send_command(self, stream_id: int, *values: amf0.AmfValue) -> None:
        self.send(CSID_COMMAND, COMMAND_AMF0, stream_id, 0, amf0.encode(*values))

    def send_status(self, stream_id: int, level: str, code: str, description: str) -> None:
        info: dict[str, amf0.AmfValue] = {
            "level": level,
            "code": code,
            "description": description,
        }
        self.send_command(stream_id, "onStatus", 0.0, None, info)

    def send_user_control(self, event: int, value: int) -> None:
        self.send(CSID_CONTROL, USER_CONTROL, 0, 0, struct.pack(">HI", event, value))

    # --- session ----------------------------------------------------------------------------

    async def run(self) -> None:
        try:
            # Until a play starts (and again after the client stops one), the session must make
            # progress by this deadline; bytes trickled one at a time do not extend it.
            async with asyncio.timeout(self.setup_timeout_s) as self.deadline:
                await self.handshake()
                while True:
                    message = await self.chunks.read_message()
                    if not await self.handle(message):
                        self.deadline.reschedule(asyncio.get_running_loop().time() + CLOSE_GRACE_S)
                        await self.close_gracefully()
                        break
        except (asyncio.IncompleteReadError, ConnectionError, TimeoutError, OSError):
            pass
        except (RtmpProtocolError, amf0.AmfError) as exc:
            log.debug("RTMP client %s dropped: %s", self.client, exc)
        finally:
            await self.stop_playing(StopReason.CLOSED)
            self.writer.transport.abort()

    async def close_gracefully(self) -> None:
        """Half-close, then wait for the client to hang up, so it reads our last words.

        Closing with the client's bytes unread would send a reset, which can destroy the
        final ``onStatus`` before the client reads it.
        """
        with contextlib.suppress(OSError, RuntimeError):
            await self.writer.drain()
            self.writer.write_eof()
        while await self.reader.read(4096):
            pass

    async def handle(self, message: _Message) -> bool:
        """Act on one message; False ends the session."""
        kind = message.msg_type
        if kind in (COMMAND_AMF0, COMMAND_AMF3):
            payload = message.payload[1:] if kind == COMMAND_AMF3 else message.payload
            return await self.command(message.stream_id, amf0.decode_all(payload))
        # Chunk control is the reader's; acks, window sizes, user control (buffer length, pong)
        # and data need no answer.
        return True

    async def command(self, stream_id: int, values: list[amf0.AmfValue]) -> bool:
        if not values or not isinstance(values[0], str):
            return True
        name = values[0]
        txn = values[1] if len(values) > 1 and isinstance(values[1], float) else 0.0
        args = values[3:]
        if name == "connect":
            self.on_connect(txn, values[2] if len(values) > 2 else None)
        elif name == "createStream":
            self.send_command(0, "_result", txn, None, float(self.next_stream_id))
            self.next_stream_id += 1
        elif name == "getStreamLength":
            self.send_command(0, "_result", txn, None, 0.0)
        elif name == "play":
            return await self.on_play_command(stream_id or 1, args)
        elif name in ("deleteStream", "closeStream"):
            await self.stop_playing(StopReason.CLOSED)
            self._set_playing(False)
        elif name == "publish":
            self.send_status(stream_id, "error", "NetStream.Publish.Denied", "Playback only.")
            return False
        return True

    def on_connect(self, txn: float, command_object: amf0.AmfValue) -> None:
        props = command_object if isinstance(command_object, dict) else {}
        app = props.get("app")
        tc_url = props.get("tcUrl")
        self.app, self.app_query = split_query(app if isinstance(app, str) else "")
        self.tc_url = tc_url if isinstance(tc_url, str) else ""
        encoding = props.get("objectEncoding")
        self.send(CSID_CONTROL, WINDOW_ACK, 0, 0, struct.pack(">I", WINDOW_ACK_SIZE))
        self.send(CSID_CONTROL, SET_PEER_BW, 0, 0, struct.pack(">IB", WINDOW_ACK_SIZE, 2))
        self.send(CSID_CONTROL, SET_CHUNK_SIZE, 0, 0, struct.pack(">I", OUT_CHUNK_SIZE))
        info: dict[str, amf0.AmfValue] = {
            "level": "status",
            "code": "NetConnection.Connect.Success",
            "description": "Connection succeeded.",
            "objectEncoding": encoding if isinstance(encoding, float) else 0.0,
        }
        server: dict[str, amf0.AmfValue] = {"fmsVer": "FMS/3,0,1,123", "capabilities": 31.0}
        self.send_command(0, "_result", txn, server, info)

    async def on_play_command(self, stream_id: int, args: list[amf0.AmfValue]) -> bool:
        raw_name = args[0] if args and isinstance(args[0], str) else ""
        stream, query = split_query(raw_name)
        # A client may put the query on the stream name (FFmpeg does), on the app, or on tcUrl.
        tc_query = split_query(self.tc_url)[1]
        merged = {**tc_query, **self.app_query, **query}
        request = PlayRequest(self.app, stream, merged, self.tc_url, self.client)
        decision = self.on_play(request)
        if isinstance(decision, PlayRefused):
            self.send_status(stream_id, "error", decision.code, decision.description)
            return False
        await self.stop_playing(StopReason.CLOSED)
        self.viewer = decision
        self.sender = asyncio.create_task(self.play(stream_id, decision))
        self._set_playing(True)
        return True

    def _set_playing(self, playing: bool) -> None:
        """Lift the setup deadline while playing; restore it when the client stops."""
        if self.deadline is not None and not self.deadline.expired():
            when = None if playing else asyncio.get_running_loop().time() + self.setup_timeout_s
            self.deadline.reschedule(when)
        self.on_playing(playing)

    async def stop_playing(self, reason: str) -> None:
        if self.viewer is not None:
            self.viewer.stop(reason)
            self.viewer = None
        sender, self.sender = self.sender, None
        if sender is not None and sender is not asyncio.current_task():
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await sender

    async def play(self, stream_id: int, viewer: Viewer) -> None:
        """Stream to the client until the viewer is stopped or the client goes away."""
        loop = viewer.stream.loop
        name = viewer.stream.name
        try:
            self.send_user_control(STREAM_BEGIN, stream_id)
            self.send_status(stream_id, "status", "NetStream.Play.Reset", f"Playing {name}.")
            self.send_status(stream_id, "status", "NetStream.Play.Start", f"Started {name}.")
            self.send(
                CSID_DATA, DATA_AMF0, stream_id, 0, amf0.encode("|RtmpSampleAccess", True, True)
            )
            self.send(CSID_DATA, DATA_AMF0, stream_id, 0, flv.metadata_body(loop.metadata))
            self.send(CSID_VIDEO, VIDEO, stream_id, 0, loop.video_header)
            self.send(CSID_AUDIO, AUDIO, stream_id, 0, loop.audio_header)
            async for batch in viewer.batches():
                out = bytearray()
                for ms, sample in batch:
                    csid, kind = (CSID_VIDEO, VIDEO) if sample.is_video else (CSID_AUDIO, AUDIO)
                    out += encode_message(
                        csid, kind, stream_id, ms, sample.tag_body, OUT_CHUNK_SIZE
                    )
                self.writer.write(bytes(out))
                if self.writer.transport.get_write_buffer_size() > WRITE_HIGH_WATER:
                    await asyncio.wait_for(self.writer.drain(), DRAIN_TIMEOUT_S)
            if viewer.stop_reason == StopReason.UNPUBLISHED:
                self.send_user_control(STREAM_EOF, stream_id)
                self.send_status(
                    stream_id, "status", "NetStream.Play.UnpublishNotify", f"{name} stopped."
                )
                self.send_status(stream_id, "status", "NetStream.Play.Stop", f"Stopped {name}.")
                # Let the client read that and hang up; the read loop then ends the session.
                with contextlib.suppress(OSError, RuntimeError):
                    self.writer.write_eof()
                asyncio.get_running_loop().call_later(CLOSE_GRACE_S, self.writer.transport.abort)
                return
        except (ConnectionError, TimeoutError):
            pass
        finally:
            viewer.stop(StopReason.CLOSED)
        # Cut, too slow, or gone: drop the connection at once, as a failing network would.
        self.writer.transport.abort()


class RtmpServer:
    """Accepts RTMP clients on ``host:port`` (0 picks a free port) until ``close()``."""

    def __init__(
        self,
        on_play: PlayHandler,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        limits: ListenerLimits | None = None,
    ) -> None:
        self._on_play = on_play
        self._limits = limits or ListenerLimits()
        self._slots = ConnectionSlots(self._limits.max_connections)
        self._host = host
        self._requested_port = port
        self._server: asyncio.Server | None = None
        self._port = 0
        self._sessions: set[asyncio.Task[None]] = set()

    @property
    def port(self) -> int:
        return self._port

    @property
    def session_count(self) -> int:
        """Open sessions, including ones being closed."""
        return len(self._sessions)

    @property
    def evicted_count(self) -> int:
        """Sessions closed to make room while they were not playing."""
        return self._slots.evicted

    @property
    def refused_count(self) -> int:
        """Connections closed at once because every slot was playing."""
        return self._slots.refused

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._serve, self._host, self._requested_port, reuse_address=True
        )
        self._port = int(self._server.sockets[0].getsockname()[1])
        log.debug("RTMP server listening on %s:%d", self._host, self._port)

    async def close(self) -> None:
        await close_listener(self._server, self._sessions)
        self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        if not self._slots.admit(task):
            # RTMP has no way to say "busy" before the handshake; a prompt close tells the
            # client as much as anything would.
            writer.transport.abort()
            return
        self._sessions.add(task)

        def on_playing(playing: bool) -> None:
            if playing:
                self._slots.busy(task)
            else:
                self._slots.waiting(task)

        try:
            session = _Session(
                reader,
                writer,
                self._on_play,
                setup_timeout_s=self._limits.head_timeout_s,
                on_playing=on_playing,
            )
            await session.run()
        except asyncio.CancelledError:  # server closing, or evicted to make room
            writer.transport.abort()
        except Exception:  # one broken session must never take the server down
            log.exception("RTMP session failed")
            writer.transport.abort()
        finally:
            self._slots.release(task)
            self._sessions.discard(task)
