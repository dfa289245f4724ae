"""External conventions: listing without secrets, plain reasons, parity with the official SDK."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.credentials import (
    ExternalProfile,
    ExternalProfileError,
    resolve_credentials,
    scan_external,
)
from app.credentials.external import load_cli, load_external_key, load_ini
from app.credentials.profiles import ProfileStore
from tests.credentials.conftest import cli_ak, write_cli_config, write_ini

SECRETS = (
    "ext-cli-secret-1",
    "ext-sts-secret-2",
    "ext-sts-token-3",
    "ext-ini-secret-4",
    "ext-env-5",
)


@pytest.fixture
def sources(home: Path) -> dict[str, str]:
    write_cli_config(
        home,
        [
            cli_ak("main", "LTAImain", SECRETS[0], "cn-beijing"),
            {
                "name": "sts",
                "mode": "StsToken",
                "access_key_id": "STS.abc",
                "access_key_secret": SECRETS[1],
                "sts_token": SECRETS[2],
                "region_id": "cn-shenzhen",
            },
            {"name": "sso", "mode": "CloudSSO", "cloud_sso_sign_in_url": "https://x"},
            {"name": "odd", "mode": "Quantum"},
            {"name": "blank", "mode": ""},
            {"name": "half", "mode": "AK", "access_key_id": "LTAIhalf"},
        ],
        current="main",
    )
    write_ini(
        home / ".alibabacloud" / "credentials.ini",
        f"[default]\ntype = access_key\naccess_key_id = LTAIini\naccess_key_secret = {SECRETS[3]}\n"
        "[ecs]\ntype = ecs_ram_role\nrole_name = r\n",
    )
    return {"ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAIenv", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": SECRETS[4]}


def by_ref(found: tuple[ExternalProfile, ...]) -> dict[str, ExternalProfile]:
    return {p.ref: p for p in found}


def test_listing_shows_every_profile_in_chain_order_without_secrets(
    sources: dict[str, str], home: Path
) -> None:
    scan = scan_external(sources, home)
    assert [p.ref for p in scan.profiles] == [
        "env",
        "aliyun:main",
        "aliyun:sts",
        "aliyun:sso",
        "aliyun:odd",
        "aliyun:blank",
        "aliyun:half",
        "ini:default",
        "ini:ecs",
    ]
    assert scan.problems == ()
    found = by_ref(scan.profiles)
    assert (found["env"].access_key_id, found["env"].source, found["env"].supported) == (
        "LTAIenv",
        "env",
        True,
    )
    main = found["aliyun:main"]
    assert (main.name, main.access_key_id, main.region_id, main.mode) == (
        "main",
        "LTAImain",
        "cn-beijing",
        "AK",
    )
    assert main.selected and not found["aliyun:sts"].selected
    assert main.location == "~/.aliyun/config.json"
    assert found["aliyun:sts"].has_sts_token and found["aliyun:sts"].supported
    assert found["ini:default"].selected and found["ini:default"].label == "ini:default"
    text = repr(scan)
    for secret in SECRETS:
        assert secret not in text


def test_unsupported_modes_are_recognised_and_explained(
    sources: dict[str, str], home: Path
) -> None:
    found = by_ref(scan_external(sources, home).profiles)
    sso = found["aliyun:sso"].problem
    assert sso is not None
    assert sso.en == (
        "mode “CloudSSO” (signs in with CloudSSO) is not supported; Caster Desk supports only AK "
        "and StsToken."
    )
    assert "CloudSSO" in sso.zh and "不支持" in sso.zh
    odd = found["aliyun:odd"].problem
    assert odd is not None and odd.en.startswith("mode “Quantum” is unknown")
    blank = found["aliyun:blank"].problem
    assert blank is not None and "aliyun configure --profile blank" in blank.en
    half = found["aliyun:half"].problem
    assert half is not None and half.en == "profile “half” (AK) has no access_key_secret."
    ecs = found["ini:ecs"].problem
    assert ecs is not None and "ecs_ram_role" in ecs.en and "only access_key" in ecs.en


def test_unreadable_files_are_problems_and_missing_files_are_not(home: Path) -> None:
    assert scan_external({}, home).problems == ()
    (home / ".aliyun").mkdir()
    (home / ".aliyun" / "config.json").write_text("{ not json")
    write_ini(home / ".alibabacloud" / "credentials.ini", "no section header\n")
    scan = scan_external({}, home)
    assert [a.source for a in scan.problems] == ["aliyun CLI config", "credentials.ini"]
    assert "is not valid JSON" in scan.problems[0].reason.en
    assert "could not be read" in scan.problems[1].reason.en
    with pytest.raises(ExternalProfileError, match="not valid JSON"):
        load_cli({}, home, "main")


def test_loading_reads_the_source_now(sources: dict[str, str], home: Path) -> None:
    listed = by_ref(scan_external(sources, home).profiles)
    key = load_external_key(listed["aliyun:sts"], environ=sources, home=home)
    assert (key.access_key_id, key.access_key_secret, key.security_token) == (
        "STS.abc",
        SECRETS[1],
        SECRETS[2],
    )
    with pytest.raises(ExternalProfileError, match="CloudSSO"):
        load_external_key(listed["aliyun:sso"], environ=sources, home=home)
    write_cli_config(home, [cli_ak("main", "LTAImain", "rotated")], current="main")
    assert load_external_key(
        listed["aliyun:main"], environ=sources, home=home
    ).access_key_secret == ("rotated")
    assert (
        load_external_key(listed["env"], environ=sources, home=home).access_key_secret == SECRETS[4]
    )


def test_region_falls_back_to_the_environment_for_files(
    sources: dict[str, str], home: Path
) -> None:
    env = {"ALIBABA_CLOUD_REGION_ID": "cn-chengdu"}
    found = by_ref(scan_external(env, home).profiles)
    assert found["aliyun:main"].region_id == "cn-beijing"  # the profile's own region wins
    assert found["ini:default"].region_id == "cn-chengdu"  # INI has none
    assert load_ini(env, home)[0].region_id == "cn-chengdu"


def test_agrees_with_the_official_sdk_providers(
    sources: dict[str, str], home: Path, keychain: object
) -> None:
    """Same files, same answers as alibabacloud-credentials 1.0.12 (the test oracle)."""
    from alibabacloud_credentials.provider.cli_profile import CLIProfileCredentialsProvider
    from alibabacloud_credentials.provider.profile import ProfileCredentialsProvider

    cli_file = str(home / ".aliyun" / "config.json")
    ini_file = str(home / ".alibabacloud" / "credentials.ini")
    store = ProfileStore(home / "unused.json")
    for name in ("main", "sts"):
        official = CLIProfileCredentialsProvider(
            profile_name=name, profile_file=cli_file
        ).get_credentials()
        ours = resolve_credentials(f"aliyun:{name}", environ={}, home=home, store=store).key
        assert (ours.access_key_id, ours.access_key_secret, ours.security_token) == (
            official.get_access_key_id(),
            official.get_access_key_secret(),
            official.get_security_token(),
        )
    official_ini = ProfileCredentialsProvider(
        profile_file=ini_file, profile_name="default"
    ).get_credentials()
    ours = resolve_credentials("ini:default", environ={}, home=home, store=store).key
    assert (ours.access_key_id, ours.access_key_secret) == (
        official_ini.get_access_key_id(),
        official_ini.get_access_key_secret(),
    )
