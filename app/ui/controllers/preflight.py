"""Preflight before Start: one quick pass of :func:`app.probe.preflight.run_preflight` on a
worker, cached for :data:`CACHE_S` per caster and connection, so a second Start right after a
first (or after "Start anyway") does not ask the server again."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from app.api.models import Caster
from app.probe.preflight import PreflightReport, run_preflight
from app.ui.concurrency import WorkerPool
from app.ui.controllers.casters import EventSink
from app.ui.controllers.session import SessionController

CACHE_S = 60.0


class PreflightController(QObject):
    """Runs and caches the preflight; :attr:`busy_changed` while one is in flight."""

    busy_changed = Signal(bool)

    def __init__(
        self,
        session: SessionController,
        pool: WorkerPool,
        events: EventSink,
        *,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._pool = pool
        self._events = events
        self._cache: dict[tuple[int, str], PreflightReport] = {}
        self._running: Caster | None = None
        self._closed = False

    @property
    def running(self) -> bool:
        return self._running is not None

    @property
    def running_caster(self) -> Caster | None:
        """The caster whose Start waits for this check (None when none runs)."""
        return self._running

    def cached(self, caster_id: str) -> PreflightReport | None:
        report = self._cache.get((self._session.generation, caster_id))
        if report is not None and time.monotonic() - report.checked_at < CACHE_S:
            return report
        return None

    def forget(self) -> None:
        self._cache.clear()

    def run(self, caster: Caster, then: Callable[[PreflightReport], None]) -> bool:
        """Check before starting ``caster``; ``then(report)`` on the GUI thread (at once when a
        fresh answer is cached). False when none could start (one runs, or no connection)."""
        cached = self.cached(caster.caster_id)
        if cached is not None:
            then(cached)
            return True
        connection = self._session.connection
        if connection is None or self._closed or self._running is not None:
            return False
        client = connection.client
        # The keychain matters only when this account's secret lives there.
        keychain = self._session.keychain if connection.source.startswith("profile:") else None
        generation = connection.generation
        caster_id = caster.caster_id
        started = time.monotonic()
        self._running = caster
        self.busy_changed.emit(True)

        def finish() -> bool:
            self._running = None
            self.busy_changed.emit(False)
            return self._session.is_current(generation) and not self._closed

        def done(report: PreflightReport) -> None:
            if not finish():
                return
            self._cache[(generation, caster_id)] = report
            self._events.emit(
                "preflight",
                caster_id=caster_id,
                ms=round((time.monotonic() - started) * 1000, 1),
                failed={i.check: i.detail or i.value for i in report.failed},
            )
            then(report)

        def failed(error: BaseException) -> None:
            # Never expected (run_preflight answers every failure as an item); never blocks.
            if finish():
                self._events.emit("preflight_failed", error=type(error).__name__)
                then(PreflightReport(caster_id, ()))

        self._pool.run(
            lambda: run_preflight(client, caster_id, keychain=keychain),
            name="preflight",
            on_result=done,
            on_error=failed,
        )
        return True

    def close(self) -> None:
        self._closed = True
