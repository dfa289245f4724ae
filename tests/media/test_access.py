"""auth_key type A is enforced on every format; stopped streams are 404 / StreamNotFound."""

from __future__ import annotations

import time

import av
import httpx
import pytest

from app.sandbox.media.auth_key import AuthResult, sign_uri, verify
from tests.media.conftest import PRIVATE_KEY, OriginHarness
from tests.media.players import RtmpProbe, rtmp_play_codes

pytestmark = pytest.mark.media

REFERENCE_URI = "/caster/fb628e2469f94f2aa2c0c219af8b2527_lld.flv"


def test_reference_check_value() -> None:
    key = sign_uri(REFERENCE_URI, "testkey", 1506396160)
    assert key == "1506396160-0-0-0d5c236ac482f17ab0ad878423ff63be"
    assert verify(REFERENCE_URI, key, "testkey", 1506396160, 1800) is AuthResult.OK


@pytest.mark.parametrize(
    ("key", "now", "expected"),
    [
        ("1506396160-0-0-0d5c236ac482f17ab0ad878423ff63be", 1506396160 + 1800, AuthResult.OK),
        ("1506396160-0-0-0d5c236ac482f17ab0ad878423ff63be", 1506397961, AuthResult.EXPIRED),
        ("1506396160-0-0-0d5c236ac482f17ab0ad878423ff63bf", 1506396160, AuthResult.BAD_HASH),
        ("1506396161-0-0-0d5c236ac482f17ab0ad878423ff63be", 1506396160, AuthResult.BAD_HASH),
        ("1506396160-1-0-0d5c236ac482f17ab0ad878423ff63be", 1506396160, AuthResult.BAD_HASH),
        ("1506396160-0-0", 1506396160, AuthResult.MALFORMED),
        ("soon-0-0-0d5c236ac482f17ab0ad878423ff63be", 1506396160, AuthResult.MALFORMED),
        ("", 1506396160, AuthResult.MISSING),
        (None, 1506396160, AuthResult.MISSING),
    ],
)
def test_verify(key: str | None, now: int, expected: AuthResult) -> None:
    assert verify(REFERENCE_URI, key, "testkey", now, 1800) is expected


def test_the_hash_covers_the_path_only() -> None:
    key = sign_uri("/caster/a.flv", "k", 100, rand="abc", uid="7")
    assert key.startswith("100-abc-7-")
    assert verify("/caster/a.flv", key, "k", 100, 10) is AuthResult.OK
    assert verify("/caster/a.m3u8", key, "k", 100, 10) is AuthResult.BAD_HASH
    assert verify("/caster/a.flv", key, "other", 100, 10) is AuthResult.BAD_HASH


def _tamper(url: str) -> str:
    last = url[-1]
    return url[:-1] + ("0" if last != "0" else "1")


def _expired(url: str, uri: str) -> str:
    old = int(time.time()) - 86400 - 60
    return url.split("?", maxsplit=1)[0] + "?auth_key=" + sign_uri(uri, PRIVATE_KEY, old)


@pytest.mark.parametrize("kind", ["flv", "hls"])
def test_http_refuses_a_tampered_or_expired_or_missing_key(
    origin: OriginHarness, kind: str
) -> None:
    origin.call(origin.origin.publish, "guarded", "pvw")
    url = origin.url(kind, "guarded")
    uri = "/caster/guarded." + ("flv" if kind == "flv" else "m3u8")
    assert httpx.head(url).status_code == 200
    assert httpx.get(_tamper(url)).status_code == 403
    assert httpx.get(_expired(url, uri)).status_code == 403
    assert httpx.get(url.split("?")[0]).status_code == 403
    # A key signed for another stream does not open this one.
    other = origin.url(kind, "other").split("?")[1]
    assert httpx.get(url.split("?")[0] + "?" + other).status_code == 403
    with pytest.raises(av.error.HTTPForbiddenError):
        av.open(_tamper(url), timeout=5)


def test_hls_segments_are_signed_too(origin: OriginHarness) -> None:
    origin.call(origin.origin.publish, "segs", "lld")
    playlist = httpx.get(origin.url("hls", "segs")).text
    segment = [line for line in playlist.splitlines() if ".ts?auth_key=" in line][-1]
    base = origin.url("hls", "segs").rsplit("/", 1)[0]
    good = httpx.get(f"{base}/{segment}")
    assert good.status_code == 200 and good.headers["content-type"] == "video/mp2t"
    assert httpx.get(f"{base}/{_tamper(segment)}").status_code == 403
    assert httpx.get(f"{base}/{segment.split('?')[0]}").status_code == 403


def test_rtmp_refuses_a_tampered_or_expired_key(origin: OriginHarness) -> None:
    origin.call(origin.origin.publish, "guarded", "pgm")
    url = origin.url("rtmp", "guarded")
    assert rtmp_play_codes(url)[0] == ["NetStream.Play.Reset", "NetStream.Play.Start"]
    for bad in (_tamper(url), _expired(url, "/caster/guarded"), url.split("?")[0]):
        codes, closed = rtmp_play_codes(bad)
        assert codes == ["NetStream.Play.Failed"]
        assert closed
    with pytest.raises(av.error.FFmpegError):
        av.open(_tamper(url), timeout=5)


def test_rtmp_accepts_the_key_on_the_tc_url_too(origin: OriginHarness) -> None:
    """Some clients put the query on the application (tcUrl) instead of the stream name."""
    origin.call(origin.origin.publish, "tc", "pvw")
    url = origin.url("rtmp", "tc")
    path, query = url.split("?")
    probe = RtmpProbe(path)
    probe.app = f"caster?{query}"
    probe.tc_url = f"{probe.tc_url}?{query}"
    try:
        assert probe.play(until_media=3) == ["NetStream.Play.Reset", "NetStream.Play.Start"]
    finally:
        probe.close()


def test_unpublished_and_unknown_streams_are_not_found(origin: OriginHarness) -> None:
    origin.call(origin.origin.publish, "brief", "pvw")
    urls = {kind: origin.url(kind, "brief") for kind in ("flv", "hls", "rtmp")}
    assert httpx.head(urls["flv"]).status_code == 200
    origin.call(origin.origin.unpublish, "brief")
    assert httpx.get(urls["flv"]).status_code == 404
    assert httpx.get(urls["hls"]).status_code == 404
    codes, closed = rtmp_play_codes(urls["rtmp"])
    assert codes == ["NetStream.Play.StreamNotFound"] and closed
    with pytest.raises(av.error.HTTPNotFoundError):
        av.open(urls["flv"], timeout=5)
    never = origin.url("flv", "never-published")
    assert httpx.get(never).status_code == 404
    assert httpx.get(origin.url("flv", "x").replace("/caster/", "/other/")).status_code == 404


def test_unpublish_ends_current_viewers(origin: OriginHarness) -> None:
    origin.call(origin.origin.publish, "ending", "pgm")
    with httpx.stream("GET", origin.url("flv", "ending"), timeout=5) as response:
        chunks = response.iter_bytes()
        assert next(chunks).startswith(b"FLV")
        assert origin.viewers("ending") == 1
        origin.call(origin.origin.unpublish, "ending")
        rest = b"".join(chunks)  # the response ends instead of running forever
    assert isinstance(rest, bytes)
    assert origin.viewers("ending") == 0


def test_other_paths_and_methods(origin: OriginHarness) -> None:
    base = origin.url("flv", "s").split("/caster/")[0]
    assert httpx.get(base + "/").status_code == 404
    assert httpx.get(base + "/caster/a/b/c.flv").status_code == 404
    assert httpx.post(origin.url("flv", "s")).status_code == 405
