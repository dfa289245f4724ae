"""What every sandbox TCP listener shares: per-connection limits, admission, and shutdown.

A slow client must not be able to starve the others. Every listener therefore caps its live
connections, gives a new request (or RTMP session setup) a deadline, and, when the cap is hit,
makes room by evicting the connection that has waited longest without a complete request: a
slowloris connection is never "busy", so a real client displaces it at once instead of queueing
behind it. Only when every slot is busy (handlers running, viewers streaming) is a newcomer
refused.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

# A client must deliver a whole request head (HTTP) or get through handshake, connect and play
# (RTMP) within this long. Loopback clients need milliseconds; 10 s leaves room for a busy host.
HEAD_TIMEOUT_S = 10.0
# Idle keep-alive connections between requests. Longer than the clients' own pool expiry
# (httpx: 5 s) so the client, not the server, normally closes, which avoids a request racing
# a server-side close.
IDLE_TIMEOUT_S = 30.0
# Per listener. One desktop client needs a few API connections and a handful of viewers; 64 is
# ample for that and for the benchmarks, while three listeners (API, HTTP media, RTMP) stay
# under macOS's default 256 open files, whose exhaustion is what really stalls accept().
MAX_CONNECTIONS = 64
# Sent with a 503 when every slot is busy.
RETRY_AFTER_S = 1


@dataclass(frozen=True, slots=True)
class ListenerLimits:
    """Time and connection limits of one listener (the defaults above; tests shorten them)."""

    head_timeout_s: float = HEAD_TIMEOUT_S
    idle_timeout_s: float = IDLE_TIMEOUT_S
    max_connections: int = MAX_CONNECTIONS

    def __post_init__(self) -> None:
        if self.head_timeout_s <= 0 or self.idle_timeout_s <= 0:
            raise ValueError("timeouts must be positive")
        if self.max_connections < 1:
            raise ValueError("max_connections must be at least 1")


class ConnectionSlots:
    """Admission control for one listener's connection tasks.

    A connection is *waiting* (evictable) while it has no complete request, and *busy* while
    it is being answered or streamed to. ``admit`` makes room for a newcomer by cancelling the
    connection that has been waiting longest; it returns False only when every slot is busy.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._live: set[asyncio.Task[None]] = set()
        # Insertion order is waiting order: the first key has waited longest.
        self._waiting: dict[asyncio.Task[None], None] = {}
        self.evicted = 0
        self.refused = 0

    def __len__(self) -> int:
        return len(self._live)

    def admit(self, task: asyncio.Task[None]) -> bool:
        """Take ``task`` in as waiting, evicting the longest waiter if the cap is reached."""
        if len(self._live) >= self.limit:
            victim = next(iter(self._waiting), None)
            if victim is None:
                self.refused += 1
                return False
            self.release(victim)
            self.evicted += 1
            victim.cancel()
        self._live.add(task)
        self._waiting[task] = None
        return True

    def busy(self, task: asyncio.Task[None]) -> None:
        """``task`` has a complete request: it may no longer be evicted."""
        self._waiting.pop(task, None)

    def waiting(self, task: asyncio.Task[None]) -> None:
        """``task`` waits for its next request: evictable again, as the newest waiter."""
        if task in self._live:
            self._waiting.pop(task, None)
            self._waiting[task] = None

    def release(self, task: asyncio.Task[None]) -> None:
        """``task`` is finished (or evicted): its slot is free."""
        self._live.discard(task)
        self._waiting.pop(task, None)


async def close_listener(
    server: asyncio.Server | None, connections: set[asyncio.Task[None]]
) -> None:
    """Stop accepting, cancel every connection task (streaming ones too) and wait for all.

    The server closes first so no new connection slips in while the others are cancelled.
    """
    if server is not None:
        server.close()
    tasks = list(connections)
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.gather(*tasks, return_exceptions=True)
    if server is not None:
        await server.wait_closed()
