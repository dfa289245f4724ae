"""The window's commands as QActions and the menu bar: names, shortcuts and tooltips.

The toolbar shows some of these too; :class:`CommandActions` builds and words them. The View
menu's language and theme choices are applied and remembered here too.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QMenuBar, QWidget

from app.ui import i18n, theme
from app.ui.settings import Settings

# The event lengths offered (hours): URLs that expire before the event ends are flagged.
EVENT_HOURS = (1.0, 2.0, 4.0, 8.0, 12.0, 24.0)


def name_action(action: QAction, text: str, tip: str) -> None:
    """Text, tooltip (with the shortcut, in the platform's spelling) and status tip."""
    action.setText(text)
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{tip} ({keys})" if keys else tip)
    action.setStatusTip(tip)


class KeepSpace(QObject):
    """Lets a widget keep the Space key for itself (the caster list selects with it), so that
    the window's Space shortcut (Take) does not fire while that widget has the focus."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            plain = event.modifiers() == Qt.KeyboardModifier.NoModifier
            if plain and event.key() == Qt.Key.Key_Space:
                event.accept()  # the key goes to the widget, not to the shortcut
        return False


def keep_space(widget: QWidget) -> KeepSpace:
    """Install :class:`KeepSpace` on ``widget`` (owned by it)."""
    keeper = KeepSpace(widget)
    widget.installEventFilter(keeper)
    return keeper


class CommandActions(QObject):
    """Every command of the main window. The window connects ``triggered`` to its slots."""

    def __init__(self, settings: Settings, parent: QObject) -> None:
        super().__init__(parent)
        self._settings = settings
        self._menus_built = False
        self.refresh_action = self._action("refreshAction", "Ctrl+R")
        self.start_action = self._action("startAction", "Ctrl+Return")
        self.stop_action = self._action("stopAction", None)
        self.find_action = self._action("findAction", "Ctrl+F")
        self.copy_pgm_action = self._action("copyPgmAction", "Ctrl+Shift+C")
        self.accounts_action = self._action("accountsAction", None)
        self.quit_action = self._action("quitAction", "Ctrl+Q")
        # Directing. Take: Ctrl+T, and Space as in OBS (except where Space types or selects).
        self.take_action = self._action("takeAction", "Ctrl+T")
        self.take_action.setShortcuts([QKeySequence("Ctrl+T"), QKeySequence(Qt.Key.Key_Space)])
        self.undo_take_action = self._action("undoTakeAction", "Ctrl+Z")
        self.standby_action = self._action("standbyAction", None)
        # Output confidence: the playability matrix, fresh URLs and the hand-off pack.
        self.check_outputs_action = self._action("checkOutputsAction", "Ctrl+K")
        self.refresh_urls_action = self._action("refreshUrlsAction", None)
        self.handoff_action = self._action("handoffAction", "Ctrl+Shift+H")
        self.event_hours_group = QActionGroup(self)
        self.event_hours_actions: dict[float, QAction] = {}
        for hours in EVENT_HOURS:
            action = QAction(self.event_hours_group)
            action.setCheckable(True)
            action.setData(hours)
            action.setObjectName(f"eventHours_{hours:g}")
            self.event_hours_actions[hours] = action
        self.log_folder_action = self._action("logFolderAction", None)
        self.about_action = self._action("aboutAction", None)
        for action in (
            self.refresh_action,
            self.start_action,
            self.find_action,
            self.copy_pgm_action,
            self.take_action,
            self.undo_take_action,
            self.check_outputs_action,
            self.handoff_action,
        ):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

        # View → Language and View → Theme: exclusive choices, remembered in the settings.
        self.language_group = QActionGroup(self)
        self.language_actions = self._choices(self.language_group, "language", i18n.CHOICES)
        # Each language is named in itself, so it can be found whatever the UI speaks.
        self.language_actions[i18n.ENGLISH].setText("English")
        self.language_actions[i18n.CHINESE].setText("中文（简体）")
        self.language_group.triggered.connect(self._on_language_chosen)
        self.theme_group = QActionGroup(self)
        self.theme_actions = self._choices(self.theme_group, "theme", theme.CHOICES)
        self.theme_group.triggered.connect(self._on_theme_chosen)
        self.language_actions[i18n.normalize_choice(settings.language())].setChecked(True)
        self.theme_actions[theme.normalize_choice(settings.theme())].setChecked(True)

    def build_menus(self, bar: QMenuBar) -> None:
        """File, Caster, View (with Language and Theme) and Help, titled by :meth:`retranslate`."""
        self.file_menu = bar.addMenu("")
        self.file_menu.addAction(self.accounts_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.caster_menu = bar.addMenu("")
        self.caster_menu.addActions([self.refresh_action, self.start_action, self.stop_action])
        self.caster_menu.addSeparator()
        self.caster_menu.addAction(self.copy_pgm_action)
        self.caster_menu.addSeparator()
        self.caster_menu.addActions([self.take_action, self.undo_take_action, self.standby_action])
        self.caster_menu.addSeparator()
        self.caster_menu.addActions(
            [self.check_outputs_action, self.refresh_urls_action, self.handoff_action]
        )
        self.event_hours_menu = self.caster_menu.addMenu("")
        self.event_hours_menu.setObjectName("eventHoursMenu")
        self.event_hours_menu.addActions(self.event_hours_group.actions())
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
        self.help_menu.addActions([self.log_folder_action, self.about_action])
        self._menus_built = True

    def _action(self, name: str, shortcut: str | None) -> QAction:
        """An action without text yet: :meth:`retranslate` names it."""
        action = QAction(self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        return action

    @staticmethod
    def _choices(group: QActionGroup, prefix: str, choices: tuple[str, ...]) -> dict[str, QAction]:
        actions: dict[str, QAction] = {}
        for choice in choices:
            action = QAction(group)
            action.setCheckable(True)
            action.setData(choice)
            action.setObjectName(f"{prefix}_{choice}")
            actions[choice] = action
        return actions

    def retranslate(self, *, starting: str | None = None) -> None:
        """Word every action in the UI's language."""
        name_action(self.refresh_action, self.tr("&Refresh"), self.tr("Reload the caster list"))
        name_action(self.start_action, self.tr("&Start"), self.tr("Start the selected caster"))
        name_action(self.stop_action, self.tr("S&top…"), self.tr("Stop the selected caster"))
        name_action(
            self.find_action, self.tr("&Find caster"), self.tr("Filter the list by name or ID")
        )
        name_action(
            self.copy_pgm_action,
            self.tr("Copy all PGM &URLs"),
            self.tr("Copy every program (PGM) playback URL"),
        )
        name_action(
            self.accounts_action, self.tr("&Accounts…"), self.tr("Add, edit or import accounts")
        )
        name_action(self.quit_action, self.tr("&Quit"), self.tr("Quit Caster Desk"))
        name_action(
            self.take_action,
            self.tr("&Take"),
            self.tr(
                "Put the preview (PVW) on air: PVW's layout goes to PGM. Space takes too, "
                "except in the caster list and text fields"
            ),
        )
        self.show_undo(0, "")
        name_action(
            self.standby_action,
            self.tr("Stand&by…"),
            self.tr(
                "Cut PGM to the standby video (asks first). The API cannot report standby, so "
                "Caster Desk remembers it itself; the next Take leaves it."
            ),
        )
        name_action(
            self.log_folder_action, self.tr("Open &log folder"), self.tr("Show the event log files")
        )
        name_action(
            self.about_action, self.tr("&About Caster Desk"), self.tr("Version and credits")
        )
        name_action(
            self.check_outputs_action,
            self.tr("Chec&k outputs"),
            self.tr("Probe every URL of the shown caster: does it play, at what size, with sound"),
        )
        name_action(
            self.refresh_urls_action,
            self.tr("Re&fresh URLs"),
            self.tr("Fetch freshly signed URLs (the old ones expire)"),
        )
        name_action(
            self.handoff_action,
            self.tr("&Hand off…"),
            self.tr("Chat text, JSON, CSV and QR codes of every URL, to copy or save"),
        )
        for hours, action in self.event_hours_actions.items():
            action.setText(self.tr("{0} h").format(f"{hours:g}"))
        self.language_actions[i18n.SYSTEM].setText(self.tr("Follow the &system"))
        self.theme_actions[theme.SYSTEM].setText(self.tr("Follow the &system"))
        self.theme_actions[theme.LIGHT].setText(self.tr("&Light"))
        self.theme_actions[theme.DARK].setText(self.tr("&Dark"))
        self.show_starting(starting)
        if self._menus_built:
            self.file_menu.setTitle(self.tr("&File"))
            self.caster_menu.setTitle(self.tr("&Caster"))
            self.view_menu.setTitle(self.tr("&View"))
            self.language_menu.setTitle(self.tr("&Language"))
            self.theme_menu.setTitle(self.tr("&Theme"))
            self.event_hours_menu.setTitle(self.tr("&Event length"))
            self.help_menu.setTitle(self.tr("&Help"))

    def show_undo(self, seconds: int, layout: str) -> None:
        """Word Undo: with the layout it brings back and the seconds the offer still stands."""
        if seconds > 0:
            text = self.tr("&Undo ({0} s)").format(seconds)
            tip = self.tr("Take “{0}” back to PGM").format(layout)
        else:
            text, tip = self.tr("&Undo"), self.tr("Take the previous layout back to PGM")
        name_action(self.undo_take_action, text, tip)

    def show_starting(self, name: str | None) -> None:
        """The Start button names the caster being started (None: not starting)."""
        if name is None:
            self.start_action.setText(self.tr("&Start"))
        else:
            self.start_action.setText(self.tr("Starting “{0}”…").format(name))

    def _on_language_chosen(self, action: QAction) -> None:
        choice = i18n.normalize_choice(str(action.data()))
        self._settings.set_language(choice)
        self._settings.sync()
        i18n.apply_language(choice)

    def _on_theme_chosen(self, action: QAction) -> None:
        choice = theme.normalize_choice(str(action.data()))
        self._settings.set_theme(choice)
        self._settings.sync()
        theme.apply_theme(choice)
