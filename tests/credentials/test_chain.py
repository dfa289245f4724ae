"""resolve_credentials: the documented order, layer by layer, with real files and keyring."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from app.credentials import (
    Accounts,
    ExternalProfileError,
    NoCredentialsError,
    Profile,
    ProfileNotFoundError,
    ProfileStore,
    resolve_credentials,
)
from app.credentials.keychain import Keychain
from tests.credentials.conftest import cli_ak, write_cli_config, write_ini
from tests.memory_keyring import MemoryKeyring

ENV_ID, ENV_SECRET = "LTAIenv0000000001", "env-secret-5b1d"
PROFILE_ID, PROFILE_SECRET = "LTAIdesk000000001", "desk-secret-9c2e"
CLI_ID, CLI_SECRET = "LTAIcli0000000001", "cli-secret-3f7a"
CLI_OTHER_ID, CLI_OTHER_SECRET = "LTAIcli0000000002", "cli-other-secret-8d4b"
STS_ID, STS_SECRET, STS_TOKEN = "STS.NUabc", "sts-secret-1a2b", "sts-token-CAIS-77"
INI_ID, INI_SECRET = "LTAIini0000000001", "ini-secret-6e0c"
INI_OTHER_ID, INI_OTHER_SECRET = "LTAIini0000000002", "ini-other-secret-2c9d"

INI_TEXT = f"""
[default]
type = access_key                  # the SDK strips text after '#'
access_key_id = {INI_ID}
access_key_secret = {INI_SECRET}

[other]
type = access_key
access_key_id = {INI_OTHER_ID}
access_key_secret = {INI_OTHER_SECRET}

[role]
type = ram_role_arn
access_key_id = LTAIrole
access_key_secret = role-secret
role_arn = acs:ram::1:role/x
"""


def write_all_cli(home: Path) -> Path:
    return write_cli_config(
        home,
        [
            cli_ak("main", CLI_ID, CLI_SECRET, "cn-beijing"),
            cli_ak("other", CLI_OTHER_ID, CLI_OTHER_SECRET, "ap-southeast-1"),
            {
                "name": "sts",
                "mode": "StsToken",
                "access_key_id": STS_ID,
                "access_key_secret": STS_SECRET,
                "sts_token": STS_TOKEN,
                "region_id": "cn-shenzhen",
            },
            {
                "name": "role",
                "mode": "RamRoleArn",
                "access_key_id": "LTAIrole",
                "access_key_secret": "role-secret",
                "ram_role_arn": "acs:ram::1:role/x",
                "ram_session_name": "s",
            },
        ],
        current="main",
    )


@pytest.fixture
def everything(home: Path, store: ProfileStore, keychain: Keychain) -> dict[str, str]:
    """Env, a Caster Desk default profile, the CLI config and credentials.ini, all present."""
    write_all_cli(home)
    write_ini(home / ".alibabacloud" / "credentials.ini", INI_TEXT)
    Accounts(store, keychain).add_profile(
        Profile("work", PROFILE_ID, "cn-shanghai", "live.aliyuncs.com", "v1"), PROFILE_SECRET
    )
    return {"ALIBABA_CLOUD_ACCESS_KEY_ID": ENV_ID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": ENV_SECRET}


def test_each_layer_wins_in_order_and_removing_it_falls_to_the_next(
    everything: dict[str, str], home: Path, store: ProfileStore, keychain: Keychain
) -> None:
    env = everything

    def resolve() -> tuple[str, str, str]:
        r = resolve_credentials(environ=env, home=home, store=store, keychain=keychain)
        return r.source, r.key.access_key_id, r.key.access_key_secret

    assert resolve() == ("env", ENV_ID, ENV_SECRET)
    env.clear()
    assert resolve() == ("profile:work", PROFILE_ID, PROFILE_SECRET)
    Accounts(store, keychain).delete_profile("work")
    assert resolve() == ("aliyun-cli:main", CLI_ID, CLI_SECRET)
    (home / ".aliyun" / "config.json").unlink()
    assert resolve() == ("ini:default", INI_ID, INI_SECRET)
    (home / ".alibabacloud" / "credentials.ini").unlink()
    with pytest.raises(NoCredentialsError) as caught:
        resolve()
    tried = [a.source for a in caught.value.tried]
    assert tried == [
        "environment variables",
        "Caster Desk profiles",
        "aliyun CLI config",
        "credentials.ini",
    ]
    assert "config.json does not exist" in caught.value.message
    assert "credentials.ini does not exist" in caught.value.message


def test_profile_fields_travel_with_the_credentials(
    everything: dict[str, str], home: Path, store: ProfileStore, keychain: Keychain
) -> None:
    r = resolve_credentials(environ={}, home=home, store=store, keychain=keychain)
    assert (r.region_id, r.endpoint, r.signature_version) == (
        "cn-shanghai",
        "live.aliyuncs.com",
        "v1",
    )
    everything["ALIBABA_CLOUD_REGION_ID"] = "cn-qingdao"
    r = resolve_credentials(environ=everything, home=home, store=store, keychain=keychain)
    assert (r.source, r.region_id, r.endpoint, r.signature_version) == (
        "env",
        "cn-qingdao",
        None,
        None,
    )


def test_an_explicit_profile_beats_everything(
    everything: dict[str, str], home: Path, store: ProfileStore, keychain: Keychain
) -> None:
    def resolve(name: str) -> tuple[str, str, str | None, str | None]:
        r = resolve_credentials(name, environ=everything, home=home, store=store, keychain=keychain)
        return r.source, r.key.access_key_secret, r.key.security_token, r.region_id

    assert resolve("work") == ("profile:work", PROFILE_SECRET, None, "cn-shanghai")
    assert resolve("aliyun:other") == (
        "aliyun-cli:other",
        CLI_OTHER_SECRET,
        None,
        "ap-southeast-1",
    )
    assert resolve("aliyun-cli:main")[:2] == ("aliyun-cli:main", CLI_SECRET)
    assert resolve("aliyun:sts") == ("aliyun-cli:sts", STS_SECRET, STS_TOKEN, "cn-shenzhen")
    assert resolve("ini:other")[:2] == ("ini:other", INI_OTHER_SECRET)
    # An explicit name never falls through to another source.
    with pytest.raises(ProfileNotFoundError, match="'nope'"):
        resolve("nope")
    with pytest.raises(ProfileNotFoundError, match="aliyun CLI"):
        resolve("aliyun:nope")
    with pytest.raises(ExternalProfileError, match="RamRoleArn"):
        resolve("aliyun:role")
    with pytest.raises(ExternalProfileError, match="ram_role_arn"):
        resolve("ini:role")


def test_alibaba_cloud_profile_selects_the_cli_profile_and_the_ini_section(
    home: Path, store: ProfileStore, keychain: Keychain
) -> None:
    write_all_cli(home)
    write_ini(home / ".alibabacloud" / "credentials.ini", INI_TEXT)
    env = {"ALIBABA_CLOUD_PROFILE": "other"}
    r = resolve_credentials(environ=env, home=home, store=store, keychain=keychain)
    assert (r.source, r.key.access_key_id) == ("aliyun-cli:other", CLI_OTHER_ID)
    env["ALIBABA_CLOUD_CLI_PROFILE_DISABLED"] = "TRUE"  # compared case-insensitively
    r = resolve_credentials(environ=env, home=home, store=store, keychain=keychain)
    assert (r.source, r.key.access_key_id) == ("ini:other", INI_OTHER_ID)


def test_cli_current_is_used_without_alibaba_cloud_profile(
    home: Path, store: ProfileStore, keychain: Keychain
) -> None:
    write_cli_config(home, [cli_ak("a", "LTAIa", "sa"), cli_ak("b", "LTAIb", "sb")], current="b")
    r = resolve_credentials(environ={}, home=home, store=store, keychain=keychain)
    assert (r.source, r.key.access_key_id, r.region_id) == ("aliyun-cli:b", "LTAIb", "cn-hangzhou")


def test_cli_sts_token_mode_yields_a_security_token(
    home: Path, store: ProfileStore, keychain: Keychain
) -> None:
    write_all_cli(home)
    r = resolve_credentials(
        environ={"ALIBABA_CLOUD_PROFILE": "sts"}, home=home, store=store, keychain=keychain
    )
    assert r.source == "aliyun-cli:sts"
    assert (r.key.access_key_id, r.key.security_token) == (STS_ID, STS_TOKEN)


def test_an_unsupported_cli_mode_is_reported_plainly_and_skipped(
    home: Path, store: ProfileStore, keychain: Keychain
) -> None:
    write_all_cli(home)
    env = {"ALIBABA_CLOUD_PROFILE": "role"}
    with pytest.raises(NoCredentialsError) as caught:
        resolve_credentials(environ=env, home=home, store=store, keychain=keychain)
    cli_reason = next(a.reason for a in caught.value.tried if a.source == "aliyun CLI config")
    assert "RamRoleArn" in cli_reason.en and "not supported" in cli_reason.en
    assert "only AK and StsToken" in cli_reason.en
    assert "RamRoleArn" in cli_reason.zh and "不支持" in cli_reason.zh
    # The INI section of the same name is the next stop.
    write_ini(
        home / ".alibabacloud" / "credentials.ini",
        f"[role]\ntype = access_key\naccess_key_id = {INI_ID}\naccess_key_secret = {INI_SECRET}\n",
    )
    r = resolve_credentials(environ=env, home=home, store=store, keychain=keychain)
    assert r.source == "ini:role"


def test_half_set_environment_is_skipped_with_a_reason(
    home: Path, store: ProfileStore, keychain: Keychain
) -> None:
    env = {"ALIBABA_CLOUD_ACCESS_KEY_ID": ENV_ID}
    with pytest.raises(NoCredentialsError) as caught:
        resolve_credentials(environ=env, home=home, store=store, keychain=keychain)
    assert "ALIBABA_CLOUD_ACCESS_KEY_SECRET is not" in caught.value.tried[0].reason.en
    write_all_cli(home)
    assert resolve_credentials(environ=env, home=home, store=store, keychain=keychain).source == (
        "aliyun-cli:main"
    )


def test_aliyun_cli_fallback_variable_names(
    home: Path, store: ProfileStore, keychain: Keychain
) -> None:
    env = {
        "ALICLOUD_ACCESS_KEY_ID": "LTAIfallback",
        "ACCESS_KEY_SECRET": "fallback-secret",
        "ALIBABACLOUD_SECURITY_TOKEN": "fallback-token",
        "REGION": "eu-central-1",
    }
    r = resolve_credentials(environ=env, home=home, store=store, keychain=keychain)
    assert r.source == "env"
    assert (r.key.access_key_id, r.key.access_key_secret, r.key.security_token) == (
        "LTAIfallback",
        "fallback-secret",
        "fallback-token",
    )
    assert r.region_id == "eu-central-1"
    # The official name wins over the fallbacks.
    env["ALIBABA_CLOUD_ACCESS_KEY_ID"] = ENV_ID
    env["ALIBABA_CLOUD_REGION_ID"] = "cn-beijing"
    r = resolve_credentials(environ=env, home=home, store=store, keychain=keychain)
    assert (r.key.access_key_id, r.region_id) == (ENV_ID, "cn-beijing")


def test_credentials_file_variable_overrides_the_ini_path(
    home: Path, tmp_path: Path, store: ProfileStore, keychain: Keychain
) -> None:
    write_ini(home / ".alibabacloud" / "credentials.ini", INI_TEXT)
    elsewhere = write_ini(
        tmp_path / "team.ini",
        "[default]\ntype = access_key\naccess_key_id = LTAIteam\naccess_key_secret = team%secret\n",
    )
    env = {"ALIBABA_CLOUD_CREDENTIALS_FILE": str(elsewhere)}
    r = resolve_credentials(environ=env, home=home, store=store, keychain=keychain)
    assert (r.source, r.key.access_key_id, r.key.access_key_secret) == (
        "ini:default",
        "LTAIteam",
        "team%secret",  # no interpolation: '%' stays as typed
    )


def test_ini_comment_after_hash_is_stripped_like_the_sdk(
    home: Path, store: ProfileStore, keychain: Keychain
) -> None:
    write_ini(home / ".alibabacloud" / "credentials.ini", INI_TEXT)
    r = resolve_credentials(environ={}, home=home, store=store, keychain=keychain)
    assert r.source == "ini:default"  # "access_key   # the SDK strips..." reads as access_key


def test_a_default_profile_that_cannot_be_read_says_so_and_names_what_was_tried_next(
    everything: dict[str, str],
    home: Path,
    store: ProfileStore,
    keychain: Keychain,
    memory_keyring: MemoryKeyring,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The secret was entered in the window "for this session only": no keychain here has it.
    memory_keyring.store.clear()
    with caplog.at_level(logging.WARNING, logger="app.credentials.resolve"):
        resolved = resolve_credentials(environ={}, home=home, store=store, keychain=keychain)
    assert resolved.source == "aliyun-cli:main"
    assert "default profile 'work' cannot be used here" in caplog.text
    assert "using aliyun-cli:main instead" in caplog.text

    (home / ".aliyun" / "config.json").unlink()
    (home / ".alibabacloud" / "credentials.ini").unlink()
    memory_keyring.locked = True
    with pytest.raises(NoCredentialsError) as caught:
        resolve_credentials(environ={}, home=home, store=store, keychain=keychain)
    sources = [attempt.source for attempt in caught.value.tried]
    assert sources[1:] == [
        "Caster Desk default profile 'work'",
        "aliyun CLI config",
        "credentials.ini",
    ]
    assert "locked" in caught.value.tried[1].reason.en
    assert "for that session only" in caught.value.tried[1].reason.en


def test_last_used_profile_is_the_fallback_default(
    home: Path, store: ProfileStore, keychain: Keychain
) -> None:
    accounts = Accounts(store, keychain)
    accounts.add_profile(Profile("a", "LTAIa", "cn-shanghai"), "secret-a")
    accounts.add_profile(Profile("b", "LTAIb", "cn-shanghai"), "secret-b")
    assert resolve_credentials(environ={}, home=home, store=store, keychain=keychain).source == (
        "profile:a"  # the first profile added became the default
    )
    accounts.set_default(None)
    with pytest.raises(NoCredentialsError, match="no default profile is set"):
        resolve_credentials(environ={}, home=home, store=store, keychain=keychain)
    accounts.mark_used("b")
    assert resolve_credentials(environ={}, home=home, store=store, keychain=keychain).source == (
        "profile:b"
    )


def test_everything_is_read_at_call_time_from_the_real_environment(
    monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    """No argument given: os.environ, Path.home(), the default store and keyring, read now."""
    import app.credentials.resolve  # noqa: F401  (imported before the variables exist)

    with pytest.raises(NoCredentialsError):
        resolve_credentials()
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", ENV_ID)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ENV_SECRET)
    assert resolve_credentials().key.access_key_secret == ENV_SECRET
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "rotated-secret")
    assert resolve_credentials().key.access_key_secret == "rotated-secret"
    monkeypatch.delenv("ALIBABA_CLOUD_ACCESS_KEY_ID")
    write_all_cli(home)  # HOME is the isolated home, so Path.home() finds it
    assert resolve_credentials().source == "aliyun-cli:main"
    write_cli_config(home, [cli_ak("main", CLI_ID, "edited-secret")], current="main")
    assert resolve_credentials().key.access_key_secret == "edited-secret"
