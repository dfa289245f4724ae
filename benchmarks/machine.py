"""What the numbers were measured on: cores, CPU model, Python, Qt, PySide6 and FFmpeg."""

from __future__ import annotations

import os
import platform
from datetime import datetime
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def describe_machine() -> str:
    """One line per fact, for the log and for RESULTS.md."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    try:
        import av

        ffmpeg = ".".join(str(p) for p in av.library_versions["libavformat"])
        pyav = f"PyAV {av.__version__} (libavformat {ffmpeg})"
    except ImportError:
        pyav = "PyAV not installed"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return "\n".join(
        [
            f"date: {datetime.now().astimezone().isoformat(timespec='seconds')}",
            f"cores: {os.cpu_count()}; CPU: {cpu_model()}",
            f"OS: {platform.platform()}",
            f"Python {platform.python_version()}; Qt {qVersion()}; PySide6 {pyside_version}",
            pyav,
            f"load average (1, 5, 15 min): {load}",
        ]
    )
