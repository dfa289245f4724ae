"""The spec's three OS branches and the choices in bundle_config, checked without building.

``casterdesk.spec`` is executed here with PyInstaller's build steps replaced by recorders and
``sys.platform`` set to each OS in turn, so the Windows and macOS branches (which this machine
cannot build) are run and their arguments checked.
"""

from __future__ import annotations

import ast
import plistlib
import re
import sys
import tomllib
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

import app
from tests.packaging.conftest import PACKAGING, ROOT, packaging_module

pytestmark = pytest.mark.packaging

config = packaging_module("bundle_config")
SPEC = PACKAGING / "casterdesk.spec"


class SpecRun:
    """Records every PyInstaller step a spec run calls."""

    def __init__(self) -> None:
        self.calls: list[SimpleNamespace] = []

    def step(self, kind: str) -> Any:
        def record(*args: Any, **kwargs: Any) -> SimpleNamespace:
            call = SimpleNamespace(kind=kind, args=args, kwargs=kwargs)
            if kind == "Analysis":
                call.pure, call.scripts = [], []
                call.binaries = [
                    ("PySide6/Qt/lib/libQt6Core.so.6", "/src/a", "BINARY"),
                    ("PySide6/Qt/lib/libQt6Pdf.so.6", "/src/b", "BINARY"),
                    ("PySide6/Qt6WebEngineCore.dll", "/src/c", "BINARY"),
                    ("PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so", "/src/d", "BINARY"),
                ]
                call.datas = [
                    ("PySide6/Qt/qml/QtQuick/qmldir", "/src/e", "DATA"),
                    ("PySide6/Qt/translations/qtbase_de.qm", "/src/f", "DATA"),
                    ("PySide6/Qt/translations/qtbase_zh_CN.qm", "/src/g", "DATA"),
                ]
            self.calls.append(call)
            return call

        return record

    def of(self, kind: str) -> list[SimpleNamespace]:
        return [c for c in self.calls if c.kind == kind]


def run_spec(platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SpecRun:
    hooks = ModuleType("PyInstaller.utils.hooks")
    hooks.collect_submodules = lambda package: [f"{package}.everything"]  # type: ignore[attr-defined]
    hooks.copy_metadata = lambda dist: [(f"/site/{dist}.dist-info", f"{dist}.dist-info")]  # type: ignore[attr-defined]
    for name in ("PyInstaller", "PyInstaller.utils"):
        monkeypatch.setitem(sys.modules, name, ModuleType(name))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    monkeypatch.setattr(sys, "platform", platform)
    run = SpecRun()
    namespace = {
        "__name__": "__main__",
        "SPECPATH": str(PACKAGING),
        "DISTPATH": str(tmp_path / "dist"),
        "workpath": str(tmp_path / "work"),
        **{kind: run.step(kind) for kind in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")},
    }
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    return run


def check_analysis(run: SpecRun, tmp_path: Path) -> None:
    (analysis,) = run.of("Analysis")
    assert analysis.args[0] == [str(PACKAGING / "casterdesk_entry.py")]
    hidden = analysis.kwargs["hiddenimports"]
    assert set(config.KEYRING_BACKENDS) <= set(hidden)
    assert {"PySide6.QtMultimedia", "app.everything"} <= set(hidden)
    assert "PySide6.QtWebEngineCore" in analysis.kwargs["excludes"]
    assert analysis.kwargs["hookspath"] == [str(PACKAGING / "hooks")]
    datas = analysis.kwargs["datas"]
    assert ("/site/keyring.dist-info", "keyring.dist-info") in datas
    assert (str(ROOT / "resources/sandbox/cam2_1080p.flv"), "resources/sandbox") in datas
    # The package metadata app.__version__ reads, written from pyproject.toml.
    version = config.app_version()
    dist_info = tmp_path / "work" / "metadata" / f"casterdesk-{version}.dist-info"
    assert (str(dist_info), dist_info.name) in datas
    metadata = (dist_info / "METADATA").read_text(encoding="utf-8")
    assert f"\nName: casterdesk\nVersion: {version}\n" in metadata
    # The unused Qt files were filtered out of what Analysis found.
    assert [b[0] for b in analysis.binaries] == [
        "PySide6/Qt/lib/libQt6Core.so.6",
        "PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so",
    ]
    assert [d[0] for d in analysis.datas] == ["PySide6/Qt/translations/qtbase_zh_CN.qm"]


def test_linux_branch_makes_one_folder_with_desktop_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = run_spec("linux", tmp_path, monkeypatch)
    check_analysis(run, tmp_path)
    (exe,) = run.of("EXE")
    assert exe.kwargs["name"] == "casterdesk" and exe.kwargs["exclude_binaries"] is True
    (collect,) = run.of("COLLECT")
    assert collect.kwargs["name"] == "casterdesk"
    assert collect.kwargs["strip"] is False, "strip=True breaks the FFmpeg libraries"
    assert not run.of("BUNDLE")
    bundle = tmp_path / "dist" / "casterdesk"
    assert (bundle / "share/applications/io.github.casterdesk.CasterDesk.desktop").is_file()
    assert (bundle / "install.sh").is_file()


def test_windows_branch_has_two_front_doors_with_icon_and_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = run_spec("win32", tmp_path, monkeypatch)
    check_analysis(run, tmp_path)
    exes = {e.kwargs["name"]: e.kwargs for e in run.of("EXE")}
    assert set(exes) == {"Caster Desk", "casterdesk"}
    assert exes["Caster Desk"]["console"] is False
    assert exes["casterdesk"]["console"] is True
    assert "Caster Desk".lower() != "casterdesk", "Windows file names ignore case"
    for kwargs in exes.values():
        assert Path(kwargs["icon"]) == ROOT / "resources/icons/casterdesk.ico"
        assert Path(kwargs["icon"]).is_file()
        assert Path(kwargs["version"]) == tmp_path / "work" / "version_info.txt"
    (collect,) = run.of("COLLECT")
    assert collect.kwargs["name"] == "casterdesk" and len(collect.args) == 4
    info = parse_version_info((tmp_path / "work" / "version_info.txt").read_text(encoding="utf-8"))
    assert info["filevers"] == info["prodvers"] == config.version_tuple(app.__version__)
    assert info["strings"]["ProductVersion"] == app.__version__
    assert info["strings"]["ProductName"] == "Caster Desk"
    assert info["strings"]["OriginalFilename"] == "casterdesk.exe"


def test_macos_branch_makes_an_app_bundle_with_info_plist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    identity = "Developer ID Application: Example Ltd (ABCDE12345)"
    monkeypatch.setenv("CASTERDESK_CODESIGN_IDENTITY", identity)
    run = run_spec("darwin", tmp_path, monkeypatch)
    check_analysis(run, tmp_path)
    (exe,) = run.of("EXE")
    assert exe.kwargs["console"] is False and exe.kwargs["argv_emulation"] is False
    assert exe.kwargs["codesign_identity"] == identity
    entitlements = plistlib.loads(Path(exe.kwargs["entitlements_file"]).read_bytes())
    assert entitlements == {"com.apple.security.cs.allow-unsigned-executable-memory": True}
    (bundle,) = run.of("BUNDLE")
    assert bundle.kwargs["name"] == "Caster Desk.app"
    assert Path(bundle.kwargs["icon"]).is_file() and bundle.kwargs["icon"].endswith(".icns")
    assert bundle.kwargs["bundle_identifier"] == "io.github.casterdesk.CasterDesk"
    assert bundle.kwargs["version"] == app.__version__
    plist = bundle.kwargs["info_plist"]
    plistlib.dumps(plist)  # every value is plist-serialisable
    assert plist["CFBundleShortVersionString"] == app.__version__
    assert plist["LSMinimumSystemVersion"] == config.MACOS_MINIMUM
    assert plist["NSHighResolutionCapable"] is True


def test_unknown_platform_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SystemExit, match="no packaging branch for sunos5"):
        run_spec("sunos5", tmp_path, monkeypatch)


def parse_version_info(text: str) -> dict[str, Any]:
    """Evaluate the version-resource text with PyInstaller's class names as plain recorders."""
    tree = ast.parse(text, mode="eval")
    allowed = {
        "VSVersionInfo",
        "FixedFileInfo",
        "StringFileInfo",
        "StringTable",
        "StringStruct",
        "VarFileInfo",
        "VarStruct",
    }
    called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call)}  # type: ignore[attr-defined]
    assert called <= allowed, called - allowed
    found: dict[str, Any] = {"strings": {}}

    def fixed(**kwargs: Any) -> None:
        found.update(filevers=kwargs["filevers"], prodvers=kwargs["prodvers"])

    def string(key: str, value: str) -> None:
        found["strings"][key] = value

    namespace: dict[str, Any] = {name: (lambda *a, **k: None) for name in allowed}
    namespace.update(FixedFileInfo=fixed, StringStruct=string)
    eval(compile(tree, "<version>", "eval"), {"__builtins__": {}}, namespace)
    return found


# --- bundle_config ----------------------------------------------------------------------------


def test_name_and_version_come_from_the_package() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert config.project_name() == pyproject["project"]["name"] == "casterdesk"
    assert config.app_version() == pyproject["project"]["version"]
    # app.__version__ reads the installed metadata: a mismatch means a stale install.
    assert app.__version__ == config.app_version(), "reinstall: .venv/bin/pip install -e ."
    assert "version" not in pyproject["project"].get("dynamic", []), "one version source"


def test_frozen_metadata_replaces_a_stale_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build after a version bump carries the new dist-info only (the old folder goes)."""
    stale = tmp_path / "work" / "metadata" / "casterdesk-0.0.1.dist-info"
    stale.mkdir(parents=True)
    (stale / "METADATA").write_text("Version: 0.0.1\n")
    run_spec("linux", tmp_path, monkeypatch)
    folders = sorted(p.name for p in (tmp_path / "work" / "metadata").iterdir())
    assert folders == [f"casterdesk-{config.app_version()}.dist-info"]


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("0.1.0", (0, 1, 0, 0)),
        ("2", (2, 0, 0, 0)),
        ("1.2.3.4", (1, 2, 3, 4)),
        ("1.2.3rc1", (1, 2, 3, 0)),
        ("1.10.0+g1234", (1, 10, 0, 0)),
    ],
)
def test_version_tuple(version: str, expected: tuple[int, int, int, int]) -> None:
    assert config.version_tuple(version) == expected


@pytest.mark.parametrize("version", ["", "v1.0", "1.70000.0"])
def test_version_tuple_refuses_what_windows_cannot_hold(version: str) -> None:
    with pytest.raises(ValueError, match="version"):
        config.version_tuple(version)


def test_resource_datas_keep_the_tree_minus_build_only_files() -> None:
    pairs = config.resource_datas()
    bundled = {Path(source).relative_to(ROOT).as_posix() for source, _ in pairs}
    on_disk = {
        p.relative_to(ROOT).as_posix() for p in (ROOT / "resources").rglob("*") if p.is_file()
    }
    # Icons for the OS packages and translation sources: the app reads only the PNG/SVG and .qm.
    build_only = {name for name in on_disk if name.endswith((".ico", ".icns", ".ts"))}
    assert build_only, "the ICO and ICNS live in resources/icons"
    assert bundled == on_disk - build_only - {n for n in on_disk if "/." in n or n.endswith(".md")}
    for source, dest in pairs:
        assert Path(source).relative_to(ROOT).parent.as_posix() == dest


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/lib/libQt6Core.so.6", True),
        ("PySide6/Qt/lib/libQt6Quick.so.6", True),  # linked by the FFmpeg plugin
        ("PySide6/Qt/lib/libQt6Quick3D.so.6", False),
        ("PySide6/Qt/lib/libQt6WebEngineCore.so.6", False),
        ("libQt6VirtualKeyboard.so.6", False),  # PyInstaller's top-level link
        ("libQt6Core.so.6", True),
        ("PySide6/Qt6Pdf.dll", False),  # Windows layout
        ("PySide6/Qt6Multimedia.dll", True),
        ("PySide6/plugins/multimedia/ffmpegmediaplugin.dll", True),
        ("PySide6/Qt/lib/QtCharts.framework/Versions/A/QtCharts", False),  # macOS
        ("PySide6/Qt/lib/QtCore.framework/Versions/A/QtCore", True),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/qml/QtQuick/qmldir", False),
        ("PySide6/qml/QtQuick/qmldir", False),
        ("PySide6/Qt/translations/qtbase_zh_CN.qm", True),
        ("PySide6/translations/qtbase_fr.qm", False),
        ("PySide6/Qt/lib/libicudata.so.73", True),
        ("resources/sandbox/pvw.flv", True),
    ],
)
def test_keep_bundled_file(dest: str, kept: bool) -> None:
    assert config.keep_bundled_file(dest) is kept
    assert config.keep_bundled_file(dest.replace("/", "\\")) is kept


def test_the_app_imports_no_qt_module_the_bundle_leaves_out() -> None:
    """A window that starts using an excluded module would break only in the frozen app."""
    excluded = set(config.EXCLUDED_QT_MODULES)
    offenders = []
    for path in (ROOT / "app").rglob("*.py"):
        for name in re.findall(r"\bPySide6\.(Qt\w+)", path.read_text(encoding="utf-8")):
            if name in excluded:
                offenders.append(f"{path.relative_to(ROOT)}: PySide6.{name}")
    assert not offenders, offenders


def test_hidden_qt_modules_exist() -> None:
    import importlib

    for name in config.QT_MODULES:
        importlib.import_module(name)


def test_linux_build_refuses_a_metainfo_without_this_release(tmp_path: Path) -> None:
    linux_bundle = packaging_module("linux_bundle")
    linux_bundle.check_metainfo_release(ROOT, config.app_version())  # the real tree passes
    with pytest.raises(SystemExit, match=r'<release version="9\.9\.9">'):
        linux_bundle.check_metainfo_release(ROOT, "9.9.9")
