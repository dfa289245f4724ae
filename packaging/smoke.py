"""Smoke-test a frozen Caster Desk on this machine: ``--version``, then the sandbox.

    python packaging/smoke.py                    the bundle packaging/build made for this OS
    python packaging/smoke.py /usr/bin/casterdesk

1. ``casterdesk --version`` prints ``casterdesk <the version in pyproject.toml>``;
2. ``casterdesk sandbox --port 0`` prints its JSON banner, answers StartCaster from the
   project's own ``LiveClient`` with PVW and PGM stream URLs, and its media origin streams
   FLV from the loops it read from the bundle;
3. it stops when asked (exit 0 after SIGTERM where there are signals).

The release workflow runs this on every OS it builds; the test suite runs it against the
Linux bundle and the installed .deb. Run it with the project's virtualenv (it imports
``app.api`` to sign the StartCaster call); the frozen program gets no Python variables.
Prints one JSON line and exits 0, or names the failed step and exits 1.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
IDLE_GENERAL = 1  # seed caster 1: idle, with a streaming domain (StartCaster succeeds)
STARTUP_TIMEOUT_S = 90.0
# Variables that would let the frozen program use this checkout's Python instead of its own.
LEAKY_VARIABLES = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "PYTHONUSERBASE")


class SmokeTestError(Exception):
    """A step of the smoke test failed; the message says which and what was seen."""


def frozen_env(**extra: str) -> dict[str, str]:
    """This environment minus the Python variables and the virtualenv's folder on PATH."""
    env = {k: v for k, v in os.environ.items() if k not in LEAKY_VARIABLES}
    venv_bins = {str(Path(sys.prefix) / "bin"), str(Path(sys.prefix) / "Scripts")}
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if p not in venv_bins
    )
    env.update(extra)
    return env


def check_version(executable: Path, expected: str, cwd: Path | None = None) -> str:
    """Run ``--version``; returns its output, or raises :class:`SmokeTestError`."""
    done = subprocess.run(
        [str(executable), "--version"],
        check=False,
        cwd=cwd,
        env=frozen_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    printed = done.stdout.strip()
    if done.returncode != 0 or printed != f"casterdesk {expected}":
        raise SmokeTestError(
            f"--version: exit {done.returncode}, printed {printed!r} (want 'casterdesk "
            f"{expected}')\n{done.stderr[-2000:]}"
        )
    return printed


def _lines(stream: IO[bytes], into: queue.Queue[bytes]) -> None:
    # A thread rather than select(): Windows cannot select() on a pipe.
    for line in stream:
        into.put(line)


def sandbox_smoke(executable: Path, cwd: Path | None = None) -> dict[str, object]:
    """Run the frozen sandbox, start a caster through it, read FLV; what it saw.

    Raises :class:`SmokeTestError`. The child is always stopped and reaped before returning.
    """
    import httpx  # noqa: PLC0415  (the venv's; imported here so --help needs nothing)

    from app.api.client import LiveClient  # noqa: PLC0415
    from app.api.signing import SigningKey  # noqa: PLC0415

    proc = subprocess.Popen(
        [str(executable), "sandbox", "--port", "0"],
        cwd=cwd,
        env=frozen_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    lines: queue.Queue[bytes] = queue.Queue()
    reader = threading.Thread(target=_lines, args=(proc.stdout, lines), daemon=True)
    reader.start()
    seen: dict[str, object] = {}
    try:
        try:
            banner = json.loads(lines.get(timeout=STARTUP_TIMEOUT_S))
        except queue.Empty:
            raise SmokeTestError(f"no sandbox banner within {STARTUP_TIMEOUT_S:.0f} s") from None
        started = time.monotonic()
        key = SigningKey(banner["access_key_id"], banner["access_key_secret"])
        caster_id = banner["caster_ids"][IDLE_GENERAL]
        with LiveClient(key, region_id=banner["region_id"], endpoint=banner["endpoint"]) as client:
            result = client.start_caster(caster_id)
        if not (result.request_id and result.pvw and result.pgm):
            raise SmokeTestError(f"StartCaster answered without PVW/PGM scenes: {result!r}")
        flv_url = next(
            s.output_stream_url for s in result.pgm[0].stream_infos if s.video_format == "flv"
        )
        head = b""
        with httpx.stream("GET", flv_url, timeout=15.0) as response:
            if response.status_code != 200:
                raise SmokeTestError(f"GET {flv_url}: HTTP {response.status_code}")
            for chunk in response.iter_bytes():
                head += chunk
                if len(head) >= 16:
                    break
        if head[:4] != b"FLV\x01":
            raise SmokeTestError(
                f"the PGM HTTP-FLV stream does not start with an FLV header: {head!r}"
            )
        seen.update(
            caster_id=caster_id,
            pvw_scenes=len(result.pvw),
            pgm_scenes=len(result.pgm),
            flv_header=head[:4].decode("ascii", "replace"),
            start_caster_s=round(time.monotonic() - started, 2),
            pid=proc.pid,
        )
    finally:
        proc.terminate()  # SIGTERM on POSIX (a clean shutdown); TerminateProcess on Windows
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
        reader.join(timeout=10)
        errors = proc.stderr.read().decode(errors="replace")
        proc.stdout.close()
        proc.stderr.close()
    if sys.platform != "win32" and code != 0:
        raise SmokeTestError(f"the sandbox exited {code} after SIGTERM\n{errors[-4000:]}")
    if "Traceback" in errors:
        raise SmokeTestError(f"the sandbox printed a traceback\n{errors[-4000:]}")
    seen["exit_code"] = code
    return seen


def default_executable() -> Path:
    """The executable ``packaging/build`` made for this OS."""
    sys.path.insert(0, str(ROOT / "packaging"))
    import build  # noqa: PLC0415

    return Path(build.bundle_paths()[1])


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] in (["-h"], ["--help"]):
        print(__doc__)
        return 0
    sys.path.insert(0, str(ROOT))  # app.api signs the StartCaster call
    sys.path.insert(0, str(ROOT / "packaging"))
    from bundle_config import app_version  # noqa: PLC0415

    executable = Path(args[0]) if args else default_executable()
    try:
        version = check_version(executable, app_version())
        report = {"executable": str(executable), "version": version}
        report.update(sandbox_smoke(executable))
    except (SmokeTestError, OSError, subprocess.SubprocessError) as exc:
        print(f"packaging/smoke.py: FAILED: {exc}", file=sys.stderr)
        return 1
    print(json.dumps({"smoke": "ok", **report}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
