"""B6 preview cost and B8 memory: CPU and RSS of the app process with PVW and PGM playing.

Measured twice: under Xvfb, where Qt's xcb platform has OpenGL from Mesa's llvmpipe and the
panes draw through ``QVideoWidget`` (Qt's RHI path, as on a desktop), and offscreen (no RHI:
the sink path, each frame converted by ``QVideoFrame.toImage()``).

Three processes, so that each one's cost is its own: ``casterdesk sandbox`` serves the API and
the streams; ``benchmarks.gui_process`` is the real window signed in to it through a profile;
``benchmarks.pyav_process`` is the limit (PyAV decoding the same two monitor URLs, every frame
converted to RGB). CPU is the process's user+system time over a wall-clock window
(``/proc/PID/stat``, all threads), so 100 % is one core; RSS is ``VmRSS``.

Per run: the app with both previews playing; then minimised (both panes must pause: that CPU
minus the app's idle CPU before any preview is what hidden panes cost); then, while the app is
minimised, the PyAV process. The idle baseline is measured the same number of times, first.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from benchmarks.isolation import casterdesk_command, child_env
from benchmarks.results import Entry, Samples, make_entry, rounded
from benchmarks.sizes import Sizes
from benchmarks.xvfb import XvfbError, virtual_display

SETTLE_S = 0.5  # let start-up bursts (GOP cache, first paints) pass before measuring
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
HIDDEN_NOISE_PERCENT = 1.0  # "costs about 0": within a percent of a core of the idle app


class ChildError(RuntimeError):
    pass


def thread_group(name: str) -> str:
    """Which part of the app a thread belongs to, from its name (``/proc/.../comm``)."""
    if name.startswith("av:"):
        return "FFmpeg decoding"
    if name.startswith("QFFmpeg"):
        return "Qt FFmpeg demux/render"
    if name.startswith("llvmpipe"):
        return "llvmpipe (Mesa's software OpenGL)"
    if name.startswith("preview-"):
        return "player threads (open/close)"
    if name.startswith("monitor-"):
        return "confidence monitors (analysis)"
    if name in ("python", "python3") or name.startswith(("casterdesk", "python3.")):
        return "GUI thread (python)"
    return "other Qt threads"


class Child:
    """A child process spoken to in lines over stdin/stdout."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._log_file: IO[str] = log.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log_file,
            text=True,
            bufsize=1,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def write(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def read(self, timeout_s: float) -> str:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout_s)
        if not ready:
            raise ChildError(f"no answer within {timeout_s:.0f} s (see {self.log})")
        line = self.process.stdout.readline().strip()
        if not line or line.startswith("error"):
            tail = self.log.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise ChildError(f"{line or 'the process ended'}\n{tail}")
        return line

    def ask(self, command: str, timeout_s: float) -> str:
        self.write(command)
        return self.read(timeout_s)

    def cpu_seconds(self) -> float:
        """User + system CPU time of every thread of the process so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def thread_cpu_seconds(self) -> dict[str, float]:
        """CPU seconds so far per thread name (threads of one name added up)."""
        totals: dict[str, float] = {}
        for task in Path(f"/proc/{self.pid}/task").iterdir():
            try:
                name = (task / "comm").read_text().strip()
                fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # the thread ended meanwhile
                continue
            group = thread_group(name)
            totals[group] = (
                totals.get(group, 0.0) + (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
            )
        return totals

    def cpu_percent(self, seconds: float) -> float:
        """Average CPU % (of one core) over the next ``seconds``."""
        return self.cpu_breakdown(seconds)[0]

    def cpu_breakdown(self, seconds: float) -> tuple[float, dict[str, float]]:
        """CPU % of the whole process over the next ``seconds``, and of each thread group
        (threads that ended meanwhile are only in the total)."""
        cpu_before, threads_before = self.cpu_seconds(), self.thread_cpu_seconds()
        wall_before = time.monotonic()
        time.sleep(seconds)  # measuring over a span of time is the point
        cpu_after, threads_after = self.cpu_seconds(), self.thread_cpu_seconds()
        wall = time.monotonic() - wall_before
        groups = {
            name: 100 * (value - threads_before.get(name, 0.0)) / wall
            for name, value in threads_after.items()
        }
        return 100 * (cpu_after - cpu_before) / wall, groups

    def close(self, quit_command: str | None = "quit", timeout_s: float = 30.0) -> None:
        if self.process.poll() is None:
            try:
                if quit_command:
                    self.write(quit_command)
                    assert self.process.stdin is not None
                    self.process.stdin.close()
                else:
                    self.process.terminate()
                self.process.wait(timeout_s)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait(timeout_s)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None and not stream.closed:
                stream.close()
        self._log_file.close()


def _frames(gui: Child, timeout_s: float) -> dict[str, int]:
    data: dict[str, int] = json.loads(gui.ask("frames", timeout_s))
    return data


@dataclass
class Run:
    """What one display's runs measured (medians come from the Samples)."""

    playing: Samples = field(default_factory=Samples)
    minimised: Samples = field(default_factory=Samples)
    idle: Samples = field(default_factory=Samples)
    pyav: Samples = field(default_factory=Samples)
    rss_playing: Samples = field(default_factory=Samples)
    rss_idle: Samples = field(default_factory=Samples)
    rss_pyav: Samples = field(default_factory=Samples)
    by_thread: dict[str, Samples] = field(default_factory=dict)
    frames_while_hidden: int = 0
    rhi: bool = False

    def threads(self) -> str:
        return "; ".join(
            f"{name} {rounded(samples.median)} %"
            for name, samples in sorted(self.by_thread.items(), key=lambda item: -item[1].median)
            if samples.median >= 0.05
        )


def measure_on(sizes: Sizes, display: str | None, **env: str) -> Run:
    """Both previews' cost with the app on ``display`` (Xvfb, Qt's xcb + llvmpipe) or, with
    None, offscreen (no RHI: the sink path). ``env``: more variables for the app process."""
    timeout = sizes.timeout_s
    run = Run()
    screen = {"QT_QPA_PLATFORM": "xcb", "DISPLAY": display} if display else {}
    # The previews alone, as PyAV's limit decodes them: the confidence monitors' own cost is
    # B12's (bench_monitor_cost), which runs the app with and without them.
    screen.setdefault("CASTERDESK_MONITORS", "off")
    screen.update(env)
    with tempfile.TemporaryDirectory(prefix="casterdesk-bench-b6-") as folder:
        home = Path(folder)
        sandbox = Child(
            [*casterdesk_command(), "sandbox"], child_env(home / "sandbox"), home / "sandbox.log"
        )
        gui: Child | None = None
        try:
            banner: dict[str, Any] = json.loads(sandbox.read(timeout))
            gui = Child(
                [sys.executable, "-m", "benchmarks.gui_process"],
                child_env(home / "gui", **screen),
                home / "gui.log",
            )
            gui.write(json.dumps(banner))
            ready = gui.read(timeout * 2)  # "ready T rhi": list loaded, idle caster selected
            run.rhi = ready.split()[-1] == "rhi"
            time.sleep(SETTLE_S)
            for index in range(sizes.warmup + sizes.runs):
                cpu = gui.cpu_percent(sizes.cpu_window_s)
                if index >= sizes.warmup:
                    run.idle.add(cpu)
                    run.rss_idle.add(gui.rss_mb())
            answer = gui.ask("start", timeout)
            urls: dict[str, str] = json.loads(answer.removeprefix("playing "))
            for index in range(sizes.warmup + sizes.runs):
                record = index >= sizes.warmup
                time.sleep(SETTLE_S)
                cpu_playing, groups = gui.cpu_breakdown(sizes.cpu_window_s)
                rss = gui.rss_mb()
                gui.ask("minimize", timeout)
                time.sleep(SETTLE_S)
                before = _frames(gui, timeout)
                cpu_hidden = gui.cpu_percent(sizes.cpu_window_s)
                after = _frames(gui, timeout)
                decoder = Child(
                    [sys.executable, "-m", "benchmarks.pyav_process"],
                    child_env(home / "pyav"),
                    home / "pyav.log",
                )
                try:
                    decoder.write(json.dumps(urls))
                    decoder.read(timeout)  # "decoding"
                    time.sleep(SETTLE_S)
                    cpu_pyav = decoder.cpu_percent(sizes.cpu_window_s)
                    rss_decoder = decoder.rss_mb()
                finally:
                    decoder.close()
                gui.ask("restore", timeout)
                if not record:
                    continue
                run.playing.add(cpu_playing)
                for name, value in groups.items():
                    run.by_thread.setdefault(name, Samples()).add(value)
                run.rss_playing.add(rss)
                run.minimised.add(cpu_hidden)
                run.frames_while_hidden += sum(after.values()) - sum(before.values())
                run.pyav.add(cpu_pyav)
                run.rss_pyav.add(rss_decoder)
        finally:
            if gui is not None:
                gui.close()
            sandbox.close(quit_command=None)
    return run


def cpu_entry(name: str, run: Run, how: str) -> Entry:
    return make_entry(
        name,
        run.playing,
        "% CPU",
        limit=run.pyav,
        target="ratio <= 1.3",
        met=lambda v, lim: lim is not None and v <= lim * 1.3,
        notes=(
            f"{how} App process (real window, sandbox in its own process) with both previews "
            f"playing, % of one core (by thread, medians: {run.threads()}); limit: PyAV "
            "decoding the same two monitor streams in one process, each video frame converted "
            "to RGB24 (audio packets read, not decoded: the previews are muted). The idle app: "
            f"{run.idle.describe('% CPU')}. RSS playing {run.rss_playing.describe('MB')}, idle "
            f"{run.rss_idle.describe('MB')}, PyAV process {run.rss_pyav.describe('MB')}."
        ),
    )


def measure(sizes: Sizes) -> list[Entry]:
    entries: list[Entry] = []
    try:
        with virtual_display() as display:
            rhi = measure_on(sizes, display, CASTERDESK_OPENGL="on")
            no_gpu = measure_on(sizes, display)
    except XvfbError as exc:
        raise SystemExit(f"B6 (llvmpipe) needs Xvfb: {exc}") from exc
    offscreen = measure_on(sizes, None)
    entries.append(
        cpu_entry(
            "B6 Preview CPU (llvmpipe)",
            rhi,
            "Under Xvfb: Qt's xcb platform with Mesa's llvmpipe OpenGL (CASTERDESK_OPENGL=on), "
            f"so the panes draw through QVideoWidget (QVideoWidget: {'yes' if rhi.rhi else 'NO'}; "
            "conversion in a shader, rasterised on the CPU here).",
        )
    )
    entries.append(
        cpu_entry(
            "B6 Preview CPU (Xvfb, no GPU)",
            no_gpu,
            "Under Xvfb as the app starts without a GPU: OpenGL off "
            "(QT_XCB_GL_INTEGRATION=none, app/ui/video_backend.py), QVideoWidget "
            f"({'yes' if no_gpu.rhi else 'NO'}) converting on the CPU.",
        )
    )
    entries.append(
        cpu_entry(
            "B6 Preview CPU (offscreen)",
            offscreen,
            "QT_QPA_PLATFORM=offscreen: no RHI, so the panes paint each frame converted by "
            "QVideoFrame.toImage() (the sink path kept for machines without one).",
        )
    )
    hidden_cost = Samples([v - no_gpu.idle.median for v in no_gpu.minimised.values])
    entries.append(
        make_entry(
            "B6 Hidden panes CPU",
            hidden_cost,
            "% CPU",
            limit=0.0,
            target=f"~0 (<= {HIDDEN_NOISE_PERCENT:g} % and no frame decoded)",
            met=lambda v, _lim: v <= HIDDEN_NOISE_PERCENT and no_gpu.frames_while_hidden == 0,
            notes=(
                "Under Xvfb (no GPU, as the app starts there), window minimised with both "
                "previews started: app CPU minus the idle app's "
                f"({rounded(no_gpu.idle.median)} %); frames decoded while hidden: "
                f"{no_gpu.frames_while_hidden}; CPU minimised "
                f"{no_gpu.minimised.describe('% CPU')}."
            ),
        )
    )
    entries.extend(memory_entries(no_gpu))
    return entries


def memory_entries(run: Run) -> list[Entry]:
    """B8: resident memory of the app idle and with both previews, next to PyAV's."""
    previews = Samples(
        [p - i for p, i in zip(run.rss_playing.values, run.rss_idle.values, strict=False)]
    )
    return [
        make_entry(
            "B8 RSS idle",
            run.rss_idle,
            "MB",
            limit=None,
            target="recorded (what it is made of: RESULTS.md)",
            met=lambda _v, _lim: True,
            notes=(
                "VmRSS of the app (Xvfb, no GPU: OpenGL off) with the list loaded, before any "
                "preview."
            ),
        ),
        make_entry(
            "B8 RSS with two previews",
            run.rss_playing,
            "MB",
            limit=run.rss_pyav,
            target="playing - idle <= PyAV process",
            met=lambda _v, lim: lim is not None and previews.median <= lim,
            notes=(
                "VmRSS of the app with both previews playing (Xvfb, no GPU: OpenGL off); what the "
                f"previews add: {previews.describe('MB')}; limit: the whole PyAV process "
                "decoding the same two streams."
            ),
        ),
    ]
