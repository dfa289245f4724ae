"""Qt Multimedia (the FFmpeg backend the window's previews use) keeps playing across a Take,
standby and a Take: the same QMediaPlayer, no error, no stall, frames every 40 ms.

Qt presents frames at their timestamps. A new viewer gets the GOP cache (2 s of the past at
once, for a fast first picture), so a presenting player runs that far behind the live edge for
the whole session; a change therefore appears on its screen about GOP_CACHE_S later than in a
decode-as-received player (PyAV, watching the same URL here). The test measures both."""

from __future__ import annotations

import itertools
import time
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtMultimedia import QMediaPlayer, QVideoFrame, QVideoSink

from app.api.client import LiveClient
from app.api.models import layout_names
from app.sandbox import Sandbox
from app.sandbox.media.live import GOP_CACHE_S
from app.sandbox.media.renditions import LOOKS, MAIN_PROBE
from benchmarks.watch import Watch

pytestmark = [pytest.mark.media, pytest.mark.slow]

IDLE = 1
SINGLE = {key: look.background for key, look in LOOKS.items() if look.inset is None}


class QtWatch:
    """A QMediaPlayer playing ``url`` into a QVideoSink; records (arrival, look) per frame."""

    def __init__(self, url: str) -> None:
        self.frames: list[tuple[float, str]] = []
        self.errors: list[str] = []
        self.player = QMediaPlayer()
        self.sink = QVideoSink()
        self.player.setVideoSink(self.sink)
        self.sink.videoFrameChanged.connect(self._on_frame)
        self.player.errorOccurred.connect(lambda _e, text: self.errors.append(text))
        self.player.setSource(QUrl(url))
        self.player.play()

    def _on_frame(self, frame: QVideoFrame) -> None:
        if not frame.isValid():
            return
        image = frame.toImage()
        y = int(image.height() * MAIN_PROBE[2])
        xs = [int(image.width() * (MAIN_PROBE[0] + k * 0.03)) for k in range(10)]
        colours = [image.pixelColor(x, y) for x in xs]
        rgb = [
            sum(getattr(c, ch)() for c in colours) / len(colours) for ch in ("red", "green", "blue")
        ]

        def distance(key: str) -> float:
            return sum(abs(a - b) for a, b in zip(rgb, SINGLE[key], strict=True))

        self.frames.append((time.monotonic(), min(SINGLE, key=distance)))

    def first(self, look: str, after: float) -> float | None:
        return next((t for t, seen in self.frames if t >= after and seen == look), None)

    def close(self) -> None:
        self.player.stop()
        self.player.setSource(QUrl())


@pytest.mark.gui
def test_qt_players_keep_playing_through_take_and_standby(
    qtbot: Any, sandbox: Sandbox, client: LiveClient
) -> None:
    caster_id = sandbox.caster_ids[IDLE]
    started = client.start_caster(caster_id)
    pvw, pgm = started.pvw[0].scene_id, started.pgm[0].scene_id
    names = layout_names(
        client.describe_caster_layouts(caster_id).layouts,
        client.describe_caster_video_resources(caster_id).resources,
    )
    cam2 = next(i for i, n in names.items() if n == "CAM 2")
    lld_flv = next(
        i.output_stream_url
        for i in started.pgm[0].stream_infos
        if (i.transcode_config, i.video_format) == ("lld", "flv")
    )
    watches = [QtWatch(started.pgm[0].stream_url), QtWatch(lld_flv)]
    live = Watch(started.pgm[0].stream_url, "PyAV PGM monitor")
    live.start()
    qt_latency: list[float] = []
    live_latency: list[float] = []
    try:
        qtbot.waitUntil(
            lambda: all(w.frames and w.frames[-1][1] == "slides" for w in watches), timeout=15_000
        )
        client.update_caster_scene_config(caster_id, pvw, cam2)
        steps = (
            (lambda: client.take(caster_id, pvw, pgm), "cam2"),
            (lambda: client.effect_caster_urgent(caster_id, pgm), "standby"),
            (lambda: client.take(caster_id, pvw, pgm), "cam2"),
        )
        for action, look in steps:
            pressed = time.monotonic()
            action()

            def shown(look: str = look, pressed: float = pressed) -> bool:
                return all(w.first(look, pressed) for w in watches) and bool(
                    live.first(look, pressed)
                )

            qtbot.waitUntil(shown, timeout=8_000)
            qt_latency.append(max(w.first(look, pressed) or 0.0 for w in watches) - pressed)
            seen = live.first(look, pressed)
            assert seen is not None
            live_latency.append(seen.at - pressed)
        for watch in watches:
            assert watch.errors == []
            assert watch.player.mediaStatus() in (
                QMediaPlayer.MediaStatus.BufferedMedia,
                QMediaPlayer.MediaStatus.BufferingMedia,
            )
            arrivals = [t for t, _ in watch.frames[len(watch.frames) // 4 :]]
            gaps = [b - a for a, b in itertools.pairwise(arrivals)]
            assert max(gaps) < 0.5, max(gaps)  # frames kept coming across every switch
    finally:
        live.stop()
        for watch in watches:
            watch.close()
    print(
        f"\npress → frame (s): PyAV {[round(x, 3) for x in live_latency]}, "
        f"Qt {[round(x, 3) for x in qt_latency]}"
    )
    assert max(live_latency) <= 1.5
    # Qt shows the same change after its steady presentation delay (the GOP cache, plus its
    # own small buffer), never later than that.
    assert all(q - p <= GOP_CACHE_S + 1.0 for q, p in zip(qt_latency, live_latency, strict=True))
