"""One Caster Desk window per user: a second launch raises the first one and exits.

The first instance listens on a local socket (a Unix domain socket, a named pipe on Windows)
whose name is made of the user and a hash of the config folder, so two users, or two test runs
with their own HOME, never meet. A later launch connects, sends ``raise``, waits for ``ok``
and exits 0; the first instance raises and activates its window.

On Unix the launcher knocks and takes the socket before its window paints
(:mod:`app.ui.instance_knock`, no Qt) and hands it to Qt's server here (:meth:`SingleInstance.adopt`)
on the turn after the first paint; on Windows it does both here, before the window.

A crash can leave the socket file behind. Connecting to it is refused, so the new launch
removes it and becomes the first instance itself.
"""

from __future__ import annotations

import logging
import os
import time
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket

if TYPE_CHECKING:
    import socket

from app.ui.instance_knock import (
    ABSENT,
    ANSWER_TIMEOUT_MS,
    BUSY,
    CONNECT_TIMEOUT_MS,
    OK,
    RAISE,
    RAISED,
    server_name,
)

__all__ = ["ABSENT", "BUSY", "RAISED", "SingleInstance", "knock", "server_name"]

log = logging.getLogger("casterdesk.ui.single_instance")

POLL_MS = 20
MAX_MESSAGE = 64  # a client that sends more is not ours


def knock(name: str) -> str:
    """Connect to ``name`` and send ``raise``.

    :data:`RAISED`: an instance answered "ok". :data:`BUSY`: one accepted the connection but
    did not answer in time (alive, so still not our turn). :data:`ABSENT`: nobody listens.

    Blocking, with short timeouts: it runs once at start-up, before any window exists. Usable
    from any thread (no parent, no event loop needed).
    """
    client = QLocalSocket()
    try:
        client.connectToServer(name)
        if not client.waitForConnected(CONNECT_TIMEOUT_MS):
            return ABSENT  # nobody there, or a stale socket file (refused)
        client.write(RAISE)
        client.flush()
        answer = b""
        deadline = time.monotonic() + ANSWER_TIMEOUT_MS / 1000
        while OK not in answer and time.monotonic() < deadline:
            # The answer may already be buffered (and the other end gone): read first.
            answer += bytes(client.readAll().data())
            if OK in answer or client.state() != QLocalSocket.LocalSocketState.ConnectedState:
                break
            # Short waits: PySide holds the GIL inside waitForReadyRead, and an instance
            # in this same process (the tests) must get to answer in between.
            client.waitForReadyRead(POLL_MS)
        answer += bytes(client.readAll().data())
        if OK not in answer:
            log.warning("single instance: the running Caster Desk did not answer in time")
            return BUSY
        return RAISED
    finally:
        client.abort()
        shiboken6.delete(client)  # now, in this thread (a thread may have no event loop)


class SingleInstance(QObject):
    """The guard. Call :meth:`acquire` once, before the window is built.

    ``raise_requested`` fires on the first instance each time a later launch knocks.
    """

    raise_requested = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.server: QLocalServer | None = None
        self._clients: dict[QLocalSocket, bytes] = {}

    @property
    def is_primary(self) -> bool:
        return self.server is not None and self.server.isListening()

    def acquire(self) -> bool:
        """True: this is the first instance (now listening). False: another one was told to
        raise its window, and this process should exit."""
        if self.notify_running():
            return False
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            if server.serverError() != QAbstractSocket.SocketError.AddressInUseError:
                # No guard is better than no window: run as if alone.
                log.warning(
                    "single instance: cannot listen on %s: %s", self.name, server.errorString()
                )
                server.deleteLater()
                return True
            # Someone else may have started listening a moment ago; if not, it is stale.
            if self.notify_running():
                server.deleteLater()
                return False
            log.info("single instance: removing the stale socket %s", self.name)
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                log.warning(
                    "single instance: cannot listen on %s: %s", self.name, server.errorString()
                )
                server.deleteLater()
                return True
        return self._serve(server)

    def adopt(self, claimed: socket.socket) -> bool:
        """Serve on a socket the launcher already listens on (``instance_knock.claim``).

        Knocks that came before wait in its queue; Qt accepts them, and they are answered, once
        the event loop runs. False (logged): Qt could not take it, and this instance runs
        without a guard.
        """
        server = QLocalServer(self)
        descriptor = claimed.detach()
        if not server.listen(descriptor):
            log.warning("single instance: cannot serve on %s: %s", self.name, server.errorString())
            os.close(descriptor)
            server.deleteLater()
            return False
        return self._serve(server)

    def _serve(self, server: QLocalServer) -> bool:
        server.newConnection.connect(self._on_new_connection)
        self.server = server
        log.info("single instance: listening on %s", self.name)
        return True

    def notify_running(self) -> bool:
        """Ask a running instance to raise its window. True if there is one."""
        return knock(self.name) != ABSENT

    def _on_new_connection(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            client = self.server.nextPendingConnection()
            if client is None:
                break
            # The server owns the socket: keep it out of the server's destructor, which
            # would close it and emit disconnected while both are half destroyed.
            client.setParent(self)
            self._clients[client] = b""
            client.readyRead.connect(self._on_ready_read)
            client.disconnected.connect(self._on_disconnected)
            if client.bytesAvailable():
                self._read(client)

    def _on_ready_read(self) -> None:
        client = self.sender()
        if isinstance(client, QLocalSocket):
            self._read(client)

    def _on_disconnected(self) -> None:
        client = self.sender()
        if isinstance(client, QLocalSocket):
            self._forget(client)

    def _read(self, client: QLocalSocket) -> None:
        if client not in self._clients:
            return
        data = self._clients[client] + bytes(client.readAll().data())
        if len(data) > MAX_MESSAGE:
            client.abort()
            return
        self._clients[client] = data
        if b"\n" not in data:
            return
        if data.split(b"\n", 1)[0] != RAISE.strip():
            client.abort()
            return
        log.info("single instance: another launch asked to raise the window")
        # Answer and let the caller hang up: a reply followed at once by our own close
        # can reach a QLocalSocket as "closed" before its data is read.
        client.write(OK)
        client.flush()
        self.raise_requested.emit()

    def _forget(self, client: QLocalSocket) -> None:
        if self._clients.pop(client, None) is not None:
            client.disconnect(self)  # no more signals from it into this object
            client.deleteLater()

    def close(self) -> None:
        """Stop listening (the socket file is removed). Idempotent."""
        for client in list(self._clients):
            self._forget(client)
            client.abort()
        if self.server is not None:
            self.server.close()
            self.server.deleteLater()
            self.server = None
