"""Media faults: each kind breaks exactly the output it names, and decodes as that breakage."""

from __future__ import annotations

import array
import time

import av
import pytest

from app.sandbox.media.media_faults import MediaFault, parse_media_fault, pick
from app.sandbox.media.renditions import RENDITIONS
from tests.media.conftest import OriginHarness, wait_until
from tests.media.players import rtmp_play_codes

pytestmark = pytest.mark.media


def test_specs_parse_and_bad_ones_say_why() -> None:
    assert parse_media_fault("lhd/flv:dead") == MediaFault("lhd", "dead", "flv")
    assert parse_media_fault(" LUD:Black ") == MediaFault("lud", "black")
    assert parse_media_fault("pgm/rtmp:expire=-30") == MediaFault("pgm", "expire", "rtmp", -30)
    assert str(parse_media_fault("lud/m3u8:expire=60")) == "lud/m3u8:expire=60"
    for spec, why in (
        ("lhd", r"not RENDITION\[/FORMAT\]:KIND"),
        ("hd:dead", "unknown rendition"),
        ("lhd/mp4:dead", "unknown format"),
        ("lhd:melted", "unknown kind"),
        ("lhd:expire=soon", "whole seconds"),
    ):
        with pytest.raises(ValueError, match=why):
            parse_media_fault(spec)


def test_a_format_narrowed_rule_wins_over_a_general_one() -> None:
    rules = [MediaFault("lud", "black"), MediaFault("lud", "frozen", "flv")]
    assert pick(rules, "lud", "flv", expire=False) == rules[1]
    assert pick(rules, "lud", "rtmp", expire=False) == rules[0]
    assert pick(rules, "lhd", "rtmp", expire=False) is None
    assert pick([*rules, MediaFault("lud", "expire", None, 5)], "lud", "rtmp", expire=True)


def _watch(url: str, frames: int = 50) -> tuple[tuple[int, int], list[bytes], float]:
    """(size, small grey pictures, loudest audio sample) of the first ``frames`` frames."""
    pictures: list[bytes] = []
    loudest = 0.0
    size = (0, 0)
    with av.open(url, timeout=10) as container:
        for frame in container.decode(video=0, audio=0):
            if isinstance(frame, av.VideoFrame):
                size = (frame.width, frame.height)
                grey = frame.reformat(width=32, height=18, format="gray")
                pictures.append(bytes(grey.planes[0])[: 32 * 18])
                if len(pictures) >= frames:
                    break
            else:
                samples = array.array("f", bytes(frame.planes[0]))[: frame.samples]
                loudest = max(loudest, *samples, -min(samples))
    return size, pictures, loudest


@pytest.fixture
def faulty() -> OriginHarness:
    harness = OriginHarness(
        media_faults=[
            parse_media_fault(s)
            for s in (
                "lhd/flv:dead",
                "lud:black",
                "pgm:silent",
                "lsd/rtmp:frozen",
                "lld:wrong-size",
            )
        ]
    )
    try:
        for name, rendition in (
            ("p", "pgm"),
            ("l", "lld"),
            ("s", "lsd"),
            ("h", "lhd"),
            ("u", "lud"),
        ):
            harness.call(harness.origin.publish, name, rendition)
        yield harness  # type: ignore[misc]
    finally:
        harness.close()


def test_each_fault_shows_in_the_decoded_stream(faulty: OriginHarness) -> None:
    # dead: 404 over HTTP-FLV; the same rendition's other formats play.
    with pytest.raises(av.error.HTTPNotFoundError):
        av.open(faulty.url("flv", "h"), timeout=5)
    assert _watch(faulty.url("rtmp", "h"))[0] == (1280, 720)
    # black: every format of lud, at lud's size; audio untouched.
    for kind in ("rtmp", "flv", "hls"):
        size, pictures, loudest = _watch(faulty.url(kind, "u"))
        assert size == (1920, 1080)
        assert all(max(p) <= 20 for p in pictures), kind
        assert loudest > 0.05
    # silent: PGM's audio is digital silence, its picture moves.
    size, pictures, loudest = _watch(faulty.url("rtmp", "p"))
    assert loudest == 0.0 and len(set(pictures)) > 10
    # frozen: the same picture over and over, on RTMP only.
    _, frozen, _ = _watch(faulty.url("rtmp", "s"))
    _, moving, _ = _watch(faulty.url("flv", "s"))
    assert len(set(frozen)) == 1 and len(frozen) == 50
    assert len(set(moving)) > 10
    # wrong-size: lld served at 720p.
    assert _watch(faulty.url("flv", "l"), frames=2)[0] == (
        RENDITIONS["lhd"].width,
        RENDITIONS["lhd"].height,
    )


def test_dead_rtmp_is_refused_and_faults_can_be_healed(faulty: OriginHarness) -> None:
    faulty.call(faulty.origin.set_media_faults, [parse_media_fault("lhd/rtmp:dead")])
    codes, _ = rtmp_play_codes(faulty.url("rtmp", "h"))
    assert codes[-1] == "NetStream.Play.StreamNotFound"
    # The black fault is gone with the new set: lud plays its real look again.
    _, pictures, _ = _watch(faulty.url("flv", "u"), frames=5)
    assert all(max(p) > 40 for p in pictures)


def test_a_faulty_view_follows_look_changes_and_cuts(faulty: OriginHarness) -> None:
    _, before, _ = _watch(faulty.url("rtmp", "s"), frames=3)
    assert len(set(before)) == 1
    faulty.call(faulty.origin.set_look, "s", "standby")  # shows from the next keyframe (1 s)

    def frozen_on_another_picture() -> bool:
        # A new viewer's GOP cache reaches 2-3 s back: once it is all after the change, every
        # picture is the standby look's, frozen.
        _, pictures, _ = _watch(faulty.url("rtmp", "s"), frames=10)
        return len(set(pictures)) == 1 and pictures[0] != before[0]

    wait_until(frozen_on_another_picture, 15, "the frozen view to show the new look")
    faulty.call(faulty.origin.cut, "u", 60.0)
    with pytest.raises(av.error.HTTPNotFoundError):
        av.open(faulty.url("flv", "u"), timeout=5)
    wait_until(lambda: faulty.viewers("u") == 0, 5, "the cut to drop viewers")


def test_expire_signs_urls_that_stop_working_then(faulty: OriginHarness) -> None:
    faulty.call(
        faulty.origin.set_media_faults,
        [parse_media_fault("lud/flv:expire=-1"), parse_media_fault("lhd:expire=120")],
    )
    expired = faulty.url("flv", "u")
    with pytest.raises(av.error.HTTPForbiddenError):
        av.open(expired, timeout=5)
    assert _watch(faulty.url("hls", "u"), frames=2)[0] == (1920, 1080)  # other formats fine
    soon = faulty.url("rtmp", "h")
    stamp = int(soon.split("auth_key=")[1].split("-")[0])
    validity = faulty.call(lambda: faulty.origin.url_validity_s)
    assert abs(stamp + validity - (time.time() + 120)) <= 2
    assert _watch(soon, frames=2)[0] == (1280, 720)  # valid until then
