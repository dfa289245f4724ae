"""The launcher paints the window's frame first (menus, toolbar, status bar), then builds its
content and opens the session on the next turn of the event loop (benchmark B1a).

Between the two, nothing that needs the content can be used: those commands and the account
and region choosers are disabled, and a close is a clean shutdown.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from app.ui import launch
from app.ui.widgets.main_window import MainWindow
from tests.ui.conftest import LOAD_TIMEOUT_MS
from tests.ui.helpers import SEED_COUNT

# no_qt_log: the window runs real QtMultimedia players (see tests/ui/test_player.py).
pytestmark = pytest.mark.no_qt_log


def _runtime(tmp_path: Path) -> tuple[launch.GuiRuntime, MainWindow, Path]:
    log_file = tmp_path / "events.jsonl"
    options = launch.build_parser().parse_args(
        ["--sandbox", "--new-instance", "--log-file", str(log_file)]
    )
    runtime = launch.GuiRuntime(options, launch.create_application(), time.monotonic())
    assert runtime.window is not None
    return runtime, runtime.window, log_file


def _waiting_commands(window: MainWindow) -> list[Any]:
    c = window.commands
    return [
        c.refresh_action,
        c.start_action,
        c.stop_action,
        c.find_action,
        c.copy_pgm_action,
        c.accounts_action,
        c.take_action,
        c.undo_take_action,
        c.standby_action,
        c.check_outputs_action,
        c.refresh_urls_action,
        c.handoff_action,
        *c.event_hours_group.actions(),
    ]


class _AtFirstPaint(QObject):
    """What the window was at its first paint event (installed after the launcher's filter,
    so it runs before anything the launcher starts after the paint)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.seen: dict[str, Any] | None = None
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.seen is None:
            assert isinstance(watched, MainWindow)
            central = watched.centralWidget()
            self.seen = {
                "content_ready": watched.content_ready,
                "central": central.objectName() if central is not None else None,
                "menus": [a.text() for a in watched.menuBar().actions()],
                "toolbar": [a.text() for a in watched.toolbar.actions() if a.text()],
                "status_bar_visible": watched.statusBar().isVisible(),
            }
        return False


def test_the_frame_paints_first_then_the_content_is_built_and_the_list_fills(
    qtbot: Any, tmp_path: Path, isolated_home: Path
) -> None:
    runtime, window, log_file = _runtime(tmp_path)
    try:
        # Before the first paint: the frame only, and what needs the content is disabled.
        assert not window.content_ready
        assert not hasattr(window, "session")
        waiting = _waiting_commands(window)
        assert not any(action.isEnabled() for action in waiting)
        assert not window.toolbar.profile_combo.isEnabled()
        assert not window.toolbar.region_combo.isEnabled()
        for action in waiting:  # clicked anyway (a shortcut, a menu): nothing happens
            action.trigger()
        window.retranslate()  # a language change before the content exists
        assert window.commands.quit_action.isEnabled()
        assert window.commands.about_action.isEnabled()

        at_paint = _AtFirstPaint(window)
        with qtbot.waitSignal(window.content_built, timeout=LOAD_TIMEOUT_MS):
            window.show()
        assert at_paint.seen == {
            "content_ready": False,
            "central": "contentPlaceholder",
            "menus": ["&File", "&Caster", "&View", "&Help"],
            "toolbar": ["&Refresh", "&Start", "S&top…"],
            "status_bar_visible": True,
        }
        qtbot.waitUntil(
            lambda: window.casters.model.rowCount() == SEED_COUNT, timeout=LOAD_TIMEOUT_MS
        )
        # Built and wired: the content replaced the placeholder, the session is the sandbox's,
        # and the commands follow the controllers again.
        assert window.centralWidget() is window.stack
        assert window.findChild(QWidget, "contentPlaceholder") is None
        assert window.session.profile == launch.SANDBOX_PROFILE
        assert window.commands.find_action.isEnabled()
        assert window.commands.accounts_action.isEnabled()
        assert window.commands.refresh_action.isEnabled()
        assert window.toolbar.profile_combo.isEnabled()
        assert window.toolbar.profile_combo.count() > 0
    finally:
        window.close()
        qtbot.waitUntil(lambda: window.shutdown_complete, timeout=LOAD_TIMEOUT_MS)
        runtime.close()
        window.deleteLater()
    events = [json.loads(line) for line in log_file.read_text(encoding="utf-8").splitlines()]
    names = [e["event"] for e in events]
    assert (
        names.index("window_shown")
        < names.index("window_painted")
        < names.index("window_completed")
        < names.index("casters_loaded")
    )


def test_closed_before_its_content_is_built_the_window_shuts_down_cleanly(
    qtbot: Any, tmp_path: Path, isolated_home: Path
) -> None:
    runtime, window, log_file = _runtime(tmp_path)
    try:
        window.close()
        qtbot.waitUntil(lambda: window.shutdown_complete, timeout=LOAD_TIMEOUT_MS)
        runtime._after_paint()  # the turn after a paint, come late: builds nothing now
        assert not window.content_ready
    finally:
        runtime.close()
        window.deleteLater()
    names = [json.loads(line)["event"] for line in log_file.read_text().splitlines()]
    assert "window_closed" in names and "window_completed" not in names
    assert names[-1] == "app_exit"
