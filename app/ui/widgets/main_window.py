"""Caster Desk's main window: the layout, and the glue from user actions to the controllers.

The window keeps no state of its own about casters or the connection: it asks the
:class:`CasterController` and :class:`SessionController` (built and handed in by
:func:`app.ui.app.build_main_window`) and shows what their signals say. Errors from every
operation land in :meth:`MainWindow.show_problem`, which puts plain language, the fix and a
copyable RequestId in the inline banner.

The layout, for screens from 960×540 (the minimum) up: the caster list with the shown caster's
outputs beside it on top (a table of URLs wants width; four rows of each always show), and
under them the studio, layouts → PVW → Take → PGM, whose 16:9 pictures get the rest.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QGuiApplication, QShowEvent
from PySide6.QtWidgets import QMainWindow, QWidget

from app.ui.event_log import EventLog
from app.ui.settings import Settings
from app.ui.widgets import layout_state
from app.ui.widgets.account_switching import AccountSwitching
from app.ui.widgets.actions import CommandActions
from app.ui.widgets.dialogs import QuitChoice, open_log_folder, show_about
from app.ui.widgets.status_bar import StatusBar
from app.ui.widgets.toolbar import MainToolbar

if TYPE_CHECKING:
    from app.api.models import Caster
    from app.credentials import Accounts
    from app.probe.preflight import PreflightReport
    from app.ui.concurrency import WorkerPool
    from app.ui.controllers.casters import CasterController, ShownCaster
    from app.ui.controllers.directing import DirectingController
    from app.ui.controllers.session import SessionController
    from app.ui.errors import Problem
    from app.ui.widgets.accounts_dialog import AccountsDialog
    from app.ui.widgets.error_banner import TextSource
    from app.ui.widgets.preflight_dialog import ConfirmPreflight
    from app.ui.widgets.preview.directing_view import ConfirmStandby

log = logging.getLogger("casterdesk.ui.window")

# The smallest window that still shows 4 casters, 4 outputs, both pictures at 16:9 and every
# control (a 1366×768 laptop at 150 % scaling has 910×512 logical pixels: nearly this).
MINIMUM_SIZE = QSize(960, 540)

ConfirmStop = Callable[[QWidget, str], bool]
ConfirmQuit = Callable[[QWidget, list[str]], QuitChoice]
ConfirmSwitch = Callable[[QWidget, list[str]], bool]


class MainWindow(AccountSwitching, QMainWindow):
    """The director's window, built in two steps.

    The constructor builds its frame: the menus, the toolbar and the status bar, with an empty
    content area, from a few light modules, so that the launcher can paint it first.
    :meth:`complete` then imports and builds the rest (the caster list, the studio, the outputs)
    around the controllers and wires them; :func:`app.ui.app.build_main_window` does both at
    once. Until then the commands that need the content are disabled and the account and
    region choosers too; Quit, About and the View menu work.
    """

    shutdown_finished = Signal()
    content_built = Signal()  # complete() has run: the controllers and the content exist

    def __init__(
        self,
        *,
        settings: Settings,
        event_log: EventLog,
        profile: str | None = None,
        region: str | None = None,
        app_started_at: float | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.settings = settings
        self.event_log = event_log
        self.content_ready = False
        self._quit_confirmed = False
        self._problem_caster: str | None = None
        self._app_started_at = app_started_at if app_started_at is not None else time.monotonic()
        self._requested = (profile, region)
        self._shown_once = False
        self._shutting_down = False
        self.shutdown_complete = False
        self._pending_select: str | None = settings.selected_caster()
        self.accounts_dialog: AccountsDialog | None = None

        self.commands = commands = CommandActions(settings, self)
        self.addActions(
            [
                commands.find_action,
                commands.quit_action,
                commands.take_action,
                commands.undo_take_action,
            ]
        )
        self.toolbar = MainToolbar(commands, self)
        self.addToolBar(self.toolbar)
        self.start_button = self.toolbar.start_button
        commands.build_menus(self.menuBar())
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        # The content area until complete(): an empty page of the window's own background.
        placeholder = QWidget(self)
        placeholder.setObjectName("contentPlaceholder")
        self.setCentralWidget(placeholder)
        self.setMinimumSize(MINIMUM_SIZE)
        self.resize(1280, 860)
        # What needs the content waits for it: nothing is connected to these until complete().
        self._waiting_for_content = [
            commands.refresh_action,
            commands.start_action,
            commands.stop_action,
            commands.find_action,
            commands.copy_pgm_action,
            commands.accounts_action,
            commands.take_action,
            commands.undo_take_action,
            commands.standby_action,
            commands.check_outputs_action,
            commands.refresh_urls_action,
            commands.handoff_action,
            *commands.event_hours_group.actions(),
        ]
        for action in self._waiting_for_content:
            action.setEnabled(False)
        for combo in (self.toolbar.profile_combo, self.toolbar.region_combo):
            combo.setEnabled(False)
        commands.quit_action.triggered.connect(self.close)
        commands.log_folder_action.triggered.connect(lambda: open_log_folder(self.event_log))
        commands.about_action.triggered.connect(lambda: show_about(self))
        self.retranslate()
        layout_state.restore_frame(self, settings)

    def complete(
        self,
        *,
        pool: WorkerPool,
        session: SessionController,
        casters: CasterController,
        directing: DirectingController,
        accounts: Accounts,
        confirm_stop: ConfirmStop,
        confirm_quit: ConfirmQuit,
        confirm_switch: ConfirmSwitch,
        confirm_expired: ConfirmStop,
        confirm_standby: ConfirmStandby,
        confirm_preflight: ConfirmPreflight,
        check_outputs_after_start: bool = True,
    ) -> None:
        """Build the content around the controllers (handed in by
        :func:`app.ui.app.complete_main_window`) and enable the commands. Once only."""
        # Imported here, not with the module: the window's frame paints before they load.
        from app.ui.controllers.output_check import OutputCheckController  # noqa: PLC0415
        from app.ui.controllers.preflight import PreflightController  # noqa: PLC0415
        from app.ui.widgets.output_check_view import OutputCheckView  # noqa: PLC0415
        from app.ui.widgets.preview.directing_view import DirectingView  # noqa: PLC0415

        assert not self.content_ready, "complete() runs once"
        self.pool = pool
        self.session = session
        self.casters = casters
        self.directing = directing
        self.accounts = accounts
        self._confirm_stop = confirm_stop
        self._confirm_quit = confirm_quit
        self._confirm_switch = confirm_switch
        self._confirm_expired = confirm_expired
        self._confirm_preflight = confirm_preflight
        self.preflight = PreflightController(session, pool, self.event_log, parent=self)
        self.output_check = OutputCheckController(
            session, casters, pool, self.event_log, parent=self
        )
        self.output_check.auto_check_after_start = check_outputs_after_start
        self.preflight.busy_changed.connect(lambda _busy: self.update_actions())
        # Enabled again first: the views below and update_actions() set what applies.
        for action in self._waiting_for_content:
            action.setEnabled(True)
        for combo in (self.toolbar.profile_combo, self.toolbar.region_combo):
            combo.setEnabled(True)
        self._build_content()
        self.directing_view = DirectingView(
            self,
            directing,
            self.panels,
            self.commands,
            confirm_standby,
            lambda: self._shutting_down,
        )
        self.outputs_view = OutputCheckView(
            self, self.output_check, casters, self.panels, self.commands, self.settings, pool
        )
        self.content_ready = True
        self.retranslate()
        layout_state.restore_content(self, self.settings)
        self._connect()
        self.update_actions()
        self.content_built.emit()

    # --- construction ------------------------------------------------------------------------

    def _build_content(self) -> None:
        from PySide6.QtWidgets import QSplitter, QStackedWidget, QVBoxLayout  # noqa: PLC0415

        from app.ui.widgets.actions import keep_space  # noqa: PLC0415
        from app.ui.widgets.alarm_notifier import AlarmNotifier  # noqa: PLC0415
        from app.ui.widgets.caster_list import CasterListView  # noqa: PLC0415
        from app.ui.widgets.error_banner import ErrorBanner  # noqa: PLC0415
        from app.ui.widgets.preview.panels import ResultPanels  # noqa: PLC0415
        from app.ui.widgets.preview.take_bar import TakeBar  # noqa: PLC0415
        from app.ui.widgets.welcome import WelcomeView  # noqa: PLC0415

        self.welcome = WelcomeView(self)
        self.caster_list = CasterListView(self.casters.model, self)
        commands = self.commands
        self.take_bar = TakeBar(
            commands.take_action, commands.undo_take_action, commands.standby_action, self
        )
        self.panels = ResultPanels(self, take_bar=self.take_bar)
        self.panels.height_follows_pictures = True
        strip = self.panels.pgm.monitor_strip
        self.alarm_notifier = AlarmNotifier(
            self, lambda alarm: (strip.badges[alarm].text(), strip.badges[alarm].toolTip())
        )
        keep_space(self.caster_list.table)  # Space selects there; elsewhere it takes
        self.banner = ErrorBanner(self)
        # Top: the casters and, beside them, the shown caster's outputs (master and detail);
        # below: the studio, whose pictures take what is left. See the module docstring.
        self.top_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.top_splitter.setObjectName("topSplitter")
        self.top_splitter.addWidget(self.caster_list)
        self.top_splitter.addWidget(self.panels.outputs_panel)
        self.top_splitter.setStretchFactor(0, 1)
        self.top_splitter.setStretchFactor(1, 1)
        self.top_splitter.setChildrenCollapsible(False)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.top_splitter)
        self.splitter.addWidget(self.panels)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.main_page = QWidget(self)
        main_layout = QVBoxLayout(self.main_page)
        main_layout.setContentsMargins(6, 6, 6, 6)
        main_layout.addWidget(self.banner)
        main_layout.addWidget(self.splitter, 1)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.main_page)
        self.setCentralWidget(self.stack)  # the placeholder goes (Qt deletes it)
        self.stack.setCurrentWidget(self.main_page)
        chain: list[QWidget] = [
            self.toolbar.profile_combo,
            self.toolbar.region_combo,
            self.caster_list.filter_edit,
            self.caster_list.status_combo,
            self.caster_list.table,
            self.panels.outputs.view,
            self.panels,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        # Half each, beyond what each needs (restored from the settings when saved).
        self.top_splitter.setSizes([1_000_000, 1_000_000])

    def _connect(self) -> None:
        commands = self.commands
        commands.refresh_action.triggered.connect(self.casters.refresh_now)
        commands.start_action.triggered.connect(self.start_selected)
        commands.stop_action.triggered.connect(self.stop_selected)
        commands.find_action.triggered.connect(self.focus_filter)
        commands.copy_pgm_action.triggered.connect(self.copy_all_pgm)
        commands.accounts_action.triggered.connect(lambda _checked=False: self.open_accounts())
        view = self.directing_view
        commands.take_action.triggered.connect(view.take)
        commands.undo_take_action.triggered.connect(view.undo_take)
        commands.standby_action.triggered.connect(view.standby)
        self.panels.picker.picked.connect(view.pick_pvw)
        self.welcome.add_account_requested.connect(lambda: self.open_accounts(new=True))
        self.welcome.sandbox_requested.connect(self.use_sandbox)
        self.toolbar.profile_chosen.connect(self._on_profile_chosen)
        self.toolbar.region_chosen.connect(self._on_region_chosen)
        self.caster_list.current_changed.connect(self._on_current_caster)
        self.caster_list.selection_changed.connect(self.update_actions)
        self.panels.copied.connect(self._on_copied)
        self.panels.preview_event.connect(lambda name, fields: self.event_log.emit(name, **fields))
        self.panels.preview_event.connect(self.alarm_notifier.on_event)
        self.banner.copied.connect(self._on_request_id_copied)
        self.status.copied.connect(self._on_request_id_copied)

    # --- language and persistence ------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every text of the window (at start, and again when the language changes)."""
        self.setWindowTitle(self.tr("Caster Desk"))
        being_started = self.casters.starting_caster if self.content_ready else None
        self.commands.retranslate(starting=being_started.name if being_started else None)
        self.toolbar.retranslate()
        if self.content_ready:
            self.directing_view.show_directing()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def save_layout(self) -> None:
        """Write geometry, splitters, header, profile, region and selection to QSettings."""
        layout_state.save(self, self.settings)

    # --- showing, closing --------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            self.event_log.emit(
                "window_shown", ms=round((time.monotonic() - self._app_started_at) * 1000, 1)
            )

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.shutdown_complete:
            event.accept()
            return
        event.ignore()
        if self.content_ready and not self._shutting_down and not self._quit_confirmed:
            streaming = self.streaming_in_the_cloud()
            if streaming:
                choice = self._confirm_quit(self, [c.name for c in streaming])
                if choice is QuitChoice.CANCEL:
                    return
                if choice is QuitChoice.STOP_AND_QUIT:
                    self.casters.stop_all(streaming, self._quit_when_stopped)
                    return
        self._quit_confirmed = True
        self.begin_shutdown()

    def begin_shutdown(self) -> None:
        """Save state, stop timers and players, close the client, then drain the pool.

        Never blocks: :attr:`shutdown_finished` fires once the last running job has ended (an
        in-flight request ends at the latest when its timeout expires).
        """
        if self._shutting_down:
            return
        self._shutting_down = True
        if not self.content_ready:
            # Closed before complete(): nothing runs yet, and no layout of its own to save.
            self.event_log.emit("window_closing", pending_jobs=0)
            QTimer.singleShot(0, self, self._finish_shutdown)
            return
        try:
            self.save_layout()
        except Exception:  # saving the layout must never keep the window from closing
            log.exception("could not save the window layout")
        self.casters.close()
        self.directing.close()
        self.output_check.close()
        self.preflight.close()
        self.caster_list.stop_timers()
        self.statusBar().clearMessage()  # stops the status bar's message timer
        if self.accounts_dialog is not None:
            self.accounts_dialog.close()
        self.panels.shutdown()
        self.session.close()
        self.event_log.emit("window_closing", pending_jobs=self.pool.pending())
        self.pool.drained.connect(self._finish_shutdown)
        self.pool.shutdown()

    @Slot()
    def _finish_shutdown(self) -> None:
        if self.shutdown_complete:
            return
        if self.content_ready:
            self.session.stop_owned_sandbox()
        self.shutdown_complete = True
        self.event_log.emit("window_closed")
        self.shutdown_finished.emit()
        # close() again, from the event loop (a nested close inside closeEvent is ignored).
        QTimer.singleShot(0, self, self.close)

    def bring_to_front(self) -> None:
        """Another launch asked for the window: un-minimise, raise and activate it."""
        if self._shutting_down:
            return
        if self.isMinimized():
            self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.show()
        self.raise_()
        self.activateWindow()
        self.event_log.emit("window_raised", reason="second_launch")

    # --- casters: selection, Start, Stop ---------------------------------------------------------

    def selected_caster(self) -> Caster | None:
        return self.caster_list.selected_caster()

    def select_pending(self) -> None:
        if self._pending_select and self.caster_list.select_caster(self._pending_select):
            self._pending_select = None

    def _on_current_caster(self, caster: Caster | None) -> None:
        # The banner belongs to the caster it is about: it goes when another one is selected.
        about = self._problem_caster
        if about is not None and (caster is None or caster.caster_id != about):
            self.banner.dismiss()
            self._problem_caster = None
        self.update_actions()
        if caster is not None:
            self.settings.set_selected_caster(caster.caster_id)
        self.casters.select(caster)

    def on_casters_loaded(self, _count: int) -> None:
        if self.banner.origin == "refresh":
            self.banner.dismiss()
        self.update_actions()

    def show_caster(self, shown: ShownCaster) -> None:
        self.panels.show_result(shown.name, shown.result, shown.clicked_at)
        if shown.clicked_at is not None:
            self.caster_list.select_caster(shown.caster_id)

    def start_selected(self) -> None:
        """Ctrl+Return / Start: the preflight first (cached 60 s), then the controller
        validates and sends exactly one StartCaster."""
        if self._shutting_down or self.preflight.running:
            return
        caster = self.caster_list.selected_caster()
        if caster is None or not self.casters.can_start(caster):
            self._start(caster)  # the controller says why not, or shows a streaming one
            return
        from app.ui.models.caster_table import expiry_days  # noqa: PLC0415  (loaded by now)

        left = expiry_days(caster)
        if left is not None and left < 0 and not self._confirm_expired(self, caster.name):
            return  # asked before the preflight, so the question comes at the click
        checking = self.preflight.run(caster, lambda report: self._after_preflight(caster, report))
        if checking and self.preflight.running:
            # The row says "Starting…" from the click on: the preflight is part of Start.
            self.casters.model.set_starting(caster.caster_id, time.monotonic())
            self.statusBar().showMessage(self.tr("Checking before Start…"), 3000)

    @property
    def start_pending(self) -> bool:
        """A Start is under way: its preflight or its StartCaster."""
        return self.casters.start_in_flight or self.preflight.running

    def _after_preflight(self, caster: Caster, report: PreflightReport) -> None:
        """Start unless an item failed and the director did not choose Start anyway."""
        if self._shutting_down:
            return
        self.casters.model.set_starting(caster.caster_id, None)
        if report.failed:
            anyway = self._confirm_preflight(self, caster.name, report)
            if not (anyway and report.can_start_anyway):
                self.event_log.emit(
                    "start_held",
                    caster_id=caster.caster_id,
                    failed=[i.check for i in report.failed],
                )
                return
        # The caster as listed now (its status may have changed while the check ran).
        self._start(self.casters.model.caster_by_id(caster.caster_id) or caster, confirmed=True)

    def _start(self, caster: Caster | None, *, confirmed: bool = False) -> None:
        self.casters.start(caster, lambda c: confirmed or self._confirm_expired(self, c.name))

    def stop_selected(self) -> None:
        """Confirm (naming the caster), then StopCaster on a worker."""
        if not self._shutting_down:
            self.casters.stop(
                self.caster_list.selected_caster(), lambda c: self._confirm_stop(self, c.name)
            )

    # --- directing: PVW, Take, Undo, Standby (see DirectingView) ---------------------------------

    def take(self) -> None:
        """Take / Ctrl+T / Space: one CopyCasterSceneConfig; ignored while one is in flight."""
        self.directing_view.take()

    # --- the one place errors are shown ---------------------------------------------------------

    def show_problem(self, problem: Problem) -> None:
        """Plain words, the fix and the RequestId in the inline banner; details to the log."""
        self._problem_caster = problem.caster_id
        if problem.error is None:
            self.banner.show_info(problem.context, problem.describe, problem.origin)
            return
        self.show_error(problem.context, problem.error, problem.origin)

    def show_error(self, context: TextSource, error: BaseException, origin: str = "") -> None:
        """``context`` ("Could not start “X”") may be a callable so that it is worded again when
        the language changes; the explanation itself follows the UI language.
        """
        from app.ui.errors import describe_error, record_error  # noqa: PLC0415  (loaded by now)

        info = record_error(self.event_log.emit, context() if callable(context) else context, error)
        if self._shutting_down:
            return
        if self.stack.currentWidget() is not self.main_page:
            self.stack.setCurrentWidget(self.main_page)
        self.banner.show_info(context, lambda: describe_error(error), origin)
        if info.request_id:
            self.status.show_request_id(info.request_id)

    def on_unhandled_error(self, job: str, error: BaseException) -> None:
        # The job's name is for the log only: the user sees the error's own words.
        log.warning("job %s failed without a handler: %s", job, type(error).__name__)
        self.show_error("", error, job)

    # --- other actions -----------------------------------------------------------------------------

    @property
    def shutting_down(self) -> bool:
        return self._shutting_down

    def update_actions(self) -> None:
        if not self.content_ready:
            return
        commands, casters = self.commands, self.casters
        caster = self.caster_list.selected_caster()
        ready = casters.ready and not self._shutting_down
        starting = self.start_pending
        checking = self.preflight.running
        commands.start_action.setEnabled(ready and casters.can_start(caster) and not checking)
        being_started = casters.starting_caster or self.preflight.running_caster
        commands.show_starting(being_started.name if being_started is not None else None)
        self.panels.show_starting(being_started.name if being_started is not None else None)
        if casters.shown_caster_id is None and being_started is None:
            self.panels.show_nothing_shown(casters.model.streaming_count)
        self.toolbar.start_busy_action.setVisible(starting)
        commands.stop_action.setEnabled(ready and casters.can_stop(caster))
        commands.refresh_action.setEnabled(ready)
        commands.copy_pgm_action.setEnabled(casters.shown_caster_id is not None)
        self.outputs_view.update_actions()

    def focus_filter(self) -> None:
        if self.stack.currentWidget() is self.main_page:
            self.caster_list.focus_filter()

    def copy_all_pgm(self) -> None:
        """Ctrl+Shift+C: the PGM monitor and every PGM output URL, one a line."""
        if self.casters.shown_caster_id is None:
            self.statusBar().showMessage(
                self.tr("Nothing to copy yet: start or select a live caster."), 4000
            )
            return
        self.panels.copy_pgm_urls()

    def _on_copied(self, text: str) -> None:
        # One signed URL copied: it goes bare (it must play when pasted); its expiry is said here.
        note = self.outputs_view.expiry_note(QGuiApplication.clipboard().text())
        self.statusBar().showMessage(text + note, 3000 if not note else 6000)

    def _on_request_id_copied(self, request_id: str) -> None:
        self._on_copied(self.tr("Copied RequestId {0}").format(request_id))
