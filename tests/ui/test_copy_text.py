"""The "Copy all" texts: grouped plain text and JSON, every URL complete (pure functions)."""

from __future__ import annotations

import json

from app.api.models import SceneInfo, StartResult, StreamInfo
from app.ui.copy_text import (
    TextLabels,
    copy_all_json,
    copy_all_text,
    format_name,
    pgm_urls_text,
)

KEY = "auth_key=1700000000-0-0-0123456789abcdef0123456789abcdef"


def url(name: str, scheme: str = "rtmp", ext: str = "") -> str:
    host = "live.example.com"
    return f"{scheme}://{host}/caster/{name}{ext}?{KEY}"


def result() -> StartResult:
    # Deliberately shuffled: the text must come out tier by tier, RTMP/FLV/HLS within a tier.
    infos = tuple(
        StreamInfo(tier, fmt, url(f"pgm_{tier}", *spec))
        for tier in ("lud", "lld", "lhd", "lsd")
        for fmt, spec in (
            ("m3u8", ("http", ".m3u8")),
            ("flv", ("http", ".flv")),
            ("rtmp", ("rtmp", "")),
        )
    )
    return StartResult(
        request_id="REQ-1",
        pvw=(SceneInfo("scene-pvw", url("pvw")),),
        pgm=(SceneInfo("scene-pgm", url("pgm"), infos),),
    )


def test_text_groups_caster_pvw_pgm_then_outputs_by_tier() -> None:
    res = result()
    text = copy_all_text("春晚主会场", res)
    lines = text.splitlines()
    assert lines[0] == "Caster: 春晚主会场"
    assert lines[2] == "PVW (preview) monitor (scene scene-pvw):"
    assert lines[3] == url("pvw")
    assert lines[5] == "PGM (program) monitor (scene scene-pgm):"
    assert lines[6] == url("pgm")
    assert lines[8] == "PGM outputs:"
    assert [line for line in lines if line.startswith("[")] == ["[lld]", "[lsd]", "[lhd]", "[lud]"]
    lld = lines.index("[lld]")
    assert lines[lld + 1 : lld + 4] == [
        f"RTMP: {url('pgm_lld')}",
        f"FLV: {url('pgm_lld', 'http', '.flv')}",
        f"HLS (m3u8): {url('pgm_lld', 'http', '.m3u8')}",
    ]
    assert lines[-1] == "RequestId: REQ-1"
    for each in res.all_urls():
        assert each in text
    assert text.count(KEY) == 14  # nothing redacted, nothing dropped


def test_text_uses_the_labels_it_is_given() -> None:
    labels = TextLabels(caster="导播台", pvw="预览", pgm="节目", outputs="旁路输出", scene="场景")
    text = copy_all_text("x", result(), labels)
    assert text.startswith("导播台: x\n")
    assert "预览 (场景 scene-pvw):" in text
    assert "旁路输出:" in text


def test_several_scenes_are_numbered_and_a_missing_url_is_a_dash() -> None:
    res = StartResult(
        request_id="",
        pvw=(SceneInfo("a", url("a")), SceneInfo("b", "")),
        pgm=(),
    )
    lines = copy_all_text("c", res).splitlines()
    assert "PVW (preview) monitor 1 (scene a):" in lines
    assert "PVW (preview) monitor 2 (scene b):" in lines
    assert lines[lines.index("PVW (preview) monitor 2 (scene b):") + 1] == "-"
    assert not any(line.startswith("RequestId") for line in lines)


def test_json_is_the_api_shape_plus_the_caster_name() -> None:
    res = result()
    text = copy_all_json("Product Launch", res)
    data = json.loads(text)
    assert data.pop("CasterName") == "Product Launch"
    assert data == res.to_api()
    for each in res.all_urls():
        assert each in text
    assert "春晚" in copy_all_json("春晚", res)  # not \u-escaped: readable when pasted


def test_pgm_urls_are_one_a_line_monitor_first() -> None:
    lines = pgm_urls_text(result()).splitlines()
    assert lines[0] == url("pgm")
    assert len(lines) == 13
    assert lines[1] == url("pgm_lld")
    assert lines[-1] == url("pgm_lud", "http", ".m3u8")
    assert pgm_urls_text(StartResult("", (), ())) == ""


def test_format_names() -> None:
    assert format_name("flv") == "FLV"
    assert format_name("M3U8") == "HLS (m3u8)"
    assert format_name("mp4") == "MP4"
    assert format_name("") == "?"


def test_text_names_tiers_and_notes_each_group_on_its_heading() -> None:
    res = result()
    labels = TextLabels(tier_names={"lld": "Fluent", "lhd": "HD"})
    seen: list[list[str]] = []

    def note(urls: list[str]) -> str:
        seen.append(list(urls))
        return f" · {len(urls)} URLs"

    lines = copy_all_text("c", res, labels, note).splitlines()
    assert "[Fluent] · 3 URLs" in lines and "[HD] · 3 URLs" in lines
    assert "[lsd] · 3 URLs" in lines  # no name given: the code
    assert lines[lines.index("[HD] · 3 URLs") + 1] == f"RTMP: {url('pgm_lhd')}"
    assert "PVW (preview) monitor (scene scene-pvw) · 1 URLs:" in lines
    assert [url("pvw")] in seen and [url("pgm")] in seen
