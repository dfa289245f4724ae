"""``casterdesk gui --sandbox --smoke-test``: prove the whole GUI works, then quit.

Drives the real window the way a director would: wait for the caster list, start an idle
caster, wait until PVW and PGM have each decoded a frame, then print one JSON line
(``{"smoke": "ok", ...}`` or ``{"smoke": "failed", "reason": ...}``) and close the window.
Used by the packaging tests on the frozen bundle, and handy on a new machine.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any, TextIO

from PySide6.QtCore import QObject, QTimer, Signal

from app.api.models import Caster
from app.ui.widgets.main_window import MainWindow

SMOKE_TIMEOUT_MS = 60_000
MAX_START_ATTEMPTS = 4  # some seed casters refuse to start (no domain, another team's)


class SmokeTest(QObject):
    """Runs once the window is shown; :attr:`finished` carries the report."""

    finished = Signal(dict)

    def __init__(
        self,
        window: MainWindow,
        *,
        keyring_backend: str,
        multimedia_backend: str,
        out: TextIO | None = None,
        timeout_ms: int = SMOKE_TIMEOUT_MS,
    ) -> None:
        super().__init__()
        self.window = window
        self.report: dict[str, Any] = {
            "smoke": "running",
            "keyring_backend": keyring_backend,
            "multimedia_backend": multimedia_backend,
        }
        self._out = out
        self._started = time.monotonic()
        self._tried: list[str] = []
        self._frames: dict[str, tuple[int, int, float]] = {}
        self._done = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(timeout_ms)
        self.timer.timeout.connect(lambda: self._finish(f"timed out at {self._stage()}"))
        window.casters.casters_loaded.connect(self._on_loaded)
        window.casters.start_finished.connect(self._on_start_finished)
        for pane in (window.panels.pvw, window.panels.pgm):
            pane.player.frame_arrived.connect(
                lambda width, height, kind=pane.kind: self._on_frame(kind, width, height)
            )
        self.timer.start()

    @property
    def exit_code(self) -> int:
        return 0 if self.report.get("smoke") == "ok" else 1

    def _ms(self) -> float:
        return round((time.monotonic() - self._started) * 1000, 1)

    def _stage(self) -> str:
        if "list_ms" not in self.report:
            return "loading the caster list"
        if "start_ms" not in self.report:
            return "starting a caster"
        return f"waiting for preview frames (have {sorted(self._frames) or 'none'})"

    def _on_loaded(self, count: int) -> None:
        if self._done or "list_ms" in self.report:
            return
        self.report["list_ms"] = self._ms()
        self.report["casters"] = count
        self._start_next()

    def _candidates(self) -> list[Caster]:
        return [
            c
            for c in self.window.casters.model.casters()
            if not c.is_streaming and c.caster_id not in self._tried
        ]

    def _start_next(self) -> None:
        candidates = self._candidates()
        if not candidates or len(self._tried) >= MAX_START_ATTEMPTS:
            self._finish(f"no caster could be started (tried {len(self._tried)})")
            return
        caster = candidates[0]
        self._tried.append(caster.caster_id)
        if not self.window.caster_list.select_caster(caster.caster_id):
            self._finish(f"caster {caster.caster_id} is not in the list")
            return
        self.window.start_selected()

    def _on_start_finished(self, ok: bool) -> None:
        if self._done:
            return
        if not ok:
            self._start_next()
            return
        self.report["start_ms"] = self._ms()
        self.report["caster_id"] = self._tried[-1]

    def _on_frame(self, pane: str, width: int, height: int) -> None:
        if self._done or pane in self._frames or "start_ms" not in self.report:
            return
        self._frames[pane] = (width, height, self._ms())
        if len(self._frames) == 2:
            self._finish(None)

    def _finish(self, failure: str | None) -> None:
        if self._done:
            return
        self._done = True
        self.timer.stop()
        for pane, (width, height, ms) in self._frames.items():
            self.report[pane] = {"width": width, "height": height}
            self.report[f"{pane}_first_frame_ms"] = ms
        if failure is None:
            self.report["smoke"] = "ok"
        else:
            self.report["smoke"] = "failed"
            self.report["reason"] = failure
            banner = self.window.banner
            if banner.isVisible():
                self.report["error"] = banner.summary_label.text()
        out = self._out if self._out is not None else sys.stdout
        out.write(json.dumps(self.report, ensure_ascii=False) + "\n")
        out.flush()
        self.window.event_log.emit("smoke_test", **self.report)
        self.finished.emit(dict(self.report))
        self.window.close()
