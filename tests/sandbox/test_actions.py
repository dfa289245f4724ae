"""Every emulated action, its JSON shape and its error codes, over real HTTP."""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.sandbox import Sandbox
from tests.sandbox.wire import call, error, ok

CST_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.0$")
ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
DURATION = re.compile(r"^\d+:\d{2}:\d{2}$")
HEX32 = re.compile(r"^[0-9a-f]{32}$")
AUTH_KEY = re.compile(r"\?auth_key=\d+-[0-9a-z]+-0-[0-9a-f]{32}$")

# Seed casters by role (ids are stable; the order of caster_ids is the seed order).
STREAMING, IDLE_GENERAL, PLAYLIST, PREPAID, CONSOLE_ID, NO_DOMAIN, FORBIDDEN, PLAYLIST2 = range(8)
CASTER_ACTIONS = [
    "StartCaster",
    "StopCaster",
    "DescribeCasterScenes",
    "DescribeCasterStreamUrl",
    "DescribeCasterConfig",
    "CopyCasterSceneConfig",
]


def describe(sb: Sandbox, **params: str) -> dict[str, Any]:
    return ok(call(sb, "DescribeCasters", params))


def casters_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    return list(data["CasterList"]["Caster"])


def cid(sb: Sandbox, role: int) -> str:
    return sb.caster_ids[role]


# --- DescribeCasters --------------------------------------------------------------------


def test_describe_casters_shape_and_formats(api_sandbox: Sandbox) -> None:
    data = describe(api_sandbox, RegionId="cn-shanghai")
    casters = casters_of(data)
    assert data["Total"] == len(casters) == 8
    assert {c["CasterId"] for c in casters} == set(api_sandbox.caster_ids)
    names = {c["CasterName"] for c in casters}
    assert {"春晚主会场", "Product Launch Keynote", "24小时音乐轮播"} <= names
    for caster in casters:
        assert caster["Status"] in (0, 1)
        assert caster["ChargeType"] in ("PrePaid", "PostPaid")
        assert isinstance(caster["NormType"], int) and caster["NormType"] in (1, 6)
        assert CST_TIME.match(caster["CreateTime"])
        assert ISO_UTC.match(caster["LastModified"])
        assert isinstance(caster["Tags"]["tag"], list)
        assert caster["ResourceGroupId"].startswith("rg-")
    by_id = {c["CasterId"]: c for c in casters}
    streaming = by_id[cid(api_sandbox, STREAMING)]
    assert streaming["Status"] == 1
    assert CST_TIME.match(streaming["StartTime"])
    assert DURATION.match(streaming["Duration"])
    assert streaming["Duration"].startswith("1:02:")  # "on air for an hour" at boot
    assert {"TagKey": "project", "TagValue": "spring-gala"} in streaming["Tags"]["tag"]
    idle = by_id[cid(api_sandbox, IDLE_GENERAL)]
    assert idle["Status"] == 0 and "StartTime" not in idle and "Duration" not in idle
    prepaid = by_id[cid(api_sandbox, PREPAID)]
    assert prepaid["ChargeType"] == "PrePaid"
    assert CST_TIME.match(prepaid["PurchaseTime"]) and CST_TIME.match(prepaid["ExpireTime"])
    assert by_id[cid(api_sandbox, PLAYLIST)]["NormType"] == 6
    assert cid(api_sandbox, CONSOLE_ID).startswith("LIVEPRODUCER_POST-cn-")


def test_describe_casters_orders_by_last_modified(api_sandbox: Sandbox) -> None:
    newest_first = [c["LastModified"] for c in casters_of(describe(api_sandbox))]
    assert newest_first == sorted(newest_first, reverse=True)
    oldest_first = casters_of(describe(api_sandbox, OrderByModifyAsc="true"))
    assert [c["CasterId"] for c in oldest_first] == [
        c["CasterId"] for c in reversed(casters_of(describe(api_sandbox)))
    ]
    # starting a caster makes it the most recently modified
    ok(call(api_sandbox, "StartCaster", {"CasterId": cid(api_sandbox, PLAYLIST)}))
    assert casters_of(describe(api_sandbox))[0]["CasterId"] == cid(api_sandbox, PLAYLIST)
    error(
        call(api_sandbox, "DescribeCasters", {"OrderByModifyAsc": "maybe"}), "InvalidParameter", 400
    )


@pytest.mark.parametrize(
    ("params", "expected_roles"),
    [
        ({"Status": "1"}, {STREAMING}),
        ({"Status": "0"}, set(range(8)) - {STREAMING}),
        ({"ChargeType": "0"}, {PREPAID}),
        ({"NormType": "6"}, {PLAYLIST, PLAYLIST2}),
        ({"CasterName": "keynote"}, {IDLE_GENERAL}),
        ({"CasterName": "春晚"}, {STREAMING}),
        ({"ResourceGroupId": "rg-acfmsandbox0002"}, {PREPAID}),
        ({"Tag.1.Key": "env", "Tag.1.Value": "staging"}, {PREPAID, PLAYLIST2}),
        (
            {"Tag.1.Key": "env", "Tag.1.Value": "prod", "Tag.2.Key": "project"},
            {STREAMING, IDLE_GENERAL},
        ),
        (
            {"StartTime": "2025-03-01T00:00:00Z", "EndTime": "2025-05-01T00:00:00Z"},
            {IDLE_GENERAL, PREPAID},
        ),
        ({"StartTime": "2025-05-01T00:00:00Z"}, {NO_DOMAIN, PLAYLIST2}),
        ({"EndTime": "2024-10-01T00:00:00Z"}, {CONSOLE_ID}),
        ({"Status": "0", "NormType": "6", "Tag.1.Key": "env"}, {PLAYLIST, PLAYLIST2}),
    ],
)
def test_describe_casters_filters(
    api_sandbox: Sandbox, params: dict[str, str], expected_roles: set[int]
) -> None:
    data = describe(api_sandbox, **params)
    found = {c["CasterId"] for c in casters_of(data)}
    assert found == {cid(api_sandbox, r) for r in expected_roles}
    assert data["Total"] == len(found)


def test_describe_casters_by_id(api_sandbox: Sandbox) -> None:
    target = cid(api_sandbox, CONSOLE_ID)
    data = describe(api_sandbox, CasterId=target)
    assert [c["CasterId"] for c in casters_of(data)] == [target] and data["Total"] == 1
    assert describe(api_sandbox, CasterId="nope")["Total"] == 0


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"Status": "2"}, "InvalidParameter"),
        ({"Status": "one"}, "InvalidParameter"),
        ({"ChargeType": "PostPaid"}, "InvalidParameter"),
        ({"PageSize": "0"}, "InvalidParameter"),
        ({"PageNum": "-1"}, "InvalidParameter"),
        ({"StartTime": "2025-01-01"}, "InvalidStartTime.Malformed"),
        (
            {"StartTime": "2025-02-01T00:00:00Z", "EndTime": "2025-01-01T00:00:00Z"},
            "InvalidParameter",
        ),
        ({"Tag.1.Value": "prod"}, "MissingParameter"),
    ],
)
def test_describe_casters_rejects_bad_parameters(
    api_sandbox: Sandbox, params: dict[str, str], code: str
) -> None:
    error(call(api_sandbox, "DescribeCasters", params), code, 400)


def test_describe_casters_paging() -> None:
    with Sandbox(casters=142, media=False, rate_limits=False) as sb:
        total = len(sb.caster_ids)
        assert total == 150
        first = describe(sb)
        assert first["Total"] == total and len(casters_of(first)) == 100  # default PageSize
        big = describe(sb, PageSize="500")
        assert len(casters_of(big)) == 100  # cut to the documented page size
        seen: list[str] = []
        for page in range(1, 12):
            data = describe(sb, PageNum=str(page), PageSize="14")
            assert data["Total"] == total
            seen += [c["CasterId"] for c in casters_of(data)]
        assert len(seen) == len(set(seen)) == total
        assert describe(sb, PageNum="99")["CasterList"]["Caster"] == []


def test_other_region_sees_no_casters(api_sandbox: Sandbox) -> None:
    assert describe(api_sandbox, RegionId="cn-beijing")["Total"] == 0
    error(
        call(
            api_sandbox,
            "StartCaster",
            {"RegionId": "cn-beijing", "CasterId": cid(api_sandbox, IDLE_GENERAL)},
        ),
        "InvalidCaster.NotFound",
        404,
    )


# --- StartCaster / StopCaster -----------------------------------------------------------


def _check_scene_infos(data: dict[str, Any]) -> tuple[str, str]:
    pvw = data["PvwSceneInfos"]["SceneInfo"]
    pgm = data["PgmSceneInfos"]["SceneInfo"]
    assert len(pvw) == 1 and len(pgm) == 1
    assert set(pvw[0]) == {"SceneId", "StreamUrl"}
    assert pvw[0]["SceneId"] != pgm[0]["SceneId"]
    pvw_name = _stream_name(pvw[0]["StreamUrl"])
    pgm_name = _stream_name(pgm[0]["StreamUrl"])
    assert HEX32.match(pvw_name) and HEX32.match(pgm_name) and pvw_name != pgm_name
    infos = pgm[0]["StreamInfos"]["StreamInfo"]
    assert len(infos) == 12
    combos = {(i["TranscodeConfig"], i["VideoFormat"]) for i in infos}
    assert combos == {(t, f) for t in ("lld", "lsd", "lhd", "lud") for f in ("flv", "rtmp", "m3u8")}
    for info in infos:
        url = info["OutputStreamUrl"]
        assert AUTH_KEY.search(url), url
        path = url.split("?")[0]
        suffix = {"flv": ".flv", "rtmp": "", "m3u8": ".m3u8"}[info["VideoFormat"]]
        assert path.endswith(f"/caster/{pgm_name}_{info['TranscodeConfig']}{suffix}")
        assert url.startswith("rtmp://" if info["VideoFormat"] == "rtmp" else "http://")
    return pvw[0]["SceneId"], pgm[0]["SceneId"]


def _stream_name(url: str) -> str:
    assert url.startswith("rtmp://") and AUTH_KEY.search(url), url
    return url.split("?", maxsplit=1)[0].rsplit("/", 1)[1]


def test_start_caster_state_machine(api_sandbox: Sandbox) -> None:
    caster_id = cid(api_sandbox, IDLE_GENERAL)
    before = api_sandbox.caster(caster_id)
    assert before["Status"] == 0
    data = ok(call(api_sandbox, "StartCaster", {"CasterId": caster_id, "RegionId": "cn-shanghai"}))
    assert set(data) == {"RequestId", "PvwSceneInfos", "PgmSceneInfos"}
    scene_ids = _check_scene_infos(data)
    after = api_sandbox.caster(caster_id)
    assert after["Status"] == 1 and CST_TIME.match(after["StartTime"])
    assert after["Duration"] in ("0:00:00", "0:00:01")
    assert after["LastModified"] >= before["LastModified"]
    published = set(api_sandbox.media.published)  # type: ignore[attr-defined]
    assert set(api_sandbox.stream_names(caster_id)) <= published

    # starting again changes nothing and returns the same scenes and streams
    again = ok(call(api_sandbox, "StartCaster", {"CasterId": caster_id}))
    assert _check_scene_infos(again) == scene_ids
    assert _stream_name(again["PgmSceneInfos"]["SceneInfo"][0]["StreamUrl"]) == _stream_name(
        data["PgmSceneInfos"]["SceneInfo"][0]["StreamUrl"]
    )
    assert api_sandbox.caster(caster_id)["StartTime"] == after["StartTime"]

    stop = ok(call(api_sandbox, "StopCaster", {"CasterId": caster_id}))
    assert set(stop) == {"RequestId"}
    stopped = api_sandbox.caster(caster_id)
    assert stopped["Status"] == 0 and "StartTime" not in stopped
    assert not set(api_sandbox.stream_names(caster_id)) & set(
        api_sandbox.media.published  # type: ignore[attr-defined]
    )
    ok(call(api_sandbox, "StopCaster", {"CasterId": caster_id}))  # stopping idle is a no-op

    # a second run reuses the scenes created by the first
    restarted = ok(call(api_sandbox, "StartCaster", {"CasterId": caster_id}))
    assert _check_scene_infos(restarted) == scene_ids


def test_duration_counts_up(api_sandbox: Sandbox) -> None:
    caster_id = cid(api_sandbox, IDLE_GENERAL)
    ok(call(api_sandbox, "StartCaster", {"CasterId": caster_id}))
    api_sandbox.clock_offset = 3 * 3600 + 125  # the server clock moves on
    try:
        assert api_sandbox.caster(caster_id)["Duration"] in ("3:02:05", "3:02:06")
    finally:
        api_sandbox.clock_offset = 0


def test_boot_streaming_caster_is_really_started(api_sandbox: Sandbox) -> None:
    caster_id = cid(api_sandbox, STREAMING)
    assert set(api_sandbox.stream_names(caster_id)) <= set(
        api_sandbox.media.published  # type: ignore[attr-defined]
    )
    scenes = ok(call(api_sandbox, "DescribeCasterScenes", {"CasterId": caster_id}))
    assert [s["Status"] for s in scenes["SceneList"]["Scene"]] == [1, 1]


# --- DescribeCasterScenes / StreamUrl / Config -----------------------------------------


def test_describe_caster_scenes(api_sandbox: Sandbox) -> None:
    caster_id = cid(api_sandbox, PREPAID)
    never_started = ok(call(api_sandbox, "DescribeCasterScenes", {"CasterId": caster_id}))
    assert never_started["Total"] == 0 and never_started["SceneList"]["Scene"] == []
    start = ok(call(api_sandbox, "StartCaster", {"CasterId": caster_id}))
    pvw_id, pgm_id = _check_scene_infos(start)
    data = ok(call(api_sandbox, "DescribeCasterScenes", {"CasterId": caster_id}))
    assert data["Total"] == 2
    scenes = {s["SceneId"]: s for s in data["SceneList"]["Scene"]}
    pvw, pgm = scenes[pvw_id], scenes[pgm_id]
    assert (pvw["OutputType"], pgm["OutputType"]) == ("0", "1")  # strings, as in the SDK model
    assert pvw["Status"] == pgm["Status"] == 1
    assert pvw["LayoutId"] != pgm["LayoutId"]
    assert isinstance(pvw["ComponentIds"]["componentId"], list)
    assert "StreamInfos" not in pvw
    assert len(pgm["StreamInfos"]["StreamInfo"]) == 12
    assert _stream_name(pgm["StreamUrl"]) == _stream_name(
        start["PgmSceneInfos"]["SceneInfo"][0]["StreamUrl"]
    )
    one = ok(call(api_sandbox, "DescribeCasterScenes", {"CasterId": caster_id, "SceneId": pgm_id}))
    assert [s["SceneId"] for s in one["SceneList"]["Scene"]] == [pgm_id]
    error(
        call(api_sandbox, "DescribeCasterScenes", {"CasterId": caster_id, "SceneId": "x"}),
        "InvalidScene.NotFound",
        404,
    )
    ok(call(api_sandbox, "StopCaster", {"CasterId": caster_id}))
    stopped = ok(call(api_sandbox, "DescribeCasterScenes", {"CasterId": caster_id}))
    assert [s["Status"] for s in stopped["SceneList"]["Scene"]] == [0, 0]


def test_describe_caster_stream_url(api_sandbox: Sandbox) -> None:
    caster_id = cid(api_sandbox, STREAMING)
    data = ok(call(api_sandbox, "DescribeCasterStreamUrl", {"CasterId": caster_id}))
    assert data["CasterId"] == caster_id and data["Total"] == 2
    streams = {s["OutputType"]: s for s in data["CasterStreams"]["CasterStream"]}
    assert set(streams) == {0, 1}  # ints here, unlike DescribeCasterScenes
    scenes = ok(call(api_sandbox, "DescribeCasterScenes", {"CasterId": caster_id}))
    by_type = {int(s["OutputType"]): s for s in scenes["SceneList"]["Scene"]}
    for output_type, stream in streams.items():
        assert stream["SceneId"] == by_type[output_type]["SceneId"]
        assert _stream_name(stream["StreamUrl"]) == _stream_name(stream["RtmpUrl"])
        assert _stream_name(stream["StreamUrl"]) == _stream_name(by_type[output_type]["StreamUrl"])
    infos = streams[1]["StreamInfos"]["StreamInfo"]
    assert len(infos) == 12
    assert {i["OutputStreamUrl"].split("?")[0] for i in infos} == {
        i["OutputStreamUrl"].split("?")[0] for i in by_type[1]["StreamInfos"]["StreamInfo"]
    }


def test_describe_caster_config(api_sandbox: Sandbox) -> None:
    data = ok(call(api_sandbox, "DescribeCasterConfig", {"CasterId": cid(api_sandbox, STREAMING)}))
    assert data["CasterName"] == "春晚主会场"
    assert data["DomainName"]
    assert data["TranscodeConfig"]["CasterTemplate"] == "lp_hd"
    assert data["TranscodeConfig"]["CustomParams"]["video"]["height"] == 720
    assert isinstance(data["TranscodeConfig"]["LiveTemplateIds"]["LocationId"], list)
    assert data["AutoSwitchUrgentOn"] in ("true", "false")
    no_domain = ok(
        call(api_sandbox, "DescribeCasterConfig", {"CasterId": cid(api_sandbox, NO_DOMAIN)})
    )
    assert no_domain["DomainName"] == ""


# --- CopyCasterSceneConfig --------------------------------------------------------------


def test_copy_caster_scene_config(api_sandbox: Sandbox) -> None:
    caster_id = cid(api_sandbox, IDLE_GENERAL)
    pvw_id, pgm_id = _check_scene_infos(
        ok(call(api_sandbox, "StartCaster", {"CasterId": caster_id}))
    )

    def layouts() -> dict[str, str]:
        data = ok(call(api_sandbox, "DescribeCasterScenes", {"CasterId": caster_id}))
        return {s["SceneId"]: s["LayoutId"] for s in data["SceneList"]["Scene"]}

    assert layouts()[pvw_id] != layouts()[pgm_id]
    params = {"CasterId": caster_id, "FromSceneId": pvw_id, "ToSceneId": pgm_id}
    assert set(ok(call(api_sandbox, "CopyCasterSceneConfig", params))) == {"RequestId"}
    assert layouts()[pvw_id] == layouts()[pgm_id]

    swapped = {"CasterId": caster_id, "FromSceneId": pgm_id, "ToSceneId": pvw_id}
    error(call(api_sandbox, "CopyCasterSceneConfig", swapped), "InvalidParameter", 400)
    unknown = {"CasterId": caster_id, "FromSceneId": "nope", "ToSceneId": pgm_id}
    error(call(api_sandbox, "CopyCasterSceneConfig", unknown), "InvalidScene.NotFound", 404)
    error(
        call(api_sandbox, "CopyCasterSceneConfig", {"CasterId": caster_id, "ToSceneId": pgm_id}),
        "MissingParameter",
        400,
    )
    ok(call(api_sandbox, "StopCaster", {"CasterId": caster_id}))
    data = error(call(api_sandbox, "CopyCasterSceneConfig", params), "IncorrectSceneStatus", 400)
    assert data["Message"] == "From scene is not started."


# --- errors shared by the caster actions ------------------------------------------------


def _params_for(action: str, caster_id: str) -> dict[str, str]:
    params = {"CasterId": caster_id}
    if action == "CopyCasterSceneConfig":
        params |= {"FromSceneId": "a", "ToSceneId": "b"}
    return params


@pytest.mark.parametrize("action", CASTER_ACTIONS)
def test_unknown_caster(api_sandbox: Sandbox, action: str) -> None:
    data = error(
        call(api_sandbox, action, _params_for(action, "5d6e0000-0000-4000-8000-00000000")),
        "InvalidCaster.NotFound",
        404,
    )
    assert data["Message"] == "Caster is not found."


@pytest.mark.parametrize("action", CASTER_ACTIONS)
def test_missing_caster_id(api_sandbox: Sandbox, action: str) -> None:
    data = error(call(api_sandbox, action, {}), "MissingParameter", 400)
    assert '"CasterId"' in data["Message"]


@pytest.mark.parametrize(
    ("action", "code"),
    [
        ("StartCaster", "PermissionDenied"),
        ("DescribeCasterConfig", "PermissionDenied"),
        ("StopCaster", "IllegalOperation"),
        ("DescribeCasterScenes", "IllegalOperation"),
        ("DescribeCasterStreamUrl", "IllegalOperation"),
        ("CopyCasterSceneConfig", "IllegalOperation"),
    ],
)
def test_forbidden_caster(api_sandbox: Sandbox, action: str, code: str) -> None:
    caster_id = cid(api_sandbox, FORBIDDEN)
    data = error(call(api_sandbox, action, _params_for(action, caster_id)), code, 401)
    assert data["Message"] == "Permission Denied"
    # it is listed (the account may list it) but stays untouched
    assert caster_id in {c["CasterId"] for c in casters_of(describe(api_sandbox))}
    assert api_sandbox.caster(caster_id)["Status"] == 0


def test_caster_without_domain_cannot_start(api_sandbox: Sandbox) -> None:
    caster_id = cid(api_sandbox, NO_DOMAIN)
    data = error(
        call(api_sandbox, "StartCaster", {"CasterId": caster_id}), "InvalidDomainName.NotFound", 404
    )
    assert "DomainName" in data["Message"]
    assert api_sandbox.caster(caster_id)["Status"] == 0
    assert ok(call(api_sandbox, "DescribeCasterScenes", {"CasterId": caster_id}))["Total"] == 0


def test_ids_are_stable_across_runs() -> None:
    first = Sandbox(casters=5, media=False).caster_ids
    second = Sandbox(casters=5, media=False).caster_ids
    assert first == second and len(set(first)) == 13
