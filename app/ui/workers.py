"""Background work for the GUI: run a blocking callable on a thread pool, get the answer back
on the GUI thread through a signal that carries the result (or the error) itself.

The window owns one :class:`WorkerPool`. Nothing here ever calls ``wait()`` on the GUI thread
while work runs: shutting down clears the queue and reports, through :attr:`WorkerPool.drained`,
when the last running job has finished.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QObject,
    QRunnable,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)

from app.api.errors import ApiError, LiveError, OutcomeUnknownError, StateConfirmedError
from app.api.explanations import Language
from app.credentials.errors import CredentialsError
from app.ui.i18n import ui_language

log = logging.getLogger("casterdesk.ui.workers")


@dataclass(frozen=True)
class ErrorInfo:
    """An error as the user sees it: plain summary, the fix, and the RequestId if any.

    ``code`` is the API error code, or the kind of failure (``Timeout``, ``NetworkError`` …)
    for the event log. ``detail`` is the technical one-liner (never a traceback).
    """

    summary: str
    fix: str
    request_id: str | None
    code: str
    detail: str = ""


# Marked for translation here, translated when shown (the event log keeps the English).
_UNEXPECTED = (
    str(QT_TRANSLATE_NOOP("Errors", "Something unexpected went wrong.")),
    str(
        QT_TRANSLATE_NOOP(
            "Errors", "Try again. If it keeps happening, send the log file to support."
        )
    ),
)


def error_code(error: BaseException) -> str:
    """A short machine-readable name of the failure, for the event log."""
    if isinstance(error, ApiError):
        return error.code
    if isinstance(error, StateConfirmedError | OutcomeUnknownError):
        return f"{type(error).__name__}({error_code(error.cause)})"
    return type(error).__name__


def describe_error(error: BaseException, lang: Language | None = None) -> ErrorInfo:
    """Turn any exception into words for the banner. Unknown ones get a generic sentence.

    ``lang``: ``"en"`` or ``"zh"``; by default the language the UI speaks now.
    """
    if lang is None:
        lang = ui_language()
    if isinstance(error, LiveError):
        explanation = error.explanation(lang)
        detail = explanation.detail or str(error)
        if isinstance(error, ApiError) and error.message and error.message not in detail:
            detail = f"{error.code}: {error.message}"
        elif isinstance(error, ApiError):
            detail = f"{error.code}" + (f": {detail}" if detail and detail != error.code else "")
        if error.action and not detail.startswith(error.action):
            detail = f"{error.action}: {detail}"  # which request failed, e.g. DescribeCasters
        return ErrorInfo(
            explanation.summary, explanation.fix, error.request_id, error_code(error), detail
        )
    if isinstance(error, CredentialsError):
        if lang == "zh":
            return ErrorInfo(error.message_zh, error.fix_zh, None, type(error).__name__)
        return ErrorInfo(error.message, error.fix, None, type(error).__name__)
    summary, fix = _UNEXPECTED
    if lang != "en":
        summary = QCoreApplication.translate("Errors", summary)
        fix = QCoreApplication.translate("Errors", fix)
    return ErrorInfo(
        summary,
        fix,
        None,
        type(error).__name__,
        f"{type(error).__name__}: {error}"[:300],
    )


class Task(QObject):
    """One job. ``succeeded(result)`` or ``failed(error)``, then ``finished``, on the GUI thread."""

    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()
    # Emitted from the worker thread; queued to this object's (GUI) thread.
    _done = Signal(object, object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.started_at = time.monotonic()
        self.delivered = False
        self._done.connect(self._deliver)

    @Slot(object, object)
    def _deliver(self, result: object, error: object) -> None:
        self.delivered = True
        if isinstance(error, BaseException):
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)
        self.finished.emit()


class _Runnable(QRunnable):
    def __init__(self, task: Task, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._task = task
        self._fn = fn

    def run(self) -> None:
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
        self._task = None  # type: ignore[assignment]
        self._fn = None  # type: ignore[assignment]


class WorkerPool(QObject):
    """A ``QThreadPool`` owned by one window, plus bookkeeping for a clean shutdown.

    :meth:`run` queues ``fn(*args, **kwargs)``; ``on_result`` / ``on_error`` run on the GUI
    thread. An error without an ``on_error`` goes to :attr:`unhandled_error`, so nothing fails
    silently. After :meth:`shutdown`, results are dropped and :attr:`drained` fires once no job
    is left running.
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
        self._drain_timer.setInterval(20)
        self._drain_timer.timeout.connect(self._check_drained)

    @property
    def closing(self) -> bool:
        return self._closing

    def pending(self) -> int:
        """Jobs queued or running whose answer has not been delivered yet."""
        return len(self._tasks)

    def is_idle(self) -> bool:
        return not self._tasks and self.pool.activeThreadCount() == 0

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        name: str = "",
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        owner: QObject | None = None,
        **kwargs: Any,
    ) -> Task:
        """Queue ``fn(*args, **kwargs)`` on the pool. ``owner``: drop the answer if it is gone."""
        if self._closing:
            raise RuntimeError("the worker pool is shutting down")
        task = Task(name or getattr(fn, "__name__", "job"), self)

        def alive() -> bool:
            return not self._closing and (owner is None or shiboken6.isValid(owner))

        def deliver_result(result: object) -> None:
            if alive() and on_result is not None:
                on_result(result)

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
        task.failed.connect(deliver_error)
        task.finished.connect(lambda: self._forget(task))
        self._tasks.add(task)
        self.pool.start(_Runnable(task, lambda: fn(*args, **kwargs)))
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
