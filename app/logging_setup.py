"""The process's logging: one queue, one listener thread, a private log file, a quiet terminal.

Every record goes through :class:`~app.redaction.RedactingFilter` (tokens redacted, control
characters escaped) on its way into the queue, so no handler ever sees a secret. The file gets
everything from INFO up (0600, in a 0700 folder); the terminal only warnings, or INFO with
``-v``, and never a traceback.
"""

from __future__ import annotations

import logging
import logging.handlers
import queue
import sys
from pathlib import Path

from app.private_files import PrivateRotatingFileHandler, make_private_dir
from app.redaction import RedactingFilter


class _PlainFormatter(logging.Formatter):
    """For the terminal: one line per record, never a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        try:
            return super().format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved


class _LocalQueueHandler(logging.handlers.QueueHandler):
    """Queue records as they are: the listener is in this process, so the traceback can stay
    in ``exc_info`` (the file gets it, the terminal formatter drops it)."""

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        message = record.getMessage()
        copy = logging.makeLogRecord(record.__dict__)
        copy.msg, copy.args, copy.message = message, None, message
        return copy


class LoggingSetup:
    """Root logging through a queue: the GUI thread never writes to a file itself."""

    def __init__(self, log_dir: Path, *, verbose: bool = False) -> None:
        self.queue: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
        handlers: list[logging.Handler] = []
        self.path: Path | None = log_dir / "casterdesk.log"
        try:
            make_private_dir(log_dir)
            file_handler = PrivateRotatingFileHandler(
                self.path, maxBytes=2_000_000, backupCount=3, encoding="utf-8", delay=True
            )
            file_handler.setFormatter(
                logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
            )
            handlers.append(file_handler)
        except OSError:
            self.path = None
        terminal = logging.StreamHandler(sys.stderr)
        terminal.setLevel(logging.INFO if verbose else logging.WARNING)
        # Native lines reach the terminal through NativeOutput's echo (with -v), not twice.
        terminal.addFilter(lambda record: not record.name.startswith("casterdesk.native"))
        terminal.setFormatter(_PlainFormatter("casterdesk: %(levelname)s: %(message)s"))
        handlers.append(terminal)
        self.listener = logging.handlers.QueueListener(
            self.queue, *handlers, respect_handler_level=True
        )
        self.handler = _LocalQueueHandler(self.queue)
        self.handler.addFilter(RedactingFilter())
        root = logging.getLogger()
        self._previous_level = root.level
        root.addHandler(self.handler)
        root.setLevel(logging.INFO)
        self.listener.start()
        # No Qt message handler in Python: QtMultimedia's threads log while the GUI thread
        # holds the GIL inside QMediaPlayer calls, and a Python handler would deadlock them.

    def close(self) -> None:
        root = logging.getLogger()
        root.removeHandler(self.handler)
        root.setLevel(self._previous_level)
        self.listener.stop()
