"""One side of the Studio Mode layout: the PVW or the PGM pane.

Title (colour-accented), the live picture with the preview state on a line under it (the picture
is a native window on Qt's RHI path: nothing can be drawn over it), or, while there is no live
picture, a placard saying why in its place; under the picture the confidence monitor's strip (audio
meter, BLACK / FROZEN / SILENT alarms: ``monitor``); the measured resolution and frame rate, the
SceneId, the monitor StreamUrl with a Copy button and an audio toggle. The picture keeps 16:9 at
any pane size (:class:`AspectBox`). PGM also owns the table of its outputs, which the panels place
outside the pane. The pane stops decoding whenever it cannot be seen (hidden, minimised, collapsed
to nothing) and resumes when it can.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import (
    QGuiApplication,
    QHideEvent,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QStackedLayout,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.api.models import TIER_HEIGHTS, SceneInfo, StreamInfo
from app.ui.theme import PGM_ACCENT, PVW_ACCENT
from app.ui.widgets.preview import player as states
from app.ui.widgets.preview.aspect_box import AspectBox
from app.ui.widgets.preview.monitor import ConfidenceMonitor
from app.ui.widgets.preview.monitor_strip import MonitorStrip
from app.ui.widgets.preview.outputs_table import OutputsTable
from app.ui.widgets.preview.placard import PICTURE_STATES, ElidedLabel, StateOverlay
from app.ui.widgets.preview.player import PreviewPlayer, PreviewSource
from app.ui.widgets.preview.video_view import VideoSurface

PANE_STYLE = {
    # OBS-style tally colours: preview green, program red (white text on them, ≥ 4.5:1).
    "pvw": ("PVW", PVW_ACCENT),
    "pgm": ("PGM", PGM_ACCENT),
}
STATS_INTERVAL_S = 0.5


def fallback_sources(
    infos: tuple[StreamInfo, ...] | list[StreamInfo], monitor_size: QSize | None = None
) -> list[PreviewSource]:
    """FLV, then HLS, of the tier nearest the monitor's measured size (else the lowest tier).

    Tier sizes are nominal (:data:`app.api.models.TIER_HEIGHTS`); tiers are compared by height.
    """
    by_tier: dict[str, dict[str, str]] = {}
    for info in infos:
        by_tier.setdefault(info.transcode_config, {})[info.video_format] = info.output_stream_url
    tiers = [t for t in by_tier if by_tier[t].get("flv") or by_tier[t].get("m3u8")]
    if not tiers:
        return []

    def order(tier: str) -> tuple[int, str]:
        return (TIER_HEIGHTS.get(tier, 1_000_000), tier)

    tiers.sort(key=order)
    chosen = tiers[0]
    if monitor_size is not None and monitor_size.isValid():
        chosen = min(tiers, key=lambda t: abs(order(t)[0] - monitor_size.height()))
    urls = by_tier[chosen]
    sources = []
    if urls.get("flv"):
        sources.append(PreviewSource(urls["flv"], f"FLV {chosen}"))
    if urls.get("m3u8"):
        sources.append(PreviewSource(urls["m3u8"], f"HLS {chosen}"))
    return sources


class PreviewPane(QFrame):
    """The PVW or PGM pane. ``kind`` is "pvw" or "pgm".

    Signals: ``copied(message)`` after a copy; ``state_changed(state, detail)`` and
    ``first_frame(info)`` relayed from the player; ``monitor_alarm(alarm, on, why)`` from the
    confidence monitor (see ``monitor``).
    """

    copied = Signal(str)
    state_changed = Signal(str, str)
    first_frame = Signal(dict)
    monitor_alarm = Signal(str, bool, str)

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if kind not in PANE_STYLE:
            raise ValueError(f"kind must be 'pvw' or 'pgm', not {kind!r}")
        self.kind = kind
        title, accent = PANE_STYLE[kind]
        self.title = title
        self.setObjectName(f"{kind}Pane")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            f"#{kind}Pane {{ border: 2px solid {accent.name()}; border-radius: 4px; }}"
        )

        self.player = PreviewPlayer(title, self)
        self.surface = VideoSurface(self)
        sink = self.surface.video_sink()
        if sink is not None:
            self.player.set_video_sink(sink)  # Qt draws the frames (RHI); none is converted
        self.player.frame_changed.connect(self.surface.set_frame)
        # Before the player's thread starts: the monitor takes its decoded audio.
        self.monitor = ConfidenceMonitor(self.player, self)
        self._accent = accent
        self._scene: SceneInfo | None = None
        self._scene_name = ""
        self._monitor_size: QSize | None = None
        self._stats_at = 0.0
        self._system_hidden = False
        self._watched_window: QWidget | None = None
        self._want_play = False

        # Header: tally title, state, stats, audio toggle.
        self.title_label = QLabel(title, self)
        self.title_label.setObjectName(f"{kind}Title")
        self.title_label.setStyleSheet(
            f"background: {accent.name()}; color: white; font-weight: bold;"
            " padding: 2px 10px; border-radius: 3px;"
        )
        self.subtitle_label = subtitle = QLabel(self)
        # The tally (ON AIR · name, PREVIEW · name, STANDBY), set by the panels from the scenes.
        self.tally_label = QLabel("", self)
        self.tally_label.setObjectName(f"{kind}Tally")
        self.tally_label.hide()
        # Elided, so a narrow window (960 px) keeps both panes whole instead of the stats.
        self.stats_label = ElidedLabel(self)
        self.stats_label.setObjectName(f"{kind}Stats")
        self.stats_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.retry_button = QToolButton(self)
        self.retry_button.clicked.connect(self.player.retry)
        self.retry_button.hide()
        # After "Preview this": the way back to the scene's own monitor stream.
        self.back_button = QToolButton(self)
        self.back_button.setObjectName(f"{kind}BackToMonitor")
        self.back_button.clicked.connect(self.start)
        self.back_button.hide()
        self.mute_button = QToolButton(self)
        self.mute_button.setCheckable(True)
        self.mute_button.setChecked(True)
        self.mute_button.setAutoRaise(True)
        self.mute_button.toggled.connect(self._on_mute_toggled)
        header = QHBoxLayout()
        header.addWidget(self.title_label)
        header.addWidget(subtitle)
        header.addWidget(self.tally_label)
        header.addWidget(self.stats_label, 1)  # takes the free space, elided when there is none
        header.addWidget(self.retry_button)
        header.addWidget(self.back_button)
        header.addWidget(self.mute_button)

        # The picture, or the placard in its place; the state on a line under either.
        self.overlay = StateOverlay(accent, self, on_air=kind == "pgm")
        video = QWidget(self)
        self.picture_stack = QStackedLayout(video)
        self.picture_stack.setContentsMargins(0, 0, 0, 0)
        self.picture_stack.addWidget(self.surface)
        self.picture_stack.addWidget(self.overlay)
        self.picture_stack.setCurrentWidget(self.overlay)
        self.state_label = ElidedLabel(self)
        self.state_label.setObjectName(f"{kind}State")
        self.state_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)

        # Scene and monitor URL.
        # Elided, as the URL: "name · UUID" is wider than a pane of a 960 px window.
        self.scene_label = ElidedLabel(self)
        self.url_label = ElidedLabel(self)
        self.copy_button = QToolButton(self)
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self.copy_monitor_url)
        self.scene_caption = QLabel(self)
        self.monitor_caption = QLabel(self)
        info = QGridLayout()
        info.addWidget(self.scene_caption, 0, 0)
        info.addWidget(self.scene_label, 0, 1, 1, 2)
        info.addWidget(self.monitor_caption, 1, 0)
        info.addWidget(self.url_label, 1, 1)
        info.addWidget(self.copy_button, 1, 2)
        # The monitor's row of the playability matrix (✓ / ⚠ / ✗), set by the window.
        self.check_label = QLabel("", self)
        self.check_label.setObjectName(f"{kind}MonitorCheck")
        info.addWidget(self.check_label, 1, 3)
        info.setColumnStretch(1, 1)

        # The confidence monitor under the picture: audio meter and BLACK/FROZEN/SILENT alarms.
        self.monitor_strip = MonitorStrip(kind, title, self)
        self.monitor_strip.setVisible(self.monitor.enabled)
        self.monitor.levels_changed.connect(self.monitor_strip.meter.set_levels)
        self.monitor.alarm_changed.connect(self._on_monitor_alarm)

        # The picture at 16:9, as large as the pane allows (no stretched or barred picture).
        self.picture_box = AspectBox(video, self)
        self.picture_box.setObjectName(f"{kind}PictureBox")
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.picture_box, 1000)
        layout.addWidget(self.monitor_strip)
        layout.addWidget(self.state_label)
        layout.addLayout(info)
        # What the picture cannot use (a wide pane) goes under the details, not beside them.
        layout.addStretch(1)
        # PGM's outputs: the pane fills and answers them; the panels place the table (it needs
        # more room than a pane has: see ResultPanels.outputs_panel). Made without a parent:
        # a child of this pane would keep the palette of the pane's style sheet for good, and
        # stay light after a live switch to the dark theme.
        self.outputs: OutputsTable | None = None
        if kind == "pgm":
            self.outputs = OutputsTable()
            self.outputs.copy_requested.connect(self._copy_output)
            self.outputs.preview_requested.connect(self.preview_url)

        self.player.state_changed.connect(self._on_state)
        self.player.countdown_changed.connect(self._on_countdown)
        self.player.frame_arrived.connect(self._on_frame)
        self.player.first_frame.connect(self.first_frame)
        self.retranslate()
        self._on_state(self.player.state, self.player.detail)

    def retranslate(self) -> None:
        """Set the pane's texts in the UI's language."""
        pvw = self.kind == "pvw"
        self.title_label.setToolTip(
            self.tr("Preview (PVW): what goes on air next")
            if pvw
            else self.tr("Program (PGM): what is on air")
        )
        self.subtitle_label.setText(self.tr("Preview") if pvw else self.tr("Program"))
        self.retry_button.setText(self.tr("Retry"))
        self.back_button.setText(self.tr("Back to monitor"))
        self.back_button.setToolTip(self.tr("Show this scene's own monitor stream again"))
        self.retry_button.setToolTip(self.tr("Try the {} stream again").format(self.title))
        self.copy_button.setText(self.tr("Copy"))
        self.copy_button.setToolTip(self.tr("Copy the full monitor URL (with its auth_key)"))
        self.copy_button.setAccessibleName(self.tr("Copy {} monitor URL").format(self.title))
        self.scene_caption.setText(self.tr("Scene:"))
        self.monitor_caption.setText(self.tr("Monitor:"))
        self._show_mute_state(self.mute_button.isChecked())
        self._show_state_line()
        self._update_stats(force=True)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- filling and playing -----------------------------------------------------------------

    @property
    def scene(self) -> SceneInfo | None:
        return self._scene

    def set_scene_name(self, name: str) -> None:
        """The scene's name (DescribeCasterScenes' SceneName), shown before its ID."""
        self._scene_name = name
        self._show_scene()

    def _show_scene(self) -> None:
        scene = self._scene
        if scene is None:
            self.scene_label.set_full_text("—")
        elif self._scene_name:
            self.scene_label.set_full_text(f"{self._scene_name} · {scene.scene_id}")
            self.scene_label.setToolTip(scene.scene_id)
        else:
            self.scene_label.set_full_text(scene.scene_id)

    def set_scene(self, scene: SceneInfo | None) -> None:
        """Show a scene's details (no playback yet); None empties the pane."""
        if scene is None or self._scene is None or scene.scene_id != self._scene.scene_id:
            self._scene_name = ""
        self._scene = scene
        self._monitor_size = None
        url = scene.stream_url if scene else ""
        self._show_scene()
        self.url_label.set_full_text(url)
        self.copy_button.setEnabled(bool(url))
        if self.outputs is not None:
            self.outputs.set_stream_infos(scene.stream_infos if scene else ())

    def sources(self) -> list[PreviewSource]:
        """The monitor URL first; for PGM then FLV and HLS of one tier."""
        if self._scene is None:
            return []
        sources = []
        if self._scene.stream_url:
            sources.append(PreviewSource(self._scene.stream_url, "monitor"))
        sources.extend(fallback_sources(self._scene.stream_infos, self._monitor_size))
        return sources

    def start(self) -> None:
        """Play the scene's monitor stream (with fallbacks) whenever the pane can be seen."""
        self.overlay.set_backdrop(None)
        self._play(self.sources())

    @property
    def previewing_output(self) -> bool:
        """True while "Preview this" shows one output instead of the scene's monitor."""
        current = self.player.sources
        return len(current) == 1 and current[0].label != "monitor" and self._scene is not None

    def preview_url(self, url: str, label: str) -> None:
        """Switch this pane's preview to one URL (the outputs table's "Preview this")."""
        self._play([PreviewSource(url, label)])

    def _play(self, sources: list[PreviewSource]) -> None:
        self._want_play = True
        if self.outputs is not None:
            self.outputs.set_active_url(sources[0].url if len(sources) == 1 else "")
        self.player.play(sources, paused=not self._can_be_seen())
        self.back_button.setVisible(self.previewing_output)

    def show_stopped(self) -> None:
        """The caster stopped: stop decoding, say "stopped" over the last picture, dimmed."""
        self._want_play = False
        frame = self.player.latest_frame()
        image = frame.toImage() if frame is not None and frame.isValid() else None
        self.overlay.set_backdrop(image if image is not None and not image.isNull() else None)
        self.player.stop(self.tr("The caster was stopped; its live output has ended."))

    def clear(self) -> None:
        self._want_play = False
        self.player.clear()
        self.set_scene(None)
        if self.outputs is not None:
            self.outputs.set_active_url("")

    def shutdown(self) -> None:
        """Stop the player for good; safe to call twice."""
        self._want_play = False
        if self._watched_window is not None:
            self._watched_window.removeEventFilter(self)
            self._watched_window = None
        self.player.shutdown()
        self.monitor.shutdown()  # after the player, which feeds it

    def wanted_height(self) -> int:
        """The height at which the picture is as wide as the pane: more would be spare."""
        layout = self.layout()
        assert layout is not None
        box = self.picture_box
        height = max(box.minimumHeight(), box.width() * 9 // 16)
        shown = 1  # the picture box
        for index in range(layout.count()):
            item = layout.itemAt(index)
            if item is None or item.widget() is box or item.spacerItem() is not None:
                continue
            if not item.isEmpty():
                height += item.sizeHint().height()
                shown += 1
        margins = layout.contentsMargins()
        frame = self.height() - self.contentsRect().height()
        return height + (shown - 1) * layout.spacing() + margins.top() + margins.bottom() + frame

    def set_tally(self, text: str, colour: str) -> None:
        """Show ``text`` on a ``colour`` badge in the header ("" hides it)."""
        self.tally_label.setText(text)
        self.tally_label.setAccessibleName(text)
        self.tally_label.setStyleSheet(
            f"background: {colour}; color: white; font-weight: bold;"
            " padding: 2px 8px; border-radius: 3px;"
        )
        self.tally_label.setVisible(bool(text))

    # --- copying -----------------------------------------------------------------------------

    def copy_monitor_url(self) -> str:
        url = self._scene.stream_url if self._scene else ""
        if url:
            QGuiApplication.clipboard().setText(url)
            self.copied.emit(self.tr("Copied {} monitor URL").format(self.title))
        return url

    def _copy_output(self, url: str, what: str) -> None:
        QGuiApplication.clipboard().setText(url)
        self.copied.emit(self.tr("Copied the {} URL").format(what))

    # --- player feedback ---------------------------------------------------------------------

    def _on_state(self, state: str, detail: str) -> None:
        self.overlay.set_state(state, detail)
        self.retry_button.setVisible(state == states.ERROR and bool(self.player.sources))
        if state == states.RECONNECTING:
            self.overlay.set_countdown(self.player.seconds_until_retry() or 0)
        shown = self.surface if state in PICTURE_STATES else self.overlay
        if self.picture_stack.currentWidget() is not shown:
            self.picture_stack.setCurrentWidget(shown)
        self._show_state_line()
        self._update_stats(force=True)
        self.state_changed.emit(state, detail)

    def _on_monitor_alarm(self, alarm: str, on: bool, why: str) -> None:
        self.monitor_strip.set_alarm(alarm, on)
        self.monitor_alarm.emit(alarm, on, why)

    def _on_countdown(self, seconds: int) -> None:
        self.overlay.set_countdown(seconds)
        self._show_state_line()

    def _show_state_line(self) -> None:
        """The state under the picture: a tally-coloured LIVE badge, else the plain words."""
        live = self.player.state == states.LIVE
        self.state_label.set_full_text(self.overlay.line())
        style = (
            f"background: {self._accent.name()}; color: white; font-weight: bold;"
            " padding: 1px 8px; border-radius: 3px;"
            if live
            else ""
        )
        if self.state_label.styleSheet() != style:
            self.state_label.setStyleSheet(style)

    def _on_frame(self, width: int, height: int) -> None:
        source = self.player.current_source
        if source is not None and source.label == "monitor" and self._monitor_size is None:
            self._monitor_size = QSize(width, height)
        self._update_stats()

    def _update_stats(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._stats_at < STATS_INTERVAL_S:
            return
        self._stats_at = now
        size = self.player.resolution
        if self.player.state != states.LIVE or not size.isValid():
            self.stats_label.set_full_text("")
            return
        source = self.player.current_source
        via = source.label if source is not None else ""
        if via == "monitor":
            via = self.tr("monitor")
        self.stats_label.set_full_text(
            self.tr("{w}×{h} · {fps:.1f} fps · {via}").format(
                w=size.width(), h=size.height(), fps=self.player.fps, via=via
            )
        )

    def _on_mute_toggled(self, muted: bool) -> None:
        self.player.set_muted(muted)
        self._show_mute_state(muted)

    def _show_mute_state(self, muted: bool) -> None:
        icon = (
            QStyle.StandardPixmap.SP_MediaVolumeMuted
            if muted
            else QStyle.StandardPixmap.SP_MediaVolume
        )
        self.mute_button.setIcon(self.style().standardIcon(icon))
        self.mute_button.setText(self.tr("Muted") if muted else self.tr("Sound on"))
        self.mute_button.setToolTip(
            self.tr("Unmute {} audio").format(self.title)
            if muted
            else self.tr("Mute {} audio").format(self.title)
        )

    # --- visibility → decoding ---------------------------------------------------------------

    def _can_be_seen(self) -> bool:
        window = self.window()
        return (
            self.isVisible()
            and not self._system_hidden
            and not window.isMinimized()
            and self.width() > 0
            and self.height() > 0
        )

    def _update_decoding(self) -> None:
        if not self._want_play:
            return
        if self._can_be_seen():
            self.player.resume_decoding()
        else:
            self.player.pause_decoding()

    def _watch_window(self) -> None:
        window = self.window()
        if window is self or window is self._watched_window:
            return
        if self._watched_window is not None:
            self._watched_window.removeEventFilter(self)
        window.installEventFilter(self)
        self._watched_window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._watched_window and event.type() == QEvent.Type.WindowStateChange:
            self._update_decoding()
        return False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._system_hidden = False
        self._watch_window()
        self._update_decoding()
        if not event.spontaneous():
            self.player.prepare_soon()  # its thread ready before the first Start answers

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        # A spontaneous hide comes from the window system (minimised, other desktop) and
        # leaves isVisible() true, so remember it.
        self._system_hidden = event.spontaneous()
        self._update_decoding()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_decoding()
