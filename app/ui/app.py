"""Builds Caster Desk's objects and wires them together: the only place that does.

The worker pool, the session and caster controllers and the main window are made here; the
window receives the controllers and takes ownership of them (Qt parent), so that closing and
deleting the window ends them all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from app.api.retry import RetryPolicy
from app.credentials import Accounts, Keychain, ProfileStore
from app.ui.concurrency import WorkerPool
from app.ui.controllers.casters import REFRESH_INTERVAL_MS, CasterController
from app.ui.controllers.directing import UNDO_SECONDS, DirectingController
from app.ui.controllers.session import SessionController
from app.ui.event_log import EventLog
from app.ui.settings import Settings
from app.ui.widgets.dialogs import (
    confirm_expired_start_dialog,
    confirm_quit_dialog,
    confirm_standby_dialog,
    confirm_stop_dialog,
    confirm_switch_dialog,
)
from app.ui.widgets.main_window import (
    ConfirmQuit,
    ConfirmStop,
    ConfirmSwitch,
    MainWindow,
)
from app.ui.widgets.preflight_dialog import ConfirmPreflight, confirm_preflight_dialog
from app.ui.widgets.preview.directing_view import ConfirmStandby
from app.ui.widgets.preview.player import PlayerState

if TYPE_CHECKING:
    import httpx

    from app.sandbox import Sandbox


_TROUBLE = {PlayerState.STALLED.value, PlayerState.RECONNECTING.value, PlayerState.ERROR.value}


def build_main_window(
    *,
    settings: Settings | None = None,
    event_log: EventLog | None = None,
    profile: str | None = None,
    region: str | None = None,
    app_started_at: float | None = None,
    parent: QWidget | None = None,
    **content: Any,
) -> MainWindow:
    """The main window with its controllers. Every collaborator can be injected (tests pass the
    sandbox, an isolated settings file, a short API timeout and auto-accepting Stop and Standby):
    the window's own here, the content's (``content``) as :func:`complete_main_window` takes
    them, ``start_session=False`` included (reading the accounts, and so connecting, is then
    the caller's).

    The launcher builds the window's frame alone first (:class:`MainWindow`'s constructor) and
    calls :func:`complete_main_window` once it has painted.
    """
    window = MainWindow(
        settings=settings if settings is not None else Settings(),
        event_log=event_log if event_log is not None else EventLog(None),
        profile=profile,
        region=region,
        app_started_at=app_started_at,
        parent=parent,
    )
    complete_main_window(window, **content)
    return window


def complete_main_window(
    window: MainWindow,
    *,
    sandbox: Sandbox | None = None,
    sandbox_factory: Callable[[], Sandbox] | None = None,
    api_timeout: float | httpx.Timeout | None = None,
    retry: RetryPolicy | None = None,
    store: ProfileStore | None = None,
    keychain: Keychain | None = None,
    confirm_stop: ConfirmStop = confirm_stop_dialog,
    confirm_quit: ConfirmQuit = confirm_quit_dialog,
    confirm_switch: ConfirmSwitch = confirm_switch_dialog,
    confirm_expired: ConfirmStop = confirm_expired_start_dialog,
    confirm_standby: ConfirmStandby = confirm_standby_dialog,
    confirm_preflight: ConfirmPreflight = confirm_preflight_dialog,
    check_outputs_after_start: bool = True,
    undo_seconds: int = UNDO_SECONDS,
    refresh_interval_ms: int = REFRESH_INTERVAL_MS,
    start_session: bool = True,
) -> None:
    """Make the controllers, build the window's content around them and wire them together;
    ``start_session``: then read the accounts (and so open one)."""
    store = store if store is not None else ProfileStore()
    keychain = keychain if keychain is not None else Keychain()
    event_log = window.event_log
    pool = WorkerPool()
    session = SessionController(
        pool,
        timeout=api_timeout,
        retry=retry,
        store=store,
        keychain=keychain,
        sandbox=sandbox,
        sandbox_factory=sandbox_factory,
    )
    casters = CasterController(session, pool, event_log, refresh_interval_ms=refresh_interval_ms)
    directing = DirectingController(session, pool, event_log, undo_seconds=undo_seconds)
    window.complete(
        pool=pool,
        session=session,
        casters=casters,
        directing=directing,
        accounts=Accounts(store, keychain),
        confirm_stop=confirm_stop,
        confirm_quit=confirm_quit,
        confirm_switch=confirm_switch,
        confirm_expired=confirm_expired,
        confirm_standby=confirm_standby,
        confirm_preflight=confirm_preflight,
        check_outputs_after_start=check_outputs_after_start,
    )
    for owned in (pool, session, casters, directing):
        owned.setParent(window)
    _wire(window, session, casters, pool)
    _wire_directing(window, casters, directing)
    if start_session:
        session.load_profiles(initial=True)


def _wire(
    window: MainWindow, session: SessionController, casters: CasterController, pool: WorkerPool
) -> None:
    """Controllers to the view: what the user sees follows the controllers' signals."""
    casters.selection = window.caster_list.selected_caster
    casters.auto_refresh_paused = window.isMinimized
    casters.list_state_changed.connect(window.caster_list.set_state)
    casters.rows_changed.connect(window.select_pending)
    casters.casters_loaded.connect(window.on_casters_loaded)
    casters.busy_changed.connect(window.update_actions)
    casters.shown.connect(window.show_caster)
    casters.shown_cleared.connect(window.panels.clear)
    casters.shown_stopped.connect(window.panels.show_stopped)
    casters.urls_refreshed.connect(lambda shown: window.panels.update_urls(shown.result))
    casters.notice.connect(window.status.showMessage)
    casters.problem.connect(window.show_problem)
    casters.problem_cleared.connect(window.banner.dismiss)
    # A preview in trouble may mean the caster was stopped elsewhere: re-read it now.
    for pane in (window.panels.pvw, window.panels.pgm):
        pane.state_changed.connect(
            lambda state, _detail: casters.recheck_shown() if state in _TROUBLE else None
        )
    window.status.follow(session)
    session.state_changed.connect(window.on_session_state)
    session.ready.connect(window.on_session_ready)
    session.profiles_loaded.connect(window.on_profiles_loaded)
    session.problem.connect(window.show_problem)
    pool.unhandled_error.connect(window.on_unhandled_error)


def _wire_directing(
    window: MainWindow, casters: CasterController, directing: DirectingController
) -> None:
    """The shown caster is the directed one; the picker, tally and Take follow the controller."""
    casters.shown.connect(directing.follow)
    casters.shown_cleared.connect(directing.clear)
    casters.shown_stopped.connect(directing.clear)
    casters.casters_loaded.connect(directing.on_list_loaded)
    directing.layouts_changed.connect(window.directing_view.show_layouts)
    directing.changed.connect(window.directing_view.show_directing)
    directing.scenes_read.connect(window.directing_view.show_directing)
    directing.problem.connect(window.show_problem)
