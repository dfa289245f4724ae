"""Injected faults, each kind over real HTTP, and the fault API itself."""

from __future__ import annotations

import json
import socket
import time

import httpx
import pytest

from app.sandbox import Sandbox
from app.sandbox.faults import FaultInjector, FaultRule, parse_fault
from tests.sandbox.wire import call, error, ok, signed

IDLE = 1  # index of an idle seed caster in caster_ids


def _raw_exchange(sb: Sandbox, action: str, params: dict[str, str]) -> bytes:
    """Send a signed request on a plain socket and return every byte until the server closes."""
    request = signed(sb, action, params)
    query = httpx.QueryParams(request.query)
    headers = "".join(f"{k}: {v}\r\n" for k, v in request.headers.items())
    with socket.create_connection(("127.0.0.1", sb.port), timeout=10) as sock:
        sock.sendall(f"POST /?{query} HTTP/1.1\r\n{headers}Content-Length: 0\r\n\r\n".encode())
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


def test_latency(api_sandbox: Sandbox) -> None:
    api_sandbox.faults.add("StartCaster", latency=0.4)
    started = time.monotonic()
    ok(call(api_sandbox, "StartCaster", {"CasterId": api_sandbox.caster_ids[IDLE]}))
    assert time.monotonic() - started >= 0.4


def test_error_code_with_its_status(api_sandbox: Sandbox) -> None:
    caster_id = api_sandbox.caster_ids[IDLE]
    api_sandbox.faults.add("StartCaster", error="InternalError")
    error(call(api_sandbox, "StartCaster", {"CasterId": caster_id}), "InternalError", 500)
    assert api_sandbox.caster(caster_id)["Status"] == 0  # the action did not run
    api_sandbox.faults.clear()
    api_sandbox.faults.add("*", error="ServiceUnavailable")
    error(call(api_sandbox, "DescribeCasters"), "ServiceUnavailable", 503)
    api_sandbox.faults.clear()
    api_sandbox.faults.add("DescribeCasters", error="Throttling.User")
    data = error(call(api_sandbox, "DescribeCasters"), "Throttling.User", 400)
    assert data["Message"] == "Request was denied due to user flow control."
    api_sandbox.faults.clear()
    api_sandbox.faults.add("DescribeCasters", error="Custom.Thing", status=418, message="teapot")
    data = error(call(api_sandbox, "DescribeCasters"), "Custom.Thing", 418)
    assert data["Message"] == "teapot"


def test_error_rate() -> None:
    with Sandbox(
        media=False, rate_limits=False, fault_seed=7, faults=["*:error=InternalError,rate=0.3"]
    ) as sb:
        with httpx.Client() as client:
            statuses = [call(sb, "DescribeCasters", client=client).status_code for _ in range(200)]
        failures = statuses.count(500)
        assert statuses.count(200) + failures == 200
        assert 30 <= failures <= 90  # 0.3 of 200, with slack for chance


def test_times_limits_a_rule(api_sandbox: Sandbox) -> None:
    caster_id = api_sandbox.caster_ids[IDLE]
    rule = api_sandbox.faults.add("StartCaster", error="InternalError", times=1)
    assert rule in api_sandbox.faults.rules
    error(call(api_sandbox, "StartCaster", {"CasterId": caster_id}), "InternalError", 500)
    ok(call(api_sandbox, "StartCaster", {"CasterId": caster_id}))
    assert rule not in api_sandbox.faults.rules


def test_reset_closes_without_a_response_after_the_action_ran(api_sandbox: Sandbox) -> None:
    caster_id = api_sandbox.caster_ids[IDLE]
    api_sandbox.faults.parse("StartCaster:reset")
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        call(api_sandbox, "StartCaster", {"CasterId": caster_id})
    # the start happened; only its answer was lost (why StartCaster is never retried blindly)
    assert api_sandbox.caster(caster_id)["Status"] == 1
    with pytest.raises(ConnectionResetError):
        _raw_exchange(api_sandbox, "StartCaster", {"CasterId": caster_id})
    ok(call(api_sandbox, "DescribeCasters"))  # other actions are untouched


def test_truncated_body(api_sandbox: Sandbox) -> None:
    api_sandbox.faults.parse("DescribeCasters:truncate")
    with pytest.raises(httpx.RemoteProtocolError):
        call(api_sandbox, "DescribeCasters")
    raw = _raw_exchange(api_sandbox, "DescribeCasters", {})
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    declared = int(
        next(
            line.split(b":")[1]
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length")
        )
    )
    assert 0 < len(body) < declared
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)


@pytest.mark.parametrize(
    ("spec", "status"), [("html", 502), ("html=502", 502), ("html200", 200), ("html=200", 200)]
)
def test_non_json_body(api_sandbox: Sandbox, spec: str, status: int) -> None:
    api_sandbox.faults.parse(f"DescribeCasters:{spec}")
    response = call(api_sandbox, "DescribeCasters")
    assert response.status_code == status
    assert response.headers["content-type"] == "text/html"
    assert b"502 Bad Gateway" in response.content
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_slow_body(api_sandbox: Sandbox) -> None:
    api_sandbox.faults.add("DescribeCasters", network="slow", slow_seconds=1.0)
    started = time.monotonic()
    response = call(api_sandbox, "DescribeCasters")
    assert time.monotonic() - started >= 0.9
    assert response.json()["Total"] == len(api_sandbox.caster_ids)  # complete in the end
    # a client whose per-read timeout is shorter than the gaps gives up
    api_sandbox.faults.clear()
    api_sandbox.faults.parse("DescribeCasters:slow=4")
    request = signed(api_sandbox, "DescribeCasters")
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(
            api_sandbox.endpoint + "/",
            params=request.query,
            headers=request.headers,
            timeout=httpx.Timeout(5.0, read=0.05),
        )


def test_faults_change_at_run_time_and_clear(api_sandbox: Sandbox) -> None:
    ok(call(api_sandbox, "DescribeCasters"))
    api_sandbox.faults.parse("*:error=InternalError")
    api_sandbox.faults.parse("StartCaster:latency=0.01")
    error(call(api_sandbox, "DescribeCasters"), "InternalError", 500)
    api_sandbox.faults.clear("*")
    assert [r.action for r in api_sandbox.faults.rules] == ["StartCaster"]
    ok(call(api_sandbox, "DescribeCasters"))
    api_sandbox.faults.clear()
    assert api_sandbox.faults.rules == []


def test_remove_one_rule(api_sandbox: Sandbox) -> None:
    rule = api_sandbox.faults.add("DescribeCasters", error="InternalError")
    error(call(api_sandbox, "DescribeCasters"), "InternalError", 500)
    api_sandbox.faults.remove(rule)
    ok(call(api_sandbox, "DescribeCasters"))


def test_faults_given_at_construction() -> None:
    with Sandbox(
        media=False,
        faults=[
            "DescribeCasters:error=InternalError",
            FaultRule("StopCaster", error="ServiceUnavailable"),
        ],
    ) as sb:
        error(call(sb, "DescribeCasters"), "InternalError", 500)
        error(call(sb, "StopCaster", {"CasterId": sb.caster_ids[0]}), "ServiceUnavailable", 503)


def test_request_counter(api_sandbox: Sandbox) -> None:
    caster_id = api_sandbox.caster_ids[IDLE]
    assert api_sandbox.request_count("StartCaster") == 0
    ok(call(api_sandbox, "StartCaster", {"CasterId": caster_id}))
    error(call(api_sandbox, "StartCaster", {}), "MissingParameter", 400)  # failures count too
    ok(call(api_sandbox, "DescribeCasters"))
    assert api_sandbox.request_count("StartCaster") == 2
    assert api_sandbox.request_count("DescribeCasters") == 1
    assert api_sandbox.request_count() == 3
    assert [r.status for r in api_sandbox.requests("StartCaster")] == [200, 400]
    api_sandbox.reset_request_counts()
    assert api_sandbox.request_count() == 0


# --- the spec language ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("StartCaster:latency=0.5", FaultRule("StartCaster", latency=0.5)),
        ("*:error=InternalError,rate=0.3", FaultRule("*", error="InternalError", rate=0.3)),
        ("DescribeCasters:reset", FaultRule("DescribeCasters", network="reset")),
        (
            "DescribeCasters:truncate,times=2",
            FaultRule("DescribeCasters", network="truncate", times=2),
        ),
        ("X:html", FaultRule("X", network="html")),
        ("X:html=200", FaultRule("X", network="html200")),
        ("X:slow", FaultRule("X", network="slow")),
        ("X:slow=3.5", FaultRule("X", network="slow", slow_seconds=3.5)),
        (
            "X:error=Y,status=503,message=down",
            FaultRule("X", error="Y", status=503, message="down"),
        ),
        (" X : latency=1 , reset ", FaultRule("X", latency=1.0, network="reset")),
    ],
)
def test_parse_fault(spec: str, expected: FaultRule) -> None:
    assert parse_fault(spec) == expected


@pytest.mark.parametrize(
    "spec",
    [
        "StartCaster",
        ":reset",
        "X:",
        "X:nonsense",
        "X:latency=-1",
        "X:rate=2",
        "X:latency=abc",
        "X:error=",
        "X:times=0",
        "X:html=404",
        "X:status=9999",
        "X:rate=0.5",
    ],
)
def test_parse_fault_rejects(spec: str) -> None:
    with pytest.raises(ValueError, match="fault"):
        parse_fault(spec)


def test_decide_combines_latency_and_first_failure() -> None:
    injector = FaultInjector(["*:latency=0.1", "A:latency=0.2,error=InternalError", "A:reset"])
    decision = injector.decide("A")
    assert decision.latency == pytest.approx(0.3)
    assert decision.error is not None and decision.error.code == "InternalError"
    assert decision.network is None
    other = injector.decide("B")
    assert other.latency == pytest.approx(0.1) and other.error is None


def test_unknown_network_fault_is_refused() -> None:
    with pytest.raises(ValueError, match="network"):
        FaultInjector().add("A", network="explode")
