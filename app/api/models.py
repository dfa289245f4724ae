"""Typed, immutable models of the caster API's answers.

``from_api`` builds a model from a decoded JSON object (lenient: wrapped or flat lists, type
drift, unknown fields ignored). ``to_api`` gives back the API's own field names with the
list wrappers removed, which is what ``casterdesk … --json`` prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum
from typing import Any

from app.api import parsing as p
from app.api.errors import ProtocolError

Json = dict[str, Any]

TRANSCODE_TIERS = ("lld", "lsd", "lhd", "lud")  # low → ultra, the order directors expect
# Nominal picture height of each tier (the console's 270p/360p/720p/1080p presets).
TIER_HEIGHTS: dict[str, int] = {"lld": 270, "lsd": 360, "lhd": 720, "lud": 1080}
VIDEO_FORMATS = ("rtmp", "flv", "m3u8")


class CasterStatus(IntEnum):
    """0 idle, 1 streaming (导播中). No other values are documented."""

    IDLE = 0
    STREAMING = 1


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _drop_none(values: Json) -> Json:
    return {k: v for k, v in values.items() if v is not None}


@dataclass(frozen=True, slots=True)
class Tag:
    key: str
    value: str


@dataclass(frozen=True, slots=True)
class Caster:
    """One production studio, as DescribeCasters lists it."""

    caster_id: str
    name: str
    status: int
    norm_type: int | None = None
    charge_type: str | None = None
    template: str | None = None
    channel_enable: int | None = None
    create_time: datetime | None = None
    purchase_time: datetime | None = None
    expire_time: datetime | None = None
    start_time: datetime | None = None
    last_modified: datetime | None = None
    duration: timedelta | None = None
    resource_group_id: str | None = None
    client_token_id: str | None = None
    tags: tuple[Tag, ...] = ()

    @property
    def is_streaming(self) -> bool:
        return self.status == CasterStatus.STREAMING

    @classmethod
    def from_api(cls, data: p.JsonObject) -> Caster:
        status = p.integer(data, "Status")
        return cls(
            caster_id=p.required_text(data, "CasterId"),
            name=p.text(data, "CasterName") or "",
            status=CasterStatus.IDLE if status is None else status,
            norm_type=p.integer(data, "NormType"),
            charge_type=p.text(data, "ChargeType"),
            template=p.text(data, "CasterTemplate"),
            channel_enable=p.integer(data, "ChannelEnable"),
            create_time=p.date(data, "CreateTime"),
            purchase_time=p.date(data, "PurchaseTime"),
            expire_time=p.date(data, "ExpireTime"),
            start_time=p.date(data, "StartTime"),
            last_modified=p.date(data, "LastModified"),
            duration=p.duration(data, "Duration"),
            resource_group_id=p.text(data, "ResourceGroupId"),
            client_token_id=p.text(data, "ClientTokenId"),
            tags=tuple(
                Tag(p.text(t, "TagKey") or "", p.text(t, "TagValue") or "")
                for t in p.items(data, "Tags", "tag")
            ),
        )

    def to_api(self) -> Json:
        return _drop_none(
            {
                "CasterId": self.caster_id,
                "CasterName": self.name,
                "Status": self.status,
                "NormType": self.norm_type,
                "ChargeType": self.charge_type,
                "CasterTemplate": self.template,
                "ChannelEnable": self.channel_enable,
                "CreateTime": _iso(self.create_time),
                "PurchaseTime": _iso(self.purchase_time),
                "ExpireTime": _iso(self.expire_time),
                "StartTime": _iso(self.start_time),
                "LastModified": _iso(self.last_modified),
                "Duration": p.format_duration(self.duration) if self.duration else None,
                "ResourceGroupId": self.resource_group_id,
                "ClientTokenId": self.client_token_id,
                "Tags": [{"TagKey": t.key, "TagValue": t.value} for t in self.tags] or None,
            }
        )


@dataclass(frozen=True, slots=True)
class CasterPage:
    """One page of DescribeCasters."""

    request_id: str
    total: int
    casters: tuple[Caster, ...]

    @classmethod
    def from_api(cls, data: p.JsonObject) -> CasterPage:
        casters = tuple(Caster.from_api(c) for c in p.items(data, "CasterList", "Caster"))
        total = p.integer(data, "Total")
        return cls(
            request_id=p.text(data, "RequestId") or "",
            total=len(casters) if total is None else total,
            casters=casters,
        )


@dataclass(frozen=True, slots=True)
class CasterList:
    """Every caster matching a filter, gathered over all pages."""

    total: int
    casters: tuple[Caster, ...]
    request_ids: tuple[str, ...] = ()
    # Why paging stopped before Total was reached: "" (it was not), "short_page" (a page came
    # back short or empty although Total claimed more) or "cap" (MAX_CASTERS reached).
    stopped_early: str = ""

    def to_api(self) -> Json:
        return {"Total": self.total, "Casters": [c.to_api() for c in self.casters]}


@dataclass(frozen=True, slots=True)
class StreamInfo:
    """One bypass playback URL: a transcode tier in one format."""

    transcode_config: str
    video_format: str
    output_stream_url: str

    @classmethod
    def from_api(cls, data: p.JsonObject) -> StreamInfo:
        return cls(
            transcode_config=p.text(data, "TranscodeConfig") or "",
            video_format=(p.text(data, "VideoFormat") or "").lower(),
            output_stream_url=p.required_text(data, "OutputStreamUrl"),
        )

    def to_api(self) -> Json:
        return {
            "TranscodeConfig": self.transcode_config,
            "VideoFormat": self.video_format,
            "OutputStreamUrl": self.output_stream_url,
        }


def _stream_infos(data: p.JsonObject) -> tuple[StreamInfo, ...]:
    return tuple(StreamInfo.from_api(s) for s in p.items(data, "StreamInfos", "StreamInfo"))


def sorted_stream_infos(infos: Sequence[StreamInfo]) -> list[StreamInfo]:
    """Tier (lld → lud) then format (rtmp, flv, m3u8); unknown values last, stable."""

    def rank(info: StreamInfo) -> tuple[int, int]:
        tier = info.transcode_config
        fmt = info.video_format
        return (
            TRANSCODE_TIERS.index(tier) if tier in TRANSCODE_TIERS else len(TRANSCODE_TIERS),
            VIDEO_FORMATS.index(fmt) if fmt in VIDEO_FORMATS else len(VIDEO_FORMATS),
        )

    return sorted(infos, key=rank)


@dataclass(frozen=True, slots=True)
class SceneInfo:
    """A PVW or PGM scene: its monitor stream and (PGM only) the bypass outputs."""

    scene_id: str
    stream_url: str
    stream_infos: tuple[StreamInfo, ...] = ()
    rts_url: str | None = None

    @classmethod
    def from_api(cls, data: p.JsonObject) -> SceneInfo:
        return cls(
            scene_id=p.required_text(data, "SceneId"),
            stream_url=p.text(data, "StreamUrl") or "",
            stream_infos=_stream_infos(data),
            rts_url=p.text(data, "RtsUrl"),
        )

    def to_api(self) -> Json:
        out: Json = {"SceneId": self.scene_id, "StreamUrl": self.stream_url}
        if self.stream_infos:
            out["StreamInfos"] = [s.to_api() for s in self.stream_infos]
        if self.rts_url:
            out["RtsUrl"] = self.rts_url
        return out


@dataclass(frozen=True, slots=True)
class StartResult:
    """What StartCaster returns, or what a re-read established after an unclear outcome.

    ``confirmed_by`` is empty for a direct answer, or names the read-only action that
    established the result (``DescribeCasterStreamUrl``) after the StartCaster answer was lost.
    """

    request_id: str
    pvw: tuple[SceneInfo, ...]
    pgm: tuple[SceneInfo, ...]
    confirmed_by: str = ""

    @classmethod
    def from_api(cls, data: p.JsonObject) -> StartResult:
        result = cls(
            request_id=p.text(data, "RequestId") or "",
            pvw=tuple(SceneInfo.from_api(s) for s in p.items(data, "PvwSceneInfos", "SceneInfo")),
            pgm=tuple(SceneInfo.from_api(s) for s in p.items(data, "PgmSceneInfos", "SceneInfo")),
        )
        if not result.all_urls():  # a started caster always has at least its monitor URLs
            raise ProtocolError("the answer held no scene information")
        return result

    def to_api(self) -> Json:
        return {
            "RequestId": self.request_id,
            "PvwSceneInfos": [s.to_api() for s in self.pvw],
            "PgmSceneInfos": [s.to_api() for s in self.pgm],
        }

    def all_urls(self) -> list[str]:
        urls: list[str] = []
        for scene in (*self.pvw, *self.pgm):
            if scene.stream_url:
                urls.append(scene.stream_url)
            urls.extend(s.output_stream_url for s in scene.stream_infos)
        return urls


class OutputType(IntEnum):
    PREVIEW = 0
    PROGRAM = 1


@dataclass(frozen=True, slots=True)
class CasterStream:
    """One entry of DescribeCasterStreamUrl."""

    scene_id: str
    output_type: int | None
    stream_url: str
    rtmp_url: str | None
    stream_infos: tuple[StreamInfo, ...]

    @classmethod
    def from_api(cls, data: p.JsonObject) -> CasterStream:
        return cls(
            scene_id=p.required_text(data, "SceneId"),
            output_type=p.integer(data, "OutputType"),
            stream_url=p.text(data, "StreamUrl") or "",
            rtmp_url=p.text(data, "RtmpUrl"),
            stream_infos=_stream_infos(data),
        )

    def to_api(self) -> Json:
        return _drop_none(
            {
                "SceneId": self.scene_id,
                "OutputType": self.output_type,
                "StreamUrl": self.stream_url,
                "RtmpUrl": self.rtmp_url,
                "StreamInfos": [s.to_api() for s in self.stream_infos] or None,
            }
        )


@dataclass(frozen=True, slots=True)
class CasterStreamUrls:
    """DescribeCasterStreamUrl: the read-only way to get the URLs again after StartCaster."""

    request_id: str
    caster_id: str
    streams: tuple[CasterStream, ...]

    @classmethod
    def from_api(cls, data: p.JsonObject) -> CasterStreamUrls:
        return cls(
            request_id=p.text(data, "RequestId") or "",
            caster_id=p.text(data, "CasterId") or "",
            streams=tuple(
                CasterStream.from_api(s) for s in p.items(data, "CasterStreams", "CasterStream")
            ),
        )

    def to_api(self) -> Json:
        return {
            "RequestId": self.request_id,
            "CasterId": self.caster_id,
            "Total": len(self.streams),
            "CasterStreams": [s.to_api() for s in self.streams],
        }

    def as_start_result(self, confirmed_by: str = "") -> StartResult:
        """The same shape StartCaster returns, so the panels fill the same way."""

        def scenes(kind: OutputType) -> tuple[SceneInfo, ...]:
            return tuple(
                SceneInfo(s.scene_id, s.stream_url or s.rtmp_url or "", s.stream_infos)
                for s in self.streams
                if s.output_type == kind
            )

        return StartResult(
            request_id=self.request_id,
            pvw=scenes(OutputType.PREVIEW),
            pgm=scenes(OutputType.PROGRAM),
            confirmed_by=confirmed_by,
        )


@dataclass(frozen=True, slots=True)
class Scene:
    """One entry of DescribeCasterScenes."""

    scene_id: str
    name: str
    output_type: int | None
    status: int | None
    stream_url: str
    layout_id: str | None
    component_ids: tuple[str, ...]
    stream_infos: tuple[StreamInfo, ...]

    @classmethod
    def from_api(cls, data: p.JsonObject) -> Scene:
        components = data.get("ComponentIds")
        if isinstance(components, dict):
            components = components.get("componentId", [])
        if not isinstance(components, list):
            components = []
        return cls(
            scene_id=p.required_text(data, "SceneId"),
            name=p.text(data, "SceneName") or "",
            output_type=p.integer(data, "OutputType"),
            status=p.integer(data, "Status"),
            stream_url=p.text(data, "StreamUrl") or "",
            layout_id=p.text(data, "LayoutId"),
            component_ids=tuple(str(c) for c in components),
            stream_infos=_stream_infos(data),
        )

    def to_api(self) -> Json:
        return _drop_none(
            {
                "SceneId": self.scene_id,
                "SceneName": self.name,
                "OutputType": self.output_type,
                "Status": self.status,
                "StreamUrl": self.stream_url,
                "LayoutId": self.layout_id,
                "ComponentIds": list(self.component_ids) or None,
                "StreamInfos": [s.to_api() for s in self.stream_infos] or None,
            }
        )


@dataclass(frozen=True, slots=True)
class CasterScenes:
    request_id: str
    scenes: tuple[Scene, ...]

    @classmethod
    def from_api(cls, data: p.JsonObject) -> CasterScenes:
        return cls(
            request_id=p.text(data, "RequestId") or "",
            scenes=tuple(Scene.from_api(s) for s in p.items(data, "SceneList", "Scene")),
        )

    @property
    def pvw(self) -> Scene | None:
        return find_scene(self.scenes, OutputType.PREVIEW)

    @property
    def pgm(self) -> Scene | None:
        return find_scene(self.scenes, OutputType.PROGRAM)

    def to_api(self) -> Json:
        return {
            "RequestId": self.request_id,
            "Total": len(self.scenes),
            "SceneList": [s.to_api() for s in self.scenes],
        }


@dataclass(frozen=True, slots=True)
class CasterConfig:
    """The parts of DescribeCasterConfig a director cares about."""

    request_id: str
    caster_id: str
    name: str
    domain_name: str | None
    delay: float | None
    program_name: str | None
    program_effect: int | None
    urgent_live_stream_url: str | None
    caster_template: str | None
    callback_url: str | None

    @classmethod
    def from_api(cls, data: p.JsonObject) -> CasterConfig:
        transcode = data.get("TranscodeConfig")
        template = p.text(transcode, "CasterTemplate") if isinstance(transcode, dict) else None
        return cls(
            request_id=p.text(data, "RequestId") or "",
            caster_id=p.text(data, "CasterId") or "",
            name=p.text(data, "CasterName") or "",
            domain_name=p.text(data, "DomainName"),
            delay=p.number(data, "Delay"),
            program_name=p.text(data, "ProgramName"),
            program_effect=p.integer(data, "ProgramEffect"),
            urgent_live_stream_url=p.text(data, "UrgentLiveStreamUrl"),
            caster_template=template,
            callback_url=p.text(data, "CallbackUrl"),
        )


# --- directing: scenes, layouts, sources ------------------------------------------------------


def scene_role(scene: Scene) -> str:
    """``"PVW"``, ``"PGM"`` or ``""`` from the scene's OutputType (0 preview, 1 program)."""
    return {0: "PVW", 1: "PGM"}.get(-1 if scene.output_type is None else scene.output_type, "")


def find_scene(scenes: Sequence[Scene], output_type: OutputType) -> Scene | None:
    """The first scene of that kind (a caster has one PVW and one PGM once started)."""
    return next((s for s in scenes if s.output_type == output_type), None)


@dataclass(frozen=True, slots=True)
class VideoLayer:
    """One picture of a layout: normalized size and position (0–1 of the output frame)."""

    fill_mode: str
    width_normalized: float | None
    height_normalized: float | None
    position: tuple[float, ...]
    position_refer: str
    fixed_delay_duration: int | None

    @classmethod
    def from_api(cls, data: p.JsonObject) -> VideoLayer:
        position = p.numbers(data, "PositionNormalizeds", "Position") or p.numbers(
            data, "PositionNormalized", "Position"
        )
        return cls(
            fill_mode=p.text(data, "FillMode") or "",
            width_normalized=p.number(data, "WidthNormalized"),
            height_normalized=p.number(data, "HeightNormalized"),
            position=tuple(position),
            position_refer=p.text(data, "PositionRefer") or "",
            fixed_delay_duration=p.integer(data, "FixedDelayDuration"),
        )

    @property
    def area(self) -> float:
        """Share of the frame it covers (unknown sizes count as full frame)."""
        width = 1.0 if self.width_normalized is None else self.width_normalized
        height = 1.0 if self.height_normalized is None else self.height_normalized
        return width * height

    def to_api(self) -> Json:
        return _drop_none(
            {
                "FillMode": self.fill_mode,
                "WidthNormalized": self.width_normalized,
                "HeightNormalized": self.height_normalized,
                "PositionNormalizeds": list(self.position),
                "PositionRefer": self.position_refer,
                "FixedDelayDuration": self.fixed_delay_duration,
            }
        )


@dataclass(frozen=True, slots=True)
class AudioLayer:
    volume_rate: float | None
    valid_channel: str
    fixed_delay_duration: int | None

    @classmethod
    def from_api(cls, data: p.JsonObject) -> AudioLayer:
        return cls(
            volume_rate=p.number(data, "VolumeRate"),
            valid_channel=p.text(data, "ValidChannel") or "",
            fixed_delay_duration=p.integer(data, "FixedDelayDuration"),
        )

    def to_api(self) -> Json:
        return _drop_none(
            {
                "VolumeRate": self.volume_rate,
                "ValidChannel": self.valid_channel,
                "FixedDelayDuration": self.fixed_delay_duration,
            }
        )


@dataclass(frozen=True, slots=True)
class Layout:
    """One entry of DescribeCasterLayouts. ``blend_list[i]`` is the source of ``video_layers[i]``."""

    layout_id: str
    blend_list: tuple[str, ...]
    mix_list: tuple[str, ...]
    video_layers: tuple[VideoLayer, ...]
    audio_layers: tuple[AudioLayer, ...]

    @classmethod
    def from_api(cls, data: p.JsonObject) -> Layout:
        return cls(
            layout_id=p.required_text(data, "LayoutId"),
            blend_list=tuple(p.strings(data, "BlendList", "LocationId")),
            mix_list=tuple(p.strings(data, "MixList", "LocationId")),
            video_layers=tuple(
                VideoLayer.from_api(v) for v in p.items(data, "VideoLayers", "VideoLayer")
            ),
            audio_layers=tuple(
                AudioLayer.from_api(a) for a in p.items(data, "AudioLayers", "AudioLayer")
            ),
        )

    def to_api(self) -> Json:
        return {
            "LayoutId": self.layout_id,
            "BlendList": list(self.blend_list),
            "MixList": list(self.mix_list),
            "VideoLayers": [v.to_api() for v in self.video_layers],
            "AudioLayers": [a.to_api() for a in self.audio_layers],
        }

    def name(self, sources: dict[str, str]) -> str:
        """A name built from its sources: ``CAM 1``, ``CAM 1 + CAM 2 (PiP)``, ``CAM 1 + SLIDES``.

        ``sources`` maps LocationId (RV01…) to a resource name; unknown locations show as
        themselves. A second picture smaller than the first makes it picture-in-picture.
        """
        names = [sources.get(location) or location for location in self.blend_list]
        if not names:
            return self.layout_id
        if len(names) == 1:
            return names[0]
        areas = [layer.area for layer in self.video_layers]
        pip = len(areas) >= 2 and areas[0] > 0 and all(a < areas[0] for a in areas[1:])
        return " + ".join(names) + (" (PiP)" if pip else "")


@dataclass(frozen=True, slots=True)
class CasterLayouts:
    request_id: str
    layouts: tuple[Layout, ...]

    @classmethod
    def from_api(cls, data: p.JsonObject) -> CasterLayouts:
        return cls(
            request_id=p.text(data, "RequestId") or "",
            layouts=tuple(Layout.from_api(x) for x in p.items(data, "Layouts", "Layout")),
        )

    def find(self, layout_id: str | None) -> Layout | None:
        return next((x for x in self.layouts if x.layout_id == layout_id), None)


@dataclass(frozen=True, slots=True)
class VideoResource:
    """One entry of DescribeCasterVideoResources: a source bound to a location (RV01…)."""

    resource_id: str
    name: str
    location_id: str
    live_stream_url: str | None
    vod_url: str | None
    material_id: str | None
    repeat_num: int | None

    @classmethod
    def from_api(cls, data: p.JsonObject) -> VideoResource:
        return cls(
            resource_id=p.required_text(data, "ResourceId"),
            name=p.text(data, "ResourceName") or "",
            location_id=p.text(data, "LocationId") or "",
            live_stream_url=p.text(data, "LiveStreamUrl"),
            vod_url=p.text(data, "VodUrl"),
            material_id=p.text(data, "MaterialId"),
            repeat_num=p.integer(data, "RepeatNum"),
        )

    def to_api(self) -> Json:
        return _drop_none(
            {
                "ResourceId": self.resource_id,
                "ResourceName": self.name,
                "LocationId": self.location_id,
                "LiveStreamUrl": self.live_stream_url,
                "VodUrl": self.vod_url,
                "MaterialId": self.material_id,
                "RepeatNum": self.repeat_num,
            }
        )


@dataclass(frozen=True, slots=True)
class CasterVideoResources:
    request_id: str
    resources: tuple[VideoResource, ...]

    @classmethod
    def from_api(cls, data: p.JsonObject) -> CasterVideoResources:
        return cls(
            request_id=p.text(data, "RequestId") or "",
            resources=tuple(
                VideoResource.from_api(r) for r in p.items(data, "VideoResources", "VideoResource")
            ),
        )

    def names(self) -> dict[str, str]:
        """LocationId -> resource name, for naming layouts."""
        return {r.location_id: r.name for r in self.resources if r.location_id and r.name}


@dataclass(frozen=True, slots=True)
class SceneChange:
    """A scene-changing call that took effect (UpdateCasterSceneConfig, CopyCasterSceneConfig,
    EffectCasterUrgent).

    ``confirmed_by`` is empty for a direct answer, or ``DescribeCasterScenes`` when the answer
    was lost and a re-read showed the change; ``scenes`` is that re-read.
    """

    action: str
    request_id: str
    confirmed_by: str = ""
    scenes: CasterScenes | None = None


def layout_names(layouts: Sequence[Layout], resources: Sequence[VideoResource]) -> dict[str, str]:
    """LayoutId -> a name built from its sources; names that would repeat get the id's start."""
    sources = {r.location_id: r.name for r in resources if r.location_id and r.name}
    names = {layout.layout_id: layout.name(sources) for layout in layouts}
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name] = counts.get(name, 0) + 1
    return {
        layout_id: name if counts[name] == 1 else f"{name} [{layout_id[:8]}]"
        for layout_id, name in names.items()
    }


def tally(scene: Scene) -> str:
    """``ON AIR`` for a running PGM, ``PREVIEW`` for a running PVW, else ``off``."""
    if scene.status != 1:
        return "off"
    return {1: "ON AIR", 0: "PREVIEW"}.get(
        -1 if scene.output_type is None else scene.output_type, ""
    )
