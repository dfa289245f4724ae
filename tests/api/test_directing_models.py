"""Models for directing: layouts, sources and scenes in both list shapes, names, tally, and the
explanations of the new error codes."""

from __future__ import annotations

from typing import Any

import pytest

from app.api.errors import ApiError, ProtocolError
from app.api.explanations import action_specific_codes, explain, explain_action
from app.api.models import (
    CasterLayouts,
    CasterScenes,
    CasterVideoResources,
    Layout,
    layout_names,
    tally,
)

FULL = {"WidthNormalized": 1, "HeightNormalized": 1, "PositionNormalizeds": {"Position": [0, 0]}}
SMALL = {"WidthNormalized": 0.3, "HeightNormalized": "0.3", "PositionNormalized": [0.6, "0.6"]}


def _layout(layout_id: str, blend: list[str], layers: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "LayoutId": layout_id,
        "BlendList": {"LocationId": blend},
        "MixList": {"LocationId": blend[:1]},
        "VideoLayers": {"VideoLayer": layers},
        "AudioLayers": {"AudioLayer": [{"VolumeRate": 1, "ValidChannel": "all"}]},
    }


WRAPPED = {
    "RequestId": "R",
    "Total": 3,
    "Layouts": {
        "Layout": [
            _layout("L1", ["RV01"], [FULL]),
            _layout("L2", ["RV01", "RV02"], [FULL, SMALL]),
            _layout("L3", ["RV01", "RV03"], [FULL, FULL]),
        ]
    },
}
RESOURCES = {
    "RequestId": "R",
    "VideoResources": {
        "VideoResource": [
            {"ResourceId": "a", "ResourceName": "CAM 1", "LocationId": "RV01", "RepeatNum": "0"},
            {"ResourceId": "b", "ResourceName": "CAM 2", "LocationId": "RV02"},
        ]
    },
}


def test_layouts_parse_wrapped_and_flat_with_type_drift() -> None:
    wrapped = CasterLayouts.from_api(WRAPPED)
    flat_items = [
        {
            **x,
            "BlendList": x["BlendList"]["LocationId"],
            "VideoLayers": x["VideoLayers"]["VideoLayer"],
        }
        for x in WRAPPED["Layouts"]["Layout"]  # type: ignore[index]
    ]
    flat = CasterLayouts.from_api({"RequestId": "R", "Layouts": flat_items})
    assert wrapped.layouts[1].blend_list == flat.layouts[1].blend_list == ("RV01", "RV02")
    pip = wrapped.layouts[1].video_layers[1]
    assert pip.position == (0.6, 0.6) and pip.height_normalized == 0.3
    assert wrapped.layouts[1].audio_layers[0].volume_rate == 1.0
    assert wrapped.find("L3") is wrapped.layouts[2] and wrapped.find("nope") is None
    assert Layout.from_api({"LayoutId": 7}).layout_id == "7"  # numbers drift into ids


def test_layout_names_are_built_from_sources() -> None:
    layouts = CasterLayouts.from_api(WRAPPED).layouts
    resources = CasterVideoResources.from_api(RESOURCES).resources
    assert resources[0].repeat_num == 0
    assert layout_names(layouts, resources) == {
        "L1": "CAM 1",
        "L2": "CAM 1 + CAM 2 (PiP)",
        "L3": "CAM 1 + RV03",  # two full-size pictures; RV03 has no resource
    }
    twice = [*layouts, Layout.from_api(_layout("L1b-1234567", ["RV01"], [FULL]))]
    names = layout_names(twice, resources)
    assert names["L1"] == "CAM 1 [L1]" and names["L1b-1234567"] == "CAM 1 [L1b-1234]"
    assert Layout.from_api({"LayoutId": "X"}).name({}) == "X"


@pytest.mark.parametrize(
    "bad",
    [
        {"LayoutId": "L", "BlendList": {"LocationId": [{"x": 1}]}},
        {"LayoutId": "L", "VideoLayers": {"VideoLayer": [{"PositionNormalizeds": ["a", 1]}]}},
        {"LayoutId": "L", "VideoLayers": {"VideoLayer": [{"PositionNormalized": [1e400]}]}},
        {"LayoutId": "L", "VideoLayers": "nope"},
        {"BlendList": []},
    ],
)
def test_hostile_layouts_are_protocol_errors(bad: dict[str, Any]) -> None:
    with pytest.raises(ProtocolError):
        CasterLayouts.from_api({"Layouts": {"Layout": [bad]}})


def test_scenes_pvw_pgm_tally_and_to_api() -> None:
    scenes = CasterScenes.from_api(
        {
            "RequestId": "R",
            "SceneList": [
                {"SceneId": "p", "OutputType": "0", "Status": 1, "LayoutId": "L1"},
                {"SceneId": "g", "OutputType": 1, "Status": "0", "LayoutId": "L2"},
            ],
        }
    )
    assert scenes.pvw is not None and scenes.pvw.scene_id == "p"
    assert scenes.pgm is not None and scenes.pgm.scene_id == "g"
    assert tally(scenes.pvw) == "PREVIEW" and tally(scenes.pgm) == "off"
    on_air = CasterScenes.from_api(
        {"SceneList": {"Scene": {"SceneId": "g", "OutputType": "1", "Status": 1}}}
    )
    assert on_air.pgm is not None and tally(on_air.pgm) == "ON AIR" and on_air.pvw is None
    assert scenes.to_api()["SceneList"][1]["LayoutId"] == "L2"


@pytest.mark.parametrize("code", ["InvalidLayout.NotFound", "InvalidSceneId.Malformed"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_new_codes_have_their_own_explanation(code: str, lang: str) -> None:
    text = explain(code, lang=lang)  # type: ignore[arg-type]
    assert text.summary and text.fix
    assert text.summary != explain("NoSuchCode", http_status=400, lang=lang).summary  # type: ignore[arg-type]
    if lang == "zh":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text.summary)


@pytest.mark.parametrize(("action", "code"), action_specific_codes())
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_action_specific_wording(action: str, code: str, lang: str) -> None:
    specific = explain_action(action, code, message="m", lang=lang)  # type: ignore[arg-type]
    generic = explain(code, lang=lang)  # type: ignore[arg-type]
    assert specific.summary != generic.summary and specific.fix and specific.detail == "m"
    error = ApiError(code, "m", http_status=400, action=action)
    assert error.explanation(lang).summary == specific.summary  # type: ignore[arg-type]
    other = ApiError(code, "m", http_status=400, action="StopCaster")
    assert other.explanation(lang).summary == generic.summary  # type: ignore[arg-type]
