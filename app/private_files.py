"""Log folders and files that only their owner can read (0700 / 0600).

Logs are redacted, but they still tell who used which account when; other users of the
machine have no business reading them.
"""

from __future__ import annotations

import contextlib
import io
import logging.handlers
import os
from pathlib import Path


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) and make it 0700, also when it already existed."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):
        path.chmod(0o700)


def open_private(path: Path, mode: str = "a", encoding: str = "utf-8") -> io.TextIOWrapper:
    """Open a text file for appending or writing, created (or narrowed to) 0600."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in mode else os.O_TRUNC)
    fd = os.open(path, flags, 0o600)
    with contextlib.suppress(OSError):
        os.fchmod(fd, 0o600)
    handle = open(fd, mode, encoding=encoding)  # noqa: SIM115  (the caller closes it)
    assert isinstance(handle, io.TextIOWrapper)  # text mode always gives one
    return handle


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file whose every generation is created 0600."""

    def _open(self) -> io.TextIOWrapper:
        return open_private(Path(self.baseFilename), self.mode, self.encoding or "utf-8")
