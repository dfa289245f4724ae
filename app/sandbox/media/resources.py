"""Where the pre-encoded sandbox loops live, in a source checkout and in a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def sandbox_media_dir() -> Path:
    """``resources/sandbox``: beside the ``app`` package, or under ``sys._MEIPASS`` when frozen.

    A PyInstaller spec must bundle the folder as ``resources/sandbox``.
    """
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources" / "sandbox"
    return Path(__file__).resolve().parents[3] / "resources" / "sandbox"
