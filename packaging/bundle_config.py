"""What goes into the frozen Caster Desk, shared by ``casterdesk.spec`` and the tests.

The spec only wires these values into PyInstaller's steps; keeping them here, in plain Python,
lets the suite check the Windows and macOS choices on a Linux machine that cannot build them.
Nothing here imports PyInstaller or Qt.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[1]

APP_ID = "io.github.casterdesk.CasterDesk"  # reverse-DNS id: macOS bundle, AppStream, .desktop
DISPLAY_NAME = "Caster Desk"
PUBLISHER = "Caster Desk contributors"
DESCRIPTION = "Desktop console for ApsaraVideo Live production studios"
COPYRIGHT = "Copyright © 2026 Caster Desk contributors. MIT licence."
MACOS_MINIMUM = "13.0"  # the PySide6 6.11.3 wheels are tagged macosx_13_0_universal2

# resources/icons/casterdesk-<N>.png for each N, drawn from casterdesk.svg by make_icons.py.
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

# The keyring backends of all three systems. keyring finds them through its entry points at
# run time, which PyInstaller cannot see, so each is named.
KEYRING_BACKENDS = (
    "keyring.backends.SecretService",
    "keyring.backends.kwallet",
    "keyring.backends.libsecret",
    "keyring.backends.macOS",
    "keyring.backends.Windows",
    "keyring.backends.chainer",
    "keyring.backends.fail",
    "keyring.backends.null",
)

# The Qt modules the window uses. Named so that a module the UI imports lazily, or a plugin
# it needs (the FFmpeg media backend, SVG icons), is never left out.
QT_MODULES = (
    "PySide6.QtCore",
    "PySide6.QtGui",
    "PySide6.QtWidgets",
    "PySide6.QtNetwork",
    "PySide6.QtMultimedia",
    "PySide6.QtMultimediaWidgets",
    "PySide6.QtSvg",
)

# (platformdirs picks its per-OS module itself: pyinstaller-hooks-contrib has a hook for it.)
HIDDEN_IMPORTS = (*KEYRING_BACKENDS, *QT_MODULES)

# Qt modules the app does not use. Excluding the Python bindings keeps their PyInstaller hooks
# from pulling the libraries, plugins, QML files and translations in.
EXCLUDED_QT_MODULES = (
    "QtWebEngineCore",
    "QtWebEngineWidgets",
    "QtWebEngineQuick",
    "QtWebChannel",
    "QtWebView",
    "QtWebSockets",
    "QtQml",
    "QtQuick",
    "QtQuickWidgets",
    "QtQuickControls2",
    "QtQuickTest",
    "QtQuick3D",
    "Qt3DCore",
    "Qt3DRender",
    "Qt3DInput",
    "Qt3DLogic",
    "Qt3DAnimation",
    "Qt3DExtras",
    "QtPdf",
    "QtPdfWidgets",
    "QtDesigner",
    "QtUiTools",
    "QtHelp",
    "QtCharts",
    "QtDataVisualization",
    "QtGraphs",
    "QtGraphsWidgets",
    "QtLocation",
    "QtPositioning",
    "QtSensors",
    "QtSerialPort",
    "QtSerialBus",
    "QtBluetooth",
    "QtNfc",
    "QtRemoteObjects",
    "QtScxml",
    "QtStateMachine",
    "QtTextToSpeech",
    "QtSpatialAudio",
    "QtHttpServer",
    "QtNetworkAuth",
    "QtSql",
    "QtTest",
    "QtAxContainer",
    "QtCanvasPainter",
)

EXCLUDED_MODULES = (
    *(f"PySide6.{name}" for name in EXCLUDED_QT_MODULES),
    # Other Qt bindings (PyInstaller refuses two in one bundle) and dev-only packages.
    "PyQt5",
    "PyQt6",
    "PySide2",
    "tkinter",
    "_tkinter",
    "pytest",
    "pytestqt",
    "hypothesis",
    "mypy",
    "IPython",
    "numpy",
    "PIL",
    "alibabacloud_tea_openapi",
    "aliyunsdkcore",
    # httpx imports its command line (httpx._main) whenever rich, click and pygments can be
    # imported, and does without it when they cannot: ~70 ms of every start, measured.
    "rich",
    "click",
    "pygments",
    "pydoc_data",
    "lib2to3",
    "ensurepip",
    "idlelib",
    "turtledemo",
)

# Qt files that a kept library may still drag along, or that a kept module's hook collects
# although the app never loads them. Paths are relative to the PySide6 package with its "Qt/"
# level removed, so one list serves Linux (PySide6/Qt/plugins/…), macOS (the same) and
# Windows (PySide6/plugins/…).
DROPPED_QT_PATHS = (
    "qml/*",
    "plugins/qmltooling/*",
    "plugins/designer/*",
    "plugins/sceneparsers/*",
    "plugins/assetimporters/*",
    "plugins/renderers/*",
    "plugins/renderplugins/*",
    "plugins/geometryloaders/*",
    "plugins/geoservices/*",
    "plugins/position/*",
    "plugins/sensors/*",
    "plugins/canbus/*",
    "plugins/sqldrivers/*",
    "plugins/texttospeech/*",
    "plugins/webview/*",
    # Desktop Linux runs on xcb or wayland (offscreen for tests); these serve embedded boards.
    "plugins/platforms/*eglfs*",
    "plugins/platforms/*minimalegl*",
    "plugins/platforms/*linuxfb*",
    "plugins/platforms/*vnc*",
    "plugins/platforms/*vkkhrdisplay*",
    "plugins/egldeviceintegrations/*",
    "plugins/generic/*",
    # Reading PDF pages as images needs QtPdf, which is left out; nothing here opens PDFs.
    "plugins/imageformats/*qpdf*",
    # Would bring GTK 3's cairo/pango stack; Qt's own Fusion look is used instead.
    "plugins/platformthemes/*gtk3*",
    "plugins/platforminputcontexts/*virtualkeyboard*",
)

# Qt libraries the app never loads, by module name (libQt6<Name>.so.6 on Linux,
# Qt6<Name>.dll on Windows, Qt<Name>.framework on macOS), matched as prefixes. The FFmpeg
# media plugin links libQt6Quick and libQt6Qml themselves, so those two stay (with what they
# link); the QML modules, Quick controls and every other unused library do not.
DROPPED_QT_LIBRARIES = (
    "WebEngine",
    "WebChannel",
    "WebView",
    "WebSockets",
    "Pdf",
    "3D",
    "Quick3D",
    "QuickControls2",
    "QuickTemplates2",
    "QuickDialogs2",
    "Designer",
    "Charts",
    "DataVisualization",
    "Graphs",
    "Location",
    "Positioning",
    "Sensors",
    "SerialPort",
    "SerialBus",
    "Bluetooth",
    "Nfc",
    "RemoteObjects",
    "Scxml",
    "TextToSpeech",
    "SpatialAudio",
    "HttpServer",
    "Help",
    "Sql",
    "Test",
    "QuickTest",
    "VirtualKeyboard",
    "Lottie",
)
_QT_LIBRARY = re.compile(
    r"(?:^|/)(?:lib)?Qt6?(?P<module>[0-9A-Za-z]+?)(?:\.so(?:\.\d+)*|\.dll|\.framework(?:/.*)?)$"
)

# Qt's own translations: only the languages Caster Desk speaks.
QT_TRANSLATION_LANGUAGES = ("en", "zh_CN", "zh_TW")
_QT_TRANSLATION = re.compile(r"^translations/(?P<base>[a-z]+)_(?P<lang>[A-Za-z_]+)\.qm$")

# Kept in resources/ for the build, not needed by the running app: icons the OS reads from
# the executable or bundle instead, translation sources, notes.
RESOURCE_EXCLUDES = ("*.ico", "*.icns", "*.ts", "*.md", ".*", "__pycache__")


def project_name(root: Path = ROOT) -> str:
    """The distribution name from ``pyproject.toml`` (``casterdesk``)."""
    data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    return str(data["project"]["name"])


def app_version(root: Path = ROOT) -> str:
    """The package version, ``[project] version`` in ``pyproject.toml``: its one source.

    pip copies it into the package metadata that ``app.__version__`` reads; the spec, the
    .deb and the release workflow read it here, without importing or installing anything.
    """
    data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    version = data["project"].get("version")
    if not isinstance(version, str) or not version:
        raise ValueError("pyproject.toml has no [project] version = '…' string")
    return version


def package_metadata(name: str, version: str) -> str:
    """A minimal ``METADATA`` file for the frozen bundle's ``<name>-<version>.dist-info``.

    Written from ``pyproject.toml`` at build time rather than copied from the virtualenv, so
    a stale editable install can never put an old number into a new build.
    """
    return f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: {DESCRIPTION}\n"


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """``"1.2.3"`` → ``(1, 2, 3, 0)``: the four 16-bit numbers Windows and macOS want.

    A pre-release or local suffix (``1.2.3rc1``, ``1.2.3+g1234``) is dropped.
    """
    match = re.match(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?", version)
    if not match:
        raise ValueError(f"version {version!r} does not start with a number")
    parts = tuple(int(p) if p else 0 for p in match.groups())
    if any(p > 0xFFFF for p in parts):
        raise ValueError(f"version {version!r}: each part must be below 65536")
    return (parts[0], parts[1], parts[2], parts[3])


def resource_datas(root: Path = ROOT) -> list[tuple[str, str]]:
    """Every file of ``resources/`` the app reads, as PyInstaller ``(source, dest dir)`` pairs.

    The tree keeps its layout under the bundle's data folder (``sys._MEIPASS``), which is
    where ``app.sandbox.media.resources`` and the window look for it.
    """
    base = root / "resources"
    pairs: list[tuple[str, str]] = []
    for path in sorted(base.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(root)
        if any(
            fnmatch.fnmatch(part, pattern) for part in rel.parts for pattern in RESOURCE_EXCLUDES
        ):
            continue
        pairs.append((str(path), str(PurePosixPath(*rel.parent.parts))))
    return pairs


def _under_pyside6(dest: str) -> str | None:
    """``dest`` relative to the PySide6 package, without its ``Qt/`` and ``lib/`` levels."""
    parts = dest.replace("\\", "/").split("/")
    if not parts or parts[0] != "PySide6":
        return None
    rest = parts[1:]
    if rest[:1] == ["Qt"]:
        rest = rest[1:]
    if rest[:1] == ["lib"]:
        rest = rest[1:]
    return "/".join(rest)


def qt_library_module(dest: str) -> str | None:
    """The Qt module a bundled Qt library belongs to (``"Quick"`` for libQt6Quick.so.6)."""
    rel = _under_pyside6(dest)
    if rel is None:
        return None
    match = _QT_LIBRARY.match(rel.split("/", 1)[0] if ".framework/" in rel else rel)
    return match["module"] if match else None


def keep_bundled_file(dest: str) -> bool:
    """False for a Qt file the app does not need; ``dest`` is its path inside the bundle."""
    rel = _under_pyside6(dest)
    if rel is None:
        # PyInstaller's top-level links to Qt libraries (_internal/libQt6Core.so.6 → PySide6/…).
        module = qt_library_module("PySide6/" + dest.replace("\\", "/").rsplit("/", 1)[-1])
        return module is None or not module.startswith(DROPPED_QT_LIBRARIES)
    if any(fnmatch.fnmatch(rel, pattern) for pattern in DROPPED_QT_PATHS):
        return False
    module = qt_library_module(dest)
    if module is not None and module.startswith(DROPPED_QT_LIBRARIES):
        return False
    match = _QT_TRANSLATION.match(rel)
    return not match or match["lang"] in QT_TRANSLATION_LANGUAGES


def windows_version_info(version: str, name: str) -> str:
    """The Windows version resource, in the text form PyInstaller's ``version=`` file takes."""
    numbers = version_tuple(version)
    strings = {
        "CompanyName": PUBLISHER,
        "FileDescription": DISPLAY_NAME,
        "FileVersion": version,
        "InternalName": name,
        "LegalCopyright": COPYRIGHT,
        "OriginalFilename": f"{name}.exe",  # the console one; the windowed one shares this
        "ProductName": DISPLAY_NAME,
        "ProductVersion": version,
        "Comments": DESCRIPTION,
    }
    string_structs = ",\n".join(
        f"          StringStruct({key!r}, {value!r})" for key, value in strings.items()
    )
    # 0x0409 = U.S. English, 0x04B0 = 1200 (Unicode): the code page pair of the table below.
    return f"""# Generated by packaging/bundle_config.py; do not edit.
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers},
    prodvers={numbers},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '040904B0',
        [
{string_structs}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""


def macos_info_plist(version: str) -> dict[str, object]:
    """Info.plist keys on top of the ones PyInstaller's BUNDLE writes itself."""
    return {
        "CFBundleName": DISPLAY_NAME,
        "CFBundleDisplayName": DISPLAY_NAME,
        "CFBundleIdentifier": APP_ID,
        "CFBundleShortVersionString": ".".join(str(n) for n in version_tuple(version)[:3]),
        "CFBundleVersion": version,
        "CFBundleDevelopmentRegion": "en",
        "CFBundleLocalizations": ["en", "zh_CN"],
        "LSMinimumSystemVersion": MACOS_MINIMUM,
        "LSApplicationCategoryType": "public.app-category.video",
        "NSHighResolutionCapable": True,
        "NSRequiresAquaSystemAppearance": False,
        "NSHumanReadableCopyright": COPYRIGHT,
        # Previews play loopback and cloud streams over HTTP(S); nothing is recorded, so no
        # camera or microphone usage strings are needed.
        "NSAppTransportSecurity": {"NSAllowsLocalNetworking": True},
    }
