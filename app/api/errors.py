"""One error hierarchy for everything that can go wrong talking to the Live API.

``LiveError`` is the root. The UI and CLI catch it, never bare exceptions, and show
``explanation()`` (plain language plus the fix) together with the RequestId when there is one.
"""

from __future__ import annotations

from app.api.explanations import (
    Audience,
    Explanation,
    Language,
    explain_action,
    explain_transport,
)


class LiveError(Exception):
    """Base of every failure raised by ``app.api``.

    ``action`` names the API action that failed (set by the client for every failure of a
    call), so a message can say what was being done.
    """

    request_id: str | None = None
    action: str | None = None

    def explanation(self, lang: Language = "en", audience: Audience = "gui") -> Explanation:
        return explain_transport("protocol", str(self), lang, audience)


class ApiError(LiveError):
    """The service answered with an error body (``Code``, ``Message``, ``RequestId`` …)."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        http_status: int,
        request_id: str | None = None,
        recommend: str | None = None,
        host_id: str | None = None,
        action: str | None = None,
    ) -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message
        self.http_status = http_status
        self.request_id = request_id
        self.recommend = recommend
        self.host_id = host_id
        self.action = action

    def explanation(self, lang: Language = "en", audience: Audience = "gui") -> Explanation:
        return explain_action(
            self.action,
            self.code,
            message=self.message,
            http_status=self.http_status,
            lang=lang,
            audience=audience,
        )

    @property
    def is_throttling(self) -> bool:
        return self.code == "Throttling" or self.code.startswith("Throttling.")

    def __repr__(self) -> str:
        return (
            f"ApiError(code={self.code!r}, http_status={self.http_status}, "
            f"request_id={self.request_id!r})"
        )


class TransportError(LiveError):
    """No usable answer came back: the network, a timeout, or a body that is not the API's."""

    kind = "network"

    def __init__(
        self,
        detail: str,
        *,
        request_id: str | None = None,
        http_status: int | None = None,
        maybe_processed: bool = False,
        action: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.request_id = request_id
        self.action = action
        self.http_status = http_status
        # True once the request may have reached the server: a state change may have happened.
        self.maybe_processed = maybe_processed

    def explanation(self, lang: Language = "en", audience: Audience = "gui") -> Explanation:
        return explain_transport(self.kind, self.detail, lang, audience)


class NetworkError(TransportError):
    """Could not connect, or the connection broke (reset, refused, DNS, TLS)."""

    kind = "network"


class RequestTimeoutError(TransportError):
    """No answer within the timeout."""

    kind = "timeout"


class ProtocolError(TransportError):
    """An answer came, but it is not a valid API response (not JSON, truncated, wrong shape)."""

    kind = "protocol"


class OutcomeUnknownError(LiveError):
    """A state-changing call may or may not have happened, and re-reading the state failed too.

    ``cause`` is the original failure; ``reread_error`` the failure of the re-read.
    """

    def __init__(self, action: str, cause: LiveError, reread_error: LiveError) -> None:
        super().__init__(f"{action}: outcome unknown ({cause}); re-read failed ({reread_error})")
        self.action = action
        self.cause = cause
        self.reread_error = reread_error
        self.request_id = cause.request_id

    def explanation(self, lang: Language = "en", audience: Audience = "gui") -> Explanation:
        return explain_transport("unknown_outcome", str(self.cause), lang, audience)


class StateConfirmedError(LiveError):
    """A state-changing call got no clear answer; a re-read showed it did not take effect.

    ``streaming`` is the caster's state as re-read, so the caller can say "still idle" or
    "still streaming" and that trying again is safe.
    """

    def __init__(self, action: str, cause: LiveError, *, streaming: bool) -> None:
        super().__init__(f"{action}: no clear answer ({cause}); the caster did not change")
        self.action = action
        self.cause = cause
        self.streaming = streaming
        self.request_id = cause.request_id

    def explanation(self, lang: Language = "en", audience: Audience = "gui") -> Explanation:
        kind = "still_streaming" if self.streaming else "still_idle"
        return explain_transport(kind, str(self.cause), lang, audience)


class ConfigurationError(LiveError):
    """The client was set up wrongly (for example a plain-HTTP endpoint that is not loopback)."""

    def __init__(self, detail: str, fix: str, *, detail_zh: str = "", fix_zh: str = "") -> None:
        super().__init__(detail)
        self._explanation = {
            "en": Explanation(detail, fix),
            "zh": Explanation(detail_zh or detail, fix_zh or fix),
        }

    def explanation(self, lang: Language = "en", audience: Audience = "gui") -> Explanation:
        return self._explanation[lang]


class SceneNotChangedError(LiveError):
    """A scene-changing call got no clear answer; re-reading the scenes showed no change.

    ``scenes`` is the re-read (``app.api.models.CasterScenes``), so the caller can show what is
    on PVW and PGM now; trying again is safe.
    """

    def __init__(self, action: str, cause: LiveError, scenes: object) -> None:
        super().__init__(f"{action}: no clear answer ({cause}); the scenes did not change")
        self.action = action
        self.cause = cause
        self.scenes = scenes
        self.request_id = cause.request_id

    def explanation(self, lang: Language = "en", audience: Audience = "gui") -> Explanation:
        return explain_transport("scene_unchanged", str(self.cause), lang, audience)


class StandbyUnconfirmedError(LiveError):
    """EffectCasterUrgent got no clear answer, PGM is running, and the API has no way to read
    whether it is on standby. Pressing Standby again is harmless (it only cuts to standby)."""

    def __init__(self, cause: LiveError, scenes: object) -> None:
        super().__init__(f"EffectCasterUrgent: no clear answer ({cause}); standby state unknown")
        self.action = "EffectCasterUrgent"
        self.cause = cause
        self.scenes = scenes
        self.request_id = cause.request_id

    def explanation(self, lang: Language = "en", audience: Audience = "gui") -> Explanation:
        return explain_transport("standby_unknown", str(self.cause), lang, audience)
