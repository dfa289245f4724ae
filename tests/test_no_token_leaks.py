"""No secret, STS token or auth_key value reaches a log file or the terminal.

A whole GUI session (the sandbox, Start, both previews decoding, FFmpeg talking) and CLI
sessions with a known secret and token at every log level; then every file the app wrote and
everything it printed is searched.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app.sandbox import Sandbox

SECRET = "KnownSecret-9f8e7d6c5b4a"
TOKEN = "CAISKnownStsToken-0123456789abcdef"
KEY_ID = "LTAIknownKeyId42"
LIVE_AUTH_KEY = re.compile(r"auth_key=(?!<redacted>)[0-9A-Za-z-]+")


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ALIBABA_CLOUD_", "CASTERDESK_", "PYTHON"))
    }
    env.update(HOME=str(home), PYTHONPATH=os.getcwd(), QT_QPA_PLATFORM="offscreen", **extra)
    for xdg in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[xdg] = str(home / xdg.lower())
    return env


def _everything_written(home: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in sorted(home.rglob("*")) if p.is_file())


@pytest.mark.slow
@pytest.mark.media
def test_a_gui_session_leaks_no_auth_key_and_keeps_ffmpeg_off_the_terminal(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "app", "gui", "--smoke-test"],
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    written = _everything_written(home)
    printed = done.stdout + done.stderr
    assert "auth_key=<redacted>" in written  # the URLs were logged, cleaned
    assert not LIVE_AUTH_KEY.search(written), LIVE_AUTH_KEY.search(written)
    assert not LIVE_AUTH_KEY.search(printed), LIVE_AUTH_KEY.search(printed)
    # FFmpeg's and Qt's own lines went to the log file, not the terminal.
    assert "casterdesk.native" in written
    assert "casterdesk.native" not in printed and "Input #0" not in printed
    assert done.stderr.strip() == ""  # a quiet terminal: nothing but Caster Desk's own lines
    logs = [p for p in home.rglob("*") if p.suffix in (".log", ".jsonl")]
    assert logs
    for path in logs:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700, path.parent


@pytest.mark.parametrize("signature", ["v1", "v3"])
def test_cli_sessions_leak_no_secret_or_token(
    sandbox: Sandbox, tmp_path: Path, signature: str
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = _env(
        home,
        ALIBABA_CLOUD_ACCESS_KEY_ID=KEY_ID,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET=SECRET,
        ALIBABA_CLOUD_SECURITY_TOKEN=TOKEN,
        CASTERDESK_ENDPOINT=sandbox.endpoint,
    )
    printed = ""
    for command in (["casters"], ["start", sandbox.caster_ids[1]], ["urls", "x"]):
        done = subprocess.run(
            [sys.executable, "-m", "app", *command, "-v", "--signature", signature],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode in (1, 3), done.stderr  # the sandbox refuses the unknown key
        printed += done.stdout + done.stderr
    assert "DEBUG" in printed  # the verbose log did run
    everything = printed + _everything_written(home)
    assert SECRET not in everything
    assert TOKEN not in everything
    assert KEY_ID not in everything
