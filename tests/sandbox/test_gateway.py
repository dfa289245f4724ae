"""The emulated gateway: signatures, timestamps, nonces, AccessKeys and STS, over real HTTP."""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import httpx
import pytest

from app.api.signing import (
    SigningKey,
    new_nonce,
    utc_timestamp,
    v1_signature,
    v1_string_to_sign,
    v3_canonical_request,
    v3_string_to_sign,
)
from app.sandbox import Sandbox
from tests.sandbox.wire import call, error, ok, send, signed

STYLES = ["v1", "v3"]
REQUEST_ID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")


def _shifted(minutes: float) -> str:
    return utc_timestamp(datetime.now(UTC) + timedelta(minutes=minutes))


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_correctly_signed_requests_succeed(api_sandbox: Sandbox, style: str, method: str) -> None:
    data = ok(
        call(
            api_sandbox, "DescribeCasters", {"RegionId": "cn-shanghai"}, style=style, method=method
        )
    )
    assert REQUEST_ID.match(data["RequestId"])
    assert data["Total"] == len(api_sandbox.caster_ids)
    assert api_sandbox.requests()[-1].style == style


def test_special_characters_in_parameters_verify(api_sandbox: Sandbox) -> None:
    name = "导播 a b*c~+/&=é"
    for style in STYLES:
        data = ok(call(api_sandbox, "DescribeCasters", {"CasterName": name}, style=style))
        assert data["Total"] == 0
    # and the server really received the decoded value
    assert api_sandbox.requests()[-1].params["CasterName"] == name


@pytest.mark.parametrize("style", STYLES)
def test_wrong_secret_is_rejected_with_the_server_string_to_sign(
    api_sandbox: Sandbox, style: str
) -> None:
    wrong = SigningKey(api_sandbox.access_key_id, "not-the-secret")
    request = signed(
        api_sandbox, "DescribeCasters", {"RegionId": "cn-shanghai"}, style=style, key=wrong
    )
    data = error(send(api_sandbox, request), "SignatureDoesNotMatch", 400)
    assert data["Message"].startswith("Specified signature is not matched with our calculation.")
    if style == "v1":
        expected = v1_string_to_sign("POST", request.query)
        assert data["Message"].endswith(f"server string to sign is:{expected}")
        assert expected.startswith("POST&%2F&AccessKeyId%3D")
    else:
        signed_headers = [h for h in request.headers if h != "Authorization"]
        canonical = v3_canonical_request(
            "POST",
            request.query,
            request.headers,
            signed_headers,
            request.headers["x-acs-content-sha256"],
        )
        assert f"server string to sign is:{v3_string_to_sign(canonical)}" in data["Message"]
        assert canonical in data["Message"]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("minutes", [-16, 16])
def test_timestamp_outside_fifteen_minutes_is_expired(
    api_sandbox: Sandbox, style: str, minutes: int
) -> None:
    response = call(api_sandbox, "DescribeCasters", style=style, timestamp=_shifted(minutes))
    error(response, "InvalidTimeStamp.Expired", 400)


@pytest.mark.parametrize("style", STYLES)
def test_timestamp_inside_the_window_is_accepted(api_sandbox: Sandbox, style: str) -> None:
    ok(call(api_sandbox, "DescribeCasters", style=style, timestamp=_shifted(-14)))


@pytest.mark.parametrize("style", STYLES)
def test_skewed_server_clock_rejects_a_correct_client(api_sandbox: Sandbox, style: str) -> None:
    api_sandbox.clock_offset = 3600
    error(call(api_sandbox, "DescribeCasters", style=style), "InvalidTimeStamp.Expired", 400)
    api_sandbox.clock_offset = 0
    ok(call(api_sandbox, "DescribeCasters", style=style))


@pytest.mark.parametrize("style", STYLES)
def test_malformed_timestamp(api_sandbox: Sandbox, style: str) -> None:
    response = call(api_sandbox, "DescribeCasters", style=style, timestamp="2024-01-01 10:00:00")
    error(response, "InvalidTimeStamp.Format", 400)


@pytest.mark.parametrize("style", STYLES)
def test_reused_nonce_is_refused(api_sandbox: Sandbox, style: str) -> None:
    nonce = new_nonce()
    ok(call(api_sandbox, "DescribeCasters", style=style, nonce=nonce))
    # a retry that re-signs but keeps the nonce, as buggy clients do
    error(call(api_sandbox, "DescribeCasters", style=style, nonce=nonce), "SignatureNonceUsed", 400)
    ok(call(api_sandbox, "DescribeCasters", style=style))


def test_a_rejected_signature_does_not_burn_the_nonce(api_sandbox: Sandbox) -> None:
    nonce = new_nonce()
    wrong = SigningKey(api_sandbox.access_key_id, "wrong")
    error(
        call(api_sandbox, "DescribeCasters", nonce=nonce, key=wrong), "SignatureDoesNotMatch", 400
    )
    ok(call(api_sandbox, "DescribeCasters", nonce=nonce))


@pytest.mark.parametrize("style", STYLES)
def test_tampered_query_is_refused(api_sandbox: Sandbox, style: str) -> None:
    ids = api_sandbox.caster_ids
    request = signed(api_sandbox, "StopCaster", {"CasterId": ids[0]}, style=style)
    tampered = {**request.query, "CasterId": ids[1]}
    error(send(api_sandbox, request, query=tampered), "SignatureDoesNotMatch", 400)
    # an added parameter is tampering too
    request = signed(api_sandbox, "DescribeCasters", {}, style=style)
    error(
        send(api_sandbox, request, query={**request.query, "Status": "1"}),
        "SignatureDoesNotMatch",
        400,
    )
    assert api_sandbox.caster(ids[0])["Status"] == 1  # the tampered StopCaster did nothing


@pytest.mark.parametrize("style", STYLES)
def test_get_signature_does_not_verify_as_post(api_sandbox: Sandbox, style: str) -> None:
    request = signed(api_sandbox, "DescribeCasters", style=style, method="GET")
    response = httpx.post(api_sandbox.endpoint + "/", params=request.query, headers=request.headers)
    error(response, "SignatureDoesNotMatch", 400)


@pytest.mark.parametrize("style", STYLES)
def test_unknown_access_key(api_sandbox: Sandbox, style: str) -> None:
    stranger = SigningKey("LTAI5tNobodyKnowsThisKey", "whatever")
    response = call(api_sandbox, "DescribeCasters", style=style, key=stranger)
    error(response, "InvalidAccessKeyId.NotFound", 404)


@pytest.mark.parametrize("name", ["SignatureNonce", "Timestamp", "AccessKeyId", "Signature"])
def test_v1_missing_common_parameter(api_sandbox: Sandbox, name: str) -> None:
    request = signed(api_sandbox, "DescribeCasters", style="v1")
    query = {k: v for k, v in request.query.items() if k != name}
    data = error(send(api_sandbox, request, query=query), "MissingParameter", 400)
    assert f'"{name}"' in data["Message"]


def test_v1_missing_action(api_sandbox: Sandbox) -> None:
    request = signed(api_sandbox, "DescribeCasters", style="v1")
    query = {k: v for k, v in request.query.items() if k != "Action"}
    error(send(api_sandbox, request, query=query), "MissingParameter", 400)


@pytest.mark.parametrize("header", ["x-acs-signature-nonce", "x-acs-date"])
def test_v3_missing_header(api_sandbox: Sandbox, header: str) -> None:
    request = signed(api_sandbox, "DescribeCasters")
    headers = {k: v for k, v in request.headers.items() if k != header}
    response = httpx.post(api_sandbox.endpoint + "/", params=request.query, headers=headers)
    data = error(response, "MissingParameter", 400)
    assert header in data["Message"]


def test_v3_malformed_authorization(api_sandbox: Sandbox) -> None:
    request = signed(api_sandbox, "DescribeCasters")
    headers = {**request.headers, "Authorization": "ACS3-HMAC-SHA256 nonsense"}
    response = httpx.post(api_sandbox.endpoint + "/", params=request.query, headers=headers)
    error(response, "IncompleteSignature", 400)


def test_v3_body_must_match_its_declared_hash(api_sandbox: Sandbox) -> None:
    request = signed(api_sandbox, "DescribeCasters")  # signed with the empty-body hash
    response = httpx.post(
        api_sandbox.endpoint + "/",
        params=request.query,
        headers=request.headers,
        content=b"PageSize=1",
    )
    data = error(response, "SignatureDoesNotMatch", 400)
    assert hashlib.sha256(b"PageSize=1").hexdigest() in data["Message"]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(
    ("action", "version"),
    [
        ("DescribeNothing", "2016-11-01"),
        ("describecasters", "2016-11-01"),
        ("DescribeCasters", "2014-05-26"),
    ],
)
def test_unknown_api(api_sandbox: Sandbox, style: str, action: str, version: str) -> None:
    response = call(api_sandbox, action, style=style, version=version)
    error(response, "InvalidApi.NotFound", 404)


def test_unsupported_http_method(api_sandbox: Sandbox) -> None:
    request = signed(api_sandbox, "DescribeCasters", style="v1", method="PUT")
    response = httpx.put(api_sandbox.endpoint + "/", params=request.query)
    error(response, "UnsupportedHTTPMethod", 400)


def test_other_paths_are_not_the_api(api_sandbox: Sandbox) -> None:
    request = signed(api_sandbox, "DescribeCasters", style="v1")
    response = httpx.get(api_sandbox.endpoint + "/favicon.ico", params=request.query)
    error(response, "InvalidApi.NotFound", 404)


@pytest.mark.parametrize("style", STYLES)
def test_sts_credential_with_its_token(api_sandbox: Sandbox, style: str) -> None:
    sts = api_sandbox.sts_key
    assert sts.security_token
    ok(call(api_sandbox, "DescribeCasters", style=style, key=sts))
    record = api_sandbox.requests()[-1]
    assert record.access_key_id == sts.access_key_id
    assert "SecurityToken" not in record.params  # never kept, even in memory


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("token", [None, "CAISwrong"])
def test_sts_credential_needs_its_own_token(
    api_sandbox: Sandbox, style: str, token: str | None
) -> None:
    sts = api_sandbox.sts_key
    key = SigningKey(sts.access_key_id, sts.access_key_secret, token)
    response = call(api_sandbox, "DescribeCasters", style=style, key=key)
    error(response, "InvalidSecurityToken.MismatchWithAccessKey", 400)


def test_v1_parameters_in_a_form_encoded_body(api_sandbox: Sandbox) -> None:
    request = signed(api_sandbox, "DescribeCasters", {"CasterName": "Keynote"}, style="v1")
    response = httpx.post(
        api_sandbox.endpoint + "/",
        content=urlencode(request.query).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert ok(response)["Total"] == 1


def test_v1_without_format_answers_xml_like_the_real_service(api_sandbox: Sandbox) -> None:
    """The Live V1 default format is XML: a client that forgets Format=JSON must notice here."""
    query = dict(signed(api_sandbox, "DescribeCasters", {"PageSize": "2"}, style="v1").query)
    del query["Format"], query["Signature"]
    query["Signature"] = v1_signature("POST", query, api_sandbox.access_key_secret)
    response = httpx.post(api_sandbox.endpoint + "/", params=query)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "DescribeCastersResponse"
    assert root.findtext("Total") == str(len(api_sandbox.caster_ids))
    casters = root.findall("CasterList/Caster")
    assert len(casters) == 2 and casters[0].findtext("CasterId")
    assert casters[0].find("Tags") is not None


def test_error_envelope_and_headers(api_sandbox: Sandbox) -> None:
    response = call(api_sandbox, "StartCaster", {"CasterId": "no-such-caster"})
    data = error(response, "InvalidCaster.NotFound", 404)
    assert set(data) == {"RequestId", "HostId", "Code", "Message", "Recommend"}
    assert REQUEST_ID.match(data["RequestId"])
    assert response.headers["x-acs-request-id"] == data["RequestId"]
    assert response.headers["content-type"].startswith("application/json")
    assert data["Recommend"] == (
        "https://api.aliyun.com/troubleshoot?q=InvalidCaster.NotFound&product=live"
        f"&requestId={data['RequestId']}"
    )


def test_request_ids_are_unique(api_sandbox: Sandbox) -> None:
    ids = {ok(call(api_sandbox, "DescribeCasters"))["RequestId"] for _ in range(5)}
    assert len(ids) == 5


def test_v3_raw_sdk_style_query_with_plus_for_space(api_sandbox: Sandbox) -> None:
    """Spaces on the wire as '+', '*' as %2A: the gateway decodes then re-encodes."""
    request = signed(api_sandbox, "DescribeCasters", {"CasterName": "Launch Keynote*"})
    raw = "&".join(f"{k}={v}" for k, v in {"CasterName": "Launch+Keynote%2A"}.items())
    response = httpx.post(f"{api_sandbox.endpoint}/?{raw}", headers=request.headers)
    assert ok(response)["Total"] == 0
    assert api_sandbox.requests()[-1].params["CasterName"] == "Launch Keynote*"


def test_v1_unsupported_signature_method(api_sandbox: Sandbox) -> None:
    query = dict(signed(api_sandbox, "DescribeCasters", style="v1").query)
    query["SignatureMethod"] = "HMAC-SHA256"
    del query["Signature"]
    query["Signature"] = v1_signature("POST", query, api_sandbox.access_key_secret)
    response = httpx.post(api_sandbox.endpoint + "/", params=query)
    error(response, "InvalidSignatureMethod", 400)
