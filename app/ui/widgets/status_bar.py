"""The status bar: the account, the endpoint, the last RequestId (click to copy) and latency.

Each of those labels is capped at a share of the bar's width and elided past it (the full text
in its tooltip), so that at 960 px the transient messages on the left ("Started …", "Copied …")
keep room to be read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QGuiApplication, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QMenu, QSizePolicy, QStatusBar, QWidget

from app.ui import i18n
from app.ui.controllers.session_state import SessionState
from app.ui.widgets.account_names import account_title

if TYPE_CHECKING:
    from app.api.client import CallRecord
    from app.ui.controllers.session import SessionController


class FittedLabel(QLabel):
    """A status-bar label whose text is elided to the width the bar gives it (:meth:`fit`)."""

    def __init__(
        self, parent: QWidget | None = None, mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight
    ) -> None:
        super().__init__(parent)
        self._full = ""
        self._tip = ""
        self._mode = mode
        self._cap = 0

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self._show()

    def set_tip(self, tip: str) -> None:
        """The tooltip; when the text is elided, the full text is added under it."""
        self._tip = tip
        self._show()

    def fit(self, cap: int) -> None:
        """Show at most ``cap`` pixels of the text (0: no cap)."""
        self._cap = cap
        self.setMaximumWidth(cap if cap > 0 else 16_777_215)
        self._show()

    def _show(self) -> None:
        metrics = self.fontMetrics()
        shown = self._full
        if self._cap > 0 and metrics.horizontalAdvance(shown) > self._cap:
            shown = metrics.elidedText(shown, self._mode, self._cap)
        self.setText(shown)
        tips = [t for t in (self._tip, self._full if shown != self._full else "") if t]
        self.setToolTip("\n".join(tips))


class ClickToCopyLabel(FittedLabel):
    """A status-bar label whose text is copied on click or from its context menu."""

    copied = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.TextElideMode.ElideMiddle)
        self.value = ""
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)

    def set_value(self, value: str, shown: str) -> None:
        self.value = value
        self.set_full_text(shown)

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


class StatusBar(QStatusBar):
    """Permanent labels on the right; transient messages (``showMessage``) on the left."""

    copied = Signal(str)  # a RequestId was copied

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # As QMainWindow.statusBar() makes its own: long labels must not widen the window.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.profile_label = FittedLabel(self)
        self.profile_label.setObjectName("statusProfile")
        self.endpoint_label = FittedLabel(self, Qt.TextElideMode.ElideMiddle)
        self._endpoint = ""
        self.endpoint_label.setObjectName("statusEndpoint")
        self.request_id_label = ClickToCopyLabel(self)
        self.request_id_label.setObjectName("statusRequestId")
        self.latency_label = FittedLabel(self)
        self.latency_label.setObjectName("statusLatency")
        for widget in (
            self.profile_label,
            self.endpoint_label,
            self.request_id_label,
            self.latency_label,
        ):
            widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
            self.addPermanentWidget(widget)
        self.request_id_label.copied.connect(self.copied)
        self._session: tuple[SessionState, str | None] = (SessionState.NONE, None)
        self._last_call: CallRecord | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.request_id_label.set_tip(self.tr("Last RequestId: click to copy"))
        self._show_session()
        self._show_last_call()
        self.set_endpoint(self._endpoint)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        width = event.size().width()
        # Shares of the width: what is left (about a third) is the messages'.
        for label, share in (
            (self.profile_label, 0.14),
            (self.endpoint_label, 0.2),
            (self.request_id_label, 0.18),
            (self.latency_label, 0.14),
        ):
            label.fit(max(60, int(width * share)))

    def follow(self, session: SessionController) -> None:
        """Show ``session``'s state, endpoint and calls from now on."""
        session.state_changed.connect(lambda state: self._on_session_state(session, state))
        session.ready.connect(lambda connection: self.set_endpoint(connection.endpoint))
        session.call_recorded.connect(self.record_call)

    def _on_session_state(self, session: SessionController, state: SessionState) -> None:
        self.show_session(state, session.profile)
        if state is SessionState.CONNECTING:
            # The previous account's endpoint, RequestId and latency are not this one's.
            self.set_endpoint("")
            self._last_call = None
            self.request_id_label.set_value("", "")
            self._show_last_call()

    def show_session(self, state: SessionState, profile: str | None) -> None:
        """The session's state, worded: connecting to …, the account, or not connected."""
        self._session = (state, profile)
        self._show_session()

    def _show_session(self) -> None:
        state, profile = self._session
        if state is SessionState.CONNECTING:
            text = self.tr("Connecting to {0}…").format(account_title(profile))
        elif state is SessionState.READY:
            text = self.tr("Account: {0}").format(account_title(profile))
        else:
            text = self.tr("Not connected")
        self.profile_label.set_full_text(text)

    def set_endpoint(self, endpoint: str) -> None:
        """The endpoint; one that is not Alibaba Cloud's is named as where signed requests go."""
        self._endpoint = endpoint
        foreign = False
        if endpoint:  # only once a session is ready: the client (and httpx) are loaded by then
            import httpx  # noqa: PLC0415

            from app.api.client import is_alibaba_host  # noqa: PLC0415

            host = httpx.URL(endpoint).host
            foreign = bool(host) and not is_alibaba_host(host)
        if foreign:
            self.endpoint_label.set_full_text(self.tr("Signed requests go to {0}").format(endpoint))
            self.endpoint_label.set_tip(
                self.tr(
                    "This endpoint is not Alibaba Cloud. It was set by CASTERDESK_ENDPOINT, "
                    "--endpoint or the account's settings."
                )
            )
        else:
            self.endpoint_label.set_full_text(endpoint)
            self.endpoint_label.set_tip("")

    def show_request_id(self, request_id: str) -> None:
        self.request_id_label.set_value(request_id, request_id)
        self._show_last_call()

    def record_call(self, record: CallRecord) -> None:
        """A call the client made: its RequestId and latency."""
        self._last_call = record
        if record.request_id:
            self.request_id_label.set_value(record.request_id, record.request_id)
        self._show_last_call()

    def _show_last_call(self) -> None:
        value = self.request_id_label.value
        if value:
            self.request_id_label.set_full_text(self.tr("RequestId {0}").format(value))
        record = self._last_call
        if record is None:
            self.latency_label.set_full_text("")
            return
        ms = i18n.ui_locale().toString(float(record.elapsed_ms), "f", 0)
        self.latency_label.set_full_text(self.tr("{0}: {1} ms").format(record.action, ms))
