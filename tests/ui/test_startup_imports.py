"""The window first: what `casterdesk gui` has imported when its window paints for the first time.

The window's frame paints first; its content (the caster list, the studio, the controllers),
the HTTP stack, the API client, keyring, the sandbox and Qt Multimedia load after the first
paint (on the workers that use them, or with the first preview); see benchmarks B1a/B1b.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import app
from app import credentials
from app.credentials.connect import DEFAULT_REGION
from app.ui.controllers.session_state import REGIONS

ROOT = Path(__file__).resolve().parents[2]

# Loaded only once the window is on screen.
DEFERRED = (
    "httpx",
    "httpcore",
    "app.api.client",
    "app.credentials.connect",
    "app.credentials.external",
    "app.api.signing",
    "keyring",
    "app.sandbox",
    "PySide6.QtMultimedia",
    "app.ui.widgets.accounts_dialog",
    # The output check's probe (PyAV), the hand-off pack's QR codes and their dialogs.
    "av",
    "segno",
    "app.ui.widgets.handoff_dialog",
    "app.ui.widgets.preview.monitor_analysis",
    "importlib.metadata",
    # The window's content and what it is built with: on the turn after the frame's first
    # paint (the frame is the menus, the toolbar and the status bar).
    "app.ui.app",
    "app.ui.widgets.caster_list",
    "app.ui.widgets.preview.panels",
    "app.ui.widgets.preview.pane",
    "app.ui.widgets.output_check_view",
    "app.ui.widgets.error_banner",
    "app.ui.controllers.session",
    "app.ui.controllers.casters",
    "app.ui.models.caster_table",
    "app.api.models",
    "app.credentials.profiles",
    "app.ui.errors",
    # The single-instance server (Qt's network module): listened on after the first paint; the
    # launch before it knocks with Python's socket (see app.ui.instance_knock).
    "PySide6.QtNetwork",
    "app.ui.single_instance",
    # httpx's command line, never imported by the app (even where they are installed).
    "rich",
    "click",
    "pygments",
)

# Runs the real launcher; at the window's first paint event, lists which of DEFERRED are loaded.
# Its filter is installed after the launcher's, so Qt calls it first: nothing the launcher starts
# after the paint has run yet.
_AT_FIRST_PAINT = """
import json, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from app.ui import launch

deferred = json.loads(sys.argv[1])
app = launch.create_application()
options = launch.build_parser().parse_args(["--sandbox", "--new-instance", "--log-file", sys.argv[2]])
runtime = launch.GuiRuntime(options, app, time.monotonic())
seen = []

class AtFirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and watched is runtime.window and not seen:
            seen.append(sorted(name for name in deferred if name in sys.modules))
            QTimer.singleShot(0, runtime.window.close)
        return False

look = AtFirstPaint()
runtime.window.installEventFilter(look)
code = runtime.exec()
print(json.dumps({"loaded": seen[0] if seen else None, "exit": code}))
"""


def test_the_window_paints_before_the_http_stack_keyring_sandbox_and_multimedia_load(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # app/ from cwd
    env["QT_QPA_PLATFORM"] = "offscreen"
    log_file = tmp_path / "events.jsonl"
    proc = subprocess.run(
        [sys.executable, "-c", _AT_FIRST_PAINT, json.dumps(DEFERRED), str(log_file)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result == {"loaded": [], "exit": 0}, result
    events = [json.loads(line)["event"] for line in log_file.read_text().splitlines()]
    assert events.index("window_painted") > events.index("window_shown")


def test_the_version_is_the_installed_metadata() -> None:
    assert app.__version__ == importlib.metadata.version("casterdesk")


def test_the_default_region_is_offered_first() -> None:
    # The accounts dialog preselects REGIONS[0]; the client factory defaults to DEFAULT_REGION.
    assert REGIONS[0] == DEFAULT_REGION


def test_every_name_of_the_credentials_package_resolves() -> None:
    """``app.credentials`` imports its modules when a name is first used (the window must not
    pay for signing and the external sources before it paints): each name still resolves, to
    the object of the module it lives in."""
    assert set(credentials.__all__) == set(credentials._HOME)
    for name in credentials.__all__:
        home = importlib.import_module(f"app.credentials.{credentials._HOME[name]}")
        assert getattr(credentials, name) is getattr(home, name)
