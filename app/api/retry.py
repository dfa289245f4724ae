"""When and how long to wait before retrying an idempotent (Describe*) call."""

from __future__ import annotations

import random
from dataclasses import dataclass

from app.api.errors import ApiError, LiveError, NetworkError, ProtocolError, RequestTimeoutError


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Jittered exponential backoff: at most ``max_attempts`` within ``budget_s`` seconds."""

    max_attempts: int = 3
    base_delay_s: float = 0.25
    max_delay_s: float = 2.0
    budget_s: float = 5.0

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Delay before attempt ``attempt + 1`` (``attempt`` counts from 1), full jitter."""
        ceiling = min(self.max_delay_s, self.base_delay_s * 2 ** (attempt - 1))
        return (rng or random).uniform(ceiling / 2, ceiling)


NO_RETRY = RetryPolicy(max_attempts=1)


def is_retryable(error: LiveError) -> bool:
    """Connection failures, timeouts, 5xx and throttling are worth another try."""
    if isinstance(error, NetworkError | RequestTimeoutError):
        return True
    if isinstance(error, ApiError):
        return error.is_throttling or error.http_status >= 500
    if isinstance(error, ProtocolError):
        # A 5xx answer that is not the API's JSON is usually a proxy or gateway hiccup.
        return error.http_status is not None and error.http_status >= 500
    return False
