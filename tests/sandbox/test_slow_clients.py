"""Slow clients (slowloris) cannot starve the sandbox's listeners (issue 9 §6).

Everything runs on loopback, every wait polls against a deadline, and every socket is closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import select
import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from app.api.client import LiveClient
from app.sandbox import Sandbox
from app.sandbox.http import HttpRequest, HttpResponse, HttpServer
from app.sandbox.listener import ListenerLimits
from tests.media.players import RtmpProbe

ATTACKERS = 200
CAP = 64
PARTIAL_HEAD = b"GET /caster/x.m3u8 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "


def _is_open(sock: socket.socket) -> bool:
    """True while the server has neither closed nor answered this connection."""
    try:
        sock.setblocking(False)
        sock.recv(1024)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False  # closed (b"") or answered (408): either way, let go


def _wait_until(predicate: object, timeout: float, what: str) -> float:
    """Poll ``predicate`` (a no-argument callable) until true; return the seconds it took."""
    assert callable(predicate)
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        select.select([], [], [], 0.02)  # a poll interval, not a synchronisation
    return time.monotonic() - started


@contextlib.contextmanager
def _slowloris(port: int, count: int) -> Iterator[list[socket.socket]]:
    """``count`` connections: half send nothing, half a partial head; all closed on exit."""
    socks: list[socket.socket] = []
    try:
        for index in range(count):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            if index % 2:
                sock.sendall(PARTIAL_HEAD)
            socks.append(sock)
        yield socks
    finally:
        for sock in socks:
            sock.close()


def _hls_url(sb: Sandbox) -> str:
    name = sb.stream_names(sb.caster_ids[0], "pgm")[0]
    return sb.call(lambda: sb.media.hls_url(name))


def _rtmp_url(sb: Sandbox) -> str:
    name = sb.stream_names(sb.caster_ids[0], "pgm")[0]
    return sb.call(lambda: sb.media.rtmp_url(name))


def test_clients_are_served_while_200_slow_connections_hold_every_listener() -> None:
    # A head timeout far beyond the test's guards: whatever is served here is served *during*
    # the attack, by eviction, not after the slow connections time out.
    limits = ListenerLimits(head_timeout_s=60.0, max_connections=CAP)
    with Sandbox(limits=limits) as sb:
        hls = _hls_url(sb)
        rtmp_port = sb.rtmp_port
        assert sb.media_http_port is not None and rtmp_port is not None
        ports = (sb.port, sb.media_http_port, rtmp_port)
        with contextlib.ExitStack() as stack:
            attacks = [stack.enter_context(_slowloris(port, ATTACKERS)) for port in ports]
            for socks in attacks:  # the server has taken every one in: at its cap, full
                _wait_until(
                    lambda socks=socks: sum(map(_is_open, socks)) == CAP, 15, "the cap filled"
                )

            started = time.monotonic()
            with LiveClient(sb.signing_key, region_id=sb.region_id, endpoint=sb.endpoint) as c:
                listing = c.describe_all_casters()
            api_s = time.monotonic() - started
            started = time.monotonic()
            playlist = httpx.get(hls, timeout=10)
            hls_s = time.monotonic() - started
            probe = RtmpProbe(_rtmp_url(sb))
            try:
                codes = probe.play(until_media=5)
            finally:
                probe.close()

            assert listing.total == 8
            assert playlist.status_code == 200 and playlist.text.startswith("#EXTM3U")
            assert "NetStream.Play.Start" in codes
            assert api_s < 5 and hls_s < 5, (api_s, hls_s)
            # The attack still holds: each legit connection displaced one slow one, no more.
            for socks in attacks:
                assert sum(map(_is_open, socks)) >= CAP - 2


def test_slow_heads_and_rtmp_setups_are_closed_at_the_deadline_even_when_trickled() -> None:
    limits = ListenerLimits(head_timeout_s=0.5)
    with Sandbox(limits=limits) as sb:
        assert sb.media_http_port is not None and sb.rtmp_port is not None
        # An RTMP client that completes the handshake and then says nothing.
        silent = RtmpProbe(_rtmp_url(sb))
        with (
            contextlib.closing(silent),
            _slowloris(sb.port, 20) as api_socks,
            _slowloris(sb.media_http_port, 20) as media_socks,
            _slowloris(sb.rtmp_port, 10) as rtmp_socks,
        ):
            silent.handshake()
            opened = time.monotonic()
            socks = api_socks + media_socks + rtmp_socks + [silent.sock]
            answers: dict[socket.socket, bytes] = {}
            closed_after: dict[socket.socket, float] = {}
            deadline = opened + 10
            while len(closed_after) < len(socks) and time.monotonic() < deadline:
                pending = [s for s in socks if s not in closed_after]
                for sock in pending:  # one more head byte each round: must not help
                    if sock is not silent.sock:
                        with contextlib.suppress(OSError):
                            sock.send(b"x")
                readable, _, _ = select.select(pending, [], [], 0.05)
                for sock in readable:
                    try:
                        data = sock.recv(4096)
                    except OSError:
                        data = b""
                    answers[sock] = answers.get(sock, b"") + data
                    if not data:
                        closed_after[sock] = time.monotonic() - opened
            assert len(closed_after) == len(socks), "some slow connections were never closed"
            assert all(0.4 <= t < 5 for t in closed_after.values()), sorted(closed_after.values())
            assert all(answers[s].startswith(b"HTTP/1.1 408 ") for s in api_socks + media_socks)
        # The listener still serves once they are gone.
        assert httpx.get(_hls_url(sb), timeout=10).status_code == 200


def test_streams_outlive_the_head_deadline_and_idle_keep_alive_is_closed() -> None:
    limits = ListenerLimits(head_timeout_s=0.3, idle_timeout_s=0.5)
    with Sandbox(limits=limits) as sb:
        name = sb.stream_names(sb.caster_ids[0], "pgm")[0]
        flv = sb.call(lambda: sb.media.flv_url(name))
        probe = RtmpProbe(_rtmp_url(sb))
        try:
            assert "NetStream.Play.Start" in probe.play()
            with httpx.stream("GET", flv, timeout=10) as response:
                assert response.status_code == 200
                received = 0
                started = time.monotonic()
                for chunk in response.iter_raw():  # ~5 head deadlines of live video
                    received += len(chunk)
                    if time.monotonic() - started > 1.5:
                        break
                assert time.monotonic() - started > 1.5 and received > 0
            # The RTMP viewer, set up before the FLV one, still receives media after it.
            media_after = 0
            while media_after < 5:
                kind, _, _ = probe.read_message()
                media_after += kind in (8, 9)
            assert time.monotonic() - started > 1.5
        finally:
            probe.close()

        # An idle keep-alive connection is closed quietly after the idle timeout.
        with socket.create_connection(("127.0.0.1", sb.port), timeout=5) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            first = sock.recv(65536)
            assert first.startswith(b"HTTP/1.1 ")
            idle_started = time.monotonic()
            sock.settimeout(5)
            rest = b""
            while chunk := sock.recv(65536):
                rest += chunk
            idle_s = time.monotonic() - idle_started
            assert 0.4 <= idle_s < 4 and b"408" not in rest


def test_the_cap_refuses_promptly_when_every_slot_is_busy_then_serves_again() -> None:
    async def scenario() -> None:
        release = asyncio.Event()
        all_busy = asyncio.Event()
        in_handler: list[HttpRequest] = []

        async def handler(request: HttpRequest) -> HttpResponse:
            if request.path == "/hold":
                in_handler.append(request)
                if len(in_handler) == 4:
                    all_busy.set()
                await release.wait()
            return HttpResponse(200, {}, b"ok")

        server = HttpServer(handler, limits=ListenerLimits(head_timeout_s=30, max_connections=4))
        await server.start()
        streams: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

        async def connect(data: bytes) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
            pair = await asyncio.open_connection("127.0.0.1", server.port)
            pair[1].write(data)
            streams.append(pair)
            return pair

        try:
            # Slow connections are displaced, oldest first, and the newcomer is served.
            slow = [await connect(b"GET / HT") for _ in range(4)]
            reader, _ = await connect(b"GET /now HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = await asyncio.wait_for(reader.readuntil(b"ok"), 5)
            assert answer.startswith(b"HTTP/1.1 200 ")
            assert await asyncio.wait_for(slow[0][0].read(), 5) == b""
            assert server.evicted_count == 1

            # Four busy requests fill every slot: a fifth is told 503 with Retry-After, at once.
            busy = [await connect(b"GET /hold HTTP/1.1\r\nHost: x\r\n\r\n") for _ in range(4)]
            await asyncio.wait_for(all_busy.wait(), 5)
            started = time.monotonic()
            reader, _ = await connect(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            refused = await asyncio.wait_for(reader.read(), 5)
            assert refused.startswith(b"HTTP/1.1 503 ") and b"Retry-After: 1\r\n" in refused
            assert time.monotonic() - started < 2
            assert server.refused_count == 1

            # Once the busy ones are done, new connections are served again.
            release.set()
            for reader, _ in busy:
                assert (await asyncio.wait_for(reader.readuntil(b"ok"), 5)).startswith(
                    b"HTTP/1.1 200 "
                )
            async with httpx.AsyncClient() as client:
                response = await client.get(f"http://127.0.0.1:{server.port}/", timeout=5)
            assert response.status_code == 200
        finally:
            for _, writer in streams:
                writer.transport.abort()
            await server.close()
        assert server.connection_count == 0

    asyncio.run(scenario())


@pytest.mark.parametrize("bad", [0, -1])
def test_limits_are_validated(bad: int) -> None:
    with pytest.raises(ValueError):
        ListenerLimits(max_connections=bad)
    with pytest.raises(ValueError):
        ListenerLimits(head_timeout_s=bad)
