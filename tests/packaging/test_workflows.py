"""The GitHub workflows, read as data: what each OS of the release matrix runs, and in what order.

actionlint (``./dev test``) checks that the files are valid workflows; these tests check that
they do this project's job: every OS builds with the same ``packaging/build`` entry as a
local build, smoke-tests the frozen app and uploads it; signing waits for its secrets, which
packaging/README.md names; a tag makes a draft release with its CHANGELOG.md section.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.packaging.conftest import ROOT, packaging_module

pytestmark = pytest.mark.packaging

WORKFLOWS = ROOT / ".github" / "workflows"
RELEASE = WORKFLOWS / "release.yml"
CI = WORKFLOWS / "ci.yml"
MATRIX_OSES = {"ubuntu-22.04", "windows-2022", "macos-14", "macos-15-intel"}
RUNNER_OS = {"ubuntu": "Linux", "windows": "Windows", "macos": "macOS"}
BUILD_ENTRY = re.compile(r"(^|[\s\"'=])packaging/build(\s|$)", re.MULTILINE)
SMOKE = re.compile(r"packaging/smoke\.py")

bundle_config = packaging_module("bundle_config")
changelog = packaging_module("changelog")


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as the boolean true.
    if True in data:
        data["on"] = data.pop(True)
    return dict(data)


def runner_os(label: str) -> str:
    return next(name for prefix, name in RUNNER_OS.items() if label.startswith(prefix))


_OS_TEST = re.compile(r"runner\.os\s*(==|!=)\s*'(\w+)'")


def runs_on(step: dict[str, Any], os_name: str) -> bool:
    """Whether a step's ``if:`` lets it run on ``os_name`` (other conditions assumed true)."""
    condition = str(step.get("if", ""))
    return all((op == "==") == (name == os_name) for op, name in _OS_TEST.findall(condition))


def script(step: dict[str, Any]) -> str:
    return str(step.get("run", ""))


@pytest.fixture(scope="module")
def release() -> dict[str, Any]:
    return load(RELEASE)


@pytest.fixture(scope="module")
def build_job(release: dict[str, Any]) -> dict[str, Any]:
    return dict(release["jobs"]["build"])


def step_named(job: dict[str, Any], prefix: str) -> dict[str, Any]:
    return next(s for s in job["steps"] if str(s.get("name", "")).startswith(prefix))


def steps_for(build_job: dict[str, Any], label: str) -> list[dict[str, Any]]:
    return [s for s in build_job["steps"] if runs_on(s, runner_os(label))]


def index_of(steps: list[dict[str, Any]], predicate: Any, what: str, label: str) -> int:
    found = [i for i, step in enumerate(steps) if predicate(step)]
    assert found, f"{label}: no step {what}"
    return found[0]


# --- triggers and matrix -----------------------------------------------------------------------


def test_release_runs_on_version_tags_and_by_hand(release: dict[str, Any]) -> None:
    assert release["on"]["push"] == {"tags": ["v*"]}
    assert "workflow_dispatch" in release["on"]
    assert release["permissions"] == {"contents": "read"}, "write only where the release is made"


def test_matrix_is_the_four_release_platforms_on_python_3_11(build_job: dict[str, Any]) -> None:
    include = build_job["strategy"]["matrix"]["include"]
    assert {entry["os"] for entry in include} == MATRIX_OSES
    assert build_job["runs-on"] == "${{ matrix.os }}"
    assert build_job["strategy"]["fail-fast"] is False, "one broken OS must not hide the others"
    setup = [
        s for s in build_job["steps"] if str(s.get("uses", "")).startswith("actions/setup-python")
    ]
    assert [s["with"]["python-version"] for s in setup] == ["3.11"]
    # Both macOS architectures: Apple silicon and Intel are separate builds (packaging/README.md).
    platforms = {entry["os"]: entry["platform"] for entry in include}
    assert platforms["macos-14"] == "macos-arm64" and platforms["macos-15-intel"] == "macos-x86_64"


def test_runs_on_matrix_condition_parser() -> None:
    assert runs_on({"if": "runner.os == 'Windows'"}, "Windows")
    assert not runs_on({"if": "runner.os == 'Windows'"}, "Linux")
    assert runs_on({"if": "runner.os != 'Linux'"}, "macOS")
    assert not runs_on({"if": "runner.os == 'macOS' && env.X == 'true'"}, "Linux")
    assert runs_on({}, "Linux")


# --- what every OS does --------------------------------------------------------------------------


@pytest.mark.parametrize("label", sorted(MATRIX_OSES))
def test_every_os_tests_builds_smoke_tests_and_uploads_in_order(
    build_job: dict[str, Any], label: str
) -> None:
    steps = steps_for(build_job, label)
    tests = index_of(
        steps,
        lambda s: "./dev test" in script(s) or "-m pytest" in script(s),
        "runs the test suite",
        label,
    )
    build = index_of(steps, lambda s: BUILD_ENTRY.search(script(s)), "runs packaging/build", label)
    smoke = index_of(steps, lambda s: SMOKE.search(script(s)), "runs packaging/smoke.py", label)
    upload = index_of(
        steps,
        lambda s: str(s.get("uses", "")).startswith("actions/upload-artifact"),
        "uploads the artefacts",
        label,
    )
    assert tests < build < smoke < upload, (label, tests, build, smoke, upload)
    # The build step is conditional on nothing but the OS: it runs on every OS.
    assert "if" not in steps[build] and "if" not in steps[smoke]


def test_the_build_is_the_local_entry_point_not_a_copy_of_it(build_job: dict[str, Any]) -> None:
    """The workflow builds through packaging/build (the cached, checked local build), never by
    calling PyInstaller or the spec itself, so CI and a developer's build cannot drift apart."""
    commands = [
        line
        for step in build_job["steps"]
        for line in script(step).splitlines()
        if not line.strip().startswith("#")
    ]
    assert not [c for c in commands if "pyinstaller" in c.lower() or "casterdesk.spec" in c]
    assert (ROOT / "packaging" / "build").is_file()
    build_steps = [s for s in build_job["steps"] if BUILD_ENTRY.search(script(s))]
    assert len(build_steps) == 1
    assert "packaging/build --deb" in script(build_steps[0]), "Linux makes its .deb there"


def test_windows_and_macos_tests_use_their_own_qt_platform(build_job: dict[str, Any]) -> None:
    include = {entry["os"]: entry["qpa"] for entry in build_job["strategy"]["matrix"]["include"]}
    assert include == {
        "ubuntu-22.04": "offscreen",
        "windows-2022": "windows",
        "macos-14": "cocoa",
        "macos-15-intel": "cocoa",
    }
    pytest_steps = [s for s in build_job["steps"] if "-m pytest" in script(s)]
    assert [s["env"]["QT_QPA_PLATFORM"] for s in pytest_steps] == ["${{ matrix.qpa }}"]
    conftest = (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8")
    assert 'os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")' in conftest


@pytest.mark.parametrize(
    ("label", "installer"),
    [
        ("windows-2022", r"\.zip"),
        ("windows-2022", r"casterdesk\.iss"),
        ("macos-14", r"hdiutil create"),
        ("macos-15-intel", r"hdiutil create"),
        ("ubuntu-22.04", r"tar -C dist -czf"),
    ],
)
def test_each_os_makes_its_installers(
    build_job: dict[str, Any], label: str, installer: str
) -> None:
    steps = steps_for(build_job, label)
    assert any(re.search(installer, script(s)) for s in steps), (label, installer)


# --- signing -----------------------------------------------------------------------------------


def _secrets(text: str) -> set[str]:
    return set(re.findall(r"secrets\.([A-Z0-9_]+)", text))


def test_signing_steps_wait_for_their_secrets(build_job: dict[str, Any]) -> None:
    tools = {"signtool": "HAVE_WINDOWS_SIGNING", "notarytool": "HAVE_MACOS_NOTARY"}
    for tool, flag in tools.items():
        steps = [
            s for s in build_job["steps"] if f"{tool} " in script(s) or tool in s.get("name", "")
        ]
        assert steps, tool
        for step in steps:
            assert f"env.{flag} == 'true'" in str(step.get("if", "")), (tool, step["name"])
    keychain = next(s for s in build_job["steps"] if "security import" in script(s))
    assert "env.HAVE_MACOS_SIGNING == 'true'" in keychain["if"]
    # The flags are computed from the secrets themselves.
    for flag in ("HAVE_WINDOWS_SIGNING", "HAVE_MACOS_SIGNING", "HAVE_MACOS_NOTARY"):
        assert "secrets." in build_job["env"][flag], flag


def test_an_unsigned_build_says_so(build_job: dict[str, Any]) -> None:
    version_step = script(step_named(build_job, "Version"))
    assert "::warning::" in version_step and "UNSIGNED" in version_step
    assert 'suffix="-unsigned"' in version_step


def test_every_secret_the_workflow_uses_is_named_in_the_packaging_readme() -> None:
    used = _secrets(RELEASE.read_text(encoding="utf-8"))
    assert used >= {"WINDOWS_CERTIFICATE_PFX", "MACOS_CERTIFICATE_P12", "APPLE_API_KEY_P8"}
    readme = (ROOT / "packaging" / "README.md").read_text(encoding="utf-8")
    missing = sorted(name for name in used if f"`{name}`" not in readme)
    assert not missing, f"packaging/README.md does not name these secrets: {missing}"


# --- the release --------------------------------------------------------------------------------


def test_a_tag_makes_a_draft_release_with_its_changelog_section(release: dict[str, Any]) -> None:
    job = release["jobs"]["release"]
    assert job["needs"] == "build"
    assert job["if"] == "github.ref_type == 'tag'"
    assert job["permissions"] == {"contents": "write"}
    text = "\n".join(script(s) for s in job["steps"])
    assert 'packaging/changelog.py "$GITHUB_REF_NAME"' in text
    assert "gh release create" in text and "--draft" in text
    assert "--notes-file release-notes.md" in text
    assert any(str(s.get("uses", "")).startswith("actions/download-artifact") for s in job["steps"])


def test_the_tag_must_match_the_package_version(build_job: dict[str, Any]) -> None:
    check = script(step_named(build_job, "Version"))
    assert "pyproject.toml" in check and '"${GITHUB_REF_NAME#v}" != "$version"' in check


def test_changelog_has_a_dated_section_for_this_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n")
    assert "Keep a Changelog" in text and "## [Unreleased]" in text
    notes = changelog.release_notes(bundle_config.app_version(), text)
    assert notes.startswith("### Added"), notes[:80]
    assert changelog.release_notes("v" + bundle_config.app_version(), text) == notes
    with pytest.raises(ValueError, match=r"no '## \[9\.9\.9\]"):
        changelog.release_notes("v9.9.9", text)


def test_changelog_section_needs_a_date() -> None:
    text = "# Changelog\n\n## [1.0.0]\n\n### Added\n\n- x\n"
    with pytest.raises(ValueError, match="no release date"):
        changelog.release_notes("1.0.0", text)
    dated = text.replace("## [1.0.0]", "## [1.0.0] - 2026-12-01")
    assert changelog.release_notes("1.0.0", dated) == "### Added\n\n- x\n"


# --- CI ----------------------------------------------------------------------------------------


def test_ci_runs_dev_test_on_pushes_and_pull_requests() -> None:
    ci = load(CI)
    assert set(ci["on"]) == {"push", "pull_request"}
    (job,) = ci["jobs"].values()
    assert job["container"] == "debian:12", "the development machines' OS, as root"
    runs = [script(s) for s in job["steps"]]
    assert ".ci/run" in runs
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").rstrip().endswith("exec ./dev test")


def test_actionlint_passes() -> None:
    """The same check ./dev test runs (here too, so a plain pytest run sees it)."""
    beside_python = Path(sys.executable).parent / "actionlint"  # the venv's, off PATH
    tool = str(beside_python) if beside_python.is_file() else shutil.which("actionlint")
    if tool is None:
        pytest.skip("actionlint missing: .venv/bin/pip install -r requirements/dev.txt")
    done = subprocess.run(
        [tool, *sorted(map(str, WORKFLOWS.glob("*.yml")))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_dev_test_runs_actionlint_over_the_workflows() -> None:
    dev = (ROOT / "dev").read_text(encoding="utf-8")
    assert '"$bin/actionlint" .github/workflows/*.yml || failed+=("actionlint")' in dev


def test_linux_only_tests_skip_elsewhere_with_their_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the Windows and macOS jobs see: tests marked linux_only skip, saying why."""
    from tests import conftest as suite

    class Item:
        def __init__(self, marker: pytest.Mark | None) -> None:
            self.marker = marker
            self.added: list[pytest.MarkDecorator] = []

        def get_closest_marker(self, name: str) -> pytest.Mark | None:
            return self.marker if name == "linux_only" else None

        def add_marker(self, marker: pytest.MarkDecorator) -> None:
            self.added.append(marker)

    marked, plain = Item(pytest.mark.linux_only("needs dpkg").mark), Item(None)
    monkeypatch.setattr(sys, "platform", "win32")
    suite.pytest_collection_modifyitems(None, [marked, plain])  # type: ignore[arg-type]
    assert [m.mark.kwargs["reason"] for m in marked.added] == ["Linux only: needs dpkg"]
    assert [m.name for m in marked.added] == ["skip"] and plain.added == []
    on_linux = Item(pytest.mark.linux_only("needs dpkg").mark)
    monkeypatch.setattr(sys, "platform", "linux")
    suite.pytest_collection_modifyitems(None, [on_linux])  # type: ignore[arg-type]
    assert on_linux.added == []
