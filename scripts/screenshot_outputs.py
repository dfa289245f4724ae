"""Screenshots of output confidence: the playability matrix with faults, and the hand-off dialog.

    DISPLAY=:62 .venv/bin/python scripts/screenshot_outputs.py    # docs/screenshots/matrix.png
                                                                  # docs/screenshots/handoff.png

Needs an X display (Xvfb) and ImageMagick's ``import``. The sandbox breaks three outputs
(``lhd/flv:dead``, ``lud:black``, ``pgm:silent``) and signs lhd's URLs to expire in 90 min, so
the matrix and the expiry warning both show; the window starts a caster, waits for the matrix,
grabs the screen, then opens Hand off… and grabs the dialog.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAULTS = ["lhd/flv:dead", "lud:black", "pgm:silent", "lhd:expire=5400"]
CASTER = "Product Launch Keynote"


def grab(display: str, x: int, y: int, w: int, h: int, target: Path) -> None:
    subprocess.run(
        ["import", "-display", display, "-window", "root", "-crop", f"{w}x{h}+{x}+{y}",
         "+repage", "-strip", str(target)],
        check=True,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    display = os.environ.get("DISPLAY")
    if not display:
        raise SystemExit("set DISPLAY to an X server (e.g. Xvfb :62)")
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QTimer  # noqa: PLC0415

    from app.sandbox import Sandbox  # noqa: PLC0415
    from app.ui.app import build_main_window  # noqa: PLC0415
    from app.ui.controllers.session import SANDBOX_PROFILE  # noqa: PLC0415
    from app.ui.launch import create_application  # noqa: PLC0415
    from app.ui.settings import Settings  # noqa: PLC0415
    from app.ui.widgets.dialogs import QuitChoice  # noqa: PLC0415

    app = create_application()
    home = tempfile.mkdtemp(prefix="casterdesk-outputs-shot-")
    sandbox = Sandbox(media_faults=FAULTS)
    window = build_main_window(
        settings=Settings(Path(home) / "shot.ini"),
        sandbox=sandbox.start(),
        profile=SANDBOX_PROFILE,
        confirm_quit=lambda _parent, _names: QuitChoice.QUIT,
    )
    window.setGeometry(0, 0, 1600, 1000)
    app.setQuitOnLastWindowClosed(False)
    window.shutdown_finished.connect(app.quit)
    result = {"code": 1}

    def loaded(_count: int) -> None:
        if result.get("started"):
            return
        result["started"] = 1
        cid = next(c for c in sandbox.caster_ids if sandbox.caster(c)["CasterName"] == CASTER)
        window.caster_list.select_caster(cid)
        window.start_selected()

    def checked(_verdicts: object) -> None:
        # Scroll the outputs so that the broken ones (HD FLV, every Ultra HD) are in view.
        table = window.panels.pgm.outputs
        assert table is not None
        row = table.row_for("lhd", "flv")
        table.view.scrollTo(table.model.index(row, 0), table.view.ScrollHint.PositionAtTop)
        QTimer.singleShot(2500, shoot_matrix)  # the previews play a moment first

    def shoot_matrix() -> None:
        frame = window.frameGeometry()
        grab(display, frame.x(), frame.y(), frame.width(), frame.height(), args.out / "matrix.png")
        dialog = window.outputs_view.open_handoff()
        assert dialog is not None
        dialog.tabs.setCurrentIndex(0)
        QTimer.singleShot(800, lambda: shoot_dialog(dialog))

    def shoot_dialog(dialog: object) -> None:
        from PySide6.QtWidgets import QDialog  # noqa: PLC0415

        assert isinstance(dialog, QDialog)
        frame = dialog.frameGeometry()
        grab(display, frame.x(), frame.y(), frame.width(), frame.height(), args.out / "handoff.png")
        dialog.tabs.setCurrentIndex(3)  # type: ignore[attr-defined]
        QTimer.singleShot(500, lambda: finish(dialog))

    def finish(dialog: object) -> None:
        from PySide6.QtWidgets import QDialog  # noqa: PLC0415

        assert isinstance(dialog, QDialog)
        frame = dialog.frameGeometry()
        grab(
            display,
            frame.x(),
            frame.y(),
            frame.width(),
            frame.height(),
            Path(home) / "handoff-qr.png",
        )
        print(f"QR tab: {Path(home) / 'handoff-qr.png'}")
        result["code"] = 0
        window.close()

    window.casters.casters_loaded.connect(loaded)
    window.output_check.finished.connect(checked)
    window.show()
    QTimer.singleShot(120_000, window.close)  # never hang
    app.exec()
    sandbox.stop()
    return result["code"]


if __name__ == "__main__":
    raise SystemExit(main())
