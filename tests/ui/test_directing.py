"""Directing in the real window on the sandbox: pick a PVW layout, Take, Undo, Standby.

Everything goes through the window's own actions and the picker's tiles (found by their
accessible names); requests are counted by the sandbox itself, pictures are classified from the
PGM pane's decoded frames (the player's ``frame_changed``, through B11b's ``PaneLooks``), and
every wait is a Qt wait.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.sandbox import Sandbox
from app.sandbox.media.live import GOP_CACHE_S
from app.ui.widgets.main_window import MainWindow
from app.ui.widgets.preview.layout_picker import LayoutTile
from benchmarks.bench_take_window import PaneLooks
from tests.ui.helpers import PRODUCT_LAUNCH, WAIT_MS, accessible, caster_id, select, start

pytestmark = [pytest.mark.gui]

TAKE = "CopyCasterSceneConfig"
PVW = "UpdateCasterSceneConfig"
STANDBY = "EffectCasterUrgent"
# A Qt player presents frames at their timestamps and starts GOP_CACHE_S behind the live edge
# (the sandbox's GOP cache): the window shows a change that much after the stream carries it.
PGM_FRAME_GUARD_S = 1.0 + GOP_CACHE_S + 2.0


def directed(qtbot: Any, window: MainWindow, sandbox: Sandbox) -> str:
    """Start the idle seed caster from the window and wait until its layouts and tally show."""
    cid = caster_id(sandbox, PRODUCT_LAUNCH)
    select(window, cid)
    assert start(qtbot, window)
    qtbot.waitUntil(
        lambda: window.directing.ready and len(window.panels.picker.tiles) == 4, timeout=WAIT_MS
    )
    return cid


def tile(window: MainWindow, name: str) -> LayoutTile:
    return accessible(window, LayoutTile, name)


def pick(qtbot: Any, window: MainWindow, name: str) -> None:
    """Click the layout's tile and wait until a scenes read shows it on PVW."""
    with qtbot.waitSignal(window.directing.pvw_finished, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(tile(window, name), Qt.MouseButton.LeftButton)
    assert blocker.args == [True]
    qtbot.waitUntil(lambda: tile(window, name).preview, timeout=WAIT_MS)


def take(qtbot: Any, window: MainWindow) -> bool:
    with qtbot.waitSignal(window.directing.take_finished, timeout=WAIT_MS) as blocker:
        window.commands.take_action.trigger()
    return bool(blocker.args[0])


def tally_settled(window: MainWindow) -> bool:
    """No scene change or read in flight: the tally is the last read's."""
    return window.directing.ready and not window.directing.busy and not window.directing._jobs


def test_pick_take_standby_take_shows_on_the_pgm_preview(
    qtbot: Any, make_window, sandbox: Sandbox
) -> None:
    asked: list[str] = []
    win = make_window(confirm_standby=lambda _parent, name: asked.append(name) or True)
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=WAIT_MS):
        win.show()
    looks, pvw_looks = PaneLooks(win), PaneLooks(win, "pvw")
    directed(qtbot, win, sandbox)
    # A started caster: CAM 1 on PVW, SLIDES on PGM, and the tally says so everywhere.
    assert tile(win, "SLIDES").on_air and tile(win, "CAM 1").preview
    assert "ON AIR" in tile(win, "SLIDES").accessibleDescription()
    assert win.panels.pgm.tally_label.text() == "ON AIR · SLIDES"
    assert win.panels.pvw.tally_label.text() == "PREVIEW · CAM 1"
    assert win.take_bar.pgm_text() == "SLIDES"
    qtbot.waitUntil(lambda: looks.last == "slides", timeout=WAIT_MS)

    picked = time.monotonic()
    pick(qtbot, win, "CAM 2")
    assert sandbox.request_count(PVW) == 1
    # The PVW preview shows the pick (its player runs as late as PGM's).
    qtbot.waitUntil(lambda: pvw_looks.first("cam2", picked) is not None, timeout=WAIT_MS)
    assert win.panels.pvw.tally_label.text() == "PREVIEW · CAM 2"
    pressed = time.monotonic()
    assert take(qtbot, win)
    answered = time.monotonic()
    qtbot.waitUntil(lambda: looks.first("cam2", pressed) is not None, timeout=WAIT_MS)
    seen = looks.first("cam2", pressed)
    assert seen is not None
    print(
        f"\nTake press → answer {1000 * (answered - pressed):.0f} ms, "
        f"→ first CAM 2 frame on the PGM pane {1000 * (seen - pressed):.0f} ms"
    )
    assert seen - pressed <= PGM_FRAME_GUARD_S
    qtbot.waitUntil(lambda: tile(win, "CAM 2").on_air, timeout=WAIT_MS)
    assert win.take_bar.pgm_text() == "CAM 2"
    assert win.panels.pgm.tally_label.text() == "ON AIR · CAM 2"
    assert sandbox.request_count(TAKE) == 1

    # Standby: asked, one EffectCasterUrgent, STANDBY on the PGM picture and in the window.
    pressed = time.monotonic()
    with qtbot.waitSignal(win.directing.standby_finished, timeout=WAIT_MS) as blocker:
        win.commands.standby_action.trigger()
    assert blocker.args == [True] and asked == [PRODUCT_LAUNCH]
    assert sandbox.request_count(STANDBY) == 1
    assert win.take_bar.pgm_text() == "STANDBY"
    assert win.panels.pgm.tally_label.text() == "STANDBY"
    assert not any(t.on_air for t in win.panels.picker.tiles)
    assert "Caster Desk remembers it" in win.commands.standby_action.toolTip()
    qtbot.waitUntil(lambda: looks.first("standby", pressed) is not None, timeout=WAIT_MS)

    # The next Take leaves standby and restores PVW's layout.
    pressed = time.monotonic()
    assert take(qtbot, win)
    qtbot.waitUntil(lambda: looks.first("cam2", pressed) is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: tally_settled(win), timeout=WAIT_MS)
    assert win.take_bar.pgm_text() == "CAM 2" and tile(win, "CAM 2").on_air
    assert sandbox.request_count(TAKE) == 2
    assert len(win.event_log.events("take_succeeded")) == 2
    assert len(win.event_log.events("standby_succeeded")) == 1


def test_undo_takes_the_previous_layout_back_within_its_offer(
    qtbot: Any, window: MainWindow, sandbox: Sandbox
) -> None:
    directed(qtbot, window, sandbox)
    assert not window.commands.undo_take_action.isEnabled()
    pick(qtbot, window, "CAM 2")
    assert take(qtbot, window)
    qtbot.waitUntil(lambda: tile(window, "CAM 2").on_air, timeout=WAIT_MS)
    assert window.commands.undo_take_action.isEnabled()
    assert window.commands.undo_take_action.text().startswith("&Undo (")
    assert "SLIDES" in window.commands.undo_take_action.toolTip()
    takes = sandbox.request_count(TAKE)
    assert take_undo(qtbot, window)
    assert sandbox.request_count(TAKE) == takes + 1
    qtbot.waitUntil(lambda: tally_settled(window), timeout=WAIT_MS)
    assert tile(window, "SLIDES").on_air
    assert window.take_bar.pgm_text() == "SLIDES"
    assert not window.commands.undo_take_action.isEnabled()


def take_undo(qtbot: Any, window: MainWindow) -> bool:
    with qtbot.waitSignal(window.directing.take_finished, timeout=WAIT_MS) as blocker:
        window.commands.undo_take_action.trigger()
    return bool(blocker.args[0])


def test_the_undo_offer_runs_out(qtbot: Any, make_window, sandbox: Sandbox) -> None:
    win = make_window(undo_seconds=1)
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=WAIT_MS):
        win.show()
    directed(qtbot, win, sandbox)
    pick(qtbot, win, "CAM 2")
    assert take(qtbot, win)
    assert win.commands.undo_take_action.isEnabled()
    qtbot.waitUntil(lambda: not win.commands.undo_take_action.isEnabled(), timeout=WAIT_MS)
    assert win.commands.undo_take_action.text() == "&Undo"
    assert not win.directing.undo_timer.isActive()


def test_a_double_press_sends_one_take(qtbot: Any, window: MainWindow, sandbox: Sandbox) -> None:
    directed(qtbot, window, sandbox)
    pick(qtbot, window, "CAM 2")
    with qtbot.waitSignal(window.directing.take_finished, timeout=WAIT_MS):
        window.commands.take_action.trigger()
        window.commands.take_action.trigger()
        window.take()  # even past the disabled action, the controller ignores it
    assert sandbox.request_count(TAKE) == 1
    assert len(window.event_log.events("take_requested")) == 1


def test_space_takes_except_in_the_caster_list(
    qtbot: Any, window: MainWindow, sandbox: Sandbox
) -> None:
    directed(qtbot, window, sandbox)
    pick(qtbot, window, "CAM 2")
    window.activateWindow()
    window.caster_list.table.setFocus()
    qtbot.waitUntil(window.caster_list.table.hasFocus, timeout=WAIT_MS)
    qtbot.keyClick(window.caster_list.table, Qt.Key.Key_Space)
    assert sandbox.request_count(TAKE) == 0
    assert not window.directing.take_in_flight
    # In a text field Space types a space.
    window.caster_list.filter_edit.setFocus()
    qtbot.waitUntil(window.caster_list.filter_edit.hasFocus, timeout=WAIT_MS)
    qtbot.keyClicks(window.caster_list.filter_edit, "Product")
    qtbot.keyClick(window.caster_list.filter_edit, Qt.Key.Key_Space)
    assert window.caster_list.filter_edit.text() == "Product "
    assert sandbox.request_count(TAKE) == 0 and not window.directing.take_in_flight
    window.take_bar.take_button.setFocus()
    with qtbot.waitSignal(window.directing.take_finished, timeout=WAIT_MS):
        qtbot.keyClick(window.take_bar.take_button, Qt.Key.Key_Space)
    assert sandbox.request_count(TAKE) == 1
    with qtbot.waitSignal(window.directing.take_finished, timeout=WAIT_MS):
        qtbot.keyClick(window.caster_list.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert sandbox.request_count(TAKE) == 2
    assert "Ctrl+T" in window.commands.take_action.toolTip()


def test_take_during_a_slow_answer(qtbot: Any, window: MainWindow, sandbox: Sandbox) -> None:
    directed(qtbot, window, sandbox)
    pick(qtbot, window, "CAM 2")
    sandbox.faults.add(TAKE, latency=1.5)
    with qtbot.waitSignal(window.directing.take_finished, timeout=WAIT_MS) as blocker:
        window.commands.take_action.trigger()
        assert window.directing.take_in_flight
        assert not window.commands.take_action.isEnabled()
        assert not window.commands.standby_action.isEnabled()
        qtbot.mouseClick(window.take_bar.take_button, Qt.MouseButton.LeftButton)
        window.take()
        # The window stays usable meanwhile: a pick is ignored (one change at a time) and
        # the list still filters.
        qtbot.mouseClick(tile(window, "CAM 1"), Qt.MouseButton.LeftButton)
        window.caster_list.filter_edit.setText("Product")
        assert window.caster_list.table.model().rowCount() == 1
    assert blocker.args == [True]
    assert sandbox.request_count(TAKE) == 1 and sandbox.request_count(PVW) == 1
    qtbot.waitUntil(lambda: tally_settled(window) and tile(window, "CAM 2").on_air, timeout=WAIT_MS)
    assert window.commands.take_action.isEnabled()


def test_take_while_pvw_is_off_explains_it(
    qtbot: Any, window: MainWindow, sandbox: Sandbox
) -> None:
    cid = directed(qtbot, window, sandbox)
    sandbox.stop_caster(cid)  # behind the window's back: both scenes are off now
    assert not take(qtbot, window)
    assert sandbox.request_count(TAKE) == 1
    banner = window.banner
    qtbot.waitUntil(banner.isVisible, timeout=WAIT_MS)
    text = banner.text()
    assert "From scene is not started" in text
    assert "Start the caster" in text
    assert banner.info is not None and banner.info.request_id
    assert "RequestId: " in text
    # The failed Take was followed by a read of the scenes: no tally claims anything is live.
    qtbot.waitUntil(lambda: tally_settled(window), timeout=WAIT_MS)
    assert not any(t.on_air or t.preview for t in window.panels.picker.tiles)


def test_standby_asks_first(qtbot: Any, make_window, sandbox: Sandbox) -> None:
    answers = [False]
    asked: list[str] = []

    def confirm(_parent: object, name: str) -> bool:
        asked.append(name)
        return answers[-1]

    win = make_window(confirm_standby=confirm)
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=WAIT_MS):
        win.show()
    directed(qtbot, win, sandbox)
    win.commands.standby_action.trigger()
    assert asked == [PRODUCT_LAUNCH]
    assert sandbox.request_count(STANDBY) == 0
    assert not win.directing.in_standby and win.take_bar.pgm_text() == "SLIDES"

    answers.append(True)
    with qtbot.waitSignal(win.directing.standby_finished, timeout=WAIT_MS) as blocker:
        win.commands.standby_action.trigger()
    assert blocker.args == [True]
    assert sandbox.request_count(STANDBY) == 1
    assert win.take_bar.pgm_text() == "STANDBY"


def test_the_schematics_are_drawn_from_the_video_layers(
    qtbot: Any, window: MainWindow, sandbox: Sandbox
) -> None:
    directed(qtbot, window, sandbox)
    pip = tile(window, "CAM 1 + CAM 2 (PiP)")
    main, inset = pip.entry.boxes
    assert (main.x, main.y, main.width, main.height) == (0.0, 0.0, 1.0, 1.0)
    assert inset.width < 0.5 and inset.x + inset.width <= 1.0 and inset.x > 0.5  # lower right
    assert pip.entry.sources == ("CAM 1", "CAM 2")
    image = pip.grab().toImage()
    # The schematic's frame: 6 px in from the tile's 1.5 px border, 16:9.
    left, top = 7.5, 7.5
    width = pip.width() - 15
    height = width * 9 / 16

    def colour_at(x: float, y: float) -> tuple[int, int, int]:
        c = image.pixelColor(int(left + x * width), int(top + y * height))
        return (c.red(), c.green(), c.blue())

    inside_inset = colour_at(inset.x + inset.width * 0.8, inset.y + inset.height * 0.8)
    outside_inset = colour_at(0.2, 0.8)
    assert inside_inset == (150, 110, 60)  # the second picture's fill
    assert outside_inset == (70, 90, 120)  # the first picture's fill
    single = tile(window, "SLIDES")
    assert len(single.entry.boxes) == 1


def test_an_answer_for_a_caster_no_longer_shown_changes_nothing(
    qtbot: Any, window: MainWindow, sandbox: Sandbox
) -> None:
    directed(qtbot, window, sandbox)
    pick(qtbot, window, "CAM 2")
    sandbox.faults.add(TAKE, latency=1.0)
    with qtbot.waitSignal(window.directing.take_finished, timeout=WAIT_MS) as blocker:
        window.commands.take_action.trigger()
        # Another (idle) caster is selected while the Take is on its way: the panels empty.
        select(window, caster_id(sandbox, "Weekly Webinar Studio"))
        assert window.directing.target is None and window.panels.picker.tiles == []
    assert blocker.args == [True]  # the Take itself went through on the server
    assert window.directing.target is None
    assert window.panels.pgm.tally_label.text() == ""
    assert not window.commands.take_action.isEnabled()
    assert not window.commands.undo_take_action.isEnabled()
    # It happened on the server, so it is logged, as not shown.
    assert [e.get("shown") for e in window.event_log.events("take_succeeded")] == [False]


def test_the_tally_follows_a_change_made_elsewhere(
    qtbot: Any, window: MainWindow, sandbox: Sandbox
) -> None:
    from app.api.client import LiveClient

    cid = directed(qtbot, window, sandbox)
    cam2 = tile(window, "CAM 2").entry.layout_id
    target = window.directing.target
    assert target is not None
    # Another director (the console, the CLI) takes CAM 2 to PGM directly.
    with LiveClient(
        sandbox.signing_key, region_id=sandbox.region_id, endpoint=sandbox.endpoint
    ) as client:
        client.update_caster_scene_config(cid, target.pgm_scene_id, cam2)
    assert tile(window, "SLIDES").on_air  # the window cannot know yet
    reads = sandbox.request_count("DescribeCasterScenes")
    window.commands.refresh_action.trigger()  # as the 15 s auto-refresh does
    qtbot.waitUntil(lambda: tile(window, "CAM 2").on_air, timeout=WAIT_MS)
    assert not tile(window, "SLIDES").on_air
    assert window.take_bar.pgm_text() == "CAM 2"
    assert sandbox.request_count("DescribeCasterScenes") == reads + 1


def test_panes_name_their_scene_as_describecasterscenes_does(
    qtbot: Any, window: MainWindow, sandbox: Sandbox
) -> None:
    directed(qtbot, window, sandbox)
    pvw, pgm = window.panels.pvw, window.panels.pgm
    qtbot.waitUntil(lambda: pvw.scene_label.text().startswith("PVW · "), timeout=WAIT_MS)
    assert pgm.scene_label.text().startswith("PGM · ")
    assert pvw.scene_label.toolTip() in pvw.scene_label.text()  # the ID stays alongside
