"""Where video is converted when there is no GPU: on the CPU, not through software OpenGL.

Qt's ``QVideoWidget`` converts YUV to RGB in a shader when Qt has OpenGL. With a GPU that is
the cheapest path by far. Without one, Mesa still offers OpenGL (llvmpipe, a software
rasterizer), and then it is the dearest: measured under Xvfb with two 640×360 25 fps previews,
20.7 % of a core through llvmpipe against 9.0 % with OpenGL off (``QVideoWidget`` then converts
on the CPU, "No RHI backend. Using CPU conversion"), and 53 % for the old painted-sink path.

So on Linux/X11, when no GPU device is present, Caster Desk tells Qt's xcb platform not to use
OpenGL (``QT_XCB_GL_INTEGRATION=none``) before the QApplication exists. Set that variable
yourself, or ``CASTERDESK_OPENGL=on``, to decide otherwise.
"""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping
from pathlib import Path

OPENGL_ENV = "CASTERDESK_OPENGL"
XCB_GL_ENV = "QT_XCB_GL_INTEGRATION"


def has_gpu(dev: Path = Path("/dev")) -> bool:
    """True when a GPU device node exists (a DRM render node, or NVIDIA's driver)."""
    return any((dev / "dri").glob("renderD*")) or (dev / "nvidia0").exists()


def choose_video_conversion(
    environ: MutableMapping[str, str] | None = None, *, gpu: bool | None = None
) -> str:
    """Decide before the QApplication exists; returns what was chosen, for the start-up log.

    Changes ``environ`` (default ``os.environ``) only on Linux, without a GPU, when neither
    ``QT_XCB_GL_INTEGRATION`` nor ``CASTERDESK_OPENGL`` says otherwise.
    """
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return "GPU (Qt's RHI)"
    if XCB_GL_ENV in env:
        return f"as {XCB_GL_ENV}={env[XCB_GL_ENV]} says"
    if env.get(OPENGL_ENV, "").lower() in ("on", "1", "yes"):
        return f"OpenGL ({OPENGL_ENV}=on)"
    if has_gpu() if gpu is None else gpu:
        return "GPU (Qt's RHI)"
    env[XCB_GL_ENV] = "none"
    return "CPU (no GPU found: software OpenGL would cost twice as much)"
