"""Where video is converted: on a GPU through Qt's RHI, else on the CPU (never llvmpipe)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.ui.video_backend import OPENGL_ENV, XCB_GL_ENV, choose_video_conversion, has_gpu

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="xcb is Linux's")


def test_a_render_node_or_nvidia_device_counts_as_a_gpu(tmp_path: Path) -> None:
    assert not has_gpu(tmp_path)
    (tmp_path / "dri").mkdir()
    (tmp_path / "dri" / "card0").touch()  # a display node alone is not enough to render
    assert not has_gpu(tmp_path)
    (tmp_path / "dri" / "renderD128").touch()
    assert has_gpu(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    (other / "nvidia0").touch()
    assert has_gpu(other)


@linux_only
def test_without_a_gpu_opengl_is_turned_off_for_xcb() -> None:
    env: dict[str, str] = {}
    assert choose_video_conversion(env, gpu=False).startswith("CPU")
    assert env == {XCB_GL_ENV: "none"}


@linux_only
def test_with_a_gpu_nothing_changes() -> None:
    env: dict[str, str] = {}
    assert choose_video_conversion(env, gpu=True).startswith("GPU")
    assert env == {}


@linux_only
@pytest.mark.parametrize(
    ("given", "said"),
    [({XCB_GL_ENV: "glx"}, "as QT_XCB_GL_INTEGRATION=glx says"), ({OPENGL_ENV: "on"}, "OpenGL")],
)
def test_the_users_own_choice_wins(given: dict[str, str], said: str) -> None:
    env = dict(given)
    assert choose_video_conversion(env, gpu=False).startswith(said)
    assert env == given
