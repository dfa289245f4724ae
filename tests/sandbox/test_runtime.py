"""The in-process Sandbox: lifecycle, hygiene, and its controls for tests."""

from __future__ import annotations

import contextlib
import socket
import statistics
import threading
import time

import httpx
import pytest

from app.sandbox import Sandbox
from tests.sandbox.wire import call, ok, wait_until


def _refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


def _pgm_flv_url(sb: Sandbox, caster_id: str, tier: str = "lld") -> str:
    data = ok(call(sb, "DescribeCasterStreamUrl", {"CasterId": caster_id}))
    pgm = next(s for s in data["CasterStreams"]["CasterStream"] if s["OutputType"] == 1)
    return str(
        next(
            i["OutputStreamUrl"]
            for i in pgm["StreamInfos"]["StreamInfo"]
            if i["VideoFormat"] == "flv" and i["TranscodeConfig"] == tier
        )
    )


def test_fixture_gives_a_running_sandbox(sandbox: Sandbox) -> None:
    assert sandbox.running
    assert sandbox.endpoint == f"http://127.0.0.1:{sandbox.port}"
    assert sandbox.region_id == "cn-shanghai"
    assert len(sandbox.caster_ids) == 8
    assert sandbox.media_http_port and sandbox.rtmp_port
    data = ok(call(sandbox, "DescribeCasters", {"RegionId": sandbox.region_id}))
    assert data["Total"] == 8


def test_startup_is_fast() -> None:
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        sb = Sandbox()
        sb.start()
        timings.append(time.perf_counter() - started)
        sb.stop()
    median = statistics.median(timings)
    print(f"sandbox startup median {median * 1000:.1f} ms")
    assert median < 0.5  # typically ~10 ms; generous for slow CI machines


def test_stop_leaves_no_thread_and_no_open_port() -> None:
    before = set(threading.enumerate())
    sb = Sandbox()
    sb.start()
    ports = [sb.port, sb.media_http_port, sb.rtmp_port]
    assert all(ports)
    # a viewer mid-stream and an idle keep-alive API connection, both open at stop time
    client = httpx.Client()
    ok(call(sb, "DescribeCasters", client=client))
    viewer = httpx.Client(timeout=10)
    stream = viewer.stream("GET", _pgm_flv_url(sb, sb.caster_ids[0]))
    response = stream.__enter__()
    assert response.status_code == 200
    chunks = response.iter_raw()
    assert next(chunks)[:3] == b"FLV"
    sb.stop()
    # the stream ends (cleanly or cut off) instead of hanging until the read timeout
    started = time.monotonic()
    with contextlib.suppress(httpx.HTTPError):
        for _ in chunks:
            pass
    assert time.monotonic() - started < 5
    stream.__exit__(None, None, None)
    viewer.close()
    client.close()
    assert not sb.running
    assert [t for t in threading.enumerate() if t not in before] == []
    for port in ports:
        assert port is not None and _refused(port)
    sb.stop()  # idempotent


def test_context_manager_and_single_start() -> None:
    with Sandbox(media=False) as sb:
        assert sb.running
        with pytest.raises(RuntimeError, match="already running"):
            sb.start()
        port = sb.port
    assert not sb.running and _refused(port)


def test_a_port_in_use_fails_cleanly() -> None:
    before = set(threading.enumerate())
    with Sandbox(media=False) as first:
        second = Sandbox(media=False, port=first.port)
        with pytest.raises(RuntimeError, match="could not start"):
            second.start()
        assert not second.running
    assert [t for t in threading.enumerate() if t not in before] == []


def test_generated_casters() -> None:
    with Sandbox(casters=25, media=False, rate_limits=False) as sb:
        assert len(sb.caster_ids) == 33
        data = ok(call(sb, "DescribeCasters", {"CasterName": "Studio 0000"}))
        assert data["Total"] == 5  # Studio 00001 … 00009, odd numbers
        assert {c["NormType"] for c in data["CasterList"]["Caster"]} <= {1, 6}
        assert ok(call(sb, "DescribeCasters", {"CasterName": "导播台"}))["Total"] == 12


def test_console_style_start_and_stop_behind_the_clients_back(sandbox: Sandbox) -> None:
    caster_id = sandbox.caster_ids[1]
    sandbox.start_caster(caster_id)
    assert sandbox.caster(caster_id)["Status"] == 1
    url = _pgm_flv_url(sandbox, caster_id)
    with httpx.stream("GET", url) as response:
        assert response.status_code == 200
        assert next(response.iter_raw())[:3] == b"FLV"
    sandbox.stop_caster(caster_id)
    assert sandbox.caster(caster_id)["Status"] == 0
    assert httpx.get(url).status_code == 404
    with pytest.raises(KeyError):
        sandbox.start_caster("nope")


def test_cut_stream_drops_viewers_then_resumes(sandbox: Sandbox) -> None:
    caster_id = sandbox.caster_ids[0]
    url = _pgm_flv_url(sandbox, caster_id)
    with httpx.Client(timeout=10) as viewer, viewer.stream("GET", url) as response:
        assert response.status_code == 200
        chunks = response.iter_raw()
        next(chunks)
        cut = sandbox.cut_stream(caster_id, 1.0, scene="pgm")
        assert len(cut) == 5 and all(name.startswith(cut[0]) for name in cut)
        with pytest.raises(httpx.HTTPError):  # the viewer is dropped mid-stream
            for _ in chunks:
                pass
    assert httpx.head(url).status_code != 200  # refused during the cut
    assert wait_until(lambda: httpx.head(url).status_code == 200, timeout=5)


def test_cut_pvw_only_leaves_program_alone(sandbox: Sandbox) -> None:
    caster_id = sandbox.caster_ids[0]
    url = _pgm_flv_url(sandbox, caster_id)
    names = sandbox.cut_stream(caster_id, 5.0, scene="pvw")
    assert names == sandbox.stream_names(caster_id, "pvw")
    assert httpx.head(url).status_code == 200
    with pytest.raises(ValueError, match="scene"):
        sandbox.cut_stream(caster_id, 1.0, scene="both")


def test_controls_need_a_running_sandbox() -> None:
    sb = Sandbox(media=False)
    with pytest.raises(RuntimeError):
        sb.request_count()
    with pytest.raises(RuntimeError):
        _ = sb.endpoint
    with pytest.raises(RuntimeError):
        sb.caster(sb.caster_ids[0])
