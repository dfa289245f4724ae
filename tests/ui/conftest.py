"""Qt fixtures for the UI tests: isolated QSettings, an event log in tmp, and a main window on
the in-process sandbox that is closed properly, with checks that it left nothing running.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app.api.models import StartResult
from app.sandbox import Sandbox
from app.ui.controllers.session import SANDBOX_PROFILE
from app.ui.event_log import EventLog
from app.ui.settings import Settings
from app.ui.widgets.dialogs import QuitChoice

if TYPE_CHECKING:
    from app.ui.widgets.main_window import MainWindow

# Generous: two cores, and a full test run beside us.
LOAD_TIMEOUT_MS = 15_000
API_TIMEOUT_S = 5.0


@pytest.fixture(autouse=True)
def isolated_qsettings(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Any QSettings built without a path lands in a temp folder, never the user's."""
    folder = tmp_path_factory.mktemp("qsettings")
    QCoreApplication.setOrganizationName("casterdesk-tests")
    QCoreApplication.setApplicationName("casterdesk-tests")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
        QSettings.setPath(fmt, QSettings.Scope.SystemScope, str(folder / "system"))


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "casterdesk.ini"


@pytest.fixture
def ui_settings(settings_path: Path) -> Settings:
    return Settings(settings_path)


@pytest.fixture
def event_log_path(tmp_path: Path) -> Path:
    return tmp_path / "logs" / "events.jsonl"


@pytest.fixture
def event_log(event_log_path: Path) -> Iterator[EventLog]:
    log = EventLog(event_log_path)
    yield log
    log.close()


def active_timers(widget: QWidget) -> list[str]:
    """Names of the widget's QTimers (and its children's) that are still running."""
    return [
        f"{t.objectName() or 'QTimer'} in {type(t.parent()).__name__}"
        for t in widget.findChildren(QTimer)
        if t.isActive()
    ]


def live_players(widget: QWidget) -> list[Any]:
    """QMediaPlayers under ``widget`` that are not stopped."""
    try:
        from PySide6.QtMultimedia import QMediaPlayer
    except ImportError:  # pragma: no cover - multimedia is part of the pinned wheels
        return []
    return [
        p
        for p in widget.findChildren(QMediaPlayer)
        if p.playbackState() != QMediaPlayer.PlaybackState.StoppedState
    ]


def close_window(qtbot: Any, window: MainWindow) -> None:
    """Close like the user does, wait for the drain, then check nothing is left running."""
    if not window.shutdown_complete:
        window.close()
        qtbot.waitUntil(lambda: window.shutdown_complete, timeout=LOAD_TIMEOUT_MS)
    assert window.pool.active_threads() == 0, "a worker is still running"
    assert window.pool.pending() == 0, "a job's answer was never delivered or dropped"
    assert active_timers(window) == [], f"timers still running: {active_timers(window)}"
    assert live_players(window) == [], "a media player is still playing"


WindowFactory = Callable[..., "MainWindow"]


@pytest.fixture
def make_window(
    qtbot: Any, sandbox: Sandbox, ui_settings: Settings, event_log: EventLog
) -> Iterator[WindowFactory]:
    """Build MainWindows on the sandbox (Stop confirmations auto-accepted); closes them after."""
    from app.ui.app import build_main_window

    built: list[MainWindow] = []

    def make(**overrides: Any) -> MainWindow:
        kwargs: dict[str, Any] = {
            "settings": ui_settings,
            "event_log": event_log,
            "sandbox": sandbox,
            "profile": SANDBOX_PROFILE,
            "api_timeout": API_TIMEOUT_S,
            "confirm_stop": lambda _parent, _name: True,
            "confirm_quit": lambda _parent, _names: QuitChoice.QUIT,
            "confirm_switch": lambda _parent, _names: True,
            "confirm_expired": lambda _parent, _name: True,
            "confirm_preflight": lambda _parent, _name, _report: True,
            # Fourteen probes after every Start would load the whole suite; the tests of the
            # matrix (tests/ui/test_output_check.py) turn it on.
            "check_outputs_after_start": False,
        }
        kwargs.update(overrides)
        window = build_main_window(**kwargs)
        # Not qtbot.addWidget: pytest-qt would delete the window before our teardown can
        # watch it drain its workers.
        built.append(window)
        return window

    yield make
    for window in built:
        close_window(qtbot, window)
        window.deleteLater()
    qtbot.wait(1)  # let deleteLater run (destroys the windows' thread pools)


@pytest.fixture
def window(qtbot: Any, make_window: WindowFactory) -> MainWindow:
    """A shown main window on the sandbox, with the list fully loaded."""
    win = make_window()
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.show()
    return win


@pytest.fixture
def started(sandbox: Sandbox) -> tuple[str, StartResult]:
    """An idle seed caster started through the project's client: (caster id, its URLs)."""
    from tests.ui.preview_support import start_caster

    return start_caster(sandbox)
