"""The README's control-surface screenshot: the real window directing a sandbox caster.

    DISPLAY=:N .venv/bin/python scripts/screenshot_control_surface.py [OUT.png]

Needs an X display (``Xvfb :N -screen 0 1600x1000x24 &``). In this one process: the window on
its own sandbox, Start on an idle caster, "CAM 2" picked for PVW and taken, then
"CAM 1 + CAM 2 (PiP)" picked for PVW, so PGM shows CAM 2 (ON AIR), PVW the picture-in-picture
(PREVIEW), and Undo is on offer. Once the PGM pane decodes CAM 2 the screen is grabbed with
``QScreen.grabWindow`` and cropped to the window (no ImageMagick needed).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CASTER = "Product Launch Keynote"
TIMEOUT_S = 60.0


def main(out: Path) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    home = tempfile.mkdtemp(prefix="casterdesk-shot-")
    os.environ["HOME"] = home
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

    from app.sandbox import Sandbox  # noqa: PLC0415
    from app.ui import i18n, theme  # noqa: PLC0415
    from app.ui.app import build_main_window  # noqa: PLC0415
    from app.ui.controllers.session import SANDBOX_PROFILE  # noqa: PLC0415
    from app.ui.launch import create_application  # noqa: PLC0415
    from app.ui.settings import Settings  # noqa: PLC0415
    from benchmarks.bench_take_window import PaneLooks  # noqa: PLC0415
    from benchmarks.qt_support import close_window, run_for, wait_until  # noqa: PLC0415

    app = create_application()
    i18n.apply_language("en")
    theme.apply_theme("light")
    window = build_main_window(
        settings=Settings(Path(home) / "shot.ini"), sandbox_factory=Sandbox, profile=SANDBOX_PROFILE
    )
    window.setGeometry(0, 0, 1366, 768)  # a director's laptop, as the README's other shots
    looks, pvw_looks = PaneLooks(window), PaneLooks(window, "pvw")
    loaded: list[int] = []
    window.casters.casters_loaded.connect(loaded.append)
    window.show()
    wait_until(lambda: bool(loaded), TIMEOUT_S, "the caster list")
    caster = next(c for c in window.casters.model.casters() if c.name == CASTER)
    window.caster_list.select_caster(caster.caster_id)
    window.start_selected()
    directing = window.directing
    picker = window.panels.picker
    wait_until(lambda: directing.ready and len(picker.tiles) == 4, TIMEOUT_S, "the layouts")

    def pick(name: str) -> None:
        tile = picker.tile(name)
        assert tile is not None, name
        tile.click()
        wait_until(lambda: tile.preview and not directing.busy, TIMEOUT_S, f"{name} on PVW")

    pick("CAM 2")
    pressed = time.monotonic()
    window.commands.take_action.trigger()
    wait_until(lambda: looks.first("cam2", pressed) is not None, TIMEOUT_S, "CAM 2 on PGM")
    picked = time.monotonic()
    pick("CAM 1 + CAM 2 (PiP)")
    # The PiP's main picture is CAM 1: wait until PVW's player shows it (it runs ~2 s late).
    wait_until(lambda: pvw_looks.first("cam1", picked) is not None, TIMEOUT_S, "PiP on PVW")
    run_for(0.5)
    frame = window.frameGeometry()
    picture = app.primaryScreen().grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
    out.parent.mkdir(parents=True, exist_ok=True)
    if not picture.save(str(out)):
        raise SystemExit(f"could not write {out}")
    print(out)
    close_window(window)
    return 0


if __name__ == "__main__":
    target = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs/screenshots/control-surface.png"
    )
    sys.exit(main(target))
