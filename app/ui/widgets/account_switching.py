"""The window's accounts and regions: which one opens at start, switching (asking first when
casters of the account being left still stream), the welcome page and the accounts dialog.

A mixin of :class:`~app.ui.widgets.main_window.MainWindow`, which it shares its attributes with
(declared below for the type checker); the session itself is the session controller's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from app.ui.controllers.session_state import SANDBOX_PROFILE, SessionState

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStackedWidget, QWidget

    from app.api.models import Caster
    from app.credentials import Accounts
    from app.ui.concurrency import WorkerPool
    from app.ui.controllers.casters import CasterController
    from app.ui.controllers.session import Connection, ProfileList, SessionController
    from app.ui.settings import Settings
    from app.ui.widgets.accounts_dialog import AccountsDialog
    from app.ui.widgets.error_banner import ErrorBanner
    from app.ui.widgets.toolbar import MainToolbar
    from app.ui.widgets.welcome import WelcomeView


class AccountSwitching:
    """Accounts, regions and leaving them safely (mixed into the main window)."""

    session: SessionController
    casters: CasterController
    settings: Settings
    toolbar: MainToolbar
    banner: ErrorBanner
    pool: WorkerPool
    accounts: Accounts
    accounts_dialog: AccountsDialog | None
    stack: QStackedWidget
    welcome: WelcomeView
    main_page: QWidget
    _requested: tuple[str | None, str | None]
    _pending_select: str | None
    _shutting_down: bool
    _quit_confirmed: bool
    _confirm_switch: Callable[[Any, list[str]], bool]

    if TYPE_CHECKING:  # the window's own, for the type checker only

        def update_actions(self) -> None: ...

        def close(self) -> bool: ...

    def on_profiles_loaded(self, profiles: ProfileList) -> None:
        current = self.session.profile
        self.toolbar.set_profiles(profiles)
        if not profiles.initial:
            if current is not None:
                self.toolbar.show_profile(current)
            elif profiles.names:
                self.open_profile(profiles.default or profiles.names[0])
            return
        from app.ui.controllers.session import initial_profile  # noqa: PLC0415  (loaded by now)

        wanted = initial_profile(
            profiles, self._requested, self.settings.last_profile(), self.settings.region()
        )
        if wanted is None:
            self.show_welcome()
        else:
            self.open_profile(*wanted)

    def show_welcome(self) -> None:
        self.stack.setCurrentWidget(self.welcome)
        self.toolbar.show_profile(None)
        self.update_actions()

    @property
    def welcome_visible(self) -> bool:
        return self.stack.currentWidget() is self.welcome

    def use_sandbox(self) -> None:
        """Sign in to the embedded sandbox (starting it on a worker if needed)."""
        self.open_profile(SANDBOX_PROFILE)

    def open_profile(self, profile: str, region: str | None = None) -> None:
        """Switch account (or the sandbox) and reload everything for it."""
        if self._shutting_down:
            return
        self.stack.setCurrentWidget(self.main_page)
        self.toolbar.show_profile(profile)
        self.settings.set_last_profile(profile)
        self.session.open(profile, region)

    def _on_profile_chosen(self, profile: str) -> None:
        if profile != self.session.profile:
            if not self._may_leave_account():
                self.toolbar.show_profile(self.session.profile)
                return
            self._pending_select = None
            self.open_profile(profile)

    def _on_region_chosen(self, region: str) -> None:
        if region == self.session.region_id or self.session.profile is None:
            return
        if not self._may_leave_account():
            self.toolbar.show_region(self.session.region_id or "")
            return
        self._pending_select = None
        self.settings.set_region(region)
        self.session.set_region(region)

    def on_session_state(self, state: SessionState) -> None:
        if state is SessionState.CONNECTING:
            self.banner.dismiss()
        self.update_actions()

    def on_session_ready(self, connection: Connection) -> None:
        self.toolbar.show_region(connection.region_id)
        self.settings.set_region(connection.region_id)

    def open_accounts(self, *, new: bool = False) -> AccountsDialog:
        """Show the accounts dialog (window-modal, not blocking)."""
        if self.accounts_dialog is None:
            # Imported when first opened: it brings the API client (httpx), not needed to start.
            from app.ui.widgets.accounts_dialog import AccountsDialog  # noqa: PLC0415

            dialog = AccountsDialog(self.pool, self.accounts, cast("QWidget", self))
            dialog.profiles_changed.connect(self.session.load_profiles)
            dialog.finished.connect(self._accounts_closed)
            self.accounts_dialog = dialog
        if new:
            self.accounts_dialog.new_profile()
        self.accounts_dialog.open()
        return self.accounts_dialog

    def _accounts_closed(self, _result: int) -> None:
        dialog, self.accounts_dialog = self.accounts_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        names = self.session.profiles.names if self.session.profiles else ()
        if self.welcome_visible and names:
            self.open_profile(names[0])

    # --- leaving an account (or quitting) while its casters stream ----------------------------

    def streaming_in_the_cloud(self) -> list[Caster]:
        """This account's casters that stream, and keep streaming (and billing) after a quit or a
        switch; none for the sandbox, whose casters are local."""
        connection = self.session.connection
        if connection is None or connection.is_sandbox:
            return []
        return [c for c in self.casters.model.casters() if c.is_streaming]

    def _quit_when_stopped(self, all_stopped: bool) -> None:
        if all_stopped:  # otherwise the banner says which could not be stopped; stay open
            self._quit_confirmed = True
            self.close()

    def _may_leave_account(self) -> bool:
        streaming = self.streaming_in_the_cloud()
        return not streaming or self._confirm_switch(self, [c.name for c in streaming])
