"""The keychain facade: missing vs locked, re-checked on every call, session-only fallback."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringError, PasswordSetError

from app.credentials import (
    Accounts,
    KeychainUnavailableError,
    Profile,
    ProfileStore,
    explain,
    keychain_summary,
    resolve_credentials,
)
from app.credentials.keychain import SERVICE_NAME, Keychain, SessionStore, describe_backend
from tests.memory_keyring import MemoryKeyring

SECRET = "kc-secret-4e1f9a"
TOKEN = "kc-token-CAIS-0b7d"


class EmptyChainer(chainer.ChainerBackend):
    """A chainer that found nothing to chain (what keyring picks on a bare Linux box)."""

    backends: ClassVar[list[KeyringBackend]] = []


class PlaintextKeyring(MemoryKeyring):
    """Stands in for keyrings.alt's plain-text file backend, which must be refused."""


class BrokenKeyring(MemoryKeyring):
    """A backend failing with some message, like a D-Bus or Secret Service error."""

    message = "Failed to unlock the collection!"

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringError(self.message)

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError(f"{self.message} while storing {password}")


@pytest.mark.parametrize(
    "backend", [fail.Keyring(), null.Keyring(), EmptyChainer()], ids=["fail", "null", "chainer"]
)
def test_no_usable_backend_is_missing(backend: KeyringBackend) -> None:
    keyring.set_keyring(backend)  # conftest restores the previous backend
    kc = Keychain(session=SessionStore())
    status = kc.status()
    assert status.state == "missing"
    assert not status.available
    assert type(backend).__qualname__ in status.backend
    with pytest.raises(KeychainUnavailableError) as caught:
        kc.set_secret("p", SECRET)
    assert caught.value.state == "missing"
    assert "No system keychain was found" in caught.value.message
    # The backend's class is for the log (the error keeps it), not for the user's eyes.
    assert type(backend).__qualname__ in caught.value.backend
    assert "keyring" not in caught.value.message.lower()
    with pytest.raises(KeychainUnavailableError):
        kc.get_secret("p")
    assert kc.presence("p") == "unknown"


def test_locked_is_reported_differently_from_missing(memory_keyring: MemoryKeyring) -> None:
    kc = Keychain(session=SessionStore())
    memory_keyring.locked = True
    locked = kc.status()
    assert locked.state == "locked"
    locked_error = locked.error()
    assert locked_error is not None
    keyring.set_keyring(fail.Keyring())
    missing_error = kc.status().error()
    assert missing_error is not None
    assert (locked_error.state, missing_error.state) == ("locked", "missing")
    assert locked_error.message == "The system keychain is locked."
    assert "Unlock it" in locked_error.fix and "Unlock" not in missing_error.fix
    assert "Install/enable one" in missing_error.fix
    assert locked_error.message_zh != missing_error.message_zh
    assert "锁定" in locked_error.message_zh and "未找到" in missing_error.message_zh
    for error in (locked_error, missing_error):
        assert "session-only" in error.fix
        assert "仅本次会话" in explain(error, "zh")


def test_status_is_checked_again_on_every_call(memory_keyring: MemoryKeyring) -> None:
    kc = Keychain(session=SessionStore())  # one facade for the whole test
    assert kc.status().available
    kc.set_secret("p", SECRET)
    memory_keyring.locked = True
    assert kc.status().state == "locked"
    with pytest.raises(KeychainUnavailableError, match="locked"):
        kc.get_secret("p")
    with pytest.raises(KeychainUnavailableError, match="locked"):
        kc.set_secret("p", "other")
    assert kc.presence("p") == "unknown"
    memory_keyring.locked = False
    assert kc.status().available
    stored = kc.get_secret("p")
    assert stored is not None and (stored.value, stored.where) == (SECRET, "keychain")
    # The backend itself can change under a long-lived facade, too.
    keyring.set_keyring(null.Keyring())
    assert kc.status().state == "missing"
    keyring.set_keyring(memory_keyring)
    assert kc.presence("p") == "keychain"


def test_secrets_are_stored_under_the_documented_names(memory_keyring: MemoryKeyring) -> None:
    kc = Keychain(session=SessionStore())
    kc.set_secret("studio A", f"  {SECRET}\n")  # pasted with whitespace
    kc.set_secret("studio A", TOKEN, "sts_token")
    assert memory_keyring.store == {
        (SERVICE_NAME, "studio A:access_key_secret"): SECRET,
        (SERVICE_NAME, "studio A:sts_token"): TOKEN,
    }
    kc.delete_secret("studio A", "sts_token")
    kc.delete_secret("studio A", "sts_token")  # deleting twice is fine
    assert kc.presence("studio A", "sts_token") == "absent"
    assert kc.presence("studio A") == "keychain"


def test_session_only_credentials_work_without_a_keychain(
    memory_keyring: MemoryKeyring, store: ProfileStore
) -> None:
    memory_keyring.locked = True
    kc = Keychain()  # the process-wide session store: other facades see it too
    accounts = Accounts(store, kc)
    profile = Profile("live", "LTAIlive", "cn-shanghai")
    with pytest.raises(KeychainUnavailableError):
        accounts.add_profile(profile, SECRET)
    assert store.list_profiles() == []  # refused secret: nothing saved
    accounts.add_profile(profile, SECRET, session_only=True)
    assert kc.presence("live") == "session"
    r = resolve_credentials(environ={}, store=store, keychain=Keychain())
    assert (r.source, r.key.access_key_secret) == ("session:live", SECRET)
    assert memory_keyring.store == {}  # never reached the keychain
    # Once the keychain is back, storing there moves the secret out of memory.
    memory_keyring.locked = False
    accounts.replace_secret("live", SECRET)
    assert kc.presence("live") == "keychain"
    assert resolve_credentials(environ={}, store=store).source == "profile:live"


def test_no_keychain_never_means_plain_text(
    store: ProfileStore, isolated_home: Path, memory_keyring: MemoryKeyring
) -> None:
    keyring.set_keyring(PlaintextKeyring())
    kc = Keychain(session=SessionStore())
    status = kc.status()
    assert (status.state, status.detail) == ("missing", "plain-text storage is refused")
    keyring.set_keyring(fail.Keyring())
    accounts = Accounts(store, kc)
    with pytest.raises(KeychainUnavailableError):
        accounts.add_profile(Profile("p", "LTAIp", "cn-shanghai"), SECRET)
    accounts.add_profile(Profile("q", "LTAIq", "cn-shanghai"), SECRET, session_only=True)
    written = [p for p in isolated_home.rglob("*") if p.is_file()]
    assert store.path in written
    for path in written:
        assert SECRET.encode() not in path.read_bytes(), path


def test_other_backend_errors_become_typed_and_scrubbed(memory_keyring: MemoryKeyring) -> None:
    kc = Keychain(backend=BrokenKeyring(), session=SessionStore())
    assert kc.status().state == "locked"  # "Failed to unlock" reads as locked
    BrokenKeyring.message = "D-Bus connection refused"
    try:
        status = kc.status()
        assert status.state == "failed"
        assert "D-Bus connection refused" in status.detail
        with pytest.raises(KeychainUnavailableError) as caught:
            kc.set_secret("p", SECRET)
        assert caught.value.state == "failed"
        assert SECRET not in caught.value.detail and "<redacted>" in caught.value.detail
        assert SECRET not in str(caught.value) and SECRET not in repr(caught.value)
        assert caught.value.__cause__ is None and caught.value.__suppress_context__
    finally:
        BrokenKeyring.message = "Failed to unlock the collection!"


def test_backend_name_for_the_startup_log(memory_keyring: MemoryKeyring) -> None:
    assert describe_backend() == "tests.memory_keyring.MemoryKeyring"
    assert (
        keychain_summary()
        == "keychain available; keyring backend: tests.memory_keyring.MemoryKeyring"
    )
    memory_keyring.locked = True
    assert keychain_summary().startswith("keychain locked")
    keyring.set_keyring(fail.Keyring())
    assert keychain_summary().startswith(
        "keychain missing (no recommended backend is available); keyring backend: "
        "keyring.backends.fail.Keyring"
    )


class DeniedKeyring(MemoryKeyring):
    """Raises KeyringLocked with a message that never says "locked" (macOS's wording)."""

    def get_password(self, service: str, username: str) -> str | None:
        from keyring.errors import KeyringLocked

        raise KeyringLocked("Can't get password from keychain: interaction not allowed")


def test_keyring_locked_is_locked_whatever_its_message_says() -> None:
    kc = Keychain(backend=DeniedKeyring(), session=SessionStore())
    assert kc.status().state == "locked"
    with pytest.raises(KeychainUnavailableError) as caught:
        kc.get_secret("p")
    assert caught.value.state == "locked"
    assert caught.value.message == "The system keychain is locked."
