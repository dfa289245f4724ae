"""B1 cold start, timed from outside: spawn → marker, for the app and for a bare PySide6 window.

App: ``casterdesk gui --sandbox --log-file F`` (offscreen). Its markers are the
``window_painted`` event (B1a: the real window's first paint) and the ``casters_loaded`` event
(B1b: the list filled from the sandbox it started), whose ``t`` is the child's
``time.monotonic()``: CLOCK_MONOTONIC, the same clock as ours on Linux. Then it is terminated.
Limit: ``bare_window.py`` (QApplication + an empty QMainWindow shown), whose marker is its first
paint event, printed with the same clock. Both children get a throw-away HOME, and read and
write bytecode as an installed app does (see ``_env``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.isolation import ROOT, casterdesk_command, child_env
from benchmarks.results import Entry, Samples, make_entry, rounded
from benchmarks.sizes import Sizes

BARE = Path(__file__).with_name("bare_window.py")
POLL_S = 0.01  # only how soon we notice; the time itself comes from the child's log
# Events of the app's log reported as a breakdown: imports + QApplication + logging set-up end
# at app_started; then the window's frame is built, shown and painted; then its content is
# built (window_completed, absent from builds before it: not counted for them); then the
# session (here: the in-process sandbox starting, on a worker) is ready; then the list is fetched.
MILESTONES = (
    "app_started",
    "window_shown",
    "window_painted",
    "window_completed",
    "session_ready",
    "casters_loaded",
)


class ColdStartError(RuntimeError):
    pass


def _env(home: Path) -> dict[str, str]:
    """The children's environment, with bytecode cached as where the app is installed (pip
    compiles it on install; the frozen bundle ships it). With PYTHONDONTWRITEBYTECODE set (``./dev
    test`` sets it, and so may the shell) every start would compile the app's modules again:
    ~100 ms more, which no user pays. The warm-up run writes what is missing."""
    env = child_env(home)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _events(path: Path) -> list[dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    events = []
    for line in text.splitlines():
        if line.strip().endswith("}"):
            events.append(json.loads(line))
    return events


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def app_run(home: Path, timeout_s: float, program: list[str] | None = None) -> dict[str, float]:
    """Spawn the app (``program``: default the virtualenv's ``casterdesk``); returns ms from
    spawn to each milestone."""
    log = home / f"events-{time.monotonic_ns()}.jsonl"
    program = program if program is not None else casterdesk_command()
    command = [*program, "gui", "--sandbox", "--log-file", str(log)]
    home.mkdir(parents=True, exist_ok=True)
    stderr_path = log.with_suffix(".stderr")
    with stderr_path.open("wb") as stderr:
        spawned = time.monotonic()
        process = subprocess.Popen(
            command, env=_env(home), stdout=subprocess.DEVNULL, stderr=stderr
        )
    try:
        deadline = spawned + timeout_s
        while True:
            events = _events(log)
            loaded = [e for e in events if e["event"] == "casters_loaded"]
            if loaded:
                break
            failed = [e for e in events if e["event"] in ("refresh_failed", "error_shown")]
            if failed or process.poll() is not None or time.monotonic() > deadline:
                tail = stderr_path.read_text(encoding="utf-8", errors="replace")[-1500:]
                raise ColdStartError(
                    f"the app did not fill its list ({failed or f'exit {process.poll()}'}): {tail}"
                )
            time.sleep(POLL_S)
        if loaded[0]["count"] < 1:
            raise ColdStartError("the list loaded empty")
        times = {e["event"]: (e["t"] - spawned) * 1000 for e in reversed(events)}
        return {name: times[name] for name in MILESTONES if name in times}
    finally:
        _stop(process)


def bare_run(home: Path, timeout_s: float) -> dict[str, float]:
    """Spawn the bare window; returns ms from spawn to its show event and to its exit."""
    spawned = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, str(BARE)],
        env=_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        out, _ = process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired as exc:
        process.kill()
        process.wait(10)
        raise ColdStartError("the bare window did not exit") from exc
    exited = time.monotonic()
    markers = {
        line.split()[0]: (float(line.split()[1]) - spawned) * 1000
        for line in out.splitlines()
        if line.startswith(("shown ", "painted "))
    }
    if process.returncode != 0 or set(markers) != {"shown", "painted"}:
        raise ColdStartError(f"the bare window failed (exit {process.returncode})")
    return {**markers, "exit": (exited - spawned) * 1000}


def frozen_bundle() -> Path | None:
    """The frozen Linux app (``packaging/build``), if it has been built."""
    executable = ROOT / "dist" / "casterdesk" / "casterdesk"
    return executable if executable.is_file() else None


def measure(sizes: Sizes) -> list[Entry]:
    milestones = {name: Samples() for name in MILESTONES}
    frozen = {name: Samples() for name in MILESTONES}
    bundle = frozen_bundle()
    bare_shown, bare_painted, bare_exit = Samples(), Samples(), Samples()
    with tempfile.TemporaryDirectory(prefix="casterdesk-bench-b1-") as folder:
        home = Path(folder)
        for index in range(sizes.warmup + sizes.runs):
            app = app_run(home / "app", sizes.timeout_s)
            bare = bare_run(home / "bare", sizes.timeout_s)
            built = app_run(home / "frozen", sizes.timeout_s, [str(bundle)]) if bundle else {}
            if index < sizes.warmup:
                continue
            for name, value in built.items():
                frozen[name].add(value)
            for name, value in app.items():
                milestones[name].add(value)
            bare_shown.add(bare["shown"])
            bare_painted.add(bare["painted"])
            bare_exit.add(bare["exit"])
    breakdown = ", ".join(f"{n} {rounded(s.median)}" for n, s in milestones.items() if s.values)
    if bundle is None:
        frozen_note = "The frozen bundle (dist/casterdesk/casterdesk) was not built: not measured."
    else:
        frozen_note = "The frozen bundle (dist/casterdesk/casterdesk), median ms from spawn: " + (
            ", ".join(f"{n} {rounded(s.median)}" for n, s in frozen.items() if s.values)
        )
        frozen_note += (
            f"; window_painted {rounded(frozen['window_painted'].median / bare_painted.median, 2)}"
            f"x and casters_loaded "
            f"{rounded(frozen['casters_loaded'].median / bare_painted.median, 2)}x the bare window."
        )
    bare = (
        f"Limit: spawn -> first paint of an empty QMainWindow in a bare PySide6 process (its "
        f"show event {bare_shown.describe('ms')}; spawn -> exit {bare_exit.describe('ms')})."
    )
    return [
        make_entry(
            "B1a Window visible",
            milestones["window_painted"],
            "ms",
            limit=bare_painted,
            target="ratio <= 1.5",
            met=lambda v, lim: lim is not None and v <= lim * 1.5,
            notes=(
                "spawn of `casterdesk gui --sandbox` -> window_painted (the real window's first "
                "paint event: its frame, i.e. the menu bar with its menus, the toolbar and the "
                "status bar; the caster list and the studio are built on the next turn, "
                f"window_completed). App milestones, median ms from "
                f"spawn: {breakdown}. {bare} {frozen_note}"
            ),
        ),
        make_entry(
            "B1b List filled",
            milestones["casters_loaded"],
            "ms",
            limit=bare_painted,
            target="ratio <= 3",
            met=lambda v, lim: lim is not None and v <= lim * 3,
            notes=(
                "spawn -> casters_loaded (the list filled with the rows of the sandbox the app "
                f"starts; painted on the next turn of the event loop). {bare} {frozen_note}"
            ),
        ),
    ]
