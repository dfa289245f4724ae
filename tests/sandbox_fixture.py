"""The ``sandbox`` fixture: a fresh, fully running sandbox (API + media origin) per test, and
``client``: the project's API client signed for it.

Registered for the whole suite through ``pytest_plugins`` in ``tests/conftest.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.api.client import LiveClient
from app.sandbox import Sandbox


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """A running :class:`Sandbox` with the seed casters, real rate limits and no faults.

    Fresh state for every test; stopped afterwards (no thread or socket left).
    """
    sb = Sandbox()
    sb.start()
    try:
        yield sb
    finally:
        sb.stop()


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[LiveClient]:
    """A :class:`LiveClient` with the sandbox's key, region and endpoint (closed afterwards)."""
    with LiveClient(
        sandbox.signing_key, region_id=sandbox.region_id, endpoint=sandbox.endpoint
    ) as live:
        yield live
