"""LiveEdge, the catch-up rule of a live preview, on a modelled player (no Qt, no clock).

The model is the player the rule was measured on: frame k has timestamp k/25 s; the live edge
is ``lag`` seconds ahead of the first frame, so frame k arrives at wall time k/25 - lag (the
GOP cache's frames at once), or when a pause in delivery ends.
"""

from __future__ import annotations

import itertools

import pytest

from app.ui.widgets.preview.live_edge import (
    CATCH_UP_RATE,
    CUSHION_S,
    MAX_CATCH_UP_S,
    MAX_SETTLE_S,
    SETTLE_RATE,
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
        self.shown: list[float] = []  # wall time of every frame shown

    def play(self, seconds: float, hold_s: float = 0.0) -> None:
        """Present frames for ``seconds`` of wall time; ``hold_s`` delays the first of them
        (the stream stopped delivering for that long)."""
        held_from = self.wall
        end = held_from + hold_s + seconds
        blocked_until = held_from + hold_s  # what comes due meanwhile arrives at once then
        while self.wall < end:
            media = self.media + FRAME_S
            arrives = media - self.lag
            if held_from < arrives < blocked_until:
                arrives = blocked_until
            due = self.clock[0] + (media - self.clock[1]) / self.rate
            self.wall = due if self.backlog_forever else max(due, arrives)
            self.media = media
            self.shown.append(self.wall)
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


RATES = [CATCH_UP_RATE, SETTLE_RATE, 1.0]  # catch up, build the cushion, live


def test_a_gop_cache_behind_is_caught_up_then_a_cushion_built_then_1x() -> None:
    edge = LiveEdge()
    player = ModelPlayer(edge, lag=2.2)
    player.play(10.0)
    assert player.rates[0] == (0.0, CATCH_UP_RATE)  # from the first frame
    assert [rate for _, rate in player.rates] == RATES
    # At 2× the lag shrinks by 1 s per second: 2.2 s, then the rule sees the edge within ~1 s.
    assert player.rates[1][0] < 2.2 + 1.0
    assert edge.caught_up_s == pytest.approx(2.2, abs=0.1)
    # Behind by the cushion now (plus at most what the 1 s judging window adds), not 2.2 s.
    assert CUSHION_S - 0.01 <= player.behind_s <= CUSHION_S + 0.25, player.behind_s
    assert not edge.catching_up and edge.rate == 1.0


def test_a_player_already_at_the_edge_leaves_2x_within_a_second() -> None:
    edge = LiveEdge()
    player = ModelPlayer(edge, lag=0.04)
    player.play(8.0)
    assert [rate for _, rate in player.rates] == RATES
    assert player.rates[1][0] < 1.0
    assert edge.caught_up_s < 0.1
    assert player.behind_s <= CUSHION_S + 0.25


@pytest.mark.parametrize(("cushion_s", "hidden"), [(CUSHION_S, True), (0.0, False)])
def test_the_cushion_hides_a_short_pause_in_delivery(cushion_s: float, hidden: bool) -> None:
    edge = LiveEdge(cushion_s=cushion_s)
    player = ModelPlayer(edge, lag=2.0)
    player.play(10.0)
    assert edge.rate == 1.0
    shown = len(player.shown)
    player.play(3.0, hold_s=0.15)
    gaps = [b - a for a, b in itertools.pairwise(player.shown[shown - 1 :])]
    assert (max(gaps) <= FRAME_S + 1e-9) == hidden, max(gaps)  # no frame late, with it


def test_a_long_pause_in_delivery_adds_no_lag_and_no_catch_up() -> None:
    edge = LiveEdge()
    player = ModelPlayer(edge, lag=2.0)
    player.play(10.0)
    behind = player.behind_s
    player.play(4.0, hold_s=1.5)  # nothing for 1.5 s, then all of it: shown as it comes
    assert edge.catch_ups == 1 and edge.rate == 1.0
    assert player.behind_s == pytest.approx(behind, abs=1e-6)


def test_a_short_hiccup_while_catching_up_means_the_edge() -> None:
    edge = LiveEdge()
    assert edge.frame(0.0, 0.0) == CATCH_UP_RATE
    assert edge.frame(0.3, 0.3) == SETTLE_RATE  # no frame for 0.3 s while catching up: starved
    assert edge.catching_up  # until the cushion is built
    assert edge.frame(0.3 + MAX_SETTLE_S + 0.1, 0.4) == 1.0  # however it went, 1× in the end
    assert edge.frame(9.9, 0.5) is None  # at 1× a gap changes nothing
    assert edge.rate == 1.0 and not edge.catching_up


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
    player.play(MAX_CATCH_UP_S + 6.0)
    assert [rate for _, rate in player.rates] == RATES
    assert player.rates[1][0] == pytest.approx(MAX_CATCH_UP_S, abs=0.1)


def test_timestamps_starting_over_and_reset() -> None:
    edge = LiveEdge()
    assert edge.frame(0.0, 5.0) == CATCH_UP_RATE
    assert edge.frame(0.04, 0.0) is None  # started over: catching up again, already at 2×
    assert edge.catch_ups == 2
    assert edge.reset() == 1.0  # a new stream: back to 1× before it opens
    assert edge.reset() is None  # nothing to undo
    assert edge.catch_ups == 0 and edge.rate == 1.0
