"""Child processes of the benchmarks run in a throw-away home: their settings, profiles and
logs never reach the user's, and no credential variables leak in."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_CREDENTIAL_PREFIXES = ("ALIBABA_CLOUD_", "ALIBABACLOUD_", "ALICLOUD_", "CASTERDESK_")


def child_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment for a benchmark child: offscreen Qt, ``home`` as HOME and XDG dirs."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(_CREDENTIAL_PREFIXES)
        and k not in ("ACCESS_KEY_ID", "ACCESS_KEY_SECRET")
    }
    home.mkdir(parents=True, exist_ok=True)
    env["HOME"] = str(home)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[name] = str(home / name.lower())
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.update(extra)
    return env


def casterdesk_command() -> list[str]:
    """How this virtualenv starts Caster Desk: its ``casterdesk`` script, else ``-m app``."""
    script = Path(sys.executable).with_name("casterdesk")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "app"]
