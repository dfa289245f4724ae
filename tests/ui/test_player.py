"""PreviewPlayer against the real sandbox: decoded frames, fallback, reconnect, pause, teardown.

Every wait is on a signal or a condition with a deadline; frames are real (H.264 decoded by
Qt's FFmpeg backend) and counted through the player's own ``frame_arrived`` signal.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtMultimedia import QMediaPlayer

from app.api.models import StartResult
from app.sandbox import Sandbox
from app.ui.widgets.preview import player as states
from app.ui.widgets.preview.pane import fallback_sources
from app.ui.widgets.preview.player import ON_AIR_RETRY_S, PreviewPlayer, PreviewSource
from app.ui.widgets.preview.video_view import VideoView
from tests.ui.preview_support import (
    FIRST_FRAME_GUARD_MS,
    WAIT_MS,
    FrameCounter,
    StallingFlvServer,
    assert_no_frame_for,
    assert_quiet,
    tampered,
    wait_more_frames,
    wait_state,
)

# no_qt_log: pytest-qt's Qt message capture is Python code; QtMultimedia's worker threads log
# while the GUI thread waits on them inside QMediaPlayer calls (holding the GIL): a deadlock
# (seen with gdb). Without a Python message handler, Qt prints to stderr and nothing waits.
pytestmark = [pytest.mark.media, pytest.mark.no_qt_log]


VIEWS: dict[int, VideoView] = {}


def shown_view(qtbot: Any, player: PreviewPlayer) -> VideoView:
    """A view painting ``player``'s frames, as a pane wires it."""
    view = VideoView()
    player.frame_changed.connect(view.set_frame)
    qtbot.addWidget(view)
    VIEWS[id(player)] = view
    return view


@pytest.fixture
def make_player(qtbot: Any) -> Iterator[Any]:
    """Players whose views are shown; all shut down (and checked quiet) after the test."""
    made: list[PreviewPlayer] = []

    def make(name: str = "PGM", **kwargs: Any) -> PreviewPlayer:
        player = PreviewPlayer(name, **kwargs)
        view = shown_view(qtbot, player)
        view.resize(320, 180)
        view.show()
        made.append(player)
        return player

    yield make
    for player in made:
        player.shutdown()
        assert_quiet(player)


def monitor(result: StartResult, scene: str = "pgm") -> str:
    return (result.pgm if scene == "pgm" else result.pvw)[0].stream_url


def test_monitor_stream_decodes_real_frames_at_its_size(
    qtbot: Any, make_player: Any, started: tuple[str, StartResult]
) -> None:
    _, result = started
    player = make_player("PVW")
    counter = FrameCounter(player)
    with qtbot.waitSignal(player.first_frame, timeout=FIRST_FRAME_GUARD_MS) as first:
        player.play([PreviewSource(monitor(result, "pvw"), "monitor")])
    info = first.args[0]
    print(f"\nPVW monitor (RTMP) first frame after {info['ms_since_source']} ms")
    assert (info["width"], info["height"]) == (640, 360)
    wait_more_frames(qtbot, player, 25)
    assert player.state == states.LIVE
    assert set(counter.sizes) == {(640, 360)}
    assert player.resolution.width() == 640 and player.resolution.height() == 360
    assert 15 <= player.fps <= 35, player.fps  # 25 fps nominal; generous on a busy machine
    image = VIEWS[id(player)].current_image()
    assert image is not None and (image.width(), image.height()) == (640, 360)


def test_tampered_monitor_falls_back_to_flv_and_goes_live(
    qtbot: Any, make_player: Any, started: tuple[str, StartResult], caplog: Any
) -> None:
    caplog.set_level(logging.INFO, logger="casterdesk.ui.player")
    _, result = started
    pgm = result.pgm[0]
    sources = [PreviewSource(tampered(pgm.stream_url), "monitor")]
    sources += fallback_sources(pgm.stream_infos)
    assert sources[1].label == "FLV lld"  # monitor size unknown → lowest tier
    player = make_player()
    seen: list[tuple[str, str]] = []
    player.state_changed.connect(lambda state, detail: seen.append((state, detail)))
    player.play(sources)
    wait_state(qtbot, player, states.LIVE)
    assert player.current_source == sources[1]
    assert ("connecting", "FLV lld") in seen, seen
    wait_more_frames(qtbot, player, 10)
    assert player.resolution.width() == 480 and player.resolution.height() == 270
    # The log tells the story without a single auth_key value.
    logged = caplog.text
    assert "monitor failed" in logged and "opening http://" in logged
    assert "auth_key=<redacted>" in logged
    for source in sources:
        assert source.url.split("auth_key=")[1] not in logged


def test_cut_stream_goes_reconnecting_then_live_again(
    qtbot: Any, make_player: Any, sandbox: Sandbox, started: tuple[str, StartResult]
) -> None:
    cid, result = started
    player = make_player()
    seen: list[str] = []
    player.state_changed.connect(lambda state, _detail: seen.append(state))
    player.play([PreviewSource(monitor(result), "monitor")])
    wait_state(qtbot, player, states.LIVE)
    wait_more_frames(qtbot, player, 5)

    sandbox.cut_stream(cid, 2.0, scene="pgm")
    wait_state(qtbot, player, states.RECONNECTING, states.STALLED)
    assert player.seconds_until_retry() is not None
    cut_at = player.frames_decoded
    wait_state(qtbot, player, states.LIVE)
    wait_more_frames(qtbot, player, 10)
    assert player.frames_decoded >= cut_at + 10
    assert seen.index("reconnecting") < len(seen) - 1 - seen[::-1].index("live")


def test_a_silent_stream_is_stalled_then_reconnected(qtbot: Any, make_player: Any) -> None:
    server = StallingFlvServer(seconds=3.0)
    # No network timeout: the stall watchdog (3 s without a frame) must catch it alone.
    player = make_player(network_timeout_ms=None)
    try:
        seen: list[str] = []
        player.state_changed.connect(lambda state, _detail: seen.append(state))
        player.play([PreviewSource(server.url, "stalling")])
        wait_state(qtbot, player, states.LIVE)
        wait_state(qtbot, player, states.STALLED, states.RECONNECTING, timeout=10_000)
        assert "stalled" in seen
        frames = player.frames_decoded
        wait_state(qtbot, player, states.LIVE, timeout=10_000)
        assert server.requests >= 2  # the source was set again
        wait_more_frames(qtbot, player, 5)
        assert player.frames_decoded > frames
    finally:
        player.shutdown()
        server.close()


def test_pause_decoding_stops_frames_and_resume_brings_them_back(
    qtbot: Any, make_player: Any, started: tuple[str, StartResult]
) -> None:
    _, result = started
    player = make_player()
    player.play([PreviewSource(monitor(result), "monitor")])
    wait_state(qtbot, player, states.LIVE)
    wait_more_frames(qtbot, player, 5)

    player.pause_decoding()
    assert player.state == states.PAUSED
    assert not player.is_decoding()
    assert_no_frame_for(qtbot, player, 600)  # 15 frame intervals at 25 fps
    paused_at = player.frames_decoded
    assert_no_frame_for(qtbot, player, 300)
    assert player.frames_decoded == paused_at

    player.resume_decoding()
    wait_state(qtbot, player, states.LIVE)
    wait_more_frames(qtbot, player, 5)


def test_stop_says_stopped_and_decodes_nothing(
    qtbot: Any, make_player: Any, started: tuple[str, StartResult]
) -> None:
    _, result = started
    player = make_player()
    player.play([PreviewSource(monitor(result), "monitor")])
    wait_state(qtbot, player, states.LIVE)
    player.stop()
    assert player.state == states.STOPPED
    assert_no_frame_for(qtbot, player, 400)
    assert_quiet(player, shut_down=False)


def test_unreachable_source_backs_off_then_reports_an_error(qtbot: Any, make_player: Any) -> None:
    with socket.socket() as probe:  # a port nobody listens on: connection refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    player = make_player(give_up_rounds=3)  # the default (6 rounds) takes ~23 s
    countdowns: list[int] = []
    player.countdown_changed.connect(countdowns.append)
    player.play([PreviewSource(f"rtmp://127.0.0.1:{port}/caster/none?auth_key=x", "monitor")])
    wait_state(qtbot, player, states.RECONNECTING)
    assert player.seconds_until_retry() in (1, 0)
    wait_state(qtbot, player, states.ERROR, timeout=10_000)
    assert player.detail.startswith("The stream could not be opened"), player.detail
    assert 2 in countdowns  # the second round waited longer than the first
    assert_quiet(player, shut_down=False)
    player.retry()
    assert player.state == states.CONNECTING


def test_no_url_is_an_error_not_a_crash(make_player: Any) -> None:
    player = make_player()
    player.play([])
    assert player.state == states.ERROR
    assert "No stream URL" in player.detail


def test_shutdown_twice_leaves_nothing_running(
    qtbot: Any, make_player: Any, started: tuple[str, StartResult]
) -> None:
    _, result = started
    player = make_player()
    player.play([PreviewSource(monitor(result), "monitor")])
    wait_state(qtbot, player, states.LIVE)
    player.shutdown()
    player.shutdown()
    assert player.state == states.STOPPED
    assert_quiet(player)
    player.play([PreviewSource(monitor(result), "monitor")])  # ignored after shutdown
    assert_quiet(player)


def test_muted_by_default_means_no_audio_output(make_player: Any) -> None:
    player = make_player()
    assert player.muted and not player.has_audio_output
    player.set_muted(False)
    assert not player.muted and player.has_audio_output
    player.set_muted(True)
    assert player.muted and not player.has_audio_output


def test_without_a_multimedia_backend_it_says_so_plainly(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        states, "multimedia_unavailable_reason", lambda: "Qt Multimedia could not be loaded"
    )
    player = PreviewPlayer("PVW")
    shown_view(qtbot, player)
    player.play([PreviewSource("rtmp://127.0.0.1:1/caster/x", "monitor")])
    assert player.state == states.ERROR
    assert player.detail == "Video preview is unavailable: Qt Multimedia could not be loaded"
    assert not player.is_decoding()
    player.shutdown()
    assert_quiet(player)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "/etc/passwd",
        "javascript:alert(1)",
        "data:video/mp4;base64,AAAA",
        "rtmp://",
        "rtmp://h/" + "a" * 200_000,
    ],
)
def test_only_stream_urls_are_opened(make_player: Any, url: str) -> None:
    player = make_player()
    player.play([PreviewSource(url, "monitor")])
    assert player.state == states.ERROR
    assert not player.is_decoding()
    assert "not opened" in player.detail


def test_a_stream_that_played_is_retried_every_second_or_so_while_cut(
    qtbot: Any, make_player: Any, sandbox: Sandbox, started: tuple[str, StartResult]
) -> None:
    """Back on air fast: after a drop, rounds are 1-1.5 s apart however many fail (the old
    backoff waited 1, 2, 4, 8 s), and the picture returns once the stream does."""
    cid, result = started
    player = make_player()
    player.play([PreviewSource(monitor(result), "monitor")])
    wait_state(qtbot, player, states.LIVE)
    countdowns: list[int] = []
    attempts: list[str] = []
    player.countdown_changed.connect(countdowns.append)
    player.state_changed.connect(
        lambda state, _detail: attempts.append(state) if state == states.CONNECTING else None
    )
    sandbox.cut_stream(cid, 6.0, scene="pgm")
    wait_state(qtbot, player, states.RECONNECTING, states.STALLED)
    qtbot.waitUntil(lambda: len(attempts) >= 3, timeout=WAIT_MS)  # backoff: 2 within 6 s
    assert countdowns and max(countdowns) <= 2, countdowns
    assert ON_AIR_RETRY_S[0] <= player.retry_delay() <= ON_AIR_RETRY_S[1]
    wait_state(qtbot, player, states.LIVE, timeout=WAIT_MS)
    wait_more_frames(qtbot, player, 5)


def test_before_anything_played_rounds_still_back_off(make_player: Any) -> None:
    player = make_player()
    assert player.retry_delay() == 1.0  # nothing played yet, no round failed


def test_the_media_player_lives_on_its_own_thread_not_the_gui_thread(
    qtbot: Any, make_player: Any, started: tuple[str, StartResult]
) -> None:
    """Opening and closing streams (11-40 ms inside Qt) happen off the GUI thread."""
    _, result = started
    player = make_player()
    assert not player.engine_running()  # no thread before the first stream
    player.play([PreviewSource(monitor(result), "monitor")])
    wait_state(qtbot, player, states.LIVE)
    assert player.engine_running()
    assert player.findChildren(QMediaPlayer) == []  # none among the GUI thread's objects
    frame = player.latest_frame()
    assert frame is not None and frame.isValid() and frame.width() == 640
    player.pause_decoding()
    assert player.state == states.PAUSED and not player.is_decoding()
    assert_no_frame_for(qtbot, player, 400)
    player.resume_decoding()
    wait_state(qtbot, player, states.LIVE)
    player.shutdown()
    assert not player.engine_running()
