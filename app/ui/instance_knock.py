"""Is Caster Desk already running? The single-instance socket's name, and a knock on it that
needs no Qt, so that a launch can ask before its window paints.

On Unix a launch that finds nobody also takes the socket at once (:func:`claim`), still without
Qt: a launch a moment later then finds it taken and knocks, and its knock waits in the socket's
queue until the first one hands the socket to Qt's server after its first paint and answers.
So two launches at the same moment give one window, never a second frame that flashes.

The protocol (``raise``, answered ``ok``) and the server are :mod:`app.ui.single_instance`'s,
which uses Qt's local sockets: Unix domain sockets on Linux and macOS, named pipes on
Windows. On Unix the same socket is reached here with Python's own ``socket`` module, so that
Qt's network module (~6 ms of imports) loads after the first paint; on Windows there is no such
shortcut (:func:`can_knock_early` is False) and the launcher uses the Qt guard before the window.
"""

from __future__ import annotations

import errno
import getpass
import hashlib
import logging
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
CLAIMED, RUNNING, UNGUARDED = "claimed", "running", "unguarded"
BACKLOG = 16  # knocks that can wait while the first launch paints
STALE_RECHECK_S = 0.05

log = logging.getLogger("casterdesk.ui.single_instance")


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


def claim(name: str) -> tuple[str, socket.socket | None]:
    """Knock on ``name``; if nobody answers, bind and listen on its socket (Unix only).

    ``(CLAIMED, listening socket)``: this launch is the first; hand the socket to
    ``SingleInstance.adopt`` after the first paint (a knock that comes before waits in the
    queue). ``(RUNNING, None)``: a running instance was asked to raise its window (or accepted
    and did not answer: alive all the same). ``(UNGUARDED, None)``: the socket cannot be made
    here (no guard is better than no window; the launcher tries Qt's guard after the paint).
    """
    path = socket_path(name)
    for _ in range(3):
        if knock_socket(name) != ABSENT:
            return RUNNING, None
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.bind(path)
            sock.listen(BACKLOG)  # at once: until then a knock is refused, as by a crash's file
            os.chmod(path, 0o600)  # this user only, as Qt's UserAccessOption
        except OSError as exc:
            sock.close()
            if exc.errno != errno.EADDRINUSE:
                log.warning("single instance: cannot listen on %s: %s", path, exc)
                return UNGUARDED, None
            # A file is there: a launch that claimed it a moment ago (the next knock reaches
            # it), or a crash's leftover (refused: removed, then claimed). Refused twice, a
            # little apart, so that one caught between its bind and its listen is not removed.
            if knock_socket(name) != ABSENT:
                return RUNNING, None
            time.sleep(STALE_RECHECK_S)
            if knock_socket(name) != ABSENT:
                return RUNNING, None
            log.info("single instance: removing the stale socket %s", path)
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
            except OSError as unlink_error:
                log.warning("single instance: cannot remove %s: %s", path, unlink_error)
                return UNGUARDED, None
            continue
        return CLAIMED, sock
    return UNGUARDED, None
