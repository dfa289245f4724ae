"""Screenshots of the real window on the sandbox, after Start, with both previews playing.

    .venv/bin/python scripts/take_screenshots.py                      # docs/screenshots/*.png
    .venv/bin/python scripts/take_screenshots.py --scales 1,1.5,2 --out /tmp/scaling
    .venv/bin/python scripts/take_screenshots.py --shots en-light,zh-light --size 960x540,1920x1080

Runs its own Xvfb (or uses ``--display``), then for each language × theme (× scale) starts
Caster Desk in a child process with its own HOME: the sandbox, the caster list, Start on one
caster, both previews live for a couple of seconds. The child prints where the window is; this
process grabs the screen with ImageMagick's ``import -window root`` and crops to the window.
Needs Xvfb and ImageMagick (``apt-get install xvfb imagemagick``).
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ("en-light", "en-dark", "zh-light", "zh-dark")
LANGUAGES = {"en": "en", "zh": "zh_CN"}
# An idle seed caster per language, so the screenshot shows a Start and a name that fits.
CASTERS = {"en": "Product Launch Keynote", "zh": "体育频道 · 篮球联赛"}
DEFAULT_SIZE = "1366x768"  # a director's laptop; other sizes add "-WxH" to the file name
PLAYING_FRAMES = 60  # about 2.5 s of 25 fps video in each pane before the picture is taken
CHILD_TIMEOUT_S = 120.0


def driver(language: str, theme_choice: str, caster_name: str, width: int, height: int) -> int:
    """Child process: open the window, start ``caster_name``, report READY, wait for stdin."""
    from PySide6.QtCore import QSocketNotifier, QTimer  # noqa: PLC0415

    from app.sandbox import Sandbox  # noqa: PLC0415
    from app.ui import i18n, theme  # noqa: PLC0415
    from app.ui.app import build_main_window  # noqa: PLC0415
    from app.ui.controllers.session import SANDBOX_PROFILE  # noqa: PLC0415
    from app.ui.launch import create_application  # noqa: PLC0415
    from app.ui.settings import Settings  # noqa: PLC0415
    from app.ui.widgets.preview import player as states  # noqa: PLC0415

    app = create_application()
    i18n.apply_language(language)
    theme.apply_theme(theme_choice)
    settings = Settings(Path(os.environ["HOME"]) / "screenshot.ini")
    window = build_main_window(settings=settings, sandbox_factory=Sandbox, profile=SANDBOX_PROFILE)
    window.setGeometry(0, 0, width, height)
    panes = (window.panels.pvw, window.panels.pgm)
    state = {"started": False, "ready": False}
    app.setQuitOnLastWindowClosed(False)
    window.shutdown_finished.connect(app.quit)

    def fail(reason: str) -> None:
        print(f"FAILED {reason}", flush=True)
        window.close()

    def on_loaded(_count: int) -> None:
        if state["started"]:
            return
        for caster in window.casters.model.casters():
            if caster.name == caster_name and window.caster_list.select_caster(caster.caster_id):
                state["started"] = True
                window.start_selected()
                return
        fail(f"{caster_name!r} is not in the list")

    def check_playing() -> None:
        if state["ready"]:
            return
        if all(
            p.player.state == states.LIVE and p.player.frames_decoded >= PLAYING_FRAMES
            for p in panes
        ):
            state["ready"] = True
            # The window as a user first sees it at this size: its own default layout, the
            # started caster's row in view.
            table = window.caster_list.table
            table.scrollTo(table.currentIndex())
            QTimer.singleShot(300, report)  # a few more frames and one more paint

    def report() -> None:
        frame = window.frameGeometry()
        ratio = window.devicePixelRatioF()
        x, y = round(frame.x() * ratio), round(frame.y() * ratio)
        w, h = round(frame.width() * ratio), round(frame.height() * ratio)
        print(f"READY {x} {y} {w} {h}", flush=True)

    window.casters.casters_loaded.connect(on_loaded)
    window.casters.start_finished.connect(lambda ok: None if ok else fail("Start failed"))
    poll = QTimer(window)
    poll.setInterval(100)
    poll.timeout.connect(check_playing)
    poll.start()
    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)

    def on_stdin() -> None:
        notifier.setEnabled(False)
        window.close()

    notifier.activated.connect(on_stdin)
    window.show()
    return int(app.exec())


def start_xvfb(screen: str) -> tuple[subprocess.Popen[bytes], str]:
    for number in range(88, 120):
        if not Path(f"/tmp/.X11-unix/X{number}").exists():
            display = f":{number}"
            xvfb = subprocess.Popen(
                ["Xvfb", display, "-screen", "0", f"{screen}x24", "-nolisten", "tcp"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + 10
            while not Path(f"/tmp/.X11-unix/X{number}").exists():
                if xvfb.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"Xvfb {display} did not start")
                time.sleep(0.05)
            return xvfb, display
    raise SystemExit("no free X display number")


def shoot(display: str, name: str, scale: float, size: tuple[int, int], out: Path) -> Path:
    """One screenshot: a child Caster Desk, READY, ``import``, crop, quit."""
    language_key, theme_choice = name.split("-")
    with tempfile.TemporaryDirectory(prefix="casterdesk-shot-") as home:
        env = dict(os.environ)
        for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            env.pop(variable, None)
        env.update(
            DISPLAY=display,
            HOME=home,
            QT_QPA_PLATFORM="xcb",
            QT_SCALE_FACTOR=str(scale),
            PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        )
        command = [
            sys.executable,
            __file__,
            "--driver",
            LANGUAGES[language_key],
            theme_choice,
            CASTERS[language_key],
            str(size[0]),
            str(size[1]),
        ]
        child = subprocess.Popen(
            command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None and child.stdin is not None
        try:
            line = ""
            deadline = time.monotonic() + CHILD_TIMEOUT_S
            while not line.startswith(("READY", "FAILED")):
                line = child.stdout.readline()
                if not line and child.poll() is not None:
                    raise SystemExit(f"{name}: Caster Desk exited ({child.returncode})")
                if time.monotonic() > deadline:
                    raise SystemExit(f"{name}: timed out")
            if line.startswith("FAILED"):
                raise SystemExit(f"{name}: {line.strip()}")
            x, y, w, h = (int(v) for v in line.split()[1:])
            label = (
                name if f"{size[0]}x{size[1]}" == DEFAULT_SIZE else f"{name}-{size[0]}x{size[1]}"
            )
            target = out / (f"{label}.png" if scale == 1 else f"{label}@{scale:g}x.png")
            subprocess.run(
                [
                    "import",
                    "-display",
                    display,
                    "-window",
                    "root",
                    "-crop",
                    f"{w}x{h}+{x}+{y}",
                    "+repage",
                    "-strip",  # no timestamps in the file: same picture, same bytes
                    str(target),
                ],
                check=True,
            )
            child.stdin.write("quit\n")
            child.stdin.flush()
            child.wait(CHILD_TIMEOUT_S)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
    return target


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--driver"]:
        language, theme_choice, caster, shown_width, shown_height = args[1:6]
        return driver(language, theme_choice, caster, int(shown_width), int(shown_height))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--shots", default=",".join(SHOTS), help="e.g. en-light,zh-dark")
    parser.add_argument("--scales", default="1", help="QT_SCALE_FACTOR values, e.g. 1,1.5,2")
    parser.add_argument(
        "--size",
        default=DEFAULT_SIZE,
        help="window sizes in logical pixels, e.g. 960x540,1920x1080",
    )
    parser.add_argument("--display", help="use this X display instead of starting Xvfb")
    options = parser.parse_args(args)
    for program in ("Xvfb", "import"):
        if shutil.which(program) is None and not (program == "Xvfb" and options.display):
            raise SystemExit(f"{program} is needed (apt-get install xvfb imagemagick)")
    sizes = [(int(w), int(h)) for w, h in (v.split("x") for v in options.size.lower().split(","))]
    scales = [float(s) for s in options.scales.split(",")]
    biggest = max(scales)
    width, height = max(w for w, _ in sizes), max(h for _, h in sizes)
    screen = f"{math.ceil(width * biggest)}x{math.ceil(height * biggest)}"
    options.out.mkdir(parents=True, exist_ok=True)
    xvfb = None
    display = options.display
    if display is None:
        xvfb, display = start_xvfb(screen)
    try:
        for size in sizes:
            for scale in scales:
                for name in options.shots.split(","):
                    path = shoot(display, name, scale, size, options.out)
                    print(f"{path}", flush=True)
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(10)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
