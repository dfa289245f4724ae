"""The command line against the sandbox: start prints playable URLs; errors exit 1 with RequestId."""

from __future__ import annotations

import io
import json

import pytest

from app.cli.main import run_cli
from app.sandbox import Sandbox

IDLE, NO_DOMAIN, FORBIDDEN = 1, 5, 6  # seed casters (see app/sandbox/seed.py)


@pytest.fixture
def env(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    monkeypatch.setenv("CASTERDESK_ENDPOINT", sandbox.endpoint)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", sandbox.access_key_id)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", sandbox.access_key_secret)
    return sandbox


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return run_cli(list(args), out, err), out.getvalue(), err.getvalue()


def test_start_json_then_urls_then_stop(env: Sandbox) -> None:
    caster_id = env.caster_ids[IDLE]
    code, out, err = run("start", caster_id, "--json")
    assert code == 0, err
    started = json.loads(out)
    pgm = started["PgmSceneInfos"][0]
    assert started["PvwSceneInfos"][0]["StreamUrl"].startswith("rtmp://127.0.0.1:")
    assert {(i["TranscodeConfig"], i["VideoFormat"]) for i in pgm["StreamInfos"]} == {
        (t, f) for t in ("lld", "lsd", "lhd", "lud") for f in ("rtmp", "flv", "m3u8")
    }
    assert all("auth_key=" in i["OutputStreamUrl"] for i in pgm["StreamInfos"])

    code, out, _ = run("urls", caster_id, "--json")
    assert code == 0
    assert {s["SceneId"] for s in json.loads(out)["CasterStreams"]} == {
        started["PvwSceneInfos"][0]["SceneId"],
        pgm["SceneId"],
    }
    code, out, _ = run("casters", "--status", "streaming", "--json")
    assert caster_id in {c["CasterId"] for c in json.loads(out)["Casters"]}

    assert run("stop", caster_id, "--yes")[0] == 0
    assert env.caster(caster_id)["Status"] == 0


@pytest.mark.parametrize(
    ("which", "code_name"),
    [(NO_DOMAIN, "InvalidDomainName.NotFound"), (FORBIDDEN, "PermissionDenied")],
)
def test_sandbox_errors_exit_1_with_explanation(env: Sandbox, which: int, code_name: str) -> None:
    code, out, err = run("start", env.caster_ids[which])
    assert code == 1 and out == ""
    assert f"Error: StartCaster: {code_name}:" in err and "Fix:" in err and "RequestId: " in err


def test_unknown_caster_and_injected_500(env: Sandbox) -> None:
    code, _, err = run("start", "no-such-caster")
    assert code == 1 and "InvalidCaster.NotFound" in err
    env.faults.add("StartCaster", error="InternalError")
    code, _, err = run("start", env.caster_ids[IDLE])
    assert code == 1 and "InternalError" in err and "RequestId: " in err
    assert env.request_count("StartCaster") == 2  # never retried


def test_wrong_secret_shows_servers_string_to_sign(
    env: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "not-the-secret")
    code, _, err = run("casters", "--signature", "v1")
    assert code == 1
    assert "SignatureDoesNotMatch" in err
    assert "Server string to sign: POST&%2F&" in err


def test_start_takes_an_exact_caster_name_or_suggests_one(env: Sandbox) -> None:
    name = env.caster(env.caster_ids[IDLE])["CasterName"]
    code, out, err = run("start", name, "--json")
    assert code == 0, err
    assert f"({env.caster_ids[IDLE]})" in err  # it says which caster it took
    assert json.loads(out)["PgmSceneInfos"]
    assert env.caster(env.caster_ids[IDLE])["Status"] == 1

    code, out, err = run("start", name[:-2] + "xx")
    assert code == 1 and out == ""
    assert "no caster has the ID or name" in err
    assert f"did you mean {env.caster_ids[IDLE]} ({name})?" in err
