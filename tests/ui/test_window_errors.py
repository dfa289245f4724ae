"""Every failure reaches the user inline, in plain words, with the RequestId when there is one,
and leaves the window usable: Start enabled again, the list still interactive."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication

from app.api.retry import RetryPolicy
from app.sandbox import Sandbox
from app.ui.controllers.casters import ListState
from tests.ui.conftest import LOAD_TIMEOUT_MS
from tests.ui.helpers import (
    FINANCE_FORBIDDEN,
    PRODUCT_LAUNCH,
    SPRING_GALA,
    WEBINAR_NO_DOMAIN,
    caster_id,
    events,
    filter_box,
    select,
    start,
)

FAST_RETRY = RetryPolicy(max_attempts=2, base_delay_s=0.05, max_delay_s=0.1, budget_s=3.0)

# no_qt_log: the window runs real QtMultimedia players; pytest-qt's Python message capture
# can deadlock with their logging threads (see tests/ui/test_player.py).
pytestmark = pytest.mark.no_qt_log


@dataclass(frozen=True)
class StartFailure:
    """One way Start can fail: how to provoke it, and what the user must read."""

    caster: str
    inject: Callable[[Sandbox], object] | None
    summary: str
    code: str
    has_request_id: bool
    detail: str = ""


START_FAILURES = {
    "not-found": StartFailure(
        PRODUCT_LAUNCH,
        lambda sb: sb.faults.add("StartCaster", error="InvalidCaster.NotFound", status=404),
        "This production studio does not exist in the selected region.",
        "InvalidCaster.NotFound",
        True,
    ),
    # The preflight holds such a Start back (tests/ui/test_output_check.py); when it cannot
    # read the caster's config, Start goes ahead and the server's refusal is explained.
    "no-domain": StartFailure(
        WEBINAR_NO_DOMAIN,
        lambda sb: sb.faults.add("DescribeCasterConfig", error="InternalError", status=500),
        "streaming domain",
        "InvalidDomainName.NotFound",
        True,
    ),
    "permission-denied": StartFailure(
        FINANCE_FORBIDDEN,
        None,
        "This account is not allowed to use this production studio.",
        "PermissionDenied",
        True,
    ),
    "server-error-500": StartFailure(
        PRODUCT_LAUNCH,
        lambda sb: sb.faults.add("StartCaster", error="InternalError", status=500),
        "",  # filled from the explanation table below
        "InternalError",
        True,
    ),
    # Transport failures after the request was sent: the client re-reads the caster. With the
    # re-read failing too, the honest answer is "may or may not have taken effect".
    "timeout": StartFailure(
        PRODUCT_LAUNCH,
        lambda sb: sb.faults.add("*", latency=1.5),
        "may or may not have taken effect",
        "OutcomeUnknownError(RequestTimeoutError)",
        False,
        "within the timeout",
    ),
    "connection-reset": StartFailure(
        PRODUCT_LAUNCH,
        lambda sb: sb.faults.add("*", network="reset"),
        "may or may not have taken effect",
        "OutcomeUnknownError(NetworkError)",
        False,
        "broke",
    ),
    "non-json-body": StartFailure(
        PRODUCT_LAUNCH,
        lambda sb: sb.faults.add("*", network="html"),
        "may or may not have taken effect",
        "OutcomeUnknownError(ProtocolError)",
        False,
        "not JSON",
    ),
}


def expected_summary(failure: StartFailure) -> str:
    if failure.summary:
        return failure.summary
    from app.api.explanations import explain

    return explain(failure.code, http_status=500).summary


@pytest.mark.parametrize("kind", list(START_FAILURES))
def test_start_failure_is_explained_inline_and_the_window_stays_usable(
    qtbot: Any, make_window, sandbox: Sandbox, kind: str
):
    failure = START_FAILURES[kind]
    win = make_window(api_timeout=0.5, retry=FAST_RETRY)
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.show()
    target = caster_id(sandbox, failure.caster)
    select(win, target)
    if failure.inject is not None:
        failure.inject(sandbox)

    assert start(qtbot, win) is False
    sandbox.faults.clear()

    banner = win.banner
    assert banner.isVisible()
    text = banner.text()
    assert expected_summary(failure) in text
    assert failure.caster in banner.summary_label.text()  # "Could not start “name”: …"
    assert banner.fix_label.text()  # there is always something to do
    assert "Traceback" not in text
    assert failure.detail in banner.detail_label.text()
    failed = events(win, "start_failed")[-1]
    assert failed["code"] == failure.code
    assert failed["ms"] > 0
    if failure.has_request_id:
        request_id = failed["request_id"]
        assert request_id and request_id in text
        assert banner.copy_button.isVisible()
        banner.copy_button.click()
        assert QGuiApplication.clipboard().text() == request_id
        assert win.status.request_id_label.value == request_id
    else:
        assert not banner.copy_button.isVisible()

    # Usable: not stuck in "starting…", Start enabled again, the list still answers.
    assert not win.casters.start_in_flight
    assert not win.toolbar.start_busy_action.isVisible()
    assert win.commands.start_action.isEnabled()
    other = caster_id(sandbox, SPRING_GALA)
    select(win, other)
    filter_box(win).setText(failure.caster[:6])
    assert win.caster_list.proxy.rowCount() >= 1
    filter_box(win).clear()
    banner.dismiss_button.click()
    assert not banner.isVisible()


def test_transport_failure_with_a_successful_reread_fills_the_panels(
    qtbot: Any, make_window, sandbox: Sandbox
):
    """The answer to StartCaster is lost, but the caster did start: the re-read says so."""
    win = make_window(api_timeout=2.0, retry=FAST_RETRY)
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.show()
    target = caster_id(sandbox, PRODUCT_LAUNCH)
    select(win, target)
    sandbox.faults.add("StartCaster", network="reset", times=1)
    assert start(qtbot, win) is True
    assert win.casters.shown_result is not None
    assert win.casters.shown_result.confirmed_by == "DescribeCasterStreamUrl"
    assert events(win, "start_succeeded")[-1]["confirmed_by"] == "DescribeCasterStreamUrl"
    assert not win.banner.isVisible()


@pytest.mark.parametrize(
    ("fault", "summary"),
    [
        ({"latency": 1.5}, "The Live API did not answer in time."),
        ({"network": "reset"}, "Could not reach the Live API."),
        ({"network": "html"}, "The answer from the server was not a valid Live API response."),
    ],
    ids=["timeout", "connection-reset", "non-json-body"],
)
def test_stream_url_failures_are_explained(
    qtbot: Any, make_window, sandbox: Sandbox, fault: dict[str, Any], summary: str
):
    """Selecting a live caster reads its URLs; a broken answer is explained, nothing starts."""
    win = make_window(api_timeout=0.5, retry=FAST_RETRY)
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.show()
    sandbox.faults.add("DescribeCasterStreamUrl", **fault)
    gala = caster_id(sandbox, SPRING_GALA)
    select(win, gala)
    qtbot.waitUntil(win.banner.isVisible, timeout=LOAD_TIMEOUT_MS)
    sandbox.faults.clear()
    assert summary in win.banner.text()
    assert "stream URLs" in win.banner.summary_label.text()
    assert sandbox.request_count("StartCaster") == 0
    assert win.casters.shown_caster_id is None
    assert win.commands.stop_action.isEnabled()  # still usable
    select(win, caster_id(sandbox, PRODUCT_LAUNCH))
    assert win.commands.start_action.isEnabled()


def test_list_error_is_drawn_in_the_view_and_cleared_by_the_next_refresh(
    qtbot: Any, make_window, sandbox: Sandbox
):
    sandbox.faults.add("DescribeCasters", error="InternalError", status=500)
    win = make_window(api_timeout=2.0, retry=FAST_RETRY)
    win.show()
    qtbot.waitUntil(win.banner.isVisible, timeout=LOAD_TIMEOUT_MS)
    overlay = win.caster_list.overlay_text()
    assert overlay.startswith("Could not load the casters.")
    assert "Could not load the casters" in win.banner.summary_label.text()
    assert events(win, "refresh_failed")[-1]["code"] == "InternalError"
    sandbox.faults.clear()
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        win.commands.refresh_action.trigger()
    assert win.caster_list.overlay_text() == ""
    assert not win.banner.isVisible()


def test_loading_state_is_drawn_while_the_first_page_is_on_its_way(
    qtbot: Any, make_window, sandbox: Sandbox
):
    sandbox.faults.add("DescribeCasters", latency=0.6, times=1)
    win = make_window()
    win.show()
    qtbot.waitUntil(lambda: win.casters.refresh_running, timeout=LOAD_TIMEOUT_MS)
    assert win.caster_list.overlay_text() == "Loading casters…"
    with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
        pass
    assert win.caster_list.overlay_text() == ""


def test_start_without_a_selection_says_why_and_sends_nothing(qtbot: Any, window, sandbox: Sandbox):
    window.caster_list.table.clearSelection()
    window.start_selected()
    assert "Select a caster" in window.banner.text()
    assert sandbox.request_count("StartCaster") == 0


def test_bad_credentials_explain_and_do_not_crash(
    qtbot: Any, make_window, sandbox: Sandbox, memory_keyring
):
    """A profile whose secret is wrong: the sign-in works, the first call is refused."""
    from app.credentials import Accounts, Profile, ProfileStore

    store = ProfileStore()
    Accounts(store).add_profile(
        Profile("broken", sandbox.access_key_id, sandbox.region_id, endpoint=sandbox.endpoint),
        "wrong-secret",
    )
    win = make_window(profile="broken", store=store)
    win.show()
    qtbot.waitUntil(win.banner.isVisible, timeout=LOAD_TIMEOUT_MS)
    text = win.banner.text()
    assert "RequestId:" in text and "wrong-secret" not in text
    assert "Could not load the casters" in win.banner.summary_label.text()


def test_missing_secret_is_explained(qtbot: Any, make_window, sandbox: Sandbox):
    from app.credentials import Profile, ProfileStore

    store = ProfileStore()
    store.add(Profile("nosecret", sandbox.access_key_id, sandbox.region_id))
    win = make_window(profile="nosecret", store=store)
    win.show()
    qtbot.waitUntil(win.banner.isVisible, timeout=LOAD_TIMEOUT_MS)
    assert "is not in the system keychain" in win.banner.text()
    assert "Replace secret" in win.banner.text()
    assert win.caster_list.state is ListState.ERROR
    assert not win.commands.start_action.isEnabled()


def test_a_job_without_an_error_handler_never_shows_its_name(qtbot: Any, window):
    def fail() -> None:
        raise ValueError("boom")

    window.pool.run(fail, name="internal_job_name")
    qtbot.waitUntil(window.banner.isVisible, timeout=LOAD_TIMEOUT_MS)
    assert "internal_job_name" not in window.banner.text()
    assert window.banner.text().startswith("Something unexpected went wrong.")
    assert events(window, "error_shown")[-1]["code"] == "ValueError"


def test_a_protocol_error_names_its_action_and_request_id_in_the_banner_text() -> None:
    from app.api.errors import ProtocolError
    from app.ui.errors import describe_error

    error = ProtocolError(
        "HTTP 200 with a number too long to be real", request_id="RID-HUGE", action="StartCaster"
    )
    info = describe_error(error, "en")
    assert info.request_id == "RID-HUGE"
    assert info.detail.startswith("StartCaster: ")
    assert "Something unexpected" not in info.summary


def test_a_lying_total_lists_what_came_says_so_and_closes(qtbot: Any, make_window):
    """Total 10^12 with one caster a page: one request, one row, a note, a clean close."""
    from app.credentials import Accounts, Profile, ProfileStore
    from tests.scripted_server import Recorded, Reply, scripted_server
    from tests.ui.conftest import close_window

    def script(r: Recorded) -> Reply:
        number = int(r.query.get("PageNum", "1"))
        row = {"CasterId": f"c{number}", "CasterName": f"Show {number}", "Status": 0}
        return Reply(200, {"RequestId": f"P{number}", "Total": 10**12, "CasterList": [row]})

    with scripted_server(script) as server:
        store = ProfileStore()
        Accounts(store).add_profile(
            Profile("lying", "LTAIlying", "cn-shanghai", endpoint=server.endpoint), "secret"
        )
        win = make_window(profile="lying", store=store)
        with qtbot.waitSignal(win.casters.casters_loaded, timeout=LOAD_TIMEOUT_MS):
            win.show()
        assert win.casters.model.rowCount() == 1
        assert server.actions().count("DescribeCasters") == 1
        assert "pages ended after 1" in win.status.currentMessage()
        assert win.status.endpoint_label.full_text().startswith(
            "Signed requests go to http://127.0.0.1"
        )
        close_window(qtbot, win)  # while the server still answers
