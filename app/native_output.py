"""Route what native libraries print (Qt, FFmpeg) into the log, redacted, instead of the terminal.

FFmpeg prints whole stream URLs, ``auth_key`` included ("Input #0, flv, from 'rtmp://…'"), and
Qt its plugin chatter, straight to file descriptor 2. A Python message handler is no option
(it would deadlock QtMultimedia's threads, see ``app.ui.launch``), so the descriptor itself is
pointed at a pipe. A thread reads the pipe and logs each line through ``casterdesk.native``,
where the usual redaction applies; with ``echo`` (``-v``) the cleaned lines also reach the
terminal. Python's own ``sys.stderr`` keeps writing to the real terminal.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import logging
import os
import sys
import threading
from typing import TextIO

from app.redaction import escape_controls, redact

log = logging.getLogger("casterdesk.native")

_PIPE_BYTES = 1 << 20  # room for a burst, so a native thread never waits on the reader
_F_SETPIPE_SZ = 1031  # Linux's fcntl for the pipe size


class NativeOutput:
    """Captures descriptor 2 between :meth:`start` and :meth:`stop` (POSIX only)."""

    def __init__(self, *, echo: bool = False) -> None:
        self.echo = echo
        self._saved_fd: int | None = None
        self._read_fd: int | None = None
        self._thread: threading.Thread | None = None
        self._previous_stderr: TextIO | None = None
        self.terminal: TextIO | None = None  # the real terminal, for our own lines

    @property
    def active(self) -> bool:
        return self._saved_fd is not None

    def start(self) -> None:
        """Point descriptor 2 at the pipe now; lines wait there until :meth:`forward`."""
        if self.active or os.name != "posix":
            return
        with contextlib.suppress(AttributeError, ValueError, OSError):
            sys.stderr.flush()
        saved = os.dup(2)
        read_fd, write_fd = os.pipe()
        with contextlib.suppress(OSError):
            fcntl.fcntl(write_fd, _F_SETPIPE_SZ, _PIPE_BYTES)
        os.dup2(write_fd, 2)
        os.close(write_fd)
        self._saved_fd, self._read_fd = saved, read_fd
        self.terminal = io.TextIOWrapper(
            io.FileIO(saved, "w", closefd=False),
            encoding="utf-8",
            errors="backslashreplace",
            line_buffering=True,
        )
        self._previous_stderr = sys.stderr
        sys.stderr = self.terminal

    def forward(self) -> None:
        """Start logging the captured lines (call once logging is set up)."""
        if self._read_fd is None or self._thread is not None:
            return
        self._thread = threading.Thread(
            target=self._pump, args=(self._read_fd,), name="native-output", daemon=True
        )
        self._thread.start()

    def _pump(self, read_fd: int) -> None:
        pending = b""
        while True:
            try:
                chunk = os.read(read_fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                self._emit(line)
        if pending:
            self._emit(pending)
        os.close(read_fd)

    def _emit(self, raw: bytes) -> None:
        text = escape_controls(redact(raw.decode("utf-8", "replace").rstrip("\r")))
        if not text.strip():
            return
        log.info("%s", text)
        if self.echo and self.terminal is not None:
            with contextlib.suppress(OSError, ValueError):
                self.terminal.write(text + "\n")

    def stop(self) -> None:
        """Give descriptor 2 back to the terminal and log what is still in the pipe."""
        if self._saved_fd is None:
            return
        with contextlib.suppress(OSError):
            os.dup2(self._saved_fd, 2)  # the pipe's last writer is gone: the reader sees EOF
        if self._thread is not None:
            self._thread.join(5.0)
        elif self._read_fd is not None:
            os.close(self._read_fd)
        if self._previous_stderr is not None:
            sys.stderr = self._previous_stderr
        if self.terminal is not None:
            with contextlib.suppress(OSError, ValueError):
                self.terminal.flush()
        os.close(self._saved_fd)
        self._saved_fd = self._read_fd = None
        self._thread = None
