"""LiveEdge, the catch-up rule of a live preview, on a modelled player (no Qt, no clock).

The model is the player the rule was measured on: frame k has timestamp k/25 s; the live edge
is ``lag`` seconds ahead of the first frame, so frame k arrives at wall time k/25 - lag (the
GOP cache's frames at once), or when a pause in delivery ends.
"""

from __future__ import annotations

import pytest

from app.ui.widgets.preview.live_edge import (
    CATCH_UP_RATE,
    MAX_CATCH_UP_S,
    LiveEdge,
    catches_up,
)

FRAME_S = 1 / 25


class ModelPlayer:
    """A presenting player on a live stream that started ``lag`` s behind its edge.

    Like Qt's: a clock starts at the first frame and runs at the playback rate; each frame is
    shown when the clock reaches its timestamp, or when it arrives if that is later (the clock
    does not wait for data).
    """

    def __init__(self, edge: LiveEdge, lag: float, backlog_forever: bool = False) -> None:
        self.edge = edge
        self.lag = lag
        self.backlog_forever = backlog_forever
        self.rate = 1.0
        self.wall = 0.0
        self.media = -FRAME_S
        self.clock = (0.0, 0.0)  # (wall, media) where the clock was last set
        self.rates: list[tuple[float, float]] = []  # (wall, rate) at each change

    def play(self, seconds: float, hold_s: float = 0.0) -> None:
        """Present frames for ``seconds`` of wall time; ``hold_s`` delays the first of them
        (the stream stopped delivering for that long)."""
        end = self.wall + hold_s + seconds
        blocked_until = self.wall + hold_s  # what comes due meanwhile arrives at once then
        while self.wall < end:
            media = self.media + FRAME_S
            arrives = max(media - self.lag, blocked_until)
            due = self.clock[0] + (media - self.clock[1]) / self.rate
            self.wall = due if self.backlog_forever else max(due, arrives)
            self.media = media
            rate = self.edge.frame(self.wall, self.media)
            if rate is not None:
                clock_media = self.clock[1] + (self.wall - self.clock[0]) * self.rate
                self.clock = (self.wall, clock_media)
                self.rate = rate
                self.rates.append((self.wall, rate))

    @property
    def behind_s(self) -> float:
        """How far the frame on screen is behind the live edge now."""
        return self.lag + self.wall - self.media


def test_a_gop_cache_behind_is_caught_up_then_the_rate_is_1_again() -> None:
    edge = LiveEdge()
    player = ModelPlayer(edge, lag=2.2)
    player.play(8.0)
    assert player.rates[0] == (0.0, CATCH_UP_RATE)  # from the first frame
    assert player.rates[-1][1] == 1.0
    assert len(player.rates) == 2
    # At 2× the lag shrinks by 1 s per second: 2.2 s, then the rule sees the edge within ~1 s.
    assert player.rates[-1][0] < 2.2 + 1.0
    assert edge.caught_up_s == pytest.approx(2.2, abs=0.1)
    assert player.behind_s <= FRAME_S + 1e-9
    assert not edge.catching_up and edge.rate == 1.0


def test_a_player_already_at_the_edge_is_back_to_1x_within_a_second() -> None:
    edge = LiveEdge()
    player = ModelPlayer(edge, lag=0.04)
    player.play(3.0)
    assert [rate for _, rate in player.rates] == [CATCH_UP_RATE, 1.0]
    assert player.rates[-1][0] < 1.0
    assert edge.caught_up_s < 0.1


def test_a_pause_in_delivery_after_catching_up_adds_no_lag_and_no_catch_up() -> None:
    edge = LiveEdge()
    player = ModelPlayer(edge, lag=2.0)
    player.play(6.0)
    assert edge.rate == 1.0 and edge.catch_ups == 1
    player.play(4.0, hold_s=1.5)  # nothing for 1.5 s, then all of it: shown as it comes
    assert edge.catch_ups == 1 and edge.rate == 1.0
    assert player.behind_s <= FRAME_S + 1e-9


def test_a_short_hiccup_while_catching_up_means_the_edge() -> None:
    edge = LiveEdge()
    assert edge.frame(0.0, 0.0) == CATCH_UP_RATE
    assert edge.frame(0.3, 0.3) == 1.0  # no frame for 0.3 s while catching up: starved
    assert edge.frame(0.9, 0.4) is None  # at 1× a gap changes nothing
    assert edge.rate == 1.0


def test_hls_is_left_at_1x() -> None:
    assert not catches_up("http://cdn.example/app/s_lld.m3u8?auth_key=1-0-0-abc")
    assert catches_up("http://cdn.example/app/s_lld.flv?auth_key=1-0-0-abc")
    assert catches_up("rtmp://cdn.example/app/s?auth_key=1-0-0-abc")
    edge = LiveEdge()
    edge.reset(enabled=False)
    player = ModelPlayer(edge, lag=3.0)
    player.play(5.0)
    assert player.rates == [] and edge.catch_ups == 0
    assert edge.reset() is None and edge.enabled


def test_a_backlog_that_never_ends_gives_up_after_the_limit() -> None:
    edge = LiveEdge()
    player = ModelPlayer(edge, lag=0.0, backlog_forever=True)
    player.play(MAX_CATCH_UP_S + 2.0)
    assert [rate for _, rate in player.rates] == [CATCH_UP_RATE, 1.0]
    assert player.rates[-1][0] == pytest.approx(MAX_CATCH_UP_S, abs=0.1)


def test_timestamps_starting_over_and_reset() -> None:
    edge = LiveEdge()
    assert edge.frame(0.0, 5.0) == CATCH_UP_RATE
    assert edge.frame(0.04, 0.0) is None  # started over: catching up again, already at 2×
    assert edge.catch_ups == 2
    assert edge.reset() == 1.0  # a new stream: back to 1× before it opens
    assert edge.reset() is None  # nothing to undo
    assert edge.catch_ups == 0 and edge.rate == 1.0
