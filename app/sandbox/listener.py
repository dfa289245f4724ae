"""Shutting down an asyncio TCP listener together with the connections it accepted."""

from __future__ import annotations

import asyncio


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
