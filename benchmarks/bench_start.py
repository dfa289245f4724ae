"""B2 (Start latency) and B3 (first frame), measured in the same runs.

App, per run: the real Start button is clicked (the pointer resting on it first, as a person's
does) on a real window signed in to an in-process
sandbox; B2 ends when both panels have *painted* their monitor URL, B3 when each pane's player
reports its first decoded frame (``PreviewPlayer.first_frame``). Then the window's own Stop
resets the caster.

Limit, per run, on the same sandbox and caster: one signed StartCaster made directly with
``LiveClient`` (B2's limit); then PyAV opens both monitor URLs of that answer at once and
decodes each one's first video frame. B3's limit for a pane is that StartCaster time plus
PyAV's open → first frame, i.e. the fastest any program gets from "start" to a picture.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from benchmarks.decoding import first_frames_together
from benchmarks.qt_support import (
    IDLE_CASTER,
    OTHER_IDLE_CASTER,
    BenchmarkError,
    PaintWatcher,
    Workspace,
    application,
    caster_id_by_name,
    click,
    close_window,
    make_window,
    wait_until,
)
from benchmarks.results import Entry, Samples, make_entry
from benchmarks.sizes import Sizes

if TYPE_CHECKING:
    from app.api.client import LiveClient
    from app.sandbox import Sandbox
    from app.ui.widgets.main_window import MainWindow


class _AppRun:
    """Timestamps of one Start click in the window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.clicked = 0.0
        self.first_frame: dict[str, float] = {}
        self.since_source: dict[str, float] = {}
        panels = window.panels
        self.urls = PaintWatcher(
            [panels.pvw.url_label, panels.pgm.url_label],
            lambda w: bool(getattr(w, "full_text", lambda: "")()),
        )
        for pane in (panels.pvw, panels.pgm):
            pane.player.first_frame.connect(
                lambda info, kind=pane.kind: self._on_first_frame(kind, info)
            )

    def _on_first_frame(self, kind: str, info: dict[str, object]) -> None:
        if self.clicked and kind not in self.first_frame:
            self.first_frame[kind] = time.monotonic()
            ms = info.get("ms_since_source")
            self.since_source[kind] = float(ms) if isinstance(ms, int | float) else float("nan")

    def click_start(self, timeout_s: float) -> None:
        window = self.window
        self.urls.reset()
        self.first_frame.clear()
        self.since_source.clear()
        button = window.start_button
        if not isinstance(button, QWidget) or not window.commands.start_action.isEnabled():
            raise BenchmarkError("the Start button is not ready")
        self.clicked = click(button)
        try:
            wait_until(
                lambda: self.urls.done() and len(self.first_frame) == 2,
                timeout_s,
                "both monitor URLs painted and both first frames",
            )
        except BenchmarkError as exc:
            panels = window.panels
            raise BenchmarkError(
                f"{exc} (URLs painted: {len(self.urls.painted)}/2, first frames: "
                f"{sorted(self.first_frame)}, PVW {panels.pvw.player.state}, "
                f"PGM {panels.pgm.player.state})"
            ) from exc
        result = window.casters.shown_result
        if result is None or window.panels.pgm.url_label.full_text() != result.pgm[0].stream_url:
            raise BenchmarkError("the PGM panel does not show the StartCaster answer")

    def stop(self, timeout_s: float) -> None:
        """The window's own Stop (confirmation accepted), then wait for its refresh."""
        window = self.window
        finished: list[bool] = []
        window.casters.stop_finished.connect(finished.append)
        try:
            window.commands.stop_action.trigger()
            wait_until(lambda: bool(finished), timeout_s, "Stop to finish")
        finally:
            window.casters.stop_finished.disconnect(finished.append)
        if not finished[0]:
            raise BenchmarkError("Stop failed in the window")
        wait_until(
            lambda: not window.casters.refresh_running and window.commands.start_action.isEnabled(),
            timeout_s,
            "the list to show the caster idle again",
        )

    def reselect(self, caster_id: str, other_id: str) -> None:
        """Click another idle caster, then back: the panels empty, as for a fresh Start."""
        caster_list = self.window.caster_list
        if not caster_list.select_caster(other_id) or not caster_list.select_caster(caster_id):
            raise BenchmarkError("could not reselect the caster")
        if self.window.panels.pvw.url_label.full_text():
            raise BenchmarkError("the panels still show URLs after selecting an idle caster")


def _limit_run(client: LiveClient, caster_id: str) -> tuple[float, dict[str, float]]:
    """Direct StartCaster, then PyAV to both monitors' first frames; stops the caster."""
    started = time.monotonic()
    result = client.start_caster(caster_id)
    start_ms = (time.monotonic() - started) * 1000
    try:
        urls = [result.pvw[0].stream_url, result.pgm[0].stream_url]
        pvw, pgm = first_frames_together(urls)
        for frame in (pvw, pgm):
            if frame.error:
                raise BenchmarkError(f"PyAV could not decode {frame.url[:40]}…: {frame.error}")
    finally:
        client.stop_caster(caster_id)
    return start_ms, {"pvw": pvw.ms, "pgm": pgm.ms}


def measure(sizes: Sizes) -> list[Entry]:
    from app.api.client import LiveClient
    from app.sandbox import Sandbox

    application()
    workspace = Workspace()
    sandbox: Sandbox = Sandbox().start()
    window: MainWindow | None = None
    client = LiveClient(sandbox.signing_key, region_id=sandbox.region_id, endpoint=sandbox.endpoint)
    b2, b2_limit = Samples(), Samples()
    b3 = {"pvw": Samples(), "pgm": Samples()}
    b3_limit = {"pvw": Samples(), "pgm": Samples()}
    b3_pyav = {"pvw": Samples(), "pgm": Samples()}
    b3_since_source = {"pvw": Samples(), "pgm": Samples()}
    try:
        window = make_window(workspace, sandbox)
        loaded: list[int] = []
        window.casters.casters_loaded.connect(loaded.append)
        window.show()
        wait_until(lambda: bool(loaded), sizes.timeout_s, "the caster list")
        caster_id = caster_id_by_name(sandbox, IDLE_CASTER)
        other_id = caster_id_by_name(sandbox, OTHER_IDLE_CASTER)
        if not window.caster_list.select_caster(caster_id):
            raise BenchmarkError(f"{IDLE_CASTER} is not in the list")
        app_run = _AppRun(window)
        for index in range(sizes.warmup + sizes.runs):
            record = index >= sizes.warmup
            app_run.click_start(sizes.timeout_s)
            app_run.stop(sizes.timeout_s)
            app_run.reselect(caster_id, other_id)
            start_ms, pyav_ms = _limit_run(client, caster_id)
            if not record:
                continue
            b2.add((app_run.urls.last() - app_run.clicked) * 1000)
            b2_limit.add(start_ms)
            for kind in ("pvw", "pgm"):
                b3[kind].add((app_run.first_frame[kind] - app_run.clicked) * 1000)
                b3_limit[kind].add(start_ms + pyav_ms[kind])
                b3_pyav[kind].add(pyav_ms[kind])
                b3_since_source[kind].add(app_run.since_source[kind])
        app_run.urls.remove()
    finally:
        if window is not None:
            close_window(window)
        client.close()
        sandbox.stop()
        workspace.cleanup()

    entries = [
        make_entry(
            "B2 Start latency",
            b2,
            "ms",
            limit=b2_limit,
            target="<= limit x 1.1 + 20 ms",
            met=lambda v, lim: lim is not None and v <= lim * 1.1 + 20,
            notes=(
                "Start button click -> both panels painted their monitor URL; limit: one signed "
                "StartCaster with LiveClient."
            ),
        )
    ]
    for kind in ("pgm", "pvw"):
        entries.append(
            make_entry(
                f"B3 First frame {kind.upper()}",
                b3[kind],
                "ms",
                limit=b3_limit[kind],
                target="ratio <= 1.2 and < 1000 ms",
                met=lambda v, lim: lim is not None and v <= lim * 1.2 and v < 1000,
                notes=(
                    "Start click -> the pane's first decoded frame on the GUI thread; limit: "
                    "direct StartCaster + PyAV av.open -> first video frame of the same monitor "
                    f"URL (PyAV alone {b3_pyav[kind].describe('ms')}; the app's player from "
                    f"setSource {b3_since_source[kind].describe('ms')})."
                ),
            )
        )
    return entries
