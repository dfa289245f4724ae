"""The official SDKs, pointed at the sandbox, must get their requests verified and their
responses parsed: the proof that the sandbox speaks the real wire protocol."""

from __future__ import annotations

from typing import Any

import pytest
from alibabacloud_tea_openapi.client import Client as OpenApiClient
from alibabacloud_tea_openapi.exceptions import ClientException
from alibabacloud_tea_openapi.utils_models import Config, OpenApiRequest, Params
from darabonba.runtime import RuntimeOptions

from app.sandbox import Sandbox

MODES = [None, "v2"]  # V3 (ACS3-HMAC-SHA256, the default) and V1 (HMAC-SHA1)


def _tea_client(sb: Sandbox, mode: str | None, *, sts: bool = False) -> OpenApiClient:
    key = sb.sts_key if sts else sb.signing_key
    config = Config(
        access_key_id=key.access_key_id,
        access_key_secret=key.access_key_secret,
        security_token=key.security_token,
        endpoint=sb.endpoint.removeprefix("http://"),
        protocol="http",
        region_id=sb.region_id,
    )
    if mode:
        config.signature_algorithm = mode
    return OpenApiClient(config)


def _tea_call(client: OpenApiClient, action: str, query: dict[str, str]) -> dict[str, Any]:
    # The same Params the generated alibabacloud-live20161101 client builds for these actions.
    params = Params(
        action=action,
        version="2016-11-01",
        protocol="HTTPS",
        pathname="/",
        method="POST",
        auth_type="AK",
        style="RPC",
        req_body_type="formData",
        body_type="json",
    )
    result = client.call_api(params, OpenApiRequest(query=query), RuntimeOptions())
    assert result["statusCode"] == 200
    body = result["body"]
    assert isinstance(body, dict)
    return body


@pytest.mark.parametrize("mode", MODES)
def test_tea_openapi_describe_and_start(api_sandbox: Sandbox, mode: str | None) -> None:
    client = _tea_client(api_sandbox, mode)
    listing = _tea_call(client, "DescribeCasters", {"RegionId": api_sandbox.region_id})
    assert listing["Total"] == 8
    assert {c["CasterId"] for c in listing["CasterList"]["Caster"]} == set(api_sandbox.caster_ids)
    caster_id = api_sandbox.caster_ids[1]
    started = _tea_call(
        client, "StartCaster", {"RegionId": api_sandbox.region_id, "CasterId": caster_id}
    )
    assert len(started["PgmSceneInfos"]["SceneInfo"][0]["StreamInfos"]["StreamInfo"]) == 12
    assert api_sandbox.caster(caster_id)["Status"] == 1
    record = api_sandbox.requests("StartCaster")[-1]
    assert record.style == ("v1" if mode == "v2" else "v3") and record.status == 200
    _tea_call(client, "StopCaster", {"RegionId": api_sandbox.region_id, "CasterId": caster_id})
    assert api_sandbox.caster(caster_id)["Status"] == 0


@pytest.mark.parametrize("mode", MODES)
def test_tea_openapi_awkward_characters(api_sandbox: Sandbox, mode: str | None) -> None:
    client = _tea_client(api_sandbox, mode)
    name = "导播 a b*c~+/&=é"
    _tea_call(client, "DescribeCasters", {"RegionId": api_sandbox.region_id, "CasterName": name})
    assert api_sandbox.requests()[-1].params["CasterName"] == name


@pytest.mark.parametrize("mode", MODES)
def test_tea_openapi_sts(api_sandbox: Sandbox, mode: str | None) -> None:
    client = _tea_client(api_sandbox, mode, sts=True)
    assert _tea_call(client, "DescribeCasters", {"RegionId": api_sandbox.region_id})["Total"] == 8
    assert api_sandbox.requests()[-1].access_key_id == api_sandbox.sts_key.access_key_id


@pytest.mark.parametrize("mode", MODES)
def test_tea_openapi_maps_sandbox_errors(api_sandbox: Sandbox, mode: str | None) -> None:
    client = _tea_client(api_sandbox, mode)
    with pytest.raises(ClientException) as caught:
        _tea_call(client, "StartCaster", {"RegionId": api_sandbox.region_id, "CasterId": "nope"})
    assert caught.value.code == "InvalidCaster.NotFound"
    assert caught.value.status_code == 404
    assert caught.value.request_id


def test_tea_openapi_full_official_pipeline_with_the_real_service_host() -> None:
    """The generated live client sends Params(protocol='HTTPS'); Config.protocol wins."""
    with Sandbox(media=False) as sb:
        client = _tea_client(sb, None)
        body = _tea_call(
            client, "DescribeCasterScenes", {"RegionId": sb.region_id, "CasterId": sb.caster_ids[0]}
        )
        assert body["Total"] == 2


def test_legacy_core_common_request(api_sandbox: Sandbox) -> None:
    import json

    from aliyunsdkcore.acs_exception.exceptions import ServerException
    from aliyunsdkcore.client import AcsClient
    from aliyunsdkcore.request import CommonRequest

    client = AcsClient(
        api_sandbox.access_key_id, api_sandbox.access_key_secret, api_sandbox.region_id
    )

    def request(action: str, **params: str) -> CommonRequest:
        req = CommonRequest(
            domain=api_sandbox.endpoint.removeprefix("http://"),
            version="2016-11-01",
            action_name=action,
        )
        req.set_protocol_type("http")
        req.set_method("POST")
        req.set_accept_format("json")
        for key, value in params.items():
            req.add_query_param(key, value)
        return req

    listing = json.loads(client.do_action_with_exception(request("DescribeCasters")))
    assert listing["Total"] == 8
    caster_id = api_sandbox.caster_ids[1]
    started = json.loads(
        client.do_action_with_exception(request("StartCaster", CasterId=caster_id))
    )
    assert started["PvwSceneInfos"]["SceneInfo"][0]["SceneId"]
    assert api_sandbox.requests("StartCaster")[-1].params["SignatureType"] == ""
    with pytest.raises(ServerException) as caught:
        client.do_action_with_exception(request("StopCaster", CasterId="nope"))
    assert caught.value.get_error_code() == "InvalidCaster.NotFound"
    assert caught.value.get_http_status() == 404
