"""B5 scale (10,000 casters) and B5b filter keystrokes, on the sandbox's real rate limits.

B5, per run: a new real window signs in to a sandbox holding 10,000 generated casters (plus the
8 seed ones). The clock starts when the window starts its refresh (the ``session_ready`` event,
emitted just before ``refresh()``). "First page visible" is the first paint of the table's
viewport once the model has rows; "all rows" is the ``casters_loaded`` event with the full
count. The limit for all rows is the rate-limit floor, pages / 15 per second.

B5b, on the last window (10,008 rows): keystrokes typed into the real filter box with
``QTest.keyClick``: the filter text narrows character by character, then Backspace widens it
back to every row (the dearest step). Each keystroke is timed to the end of the repaint it
causes; the synchronous part (until the proxy has re-filtered) is reported too.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from benchmarks.qt_support import (
    BenchmarkError,
    PaintWatcher,
    Workspace,
    application,
    close_window,
    make_window,
    run_for,
    wait_until,
)
from benchmarks.results import Entry, Samples, make_entry, percentile, rounded
from benchmarks.sizes import Sizes

if TYPE_CHECKING:
    from app.sandbox import Sandbox
    from app.ui.widgets.main_window import MainWindow

PAGE_SIZE = 100
DESCRIBE_QPS = 15
SEED_CASTERS = 8
RATE_WINDOW_S = 1.2  # let the server's one-second window empty between runs
FILTER_TEXT = "studio 0012"  # narrows step by step to a handful of rows


class _LoadRun:
    """Timestamps of one window's first full load."""

    def __init__(self, window: MainWindow, expected: int) -> None:
        self.window = window
        self.expected = expected
        self.refresh_started = 0.0
        self.first_rows = 0.0
        self.loaded = 0.0
        self.loaded_count = 0
        self.pages = 0
        model = window.casters.model
        self.first_page = PaintWatcher(
            [window.caster_list.table.viewport()], lambda _w: model.rowCount() > 0
        )
        window.event_log.add_listener(self._on_event)
        model.rowsInserted.connect(self._on_rows)

    def _on_event(self, record: dict[str, Any]) -> None:
        if record["event"] == "session_ready" and not self.refresh_started:
            self.refresh_started = time.monotonic()
        elif record["event"] == "casters_loaded" and not self.loaded:
            self.loaded = time.monotonic()
            self.loaded_count = int(record["count"])
            self.pages = int(record.get("pages", 0))

    def _on_rows(self, *_args: object) -> None:
        if not self.first_rows:
            self.first_rows = time.monotonic()

    def wait(self, timeout_s: float) -> None:
        wait_until(lambda: bool(self.loaded), timeout_s, "all casters to load")
        wait_until(self.first_page.done, timeout_s, "the first page to be painted")
        self.first_page.remove()
        if self.loaded_count != self.expected:
            raise BenchmarkError(f"loaded {self.loaded_count} casters, expected {self.expected}")


def _keystrokes(
    window: MainWindow, count: int, timeout_s: float
) -> tuple[list[float], list[float]]:
    """Type into the filter box; returns (ms to repainted, ms to re-filtered) per keystroke."""
    edit = window.caster_list.filter_edit
    proxy = window.caster_list.proxy
    edit.setFocus()
    # The edit repaints on every keystroke; the table's viewport in the same pass if its rows
    # changed. The keystroke is done when that pass is.
    painted = PaintWatcher([edit, window.caster_list.table.viewport()], lambda _w: True)
    to_paint: list[float] = []
    to_filter: list[float] = []
    typed = ""
    deleting = False
    try:
        while len(to_paint) < count:
            if deleting and not typed:
                deleting = False
            elif not deleting and len(typed) == len(FILTER_TEXT):
                deleting = True
            if deleting:
                key = Qt.Key.Key_Backspace
                typed = typed[:-1]
            else:
                char = FILTER_TEXT[len(typed)]
                key = Qt.Key(ord(char.upper()))  # QTest types the lower-case letter
                typed += char
            painted.reset()
            started = time.monotonic()
            QTest.keyClick(edit, key)
            filtered = time.monotonic()
            if proxy.text != typed.strip().casefold():
                raise BenchmarkError(f"the filter is {proxy.text!r}, expected {typed!r}")
            wait_until(lambda: painted.has(edit), timeout_s, "the filter box to repaint")
            to_filter.append((filtered - started) * 1000)
            to_paint.append((painted.last() - started) * 1000)
    finally:
        painted.remove()
    return to_paint, to_filter


def measure(sizes: Sizes) -> list[Entry]:
    from app.sandbox import Sandbox

    application()
    workspace = Workspace()
    sandbox: Sandbox = Sandbox(casters=sizes.scale_casters).start()
    expected = sizes.scale_casters + SEED_CASTERS
    pages = math.ceil(expected / PAGE_SIZE)
    floor_ms = pages / DESCRIBE_QPS * 1000
    first_page, first_rows, all_rows = Samples(), Samples(), Samples()
    keys_p99, sync_p99 = Samples(), Samples()
    all_keys: list[float] = []
    all_sync: list[float] = []
    window: MainWindow | None = None
    try:
        for index in range(sizes.warmup + sizes.runs):
            if window is not None:
                close_window(window)
                window = None
            run_for(RATE_WINDOW_S)
            window = make_window(workspace, sandbox, name=f"b5-{index}")
            run = _LoadRun(window, expected)
            window.show()
            run.wait(sizes.timeout_s + floor_ms / 1000 * 2)
            if run.pages != pages:
                raise BenchmarkError(f"{run.pages} pages fetched, expected {pages}")
            to_paint, to_filter = _keystrokes(window, sizes.keystrokes, sizes.timeout_s)
            if index < sizes.warmup:
                continue
            first_page.add((run.first_page.last() - run.refresh_started) * 1000)
            first_rows.add((run.first_rows - run.refresh_started) * 1000)
            all_rows.add((run.loaded - run.refresh_started) * 1000)
            keys_p99.add(percentile(to_paint, 99))
            sync_p99.add(percentile(to_filter, 99))
            all_keys.extend(to_paint)
            all_sync.extend(to_filter)
    finally:
        if window is not None:
            close_window(window)
        sandbox.stop()
        workspace.cleanup()

    return [
        make_entry(
            "B5 First page visible",
            first_page,
            "ms",
            limit=None,
            target="<= 300 ms",
            met=lambda v, _lim: v <= 300,
            notes=(
                f"{expected} casters, real rate limits. refresh() start -> first paint of the "
                f"table with rows (rows in the model at {first_rows.describe('ms')})."
            ),
        ),
        make_entry(
            "B5 All rows loaded",
            all_rows,
            "ms",
            limit=float(floor_ms),
            target="<= floor x 1.1",
            met=lambda v, lim: lim is not None and v <= lim * 1.1,
            notes=(
                f"refresh() start -> casters_loaded with all {expected} rows; floor = {pages} "
                f"pages / {DESCRIBE_QPS} per second."
            ),
        ),
        make_entry(
            "B5b Filter keystroke p99",
            keys_p99,
            "ms",
            limit=None,
            target="<= 16 ms",
            met=lambda v, _lim: v <= 16,
            notes=(
                f"{sizes.keystrokes} keystrokes per run on {expected} rows (typing "
                f"{FILTER_TEXT!r}, then Backspace back to all rows): keystroke -> repainted. "
                f"Synchronous part (key event -> proxy re-filtered): p99 per run "
                f"{sync_p99.describe('ms')}. Over all keystrokes: repainted p99 "
                f"{rounded(percentile(all_keys, 99))} ms, re-filtered p99 "
                f"{rounded(percentile(all_sync, 99))} ms, median "
                f"{rounded(percentile(all_keys, 50))} ms."
            ),
        ),
    ]
