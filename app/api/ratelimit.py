"""A thread-safe sliding-window limiter that keeps the client under the API's per-action QPS."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class SlidingWindowLimiter:
    """At most ``rate`` requests can have arrived at the server in any ``window`` seconds.

    The server stamps a request somewhere between our send and the answer's arrival, and we
    cannot know where: a loaded machine or a slow network can hold a request back and then
    deliver it together with the next ones. So a request holds its slot while in flight and
    frees it one window after its answer came back. Whatever the delays, two requests that
    share a slot are then at least one window apart on the server's clock too. The cost is one
    round trip per slot, which at 15/s and ~50 ms is small.
    """

    def __init__(
        self,
        rate: int,
        window: float = 1.0,
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
        self._done: deque[float] = deque()  # when answers arrived, oldest first
        self._in_flight = 0
        self._lock = threading.Lock()

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Wait for a free slot, hold it for the request, and start its window when it ends."""
        self._take()
        try:
            yield
        finally:
            with self._lock:
                self._in_flight -= 1
                self._done.append(self._clock())

    def _take(self) -> None:
        while True:
            with self._lock:
                now = self._clock()
                while self._done and now - self._done[0] >= self.window:
                    self._done.popleft()
                if self._in_flight + len(self._done) < self.rate:
                    self._in_flight += 1
                    return
                # All slots busy: the next one frees a window after the oldest answer, or
                # when an in-flight request ends (then another look is cheap).
                wait = self.window - (now - self._done[0]) if self._done else 0.01
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
