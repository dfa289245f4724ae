"""The sandbox's media origin: which streams are live, who may watch them, and the servers.

The API emulator publishes a stream per caster output when a caster starts and unpublishes it when
it stops. The origin serves each one as RTMP (``rtmp://host:P/caster/<name>``), HTTP-FLV
(``/caster/<name>.flv``) and HLS (``/caster/<name>.m3u8``), with ``auth_key`` type A enforced on
every request. All methods run on the sandbox's asyncio loop.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable

from app.sandbox.http import HttpServer
from app.sandbox.listener import ListenerLimits
from app.sandbox.media import auth_key
from app.sandbox.media.hls import HlsPackager
from app.sandbox.media.http_routes import MediaHttpRoutes
from app.sandbox.media.live import PREROLL_S, LiveStream, StopReason, Viewer
from app.sandbox.media.loops import CLOCK_HZ, LoopError
from app.sandbox.media.renditions import DEFAULT_LOOK, LOOKS, RENDITIONS, TIERS, Rendition
from app.sandbox.media.rtmp import PlayRefused, PlayRequest, RtmpServer

log = logging.getLogger(__name__)

APP_NAME = "caster"

__all__ = ["APP_NAME", "RENDITIONS", "TIERS", "MediaOrigin", "Rendition"]


class MediaOrigin:
    """Serves published streams over RTMP, HTTP-FLV and HLS on loopback (or ``host``)."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        http_port: int = 0,
        rtmp_port: int = 0,
        private_key: str,
        url_validity_s: int = 86400,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        limits: ListenerLimits | None = None,
    ) -> None:
        self._host = host
        self._private_key = private_key
        self._validity_s = url_validity_s
        self._clock = clock
        self._wall_clock = wall_clock
        self._streams: dict[str, LiveStream] = {}
        self._next_hls_sequence: dict[str, int] = {}  # so a republished name never goes back
        self.hls = HlsPackager()
        self._routes = MediaHttpRoutes(self)
        self._http = HttpServer(
            self._routes.handle, host=host, port=http_port, name="media", limits=limits
        )
        self._rtmp = RtmpServer(self._on_play, host=host, port=rtmp_port, limits=limits)

    # --- lifecycle --------------------------------------------------------------------------

    async def start(self) -> None:
        await self._http.start()
        try:
            await self._rtmp.start()
        except BaseException:
            await self._http.close()
            raise

    async def close(self) -> None:
        """Stop listening and end every viewer."""
        for stream in self._streams.values():
            stream.stop_viewers(StopReason.CLOSED)
        await self._rtmp.close()
        await self._http.close()

    @property
    def http_port(self) -> int:
        return self._http.port

    @property
    def rtmp_port(self) -> int:
        return self._rtmp.port

    # --- streams ----------------------------------------------------------------------------

    def publish(
        self, stream_name: str, rendition: str, *, on_air_s: float = 0.0, look: str = DEFAULT_LOOK
    ) -> None:
        """Make ``stream_name`` live with ``rendition``'s loop of ``look`` (idempotent: keeps a
        live clock; a live stream changes to ``look`` at its next keyframe).

        ``on_air_s`` starts the clock as if the stream had been live that long already.
        """
        if rendition not in RENDITIONS:
            raise ValueError(f"unknown rendition {rendition!r}")
        if look not in LOOKS:
            raise ValueError(f"unknown look {look!r}")
        current = self._streams.get(stream_name)
        if current is not None:
            if current.rendition != rendition:
                current.stop_viewers(StopReason.UNPUBLISHED)
                current.set_rendition(rendition)
            if current.look != look:
                current.set_look(look)
            return
        epoch = self._clock() - PREROLL_S - on_air_s
        stream = LiveStream(
            stream_name,
            rendition,
            clock=self._clock,
            epoch=epoch,
            hls_seq_base=self._next_hls_sequence.get(stream_name, 0),
            look=look,
        )
        self._streams[stream_name] = stream
        log.debug("published %s (%s)", stream_name, rendition)

    def set_look(self, stream_name: str, look: str) -> float | None:
        """Show ``look`` on the stream from its next keyframe, without disturbing its viewers.

        Returns the media time (seconds since the stream's epoch) at which the change shows, or
        None if the stream is not published.
        """
        if look not in LOOKS:
            raise ValueError(f"unknown look {look!r}")
        stream = self._streams.get(stream_name)
        if stream is None:
            return None
        at = stream.set_look(look)
        log.debug("%s shows %s from %.3f s", stream_name, look, at / CLOCK_HZ)
        return at / CLOCK_HZ

    def unpublish(self, stream_name: str) -> None:
        """End the stream's viewers; from now on it is 404 / StreamNotFound."""
        stream = self._streams.pop(stream_name, None)
        if stream is None:
            return
        stream.stop_viewers(StopReason.UNPUBLISHED)
        with contextlib.suppress(LoopError):
            self._next_hls_sequence[stream_name] = self.hls.next_sequence(stream) + 1
        log.debug("unpublished %s", stream_name)

    def cut(self, stream_name: str, seconds: float) -> None:
        """Drop the stream's viewers now and refuse new ones for ``seconds``; the clock runs on."""
        stream = self._streams.get(stream_name)
        if stream is None:
            return
        stream.cut_until = max(stream.cut_until, self._clock() + seconds)
        stream.stop_viewers(StopReason.CUT)
        log.debug("cut %s for %.1f s", stream_name, seconds)

    def viewer_count(self, stream_name: str) -> int:
        """Current RTMP and HTTP-FLV viewers (HLS is stateless polling and is not counted)."""
        stream = self._streams.get(stream_name)
        return len(stream.viewers) if stream is not None else 0

    def live_stream(self, stream_name: str) -> LiveStream | None:
        """The stream if it is published and not cut right now."""
        stream = self._streams.get(stream_name)
        if stream is None or stream.is_cut():
            return None
        return stream

    # --- URLs and signatures ----------------------------------------------------------------

    def _url_host(self) -> str:
        return "127.0.0.1" if self._host in ("", "0.0.0.0") else self._host

    def sign(self, uri: str) -> str:
        """A fresh ``auth_key`` for ``uri`` (valid from now for ``url_validity_s``)."""
        return auth_key.sign_uri(uri, self._private_key, int(self._wall_clock()))

    def check(self, uri: str, key: str | None) -> auth_key.AuthResult:
        return auth_key.verify(uri, key, self._private_key, self._wall_clock(), self._validity_s)

    def rtmp_url(self, stream_name: str) -> str:
        uri = f"/{APP_NAME}/{stream_name}"
        return f"rtmp://{self._url_host()}:{self.rtmp_port}{uri}?auth_key={self.sign(uri)}"

    def flv_url(self, stream_name: str) -> str:
        uri = f"/{APP_NAME}/{stream_name}.flv"
        return f"http://{self._url_host()}:{self.http_port}{uri}?auth_key={self.sign(uri)}"

    def hls_url(self, stream_name: str) -> str:
        uri = f"/{APP_NAME}/{stream_name}.m3u8"
        return f"http://{self._url_host()}:{self.http_port}{uri}?auth_key={self.sign(uri)}"

    # --- RTMP -------------------------------------------------------------------------------

    def _on_play(self, request: PlayRequest) -> Viewer | PlayRefused:
        uri = f"/{request.app}/{request.stream}"
        verdict = self.check(uri, request.query.get("auth_key"))
        if verdict is not auth_key.AuthResult.OK:
            log.info("RTMP play of %s refused: auth_key %s", uri, verdict.value)
            return PlayRefused("NetStream.Play.Failed", f"Access denied: auth_key {verdict.value}.")
        stream = self.live_stream(request.stream) if request.app == APP_NAME else None
        if stream is None:
            return PlayRefused("NetStream.Play.StreamNotFound", f"No such stream: {uri}.")
        try:
            stream.loop  # noqa: B018 - load (or fail to load) the loop before saying yes
        except LoopError as exc:
            log.error("cannot serve %s: %s", uri, exc)
            return PlayRefused("NetStream.Play.Failed", "The stream is not available.")
        return Viewer(stream)
