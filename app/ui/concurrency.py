"""Background work for the GUI: run a blocking callable on a thread pool, get the answer back
on the GUI thread through a signal that carries the result (or the error) itself.

One idiom for every job: :meth:`WorkerPool.run` takes a callable without arguments and typed
``on_result`` / ``on_error`` / ``on_progress`` callbacks, all called on the GUI thread. Progress
(pages of a listing, for example) is reported by the job through the ``report`` callable that
:meth:`WorkerPool.run_with_progress` hands it; reports arrive in order, before the result.

The application owns one :class:`WorkerPool`. Nothing here ever calls ``wait()`` on the GUI
thread while work runs: shutting down clears the queue and reports, through
:attr:`WorkerPool.drained`, when the last running job has finished.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from typing import Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

log = logging.getLogger("casterdesk.ui.workers")

T = TypeVar("T")
P = TypeVar("P")

Report = Callable[[object], None]


class Task(QObject):
    """One job. ``succeeded(result)`` or ``failed(error)``, then ``finished``, on the GUI thread.

    ``progressed(value)`` may come any number of times before them.
    """

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(object)
    finished = Signal()
    # Emitted from the worker thread; queued to this object's (GUI) thread.
    _done = Signal(object, object)
    _progress = Signal(object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.started_at = time.monotonic()
        self.delivered = False
        self._done.connect(self._deliver)
        self._progress.connect(self.progressed)

    def report(self, value: object) -> None:
        """Any thread: hand ``value`` to the GUI thread as ``progressed``."""
        with contextlib.suppress(RuntimeError):  # the task was deleted: nobody listens
            self._progress.emit(value)

    @Slot(object, object)
    def _deliver(self, result: object, error: object) -> None:
        self.delivered = True
        if isinstance(error, BaseException):
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)
        self.finished.emit()


class _Runnable(QRunnable):
    def __init__(self, task: Task, fn: Callable[[], object]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._task: Task | None = task
        self._fn: Callable[[], object] | None = fn

    def run(self) -> None:
        assert self._task is not None and self._fn is not None
        result: object = None
        error: BaseException | None = None
        try:
            result = self._fn()
        except Exception as exc:  # every failure goes back to the GUI as a value
            error = exc
        try:
            self._task._done.emit(result, error)
        except RuntimeError:  # the task's owner is gone (window closed): nobody to tell
            log.debug("worker %s finished after its task was deleted", self._task)
        self._task = None
        self._fn = None


class ThreadRelay(QObject, Generic[T]):
    """Calls ``receiver(value)`` on the GUI thread for each :meth:`send` from any thread.

    For callbacks that are not jobs (a client's per-call hook, for example).
    """

    _carry = Signal(object)

    def __init__(self, receiver: Callable[[T], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._receiver = receiver
        self._carry.connect(self._deliver)

    def send(self, value: T) -> None:
        with contextlib.suppress(RuntimeError):  # the relay was deleted meanwhile
            self._carry.emit(value)

    @Slot(object)
    def _deliver(self, value: object) -> None:
        self._receiver(value)  # type: ignore[arg-type]  # sent as T by send()


class WorkerPool(QObject):
    """A ``QThreadPool`` plus bookkeeping for a clean shutdown.

    An error without an ``on_error`` goes to :attr:`unhandled_error` (job name, error), so
    nothing fails silently; the name is for the log, never for the user. After
    :meth:`shutdown`, answers are dropped and :attr:`drained` fires once no job is left running.
    """

    unhandled_error = Signal(str, object)
    drained = Signal()

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self.pool.setExpiryTimeout(2000)
        self._tasks: set[Task] = set()
        self._closing = False
        self._drained_emitted = False
        self._drain_timer = QTimer(self)
        self._drain_timer.setObjectName("poolDrain")
        self._drain_timer.setInterval(20)
        self._drain_timer.timeout.connect(self._check_drained)

    @property
    def closing(self) -> bool:
        return self._closing

    def pending(self) -> int:
        """Jobs queued or running whose answer has not been delivered yet."""
        return len(self._tasks)

    def active_threads(self) -> int:
        return self.pool.activeThreadCount()

    def is_idle(self) -> bool:
        return not self._tasks and self.pool.activeThreadCount() == 0

    def run(
        self,
        fn: Callable[[], T],
        *,
        name: str,
        on_result: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        owner: QObject | None = None,
    ) -> Task:
        """Queue ``fn()`` on the pool. ``owner``: drop the answer if that object is gone."""
        return self._start(fn, None, name, on_result, on_error, None, owner)

    def run_with_progress(
        self,
        fn: Callable[[Callable[[P], None]], T],
        *,
        name: str,
        on_progress: Callable[[P], None],
        on_result: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        owner: QObject | None = None,
    ) -> Task:
        """Queue ``fn(report)``; each ``report(value)`` reaches ``on_progress`` on the GUI thread."""
        return self._start(None, fn, name, on_result, on_error, on_progress, owner)

    def _start(
        self,
        plain: Callable[[], T] | None,
        reporting: Callable[[Callable[[P], None]], T] | None,
        name: str,
        on_result: Callable[[T], None] | None,
        on_error: Callable[[BaseException], None] | None,
        on_progress: Callable[[P], None] | None,
        owner: QObject | None,
    ) -> Task:
        if self._closing:
            raise RuntimeError("the worker pool is shutting down")
        task = Task(name, self)

        def alive() -> bool:
            return not self._closing and (owner is None or shiboken6.isValid(owner))

        def deliver_result(result: T) -> None:
            if alive() and on_result is not None:
                on_result(result)

        def deliver_progress(value: P) -> None:
            if alive() and on_progress is not None:
                on_progress(value)

        def deliver_error(error: object) -> None:
            assert isinstance(error, BaseException)
            if not alive():
                log.info("%s failed after shutdown: %s", task.name, type(error).__name__)
                return
            if on_error is not None:
                on_error(error)
            else:
                self.unhandled_error.emit(task.name, error)

        task.succeeded.connect(deliver_result)
        task.progressed.connect(deliver_progress)
        task.failed.connect(deliver_error)
        task.finished.connect(lambda: self._forget(task))
        self._tasks.add(task)
        if reporting is not None:
            job: Callable[[], object] = lambda: reporting(task.report)  # noqa: E731
        else:
            assert plain is not None
            job = plain
        self.pool.start(_Runnable(task, job))
        return task

    def _forget(self, task: Task) -> None:
        self._tasks.discard(task)
        task.deleteLater()
        if self._closing:
            self._check_drained()

    def shutdown(self) -> None:
        """Drop queued jobs, ignore late answers, and emit :attr:`drained` once none runs."""
        if self._closing:
            return
        self._closing = True
        self.pool.clear()  # jobs not started yet never will
        self._drain_timer.start()
        self._check_drained()

    @Slot()
    def _check_drained(self) -> None:
        if not self._closing or self.pool.activeThreadCount() > 0:
            return
        self._drain_timer.stop()
        # Answers still queued for delivery are dropped: the window is going away.
        for task in list(self._tasks):
            task.deleteLater()
        self._tasks.clear()
        if not self._drained_emitted:
            self._drained_emitted = True
            self.drained.emit()
