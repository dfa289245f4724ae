"""Parsing: both list shapes, type drift, dates, and hostile bodies that must not crash."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.api.client import LiveClient
from app.api.errors import ApiError, ProtocolError
from app.api.models import CasterPage, CasterStreamUrls, StartResult, sorted_stream_infos
from app.api.signing import SigningKey

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "StartCaster.md"

# The seed page's example response, flat lists as printed there.
SEED_EXAMPLE: dict[str, Any] = {
    "RequestId": "16A96B9A-F203-4EC5-8E43-CB92E68F4CD8",
    "PvwSceneInfos": [
        {
            "SceneId": "b5f8c837-ceeb-424f-b30b-68e94e864995",
            "StreamUrl": "rtmp://XXXXXX/caster/1975ee99db904ebb83908d43bc878188?auth_key=1506396160-0-0-063397072a9980fd418d43eb00e02e09",
        }
    ],
    "PgmSceneInfos": [
        {
            "SceneId": "b5f8c837-ceeb-424f-b30b-68e94e864996",
            "StreamUrl": "rtmp://XXXXXX/caster/1975ee99db904ebb83908d43bc878188?auth_key=1506396160-0-0-063397072a9980fd418d43eb00e02e10",
            "StreamInfos": [
                {
                    "VideoFormat": "flv",
                    "OutputStreamUrl": "http://XXXXXX/caster/fb628e2469f94f2aa2c0c219af8b2527_lld.flv?auth_key=1506396160-0-0-7de771a77102680861853af862d5eaf0",
                    "TranscodeConfig": "lld",
                },
                {
                    "VideoFormat": "rtmp",
                    "OutputStreamUrl": "rtmp://XXXXXX/caster/fb628e2469f94f2aa2c0c219af8b2527_lld?auth_key=1506396160-0-0-77ed32cd82ed32ccd51a832b5765814c",
                    "TranscodeConfig": "lld",
                },
                {
                    "VideoFormat": "m3u8",
                    "OutputStreamUrl": "http://XXXXXX/caster/fb628e2469f94f2aa2c0c219af8b2527.m3u8?auth_key=1506396160-0-0-d51f0512dcf76aa749f79f53ae6421d2",
                    "TranscodeConfig": "lld",
                },
            ],
        }
    ],
}


def wrapped(flat: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(flat)
    for key in ("PvwSceneInfos", "PgmSceneInfos"):
        for scene in out[key]:
            if "StreamInfos" in scene:
                scene["StreamInfos"] = {"StreamInfo": scene["StreamInfos"]}
        out[key] = {"SceneInfo": out[key]}
    return out


def test_seed_example_matches_the_seed_page() -> None:
    # Guard against this test drifting from the document it claims to reproduce.
    if SEED.exists():
        text = SEED.read_text()
        for url in StartResult.from_api(SEED_EXAMPLE).all_urls():
            assert url in text


def test_flat_and_wrapped_forms_parse_identically() -> None:
    flat = StartResult.from_api(SEED_EXAMPLE)
    wrap = StartResult.from_api(wrapped(SEED_EXAMPLE))
    assert flat == wrap
    assert flat.request_id == "16A96B9A-F203-4EC5-8E43-CB92E68F4CD8"
    assert [s.scene_id for s in flat.pvw] == ["b5f8c837-ceeb-424f-b30b-68e94e864995"]
    assert len(flat.pgm[0].stream_infos) == 3
    assert flat.pgm[0].stream_infos[0].transcode_config == "lld"
    assert len(flat.all_urls()) == 5


def test_to_api_removes_wrappers_and_keeps_api_names() -> None:
    result = StartResult.from_api(wrapped(SEED_EXAMPLE))
    assert result.to_api() == SEED_EXAMPLE


def test_caster_type_drift_dates_duration_and_unknown_fields() -> None:
    page = CasterPage.from_api(
        {
            "RequestId": "R",
            "Total": "2",
            "CasterList": {
                "Caster": [
                    {
                        "CasterId": "a",
                        "CasterName": "春晚主会场",
                        "Status": "1",
                        "NormType": "6",
                        "ChargeType": "PostPaid",
                        "CreateTime": "2017-08-30 12:02:57.0",
                        "LastModified": "2021-12-01T05:08:45Z",
                        "Duration": "1:02:33",
                        "ResourceGroupId": 12345,
                        "Tags": {"tag": [{"TagKey": "team", "TagValue": "news"}]},
                        "SomethingNew": {"nested": True},
                    },
                    {"CasterId": "b", "Status": 0, "Duration": "26:00:01"},
                ]
            },
        }
    )
    a, b = page.casters
    assert page.total == 2
    assert a.is_streaming and a.norm_type == 6 and a.resource_group_id == "12345"
    assert a.create_time == datetime(2017, 8, 30, 12, 2, 57, tzinfo=UTC)
    assert a.last_modified == datetime(2021, 12, 1, 5, 8, 45, tzinfo=UTC)
    assert a.duration == timedelta(hours=1, minutes=2, seconds=33)
    assert a.tags[0].key == "team"
    assert b.duration == timedelta(hours=26, seconds=1) and not b.is_streaming
    assert a.to_api()["Duration"] == "1:02:33"


def test_single_object_instead_of_list_is_accepted() -> None:
    page = CasterPage.from_api({"CasterList": {"Caster": {"CasterId": "only"}}})
    assert [c.caster_id for c in page.casters] == ["only"]


def test_stream_url_entries_split_into_pvw_and_pgm() -> None:
    urls = CasterStreamUrls.from_api(
        {
            "RequestId": "R",
            "CasterId": "c",
            "CasterStreams": {
                "CasterStream": [
                    {"SceneId": "p", "OutputType": 0, "StreamUrl": "rtmp://x/pvw"},
                    {
                        "SceneId": "g",
                        "OutputType": "1",
                        "StreamUrl": "rtmp://x/pgm",
                        "StreamInfos": {
                            "StreamInfo": SEED_EXAMPLE["PgmSceneInfos"][0]["StreamInfos"]
                        },
                    },
                ]
            },
        }
    )
    result = urls.as_start_result(confirmed_by="DescribeCasterStreamUrl")
    assert result.pvw[0].scene_id == "p" and result.pgm[0].scene_id == "g"
    assert [s.video_format for s in sorted_stream_infos(result.pgm[0].stream_infos)] == [
        "rtmp",
        "flv",
        "m3u8",
    ]


@pytest.mark.parametrize(
    "bad",
    [
        {"CasterList": {"Caster": [{"CasterId": {"x": 1}}]}},
        {"CasterList": {"Caster": [{"CasterId": "a", "Status": "streaming"}]}},
        {"CasterList": {"Caster": [{"CasterId": "a", "CreateTime": "yesterday"}]}},
        {"CasterList": {"Caster": [{"CasterName": "no id"}]}},
        {"CasterList": "nope"},
        {"CasterList": {"Caster": [1, 2]}},
        {"Total": [], "CasterList": {"Caster": []}},
    ],
)
def test_wrong_field_types_raise_protocol_error(bad: dict[str, Any]) -> None:
    with pytest.raises(ProtocolError):
        CasterPage.from_api(bad)


# --- hostile bodies through the real client (MockTransport: pure parsing) -----------------


def client_answering(status: int, body: bytes, headers: dict[str, str] | None = None) -> LiveClient:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers=headers or {})

    return LiveClient(
        SigningKey("id", "secret"),
        region_id="cn-shanghai",
        transport=httpx.MockTransport(handler),
        sleep=lambda s: None,
    )


HOSTILE = {
    "html error page": (502, b"<html><body><h1>502 Bad Gateway</h1></body></html>"),
    "truncated json": (200, b'{"RequestId": "R", "CasterList": {"Caster": [{"CasterId": "a"'),
    "top-level array": (200, b'[{"CasterId": "a"}]'),
    "wrong field types": (200, json.dumps({"CasterList": {"Caster": [{"CasterId": []}]}}).encode()),
    "ten megabytes": (200, b'{"RequestId": "' + b"x" * (10 * 1024 * 1024) + b'"}'),
    "empty body": (200, b""),
    "not utf-8": (200, b"\xff\xfe\x00garbage"),
    "deeply nested": (200, b"[" * 100_000 + b"]" * 100_000),
    "error status without code": (403, b'{"RequestId": "R"}'),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_bodies_raise_protocol_error(name: str) -> None:
    status, body = HOSTILE[name]
    with client_answering(status, body) as client, pytest.raises(ProtocolError) as info:
        client.describe_casters()
    assert info.value.explanation().summary  # plain language for the UI
    assert info.value.http_status == status


def test_error_body_becomes_api_error_with_all_fields() -> None:
    body = json.dumps(
        {
            "RequestId": "RID",
            "HostId": "live.aliyuncs.com",
            "Code": "InvalidCaster.NotFound",
            "Message": "Caster is not found.",
            "Recommend": "https://api.aliyun.com/troubleshoot?q=InvalidCaster.NotFound",
        }
    ).encode()
    with client_answering(404, body) as client, pytest.raises(ApiError) as info:
        client.start_caster("nope")
    err = info.value
    assert (err.code, err.http_status, err.request_id) == ("InvalidCaster.NotFound", 404, "RID")
    assert err.recommend and err.recommend.startswith("https://api.aliyun.com/troubleshoot")
    assert err.host_id == "live.aliyuncs.com" and err.action == "StartCaster"
