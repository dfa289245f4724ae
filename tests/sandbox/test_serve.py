"""``casterdesk sandbox`` as a foreground process: banner line, signed call, clean shutdown."""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.api.signing import SigningKey, sign_v3

REPO = Path(__file__).resolve().parents[2]
BANNER_KEYS = {
    "endpoint",
    "access_key_id",
    "access_key_secret",
    "region_id",
    "caster_ids",
    "url_validity_s",
    "media_faults",
}


def _spawn(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "app.sandbox", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _first_line(proc: subprocess.Popen[bytes], timeout: float = 20.0) -> bytes:
    """Read stdout's first line without blocking past ``timeout``."""
    assert proc.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    line = b""
    deadline = time.monotonic() + timeout
    try:
        while not line.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                raise AssertionError(f"no banner line within {timeout}s: {line!r}")
            chunk = os.read(proc.stdout.fileno(), 1 << 20)
            if not chunk:
                raise AssertionError(f"stdout closed early; stderr: {proc.stderr.read()!r}")  # type: ignore[union-attr]
            line += chunk
    finally:
        selector.close()
    return line.split(b"\n", 1)[0]


@pytest.fixture
def stop_on_failure() -> Iterator[list[subprocess.Popen[bytes]]]:
    procs: list[subprocess.Popen[bytes]] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def _signed_describe(banner: dict[str, Any]) -> httpx.Response:
    key = SigningKey(banner["access_key_id"], banner["access_key_secret"])
    host = banner["endpoint"].removeprefix("http://")
    request = sign_v3(
        action="DescribeCasters",
        version="2016-11-01",
        params={"RegionId": banner["region_id"]},
        key=key,
        host=host,
    )
    return httpx.post(banner["endpoint"] + "/", params=request.query, headers=request.headers)


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="Windows has no SIGTERM: terminate() kills, nothing to shut down",
)
@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_foreground_server_serves_then_exits_cleanly(
    stop_on_failure: list[subprocess.Popen[bytes]], sig: signal.Signals
) -> None:
    proc = _spawn("--port", "0")
    stop_on_failure.append(proc)
    banner = json.loads(_first_line(proc))
    assert set(banner) == BANNER_KEYS
    assert banner["endpoint"].startswith("http://127.0.0.1:")
    assert banner["region_id"] == "cn-shanghai"
    assert len(banner["caster_ids"]) == 8
    response = _signed_describe(banner)
    assert response.status_code == 200, response.text
    assert response.json()["Total"] == 8
    proc.send_signal(sig)
    assert proc.wait(15) == 0
    assert proc.stderr is not None
    stderr = proc.stderr.read().decode()
    assert "Traceback" not in stderr
    with pytest.raises(httpx.ConnectError):
        _signed_describe(banner)


@pytest.mark.slow
def test_options_casters_and_faults(stop_on_failure: list[subprocess.Popen[bytes]]) -> None:
    proc = _spawn(
        "--casters", "30", "--fault", "DescribeCasters:error=ServiceUnavailable", "--no-media"
    )
    stop_on_failure.append(proc)
    banner = json.loads(_first_line(proc))
    assert len(banner["caster_ids"]) == 38
    response = _signed_describe(banner)
    assert response.status_code == 503 and response.json()["Code"] == "ServiceUnavailable"
    proc.terminate()
    assert proc.wait(15) == 0


@pytest.mark.slow
def test_binding_beyond_loopback_warns(stop_on_failure: list[subprocess.Popen[bytes]]) -> None:
    proc = _spawn("--host", "0.0.0.0", "--no-media")
    stop_on_failure.append(proc)
    banner = json.loads(_first_line(proc))
    assert _signed_describe(banner).status_code == 200
    proc.terminate()
    assert proc.wait(15) == 0
    assert proc.stderr is not None
    stderr = proc.stderr.read().decode()
    assert "WARNING" in stderr and "0.0.0.0" in stderr and "demo credentials" in stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fault", "StartCaster:explode"], "unknown fault item"),
        (["--fault", "nonsense"], "is not ACTION:item"),
        (["--casters", "-1"], "--casters"),
        (["--rate-limit", "Nope=3"], "unknown action"),
    ],
)
def test_bad_options_exit_2_with_a_plain_message(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.sandbox.serve import run

    assert run(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_loopback_binding_does_not_warn() -> None:
    from app.sandbox.serve import _is_loopback

    assert _is_loopback("127.0.0.1") and _is_loopback("::1") and _is_loopback("localhost")
    assert not _is_loopback("0.0.0.0") and not _is_loopback("192.168.1.5")
