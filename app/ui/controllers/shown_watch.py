"""Watching the shown caster: a stop made elsewhere (the console, the CLI) shows within seconds.

The list is refreshed every 15 s; the caster whose previews are on screen is re-read more often,
and at once when a preview stalls or fails, so the window never says "Streaming 0:03:01" while
the pane says "Reconnecting".
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from app.api.models import Caster
from app.ui.concurrency import WorkerPool
from app.ui.controllers.session import SessionController

SHOWN_RECHECK_MS = 5_000  # a stop made elsewhere shows within this


class ShownWatch(QObject):
    """Re-reads one caster (``shown()`` gives its ID) while it is shown and streaming.

    ``stopped(caster_id)`` when a read finds it stopped, or gone, while still watched.
    """

    stopped = Signal(str)

    def __init__(
        self,
        session: SessionController,
        pool: WorkerPool,
        shown: Callable[[], str | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._pool = pool
        self._shown = shown
        self._reading = False
        self.timer = QTimer(self)
        self.timer.setObjectName("shownRecheck")
        self.timer.setInterval(SHOWN_RECHECK_MS)
        self.timer.timeout.connect(self.recheck)

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        """Stop watching (its stop was noticed some other way, or nothing is shown)."""
        self.timer.stop()

    def recheck(self) -> None:
        """Re-read the watched caster now (the timer, or a preview in trouble)."""
        caster_id, connection = self._shown(), self._session.connection
        if caster_id is None or connection is None or self._reading or not self.timer.isActive():
            return
        self._reading = True
        client, generation = connection.client, connection.generation

        def read() -> Caster | None:
            page = client.describe_casters(caster_id=caster_id)
            return next((c for c in page.casters if c.caster_id == caster_id), None)

        def done(caster: Caster | None) -> None:
            self._reading = False
            if not self._session.is_current(generation) or self._shown() != caster_id:
                return
            if caster is not None and caster.is_streaming:
                return
            if self.timer.isActive():  # not noticed meanwhile (our own Stop, a refresh)
                self.timer.stop()
                self.stopped.emit(caster_id)

        def failed(_error: BaseException) -> None:
            self._reading = False  # a blip; the next tick or refresh tries again

        self._pool.run(read, name="recheck_shown", on_result=done, on_error=failed)
