"""Driving the real window from a benchmark: the QApplication, waits, and timestamps.

Waits run a real ``QEventLoop`` until a condition holds (no ``QTest.qWait``: it sleeps 10 ms
between event batches, which would show up as stalls and add latency). Times are
``time.monotonic()`` taken inside signal handlers and event filters, so how often a wait checks
its condition never changes a measured value.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from app.sandbox import Sandbox
    from app.ui.widgets.main_window import MainWindow

POLL_MS = 5


class BenchmarkError(RuntimeError):
    """A benchmark could not measure (a wait timed out, the app reported an error)."""


def application() -> QApplication:
    """The process's QApplication (created once, named like the app)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    from app.ui.launch import create_application

    return create_application()


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    """Run the event loop until ``condition()`` is true; raise after ``timeout_s``."""
    if condition():
        return
    loop = QEventLoop()
    deadline = time.monotonic() + timeout_s
    timed_out = False

    def check() -> None:
        nonlocal timed_out
        if condition():
            loop.quit()
        elif time.monotonic() > deadline:
            timed_out = True
            loop.quit()

    poll = QTimer()
    poll.setTimerType(Qt.TimerType.PreciseTimer)
    poll.setInterval(POLL_MS)
    poll.timeout.connect(check)
    poll.start()
    loop.exec()
    poll.stop()
    if timed_out and not condition():
        raise BenchmarkError(f"timed out after {timeout_s:.0f} s waiting for {what}")


def run_for(seconds: float) -> None:
    """Keep the event loop running for ``seconds`` (to measure over a span of time)."""
    loop = QEventLoop()
    timer = QTimer()
    timer.setSingleShot(True)
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(loop.quit)
    timer.start(max(0, round(seconds * 1000)))
    loop.exec()


def click(button: QWidget, settle_s: float = 0.05) -> float:
    """Rest the pointer on ``button`` (its hover and status tip settle, as when a person
    aims), then click it. Returns ``time.monotonic()`` just before the press."""
    QTest.mouseMove(button)
    run_for(settle_s)
    pressed = time.monotonic()
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    return pressed


class PaintWatcher(QObject):
    """Records when each watched widget is first painted while ``ready(widget)`` holds."""

    def __init__(self, widgets: Iterable[QWidget], ready: Callable[[QWidget], bool]) -> None:
        super().__init__()
        self._widgets = list(widgets)
        self._ready = ready
        self.painted: dict[int, float] = {}
        for widget in self._widgets:
            widget.installEventFilter(self)

    def reset(self) -> None:
        self.painted.clear()

    def done(self) -> bool:
        return len(self.painted) == len(self._widgets)

    def has(self, widget: QWidget) -> bool:
        return id(widget) in self.painted

    def last(self) -> float:
        return max(self.painted.values())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            key = id(watched)
            if key not in self.painted and self._ready(watched):
                self.painted[key] = time.monotonic()
        return False

    def remove(self) -> None:
        for widget in self._widgets:
            widget.removeEventFilter(self)


class Heartbeat(QObject):
    """A 5 ms precise timer on the GUI thread; gaps between beats beyond 5 ms are stalls."""

    def __init__(self, interval_ms: int = 5) -> None:
        super().__init__()
        self.interval_s = interval_ms / 1000
        self.beats: list[float] = []
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._beat)

    def _beat(self) -> None:
        self.beats.append(time.monotonic())

    def start(self) -> None:
        self.beats.append(time.monotonic())
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self.beats.append(time.monotonic())

    def stalls_ms(self) -> list[float]:
        """Each gap minus the period, in ms (0 when a beat came on time)."""
        return [
            max(0.0, (b - a - self.interval_s) * 1000)
            for a, b in zip(self.beats, self.beats[1:], strict=False)
        ]


class Workspace:
    """A temp folder for one benchmark process: settings, event log, profiles."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="casterdesk-bench-")
        self.path = Path(self._dir.name)

    def cleanup(self) -> None:
        self._dir.cleanup()


def make_window(
    workspace: Workspace,
    sandbox: Sandbox,
    *,
    name: str = "window",
    event_log_path: Path | None = None,
    **overrides: Any,
) -> MainWindow:
    """The real MainWindow signed in to ``sandbox``, with isolated settings and profiles.

    Stop confirmations are accepted automatically (the dialog is the only change), and the
    15 s auto-refresh is pushed out so it cannot land inside a measurement by chance.
    """
    from app.credentials import Keychain, ProfileStore
    from app.ui.app import build_main_window
    from app.ui.controllers.session import SANDBOX_PROFILE
    from app.ui.event_log import EventLog
    from app.ui.settings import Settings

    folder = workspace.path / name
    folder.mkdir(parents=True, exist_ok=True)
    kwargs: dict[str, Any] = {
        "settings": Settings(folder / "casterdesk.ini"),
        "event_log": EventLog(event_log_path),
        "sandbox": sandbox,
        "profile": SANDBOX_PROFILE,
        "store": ProfileStore(folder / "profiles.json"),
        "keychain": Keychain(),
        "confirm_stop": lambda _parent, _name: True,
        "refresh_interval_ms": 10 * 60 * 1000,
    }
    kwargs.update(overrides)
    return build_main_window(**kwargs)


def close_window(window: MainWindow, timeout_s: float = 30.0) -> None:
    """Close like the user does and wait until every worker has finished."""
    if not window.shutdown_complete:
        window.close()
        wait_until(lambda: window.shutdown_complete, timeout_s, "the window to shut down")
    window.event_log.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def caster_id_by_name(sandbox: Sandbox, name: str) -> str:
    for cid in sandbox.caster_ids:
        if sandbox.caster(cid)["CasterName"] == name:
            return cid
    raise KeyError(name)


def start_and_watch(window: MainWindow, sandbox: Sandbox, name: str, timeout_s: float = 30) -> None:
    """Select the caster called ``name`` once the list has loaded, press Start, and wait until
    both previews play."""
    from app.ui.widgets.preview import player as states

    wait_until(lambda: window.casters.model.rowCount() > 0, timeout_s, "the caster list")
    window.caster_list.select_caster(caster_id_by_name(sandbox, name))
    click(window.start_button)
    panes = (window.panels.pvw, window.panels.pgm)
    wait_until(lambda: all(p.player.state == states.LIVE for p in panes), timeout_s, "both live")


def grab_window(window: QWidget, out: Path) -> None:
    """Save the window as it is on screen, frame included: the screen's copy holds the video
    that ``QWidget.grab`` would miss (native video windows)."""
    image = QGuiApplication.primaryScreen().grabWindow(0).toImage()
    image.copy(window.frameGeometry()).save(str(out))


IDLE_CASTER = "Product Launch Keynote"  # an idle seed caster with a streaming domain
OTHER_IDLE_CASTER = "Weekly Webinar Studio"  # another idle one (selecting it empties the panels)
