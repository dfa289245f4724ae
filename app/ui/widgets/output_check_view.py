"""Shows the playability matrix and URL expiry of :class:`OutputCheckController` in the window.

The PGM outputs table gets each output's verdict (its "Plays" and "Expires in" columns), the
panes' monitor lines get the monitors', and the line above the table gets the summary and the
earliest expiry. The window's Check outputs (Ctrl+K), Refresh URLs, Hand off… (Ctrl+Shift+H)
and Event length commands are wired here, so the main window only builds this object.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QToolButton, QWidget

from app.handoff import local_time
from app.probe.expiry import url_expiry
from app.probe.judge import Output, Verdict
from app.ui.concurrency import WorkerPool
from app.ui.controllers.casters import CasterController
from app.ui.controllers.output_check import OutputCheckController
from app.ui.models import output_checks as checks
from app.ui.models.output_checks import ExpiryPolicy, output_key
from app.ui.settings import Settings
from app.ui.widgets.actions import CommandActions
from app.ui.widgets.preview.pane import PreviewPane
from app.ui.widgets.preview.panels import ResultPanels
from app.ui.widgets.preview.placard import ElidedLabel

if TYPE_CHECKING:
    from app.ui.widgets.handoff_dialog import HandoffDialog


class OutputCheckView(QObject):
    """The glue between the output check controller and the panels (see the module)."""

    def __init__(
        self,
        parent: QWidget,
        controller: OutputCheckController,
        casters: CasterController,
        panels: ResultPanels,
        commands: CommandActions,
        settings: Settings,
        pool: WorkerPool,
    ) -> None:
        super().__init__(parent)
        self._window = parent
        self._pool = pool
        self.controller = controller
        self._casters = casters
        self._panels = panels
        panels.urls_note = self.urls_note
        self._commands = commands
        self._settings = settings
        self._monitors: dict[str, Verdict] = {}
        self._checking: set[str] = set()
        self.dialog: HandoffDialog | None = None
        table = panels.pgm.outputs
        assert table is not None
        self.table = table
        # The panel header: the earliest URL expiry, then the two commands a director reaches
        # for; Refresh URLs (also automatic) stays in the Caster menu to leave the name room.
        self.expiry_label = ElidedLabel(panels)
        self.expiry_label.setObjectName("outputsExpiry")
        self.expiry_label.setMinimumWidth(60)
        self.expiry_label.hide()
        header = panels.header_bar
        header.insertWidget(1, self.expiry_label, 1)
        for offset, action in enumerate((commands.check_outputs_action, commands.handoff_action)):
            button = QToolButton(panels)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            header.insertWidget(2 + offset, button)
        hours = settings.event_hours()
        controller.set_event_hours(hours)
        chosen = commands.event_hours_actions.get(hours)
        if chosen is not None:
            chosen.setChecked(True)
        table.model.set_policy(controller.policy)
        commands.check_outputs_action.triggered.connect(self.check)
        commands.refresh_urls_action.triggered.connect(self.refresh_urls)
        commands.handoff_action.triggered.connect(self.open_handoff)
        commands.event_hours_group.triggered.connect(self._on_event_hours)
        controller.started.connect(self._on_started)
        controller.verdict.connect(self._on_verdict)
        controller.finished.connect(self._on_finished)
        controller.outputs_changed.connect(self._on_outputs)
        controller.policy_changed.connect(self._on_policy)
        controller.ticked.connect(self._on_tick)
        self.update_actions()

    # --- commands ------------------------------------------------------------------------------

    def update_actions(self) -> None:
        shown = bool(self.controller.outputs)
        for action in (
            self._commands.check_outputs_action,
            self._commands.refresh_urls_action,
            self._commands.handoff_action,
        ):
            action.setEnabled(shown)

    def check(self) -> None:
        """Ctrl+K: check every output of the shown caster now."""
        if not self.controller.check():
            self._say(self.tr("Nothing to check yet: start or select a live caster."))

    def refresh_urls(self) -> None:
        if self._casters.refresh_urls():
            self._say(self.tr("Fetching fresh URLs…"))

    def open_handoff(self) -> HandoffDialog | None:
        """Ctrl+Shift+H: the hand-off dialog for the shown caster."""
        shown = self._casters.shown_caster
        outputs = self.controller.outputs
        if shown is None or not outputs:
            self._say(self.tr("Nothing to hand off yet: start or select a live caster."))
            return None
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
        # Imported when first opened: its QR codes (segno, 44 ms) need not load with the window.
        from app.ui.widgets.handoff_dialog import HandoffDialog  # noqa: PLC0415

        self.dialog = HandoffDialog(
            shown.caster_id,
            shown.name,
            outputs,
            self.controller.policy.validity_s,
            self._window,
            pool=self._pool,
        )
        self.dialog.copied.connect(self._say)
        self.dialog.show()
        return self.dialog

    def _on_event_hours(self, action: QAction) -> None:
        hours = float(action.data())
        self._settings.set_event_hours(hours)
        self._settings.sync()
        self.controller.set_event_hours(hours)

    def _say(self, text: str) -> None:
        status = getattr(self._window, "statusBar", None)
        if status is not None:
            status().showMessage(text, 4000)

    # --- the matrix ------------------------------------------------------------------------------

    def _panes(self) -> dict[str, PreviewPane]:
        return {"pvw": self._panels.pvw, "pgm": self._panels.pgm}

    def _on_started(self, outputs: list[Output]) -> None:
        self._monitors = {}
        self._checking = {o.scene for o in outputs if o.tier is None}
        self.table.model.set_checking({output_key(o) for o in outputs if o.tier})
        self.table.show_summary(self.tr("Checking {0} outputs…").format(len(outputs)))
        self._show_monitors()

    def _on_verdict(self, verdict: Verdict) -> None:
        self._show_verdict(verdict)

    def _show_verdict(self, verdict: Verdict) -> None:
        output = verdict.output
        if output.tier is None:
            self._monitors[output.scene] = verdict
            self._checking.discard(output.scene)
            self._show_monitors()
        elif output.scene == "pgm":
            self.table.model.set_verdict(output_key(output), verdict)

    def _on_finished(self, verdicts: list[Verdict]) -> None:
        if not verdicts:
            self.table.show_summary(self.tr("The check could not run."), "fail")
            return
        for verdict in verdicts:
            self._show_verdict(verdict)
        self._show_summary()

    def _show_summary(self) -> None:
        verdicts = self.controller.verdicts
        if not verdicts:
            return
        now = time.time()
        policy = self.controller.policy
        text = checks.summary_text(verdicts)
        marks = {checks.mark(v, policy, now) for v in verdicts}
        level = "fail" if checks.MARK_FAIL in marks else "warn" if checks.MARK_WARN in marks else ""
        self.table.show_summary(text, level)

    def _show_monitors(self) -> None:
        now = time.time()
        policy = self.controller.policy
        for scene, pane in self._panes().items():
            label = pane.check_label
            verdict = self._monitors.get(scene)
            if scene in self._checking:
                label.setText(self.tr("checking…"))
                label.setToolTip("")
            elif verdict is None:
                label.setText("")
                label.setToolTip("")
            else:
                label.setText(checks.status_text(verdict, policy, now))
                label.setToolTip(checks.status_tooltip(verdict, policy, now))

    def monitor_mark(self, scene: str) -> str:
        """The mark the monitor's line shows ("✓", "⚠", "✗", "checking…" or '')."""
        return self._panes()[scene].check_label.text().split(" ", 1)[0]

    # --- outputs, expiry -------------------------------------------------------------------------

    def _on_outputs(self, outputs: list[Output]) -> None:
        if not outputs or not self.controller.verdicts:
            self._monitors = {}
            self._checking = set()
            self.table.model.clear_checks()
            self.table.show_summary("")
            self._show_monitors()
        self.update_actions()
        self._show_expiry()

    def _on_policy(self, policy: ExpiryPolicy) -> None:
        self.table.model.set_policy(policy)
        self._on_tick()

    def _on_tick(self) -> None:
        self.table.model.tick()
        self._show_monitors()
        self._show_summary()
        self._show_expiry()

    def _show_expiry(self) -> None:
        earliest = self.controller.earliest_expiry()
        policy = self.controller.policy
        now = time.time()
        state = policy.state(earliest, now)
        text = checks.header_expiry_text(earliest, policy, now)
        label = self.expiry_label
        label.set_full_text(text)
        if earliest is not None:
            label.setToolTip(checks.expiry_tooltip(earliest, policy, now))
        label.setVisible(bool(text))
        level = {"expired": "fail", "expires-soon": "warn"}.get(state, "")
        self.table.colour(label, level)

    def urls_note(self, urls: Sequence[str]) -> str:
        """`` · valid until 18:40 CST``: the earliest expiry of ``urls`` (a heading of "Copy all
        (text)"), or '' when none is signed."""
        validity = self.controller.policy.validity_s
        expiries = [e for e in (url_expiry(u, validity) for u in urls) if e is not None]
        if not expiries:
            return ""
        earliest = min(e.expires_at for e in expiries)
        return " · " + self.tr("valid until {0}").format(local_time(earliest))

    def expiry_note(self, text: str) -> str:
        """`` · valid until 18:40 CST`` when ``text`` is one signed URL, else ''. The URL itself
        is copied bare, so it still plays when pasted into a player."""
        if not text or "\n" in text.strip() or "auth_key=" not in text:
            return ""
        return self.urls_note([text.strip()])
