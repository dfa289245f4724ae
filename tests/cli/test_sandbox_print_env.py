"""`eval "$(casterdesk sandbox --print-env)"` from a second terminal reaches the running sandbox."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.slow
def test_print_env_points_a_second_terminal_at_the_running_sandbox(isolated_home: Path) -> None:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("ALIBABA_CLOUD_", "CASTERDESK"))
    }
    env["PYTHONPATH"] = os.getcwd()
    command = [sys.executable, "-m", "app"]
    sandbox = subprocess.Popen(
        [*command, "sandbox", "--no-media"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert sandbox.stdout is not None
        banner = json.loads(sandbox.stdout.readline())  # printed once it serves
        second_terminal = (
            f'eval "$({" ".join(command)} sandbox --print-env)" && '
            f"{' '.join(command)} casters --json"
        )
        done = subprocess.run(
            ["bash", "-c", second_terminal], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        listed = {c["CasterId"] for c in json.loads(done.stdout)["Casters"]}
        assert set(banner["caster_ids"]) <= listed
    finally:
        sandbox.terminate()
        _, errors = sandbox.communicate(timeout=30)
    assert "--print-env" in errors  # the running sandbox says how to use it
    after = subprocess.run(
        [*command, "sandbox", "--print-env"], env=env, capture_output=True, text=True, timeout=60
    )
    assert after.returncode == 1 and after.stdout == ""
    assert "no sandbox is running" in after.stderr
