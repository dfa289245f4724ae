"""The casters of the current connection: listing (paged), Start, Stop and the stream URLs.

:class:`CasterController` keeps the state of these operations in one place: which ones are in
flight, for which connection generation, and the one caster whose URLs are shown. Every
operation goes through :meth:`CasterController._run`, which does the bookkeeping they share:
the generation guard, the in-flight state, timing, the requested/succeeded/failed events and
the route to the error banner (:attr:`CasterController.problem`).

The view tells the controller what the user did (:meth:`select`, :meth:`start`, :meth:`stop`,
:meth:`refresh`) and reads the selection through :attr:`CasterController.selection`; the
controller answers with typed signals and updates :attr:`CasterController.model`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from app.api.models import Caster, CasterList, CasterPage, CasterStatus, StartResult
from app.ui.concurrency import WorkerPool
from app.ui.controllers.session import Connection, SessionController
from app.ui.controllers.session_state import SessionState
from app.ui.controllers.shown_watch import ShownWatch
from app.ui.errors import ErrorInfo, Problem, describe_error
from app.ui.models.caster_table import RANK_PAGE_STRIDE, CasterTableModel, expiry_days

if TYPE_CHECKING:
    from app.api.client import StopResult

REFRESH_INTERVAL_MS = 15_000

T = TypeVar("T")
PageArrived = tuple[int, CasterPage]  # page number, page


class EventSink(Protocol):
    """Where operations are recorded (the JSON event log)."""

    def emit(self, event: str, /, **fields: Any) -> object: ...


class ListState(Enum):
    """What the caster list is waiting for, or why it is empty."""

    NO_SESSION = "no_session"
    LOADING = "loading"
    READY = "ready"
    ERROR = "error"


class Operation(Enum):
    """The operations on casters; their values name their events (``start_requested`` …)."""

    REFRESH = "refresh"
    URLS = "urls"
    REFRESH_URLS = "refresh_urls"
    START = "start"
    STOP = "stop"


# Event names per operation: requested (None: not logged), succeeded, failed.
_EVENTS: dict[Operation, tuple[str | None, str, str]] = {
    Operation.REFRESH: (None, "casters_loaded", "refresh_failed"),
    Operation.URLS: (None, "urls_shown", "urls_failed"),
    Operation.REFRESH_URLS: ("urls_refresh_requested", "urls_refreshed", "urls_refresh_failed"),
    Operation.START: ("start_requested", "start_succeeded", "start_failed"),
    Operation.STOP: ("stop_requested", "stop_succeeded", "stop_failed"),
}


@dataclass(frozen=True)
class ShownCaster:
    """The caster whose URLs the panels show. ``clicked_at``: the Start click, if it was one."""

    caster_id: str
    name: str
    result: StartResult
    clicked_at: float | None = None


@dataclass
class _Job:
    """One running operation: what, for which connection and caster, since when."""

    operation: Operation
    generation: int
    caster: Caster | None
    started: float = field(default_factory=time.monotonic)

    def ms(self) -> float:
        return round((time.monotonic() - self.started) * 1000, 1)


class CasterController(QObject):
    """Listing, Start, Stop and URLs for the session's connection. See the module docstring."""

    list_state_changed = Signal(ListState, str)  # state, plain message (for ERROR)
    rows_changed = Signal()  # a page or a full list was merged into the model
    casters_loaded = Signal(int)  # a refresh finished: how many casters
    busy_changed = Signal()  # an operation started or ended (for enabling actions)
    shown = Signal(ShownCaster)  # fill the panels (restart previews unless the same streams)
    shown_cleared = Signal()  # empty the panels
    shown_stopped = Signal()  # the shown caster stopped
    urls_shown = Signal(str)  # caster id
    urls_refreshed = Signal(ShownCaster)  # fresh signed URLs of the shown caster (same scenes)
    start_finished = Signal(bool)  # True on success
    stop_finished = Signal(bool)
    notice = Signal(str, int)  # a transient status message and its timeout in ms
    problem = Signal(Problem)
    problem_cleared = Signal()  # a new Start: the last error is old news

    def __init__(
        self,
        session: SessionController,
        pool: WorkerPool,
        events: EventSink,
        *,
        refresh_interval_ms: int = REFRESH_INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._pool = pool
        self._events = events
        self.model = CasterTableModel(self)
        self.selection: Callable[[], Caster | None] = lambda: None
        self.auto_refresh_paused: Callable[[], bool] = lambda: False
        self._jobs: dict[Operation, _Job] = {}
        self._url_request: str | None = None
        self._loaded_once = False
        self._shown: ShownCaster | None = None
        self._list_state = ListState.NO_SESSION
        self._closed = False
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setObjectName("autoRefresh")
        self.refresh_timer.setInterval(refresh_interval_ms)
        self.refresh_timer.timeout.connect(self._auto_refresh)
        # The shown caster is re-read more often than the list: a stop made elsewhere (the
        # console, the CLI) must show within seconds, not at the next full refresh.
        self.watch = ShownWatch(session, pool, lambda: self.shown_caster_id, self)
        self.watch.stopped.connect(self._stopped_elsewhere)
        self.shown_stopped.connect(self.watch.stop)  # however it was noticed
        session.state_changed.connect(self._on_session_state)
        session.ready.connect(self._on_session_ready)
        session.failed.connect(self._on_session_failed)

    # --- what the view reads ---------------------------------------------------------------

    @property
    def shown_caster(self) -> ShownCaster | None:
        return self._shown

    @property
    def shown_caster_id(self) -> str | None:
        """The caster whose URLs the panels show (None when they are empty)."""
        return self._shown.caster_id if self._shown is not None else None

    @property
    def shown_result(self) -> StartResult | None:
        return self._shown.result if self._shown is not None else None

    @property
    def list_state(self) -> ListState:
        return self._list_state

    @property
    def refresh_running(self) -> bool:
        return Operation.REFRESH in self._jobs

    @property
    def url_refresh_in_flight(self) -> bool:
        return Operation.REFRESH_URLS in self._jobs

    @property
    def start_in_flight(self) -> bool:
        return Operation.START in self._jobs

    @property
    def starting_caster(self) -> Caster | None:
        """The caster whose Start is in flight, if one is."""
        job = self._jobs.get(Operation.START)
        return job.caster if job is not None else None

    @property
    def stop_in_flight(self) -> bool:
        return Operation.STOP in self._jobs

    @property
    def ready(self) -> bool:
        return self._session.connection is not None and not self._closed

    def can_start(self, caster: Caster | None) -> bool:
        return (
            self.ready
            and caster is not None
            and not caster.is_streaming
            and not self.start_in_flight
        )

    def can_stop(self, caster: Caster | None) -> bool:
        return self.ready and caster is not None and caster.is_streaming and not self.stop_in_flight

    # --- the one operation helper ----------------------------------------------------------

    def _run(
        self,
        operation: Operation,
        connection: Connection,
        job: Callable[[], T] | None,
        *,
        caster: Caster | None,
        context: Callable[[], str],
        on_success: Callable[[_Job, T, bool], Mapping[str, Any] | None],
        on_failure: Callable[[_Job, BaseException, bool], bool] | None = None,
        paged: Callable[[Callable[[PageArrived], None]], T] | None = None,
        on_page: Callable[[_Job, PageArrived], None] | None = None,
    ) -> None:
        """Run ``job`` on the pool as ``operation`` and do the shared bookkeeping.

        ``on_success(job, result, current)`` updates the state and returns the fields of the
        "succeeded" event (None: log nothing, e.g. an answer nobody waits for any more).
        ``on_failure(job, error, current)`` returns whether the error is still worth showing.
        ``current``: the answer belongs to the session's current connection. A ``paged`` job
        (instead of ``job``) reports pages as they arrive; they reach ``on_page``.
        """
        running = _Job(operation, connection.generation, caster)
        self._jobs[operation] = running
        requested, succeeded, failed = _EVENTS[operation]
        if requested is not None:
            self._log(requested, running, name=caster.name if caster else None)
        self.busy_changed.emit()

        def finish() -> None:
            if self._jobs.get(operation) is running:
                del self._jobs[operation]

        def result(value: T) -> None:
            finish()
            ms = running.ms()  # the answer's time, before the view fills itself
            fields = on_success(running, value, self._session.is_current(running.generation))
            if fields is not None:
                self._log(succeeded, running, ms=ms, **fields)
            self.busy_changed.emit()
            self._finished(running, ok=True, fields=fields)

        def error(exc: BaseException) -> None:
            finish()
            info = describe_error(exc, "en")
            self._log(failed, running, code=info.code, request_id=info.request_id, ms=running.ms())
            current = self._session.is_current(running.generation)
            show = on_failure(running, exc, current) if on_failure is not None else True
            self.busy_changed.emit()
            if current and show and not self._closed:
                about = caster.caster_id if caster is not None else None
                self.problem.emit(Problem(context, exc, origin=operation.value, caster_id=about))
            self._finished(running, ok=False, fields=None)

        if paged is not None and on_page is not None:
            self._pool.run_with_progress(
                paged,
                name=operation.value,
                on_progress=lambda arrived: on_page(running, arrived),
                on_result=result,
                on_error=error,
            )
        else:
            assert job is not None
            self._pool.run(job, name=operation.value, on_result=result, on_error=error)

    def _log(self, event: str, job: _Job, **fields: Any) -> None:
        if job.caster is not None:
            fields.setdefault("caster_id", job.caster.caster_id)
        self._events.emit(event, **fields)

    def _finished(self, job: _Job, *, ok: bool, fields: Mapping[str, Any] | None) -> None:
        operation = job.operation
        if operation is Operation.START:
            self.start_finished.emit(ok)
        elif operation is Operation.STOP:
            self.stop_finished.emit(ok)
        elif operation is Operation.REFRESH and ok and fields is not None:
            self.casters_loaded.emit(int(fields["count"]))
        elif operation is Operation.URLS and ok and fields is not None and job.caster:
            self.urls_shown.emit(job.caster.caster_id)

    def _connection_or_explain(self) -> Connection | None:
        """The session's connection, or None after telling the user why there is none."""
        connection = self._session.connection
        if connection is None:
            connecting = self._session.state is SessionState.CONNECTING

            def info() -> ErrorInfo:
                if connecting:
                    reason = self.tr("Still connecting to the account. Try again in a moment.")
                else:
                    reason = self.tr(
                        "No account is connected. Choose an account or try the sandbox."
                    )
                return ErrorInfo(reason, "", None, "not_ready")

            self.problem.emit(Problem(lambda: "", info=info, origin="not_ready"))
        return connection

    # --- the session ------------------------------------------------------------------------

    def _on_session_state(self, state: SessionState) -> None:
        if state is SessionState.CONNECTING:
            self._reset()

    def _reset(self) -> None:
        """A new connection is being built: forget everything about the old one."""
        self.refresh_timer.stop()
        self._jobs.pop(Operation.REFRESH, None)
        self._loaded_once = False
        self._url_request = None
        self.model.clear()
        self._set_shown(None)
        self._set_list_state(ListState.LOADING)

    def _on_session_ready(self, connection: Connection) -> None:
        self._events.emit(
            "session_ready",
            profile="Sandbox" if connection.is_sandbox else connection.profile,
            source=connection.source,
            region=connection.region_id,
            endpoint=connection.endpoint,
        )
        self.busy_changed.emit()
        self.refresh()
        if not self._closed:
            self.refresh_timer.start()

    def _on_session_failed(self, error: BaseException) -> None:
        self._set_list_state(ListState.ERROR, describe_error(error).summary)

    def close(self) -> None:
        """Start nothing new and stop the timer (the window is closing)."""
        self._closed = True
        self.refresh_timer.stop()
        self.watch.stop()
        self.busy_changed.emit()

    def _set_list_state(self, state: ListState, message: str = "") -> None:
        self._list_state = state
        self.list_state_changed.emit(state, message)

    def _set_shown(self, shown: ShownCaster | None) -> None:
        had = self._shown is not None
        self._shown = shown
        if shown is not None and not self._closed:
            self.watch.start()
        else:
            self.watch.stop()
        if shown is not None:
            self.shown.emit(shown)
        elif had:
            self.shown_cleared.emit()

    def recheck_shown(self) -> None:
        """Re-read the shown caster now (a preview stalled or failed: was it stopped?)."""
        self.watch.recheck()

    def _stopped_elsewhere(self, caster_id: str) -> None:
        shown = self._shown
        if shown is None or shown.caster_id != caster_id:
            return
        self.model.set_status(caster_id, CasterStatus.IDLE)
        self.shown_stopped.emit()
        self.notice.emit(
            self.tr("“{0}” was stopped elsewhere (the console or another tool).").format(
                shown.name
            ),
            0,
        )
        self._events.emit("stopped_elsewhere", caster_id=caster_id)

    # --- refreshing -------------------------------------------------------------------------

    def _auto_refresh(self) -> None:
        if not self.auto_refresh_paused():
            self.refresh()

    def refresh_now(self) -> None:
        """Ctrl+R: refresh now (or say why not)."""
        if self._connection_or_explain() is not None:
            self.refresh()

    def refresh(self) -> bool:
        """Fetch every page of casters on a worker. Skipped while one is running."""
        connection = self._session.connection
        if connection is None or self._closed or self.refresh_running:
            return False
        if self.model.rowCount() == 0:
            self._set_list_state(ListState.LOADING)
        client = connection.client

        def fetch(report: Callable[[PageArrived], None]) -> CasterList:
            return client.describe_all_casters(on_page=lambda number, page: report((number, page)))

        self._run(
            Operation.REFRESH,
            connection,
            None,
            caster=None,
            context=lambda: self.tr("Could not load the casters"),
            on_success=self._on_refreshed,
            on_failure=self._on_refresh_failed,
            paged=fetch,
            on_page=self._on_page,
        )
        return True

    def _current_refresh(self, job: _Job) -> bool:
        return self._session.is_current(job.generation) and self._jobs.get(Operation.REFRESH) is job

    def _on_page(self, job: _Job, arrived: PageArrived) -> None:
        if not self._current_refresh(job):
            return
        page_num, page = arrived
        self.model.merge(page.casters, rank_base=page_num * RANK_PAGE_STRIDE)
        if page_num == 1 and not self._loaded_once:
            self._set_list_state(ListState.LOADING)
        self.rows_changed.emit()

    def _on_refreshed(self, job: _Job, result: CasterList, current: bool) -> dict[str, Any] | None:
        if not current:
            return None
        # The first load takes the API's order; later refreshes keep rows where they are.
        self.model.replace_all(result.casters, reorder=not self._loaded_once)
        first = not self._loaded_once
        self._loaded_once = True
        self._set_list_state(ListState.READY)
        self.rows_changed.emit()
        self._sync_with_selection()
        if result.stopped_early == "cap":
            self.notice.emit(
                self.tr("The server claims {0} casters; the list stops at the first {1}.").format(
                    result.total, len(result.casters)
                ),
                0,
            )
        elif result.stopped_early:
            self.notice.emit(
                self.tr(
                    "The server claims {0} casters, but its pages ended after {1}; "
                    "these are all it returned."
                ).format(result.total, len(result.casters)),
                0,
            )
        return {
            "count": len(result.casters),
            "pages": len(result.request_ids),
            "first": first,
            "stopped_early": result.stopped_early or None,
        }

    def _on_refresh_failed(self, _job: _Job, error: BaseException, current: bool) -> bool:
        if current:
            self._set_list_state(ListState.ERROR, describe_error(error).summary)
        return True

    # --- selection → URLs -------------------------------------------------------------------

    def select(self, caster: Caster | None) -> None:
        """The user selected ``caster``: show its URLs if it streams, else empty the panels."""
        if caster is None or caster.caster_id == self.shown_caster_id:
            return
        if caster.is_streaming:
            self._fetch_urls(caster)
        else:
            self._url_request = None
            self._set_shown(None)

    def _sync_with_selection(self) -> None:
        """After a refresh: fetch URLs of a selected caster that went live, or show it stopped."""
        caster = self.selection()
        if caster is None or self.start_in_flight or self.stop_in_flight:
            return
        if caster.is_streaming and caster.caster_id != self.shown_caster_id:
            if self._url_request != caster.caster_id:
                self._fetch_urls(caster)
        elif not caster.is_streaming and caster.caster_id == self.shown_caster_id:
            self.shown_stopped.emit()

    def _still_selected(self, caster_id: str) -> bool:
        selected = self.selection()
        return selected is not None and selected.caster_id == caster_id

    def _fetch_urls(self, caster: Caster) -> None:
        """A streaming caster was selected: DescribeCasterStreamUrl, never StartCaster."""
        connection = self._session.connection
        if connection is None or self._closed:
            return
        caster_id = caster.caster_id
        self._url_request = caster_id
        client = connection.client
        self._run(
            Operation.URLS,
            connection,
            lambda: client.describe_caster_stream_url(caster_id).as_start_result(),
            caster=caster,
            context=lambda: self.tr("Could not get the stream URLs"),
            on_success=self._on_urls,
            on_failure=self._on_urls_failed,
        )

    def _on_urls(self, job: _Job, result: StartResult, current: bool) -> dict[str, Any] | None:
        assert job.caster is not None
        if self._url_request == job.caster.caster_id:
            self._url_request = None
        if not current or not self._still_selected(job.caster.caster_id):
            return None  # another connection, or the user moved on
        self._set_shown(ShownCaster(job.caster.caster_id, job.caster.name, result))
        return {"request_id": result.request_id}

    def _on_urls_failed(self, job: _Job, _error: BaseException, _current: bool) -> bool:
        assert job.caster is not None
        if self._url_request == job.caster.caster_id:
            self._url_request = None
        # A late error for a caster the user has left must not cover what is shown now.
        return self._still_selected(job.caster.caster_id)

    def refresh_urls(self, *, reason: str = "user") -> bool:
        """Fetch freshly signed URLs of the shown caster (DescribeCasterStreamUrl); they replace
        the shown ones without restarting the previews. False when there is nothing to do."""
        shown = self._shown
        connection = self._session.connection
        if shown is None or connection is None or self._closed or self.url_refresh_in_flight:
            return False
        caster = self.model.caster_by_id(shown.caster_id) or Caster(shown.caster_id, shown.name, 1)
        client = connection.client
        caster_id = shown.caster_id

        def refreshed(job: _Job, result: StartResult, current: bool) -> dict[str, Any] | None:
            now_shown = self._shown
            if not current or now_shown is None or now_shown.caster_id != caster_id:
                return None  # the user moved on: these URLs are nobody's any more
            self._shown = ShownCaster(caster_id, now_shown.name, result, now_shown.clicked_at)
            self.urls_refreshed.emit(self._shown)
            return {"request_id": result.request_id, "reason": reason}

        self._run(
            Operation.REFRESH_URLS,
            connection,
            lambda: client.describe_caster_stream_url(caster_id).as_start_result(),
            caster=caster,
            context=lambda: self.tr("Could not refresh the stream URLs"),
            on_success=refreshed,
        )
        return True

    # --- start ------------------------------------------------------------------------------

    def start(
        self, caster: Caster | None, confirm_expired: Callable[[Caster], bool] | None = None
    ) -> None:
        """Start ``caster`` (exactly one StartCaster), or say why not.

        A caster past its ExpireTime starts only once ``confirm_expired(caster)`` agrees.
        """
        if self.start_in_flight or self._closed:
            return
        connection = self._connection_or_explain()
        if connection is None:
            return
        if caster is None:
            self.problem.emit(
                Problem(
                    lambda: "",
                    info=lambda: ErrorInfo(
                        self.tr("Select a caster to start."),
                        self.tr("Click a row in the list (Ctrl+F filters it)."),
                        None,
                        "no_selection",
                    ),
                    origin="no_selection",
                )
            )
            return
        if caster.is_streaming:
            self.notice.emit(
                self.tr("“{0}” is already streaming: showing its URLs.").format(caster.name), 4000
            )
            if caster.caster_id != self.shown_caster_id:
                self._fetch_urls(caster)
            return
        left = expiry_days(caster)
        expired = left is not None and left < 0
        if expired and confirm_expired is not None and not confirm_expired(caster):
            return
        client = connection.client
        caster_id = caster.caster_id
        self.problem_cleared.emit()

        def not_started(_job: _Job, _error: BaseException, _current: bool) -> bool:
            self.model.set_starting(caster_id, None)
            return True

        self._run(
            Operation.START,
            connection,
            lambda: client.start_caster(caster_id),
            caster=caster,
            context=lambda: self.tr("Could not start “{0}”").format(caster.name),
            on_success=self._on_started,
            on_failure=not_started,
        )
        self.model.set_starting(caster_id, time.monotonic())

    def _on_started(self, job: _Job, result: StartResult, current: bool) -> dict[str, Any]:
        fields = {"request_id": result.request_id, "confirmed_by": result.confirmed_by or None}
        assert job.caster is not None
        self.model.set_starting(job.caster.caster_id, None)
        if current:
            caster = job.caster
            self.model.set_status(caster.caster_id, CasterStatus.STREAMING)
            self._url_request = None
            self._set_shown(ShownCaster(caster.caster_id, caster.name, result, job.started))
            self.notice.emit(self.tr("Started “{0}”.").format(caster.name), 5000)
            self.refresh()
        return fields

    # --- stop -------------------------------------------------------------------------------

    def stop(self, caster: Caster | None, confirm: Callable[[Caster], bool]) -> None:
        """Stop ``caster`` once ``confirm(caster)`` agrees (the view asks the user)."""
        if self.stop_in_flight or self._closed:
            return
        connection = self._connection_or_explain()
        if connection is None or caster is None or not caster.is_streaming:
            return
        if not confirm(caster):
            return
        client = connection.client
        caster_id = caster.caster_id
        self._run(
            Operation.STOP,
            connection,
            lambda: client.stop_caster(caster_id),
            caster=caster,
            context=lambda: self.tr("Could not stop “{0}”").format(caster.name),
            on_success=self._on_stopped,
        )

    def stop_all(self, casters: Sequence[Caster], then: Callable[[bool], None]) -> None:
        """Stop every one of ``casters`` in one job, one after another (before a quit), then
        ``then(all_stopped)``. A failure stops there and is shown like any other."""
        connection = self._connection_or_explain()
        if connection is None or self.stop_in_flight or self._closed or not casters:
            then(False)
            return
        client = connection.client
        ids = [c.caster_id for c in casters]

        def stopped(_job: _Job, results: list[StopResult], current: bool) -> dict[str, Any]:
            if current:
                for caster_id in ids:
                    self.model.set_status(caster_id, CasterStatus.IDLE)
            then(True)
            return {"count": len(results), "caster_ids": ids}

        def not_stopped(_job: _Job, _error: BaseException, _current: bool) -> bool:
            then(False)
            return True

        self._run(
            Operation.STOP,
            connection,
            lambda: [client.stop_caster(caster_id) for caster_id in ids],
            caster=None,
            context=lambda: self.tr("Could not stop every streaming caster before quitting"),
            on_success=stopped,
            on_failure=not_stopped,
        )

    def _on_stopped(self, job: _Job, result: StopResult, current: bool) -> dict[str, Any]:
        assert job.caster is not None
        if current:
            caster = job.caster
            self.model.set_status(caster.caster_id, CasterStatus.IDLE)
            if self.shown_caster_id == caster.caster_id:
                self.shown_stopped.emit()
            self.notice.emit(self.tr("Stopped “{0}”.").format(caster.name), 5000)
            self.refresh()
        return {"request_id": result.request_id}
