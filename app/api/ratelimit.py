"""A thread-safe sliding-window limiter that keeps the client under the API's per-action QPS."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class SlidingWindowLimiter:
    """At most ``rate`` acquisitions in any ``window`` seconds.

    The window is a little longer than the server's one second so that network jitter,
    which can bunch requests together on arrival, does not push a burst over the limit.
    """

    def __init__(
        self,
        rate: int,
        window: float = 1.05,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate < 1:
            raise ValueError("rate must be at least 1")
        self.rate = rate
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self._stamps: deque[float] = deque()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Block until one more request fits in the window, then record it."""
        while True:
            with self._lock:
                now = self._clock()
                while self._stamps and now - self._stamps[0] >= self.window:
                    self._stamps.popleft()
                if len(self._stamps) < self.rate:
                    self._stamps.append(now)
                    return
                wait = self.window - (now - self._stamps[0])
            self._sleep(max(wait, 0.001))


# Documented per-user QPS (reference §6.1).
ACTION_QPS: dict[str, int] = {
    "StartCaster": 10,
    "StopCaster": 10,
    "CopyCasterSceneConfig": 10,
    "DescribeCasters": 15,
    "DescribeCasterScenes": 15,
    "DescribeCasterStreamUrl": 15,
    "DescribeCasterConfig": 15,
    "DescribeCasterLayouts": 15,
    "DescribeCasterVideoResources": 15,
    "UpdateCasterSceneConfig": 10,
    "EffectCasterUrgent": 10,
}
