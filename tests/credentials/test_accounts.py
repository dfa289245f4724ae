"""Accounts: what the accounts dialog will do, with file and keychain kept in step."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.credentials import (
    Accounts,
    InvalidProfileError,
    KeychainUnavailableError,
    Profile,
    ProfileExistsError,
    ProfileStore,
    SecretMissingError,
    resolve_credentials,
    scan_external,
)
from app.credentials.keychain import SERVICE_NAME, Keychain
from tests.credentials.conftest import cli_ak, write_cli_config
from tests.memory_keyring import MemoryKeyring

SECRET = "acct-secret-0d5e2b"
TOKEN = "acct-token-CAIS-91"


@pytest.fixture
def accounts(store: ProfileStore, keychain: Keychain) -> Accounts:
    return Accounts(store, keychain)


def entries(memory_keyring: MemoryKeyring) -> dict[str, str]:
    return {
        user: value
        for (service, user), value in memory_keyring.store.items()
        if service == SERVICE_NAME
    }


def test_add_lists_presence_and_first_profile_becomes_default(
    accounts: Accounts, memory_keyring: MemoryKeyring
) -> None:
    accounts.add_profile(Profile("a", "LTAIa", "cn-shanghai"), SECRET)
    accounts.add_profile(Profile("b", "STS.b", "cn-shanghai"), "secret-b", TOKEN)
    assert entries(memory_keyring) == {
        "a:access_key_secret": SECRET,
        "b:access_key_secret": "secret-b",
        "b:sts_token": TOKEN,
    }
    info = {i.name: i for i in accounts.list_profiles()}
    assert (info["a"].secret, info["a"].sts_token, info["a"].is_default) == ("keychain", None, True)
    assert (info["b"].sts_token, info["b"].is_default) == ("keychain", False)
    assert info["b"].profile.uses_sts_token
    memory_keyring.store.pop((SERVICE_NAME, "b:sts_token"))
    info = {i.name: i for i in accounts.list_profiles()}
    assert info["b"].sts_token == "absent" and not info["b"].ready and info["a"].ready
    with pytest.raises(SecretMissingError, match="STS token"):
        resolve_credentials("b", environ={}, store=accounts.store, keychain=accounts.keychain)
    memory_keyring.locked = True
    assert {i.secret for i in accounts.list_profiles()} == {"unknown"}
    with pytest.raises(ProfileExistsError):
        accounts.add_profile(Profile("a", "LTAIa", "cn-shanghai"), SECRET)


def test_replace_secret_and_update_fields(
    accounts: Accounts, memory_keyring: MemoryKeyring
) -> None:
    accounts.add_profile(Profile("a", "LTAIa", "cn-shanghai"), SECRET)
    accounts.replace_secret("a", "new-secret")
    accounts.update_profile(Profile("a", "LTAIa2", "cn-beijing", signature_version="v1"))
    r = resolve_credentials("a", environ={}, store=accounts.store, keychain=accounts.keychain)
    assert (r.key.access_key_id, r.key.access_key_secret, r.region_id, r.signature_version) == (
        "LTAIa2",
        "new-secret",
        "cn-beijing",
        "v1",
    )
    with pytest.raises(InvalidProfileError):
        accounts.replace_secret("a", "   ")
    assert entries(memory_keyring)["a:access_key_secret"] == "new-secret"


def test_rename_moves_secrets_and_delete_removes_them(
    accounts: Accounts, memory_keyring: MemoryKeyring
) -> None:
    accounts.add_profile(Profile("old", "STS.x", "cn-shanghai"), SECRET, TOKEN)
    accounts.rename_profile("old", "new")
    assert entries(memory_keyring) == {"new:access_key_secret": SECRET, "new:sts_token": TOKEN}
    assert accounts.store.chosen_default() == "new"
    memory_keyring.locked = True
    with pytest.raises(KeychainUnavailableError):
        accounts.rename_profile("new", "newer")
    with pytest.raises(KeychainUnavailableError):
        accounts.delete_profile("new")
    assert accounts.store.names() == ["new"]  # refused: nothing changed
    memory_keyring.locked = False
    accounts.delete_profile("new")
    assert accounts.store.names() == [] and entries(memory_keyring) == {}


def test_delete_anyway_when_the_keychain_is_locked(
    accounts: Accounts, memory_keyring: MemoryKeyring
) -> None:
    accounts.add_profile(Profile("p", "LTAIp", "cn-shanghai"), SECRET)
    memory_keyring.locked = True
    accounts.delete_profile("p", even_if_keychain_unavailable=True)
    assert accounts.store.names() == []


def test_session_only_profiles_can_be_renamed_without_a_keychain(
    accounts: Accounts, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.locked = True
    accounts.add_profile(Profile("s", "LTAIs", "cn-shanghai"), SECRET, session_only=True)
    accounts.rename_profile("s", "t")
    assert accounts.keychain.presence("t") == "session"
    assert accounts.keychain.session.profiles() == ["t"]
    r = resolve_credentials(environ={}, store=accounts.store, keychain=accounts.keychain)
    assert (r.source, r.key.access_key_secret) == ("session:t", SECRET)


def test_import_from_the_cli_copies_the_secret_only_on_request(
    accounts: Accounts, home: Path, memory_keyring: MemoryKeyring
) -> None:
    write_cli_config(
        home,
        [
            cli_ak("prod", "LTAIprod", SECRET, "cn-beijing"),
            {
                "name": "tmp",
                "mode": "StsToken",
                "access_key_id": "STS.tmp",
                "access_key_secret": "sts-secret",
                "sts_token": TOKEN,
                "region_id": "cn-shanghai",
            },
        ],
        current="prod",
    )
    scan = accounts.importable(environ={}, home=home)
    assert entries(memory_keyring) == {}  # listing copies nothing
    prod, tmp = scan.profiles
    imported = accounts.import_external(prod, environ={}, home=home)
    assert (imported.name, imported.access_key_id, imported.region_id) == (
        "prod",
        "LTAIprod",
        "cn-beijing",
    )
    assert entries(memory_keyring) == {"prod:access_key_secret": SECRET}
    assert SECRET not in accounts.store.path.read_text()
    with pytest.raises(ProfileExistsError):
        accounts.import_external(prod, environ={}, home=home)
    accounts.import_external(tmp, name="temporary", region_id="cn-hangzhou", environ={}, home=home)
    r = resolve_credentials(
        "temporary", environ={}, store=accounts.store, keychain=accounts.keychain
    )
    assert (r.key.security_token, r.region_id, r.source) == (
        TOKEN,
        "cn-hangzhou",
        "profile:temporary",
    )


def test_import_from_the_environment_needs_a_region(
    accounts: Accounts, home: Path, memory_keyring: MemoryKeyring
) -> None:
    env = {"ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAIenv", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": SECRET}
    (found,) = scan_external(env, home).profiles
    with pytest.raises(InvalidProfileError, match="region"):
        accounts.import_external(found, environ=env, home=home)
    assert entries(memory_keyring) == {} and accounts.store.names() == []
    accounts.import_external(
        found, name="from env", region_id="cn-shanghai", environ=env, home=home
    )
    assert entries(memory_keyring) == {"from env:access_key_secret": SECRET}


def test_import_with_a_locked_keychain_saves_nothing_unless_session_only(
    accounts: Accounts, home: Path, memory_keyring: MemoryKeyring
) -> None:
    write_cli_config(home, [cli_ak("prod", "LTAIprod", SECRET)], current="prod")
    (prod,) = accounts.importable(environ={}, home=home).profiles
    memory_keyring.locked = True
    with pytest.raises(KeychainUnavailableError) as caught:
        accounts.import_external(prod, environ={}, home=home)
    assert caught.value.state == "locked"
    assert accounts.store.names() == []
    accounts.import_external(prod, session_only=True, environ={}, home=home)
    assert [(i.name, i.secret) for i in accounts.list_profiles()] == [("prod", "session")]
    assert memory_keyring.store == {}
