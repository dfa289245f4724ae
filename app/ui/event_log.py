"""The event log: one JSON object per line, written by a background thread.

Each line is ``{"event": ..., "t": <time.monotonic()>, "wall": <ISO time>, ...fields}``. Every
string value passes through :func:`app.redaction.redact`, so signed playback URLs never land
in the file with their ``auth_key``. The GUI thread only puts records on a queue; the file is
opened, written and flushed by the writer thread, so a slow disk never freezes the window.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import platformdirs

from app.private_files import make_private_dir, open_private
from app.redaction import redact

log = logging.getLogger("casterdesk.events")

EVENT_LOG_NAME = "events.jsonl"
_STOP = object()


def default_log_dir() -> Path:
    """The platform's log folder for Caster Desk (created on first write)."""
    return Path(platformdirs.user_log_dir("casterdesk", appauthor=False))


def default_log_path() -> Path:
    return default_log_dir() / EVENT_LOG_NAME


def clean_value(value: Any) -> Any:
    """A JSON-safe copy of ``value`` with every string redacted."""
    if isinstance(value, str):
        return redact(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Mapping):
        return {str(k): clean_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [clean_value(v) for v in value]
    return redact(str(value))


class EventLog:
    """Append-only JSON-lines log. ``emit`` is cheap and thread-safe; ``close`` flushes.

    ``path=None`` keeps events in memory only (``records``), which the window tests use when
    they do not care about the file.
    """

    def __init__(
        self,
        path: Path | str | None,
        *,
        clock: Callable[[], float] = time.monotonic,
        keep: int = 2000,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self._clock = clock
        self._keep = keep
        self._lock = threading.Lock()
        self._records: list[dict[str, Any]] = []
        self._listeners: list[Callable[[dict[str, Any]], None]] = []
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._closed = False
        self._thread: threading.Thread | None = None
        self.write_error: str | None = None
        if self.path is not None:
            self._thread = threading.Thread(
                target=self._write_loop, name="casterdesk-eventlog", daemon=True
            )
            self._thread.start()

    def emit(self, event: str, /, **fields: Any) -> dict[str, Any]:
        """Record one event now; returns the (redacted) record as it will be written."""
        record: dict[str, Any] = {
            "event": event,
            "t": self._clock(),
            "wall": datetime.now().astimezone().isoformat(timespec="milliseconds"),
        }
        for key, value in fields.items():
            if key not in record:
                record[key] = clean_value(value)
        with self._lock:
            if self._closed:
                return record
            self._records.append(record)
            if len(self._records) > self._keep:
                del self._records[: len(self._records) - self._keep]
            listeners = list(self._listeners)
        if self._thread is not None:
            self._queue.put(record)
        for listener in listeners:
            listener(record)
        return record

    def add_listener(self, listener: Callable[[dict[str, Any]], None]) -> None:
        """Call ``listener(record)`` for every later event (on the emitting thread)."""
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[dict[str, Any]], None]) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    @property
    def records(self) -> list[dict[str, Any]]:
        """The most recent events (a copy), oldest first."""
        with self._lock:
            return list(self._records)

    def events(self, name: str) -> list[dict[str, Any]]:
        """Recent events called ``name``."""
        return [r for r in self.records if r["event"] == name]

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything emitted so far is on disk (tests and shutdown)."""
        if self._thread is None:
            return True
        done = threading.Event()
        self._queue.put(done)
        return done.wait(timeout)

    def close(self) -> None:
        """Write what is queued and stop the writer thread. Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join(10.0)
            self._thread = None

    def _write_loop(self) -> None:
        assert self.path is not None
        handle = None
        try:
            make_private_dir(self.path.parent)
            handle = open_private(self.path)
        except OSError as exc:
            self.write_error = f"{type(exc).__name__}: {exc}"
            log.warning("event log: cannot open %s (%s)", self.path, exc)
        try:
            while True:
                item = self._queue.get()
                if item is _STOP:
                    break
                if isinstance(item, threading.Event):
                    if handle is not None:
                        handle.flush()
                    item.set()
                    continue
                if handle is None:
                    continue
                try:
                    handle.write(json.dumps(item, ensure_ascii=False) + "\n")
                    if self._queue.empty():
                        handle.flush()
                except (OSError, ValueError) as exc:
                    self.write_error = f"{type(exc).__name__}: {exc}"
        finally:
            if handle is not None:
                handle.close()
