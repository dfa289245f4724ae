"""Where a running ``casterdesk sandbox`` says its address, so a second terminal can find it.

The sandbox writes ``sandbox.json`` (its process ID and endpoint, nothing secret: the demo
credentials are constants anyone can read in ``runtime.py``) to the user's state folder, and
removes it when it stops. ``casterdesk sandbox --print-env`` reads it and prints ``export``
lines, so ``eval "$(casterdesk sandbox --print-env)"`` points the CLI at the sandbox.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
from pathlib import Path

import platformdirs

from app.private_files import make_private_dir, open_private
from app.sandbox.runtime import ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION_ID, URL_VALIDITY_S


def announcement_path() -> Path:
    """``sandbox.json`` in the user's state folder (XDG_STATE_HOME on Linux)."""
    return platformdirs.user_state_path("casterdesk", appauthor=False) / "sandbox.json"


def announce(endpoint: str, pid: int | None = None) -> Path:
    """Record that this process serves the sandbox API at ``endpoint``."""
    path = announcement_path()
    make_private_dir(path.parent)
    with open_private(path, "w") as handle:
        json.dump({"pid": pid or os.getpid(), "endpoint": endpoint}, handle)
    return path


def withdraw(pid: int | None = None) -> None:
    """Remove the record if it is still this process's (a newer sandbox may have replaced it)."""
    path = announcement_path()
    with contextlib.suppress(OSError, ValueError):
        if json.loads(path.read_text(encoding="utf-8")).get("pid") == (pid or os.getpid()):
            path.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running_endpoint() -> str | None:
    """The endpoint of the running sandbox, or None when none is (a stale record is ignored)."""
    try:
        record = json.loads(announcement_path().read_text(encoding="utf-8"))
        pid, endpoint = int(record["pid"]), str(record["endpoint"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return endpoint if _alive(pid) else None


def env_lines(endpoint: str) -> str:
    """Shell ``export`` lines that point the CLI at the sandbox at ``endpoint``."""
    values = {
        "CASTERDESK_ENDPOINT": endpoint,
        "ALIBABA_CLOUD_ACCESS_KEY_ID": ACCESS_KEY_ID,
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET": ACCESS_KEY_SECRET,
        "ALIBABA_CLOUD_REGION_ID": REGION_ID,
        # The sandbox domain's URL validity, so `casterdesk check` reads expiries right.
        "CASTERDESK_URL_VALIDITY": str(URL_VALIDITY_S),
    }
    return "".join(f"export {name}={shlex.quote(value)}\n" for name, value in values.items())
