"""The window in Chinese on the sandbox: nothing clipped, errors in Chinese, a live switch.

The window is filled the way a director sees it: signed in to the sandbox, a caster started,
both previews playing real video. Then every visible text is measured against the space the
layout gave it (tests/i18n/clipping.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QMessageBox

from app.api.explanations import explain
from app.api.models import SceneInfo, StreamInfo
from app.sandbox import Sandbox
from app.ui import i18n
from app.ui.models.caster_table import Column, DateFormatter
from app.ui.settings import Settings
from app.ui.widgets.main_window import MainWindow
from app.ui.widgets.preview import player as states
from app.ui.widgets.preview.outputs_table import COPY_COLUMN
from app.ui.widgets.preview.pane import PreviewPane
from scripts.update_translations import read_ts, ts_path
from tests.i18n.clipping import clipped, clipped_badges
from tests.ui.conftest import LOAD_TIMEOUT_MS
from tests.ui.helpers import PRODUCT_LAUNCH, WEBINAR_NO_DOMAIN, caster_id, select, start

# no_qt_log: real QtMultimedia players run here (see tests/ui/test_player.py).
pytestmark = [pytest.mark.no_qt_log, pytest.mark.gui, pytest.mark.media]

HAN = re.compile(r"[\u4e00-\u9fff]")
PLAY_TIMEOUT_MS = 30_000


def settle() -> None:
    """Let pending layout and resize events run (they are posted, not sent)."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents()
        QApplication.processEvents()


def both_live(window: MainWindow) -> bool:
    return all(p.player.state == states.LIVE for p in (window.panels.pvw, window.panels.pgm))


def started_window(qtbot: Any, make_window: Any, sandbox: Sandbox) -> MainWindow:
    """A shown window, list loaded, a caster started and both previews playing."""
    win = make_window()
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.show()
    select(win, caster_id(sandbox, PRODUCT_LAUNCH))
    assert start(qtbot, win)
    qtbot.waitUntil(lambda: both_live(win), timeout=PLAY_TIMEOUT_MS)
    settle()
    return win


def translated_sources() -> set[str]:
    """English texts whose Chinese translation is different (so they must not be seen)."""
    return {
        m.source
        for m in read_ts(ts_path(i18n.CHINESE))
        if m.translation != m.source and len(m.source) > 1
    }


def shown_texts(window: MainWindow) -> set[str]:
    """The texts a user can read now: labels, buttons, placeholders, menus, headers."""
    texts = {window.windowTitle()}
    for widget in window.findChildren(QLabel) + window.findChildren(QAbstractButton):
        if widget.isVisible() and widget.text():
            texts.add(widget.text())
    for edit in window.findChildren(QLineEdit):
        if edit.isVisible() and edit.placeholderText():
            texts.add(edit.placeholderText())
    for menu_action in window.menuBar().actions():
        texts.add(menu_action.text())
        menu = menu_action.menu()
        for action in menu.actions() if menu is not None else []:
            texts.add(action.text())
            if action.menu() is not None:
                texts.update(a.text() for a in action.menu().actions())
    model = window.caster_list.table.model()
    horizontal = Qt.Orientation.Horizontal
    texts.update(str(model.headerData(c, horizontal)) for c in range(model.columnCount()))
    combo = window.caster_list.status_combo
    texts.update(combo.itemText(i) for i in range(combo.count()))
    return {t for t in texts if t}


def test_chinese_window_after_start_has_no_clipped_text(
    qtbot: Any, make_window: Any, sandbox: Sandbox
):
    i18n.apply_language(i18n.CHINESE)
    win = started_window(qtbot, make_window, sandbox)

    # It really speaks Chinese, with the previews playing.
    assert win.commands.start_action.text() == "启动(&S)"
    assert win.menuBar().actions()[0].text() == "文件(&F)"
    assert win.panels.pvw.subtitle_label.text() == "预览"
    assert win.panels.pgm.subtitle_label.text() == "节目"
    row = win.casters.model.row_of(caster_id(sandbox, PRODUCT_LAUNCH))
    assert win.casters.model.index(row, Column.STATUS).data().startswith("直播中")
    # No English source text is still on screen.
    leftovers = shown_texts(win) & translated_sources()
    assert leftovers == set()

    problems = clipped(win) + clipped_badges(win.caster_list.table, Column.STATUS)
    assert problems == [], "\n".join(problems)


def test_english_window_after_start_has_no_clipped_text(
    qtbot: Any, make_window: Any, sandbox: Sandbox
):
    """The same measure in English ("Streaming 1:02:03" is the widest badge)."""
    win = started_window(qtbot, make_window, sandbox)
    assert win.commands.start_action.text() == "&Start"
    problems = clipped(win) + clipped_badges(win.caster_list.table, Column.STATUS)
    assert problems == [], "\n".join(problems)


def test_chinese_welcome_view_and_accounts_dialog_fit(qtbot: Any, make_window: Any):
    i18n.apply_language(i18n.CHINESE)
    win = make_window(profile=None)
    win.show()
    qtbot.waitUntil(lambda: win.welcome_visible, timeout=LOAD_TIMEOUT_MS)
    settle()
    assert win.welcome.sandbox_button.text() == "试用沙箱"
    assert clipped(win) == []

    dialog = win.open_accounts()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=LOAD_TIMEOUT_MS)
    settle()
    assert dialog.windowTitle() == "账号"
    assert HAN.search(dialog.keychain_label.text())
    problems = clipped(dialog)
    dialog.close()
    assert problems == [], "\n".join(problems)


def test_dates_follow_the_ui_locale(window: MainWindow, sandbox: Sandbox):
    row = window.casters.model.row_of(caster_id(sandbox, PRODUCT_LAUNCH))
    created = window.casters.model.caster_at(row).create_time
    assert created is not None
    english = window.casters.model.index(row, Column.CREATED).data()
    assert english == DateFormatter(QLocale())(created)

    i18n.apply_language(i18n.CHINESE)
    chinese = window.casters.model.index(row, Column.CREATED).data()
    zh = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    assert chinese == DateFormatter(zh)(created)
    assert chinese.startswith(str(created.astimezone().year) + "/")  # yyyy/M/d HH:mm


def test_language_switches_live_from_the_view_menu(
    qtbot: Any, window: MainWindow, sandbox: Sandbox, settings_path: Path
):
    english = shown_texts(window)
    assert "&Start" in english and "Name" in english

    window.commands.language_actions[i18n.CHINESE].trigger()
    settle()
    assert i18n.current_language() == i18n.CHINESE
    assert window.settings.language() == i18n.CHINESE
    assert Settings(settings_path).language() == i18n.CHINESE  # on disk, for the next start
    chinese = shown_texts(window)
    assert chinese & translated_sources() == set()
    assert {"启动(&S)", "名称", "视图(&V)", "语言(&L)", "全部状态"} <= chinese
    assert window.caster_list.filter_edit.placeholderText() == "按名称或 ID 筛选（Ctrl+F）"
    assert window.toolbar.profile_combo.currentText() == "沙箱（本地演示）"
    assert window.status.profile_label.full_text() == "账号：沙箱"

    window.commands.language_actions[i18n.ENGLISH].trigger()
    settle()
    assert i18n.current_language() == i18n.ENGLISH
    back = shown_texts(window)
    assert not any(HAN.search(t) for t in back - {"中文（简体）"})
    assert {"&Start", "Name", "&View", "&Language", "All statuses"} <= back


def test_errors_are_explained_in_the_ui_language(qtbot: Any, make_window: Any, sandbox: Sandbox):
    i18n.apply_language(i18n.CHINESE)
    win = make_window()
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.show()
    select(win, caster_id(sandbox, WEBINAR_NO_DOMAIN))
    # The preflight would hold this Start back; unable to read the config, it lets it go.
    sandbox.faults.add("DescribeCasterConfig", error="InternalError", status=500)
    assert not start(qtbot, win)
    code = win.event_log.events("start_failed")[-1]["code"]
    zh = explain(code, lang="zh")
    summary = win.banner.summary_label.text()
    assert summary.startswith(f"无法启动“{WEBINAR_NO_DOMAIN}”：") or summary.startswith(
        f"无法启动“{WEBINAR_NO_DOMAIN}”"
    )
    assert zh.summary in summary
    assert win.banner.fix_label.text() == zh.fix
    assert win.banner.copy_button.text() == "复制 RequestId"
    # The event log stays in English for support.
    assert win.event_log.events("error_shown")[-1]["summary"] == explain(code, lang="en").summary

    # Switching language re-words the error that is on screen.
    win.commands.language_actions[i18n.ENGLISH].trigger()
    en = explain(code, lang="en")
    assert win.banner.summary_label.text().startswith(f"Could not start “{WEBINAR_NO_DOMAIN}”")
    assert en.summary in win.banner.summary_label.text()
    assert win.banner.fix_label.text() == en.fix


def test_qt_standard_buttons_speak_chinese(qapp: QApplication):
    i18n.apply_language(i18n.CHINESE)
    box = QMessageBox()
    box.setStandardButtons(QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Yes)
    texts = {b.text() for b in box.buttons()}
    box.deleteLater()
    assert "取消" in texts


@pytest.mark.parametrize(
    ("language", "expected"),
    [(i18n.ENGLISH, "Copied the PGM HD FLV URL"), (i18n.CHINESE, "已复制 PGM 高清 FLV 地址")],
)
def test_copying_an_output_names_its_tier_as_the_console_does(
    qtbot: Any, language: str, expected: str
):
    """The status message says "HD" / "高清", not the code "lhd"; the URL is copied whole."""
    i18n.apply_language(language)
    pane = PreviewPane("pgm")
    qtbot.addWidget(pane)
    url = "http://127.0.0.1/caster/pgm_lhd.flv?auth_key=1796047371-0-0-705d76d6"
    infos = (StreamInfo("lld", "flv", "http://127.0.0.1/lld.flv"), StreamInfo("lhd", "flv", url))
    pane.set_scene(SceneInfo("scene-pgm", "rtmp://127.0.0.1/caster/pgm", infos))
    messages: list[str] = []
    pane.copied.connect(messages.append)
    outputs = pane.outputs
    assert outputs is not None
    outputs.press(outputs.row_for("lhd", "flv"), COPY_COLUMN)
    pane.shutdown()
    assert messages == [expected]
    assert QGuiApplication.clipboard().text() == url
