"""B4 responsiveness: GUI-thread stalls seen by a 5 ms heartbeat timer.

Per run, with 500 ms of latency injected on every sandbox action: a new real window is shown;
once it has painted for the first time (from then on a person is looking at it), the heartbeat
starts and runs through the list load, the Start click (the real button) and both previews
opening until each has decoded its first frame, plus ``settle_s`` of both playing. A stall is a
gap between beats minus the 5 ms period. The limit is 0 (a GUI thread that never blocks).
"""

from __future__ import annotations

import itertools
import time
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from benchmarks.qt_support import (
    IDLE_CASTER,
    BenchmarkError,
    Heartbeat,
    PaintWatcher,
    Workspace,
    application,
    caster_id_by_name,
    click,
    close_window,
    make_window,
    run_for,
    wait_until,
)
from benchmarks.results import Entry, Samples, percentile, rounded, stall_entries
from benchmarks.sizes import Sizes

if TYPE_CHECKING:
    from app.sandbox import Sandbox


def _one_run(
    workspace: Workspace, sandbox: Sandbox, caster_id: str, sizes: Sizes, index: int
) -> tuple[list[float], dict[str, float]]:
    """Returns every stall (ms) and the worst stall of each phase."""
    window = make_window(workspace, sandbox, name=f"b4-{index}")
    heartbeat = Heartbeat()
    phases: dict[str, float] = {}
    try:
        loaded: list[int] = []
        started: list[bool] = []
        first_frames: set[str] = set()
        window.casters.casters_loaded.connect(loaded.append)
        window.casters.start_finished.connect(started.append)
        for pane in (window.panels.pvw, window.panels.pgm):
            pane.player.first_frame.connect(lambda _info, k=pane.kind: first_frames.add(k))
        painted = PaintWatcher([window], lambda _w: True)
        window.show()
        wait_until(painted.done, sizes.timeout_s, "the window's first paint")
        painted.remove()

        heartbeat.start()
        marks = [time.monotonic()]
        wait_until(lambda: bool(loaded), sizes.timeout_s, "the caster list")
        marks.append(time.monotonic())
        if not window.caster_list.select_caster(caster_id):
            raise BenchmarkError(f"{IDLE_CASTER} is not in the list")
        button = window.start_button
        if not isinstance(button, QWidget):
            raise BenchmarkError("no Start button")
        click(button)
        wait_until(lambda: bool(started), sizes.timeout_s, "Start to finish")
        if not started[0]:
            raise BenchmarkError("Start failed")
        marks.append(time.monotonic())
        wait_until(lambda: len(first_frames) == 2, sizes.timeout_s, "both first frames")
        run_for(sizes.settle_s)
        heartbeat.stop()
        marks.append(time.monotonic())
    finally:
        heartbeat.stop()
        close_window(window)
        if sandbox.caster(caster_id)["Status"] != 0:
            sandbox.stop_caster(caster_id)

    stalls = heartbeat.stalls_ms()
    beats = heartbeat.beats
    for name, (begin, end) in zip(
        ("list load", "Start", "preview start-up"),
        itertools.pairwise(marks),
        strict=False,
    ):
        inside = [s for s, t in zip(stalls, beats[1:], strict=False) if begin <= t <= end + 0.05]
        phases[name] = max(inside, default=0.0)
    return stalls, phases


def measure(sizes: Sizes) -> list[Entry]:
    from app.sandbox import Sandbox

    application()
    workspace = Workspace()
    sandbox: Sandbox = Sandbox().start()
    sandbox.faults.add("*", latency=sizes.latency_s)
    p99s, maxima = Samples(), Samples()
    phase_worst: dict[str, Samples] = {}
    all_stalls: list[float] = []
    try:
        caster_id = caster_id_by_name(sandbox, IDLE_CASTER)
        for index in range(sizes.warmup + sizes.runs):
            stalls, phases = _one_run(workspace, sandbox, caster_id, sizes, index)
            if index < sizes.warmup:
                continue
            all_stalls.extend(stalls)
            p99s.add(percentile(stalls, 99))
            maxima.add(max(stalls, default=0.0))
            for name, worst in phases.items():
                phase_worst.setdefault(name, Samples()).add(worst)
    finally:
        sandbox.stop()
        workspace.cleanup()

    by_phase = "; ".join(f"{name} {s.describe('ms')}" for name, s in phase_worst.items())
    common = (
        f"{rounded(sizes.latency_s * 1000)} ms latency on every action; heartbeat from the "
        f"window's first paint to {sizes.settle_s:g} s after both first frames; "
        f"{len(all_stalls)} beats in all, p99 over all of them "
        f"{rounded(percentile(all_stalls, 99))} ms. Worst stall per phase: {by_phase}."
    )
    return stall_entries(
        "B4 Stall p99",
        "B4 Stall max",
        p99s,
        maxima,
        common,
        "Worst gap beyond the 5 ms period in each run (same runs as B4 Stall p99).",
    )
