"""B12 monitor cost: CPU of the app with the confidence monitors, as a ratio to the previews alone.

Two app processes (``benchmarks.gui_process``, the real window) watch the *same* caster on one
``casterdesk sandbox``, side by side under one Xvfb (Qt's xcb platform with OpenGL off, as the
app starts without a GPU: B6's "Xvfb, no GPU"): one as shipped, one with
``CASTERDESK_MONITORS=off`` (no monitor thread, no audio decoded). Their CPU is read over the
*same* wall-clock windows, so a machine shared with other work loads both alike and the ratio
stays fair even when the absolute figures wander. The benchmark starts the caster itself (the
project's client, StartCaster), so neither app clicked Start: both select the streaming caster
and play the same two monitor streams, and differ only in the monitors.

The monitors' extra work: decoding the audio (the muted previews decode none without them),
measuring it in Python (``app.probe.levels``, ~47 buffers a second a pane), judging 4 pictures a
second a pane on 64×36 luma, and painting two thin meters 20 times a second.

Target: at most 1.5 × the previews alone, that is the monitors cost at most half of what the
previews cost (the issue: "must not cost what the previews cost"). Not 1.1: part of the cost is
a floor set by what the meters need, measured here: Qt decoding and rendering the audio the muted
previews never decode (~1.5 % of a core for two panes), and Qt handing each of the ~94 audio
buffers a second to Python on the monitors' threads (an *empty* slot costs ~0.5 % of a core per
pane). Together ~2.5 %: 1.26 × on their own against the ~9.7 % of two previews without a GPU.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_preview_cost import SETTLE_S, Child
from benchmarks.isolation import casterdesk_command, child_env
from benchmarks.qt_support import IDLE_CASTER
from benchmarks.results import Entry, Samples, make_entry, rounded
from benchmarks.sizes import Sizes
from benchmarks.xvfb import XvfbError, virtual_display

TARGET_RATIO = 1.5


def _cpu_together(children: list[Child], seconds: float) -> list[tuple[float, dict[str, float]]]:
    """CPU % of each child (and per thread group) over one and the same window."""
    before = [(c.cpu_seconds(), c.thread_cpu_seconds()) for c in children]
    started = time.monotonic()
    time.sleep(seconds)  # measuring over a span of time is the point
    after = [(c.cpu_seconds(), c.thread_cpu_seconds()) for c in children]
    wall = time.monotonic() - started
    out = []
    for (cpu0, threads0), (cpu1, threads1) in zip(before, after, strict=True):
        groups = {
            name: 100 * (value - threads0.get(name, 0.0)) / wall for name, value in threads1.items()
        }
        out.append((100 * (cpu1 - cpu0) / wall, groups))
    return out


def measure_pair(sizes: Sizes, display: str) -> tuple[Samples, Samples, list[dict[str, Samples]]]:
    """(CPU with monitors, CPU without, per-thread CPU of each app) over the runs."""
    timeout = sizes.timeout_s
    screen = {"QT_QPA_PLATFORM": "xcb", "DISPLAY": display}
    on, off = Samples(), Samples()
    threads: list[dict[str, Samples]] = [{}, {}]
    with tempfile.TemporaryDirectory(prefix="casterdesk-bench-b12-") as folder:
        home = Path(folder)
        sandbox = Child(
            [*casterdesk_command(), "sandbox"], child_env(home / "sandbox"), home / "sandbox.log"
        )
        apps: list[Child] = []
        try:
            banner: dict[str, Any] = json.loads(sandbox.read(timeout))
            _start_caster(banner)
            for name, extra in (("on", {}), ("off", {"CASTERDESK_MONITORS": "off"})):
                app = Child(
                    [sys.executable, "-m", "benchmarks.gui_process"],
                    child_env(home / name, **screen, **extra),
                    home / f"{name}.log",
                )
                apps.append(app)
                app.write(json.dumps(banner))
                app.read(timeout * 2)  # "ready …": list loaded, caster selected
                app.ask("watch", timeout)
            for index in range(sizes.warmup + sizes.runs):
                time.sleep(SETTLE_S)
                measured = _cpu_together(apps, sizes.cpu_window_s)
                if index < sizes.warmup:
                    continue
                on.add(measured[0][0])
                off.add(measured[1][0])
                for (_, groups), split in zip(measured, threads, strict=True):
                    for group, value in groups.items():
                        split.setdefault(group, Samples()).add(value)
        finally:
            for app in apps:
                app.close()
            sandbox.close(quit_command=None)
    return on, off, threads


def _start_caster(banner: dict[str, Any]) -> None:
    """StartCaster on the benchmark's caster, through the project's client."""
    from app.api.client import LiveClient
    from app.api.signing import SigningKey

    key = SigningKey(banner["access_key_id"], banner["access_key_secret"])
    client = LiveClient(key, region_id=banner["region_id"], endpoint=banner["endpoint"])
    try:
        caster = next(c for c in client.describe_casters().casters if c.name == IDLE_CASTER)
        client.start_caster(caster.caster_id)
    finally:
        client.close()


def measure(sizes: Sizes) -> list[Entry]:
    try:
        with virtual_display() as display:
            on, off, threads = measure_pair(sizes, display)
    except XvfbError as exc:
        raise SystemExit(f"B12 needs Xvfb: {exc}") from exc
    ratios = Samples([a / b for a, b in zip(on.values, off.values, strict=True) if b > 0])
    with_monitors, without = (_by_thread(split) for split in threads)
    return [
        make_entry(
            "B12 Monitor CPU cost",
            on,
            "% CPU",
            limit=off,
            target=f"ratio <= {TARGET_RATIO}",
            met=lambda v, lim: lim is not None and v <= lim * TARGET_RATIO,
            notes=(
                "Two app processes watching the same caster at the same time under one Xvfb "
                "(OpenGL off, QVideoWidget converting on the CPU, as the app starts without a "
                "GPU); value: the app as shipped, both previews playing muted with their "
                "confidence monitors (audio meters, black/frozen/silent alarms); limit: the same "
                "app with CASTERDESK_MONITORS=off. % of one core, medians. Per-run ratios "
                f"{ratios.describe('x')}. By thread, with monitors: {with_monitors}; without: "
                f"{without}."
            ),
        )
    ]


def _by_thread(split: dict[str, Samples]) -> str:
    return "; ".join(
        f"{name} {rounded(samples.median)} %"
        for name, samples in sorted(split.items(), key=lambda item: -item[1].median)
        if samples.median >= 0.05
    )
