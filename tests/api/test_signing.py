"""Signing: the published vectors byte-exact, and the official SDKs as an oracle."""

from __future__ import annotations

import hashlib

from alibabacloud_openapi_util.client import Client as OpenApiUtil
from alibabacloud_tea_openapi.utils import Utils as TeaUtils
from aliyunsdkcore.auth.algorithm import sha_hmac1
from aliyunsdkcore.auth.composer import rpc_signature_composer
from darabonba.request import DaraRequest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.api.signing import (
    EMPTY_SHA256,
    SigningKey,
    canonical_query,
    parse_v3_authorization,
    percent_encode,
    sign_v1,
    sign_v3,
    v1_signature,
    v1_string_to_sign,
    v3_canonical_request,
    v3_signature,
    v3_string_to_sign,
)

COMMON_V1 = {"AccessKeyId": "testid", "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0"}
VECTOR_A = COMMON_V1 | {
    "Action": "DescribeDedicatedHosts",
    "Version": "2014-05-26",
    "Format": "JSON",
    "RegionId": "cn-beijing",
    "SignatureNonce": "edb2b34af0af9a6d14deaf7c1a5315eb",
    "Timestamp": "2023-03-13T08:34:30Z",
}
VECTOR_B_PRIME = COMMON_V1 | {
    "Action": "DescribeRegions",
    "Version": "2014-05-26",
    "Format": "XML",
    "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
    "Timestamp": "2016-02-23T12:46:24Z",
}
VECTOR_C = COMMON_V1 | {
    "Action": "StartCaster",
    "Version": "2016-11-01",
    "Format": "JSON",
    "RegionId": "cn-shanghai",
    "CasterId": "80787064-1c94-4dc1-85ce-9409960a9bf0",
    "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
    "Timestamp": "2016-02-23T12:46:24Z",
}


def test_v1_vector_a_get_and_post() -> None:
    assert v1_signature("GET", VECTOR_A, "testsecret") == "9NaGiOspFP5UPcwX8Iwt2YJXXuk="
    assert v1_signature("POST", VECTOR_A, "testsecret") == "ZvQ9xGiFnquSJRvj+WE6kdSpTwU="
    assert canonical_query(VECTOR_A) == (
        "AccessKeyId=testid&Action=DescribeDedicatedHosts&Format=JSON&RegionId=cn-beijing"
        "&SignatureMethod=HMAC-SHA1&SignatureNonce=edb2b34af0af9a6d14deaf7c1a5315eb"
        "&SignatureVersion=1.0&Timestamp=2023-03-13T08%3A34%3A30Z&Version=2014-05-26"
    )


def test_v1_vector_b_prime() -> None:
    assert v1_signature("GET", VECTOR_B_PRIME, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
    assert v1_signature("POST", VECTOR_B_PRIME, "testsecret") == "MxbnVAM4w6sft9xjVpe/GCKueuk="


def test_v1_vector_c_start_caster() -> None:
    assert v1_signature("POST", VECTOR_C, "testsecret") == "5/UR5T8Qc1eT3EAfSpw/wXqnBPA="
    assert v1_signature("GET", VECTOR_C, "testsecret") == "EipaO6SbahwJhiQew6mtOc0xSzY="


def test_v1_string_to_sign_double_encodes_and_ignores_signature() -> None:
    sts = v1_string_to_sign("GET", VECTOR_A | {"Signature": "x"})
    assert sts.startswith("GET&%2F&AccessKeyId%3Dtestid")
    assert "Timestamp%3D2023-03-13T08%253A34%253A30Z" in sts
    assert "Signature%3D" not in sts


def test_sign_v1_builds_the_whole_query() -> None:
    signed = sign_v1(
        action="StartCaster",
        version="2016-11-01",
        params={"CasterId": "80787064-1c94-4dc1-85ce-9409960a9bf0", "RegionId": "cn-shanghai"},
        key=SigningKey("testid", "testsecret"),
        nonce="3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        timestamp="2016-02-23T12:46:24Z",
    )
    assert signed.query["Signature"] == "5/UR5T8Qc1eT3EAfSpw/wXqnBPA="
    assert signed.method == "POST"


def test_percent_encoding_rules() -> None:
    assert percent_encode("a b*c~/+&=é") == "a%20b%2Ac~%2F%2B%26%3D%C3%A9"


def test_v3_published_run_instances_vector() -> None:
    headers = {
        "host": "ecs.cn-shanghai.aliyuncs.com",
        "x-acs-action": "RunInstances",
        "x-acs-version": "2014-05-26",
        "x-acs-date": "2023-10-26T10:22:32Z",
        "x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
        "x-acs-content-sha256": EMPTY_SHA256,
    }
    query = {
        "ImageId": "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
        "RegionId": "cn-shanghai",
    }
    canonical = v3_canonical_request("POST", query, headers, headers, EMPTY_SHA256)
    assert (
        hashlib.sha256(canonical.encode()).hexdigest()
        == "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
    )
    assert (
        v3_signature("YourAccessKeySecret", v3_string_to_sign(canonical))
        == "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
    )


def test_v3_start_caster_vector_and_header_shape() -> None:
    signed = sign_v3(
        action="StartCaster",
        version="2016-11-01",
        params={"CasterId": "80787064-1c94-4dc1-85ce-9409960a9bf0", "RegionId": "cn-shanghai"},
        key=SigningKey("testid", "testsecret"),
        host="live.aliyuncs.com",
        nonce="3156853299f313e23d1673dc12e1703d",
        timestamp="2023-10-26T10:22:32Z",
    )
    auth = signed.headers["Authorization"]
    assert auth == (
        "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action;"
        "x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,"
        "Signature=2192dc6ff8e89cc7747ce37dd78492de38cc9c6bfdc96af86888b97a880b24c7"
    )
    parsed = parse_v3_authorization(auth)
    assert parsed is not None and parsed.access_key_id == "testid"
    assert parsed.signed_headers[0] == "host" and len(parsed.signed_headers) == 6


def test_every_attempt_gets_a_fresh_nonce_and_sts_token_is_signed() -> None:
    key = SigningKey("id", "secret", security_token="sts-token")
    a = sign_v3(action="X", version="v", params={}, key=key, host="h")
    b = sign_v3(action="X", version="v", params={}, key=key, host="h")
    assert a.headers["x-acs-signature-nonce"] != b.headers["x-acs-signature-nonce"]
    assert "x-acs-security-token" in a.headers["Authorization"]
    assert (
        sign_v1(action="X", version="v", params={}, key=key).query["SecurityToken"] == "sts-token"
    )
    assert "secret" not in repr(key) and "sts-token" not in repr(key)


# --- the official SDKs as an oracle -------------------------------------------------------

# Unicode, spaces, the characters that trip encoders, and empty values.
_tricky_text = st.text(
    alphabet=st.one_of(
        st.sampled_from([*"~*+/&=% !'()#?:@,;$", " ", "导", "播", "é"]),
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
    ),
    max_size=12,
)
# Real parameter names are ASCII letters, digits and dots (Tag.1.Key); the values are where
# encoders go wrong. (The V3 SDK leaves names unencoded, so exotic names would only test it.)
_params = st.dictionaries(
    st.text(
        alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.",
        min_size=1,
        max_size=10,
    ).filter(lambda name: name != "Signature"),  # reserved: the signature itself
    _tricky_text,
    max_size=6,
)
_secret = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=30
)


@settings(max_examples=150, deadline=None)
@given(params=_params, secret=_secret, method=st.sampled_from(["GET", "POST"]))
def test_v1_matches_both_official_sdks(params: dict[str, str], secret: str, method: str) -> None:
    ours = v1_signature(method, params, secret)
    assert ours == OpenApiUtil.get_rpcsignature(dict(params), method, secret)
    compose = getattr(rpc_signature_composer, "__compose_string_to_sign")
    legacy_sts = compose(method, dict(params))
    assert v1_string_to_sign(method, params) == legacy_sts
    assert ours == sha_hmac1.get_sign_string(legacy_sts, secret + "&")


@settings(max_examples=150, deadline=None)
@given(
    params=_params,
    secret=_secret,
    action=st.sampled_from(["StartCaster", "DescribeCasters"]),
    host=st.sampled_from(["live.aliyuncs.com", "127.0.0.1:8080"]),
)
def test_v3_authorization_matches_official_sdk(
    params: dict[str, str], secret: str, action: str, host: str
) -> None:
    signed = sign_v3(
        action=action,
        version="2016-11-01",
        params=params,
        key=SigningKey("AKID", secret),
        host=host,
    )
    request = DaraRequest()
    request.method = "POST"
    request.pathname = "/"
    request.query = dict(params)
    request.headers = {k: v for k, v in signed.headers.items() if k != "Authorization"}
    expected = TeaUtils.get_authorization(request, "ACS3-HMAC-SHA256", EMPTY_SHA256, "AKID", secret)
    assert signed.headers["Authorization"] == expected
