"""Reading a play URL's expiry from its auth_key: signing base plus the domain's validity."""

from __future__ import annotations

import pytest

from app.probe.expiry import DEFAULT_URL_VALIDITY_S, VALIDITY_ENV, auth_key_of, url_expiry

URL = "http://live.example.com/caster/abc_lhd.flv?auth_key=1700000000-0-0-0123456789abcdef0123456789abcdef"


def test_expiry_is_timestamp_plus_validity_never_the_bare_timestamp(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(VALIDITY_ENV, raising=False)
    expiry = url_expiry(URL)
    assert expiry is not None
    assert expiry.signed_at == 1_700_000_000
    assert expiry.expires_at == 1_700_000_000 + DEFAULT_URL_VALIDITY_S
    assert expiry.assumed


def test_validity_from_the_environment_or_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VALIDITY_ENV, "86400")
    from_env = url_expiry(URL)
    assert from_env is not None and from_env.expires_at == 1_700_086_400 and not from_env.assumed
    given = url_expiry(URL, validity_s=60)
    assert given is not None and given.expires_at == 1_700_000_060 and not given.assumed


@pytest.mark.parametrize(
    "url",
    [
        "rtmp://live.example.com/caster/abc",
        "http://x/a.flv?auth_key=",
        "http://x/a.flv?auth_key=soon-0-0-abc",
        "http://x/a.flv?other=1",
    ],
)
def test_urls_without_a_readable_auth_key_have_no_expiry(url: str) -> None:
    assert url_expiry(url) is None


def test_auth_key_is_found_among_other_parameters() -> None:
    assert auth_key_of("rtmp://h/app/s?x=1&auth_key=5-0-0-abc&y=2") == "5-0-0-abc"
