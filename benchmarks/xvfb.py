"""A virtual X display (Xvfb) for the benchmarks that need Qt's RHI without a GPU.

Under Xvfb, Qt's xcb platform gets OpenGL from Mesa's llvmpipe (software rasterizer), so
``QVideoWidget`` converts video in a shader as on a desktop, only on the CPU. ``./dev`` installs
the ``xvfb`` package with the test packages.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCREEN = "1600x1000x24"
START_TIMEOUT_S = 10.0


class XvfbError(RuntimeError):
    pass


def free_display() -> int:
    number = 90
    while Path(f"/tmp/.X11-unix/X{number}").exists() or Path(f"/tmp/.X{number}-lock").exists():
        number += 1
    return number


@contextmanager
def virtual_display() -> Iterator[str]:
    """Start Xvfb on a free display; yields its name (``":N"``); stops it afterwards."""
    binary = shutil.which("Xvfb")
    if binary is None:
        raise XvfbError("Xvfb is not installed (apt-get install xvfb; ./dev test installs it)")
    number = free_display()
    process = subprocess.Popen(
        [binary, f":{number}", "-screen", "0", SCREEN, "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        socket = Path(f"/tmp/.X11-unix/X{number}")
        deadline = time.monotonic() + START_TIMEOUT_S
        while not socket.exists():  # Xvfb creates its socket when it accepts clients
            if process.poll() is not None or time.monotonic() > deadline:
                raise XvfbError(f"Xvfb :{number} did not start")
            time.sleep(0.05)
        yield f":{number}"
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
