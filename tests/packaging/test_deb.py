"""The Debian package: what ``packaging/build --deb`` puts in it, lintian, and a real install.

The package is made once per session from the bundle the ``frozen_app`` fixture built (no
second PyInstaller run), with gzip -1 instead of the release's xz: same files, 50 s less.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.packaging.conftest import BUILD_TIMEOUT_S, ROOT, FrozenApp, frozen_env, run_build
from tests.packaging.conftest import packaging_module as _packaging_module

pytestmark = [
    pytest.mark.linux_only("the .deb is built, linted and installed on Debian or Ubuntu"),
    pytest.mark.packaging,
    pytest.mark.slow,
    pytest.mark.timeout(BUILD_TIMEOUT_S + 300),
]

bundle_config = _packaging_module("bundle_config")
linux_bundle = _packaging_module("linux_bundle")
deb = _packaging_module("deb")
smoke = _packaging_module("smoke")

INSTALLED = Path("/opt/casterdesk")
COMMAND = Path("/usr/bin/casterdesk")
APT_ENV = {"DEBIAN_FRONTEND": "noninteractive"}
# Other jobs on the machine may hold dpkg's lock for a while; wait instead of failing.
APT_LOCK = ("-o", "DPkg::Lock::Timeout=300")


@pytest.fixture(scope="session")
def deb_package(frozen_app: FrozenApp, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``dist/casterdesk_<ver>_amd64.deb`` made from the session's bundle."""
    if shutil.which("dpkg-deb") is None:
        pytest.skip("dpkg-deb missing: the .deb is built on Debian or Ubuntu")
    log = tmp_path_factory.mktemp("deb") / "build.log"
    summary = run_build("--deb", "--deb-compression", "gzip", log=log)
    assert summary["bundle"] == str(frozen_app.bundle)
    package = Path(str(summary["deb"]))
    print(
        f"deb: {package.name}, {int(str(summary['deb_bytes'])) / 2**20:.1f} MiB, "
        f"{summary['deb_seconds']} s"
    )
    return package


def _contents(package: Path) -> dict[str, str]:
    """Path inside the package → its ``dpkg-deb -c`` line (mode, owner, size, link target)."""
    listing = subprocess.run(
        ["dpkg-deb", "-c", str(package)], check=True, capture_output=True, text=True
    ).stdout
    entries = {}
    for line in listing.splitlines():
        name = line.split(None, 5)[5]
        path = name.split(" -> ")[0].removeprefix("./").rstrip("/")
        entries[path] = line
    return entries


# --- what is in it ----------------------------------------------------------------------------


def test_deb_is_named_and_versioned_from_pyproject(deb_package: Path) -> None:
    version = bundle_config.app_version()
    assert deb_package.name == f"casterdesk_{deb.debian_version(version)}_amd64.deb"
    fields = deb.control_fields(deb_package)
    assert fields["Package"] == "casterdesk"
    assert fields["Version"] == deb.debian_version(version)
    assert fields["Architecture"] == "amd64"
    assert "@" in fields["Maintainer"]
    assert int(fields["Installed-Size"]) * 1024 > 150 * 2**20


def test_deb_holds_the_bundle_in_opt_and_the_desktop_files(
    deb_package: Path, frozen_app: FrozenApp
) -> None:
    entries = _contents(deb_package)
    executable = entries["opt/casterdesk/casterdesk"]
    assert executable.startswith("-rwxr-xr-x root/root"), executable
    assert "usr/bin/casterdesk -> /opt/casterdesk/casterdesk" in entries["usr/bin/casterdesk"]
    # Every file of the one-folder build, at the same place under /opt/casterdesk.
    bundled = {
        f"opt/casterdesk/{p.relative_to(frozen_app.bundle).as_posix()}"
        for p in frozen_app.internal.rglob("*")
        if p.is_file()
    }
    assert bundled and bundled <= set(entries), sorted(bundled - set(entries))[:5]
    # The desktop integration goes to /usr/share; install.sh is for the tarball only.
    for _source, rel in linux_bundle.desktop_files(ROOT):
        if rel.startswith("share/"):
            assert f"usr/{rel}" in entries, rel
    assert "opt/casterdesk/install.sh" not in entries
    assert "opt/casterdesk/share" not in entries
    for name in ("copyright", "changelog.gz", "CHANGELOG.md"):
        assert f"usr/share/doc/casterdesk/{name}" in entries, name
    assert "usr/share/lintian/overrides/casterdesk" in entries
    assert "usr/share/man/man1/casterdesk.1.gz" in entries
    # Nothing writable by group or others (links aside: their mode means nothing); root owns all.
    for line in entries.values():
        mode, owner = line.split()[:2]
        assert owner == "root/root", line
        assert mode.startswith("l") or (mode[5] != "w" and mode[8] != "w"), line


def test_deb_depends_on_exactly_the_host_libraries_the_bundle_links(
    deb_package: Path, frozen_app: FrozenApp
) -> None:
    """Depends = the owners of the host libraries the bundle's own files link (what the
    resolution tests find, less what those host libraries pull in themselves) = host-packages.txt.
    """
    fields = deb.control_fields(deb_package)
    depends = [entry.strip() for entry in fields["Depends"].split(",")]
    names = [entry.split()[0] for entry in depends]
    assert names == deb.listed_host_packages(), "Depends: is host-packages.txt, in its order"
    host = deb.host_libraries(frozen_app.bundle, env=frozen_env())
    assert not host.missing, host.missing
    direct = deb.needed_sonames(deb.elf_files(frozen_app.bundle))
    # The test's own look-up, one file at a time, independent of deb.owning_packages.
    owners = set()
    for soname, path in host.resolved.items():
        if soname not in direct:
            continue
        real = path.resolve()
        spellings = {str(path), str(real)} | {
            s.removeprefix("/usr") if s.startswith("/usr/") else "/usr" + s
            for s in (str(path), str(real))
        }
        found = subprocess.run(
            ["dpkg-query", "-S", *sorted(spellings)], capture_output=True, text=True
        )
        packages = {
            line.split(": ", 1)[0].split(",")[0].split(":")[0].strip()
            for line in found.stdout.splitlines()
            if ": " in line and not line.startswith("diversion")
        }
        assert packages, f"no package owns {soname} ({path})"
        owners |= packages
    assert set(names) == owners, {"extra": set(names) - owners, "missing": owners - set(names)}
    # Wayland stays a platform of the bundle (issue 9), so its client libraries are host
    # requirements; a bundled library (PulseAudio here) is not; libGLX comes with libgl1.
    wayland_plugin = frozen_app.internal / "PySide6/Qt/plugins/platforms/libqwayland.so"
    assert wayland_plugin.is_file() == ("libwayland-client0" in names)
    assert "libpulse0" not in names and "libglx0" not in names
    libc = next(entry for entry in depends if entry.startswith("libc6 "))
    floor = ".".join(map(str, deb.glibc_floor(deb.elf_files(frozen_app.bundle))))
    assert libc == f"libc6 (>= {floor})", libc


def test_deb_build_stops_when_host_packages_txt_drifts(
    frozen_app: FrozenApp, tmp_path: Path
) -> None:
    """A list without a package the bundle needs (or with one it does not) stops the build."""
    listing = (ROOT / "packaging/linux/host-packages.txt").read_text(encoding="utf-8")
    (tmp_path / "packaging/linux").mkdir(parents=True)
    short = "\n".join(line for line in listing.splitlines() if not line.startswith("libdrm2"))
    (tmp_path / "packaging/linux/host-packages.txt").write_text(short)
    with pytest.raises(SystemExit, match="libdrm2"):
        deb.depends(frozen_app.bundle, root=tmp_path)
    (tmp_path / "packaging/linux/host-packages.txt").write_text(listing + "libpulse0\n")
    with pytest.raises(SystemExit, match="libpulse0"):
        deb.depends(frozen_app.bundle, root=tmp_path)


def test_lintian_finds_no_errors(deb_package: Path, tmp_path: Path) -> None:
    """Errors fail; the tags kept on purpose are overridden in packaging/linux/lintian-overrides."""
    tool = shutil.which("lintian")
    if tool is None:
        pytest.skip("lintian missing: apt-get install lintian (./dev test installs it)")
    done = subprocess.run(
        [tool, "--no-cfg", "--display-info", "--fail-on", "none", str(deb_package)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    tags = done.stdout.splitlines()
    errors = [line for line in tags if line.startswith("E:")]
    assert not errors, "\n".join(errors[:40])
    assert not [line for line in tags if "mismatched-override" in line or "unused-override" in line]
    warnings = [line for line in tags if line.startswith("W:")]
    assert not warnings, "\n".join(warnings[:40])


# --- a real install ---------------------------------------------------------------------------


def _apt(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["apt-get", *APT_LOCK, *args],
        env={**os.environ, **APT_ENV},
        capture_output=True,
        text=True,
        timeout=600,
    )


def _installed(package: str) -> bool:
    done = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Status}", package], capture_output=True, text=True
    )
    return "install ok installed" in done.stdout


def test_deb_installs_runs_the_smoke_test_and_purges(deb_package: Path, tmp_path: Path) -> None:
    """apt-get install the .deb, run it and its sandbox smoke test, purge it: nothing is left.

    The purge runs whatever happens after the install started (a half-configured package
    is purged too), so a failure never leaves casterdesk installed on the machine.
    """
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("installing the .deb needs root (CI runs as root); run as root to include it")
    if shutil.which("apt-get") is None:
        pytest.skip("apt-get missing: not a Debian or Ubuntu machine")
    if _installed("casterdesk") or COMMAND.exists() or COMMAND.is_symlink() or INSTALLED.exists():
        pytest.fail(
            "casterdesk is already installed on this machine (a .deb or /opt/casterdesk): "
            "remove it (apt-get purge casterdesk) so the test does not overwrite it",
            pytrace=False,
        )
    # Depends must already be met, so the install needs no network (./dev installs them).
    depends = deb.control_fields(deb_package)["Depends"]
    unmet = [e.split()[0] for e in depends.split(",") if not _installed(e.split()[0].strip())]
    assert not unmet, f"./dev should install these before the test: {unmet}"
    version = bundle_config.app_version()
    try:
        done = _apt("install", "-y", "--no-install-recommends", str(deb_package.resolve()))
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        assert _installed("casterdesk")
        assert COMMAND.is_symlink() and COMMAND.resolve() == INSTALLED / "casterdesk"
        assert (Path("/usr/share/applications") / linux_bundle.DESKTOP_FILE).is_file()
        assert (Path("/usr/share/metainfo") / linux_bundle.METAINFO_FILE).is_file()
        # The command on PATH, the way a director starts it.
        assert smoke.check_version(COMMAND, version, cwd=tmp_path) == f"casterdesk {version}"
        seen = smoke.sandbox_smoke(COMMAND, cwd=tmp_path)
        assert seen["flv_header"] == "FLV\x01" and seen["exit_code"] == 0
        # The smoke test stopped and reaped its sandbox before returning.
        assert not Path(f"/proc/{seen['pid']}").exists()
    finally:
        gone = _apt("purge", "-y", "casterdesk")
    assert gone.returncode == 0, gone.stdout[-3000:] + gone.stderr[-3000:]
    assert not _installed("casterdesk")
    assert not COMMAND.exists() and not COMMAND.is_symlink()
    assert not INSTALLED.exists(), sorted(str(p) for p in INSTALLED.rglob("*"))[:10]
    assert not (Path("/usr/share/applications") / linux_bundle.DESKTOP_FILE).exists()
    assert not (Path("/usr/share/doc/casterdesk")).exists()


# --- helpers, without a build ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("pep440", "debian"),
    [
        ("0.1.0", "0.1.0"),
        ("1.2.0rc1", "1.2.0~rc1"),
        ("1.2.0b2", "1.2.0~b2"),
        ("1.2.0.dev3", "1.2.0~dev3"),
        ("1.2.0.post1", "1.2.0.post1"),
    ],
)
def test_debian_version_sorts_pre_releases_first(pep440: str, debian: str) -> None:
    assert deb.debian_version(pep440) == debian
    if debian != pep440 and shutil.which("dpkg"):
        # dpkg itself agrees: the pre-release comes before the release.
        release = re.sub(r"~.*", "", debian)
        assert subprocess.run(["dpkg", "--compare-versions", debian, "lt", release]).returncode == 0


def test_dpkg_is_asked_for_both_spellings_of_a_merged_usr_path() -> None:
    names = deb._dpkg_candidates(Path("/lib/x86_64-linux-gnu/libc.so.6"))
    assert {"/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6"} <= names
    if shutil.which("dpkg-query"):
        libc = Path("/lib/x86_64-linux-gnu/libc.so.6")
        if libc.exists():
            assert deb.owning_packages([libc]) == {libc: "libc6"}


def test_manual_page_names_every_command_and_global_option() -> None:
    """packaging/linux/casterdesk.1 keeps up with the command line it documents."""
    from app.cli.main import build_parser

    page = (ROOT / "packaging/linux/casterdesk.1").read_text(encoding="utf-8")
    text = page.replace("\\-", "-")
    parser = build_parser()
    commands = next(
        action for action in parser._actions if isinstance(action, argparse._SubParsersAction)
    )
    for command in commands.choices:
        assert f".B {command} " in page or f".B {command}\n" in page, command
    options = {
        option
        for action in parser._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    }
    missing = sorted(option for option in options if option not in text)
    assert not missing, f"casterdesk.1 does not document {missing}"
