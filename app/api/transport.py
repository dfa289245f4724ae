"""The HTTP transport under ``LiveClient``: a time budget per call, and which proxy to use.

httpx's timeouts apply to each socket operation, so a server that trickles its answer a byte
at a time never trips them: one call once took 64 s with a 3 s timeout. Here every socket
operation of a call is clamped to what is left of the call's budget (:func:`deadline`), so
connect, the request and the whole answer together fit in it.

Proxies: signed requests over plain HTTP (only ever to the loopback sandbox) never go through
a proxy variable, which would receive them in clear text. HTTPS keeps honouring
``HTTPS_PROXY``/``ALL_PROXY``/``NO_PROXY``, since enterprises need them.
"""

from __future__ import annotations

import ssl
import threading
import time
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx

_local = threading.local()


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Within this block, this thread's socket operations end ``seconds`` from now at the latest.

    Blocks nest: an inner budget never outlasts the outer one.
    """
    previous: float | None = getattr(_local, "deadline", None)
    ends = time.monotonic() + seconds
    _local.deadline = ends if previous is None else min(previous, ends)
    try:
        yield
    finally:
        _local.deadline = previous


def remaining() -> float | None:
    """Seconds left of this thread's budget, or None outside :func:`deadline`."""
    ends: float | None = getattr(_local, "deadline", None)
    return None if ends is None else ends - time.monotonic()


def _clamp(timeout: float | None, expired: type[Exception]) -> float | None:
    left = remaining()
    if left is None:
        return timeout
    if left <= 0:
        raise expired("the call's time budget ran out")
    return left if timeout is None else min(timeout, left)


class _BudgetStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(
            ssl_context, server_hostname, _clamp(timeout, httpcore.ConnectTimeout)
        )
        return _BudgetStream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _BudgetBackend(httpcore.NetworkBackend):
    """httpcore's own blocking sockets, with every operation clamped to the call's budget."""

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(
            host, port, _clamp(timeout, httpcore.ConnectTimeout), local_address, socket_options
        )
        return _BudgetStream(stream)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_unix_socket(
            path, _clamp(timeout, httpcore.ConnectTimeout), socket_options
        )
        return _BudgetStream(stream)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def proxy_for(url: httpx.URL, environ: Mapping[str, str] | None = None) -> str | None:
    """The proxy that requests to ``url`` use: never one for plain HTTP; else as the env says."""
    if url.scheme != "https":
        return None
    proxies = (
        urllib.request.getproxies_environment()
        if environ is None
        else {
            key[:-6].lower(): value
            for key, value in environ.items()
            if key.lower().endswith("_proxy") and value
        }
    )
    if urllib.request.proxy_bypass_environment(url.host, proxies):  # type: ignore[attr-defined]
        return None
    return proxies.get("https") or proxies.get("all") or None


def proxy_label(proxy: str) -> str:
    """A proxy URL without its user name and password, for the log."""
    try:
        parsed = httpx.URL(proxy if "://" in proxy else f"http://{proxy}")
    except httpx.InvalidURL:
        return "<unreadable proxy setting>"
    return str(parsed.copy_with(username=None, password=None))


def build_transport(url: httpx.URL, proxy: str | None) -> httpx.HTTPTransport:
    """An HTTP transport for ``url`` whose socket operations honour :func:`deadline`.

    ``SSL_CERT_FILE``/``SSL_CERT_DIR`` stay honoured for HTTPS (the user's choice).
    """
    transport = httpx.HTTPTransport(verify=True, trust_env=True, proxy=proxy)
    # httpx 0.28 builds its httpcore pool (direct or proxy) with the default backend; the
    # pool opens connections lazily through this attribute, so swapping it here covers both.
    pool = transport._pool
    assert hasattr(pool, "_network_backend"), "httpx/httpcore changed: see transport.py"
    pool._network_backend = _BudgetBackend()
    return transport
