"""Start-up, first run, persistence, the event log file, shutdown and `casterdesk gui`."""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from app.sandbox import Sandbox
from app.ui import launch
from app.ui.event_log import EventLog
from app.ui.session import SANDBOX_PROFILE
from app.ui.settings import Settings
from tests.ui.conftest import LOAD_TIMEOUT_MS, active_timers
from tests.ui.helpers import PRODUCT_LAUNCH, SEED_COUNT, caster_id, select, start

# no_qt_log: the window runs real QtMultimedia players; pytest-qt's Python message capture
# can deadlock with their logging threads (see tests/ui/test_player.py).
pytestmark = pytest.mark.no_qt_log


def test_welcome_view_with_no_profile_then_try_the_sandbox(
    qtbot: Any, make_window, sandbox: Sandbox
):
    win = make_window(profile=None)
    win.show()
    qtbot.waitUntil(lambda: win.welcome_visible, timeout=LOAD_TIMEOUT_MS)
    assert win.welcome.add_button.text() == "Add an Alibaba Cloud account"
    assert win.welcome.sandbox_button.text() == "Try the sandbox"
    assert not win.start_action.isEnabled()
    with qtbot.waitSignal(win.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.welcome.sandbox_button.click()
    assert not win.welcome_visible
    assert win.model.rowCount() == SEED_COUNT
    assert win.profile_combo.currentData() == SANDBOX_PROFILE


def test_welcome_add_account_opens_the_accounts_dialog(qtbot: Any, make_window):
    win = make_window(profile=None)
    win.show()
    qtbot.waitUntil(lambda: win.welcome_visible, timeout=LOAD_TIMEOUT_MS)
    win.welcome.add_button.click()
    dialog = win.accounts_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.name_edit.text() == "" and dialog.secret_edit.isEnabled()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=LOAD_TIMEOUT_MS)
    dialog.reject()


def test_sandbox_started_on_demand_is_stopped_on_close(qtbot: Any, make_window):
    """'Try the sandbox' with none running: started on a worker, stopped with the window."""
    started: list[Sandbox] = []

    def factory() -> Sandbox:
        sb = Sandbox(media=False)
        started.append(sb)
        return sb

    win = make_window(sandbox=None, sandbox_factory=factory, profile=None)
    win.show()
    qtbot.waitUntil(lambda: win.welcome_visible, timeout=LOAD_TIMEOUT_MS)
    with qtbot.waitSignal(win.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.use_sandbox()
    assert len(started) == 1 and started[0].running
    win.close()
    qtbot.waitUntil(lambda: win.shutdown_complete, timeout=LOAD_TIMEOUT_MS)
    assert not started[0].running


def test_layout_profile_region_and_selection_persist(
    qtbot: Any, make_window, sandbox: Sandbox, settings_path: Path
):
    win = make_window()
    with qtbot.waitSignal(win.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.show()
    win.resize(701, 555)  # fits the offscreen screen (restoreGeometry clamps)
    win.splitter.setSizes([300, 400])
    sizes = win.splitter.sizes()
    win.caster_list.table.setColumnWidth(0, 321)
    launch_id = caster_id(sandbox, PRODUCT_LAUNCH)
    select(win, launch_id)
    win.caster_list.set_status_filter(0)
    win.close()
    qtbot.waitUntil(lambda: win.shutdown_complete, timeout=LOAD_TIMEOUT_MS)

    saved = Settings(settings_path)
    assert saved.last_profile() == SANDBOX_PROFILE
    assert saved.region() == "cn-shanghai"
    assert saved.selected_caster() == launch_id
    assert saved.geometry() is not None and saved.splitter("main") is not None

    again = make_window(settings=saved, profile=None)  # nothing asked: what was remembered
    with qtbot.waitSignal(again.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        again.show()
    assert again.session.profile == SANDBOX_PROFILE
    assert (again.size().width(), again.size().height()) == (701, 555)
    assert again.splitter.sizes() == sizes
    assert again.caster_list.table.columnWidth(0) == 321
    assert again.caster_list.status_combo.currentData() == 0
    assert again.selected_caster() is not None
    assert again.selected_caster().caster_id == launch_id


def test_event_log_file_is_valid_json_with_expected_events_and_no_secrets(
    qtbot: Any, make_window, sandbox: Sandbox, event_log: EventLog, event_log_path: Path
):
    win = make_window()
    with qtbot.waitSignal(win.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.show()
    select(win, caster_id(sandbox, PRODUCT_LAUNCH))
    assert start(qtbot, win)
    result = win.last_result
    assert result is not None
    win.close()
    qtbot.waitUntil(lambda: win.shutdown_complete, timeout=LOAD_TIMEOUT_MS)
    assert event_log.flush()

    raw = event_log_path.read_text(encoding="utf-8")
    records = [json.loads(line) for line in raw.splitlines()]
    names = [r["event"] for r in records]
    for expected in (
        "window_shown",
        "session_ready",
        "casters_loaded",
        "start_requested",
        "start_succeeded",
        "window_closed",
    ):
        assert expected in names, f"{expected} missing from {names}"
    stamps = [r["t"] for r in records]
    assert stamps == sorted(stamps), "monotonic timestamps"
    assert all(isinstance(r["wall"], str) for r in records)
    succeeded = next(r for r in records if r["event"] == "start_succeeded")
    assert succeeded["request_id"] == result.request_id and succeeded["ms"] > 0
    # No auth_key value, no secret.
    for url in result.all_urls():
        token = url.split("auth_key=", 1)[1]
        assert token not in raw
    assert sandbox.access_key_secret not in raw
    assert "auth_key=" not in raw or "auth_key=<redacted>" in raw


def test_close_with_a_request_in_flight_drains_without_blocking(
    qtbot: Any, make_window, sandbox: Sandbox
):
    win = make_window(api_timeout=5.0)
    with qtbot.waitSignal(win.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.show()
    sandbox.faults.add("DescribeCasters", latency=0.8, times=1)
    before = sandbox.request_count("DescribeCasters")
    assert win.refresh()
    # Wait until the request is really on the wire (the server holds it for 0.8 s).
    qtbot.waitUntil(lambda: sandbox.request_count("DescribeCasters") > before, timeout=5000)
    beats: list[float] = []
    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(lambda: beats.append(time.monotonic()))
    heartbeat.start()
    closed_at = time.monotonic()
    win.close()  # returns at once; the pool drains in the background
    assert time.monotonic() - closed_at < 0.2
    assert not win.shutdown_complete
    qtbot.waitUntil(lambda: win.shutdown_complete, timeout=LOAD_TIMEOUT_MS)
    heartbeat.stop()
    gaps = [b - a for a, b in itertools.pairwise(beats)]
    assert gaps and max(gaps) < 0.15, "the GUI thread kept running while draining"
    assert win.pool.is_idle()
    assert active_timers(win) == []


def test_run_gui_cold_start_with_sandbox(
    qtbot: Any, tmp_path: Path, monkeypatch: Any, isolated_home: Path
):
    """`casterdesk gui --sandbox --log-file PATH`: the window fills from a sandbox it starts."""
    log_file = tmp_path / "gui-events.jsonl"
    options = launch.build_parser().parse_args(["--sandbox", "--log-file", str(log_file)])
    started = time.monotonic()
    app = launch.create_application()
    runtime = launch.GuiRuntime(options, app, started)
    window = runtime.window
    assert window is not None
    try:
        with qtbot.waitSignal(window.casters_loaded, timeout=LOAD_TIMEOUT_MS):
            window.show()
        filled_ms = (time.monotonic() - started) * 1000
        print(f"\ncold start (sandbox boot included) → list filled: {filled_ms:.0f} ms")
        assert window.model.rowCount() == SEED_COUNT
        sandbox = window.session.sandbox
        assert sandbox is not None and sandbox.running

        # An unexpected error anywhere: logged, one plain message, no traceback for the user.
        shown: list[str] = []
        monkeypatch.setattr(
            launch.QMessageBox, "critical", lambda _parent, _title, text: shown.append(text)
        )
        try:
            raise ValueError("boom")
        except ValueError as exc:
            import sys

            sys.excepthook(type(exc), exc, exc.__traceback__)
        qtbot.waitUntil(lambda: bool(shown), timeout=LOAD_TIMEOUT_MS)
        assert "Something unexpected went wrong" in shown[0]
        assert "Traceback" not in shown[0]
    finally:
        window.close()
        qtbot.waitUntil(lambda: window.shutdown_complete, timeout=LOAD_TIMEOUT_MS)
        runtime.close()
        window.deleteLater()
    assert not sandbox.running
    records = [json.loads(line) for line in log_file.read_text(encoding="utf-8").splitlines()]
    first = records[0]
    assert first["event"] == "app_started"
    assert first["keyring_backend"] and first["multimedia_backend"].startswith("ffmpeg")
    assert any(r["event"] == "unhandled_error" and r["type"] == "ValueError" for r in records)
    assert records[-1]["event"] == "app_exit"
    shown_event = next(r for r in records if r["event"] == "window_shown")
    assert shown_event["ms"] > 0


def test_run_gui_rejects_bad_arguments():
    assert launch.run_gui(["--no-such-option"]) == 2
    assert launch.run_gui(["--help"]) == 0
