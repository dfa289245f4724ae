"""A preview catches up to the live edge: real frames from the sandbox's PGM monitor.

The sandbox (as a CDN) sends a new viewer its GOP cache, 2–3 s of the past at once. Without
catching up, QMediaPlayer presents that at 1× and a Take shows on the preview ~2.1 s after a
decode-as-received player (PyAV) shows it. With it, the player plays 2× until it runs out of
backlog, 0.8× until a 0.2 s cushion has built up, then 1×, and a Take shows on it ~0.4 s after
PyAV decodes it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from app.api.client import LiveClient
from app.api.models import StartResult, layout_names
from app.sandbox import Sandbox
from app.sandbox.media.live import GOP_CACHE_S
from app.ui.widgets.preview.live_edge import CATCH_UP_RATE
from app.ui.widgets.preview.player import PreviewPlayer, PreviewSource
from benchmarks.bench_take_window import PlayerLooks
from benchmarks.watch import Watch
from tests.ui.preview_support import WAIT_MS, assert_quiet

pytestmark = [pytest.mark.media, pytest.mark.no_qt_log]


@pytest.fixture
def pgm_player() -> Iterator[PreviewPlayer]:
    player = PreviewPlayer("PGM")
    yield player
    player.shutdown()
    assert_quiet(player)


def test_the_preview_catches_up_and_shows_a_take_when_a_decoder_does(
    qtbot: Any,
    sandbox: Sandbox,
    client: LiveClient,
    started: tuple[str, StartResult],
    pgm_player: PreviewPlayer,
) -> None:
    caster_id, result = started
    url = result.pgm[0].stream_url
    edge = pgm_player.live_edge
    rates: list[float] = []
    looks = PlayerLooks(pgm_player)
    pgm_player.first_frame.connect(lambda _info: rates.append(edge.rate))
    pgm_player.play([PreviewSource(url, "monitor")])
    # Caught up (and the cushion built): one catch-up ran and the rate is 1× again.
    qtbot.waitUntil(
        lambda: edge.catch_ups >= 1 and not edge.catching_up and looks.last is not None,
        timeout=WAIT_MS,
    )
    assert rates == [CATCH_UP_RATE]  # asked for at the first frame
    assert edge.rate == 1.0
    # It removed about the GOP cache (2–3 s behind at the first frame), less Qt's own buffer.
    assert GOP_CACHE_S - 0.6 <= edge.caught_up_s <= GOP_CACHE_S + 1.2, edge.caught_up_s

    names = layout_names(
        client.describe_caster_layouts(caster_id).layouts,
        client.describe_caster_video_resources(caster_id).resources,
    )
    cam2 = next(layout for layout, name in names.items() if name == "CAM 2")
    live = Watch(url, "PyAV PGM monitor")
    live.start()
    try:
        qtbot.waitUntil(lambda: live.look is not None, timeout=WAIT_MS)
        client.update_caster_scene_config(caster_id, result.pvw[0].scene_id, cam2)
        pressed = time.monotonic()
        client.take(caster_id, result.pvw[0].scene_id, result.pgm[0].scene_id)
        qtbot.waitUntil(
            lambda: (
                looks.first("cam2", pressed) is not None and live.first("cam2", pressed) is not None
            ),
            timeout=WAIT_MS,
        )
    finally:
        live.stop()
    shown, decoded = looks.first("cam2", pressed), live.first("cam2", pressed)
    assert shown is not None and decoded is not None
    behind = shown - decoded.at
    print(f"\nthe preview showed the Take {behind * 1000:.0f} ms after PyAV decoded it")
    # Without the catch-up this is ~2.1 s (the GOP cache); with it, the cushion and Qt's own
    # small buffer.
    assert behind < 0.8, behind
