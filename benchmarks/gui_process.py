"""B6's app process: the real MainWindow signed in to a sandbox in *another* process.

``python -m benchmarks.gui_process`` reads one JSON line on stdin (the ``casterdesk sandbox``
banner), signs in through a Caster Desk profile whose endpoint is that sandbox (secret kept for
this session only, as the accounts dialog offers), loads the list and selects an idle caster.
Then it obeys one command per stdin line and answers one line on stdout:

``start``     click Start, wait for both first frames → ``playing {"pvw": url, "pgm": url}``
``watch``     (the caster was started elsewhere) wait for both first frames → ``playing {…}``
``minimize``  minimise the window, wait until both panes paused → ``ok``
``restore``   show it normally again, wait until both panes are live → ``ok``
``frames``    → ``{"pvw": n, "pgm": n}`` frames decoded so far
``quit``      close the window like the user does and exit

Only the benchmark's own stdin reader thread is added to the app; it blocks on a pipe.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from benchmarks.qt_support import (
    IDLE_CASTER,
    BenchmarkError,
    Workspace,
    application,
    click,
    close_window,
    wait_until,
)

TIMEOUT_S = 30.0
PROFILE = "bench"


class _Stdin(QObject):
    """Reads stdin lines on a thread and hands them to the GUI thread."""

    line = Signal(str)

    def start(self) -> None:
        threading.Thread(target=self._read, name="bench-stdin", daemon=True).start()

    def _read(self) -> None:
        for text in sys.stdin:
            self.line.emit(text.strip())
        self.line.emit("quit")


def _answer(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def main() -> int:
    from app.credentials import Accounts, Keychain, ProfileStore
    from app.credentials.profiles import Profile
    from app.ui.app import build_main_window
    from app.ui.event_log import EventLog
    from app.ui.settings import Settings
    from app.ui.video_backend import choose_video_conversion

    banner: dict[str, Any] = json.loads(sys.stdin.readline())
    choose_video_conversion()  # as the app does before its QApplication
    application()
    workspace = Workspace()
    store = ProfileStore(workspace.path / "profiles.json")
    keychain = Keychain()
    Accounts(store, keychain).add_profile(
        Profile(
            name=PROFILE,
            access_key_id=banner["access_key_id"],
            region_id=banner["region_id"],
            endpoint=banner["endpoint"],
        ),
        banner["access_key_secret"],
        session_only=True,
    )
    window = build_main_window(
        settings=Settings(workspace.path / "casterdesk.ini"),
        event_log=EventLog(None),
        profile=PROFILE,
        store=store,
        keychain=keychain,
        confirm_stop=lambda _parent, _name: True,
    )
    loaded: list[int] = []
    window.casters.casters_loaded.connect(loaded.append)
    window.show()
    wait_until(lambda: bool(loaded), TIMEOUT_S, "the caster list")
    caster = next(c for c in window.casters.model.casters() if c.name == IDLE_CASTER)
    if not window.caster_list.select_caster(caster.caster_id):
        raise BenchmarkError(f"{IDLE_CASTER} is not in the list")
    panes = (window.panels.pvw, window.panels.pgm)
    first: set[str] = set()
    for pane in panes:
        pane.player.first_frame.connect(lambda _info, k=pane.kind: first.add(k))

    def states(*wanted: str) -> bool:
        return all(p.player.state in wanted for p in panes)

    stdin = _Stdin()
    # The main loop polls nothing while the parent measures: it only wakes for Qt's own work.
    main_loop = QEventLoop()

    def on_line(command: str) -> None:
        try:
            if command in ("start", "watch"):
                if command == "start":
                    button = window.start_button
                    if not isinstance(button, QWidget):
                        raise BenchmarkError("no Start button")
                    click(button)
                wait_until(lambda: len(first) == 2, TIMEOUT_S, "both first frames")
                result = window.casters.shown_result
                assert result is not None
                urls = {"pvw": result.pvw[0].stream_url, "pgm": result.pgm[0].stream_url}
                _answer("playing " + json.dumps(urls))
            elif command == "minimize":
                window.showMinimized()
                wait_until(lambda: states("paused"), TIMEOUT_S, "both panes to pause")
                _answer("ok")
            elif command == "restore":
                window.showNormal()
                wait_until(lambda: states("live"), TIMEOUT_S, "both panes to play again")
                _answer("ok")
            elif command == "frames":
                _answer(json.dumps({p.kind: p.player.frames_decoded for p in panes}))
            elif command == "quit":
                main_loop.quit()
            else:
                _answer(f"error unknown command {command!r}")
        except Exception as exc:  # the parent reads the reason instead of hanging
            _answer(f"error {type(exc).__name__}: {exc}")

    stdin.line.connect(on_line, Qt.ConnectionType.QueuedConnection)
    stdin.start()
    rhi = all(p.surface.rhi for p in panes)
    _answer(f"ready {time.monotonic()!r} {'rhi' if rhi else 'sink'}")
    main_loop.exec()
    close_window(window)
    workspace.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
