"""The frozen app, built once per test session by ``packaging/build`` (or reused from its cache).

A fresh checkout builds from scratch (about half a minute of PyInstaller on two cores); an
unchanged tree reuses ``dist/casterdesk`` after hashing the inputs. The build's own output goes
to a log file that a failing test shows the end of.
"""

from __future__ import annotations

import importlib.util
import json
import os
import selectors
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
BUILD_SCRIPT = PACKAGING / "build.py"
BUILD_TIMEOUT_S = 900.0

# Variables that would let a frozen program see this checkout's virtualenv instead of its own
# bundled copy of everything.
_LEAKY_VARIABLES = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "PYTHONUSERBASE")


def packaging_module(name: str) -> ModuleType:
    """Import ``packaging/<name>.py`` (a folder of scripts, not a package: ``packaging`` is
    also the name of a PyPI library). Its siblings import ``bundle_config`` by that name."""
    if name in sys.modules:
        return sys.modules[name]
    if name != "bundle_config":
        packaging_module("bundle_config")
    spec = importlib.util.spec_from_file_location(name, PACKAGING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class FrozenApp:
    """A built bundle: where it is, its executable, and what the build step measured."""

    bundle: Path
    executable: Path
    rebuilt: bool
    key: str
    build_seconds: float
    size_bytes: int

    @property
    def internal(self) -> Path:
        """The bundle's data folder (``sys._MEIPASS`` of the frozen program)."""
        return self.bundle / "_internal"


def run_build(*args: str, log: Path) -> dict[str, object]:
    """Run ``packaging/build.py``; returns its JSON summary, or fails with the log's tail."""
    with log.open("w") as out:
        done = subprocess.run(
            [sys.executable, str(BUILD_SCRIPT), *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=out,
            text=True,
            timeout=BUILD_TIMEOUT_S,
        )
    if done.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-40:])
        pytest.fail(f"packaging/build failed (exit {done.returncode}):\n{tail}", pytrace=False)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="session")
def frozen_app(tmp_path_factory: pytest.TempPathFactory) -> FrozenApp:
    """The Linux one-folder bundle in ``dist/casterdesk``, built or reused once per session."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the frozen-app tests build and run the Linux bundle")
    summary = run_build(log=tmp_path_factory.mktemp("build") / "build.log")
    return FrozenApp(
        bundle=Path(str(summary["bundle"])),
        executable=Path(str(summary["executable"])),
        rebuilt=bool(summary["rebuilt"]),
        key=str(summary["key"]),
        build_seconds=float(str(summary["seconds"])),
        size_bytes=int(str(summary["size_bytes"])),
    )


def frozen_env(**extra: str) -> dict[str, str]:
    """The environment a frozen program runs in: headless Qt, no path back to the venv.

    HOME and the XDG folders are the test's isolated ones (``tests/conftest.py``), and
    ``PYTHON_KEYRING_BACKEND`` keeps any real keychain out of reach.
    """
    env = {k: v for k, v in os.environ.items() if k not in _LEAKY_VARIABLES}
    venv_bin = str(ROOT / ".venv" / "bin")
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return env


def read_line(stream: object, deadline: float) -> bytes:
    """One line from a child's unbuffered binary pipe, waiting at most until ``deadline``."""
    fd = stream.fileno()  # type: ignore[attr-defined]
    buffer = b""
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while b"\n" not in buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                raise TimeoutError(f"no complete line before the deadline; got {buffer!r}")
            chunk = os.read(fd, 4096)
            if not chunk:
                raise EOFError(f"the program closed its output; got {buffer!r}")
            buffer += chunk
    return buffer.split(b"\n", 1)[0]
