"""Secrets never show up in repr/str, in logs, or in any file the app writes."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from app.credentials import (
    Accounts,
    CredentialsError,
    KeychainUnavailableError,
    NoCredentialsError,
    Profile,
    ProfileStore,
    SecretMissingError,
    explain,
    resolve_credentials,
    scan_external,
)
from app.credentials.keychain import Keychain
from tests.credentials.conftest import cli_ak, write_cli_config, write_ini
from tests.memory_keyring import MemoryKeyring

SECRET = "leak-check-secret-7Hq2"
TOKEN = "leak-check-token-Zp9w"
ENV_SECRET = "leak-check-env-secret-Lm4r"


def test_no_object_shows_a_secret(
    home: Path,
    store: ProfileStore,
    keychain: Keychain,
    memory_keyring: MemoryKeyring,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    accounts = Accounts(store, keychain)
    profile = accounts.add_profile(Profile("p", "STS.p", "cn-shanghai"), SECRET, TOKEN)
    write_cli_config(home, [cli_ak("cli", "LTAIcli", SECRET)], current="cli")
    write_ini(
        home / ".alibabacloud" / "credentials.ini",
        f"[default]\ntype = access_key\naccess_key_id = LTAIini\naccess_key_secret = {SECRET}\n",
    )
    env = {
        "ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAIenv",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET": ENV_SECRET,
        "ALIBABA_CLOUD_SECURITY_TOKEN": TOKEN,
    }

    objects: list[object] = [
        profile,
        accounts,
        keychain,
        keychain.session,
        keychain.get_secret("p"),
        keychain.get_secret("p", "sts_token"),
        accounts.list_profiles(),
        scan_external(env, home),
        resolve_credentials("p", environ=env, home=home, store=store, keychain=keychain),
        resolve_credentials(environ=env, home=home, store=store, keychain=keychain),
        resolve_credentials("aliyun:cli", environ=env, home=home, store=store, keychain=keychain),
        resolve_credentials("ini:default", environ=env, home=home, store=store, keychain=keychain),
    ]
    keychain.set_session_secret("s", SECRET)
    objects.append(keychain.get_secret("s"))
    memory_keyring.locked = True
    objects.append(keychain.status())
    errors: list[CredentialsError] = [
        KeychainUnavailableError("locked", "x"),
        SecretMissingError("p"),
        NoCredentialsError([]),
    ]
    for attempt in (
        lambda: accounts.add_profile(Profile("q", "LTAIq", "cn-shanghai"), SECRET),
        lambda: resolve_credentials("p", environ={}, store=store, keychain=keychain),
    ):
        with pytest.raises(CredentialsError) as caught:
            attempt()
        errors.append(caught.value)
    objects.extend(errors)

    resolved = objects[8]
    assert "STS.p" in repr(resolved) and "security_token=<set>" in repr(resolved)
    for obj in objects:
        for text in (repr(obj), str(obj)):
            for secret in (SECRET, TOKEN, ENV_SECRET):
                assert secret not in text, f"{type(obj).__name__} leaks a secret: {text}"
    for error in errors:
        assert SECRET not in explain(error, "en") and SECRET not in explain(error, "zh")
    assert caplog.records, "resolution should log which source it used"
    for record in caplog.records:
        for secret in (SECRET, TOKEN, ENV_SECRET):
            assert secret not in record.getMessage()


def test_nothing_secret_is_written_to_any_file(
    home: Path, store: ProfileStore, keychain: Keychain, memory_keyring: MemoryKeyring
) -> None:
    """Every file under HOME and the XDG dirs, after saving profiles in every way possible."""
    accounts = Accounts(store, keychain)
    accounts.add_profile(Profile("kept", "STS.k", "cn-shanghai"), SECRET, TOKEN)
    accounts.replace_secret("kept", SECRET + "-2")
    accounts.rename_profile("kept", "renamed")
    accounts.set_default("renamed")
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(KeychainUnavailableError):
        accounts.add_profile(Profile("nokc", "LTAIn", "cn-shanghai"), SECRET + "-3")
    accounts.add_profile(
        Profile("session", "LTAIs", "cn-shanghai"), SECRET + "-4", session_only=True
    )
    keyring.set_keyring(memory_keyring)
    files = [p for p in home.rglob("*") if p.is_file()]
    assert store.path in files
    for path in files:
        content = path.read_bytes()
        for secret in (SECRET, TOKEN):
            assert secret.encode() not in content, f"{path} holds a secret"
    assert set(store.names()) == {"renamed", "session"}


def test_the_credentials_package_imports_no_qt() -> None:
    code = (
        "import sys, app.credentials, app.credentials.accounts;"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'app.ui')));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stdout + result.stderr
