"""A small HTTP/1.1 server on asyncio streams, shared by the API emulator and the media origin.

It does what the sandbox needs and no more: keep-alive (httpx reuses connections), HEAD,
fixed-length and chunked request bodies, streamed (chunked) responses that are closed promptly
when the viewer goes away, size limits, and ``400`` for anything malformed. Slow clients are
bounded (``ListenerLimits``): a request head must arrive within the head timeout (else ``408``),
an idle keep-alive connection is closed after the idle timeout, and the connection cap evicts
the longest-waiting incomplete request to make room, answering ``503`` only when every slot is
busy. A handler may also
take the raw connection over (``HttpResponse.takeover``) to misbehave on purpose: the fault
injector uses that for resets, truncated and slow bodies.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import struct
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus
from urllib.parse import parse_qsl, unquote, urlsplit

from app.sandbox.listener import RETRY_AFTER_S, ConnectionSlots, ListenerLimits, close_listener

log = logging.getLogger(__name__)

MAX_HEAD_BYTES = 32 * 1024
MAX_BODY_BYTES = 4 * 1024 * 1024
BODY_TIMEOUT_S = 30.0  # the most a request body may take once its head is in
REFUSE_LINGER_S = 1.0  # how long a refused client gets to read its 503 before the close
_CRLF = b"\r\n"


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """One parsed request. ``path`` is percent-decoded; ``query`` decodes ``+`` as space."""

    method: str
    target: str
    path: str
    raw_query: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    client: tuple[str, int]


@dataclass(slots=True)
class HttpResponse:
    """What a handler returns.

    ``stream``: when set, ``body`` is ignored and the chunks are sent with chunked
    transfer-encoding until the iterator ends. The server ``aclose()``s the iterator if the
    client goes away or the server closes.

    ``takeover``: when set, the status line is not written at all; the coroutine gets the
    connection's writer and may write any bytes (or none). The connection is closed afterwards.

    ``close``: send ``Connection: close`` and close the connection after this response.
    """

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    stream: AsyncIterator[bytes] | None = None
    takeover: Callable[[asyncio.StreamWriter], Awaitable[None]] | None = None
    close: bool = False


Handler = Callable[[HttpRequest], Awaitable[HttpResponse]]


class _MalformedRequestError(Exception):
    """The bytes on the wire are not an HTTP request we accept."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


def reset_connection(writer: asyncio.StreamWriter) -> None:
    """Close with an RST instead of a FIN (SO_LINGER 0), as a crashed peer or middlebox would."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def _aclose(stream: AsyncIterator[bytes]) -> None:
    aclose = getattr(stream, "aclose", None)
    if aclose is not None:
        with contextlib.suppress(Exception):
            await aclose()


def status_line(status: int) -> bytes:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Unknown"
    return f"HTTP/1.1 {status} {phrase}\r\n".encode("latin-1")


class HttpServer:
    """Serves ``handler`` on ``host:port`` (port 0 picks a free one) until ``close()``."""

    def __init__(
        self,
        handler: Handler,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        name: str = "http",
        limits: ListenerLimits | None = None,
    ) -> None:
        self._handler = handler
        self._limits = limits or ListenerLimits()
        self._slots = ConnectionSlots(self._limits.max_connections)
        self._host = host
        self._requested_port = port
        self._name = name
        self._server: asyncio.Server | None = None
        self._port = 0
        self._connections: set[asyncio.Task[None]] = set()
        self._closing = False

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._serve_connection,
            self._host,
            self._requested_port,
            limit=MAX_HEAD_BYTES,
            reuse_address=True,
        )
        self._port = int(self._server.sockets[0].getsockname()[1])
        log.debug("%s server listening on %s:%d", self._name, self._host, self._port)

    @property
    def port(self) -> int:
        return self._port

    @property
    def connection_count(self) -> int:
        """Open connections, including ones being closed or refused."""
        return len(self._connections)

    @property
    def evicted_count(self) -> int:
        """Connections closed to make room while they still had no complete request."""
        return self._slots.evicted

    @property
    def refused_count(self) -> int:
        """Connections answered ``503`` because every slot was busy."""
        return self._slots.refused

    async def close(self) -> None:
        """Stop listening and close every live connection, streaming ones included."""
        self._closing = True
        await close_listener(self._server, self._connections)
        self._server = None

    # --- connection loop ----------------------------------------------------------------

    async def _serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None
        if self._closing:
            writer.transport.abort()
            return
        self._connections.add(task)
        peer = writer.get_extra_info("peername")
        client = (str(peer[0]), int(peer[1])) if isinstance(peer, tuple) else ("", 0)
        admitted = self._slots.admit(task)
        try:
            if not admitted:
                await self._refuse(reader, writer)
                return
            keep_going = True
            first = True
            while keep_going and not self._closing:
                self._slots.waiting(task)
                try:
                    request, keep_alive = await self._next_request(reader, writer, client, first)
                except _MalformedRequestError as exc:
                    await self._write_simple(writer, exc.status, str(exc))
                    break
                except (asyncio.IncompleteReadError, ConnectionError):
                    break
                if request is None:
                    break
                self._slots.busy(task)  # answering (or streaming) is never evicted
                first = False
                keep_going = await self._respond(request, keep_alive, reader, writer)
        except (asyncio.CancelledError, ConnectionError):
            pass  # server closing, or evicted to make room
        except Exception:  # one broken connection must never take the server down
            log.exception("%s connection failed", self._name)
        finally:
            self._slots.release(task)
            await self._finish(writer)
            self._connections.discard(task)

    async def _refuse(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Answer ``503`` at once; linger briefly so closing does not reset the answer away."""
        body = b"Too many connections\n"
        writer.write(
            status_line(503)
            + b"Content-Type: text/plain; charset=utf-8\r\n"
            + f"Retry-After: {RETRY_AFTER_S}\r\nContent-Length: {len(body)}\r\n".encode()
            + b"Connection: close\r\n\r\n"
            + body
        )
        # Closing with the client's request unread would send an RST, which can destroy the
        # 503 before the client reads it; so read (and drop) until it hangs up, briefly.
        with contextlib.suppress(OSError, RuntimeError, TimeoutError):
            await writer.drain()
            writer.write_eof()
            async with asyncio.timeout(REFUSE_LINGER_S):
                while await reader.read(4096):
                    pass

    async def _next_request(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        client: tuple[str, int],
        first: bool,
    ) -> tuple[HttpRequest | None, bool]:
        """The next request, or None when the client hangs up or idles out between requests.

        The head deadline starts at accept for the first request and at its first byte for
        later ones: bytes trickled one at a time do not extend it.
        """
        lead = b""
        if not first:
            try:
                lead = await asyncio.wait_for(reader.read(1), self._limits.idle_timeout_s)
            except TimeoutError:
                return None, False  # idle keep-alive: close quietly
            if not lead:
                return None, False
        return await self._read_request(reader, writer, client, lead)

    async def _finish(self, writer: asyncio.StreamWriter) -> None:
        """Close gracefully (flushing what is buffered) unless the server is shutting down."""
        if self._closing or writer.transport.is_closing():
            writer.transport.abort()
            return
        writer.close()
        try:
            await asyncio.wait_for(writer.wait_closed(), 5.0)
        except asyncio.CancelledError:
            writer.transport.abort()
            raise
        except Exception:  # reset by the peer, or too slow to drain: just drop it
            writer.transport.abort()

    async def _read_request(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        client: tuple[str, int],
        lead: bytes = b"",
    ) -> tuple[HttpRequest | None, bool]:
        try:
            async with asyncio.timeout(self._limits.head_timeout_s):
                head = lead + await reader.readuntil(b"\r\n\r\n")
        except TimeoutError as exc:
            raise _MalformedRequestError(408, "Request head not received in time") from exc
        except asyncio.IncompleteReadError as exc:
            if lead.strip() or exc.partial.strip():
                raise _MalformedRequestError(400, "Incomplete request head") from exc
            return None, False  # clean close between requests
        except asyncio.LimitOverrunError as exc:
            raise _MalformedRequestError(431, "Request header fields too large") from exc
        try:
            text = head.decode("latin-1")
        except UnicodeDecodeError as exc:  # pragma: no cover - latin-1 decodes every byte
            raise _MalformedRequestError(400, "Bad request encoding") from exc
        lines = text.split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3 or not parts[0].isalpha() or not parts[2].startswith("HTTP/1."):
            raise _MalformedRequestError(400, "Malformed request line")
        method, target, version = parts[0].upper(), parts[1], parts[2]
        if version not in ("HTTP/1.0", "HTTP/1.1") or not target:
            raise _MalformedRequestError(400, "Unsupported HTTP version")
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if not line:
                continue
            name, sep, value = line.partition(":")
            if not sep or not name or name != name.strip() or " " in name:
                raise _MalformedRequestError(400, "Malformed header line")
            key = name.lower()
            value = value.strip()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value

        connection = headers.get("connection", "").lower()
        if version == "HTTP/1.0":
            keep_alive = "keep-alive" in connection
        else:
            keep_alive = "close" not in connection

        if headers.get("expect", "").lower() == "100-continue":
            writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        try:
            async with asyncio.timeout(BODY_TIMEOUT_S):
                body = await self._read_body(reader, headers)
        except TimeoutError as exc:
            raise _MalformedRequestError(408, "Request body not received in time") from exc

        if target.startswith(("http://", "https://")):
            split = urlsplit(target)
            raw_path, raw_query = split.path or "/", split.query
        elif target.startswith("/") or target == "*":
            raw_path, _, raw_query = target.partition("?")
            raw_path, _, _ = raw_path.partition("#")
        else:
            raise _MalformedRequestError(400, "Malformed request target")
        query = dict(parse_qsl(raw_query, keep_blank_values=True, errors="replace"))
        request = HttpRequest(
            method=method,
            target=target,
            path=unquote(raw_path, errors="replace"),
            raw_query=raw_query,
            query=query,
            headers=headers,
            body=body,
            client=client,
        )
        return request, keep_alive

    async def _read_body(self, reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
        encoding = headers.get("transfer-encoding", "").lower()
        if encoding:
            if encoding != "chunked":
                raise _MalformedRequestError(501, "Unsupported transfer-encoding")
            return await self._read_chunked(reader)
        raw_length = headers.get("content-length")
        if raw_length is None:
            return b""
        if not raw_length.isdigit():
            raise _MalformedRequestError(400, "Bad Content-Length")
        length = int(raw_length)
        if length > MAX_BODY_BYTES:
            raise _MalformedRequestError(413, "Request body too large")
        return await reader.readexactly(length) if length else b""

    async def _read_chunked(self, reader: asyncio.StreamReader) -> bytes:
        body = bytearray()
        while True:
            try:
                size_line = await reader.readuntil(_CRLF)
            except asyncio.LimitOverrunError as exc:
                raise _MalformedRequestError(400, "Bad chunk header") from exc
            size_text = size_line[:-2].split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError as exc:
                raise _MalformedRequestError(400, "Bad chunk size") from exc
            if size == 0:
                while (await reader.readuntil(_CRLF)) != _CRLF:  # trailers, ignored
                    pass
                return bytes(body)
            if len(body) + size > MAX_BODY_BYTES:
                raise _MalformedRequestError(413, "Request body too large")
            body += await reader.readexactly(size)
            if await reader.readexactly(2) != _CRLF:
                raise _MalformedRequestError(400, "Bad chunk terminator")

    # --- responses ----------------------------------------------------------------------

    async def _respond(
        self,
        request: HttpRequest,
        keep_alive: bool,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> bool:
        """Write the handler's response; returns whether the connection may be reused."""
        try:
            response = await self._handler(request)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s handler failed for %s %s", self._name, request.method, request.path)
            response = HttpResponse(
                500, {"Content-Type": "text/plain; charset=utf-8"}, b"Internal server error\n"
            )
        if response.takeover is not None:
            if response.stream is not None:
                await _aclose(response.stream)
            await response.takeover(writer)
            return False
        keep_alive = keep_alive and not response.close
        head_only = request.method == "HEAD"
        headers = {k.lower(): (k, v) for k, v in response.headers.items()}
        headers.pop("transfer-encoding", None)
        if response.stream is None:
            headers.setdefault("content-length", ("Content-Length", str(len(response.body))))
        else:
            headers.pop("content-length", None)
            headers["transfer-encoding"] = ("Transfer-Encoding", "chunked")
        headers.setdefault("date", ("Date", formatdate(usegmt=True)))
        headers["connection"] = ("Connection", "keep-alive" if keep_alive else "close")
        head = bytearray(status_line(response.status))
        for name, value in headers.values():
            head += f"{name}: {value}\r\n".encode("latin-1", errors="replace")
        head += _CRLF

        if response.stream is None:
            writer.write(bytes(head) if head_only else bytes(head) + response.body)
            await writer.drain()
            return keep_alive
        if head_only:
            await _aclose(response.stream)
            writer.write(bytes(head))
            await writer.drain()
            return keep_alive
        writer.write(bytes(head))
        return await self._send_stream(response.stream, reader, writer) and keep_alive

    async def _send_stream(
        self,
        stream: AsyncIterator[bytes],
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> bool:
        """Pump ``stream`` as chunks; stop early when the client hangs up."""

        async def pump() -> None:
            async for chunk in stream:
                if chunk:
                    writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    await writer.drain()
            writer.write(b"0\r\n\r\n")
            await writer.drain()

        # A live stream may wait a long time for its next chunk; watching the reader is how a
        # hang-up is noticed promptly rather than at the next write.
        pump_task = asyncio.ensure_future(pump())
        watch_task = asyncio.ensure_future(reader.read(1))
        completed = client_spoke = False
        try:
            done, _ = await asyncio.wait(
                {pump_task, watch_task}, return_when=asyncio.FIRST_COMPLETED
            )
            client_spoke = watch_task in done
            if pump_task in done:
                completed = pump_task.exception() is None
        finally:
            for task in (pump_task, watch_task):
                task.cancel()
            await asyncio.gather(pump_task, watch_task, return_exceptions=True)
            await _aclose(stream)
        # Bytes pipelined during the stream went to the watcher; such a socket is not reused.
        return completed and not client_spoke

    async def _write_simple(self, writer: asyncio.StreamWriter, status: int, text: str) -> None:
        body = (text + "\n").encode()
        writer.write(
            status_line(status)
            + b"Content-Type: text/plain; charset=utf-8\r\n"
            + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )
        with contextlib.suppress(ConnectionError):
            await writer.drain()
