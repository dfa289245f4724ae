"""Start-up, first run, persistence, the event log file, shutdown and `casterdesk gui`."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer

from app.sandbox import Sandbox
from app.ui import launch
from app.ui.controllers.session import SANDBOX_PROFILE
from app.ui.event_log import EventLog
from app.ui.models.caster_table import Column
from app.ui.settings import Settings
from app.ui.widgets.layout_state import header_columns
from tests.ui.conftest import LOAD_TIMEOUT_MS, active_timers
from tests.ui.helpers import PRODUCT_LAUNCH, SEED_COUNT, caster_id, select, start

ROOT = Path(__file__).resolve().parents[2]

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
    assert not win.commands.start_action.isEnabled()
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.welcome.sandbox_button.click()
    assert not win.welcome_visible
    assert win.casters.model.rowCount() == SEED_COUNT
    assert win.toolbar.profile_combo.currentData() == SANDBOX_PROFILE


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
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.use_sandbox()
    assert len(started) == 1 and started[0].running
    win.close()
    qtbot.waitUntil(lambda: win.shutdown_complete, timeout=LOAD_TIMEOUT_MS)
    assert not started[0].running


def test_layout_profile_region_and_selection_persist(
    qtbot: Any, make_window, sandbox: Sandbox, settings_path: Path
):
    win = make_window()
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.show()
    win.resize(960, 601)  # the minimum width: restoreGeometry clamps to the offscreen screen
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
    with qtbot.waitSignal(again.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        again.show()
    assert again.session.profile == SANDBOX_PROFILE
    assert (again.size().width(), again.size().height()) == (960, 601)
    assert again.splitter.sizes() == sizes
    assert again.caster_list.table.columnWidth(0) == 321
    assert again.caster_list.status_combo.currentData() == 0
    assert again.selected_caster() is not None
    assert again.selected_caster().caster_id == launch_id


def test_a_header_saved_with_other_columns_is_dropped(qtbot: Any, make_window, settings_path: Path):
    """A header saved by a version with other columns is not put back in its order."""
    win = make_window()
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.show()
    header = win.caster_list.table.horizontalHeader()
    header.moveSection(header.visualIndex(Column.EXPIRES), 0)
    header.setSortIndicator(Column.CREATED, Qt.SortOrder.DescendingOrder)
    win.close()
    qtbot.waitUntil(lambda: win.shutdown_complete, timeout=LOAD_TIMEOUT_MS)

    saved = Settings(settings_path)
    assert saved.header_state(header_columns()) is not None  # same columns: it comes back
    again = make_window(settings=saved, profile=None)
    with qtbot.waitSignal(again.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        again.show()
    kept = again.caster_list.table.horizontalHeader()
    assert kept.logicalIndex(0) == Column.EXPIRES and kept.sortIndicatorSection() == Column.CREATED
    again.close()
    qtbot.waitUntil(lambda: again.shutdown_complete, timeout=LOAD_TIMEOUT_MS)

    # The same bytes, as if an older version with other columns had saved them.
    state = saved.header_state(header_columns())
    assert state is not None
    saved.set_header_state(state, "NAME,STATUS,ID")
    saved.sync()
    fresh = make_window(settings=Settings(settings_path), profile=None)
    with qtbot.waitSignal(fresh.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        fresh.show()
    defaults = fresh.caster_list.table.horizontalHeader()
    assert [defaults.logicalIndex(i) for i in (0, 1)] == [Column.NAME, Column.STATUS]
    assert defaults.sortIndicatorSection() == Column.NAME


def test_event_log_file_is_valid_json_with_expected_events_and_no_secrets(
    qtbot: Any, make_window, sandbox: Sandbox, event_log: EventLog, event_log_path: Path
):
    win = make_window()
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.show()
    select(win, caster_id(sandbox, PRODUCT_LAUNCH))
    assert start(qtbot, win)
    result = win.casters.shown_result
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
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.show()
    sandbox.faults.add("DescribeCasters", latency=0.8, times=1)
    before = sandbox.request_count("DescribeCasters")
    assert win.casters.refresh()
    # Wait until the request is really on the wire (the server holds it for 0.8 s).
    qtbot.waitUntil(lambda: sandbox.request_count("DescribeCasters") > before, timeout=5000)
    beats: list[float] = []
    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(lambda: beats.append(time.monotonic()))
    heartbeat.start()
    closed_at = time.monotonic()
    win.close()  # returns at once; the pool drains in the background
    assert time.monotonic() - closed_at < 0.5  # well under the 0.8 s the answer is held
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
        window.show()  # the frame first; its content is built on the turn after its first paint
        qtbot.waitUntil(
            lambda: window.content_ready and window.casters.model.rowCount() == SEED_COUNT,
            timeout=LOAD_TIMEOUT_MS,
        )
        filled_ms = (time.monotonic() - started) * 1000
        print(f"\ncold start (sandbox boot included) → list filled: {filled_ms:.0f} ms")
        assert window.casters.model.rowCount() == SEED_COUNT
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
    assert first["multimedia_backend"].startswith("ffmpeg")
    # The keyring backend is named on a thread once the window is up, not before it.
    probed = next(r for r in records if r["event"] == "keyring_backend")
    assert probed["backend"] and probed["t"] > first["t"]
    assert records.index(probed) > records.index(
        next(r for r in records if r["event"] == "window_shown")
    )
    assert any(r["event"] == "unhandled_error" and r["type"] == "ValueError" for r in records)
    assert records[-1]["event"] == "app_exit"
    shown_event = next(r for r in records if r["event"] == "window_shown")
    assert shown_event["ms"] > 0


def test_run_gui_rejects_bad_arguments():
    assert launch.run_gui(["--no-such-option"]) == 2
    assert launch.run_gui(["--help"]) == 0


def test_smoke_test_in_process_reports_both_previews(qtbot: Any, tmp_path: Path, capsys: Any):
    """`--smoke-test`: list → Start → a frame from PVW and PGM → one JSON line → window closed."""
    options = launch.build_parser().parse_args(
        ["--smoke-test", "--log-file", str(tmp_path / "events.jsonl")]
    )
    app = launch.create_application()
    runtime = launch.GuiRuntime(options, app, time.monotonic())
    window, smoke = runtime.window, runtime.smoke
    assert window is not None and smoke is not None
    try:
        with qtbot.waitSignal(smoke.finished, timeout=60_000) as blocker:
            window.show()
        report = blocker.args[0]
        qtbot.waitUntil(lambda: window.shutdown_complete, timeout=LOAD_TIMEOUT_MS)
    finally:
        if not window.shutdown_complete:
            window.close()
            qtbot.waitUntil(lambda: window.shutdown_complete, timeout=LOAD_TIMEOUT_MS)
        runtime.close()
        window.deleteLater()
    assert report["smoke"] == "ok", report
    assert report["pvw"] == {"width": 640, "height": 360}
    assert report["pgm"] == {"width": 640, "height": 360}
    assert report["casters"] == SEED_COUNT
    assert report["multimedia_backend"].startswith("ffmpeg")
    assert smoke.exit_code == 0
    printed = [line for line in capsys.readouterr().out.splitlines() if '"smoke"' in line]
    assert [json.loads(line)["smoke"] for line in printed] == ["ok"]
    print(
        f"\nsmoke: list {report['list_ms']:.0f} ms, started {report['start_ms']:.0f} ms, "
        f"PVW frame {report['pvw_first_frame_ms']:.0f} ms, "
        f"PGM frame {report['pgm_first_frame_ms']:.0f} ms"
    )


def _gui_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("PYTHONPATH", None)
    return env


@pytest.mark.slow
def test_casterdesk_gui_smoke_test_as_a_process(tmp_path: Path, isolated_home: Path):
    """The real entry point, `python -m app gui --sandbox --smoke-test`: exit 0, JSON, no
    traceback, and the start-up log names both backends."""
    proc = subprocess.run(
        [sys.executable, "-m", "app", "gui", "--sandbox", "--smoke-test"],
        cwd=ROOT,
        env=_gui_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    report = json.loads(next(line for line in proc.stdout.splitlines() if '"smoke"' in line))
    assert report["smoke"] == "ok"
    logs = "\n".join(p.read_text() for p in isolated_home.rglob("casterdesk.log"))
    assert f"keyring backend: {report['keyring_backend']};" in logs
    assert f"Qt multimedia backend: {report['multimedia_backend']}" in logs


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="Windows has no SIGTERM: terminate() kills, nothing to shut down",
)
@pytest.mark.slow
def test_sigterm_closes_the_window_cleanly(tmp_path: Path, isolated_home: Path):
    log_file = tmp_path / "events.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "gui", "--sandbox", "--log-file", str(log_file)],
        cwd=ROOT,
        env=_gui_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        loaded = False
        while not loaded and time.monotonic() < deadline:
            try:
                proc.wait(timeout=0.1)  # doubles as the pause between looks at the log
                break  # exited early: reported below
            except subprocess.TimeoutExpired:
                pass
            loaded = log_file.exists() and '"casters_loaded"' in log_file.read_text()
        assert loaded, "the window never loaded its casters"
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    stderr = proc.stderr.read() if proc.stderr else ""
    assert code == 0, stderr[-3000:]
    assert "Traceback" not in stderr
    names = [json.loads(line)["event"] for line in log_file.read_text().splitlines()]
    # The keyring probe's answer comes from its own thread once the session has settled: on a
    # close this quick it may land during the shutdown; it is not part of the sequence.
    shutdown = [name for name in names if name != "keyring_backend"]
    assert shutdown[-3:] == ["window_closing", "window_closed", "app_exit"]
