"""CasterController without a window: a fake session and a fake client whose calls wait at gates.

The gates let a test decide in which order answers arrive, which is what the race logic is about:
a late answer for a caster the user has left, a connection switch during a refresh, a double
Start, Stop during Start.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from PySide6.QtCore import QObject, Signal

from app.api.client import StopResult
from app.api.errors import ApiError
from app.api.models import (
    Caster,
    CasterList,
    CasterPage,
    CasterStatus,
    SceneInfo,
    StartResult,
)
from app.ui.concurrency import WorkerPool
from app.ui.controllers.casters import CasterController, ListState, ShownCaster
from app.ui.controllers.session import Connection, SessionState
from app.ui.errors import Problem

WAIT_MS = 5_000

IDLE = Caster("c-idle", "Idle studio", int(CasterStatus.IDLE))
LIVE = Caster("c-live", "Live studio", int(CasterStatus.STREAMING))
OTHER_LIVE = Caster("c-live-2", "Second live studio", int(CasterStatus.STREAMING))


def urls(tag: str) -> StartResult:
    return StartResult(
        request_id=f"R-{tag}",
        pvw=(SceneInfo(f"pvw-{tag}", f"rtmp://pvw/{tag}"),),
        pgm=(SceneInfo(f"pgm-{tag}", f"rtmp://pgm/{tag}"),),
    )


@dataclass
class _Urls:
    result: StartResult

    def as_start_result(self) -> StartResult:
        return self.result


@dataclass
class FakeClient:
    """Answers like LiveClient. A call named in ``held`` waits until the test releases it."""

    casters: tuple[Caster, ...] = (IDLE, LIVE, OTHER_LIVE)
    held: dict[str, threading.Event] = field(default_factory=dict)
    failures: dict[str, BaseException] = field(default_factory=dict)
    calls: list[tuple[str, str]] = field(default_factory=list)
    arrived: dict[str, threading.Event] = field(default_factory=dict)

    def hold(self, key: str) -> threading.Event:
        self.held[key] = threading.Event()
        self.arrived[key] = threading.Event()
        return self.held[key]

    def _answer(self, key: str) -> None:
        self.calls.append((key.split(":", maxsplit=1)[0], key.rsplit(":", maxsplit=1)[-1]))
        if key in self.arrived:
            self.arrived[key].set()
        gate = self.held.get(key)
        if gate is not None:
            assert gate.wait(10), f"{key} was never released"
        if key in self.failures:
            raise self.failures[key]

    def _set_status(self, caster_id: str, status: CasterStatus) -> None:
        self.casters = tuple(
            dataclasses.replace(c, status=int(status)) if c.caster_id == caster_id else c
            for c in self.casters
        )

    def describe_all_casters(
        self, on_page: Callable[[int, CasterPage], None] | None = None
    ) -> CasterList:
        page = CasterPage(request_id="R-page", total=len(self.casters), casters=self.casters)
        if on_page is not None:
            on_page(1, page)
        self._answer("refresh")
        return CasterList(len(self.casters), self.casters, ("R-page",))

    def describe_caster_stream_url(self, caster_id: str) -> _Urls:
        self._answer(f"urls:{caster_id}")
        return _Urls(urls(caster_id))

    def start_caster(self, caster_id: str) -> StartResult:
        self._answer(f"start:{caster_id}")
        self._set_status(caster_id, CasterStatus.STREAMING)
        return urls(caster_id)

    def stop_caster(self, caster_id: str) -> StopResult:
        self._answer(f"stop:{caster_id}")
        self._set_status(caster_id, CasterStatus.IDLE)
        return StopResult(request_id=f"R-stop-{caster_id}")

    def close(self) -> None:
        pass


class FakeSession(QObject):
    """The part of SessionController the caster controller uses; switches on demand."""

    state_changed = Signal(SessionState)
    ready = Signal(Connection)
    failed = Signal(Exception)

    def __init__(self) -> None:
        super().__init__()
        self.state = SessionState.NONE
        self.generation = 0
        self.connection: Connection | None = None

    def switch(self, client: FakeClient) -> None:
        """A new connection, as a profile or region switch makes one."""
        self.generation += 1
        self.connection = None
        self.state = SessionState.CONNECTING
        self.state_changed.emit(self.state)
        self.connection = Connection("p", client, "cn-shanghai", "e", "test", self.generation)  # type: ignore[arg-type]
        self.state = SessionState.READY
        self.state_changed.emit(self.state)
        self.ready.emit(self.connection)

    def is_current(self, generation: int) -> bool:
        return generation == self.generation and self.state is SessionState.READY


class Recorder:
    """The event log, and the controller's problems, shown casters and loads, in order."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.problems: list[Problem] = []
        self.shown: list[ShownCaster] = []
        self.loaded: list[int] = []

    def attach(self, controller: CasterController) -> None:
        controller.problem.connect(self.problems.append)
        controller.shown.connect(self.shown.append)
        controller.casters_loaded.connect(self.loaded.append)

    def emit(self, event: str, /, **fields: Any) -> None:
        self.events.append((event, fields))

    def names(self) -> list[str]:
        return [name for name, _ in self.events]


@pytest.fixture
def rig(qtbot: Any) -> Iterator[tuple[CasterController, FakeSession, FakeClient, Recorder]]:
    pool = WorkerPool()
    session = FakeSession()
    client = FakeClient()
    recorder = Recorder()
    controller = CasterController(session, pool, recorder, refresh_interval_ms=60_000)  # type: ignore[arg-type]
    recorder.attach(controller)
    yield controller, session, client, recorder
    for gate in client.held.values():
        gate.set()
    controller.close()
    pool.shutdown()
    qtbot.waitUntil(pool.is_idle, timeout=WAIT_MS)
    assert not controller.refresh_timer.isActive()
    pool.deleteLater()
    controller.deleteLater()


def loaded(qtbot: Any, controller: CasterController, session: FakeSession, client: FakeClient):
    with qtbot.waitSignal(controller.casters_loaded, timeout=WAIT_MS):
        session.switch(client)


def test_refresh_fills_the_model_and_logs_once(qtbot: Any, rig) -> None:
    controller, session, client, recorder = rig
    loaded(qtbot, controller, session, client)
    assert controller.model.rowCount() == 3
    assert controller.list_state is ListState.READY
    assert recorder.names() == ["session_ready", "casters_loaded"]
    assert recorder.events[-1][1]["count"] == 3 and recorder.events[-1][1]["first"] is True


def test_late_url_answer_for_a_caster_the_user_left_is_ignored(qtbot: Any, rig) -> None:
    controller, session, client, recorder = rig
    loaded(qtbot, controller, session, client)
    selected: list[Caster | None] = [LIVE]
    controller.selection = lambda: selected[0]
    gate = client.hold(f"urls:{LIVE.caster_id}")
    client.failures[f"urls:{LIVE.caster_id}"] = ApiError(
        "Throttling", "slow down", http_status=400, request_id="R-late"
    )
    controller.select(LIVE)
    assert client.arrived[f"urls:{LIVE.caster_id}"].wait(5)
    selected[0] = IDLE  # the user moves on before the answer
    controller.select(IDLE)
    gate.set()
    qtbot.waitUntil(lambda: "urls_failed" in recorder.names(), timeout=WAIT_MS)
    assert recorder.problems == []  # the late error covers nothing
    assert controller.shown_caster is None


def test_late_url_result_for_a_caster_the_user_left_shows_nothing(qtbot: Any, rig) -> None:
    controller, session, client, recorder = rig
    loaded(qtbot, controller, session, client)
    selected: list[Caster | None] = [LIVE]
    controller.selection = lambda: selected[0]
    gate = client.hold(f"urls:{LIVE.caster_id}")
    controller.select(LIVE)
    assert client.arrived[f"urls:{LIVE.caster_id}"].wait(5)
    selected[0] = OTHER_LIVE
    with qtbot.waitSignal(controller.urls_shown, timeout=WAIT_MS) as shown:
        controller.select(OTHER_LIVE)
    assert shown.args == [OTHER_LIVE.caster_id]
    gate.set()
    qtbot.waitUntil(controller._pool.is_idle, timeout=WAIT_MS)
    assert controller.shown_caster_id == OTHER_LIVE.caster_id
    assert [s.caster_id for s in recorder.shown] == [OTHER_LIVE.caster_id]


def test_a_connection_switch_during_a_refresh_drops_the_old_answer(qtbot: Any, rig) -> None:
    controller, session, client, recorder = rig
    loaded(qtbot, controller, session, client)
    gate = client.hold("refresh")
    assert controller.refresh()
    assert client.arrived["refresh"].wait(5)
    newer = FakeClient(casters=(IDLE,))
    with qtbot.waitSignal(controller.casters_loaded, timeout=WAIT_MS) as blocker:
        session.switch(newer)  # a profile or region switch: generation 2
    assert blocker.args == [1]
    gate.set()  # generation 1 answers last
    qtbot.waitUntil(controller._pool.is_idle, timeout=WAIT_MS)
    assert [c.caster_id for c in controller.model.casters()] == [IDLE.caster_id]
    assert recorder.loaded == [3, 1]  # the stale answer loaded nothing


def test_pages_of_a_refresh_from_before_a_switch_are_not_merged(qtbot: Any, rig) -> None:
    controller, session, client, _recorder = rig
    client.hold("refresh")  # the first page arrives, the list never finishes
    session.switch(client)
    qtbot.waitUntil(lambda: controller.model.rowCount() == 3, timeout=WAIT_MS)
    newer = FakeClient(casters=(OTHER_LIVE,))
    newer.hold("refresh")
    session.switch(newer)
    assert controller.model.rowCount() == 0  # reset at once
    qtbot.waitUntil(lambda: controller.model.rowCount() == 1, timeout=WAIT_MS)
    client.held["refresh"].set()
    newer.held["refresh"].set()
    qtbot.waitUntil(controller._pool.is_idle, timeout=WAIT_MS)
    assert [c.caster_id for c in controller.model.casters()] == [OTHER_LIVE.caster_id]


def test_double_start_sends_one_request(qtbot: Any, rig) -> None:
    controller, session, client, recorder = rig
    loaded(qtbot, controller, session, client)
    gate = client.hold(f"start:{IDLE.caster_id}")
    controller.start(IDLE)
    controller.start(IDLE)
    assert controller.start_in_flight and not controller.can_start(IDLE)
    with qtbot.waitSignal(controller.start_finished, timeout=WAIT_MS) as done:
        gate.set()
    assert done.args == [True]
    assert [c for c in client.calls if c[0] == "start"] == [("start", IDLE.caster_id)]
    assert recorder.names().count("start_requested") == 1
    assert controller.shown_caster_id == IDLE.caster_id
    assert controller.shown_caster is not None and controller.shown_caster.clicked_at is not None


def test_stop_during_start_runs_both_and_keeps_their_state_apart(qtbot: Any, rig) -> None:
    controller, session, client, recorder = rig
    loaded(qtbot, controller, session, client)
    controller.selection = lambda: LIVE
    start_gate = client.hold(f"start:{IDLE.caster_id}")
    controller.start(IDLE)
    with qtbot.waitSignal(controller.stop_finished, timeout=WAIT_MS) as stopped:
        controller.stop(LIVE, lambda _c: True)
    assert stopped.args == [True]
    assert controller.start_in_flight and not controller.stop_in_flight
    row = controller.model.row_of(LIVE.caster_id)
    assert row is not None and controller.model.caster_at(row).status == CasterStatus.IDLE
    with qtbot.waitSignal(controller.start_finished, timeout=WAIT_MS):
        start_gate.set()
    assert not controller.start_in_flight
    assert controller.shown_caster_id == IDLE.caster_id
    started = dict(recorder.events)["start_succeeded"]
    assert started["caster_id"] == IDLE.caster_id and started["request_id"] == f"R-{IDLE.caster_id}"


def test_a_declined_stop_sends_nothing(qtbot: Any, rig) -> None:
    controller, session, client, recorder = rig
    loaded(qtbot, controller, session, client)
    controller.stop(LIVE, lambda _c: False)
    assert not controller.stop_in_flight
    assert "stop_requested" not in recorder.names()
    assert not [c for c in client.calls if c[0] == "stop"]


def test_a_start_error_is_shown_once_with_its_context(qtbot: Any, rig) -> None:
    controller, session, client, recorder = rig
    loaded(qtbot, controller, session, client)
    client.failures[f"start:{IDLE.caster_id}"] = ApiError(
        "Forbidden", "no", http_status=403, request_id="R-err"
    )
    with qtbot.waitSignal(controller.start_finished, timeout=WAIT_MS) as done:
        controller.start(IDLE)
    assert done.args == [False]
    assert len(recorder.problems) == 1
    problem = recorder.problems[0]
    assert problem.context() == f"Could not start “{IDLE.name}”" and problem.origin == "start"
    failed = dict(recorder.events)["start_failed"]
    assert failed["code"] == "Forbidden" and failed["request_id"] == "R-err"


def test_start_without_a_connection_explains_and_sends_nothing(qtbot: Any, rig) -> None:
    controller, _session, client, recorder = rig
    controller.start(IDLE)
    assert [p.origin for p in recorder.problems] == ["not_ready"]
    assert recorder.problems[0].describe().summary.startswith("No account is connected")
    assert client.calls == []


def test_answers_after_close_are_dropped(qtbot: Any, rig) -> None:
    controller, session, client, recorder = rig
    loaded(qtbot, controller, session, client)
    gate = client.hold(f"start:{IDLE.caster_id}")
    controller.start(IDLE)
    controller.close()
    controller.start(OTHER_LIVE)  # closed: nothing new
    gate.set()
    qtbot.waitUntil(lambda: not controller.start_in_flight, timeout=WAIT_MS)
    assert [c for c in client.calls if c[0] == "start"] == [("start", IDLE.caster_id)]
    assert recorder.problems == []
