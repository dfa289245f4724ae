"""Suite-wide hygiene: headless Qt, an in-memory keychain, an isolated home, no leaked threads.

Area-specific fixtures live in each folder's own conftest; shared ones are listed in
``pytest_plugins`` below.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from tests.memory_keyring import MemoryKeyring

pytest_plugins = ["tests.sandbox_fixture"]

# Offscreen unless the caller chose a platform: the release workflow runs the suite on
# Windows and macOS with their own plugins ("windows", "cocoa"), which have a display there.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A subprocess started by a test must not find a real keychain either.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

_CREDENTIAL_ENV_PREFIXES = ("ALIBABA_CLOUD_", "ALIBABACLOUD_", "ALICLOUD_", "CASTERDESK_")
_CREDENTIAL_ENV_NAMES = ("ACCESS_KEY_ID", "ACCESS_KEY_SECRET", "SECURITY_TOKEN", "REGION_ID")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip tests marked ``linux_only`` elsewhere, saying why (the release workflow runs the
    suite on Windows and macOS too)."""
    if sys.platform.startswith("linux"):
        return
    for item in items:
        marker = item.get_closest_marker("linux_only")
        if marker is not None:
            reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
            item.add_marker(pytest.mark.skip(reason=f"Linux only: {reason}"))


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Every test gets a fresh, empty in-memory keychain."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point HOME and the XDG folders at a temp dir and drop credential variables."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for xdg in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(xdg, str(home / xdg.lower()))
    for name in list(os.environ):
        if name.startswith(_CREDENTIAL_ENV_PREFIXES) or name in _CREDENTIAL_ENV_NAMES:
            monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    """Fail a test that leaves a Python thread running (a sandbox, a worker, a server)."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 5.0
    while True:
        leaked = [
            t
            for t in threading.enumerate()
            if t not in before and t.is_alive() and not isinstance(t, threading._DummyThread)
        ]
        if not leaked or time.monotonic() > deadline:
            break
        leaked[0].join(0.05)
    assert not leaked, f"test left threads running: {[t.name for t in leaked]}"
