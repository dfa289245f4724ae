"""B7: the GUI thread never waits for the players, whatever the user does while both play.

Per run: a new real window on the in-process sandbox, Start clicked (the real button), both
previews live. Then a 5 ms ``PreciseTimer`` heartbeat runs through, in order: minimise (both
panes pause: their streams are closed), restore (both reopen), "Preview this" on PGM (its
stream is closed and another opened), a tab away to another window and back, and Stop (the
real button; both streams closed). Each step waits for its visible outcome. A stall is a gap
between beats minus the 5 ms period; the limit is 0 (a GUI thread that never blocks).

Run offscreen (the sink path) and, under Xvfb, on Qt's xcb platform (QVideoWidget, llvmpipe);
the rows are the worse of the two.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QWidget

from benchmarks.isolation import ROOT, child_env
from benchmarks.qt_support import (
    IDLE_CASTER,
    BenchmarkError,
    Heartbeat,
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
from benchmarks.xvfb import virtual_display

if TYPE_CHECKING:
    from app.sandbox import Sandbox

STEPS = ("minimise", "restore", "Preview this", "tab away and back", "Stop")
TAB_AWAY_S = 0.3


def _one_run(
    workspace: Workspace, sandbox: Sandbox, caster_id: str, sizes: Sizes, index: int
) -> tuple[list[float], dict[str, float]]:
    """Every stall (ms) over the steps, and the worst stall of each step."""
    from app.ui.widgets.preview import player as states

    window = make_window(workspace, sandbox, name=f"b7-{index}")
    heartbeat = Heartbeat()
    worst: dict[str, float] = {}
    other = QLabel("another window")
    try:
        window.show()
        wait_until(lambda: window.casters.model.rowCount() > 0, sizes.timeout_s, "the list")
        if not window.caster_list.select_caster(caster_id):
            raise BenchmarkError(f"{IDLE_CASTER} is not in the list")
        button = window.start_button
        if not isinstance(button, QWidget):
            raise BenchmarkError("no Start button")
        panes = (window.panels.pvw, window.panels.pgm)
        pgm = window.panels.pgm

        def all_in(*wanted: str) -> bool:
            return all(p.player.state in wanted for p in panes)

        click(button)
        wait_until(lambda: all_in(states.LIVE), sizes.timeout_s, "both previews live")
        run_for(sizes.settle_s)
        result = window.casters.shown_result
        assert result is not None
        flv = next(i for i in result.pgm[0].stream_infos if i.video_format == "flv")

        heartbeat.start()
        marks = [time.monotonic()]
        window.showMinimized()
        wait_until(lambda: all_in(states.PAUSED), sizes.timeout_s, "both panes to pause")
        run_for(0.2)
        marks.append(time.monotonic())
        window.showNormal()
        wait_until(lambda: all_in(states.LIVE), sizes.timeout_s, "both panes live again")
        run_for(0.2)
        marks.append(time.monotonic())
        pgm.preview_url(flv.output_stream_url, f"FLV {flv.transcode_config}")
        wait_until(
            lambda: (
                pgm.player.state == states.LIVE
                and pgm.player.current_source is not None
                and pgm.player.current_source.url == flv.output_stream_url
            ),
            sizes.timeout_s,
            "PGM to play the chosen output",
        )
        run_for(0.2)
        marks.append(time.monotonic())
        other.show()
        other.activateWindow()
        run_for(TAB_AWAY_S)
        other.hide()
        window.activateWindow()
        run_for(TAB_AWAY_S)
        marks.append(time.monotonic())
        stop = window.toolbar.widgetForAction(window.commands.stop_action)
        if not isinstance(stop, QWidget):
            raise BenchmarkError("no Stop button")
        click(stop)
        wait_until(lambda: all_in(states.STOPPED), sizes.timeout_s, "both panes stopped")
        run_for(0.2)
        heartbeat.stop()
        marks.append(time.monotonic())
    finally:
        heartbeat.stop()
        other.close()
        other.deleteLater()
        close_window(window)
        if sandbox.caster(caster_id)["Status"] != 0:
            sandbox.stop_caster(caster_id)

    stalls = heartbeat.stalls_ms()
    beats = heartbeat.beats
    for name, begin, end in zip(STEPS, marks, marks[1:], strict=False):
        inside = [s for s, t in zip(stalls, beats[1:], strict=False) if begin <= t <= end]
        worst[name] = max(inside, default=0.0)
    return stalls, worst


def run_here(sizes: Sizes) -> dict[str, object]:
    """All runs in this process; returns per-run p99 and max and the worst stall per step."""
    from app.sandbox import Sandbox

    application()
    workspace = Workspace()
    sandbox: Sandbox = Sandbox().start()
    p99s: list[float] = []
    maxima: list[float] = []
    steps: dict[str, list[float]] = {}
    try:
        caster_id = caster_id_by_name(sandbox, IDLE_CASTER)
        for index in range(sizes.warmup + sizes.runs):
            stalls, worst = _one_run(workspace, sandbox, caster_id, sizes, index)
            if index < sizes.warmup:
                continue
            p99s.append(percentile(stalls, 99))
            maxima.append(max(stalls, default=0.0))
            for name, value in worst.items():
                steps.setdefault(name, []).append(value)
    finally:
        sandbox.stop()
        workspace.cleanup()
    return {"p99": p99s, "max": maxima, "steps": steps}


def run_on_display(sizes: Sizes, display: str) -> dict[str, object]:
    """The same runs in a child process on ``display`` (Qt's xcb platform)."""
    with tempfile.TemporaryDirectory(prefix="casterdesk-bench-b7-") as folder:
        out = Path(folder) / "b7.json"
        env = child_env(Path(folder) / "home", QT_QPA_PLATFORM="xcb", DISPLAY=display)
        completed = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_stall", sizes.to_json(), str(out)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        if completed.returncode != 0 or not out.exists():
            raise BenchmarkError("B7 under Xvfb failed:\n" + completed.stdout[-2500:])
        data: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
        return data


def measure(sizes: Sizes) -> list[Entry]:
    results = {"offscreen": run_here(sizes)}
    with virtual_display() as display:
        results["llvmpipe"] = run_on_display(sizes, display)
    p99s, maxima = Samples(), Samples()
    details = []
    for where, data in results.items():
        p99 = data["p99"]
        peak = data["max"]
        steps = data["steps"]
        assert isinstance(p99, list) and isinstance(peak, list) and isinstance(steps, dict)
        for run, (a, b) in enumerate(zip(p99, peak, strict=True)):
            if where == "offscreen":
                p99s.add(a)
                maxima.add(b)
            else:  # the worse of the two displays, run by run
                p99s.values[run] = max(p99s.values[run], a)
                maxima.values[run] = max(maxima.values[run], b)
        by_step = ", ".join(
            f"{name} {Samples(values).describe('ms')}" for name, values in steps.items()
        )
        details.append(
            f"{where}: p99 median {rounded(Samples(p99).median)} ms, max median "
            f"{rounded(Samples(peak).median)} ms; worst stall per step: {by_step}"
        )
    notes = (
        f"Heartbeat 5 ms over {', '.join(STEPS)} with both previews playing; each row is the "
        f"worse of offscreen and Xvfb (llvmpipe) run by run. {'. '.join(details)}."
    )
    return stall_entries(
        "B7 GUI stall p99 (hide, Preview this, Stop)",
        "B7 GUI stall max (hide, Preview this, Stop)",
        p99s,
        maxima,
        notes,
        "Worst gap beyond the 5 ms period in each run (same runs as the p99 row).",
    )


def main(argv: list[str]) -> int:
    sizes = Sizes.from_json(argv[0])
    data = run_here(sizes)
    Path(argv[1]).write_text(json.dumps(data), encoding="utf-8")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main(sys.argv[1:]))
