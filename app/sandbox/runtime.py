"""The in-process sandbox: one asyncio loop on one background thread hosting the API emulator
and the media origin.

    with Sandbox() as sb:
        client = LiveClient(endpoint=sb.endpoint, key=sb.signing_key, region_id=sb.region_id)

Every public method may be called from any thread; state lives on the loop thread and is reached
through :meth:`Sandbox.call`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from app.api.signing import SigningKey
from app.sandbox.actions import caster_json
from app.sandbox.api import ApiService, RequestRecord
from app.sandbox.faults import FaultInjector, FaultRule
from app.sandbox.gateway import Credential, Gateway
from app.sandbox.http import HttpServer
from app.sandbox.listener import ListenerLimits
from app.sandbox.media.media_faults import MediaFault, parse_media_fault
from app.sandbox.ratelimit import RateLimiter
from app.sandbox.seed import generated_caster, seed_casters
from app.sandbox.state import Caster, CasterStore, Studio
from app.sandbox.streams import MediaBackend, UrlOnlyMedia

if TYPE_CHECKING:
    from app.sandbox.media.origin import MediaOrigin

log = logging.getLogger(__name__)
T = TypeVar("T")

# Well-known demo credentials: they only ever open this sandbox.
ACCESS_KEY_ID = "LTAI5tCasterDeskSandbox1"
ACCESS_KEY_SECRET = "SandboxSecretCasterDesk0000001"
STS_ACCESS_KEY_ID = "STS.NSandboxCasterDeskTemp01"
STS_ACCESS_KEY_SECRET = "SandboxStsSecretCasterDesk0001"
STS_SECURITY_TOKEN = "CAISsandbox+casterdesk/STS/token==demo"
REGION_ID = "cn-shanghai"
MEDIA_PRIVATE_KEY = "casterdesk-sandbox-auth-key"
# The sandbox streaming "domain's" URL validity period: a play URL works until its auth_key
# timestamp plus this. Clients cannot read it from the caster API (nor can they on Alibaba Cloud).
URL_VALIDITY_S = 86400
STARTUP_TIMEOUT_S = 30.0


class Sandbox:
    """A local stand-in for Alibaba Cloud's Live caster API and its streams.

    ``casters``: extra generated casters on top of the seed set. ``faults``: initial fault rules
    (``FaultRule`` objects or ``--fault`` strings). ``rate_limits``: True for the real limits,
    False for none, or a mapping of per-action overrides. ``media``: serve real streams (True)
    or only sign URLs on an unreachable host (False, faster, no video). ``limits``: head and
    idle timeouts and the connection cap of each listener (API, HTTP media, RTMP).
    ``media_faults``: outputs to break (``MediaFault`` objects or ``--media-fault`` strings such as
    ``"lhd/flv:dead"``; see ``app.sandbox.media.media_faults``); change them later with
    :meth:`set_media_faults`. ``region_id``: the one region whose casters it serves (another
    region finds none; a region without casters fails Caster Desk's preflight).
    """

    def __init__(
        self,
        casters: int = 0,
        faults: Iterable[FaultRule | str] | None = None,
        rate_limits: bool | Mapping[str, float] = True,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        media: bool = True,
        media_http_port: int = 0,
        rtmp_port: int = 0,
        seed_streaming: bool = True,
        fault_seed: int | None = None,
        limits: ListenerLimits | None = None,
        media_faults: Iterable[MediaFault | str] = (),
        region_id: str = REGION_ID,
    ) -> None:
        if casters < 0:
            raise ValueError("casters must be >= 0")
        self._media_faults = [
            f if isinstance(f, MediaFault) else parse_media_fault(f) for f in media_faults
        ]
        self._host = host
        self._port = port
        self._use_media = media
        self._media_http_port = media_http_port
        self._rtmp_port = rtmp_port
        self._limits = limits or ListenerLimits()
        self._clock_offset = 0.0

        seeds = seed_casters()
        self._store = CasterStore(s.caster for s in seeds)
        for index in range(1, casters + 1):
            self._store.add(generated_caster(index))
        self._boot_streaming = [
            (s.caster.caster_id, s.streaming_for_s) for s in seeds if s.streaming and seed_streaming
        ]
        self.faults = FaultInjector(list(faults or []), seed=fault_seed)
        overrides = rate_limits if isinstance(rate_limits, Mapping) else None
        self.rate_limits = RateLimiter(overrides, enabled=rate_limits is not False)
        self.gateway = Gateway(
            [
                Credential(ACCESS_KEY_ID, ACCESS_KEY_SECRET),
                Credential(STS_ACCESS_KEY_ID, STS_ACCESS_KEY_SECRET, STS_SECURITY_TOKEN),
            ],
            clock=self.now,
        )
        self.access_key_id = ACCESS_KEY_ID
        self.access_key_secret = ACCESS_KEY_SECRET
        self.region_id = region_id

        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._http: HttpServer | None = None
        self._media: MediaBackend | None = None
        self._origin: MediaOrigin | None = None
        self._service: ApiService | None = None
        self._studio: Studio | None = None
        self._boot_error: BaseException | None = None

    # --- lifecycle ----------------------------------------------------------------------

    def start(self) -> Sandbox:
        """Start serving; returns once the API and media servers are listening."""
        if self._thread is not None:
            raise RuntimeError("the sandbox is already running")
        ready = threading.Event()
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(
            target=self._run, args=(loop, ready), name="casterdesk-sandbox", daemon=True
        )
        self._thread.start()
        if not ready.wait(STARTUP_TIMEOUT_S):
            self.stop()
            raise RuntimeError("the sandbox did not start in time")
        if self._boot_error is not None:
            error = self._boot_error
            self._thread.join()
            self._thread = None
            self._loop = None
            raise RuntimeError(f"the sandbox could not start: {error}") from error
        return self

    def stop(self) -> None:
        """Stop both servers, close every connection and end the thread. Idempotent."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        if thread.is_alive():
            with contextlib.suppress(RuntimeError):  # loop already closed
                loop.call_soon_threadsafe(loop.stop)
            thread.join()
        self._thread = None
        self._loop = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self, loop: asyncio.AbstractEventLoop, ready: threading.Event) -> None:
        asyncio.set_event_loop(loop)
        try:
            try:
                loop.run_until_complete(self._boot())
            except BaseException as exc:  # reported to start() on the caller's thread
                self._boot_error = exc
                loop.run_until_complete(self._shutdown())
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._shutdown())
        finally:
            try:
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.run_until_complete(loop.shutdown_default_executor())
            finally:
                asyncio.set_event_loop(None)
                loop.close()
                ready.set()

    async def _boot(self) -> None:
        if self._use_media:
            from app.sandbox.media.origin import MediaOrigin  # noqa: PLC0415

            origin = MediaOrigin(
                host=self._host,
                http_port=self._media_http_port,
                rtmp_port=self._rtmp_port,
                private_key=MEDIA_PRIVATE_KEY,
                url_validity_s=URL_VALIDITY_S,
                limits=self._limits,
                media_faults=self._media_faults,
            )
            self._origin = origin
            await origin.start()
            self._media = origin
        else:
            self._media = UrlOnlyMedia(private_key=MEDIA_PRIVATE_KEY)
        self._studio = Studio(self._store, self._media)
        self._service = ApiService(
            gateway=self.gateway,
            limiter=self.rate_limits,
            faults=self.faults,
            studio=self._studio,
            region_id=self.region_id,
            clock=self.now,
        )
        self._http = HttpServer(
            self._service.handle, host=self._host, port=self._port, name="api", limits=self._limits
        )
        await self._http.start()
        now = self.now()
        for caster_id, on_air_for in self._boot_streaming:
            caster = self._store.get(caster_id)
            if caster is not None and caster.status == 0:
                self._studio.start(caster, now, started_at=now - on_air_for)

    async def _shutdown(self) -> None:
        if self._http is not None:
            await self._http.close()
        if self._origin is not None:
            await self._origin.close()
        # Whatever is still pending (a slow-body fault, a latency sleep) goes now.
        current = asyncio.current_task()
        pending = [t for t in asyncio.all_tasks() if t is not current]
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)

    # --- addresses and credentials ------------------------------------------------------

    @property
    def port(self) -> int:
        if self._http is None:
            raise RuntimeError("the sandbox is not running")
        return self._http.port

    @property
    def endpoint(self) -> str:
        """``http://127.0.0.1:PORT`` (the API; no trailing slash)."""
        host = "127.0.0.1" if self._host in ("0.0.0.0", "") else self._host
        return f"http://{host}:{self.port}"

    @property
    def media_http_port(self) -> int | None:
        """The HTTP-FLV / HLS port of the media origin (None when ``media=False``)."""
        return None if self._origin is None else self._origin.http_port

    @property
    def rtmp_port(self) -> int | None:
        """The RTMP port of the media origin (None when ``media=False``)."""
        return None if self._origin is None else self._origin.rtmp_port

    @property
    def signing_key(self) -> SigningKey:
        return SigningKey(self.access_key_id, self.access_key_secret)

    @property
    def sts_key(self) -> SigningKey:
        """A temporary (STS) credential the sandbox accepts, with its security token."""
        return SigningKey(STS_ACCESS_KEY_ID, STS_ACCESS_KEY_SECRET, STS_SECURITY_TOKEN)

    @property
    def caster_ids(self) -> list[str]:
        """Every caster id, seed casters first, then generated ones (stable across runs)."""
        return self._store.ids

    @property
    def media(self) -> MediaBackend:
        """The media origin (or URL-only stand-in). Call it on the loop: ``sb.call(...)``."""
        if self._media is None:
            raise RuntimeError("the sandbox is not running")
        return self._media

    @property
    def url_validity_s(self) -> int:
        """How long after its ``auth_key`` timestamp a play URL works (the domain setting)."""
        return URL_VALIDITY_S

    @property
    def media_faults(self) -> list[MediaFault]:
        return list(self._media_faults)

    def set_media_faults(self, faults: Iterable[MediaFault | str]) -> None:
        """Replace the media faults (``[]`` heals every output). Takes effect for new viewers
        and newly signed URLs; viewers of outputs whose fault changed are dropped."""
        parsed = [f if isinstance(f, MediaFault) else parse_media_fault(f) for f in faults]
        self._media_faults = parsed
        if self._origin is not None and self.running:
            origin = self._origin
            self.call(lambda: origin.set_media_faults(parsed))

    # --- clock --------------------------------------------------------------------------

    def now(self) -> float:
        """The sandbox's clock (epoch seconds): wall time plus :attr:`clock_offset`."""
        return time.time() + self._clock_offset

    @property
    def clock_offset(self) -> float:
        return self._clock_offset

    @clock_offset.setter
    def clock_offset(self, seconds: float) -> None:
        """Skew the server clock, e.g. 3600 to make every client timestamp look stale."""
        self._clock_offset = float(seconds)

    # --- inspection and control from tests ----------------------------------------------

    def call(self, fn: Callable[..., T], *args: Any, timeout: float = 10.0) -> T:
        """Run ``fn(*args)`` on the sandbox loop and return its result."""
        loop = self._loop
        if loop is None or not self.running:
            raise RuntimeError("the sandbox is not running")

        async def run() -> T:
            return fn(*args)

        return asyncio.run_coroutine_threadsafe(run(), loop).result(timeout)

    def request_count(self, action: str | None = None) -> int:
        """Requests received for ``action`` (all actions if None), whatever their outcome."""
        return self._service_or_fail().request_count(action)

    def requests(self, action: str | None = None) -> list[RequestRecord]:
        """The most recent requests (up to 2000) as the sandbox saw them."""
        return self._service_or_fail().records(action)

    def reset_request_counts(self) -> None:
        self._service_or_fail().reset_counts()

    def cut_stream(self, caster_id: str, seconds: float, scene: str | None = "pgm") -> list[str]:
        """Drop viewers of a caster's streams and refuse them for ``seconds``, then resume.

        ``scene``: ``"pgm"`` (program and its four tiers), ``"pvw"``, or None for all.
        Returns the stream names cut.
        """
        if scene not in ("pgm", "pvw", None):
            raise ValueError('scene must be "pgm", "pvw" or None')
        return self.call(
            lambda: self._studio_or_fail().cut(self._caster(caster_id), seconds, scene)
        )

    def caster(self, caster_id: str) -> dict[str, Any]:
        """The caster as DescribeCasters would show it now."""
        return self.call(lambda: caster_json(self._caster(caster_id), self.now()))

    def stream_names(self, caster_id: str, scene: str | None = None) -> list[str]:
        return self.call(lambda: self._caster(caster_id).stream_names(scene))

    def start_caster(self, caster_id: str) -> None:
        """Start a caster behind the client's back (as the web console would)."""
        self.call(lambda: self._studio_or_fail().start(self._caster(caster_id), self.now()))

    def stop_caster(self, caster_id: str) -> None:
        """Stop a caster behind the client's back (as the web console would)."""
        self.call(lambda: self._studio_or_fail().stop(self._caster(caster_id), self.now()))

    def _caster(self, caster_id: str) -> Caster:
        caster = self._store.get(caster_id)
        if caster is None:
            raise KeyError(caster_id)
        return caster

    def _service_or_fail(self) -> ApiService:
        if self._service is None:
            raise RuntimeError("the sandbox has not been started")
        return self._service

    def _studio_or_fail(self) -> Studio:
        if self._studio is None:
            raise RuntimeError("the sandbox has not been started")
        return self._studio
