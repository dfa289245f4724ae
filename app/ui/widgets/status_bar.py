"""The status bar: the account, the endpoint, the last RequestId (click to copy) and latency."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QGuiApplication, QMouseEvent
from PySide6.QtWidgets import QLabel, QMenu, QSizePolicy, QStatusBar, QWidget

from app.ui import i18n
from app.ui.controllers.session import SessionController, SessionState
from app.ui.widgets.account_names import account_title

if TYPE_CHECKING:
    from app.api.client import CallRecord


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


class StatusBar(QStatusBar):
    """Permanent labels on the right; transient messages (``showMessage``) on the left."""

    copied = Signal(str)  # a RequestId was copied

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # As QMainWindow.statusBar() makes its own: long labels must not widen the window.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.profile_label = QLabel(self)
        self.profile_label.setObjectName("statusProfile")
        self.endpoint_label = QLabel("", self)
        self._endpoint = ""
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
            self.addPermanentWidget(widget)
        self.request_id_label.copied.connect(self.copied)
        self._session: tuple[SessionState, str | None] = (SessionState.NONE, None)
        self._last_call: CallRecord | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.request_id_label.setToolTip(self.tr("Last RequestId: click to copy"))
        self._show_session()
        self._show_last_call()
        self.set_endpoint(self._endpoint)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

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
        self.profile_label.setText(text)

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
            self.endpoint_label.setText(self.tr("Signed requests go to {0}").format(endpoint))
            self.endpoint_label.setToolTip(
                self.tr(
                    "This endpoint is not Alibaba Cloud. It was set by CASTERDESK_ENDPOINT, "
                    "--endpoint or the account's settings."
                )
            )
        else:
            self.endpoint_label.setText(endpoint)
            self.endpoint_label.setToolTip("")

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
            self.request_id_label.setText(self.tr("RequestId {0}").format(value))
        record = self._last_call
        if record is None:
            self.latency_label.setText("")
            return
        ms = i18n.ui_locale().toString(float(record.elapsed_ms), "f", 0)
        self.latency_label.setText(self.tr("{0}: {1} ms").format(record.action, ms))
