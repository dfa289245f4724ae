"""The client on the wire: retries, nonces, never-retried starts, re-reads, paging, endpoints."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from app.api.client import LiveClient, normalize_endpoint
from app.api.errors import (
    ApiError,
    ConfigurationError,
    NetworkError,
    OutcomeUnknownError,
    ProtocolError,
    RequestTimeoutError,
    StateConfirmedError,
)
from app.api.ratelimit import SlidingWindowLimiter
from app.api.retry import RetryPolicy
from app.api.signing import SigningKey
from tests.scripted_server import Recorded, Reply, ScriptedServer, error_body, scripted_server

STREAM_URLS = {
    "RequestId": "RR",
    "CasterId": "c1",
    "CasterStreams": {
        "CasterStream": [
            {"SceneId": "pvw", "OutputType": 0, "StreamUrl": "rtmp://h/caster/a?auth_key=1-0-0-x"},
            {"SceneId": "pgm", "OutputType": 1, "StreamUrl": "rtmp://h/caster/b?auth_key=1-0-0-y"},
        ]
    },
}


def caster(status: int, caster_id: str = "c1") -> dict[str, Any]:
    return {
        "RequestId": "RD",
        "Total": 1,
        "CasterList": {"Caster": [{"CasterId": caster_id, "Status": status}]},
    }


@pytest.fixture
def fast_retry() -> RetryPolicy:
    return RetryPolicy(base_delay_s=0.01, max_delay_s=0.02)


def make_client(server: ScriptedServer, **kwargs: Any) -> LiveClient:
    kwargs.setdefault("timeout", httpx.Timeout(2.0, connect=2.0))
    client = LiveClient(
        SigningKey("AKID", "secret"), region_id="cn-shanghai", endpoint=server.endpoint, **kwargs
    )
    client.settle_delays_s = (0.01, 0.01)  # re-reads after an unclear Start/Stop, spaced short
    return client


@pytest.mark.parametrize("version", ["v3", "v1"])
def test_describe_retries_5xx_with_a_fresh_nonce_each_time(
    version: str, fast_retry: RetryPolicy
) -> None:
    with scripted_server(lambda r: Reply(500, error_body("InternalError", "boom"))) as server:
        with make_client(server, retry=fast_retry, signature_version=version) as client:
            with pytest.raises(ApiError) as info:
                client.describe_casters()
        assert info.value.code == "InternalError"
        assert server.actions() == ["DescribeCasters"] * 3
        nonces = [r.nonce for r in server.requests]
        assert len(set(nonces)) == 3 and all(nonces)
        assert all(r.query.get("RegionId") == "cn-shanghai" for r in server.requests)


def test_describe_retries_throttling_then_succeeds(fast_retry: RetryPolicy) -> None:
    replies = iter(
        [
            Reply(
                400, error_body("Throttling.User", "Request was denied due to user flow control.")
            ),
            Reply(200, caster(0)),
        ]
    )
    with scripted_server(lambda r: next(replies)) as server:
        with make_client(server, retry=fast_retry) as client:
            page = client.describe_casters()
    assert page.casters[0].caster_id == "c1"
    assert len(server.requests) == 2


def test_describe_retries_connection_reset(fast_retry: RetryPolicy) -> None:
    replies = iter([Reply(behaviour="reset"), Reply(200, caster(1))])
    with scripted_server(lambda r: next(replies)) as server:
        with make_client(server, retry=fast_retry) as client:
            assert client.describe_casters().casters[0].is_streaming
    assert len(server.requests) == 2


def test_client_errors_are_not_retried(fast_retry: RetryPolicy) -> None:
    with scripted_server(
        lambda r: Reply(404, error_body("InvalidCaster.NotFound", "Caster is not found."))
    ) as server:
        with make_client(server, retry=fast_retry) as client, pytest.raises(ApiError):
            client.describe_caster_stream_url("x")
    assert len(server.requests) == 1


def test_retry_budget_caps_total_time() -> None:
    policy = RetryPolicy(max_attempts=3, base_delay_s=10, max_delay_s=10, budget_s=5)
    with scripted_server(lambda r: Reply(503, error_body("ServiceUnavailable", "x"))) as server:
        with make_client(server, retry=policy) as client, pytest.raises(ApiError):
            client.describe_casters()
    assert len(server.requests) == 1  # the next delay would exceed the 5 s budget


def test_start_caster_is_never_retried_on_5xx(fast_retry: RetryPolicy) -> None:
    with scripted_server(lambda r: Reply(500, error_body("InternalError", "x"))) as server:
        with make_client(server, retry=fast_retry) as client, pytest.raises(ApiError):
            client.start_caster("c1")
    assert server.actions() == ["StartCaster"]


def test_start_timeout_rereads_and_reports_it_started(fast_retry: RetryPolicy) -> None:
    def script(r: Recorded) -> Reply:
        return {
            "StartCaster": Reply(behaviour="hang"),
            "DescribeCasters": Reply(200, caster(1)),
            "DescribeCasterStreamUrl": Reply(200, STREAM_URLS),
        }[r.action]

    with scripted_server(script) as server:
        with make_client(server, retry=fast_retry, timeout=httpx.Timeout(0.3, connect=2)) as client:
            result = client.start_caster("c1")
    assert server.actions() == ["StartCaster", "DescribeCasters", "DescribeCasterStreamUrl"]
    assert result.confirmed_by == "DescribeCasterStreamUrl"
    assert result.pvw[0].scene_id == "pvw" and result.pgm[0].scene_id == "pgm"


def test_start_truncated_answer_rereads_and_reports_still_idle(fast_retry: RetryPolicy) -> None:
    def script(r: Recorded) -> Reply:
        if r.action == "StartCaster":
            return Reply(200, {"RequestId": "RS", "PvwSceneInfos": {}}, behaviour="truncate")
        return Reply(200, caster(0))

    with scripted_server(script) as server:
        with (
            make_client(server, retry=fast_retry) as client,
            pytest.raises(StateConfirmedError) as info,
        ):
            client.start_caster("c1")
    # Re-read until the state settles: one read now, then two spaced ones, all still idle.
    assert server.actions() == ["StartCaster"] + ["DescribeCasters"] * 3
    assert not info.value.streaming
    assert "safe to press Start again" in info.value.explanation().fix


def test_start_timeout_then_server_finishes_late_is_reported_as_started(
    fast_retry: RetryPolicy,
) -> None:
    reads = iter([caster(0), caster(1)])  # the server was still starting at the first read

    def script(r: Recorded) -> Reply:
        if r.action == "StartCaster":
            return Reply(behaviour="hang")
        if r.action == "DescribeCasters":
            return Reply(200, next(reads))
        return Reply(200, STREAM_URLS)

    with scripted_server(script) as server:
        with make_client(server, retry=fast_retry, timeout=httpx.Timeout(0.3, connect=2)) as client:
            result = client.start_caster("c1")
    assert result.confirmed_by == "DescribeCasterStreamUrl"
    assert server.actions() == [
        "StartCaster",
        "DescribeCasters",
        "DescribeCasters",
        "DescribeCasterStreamUrl",
    ]


def test_start_outcome_unknown_when_reread_fails(fast_retry: RetryPolicy) -> None:
    def script(r: Recorded) -> Reply:
        if r.action == "StartCaster":
            return Reply(behaviour="reset")
        return Reply(500, error_body("InternalError", "x"))

    with scripted_server(script) as server:
        with (
            make_client(server, retry=fast_retry) as client,
            pytest.raises(OutcomeUnknownError) as info,
        ):
            client.start_caster("c1")
    assert server.actions() == ["StartCaster"] + ["DescribeCasters"] * 3
    assert "Refresh" in info.value.explanation().fix


def test_stop_lost_answer_rereads_and_confirms_stopped(fast_retry: RetryPolicy) -> None:
    def script(r: Recorded) -> Reply:
        return Reply(behaviour="reset") if r.action == "StopCaster" else Reply(200, caster(0))

    with scripted_server(script) as server:
        with make_client(server, retry=fast_retry) as client:
            result = client.stop_caster("c1")
    assert result.confirmed_by == "DescribeCasters"
    assert server.actions() == ["StopCaster", "DescribeCasters"]


def test_connection_refused_is_a_network_error_and_start_does_not_reread() -> None:
    with scripted_server(lambda r: Reply()) as server:
        endpoint = server.endpoint
    with LiveClient(
        SigningKey("a", "b"),
        region_id="cn-shanghai",
        endpoint=endpoint,
        retry=RetryPolicy(max_attempts=1),
    ) as client:
        with pytest.raises(NetworkError) as info:
            client.start_caster("c1")
    assert not info.value.maybe_processed
    assert "Could not reach" in info.value.explanation().summary


def test_read_timeout_is_a_timeout_error(fast_retry: RetryPolicy) -> None:
    with scripted_server(lambda r: Reply(behaviour="hang")) as server:
        policy = RetryPolicy(max_attempts=1)
        with make_client(server, retry=policy, timeout=httpx.Timeout(0.2, connect=2)) as client:
            with pytest.raises(RequestTimeoutError) as info:
                client.describe_casters()
    assert info.value.explanation().summary == "The Live API did not answer in time."


def test_request_id_header_is_used_when_body_lacks_it() -> None:
    with scripted_server(
        lambda r: Reply(502, b"<html>bad gateway</html>", headers={"x-acs-request-id": "HDR-1"})
    ) as server:
        with (
            make_client(server, retry=RetryPolicy(max_attempts=1)) as client,
            pytest.raises(ProtocolError) as info,
        ):
            client.describe_casters()
    assert info.value.request_id == "HDR-1"


@pytest.mark.parametrize(
    ("endpoint", "ok"),
    [
        ("live.aliyuncs.com", True),
        ("https://live.aliyuncs.com", True),
        ("http://127.0.0.1:8080", True),
        ("http://localhost:1", True),
        ("http://[::1]:9", True),
        ("http://live.aliyuncs.com", False),
        ("http://10.0.0.5:80", False),
        ("ftp://live.aliyuncs.com", False),
    ],
)
def test_plain_http_only_for_loopback(endpoint: str, ok: bool) -> None:
    if ok:
        assert normalize_endpoint(endpoint).scheme in ("http", "https")
    else:
        with pytest.raises(ConfigurationError) as info:
            normalize_endpoint(endpoint)
        assert info.value.explanation().fix


def test_default_endpoint_and_timeouts() -> None:
    client = LiveClient(SigningKey("a", "b"), region_id="cn-beijing")
    try:
        assert client.endpoint == "https://live.aliyuncs.com"
        assert client._http.timeout.connect == 5.0 and client._http.timeout.read == 10.0
    finally:
        client.close()


# --- paging -----------------------------------------------------------------------------


@pytest.fixture
def many_casters() -> Iterator[ScriptedServer]:
    total = 1234
    lock = threading.Lock()
    active = [0, 0]  # current, max concurrent

    def script(r: Recorded) -> Reply:
        with lock:
            active[0] += 1
            active[1] = max(active[1], active[0])
        try:
            num, size = int(r.query["PageNum"]), int(r.query["PageSize"])
            ids = range((num - 1) * size, min(num * size, total))
            time.sleep(0.02)  # server-side work, so that concurrency can show
            return Reply(
                200,
                {
                    "RequestId": f"P{num}",
                    "Total": total,
                    "CasterList": {"Caster": [{"CasterId": f"c{i}", "Status": i % 2} for i in ids]},
                },
            )
        finally:
            with lock:
                active[0] -= 1

    with scripted_server(script) as server:
        server.concurrency = active  # type: ignore[attr-defined]
        yield server


def test_all_pages_are_fetched_concurrently_and_in_order(many_casters: ScriptedServer) -> None:
    seen_pages: list[int] = []
    with make_client(many_casters) as client:
        result = client.describe_all_casters(
            page_size=50, on_page=lambda n, p: seen_pages.append(n)
        )
    assert result.total == 1234
    assert [c.caster_id for c in result.casters] == [f"c{i}" for i in range(1234)]
    assert sorted(seen_pages) == list(range(1, 26))
    assert many_casters.concurrency[1] > 1  # type: ignore[attr-defined]


def test_paging_never_exceeds_15_requests_per_second(many_casters: ScriptedServer) -> None:
    with make_client(many_casters) as client:
        client.describe_all_casters(page_size=25)  # 50 pages
    stamps = sorted(r.arrived for r in many_casters.requests)  # type: ignore[attr-defined]
    # A slot is reused only a second after its answer arrived, and the server stamps each
    # request between send and answer, so no delay can bunch 16 arrivals into one second.
    for i in range(len(stamps) - 15):
        assert stamps[i + 15] - stamps[i] >= 1.0 - 1e-3, "16 requests within one second"


def test_limiter_never_lets_16_through_in_a_window() -> None:
    """Each slot is free again one second after its answer, so the server cannot see 16."""
    now = [0.0]
    sent: list[float] = []

    def sleep(seconds: float) -> None:
        now[0] += seconds

    limiter = SlidingWindowLimiter(15, clock=lambda: now[0], sleep=sleep)
    for _ in range(100):
        with limiter.slot():
            sent.append(now[0])
            now[0] += 0.05  # the round trip
    for i in range(len(sent) - 15):
        # The server's stamp is somewhere in [sent, sent + 0.05]; even the worst case is apart.
        assert sent[i + 15] - (sent[i] + 0.05) >= 1.0
    assert sent[-1] < (100 / 15) * 1.05 + 0.2  # and not slower than it has to be


def test_limiter_counts_requests_still_in_flight() -> None:
    """A request whose answer is late keeps its slot, and frees it a window after the answer."""
    now = [0.0]
    waits: list[float] = []

    def wait(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 1:
            first.__exit__(None, None, None)  # its answer arrives at 5.0
        now[0] += seconds

    limiter = SlidingWindowLimiter(2, clock=lambda: now[0], sleep=wait)
    first, second = limiter.slot(), limiter.slot()
    first.__enter__()
    second.__enter__()
    now[0] = 5.0  # both were sent long ago and are still in flight
    with limiter.slot():
        assert waits, "a third request went out while two were in flight"
        assert now[0] >= 6.0, "the slot came back before a window after the answer"
    second.__exit__(None, None, None)
