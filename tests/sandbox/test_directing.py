"""Directing on the sandbox API: layouts, sources, a layout on PVW, Take, standby, their errors
and flow control, over signed HTTP on loopback (media is URL-only here; tests/media decodes)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from app.sandbox import Sandbox
from app.sandbox.streams import UrlOnlyMedia
from tests.sandbox.wire import call, error, ok

IDLE = 1  # seed order (app/sandbox/seed.py)
CAM1, CAM2, SLIDES, PIP = range(4)


def _layout_ids(sb: Sandbox, caster_id: str) -> list[str]:
    data = ok(call(sb, "DescribeCasterLayouts", {"CasterId": caster_id}))
    return [x["LayoutId"] for x in data["Layouts"]["Layout"]]


def _scenes(sb: Sandbox, caster_id: str) -> dict[str, dict[str, Any]]:
    data = ok(call(sb, "DescribeCasterScenes", {"CasterId": caster_id}))
    return {("PVW", "PGM")[int(s["OutputType"])]: s for s in data["SceneList"]["Scene"]}


def _looks(sb: Sandbox, caster_id: str) -> dict[str, str]:
    """What each published stream of the caster shows (PVW monitor, PGM monitor and tiers)."""
    media = sb.media
    assert isinstance(media, UrlOnlyMedia)
    return {name: media.looks[name] for name in sb.stream_names(caster_id)}


@pytest.fixture
def started(api_sandbox: Sandbox) -> tuple[Sandbox, str]:
    caster_id = api_sandbox.caster_ids[IDLE]
    ok(call(api_sandbox, "StartCaster", {"CasterId": caster_id}))
    return api_sandbox, caster_id


def test_layouts_and_sources_are_described(api_sandbox: Sandbox) -> None:
    caster_id = api_sandbox.caster_ids[IDLE]
    data = ok(call(api_sandbox, "DescribeCasterLayouts", {"CasterId": caster_id}))
    layouts = data["Layouts"]["Layout"]
    assert data["Total"] == 4
    assert [x["BlendList"]["LocationId"] for x in layouts] == [
        ["RV01"],
        ["RV02"],
        ["RV03"],
        ["RV01", "RV02"],
    ]
    pip = layouts[PIP]["VideoLayers"]["VideoLayer"]
    assert pip[0]["WidthNormalized"] == 1.0 and pip[1]["WidthNormalized"] < 1.0
    assert len(pip[1]["PositionNormalizeds"]["Position"]) == 2
    one = ok(
        call(
            api_sandbox,
            "DescribeCasterLayouts",
            {"CasterId": caster_id, "LayoutId": layouts[CAM2]["LayoutId"]},
        )
    )
    assert [x["LayoutId"] for x in one["Layouts"]["Layout"]] == [layouts[CAM2]["LayoutId"]]
    error(
        call(api_sandbox, "DescribeCasterLayouts", {"CasterId": caster_id, "LayoutId": "x"}),
        "InvalidLayout.NotFound",
        400,
    )

    sources = ok(call(api_sandbox, "DescribeCasterVideoResources", {"CasterId": caster_id}))
    items = sources["VideoResources"]["VideoResource"]
    assert [(r["LocationId"], r["ResourceName"]) for r in items] == [
        ("RV01", "CAM 1"),
        ("RV02", "CAM 2"),
        ("RV03", "SLIDES"),
    ]
    assert items[0]["LiveStreamUrl"] and items[2]["VodUrl"] and items[2]["RepeatNum"] == -1
    assert len({r["ResourceId"] for r in items}) == 3
    other = api_sandbox.caster_ids[0]
    assert set(_layout_ids(api_sandbox, other)).isdisjoint(_layout_ids(api_sandbox, caster_id))
    error(
        call(api_sandbox, "DescribeCasterLayouts", {"CasterId": "nope"}),
        "InvalidCaster.NotFound",
        404,
    )


def test_pvw_take_standby_take(started: tuple[Sandbox, str]) -> None:
    sb, caster_id = started
    ids = _layout_ids(sb, caster_id)
    scenes = _scenes(sb, caster_id)
    pvw, pgm = scenes["PVW"]["SceneId"], scenes["PGM"]["SceneId"]
    assert (scenes["PVW"]["LayoutId"], scenes["PGM"]["LayoutId"]) == (ids[CAM1], ids[SLIDES])
    assert (scenes["PVW"]["Status"], scenes["PGM"]["Status"]) == (1, 1)
    looks = _looks(sb, caster_id)
    assert looks.pop(sb.stream_names(caster_id, "pvw")[0]) == "cam1"
    assert set(looks.values()) == {"slides"}  # PGM monitor and all four tiers

    update = {"CasterId": caster_id, "SceneId": pvw, "LayoutId": ids[CAM2]}
    assert set(ok(call(sb, "UpdateCasterSceneConfig", update))) == {"RequestId"}
    assert _scenes(sb, caster_id)["PVW"]["LayoutId"] == ids[CAM2]
    assert _looks(sb, caster_id)[sb.stream_names(caster_id, "pvw")[0]] == "cam2"

    take = {"CasterId": caster_id, "FromSceneId": pvw, "ToSceneId": pgm}
    ok(call(sb, "CopyCasterSceneConfig", take))
    assert _scenes(sb, caster_id)["PGM"]["LayoutId"] == ids[CAM2]
    assert set(_looks(sb, caster_id).values()) == {"cam2"}

    ok(call(sb, "EffectCasterUrgent", {"CasterId": caster_id, "SceneId": pgm}))
    after = _scenes(sb, caster_id)
    assert after["PGM"]["LayoutId"] == ids[CAM2] and after["PGM"]["Status"] == 1  # truthful
    pgm_looks = {n: _looks(sb, caster_id)[n] for n in sb.stream_names(caster_id, "pgm")}
    assert set(pgm_looks.values()) == {"standby"}
    assert _looks(sb, caster_id)[sb.stream_names(caster_id, "pvw")[0]] == "cam2"

    ok(call(sb, "CopyCasterSceneConfig", take))  # a Take ends standby
    assert set(_looks(sb, caster_id).values()) == {"cam2"}

    # PiP on PVW, with components; then straight onto PGM: a direct cut
    pip = {**update, "LayoutId": ids[PIP], "ComponentId.1": "c-1", "ComponentId.2": "c-2"}
    ok(call(sb, "UpdateCasterSceneConfig", pip))
    assert _scenes(sb, caster_id)["PVW"]["ComponentIds"]["componentId"] == ["c-1", "c-2"]
    ok(call(sb, "EffectCasterUrgent", {"CasterId": caster_id, "SceneId": pgm}))
    ok(call(sb, "UpdateCasterSceneConfig", {**update, "SceneId": pgm, "LayoutId": ids[CAM1]}))
    pgm_stream = sb.stream_names(caster_id, "pgm")[0]
    assert _looks(sb, caster_id)[pgm_stream] == "cam1"


def test_errors(started: tuple[Sandbox, str]) -> None:
    sb, caster_id = started
    scenes = _scenes(sb, caster_id)
    pvw, pgm = scenes["PVW"]["SceneId"], scenes["PGM"]["SceneId"]
    update = {"CasterId": caster_id, "SceneId": pvw, "LayoutId": "no-such-layout"}
    data = error(call(sb, "UpdateCasterSceneConfig", update), "InvalidLayout.NotFound", 400)
    assert _scenes(sb, caster_id)["PVW"]["LayoutId"] == scenes["PVW"]["LayoutId"], data
    other_caster_layout = _layout_ids(sb, sb.caster_ids[0])[CAM2]
    error(
        call(sb, "UpdateCasterSceneConfig", {**update, "LayoutId": other_caster_layout}),
        "InvalidLayout.NotFound",
        400,
    )
    error(
        call(sb, "UpdateCasterSceneConfig", {**update, "SceneId": "nope"}),
        "InvalidScene.NotFound",
        404,
    )
    error(
        call(sb, "UpdateCasterSceneConfig", {"CasterId": caster_id, "SceneId": pvw}),
        "MissingParameter",
        400,
    )
    error(
        call(sb, "EffectCasterUrgent", {"CasterId": caster_id, "SceneId": pvw}),
        "InvalidParameter",
        400,
    )
    error(call(sb, "EffectCasterUrgent", {"CasterId": caster_id}), "MissingParameter", 400)
    forbidden = sb.caster_ids[6]
    error(
        call(sb, "EffectCasterUrgent", {"CasterId": forbidden, "SceneId": pgm}),
        "IllegalOperation",
        401,
    )

    # PVW off: a caster that was started, then stopped, keeps its scenes, both off
    ok(call(sb, "StopCaster", {"CasterId": caster_id}))
    off = _scenes(sb, caster_id)
    assert (off["PVW"]["Status"], off["PGM"]["Status"]) == (0, 0)
    take = {"CasterId": caster_id, "FromSceneId": pvw, "ToSceneId": pgm}
    data = error(call(sb, "CopyCasterSceneConfig", take), "IncorrectSceneStatus", 400)
    assert data["Message"] == "From scene is not started."
    assert _scenes(sb, caster_id)["PGM"]["LayoutId"] == off["PGM"]["LayoutId"]
    error(
        call(sb, "EffectCasterUrgent", {"CasterId": caster_id, "SceneId": pgm}),
        "IncorrectSceneStatus",
        400,
    )


def test_double_take_is_answered_truthfully_twice(started: tuple[Sandbox, str]) -> None:
    """Two Take requests at once (a double press): both succeed, PGM ends on PVW's layout."""
    sb, caster_id = started
    ids = _layout_ids(sb, caster_id)
    scenes = _scenes(sb, caster_id)
    pvw, pgm = scenes["PVW"]["SceneId"], scenes["PGM"]["SceneId"]
    ok(
        call(
            sb,
            "UpdateCasterSceneConfig",
            {"CasterId": caster_id, "SceneId": pvw, "LayoutId": ids[PIP]},
        )
    )
    take = {"CasterId": caster_id, "FromSceneId": pvw, "ToSceneId": pgm}
    with ThreadPoolExecutor(2) as pool:
        responses = list(pool.map(lambda _: call(sb, "CopyCasterSceneConfig", take), range(2)))
    bodies = [ok(r) for r in responses]
    assert bodies[0]["RequestId"] != bodies[1]["RequestId"]
    assert _scenes(sb, caster_id)["PGM"]["LayoutId"] == ids[PIP]
    assert sb.request_count("CopyCasterSceneConfig") == 2


@pytest.fixture
def limited() -> Iterator[Sandbox]:
    with Sandbox(media=False) as sb:
        yield sb


@pytest.mark.parametrize(
    ("action", "limit"),
    [
        ("UpdateCasterSceneConfig", 10),
        ("EffectCasterUrgent", 10),
        ("DescribeCasterLayouts", 15),
        ("DescribeCasterVideoResources", 15),
    ],
)
def test_flow_control(limited: Sandbox, action: str, limit: int) -> None:
    caster_id = limited.caster_ids[0]  # streaming at boot
    with httpx.Client() as client:
        scenes = ok(call(limited, "DescribeCasterScenes", {"CasterId": caster_id}, client=client))
        by_type = {s["OutputType"]: s for s in scenes["SceneList"]["Scene"]}
        params = {"CasterId": caster_id}
        if action == "UpdateCasterSceneConfig":
            params |= {"SceneId": by_type["0"]["SceneId"], "LayoutId": by_type["0"]["LayoutId"]}
        elif action == "EffectCasterUrgent":
            params |= {"SceneId": by_type["1"]["SceneId"]}
        statuses = [
            call(limited, action, params, client=client).status_code for _ in range(limit + 2)
        ]
    assert statuses == [200] * limit + [400] * 2
    error(call(limited, action, params), "Throttling.User", 400)
