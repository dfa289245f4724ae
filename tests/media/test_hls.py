"""The HLS playlist slides, segments are valid MPEG-TS with continuous counters."""

from __future__ import annotations

import httpx
import pytest

from app.sandbox.media.hls import KEEP, WINDOW
from app.sandbox.media.mpegts import PACKET_SIZE, PID_AUDIO, PID_PAT, PID_PMT, PID_VIDEO
from tests.media.conftest import OriginHarness, wait_until

pytestmark = pytest.mark.media


def _playlist(url: str) -> tuple[int, list[str], str]:
    response = httpx.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.apple.mpegurl"
    text = response.text
    sequence = int(text.split("#EXT-X-MEDIA-SEQUENCE:")[1].split()[0])
    uris = [line for line in text.splitlines() if line and not line.startswith("#")]
    return sequence, uris, text


def test_playlist_shape(origin: OriginHarness) -> None:
    origin.call(origin.origin.publish, "live", "lsd")
    sequence, uris, text = _playlist(origin.url("hls", "live"))
    lines = text.splitlines()
    assert lines[:3] == ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:1"]
    assert "#EXT-X-ENDLIST" not in text  # live
    assert len(uris) == WINDOW
    assert text.count("#EXTINF:1.000,") == WINDOW
    for offset, uri in enumerate(uris):
        assert uri.startswith(f"live/{sequence + offset}.ts?auth_key=")


def test_playlist_slides_forward(origin: OriginHarness) -> None:
    origin.call(origin.origin.publish, "live", "lld")
    url = origin.url("hls", "live")
    first, _, _ = _playlist(url)
    wait_until(lambda: _playlist(url)[0] > first, 3, "the next segment")


def _segment(base: str, uri: str) -> bytes:
    response = httpx.get(f"{base}/{uri}")
    assert response.status_code == 200, uri
    return response.content


def test_segments_are_mpegts_with_continuous_counters(origin: OriginHarness) -> None:
    origin.call(origin.origin.publish, "live", "lhd")
    url = origin.url("hls", "live")
    base = url.split("?")[0].rsplit("/", 1)[0]
    _, uris, _ = _playlist(url)
    data = b"".join(_segment(base, uri) for uri in uris)
    assert len(data) % PACKET_SIZE == 0
    counters: dict[int, int] = {}
    pids = set()
    for pos in range(0, len(data), PACKET_SIZE):
        packet = data[pos : pos + PACKET_SIZE]
        assert packet[0] == 0x47
        pid = ((packet[1] & 0x1F) << 8) | packet[2]
        pids.add(pid)
        counter = packet[3] & 0x0F
        if pid in counters:
            assert counter == (counters[pid] + 1) & 0x0F, f"continuity break on PID {pid:#x}"
        counters[pid] = counter
    assert pids == {PID_PAT, PID_PMT, PID_VIDEO, PID_AUDIO}
    # Each segment starts with PAT, PMT and then a keyframe carrying a PCR.
    first = _segment(base, uris[0])
    assert first[1] & 0x40 and ((first[1] & 0x1F) << 8 | first[2]) == PID_PAT
    video = first[2 * PACKET_SIZE : 3 * PACKET_SIZE]
    assert video[3] & 0x20 and video[5] & 0x50 == 0x50  # adaptation: random access + PCR


def test_segments_outside_the_window_are_gone(origin: OriginHarness) -> None:
    origin.call(origin.origin.publish, "live", "lld")
    url = origin.url("hls", "live")
    base = url.split("?")[0].rsplit("/", 1)[0]
    sequence, uris, _ = _playlist(url)
    newest = sequence + len(uris) - 1
    sign = origin.origin.sign
    for number, status in ((newest, 200), (newest + 1, 404), (newest - WINDOW - KEEP - 1, 404)):
        path = f"/caster/live/{number}.ts"
        key = origin.call(sign, path)
        assert httpx.get(f"{base}/live/{number}.ts?auth_key={key}").status_code == status


def test_sequence_numbers_never_go_back_when_republished(origin: OriginHarness) -> None:
    origin.call(origin.origin.publish, "again", "lld")
    before, _, _ = _playlist(origin.url("hls", "again"))
    origin.call(origin.origin.unpublish, "again")
    origin.call(origin.origin.publish, "again", "lld")
    after, uris, _ = _playlist(origin.url("hls", "again"))
    assert after > before + len(uris) - 1


def test_publishing_again_keeps_the_clock(origin: OriginHarness) -> None:
    origin.call(origin.origin.publish, "same", "lld")
    before, _, _ = _playlist(origin.url("hls", "same"))
    origin.call(origin.origin.publish, "same", "lld")
    after, _, _ = _playlist(origin.url("hls", "same"))
    assert after in (before, before + 1)
    with pytest.raises(ValueError, match="rendition"):
        origin.call(origin.origin.publish, "other", "4k")
