"""Runs a MediaOrigin in its own process, for measuring its CPU cost apart from the clients.

Protocol on stdin/stdout, one line each: it prints ``{"http": P, "rtmp": P}`` once listening, then
answers ``publish <name> <rendition>`` with ``ok``, ``url <kind> <name>`` with the URL, ``cpu``
with its process CPU seconds, ``viewers <name>`` with the count, and exits on ``quit`` or EOF.
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from app.sandbox.media.origin import MediaOrigin

PRIVATE_KEY = "cost-measurement-key"


def main() -> None:
    loop = asyncio.new_event_loop()
    origin = MediaOrigin(private_key=PRIVATE_KEY)
    thread = threading.Thread(target=loop.run_forever, name="origin-loop")
    thread.start()

    def call(fn: Callable[..., Any], *args: Any) -> Any:
        async def invoke() -> Any:
            return fn(*args)

        return asyncio.run_coroutine_threadsafe(invoke(), loop).result()

    asyncio.run_coroutine_threadsafe(origin.start(), loop).result()
    print(json.dumps({"http": origin.http_port, "rtmp": origin.rtmp_port}), flush=True)
    try:
        for line in sys.stdin:
            words = line.split()
            if not words or words[0] == "quit":
                break
            if words[0] == "publish":
                call(origin.publish, words[1], words[2])
                answer = "ok"
            elif words[0] == "url":
                answer = call(getattr(origin, f"{words[1]}_url"), words[2])
            elif words[0] == "cpu":
                answer = repr(time.process_time())
            elif words[0] == "viewers":
                answer = str(call(origin.viewer_count, words[1]))
            else:
                answer = "?"
            print(answer, flush=True)
    finally:
        asyncio.run_coroutine_threadsafe(origin.close(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()


if __name__ == "__main__":
    main()
