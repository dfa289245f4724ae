"""Fixtures for the sandbox's own tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.sandbox import Sandbox


@pytest.fixture
def api_sandbox() -> Iterator[Sandbox]:
    """API only (URLs signed, no video served) and no flow control: for functional API tests
    that send more than 10-15 calls a second. Rate limits have their own tests."""
    with Sandbox(media=False, rate_limits=False) as sb:
        yield sb
