"""Judging probe results: sizes against tier labels and order, the monitors, expiry words."""

from __future__ import annotations

from app.probe.engine import ProbeResult
from app.probe.judge import Output, judge, summary, url_format

NOW = 1_800_000_000
SIGNED = f"auth_key={NOW}-0-0-0123456789abcdef0123456789abcdef"


def output(tier: str | None, fmt: str = "flv", scene: str = "pgm") -> Output:
    return Output(scene, tier, fmt, f"http://h/caster/s_{tier}.{fmt}?{SIGNED}")


def played(width: int, height: int, **flags: bool) -> ProbeResult:
    return ProbeResult("u", True, width=width, height=height, fps=25.0, audio=True, **flags)


def problems(pairs: list[tuple[Output, ProbeResult]], **options: float) -> list[list[str]]:
    verdicts = judge(
        [o for o, _ in pairs], [r for _, r in pairs], now=NOW, validity_s=86400, **options
    )
    return [v.problems for v in verdicts]


def test_sandbox_and_alibaba_standard_sizes_both_fit_their_labels() -> None:
    sandbox = [(270, 480), (360, 640), (720, 1280), (1080, 1920)]
    alibaba = [(360, 640), (432, 768), (648, 1152), (1080, 1920)]
    for sizes in (sandbox, alibaba):
        pairs = [
            (output(t), played(w, h))
            for t, (h, w) in zip(("lld", "lsd", "lhd", "lud"), sizes, strict=True)
        ]
        assert problems(pairs) == [[], [], [], []]


def test_a_tier_outside_its_band_is_wrong_size_and_order_ignores_it() -> None:
    pairs = [
        (output("lld"), played(480, 270)),
        (output("lsd"), played(640, 360)),
        (output("lhd"), played(640, 360)),  # served at lsd's size
        (output("lud"), played(1920, 1080)),
    ]
    assert problems(pairs) == [[], [], ["wrong-size"], []]


def test_tiers_of_one_format_must_grow() -> None:
    pairs = [
        (output("lld"), played(640, 360)),  # 360 is allowed for lld and lsd alike...
        (output("lsd"), played(640, 360)),  # ...but they cannot be equal
        (output("lld", "m3u8"), played(480, 270)),
        (output("lsd", "m3u8"), played(640, 360)),
    ]
    assert problems(pairs) == [["tier-order"], ["tier-order"], [], []]


def test_monitors_of_different_sizes_are_both_flagged() -> None:
    pairs = [
        (output(None, "rtmp", "pvw"), played(640, 360)),
        (output(None, "rtmp", "pgm"), played(1280, 720)),
    ]
    assert problems(pairs) == [["wrong-size"], ["wrong-size"]]


def test_unplayable_black_frozen_silent_and_expiry_words() -> None:
    pairs = [
        (output("lld"), ProbeResult("u", False, "connection refused")),
        (output("lsd"), played(640, 360, black=True, silent=True)),
        (output("lhd"), played(1280, 720, frozen=True)),
    ]
    assert problems(pairs) == [["unplayable"], ["black", "silent"], ["frozen"]]
    # 24 h of validity: a 30 h event outlives every URL; after 25 h they are expired.
    assert problems(pairs, event_hours=30)[2] == ["frozen", "expires-soon"]
    later = judge(
        [o for o, _ in pairs], [r for _, r in pairs], now=NOW + 25 * 3600, validity_s=86400
    )
    assert [v.problems[-1] for v in later] == ["expired"] * 3


def test_summary_names_the_first_problem() -> None:
    pairs = [
        (output("lld"), played(480, 270)),
        (output("lhd"), ProbeResult("u", False, "connection refused")),
    ]
    verdicts = judge([o for o, _ in pairs], [r for _, r in pairs], now=NOW, validity_s=86400)
    assert summary(verdicts) == "1 of 2 outputs play · lhd FLV: connection refused"


def test_url_format() -> None:
    assert url_format("rtmp://h/a/s?auth_key=1") == "rtmp"
    assert url_format("http://h/a/s.flv?auth_key=1") == "flv"
    assert url_format("https://h/a/s.m3u8") == "m3u8"
