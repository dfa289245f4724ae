"""A MediaOrigin on its own asyncio loop in a thread, and helpers to watch its streams."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest

from app.sandbox.media.origin import MediaOrigin

T = TypeVar("T")
PRIVATE_KEY = "media-test-private-key"


class OriginHarness:
    """Runs a ``MediaOrigin`` on a private loop; ``call`` runs a function on that loop."""

    def __init__(self, **options: Any) -> None:
        self._loop = asyncio.new_event_loop()
        self.origin = MediaOrigin(private_key=PRIVATE_KEY, **options)
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="media-origin-test", daemon=True
        )
        self._thread.start()
        try:
            self.run(self.origin.start())
        except BaseException:
            self._stop_loop()
            raise

    def run(self, coroutine: Any, timeout: float = 10.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        async def invoke() -> T:
            return fn(*args, **kwargs)

        result: T = self.run(invoke())
        return result

    def url(self, kind: str, name: str) -> str:
        return str(self.call(getattr(self.origin, f"{kind}_url"), name))

    def viewers(self, name: str) -> int:
        return self.call(self.origin.viewer_count, name)

    def close(self) -> None:
        try:
            self.run(self.origin.close())
        finally:
            self._stop_loop()

    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()


@pytest.fixture
def origin() -> Iterator[OriginHarness]:
    harness = OriginHarness()
    try:
        yield harness
    finally:
        harness.close()


def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``predicate`` until it holds; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)
