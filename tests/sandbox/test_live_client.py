"""The app's own LiveClient against the sandbox: the path every GUI and CLI call takes."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from app.api.client import LiveClient
from app.api.errors import ApiError
from app.api.signing import SignatureVersion
from app.sandbox import Sandbox


def _client(sb: Sandbox, version: SignatureVersion = "v3") -> LiveClient:
    return LiveClient(
        sb.signing_key, region_id=sb.region_id, endpoint=sb.endpoint, signature_version=version
    )


@pytest.fixture(params=["v3", "v1"])
def client(request: pytest.FixtureRequest, sandbox: Sandbox) -> Iterator[LiveClient]:
    with _client(sandbox, request.param) as live:
        yield live


def test_list_start_play_switch_stop(sandbox: Sandbox, client: LiveClient) -> None:
    listing = client.describe_all_casters()
    assert listing.total == 8 and {c.caster_id for c in listing.casters} == set(sandbox.caster_ids)
    assert any(c.name == "春晚主会场" and c.is_streaming for c in listing.casters)
    caster_id = sandbox.caster_ids[1]

    started = client.start_caster(caster_id)
    assert len(started.pvw) == 1 and len(started.pgm) == 1
    assert len(started.pgm[0].stream_infos) == 12
    flv = next(
        i.output_stream_url
        for i in started.pgm[0].stream_infos
        if i.video_format == "flv" and i.transcode_config == "lhd"
    )
    with httpx.stream("GET", flv, timeout=10) as response:
        assert response.status_code == 200
        assert next(response.iter_raw())[:3] == b"FLV"

    urls = client.describe_caster_stream_url(caster_id)
    assert {s.scene_id for s in urls.streams} == {started.pvw[0].scene_id, started.pgm[0].scene_id}
    scenes = client.describe_caster_scenes(caster_id)
    assert {s.output_type for s in scenes.scenes} == {0, 1}
    client.copy_caster_scene_config(caster_id, started.pvw[0].scene_id, started.pgm[0].scene_id)
    assert client.describe_caster_config(caster_id).domain_name

    client.stop_caster(caster_id)
    assert sandbox.caster(caster_id)["Status"] == 0
    assert httpx.get(flv).status_code == 404


def test_sandbox_errors_reach_the_client_as_api_errors(
    sandbox: Sandbox, client: LiveClient
) -> None:
    with pytest.raises(ApiError) as caught:
        client.start_caster("no-such-caster")
    assert caught.value.code == "InvalidCaster.NotFound" and caught.value.http_status == 404
    assert caught.value.request_id
    with pytest.raises(ApiError) as caught:
        client.start_caster(sandbox.caster_ids[5])
    assert caught.value.code == "InvalidDomainName.NotFound"


def test_lost_start_answer_is_confirmed_not_retried(sandbox: Sandbox) -> None:
    sandbox.faults.parse("StartCaster:reset")
    with _client(sandbox) as live:
        result = live.start_caster(sandbox.caster_ids[1])
    assert result.confirmed_by == "DescribeCasterStreamUrl"
    assert sandbox.request_count("StartCaster") == 1
    assert sandbox.caster(sandbox.caster_ids[1])["Status"] == 1


def test_transient_describe_failure_is_retried(sandbox: Sandbox) -> None:
    sandbox.faults.parse("DescribeCasters:error=InternalError,times=1")
    with _client(sandbox) as live:
        page = live.describe_casters()
    assert page.total == 8
    assert sandbox.request_count("DescribeCasters") == 2
    assert [r.status for r in sandbox.requests("DescribeCasters")] == [500, 200]


@pytest.mark.slow
def test_paging_under_the_real_rate_limit() -> None:
    """2,008 casters in 21 pages: the client's own limiter keeps it under 15 calls/s."""
    with Sandbox(casters=2000, media=False) as sb, _client(sb) as live:
        listing = live.describe_all_casters()
        assert listing.total == 2008 and len({c.caster_id for c in listing.casters}) == 2008
        assert all(r.code is None for r in sb.requests("DescribeCasters"))
