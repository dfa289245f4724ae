"""The official generated client (``alibabacloud-live20161101`` 3.0.2), unchanged, drives every
directing action against the sandbox, signing V3 and V1, and parses every answer into its models."""

from __future__ import annotations

import pytest
from alibabacloud_live20161101 import models as sdk
from alibabacloud_live20161101.client import Client as LiveSdk
from alibabacloud_tea_openapi.exceptions import ClientException
from alibabacloud_tea_openapi.utils_models import Config

from app.sandbox import Sandbox
from app.sandbox.streams import UrlOnlyMedia

MODES = [None, "v2"]  # V3 (ACS3-HMAC-SHA256, the default) and V1 (HMAC-SHA1)
IDLE = 1


def live_sdk(endpoint: str, key_id: str, secret: str, region: str, mode: str | None) -> LiveSdk:
    config = Config(
        access_key_id=key_id,
        access_key_secret=secret,
        endpoint=endpoint.removeprefix("http://"),
        protocol="http",
        region_id=region,
    )
    if mode:
        config.signature_algorithm = mode
    return LiveSdk(config)


@pytest.mark.parametrize("mode", MODES)
def test_every_directing_action_through_the_official_client(
    api_sandbox: Sandbox, mode: str | None
) -> None:
    sb = api_sandbox
    client = live_sdk(sb.endpoint, sb.access_key_id, sb.access_key_secret, sb.region_id, mode)
    region, caster_id = sb.region_id, sb.caster_ids[IDLE]

    resources = client.describe_caster_video_resources(
        sdk.DescribeCasterVideoResourcesRequest(caster_id=caster_id, region_id=region)
    ).body
    assert resources.total == 3
    assert [(r.location_id, r.resource_name) for r in resources.video_resources.video_resource] == [
        ("RV01", "CAM 1"),
        ("RV02", "CAM 2"),
        ("RV03", "SLIDES"),
    ]
    layouts = client.describe_caster_layouts(
        sdk.DescribeCasterLayoutsRequest(caster_id=caster_id, region_id=region)
    ).body.layouts.layout
    assert [x.blend_list.location_id for x in layouts] == [
        ["RV01"],
        ["RV02"],
        ["RV03"],
        ["RV01", "RV02"],
    ]
    inset = layouts[3].video_layers.video_layer[1]
    assert 0 < inset.width_normalized < 1 and len(inset.position_normalizeds.position) == 2
    cam2 = layouts[1].layout_id

    started = client.start_caster(sdk.StartCasterRequest(caster_id=caster_id, region_id=region))
    pvw = started.body.pvw_scene_infos.scene_info[0].scene_id
    pgm = started.body.pgm_scene_infos.scene_info[0].scene_id

    client.update_caster_scene_config(
        sdk.UpdateCasterSceneConfigRequest(
            caster_id=caster_id,
            scene_id=pvw,
            layout_id=cam2,
            component_id=["c-1", "c-2"],
            region_id=region,
        )
    )
    record = sb.requests("UpdateCasterSceneConfig")[-1]
    assert record.style == ("v1" if mode == "v2" else "v3") and record.status == 200
    assert record.params["ComponentId.1"] == "c-1" and record.params["ComponentId.2"] == "c-2"

    client.copy_caster_scene_config(
        sdk.CopyCasterSceneConfigRequest(
            caster_id=caster_id, from_scene_id=pvw, to_scene_id=pgm, region_id=region
        )
    )
    scenes = client.describe_caster_scenes(
        sdk.DescribeCasterScenesRequest(caster_id=caster_id, region_id=region)
    ).body.scene_list.scene
    by_type = {s.output_type: s for s in scenes}
    assert by_type["0"].layout_id == by_type["1"].layout_id == cam2
    assert by_type["0"].status == by_type["1"].status == 1
    assert by_type["1"].component_ids.component_id == ["c-1", "c-2"]

    urgent = client.effect_caster_urgent(
        sdk.EffectCasterUrgentRequest(caster_id=caster_id, scene_id=pgm, region_id=region)
    )
    assert urgent.body.request_id
    media = sb.media
    assert isinstance(media, UrlOnlyMedia)
    assert {media.looks[n] for n in sb.stream_names(caster_id, "pgm")} == {"standby"}

    with pytest.raises(ClientException) as caught:
        client.update_caster_scene_config(
            sdk.UpdateCasterSceneConfigRequest(
                caster_id=caster_id, scene_id=pvw, layout_id="nope", region_id=region
            )
        )
    assert caught.value.code == "InvalidLayout.NotFound"

    client.stop_caster(sdk.StopCasterRequest(caster_id=caster_id, region_id=region))
    with pytest.raises(ClientException) as caught:
        client.copy_caster_scene_config(
            sdk.CopyCasterSceneConfigRequest(
                caster_id=caster_id, from_scene_id=pvw, to_scene_id=pgm, region_id=region
            )
        )
    assert caught.value.code == "IncorrectSceneStatus" and caught.value.status_code == 400
    assert "From scene is not started" in caught.value.message
