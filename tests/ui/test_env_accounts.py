"""The window uses the CLI's credential chain: the environment and the aliyun CLI are accounts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.credentials.resolve import ENV_PROFILE
from app.sandbox import Sandbox
from app.ui.widgets.preview import player as states
from tests.ui.conftest import LOAD_TIMEOUT_MS
from tests.ui.helpers import PRODUCT_LAUNCH, caster_id, select
from tests.ui.preview_support import wait_state


@pytest.fixture
def env_account(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    """Only ALIBABA_CLOUD_* and CASTERDESK_ENDPOINT, pointing at a server the window did not
    start (the sandbox fixture runs apart, like a real endpoint would)."""
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", sandbox.access_key_id)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", sandbox.access_key_secret)
    monkeypatch.setenv("CASTERDESK_ENDPOINT", sandbox.endpoint)
    return sandbox


def test_environment_credentials_list_start_and_play(
    qtbot: Any, make_window, env_account: Sandbox
) -> None:
    win = make_window(profile=None, sandbox=None)
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.show()
    assert win.session.profile == ENV_PROFILE
    assert win.toolbar.profile_combo.currentText() == "Environment"
    assert win.status.profile_label.full_text() == "Account: Environment"
    assert env_account.endpoint in win.status.endpoint_label.full_text()
    assert win.casters.model.rowCount() >= 8

    select(win, caster_id(env_account, PRODUCT_LAUNCH))
    with qtbot.waitSignal(win.casters.start_finished, timeout=LOAD_TIMEOUT_MS) as started:
        qtbot.keyClick(win, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert started.args == [True]
    wait_state(qtbot, win.panels.pvw.player, states.LIVE)
    wait_state(qtbot, win.panels.pgm.player, states.LIVE)


def test_aliyun_cli_profiles_are_accounts_and_the_chain_opens_the_current_one(
    qtbot: Any,
    make_window,
    sandbox: Sandbox,
    isolated_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = {
        "current": "studio",
        "profiles": [
            {
                "name": "studio",
                "mode": "AK",
                "access_key_id": sandbox.access_key_id,
                "access_key_secret": sandbox.access_key_secret,
                "region_id": sandbox.region_id,
            },
            {"name": "other", "mode": "AK", "access_key_id": "LTAIx", "access_key_secret": "y"},
        ],
    }
    folder = isolated_home / ".aliyun"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    # The aliyun CLI does not know the sandbox's address: CASTERDESK_ENDPOINT gives it.
    monkeypatch.setenv("CASTERDESK_ENDPOINT", sandbox.endpoint)
    win = make_window(profile=None, sandbox=None)
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.show()
    combo = win.toolbar.profile_combo
    items = [combo.itemText(i) for i in range(combo.count())]
    assert "aliyun CLI: studio" in items and "aliyun CLI: other" in items
    assert win.session.profile == "aliyun:studio"
    assert win.casters.model.rowCount() >= 8


def test_gui_profile_option_names_an_aliyun_profile(
    qtbot: Any, make_window, env_account: Sandbox
) -> None:
    """`casterdesk gui --profile :env` (or aliyun:NAME) works as it does for the CLI."""
    win = make_window(profile=ENV_PROFILE, sandbox=None)
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.show()
    assert win.session.connection is not None
    assert win.session.connection.source == "env"


def _streaming_names(sandbox: Sandbox) -> set[str]:
    return {
        sandbox.caster(cid)["CasterName"]
        for cid in sandbox.caster_ids
        if sandbox.caster(cid)["Status"] == 1
    }


def test_leaving_an_account_with_streaming_casters_asks_first(
    qtbot: Any, make_window, env_account: Sandbox
) -> None:
    asked: list[list[str]] = []
    answer = [False]

    def confirm(_parent: Any, names: list[str]) -> bool:
        asked.append(names)
        return answer[0]

    win = make_window(profile=None, sandbox=None, confirm_switch=confirm)
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.show()
    combo = win.toolbar.profile_combo
    combo.activated.emit(combo.count() - 1)  # the sandbox entry, as a click picks it
    assert set(asked[0]) == _streaming_names(env_account)
    assert win.session.profile == ENV_PROFILE  # declined: nothing switched
    assert combo.currentText() == "Environment"

    answer[0] = True
    with qtbot.waitSignal(win.session.ready, timeout=LOAD_TIMEOUT_MS):
        combo.activated.emit(combo.count() - 1)
    assert win.session.connection is not None and win.session.connection.is_sandbox


def test_quitting_names_streaming_casters_and_can_stop_them(
    qtbot: Any, make_window, env_account: Sandbox
) -> None:
    from app.ui.widgets.dialogs import QuitChoice

    choices = [QuitChoice.CANCEL, QuitChoice.STOP_AND_QUIT]
    asked: list[list[str]] = []

    def confirm(_parent: Any, names: list[str]) -> QuitChoice:
        asked.append(names)
        return choices.pop(0)

    win = make_window(profile=None, sandbox=None, confirm_quit=confirm)
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.show()
    streaming = _streaming_names(env_account)
    assert streaming
    win.close()
    assert set(asked[0]) == streaming
    assert win.isVisible() and not win.shutdown_complete  # cancelled: still open

    stops_before = env_account.request_count("StopCaster")
    win.close()
    qtbot.waitUntil(lambda: win.shutdown_complete, timeout=LOAD_TIMEOUT_MS)
    assert env_account.request_count("StopCaster") == stops_before + len(streaming)
    assert _streaming_names(env_account) == set()


def test_a_failed_switch_clears_the_last_account_s_call(qtbot: Any, window) -> None:
    assert window.status.request_id_label.value
    with qtbot.waitSignal(window.session.failed, timeout=LOAD_TIMEOUT_MS):
        window.open_profile("no-such-profile")
    assert window.status.request_id_label.value == ""
    assert window.status.latency_label.full_text() == ""
