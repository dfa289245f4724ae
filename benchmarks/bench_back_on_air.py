"""B9: back on air fast. After the sandbox cuts PGM's stream (viewers dropped, new ones refused)
for 3, 10 and 30 s, how long after the stream's return the PGM pane shows a picture again.

Per run and cut: a real window on the in-process sandbox, Start clicked, both previews live;
``Sandbox.cut_stream(caster, seconds, scene="pgm")``; the stream returns ``seconds`` after the
call returned. Value: from then to PGM's state going back to "live" (set by the first frame of
the new connection), after it had left "live". The limit is 0: a pane that is back at once.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from benchmarks.qt_support import (
    IDLE_CASTER,
    BenchmarkError,
    Workspace,
    application,
    caster_id_by_name,
    click,
    close_window,
    make_window,
    run_for,
    wait_until,
)
from benchmarks.results import Entry, Samples, make_entry
from benchmarks.sizes import Sizes

if TYPE_CHECKING:
    from app.sandbox import Sandbox
    from app.ui.widgets.preview.player import PreviewPlayer

TARGET_MS = 2000


def _cut_once(
    sandbox: Sandbox, caster_id: str, player: PreviewPlayer, seconds: float, timeout_s: float
) -> float:
    """Cut PGM for ``seconds``; ms from its return to the pane live again."""
    from app.ui.widgets.preview import player as states

    changes: list[tuple[float, str]] = []

    def note(state: str, _detail: str) -> None:
        changes.append((time.monotonic(), state))

    player.state_changed.connect(note)
    try:
        sandbox.cut_stream(caster_id, seconds, scene="pgm")
        returns_at = time.monotonic() + seconds
        wait_until(
            lambda: any(s != states.LIVE for _t, s in changes),
            seconds + timeout_s,
            "PGM to notice the cut",
        )
        wait_until(lambda: changes[-1][1] == states.LIVE, seconds + timeout_s, "PGM live again")
    finally:
        player.state_changed.disconnect(note)
    return max(0.0, (changes[-1][0] - returns_at) * 1000)


def _one_run(
    workspace: Workspace, sandbox: Sandbox, caster_id: str, sizes: Sizes, index: int
) -> dict[float, float]:
    """ms from the stream's return to PGM live again, per cut length."""
    from app.ui.widgets.preview import player as states

    window = make_window(workspace, sandbox, name=f"b9-{index}")
    back: dict[float, float] = {}
    try:
        window.show()
        wait_until(lambda: window.casters.model.rowCount() > 0, sizes.timeout_s, "the list")
        if not window.caster_list.select_caster(caster_id):
            raise BenchmarkError(f"{IDLE_CASTER} is not in the list")
        button = window.start_button
        if not isinstance(button, QWidget):
            raise BenchmarkError("no Start button")
        click(button)
        player = window.panels.pgm.player
        wait_until(lambda: player.state == states.LIVE, sizes.timeout_s, "PGM live")
        for seconds in sizes.cuts_s:
            run_for(sizes.settle_s)
            back[seconds] = _cut_once(sandbox, caster_id, player, seconds, sizes.timeout_s)
    finally:
        close_window(window)
        if sandbox.caster(caster_id)["Status"] != 0:
            sandbox.stop_caster(caster_id)
    return back


def measure(sizes: Sizes) -> list[Entry]:
    from app.sandbox import Sandbox

    application()
    workspace = Workspace()
    sandbox: Sandbox = Sandbox().start()
    worst = Samples()
    per_cut: dict[float, Samples] = {}
    try:
        caster_id = caster_id_by_name(sandbox, IDLE_CASTER)
        for index in range(sizes.warmup + sizes.runs):
            back = _one_run(workspace, sandbox, caster_id, sizes, index)
            if index < sizes.warmup:
                continue
            worst.add(max(back.values()))
            for seconds, ms in back.items():
                per_cut.setdefault(seconds, Samples()).add(ms)
    finally:
        sandbox.stop()
        workspace.cleanup()
    by_cut = "; ".join(f"{s:g} s cut: {v.describe('ms')}" for s, v in per_cut.items())
    return [
        make_entry(
            "B9 Back on air after a cut",
            worst,
            "ms",
            limit=0.0,
            target=f"<= {TARGET_MS} ms after every cut",
            met=lambda v, _lim: v <= TARGET_MS,
            notes=(
                "PGM pane of the real window (in-process sandbox, offscreen); value per run: "
                f"the worst of its cuts, from the stream's return to PGM live again. {by_cut}."
            ),
        )
    ]
