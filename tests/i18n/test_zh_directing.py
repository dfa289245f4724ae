"""Directing in Chinese: the tally, the Take bar and a Take error speak the console's words."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication

from app.sandbox import Sandbox
from app.ui import i18n
from tests.ui.conftest import LOAD_TIMEOUT_MS
from tests.ui.helpers import PRODUCT_LAUNCH, caster_id, select, start

pytestmark = [pytest.mark.gui]


def test_tally_take_and_a_take_error_in_chinese(qtbot: Any, make_window, sandbox: Sandbox) -> None:
    win = make_window()
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.show()
    cid = caster_id(sandbox, PRODUCT_LAUNCH)
    select(win, cid)
    assert start(qtbot, win)
    qtbot.waitUntil(lambda: win.directing.ready, timeout=LOAD_TIMEOUT_MS)
    assert win.panels.pgm.tally_label.text() == "ON AIR · SLIDES"

    i18n.apply_language(i18n.CHINESE)
    QCoreApplication.processEvents()
    assert win.panels.pgm.tally_label.text() == "播出 · SLIDES"
    assert win.panels.pvw.tally_label.text() == "预监 · CAM 1"
    assert win.commands.take_action.text() == "切换(&T)"
    assert win.commands.standby_action.text() == "备播(&B)…"
    on_air = win.panels.picker.tile("SLIDES")
    assert on_air is not None and on_air.tally_text() == "播出"

    sandbox.stop_caster(cid)  # PVW is off now: the Take is refused, explained in Chinese
    with qtbot.waitSignal(win.directing.take_finished, timeout=LOAD_TIMEOUT_MS) as blocker:
        win.commands.take_action.trigger()
    assert blocker.args == [False]
    text = win.banner.text()
    assert "无法将“SLIDES”切换到 PGM" not in text  # PVW showed CAM 1, not SLIDES
    assert "无法将“CAM 1”切换到 PGM" in text
    assert "预览（PVW）场景未启动" in text and "RequestId" in text
