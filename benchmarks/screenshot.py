"""``python -m benchmarks.screenshot OUT.png``: the real window with both previews playing,
on a virtual display (Xvfb), so that the panes draw through Qt's RHI path (``QVideoWidget`` on
Mesa's llvmpipe). Grabs the whole screen (the native video windows included) once both panes
have been live for a moment. Runs itself again under Xvfb when started without a display.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from benchmarks.xvfb import virtual_display

SETTLE_S = 1.5


def capture(out: Path) -> int:
    from app.sandbox import Sandbox
    from benchmarks.qt_support import (
        IDLE_CASTER,
        Workspace,
        application,
        close_window,
        grab_window,
        make_window,
        run_for,
        start_and_watch,
    )

    application()
    workspace = Workspace()
    sandbox = Sandbox().start()
    try:
        window = make_window(workspace, sandbox)
        window.resize(1500, 900)
        window.show()
        start_and_watch(window, sandbox, IDLE_CASTER)
        run_for(SETTLE_S)
        panes = (window.panels.pvw, window.panels.pgm)
        print({p.kind: p.surface.rhi for p in panes}, file=sys.stderr)
        grab_window(window, out)
        close_window(window)
    finally:
        sandbox.stop()
        workspace.cleanup()
    return 0


def main(argv: list[str]) -> int:
    out = Path(argv[0]).resolve()
    if os.environ.get("DISPLAY"):
        return capture(out)
    with virtual_display() as display:
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
        return subprocess.run(
            [sys.executable, "-m", "benchmarks.screenshot", str(out)], env=env, check=False
        ).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
