"""Helpers for the preview tests: start a sandbox caster, count real frames, a stalling server.

No fixtures here (the tests define their own); nothing sleeps: every wait is on a Qt signal or
condition with a deadline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QObject, QTimer
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtNetwork import QHostAddress, QTcpServer, QTcpSocket
from PySide6.QtWidgets import QWidget

from app.api.client import LiveClient
from app.api.models import StartResult
from app.sandbox import Sandbox
from app.sandbox.media.renditions import DEFAULT_LOOK, RENDITIONS
from app.ui.widgets.preview.player import PreviewPlayer

PRODUCT_LAUNCH = "Product Launch Keynote"  # an idle seed caster
FIRST_FRAME_GUARD_MS = 10_000
WAIT_MS = 15_000
MEDIA_DIR = Path(__file__).resolve().parents[2] / "resources" / "sandbox"


def caster_id(sandbox: Sandbox, name: str) -> str:
    for cid in sandbox.caster_ids:
        if sandbox.caster(cid)["CasterName"] == name:
            return cid
    raise KeyError(name)


def start_caster(sandbox: Sandbox, name: str = PRODUCT_LAUNCH) -> tuple[str, StartResult]:
    """StartCaster through the real client; returns (caster id, result)."""
    client = LiveClient(sandbox.signing_key, region_id=sandbox.region_id, endpoint=sandbox.endpoint)
    try:
        cid = caster_id(sandbox, name)
        return cid, client.start_caster(cid)
    finally:
        client.close()


def tampered(url: str) -> str:
    """The same URL with a wrong auth_key hash (the origin refuses it)."""
    assert "auth_key=" in url
    return url[:-4] + ("0000" if not url.endswith("0000") else "ffff")


class FrameCounter:
    """Records the size of every frame a player reports through its own signal."""

    def __init__(self, player: PreviewPlayer) -> None:
        self.sizes: list[tuple[int, int]] = []
        player.frame_arrived.connect(self._on_frame)

    def _on_frame(self, width: int, height: int) -> None:
        self.sizes.append((width, height))

    @property
    def count(self) -> int:
        return len(self.sizes)


def wait_state(qtbot: Any, player: PreviewPlayer, *states: str, timeout: int = WAIT_MS) -> None:
    qtbot.waitUntil(lambda: player.state in states, timeout=timeout)


def wait_more_frames(
    qtbot: Any, player: PreviewPlayer, more: int = 10, timeout: int = WAIT_MS
) -> int:
    """Wait for ``more`` new frames; returns the count reached."""
    target = player.frames_decoded + more
    qtbot.waitUntil(lambda: player.frames_decoded >= target, timeout=timeout)
    return player.frames_decoded


def assert_no_frame_for(qtbot: Any, player: PreviewPlayer, ms: int) -> None:
    """No frame arrives within ``ms`` (a deadline on the frame signal, not a sleep)."""
    before = player.frames_decoded
    with qtbot.waitSignal(player.frame_arrived, timeout=ms, raising=False) as blocker:
        pass
    assert not blocker.signal_triggered, "a frame arrived while decoding should have stopped"
    assert player.frames_decoded == before


def active_timers(widget: QObject) -> list[str]:
    return [
        f"{t.objectName() or 'QTimer'} in {type(t.parent()).__name__}"
        for t in widget.findChildren(QTimer)
        if t.isActive()
    ]


def preview_players(root: QObject) -> list[PreviewPlayer]:
    players = root.findChildren(PreviewPlayer)
    return [root, *players] if isinstance(root, PreviewPlayer) else players


def playing_players(root: QObject) -> list[Any]:
    """Players under ``root`` (or ``root`` itself) that hold a stream, and any QMediaPlayer
    under it that plays or has a source (the players' own live on their threads)."""
    media = [
        p
        for p in root.findChildren(QMediaPlayer)
        if p.playbackState() != QMediaPlayer.PlaybackState.StoppedState or not p.source().isEmpty()
    ]
    return media + [p for p in preview_players(root) if p.is_decoding()]


def assert_quiet(root: QWidget | QObject, *, shut_down: bool = True) -> None:
    """No running timer and no player with a stream; after shutdown, no player thread."""
    assert active_timers(root) == [], f"timers still running: {active_timers(root)}"
    assert playing_players(root) == [], "a media player still has a stream open"
    if shut_down:
        running = [p.name for p in preview_players(root) if p.engine_running()]
        assert running == [], f"player threads still running: {running}"


def flv_prefix(data: bytes, seconds: float) -> bytes:
    """The FLV header and every whole tag with a timestamp below ``seconds``."""
    offset = 9 + 4  # file header, then PreviousTagSize0
    limit_ms = int(seconds * 1000)
    while offset + 11 <= len(data):
        size = int.from_bytes(data[offset + 1 : offset + 4], "big")
        timestamp = int.from_bytes(data[offset + 4 : offset + 7], "big") | (data[offset + 7] << 24)
        end = offset + 11 + size + 4
        if timestamp >= limit_ms or end > len(data):
            break
        offset = end
    return data[:offset]


class StallingFlvServer(QObject):
    """HTTP-FLV on loopback, run by the Qt event loop (no thread): each request gets the first
    ``seconds`` of a sandbox loop, then the connection stays open and silent: a stalled stream.
    """

    def __init__(self, rendition: str = "pvw", seconds: float = 3.0) -> None:
        super().__init__()
        media = MEDIA_DIR / RENDITIONS[rendition].filename(DEFAULT_LOOK)
        self._payload = flv_prefix(media.read_bytes(), seconds)
        self.requests = 0
        self._sockets: list[QTcpSocket] = []
        self._server = QTcpServer(self)
        self._server.newConnection.connect(self._accept)
        assert self._server.listen(QHostAddress(QHostAddress.SpecialAddress.LocalHost), 0)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.serverPort()}/caster/stalling.flv"

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._sockets.append(socket)
            buffer = QByteArray()
            socket.readyRead.connect(lambda s=socket, b=buffer: self._read(s, b))

    def _read(self, socket: QTcpSocket, buffer: QByteArray) -> None:
        buffer.append(socket.readAll())
        if b"\r\n\r\n" not in bytes(buffer.data()) or socket.property("answered"):
            return
        socket.setProperty("answered", True)
        self.requests += 1
        head = b"HTTP/1.1 200 OK\r\nContent-Type: video/x-flv\r\nCache-Control: no-cache\r\n\r\n"
        socket.write(head + self._payload)

    def close(self) -> None:
        for socket in self._sockets:
            socket.abort()
        self._sockets.clear()
        self._server.close()
