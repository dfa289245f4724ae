"""The Debian package of the Linux bundle: ``casterdesk_<version>_amd64.deb``, made with dpkg-deb.

    /opt/casterdesk/              the one-folder build (without install.sh and share/)
    /usr/bin/casterdesk           a link to /opt/casterdesk/casterdesk
    /usr/share/applications/      the menu entry
    /usr/share/metainfo/          the AppStream metainfo
    /usr/share/icons/hicolor/     the icons
    /usr/share/doc/casterdesk/    copyright, changelog.gz (Debian's), CHANGELOG.md
    /usr/share/man/man1/          casterdesk.1.gz (packaging/linux/casterdesk.1)
    /usr/share/lintian/overrides/ the lintian tags kept on purpose (packaging/linux/lintian-overrides)

``Depends:`` is ``packaging/linux/host-packages.txt`` (the list ./dev installs and install.sh
checks), verified at build time against what the bundle really links: :func:`host_libraries`
runs ``ldd`` over every ELF file of the bundle the way the bootloader loads them
(``LD_LIBRARY_PATH`` = ``_internal``) and keeps what resolves outside the bundle; for those
that a bundled file links itself (its ``NEEDED`` entries), ``dpkg-query -S`` names the owning
packages, and the build stops when that set and the list differ. glibc's version floor is computed from the bundle's symbol versions.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path

from bundle_config import DESCRIPTION, PUBLISHER, app_version, project_name

ROOT = Path(__file__).resolve().parents[1]
INSTALL_DIR = "opt/casterdesk"
ARCHITECTURE = "amd64"  # the bundle is built for x86-64 only
# dpkg-deb needs an address here; directors report problems through the project's tracker.
MAINTAINER = f"{PUBLISHER} <casterdesk@users.noreply.github.com>"
# What a bundle carries for install.sh; the package puts these in /usr/share itself.
NOT_IN_OPT = ("install.sh", "share")
HOST_PACKAGES = "host-packages.txt"  # under packaging/linux: what the bundle leaves to the host
_LDD_BATCH = 40
_GLIBC_VERSION = re.compile(rb"GLIBC_(\d+)\.(\d+)(?:\.(\d+))?")


@dataclass(frozen=True)
class HostLibraries:
    """What the bundle takes from the host: soname → file, and what no one provides."""

    resolved: dict[str, Path] = field(default_factory=dict)
    missing: dict[str, list[str]] = field(default_factory=dict)  # bundled file → sonames


def elf_files(bundle: Path) -> list[Path]:
    """The bootloader and every shared object in the bundle (not the links to them)."""
    internal = bundle / "_internal"
    libraries = sorted(
        p for p in internal.rglob("*.so*") if p.is_file() and not p.is_symlink() and ".so" in p.name
    )
    return [bundle / bundle.name, *libraries]


def host_libraries(bundle: Path, env: dict[str, str] | None = None) -> HostLibraries:
    """Run ``ldd`` over the bundle; every library it resolves outside the bundle, or misses.

    ``LD_LIBRARY_PATH`` is set to ``_internal`` because the bootloader sets it so, and ``ldd``
    follows each library's own dependencies, so a host library needed only by another host
    library is listed too (:func:`needed_packages` keeps those the bundle links itself).
    """
    internal = bundle / "_internal"
    env = dict(os.environ if env is None else env, LD_LIBRARY_PATH=str(internal))
    bundle_root = bundle.resolve()
    result = HostLibraries()
    files = elf_files(bundle)
    for start in range(0, len(files), _LDD_BATCH):
        batch = files[start : start + _LDD_BATCH]
        done = subprocess.run(
            ["ldd", *map(str, batch)],
            check=False,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        current = str(batch[0])  # ldd names the file only when it was given several
        for line in done.stdout.splitlines():
            if not line.startswith(("\t", " ")) and line.endswith(":"):
                current = line[:-1]
                continue
            entry = line.strip()
            if entry.endswith("not found"):
                result.missing.setdefault(current, []).append(entry.split()[0])
                continue
            # "libfoo.so.1 => /lib/libfoo.so.1 (0x…)" or "/lib64/ld-linux-x86-64.so.2 (0x…)";
            # linux-vdso has no file.
            if "=>" in entry:
                soname, _, target = entry.partition("=>")
                path_text = target.strip().split(" (", 1)[0]
            else:
                path_text = entry.split(" (", 1)[0]
                soname = Path(path_text).name
            if not path_text.startswith("/"):
                continue
            path = Path(path_text)
            if not path.resolve().is_relative_to(bundle_root):
                result.resolved.setdefault(soname.strip(), path)
    return result


def _dpkg_candidates(path: Path) -> set[str]:
    """The spellings under which dpkg may list ``path``: with merged /usr, a library is
    /lib/… to one package and /usr/lib/… to another, and a soname is often a link."""
    names = {str(path), str(path.resolve())}
    for name in list(names):
        if name.startswith("/usr/"):
            names.add(name[4:])
        elif name.startswith(("/lib", "/bin", "/sbin")):
            names.add("/usr" + name)
    return names


def owning_packages(paths: Iterable[Path]) -> dict[Path, str]:
    """The Debian package (without ``:arch``) that installed each file; unknown files are absent."""
    paths = list(paths)
    candidates = {path: _dpkg_candidates(path) for path in paths}
    patterns = sorted(set().union(*candidates.values())) if candidates else []
    if not patterns:
        return {}
    done = subprocess.run(
        ["dpkg-query", "-S", *patterns], check=False, capture_output=True, text=True, timeout=60
    )  # exit 1 when some spellings are unknown: expected, the others are on stdout
    owner_of: dict[str, str] = {}
    for line in done.stdout.splitlines():
        if line.startswith("diversion ") or ": " not in line:
            continue
        packages, _, name = line.partition(": ")
        owner_of[name.strip()] = packages.split(",")[0].strip().split(":")[0]
    found = {}
    for path, names in candidates.items():
        owners = sorted({owner_of[n] for n in names if n in owner_of})
        if owners:
            found[path] = owners[0]
    return found


def glibc_floor(files: Iterable[Path]) -> tuple[int, ...]:
    """The newest ``GLIBC_x.y`` symbol version any of ``files`` asks for."""
    newest: tuple[int, ...] = (2, 0)
    for path in files:
        with path.open("rb") as handle:
            data = handle.read()
        for match in _GLIBC_VERSION.finditer(data):
            newest = max(newest, tuple(int(g) for g in match.groups() if g is not None))
    return newest


def debian_version(version: str) -> str:
    """A PEP 440 version as dpkg orders it: pre-releases sort before the release (``~``)."""
    return re.sub(r"\.?(a|b|rc|dev)(\d+)", r"~\1\2", version)


def listed_host_packages(root: Path = ROOT) -> list[str]:
    """The package names of ``packaging/linux/host-packages.txt``, in its order."""
    names = []
    for line in (root / "packaging" / "linux" / HOST_PACKAGES).read_text().splitlines():
        name = re.split(r"[\s(]", line.split("#", 1)[0].strip())[0]
        if name:
            names.append(name)
    return names


def needed_sonames(files: Iterable[Path]) -> set[str]:
    """Every ``NEEDED`` entry of ``files`` (``objdump -p``): the libraries they link directly."""
    files = list(files)
    names: set[str] = set()
    for start in range(0, len(files), _LDD_BATCH):
        done = subprocess.run(
            ["objdump", "-p", *map(str, files[start : start + _LDD_BATCH])],
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        names.update(
            line.split()[1]
            for line in done.stdout.splitlines()
            if line.strip().startswith("NEEDED")
        )
    return names


def needed_packages(bundle: Path) -> list[str]:
    """The packages owning the host libraries that a file of the bundle links directly.

    ``ldd`` also lists each host library's own dependencies (libGLX and libGLdispatch behind
    libGL): those are the host packages' business, so only the ``NEEDED`` entries of the
    bundle's own files count, as with dpkg-shlibdeps.
    """
    libraries = host_libraries(bundle)
    if libraries.missing:
        raise SystemExit(
            "packaging/build --deb: libraries the bundle links are not on this machine "
            f"(install them first, ./dev setup does): {libraries.missing}"
        )
    direct = needed_sonames(elf_files(bundle))
    paths = [path for soname, path in libraries.resolved.items() if soname in direct]
    owners = owning_packages(paths)
    unowned = sorted(str(p) for p in paths if p not in owners)
    if unowned:
        raise SystemExit(f"packaging/build --deb: no Debian package owns {unowned}")
    return sorted(set(owners.values()))


def depends(bundle: Path, root: Path = ROOT) -> list[str]:
    """The ``Depends:`` entries: host-packages.txt, checked against what the bundle links.

    The list in ``packaging/linux/host-packages.txt`` is the one ./dev installs and install.sh
    checks; the build stops when the bundle now needs another set (a plugin added or dropped,
    a library no longer bundled), so the list cannot drift from the build. glibc's floor is
    computed: the newest ``GLIBC_x.y`` symbol version this build asks for.
    """
    needed = needed_packages(bundle)
    listed = listed_host_packages(root)
    if sorted(listed) != needed:
        raise SystemExit(
            f"packaging/build --deb: the bundle takes libraries from {needed}, but "
            f"packaging/linux/{HOST_PACKAGES} lists {sorted(listed)}: update the list (and "
            "install.sh's HOST_LIBRARIES)"
        )
    floor = ".".join(map(str, glibc_floor(elf_files(bundle))))
    return [f"{p} (>= {floor})" if p == "libc6" else p for p in listed]


def _control(version: str, depends_on: list[str], installed_kib: int) -> str:
    return (
        f"Package: {project_name()}\n"
        f"Version: {debian_version(version)}\n"
        f"Architecture: {ARCHITECTURE}\n"
        f"Maintainer: {MAINTAINER}\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {', '.join(depends_on)}\n"
        "Section: video\n"
        "Priority: optional\n"
        f"Description: {DESCRIPTION}\n"
        " Caster Desk is a console for live-event directors who run Alibaba Cloud\n"
        " ApsaraVideo Live production studios (casters): it lists the casters, starts\n"
        " one with a click and shows its preview (PVW) and program (PGM) outputs side by\n"
        " side. It includes an offline sandbox that serves real video.\n"
        " .\n"
        " This package holds the self-contained build (Python, Qt and FFmpeg included)\n"
        " in /opt/casterdesk.\n"
    )


_COPYRIGHT = """\
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Caster Desk
Comment: /opt/casterdesk/_internal holds the libraries the program runs on, each under
 its own licence: Python (PSF-2.0), Qt and PySide6 (LGPL-3), FFmpeg (LGPL-2.1+), OpenSSL
 and cryptography (Apache-2.0), httpx, keyring, platformdirs and the other Python
 packages (BSD or MIT). Their licence texts are in the dist-info folders under it.

Files: *
Copyright: 2026 Caster Desk contributors
License: MIT
 Permission is hereby granted, free of charge, to any person obtaining a copy of
 this software and associated documentation files (the "Software"), to deal in
 the Software without restriction, including without limitation the rights to
 use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
 the Software, and to permit persons to whom the Software is furnished to do so,
 subject to the following conditions:
 .
 The above copyright notice and this permission notice shall be included in all
 copies or substantial portions of the Software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
 FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
 COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
 IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
 CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def _gzip(data: bytes) -> bytes:
    # Maximum compression and no timestamp: what Debian expects of files in /usr/share/doc.
    return gzip.compress(data, compresslevel=9, mtime=0)


def _debian_changelog(version: str) -> str:
    return (
        f"{project_name()} ({debian_version(version)}) unstable; urgency=medium\n\n"
        f"  * Release {version}; the changes are in /usr/share/doc/{project_name()}/CHANGELOG.md.\n\n"
        f" -- {MAINTAINER}  {formatdate(_source_date(), localtime=False)}\n"
    )


def _source_date() -> float:
    # Reproducible builds set SOURCE_DATE_EPOCH; otherwise the changelog is dated now.
    return float(os.environ.get("SOURCE_DATE_EPOCH", time.time()))


def _normalise_modes(tree: Path) -> None:
    """Directories 0755; files 0644 unless executable (then 0755): PyInstaller's copies keep
    whatever the wheels had, and dpkg would install group-writable files as they are."""
    for path in [tree, *tree.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
        else:
            path.chmod(0o755 if path.stat().st_mode & 0o111 else 0o644)


def _stage(bundle: Path, stage: Path, version: str) -> None:
    name = project_name()
    opt = stage / INSTALL_DIR
    opt.parent.mkdir(parents=True)
    shutil.copytree(
        bundle, opt, symlinks=True, ignore=lambda d, _: NOT_IN_OPT if Path(d) == bundle else ()
    )
    usr_bin = stage / "usr/bin"
    usr_bin.mkdir(parents=True)
    # Links between top-level folders are absolute (Debian policy 10.5).
    (usr_bin / name).symlink_to(f"/{INSTALL_DIR}/{name}")
    shutil.copytree(bundle / "share", stage / "usr/share")
    doc = stage / "usr/share/doc" / name
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(_COPYRIGHT, encoding="utf-8")
    # A native package (no Debian revision) has one changelog.gz: Debian's format, whose
    # entry points at CHANGELOG.md, shipped beside it.
    (doc / "changelog.gz").write_bytes(_gzip(_debian_changelog(version).encode()))
    changelog = ROOT / "CHANGELOG.md"
    if changelog.is_file():
        shutil.copy2(changelog, doc / "CHANGELOG.md")
    man = stage / "usr/share/man/man1" / f"{name}.1.gz"
    man.parent.mkdir(parents=True)
    man.write_bytes(_gzip((ROOT / "packaging" / "linux" / f"{name}.1").read_bytes()))
    overrides = stage / "usr/share/lintian/overrides" / name
    overrides.parent.mkdir(parents=True)
    shutil.copy2(ROOT / "packaging" / "linux" / "lintian-overrides", overrides)
    _normalise_modes(stage)
    # Shared objects need no execute bit (lintian flags one that has it).
    for library in opt.rglob("*.so*"):
        if library.is_file() and not library.is_symlink():
            library.chmod(0o644)


def _md5sums(stage: Path) -> str:
    lines = []
    for path in sorted(stage.rglob("*")):
        rel = path.relative_to(stage)
        if path.is_file() and not path.is_symlink() and rel.parts[0] != "DEBIAN":
            lines.append(f"{hashlib.md5(path.read_bytes()).hexdigest()}  {rel.as_posix()}\n")
    return "".join(lines)


def installed_size_kib(stage: Path) -> int:
    """dpkg's Installed-Size: the files' sizes in KiB, rounded up, links counted as one."""
    total = 0
    for path in stage.rglob("*"):
        if path.relative_to(stage).parts[0] == "DEBIAN":
            continue
        total += 1 if path.is_symlink() or path.is_dir() else -(-path.stat().st_size // 1024)
    return total


# dpkg-deb's compressor options. xz (the default) is the smallest of the formats lintian
# accepts (58 MiB, about a minute on two cores); gzip -1 is 84 MiB in 5 s, which the test
# suite uses: the payload is the same, only its compression differs. (zstd would be both
# small and fast, but lintian rejects it as a malformed archive.)
COMPRESSION = {"xz": ("-Zxz",), "gzip": ("-Zgzip", "-z1")}


def build_deb(
    bundle: Path, out_dir: Path, version: str | None = None, compression: str = "xz"
) -> Path:
    """Package ``bundle`` (``dist/casterdesk``) as ``out_dir/casterdesk_<ver>_amd64.deb``."""
    for tool in ("dpkg-deb", "dpkg-query", "ldd", "objdump"):
        if shutil.which(tool) is None:
            raise SystemExit(f"packaging/build --deb needs {tool} (a Debian or Ubuntu machine)")
    version = version or app_version()
    depends_on = depends(bundle)
    deb = out_dir / f"{project_name()}_{debian_version(version)}_{ARCHITECTURE}.deb"
    with tempfile.TemporaryDirectory(prefix="casterdesk-deb-", dir=out_dir) as scratch:
        stage = Path(scratch) / "root"
        _stage(bundle, stage, version)
        control_dir = stage / "DEBIAN"
        control_dir.mkdir(mode=0o755)
        (control_dir / "md5sums").write_text(_md5sums(stage), encoding="utf-8")
        (control_dir / "control").write_text(
            _control(version, depends_on, installed_size_kib(stage)), encoding="utf-8"
        )
        for item in control_dir.iterdir():
            item.chmod(0o644)
        partial = deb.with_suffix(".deb.part")
        subprocess.run(
            [
                "dpkg-deb",
                "--root-owner-group",
                *COMPRESSION[compression],
                "--build",
                str(stage),
                str(partial),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=900,
        )
        partial.replace(deb)  # a half-written package never carries the final name
    return deb


def control_fields(deb: Path) -> dict[str, str]:
    """The control fields of a built package (``dpkg-deb --field``)."""
    text = subprocess.run(
        ["dpkg-deb", "--field", str(deb)], check=True, capture_output=True, text=True
    ).stdout
    fields: dict[str, str] = {}
    key = ""
    for line in text.splitlines():
        if line.startswith(" ") and key:
            fields[key] += "\n" + line
        else:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return fields
