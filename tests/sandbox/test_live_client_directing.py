"""The app's LiveClient directing the sandbox: layouts by name, PVW, Take and standby, and what
it reports when an answer is lost or slow (never a blind retry: a re-read of the scenes)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from app.api.client import LiveClient
from app.api.errors import (
    ApiError,
    OutcomeUnknownError,
    SceneNotChangedError,
    StandbyUnconfirmedError,
)
from app.api.models import Layout, layout_names
from app.api.retry import RetryPolicy
from app.api.signing import SignatureVersion
from app.sandbox import Sandbox
from app.sandbox.streams import UrlOnlyMedia

IDLE = 1


def _client(sb: Sandbox, version: SignatureVersion = "v3", timeout: float = 10.0) -> LiveClient:
    client = LiveClient(
        sb.signing_key,
        region_id=sb.region_id,
        endpoint=sb.endpoint,
        signature_version=version,
        timeout=httpx.Timeout(timeout, connect=5.0),
        retry=RetryPolicy(base_delay_s=0.01, max_delay_s=0.02),
    )
    return client


class Studio:
    """A started caster and the ids a director needs."""

    def __init__(self, sb: Sandbox, client: LiveClient) -> None:
        self.sb = sb
        self.caster_id = sb.caster_ids[IDLE]
        started = client.start_caster(self.caster_id)
        self.pvw = started.pvw[0].scene_id
        self.pgm = started.pgm[0].scene_id
        layouts = client.describe_caster_layouts(self.caster_id)
        names = layout_names(
            layouts.layouts, client.describe_caster_video_resources(self.caster_id).resources
        )
        self.by_name = {name: layout_id for layout_id, name in names.items()}

    def pgm_looks(self) -> set[str]:
        media = self.sb.media
        assert isinstance(media, UrlOnlyMedia)
        return {media.looks[n] for n in self.sb.stream_names(self.caster_id, "pgm")}


@pytest.fixture(params=["v3", "v1"])
def client(request: pytest.FixtureRequest, api_sandbox: Sandbox) -> Iterator[LiveClient]:
    with _client(api_sandbox, request.param) as live:
        yield live


def test_layout_names_come_from_the_sources(api_sandbox: Sandbox, client: LiveClient) -> None:
    studio = Studio(api_sandbox, client)
    assert list(studio.by_name) == ["CAM 1", "CAM 2", "SLIDES", "CAM 1 + CAM 2 (PiP)"]
    layouts = client.describe_caster_layouts(studio.caster_id)
    pip = layouts.find(studio.by_name["CAM 1 + CAM 2 (PiP)"])
    assert isinstance(pip, Layout) and pip.blend_list == ("RV01", "RV02")
    assert pip.video_layers[1].area < pip.video_layers[0].area == 1.0
    assert len(pip.video_layers[1].position) == 2


def test_pvw_take_standby_take(api_sandbox: Sandbox, client: LiveClient) -> None:
    studio = Studio(api_sandbox, client)
    cam2 = studio.by_name["CAM 2"]
    change = client.update_caster_scene_config(studio.caster_id, studio.pvw, cam2)
    assert change.request_id and not change.confirmed_by
    scenes = client.describe_caster_scenes(studio.caster_id)
    assert scenes.pvw is not None and scenes.pvw.layout_id == cam2
    assert scenes.pgm is not None and scenes.pgm.layout_id == studio.by_name["SLIDES"]

    assert client.take(studio.caster_id, studio.pvw, studio.pgm).request_id
    after = client.describe_caster_scenes(studio.caster_id)
    assert after.pgm is not None and after.pgm.layout_id == cam2 and after.pgm.status == 1
    assert studio.pgm_looks() == {"cam2"}

    client.effect_caster_urgent(studio.caster_id, studio.pgm)
    assert studio.pgm_looks() == {"standby"}
    client.take(studio.caster_id, studio.pvw, studio.pgm)
    assert studio.pgm_looks() == {"cam2"}


def test_take_while_pvw_is_off_explains_itself(api_sandbox: Sandbox, client: LiveClient) -> None:
    studio = Studio(api_sandbox, client)
    client.stop_caster(studio.caster_id)
    with pytest.raises(ApiError) as caught:
        client.take(studio.caster_id, studio.pvw, studio.pgm)
    assert caught.value.code == "IncorrectSceneStatus" and caught.value.request_id
    assert caught.value.message == "From scene is not started."
    text = caught.value.explanation()
    assert "preview (PVW)" in text.summary and "Start the caster" in text.fix
    assert "PVW" in caught.value.explanation("zh").summary
    assert api_sandbox.request_count("CopyCasterSceneConfig") == 1  # not retried


def test_lost_take_answer_is_confirmed_by_a_reread(api_sandbox: Sandbox) -> None:
    with _client(api_sandbox) as client:
        studio = Studio(api_sandbox, client)
        api_sandbox.faults.parse("CopyCasterSceneConfig:reset")
        reads = api_sandbox.request_count("DescribeCasterScenes")
        result = client.take(studio.caster_id, studio.pvw, studio.pgm)
    assert result.confirmed_by == "DescribeCasterScenes"
    assert result.scenes is not None and result.scenes.pgm is not None
    assert result.scenes.pgm.layout_id == studio.by_name["CAM 1"]
    assert api_sandbox.request_count("CopyCasterSceneConfig") == 1
    assert api_sandbox.request_count("DescribeCasterScenes") == reads + 1


def test_take_during_a_slow_answer_is_settled_by_spaced_rereads(api_sandbox: Sandbox) -> None:
    """The answer takes longer than the client waits; the Take lands while it re-reads."""
    with _client(api_sandbox, timeout=0.3) as client:
        studio = Studio(api_sandbox, client)
        client.settle_delays_s = (0.3, 0.6, 1.2)
        api_sandbox.faults.parse("CopyCasterSceneConfig:latency=0.8")
        started = time.monotonic()
        result = client.take(studio.caster_id, studio.pvw, studio.pgm)
    assert result.confirmed_by == "DescribeCasterScenes"
    assert time.monotonic() - started >= 0.8
    assert api_sandbox.request_count("CopyCasterSceneConfig") == 1
    assert studio.pgm_looks() == {"cam1"}


def test_double_take_during_a_slow_answer(api_sandbox: Sandbox) -> None:
    """Two presses while the first answer is still on its way: two requests, both truthful."""
    with _client(api_sandbox) as client:
        studio = Studio(api_sandbox, client)
        client.update_caster_scene_config(
            studio.caster_id, studio.pvw, studio.by_name["CAM 1 + CAM 2 (PiP)"]
        )
        api_sandbox.faults.parse("CopyCasterSceneConfig:latency=0.5,times=1")
        results: list[object] = []

        def press() -> None:
            try:
                results.append(client.take(studio.caster_id, studio.pvw, studio.pgm))
            except Exception as exc:  # collected and asserted below
                results.append(exc)

        first = threading.Thread(target=press)
        first.start()
        time.sleep(0.1)  # the second press comes while the first is in flight
        press()
        first.join(10)
    assert len(results) == 2 and all(getattr(r, "request_id", "") for r in results), results
    assert api_sandbox.request_count("CopyCasterSceneConfig") == 2
    assert studio.pgm_looks() == {"pip"}


def test_unclear_change_that_did_not_happen_is_reported_as_such(api_sandbox: Sandbox) -> None:
    with _client(api_sandbox, timeout=0.2) as client:
        studio = Studio(api_sandbox, client)
        client.settle_delays_s = (0.05,)
        api_sandbox.faults.parse("UpdateCasterSceneConfig:latency=1.0")
        with pytest.raises(SceneNotChangedError) as caught:
            client.update_caster_scene_config(studio.caster_id, studio.pvw, studio.by_name["CAM 2"])
        assert "nothing changed" in caught.value.explanation().summary

        # The late request still lands on the sandbox; let it, so nothing is left running.
        def pvw_layout() -> str | None:
            pvw = client.describe_caster_scenes(studio.caster_id).pvw
            return pvw.layout_id if pvw else None

        deadline = time.monotonic() + 5
        while pvw_layout() != studio.by_name["CAM 2"]:
            assert time.monotonic() < deadline
            time.sleep(0.05)


def test_unclear_standby_reports_what_can_be_known(api_sandbox: Sandbox) -> None:
    with _client(api_sandbox) as client:
        studio = Studio(api_sandbox, client)
        api_sandbox.faults.parse("EffectCasterUrgent:reset")
        with pytest.raises(StandbyUnconfirmedError) as caught:
            client.effect_caster_urgent(studio.caster_id, studio.pgm)
        assert "standby again is safe" in caught.value.explanation().fix
        assert studio.pgm_looks() == {"standby"}  # it did happen; the API cannot say so
        assert api_sandbox.request_count("EffectCasterUrgent") == 1


def test_unclear_take_with_failing_reread_is_outcome_unknown(api_sandbox: Sandbox) -> None:
    with _client(api_sandbox) as client:
        studio = Studio(api_sandbox, client)
        api_sandbox.faults.parse("CopyCasterSceneConfig:reset")
        api_sandbox.faults.parse("DescribeCasterScenes:error=ServiceUnavailable")
        with pytest.raises(OutcomeUnknownError) as caught:
            client.take(studio.caster_id, studio.pvw, studio.pgm)
    assert caught.value.action == "CopyCasterSceneConfig"
    assert api_sandbox.request_count("CopyCasterSceneConfig") == 1
