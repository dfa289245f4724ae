"""Every error code the issue names has its own plain-language explanation with a fix."""

from __future__ import annotations

import pytest

from app.api.errors import ApiError
from app.api.explanations import explain

CODES = {
    "PermissionDenied": 401,
    "InvalidCaster.NotFound": 404,
    "InvalidConfiguration.NotFound": 404,
    "InternalError": 500,
    "InvalidDomainName.NotFound": 404,
    "SignatureDoesNotMatch": 400,
    "InvalidTimeStamp.Expired": 400,
    "SignatureNonceUsed": 400,
    "Throttling.User": 400,
    "Throttling.Api": 400,
    "Throttling": 400,
    "InvalidAccessKeyId.NotFound": 404,
    "InvalidAccessKeyId.Inactive": 400,
    "Forbidden.RAM": 403,
    "MissingParameter": 400,
    "ServiceUnavailable": 503,
}

GENERIC = {explain("NoSuchCode", http_status=s).summary for s in (400, 500)}


@pytest.mark.parametrize("code", list(CODES))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_code_has_its_own_explanation_in_both_languages(code: str, lang: str) -> None:
    error = ApiError(code, "msg", http_status=CODES[code], request_id="RID")
    text = error.explanation(lang)  # type: ignore[arg-type]
    assert text.summary and text.fix
    assert text.summary not in GENERIC and explain("NoSuchCode", lang=lang).summary != text.summary  # type: ignore[arg-type]
    if lang == "zh":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text.summary + text.fix)
    else:
        assert text.summary.isascii() or "(" in text.summary


def test_domain_codes_mention_the_domain_fix() -> None:
    assert "DomainName is not configured" in explain("InvalidConfiguration.NotFound").summary
    assert "domain" in explain("InvalidDomainName.NotFound").fix


def test_clock_skew_says_check_your_clock() -> None:
    assert "Check your clock" in explain("InvalidTimeStamp.Expired").fix
    assert "检查时钟" in explain("InvalidTimeStamp.Expired", lang="zh").fix


def test_signature_mismatch_shows_the_servers_string_to_sign() -> None:
    message = (
        "Specified signature is not matched with our calculation. server string to sign "
        "is:POST&%2F&AccessKeyId%3Dabc%26Action%3DStartCaster"
    )
    text = explain("SignatureDoesNotMatch", message=message)
    assert text.detail == "POST&%2F&AccessKeyId%3Dabc%26Action%3DStartCaster"


def test_unknown_codes_fall_back_on_status_class() -> None:
    assert explain("Weird.Thing", http_status=503).summary.startswith("Alibaba Cloud had a problem")
    assert explain("Weird.Thing", http_status=403).summary == "Alibaba Cloud refused the request."
