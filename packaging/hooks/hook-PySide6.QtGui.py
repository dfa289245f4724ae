"""PyInstaller's QtGui hook, minus the Qt plugins Caster Desk never loads.

It replaces PyInstaller's own hook (a hook in the spec's ``hookspath`` wins). Dropping a plugin
here, before PyInstaller follows its library dependencies, also keeps out what only that plugin
links: the GTK 3 theme alone would bring GTK's cairo/pango stack; the virtual keyboard, Qt Quick
modules; the embedded-Linux platforms (eglfs, linuxfb, VNC), EGL and input-device helpers.
"""

import sys
from pathlib import Path

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

_PACKAGING = str(Path(__file__).resolve().parents[1])
sys.path.insert(0, _PACKAGING)
try:
    from bundle_config import keep_bundled_file
finally:
    sys.path.remove(_PACKAGING)

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [
    (src, dest_dir)
    for src, dest_dir in binaries
    if keep_bundled_file(f"{dest_dir}/{Path(src).name}")
]
