"""The sandbox account's casters and their state machine (idle ⇄ streaming).

Everything here runs on the sandbox's loop thread; nothing is locked. Times are epoch seconds
from the sandbox clock, so tests can skew it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from app.sandbox.errors import ApiError
from app.sandbox.layouts import (
    ID_NAMESPACE,
    PGM_START_LAYOUT,
    PVW_START_LAYOUT,
    STANDBY_LOOK,
    caster_layouts,
    layout_id,
    stable_hex,
    stable_uuid,
)
from app.sandbox.streams import TIERS, MediaBackend

__all__ = ["ID_NAMESPACE", "Caster", "CasterStore", "Scene", "Studio", "stable_hex", "stable_uuid"]


@dataclass(slots=True)
class Scene:
    """A PVW (``output_type`` 0) or PGM (1) scene of a caster."""

    scene_id: str
    name: str
    output_type: int
    layout_id: str
    component_ids: list[str] = field(default_factory=list)
    status: int = 0


@dataclass(slots=True)
class Caster:
    """One production studio as the account sees it."""

    caster_id: str
    caster_name: str
    norm_type: int = 1
    charge_type: str = "PostPaid"
    caster_template: str = "lp_hd"
    channel_enable: int = 1
    create_time: float = 0.0
    purchase_time: float | None = None
    expire_time: float | None = None
    last_modified: float = 0.0
    resource_group_id: str = "rg-acfmsandbox0001"
    tags: tuple[tuple[str, str], ...] = ()
    domain_name: str | None = "live.casterdesk-sandbox.test"
    forbidden: bool = False
    client_token_id: str = ""
    delay: float = 0.0
    program_name: str = ""
    status: int = 0
    start_time: float | None = None
    seq: int = 0
    scenes: list[Scene] = field(default_factory=list)
    stream_prefix: str = ""
    urgent: bool = False  # PGM shows the standby slate (EffectCasterUrgent) until the next Take

    @property
    def pvw_stream(self) -> str:
        return stable_hex(f"{self.stream_prefix or self.caster_id}:pvw")

    @property
    def pgm_stream(self) -> str:
        return stable_hex(f"{self.stream_prefix or self.caster_id}:pgm")

    def stream_names(self, scene: str | None = None) -> list[str]:
        """Names of its published streams: ``pvw``, ``pgm`` (with tiers), or all."""
        names: list[str] = []
        if scene in (None, "pvw"):
            names.append(self.pvw_stream)
        if scene in (None, "pgm"):
            names.append(self.pgm_stream)
            names.extend(f"{self.pgm_stream}_{tier}" for tier in TIERS)
        return names

    def scene(self, output_type: int) -> Scene | None:
        for scene in self.scenes:
            if scene.output_type == output_type:
                return scene
        return None

    def look(self, scene: Scene) -> str:
        """What the scene's streams show: its layout's look, or STANDBY on an urgent PGM."""
        if scene.output_type == 1 and self.urgent:
            return STANDBY_LOOK
        spec = caster_layouts(self.caster_id).get(scene.layout_id)
        return spec.look if spec is not None else STANDBY_LOOK

    def ensure_scenes(self) -> None:
        """StartCaster creates the PVW and PGM scenes if they don't exist yet."""
        if self.scene(0) is None:
            self.scenes.append(
                Scene(
                    scene_id=stable_uuid(f"{self.caster_id}:scene:pvw"),
                    name="PVW",
                    output_type=0,
                    layout_id=layout_id(self.caster_id, PVW_START_LAYOUT),
                    component_ids=[stable_uuid(f"{self.caster_id}:component:1")],
                )
            )
        if self.scene(1) is None:
            self.scenes.append(
                Scene(
                    scene_id=stable_uuid(f"{self.caster_id}:scene:pgm"),
                    name="PGM",
                    output_type=1,
                    layout_id=layout_id(self.caster_id, PGM_START_LAYOUT),
                    component_ids=[stable_uuid(f"{self.caster_id}:component:2")],
                )
            )


def _scene(caster: Caster, output_type: int) -> Scene:
    scene = caster.scene(output_type)
    assert scene is not None  # ensure_scenes() made it
    return scene


class CasterStore:
    """All casters, indexed by id, with the modification order cached between changes.

    DescribeCasters pages over 10,000 casters many times per second; sorting happens only
    after a caster changed, never per request.
    """

    def __init__(self, casters: Iterable[Caster] = ()) -> None:
        self._by_id: dict[str, Caster] = {}
        self._newest_first: list[Caster] | None = None
        self._seq = 0
        for caster in casters:
            self.add(caster)

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Caster]:
        return iter(self._by_id.values())

    def add(self, caster: Caster) -> None:
        if caster.caster_id in self._by_id:
            raise ValueError(f"duplicate caster id {caster.caster_id}")
        self._seq += 1
        caster.seq = self._seq
        self._by_id[caster.caster_id] = caster
        self._newest_first = None

    def get(self, caster_id: str) -> Caster | None:
        return self._by_id.get(caster_id)

    @property
    def ids(self) -> list[str]:
        return list(self._by_id)

    def touch(self, caster: Caster, now: float) -> None:
        caster.last_modified = now
        self._newest_first = None

    def ordered(self, *, ascending: bool = False) -> Sequence[Caster]:
        """By LastModified, newest first unless ``ascending`` (ties: creation order)."""
        if self._newest_first is None:
            self._newest_first = sorted(
                self._by_id.values(), key=lambda c: (c.last_modified, c.seq), reverse=True
            )
        return self._newest_first[::-1] if ascending else self._newest_first


class Studio:
    """The state machine behind StartCaster / StopCaster and the directing actions
    (UpdateCasterSceneConfig, CopyCasterSceneConfig, EffectCasterUrgent); it tells the media
    origin what each scene's streams show."""

    def __init__(self, store: CasterStore, media: MediaBackend) -> None:
        self.store = store
        self.media = media

    def find(self, caster_id: str, *, denied_code: str = "PermissionDenied") -> Caster:
        caster = self.store.get(caster_id)
        if caster is None:
            raise ApiError("InvalidCaster.NotFound")
        if caster.forbidden:
            raise ApiError(denied_code)
        return caster

    def start(self, caster: Caster, now: float, *, started_at: float | None = None) -> None:
        """Idle → streaming; a caster that is already streaming is left as it is."""
        if caster.domain_name is None:
            raise ApiError("InvalidDomainName.NotFound")
        if caster.status == 1:
            return
        caster.ensure_scenes()
        for scene in caster.scenes:
            scene.status = 1
        start_time = now if started_at is None else started_at
        on_air = max(0.0, now - start_time)  # a seed caster "already on air" at boot
        pvw_look = caster.look(_scene(caster, 0))
        pgm_look = caster.look(_scene(caster, 1))
        self.media.publish(caster.pvw_stream, "pvw", on_air_s=on_air, look=pvw_look)
        self.media.publish(caster.pgm_stream, "pgm", on_air_s=on_air, look=pgm_look)
        for tier in TIERS:
            self.media.publish(f"{caster.pgm_stream}_{tier}", tier, on_air_s=on_air, look=pgm_look)
        caster.status = 1
        caster.start_time = start_time
        self.store.touch(caster, now)

    def stop(self, caster: Caster, now: float) -> None:
        """Streaming → idle: both scenes stop and every stream ends. Idle stays idle."""
        if caster.status == 0:
            return
        for name in caster.stream_names():
            self.media.unpublish(name)
        for scene in caster.scenes:
            scene.status = 0
        caster.urgent = False
        caster.status = 0
        caster.start_time = None
        self.store.touch(caster, now)

    def copy_scene(self, caster: Caster, from_scene_id: str, to_scene_id: str, now: float) -> None:
        """PVW → PGM: the program takes the preview's layout and components."""
        by_id = {s.scene_id: s for s in caster.scenes}
        source, target = by_id.get(from_scene_id), by_id.get(to_scene_id)
        if source is None or target is None:
            raise ApiError("InvalidScene.NotFound")
        if source.output_type != 0 or target.output_type != 1:
            raise ApiError(
                "InvalidParameter",
                "FromSceneId must be the PVW scene and ToSceneId the PGM scene of the caster.",
            )
        if source.status != 1:
            raise ApiError("IncorrectSceneStatus", "From scene is not started.")
        if source.layout_id not in caster_layouts(caster.caster_id):
            raise ApiError("InvalidLayout.NotFound")
        target.layout_id = source.layout_id
        target.component_ids = list(source.component_ids)
        caster.urgent = False
        self._show(caster, target)
        self.store.touch(caster, now)

    def update_scene(
        self,
        caster: Caster,
        scene_id: str,
        layout: str,
        component_ids: Sequence[str] | None,
        now: float,
    ) -> None:
        """UpdateCasterSceneConfig: put ``layout`` (and components, if given) on one scene.

        On PGM this is a direct cut, so it also ends standby.
        """
        scene = next((s for s in caster.scenes if s.scene_id == scene_id), None)
        if scene is None:
            raise ApiError("InvalidScene.NotFound")
        if layout not in caster_layouts(caster.caster_id):
            raise ApiError("InvalidLayout.NotFound")
        scene.layout_id = layout
        if component_ids is not None:
            scene.component_ids = list(component_ids)
        if scene.output_type == 1:
            caster.urgent = False
        self._show(caster, scene)
        self.store.touch(caster, now)

    def effect_urgent(self, caster: Caster, scene_id: str, now: float) -> None:
        """EffectCasterUrgent: PGM cuts to the standby slate; its configured layout stays."""
        scene = next((s for s in caster.scenes if s.scene_id == scene_id), None)
        if scene is None:
            raise ApiError("InvalidScene.NotFound")
        if scene.output_type != 1:
            raise ApiError("InvalidParameter", "SceneId must be the PGM scene of the caster.")
        if scene.status != 1:
            raise ApiError("IncorrectSceneStatus", "Scene is not started.")
        caster.urgent = True
        self._show(caster, scene)
        self.store.touch(caster, now)

    def _show(self, caster: Caster, scene: Scene) -> None:
        """Send the scene's look to its streams (they switch at their next keyframe)."""
        if caster.status != 1:
            return
        look = caster.look(scene)
        for name in caster.stream_names("pvw" if scene.output_type == 0 else "pgm"):
            self.media.set_look(name, look)

    def cut(self, caster: Caster, seconds: float, scene: str | None) -> list[str]:
        names = caster.stream_names(scene)
        for name in names:
            self.media.cut(name, seconds)
        return names
