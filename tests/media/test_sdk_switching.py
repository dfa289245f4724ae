"""The official SDK directs ``casterdesk sandbox`` (a separate process, as a user would run it):
Start, CAM 2 on PVW, Take, standby, Take, each checked on decoded PGM frames."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alibabacloud_live20161101 import models as sdk

from benchmarks.watch import Watch
from tests.sandbox.test_sdk_directing import live_sdk
from tests.sandbox.test_serve import _first_line

pytestmark = [pytest.mark.media, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
LIMIT_S = 1.5


@pytest.fixture
def banner() -> Iterator[dict[str, object]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "sandbox", "--port", "0"],
        cwd=REPO,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        yield json.loads(_first_line(proc))
    finally:
        proc.terminate()
        try:
            assert proc.wait(15) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()


def _until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


@pytest.mark.parametrize("mode", [None, "v2"])
def test_official_sdk_directs_casterdesk_sandbox(
    banner: dict[str, object], mode: str | None
) -> None:
    region = str(banner["region_id"])
    client = live_sdk(
        str(banner["endpoint"]),
        str(banner["access_key_id"]),
        str(banner["access_key_secret"]),
        region,
        mode,
    )
    caster_id = list(banner["caster_ids"])[1]  # type: ignore[call-overload]
    started = client.start_caster(sdk.StartCasterRequest(caster_id=caster_id, region_id=region))
    pvw = started.body.pvw_scene_infos.scene_info[0].scene_id
    pgm_info = started.body.pgm_scene_infos.scene_info[0]
    outputs = {
        f"{i.transcode_config}.{i.video_format}": i.output_stream_url
        for i in pgm_info.stream_infos.stream_info
        if i.video_format in ("rtmp", "flv") and i.transcode_config in ("lld", "lud")
    }
    layouts = client.describe_caster_layouts(
        sdk.DescribeCasterLayoutsRequest(caster_id=caster_id, region_id=region)
    ).body.layouts.layout
    cam2 = next(x.layout_id for x in layouts if x.blend_list.location_id == ["RV02"])

    watches = [Watch(url, label) for label, url in outputs.items()]
    for watch in watches:
        watch.start()
    try:
        _until(lambda: all(w.look == "slides" for w in watches), 15, "PGM to show SLIDES")

        def press(action: Callable[[], object], look: str) -> float:
            pressed = time.monotonic()
            action()
            _until(lambda: all(w.first(look, pressed) for w in watches), 4, look)
            assert all(w.error is None for w in watches)
            return max(w.first(look, pressed).at - pressed for w in watches)  # type: ignore[union-attr]

        client.update_caster_scene_config(
            sdk.UpdateCasterSceneConfigRequest(
                caster_id=caster_id, scene_id=pvw, layout_id=cam2, region_id=region
            )
        )
        take = sdk.CopyCasterSceneConfigRequest(
            caster_id=caster_id, from_scene_id=pvw, to_scene_id=pgm_info.scene_id, region_id=region
        )
        urgent = sdk.EffectCasterUrgentRequest(
            caster_id=caster_id, scene_id=pgm_info.scene_id, region_id=region
        )
        worst = [
            press(lambda: client.copy_caster_scene_config(take), "cam2"),
            press(lambda: client.effect_caster_urgent(urgent), "standby"),
            press(lambda: client.copy_caster_scene_config(take), "cam2"),
        ]
    finally:
        for watch in watches:
            watch.stop()
    print(
        f"\nSDK {mode or 'v3'}: worst press → frame per step (ms):",
        [round(w * 1000) for w in worst],
    )
    assert all(w <= LIMIT_S for w in worst)
    client.stop_caster(sdk.StopCasterRequest(caster_id=caster_id, region_id=region))
