"""The view side of directing: the picker's tiles and tally, the panes' tally and scene names,
and the Take / Undo / Standby actions, all following :class:`DirectingController`."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from app.ui.controllers.directing import DirectingController
from app.ui.widgets.actions import CommandActions, keep_space
from app.ui.widgets.preview.panels import ResultPanels

ConfirmStandby = Callable[[QWidget, str], bool]


class DirectingView(QObject):
    """Turns the directing controller's state into what the window shows, and the window's
    presses into controller calls (none once the window is closing)."""

    def __init__(
        self,
        window: QWidget,
        directing: DirectingController,
        panels: ResultPanels,
        commands: CommandActions,
        confirm_standby: ConfirmStandby,
        closing: Callable[[], bool],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._directing = directing
        self._panels = panels
        self._commands = commands
        self._confirm_standby = confirm_standby
        self._closing = closing

    def pick_pvw(self, layout_id: str) -> None:
        if not self._closing():
            self._directing.pick_pvw(layout_id)

    def take(self) -> None:
        """Take / Ctrl+T / Space: one CopyCasterSceneConfig; ignored while one is in flight."""
        if not self._closing():
            self._directing.take()

    def undo_take(self) -> None:
        if not self._closing():
            self._directing.undo()

    def standby(self) -> None:
        """Ask (naming the caster), then EffectCasterUrgent on PGM."""
        target = self._directing.target
        if self._closing() or target is None:
            return
        self._directing.standby(lambda: self._confirm_standby(self._window, target.name))

    def show_layouts(self) -> None:
        """The directed caster's layouts changed: rebuild the picker's tiles."""
        directing = self._directing
        self._panels.picker.set_layouts(directing.layouts, loading=directing.loading)
        for tile in self._panels.picker.tiles:
            keep_space(tile)  # Space on a focused tile picks it, it does not take
        self.show_directing()

    def show_directing(self) -> None:
        """Tally on the picker and the panes, scene names, PGM's name, the directing actions."""
        directing, commands, panels = self._directing, self._commands, self._panels
        on_air, preview = directing.on_air_layout_id, directing.pvw_layout_id
        panels.picker.set_tally(on_air, preview)
        panels.set_tally(
            directing.layout_name(on_air) if on_air else "",
            directing.layout_name(preview) if preview else "",
            standby=directing.in_standby,
        )
        panels.pvw.set_scene_name(directing.scene_name("pvw"))
        panels.pgm.set_scene_name(directing.scene_name("pgm"))
        ready = directing.ready and not self._closing()
        commands.take_action.setEnabled(ready and directing.can_take())
        commands.standby_action.setEnabled(ready and not directing.busy)
        seconds = directing.undo_seconds_left
        commands.show_undo(seconds, directing.layout_name(directing.undo_layout_id))
        commands.undo_take_action.setEnabled(ready and seconds > 0 and not directing.busy)
        panels.picker.set_ready(ready)
