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

from app.ui import launch
from app.ui.instance_knock import (
    CLAIMED,
    RUNNING,
    can_knock_early,
    claim,
    knock_socket,
    socket_path,
)
from app.ui.single_instance import ABSENT, BUSY, RAISED, SingleInstance, knock, server_name

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


def knock_socket_from_thread(name: str) -> tuple[threading.Thread, list[str]]:
    """The launcher's own knock (Python's socket, no Qt), from a thread as above."""
    answer: list[str] = []
    thread = threading.Thread(target=lambda: answer.append(knock_socket(name)))
    thread.start()
    return thread, answer


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes: the launcher uses Qt's knock")
def test_the_launchers_knock_without_qt_reaches_the_qt_server(
    qtbot: Any, qapp: QApplication, tmp_path: Path
):
    """Before its window paints the launcher asks with Python's socket where Qt listens: the
    running instance raises, a crashed one's socket file is as good as none."""
    name = server_name("test", tmp_path / "config")
    assert can_knock_early()
    assert socket_path(name) == (name if os.path.isabs(name) else f"{_qt_temp_dir()}/{name}")
    assert knock_socket(name) == ABSENT  # nobody yet
    primary = SingleInstance(name)
    assert primary.acquire()
    try:
        with qtbot.waitSignal(primary.raise_requested, timeout=5000):
            thread, answer = knock_socket_from_thread(name)
        thread.join(5)
        assert answer == [RAISED]
    finally:
        primary.close()
    assert knock_socket(name) == ABSENT
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)  # a crash's leftover file
    dead.bind(socket_path(name))
    dead.close()
    assert knock_socket(name) == ABSENT


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes: the launcher uses Qt's knock")
def test_a_knock_that_comes_before_qt_serves_the_claimed_socket_is_answered(
    qtbot: Any, qapp: QApplication, tmp_path: Path
):
    """The launcher takes the socket before its first paint; a launch a moment later finds it
    taken, and its knock waits until Qt serves the socket and answers (no second window)."""
    name = server_name("test", tmp_path / "config")
    outcome, claimed = claim(name)
    assert outcome == CLAIMED and claimed is not None
    path = socket_path(name)
    assert os.stat(path).st_mode & 0o777 == 0o600  # this user only
    # The second launch knocks while the first is still painting (nobody has accepted yet).
    thread, answer = knock_socket_from_thread(name)
    primary = SingleInstance(name)
    try:
        with qtbot.waitSignal(primary.raise_requested, timeout=5000):
            assert primary.adopt(claimed)
        thread.join(5)
        assert answer == [RAISED]
        # A later launch's claim finds it running (from a thread: this loop must answer).
        later: list[tuple[str, object]] = []
        claimer = threading.Thread(target=lambda: later.append(claim(name)))
        with qtbot.waitSignal(primary.raise_requested, timeout=5000):
            claimer.start()
        claimer.join(5)
        assert later == [(RUNNING, None)]
    finally:
        primary.close()
    assert not os.path.exists(path)  # Qt removes the file it served


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes: the launcher uses Qt's knock")
def test_a_crashed_instances_socket_file_is_claimed(tmp_path: Path):
    name = server_name("test", tmp_path / "config")
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)  # a crash's leftover file
    dead.bind(socket_path(name))
    dead.close()
    outcome, claimed = claim(name)
    assert outcome == CLAIMED and claimed is not None
    try:
        assert knock_socket(name) == BUSY  # alive now: it accepts (Qt would answer)
    finally:
        claimed.close()
        os.unlink(socket_path(name))


def test_a_launch_that_loses_the_race_to_listen_closes_its_frame(
    qtbot: Any, qapp: QApplication, tmp_path: Path, isolated_home: Path
):
    """Where the launcher could not take the socket before its paint (``claim`` said
    unguarded), it tries Qt's guard after it: if another launch listens by then, this one
    raises it and closes, before its content was built."""
    name = server_name("test", tmp_path / "config")
    primary = SingleInstance(name)
    assert primary.acquire()
    raised: list[bool] = []
    primary.raise_requested.connect(lambda: raised.append(True))
    options = launch.build_parser().parse_args(
        ["--sandbox", "--log-file", str(tmp_path / "events.jsonl")]
    )
    runtime = launch.GuiRuntime(
        options, launch.create_application(), time.monotonic(), listen_as=name
    )
    window = runtime.window
    assert window is not None
    try:
        with qtbot.waitSignal(window.shutdown_finished, timeout=10_000):
            # In one process the first instance answers only once this loop runs again: the
            # loser's knock ends "busy" after its timeout (3 s), which counts as running too.
            window.show()
        assert runtime.second_launch
        assert not window.content_ready
        qtbot.waitUntil(lambda: bool(raised), timeout=5000)
        assert runtime.instance is None
    finally:
        runtime.close()
        window.deleteLater()
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
        # It listens on the turn after its first paint, before it builds its content.
        _wait_for(
            lambda: any(e["event"] == "window_completed" for e in _events(first_log)),
            "its window was built",
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


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="named pipes: the launcher uses Qt's knock")
def test_two_launches_at_the_same_moment_give_one_window(tmp_path: Path):
    """Two `casterdesk gui` started together (an impatient double-click): one window paints,
    the other launch exits 0 without a window of its own, and the first was asked to raise."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    command = [sys.executable, "-m", "app", "gui"]
    logs = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
    launches = [
        subprocess.Popen(
            [*command, "--log-file", str(log_path)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for log_path in logs
    ]
    try:
        deadline = time.monotonic() + LAUNCH_TIMEOUT_S
        while all(p.poll() is None for p in launches) and time.monotonic() < deadline:
            time.sleep(0.05)  # polling two processes: no signal to wait on
        ended = [p for p in launches if p.poll() is not None]
        assert len(ended) == 1, "neither launch gave way to the other"
        loser = launches.index(ended[0])
        winner = 1 - loser
        assert ended[0].returncode == 0
        assert ended[0].stderr is not None and b"already running" in ended[0].stderr.read()
        assert not logs[loser].exists()  # it never opened a window, not even its frame
        _wait_for(
            lambda: any(e["event"] == "window_raised" for e in _events(logs[winner])),
            "the window that stayed was raised",
            launches[winner],
        )
        assert any(e["event"] == "window_painted" for e in _events(logs[winner]))
    finally:
        for process in launches:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        codes = []
        for process in launches:
            try:
                codes.append(process.wait(LAUNCH_TIMEOUT_S))
            except subprocess.TimeoutExpired:
                process.kill()
                raise
    assert codes == [0, 0]
