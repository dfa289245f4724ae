"""The sandbox's media origin: which streams are live, who may watch them, and the servers.

The API emulator publishes a stream per caster output when a caster starts and unpublishes it when
it stops. The origin serves each one as RTMP (``rtmp://host:P/caster/<name>``), HTTP-FLV
(``/caster/<name>.flv``) and HLS (``/caster/<name>.m3u8``), with ``auth_key`` type A enforced on
every request. All methods run on the sandbox's asyncio loop.

Media faults (``app.sandbox.media.media_faults``) break chosen outputs: the origin then serves a
*view* of the stream for that format (a twin on the same clock, at another size or black, frozen
or silent), refuses it (``dead``), or signs its URLs to expire early (``expire``).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterable

from app.sandbox.http import HttpServer
from app.sandbox.listener import ListenerLimits
from app.sandbox.media import auth_key
from app.sandbox.media.hls import HlsPackager
from app.sandbox.media.http_routes import MediaHttpRoutes
from app.sandbox.media.live import PREROLL_S, LiveStream, StopReason, Viewer
from app.sandbox.media.loops import CLOCK_HZ, LoopError
from app.sandbox.media.media_faults import WRONG_SIZE, MediaFault, pick
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
        media_faults: Iterable[MediaFault] = (),
    ) -> None:
        self._host = host
        self._faults: list[MediaFault] = list(media_faults)
        # (stream name, format) -> (the fault it shows, the faulty twin serving that format)
        self._views: dict[tuple[str, str], tuple[MediaFault, LiveStream]] = {}
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
                self._drop_views(stream_name, StopReason.UNPUBLISHED)
            if current.look != look:
                self.set_look(stream_name, look)
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
        for (name, _), (_, view) in self._views.items():
            if name == stream_name:
                view.set_look(look, at)
        log.debug("%s shows %s from %.3f s", stream_name, look, at / CLOCK_HZ)
        return at / CLOCK_HZ

    def unpublish(self, stream_name: str) -> None:
        """End the stream's viewers; from now on it is 404 / StreamNotFound."""
        stream = self._streams.pop(stream_name, None)
        if stream is None:
            return
        stream.stop_viewers(StopReason.UNPUBLISHED)
        self._drop_views(stream_name, StopReason.UNPUBLISHED)
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
        for (name, _), (_, view) in self._views.items():
            if name == stream_name:
                view.cut_until = stream.cut_until
                view.stop_viewers(StopReason.CUT)
        log.debug("cut %s for %.1f s", stream_name, seconds)

    def viewer_count(self, stream_name: str) -> int:
        """Current RTMP and HTTP-FLV viewers (HLS is stateless polling and is not counted)."""
        stream = self._streams.get(stream_name)
        if stream is None:
            return 0
        views = (v for (name, _), (_, v) in self._views.items() if name == stream_name)
        return len(stream.viewers) + sum(len(view.viewers) for view in views)

    def live_stream(self, stream_name: str) -> LiveStream | None:
        """The stream if it is published and not cut right now."""
        stream = self._streams.get(stream_name)
        if stream is None or stream.is_cut():
            return None
        return stream

    # --- media faults -----------------------------------------------------------------------

    @property
    def media_faults(self) -> list[MediaFault]:
        return list(self._faults)

    def set_media_faults(self, faults: Iterable[MediaFault]) -> None:
        """Replace the media faults. Viewers of views that no longer apply are dropped."""
        self._faults = list(faults)
        for key, (fault, view) in list(self._views.items()):
            stream = self._streams.get(key[0])
            if (
                stream is None
                or pick(self._faults, stream.rendition, key[1], expire=False) != fault
            ):
                view.stop_viewers(StopReason.UNPUBLISHED)
                del self._views[key]

    def _drop_views(self, stream_name: str, reason: str) -> None:
        for key in [k for k in self._views if k[0] == stream_name]:
            self._views.pop(key)[1].stop_viewers(reason)

    def serving(self, stream_name: str, fmt: str) -> LiveStream | None:
        """What a viewer of ``stream_name`` in ``fmt`` (rtmp, flv, m3u8) gets: the stream, its
        faulty view, or None (not live, cut, or a ``dead`` fault)."""
        stream = self.live_stream(stream_name)
        if stream is None:
            return None
        fault = pick(self._faults, stream.rendition, fmt, expire=False)
        if fault is None:
            return stream
        if fault.kind == "dead":
            return None
        held = self._views.get((stream_name, fmt))
        if held is not None and held[0] == fault:
            return held[1]
        if fault.kind == "wrong-size":
            view = stream.view(WRONG_SIZE[stream.rendition], None)
        else:
            view = stream.view(stream.rendition, fault.kind)
        self._views[(stream_name, fmt)] = (fault, view)
        return view

    # --- URLs and signatures ----------------------------------------------------------------

    def _url_host(self) -> str:
        return "127.0.0.1" if self._host in ("", "0.0.0.0") else self._host

    def sign(self, uri: str, expires_in: int | None = None) -> str:
        """A fresh ``auth_key`` for ``uri``: valid from now for ``url_validity_s``, or until
        ``expires_in`` seconds from now (the timestamp is then set back or ahead to match)."""
        timestamp = int(self._wall_clock())
        if expires_in is not None:
            timestamp += expires_in - self._validity_s
        return auth_key.sign_uri(uri, self._private_key, timestamp)

    @property
    def url_validity_s(self) -> int:
        """The "domain's" validity period: a URL works until its timestamp plus this."""
        return self._validity_s

    def _expiry(self, stream_name: str, fmt: str) -> int | None:
        stream = self._streams.get(stream_name)
        fault = pick(self._faults, stream.rendition, fmt, expire=True) if stream else None
        return None if fault is None else fault.expire_s

    def check(self, uri: str, key: str | None) -> auth_key.AuthResult:
        return auth_key.verify(uri, key, self._private_key, self._wall_clock(), self._validity_s)

    def rtmp_url(self, stream_name: str) -> str:
        uri = f"/{APP_NAME}/{stream_name}"
        key = self.sign(uri, self._expiry(stream_name, "rtmp"))
        return f"rtmp://{self._url_host()}:{self.rtmp_port}{uri}?auth_key={key}"

    def flv_url(self, stream_name: str) -> str:
        uri = f"/{APP_NAME}/{stream_name}.flv"
        key = self.sign(uri, self._expiry(stream_name, "flv"))
        return f"http://{self._url_host()}:{self.http_port}{uri}?auth_key={key}"

    def hls_url(self, stream_name: str) -> str:
        uri = f"/{APP_NAME}/{stream_name}.m3u8"
        key = self.sign(uri, self._expiry(stream_name, "m3u8"))
        return f"http://{self._url_host()}:{self.http_port}{uri}?auth_key={key}"

    # --- RTMP -------------------------------------------------------------------------------

    def _on_play(self, request: PlayRequest) -> Viewer | PlayRefused:
        uri = f"/{request.app}/{request.stream}"
        verdict = self.check(uri, request.query.get("auth_key"))
        if verdict is not auth_key.AuthResult.OK:
            log.info("RTMP play of %s refused: auth_key %s", uri, verdict.value)
            return PlayRefused("NetStream.Play.Failed", f"Access denied: auth_key {verdict.value}.")
        stream = self.serving(request.stream, "rtmp") if request.app == APP_NAME else None
        if stream is None:
            return PlayRefused("NetStream.Play.StreamNotFound", f"No such stream: {uri}.")
        try:
            stream.loop  # noqa: B018 - load (or fail to load) the loop before saying yes
        except LoopError as exc:
            log.error("cannot serve %s: %s", uri, exc)
            return PlayRefused("NetStream.Play.Failed", "The stream is not available.")
        return Viewer(stream)
