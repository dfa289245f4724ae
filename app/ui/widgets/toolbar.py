"""The main toolbar: account and region choosers, then Refresh, Start (with a busy bar), Stop."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QProgressBar, QToolBar, QWidget

from app.ui.controllers.session_state import REGIONS, SANDBOX_PROFILE
from app.ui.names import region_label
from app.ui.widgets.account_names import account_title
from app.ui.widgets.actions import CommandActions

if TYPE_CHECKING:
    from app.ui.controllers.session import ProfileList


class MainToolbar(QToolBar):
    """The account (profile) and region combo boxes, and the caster commands.

    Emits :attr:`profile_chosen` and :attr:`region_chosen` when the user picks one.
    """

    profile_chosen = Signal(str)
    region_chosen = Signal(str)

    def __init__(self, commands: CommandActions, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("mainToolbar")
        self.setMovable(False)
        self.profile_combo = QComboBox(parent)
        self.profile_combo.setObjectName("profileCombo")
        self.profile_combo.setMinimumContentsLength(16)
        self.profile_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.region_combo = QComboBox(parent)
        self.region_combo.setObjectName("regionCombo")
        self.region_combo.setEditable(True)
        self.region_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for region in REGIONS:
            self.region_combo.addItem(region_label(region), region)
        self.region_combo.setCurrentIndex(-1)
        self.account_caption = QLabel(parent)
        self.account_caption.setObjectName("accountCaption")
        self.region_caption = QLabel(parent)
        self.region_caption.setObjectName("regionCaption")
        for caption in (self.account_caption, self.region_caption):
            caption.setContentsMargins(6, 0, 4, 0)
        self.account_caption.setBuddy(self.profile_combo)
        self.region_caption.setBuddy(self.region_combo)
        self.profile_combo.activated.connect(self._on_profile_activated)
        self.region_combo.activated.connect(lambda _i: self._on_region_entered())
        line = self.region_combo.lineEdit()
        if line is not None:
            line.returnPressed.connect(self._on_region_entered)
        for widget in (
            self.account_caption,
            self.profile_combo,
            self.region_caption,
            self.region_combo,
        ):
            self.addWidget(widget)
        self.addSeparator()
        self.addAction(commands.refresh_action)
        self.addAction(commands.start_action)
        self.start_busy = QProgressBar(self)
        self.start_busy.setObjectName("startBusy")
        self.start_busy.setRange(0, 0)  # indeterminate: "working"
        self.start_busy.setMaximumWidth(70)
        self.start_busy.setTextVisible(False)
        self.start_busy_action = self.addWidget(self.start_busy)
        self.start_busy_action.setVisible(False)
        self.addAction(commands.stop_action)
        self.start_button = self.widgetForAction(commands.start_action)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Main"))
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
        for index in range(self.region_combo.count()):
            self.region_combo.setItemText(
                index, region_label(str(self.region_combo.itemData(index)))
            )
        self.account_caption.setText(self.tr("&Account:"))
        self.region_caption.setText(self.tr("Re&gion:"))
        for index in range(self.profile_combo.count()):
            profile = str(self.profile_combo.itemData(index))
            self.profile_combo.setItemText(
                index,
                self.tr("Sandbox (local demo)")
                if profile == SANDBOX_PROFILE
                else account_title(profile),
            )

    def set_profiles(self, profiles: ProfileList) -> None:
        """The profiles on disk, the credentials found outside Caster Desk (environment, aliyun
        CLI, credentials.ini), then the sandbox; no signal is emitted."""
        self.profile_combo.blockSignals(True)
        self.profile_combo.clear()
        for name in profiles.names:
            self.profile_combo.addItem(name, name)
        for external in profiles.external:
            self.profile_combo.addItem(account_title(external.profile), external.profile)
        self.profile_combo.addItem(self.tr("Sandbox (local demo)"), SANDBOX_PROFILE)
        self.profile_combo.blockSignals(False)

    def show_profile(self, profile: str | None) -> None:
        """Show ``profile`` as chosen (adding it if the list does not have it); None: none."""
        if profile is None:
            self.profile_combo.setCurrentIndex(-1)
            return
        index = self.profile_combo.findData(profile)
        if index < 0 and profile != SANDBOX_PROFILE:
            self.profile_combo.addItem(account_title(profile), profile)
            index = self.profile_combo.count() - 1
        self.profile_combo.setCurrentIndex(index)

    def show_region(self, region_id: str) -> None:
        """Show the region by its name with the ID alongside (a custom ID as it is)."""
        index = self.region_combo.findData(region_id)
        if index >= 0:
            self.region_combo.setCurrentIndex(index)
        else:
            self.region_combo.setCurrentText(region_id)

    def region_text(self) -> str:
        """The chosen region's ID: a listed one (shown by name), or a typed custom ID."""
        text = self.region_combo.currentText().strip()
        for index in range(self.region_combo.count()):
            if text in (self.region_combo.itemText(index), self.region_combo.itemData(index)):
                return str(self.region_combo.itemData(index))
        return text.rsplit(" · ", 1)[-1].strip()

    def _on_profile_activated(self, index: int) -> None:
        profile = self.profile_combo.itemData(index)
        if profile is not None:
            self.profile_chosen.emit(str(profile))

    def _on_region_entered(self) -> None:
        region = self.region_text()
        if region:
            self.region_chosen.emit(region)
