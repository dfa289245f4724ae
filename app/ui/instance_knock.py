"""Is Caster Desk already running? The single-instance socket's name, and a knock on it that
needs no Qt, so that a launch can ask before its window paints and listen only after.

The protocol (``raise``, answered ``ok``) and the server are :mod:`app.ui.single_instance`'s,
which uses Qt's local sockets: Unix domain sockets on Linux and macOS, named pipes on
Windows. On Unix the same socket is reached here with Python's own ``socket`` module, so that
Qt's network module (~6 ms of imports) loads after the first paint; on Windows there is no such
shortcut (:func:`can_knock_early` is False) and the launcher uses the Qt guard before the window.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import socket
import sys
import time
from pathlib import Path

import platformdirs

RAISE = b"raise\n"
OK = b"ok\n"
CONNECT_TIMEOUT_MS = 1000
ANSWER_TIMEOUT_MS = 3000

ABSENT, RAISED, BUSY = "absent", "raised", "busy"


def _user() -> str:
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (containers)
        name = ""
    uid = os.getuid() if hasattr(os, "getuid") else ""
    return f"{name}{uid}" or "user"


def server_name(kind: str = "gui", config_dir: Path | None = None) -> str:
    """The socket's name for this user, config folder and kind (``gui``, ``sandbox`` …).

    On Unix it is a full path in ``$XDG_RUNTIME_DIR`` (private to the user) when there is one,
    otherwise a bare name that Qt puts in the temp folder.
    """
    if config_dir is None:
        config_dir = Path(platformdirs.user_config_dir("casterdesk", appauthor=False))
    digest = hashlib.sha256(f"{_user()}\0{config_dir}\0{kind}".encode()).hexdigest()[:16]
    safe_user = "".join(c for c in _user() if c.isalnum())[:16] or "user"
    name = f"casterdesk-{safe_user}-{digest}"
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if sys.platform != "win32" and runtime and Path(runtime).is_dir():
        path = Path(runtime) / f"{name}.sock"
        if len(str(path).encode()) < 100:  # sun_path holds 104-108 bytes
            return str(path)
    return name


def can_knock_early() -> bool:
    """Whether :func:`knock_socket` reaches the Qt server: on Unix (a socket file), not on
    Windows (a named pipe)."""
    return sys.platform != "win32" and hasattr(socket, "AF_UNIX")


def socket_path(name: str) -> str:
    """Where Qt's ``QLocalServer.listen(name)`` puts its socket on Unix: ``name`` itself when it
    is a path, else a file of that name in Qt's temp folder (``$TMPDIR``, else ``/tmp``)."""
    if name.startswith("/"):
        return name
    folder = os.environ.get("TMPDIR", "").rstrip("/") or "/tmp"
    return f"{folder}/{name}"


def knock_socket(name: str) -> str:
    """Connect to the running instance's socket (Unix only) and send ``raise``.

    :data:`RAISED`: it answered "ok". :data:`BUSY`: it accepted but did not answer in time
    (alive, so still not our turn). :data:`ABSENT`: nobody listens (no file, or a stale one
    left by a crash: refused). Blocking, with the Qt guard's timeouts.
    """
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(CONNECT_TIMEOUT_MS / 1000)
        try:
            conn.connect(socket_path(name))
        except OSError:  # missing, refused (stale), not a socket, timed out
            return ABSENT
        answer = b""
        deadline = time.monotonic() + ANSWER_TIMEOUT_MS / 1000
        try:
            conn.sendall(RAISE)
            while OK not in answer:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                conn.settimeout(left)
                chunk = conn.recv(64)
                if not chunk:  # the other end hung up
                    break
                answer += chunk
        except OSError:  # timed out, or reset
            pass
        return RAISED if OK in answer else BUSY
