"""The main window against the in-process sandbox: list, filter, Start, Stop, selection."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from app.sandbox import Sandbox
from app.ui.controllers.casters import ListState
from app.ui.models.caster_table import Column
from tests.ui.conftest import LOAD_TIMEOUT_MS
from tests.ui.helpers import (
    PRODUCT_LAUNCH,
    SEED_COUNT,
    SPRING_GALA,
    caster_id,
    events,
    filter_box,
    select,
    start,
)

# no_qt_log: the window runs real QtMultimedia players; pytest-qt's Python message capture
# can deadlock with their logging threads (see tests/ui/test_player.py).
pytestmark = pytest.mark.no_qt_log


@pytest.fixture
def big_sandbox() -> Iterator[Sandbox]:
    """250 casters (3 pages), no media (URLs only): for paging and scrolling."""
    sb = Sandbox(casters=250 - SEED_COUNT, media=False)
    sb.start()
    try:
        yield sb
    finally:
        sb.stop()


def visible_ids(window: Any) -> list[str]:
    proxy = window.caster_list.proxy
    return [proxy.index(r, Column.ID).data() for r in range(proxy.rowCount())]


def test_list_loads_every_seed_caster(window, sandbox: Sandbox):
    assert window.casters.model.rowCount() == SEED_COUNT
    assert sorted(c.caster_id for c in window.casters.model.casters()) == sorted(sandbox.caster_ids)
    assert window.caster_list.state is ListState.READY
    assert window.caster_list.overlay_text() == ""
    loaded = events(window, "casters_loaded")
    assert loaded and loaded[0]["count"] == SEED_COUNT and loaded[0]["ms"] > 0
    gala = window.casters.model.caster_by_id(caster_id(sandbox, SPRING_GALA))
    assert gala is not None and gala.is_streaming
    row = window.casters.model.row_of(gala.caster_id)
    assert window.casters.model.index(row, Column.STATUS).data().startswith("Streaming 1:0")
    # The status bar shows where we are, the last RequestId and the latency.
    assert window.status.endpoint_label.full_text() == f"Signed requests go to {sandbox.endpoint}"
    assert window.status.request_id_label.value
    assert "DescribeCasters" in window.status.latency_label.full_text()


def test_the_list_is_sorted_by_name_from_the_start_and_the_header_says_so(window):
    header = window.caster_list.table.horizontalHeader()
    assert header.isSortIndicatorShown()
    assert header.sortIndicatorSection() == Column.NAME
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    proxy = window.caster_list.proxy
    names = [proxy.caster_at(row).name for row in range(proxy.rowCount())]
    assert len(names) == SEED_COUNT
    assert names == sorted(names, key=str.casefold)  # the API's order is not this one
    # Name and status lead, where a narrow window still shows them.
    assert [header.logicalIndex(i) for i in (0, 1)] == [Column.NAME, Column.STATUS]


def test_filter_by_name_id_and_status(qtbot: Any, window, sandbox: Sandbox):
    launch = caster_id(sandbox, PRODUCT_LAUNCH)
    qtbot.keyClicks(filter_box(window), "launch KEY")
    assert visible_ids(window) == [launch]
    filter_box(window).clear()
    qtbot.keyClicks(filter_box(window), launch[:13])  # part of the ID
    assert visible_ids(window) == [launch]
    filter_box(window).clear()
    qtbot.keyClicks(filter_box(window), "no such caster")
    assert visible_ids(window) == []
    assert window.caster_list.overlay_text() == "No caster matches the filter."
    filter_box(window).clear()
    window.caster_list.set_status_filter(1)
    assert visible_ids(window) == [caster_id(sandbox, SPRING_GALA)]
    window.caster_list.set_status_filter(0)
    assert len(visible_ids(window)) == SEED_COUNT - 1
    window.caster_list.set_status_filter(None)
    assert len(visible_ids(window)) == SEED_COUNT


def test_all_pages_are_fetched_and_the_first_page_shows_first(
    qtbot: Any, make_window, big_sandbox: Sandbox
):
    win = make_window(sandbox=big_sandbox)
    sizes: list[int] = []
    win.casters.model.rowsInserted.connect(lambda *_: sizes.append(win.casters.model.rowCount()))
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS) as blocker:
        win.show()
    assert blocker.args == [250]
    assert win.casters.model.rowCount() == 250
    assert sizes[0] == 100, "page 1 is shown on its own, before the rest arrive"
    assert big_sandbox.request_count("DescribeCasters") == 3
    assert sorted(c.caster_id for c in win.casters.model.casters()) == sorted(
        big_sandbox.caster_ids
    )


def test_start_shows_the_sandbox_urls_in_both_panels(qtbot: Any, window, sandbox: Sandbox):
    launch = caster_id(sandbox, PRODUCT_LAUNCH)
    select(window, launch)
    assert window.commands.start_action.isEnabled()
    clicked = time.monotonic()
    assert start(qtbot, window)
    shown_ms = (time.monotonic() - clicked) * 1000
    print(f"\nStart click → URLs in the panels: {shown_ms:.0f} ms")

    assert sandbox.caster(launch)["Status"] == 1
    result = window.casters.shown_result
    assert result is not None and result.pvw and result.pgm
    assert window.casters.shown_caster_id == launch
    # Both panes show their scene and full monitor URL.
    for pane, scene in ((window.panels.pvw, result.pvw[0]), (window.panels.pgm, result.pgm[0])):
        assert pane.url_label.full_text() == scene.stream_url
        assert pane.scene_label.text() == scene.scene_id
    # Every URL the sandbox handed out is in the panels (what "Copy all" copies).
    text = window.panels.copy_all_text()
    for url in result.all_urls():
        assert url in text
    assert QGuiApplication.clipboard().text() == text
    assert result.pvw[0].stream_url.startswith("rtmp://127.0.0.1:")
    assert len(result.pgm[0].stream_infos) == 12  # 4 tiers x rtmp/flv/m3u8
    # The list shows it streaming; Start is off, Stop is on.
    row = window.casters.model.row_of(launch)
    assert window.casters.model.index(row, Column.STATUS).data().startswith("Streaming")
    assert not window.commands.start_action.isEnabled()
    assert window.commands.stop_action.isEnabled()
    succeeded = events(window, "start_succeeded")
    assert succeeded[-1]["request_id"] == result.request_id
    assert succeeded[-1]["ms"] > 0
    assert events(window, "start_requested")[-1]["caster_id"] == launch


def test_double_clicked_start_sends_exactly_one_request(qtbot: Any, window, sandbox: Sandbox):
    sandbox.faults.add("StartCaster", latency=0.4, times=1)  # keep it in flight a while
    launch = caster_id(sandbox, PRODUCT_LAUNCH)
    select(window, launch)
    before = sandbox.request_count("StartCaster")
    with qtbot.waitSignal(window.casters.start_finished, timeout=LOAD_TIMEOUT_MS):
        # A real double click: press, release, then press-as-double-click, release.
        qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
        qtbot.mouseDClick(window.start_button, Qt.MouseButton.LeftButton)
        qtbot.mouseRelease(window.start_button, Qt.MouseButton.LeftButton)
        # While under way (its preflight, then StartCaster): disabled, busy, and every other
        # way in is refused too.
        assert window.start_pending
        assert not window.commands.start_action.isEnabled()
        assert window.toolbar.start_busy_action.isVisible()
        assert window.commands.start_action.text().startswith("Starting “")
        qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
        qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        window.start_selected()
    assert sandbox.request_count("StartCaster") == before + 1
    assert len(events(window, "start_requested")) == 1
    assert not window.toolbar.start_busy_action.isVisible()
    assert window.commands.start_action.text() == "&Start"


def test_selecting_a_streaming_caster_shows_its_urls_without_starting(
    qtbot: Any, window, sandbox: Sandbox
):
    gala = caster_id(sandbox, SPRING_GALA)
    starts = sandbox.request_count("StartCaster")
    url_calls = sandbox.request_count("DescribeCasterStreamUrl")
    with qtbot.waitSignal(window.casters.urls_shown, timeout=LOAD_TIMEOUT_MS) as blocker:
        select(window, gala)
    assert blocker.args == [gala]
    assert sandbox.request_count("StartCaster") == starts
    assert sandbox.request_count("DescribeCasterStreamUrl") == url_calls + 1
    result = window.casters.shown_result
    assert result is not None and result.confirmed_by == ""
    assert result.pgm and result.pgm[0].stream_url.startswith("rtmp://127.0.0.1:")
    text = window.panels.copy_all_text()
    assert all(url in text for url in result.all_urls())
    assert not window.commands.start_action.isEnabled()
    assert window.commands.stop_action.isEnabled()
    # Selecting an idle caster empties the panels again.
    select(window, caster_id(sandbox, PRODUCT_LAUNCH))
    assert window.casters.shown_caster_id is None


def test_stop_asks_naming_the_caster_then_stops(qtbot: Any, make_window, sandbox: Sandbox):
    asked: list[str] = []

    def confirm(_parent: object, name: str) -> bool:
        asked.append(name)
        return True

    win = make_window(confirm_stop=confirm)
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.show()
    gala = caster_id(sandbox, SPRING_GALA)
    with qtbot.waitSignal(win.casters.urls_shown, timeout=LOAD_TIMEOUT_MS):
        select(win, gala)
    with qtbot.waitSignal(win.casters.stop_finished, timeout=LOAD_TIMEOUT_MS) as blocker:
        win.commands.stop_action.trigger()
    assert blocker.args == [True]
    assert asked == [SPRING_GALA]
    assert sandbox.caster(gala)["Status"] == 0
    assert sandbox.request_count("StopCaster") == 1
    assert win.panels.pgm.player.state == "stopped"
    assert win.panels.pvw.player.state == "stopped"
    row = win.casters.model.row_of(gala)
    assert win.casters.model.index(row, Column.STATUS).data() == "Idle"
    assert win.commands.start_action.isEnabled() and not win.commands.stop_action.isEnabled()
    assert events(win, "stop_succeeded")


def test_declined_stop_sends_nothing(qtbot: Any, make_window, sandbox: Sandbox):
    win = make_window(confirm_stop=lambda _parent, _name: False)
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.show()
    gala = caster_id(sandbox, SPRING_GALA)
    select(win, gala)
    win.commands.stop_action.trigger()
    assert sandbox.request_count("StopCaster") == 0
    assert sandbox.caster(gala)["Status"] == 1


def test_default_stop_confirmation_names_the_caster(qtbot: Any, window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from app.ui.widgets import dialogs

    seen: dict[str, str] = {}

    def fake_exec(box: QMessageBox) -> int:
        seen["text"] = box.text()
        seen["info"] = box.informativeText()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    assert dialogs.confirm_stop_dialog(window, "Gala Night") is False  # nothing clicked
    assert "Gala Night" in seen["text"]
    assert "live output will end" in seen["info"]


def test_selection_and_scroll_survive_a_refresh(qtbot: Any, make_window, big_sandbox: Sandbox):
    win = make_window(sandbox=big_sandbox)
    win.resize(900, 500)
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.show()
    target = win.casters.model.caster_at(180).caster_id
    select(win, target)
    bar = win.caster_list.table.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() // 2 + 7)
    scrolled = bar.value()
    resets: list[int] = []
    win.casters.model.modelReset.connect(lambda: resets.append(1))
    # Something changes on the server behind the client's back, then the list refreshes.
    other = win.casters.model.caster_at(10).caster_id
    big_sandbox.start_caster(other)
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        assert win.casters.refresh()
    assert win.casters.model.caster_by_id(other).is_streaming
    assert win.casters.model.row_of(other) == 10, "rows stay put although the API re-ordered them"
    assert resets == []
    assert win.selected_caster() is not None and win.selected_caster().caster_id == target
    assert bar.value() == scrolled


def test_refresh_skips_while_one_is_running(qtbot: Any, window, sandbox: Sandbox):
    sandbox.faults.add("DescribeCasters", latency=0.5, times=1)
    before = sandbox.request_count("DescribeCasters")
    with qtbot.waitSignal(window.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        assert window.casters.refresh()
        assert window.casters.refresh_running
        assert not window.casters.refresh()  # a second refresh is skipped, not queued
        window.commands.refresh_action.trigger()
    assert sandbox.request_count("DescribeCasters") == before + 1


def test_auto_refresh_runs_on_its_timer(qtbot: Any, make_window, sandbox: Sandbox):
    win = make_window(refresh_interval_ms=150)
    loads: list[int] = []
    win.casters.casters_loaded.connect(loads.append)
    win.show()
    qtbot.waitUntil(lambda: len(loads) >= 3, timeout=LOAD_TIMEOUT_MS)
    assert win.casters.refresh_timer.isActive()
    # A change made elsewhere shows up without anyone pressing Refresh.
    launch = caster_id(sandbox, PRODUCT_LAUNCH)
    sandbox.start_caster(launch)
    qtbot.waitUntil(
        lambda: win.casters.model.caster_by_id(launch).is_streaming, timeout=LOAD_TIMEOUT_MS
    )


def test_streaming_duration_ticks_between_refreshes(qtbot: Any, window, sandbox: Sandbox):
    row = window.casters.model.row_of(caster_id(sandbox, SPRING_GALA))
    first = window.casters.model.index(row, Column.STATUS).data()
    qtbot.waitUntil(
        lambda: window.casters.model.index(row, Column.STATUS).data() != first, timeout=3000
    )
    assert window.caster_list.tick_timer.isActive()


def test_region_switch_rebuilds_the_client(qtbot: Any, window, sandbox: Sandbox):
    with qtbot.waitSignal(window.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS) as blocker:
        window.toolbar.region_combo.setCurrentText("cn-beijing")
        window.toolbar.region_combo.activated.emit(window.toolbar.region_combo.currentIndex())
    assert blocker.args == [0]  # casters are regional: none in Beijing
    assert window.session.region_id == "cn-beijing"
    assert window.session.client is not None and window.session.client.region_id == "cn-beijing"
    assert "No production studios in this region" in window.caster_list.overlay_text()
    # A custom region typed into the combo.
    with qtbot.waitSignal(window.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        window.toolbar.region_combo.setEditText("cn-shanghai")
        qtbot.keyClick(window.toolbar.region_combo.lineEdit(), Qt.Key.Key_Return)
    assert window.casters.model.rowCount() == SEED_COUNT


def test_status_bar_request_id_copies(qtbot: Any, window, sandbox: Sandbox):
    label = window.status.request_id_label
    last = sandbox.requests()[-1]
    assert label.value
    assert (
        label.value in {r.request_id for r in sandbox.requests() if hasattr(r, "request_id")}
        or last
    )
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == label.value


def test_shortcuts_are_wired_and_shown(qtbot: Any, window, sandbox: Sandbox):
    assert "Ctrl+R" in window.commands.refresh_action.toolTip()
    assert "Ctrl+Return" in window.commands.start_action.toolTip()
    assert "Ctrl+Shift+C" in window.commands.copy_pgm_action.toolTip()
    assert window.commands.quit_action.shortcut().toString() == "Ctrl+Q"
    assert window.commands.find_action.shortcut().toString() == "Ctrl+F"
    menu_actions = {a for menu in window.menuBar().actions() for a in menu.menu().actions()}
    for action in (
        window.commands.refresh_action,
        window.commands.start_action,
        window.commands.stop_action,
        window.commands.copy_pgm_action,
        window.commands.quit_action,
        window.commands.find_action,
        window.commands.accounts_action,
    ):
        assert action in menu_actions
    window.activateWindow()
    window.caster_list.table.setFocus()
    window.commands.find_action.trigger()
    assert filter_box(window).hasFocus() or QGuiApplication.focusObject() is (filter_box(window))
    before = sandbox.request_count("DescribeCasters")
    with qtbot.waitSignal(window.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        window.commands.refresh_action.trigger()
    assert sandbox.request_count("DescribeCasters") == before + 1


def test_copy_all_pgm_shortcut_copies_every_url(qtbot: Any, window, sandbox: Sandbox):
    assert not window.commands.copy_pgm_action.isEnabled()  # nothing shown yet
    window.copy_all_pgm()
    assert "Nothing to copy" in window.statusBar().currentMessage()
    select(window, caster_id(sandbox, PRODUCT_LAUNCH))
    assert start(qtbot, window)
    QGuiApplication.clipboard().clear()
    window.commands.copy_pgm_action.trigger()
    copied = QGuiApplication.clipboard().text()
    assert window.casters.shown_result is not None
    for info in window.casters.shown_result.pgm[0].stream_infos:
        assert info.output_stream_url in copied


def test_ctrl_return_in_the_list_starts_the_selected_caster(qtbot: Any, window, sandbox: Sandbox):
    launch = caster_id(sandbox, PRODUCT_LAUNCH)
    select(window, launch)
    window.activateWindow()
    window.caster_list.table.setFocus()
    with qtbot.waitSignal(window.casters.start_finished, timeout=LOAD_TIMEOUT_MS) as blocker:
        qtbot.keyClick(
            window.caster_list.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
    assert blocker.args == [True]
    assert sandbox.request_count("StartCaster") == 1
    assert sandbox.caster(launch)["Status"] == 1


def test_clicking_a_row_with_the_mouse_enables_start(qtbot: Any, window, sandbox: Sandbox):
    launch = caster_id(sandbox, PRODUCT_LAUNCH)
    table = window.caster_list.table
    row = window.caster_list.proxy.proxy_row_of(launch)
    rect = table.visualRect(window.caster_list.proxy.index(row, Column.NAME))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.caster_list.selected_caster().caster_id == launch
    assert window.commands.start_action.isEnabled()
    with qtbot.waitSignal(window.casters.start_finished, timeout=LOAD_TIMEOUT_MS):
        window.commands.start_action.trigger()
    assert sandbox.request_count("StartCaster") == 1


def test_tab_order_runs_from_the_toolbar_through_the_list(window):
    order = [
        window.toolbar.profile_combo,
        window.toolbar.region_combo,
        filter_box(window),
    ]
    for current, expected in itertools.pairwise(order):
        assert current.nextInFocusChain() is expected or _reaches(current, expected)
    assert _reaches(filter_box(window), window.caster_list.status_combo)
    assert _reaches(window.caster_list.status_combo, window.caster_list.table)


def _reaches(start: Any, target: Any, limit: int = 6) -> bool:
    """``target`` follows ``start`` in the tab chain (skipping a few internal widgets)."""
    widget = start
    for _ in range(limit):
        widget = widget.nextInFocusChain()
        if widget is target:
            return True
    return False


def test_every_confirmation_names_its_subject_and_defaults_to_cancel(qtbot: Any, monkeypatch):
    from PySide6.QtWidgets import QMessageBox, QWidget

    from app.ui.widgets import dialogs

    seen: list[tuple[str, str]] = []

    def fake_exec(box: QMessageBox) -> int:
        seen.append((box.text(), box.defaultButton().text()))
        return 0  # closed without a click

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    parent = QWidget()
    qtbot.addWidget(parent)
    assert dialogs.confirm_quit_dialog(parent, ["Gala", "Keynote"]) is dialogs.QuitChoice.CANCEL
    assert dialogs.confirm_switch_dialog(parent, ["Gala"]) is False
    assert dialogs.confirm_expired_start_dialog(parent, "Finals") is False
    assert dialogs.confirm_standby_dialog(parent, "Finals") is False
    assert [text for text, _ in seen] == [
        "Still streaming in this account: “Gala”、“Keynote”",
        "Still streaming here: “Gala”",
        "“Finals” has expired.",
        "Cut the program of “Finals” to standby?",
    ]
    assert all("Cancel" in default for _, default in seen)
