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
    from PySide6.QtGui import QGuiApplication

    from app.sandbox import Sandbox
    from app.ui.widgets.preview import player as states
    from benchmarks.qt_support import (
        IDLE_CASTER,
        Workspace,
        application,
        caster_id_by_name,
        click,
        close_window,
        make_window,
        run_for,
        wait_until,
    )

    application()
    workspace = Workspace()
    sandbox = Sandbox().start()
    try:
        window = make_window(workspace, sandbox)
        window.resize(1500, 900)
        window.show()
        wait_until(lambda: window.casters.model.rowCount() > 0, 30, "the caster list")
        window.caster_list.select_caster(caster_id_by_name(sandbox, IDLE_CASTER))
        click(window.start_button)
        panes = (window.panels.pvw, window.panels.pgm)
        wait_until(lambda: all(p.player.state == states.LIVE for p in panes), 30, "both live")
        run_for(SETTLE_S)
        print({p.kind: p.surface.rhi for p in panes}, file=sys.stderr)
        screen = QGuiApplication.primaryScreen()
        image = screen.grabWindow(0).toImage()
        geometry = window.frameGeometry()
        image.copy(geometry).save(str(out))
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
