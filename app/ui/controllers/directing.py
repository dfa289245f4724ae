"""Directing the shown caster: its layouts, the layout on PVW, Take, Undo and Standby.

:class:`DirectingController` follows the caster whose URLs the panels show
(:meth:`DirectingController.follow`). It reads the caster's layouts, sources and scenes, and
offers one method per director's command: :meth:`pick_pvw` (UpdateCasterSceneConfig on PVW),
:meth:`take` (CopyCasterSceneConfig PVW → PGM), :meth:`undo` (a second Take of the layout PGM
showed before, offered for :data:`UNDO_SECONDS`) and :meth:`standby` (EffectCasterUrgent).

One scene change runs at a time: a press while one is in flight does nothing, so a double
press sends one request. After each change the scenes are read again (DescribeCasterScenes),
and the tally (:attr:`pgm_layout_id`, :attr:`pvw_layout_id`) only ever shows what such a read
said. The API cannot read standby back, so :attr:`in_standby` is tracked here: set by a confirmed
EffectCasterUrgent, cleared by the next Take.

Every operation goes through :meth:`DirectingController._run`, which does the bookkeeping they
share, like the caster controller's: the connection-generation and caster guard, the in-flight
state, timing, the requested/succeeded/failed events and the route to the error banner.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from app.api.models import (
    CasterLayouts,
    CasterScenes,
    CasterVideoResources,
    Layout,
    SceneChange,
    StartResult,
    layout_names,
)
from app.ui.concurrency import WorkerPool
from app.ui.controllers.casters import EventSink, ShownCaster
from app.ui.controllers.session import Connection, SessionController
from app.ui.errors import Problem, describe_error

T = TypeVar("T")

UNDO_SECONDS = 10


class Directing(Enum):
    """The directing operations; their values name their events (``take_requested`` …)."""

    LOAD = "layouts"
    SCENES = "scenes"
    PVW = "pvw"
    TAKE = "take"
    UNDO = "undo"
    STANDBY = "standby"


# Event names per operation: requested (None: not logged), succeeded, failed.
_EVENTS: dict[Directing, tuple[str | None, str, str]] = {
    Directing.LOAD: (None, "layouts_loaded", "layouts_failed"),
    Directing.SCENES: (None, "scenes_read", "scenes_failed"),
    Directing.PVW: ("pvw_requested", "pvw_succeeded", "pvw_failed"),
    Directing.TAKE: ("take_requested", "take_succeeded", "take_failed"),
    Directing.UNDO: ("undo_requested", "undo_succeeded", "undo_failed"),
    Directing.STANDBY: ("standby_requested", "standby_succeeded", "standby_failed"),
}
_CHANGES = (Directing.PVW, Directing.TAKE, Directing.UNDO, Directing.STANDBY)


@dataclass(frozen=True)
class Box:
    """One picture of a layout: normalized left, top, width, height (0–1 of the frame)."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class LayoutEntry:
    """A layout as the picker shows it: its id, a name built from its sources, its pictures."""

    layout_id: str
    name: str
    boxes: tuple[Box, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Target:
    """The caster being directed and its two scenes."""

    caster_id: str
    name: str
    pvw_scene_id: str
    pgm_scene_id: str


@dataclass
class _Job:
    operation: Directing
    generation: int
    target: Target
    started: float = field(default_factory=time.monotonic)

    def ms(self) -> float:
        return round((time.monotonic() - self.started) * 1000, 1)


@dataclass(frozen=True)
class _Loaded:
    layouts: CasterLayouts
    resources: CasterVideoResources
    scenes: CasterScenes


def boxes(layout: Layout) -> tuple[Box, ...]:
    """The layout's pictures, clamped to the frame; a layer without a size fills the frame."""
    found = []
    for layer in layout.video_layers:
        width = 1.0 if layer.width_normalized is None else layer.width_normalized
        height = 1.0 if layer.height_normalized is None else layer.height_normalized
        x, y = (*layer.position, 0.0, 0.0)[:2]
        if layer.position_refer.lower() == "center":
            x, y = x - width / 2, y - height / 2
        width, height = min(max(width, 0.0), 1.0), min(max(height, 0.0), 1.0)
        x, y = min(max(x, 0.0), 1.0 - width), min(max(y, 0.0), 1.0 - height)
        found.append(Box(x, y, width, height))
    return tuple(found)


def _target(shown: ShownCaster) -> Target | None:
    result: StartResult = shown.result
    if not result.pvw or not result.pgm:
        return None
    return Target(shown.caster_id, shown.name, result.pvw[0].scene_id, result.pgm[0].scene_id)


class DirectingController(QObject):
    """Layouts, PVW, Take, Undo and Standby for the shown caster. See the module docstring."""

    layouts_changed = Signal()  # a new list of layouts (or none): rebuild the picker
    changed = Signal()  # tally, standby, busy or the Undo offer changed: re-read the state
    scenes_read = Signal()  # a DescribeCasterScenes answer was applied (the tally is fresh)
    pvw_finished = Signal(bool)
    take_finished = Signal(bool)  # a Take or an Undo answered: True on success
    standby_finished = Signal(bool)
    problem = Signal(Problem)

    def __init__(
        self,
        session: SessionController,
        pool: WorkerPool,
        events: EventSink,
        *,
        undo_seconds: int = UNDO_SECONDS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._pool = pool
        self._events = events
        self._target: Target | None = None
        self._layouts: tuple[LayoutEntry, ...] = ()
        self._scenes: CasterScenes | None = None
        self._scenes_asked_at = 0.0  # when the read now applied was sent (older ones lose)
        self._jobs: dict[Directing, _Job] = {}
        self._standby = False
        self._undo_layout: str | None = None
        self._undo_left = 0
        self._undo_seconds = undo_seconds
        self._closed = False
        self.undo_timer = QTimer(self)
        self.undo_timer.setObjectName("undoOffer")
        self.undo_timer.setInterval(1000)
        self.undo_timer.timeout.connect(self._undo_tick)

    # --- what the view reads -----------------------------------------------------------------

    @property
    def target(self) -> Target | None:
        return self._target

    @property
    def layouts(self) -> tuple[LayoutEntry, ...]:
        return self._layouts

    def scene_name(self, which: str) -> str:
        """The SceneName DescribeCasterScenes gave PVW (``"pvw"``) or PGM; "" if none yet."""
        scenes = self._scenes
        scene = None if scenes is None else (scenes.pvw if which == "pvw" else scenes.pgm)
        return scene.name if scene is not None else ""

    def layout_name(self, layout_id: str | None) -> str:
        entry = next((x for x in self._layouts if x.layout_id == layout_id), None)
        return entry.name if entry is not None else (layout_id or "")

    @property
    def pvw_layout_id(self) -> str | None:
        """The layout on PVW, as the last DescribeCasterScenes said (None: not known, or off)."""
        scene = self._scenes.pvw if self._scenes is not None else None
        return scene.layout_id if scene is not None and scene.status == 1 else None

    @property
    def pgm_layout_id(self) -> str | None:
        """The layout PGM is configured with, as last read (None: not known, or off).

        In standby PGM shows the standby source instead; see :attr:`on_air_layout_id`."""
        scene = self._scenes.pgm if self._scenes is not None else None
        return scene.layout_id if scene is not None and scene.status == 1 else None

    @property
    def on_air_layout_id(self) -> str | None:
        """The layout marked ON AIR: PGM's, unless PGM is in standby."""
        return None if self._standby else self.pgm_layout_id

    @property
    def in_standby(self) -> bool:
        """PGM shows the standby source (tracked locally: the API cannot read it back)."""
        return self._standby

    @property
    def busy(self) -> bool:
        """A scene change is in flight (another press does nothing until it answers)."""
        return any(op in self._jobs for op in _CHANGES)

    @property
    def take_in_flight(self) -> bool:
        return Directing.TAKE in self._jobs or Directing.UNDO in self._jobs

    @property
    def loading(self) -> bool:
        return Directing.LOAD in self._jobs

    @property
    def ready(self) -> bool:
        return (
            self._target is not None
            and not self._closed
            and self._session.connection is not None
            and self._scenes is not None
        )

    def can_take(self) -> bool:
        return self.ready and not self.busy

    @property
    def undo_seconds_left(self) -> int:
        """Seconds the Undo offer still stands (0: none offered)."""
        return self._undo_left if self._undo_layout is not None else 0

    @property
    def undo_layout_id(self) -> str | None:
        return self._undo_layout

    # --- following the shown caster ------------------------------------------------------------

    def follow(self, shown: ShownCaster) -> None:
        """The panels show ``shown``: read its layouts, sources and scenes (once per caster)."""
        target = _target(shown)
        if self._closed or target == self._target:
            return
        self._reset(target)
        connection = self._session.connection
        if target is None or connection is None:
            return
        client = connection.client
        caster_id = target.caster_id

        def load() -> _Loaded:
            return _Loaded(
                client.describe_caster_layouts(caster_id),
                client.describe_caster_video_resources(caster_id),
                client.describe_caster_scenes(caster_id),
            )

        self._run(
            Directing.LOAD,
            connection,
            load,
            context=lambda: self.tr("Could not read the layouts of “{0}”").format(target.name),
            on_success=self._on_loaded,
        )
        self.layouts_changed.emit()  # the picker says it is reading them

    def clear(self) -> None:
        """Nothing is shown any more: forget the caster."""
        self._reset(None)

    def _reset(self, target: Target | None) -> None:
        self._target = target
        self._layouts = ()
        self._scenes = None
        self._scenes_asked_at = 0.0
        self._standby = False
        self._end_undo()
        self.layouts_changed.emit()
        self.changed.emit()

    def close(self) -> None:
        """The window is closing: stop the Undo countdown, ignore late answers."""
        self._closed = True
        self.undo_timer.stop()

    def _on_loaded(self, job: _Job, loaded: _Loaded) -> dict[str, Any]:
        names = layout_names(loaded.layouts.layouts, loaded.resources.resources)
        sources = loaded.resources.names()
        self._layouts = tuple(
            LayoutEntry(
                layout.layout_id,
                names[layout.layout_id],
                boxes(layout),
                tuple(sources.get(loc) or loc for loc in layout.blend_list),
            )
            for layout in loaded.layouts.layouts
        )
        self._apply_scenes(job, loaded.scenes)
        self.layouts_changed.emit()
        return {"layouts": len(self._layouts), "request_id": loaded.layouts.request_id}

    # --- commands ------------------------------------------------------------------------------

    def refresh_scenes(self, *, unless_busy: bool = False) -> None:
        """Read the scenes again: after a change, so that the tally shows the cloud's truth,
        and with the list's refresh (``unless_busy``: not while a change is on its way), so that
        a change made elsewhere (the console, another director) shows too."""
        connection = self._session.connection
        target = self._target
        if connection is None or target is None or self._closed or self._scenes is None:
            return
        if unless_busy and (self.busy or Directing.SCENES in self._jobs):
            return
        client = connection.client
        self._run(
            Directing.SCENES,
            connection,
            lambda: client.describe_caster_scenes(target.caster_id),
            context=lambda: self.tr("Could not read the scenes of “{0}”").format(target.name),
            on_success=self._on_scenes,
        )

    def on_list_loaded(self, _count: int = 0) -> None:
        """The caster list was refreshed (every 15 s, or by the user): read the scenes too."""
        self.refresh_scenes(unless_busy=True)

    def _apply_scenes(self, job: _Job, scenes: CasterScenes) -> bool:
        """Apply a read unless a read sent later was applied already (answers can cross)."""
        if job.started < self._scenes_asked_at:
            return False
        self._scenes_asked_at = job.started
        self._scenes = scenes
        self.scenes_read.emit()
        return True

    def _on_scenes(self, job: _Job, scenes: CasterScenes) -> dict[str, Any]:
        if not self._apply_scenes(job, scenes):
            return {"applied": False, "request_id": scenes.request_id}
        pgm = scenes.pgm
        return {
            "pvw_layout": self.pvw_layout_id,
            "pgm_layout": pgm.layout_id if pgm is not None else None,
            "request_id": scenes.request_id,
        }

    def pick_pvw(self, layout_id: str) -> None:
        """Put ``layout_id`` on PVW (one UpdateCasterSceneConfig); ignored while one is busy."""
        connection = self._session.connection
        target = self._target
        if connection is None or target is None or self.busy or self._closed:
            return
        client = connection.client
        name = self.layout_name(layout_id)
        self._run(
            Directing.PVW,
            connection,
            lambda: client.update_caster_scene_config(
                target.caster_id, target.pvw_scene_id, layout_id
            ),
            context=lambda: self.tr("Could not put “{0}” on PVW").format(name),
            on_success=self._on_changed,
            fields={"layout_id": layout_id, "layout": name},
        )

    def take(self) -> None:
        """The Take: PVW's layout to PGM (one CopyCasterSceneConfig). Ignored while busy."""
        connection = self._session.connection
        target = self._target
        if connection is None or target is None or self.busy or self._closed:
            return
        client = connection.client
        name = self.layout_name(self.pvw_layout_id)
        self._run(
            Directing.TAKE,
            connection,
            lambda: client.take(target.caster_id, target.pvw_scene_id, target.pgm_scene_id),
            context=lambda: (
                self.tr("Could not take “{0}” to PGM").format(name)
                if name
                else self.tr("Could not take PVW to PGM")
            ),
            on_success=self._on_changed,
            fields={"layout": name or None, "from_layout": self.on_air_layout_id},
        )

    def undo(self) -> None:
        """Take the layout PGM showed before the last Take (while the offer stands)."""
        connection = self._session.connection
        target, previous = self._target, self._undo_layout
        if connection is None or target is None or previous is None or self.busy:
            return
        if self._closed:
            return
        client = connection.client
        name = self.layout_name(previous)
        self._end_undo()

        def again() -> SceneChange:
            # A Take copies PVW, so the previous layout goes to PVW first.
            client.update_caster_scene_config(target.caster_id, target.pvw_scene_id, previous)
            return client.take(target.caster_id, target.pvw_scene_id, target.pgm_scene_id)

        self._run(
            Directing.UNDO,
            connection,
            again,
            context=lambda: self.tr("Could not undo: “{0}” is not back on PGM").format(name),
            on_success=self._on_changed,
            fields={"layout_id": previous, "layout": name},
        )

    def standby(self, confirm: Callable[[], bool]) -> None:
        """Cut PGM to standby (one EffectCasterUrgent) once ``confirm()`` agrees."""
        connection = self._session.connection
        target = self._target
        if connection is None or target is None or self.busy or self._closed:
            return
        if not confirm():
            return
        if self._session.connection is not connection or self._target is not target:
            return  # the world moved on while the dialog was open
        client = connection.client
        self._run(
            Directing.STANDBY,
            connection,
            lambda: client.effect_caster_urgent(target.caster_id, target.pgm_scene_id),
            context=lambda: self.tr("Could not cut PGM of “{0}” to standby").format(target.name),
            on_success=self._on_changed,
        )

    def _on_changed(self, job: _Job, change: SceneChange) -> dict[str, Any]:
        operation = job.operation
        if operation is Directing.TAKE:
            previous = None if self._standby else self.pgm_layout_id
            self._standby = False
            if previous is not None and previous != self.pvw_layout_id:
                self._offer_undo(previous)
        elif operation is Directing.UNDO:
            self._standby = False
        elif operation is Directing.STANDBY:
            self._standby = True
            self._end_undo()
        if change.scenes is not None:
            self._apply_scenes(job, change.scenes)
        else:
            self.refresh_scenes()
        return {"request_id": change.request_id, "confirmed_by": change.confirmed_by or None}

    # --- Undo's offer ----------------------------------------------------------------------------

    def _offer_undo(self, layout_id: str) -> None:
        self._undo_layout = layout_id
        self._undo_left = self._undo_seconds
        self.undo_timer.start()

    def _undo_tick(self) -> None:
        self._undo_left -= 1
        if self._undo_left <= 0:
            self._end_undo()
        self.changed.emit()

    def _end_undo(self) -> None:
        self._undo_layout = None
        self._undo_left = 0
        self.undo_timer.stop()

    # --- the one operation helper ------------------------------------------------------------

    def _run(
        self,
        operation: Directing,
        connection: Connection,
        job: Callable[[], T],
        *,
        context: Callable[[], str],
        on_success: Callable[[_Job, T], Mapping[str, Any]],
        fields: Mapping[str, Any] | None = None,
    ) -> None:
        """Run ``job`` on the pool as ``operation``, for the current caster, with the shared
        bookkeeping. ``on_success`` runs only if the answer is still for the caster shown on
        the session's current connection; it returns the "succeeded" event's fields (an answer
        nobody waits for is logged with ``shown: false``).
        """
        assert self._target is not None
        running = _Job(operation, connection.generation, self._target)
        self._jobs[operation] = running
        requested, succeeded, failed = _EVENTS[operation]
        extra = dict(fields or {})
        if requested is not None:
            self._log(requested, running, **extra)
        self.changed.emit()

        def current() -> bool:
            return (
                not self._closed
                and self._session.is_current(running.generation)
                and self._target is running.target
            )

        def finish() -> None:
            if self._jobs.get(operation) is running:
                del self._jobs[operation]

        def result(value: T) -> None:
            finish()
            ms = running.ms()
            # Logged even when nobody waits any more: the change did happen on the server.
            done = on_success(running, value) if current() else {"shown": False}
            self._log(succeeded, running, ms=ms, **extra, **done)
            self.changed.emit()
            self._finished(operation, ok=True)

        def error(exc: BaseException) -> None:
            finish()
            info = describe_error(exc, "en")
            self._log(failed, running, code=info.code, request_id=info.request_id, ms=running.ms())
            if current():
                if operation in _CHANGES:
                    self.refresh_scenes()  # whatever happened, show what is true now
                self.problem.emit(Problem(context, exc, origin=operation.value))
            self.changed.emit()
            self._finished(operation, ok=False)

        self._pool.run(job, name=operation.value, on_result=result, on_error=error)

    def _log(self, event: str, job: _Job, **fields: Any) -> None:
        self._events.emit(event, caster_id=job.target.caster_id, **fields)

    def _finished(self, operation: Directing, *, ok: bool) -> None:
        if operation is Directing.PVW:
            self.pvw_finished.emit(ok)
        elif operation in (Directing.TAKE, Directing.UNDO):
            self.take_finished.emit(ok)
        elif operation is Directing.STANDBY:
            self.standby_finished.emit(ok)
