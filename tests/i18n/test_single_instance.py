"""One window per user: a second launch raises the first and exits 0; a stale socket left by a
crash is cleared. In-process guards for the protocol, real processes for the whole launch.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from app.ui.single_instance import ABSENT, RAISED, SingleInstance, knock, server_name

ROOT = Path(__file__).resolve().parents[2]
LAUNCH_TIMEOUT_S = 60.0


@pytest.fixture
def name(tmp_path: Path) -> str:
    """A socket name of this test's own (its config folder is the temp dir)."""
    return server_name("test", tmp_path / "config")


def knock_from_thread(name: str) -> tuple[threading.Thread, list[str]]:
    """A second launch's knock, from a thread: the first instance's event loop must answer."""
    answer: list[str] = []
    thread = threading.Thread(target=lambda: answer.append(knock(name)))
    thread.start()
    return thread, answer


def test_names_are_per_config_folder_and_kind(tmp_path: Path):
    first = server_name("gui", tmp_path / "a")
    assert first == server_name("gui", tmp_path / "a")
    assert first != server_name("gui", tmp_path / "b")  # another HOME: another instance
    assert first != server_name("sandbox", tmp_path / "a")
    assert len(first.encode()) < 100


def test_second_guard_raises_the_first(qtbot: Any, qapp: QApplication, name: str):
    primary = SingleInstance(name)
    assert primary.acquire()
    assert primary.is_primary
    try:
        with qtbot.waitSignal(primary.raise_requested, timeout=5000):
            thread, answer = knock_from_thread(name)
        thread.join(5)
        assert answer == [RAISED]  # "ok" came back: the second launch may exit
        # A guard started now finds the first one and does not become primary.
        thread, answer = knock_from_thread(name)
        with qtbot.waitSignal(primary.raise_requested, timeout=5000):
            pass
        thread.join(5)
        assert answer == [RAISED]
    finally:
        primary.close()
    # Closed: the name is free again and nobody answers.
    assert knock(name) == ABSENT


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes leave no file behind")
def test_stale_socket_from_a_crash_is_replaced(qtbot: Any, qapp: QApplication, tmp_path: Path):
    name = server_name("test", tmp_path / "config")
    path = name if os.path.isabs(name) else os.path.join(_qt_temp_dir(), name)
    # What a crashed instance leaves: a socket file that nobody listens on.
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(path)
    dead.close()
    assert os.path.exists(path)

    guard = SingleInstance(name)
    try:
        assert guard.acquire(), "the stale socket kept the new launch from starting"
        assert guard.is_primary
        with qtbot.waitSignal(guard.raise_requested, timeout=5000):
            thread, answer = knock_from_thread(name)
        thread.join(5)
        assert answer == [RAISED]
    finally:
        guard.close()


def test_garbage_from_a_stranger_is_ignored(qtbot: Any, qapp: QApplication, name: str):
    primary = SingleInstance(name)
    assert primary.acquire()
    raised: list[bool] = []
    primary.raise_requested.connect(lambda: raised.append(True))
    try:
        from PySide6.QtNetwork import QLocalSocket

        stranger = QLocalSocket()
        stranger.connectToServer(name)
        assert stranger.waitForConnected(2000)
        stranger.write(b"x" * 200)
        stranger.flush()
        qtbot.waitUntil(lambda: stranger.state() == QLocalSocket.LocalSocketState.UnconnectedState)
        assert raised == []
        stranger.deleteLater()
    finally:
        primary.close()


def _qt_temp_dir() -> str:
    from PySide6.QtCore import QDir

    return QDir.tempPath()


def _events(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _wait_for(condition: Any, what: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + LAUNCH_TIMEOUT_S
    while not condition():
        if process.poll() is not None:
            raise AssertionError(f"the first instance exited ({process.returncode}) before {what}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)  # polling a file another process writes: no signal to wait on


@pytest.mark.slow
def test_second_casterdesk_launch_raises_the_first_and_exits_0(tmp_path: Path):
    """Two real `casterdesk gui` processes with the test's own HOME (the first one also
    shows that the language and theme saved last time are applied at start)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    # The choices made in the View menu last time (QSettings' file in this test's HOME).
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "casterdesk" / "casterdesk.conf"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[ui]\nlanguage=zh_CN\ntheme=dark\n", encoding="utf-8")
    first_log = tmp_path / "first.jsonl"
    command = [sys.executable, "-m", "app", "gui"]
    first = subprocess.Popen(
        [*command, "--log-file", str(first_log)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(
            lambda: any(e["event"] == "window_shown" for e in _events(first_log)),
            "its window was shown",
            first,
        )
        shown = next(e for e in _events(first_log) if e["event"] == "ui_settings")
        assert (shown["language"], shown["theme"]) == ("zh_CN", "dark")  # applied at start
        second = subprocess.run(
            [*command, "--log-file", str(tmp_path / "second.jsonl")],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=LAUNCH_TIMEOUT_S,
        )
        assert second.returncode == 0
        assert b"already running" in second.stderr
        assert not (tmp_path / "second.jsonl").exists()  # it never opened a window
        _wait_for(
            lambda: any(e["event"] == "window_raised" for e in _events(first_log)),
            "it raised its window",
            first,
        )
        assert first.poll() is None
    finally:
        first.send_signal(signal.SIGTERM)
        try:
            code = first.wait(LAUNCH_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            first.kill()
            raise
    assert code == 0, first.stderr.read().decode(errors="replace") if first.stderr else ""
