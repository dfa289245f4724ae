"""Every state is visible where the director looks: a Start in flight, expiry, whose error."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.sandbox import Sandbox
from app.ui.models.caster_table import Column
from tests.ui.conftest import LOAD_TIMEOUT_MS
from tests.ui.helpers import PRODUCT_LAUNCH, SPRING_GALA, caster_id, select

ESPORTS = "Esports Finals · Stage B"  # prepaid, expired 2026-04-01 (app/sandbox/seed.py)


def status_of(window: Any, cid: str) -> str:
    row = window.casters.model.row_of(cid)
    return str(window.casters.model.index(row, Column.STATUS).data())


def test_a_start_in_flight_shows_on_its_row_the_button_and_the_panels(
    qtbot: Any, window, sandbox: Sandbox
) -> None:
    launch = caster_id(sandbox, PRODUCT_LAUNCH)
    sandbox.faults.add("StartCaster", latency=1.5, times=1)
    select(window, launch)
    with qtbot.waitSignal(window.casters.start_finished, timeout=LOAD_TIMEOUT_MS):
        window.commands.start_action.trigger()
        assert status_of(window, launch).startswith("Starting… ")
        assert window.commands.start_action.text() == f"Starting “{PRODUCT_LAUNCH}”…"
        # Another row selected: the panels still say which caster is being started.
        select(window, caster_id(sandbox, SPRING_GALA))
        assert window.panels.caster_label.text() == f"Starting “{PRODUCT_LAUNCH}”…"
        qtbot.waitUntil(lambda: status_of(window, launch) != "Starting… 0 s", timeout=5_000)
        assert status_of(window, launch) == "Starting… 1 s"  # the seconds tick
    assert status_of(window, launch).startswith("Streaming")
    assert window.commands.start_action.text() == "&Start"


def test_an_expired_caster_says_so_and_start_asks_first(
    qtbot: Any, make_window, sandbox: Sandbox
) -> None:
    asked: list[str] = []
    window = make_window(confirm_expired=lambda _parent, name: asked.append(name) or False)
    with qtbot.waitSignal(window.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        window.show()
    esports = caster_id(sandbox, ESPORTS)
    assert status_of(window, esports) == "Expired"
    before = sandbox.request_count("StartCaster")
    select(window, esports)
    window.commands.start_action.trigger()
    assert asked == [ESPORTS]
    assert sandbox.request_count("StartCaster") == before  # declined: nothing sent
    assert not window.casters.start_in_flight


def test_nothing_selected_while_casters_stream_never_says_no_caster_started(window) -> None:
    assert window.casters.shown_caster_id is None
    assert window.panels.caster_label.text() == "1 streaming: select one to watch it"


def test_the_banner_belongs_to_its_caster(qtbot: Any, window, sandbox: Sandbox) -> None:
    launch = caster_id(sandbox, PRODUCT_LAUNCH)
    sandbox.faults.add("StartCaster", error="InternalError", times=1)
    select(window, launch)
    with qtbot.waitSignal(window.casters.start_finished, timeout=LOAD_TIMEOUT_MS):
        window.commands.start_action.trigger()
    assert window.banner.isVisible()
    select(window, caster_id(sandbox, ESPORTS))
    assert not window.banner.isVisible()


def test_a_stop_made_elsewhere_shows_within_seconds_and_the_outputs_say_ended(
    qtbot: Any, window, sandbox: Sandbox
) -> None:
    gala = caster_id(sandbox, SPRING_GALA)
    with qtbot.waitSignal(window.casters.shown, timeout=LOAD_TIMEOUT_MS):
        select(window, gala)
    outputs = window.panels.pgm.outputs.model
    assert outputs.rowCount() > 0 and not outputs.ended
    sandbox.stop_caster(gala)  # as the console or the CLI would
    # The previews lose their streams (a re-read at once) or the 5 s re-read notices.
    qtbot.waitUntil(lambda: status_of(window, gala) == "Idle", timeout=9_000)
    assert window.event_log.events("stopped_elsewhere")[-1]["caster_id"] == gala
    assert "was stopped elsewhere" in window.status.currentMessage()
    assert outputs.ended
    url = outputs.stream_info(0).output_stream_url
    assert "No longer live" in outputs.index(0, 2).data(Qt.ItemDataRole.ToolTipRole)
    assert outputs.index(0, 2).data() == url  # still there, whole, to copy
