"""A cut drops current viewers, refuses new ones for N seconds, then the stream is back."""

from __future__ import annotations

import threading
import time

import av
import httpx
import pytest

from tests.media.conftest import OriginHarness, wait_until
from tests.media.players import play, rtmp_play_codes

pytestmark = pytest.mark.media

CUT_S = 3.0


def test_cut_drops_viewers_refuses_new_ones_then_resumes(origin: OriginHarness) -> None:
    origin.call(origin.origin.publish, "flaky", "pgm")
    urls = {kind: origin.url(kind, "flaky") for kind in ("rtmp", "flv", "hls")}

    # An RTMP viewer decoding in FFmpeg, and an HTTP-FLV viewer reading raw bytes.
    rtmp_outcome: dict[str, object] = {}
    rtmp_started = threading.Event()

    def watch_rtmp() -> None:
        frames = 0
        try:
            with av.open(urls["rtmp"], timeout=5) as container:
                for _ in container.decode(video=0):
                    frames += 1
                    rtmp_started.set()
                    if frames > 2000:
                        break
            rtmp_outcome["ended"] = "eof"
        except av.error.FFmpegError as exc:
            rtmp_outcome["ended"] = f"error {exc}"
        rtmp_outcome["frames"] = frames

    rtmp_viewer = threading.Thread(target=watch_rtmp)
    rtmp_viewer.start()
    try:
        with httpx.stream("GET", urls["flv"], timeout=5) as response:
            chunks = response.iter_bytes()
            assert next(chunks).startswith(b"FLV")
            assert rtmp_started.wait(10)
            wait_until(lambda: origin.viewers("flaky") == 2, 5, "both viewers")

            cut_at = time.monotonic()
            origin.call(origin.origin.cut, "flaky", CUT_S)
            with pytest.raises(httpx.RemoteProtocolError):
                for _ in chunks:  # the chunked body breaks off: the link was cut
                    pass
        rtmp_viewer.join(10)
        assert not rtmp_viewer.is_alive()
        print(f"RTMP viewer at the cut: {rtmp_outcome}")
        assert "ended" in rtmp_outcome and rtmp_outcome["frames"]  # it played, then lost the link
        assert origin.viewers("flaky") == 0

        # During the cut nobody gets in, whatever the format.
        assert httpx.get(urls["flv"]).status_code == 404
        assert httpx.get(urls["hls"]).status_code == 404
        assert rtmp_play_codes(urls["rtmp"])[0] == ["NetStream.Play.StreamNotFound"]
        assert time.monotonic() - cut_at < CUT_S, "checks took longer than the cut"

        # Then the stream comes back by itself.
        wait_until(
            lambda: httpx.head(urls["flv"]).status_code == 200, CUT_S + 5, "the end of the cut"
        )
        assert time.monotonic() - cut_at >= CUT_S - 0.05
        for kind in ("rtmp", "flv", "hls"):
            seen = play(urls[kind], video_frames=10, audio_frames=5)
            assert (seen.width, seen.height) == (640, 360)
    finally:
        origin.call(origin.origin.unpublish, "flaky")
        rtmp_viewer.join(10)


def test_cut_keeps_the_clock_running(origin: OriginHarness) -> None:
    """HLS segment numbers carry on after a cut instead of starting again."""
    origin.call(origin.origin.publish, "clock", "lld")
    url = origin.url("hls", "clock")

    def sequence() -> int:
        text = httpx.get(url).text
        return int(text.split("#EXT-X-MEDIA-SEQUENCE:")[1].split()[0])

    before = sequence()
    origin.call(origin.origin.cut, "clock", 1.0)
    assert httpx.get(url).status_code == 404
    wait_until(lambda: httpx.get(url).status_code == 200, 6, "the end of the cut")
    after = sequence()
    assert after >= before + 1


def test_cutting_an_unknown_stream_is_harmless(origin: OriginHarness) -> None:
    origin.call(origin.origin.cut, "nobody", 5.0)
    origin.call(origin.origin.unpublish, "nobody")
    assert origin.viewers("nobody") == 0
