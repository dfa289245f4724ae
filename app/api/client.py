"""``LiveClient``: signed calls to the ApsaraVideo Live caster API over one keep-alive connection.

Blocking by design: the GUI calls it from worker threads, the CLI directly. Describe* calls
retry on transient failures; StartCaster and StopCaster never retry blindly and instead
re-read the caster's state when their outcome is unknown.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import math
import re
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from app.api.errors import (
    ApiError,
    ConfigurationError,
    LiveError,
    NetworkError,
    OutcomeUnknownError,
    ProtocolError,
    RequestTimeoutError,
    SceneNotChangedError,
    StandbyUnconfirmedError,
    StateConfirmedError,
    TransportError,
)
from app.api.models import (
    Caster,
    CasterConfig,
    CasterLayouts,
    CasterList,
    CasterPage,
    CasterScenes,
    CasterStreamUrls,
    CasterVideoResources,
    SceneChange,
    StartResult,
)
from app.api.ratelimit import ACTION_QPS, SlidingWindowLimiter
from app.api.retry import NO_RETRY, RetryPolicy, is_retryable
from app.api.signing import SignatureVersion, SigningKey, sign_v1, sign_v3
from app.api.transport import build_transport, deadline, proxy_for, proxy_label, remaining

log = logging.getLogger("casterdesk.api")

T = TypeVar("T")


def _raw(data: dict[str, Any]) -> dict[str, Any]:
    return data


API_VERSION = "2016-11-01"
DEFAULT_ENDPOINT = "live.aliyuncs.com"
DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
MAX_BODY_BYTES = 4 * 1024 * 1024  # a full DescribeCasters page is ~100 KB
DEFAULT_PAGE_SIZE = 100
# More casters than any account has (the console pages 10 at a time); a server that claims more
# is stopped here so a lying Total cannot fetch pages without end.
MAX_CASTERS = 100_000
# A RequestId read from a body that is not valid JSON, so even a broken answer can be traced.
_REQUEST_ID = re.compile(rb'"RequestId"\s*:\s*"([0-9A-Za-z-]{1,64})"')


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One attempt on the wire, for the status bar and the event log (no secrets in it)."""

    action: str
    attempt: int
    elapsed_ms: float
    http_status: int | None
    request_id: str | None
    error_code: str | None


@dataclass(frozen=True, slots=True)
class StopResult:
    """StopCaster's outcome: its RequestId, or the read that confirmed the stop instead."""

    request_id: str
    confirmed_by: str = ""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def normalize_endpoint(endpoint: str) -> httpx.URL:
    """``live.aliyuncs.com`` → ``https://live.aliyuncs.com``; plain HTTP only on loopback."""
    raw = endpoint.strip()
    if "://" not in raw:
        raw = "https://" + raw
    try:
        url = httpx.URL(raw)
    except httpx.InvalidURL as exc:
        raise ConfigurationError(
            f"The endpoint {endpoint!r} is not a valid address.",
            "Use a host name such as live.aliyuncs.com.",
            detail_zh=f"接入地址 {endpoint!r} 无效。",
            fix_zh="请使用类似 live.aliyuncs.com 的主机名。",
        ) from exc
    if url.scheme not in ("https", "http") or not url.host:
        raise ConfigurationError(
            f"The endpoint {endpoint!r} is not an HTTPS address.",
            "Use a host name such as live.aliyuncs.com.",
            detail_zh=f"接入地址 {endpoint!r} 不是 HTTPS 地址。",
            fix_zh="请使用类似 live.aliyuncs.com 的主机名。",
        )
    if url.scheme == "http" and not _is_loopback(url.host):
        raise ConfigurationError(
            f"Refusing to send signed requests over plain HTTP to {url.host}.",
            "Use https:// (plain http:// is only allowed for the local sandbox on 127.0.0.1).",
            detail_zh=f"拒绝通过明文 HTTP 向 {url.host} 发送签名请求。",
            fix_zh="请使用 https://（明文 http:// 仅允许用于本机 127.0.0.1 上的沙箱）。",
        )
    return url.copy_with(path="/", query=None, fragment=None)


def is_alibaba_host(host: str) -> bool:
    """True for Alibaba Cloud's own API hosts (``*.aliyuncs.com``)."""
    host = host.lower().rstrip(".")
    return host == "aliyuncs.com" or host.endswith(".aliyuncs.com")


def _host_header(url: httpx.URL) -> str:
    default_port = {"http": 80, "https": 443}[url.scheme]
    host = f"[{url.host}]" if ":" in url.host else url.host
    return host if url.port in (None, default_port) else f"{host}:{url.port}"


class LiveClient:
    """A client for the caster actions of the Live API (product ``live``, 2016-11-01).

    One instance owns one ``httpx.Client`` (keep-alive, TLS verified). It is safe to call from
    several threads at once; ``describe_all_casters`` does so itself.
    """

    def __init__(
        self,
        key: SigningKey,
        *,
        region_id: str,
        endpoint: str = DEFAULT_ENDPOINT,
        signature_version: SignatureVersion = "v3",
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        on_call: Callable[[CallRecord], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._key = key
        self.region_id = region_id
        self.url = normalize_endpoint(endpoint)
        # The whole call (connect, request, full answer) fits in this; the per-operation
        # timeouts below still apply inside it.
        budget = timeout.read if isinstance(timeout, httpx.Timeout) else timeout
        self.call_budget_s: float = budget or 10.0
        self.signature_version: SignatureVersion = signature_version
        self.retry = retry or RetryPolicy()
        # Spacing of the re-reads after an unclear StartCaster/StopCaster (see _settled_state),
        # and their own budget: with the call's, an unclear Start ends within ~3x the timeout.
        self.settle_delays_s: tuple[float, ...] = (0.5, 1.0, 2.0)
        self.reread_budget_s = 2 * self.call_budget_s
        self._on_call = on_call
        self._sleep = sleep
        # The last answer's ``Date`` header and this computer's clock when it arrived, for the
        # clock-skew check before Start (the gateway refuses requests 15 min off).
        self.last_server_date: tuple[str, float] | None = None
        self._host = _host_header(self.url)
        self._limiters = {
            action: SlidingWindowLimiter(qps, sleep=sleep) for action, qps in ACTION_QPS.items()
        }
        self.proxy = proxy_for(self.url) if transport is None else None
        if self.proxy:
            log.info("requests to %s go through the proxy %s", self._host, proxy_label(self.proxy))
        self._http = httpx.Client(
            timeout=timeout
            if isinstance(timeout, httpx.Timeout)
            else httpx.Timeout(timeout, connect=min(5.0, timeout)),
            transport=transport or build_transport(self.url, self.proxy),
            # The transport above made the proxy choice; the environment must not add one
            # (a plain-HTTP endpoint through HTTP_PROXY would leak the signed request).
            trust_env=False,
            verify=True,
            headers={"user-agent": "CasterDesk (httpx)", "accept": "application/json"},
            follow_redirects=False,
        )

    @property
    def endpoint(self) -> str:
        return str(self.url).rstrip("/")

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> LiveClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- wire ------------------------------------------------------------------------

    def _sign(
        self, action: str, params: Mapping[str, str]
    ) -> tuple[dict[str, str], dict[str, str]]:
        if self.signature_version == "v1":
            signed = sign_v1(action=action, version=API_VERSION, params=params, key=self._key)
        else:
            signed = sign_v3(
                action=action, version=API_VERSION, params=params, key=self._key, host=self._host
            )
        return signed.query, signed.headers

    def _attempt(
        self,
        action: str,
        params: Mapping[str, str],
        attempt: int,
        parse: Callable[[dict[str, Any]], T],
    ) -> T:
        # A fresh nonce and timestamp for every attempt: a reused nonce is refused.
        query, headers = self._sign(action, params)
        started = time.perf_counter()
        status: int | None = None
        request_id: str | None = None
        error_code: str | None = None
        try:
            with self._http.stream("POST", self.url, params=query, headers=headers) as response:
                status = response.status_code
                request_id = response.headers.get("x-acs-request-id")
                server_date = response.headers.get("date")
                if server_date:
                    self.last_server_date = (server_date, time.time())
                body = self._read_limited(response)
            data = self._decode(body, status, request_id)
            request_id = (
                data.get("RequestId") if isinstance(data.get("RequestId"), str) else request_id
            )
            if status >= 400:
                error = self._api_error(action, data, status, request_id)
                error_code = error.code if isinstance(error, ApiError) else None
                raise error
            if not request_id:  # every answer of the real API carries one
                raise ProtocolError(
                    f"HTTP {status} with an answer that is not the API's (no RequestId)",
                    http_status=status,
                    maybe_processed=True,
                )
            try:
                return parse(data)
            except ProtocolError as exc:  # the body is JSON but not the shape the action has
                exc.http_status, exc.request_id, exc.maybe_processed = status, request_id, True
                raise
        except LiveError as exc:
            error_code = error_code or type(exc).__name__
            exc.action = exc.action or action
            raise
        except httpx.TimeoutException as exc:
            error_code = "Timeout"
            sent = not isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout)
            raise RequestTimeoutError(
                f"no whole answer from {self._host} within the timeout ({type(exc).__name__})",
                maybe_processed=sent,
                action=action,
            ) from exc
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            error_code = "ConnectionBroken"
            if status is not None:  # the head arrived, the body broke off: a truncated answer
                raise ProtocolError(
                    f"the answer from {self._host} was cut off ({exc})",
                    http_status=status,
                    request_id=request_id,
                    maybe_processed=True,
                    action=action,
                ) from exc
            raise NetworkError(
                f"the connection to {self._host} broke ({exc})", maybe_processed=True, action=action
            ) from exc
        except httpx.TransportError as exc:
            error_code = "NetworkError"
            raise NetworkError(
                f"could not connect to {self._host} ({type(exc).__name__}: {exc})",
                maybe_processed=False,
                action=action,
            ) from exc
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            log.debug(
                "%s attempt=%d status=%s request_id=%s %.0fms%s",
                action,
                attempt,
                status,
                request_id,
                elapsed,
                f" error={error_code}" if error_code else "",
            )
            if self._on_call:
                self._on_call(CallRecord(action, attempt, elapsed, status, request_id, error_code))

    @staticmethod
    def _read_limited(response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            raise ProtocolError(
                f"the answer is too large ({int(declared)} bytes)",
                http_status=response.status_code,
                maybe_processed=True,
            )
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise ProtocolError(
                    f"the answer is larger than {MAX_BODY_BYTES} bytes",
                    http_status=response.status_code,
                    maybe_processed=True,
                )
            chunks.append(chunk)
        return b"".join(chunks)

    @staticmethod
    def _decode(body: bytes, status: int, request_id: str | None) -> dict[str, Any]:
        snippet = body[:120].decode("utf-8", "replace").strip()
        try:
            data = json.loads(body.decode("utf-8"))
        except (ValueError, RecursionError) as exc:
            # ValueError covers bad UTF-8, bad JSON and integers past Python's 4,300 digits.
            if not body:
                what = "an empty answer"
            elif isinstance(exc, json.JSONDecodeError | UnicodeDecodeError | RecursionError):
                what = f"not JSON: {snippet!r}"
            else:
                what = "a number too long to be real"
            found = _REQUEST_ID.search(body)
            raise ProtocolError(
                f"HTTP {status} with {what}",
                http_status=status,
                request_id=request_id or (found[1].decode() if found else None),
                maybe_processed=True,
            ) from exc
        if not isinstance(data, dict):
            raise ProtocolError(
                f"HTTP {status} with a JSON {type(data).__name__}, not an object",
                http_status=status,
                request_id=request_id,
                maybe_processed=True,
            )
        return data

    @staticmethod
    def _api_error(
        action: str, data: Mapping[str, Any], status: int, request_id: str | None
    ) -> LiveError:
        code = data.get("Code")
        if not isinstance(code, str) or not code:
            return ProtocolError(
                f"HTTP {status} without an error code",
                http_status=status,
                request_id=request_id,
                maybe_processed=True,
            )

        def opt(field: str) -> str | None:
            value = data.get(field)
            return value if isinstance(value, str) else None

        return ApiError(
            code,
            opt("Message") or "",
            http_status=status,
            request_id=request_id,
            recommend=opt("Recommend"),
            host_id=opt("HostId"),
            action=action,
        )

    def call(
        self,
        action: str,
        params: Mapping[str, str | int | None],
        *,
        parse: Callable[[dict[str, Any]], T],
        retry: RetryPolicy | None = None,
    ) -> T:
        """Call ``action`` and return ``parse(json object)``. ``retry=None`` means no retry.

        Parsing happens inside the attempt, so a malformed answer carries its RequestId.
        All attempts together fit in ``call_budget_s`` (from the first send), so a retry
        never stretches a timed-out call past the timeout the user chose.
        """
        clean = {k: str(v) for k, v in params.items() if v is not None}
        clean["RegionId"] = self.region_id
        policy = retry or NO_RETRY
        limiter = self._limiters.get(action)
        started = time.monotonic()
        ends: float | None = None
        attempt = 0
        while True:
            attempt += 1
            # Waiting for the rate limit is not the server's time, so the budget starts after.
            slot: AbstractContextManager[None] = limiter.slot() if limiter else nullcontext()
            try:
                with slot:
                    if ends is None:
                        ends = time.monotonic() + self.call_budget_s
                    with deadline(ends - time.monotonic()):
                        return self._attempt(action, clean, attempt, parse)
            except LiveError as error:
                if attempt >= policy.max_attempts or not is_retryable(error):
                    raise
                delay = policy.delay(attempt)
                now = time.monotonic()
                if ends is None or now - started + delay > policy.budget_s or now + delay >= ends:
                    raise
                log.info("%s: retrying after %s in %.2fs", action, type(error).__name__, delay)
                self._sleep(delay)

    # --- actions ---------------------------------------------------------------------

    def describe_casters(
        self,
        *,
        caster_id: str | None = None,
        caster_name: str | None = None,
        status: int | None = None,
        charge_type: int | None = None,
        norm_type: str | int | None = None,
        start_time: str | None = None,
        end_time: str | None = None,
        order_by_modify_asc: bool | None = None,
        resource_group_id: str | None = None,
        tags: Mapping[str, str] | None = None,
        page_num: int = 1,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> CasterPage:
        """One page of DescribeCasters; every documented filter is available."""
        params: dict[str, str | int | None] = {
            "CasterId": caster_id,
            "CasterName": caster_name,
            "Status": status,
            "ChargeType": charge_type,
            "NormType": None if norm_type is None else str(norm_type),
            "StartTime": start_time,
            "EndTime": end_time,
            "OrderByModifyAsc": None
            if order_by_modify_asc is None
            else str(order_by_modify_asc).lower(),
            "ResourceGroupId": resource_group_id,
            "PageNum": page_num,
            "PageSize": page_size,
        }
        for index, (tag_key, tag_value) in enumerate((tags or {}).items(), start=1):
            params[f"Tag.{index}.Key"] = tag_key
            params[f"Tag.{index}.Value"] = tag_value
        return self.call("DescribeCasters", params, retry=self.retry, parse=CasterPage.from_api)

    def describe_all_casters(
        self,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        workers: int = 4,
        on_page: Callable[[int, CasterPage], None] | None = None,
        **filters: Any,
    ) -> CasterList:
        """Every caster over all pages: page 1 first (for Total), the rest concurrently.

        The shared per-action limiter keeps the whole fetch under DescribeCasters' 15 req/s.
        ``on_page(page_num, page)`` is called as each page arrives (from worker threads).
        Paging stops at the first short or empty page, whatever Total claims, and after
        ``MAX_CASTERS``; ``CasterList.stopped_early`` then says why.
        """
        first = self.describe_casters(page_num=1, page_size=page_size, **filters)
        if on_page:
            on_page(1, first)
        pages = {1: first}
        claimed = max(1, math.ceil(first.total / page_size)) if first.casters else 1
        cap = max(1, MAX_CASTERS // page_size)
        page_count = min(claimed, cap)
        last_page = 1 if len(first.casters) < page_size else page_count
        if last_page > 1:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="casters") as pool:
                # At most `workers` pages in flight, so a short page stops the fetch early.
                futures: dict[Future[CasterPage], int] = {}
                next_page = 2

                def submit_more() -> None:
                    nonlocal next_page
                    while len(futures) < workers and next_page <= last_page:
                        future = pool.submit(
                            self.describe_casters,
                            page_num=next_page,
                            page_size=page_size,
                            **filters,
                        )
                        futures[future] = next_page
                        next_page += 1

                submit_more()
                while futures:
                    done, _ = wait(set(futures), return_when=FIRST_EXCEPTION)
                    for future in done:
                        page_num = futures.pop(future)
                        if future.exception() is not None:
                            for other in futures:
                                other.cancel()
                            raise future.exception()  # type: ignore[misc]
                        page = future.result()
                        pages[page_num] = page
                        if len(page.casters) < page_size:
                            last_page = min(last_page, page_num)
                        if on_page:
                            on_page(page_num, page)
                    submit_more()
        stopped_early = ""
        fetched = sum(len(page.casters) for page in pages.values())
        if claimed > cap and last_page == cap:
            stopped_early = "cap"
        elif first.total > fetched and last_page < claimed:
            stopped_early = "short_page"
        if stopped_early:
            log.warning(
                "DescribeCasters claimed Total=%d; listed %d after %d pages (%s)",
                first.total,
                fetched,
                len(pages),
                stopped_early,
            )
        seen: set[str] = set()
        merged: list[Caster] = []
        for number in sorted(pages):
            for caster in pages[number].casters:
                if caster.caster_id not in seen:  # a caster modified mid-fetch can move pages
                    seen.add(caster.caster_id)
                    merged.append(caster)
        return CasterList(
            total=first.total,
            casters=tuple(merged),
            request_ids=tuple(pages[n].request_id for n in sorted(pages)),
            stopped_early=stopped_early,
        )

    def describe_caster_stream_url(self, caster_id: str) -> CasterStreamUrls:
        return self.call(
            "DescribeCasterStreamUrl",
            {"CasterId": caster_id},
            retry=self.retry,
            parse=CasterStreamUrls.from_api,
        )

    def describe_caster_scenes(self, caster_id: str, scene_id: str | None = None) -> CasterScenes:
        return self.call(
            "DescribeCasterScenes",
            {"CasterId": caster_id, "SceneId": scene_id},
            retry=self.retry,
            parse=CasterScenes.from_api,
        )

    def describe_caster_config(self, caster_id: str) -> CasterConfig:
        return self.call(
            "DescribeCasterConfig",
            {"CasterId": caster_id},
            retry=self.retry,
            parse=CasterConfig.from_api,
        )

    def copy_caster_scene_config(self, caster_id: str, from_scene_id: str, to_scene_id: str) -> str:
        """Apply the PVW scene's layout to PGM. Returns the RequestId."""
        data = self.call(
            "CopyCasterSceneConfig",
            {"CasterId": caster_id, "FromSceneId": from_scene_id, "ToSceneId": to_scene_id},
            parse=_raw,
        )
        return str(data.get("RequestId", ""))

    def _reread(self, read: Callable[[], T], settled: Callable[[T], bool]) -> T:
        """Re-read after an unclear state change until ``settled`` (the last read either way).

        A request that timed out may still be running on the server, so one read right away
        could report the old state; a few spaced reads (about 3.5 s in all) give it time, and
        stop early when a caller's :func:`deadline` would run out while waiting.
        """
        value = read()
        for delay in self.settle_delays_s:
            left = remaining()
            if settled(value) or (left is not None and left <= delay):
                break
            self._sleep(delay)
            value = read()
        return value

    def _settled_state(self, caster_id: str, expect_streaming: bool) -> Caster | None:
        """Re-read a caster after an unclear StartCaster/StopCaster until it shows ``expect``.

        Returns the last caster read (``None`` if it is not listed).
        """

        def read() -> Caster | None:
            page = self.describe_casters(caster_id=caster_id)
            return next((c for c in page.casters if c.caster_id == caster_id), None)

        return self._reread(read, lambda c: c is not None and c.is_streaming == expect_streaming)

    def start_caster(self, caster_id: str) -> StartResult:
        """StartCaster, never retried. If the answer is lost, re-read and report what is true."""
        try:
            return self.call("StartCaster", {"CasterId": caster_id}, parse=StartResult.from_api)
        except TransportError as error:
            if not error.maybe_processed:
                raise
            cause = error
        try:
            with deadline(self.reread_budget_s):
                caster = self._settled_state(caster_id, expect_streaming=True)
                if caster is not None and caster.is_streaming:
                    urls = self.describe_caster_stream_url(caster_id)
                    return urls.as_start_result(confirmed_by="DescribeCasterStreamUrl")
        except LiveError as reread_error:
            raise OutcomeUnknownError("StartCaster", cause, reread_error) from cause
        raise StateConfirmedError("StartCaster", cause, streaming=False) from cause

    def stop_caster(self, caster_id: str) -> StopResult:
        """StopCaster, never retried. If the answer is lost, re-read and report what is true."""
        try:
            data = self.call("StopCaster", {"CasterId": caster_id}, parse=_raw)
            return StopResult(request_id=str(data.get("RequestId", "")))
        except TransportError as error:
            if not error.maybe_processed:
                raise
            cause = error
        try:
            with deadline(self.reread_budget_s):
                caster = self._settled_state(caster_id, expect_streaming=False)
            if caster is not None and not caster.is_streaming:
                return StopResult(request_id=cause.request_id or "", confirmed_by="DescribeCasters")
        except LiveError as reread_error:
            raise OutcomeUnknownError("StopCaster", cause, reread_error) from cause
        raise StateConfirmedError("StopCaster", cause, streaming=True) from cause

    # --- directing: layouts on PVW, Take, standby --------------------------------------

    def describe_caster_layouts(
        self, caster_id: str, layout_id: str | None = None
    ) -> CasterLayouts:
        return self.call(
            "DescribeCasterLayouts",
            {"CasterId": caster_id, "LayoutId": layout_id},
            retry=self.retry,
            parse=CasterLayouts.from_api,
        )

    def describe_caster_video_resources(self, caster_id: str) -> CasterVideoResources:
        return self.call(
            "DescribeCasterVideoResources",
            {"CasterId": caster_id},
            retry=self.retry,
            parse=CasterVideoResources.from_api,
        )

    def update_caster_scene_config(
        self,
        caster_id: str,
        scene_id: str,
        layout_id: str,
        component_ids: Sequence[str] | None = None,
    ) -> SceneChange:
        """Put ``layout_id`` on one scene (PVW, usually). Never retried; an unclear answer is
        settled by re-reading the scenes."""
        params: dict[str, str | int | None] = {
            "CasterId": caster_id,
            "SceneId": scene_id,
            "LayoutId": layout_id,
        }
        for index, component in enumerate(component_ids or (), start=1):
            params[f"ComponentId.{index}"] = component

        def shows_layout(scenes: CasterScenes) -> bool:
            scene = next((s for s in scenes.scenes if s.scene_id == scene_id), None)
            return scene is not None and scene.layout_id == layout_id

        return self._change_scene("UpdateCasterSceneConfig", params, caster_id, shows_layout)

    def take(self, caster_id: str, pvw_scene_id: str, pgm_scene_id: str) -> SceneChange:
        """The Take: CopyCasterSceneConfig from PVW to PGM. Never retried; an unclear answer is
        settled by re-reading the scenes (taken when PGM shows PVW's layout)."""
        params: dict[str, str | int | None] = {
            "CasterId": caster_id,
            "FromSceneId": pvw_scene_id,
            "ToSceneId": pgm_scene_id,
        }

        def taken(scenes: CasterScenes) -> bool:
            by_id = {s.scene_id: s for s in scenes.scenes}
            pvw, pgm = by_id.get(pvw_scene_id), by_id.get(pgm_scene_id)
            return pvw is not None and pgm is not None and pgm.layout_id == pvw.layout_id

        return self._change_scene("CopyCasterSceneConfig", params, caster_id, taken)

    def effect_caster_urgent(self, caster_id: str, pgm_scene_id: str) -> SceneChange:
        """Cut PGM to the standby source. Never retried.

        The API cannot read standby back, so after an unclear answer the re-read can only tell
        whether PGM is running: if it is not, nothing happened (``SceneNotChangedError``);
        if it is, the outcome stays unknown (``StandbyUnconfirmedError``).
        """
        action = "EffectCasterUrgent"
        try:
            data = self.call(action, {"CasterId": caster_id, "SceneId": pgm_scene_id}, parse=_raw)
            return SceneChange(action, str(data.get("RequestId", "")))
        except TransportError as error:
            if not error.maybe_processed:
                raise
            cause = error
        try:
            scenes = self.describe_caster_scenes(caster_id)
        except LiveError as reread_error:
            raise OutcomeUnknownError(action, cause, reread_error) from cause
        pgm = next((s for s in scenes.scenes if s.scene_id == pgm_scene_id), None)
        if pgm is None or pgm.status != 1:
            raise SceneNotChangedError(action, cause, scenes) from cause
        raise StandbyUnconfirmedError(cause, scenes) from cause

    def _change_scene(
        self,
        action: str,
        params: Mapping[str, str | int | None],
        caster_id: str,
        settled: Callable[[CasterScenes], bool],
    ) -> SceneChange:
        try:
            data = self.call(action, params, parse=_raw)
            return SceneChange(action, str(data.get("RequestId", "")))
        except TransportError as error:
            if not error.maybe_processed:
                raise
            cause = error
        try:
            scenes = self._reread(lambda: self.describe_caster_scenes(caster_id), settled)
        except LiveError as reread_error:
            raise OutcomeUnknownError(action, cause, reread_error) from cause
        if settled(scenes):
            return SceneChange(
                action,
                cause.request_id or "",
                confirmed_by="DescribeCasterScenes",
                scenes=scenes,
            )
        raise SceneNotChangedError(action, cause, scenes) from cause
