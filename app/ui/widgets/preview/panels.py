"""The result of Start: PVW left, PGM right (OBS Studio Mode), and the "Copy all" actions.

``ResultPanels`` is what the main window composes. It fills both panes from a StartResult,
starts their previews, copies URLs (always the full, true URL) and reports preview events
for the event log: ``preview_state {pane, state, detail}``, ``preview_first_frame {pane,
ms_since_start_click, ms_since_source_set, width, height}``, and the confidence monitors'
``monitor_alarm`` / ``monitor_clear {pane, alarm ("black", "frozen", "silent"), why, source}``.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMenu,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.api.models import TRANSCODE_TIERS, StartResult
from app.redaction import redact
from app.ui import copy_text
from app.ui.names import tier_name
from app.ui.theme import PGM_ACCENT, PVW_ACCENT
from app.ui.widgets.preview import player as states
from app.ui.widgets.preview.layout_picker import LayoutPicker
from app.ui.widgets.preview.pane import PreviewPane
from app.ui.widgets.preview.placard import ElidedLabel
from app.ui.widgets.preview.take_bar import STANDBY_COLOUR, TakeBar


class ResultPanels(QWidget):
    """PVW and PGM panes side by side, filled by :meth:`show_result`.

    With a ``take_bar`` (the window passes one), it sits between the panes as in OBS Studio
    Mode, and the PVW layout picker (:attr:`picker`) is a column of tiles left of PVW.
    :attr:`outputs_panel` (the caster's name, "Copy all" and PGM's outputs) is under the panes
    unless the window places it elsewhere.
    """

    copied = Signal(str)
    preview_event = Signal(str, dict)  # event name, fields (for the event log)

    def __init__(self, parent: QWidget | None = None, take_bar: TakeBar | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultPanels")
        self._caster_name = ""
        self._result: StartResult | None = None
        self._starting_name: str | None = None
        self._streaming_elsewhere = 0
        self._start_clicked_at: float | None = None
        self._first_frame_reported: set[str] = set()
        self._shut_down = False
        # What "Copy all (text)" says of a group of URLs (their expiry): the output check
        # sets it, as it knows the URLs' validity.
        self.urls_note: copy_text.UrlsNote | None = None

        self.pvw = PreviewPane("pvw", self)
        self.pgm = PreviewPane("pgm", self)

        # The outputs panel: whose URLs these are, "Copy all", and PGM's outputs table. Standing
        # alone it sits under the panes; the window moves it beside the caster list, where the
        # table has the width its URLs need and the pictures keep the height.
        self.outputs_panel = QWidget(self)
        self.outputs_panel.setObjectName("outputsPanel")
        self.caster_label = ElidedLabel(self.outputs_panel)
        self.caster_label.setObjectName("resultCasterName")
        self.caster_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        font = self.caster_label.font()
        font.setBold(True)
        self.caster_label.setFont(font)

        self.copy_text_action = QAction(self)
        self.copy_text_action.triggered.connect(self.copy_all_text)
        self.copy_json_action = QAction(self)
        self.copy_json_action.triggered.connect(self.copy_all_json)
        # One button, so the header keeps room for the caster's name at 960 px: a click copies
        # the text; its menu offers both forms.
        self.copy_all_button = QToolButton(self.outputs_panel)
        self.copy_all_button.setObjectName("copyAllButton")
        self.copy_all_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        copy_menu = QMenu(self.copy_all_button)
        copy_menu.addAction(self.copy_text_action)
        copy_menu.addAction(self.copy_json_action)
        self.copy_all_button.setMenu(copy_menu)
        self.copy_all_button.clicked.connect(self.copy_all_text)

        # The output check adds the earliest URL expiry and its buttons here (OutputCheckView).
        self.header_bar = header = QHBoxLayout()
        header.addWidget(self.caster_label, 1)
        header.addWidget(self.copy_all_button)
        outputs_layout = QVBoxLayout(self.outputs_panel)
        outputs_layout.setContentsMargins(0, 0, 0, 0)
        outputs_layout.addLayout(header)
        assert self.pgm.outputs is not None
        self.outputs = self.pgm.outputs
        outputs_layout.addWidget(self.outputs, 1)

        # The studio: the layouts feed PVW, Take sends PVW to PGM, left to right. Both panes
        # hold the same things, so both pictures get the same size.
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("resultSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.picker = LayoutPicker(self)
        self.picker.setVisible(take_bar is not None)
        if take_bar is not None:
            self.splitter.addWidget(self.picker)
        self.splitter.addWidget(self.pvw)
        self.take_bar = take_bar
        if take_bar is not None:
            self.splitter.addWidget(take_bar)
        self.splitter.addWidget(self.pgm)
        for index in range(self.splitter.count()):
            widget = self.splitter.widget(index)
            self.splitter.setStretchFactor(index, 1 if widget in (self.pvw, self.pgm) else 0)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.outputs_panel)

        # The window turns this on: the panels then never take more height than the pictures
        # can use at the panes' width, and what they cannot use goes to the lists above.
        self.height_follows_pictures = False
        for pane in (self.pvw, self.pgm):
            pane.installEventFilter(self)  # their width decides the cap

        for pane in (self.pvw, self.pgm):
            pane.copied.connect(self.copied)
            pane.state_changed.connect(
                lambda state, detail, p=pane.kind: self._on_state(p, state, detail)
            )
            pane.first_frame.connect(lambda info, p=pane.kind: self._on_first_frame(p, info))
            pane.monitor_alarm.connect(
                lambda alarm, on, why, p=pane: self._on_monitor_alarm(p, alarm, on, why)
            )
        self.retranslate()
        self.clear()

    def retranslate(self) -> None:
        """Set the texts in the UI's language (the panes do their own)."""
        self.copy_text_action.setText(self.tr("Copy all (text)"))
        self.copy_text_action.setToolTip(
            self.tr("Copy every URL as plain text, grouped, ready to paste into a chat")
        )
        self.copy_json_action.setText(self.tr("Copy all (JSON)"))
        self.copy_json_action.setToolTip(self.tr("Copy every URL as JSON (the API's own fields)"))
        self.copy_all_button.setText(self.tr("Copy all"))
        self.copy_all_button.setToolTip(
            self.tr("Copy every URL as text, ready to paste into a chat; the arrow offers JSON")
        )
        if self._result is None:
            self._show_label()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._follow_pictures()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched in (self.pvw, self.pgm):
            self._follow_pictures()
        return False

    def _follow_pictures(self) -> None:
        """Cap the height at what the pictures use (see :attr:`height_follows_pictures`).

        The cap depends only on the panes' width, which the height does not change, so setting
        it from a resize settles at once."""
        if not self.height_follows_pictures:
            return
        panes = (self.pvw, self.pgm)
        others = self.height() - max(p.height() for p in panes)
        wanted = others + max(p.wanted_height() for p in panes)
        cap = max(wanted, self.minimumSizeHint().height())
        if self.maximumHeight() != cap:
            self.setMaximumHeight(cap)

    def changeEvent(self, ev: QEvent) -> None:
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)

    @property
    def result(self) -> StartResult | None:
        return self._result

    @property
    def caster_name(self) -> str:
        return self._caster_name

    def show_result(
        self, caster_name: str, result: StartResult, start_clicked_at: float | None = None
    ) -> None:
        """Fill both panes and start their previews.

        ``start_clicked_at``: ``time.monotonic()`` of the Start click, or None when the panels
        were filled for a caster that was already streaming.
        """
        if self._shut_down:
            return
        if start_clicked_at is None and self._showing(result):
            # The same streams again (e.g. a re-read of the URLs): keep the previews running.
            self._caster_name = caster_name
            self._result = result
            self._show_label()
            return
        self._caster_name = caster_name
        self._result = result
        self._start_clicked_at = start_clicked_at
        self._first_frame_reported = set()
        self._show_label()
        self._set_copy_enabled(True)
        self.pvw.set_scene(result.pvw[0] if result.pvw else None)
        self.pgm.set_scene(result.pgm[0] if result.pgm else None)
        self.pvw.start()
        self.pgm.start()

    def update_urls(self, result: StartResult) -> None:
        """Freshly signed URLs of the same scenes: shown and copied from now on, while the
        previews keep playing the streams they opened."""
        if self._shut_down or self._result is None:
            return
        self._result = result
        self.pvw.set_scene(result.pvw[0] if result.pvw else None)
        self.pgm.set_scene(result.pgm[0] if result.pgm else None)

    def _showing(self, result: StartResult) -> bool:
        """True if ``result`` has the scenes already shown and both previews are running."""
        current = self._result
        if current is None or current.pvw != result.pvw or current.pgm != result.pgm:
            return False
        resting = (states.IDLE, states.STOPPED, states.ERROR)
        return all(p.player.state not in resting for p in (self.pvw, self.pgm))

    def show_stopped(self) -> None:
        """The caster stopped: both previews stop decoding and say "stopped"."""
        self.pvw.show_stopped()
        self.pgm.show_stopped()
        if self.pgm.outputs is not None:
            self.pgm.outputs.model.set_ended(True)

    def clear(self) -> None:
        """Empty placeholders; no player running."""
        self._caster_name = ""
        self._result = None
        self._start_clicked_at = None
        self._show_label()
        self._set_copy_enabled(False)
        self.pvw.clear()
        self.pgm.clear()

    def show_starting(self, name: str | None) -> None:
        """A Start is in flight for ``name`` (None: none), whichever caster is shown or selected."""
        self._starting_name = name
        self._show_label()

    def show_nothing_shown(self, streaming: int) -> None:
        """Nothing is shown; ``streaming`` casters of this account stream, so say how to see one
        instead of "No caster started yet"."""
        self._streaming_elsewhere = streaming
        self._show_label()

    def _show_label(self) -> None:
        if self._starting_name is not None:
            text = self.tr("Starting “{0}”…").format(self._starting_name)
        elif self._result is not None:
            text = self._caster_name
        elif self._streaming_elsewhere:
            text = self.tr("{0} streaming: select one to watch it").format(
                self._streaming_elsewhere
            )
        else:
            text = self.tr("No caster started yet")
        self.caster_label.set_full_text(text)

    def set_tally(self, on_air: str, preview: str, *, standby: bool) -> None:
        """The panes' tally badges: PGM's layout ON AIR (or STANDBY), PVW's PREVIEW.

        ``on_air``/``preview``: layout names ("" when not known: no badge)."""
        if standby:
            self.pgm.set_tally(self.tr("STANDBY"), STANDBY_COLOUR)
        else:
            self.pgm.set_tally(
                self.tr("ON AIR · {0}").format(on_air) if on_air else "", PGM_ACCENT.name()
            )
        self.pvw.set_tally(
            self.tr("PREVIEW · {0}").format(preview) if preview else "", PVW_ACCENT.name()
        )
        if self.take_bar is not None:
            self.take_bar.set_pgm(on_air, standby)

    def shutdown(self) -> None:
        """Stop both players for good. Safe to call twice."""
        if self._shut_down:
            return
        self._shut_down = True
        self.pvw.shutdown()
        self.pgm.shutdown()

    # --- copying -----------------------------------------------------------------------------

    def copy_all_text(self) -> str:
        """Every URL as grouped plain text; also put on the clipboard."""
        if self._result is None:
            return ""
        labels = copy_text.TextLabels(
            caster=self.tr("Caster"),
            pvw=self.tr("PVW (preview) monitor"),
            pgm=self.tr("PGM (program) monitor"),
            outputs=self.tr("PGM outputs"),
            scene=self.tr("scene"),
            request_id=self.tr("RequestId"),
            tier_names={code: tier_name(code) for code in TRANSCODE_TIERS},
        )
        text = copy_text.copy_all_text(self._caster_name, self._result, labels, self.urls_note)
        self._to_clipboard(text, self.tr("Copied all URLs as text"))
        return text

    def copy_all_json(self) -> str:
        """Every URL as JSON (StartResult.to_api() plus CasterName); also on the clipboard."""
        if self._result is None:
            return ""
        text = copy_text.copy_all_json(self._caster_name, self._result)
        self._to_clipboard(text, self.tr("Copied all URLs as JSON"))
        return text

    def copy_pgm_urls(self) -> str:
        """The PGM monitor and output URLs, one a line; also on the clipboard."""
        if self._result is None:
            return ""
        text = copy_text.pgm_urls_text(self._result)
        self._to_clipboard(text, self.tr("Copied all PGM URLs"))
        return text

    def _to_clipboard(self, text: str, message: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.copied.emit(message)

    def _set_copy_enabled(self, enabled: bool) -> None:
        for action in (self.copy_text_action, self.copy_json_action):
            action.setEnabled(enabled)
        self.copy_all_button.setEnabled(enabled)

    # --- events ------------------------------------------------------------------------------

    def _on_state(self, pane: str, state: str, detail: str) -> None:
        self.preview_event.emit(
            "preview_state", {"pane": pane, "state": state, "detail": redact(detail)}
        )

    def _on_monitor_alarm(self, pane: PreviewPane, alarm: str, on: bool, why: str) -> None:
        source = pane.player.current_source
        self.preview_event.emit(
            "monitor_alarm" if on else "monitor_clear",
            {
                "pane": pane.kind,
                "alarm": alarm,
                "why": why,
                "source": source.label if source is not None else "",
            },
        )

    def _on_first_frame(self, pane: str, info: dict[str, Any]) -> None:
        if pane in self._first_frame_reported:
            return
        self._first_frame_reported.add(pane)
        since_click = None
        if self._start_clicked_at is not None:
            since_click = round((time.monotonic() - self._start_clicked_at) * 1000)
        self.preview_event.emit(
            "preview_first_frame",
            {
                "pane": pane,
                "ms_since_start_click": since_click,
                "ms_since_source_set": info.get("ms_since_source"),
                "width": info.get("width"),
                "height": info.get("height"),
            },
        )
