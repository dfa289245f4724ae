"""``casterdesk scenes / layouts / pvw / take / standby`` against the full sandbox, with the
program checked on decoded frames."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable

import pytest

from app.cli.main import run_cli
from app.sandbox import Sandbox
from benchmarks.watch import Watch

IDLE = 1  # seed caster (app/sandbox/seed.py)


@pytest.fixture
def env(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    monkeypatch.setenv("CASTERDESK_ENDPOINT", sandbox.endpoint)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", sandbox.access_key_id)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", sandbox.access_key_secret)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    return sandbox


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return run_cli(list(args), out, err), out.getvalue(), err.getvalue()


def _until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.media
@pytest.mark.slow
def test_pvw_take_standby_take_from_the_command_line(
    env: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    caster_id = env.caster_ids[IDLE]
    code, out, err = run("start", caster_id, "--json")
    assert code == 0, err
    pgm = json.loads(out)["PgmSceneInfos"][0]
    urls = [
        i["OutputStreamUrl"]
        for i in pgm["StreamInfos"]
        if (i["TranscodeConfig"], i["VideoFormat"]) in (("lud", "flv"), ("lld", "rtmp"))
    ]
    code, out, _ = run("scenes", caster_id)
    assert code == 0
    assert [line.split()[:3] for line in out.splitlines()[2:]] == [
        ["PVW", "PREVIEW", "CAM"],
        ["PGM", "ON", "AIR"],
    ]
    assert "SLIDES" in out.splitlines()[3] and "CAM 1" in out.splitlines()[2]

    watches = [Watch(url, url.split("?")[0][-12:]) for url in urls]
    for watch in watches:
        watch.start()
    try:
        _until(lambda: all(w.look == "slides" for w in watches), 15, "PGM on SLIDES")

        def press(args: tuple[str, ...], look: str) -> tuple[float, str]:
            pressed = time.monotonic()
            code, out, err = run(*args)
            assert code == 0, err
            _until(lambda: all(w.first(look, pressed) for w in watches), 4, look)
            worst = max(w.first(look, pressed).at - pressed for w in watches)  # type: ignore[union-attr]
            return worst, out

        code, out, _ = run("pvw", caster_id, "--layout", "cam 2")
        assert code == 0 and out.startswith("PVW: CAM 2 (")
        assert all(w.look == "slides" for w in watches)  # PVW does not touch PGM
        took, out = press(("take", caster_id), "cam2")
        assert out.startswith("PGM (ON AIR): CAM 2.")
        standby, out = press(("standby", caster_id, "--yes"), "standby")
        assert out.startswith("PGM (ON AIR): STANDBY.")
        again, _ = press(("take", caster_id), "cam2")
    finally:
        for watch in watches:
            watch.stop()
    print(
        f"\nCLI press → PGM frame: take {took:.3f} s, standby {standby:.3f} s, take {again:.3f} s"
    )
    assert max(took, standby, again) <= 1.5

    code, out, _ = run("scenes", caster_id, "--json")
    scenes = {s["Tally"]: s for s in json.loads(out)["SceneList"]}
    assert scenes["ON AIR"]["LayoutName"] == scenes["PREVIEW"]["LayoutName"] == "CAM 2"
    code, out, _ = run("layouts", caster_id)
    rows = {line.split("  ")[0]: line for line in out.splitlines()[2:]}
    assert rows["CAM 2"].split()[-2:] == ["PGM", "PVW"] and rows["CAM 1"].endswith("-")
    assert "CAM 1 + CAM 2 (PiP)" in rows

    # standby asks on a terminal; "n" changes nothing
    monkeypatch.setattr("sys.stdin", FakeTty("n\n"))
    calls = env.request_count("EffectCasterUrgent")
    code, _, err = run("standby", caster_id)
    assert code == 0 and "Not switched." in err and "[y/N]" in err
    assert env.request_count("EffectCasterUrgent") == calls
    monkeypatch.setattr("sys.stdin", FakeTty("y\n"))
    assert run("standby", caster_id)[0] == 0
    assert env.request_count("EffectCasterUrgent") == calls + 1


def test_standby_refuses_without_yes_when_not_interactive(
    env: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    code, out, err = run("standby", env.caster_ids[0])
    assert code == 2 and out == ""
    assert "standby needs --yes when not run interactively" in err
    assert env.request_count() == 0  # nothing was sent


def test_layouts_json_and_unknown_layout(env: Sandbox) -> None:
    caster_id = env.caster_ids[0]  # streaming at boot
    code, out, _ = run("layouts", caster_id, "--json")
    data = json.loads(out)
    assert code == 0 and data["Total"] == 4
    assert [x["LayoutName"] for x in data["Layouts"]] == [
        "CAM 1",
        "CAM 2",
        "SLIDES",
        "CAM 1 + CAM 2 (PiP)",
    ]
    assert data["Layouts"][3]["BlendList"] == ["RV01", "RV02"]
    code, out, err = run("pvw", caster_id, "--layout", "CAM 3")
    assert code == 2 and out == ""
    assert 'no layout \'CAM 3\'. Layouts: "CAM 1", "CAM 2"' in err
    layout_id = data["Layouts"][3]["LayoutId"]
    code, out, _ = run("pvw", caster_id, "--layout", layout_id)
    assert code == 0 and out.startswith("PVW: CAM 1 + CAM 2 (PiP)")


def test_take_while_pvw_is_off_exits_1_with_the_reason(env: Sandbox) -> None:
    caster_id = env.caster_ids[IDLE]
    assert run("start", caster_id)[0] == 0
    assert run("stop", caster_id, "--yes")[0] == 0
    code, out, err = run("take", caster_id)
    assert code == 1 and out == ""
    assert (
        "Error: CopyCasterSceneConfig: IncorrectSceneStatus: Nothing to take: the preview (PVW) scene"
        in err
    )
    assert "Fix: Start the caster" in err and "RequestId: " in err
    code, out, _ = run("scenes", caster_id)
    assert code == 0 and "off" in out


def test_take_before_any_start_is_a_plain_usage_error(env: Sandbox) -> None:
    code, _, err = run("take", env.caster_ids[IDLE])
    assert code == 2 and "has no PVW scene yet; start it first" in err
    code, out, _ = run("scenes", env.caster_ids[IDLE])
    assert code == 0 and "never been started" in out
