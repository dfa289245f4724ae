"""Screenshot of the confidence monitors: PGM silent (its SILENT alarm and empty meter), PVW's meter
reading its tone.

    DISPLAY=:N .venv/bin/python scripts/screenshot_monitors.py [OUT.png]

The real window on an in-process sandbox that serves PGM with digital silence
(``--media-fault pgm:silent``), on a running X display (Xvfb), so the panes draw through
``QVideoWidget`` as on a desktop. Grabs the whole screen (native video windows included) once the
alarm shows and PVW's meter holds a beep, and crops it to the window.
Default output: ``docs/screenshots/monitors.png``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    # On the X display (benchmarks.qt_support would pick offscreen, whose screen grab holds
    # no video): the panes then draw through QVideoWidget, as on a desktop.
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

    from app.sandbox import Sandbox  # noqa: PLC0415
    from benchmarks.qt_support import (  # noqa: PLC0415
        IDLE_CASTER,
        Workspace,
        application,
        close_window,
        grab_window,
        make_window,
        run_for,
        start_and_watch,
        wait_until,
    )

    out = Path(argv[0]) if argv else ROOT / "docs" / "screenshots" / "monitors.png"
    application()
    workspace = Workspace()
    sandbox = Sandbox(media_faults=["pgm:silent"]).start()
    try:
        window = make_window(workspace, sandbox)
        window.resize(1500, 900)
        window.show()
        start_and_watch(window, sandbox, IDLE_CASTER)
        pvw, pgm = window.panels.pvw, window.panels.pgm
        wait_until(lambda: "silent" in pgm.monitor.alarms, 30, "PGM's SILENT alarm")

        def beeping() -> bool:
            levels = pvw.monitor_strip.meter.levels or ()
            return bool(levels) and all(rms > -40 for _, rms, _ in levels)

        wait_until(beeping, 30, "PVW's meter during a beep")
        run_for(0.2)
        grab_window(window, out)
        print(f"wrote {out}", file=sys.stderr)
        close_window(window)
    finally:
        sandbox.stop()
        workspace.cleanup()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
