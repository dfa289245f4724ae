"""The media origin's HTTP side: HTTP-FLV live streams, HLS playlists and segments.

``/caster/<name>.flv``, ``/caster/<name>.m3u8`` and ``/caster/<name>/<seq>.ts``, each with its
own ``auth_key`` over its own path: 403 when the key is wrong or expired, 404 when the stream is
not live (stopped, never started, or cut right now).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

from app.sandbox.http import HttpRequest, HttpResponse
from app.sandbox.media import flv
from app.sandbox.media.auth_key import AuthResult
from app.sandbox.media.live import LiveStream, StopReason, Viewer
from app.sandbox.media.loops import LoopError

if TYPE_CHECKING:
    from app.sandbox.media.origin import MediaOrigin

_Serve = Callable[[LiveStream], HttpResponse]

_PREFIX = "/caster/"
_SEGMENT = re.compile(r"^(?P<name>[^/]+)/(?P<seq>\d{1,12})\.ts$")
_NO_CACHE = {"Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*"}


class StreamCutError(Exception):
    """Ends an HTTP-FLV response without its final chunk: the viewer sees a dropped link."""


def _text(status: int, message: str) -> HttpResponse:
    return HttpResponse(
        status, {"Content-Type": "text/plain; charset=utf-8"}, (message + "\n").encode()
    )


class MediaHttpRoutes:
    """The HTTP request handler of a ``MediaOrigin``."""

    def __init__(self, origin: MediaOrigin) -> None:
        self._origin = origin

    async def handle(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            response = _text(405, "Method not allowed")
            response.headers["Allow"] = "GET, HEAD"
            return response
        path = request.path
        if not path.startswith(_PREFIX):
            return _text(404, "Not found")
        rest = path[len(_PREFIX) :]
        if rest.endswith(".flv") and "/" not in rest:
            return self._guarded(request, rest[: -len(".flv")], "flv", self._flv)
        if rest.endswith(".m3u8") and "/" not in rest:
            return self._guarded(request, rest[: -len(".m3u8")], "m3u8", self._playlist)
        match = _SEGMENT.match(rest)
        if match is not None:
            sequence = int(match["seq"])
            return self._guarded(
                request, match["name"], "m3u8", lambda stream: self._segment(stream, sequence)
            )
        return _text(404, "Not found")

    def _guarded(self, request: HttpRequest, name: str, fmt: str, serve: _Serve) -> HttpResponse:
        verdict = self._origin.check(request.path, request.query.get("auth_key"))
        if verdict is not AuthResult.OK:
            return _text(403, f"Forbidden: auth_key {verdict.value}")
        stream = self._origin.serving(name, fmt) if name else None
        if stream is None:
            return _text(404, "Stream not found")
        try:
            stream.loop  # noqa: B018 - load the loop (or fail) before promising a stream
        except LoopError:
            return _text(503, "Stream not available")
        return serve(stream)

    def _flv(self, stream: LiveStream) -> HttpResponse:
        headers = {"Content-Type": "video/x-flv", **_NO_CACHE}
        return HttpResponse(200, headers, stream=_flv_body(stream))

    def _playlist(self, stream: LiveStream) -> HttpResponse:
        origin = self._origin

        def segment_uri(sequence: int) -> str:
            name = f"{stream.name}/{sequence}.ts"
            return f"{name}?auth_key={origin.sign(_PREFIX + name)}"

        body = origin.hls.playlist(stream, segment_uri).encode()
        return HttpResponse(
            200, {"Content-Type": "application/vnd.apple.mpegurl", **_NO_CACHE}, body
        )

    def _segment(self, stream: LiveStream, sequence: int) -> HttpResponse:
        data = self._origin.hls.segment(stream, sequence)
        if data is None:
            return _text(404, "Segment not available")
        return HttpResponse(
            200, {"Content-Type": "video/mp2t", "Access-Control-Allow-Origin": "*"}, data
        )


async def _flv_body(stream: LiveStream) -> AsyncIterator[bytes]:
    """An HTTP-FLV viewer. The viewer exists only while the server iterates this."""
    viewer = Viewer(stream)
    try:
        loop = stream.loop
        yield (
            flv.file_header()
            + flv.tag(flv.TAG_SCRIPT, 0, flv.metadata_body(loop.metadata))
            + flv.tag(flv.TAG_VIDEO, 0, loop.video_header)
            + flv.tag(flv.TAG_AUDIO, 0, loop.audio_header)
        )
        async for batch in viewer.batches():
            yield b"".join(flv.tag(s.tag_type, ms, s.tag_body) for ms, s in batch)
        if viewer.stop_reason in (StopReason.CUT, StopReason.TOO_SLOW):
            raise StreamCutError(stream.name)
    finally:
        viewer.stop(StopReason.CLOSED)
