"""Build the frozen Caster Desk for this OS into ``dist/``; reuse it when nothing changed.

    packaging/build            build, or reuse the last build of an identical tree
    packaging/build --force    build even if the tree is unchanged
    packaging/build --clean    also drop PyInstaller's work folder first (a from-scratch build)
    packaging/build --deb      Linux: also package the bundle as dist/casterdesk_<ver>_amd64.deb

The last line on stdout is one JSON object: bundle, executable, rebuilt, key (the inputs'
hash), seconds, size_bytes; with --deb also deb, deb_bytes and deb_seconds.
Everything cached lives in ``packaging/cache/`` (git-ignored): PyInstaller's work folder, its
binary cache, and a stamp with the hash of every input (app/, resources/, packaging/,
requirements/, pyproject.toml, the Python and the OS). A stamp that matches the tree and a
bundle that matches its recorded manifest mean there is nothing to do.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "casterdesk.spec"
DIST = ROOT / "dist"
CACHE = ROOT / "packaging" / "cache"
INPUTS = ("app", "resources", "packaging", "requirements", "pyproject.toml")
IGNORED_PARTS = {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
IGNORED_SUFFIXES = {".pyc", ".pyo", ".md"}  # documentation never reaches the bundle


def platform_tag() -> str:
    """``linux-x86_64``, ``win32-amd64``, ``darwin-arm64``: one cache per build machine kind."""
    return f"{sys.platform}-{platform.machine().lower()}"


def bundle_paths(dist: Path = DIST) -> tuple[Path, Path]:
    """The bundle PyInstaller makes on this OS, and the executable inside it."""
    if sys.platform == "darwin":
        app = dist / "Caster Desk.app"
        return app, app / "Contents" / "MacOS" / "casterdesk"
    if sys.platform == "win32":
        return dist / "casterdesk", dist / "casterdesk" / "casterdesk.exe"
    return dist / "casterdesk", dist / "casterdesk" / "casterdesk"


def _input_files(root: Path) -> Iterator[Path]:
    for name in INPUTS:
        top = root / name
        if top.is_file():
            yield top
            continue
        for path in sorted(top.rglob("*")):
            rel = path.relative_to(root)
            if (
                path.is_file()
                and rel.parts[:2] != ("packaging", "cache")
                and not IGNORED_PARTS.intersection(rel.parts[:-1])
                and path.suffix not in IGNORED_SUFFIXES
            ):
                yield path


def tree_key(root: Path = ROOT) -> str:
    """A hash of everything that decides the bundle's contents."""
    digest = hashlib.sha256()
    digest.update(f"{sys.version}|{platform_tag()}\n".encode())
    for path in _input_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def bundle_manifest(bundle: Path) -> tuple[str, int]:
    """A hash of the bundle's file names and sizes, and its total size in bytes."""
    digest = hashlib.sha256()
    total = 0
    for path in sorted(bundle.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        size = path.stat().st_size
        total += size
        digest.update(f"{path.relative_to(bundle).as_posix()}\0{size}\n".encode())
    return digest.hexdigest(), total


@contextlib.contextmanager
def build_lock(folder: Path) -> Iterator[None]:
    """One build at a time per checkout (two test runs may start together)."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl  # noqa: PLC0415  (POSIX only; Windows builds run one at a time)
    except ImportError:
        yield
        return
    with (folder / "lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def check_tools() -> str | None:
    """What is missing for a build on this machine, in plain words, or None."""
    try:
        import PyInstaller  # type: ignore[import-untyped]  # noqa: F401, PLC0415
    except ImportError:
        return "PyInstaller is not installed: run .venv/bin/pip install -r requirements/dev.txt"
    if sys.platform.startswith("linux"):
        missing = [tool for tool in ("objdump", "strip") if shutil.which(tool) is None]
        if missing:
            return f"the Linux build needs {' and '.join(missing)}: apt-get install binutils"
    return None


def check_bundle(bundle: Path, executable: Path) -> str | None:
    """A problem with a finished bundle that PyInstaller would not report, or None."""
    if not executable.is_file():
        return f"{executable} was not created"
    data = bundle / "Contents" / "Resources" if sys.platform == "darwin" else bundle / "_internal"
    media = data / "resources" / "sandbox"
    if not any(media.glob("*.flv")):
        return f"{media} has no sandbox media: app.sandbox.media.resources would not find it"
    return None


def run_pyinstaller(work: Path, config_dir: Path, dist: Path) -> None:
    env = dict(os.environ, PYINSTALLER_CONFIG_DIR=str(config_dir), PYTHONHASHSEED="0")
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level",
        os.environ.get("CASTERDESK_PYINSTALLER_LOG", "WARN"),
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        str(SPEC),
    ]
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def build(force: bool = False, clean: bool = False, dist: Path = DIST) -> dict[str, object]:
    """Build or reuse; returns the summary printed as JSON."""
    cache = CACHE / platform_tag()
    stamp = cache / "built.json"
    bundle, executable = bundle_paths(dist)
    with build_lock(cache):
        started = time.monotonic()
        key = tree_key()
        recorded = json.loads(stamp.read_text()) if stamp.is_file() else {}
        if not force and not clean and recorded.get("key") == key and executable.is_file():
            manifest, size = bundle_manifest(bundle)
            if manifest == recorded.get("manifest"):
                return {
                    "bundle": str(bundle),
                    "executable": str(executable),
                    "rebuilt": False,
                    "key": key,
                    "seconds": round(time.monotonic() - started, 2),
                    "size_bytes": size,
                }
        problem = check_tools()
        if problem:
            raise SystemExit(f"packaging/build: {problem}")
        stamp.unlink(missing_ok=True)
        if clean:
            shutil.rmtree(cache / "work", ignore_errors=True)
        print(f"packaging/build: building {bundle} (a few minutes)…", file=sys.stderr, flush=True)
        run_pyinstaller(cache / "work", cache / "pyinstaller", dist)
        problem = check_bundle(bundle, executable)
        if problem:
            raise SystemExit(f"packaging/build: {problem}")
        manifest, size = bundle_manifest(bundle)
        stamp.write_text(json.dumps({"key": key, "manifest": manifest, "size_bytes": size}))
        return {
            "bundle": str(bundle),
            "executable": str(executable),
            "rebuilt": True,
            "key": key,
            "seconds": round(time.monotonic() - started, 2),
            "size_bytes": size,
        }


def package_deb(bundle: Path, compression: str = "xz", dist: Path = DIST) -> dict[str, object]:
    """Make the .deb from a finished bundle (packaging/deb.py); its part of the summary."""
    import deb  # noqa: PLC0415  (a sibling script, importable when this one runs)

    started = time.monotonic()
    with build_lock(CACHE / platform_tag()):
        print("packaging/build: making the .deb…", file=sys.stderr, flush=True)
        package = deb.build_deb(bundle, dist, compression=compression)
    return {
        "deb": str(package),
        "deb_bytes": package.stat().st_size,
        "deb_seconds": round(time.monotonic() - started, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="build even if nothing changed")
    parser.add_argument("--clean", action="store_true", help="start from an empty work folder")
    parser.add_argument(
        "--deb", action="store_true", help="Linux: also make dist/casterdesk_<ver>_amd64.deb"
    )
    parser.add_argument(
        "--deb-compression",
        choices=("xz", "gzip"),
        default="xz",
        help="xz: smallest (releases); gzip: fastest (the test suite)",
    )
    args = parser.parse_args(argv)
    if args.deb and not sys.platform.startswith("linux"):
        parser.error("--deb packages the Linux bundle; run it on Linux")
    try:
        summary = build(force=args.force, clean=args.clean)
    except subprocess.CalledProcessError as exc:
        print(f"packaging/build: PyInstaller failed (exit {exc.returncode})", file=sys.stderr)
        return 1
    if args.deb:
        summary.update(package_deb(Path(str(summary["bundle"])), args.deb_compression))
    print(json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
