"""packaging/build's cache key: what makes it rebuild, and what it ignores."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.packaging.conftest import packaging_module

pytestmark = pytest.mark.packaging

build = packaging_module("build")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for rel, text in {
        "app/__init__.py": "__version__ = '1.0'\n",
        "app/ui/window.py": "x = 1\n",
        "resources/sandbox/pvw.flv": "FLV",
        "packaging/casterdesk.spec": "# spec\n",
        "requirements/dev.txt": "pyinstaller==6.22.3\n",
        "pyproject.toml": "[project]\nname = 'casterdesk'\n",
        "tests/test_x.py": "def test(): pass\n",
    }.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_key_is_stable(tree: Path) -> None:
    assert build.tree_key(tree) == build.tree_key(tree)


@pytest.mark.parametrize(
    "rel",
    [
        "app/ui/window.py",  # edited
        "app/ui/new_panel.py",  # added
        "resources/icons/casterdesk.svg",
        "packaging/hooks/hook-PySide6.QtGui.py",
        "requirements/dev.txt",
        "pyproject.toml",
    ],
)
def test_an_input_change_rebuilds(tree: Path, rel: str) -> None:
    before = build.tree_key(tree)
    path = tree / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(path.read_text() + "# changed\n" if path.exists() else "new\n")
    assert build.tree_key(tree) != before


@pytest.mark.parametrize(
    "rel",
    [
        "app/ui/__pycache__/window.cpython-311.pyc",
        "packaging/cache/linux-x86_64/built.json",
        "packaging/README.md",
        "tests/test_y.py",
        "dist/casterdesk/casterdesk",
    ],
)
def test_non_inputs_are_ignored(tree: Path, rel: str) -> None:
    before = build.tree_key(tree)
    path = tree / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("noise\n")
    assert build.tree_key(tree) == before


def test_renaming_a_file_rebuilds(tree: Path) -> None:
    before = build.tree_key(tree)
    (tree / "app/ui/window.py").rename(tree / "app/ui/main_window.py")
    assert build.tree_key(tree) != before


def test_manifest_notices_a_changed_bundle(tmp_path: Path) -> None:
    (tmp_path / "_internal").mkdir()
    (tmp_path / "_internal" / "lib.so").write_bytes(b"x" * 10)
    manifest, size = build.bundle_manifest(tmp_path)
    assert size == 10
    (tmp_path / "_internal" / "lib.so").write_bytes(b"x" * 11)
    assert build.bundle_manifest(tmp_path)[0] != manifest
