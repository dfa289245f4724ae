"""StartCaster through the sandbox API, then every URL it returns plays at the right size."""

from __future__ import annotations

import httpx
import pytest

from app.sandbox import Sandbox
from app.sandbox.media.renditions import RENDITIONS
from tests.media.players import play, rtmp_play_codes
from tests.sandbox.wire import call, ok

pytestmark = [pytest.mark.media, pytest.mark.slow]

IDLE_GENERAL = 1  # seed order, see tests/sandbox/test_actions.py


def test_every_url_of_a_started_caster_plays(sandbox: Sandbox) -> None:
    caster_id = sandbox.caster_ids[IDLE_GENERAL]
    data = ok(call(sandbox, "StartCaster", {"CasterId": caster_id}))
    pvw = data["PvwSceneInfos"]["SceneInfo"][0]
    pgm = data["PgmSceneInfos"]["SceneInfo"][0]
    expected: list[tuple[str, str]] = [(pvw["StreamUrl"], "pvw"), (pgm["StreamUrl"], "pgm")]
    infos = pgm["StreamInfos"]["StreamInfo"]
    assert len(infos) == 12
    expected += [(info["OutputStreamUrl"], info["TranscodeConfig"]) for info in infos]

    for url, rendition in expected:
        seen = play(url, video_frames=3, audio_frames=3)
        size = (RENDITIONS[rendition].width, RENDITIONS[rendition].height)
        assert (seen.width, seen.height) == size, url
        assert seen.sample_rate == 48000, url

    ok(call(sandbox, "StopCaster", {"CasterId": caster_id}))
    for url, _ in expected:
        if url.startswith("rtmp://"):
            assert rtmp_play_codes(url)[0] == ["NetStream.Play.StreamNotFound"]
        else:
            assert httpx.get(url).status_code == 404, url
