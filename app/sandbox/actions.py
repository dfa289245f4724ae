"""The emulated Live caster actions: parameter checks, state changes and the JSON they return.

Shapes follow what the real API returns (reference §3): lists are wrapped
(``"CasterList": {"Caster": [...]}``), ``ChargeType`` is a string and ``NormType`` an int in
responses, ``CreateTime`` looks like ``2017-08-30 12:02:57.0`` (China Standard Time) and
``LastModified`` is ISO UTC.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from app.sandbox.errors import ApiError
from app.sandbox.gateway import parse_timestamp
from app.sandbox.layouts import SOURCES, caster_layouts, resource_id
from app.sandbox.state import Caster, Scene, Studio
from app.sandbox.streams import TIERS, MediaBackend

API_VERSION = "2016-11-01"
MAX_PAGE_SIZE = 100  # the documented default; larger pages are cut to it, so clients must page
CST = timezone(timedelta(hours=8))  # the console's and API's "local" time
STREAM_FORMATS = ("flv", "rtmp", "m3u8")

Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ActionContext:
    """One call: the account's studio, the sandbox clock, the region and the parameters."""

    studio: Studio
    now: float
    region_id: str
    params: dict[str, str]

    @property
    def media(self) -> MediaBackend:
        return self.studio.media

    def required(self, name: str) -> str:
        value = self.params.get(name, "")
        if not value:
            raise ApiError.missing(name)
        return value

    def caster(self, *, denied_code: str) -> Caster:
        """The ``CasterId`` caster, as this account and region may see it."""
        caster_id = self.required("CasterId")
        if not self.in_region():
            raise ApiError("InvalidCaster.NotFound")
        return self.studio.find(caster_id, denied_code=denied_code)

    def in_region(self) -> bool:
        """Casters are regional: asking another region finds none of them."""
        region = self.params.get("RegionId")
        return not region or region == self.region_id


# --- formats ----------------------------------------------------------------------------


def cst_time(epoch: float) -> str:
    """``2017-08-30 12:02:57.0``: the format the API uses for CreateTime / StartTime."""
    return datetime.fromtimestamp(int(epoch), CST).strftime("%Y-%m-%d %H:%M:%S") + ".0"


def iso_utc(epoch: float) -> str:
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def duration(seconds: float) -> str:
    """``h:mm:ss``, e.g. ``1:02:33``."""
    total = max(0, int(seconds))
    return f"{total // 3600}:{total // 60 % 60:02d}:{total % 60:02d}"


def caster_json(caster: Caster, now: float) -> Json:
    item: Json = {
        "CasterId": caster.caster_id,
        "CasterName": caster.caster_name,
        "Status": caster.status,
        "ChargeType": caster.charge_type,
        "NormType": caster.norm_type,
        "CasterTemplate": caster.caster_template,
        "ChannelEnable": caster.channel_enable,
        "CreateTime": cst_time(caster.create_time),
        "LastModified": iso_utc(caster.last_modified),
        "ClientTokenId": caster.client_token_id,
        "ResourceGroupId": caster.resource_group_id,
        "Tags": {"tag": [{"TagKey": k, "TagValue": v} for k, v in caster.tags]},
    }
    if caster.purchase_time is not None:
        item["PurchaseTime"] = cst_time(caster.purchase_time)
    if caster.expire_time is not None:
        item["ExpireTime"] = cst_time(caster.expire_time)
    if caster.status == 1 and caster.start_time is not None:
        item["StartTime"] = cst_time(caster.start_time)
        item["Duration"] = duration(now - caster.start_time)
    return item


def stream_infos(caster: Caster, media: MediaBackend) -> Json:
    """The PGM bypass outputs: four tiers × flv / rtmp / m3u8."""
    infos: list[Json] = []
    for tier in TIERS:
        name = f"{caster.pgm_stream}_{tier}"
        urls = (media.flv_url(name), media.rtmp_url(name), media.hls_url(name))
        infos.extend(
            {"TranscodeConfig": tier, "VideoFormat": fmt, "OutputStreamUrl": url}
            for fmt, url in zip(STREAM_FORMATS, urls, strict=True)
        )
    return {"StreamInfo": infos}


def scene_stream_url(caster: Caster, scene: Scene, media: MediaBackend) -> str:
    return media.rtmp_url(caster.pvw_stream if scene.output_type == 0 else caster.pgm_stream)


def _scene_or_fail(caster: Caster, output_type: int) -> Scene:
    scene = caster.scene(output_type)
    if scene is None:  # pragma: no cover - StartCaster just created it
        raise ApiError("InvalidScene.NotFound")
    return scene


# --- actions ----------------------------------------------------------------------------


def _int_param(ctx: ActionContext, name: str, default: int, lo: int, hi: int | None) -> int:
    raw = ctx.params.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError.invalid(name, "It must be an integer.") from None
    if value < lo or (hi is not None and value > hi):
        raise ApiError.invalid(name)
    return value


def _tag_filter(params: dict[str, str]) -> list[tuple[str, str | None]]:
    tags: list[tuple[str, str | None]] = []
    for n in range(1, 21):
        key = params.get(f"Tag.{n}.Key")
        value = params.get(f"Tag.{n}.Value")
        if key:
            tags.append((key, value or None))
        elif value:
            raise ApiError.missing(f"Tag.{n}.Key")
    return tags


def describe_casters(ctx: ActionContext) -> Json:
    """DescribeCasters with every documented filter; PageNum is 1-based, PageSize ≤ 100."""
    params = ctx.params
    page_num = _int_param(ctx, "PageNum", 1, 1, None)
    page_size = min(_int_param(ctx, "PageSize", MAX_PAGE_SIZE, 1, None), MAX_PAGE_SIZE)
    status = _int_param(ctx, "Status", -1, 0, 1) if params.get("Status") else None
    charge = _int_param(ctx, "ChargeType", -1, 0, 1) if params.get("ChargeType") else None
    norm = _int_param(ctx, "NormType", -1, 0, None) if params.get("NormType") else None
    order = params.get("OrderByModifyAsc", "false").lower()
    if order not in ("true", "false"):
        raise ApiError.invalid("OrderByModifyAsc", 'Use "true" or "false".')
    start = _time_param(ctx, "StartTime")
    end = _time_param(ctx, "EndTime")
    if start is not None and end is not None and end < start:
        raise ApiError.invalid("EndTime", "EndTime must not be earlier than StartTime.")
    name = params.get("CasterName", "").casefold()
    caster_id = params.get("CasterId", "")
    group = params.get("ResourceGroupId", "")
    tags = _tag_filter(params)
    charge_name = {0: "PrePaid", 1: "PostPaid"}.get(charge) if charge is not None else None

    casters: Sequence[Caster]
    if not ctx.in_region():
        casters = []
    elif caster_id:
        # CasterId may list several ids separated by commas.
        wanted = [c for c in (ctx.studio.store.get(i.strip()) for i in caster_id.split(",")) if c]
        casters = sorted(wanted, key=lambda c: (c.last_modified, c.seq), reverse=order != "true")
    else:
        casters = ctx.studio.store.ordered(ascending=order == "true")

    def keep(c: Caster) -> bool:
        return (
            (status is None or c.status == status)
            and (charge_name is None or c.charge_type == charge_name)
            and (norm is None or c.norm_type == norm)
            and (not name or name in c.caster_name.casefold())
            and (not group or c.resource_group_id == group)
            and (start is None or c.create_time >= start)
            and (end is None or c.create_time <= end)
            and all((k, v) in c.tags if v is not None else k in dict(c.tags) for k, v in tags)
        )

    filtered = any(x is not None for x in (status, charge_name, norm, start, end)) or bool(
        name or group or tags
    )
    if filtered:
        casters = [c for c in casters if keep(c)]
    first = (page_num - 1) * page_size
    page = casters[first : first + page_size]
    return {
        "Total": len(casters),
        "CasterList": {"Caster": [caster_json(c, ctx.now) for c in page]},
    }


def _time_param(ctx: ActionContext, name: str) -> float | None:
    raw = ctx.params.get(name, "")
    if not raw:
        return None
    try:
        return parse_timestamp(raw)
    except ApiError:
        raise ApiError(
            f"Invalid{name}.Malformed", f"Specified parameter {name} is not valid."
        ) from None


def _scene_infos(caster: Caster, media: MediaBackend) -> Json:
    pvw = _scene_or_fail(caster, 0)
    pgm = _scene_or_fail(caster, 1)
    return {
        "PvwSceneInfos": {
            "SceneInfo": [
                {"SceneId": pvw.scene_id, "StreamUrl": scene_stream_url(caster, pvw, media)}
            ]
        },
        "PgmSceneInfos": {
            "SceneInfo": [
                {
                    "SceneId": pgm.scene_id,
                    "StreamUrl": scene_stream_url(caster, pgm, media),
                    "StreamInfos": stream_infos(caster, media),
                }
            ]
        },
    }


def start_caster(ctx: ActionContext) -> Json:
    caster = ctx.caster(denied_code="PermissionDenied")
    ctx.studio.start(caster, ctx.now)
    return _scene_infos(caster, ctx.media)


def stop_caster(ctx: ActionContext) -> Json:
    caster = ctx.caster(denied_code="IllegalOperation")
    ctx.studio.stop(caster, ctx.now)
    return {}


def describe_caster_scenes(ctx: ActionContext) -> Json:
    caster = ctx.caster(denied_code="IllegalOperation")
    scenes = caster.scenes
    scene_id = ctx.params.get("SceneId", "")
    if scene_id:
        scenes = [s for s in scenes if s.scene_id == scene_id]
        if not scenes:
            raise ApiError("InvalidScene.NotFound")
    items = []
    for scene in scenes:
        item: Json = {
            "SceneId": scene.scene_id,
            "SceneName": scene.name,
            "LayoutId": scene.layout_id,
            "OutputType": str(scene.output_type),
            "Status": scene.status,
            "StreamUrl": scene_stream_url(caster, scene, ctx.media),
            "ComponentIds": {"componentId": list(scene.component_ids)},
        }
        if scene.output_type == 1:
            item["StreamInfos"] = stream_infos(caster, ctx.media)
        items.append(item)
    return {"Total": len(items), "SceneList": {"Scene": items}}


def describe_caster_stream_url(ctx: ActionContext) -> Json:
    caster = ctx.caster(denied_code="IllegalOperation")
    streams = []
    for scene in caster.scenes:
        url = scene_stream_url(caster, scene, ctx.media)
        item: Json = {
            "SceneId": scene.scene_id,
            "StreamUrl": url,
            "RtmpUrl": url,
            "OutputType": scene.output_type,
        }
        if scene.output_type == 1:
            item["StreamInfos"] = stream_infos(caster, ctx.media)
        streams.append(item)
    return {
        "CasterId": caster.caster_id,
        "Total": len(streams),
        "CasterStreams": {"CasterStream": streams},
    }


def describe_caster_config(ctx: ActionContext) -> Json:
    caster = ctx.caster(denied_code="PermissionDenied")
    width, height = {"lp_ld": (640, 360), "lp_sd": (854, 480), "lp_ud": (1920, 1080)}.get(
        caster.caster_template.removesuffix("_v"), (1280, 720)
    )
    if caster.caster_template.endswith("_v"):
        width, height = height, width
    return {
        "CasterId": caster.caster_id,
        "CasterName": caster.caster_name,
        "DomainName": caster.domain_name or "",
        "Delay": caster.delay,
        "ChannelEnable": caster.channel_enable,
        "ProgramEffect": 1 if caster.program_name else 0,
        "ProgramName": caster.program_name,
        "CallbackUrl": "",
        "SideOutputUrl": "",
        "SideOutputUrlList": "",
        "UrgentLiveStreamUrl": "",
        "UrgentMaterialId": "",
        "UrgentImageId": "",
        "UrgentImageUrl": "",
        "AutoSwitchUrgentOn": "false",
        "AutoSwitchUrgentConfig": '{"eofThres":3}',
        "AudioMixerMode": "0",
        "TranscodeConfig": {
            "CasterTemplate": caster.caster_template,
            "LiveTemplateIds": {"LocationId": list(TIERS)},
            "CustomParams": {
                "video": {"width": width, "height": height, "fps": 25, "bitrate": 2000}
            },
        },
        "RecordConfig": {
            "OssEndpoint": "",
            "OssBucket": "",
            "OnDemand": 0,
            "RecordFormat": {"RecordFormat": []},
        },
        "SyncGroupsConfig": {"SyncGroup": []},
    }


def copy_caster_scene_config(ctx: ActionContext) -> Json:
    caster = ctx.caster(denied_code="IllegalOperation")
    from_scene = ctx.required("FromSceneId")
    to_scene = ctx.required("ToSceneId")
    ctx.studio.copy_scene(caster, from_scene, to_scene, ctx.now)
    return {}


def _component_ids(params: dict[str, str]) -> list[str] | None:
    """``ComponentId.1`` … as a list, or None when none was passed (Update keeps them)."""
    ids: list[str] = []
    for n in range(1, 101):
        value = params.get(f"ComponentId.{n}")
        if value is None:
            break
        if not value:
            raise ApiError.invalid(f"ComponentId.{n}")
        ids.append(value)
    return ids if ids else None


def describe_caster_layouts(ctx: ActionContext) -> Json:
    """The caster's layouts: one per source, and CAM 1 with CAM 2 picture-in-picture."""
    caster = ctx.caster(denied_code="IllegalOperation")
    layouts = caster_layouts(caster.caster_id)
    wanted = ctx.params.get("LayoutId", "")
    if wanted and wanted not in layouts:
        raise ApiError("InvalidLayout.NotFound")
    items = []
    for layout_id, spec in layouts.items():
        if wanted and layout_id != wanted:
            continue
        items.append(
            {
                "LayoutId": layout_id,
                "BlendList": {"LocationId": list(spec.blend)},
                "MixList": {"LocationId": list(spec.mix)},
                "VideoLayers": {
                    "VideoLayer": [
                        {
                            "FillMode": layer.fill_mode,
                            "HeightNormalized": layer.height,
                            "WidthNormalized": layer.width,
                            "PositionNormalizeds": {"Position": [layer.x, layer.y]},
                            "PositionRefer": layer.position_refer,
                            "FixedDelayDuration": 0,
                        }
                        for layer in spec.layers
                    ]
                },
                "AudioLayers": {
                    "AudioLayer": [
                        {"VolumeRate": 1.0, "ValidChannel": "all", "FixedDelayDuration": 0}
                        for _ in spec.mix
                    ]
                },
            }
        )
    return {"Total": len(items), "Layouts": {"Layout": items}}


def describe_caster_video_resources(ctx: ActionContext) -> Json:
    """The caster's sources: two live cameras and a looped slide deck (VOD)."""
    caster = ctx.caster(denied_code="IllegalOperation")
    items = []
    for source in SOURCES:
        item: Json = {
            "ResourceId": resource_id(caster.caster_id, source.location_id),
            "ResourceName": source.name,
            "LocationId": source.location_id,
            "LiveStreamUrl": "",
            "FlvUrl": "",
            "VodUrl": "",
            "MaterialId": "",
            "ImageId": "",
            "ImageUrl": "",
            "RepeatNum": 0,
            "BeginOffset": 0,
            "EndOffset": 0,
            "PtsCallbackInterval": 0,
        }
        # Addresses on a reserved (.invalid) host: the sandbox plays sources only through scenes.
        if source.kind == "live":
            item["LiveStreamUrl"] = f"rtmp://ingest.sandbox.invalid/live/{source.look}"
        else:
            item["VodUrl"] = f"https://vod.sandbox.invalid/{source.look}.mp4"
            item["RepeatNum"] = -1
        items.append(item)
    return {"Total": len(items), "VideoResources": {"VideoResource": items}}


def update_caster_scene_config(ctx: ActionContext) -> Json:
    caster = ctx.caster(denied_code="IllegalOperation")
    scene_id = ctx.required("SceneId")
    layout_id = ctx.required("LayoutId")
    components = _component_ids(ctx.params)
    ctx.studio.update_scene(caster, scene_id, layout_id, components, ctx.now)
    return {}


def effect_caster_urgent(ctx: ActionContext) -> Json:
    caster = ctx.caster(denied_code="IllegalOperation")
    scene_id = ctx.required("SceneId")
    ctx.studio.effect_urgent(caster, scene_id, ctx.now)
    return {}


ACTIONS: dict[str, Callable[[ActionContext], Json]] = {
    "DescribeCasters": describe_casters,
    "StartCaster": start_caster,
    "StopCaster": stop_caster,
    "DescribeCasterScenes": describe_caster_scenes,
    "DescribeCasterStreamUrl": describe_caster_stream_url,
    "DescribeCasterConfig": describe_caster_config,
    "CopyCasterSceneConfig": copy_caster_scene_config,
    "DescribeCasterLayouts": describe_caster_layouts,
    "DescribeCasterVideoResources": describe_caster_video_resources,
    "UpdateCasterSceneConfig": update_caster_scene_config,
    "EffectCasterUrgent": effect_caster_urgent,
}
