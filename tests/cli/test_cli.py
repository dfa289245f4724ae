"""The command line over real HTTP on loopback: output shapes and exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from typing import Any

import pytest

from app.cli.main import run_cli
from app.cli.tables import display_width
from tests.api.test_models import SEED_EXAMPLE, wrapped
from tests.scripted_server import Recorded, Reply, error_body, scripted_server

CASTERS = {
    "RequestId": "RL",
    "Total": 2,
    "CasterList": {
        "Caster": [
            {
                "CasterId": "c-1",
                "CasterName": "春晚主会场",
                "Status": 1,
                "NormType": 1,
                "Duration": "0:10:00",
                "CreateTime": "2024-01-02 03:04:05.0",
            },
            {"CasterId": "c-2", "CasterName": "Keynote", "Status": 0, "NormType": 6},
        ]
    },
}


def run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_cli(args, out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def creds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "AKID")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "the-secret")


def api(script: dict[str, Reply]) -> Any:
    return scripted_server(lambda r: script[r.action])


@pytest.mark.usefixtures("creds")
def test_start_json_prints_scene_urls_without_wrappers() -> None:
    with api({"StartCaster": Reply(200, wrapped(SEED_EXAMPLE))}) as server:
        code, out, err = run(["start", "cid", "--json", "--endpoint", server.endpoint])
    assert code == 0, err
    data = json.loads(out)
    assert data == SEED_EXAMPLE
    assert set(data) == {"RequestId", "PvwSceneInfos", "PgmSceneInfos"}
    assert set(data["PgmSceneInfos"][0]["StreamInfos"][0]) == {
        "TranscodeConfig",
        "VideoFormat",
        "OutputStreamUrl",
    }
    assert server.requests[0].query["CasterId"] == "cid"
    assert "the-secret" not in out + err


@pytest.mark.usefixtures("creds")
def test_start_human_output_lists_every_url() -> None:
    with api({"StartCaster": Reply(200, wrapped(SEED_EXAMPLE))}) as server:
        code, out, _ = run(["--endpoint", server.endpoint, "start", "cid"])
    assert code == 0
    for url in [SEED_EXAMPLE["PvwSceneInfos"][0]["StreamUrl"]] + [
        s["OutputStreamUrl"] for s in SEED_EXAMPLE["PgmSceneInfos"][0]["StreamInfos"]
    ]:
        assert url in out  # full URLs, auth_key included: the CLI output is for copying


@pytest.mark.usefixtures("creds")
def test_casters_json_and_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASTERDESK_ENDPOINT", "")
    with api({"DescribeCasters": Reply(200, CASTERS)}) as server:
        monkeypatch.setenv("CASTERDESK_ENDPOINT", server.endpoint)
        code, out, _ = run(["casters", "--json", "--status", "streaming", "--name", "春晚"])
        assert code == 0
        data = json.loads(out)
        assert data["Total"] == 2 and [c["CasterId"] for c in data["Casters"]] == ["c-1", "c-2"]
        assert server.requests[0].query["Status"] == "1"
        assert server.requests[0].query["CasterName"] == "春晚"
        code, out, _ = run(["casters"])
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["NAME", "ID", "STATUS"]
    assert "streaming 0:10:00" in out and "idle" in out and "playlist" in out
    # CJK names take two terminal columns each: the ID column still lines up.
    row1 = next(ln for ln in lines if "c-1" in ln)
    row2 = next(ln for ln in lines if "c-2" in ln)
    assert display_width(row1[: row1.index("c-1")]) == display_width(row2[: row2.index("c-2")])
    assert display_width(row1[: row1.index("c-1")]) == lines[0].index("ID")


SEED_CODES = {
    "PermissionDenied": (401, "Permission Denied"),
    "InvalidCaster.NotFound": (404, "Caster is not found."),
    "InvalidConfiguration.NotFound": (404, "DomainName is not configured"),
    "InternalError": (500, "InternalError"),
}


@pytest.mark.usefixtures("creds")
@pytest.mark.parametrize("code_name", list(SEED_CODES))
def test_each_seed_error_prints_explanation_and_request_id(code_name: str) -> None:
    status, message = SEED_CODES[code_name]
    with api(
        {
            "StartCaster": Reply(
                status, error_body(code_name, message, request_id="RID-" + code_name)
            )
        }
    ) as server:
        code, out, err = run(["start", "cid", "--endpoint", server.endpoint])
    assert code == 1
    assert out == ""
    assert f"Error: StartCaster: {code_name}:" in err
    assert "Fix:" in err
    assert f"RequestId: RID-{code_name}" in err
    assert "Traceback" not in err


@pytest.mark.usefixtures("creds")
def test_network_failure_exits_3(monkeypatch: pytest.MonkeyPatch) -> None:
    with scripted_server(lambda r: Reply()) as server:
        endpoint = server.endpoint  # closed once the block ends
    code, _, err = run(["casters", "--endpoint", endpoint])
    assert code == 3 and "Could not reach the Live API" in err


@pytest.mark.usefixtures("creds")
def test_non_json_answer_exits_3() -> None:
    with scripted_server(lambda r: Reply(200, b"<html>captive portal</html>")) as server:
        code, _, err = run(["urls", "cid", "--endpoint", server.endpoint])
    assert code == 3 and "not a valid Live API response" in err


@pytest.mark.usefixtures("creds")
def test_insecure_endpoint_is_a_usage_error() -> None:
    code, _, err = run(["casters", "--endpoint", "http://example.com"])
    assert code == 2 and "plain HTTP" in err


def test_missing_credentials_exit_4() -> None:
    code, _, err = run(["casters", "--endpoint", "http://127.0.0.1:9"])
    assert code == 4 and "credentials" in err.lower()


def test_keychain_unavailable_exits_4(monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backends import fail

    from app.credentials.profiles import Profile, ProfileStore

    ProfileStore().save(Profile(name="work", access_key_id="AK", region_id="cn-beijing"))
    keyring.set_keyring(fail.Keyring())
    code, _, err = run(["casters", "--profile", "work", "--endpoint", "http://127.0.0.1:9"])
    assert code == 4 and "keychain" in err.lower()


def test_usage_errors_exit_2() -> None:
    assert run(["start"])[0] == 2
    assert run(["frobnicate"])[0] == 2
    assert run(["casters", "--status", "sleeping"])[0] == 2
    assert run([])[0] == 2


@pytest.mark.usefixtures("creds")
def test_stop_without_yes_refuses_when_not_interactive() -> None:
    def script(r: Recorded) -> Reply:
        return Reply(200, CASTERS if r.action == "DescribeCasters" else {"RequestId": "RS"})

    with scripted_server(script) as server:
        code, _, err = run(["stop", "c-1", "--endpoint", server.endpoint])
        assert code == 2 and "--yes" in err
        assert "StopCaster" not in server.actions()
        code, out, _ = run(["stop", "c-1", "--yes", "--endpoint", server.endpoint])
    assert code == 0 and "RequestId: RS" in out
    assert server.actions()[-1] == "StopCaster"


def test_global_options_after_the_command_and_signature_v1(creds: None) -> None:
    with api(
        {
            "DescribeCasterStreamUrl": Reply(
                200, {"RequestId": "R", "CasterId": "cid", "CasterStreams": {"CasterStream": []}}
            )
        }
    ) as server:
        code, out, _ = run(
            [
                "urls",
                "cid",
                "--json",
                "--endpoint",
                server.endpoint,
                "--signature",
                "v1",
                "--region",
                "cn-beijing",
            ]
        )
    assert code == 0 and json.loads(out)["CasterId"] == "cid"
    query = server.requests[0].query
    assert query["SignatureMethod"] == "HMAC-SHA1" and query["RegionId"] == "cn-beijing"


def test_entry_point_process_never_prints_a_traceback(tmp_path: Any) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "app", "casters", "--endpoint", "http://127.0.0.1:9"],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "ALIBABA_CLOUD_ACCESS_KEY_ID": "a",
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "b",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        },
    )
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr and "RequestId" not in proc.stdout


def test_version() -> None:
    from app import __version__

    proc = subprocess.run(
        [sys.executable, "-m", "app", "--version"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0 and __version__ in proc.stdout


def test_cli_fixes_name_no_window_controls() -> None:
    import re

    from app.api.explanations import all_fixes
    from app.credentials.errors import KeychainUnavailableError, SecretMissingError

    window_words = re.compile(
        r"\b(press|click|Refresh|selector|button|session-only|account settings)\b"
        r"|点击|刷新|仅本次会话|账号设置",
        re.IGNORECASE,
    )
    credential_errors = [
        KeychainUnavailableError(state, "keyring.backends.fail.Keyring")
        for state in ("missing", "locked", "failed")
    ] + [SecretMissingError("work")]
    for lang in ("en", "zh"):
        fixes = all_fixes(lang, "cli") + [e.fix_for(lang, "cli") for e in credential_errors]
        for fix in fixes:
            assert not window_words.search(fix), fix
    # The window keeps its own words.
    assert any("Refresh" in fix for fix in all_fixes("en", "gui"))
    assert "session-only" in credential_errors[0].fix_for("en", "gui")


def test_a_default_profile_whose_secret_lives_in_the_window_session_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.credentials import Accounts, Keychain, ProfileStore, process_session_store
    from app.credentials.profiles import Profile

    Accounts(ProfileStore(), Keychain()).add_profile(
        Profile("studio", "LTAIstudio", "cn-shanghai"), "s3cret", session_only=True
    )
    process_session_store().clear()  # another process: the window's memory is not ours
    code, out, err = run(["casters"])
    assert code == 4
    assert out == ""
    assert "Caster Desk default profile 'studio'" in err
    assert "for that session only" in err
    assert "aliyun CLI config" in err and "credentials.ini" in err
    assert "s3cret" not in err
