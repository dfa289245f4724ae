"""Per-API flow control as on the real service: a sliding one-second window per AccessKey and action.

Limits from the Live docs (reference §6.1): 10/s for the actions that change things, 15/s for the
Describe* reads. Exceeding them gives ``Throttling.User`` (HTTP 400), not 429.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Mapping

from app.api.ratelimit import ACTION_QPS

# One table of documented limits: the client paces itself by the same numbers.
DEFAULT_LIMITS: dict[str, float] = {action: float(qps) for action, qps in ACTION_QPS.items()}
WINDOW_S = 1.0


class RateLimiter:
    """Counts calls per (AccessKey, action) in the last second and refuses those over the limit.

    Thread-safe: tests change limits from their own thread while the loop thread checks them.
    A refused call does not take a slot (the real gateway counts accepted calls).
    """

    def __init__(self, limits: Mapping[str, float] | None = None, *, enabled: bool = True) -> None:
        self._lock = threading.Lock()
        self._limits: dict[str, float] = dict(DEFAULT_LIMITS)
        if limits:
            self._limits.update(limits)
        self._enabled = enabled
        self._calls: dict[tuple[str, str], deque[float]] = {}

    @property
    def enabled(self) -> bool:
        return self._enabled

    @enabled.setter
    def enabled(self, value: bool) -> None:
        with self._lock:
            self._enabled = value
            self._calls.clear()

    def limit(self, action: str) -> float | None:
        """Calls per second allowed for ``action`` (None: unlimited)."""
        with self._lock:
            return self._limits.get(action)

    def set_limit(self, action: str, per_second: float | None) -> None:
        """Change one action's limit; ``None`` removes it."""
        with self._lock:
            if per_second is None:
                self._limits.pop(action, None)
            else:
                self._limits[action] = per_second
            self._calls.clear()

    def reset(self) -> None:
        """Forget recent calls (the limits stay)."""
        with self._lock:
            self._calls.clear()

    def allow(self, access_key_id: str, action: str, now: float) -> bool:
        """Record a call at ``now`` (monotonic seconds) if it is within the limit."""
        with self._lock:
            if not self._enabled:
                return True
            limit = self._limits.get(action)
            if limit is None:
                return True
            window = self._calls.setdefault((access_key_id, action), deque())
            while window and window[0] <= now - WINDOW_S:
                window.popleft()
            if len(window) >= limit:
                return False
            window.append(now)
            return True
