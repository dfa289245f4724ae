"""The Linux bundle's desktop integration: .desktop entry, AppStream metainfo, icons, installer.

Called by ``casterdesk.spec`` after PyInstaller has collected ``dist/casterdesk``. The files go
under ``share/`` in the layout of an XDG prefix, so ``install.sh`` copies them as they are.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from bundle_config import APP_ID, ICON_SIZES

DESKTOP_FILE = f"{APP_ID}.desktop"
METAINFO_FILE = f"{APP_ID}.metainfo.xml"


def desktop_files(root: Path) -> list[tuple[Path, str]]:
    """``(source, path inside the bundle)`` for every desktop-integration file."""
    linux = root / "packaging" / "linux"
    icons = root / "resources" / "icons"
    files = [
        # Installed under the AppStream id so software centres match the two files up.
        (linux / "casterdesk.desktop", f"share/applications/{DESKTOP_FILE}"),
        (linux / METAINFO_FILE, f"share/metainfo/{METAINFO_FILE}"),
        (icons / "casterdesk.svg", f"share/icons/hicolor/scalable/apps/{APP_ID}.svg"),
        (linux / "install.sh", "install.sh"),
    ]
    files += [
        (icons / f"casterdesk-{size}.png", f"share/icons/hicolor/{size}x{size}/apps/{APP_ID}.png")
        for size in ICON_SIZES
    ]
    return files


def install_desktop_files(bundle: Path, root: Path) -> None:
    """Copy the desktop-integration files into ``bundle`` (``dist/casterdesk``)."""
    for source, rel in desktop_files(root):
        target = bundle / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def check_metainfo_release(root: Path, version: str) -> None:
    """Stop the build when the AppStream metainfo has no ``<release>`` for ``version``.

    The metainfo is hand-written (it carries release notes), so instead of generating it the
    build refuses to ship one that lags behind ``pyproject.toml``.
    """
    metainfo = (root / "packaging" / "linux" / METAINFO_FILE).read_text(encoding="utf-8")
    if f'<release version="{version}"' not in metainfo:
        raise SystemExit(
            f'packaging/linux/{METAINFO_FILE} has no <release version="{version}">: add one '
            "(with the date and the CHANGELOG.md summary) for the version in pyproject.toml"
        )


def strip_python_debug_info(bundle: Path) -> list[Path]:
    """Drop the debug sections of the Python runtime's own libraries; returns the files.

    The interpreter this machine built (pyenv and the like) keeps about 30 MB of DWARF in
    libpython and its lib-dynload modules. Only debug sections go (``--strip-debug``): the
    symbol tables stay, and no other library is touched, because stripping the wheels'
    already-stripped FFmpeg libraries breaks their alignment.

    PyAV's own Cython extension modules (``av/**/*.so``, not its FFmpeg in ``av.libs``) ship
    with DWARF too: about 26 of their 30 MB.
    """
    internal = bundle / "_internal"
    files = [
        path
        for pattern in ("libpython3*.so*", "python3.*/lib-dynload/*.so", "av/**/*.so")
        for path in sorted(internal.glob(pattern))
        if path.is_file() and not path.is_symlink()
    ]
    if files:
        subprocess.run(["strip", "--strip-debug", *map(str, files)], check=True)
    return files
