"""Caster Desk's main window: the caster list, Start/Stop, and the PVW/PGM result panels.

Everything that touches the network or the keychain runs on the window's :class:`WorkerPool`;
the GUI thread only reacts to answers. Errors from every job land in :meth:`show_error`, which
puts plain language, the fix and a copyable RequestId in the inline banner.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QPoint,
    Qt,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QGuiApplication,
    QKeySequence,
    QMouseEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.api.client import CallRecord
from app.api.models import Caster, CasterList, CasterPage, CasterStatus, StartResult
from app.api.retry import RetryPolicy
from app.credentials import Accounts, Keychain, ProfileStore
from app.ui import i18n, theme
from app.ui.accounts_dialog import AccountsDialog
from app.ui.caster_list import (
    STATE_ERROR,
    STATE_LOADING,
    STATE_READY,
    CasterListView,
)
from app.ui.caster_model import RANK_PAGE_STRIDE, CasterTableModel
from app.ui.event_log import EventLog, default_log_dir
from app.ui.result_panels import ResultPanels
from app.ui.session import REGIONS, SANDBOX_PROFILE, Connection, Session
from app.ui.settings import Settings
from app.ui.theme import error_banner_style, is_dark_palette
from app.ui.welcome import WelcomeView
from app.ui.workers import ErrorInfo, WorkerPool, describe_error

if TYPE_CHECKING:
    from app.sandbox import Sandbox

log = logging.getLogger("casterdesk.ui.window")

REFRESH_INTERVAL_MS = 15_000
ConfirmStop = Callable[[QWidget, str], bool]


def confirm_stop_dialog(parent: QWidget, caster_name: str) -> bool:
    """Ask before stopping: name the caster and say that the live output ends."""

    translate = QCoreApplication.translate
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(translate("MainWindow", "Stop caster"))
    box.setText(translate("MainWindow", "Stop “{0}”?").format(caster_name))
    box.setInformativeText(
        translate(
            "MainWindow",
            "The live output will end: PGM and every playback URL stop for all viewers.",
        )
    )
    stop = box.addButton(
        translate("MainWindow", "Stop caster"), QMessageBox.ButtonRole.DestructiveRole
    )
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is stop


class _PageRelay(QObject):
    """Carries pages from the fetch's threads to the GUI thread."""

    page = Signal(int, int, object)  # generation, page number, CasterPage

    def send(self, generation: int, page_num: int, page: CasterPage) -> None:
        with contextlib.suppress(RuntimeError):  # RuntimeError: the window is gone
            self.page.emit(generation, page_num, page)


class ClickToCopyLabel(QLabel):
    """A status-bar label whose text is copied on click or from its context menu."""

    copied = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = ""
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)

    def set_value(self, value: str, shown: str) -> None:
        self.value = value
        self.setText(shown)

    def copy(self) -> None:
        if self.value:
            QGuiApplication.clipboard().setText(self.value)
            self.copied.emit(self.value)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.copy()
        super().mousePressEvent(event)

    def _menu(self, position: QPoint) -> None:
        if not self.value:
            return
        menu = QMenu(self)
        menu.addAction(self.tr("Copy RequestId"), self.copy)
        menu.exec(self.mapToGlobal(position))


TextSource = str | Callable[[], str]
InfoSource = ErrorInfo | Callable[[], ErrorInfo]


def _evaluate(source: Any) -> Any:
    return source() if callable(source) else source


class ErrorBanner(QFrame):
    """The inline error: what happened, what to do, and the RequestId with a Copy button.

    It keeps what it was given as callables where it can, so that a language switch re-words
    the error that is on screen (the explanation tables have English and Chinese).
    """

    copied = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._dark: bool | None = None
        self._apply_theme()
        theme.controller().changed.connect(self._apply_theme)
        self.info: ErrorInfo | None = None
        self._context: TextSource = ""
        self._source: InfoSource | None = None
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("errorSummary")
        self.summary_label.setWordWrap(True)
        font = self.summary_label.font()
        font.setBold(True)
        self.summary_label.setFont(font)
        self.fix_label = QLabel(self)
        self.fix_label.setObjectName("errorFix")
        self.fix_label.setWordWrap(True)
        self.detail_label = QLabel(self)
        self.detail_label.setObjectName("errorDetail")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.request_label = QLabel(self)
        self.request_label.setObjectName("errorRequestId")
        self.request_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = QPushButton(self)
        self.copy_button.setObjectName("copyRequestId")
        self.dismiss_button = QPushButton(self)
        self.dismiss_button.setObjectName("dismissError")
        text = QVBoxLayout()
        text.addWidget(self.summary_label)
        text.addWidget(self.fix_label)
        text.addWidget(self.detail_label)
        request_row = QHBoxLayout()
        request_row.addWidget(self.request_label)
        request_row.addWidget(self.copy_button)
        request_row.addStretch(1)
        text.addLayout(request_row)
        layout = QHBoxLayout(self)
        layout.addLayout(text, 1)
        layout.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)
        self.copy_button.clicked.connect(self.copy_request_id)
        self.dismiss_button.clicked.connect(self.dismiss)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.copy_button.setText(self.tr("Copy RequestId"))
        self.dismiss_button.setText(self.tr("Dismiss"))
        if self._source is not None:
            self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _apply_theme(self, _theme: str = "") -> None:
        dark = is_dark_palette(QGuiApplication.palette())
        if dark != self._dark:
            self._dark = dark
            self.setStyleSheet(error_banner_style(dark))

    def show_info(self, context: TextSource, info: InfoSource) -> None:
        """Show an error. Either argument may be a callable, re-run on a language switch."""
        self._context = context
        self._source = info
        self._render()
        self.show()

    def _render(self) -> None:
        info: ErrorInfo = _evaluate(self._source)
        context: str = _evaluate(self._context)
        self.info = info
        self.summary_label.setText(f"{context}: {info.summary}" if context else info.summary)
        self.fix_label.setText(info.fix)
        self.fix_label.setVisible(bool(info.fix))
        self.detail_label.setText(info.detail)
        self.detail_label.setVisible(bool(info.detail))
        has_id = bool(info.request_id)
        self.request_label.setText(self.tr("RequestId: {0}").format(info.request_id or ""))
        self.request_label.setVisible(has_id)
        self.copy_button.setVisible(has_id)

    def text(self) -> str:
        """Everything the banner says (for tests and accessibility)."""
        parts = [self.summary_label.text(), self.fix_label.text(), self.detail_label.text()]
        if self.info and self.info.request_id:
            parts.append(self.request_label.text())
        return "\n".join(p for p in parts if p)

    def copy_request_id(self) -> None:
        if self.info and self.info.request_id:
            QGuiApplication.clipboard().setText(self.info.request_id)
            self.copied.emit(self.info.request_id)

    def dismiss(self) -> None:
        self.info = None
        self._source = None
        self._context = ""
        self.hide()


class MainWindow(QMainWindow):
    """The director's window. All collaborators can be injected (tests pass the sandbox,
    an isolated settings file, a short API timeout and an auto-accepting Stop confirmation).
    """

    shutdown_finished = Signal()
    casters_loaded = Signal(int)
    start_finished = Signal(bool)  # True on success
    stop_finished = Signal(bool)
    urls_shown = Signal(str)  # caster id whose URLs the panels show

    def __init__(
        self,
        *,
        settings: Settings | None = None,
        event_log: EventLog | None = None,
        sandbox: Sandbox | None = None,
        sandbox_factory: Callable[[], Sandbox] | None = None,
        profile: str | None = None,
        region: str | None = None,
        api_timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
        store: ProfileStore | None = None,
        keychain: Keychain | None = None,
        confirm_stop: ConfirmStop = confirm_stop_dialog,
        refresh_interval_ms: int = REFRESH_INTERVAL_MS,
        app_started_at: float | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.settings = settings if settings is not None else Settings()
        self.event_log = event_log if event_log is not None else EventLog(None)
        self._confirm_stop = confirm_stop
        self._app_started_at = app_started_at if app_started_at is not None else time.monotonic()
        self._requested_profile = profile
        self._requested_region = region
        self._shown_once = False
        self._shutting_down = False
        self.shutdown_complete = False

        self.pool = WorkerPool(self)
        self.pool.unhandled_error.connect(self.show_error)
        store = store if store is not None else ProfileStore()
        keychain = keychain if keychain is not None else Keychain()
        self.accounts = Accounts(store, keychain)
        self.session = Session(
            self.pool,
            timeout=api_timeout,
            retry=retry,
            store=store,
            keychain=keychain,
            sandbox=sandbox,
            sandbox_factory=sandbox_factory,
            parent=self,
        )
        self._page_relay = _PageRelay(self)
        self._page_relay.page.connect(self._on_page)

        # State of the running jobs.
        self._refresh_generation: int | None = None
        self._refresh_started = 0.0
        self._loaded_once = False
        self._start_in_flight: str | None = None
        self._stop_in_flight: str | None = None
        self._url_request: str | None = None
        self._shown_id: str | None = None
        self.last_result: StartResult | None = None
        self._pending_select: str | None = self.settings.selected_caster()
        self._profiles: list[str] = []
        self._banner_from_refresh = False
        self.accounts_dialog: AccountsDialog | None = None
        self._profile_status: tuple[str, str | None] = ("none", None)
        self._last_call: CallRecord | None = None

        self._build_actions()
        self._build_ui()
        self._build_menus()
        self._build_status_bar()
        self.retranslate()
        self._restore_layout()
        self._connect()

        self.refresh_timer = QTimer(self)
        self.refresh_timer.setObjectName("autoRefresh")
        self.refresh_timer.setInterval(refresh_interval_ms)
        self.refresh_timer.timeout.connect(self._auto_refresh)

        self._update_actions()
        self.load_profiles(initial=True)

    # --- construction ------------------------------------------------------------------------

    def _action(
        self, name: str, shortcut: QKeySequence | str | None, slot: Callable[[], Any]
    ) -> QAction:
        """An action without text yet: :meth:`retranslate` names it."""
        action = QAction(self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    @staticmethod
    def _name_action(action: QAction, text: str, tip: str) -> None:
        """Text, tooltip (with the shortcut, in the platform's spelling) and status tip."""
        action.setText(text)
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
        action.setStatusTip(tip)

    def _build_actions(self) -> None:
        self.refresh_action = self._action("refreshAction", "Ctrl+R", self.refresh_now)
        self.start_action = self._action("startAction", "Ctrl+Return", self.start_selected)
        self.stop_action = self._action("stopAction", None, self.stop_selected)
        self.find_action = self._action("findAction", "Ctrl+F", self.focus_filter)
        self.copy_pgm_action = self._action("copyPgmAction", "Ctrl+Shift+C", self.copy_all_pgm)
        self.accounts_action = self._action("accountsAction", None, self.open_accounts)
        self.quit_action = self._action("quitAction", "Ctrl+Q", self.close)
        self.log_folder_action = self._action("logFolderAction", None, self.open_log_folder)
        self.about_action = self._action("aboutAction", None, self.show_about)
        for action in (
            self.refresh_action,
            self.start_action,
            self.find_action,
            self.copy_pgm_action,
        ):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addActions([self.find_action, self.quit_action])

        # View → Language and View → Theme: exclusive choices, remembered in the settings.
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for choice in i18n.CHOICES:
            action = QAction(self.language_group)
            action.setCheckable(True)
            action.setData(choice)
            action.setObjectName(f"language_{choice}")
            self.language_actions[choice] = action
        # Each language is named in itself, so it can be found whatever the UI speaks.
        self.language_actions[i18n.ENGLISH].setText("English")
        self.language_actions[i18n.CHINESE].setText("中文（简体）")
        self.language_group.triggered.connect(self._on_language_chosen)
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for choice in theme.CHOICES:
            action = QAction(self.theme_group)
            action.setCheckable(True)
            action.setData(choice)
            action.setObjectName(f"theme_{choice}")
            self.theme_actions[choice] = action
        self.theme_group.triggered.connect(self._on_theme_chosen)
        self.language_actions[i18n.normalize_choice(self.settings.language())].setChecked(True)
        self.theme_actions[theme.normalize_choice(self.settings.theme())].setChecked(True)

    def _build_ui(self) -> None:
        toolbar = QToolBar(self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        self.toolbar = toolbar
        self.profile_combo = QComboBox(self)
        self.profile_combo.setObjectName("profileCombo")
        self.profile_combo.setMinimumContentsLength(16)
        self.profile_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.region_combo = QComboBox(self)
        self.region_combo.setObjectName("regionCombo")
        self.region_combo.setEditable(True)
        self.region_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.region_combo.addItems(list(REGIONS))
        self.region_combo.setCurrentIndex(-1)
        self.account_caption = QLabel(self)
        self.account_caption.setObjectName("accountCaption")
        self.region_caption = QLabel(self)
        self.region_caption.setObjectName("regionCaption")
        for caption in (self.account_caption, self.region_caption):
            caption.setContentsMargins(6, 0, 4, 0)
        self.account_caption.setBuddy(self.profile_combo)
        self.region_caption.setBuddy(self.region_combo)
        toolbar.addWidget(self.account_caption)
        toolbar.addWidget(self.profile_combo)
        toolbar.addWidget(self.region_caption)
        toolbar.addWidget(self.region_combo)
        toolbar.addSeparator()
        toolbar.addAction(self.refresh_action)
        toolbar.addAction(self.start_action)
        self.start_busy = QProgressBar(self)
        self.start_busy.setObjectName("startBusy")
        self.start_busy.setRange(0, 0)  # indeterminate: "working"
        self.start_busy.setMaximumWidth(70)
        self.start_busy.setTextVisible(False)
        self.start_busy_action = toolbar.addWidget(self.start_busy)
        self.start_busy_action.setVisible(False)
        toolbar.addAction(self.stop_action)
        self.start_button = toolbar.widgetForAction(self.start_action)

        self.welcome = WelcomeView(self)
        self.model = CasterTableModel(self)
        self.caster_list = CasterListView(self.model, self)
        self.panels = ResultPanels(self)
        self.banner = ErrorBanner(self)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.caster_list)
        self.splitter.addWidget(self.panels)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        main_page = QWidget(self)
        main_layout = QVBoxLayout(main_page)
        main_layout.setContentsMargins(6, 6, 6, 6)
        main_layout.addWidget(self.banner)
        main_layout.addWidget(self.splitter, 1)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(main_page)
        self.main_page = main_page
        self.setCentralWidget(self.stack)
        self.stack.setCurrentWidget(main_page)
        QWidget.setTabOrder(self.profile_combo, self.region_combo)
        QWidget.setTabOrder(self.region_combo, self.caster_list.filter_edit)
        QWidget.setTabOrder(self.caster_list.filter_edit, self.caster_list.status_combo)
        QWidget.setTabOrder(self.caster_list.status_combo, self.caster_list.table)
        QWidget.setTabOrder(self.caster_list.table, self.panels)
        self.resize(1280, 860)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addAction(self.accounts_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.caster_menu = bar.addMenu("")
        self.caster_menu.addAction(self.refresh_action)
        self.caster_menu.addAction(self.start_action)
        self.caster_menu.addAction(self.stop_action)
        self.caster_menu.addSeparator()
        self.caster_menu.addAction(self.copy_pgm_action)
        self.view_menu = bar.addMenu("")
        self.view_menu.addAction(self.find_action)
        self.view_menu.addSeparator()
        self.language_menu = self.view_menu.addMenu("")
        self.language_menu.setObjectName("languageMenu")
        self.language_menu.addActions(self.language_group.actions())
        self.theme_menu = self.view_menu.addMenu("")
        self.theme_menu.setObjectName("themeMenu")
        self.theme_menu.addActions(self.theme_group.actions())
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.log_folder_action)
        self.help_menu.addAction(self.about_action)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.profile_label = QLabel(self)
        self.profile_label.setObjectName("statusProfile")
        self.endpoint_label = QLabel("", self)
        self.endpoint_label.setObjectName("statusEndpoint")
        self.request_id_label = ClickToCopyLabel(self)
        self.request_id_label.setObjectName("statusRequestId")
        self.latency_label = QLabel("", self)
        self.latency_label.setObjectName("statusLatency")
        for widget in (
            self.profile_label,
            self.endpoint_label,
            self.request_id_label,
            self.latency_label,
        ):
            widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
            bar.addPermanentWidget(widget)

    # --- language and theme --------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every text of the window (at start, and again when the language changes)."""
        self.setWindowTitle(self.tr("Caster Desk"))
        self._name_action(
            self.refresh_action, self.tr("&Refresh"), self.tr("Reload the caster list")
        )
        self._name_action(
            self.start_action, self.tr("&Start"), self.tr("Start the selected caster")
        )
        self._name_action(self.stop_action, self.tr("S&top…"), self.tr("Stop the selected caster"))
        self._name_action(
            self.find_action, self.tr("&Find caster"), self.tr("Filter the list by name or ID")
        )
        self._name_action(
            self.copy_pgm_action,
            self.tr("Copy all PGM &URLs"),
            self.tr("Copy every program (PGM) playback URL"),
        )
        self._name_action(
            self.accounts_action, self.tr("&Accounts…"), self.tr("Add, edit or import accounts")
        )
        self._name_action(self.quit_action, self.tr("&Quit"), self.tr("Quit Caster Desk"))
        self._name_action(
            self.log_folder_action,
            self.tr("Open &log folder"),
            self.tr("Show the event log files"),
        )
        self._name_action(
            self.about_action, self.tr("&About Caster Desk"), self.tr("Version and credits")
        )
        self.language_actions[i18n.SYSTEM].setText(self.tr("Follow the &system"))
        self.theme_actions[theme.SYSTEM].setText(self.tr("Follow the &system"))
        self.theme_actions[theme.LIGHT].setText(self.tr("&Light"))
        self.theme_actions[theme.DARK].setText(self.tr("&Dark"))

        self.toolbar.setWindowTitle(self.tr("Main"))
        self.profile_combo.setAccessibleName(self.tr("Account"))
        self.profile_combo.setToolTip(
            self.tr("Account (profile) to use; the sandbox is a local demo")
        )
        self.region_combo.setAccessibleName(self.tr("Region"))
        line = self.region_combo.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.tr("custom…"))
        self.region_combo.setToolTip(
            self.tr("Region: pick one, or type a custom region ID and press Enter")
        )
        self.account_caption.setText(self.tr("&Account:"))
        self.region_caption.setText(self.tr("Re&gion:"))
        sandbox_index = self.profile_combo.findData(SANDBOX_PROFILE)
        if sandbox_index >= 0:
            self.profile_combo.setItemText(sandbox_index, self.tr("Sandbox (local demo)"))

        self.file_menu.setTitle(self.tr("&File"))
        self.caster_menu.setTitle(self.tr("&Caster"))
        self.view_menu.setTitle(self.tr("&View"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.theme_menu.setTitle(self.tr("&Theme"))
        self.help_menu.setTitle(self.tr("&Help"))

        self.request_id_label.setToolTip(self.tr("Last RequestId: click to copy"))
        self._show_profile_status()
        self._show_last_call()
        self._update_actions()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _on_language_chosen(self, action: QAction) -> None:
        choice = i18n.normalize_choice(str(action.data()))
        self.settings.set_language(choice)
        self.settings.sync()
        i18n.apply_language(choice)

    def _on_theme_chosen(self, action: QAction) -> None:
        choice = theme.normalize_choice(str(action.data()))
        self.settings.set_theme(choice)
        self.settings.sync()
        theme.apply_theme(choice)

    def _restore_layout(self) -> None:
        geometry = self.settings.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.window_state()
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.splitter("main")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        header = self.settings.header_state()
        if header is not None:
            self.caster_list.table.horizontalHeader().restoreState(header)
        status = self.settings.status_filter()
        if status in ("0", "1"):
            self.caster_list.set_status_filter(int(status))

    def save_layout(self) -> None:
        """Write geometry, splitters, header, profile, region and selection to QSettings."""
        self.settings.set_geometry(self.saveGeometry())
        self.settings.set_window_state(self.saveState())
        self.settings.set_splitter("main", self.splitter.saveState())
        self.settings.set_header_state(self.caster_list.table.horizontalHeader().saveState())
        status = self.caster_list.status_combo.currentData()
        self.settings.set_status_filter(None if status is None else str(status))
        if self.session.profile is not None:
            self.settings.set_last_profile(self.session.profile)
        region = self.session.region_id or self.region_combo.currentText().strip()
        self.settings.set_region(region or None)
        selected = self.caster_list.selected_caster()
        if selected is not None:
            self.settings.set_selected_caster(selected.caster_id)
        self.settings.sync()

    def _connect(self) -> None:
        self.welcome.add_account_requested.connect(lambda: self.open_accounts(new=True))
        self.welcome.sandbox_requested.connect(self.use_sandbox)
        self.profile_combo.activated.connect(self._on_profile_chosen)
        self.region_combo.activated.connect(lambda _i: self._on_region_chosen())
        line = self.region_combo.lineEdit()
        if line is not None:
            line.returnPressed.connect(self._on_region_chosen)
        self.caster_list.current_changed.connect(self._on_current_caster)
        self.caster_list.selection_changed.connect(self._update_actions)
        self.session.ready.connect(self._on_session_ready)
        self.session.failed.connect(self._on_session_failed)
        self.session.state_changed.connect(lambda _s: self._update_actions())
        self.session.call_recorded.connect(self._on_call)
        self.panels.copied.connect(self._on_copied)
        self.panels.event.connect(self._on_panel_event)
        self.banner.copied.connect(
            lambda rid: self._on_copied(self.tr("Copied RequestId {0}").format(rid))
        )
        self.request_id_label.copied.connect(
            lambda rid: self._on_copied(self.tr("Copied RequestId {0}").format(rid))
        )

    # --- events --------------------------------------------------------------------------------

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
        self.begin_shutdown()

    def begin_shutdown(self) -> None:
        """Save state, stop timers and players, close the client, then drain the pool.

        Never blocks: :attr:`shutdown_finished` fires once the last running job has ended (an
        in-flight request ends at the latest when its timeout expires).
        """
        if self._shutting_down:
            return
        self._shutting_down = True
        try:
            self.save_layout()
        except Exception:  # saving the layout must never keep the window from closing
            log.exception("could not save the window layout")
        self.refresh_timer.stop()
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
        self.session.stop_owned_sandbox()
        self.shutdown_complete = True
        self.event_log.emit("window_closed")
        self.shutdown_finished.emit()
        # close() again, from the event loop (a nested close inside closeEvent is ignored).
        QTimer.singleShot(0, self, self.close)

    # --- profiles and session ---------------------------------------------------------------

    def load_profiles(self, *, initial: bool = False) -> None:
        """Read the profile names (a file) on a worker, then fill the selector."""
        if self._shutting_down:
            return
        store = self.accounts.store
        self.pool.run(
            lambda: (store.names(), store.default_name()),
            name="profiles",
            on_result=lambda result: self._profiles_loaded(result, initial),
        )

    def _profiles_loaded(self, result: tuple[list[str], str | None], initial: bool) -> None:
        names, default = result
        self._profiles = list(names)
        current = self.session.profile
        self.profile_combo.blockSignals(True)
        self.profile_combo.clear()
        for name in names:
            self.profile_combo.addItem(name, name)
        self.profile_combo.addItem(self.tr("Sandbox (local demo)"), SANDBOX_PROFILE)
        self.profile_combo.blockSignals(False)
        if not initial:
            if current is not None:
                self._show_profile_in_combo(current)
            elif names:
                self.open_profile(default or names[0])
            return
        remembered = self.settings.last_profile()
        wanted = self._requested_profile
        region = self._requested_region
        if (
            wanted is None
            and remembered is not None
            and (remembered == SANDBOX_PROFILE or remembered in names)
        ):
            wanted = remembered
            region = region or self.settings.region()
        if wanted is None and names:
            wanted = default or names[0]
        if wanted is None:
            self.show_welcome()
            return
        self.open_profile(wanted, region)

    def show_welcome(self) -> None:
        self.stack.setCurrentWidget(self.welcome)
        self.profile_combo.setCurrentIndex(-1)
        self._update_actions()

    @property
    def welcome_visible(self) -> bool:
        return self.stack.currentWidget() is self.welcome

    def use_sandbox(self) -> None:
        """Sign in to the embedded sandbox (starting it on a worker if needed)."""
        self.open_profile(SANDBOX_PROFILE)

    def _show_profile_in_combo(self, profile: str) -> None:
        index = self.profile_combo.findData(profile)
        if index < 0 and profile != SANDBOX_PROFILE:
            self.profile_combo.addItem(profile, profile)
            index = self.profile_combo.count() - 1
        self.profile_combo.setCurrentIndex(index)

    def open_profile(self, profile: str, region: str | None = None) -> None:
        """Switch account (or the sandbox) and reload everything for it."""
        self.stack.setCurrentWidget(self.main_page)
        self._show_profile_in_combo(profile)
        self._reset_for_new_connection()
        self._set_profile_status("connecting", profile)
        self.settings.set_last_profile(profile)
        self.session.open(profile, region)
        self._update_actions()

    def _set_profile_status(self, status: str, profile: str | None) -> None:
        self._profile_status = (status, profile)
        self._show_profile_status()

    def _show_profile_status(self) -> None:
        status, profile = self._profile_status
        if status == "connecting":
            text = self.tr("Connecting to {0}…").format(self._profile_title(profile))
        elif status == "ready":
            text = self.tr("Account: {0}").format(self._profile_title(profile))
        else:
            text = self.tr("Not connected")
        self.profile_label.setText(text)

    def _profile_title(self, profile: str | None) -> str:
        if profile == SANDBOX_PROFILE:
            return self.tr("Sandbox")
        return profile or self.tr("no account")

    def _reset_for_new_connection(self) -> None:
        self.refresh_timer.stop()
        self._refresh_generation = None
        self._loaded_once = False
        self._url_request = None
        self._shown_id = None
        self.last_result = None
        self.banner.dismiss()
        self.model.clear()
        self.panels.clear()
        self.caster_list.set_state(STATE_LOADING)
        self.endpoint_label.setText("")

    def _on_profile_chosen(self, index: int) -> None:
        profile = self.profile_combo.itemData(index)
        if profile is None or profile == self.session.profile:
            return
        self._pending_select = None
        self.open_profile(str(profile))

    def _on_region_chosen(self) -> None:
        region = self.region_combo.currentText().strip()
        if not region or region == self.session.region_id or self.session.profile is None:
            return
        self._pending_select = None
        self._reset_for_new_connection()
        self.settings.set_region(region)
        self.session.set_region(region)
        self._update_actions()

    def _on_session_ready(self, connection: Connection) -> None:
        self._set_profile_status("ready", connection.profile)
        self.endpoint_label.setText(connection.endpoint)
        self.region_combo.setCurrentText(connection.region_id)
        self.settings.set_region(connection.region_id)
        self.event_log.emit(
            "session_ready",
            profile=self._profile_title(connection.profile),
            source=connection.source,
            region=connection.region_id,
            endpoint=connection.endpoint,
        )
        self._update_actions()
        self.refresh()
        self.refresh_timer.start()

    def _on_session_failed(self, error: BaseException) -> None:
        info = describe_error(error)
        self._set_profile_status("none", None)
        self.caster_list.set_state(STATE_ERROR, info.summary)
        self.show_error(lambda: self.tr("Could not sign in"), error)
        self._update_actions()

    def _on_call(self, record: CallRecord) -> None:
        self._last_call = record
        if record.request_id:
            self.request_id_label.set_value(record.request_id, record.request_id)
        self._show_last_call()

    def _show_last_call(self) -> None:
        """Status bar: the last RequestId and the API latency, in the UI's language."""
        value = self.request_id_label.value
        if value:
            self.request_id_label.setText(self.tr("RequestId {0}").format(value))
        record = self._last_call
        if record is None:
            self.latency_label.setText("")
            return
        ms = i18n.ui_locale().toString(float(record.elapsed_ms), "f", 0)
        self.latency_label.setText(self.tr("{0}: {1} ms").format(record.action, ms))

    # --- refreshing -------------------------------------------------------------------------------

    def refresh_now(self) -> None:
        """Ctrl+R: refresh now (or say why not)."""
        if self._ready_connection() is not None:
            self.refresh()

    def _auto_refresh(self) -> None:
        if self.isMinimized():
            return
        self.refresh()

    @property
    def refresh_running(self) -> bool:
        return self._refresh_generation is not None

    def refresh(self) -> bool:
        """Fetch every page of casters on a worker. Skipped while one is running."""
        connection = self.session.connection
        if connection is None or self._shutting_down or self.refresh_running:
            return False
        generation = connection.generation
        self._refresh_generation = generation
        self._refresh_started = time.monotonic()
        if self.model.rowCount() == 0:
            self.caster_list.set_state(STATE_LOADING)
        relay = self._page_relay
        client = connection.client

        def fetch() -> CasterList:
            return client.describe_all_casters(
                on_page=lambda number, page: relay.send(generation, number, page)
            )

        self.pool.run(
            fetch,
            name="refresh",
            on_result=lambda result: self._on_refreshed(generation, result),
            on_error=lambda error: self._on_refresh_failed(generation, error),
        )
        return True

    def _on_page(self, generation: int, page_num: int, page: CasterPage) -> None:
        if not self.session.is_current(generation) or self._refresh_generation != generation:
            return
        self.model.merge(page.casters, rank_base=page_num * RANK_PAGE_STRIDE)
        if page_num == 1 and not self._loaded_once:
            self.caster_list.set_state(STATE_LOADING)
        self._select_pending()

    def _on_refreshed(self, generation: int, result: CasterList) -> None:
        if self._refresh_generation == generation:
            self._refresh_generation = None
        if not self.session.is_current(generation):
            return
        # The first load takes the API's order; later refreshes keep rows where they are.
        self.model.replace_all(result.casters, reorder=not self._loaded_once)
        self.caster_list.set_state(STATE_READY)
        ms = round((time.monotonic() - self._refresh_started) * 1000, 1)
        first = not self._loaded_once
        self._loaded_once = True
        self.event_log.emit(
            "casters_loaded",
            count=len(result.casters),
            ms=ms,
            pages=len(result.request_ids),
            first=first,
        )
        if self._banner_from_refresh:
            self.banner.dismiss()
        self._select_pending()
        self._sync_panels_with_selection()
        self._update_actions()
        self.casters_loaded.emit(len(result.casters))

    def _on_refresh_failed(self, generation: int, error: BaseException) -> None:
        if self._refresh_generation == generation:
            self._refresh_generation = None
        if not self.session.is_current(generation):
            return
        info = describe_error(error)
        self.caster_list.set_state(STATE_ERROR, info.summary)
        self.event_log.emit("refresh_failed", code=info.code, request_id=info.request_id)
        self.show_error(lambda: self.tr("Could not load the casters"), error)
        self._banner_from_refresh = True

    def _select_pending(self) -> None:
        if self._pending_select and self.caster_list.select_caster(self._pending_select):
            self._pending_select = None

    # --- selection ----------------------------------------------------------------------------------

    def selected_caster(self) -> Caster | None:
        return self.caster_list.selected_caster()

    def _on_current_caster(self, caster: Caster | None) -> None:
        self._update_actions()
        if caster is None:
            return
        self.settings.set_selected_caster(caster.caster_id)
        if caster.caster_id == self._shown_id:
            return
        if caster.is_streaming:
            self._fetch_urls(caster)
        else:
            self._url_request = None
            if self._shown_id is not None:
                self._shown_id = None
                self.last_result = None
                self.panels.clear()

    def _sync_panels_with_selection(self) -> None:
        """After a refresh: fetch URLs of a selected caster that went live, or show it stopped."""
        caster = self.caster_list.selected_caster()
        if caster is None or self._start_in_flight or self._stop_in_flight:
            return
        if caster.is_streaming and caster.caster_id != self._shown_id:
            if self._url_request != caster.caster_id:
                self._fetch_urls(caster)
        elif not caster.is_streaming and caster.caster_id == self._shown_id:
            self.panels.show_stopped()

    def _fetch_urls(self, caster: Caster) -> None:
        """A streaming caster was selected: DescribeCasterStreamUrl, never StartCaster."""
        connection = self.session.connection
        if connection is None or self._shutting_down:
            return
        caster_id = caster.caster_id
        self._url_request = caster_id
        generation = connection.generation
        client = connection.client
        self.pool.run(
            lambda: client.describe_caster_stream_url(caster_id).as_start_result(),
            name="stream_urls",
            on_result=lambda result: self._on_urls(generation, caster, result),
            on_error=lambda error: self._on_urls_failed(generation, caster_id, error),
        )

    def _on_urls(self, generation: int, caster: Caster, result: StartResult) -> None:
        if self._url_request == caster.caster_id:
            self._url_request = None
        if not self.session.is_current(generation):
            return
        selected = self.caster_list.selected_caster()
        if selected is None or selected.caster_id != caster.caster_id:
            return  # the user moved on
        self._shown_id = caster.caster_id
        self.last_result = result
        self.panels.show_result(caster.name, result, None)
        self.event_log.emit("urls_shown", caster_id=caster.caster_id, request_id=result.request_id)
        self.urls_shown.emit(caster.caster_id)

    def _on_urls_failed(self, generation: int, caster_id: str, error: BaseException) -> None:
        if self._url_request == caster_id:
            self._url_request = None
        if self.session.is_current(generation):
            self.show_error(lambda: self.tr("Could not get the stream URLs"), error)

    # --- start ------------------------------------------------------------------------------------

    @property
    def shown_caster_id(self) -> str | None:
        """The caster whose URLs the panels show (None when they are empty)."""
        return self._shown_id

    @property
    def start_in_flight(self) -> bool:
        return self._start_in_flight is not None

    def _ready_connection(self) -> Connection | None:
        """The session's connection, or None after telling the user why there is none."""
        connection = self.session.connection
        if connection is None:
            self._explain_not_ready()
        return connection

    def _explain_not_ready(self) -> None:
        connecting = self.session.state == "connecting"

        def info() -> ErrorInfo:
            if connecting:
                reason = self.tr("Still connecting to the account. Try again in a moment.")
            else:
                reason = self.tr("No account is connected. Choose an account or try the sandbox.")
            return ErrorInfo(reason, "", None, "not_ready")

        self.banner.show_info("", info)

    def start_selected(self) -> None:
        """Ctrl+Return / Start: validate, then StartCaster on a worker (exactly one request)."""
        if self._start_in_flight is not None or self._shutting_down:
            return
        connection = self._ready_connection()
        if connection is None:
            return
        caster = self.caster_list.selected_caster()
        if caster is None:
            self.banner.show_info(
                "",
                lambda: ErrorInfo(
                    self.tr("Select a caster to start."),
                    self.tr("Click a row in the list (Ctrl+F filters it)."),
                    None,
                    "no_selection",
                ),
            )
            return
        if caster.is_streaming:
            self.statusBar().showMessage(
                self.tr("“{0}” is already streaming: showing its URLs.").format(caster.name), 4000
            )
            if caster.caster_id != self._shown_id:
                self._fetch_urls(caster)
            return
        clicked_at = time.monotonic()
        self._start_in_flight = caster.caster_id
        self.banner.dismiss()
        self._update_actions()
        self.event_log.emit("start_requested", caster_id=caster.caster_id, name=caster.name)
        generation = connection.generation
        client = connection.client
        self.pool.run(
            client.start_caster,
            caster.caster_id,
            name="start",
            on_result=lambda result: self._on_started(generation, caster, clicked_at, result),
            on_error=lambda error: self._on_start_failed(generation, caster, clicked_at, error),
        )

    def _on_started(
        self, generation: int, caster: Caster, clicked_at: float, result: StartResult
    ) -> None:
        self._start_in_flight = None
        ms = round((time.monotonic() - clicked_at) * 1000, 1)
        self.event_log.emit(
            "start_succeeded",
            ms=ms,
            request_id=result.request_id,
            caster_id=caster.caster_id,
            confirmed_by=result.confirmed_by or None,
        )
        self._update_actions()
        if not self.session.is_current(generation):
            self.start_finished.emit(True)
            return
        self.model.set_status(caster.caster_id, CasterStatus.STREAMING)
        self._shown_id = caster.caster_id
        self._url_request = None
        self.last_result = result
        self.panels.show_result(caster.name, result, clicked_at)
        self.caster_list.select_caster(caster.caster_id)
        self.statusBar().showMessage(self.tr("Started “{0}”.").format(caster.name), 5000)
        self._update_actions()
        self.start_finished.emit(True)
        self.refresh()

    def _on_start_failed(
        self, generation: int, caster: Caster, clicked_at: float, error: BaseException
    ) -> None:
        self._start_in_flight = None
        info = describe_error(error)
        self.event_log.emit(
            "start_failed",
            code=info.code,
            request_id=info.request_id,
            ms=round((time.monotonic() - clicked_at) * 1000, 1),
            caster_id=caster.caster_id,
        )
        self._update_actions()
        if self.session.is_current(generation):
            self.show_error(lambda: self.tr("Could not start “{0}”").format(caster.name), error)
        self.start_finished.emit(False)

    # --- stop -------------------------------------------------------------------------------------

    def stop_selected(self) -> None:
        """Confirm (naming the caster), then StopCaster on a worker."""
        if self._stop_in_flight is not None or self._shutting_down:
            return
        connection = self._ready_connection()
        if connection is None:
            return
        caster = self.caster_list.selected_caster()
        if caster is None or not caster.is_streaming:
            return
        if not self._confirm_stop(self, caster.name):
            return
        self._stop_in_flight = caster.caster_id
        self._update_actions()
        self.event_log.emit("stop_requested", caster_id=caster.caster_id)
        started = time.monotonic()
        generation = connection.generation
        self.pool.run(
            connection.client.stop_caster,
            caster.caster_id,
            name="stop",
            on_result=lambda result: self._on_stopped(generation, caster, started, result),
            on_error=lambda error: self._on_stop_failed(generation, caster, error),
        )

    def _on_stopped(self, generation: int, caster: Caster, started: float, result: Any) -> None:
        self._stop_in_flight = None
        self.event_log.emit(
            "stop_succeeded",
            caster_id=caster.caster_id,
            request_id=getattr(result, "request_id", None),
            ms=round((time.monotonic() - started) * 1000, 1),
        )
        if self.session.is_current(generation):
            self.model.set_status(caster.caster_id, CasterStatus.IDLE)
            if self._shown_id == caster.caster_id:
                self.panels.show_stopped()
            self.statusBar().showMessage(self.tr("Stopped “{0}”.").format(caster.name), 5000)
            self.refresh()
        self._update_actions()
        self.stop_finished.emit(True)

    def _on_stop_failed(self, generation: int, caster: Caster, error: BaseException) -> None:
        self._stop_in_flight = None
        info = describe_error(error)
        self.event_log.emit("stop_failed", code=info.code, request_id=info.request_id)
        self._update_actions()
        if self.session.is_current(generation):
            self.show_error(lambda: self.tr("Could not stop “{0}”").format(caster.name), error)
        self.stop_finished.emit(False)

    # --- the one place errors are shown ---------------------------------------------------------

    def show_error(self, context: TextSource, error: BaseException) -> None:
        """Plain words, the fix and the RequestId in the inline banner; details to the log.

        ``context`` ("Could not start “X”") may be a callable so that it is worded again when
        the language changes; the explanation itself follows the UI language.
        """
        info = describe_error(error, "en")  # the log and the event log stay in English
        context_now = _evaluate(context)
        log.warning(
            "%s: %s (%s, RequestId %s)",
            context_now,
            info.detail or info.summary,
            info.code,
            info.request_id,
        )
        self.event_log.emit(
            "error_shown",
            context=context_now,
            code=info.code,
            request_id=info.request_id,
            summary=info.summary,
        )
        if self._shutting_down:
            return
        if self.stack.currentWidget() is not self.main_page:
            self.stack.setCurrentWidget(self.main_page)
        self.banner.show_info(context, lambda: describe_error(error))
        self._banner_from_refresh = False
        if info.request_id:
            self.request_id_label.set_value(info.request_id, info.request_id)
            self._show_last_call()

    # --- other actions -----------------------------------------------------------------------------

    def _update_actions(self) -> None:
        ready = self.session.connection is not None and not self._shutting_down
        caster = self.caster_list.selected_caster()
        starting = self._start_in_flight is not None
        self.start_action.setEnabled(
            ready and caster is not None and not caster.is_streaming and not starting
        )
        self.start_action.setText(self.tr("Starting…") if starting else self.tr("&Start"))
        self.start_busy_action.setVisible(starting)
        self.stop_action.setEnabled(
            ready and caster is not None and caster.is_streaming and self._stop_in_flight is None
        )
        self.refresh_action.setEnabled(ready)
        self.copy_pgm_action.setEnabled(self._shown_id is not None)

    def focus_filter(self) -> None:
        if self.stack.currentWidget() is self.main_page:
            self.caster_list.focus_filter()

    def copy_all_pgm(self) -> None:
        """Ctrl+Shift+C: the PGM monitor and every PGM output URL, one a line."""
        if self._shown_id is None:
            self.statusBar().showMessage(
                self.tr("Nothing to copy yet: start or select a live caster."), 4000
            )
            return
        self.panels.copy_pgm_urls()

    def _on_copied(self, text: str) -> None:
        self.statusBar().showMessage(text, 3000)

    def _on_panel_event(self, name: str, fields: dict[str, Any]) -> None:
        self.event_log.emit(name, **fields)

    def open_accounts(self, *, new: bool = False) -> AccountsDialog:
        """Show the accounts dialog (window-modal, not blocking)."""
        if self.accounts_dialog is None:
            dialog = AccountsDialog(self.pool, self.accounts, self)
            dialog.profiles_changed.connect(self.load_profiles)
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
        if self.welcome_visible and self._profiles:
            self.open_profile(self._profiles[0])

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

    def open_log_folder(self) -> None:
        path = self.event_log.path.parent if self.event_log.path else default_log_dir()
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About Caster Desk"),
            self.tr(
                "Caster Desk {0}\nA desktop console for ApsaraVideo Live production studios."
            ).format(__version__),
        )
