"""Errors as the user sees them: plain words, the fix and the RequestId.

:func:`describe_error` turns any exception from a job into an :class:`ErrorInfo`; the banner
shows it and the event log keeps its English wording.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.api.errors import ApiError, LiveError, OutcomeUnknownError, StateConfirmedError
from app.api.explanations import Language
from app.credentials.errors import CredentialsError
from app.ui.i18n import ui_language

log = logging.getLogger("casterdesk.ui.window")


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


@dataclass(frozen=True)
class Problem:
    """Something to tell the user in the error banner, from a controller.

    ``context`` ("Could not start “X”") is called whenever the banner is worded, so a language
    switch re-words it. Either ``error`` (an exception, described by :func:`describe_error`) or
    ``info`` (a problem that is no exception: not connected yet, nothing selected) is set.
    ``origin`` names the operation, so that e.g. a later successful refresh may dismiss it;
    ``caster_id`` the caster it is about, so that it goes when another caster is selected.
    """

    context: Callable[[], str]
    error: BaseException | None = None
    info: Callable[[], ErrorInfo] | None = None
    origin: str = ""
    caster_id: str | None = None

    def describe(self, lang: Language | None = None) -> ErrorInfo:
        if self.info is not None:
            return self.info()
        assert self.error is not None
        return describe_error(self.error, lang)


def record_error(emit: Callable[..., object], context: str, error: BaseException) -> ErrorInfo:
    """Log an error that is being shown and record it as ``error_shown``, both in English.

    ``emit``: the event log's ``emit``. Returns the English :class:`ErrorInfo`.
    """
    info = describe_error(error, "en")
    log.warning(
        "%s: %s (%s, RequestId %s)",
        context,
        info.detail or info.summary,
        info.code,
        info.request_id,
    )
    emit(
        "error_shown",
        context=context,
        code=info.code,
        request_id=info.request_id,
        summary=info.summary,
    )
    return info
