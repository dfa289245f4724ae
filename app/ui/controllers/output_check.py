"""The playability matrix of the shown caster, and the expiry of its signed URLs.

:class:`OutputCheckController` probes every URL of the shown caster (the PVW and PGM monitors
and each PGM output) with :class:`app.probe.engine.Prober`: at most four at once, on threads of
the prober's own, inside one job of the window's worker pool, so nothing waits on the GUI
thread. Each probe's verdict is reported as it arrives (:attr:`verdict`); when all are in, they
are judged together (tier order needs every size) and :attr:`finished` carries the list.

A check runs after Start (once the URLs arrive) and on demand (:meth:`check`, Ctrl+K). It is
cancelled when the shown caster changes or stops, and when the window closes; an answer from a
cancelled run is dropped.

Expiry: a one-second tick moves the countdowns (:attr:`ticked`) and, while a caster is shown,
asks the caster controller for fresh URLs (DescribeCasterStreamUrl) once the earliest expiry is
less than :attr:`refresh_margin_s` away, at most once per :attr:`min_refresh_interval_s`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from app.probe.engine import Prober, ProbeResult
from app.probe.expiry import UrlExpiry, url_expiry, validity_from_env
from app.probe.judge import Output, Verdict, judge, scene_outputs
from app.ui.concurrency import WorkerPool
from app.ui.controllers.casters import CasterController, EventSink, ShownCaster
from app.ui.controllers.session import SessionController
from app.ui.models.output_checks import DEFAULT_EVENT_HOURS, ExpiryPolicy

CONCURRENCY = 4
TICK_MS = 1000
REFRESH_MARGIN_S = 300.0  # fetch new URLs this long before the earliest one expires
MIN_REFRESH_INTERVAL_S = 60.0  # and never more often (a URL signed to last less stays flagged)

Progress = tuple[int, ProbeResult]


class OutputCheckController(QObject):
    """Probe every output of the shown caster; keep its URL expiry in view. See the module."""

    started = Signal(list)  # list[Output]: every one of them is being checked
    verdict = Signal(object)  # Verdict of one output as its probe ends (tier order not judged)
    finished = Signal(list)  # list[Verdict], same order as started's outputs
    outputs_changed = Signal(list)  # list[Output]: shown URLs changed (new caster or refresh)
    policy_changed = Signal(object)  # ExpiryPolicy
    ticked = Signal()  # a second passed: countdowns moved

    def __init__(
        self,
        session: SessionController,
        casters: CasterController,
        pool: WorkerPool,
        events: EventSink,
        *,
        event_hours: float = DEFAULT_EVENT_HOURS,
        prober_factory: Callable[[], Prober] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._casters = casters
        self._pool = pool
        self._events = events
        self._prober_factory = prober_factory or (lambda: Prober(concurrency=CONCURRENCY))
        self._policy = ExpiryPolicy(*validity_from_env(), event_hours=event_hours)
        self._outputs: list[Output] = []
        self._verdicts: list[Verdict] = []
        self._prober: Prober | None = None
        self._run = 0
        self._closed = False
        self._last_auto_refresh = -1e9
        self.refresh_margin_s = REFRESH_MARGIN_S
        self.min_refresh_interval_s = MIN_REFRESH_INTERVAL_S
        self.auto_check_after_start = True
        self.tick_timer = QTimer(self)
        self.tick_timer.setObjectName("outputExpiryTick")
        self.tick_timer.setInterval(TICK_MS)
        self.tick_timer.timeout.connect(self._tick)
        casters.shown.connect(self._on_shown)
        casters.shown_cleared.connect(self._on_gone)
        casters.shown_stopped.connect(self._on_gone)
        casters.urls_refreshed.connect(self._on_refreshed)

    # --- what the view reads -----------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._prober is not None

    @property
    def outputs(self) -> list[Output]:
        return list(self._outputs)

    @property
    def verdicts(self) -> list[Verdict]:
        """The last complete check's verdicts ([] before one finished)."""
        return list(self._verdicts)

    @property
    def policy(self) -> ExpiryPolicy:
        return self._policy

    def expiries(self) -> list[UrlExpiry | None]:
        return [url_expiry(o.url, self._policy.validity_s) for o in self._outputs]

    def earliest_expiry(self) -> UrlExpiry | None:
        known = [e for e in self.expiries() if e is not None]
        return min(known, key=lambda e: e.expires_at) if known else None

    def set_event_hours(self, hours: float) -> None:
        """The event's length: URLs expiring before it ends are flagged."""
        self._policy = ExpiryPolicy(self._policy.validity_s, self._policy.assumed, hours)
        self.policy_changed.emit(self._policy)

    # --- following the shown caster ------------------------------------------------------------

    def _validity(self) -> tuple[int, bool]:
        connection = self._session.connection
        sandbox = self._session.sandbox
        if connection is not None and connection.is_sandbox and sandbox is not None:
            return sandbox.url_validity_s, False  # the sandbox knows its own domain's setting
        return validity_from_env()

    def _on_shown(self, shown: ShownCaster) -> None:
        self.cancel()
        self._verdicts = []
        self._show_outputs(shown)
        if shown.clicked_at is not None and self.auto_check_after_start:
            self.check()

    def _show_outputs(self, shown: ShownCaster) -> None:
        validity, assumed = self._validity()
        if (validity, assumed) != (self._policy.validity_s, self._policy.assumed):
            self._policy = ExpiryPolicy(validity, assumed, self._policy.event_hours)
            self.policy_changed.emit(self._policy)
        self._outputs = scene_outputs(shown.result.pvw, shown.result.pgm)
        self.outputs_changed.emit(self.outputs)
        if not self._closed and not self.tick_timer.isActive():
            self.tick_timer.start()

    def _on_refreshed(self, shown: ShownCaster) -> None:
        had_verdicts = bool(self._verdicts) or self.running
        self._show_outputs(shown)
        self._events.emit("urls_refreshed_shown", caster_id=shown.caster_id)
        if had_verdicts:
            self.check()  # the old verdicts were about the old URLs

    def _on_gone(self) -> None:
        self.cancel()
        self._outputs = []
        self._verdicts = []
        self.tick_timer.stop()
        self.outputs_changed.emit([])

    # --- checking -----------------------------------------------------------------------------

    def check(self) -> bool:
        """Probe every output now (a running check is cancelled first). False if none shown."""
        if self._closed or not self._outputs:
            return False
        self.cancel()
        self._run += 1
        run = self._run
        outputs = list(self._outputs)
        prober = self._prober_factory()
        self._prober = prober
        started = time.monotonic()
        self.started.emit(outputs)

        def job(report: Callable[[Progress], None]) -> list[ProbeResult]:
            return prober.probe_all([o.url for o in outputs], lambda i, r: report((i, r)))

        def progress(arrived: Progress) -> None:
            if run != self._run:
                return
            index, result = arrived
            one = self._judge([outputs[index]], [result])[0]
            self.verdict.emit(one)

        def done(results: list[ProbeResult]) -> None:
            if run != self._run:
                return
            self._prober = None
            self._verdicts = self._judge(outputs, results)
            flagged = {
                v.output.label: v.problems
                for v in self._verdicts
                if v.problems and set(v.problems) - {"expires-soon"}
            }
            self._events.emit(
                "outputs_checked",
                outputs=len(outputs),
                playing=sum(1 for r in results if r.playable),
                flagged=flagged,
                ms=round((time.monotonic() - started) * 1000),
            )
            self.finished.emit(self.verdicts)

        def failed(error: BaseException) -> None:
            if run == self._run:
                self._prober = None
                self._events.emit("outputs_check_failed", error=type(error).__name__)
                self.finished.emit([])

        self._pool.run_with_progress(
            job, name="check_outputs", on_progress=progress, on_result=done, on_error=failed
        )
        return True

    def _judge(self, outputs: list[Output], results: list[ProbeResult]) -> list[Verdict]:
        policy = self._policy
        return judge(outputs, results, event_hours=policy.event_hours, validity_s=policy.validity_s)

    def cancel(self) -> None:
        """Stop the running check (its probes end at their next packet); its answer is dropped."""
        prober, self._prober = self._prober, None
        if prober is not None:
            self._run += 1
            prober.cancel()

    def close(self) -> None:
        """The window is closing: cancel, stop the tick, start nothing new."""
        self._closed = True
        self.cancel()
        self.tick_timer.stop()

    # --- expiry ---------------------------------------------------------------------------------

    def _tick(self) -> None:
        self.ticked.emit()
        earliest = self.earliest_expiry()
        if earliest is None or self._closed:
            return
        now = time.time()
        due = earliest.seconds_left(now) <= self.refresh_margin_s
        rested = time.monotonic() - self._last_auto_refresh >= self.min_refresh_interval_s
        if due and rested and not self._casters.url_refresh_in_flight:
            self._last_auto_refresh = time.monotonic()
            self._casters.refresh_urls(reason="expiry")
