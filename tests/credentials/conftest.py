"""Fixtures for credential tests: files in the isolated home, a fresh session store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.credentials.keychain import Keychain, SessionStore, process_session_store
from app.credentials.profiles import ProfileStore


@pytest.fixture(autouse=True)
def clean_process_session() -> Iterator[None]:
    """Session-only secrets live for the process; no test may see another's."""
    process_session_store().clear()
    yield
    process_session_store().clear()


@pytest.fixture
def home(isolated_home: Path) -> Path:
    """The isolated HOME (also what ``Path.home()`` returns during the test)."""
    return isolated_home


@pytest.fixture
def store() -> ProfileStore:
    """A profile store at its real default path, which lies inside the isolated XDG dirs."""
    return ProfileStore()


@pytest.fixture
def keychain() -> Keychain:
    """A keychain facade over the test's in-memory keyring, with its own session store."""
    return Keychain(session=SessionStore())


def write_cli_config(home: Path, profiles: list[dict[str, Any]], current: str | None) -> Path:
    """Write ``~/.aliyun/config.json`` the way the aliyun CLI lays it out."""
    path = home / ".aliyun" / "config.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"current": current, "profiles": profiles, "meta_path": ""}))
    return path


def cli_ak(name: str, key_id: str, secret: str, region: str = "cn-hangzhou") -> dict[str, Any]:
    """An AK-mode aliyun CLI profile."""
    return {
        "name": name,
        "mode": "AK",
        "access_key_id": key_id,
        "access_key_secret": secret,
        "region_id": region,
        "output_format": "json",
        "language": "en",
    }


def write_ini(path: Path, text: str) -> Path:
    """Write a credentials.ini file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path
