"""The shared asyncio HTTP/1.1 server (used by the API emulator and the media origin)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from app.sandbox.http import MAX_BODY_BYTES, HttpRequest, HttpResponse, HttpServer

Scenario = Callable[[HttpServer, list[HttpRequest]], Awaitable[None]]


async def _echo(request: HttpRequest) -> HttpResponse:
    if request.path == "/boom":
        raise RuntimeError("handler bug")
    body = f"{request.method} {request.path} {sorted(request.query.items())} {request.body!r}"
    return HttpResponse(200, {"Content-Type": "text/plain"}, body.encode())


def run(
    scenario: Scenario,
    handler: Callable[[HttpRequest], Awaitable[HttpResponse]] = _echo,
) -> None:
    """Serve ``handler`` on a fresh server for the length of ``scenario``."""

    async def main() -> None:
        seen: list[HttpRequest] = []

        async def recording(request: HttpRequest) -> HttpResponse:
            seen.append(request)
            return await handler(request)

        server = HttpServer(recording)
        await server.start()
        try:
            await asyncio.wait_for(scenario(server, seen), 10)
        finally:
            await server.close()

    asyncio.run(main())


async def _raw(server: HttpServer, data: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(data)
    await writer.drain()
    received = await reader.read()
    writer.close()
    return received


def test_parses_path_query_headers_and_body() -> None:
    async def scenario(server: HttpServer, seen: list[HttpRequest]) -> None:
        async with httpx.AsyncClient() as client:
            url = f"http://127.0.0.1:{server.port}/caster/a%20b.flv?x=1+2&y=%E5%AF%BC&x=3&e="
            response = await client.post(url, content=b"payload", headers={"X-Test": "Yes"})
        assert response.status_code == 200
        request = seen[0]
        assert request.method == "POST" and request.path == "/caster/a b.flv"
        assert request.query == {"x": "3", "y": "导", "e": ""}  # '+' is space, last value wins
        assert request.raw_query == "x=1+2&y=%E5%AF%BC&x=3&e="
        assert request.headers["x-test"] == "Yes" and request.body == b"payload"
        assert request.client[0] == "127.0.0.1"

    run(scenario)


def test_keep_alive_reuses_one_connection() -> None:
    async def scenario(server: HttpServer, seen: list[HttpRequest]) -> None:
        async with httpx.AsyncClient() as client:
            for _ in range(3):
                assert (await client.get(f"http://127.0.0.1:{server.port}/")).status_code == 200
        assert len({r.client for r in seen}) == 1

    run(scenario)


def test_pipelined_requests_are_answered_in_order() -> None:
    async def scenario(server: HttpServer, seen: list[HttpRequest]) -> None:
        data = await _raw(
            server,
            b"GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
            b"GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        assert data.count(b"HTTP/1.1 200 OK") == 2
        assert data.index(b"GET /a") < data.index(b"GET /b")

    run(scenario)


def test_head_sends_headers_only() -> None:
    async def scenario(server: HttpServer, seen: list[HttpRequest]) -> None:
        data = await _raw(server, b"HEAD /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        head, _, body = data.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200 OK")
        assert b"Content-Length: " in head and b"Content-Length: 0" not in head
        assert body == b""

    run(scenario)


def test_http_10_closes_after_the_response() -> None:
    async def scenario(server: HttpServer, seen: list[HttpRequest]) -> None:
        data = await _raw(server, b"GET / HTTP/1.0\r\n\r\n")  # read() returns: server closed
        assert b"Connection: close" in data

    run(scenario)


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"GARBAGE\r\n\r\n", b"400"),
        (b"GET / HTTP/2.0\r\n\r\n", b"400"),
        (b"GET / HTTP/1.1\r\nNoColonHere\r\n\r\n", b"400"),
        (b"GET / HTTP/1.1\r\nContent-Length: abc\r\n\r\n", b"400"),
        (b"GET nowhere HTTP/1.1\r\n\r\n", b"400"),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", b"501"),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", b"400"),
        (b"GET / HTTP/1.1\r\nX-Big: " + b"a" * 40_000 + b"\r\n\r\n", b"431"),
        (b"POST / HTTP/1.1\r\nContent-Length: %d\r\n\r\n" % (MAX_BODY_BYTES + 1), b"413"),
    ],
)
def test_malformed_or_oversized_requests(raw: bytes, status: bytes) -> None:
    async def scenario(server: HttpServer, seen: list[HttpRequest]) -> None:
        data = await _raw(server, raw)
        assert data.startswith(b"HTTP/1.1 " + status), data[:80]
        assert seen == []

    run(scenario)


def test_chunked_request_body_and_expect_continue() -> None:
    async def scenario(server: HttpServer, seen: list[HttpRequest]) -> None:
        data = await _raw(
            server,
            b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            b"Expect: 100-continue\r\nConnection: close\r\n\r\n"
            b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n",
        )
        assert data.startswith(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK")
        assert seen[0].body == b"hello world"

    run(scenario)


def test_a_failing_handler_gives_500_and_the_server_carries_on() -> None:
    async def scenario(server: HttpServer, seen: list[HttpRequest]) -> None:
        async with httpx.AsyncClient() as client:
            assert (await client.get(f"http://127.0.0.1:{server.port}/boom")).status_code == 500
            assert (await client.get(f"http://127.0.0.1:{server.port}/ok")).status_code == 200

    run(scenario)


class _Live:
    """A never-ending stream that records when it is closed."""

    def __init__(self) -> None:
        self.closed = asyncio.Event()

    async def frames(self) -> AsyncIterator[bytes]:
        try:
            for n in range(3):
                yield b"frame%d;" % n
            await asyncio.Event().wait()  # a live stream waiting for its next frame
            yield b"never"
        finally:
            self.closed.set()


def test_streamed_response_is_closed_when_the_viewer_leaves() -> None:
    live = _Live()

    async def handler(request: HttpRequest) -> HttpResponse:
        return HttpResponse(200, {"Content-Type": "video/x-flv"}, stream=live.frames())

    async def scenario(server: HttpServer, seen: list[HttpRequest]) -> None:
        async with (
            httpx.AsyncClient() as client,
            client.stream("GET", f"http://127.0.0.1:{server.port}/live.flv") as response,
        ):
            assert response.headers["transfer-encoding"] == "chunked"
            received = b""
            async for chunk in response.aiter_raw():
                received += chunk
                if received.count(b";") == 3:
                    break
        assert received == b"frame0;frame1;frame2;"
        await asyncio.wait_for(live.closed.wait(), 5)  # noticed without another write

    run(scenario, handler)


def test_close_ends_streaming_and_idle_connections() -> None:
    live = _Live()

    async def handler(request: HttpRequest) -> HttpResponse:
        if request.path == "/live":
            return HttpResponse(200, stream=live.frames())
        return HttpResponse(200, body=b"ok")

    async def main() -> None:
        server = HttpServer(handler)
        await server.start()
        port = server.port
        streaming = await asyncio.open_connection("127.0.0.1", port)
        streaming[1].write(b"GET /live HTTP/1.1\r\nHost: x\r\n\r\n")
        await streaming[0].readuntil(b"frame2;\r\n")
        idle = await asyncio.open_connection("127.0.0.1", port)
        idle[1].write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        await idle[0].readuntil(b"ok")
        assert server.connection_count == 2
        await server.close()
        assert live.closed.is_set() and server.connection_count == 0
        assert await asyncio.wait_for(streaming[0].read(), 5) == b""  # closed by the server
        assert await asyncio.wait_for(idle[0].read(), 5) == b""
        for _, writer in (streaming, idle):
            writer.close()
        with pytest.raises(OSError):
            await asyncio.open_connection("127.0.0.1", port)

    asyncio.run(main())


def test_head_on_a_stream_sends_no_body_and_closes_the_iterator() -> None:
    live = _Live()

    async def handler(request: HttpRequest) -> HttpResponse:
        return HttpResponse(200, stream=live.frames())

    async def scenario(server: HttpServer, seen: list[HttpRequest]) -> None:
        async with httpx.AsyncClient() as client:
            response = await client.head(f"http://127.0.0.1:{server.port}/live.flv")
        assert response.status_code == 200 and response.content == b""

    run(scenario, handler)
