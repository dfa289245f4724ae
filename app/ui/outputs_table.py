"""The PGM pane's table of bypass outputs (StreamInfos): tier × format, with Copy and Preview.

Rows are sorted by tier (lld → lud) then format (RTMP, FLV, HLS). Each row has a "Copy" button
(the full URL, auth_key included) and a "Preview this" button that switches the PGM preview to
that URL. The row being previewed is shown in bold.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.api.models import StreamInfo, sorted_stream_infos
from app.ui.copy_text import format_name

AnyIndex = QModelIndex | QPersistentModelIndex

TIER_COLUMN, FORMAT_COLUMN, URL_COLUMN, COPY_COLUMN, PREVIEW_COLUMN = range(5)
URL_ROLE = Qt.ItemDataRole.UserRole + 1


class OutputsModel(QAbstractTableModel):
    """StreamInfos as rows: tier, format, URL, and two button columns."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[StreamInfo] = []
        self._active_url = ""

    def set_stream_infos(self, infos: list[StreamInfo] | tuple[StreamInfo, ...]) -> None:
        self.beginResetModel()
        self._rows = sorted_stream_infos(list(infos))
        self._active_url = ""
        self.endResetModel()

    def stream_info(self, row: int) -> StreamInfo:
        return self._rows[row]

    def set_active_url(self, url: str) -> None:
        """Mark the row whose URL is being previewed (empty: none)."""
        if url == self._active_url:
            return
        self._active_url = url
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._rows) - 1, self.columnCount() - 1),
                [Qt.ItemDataRole.FontRole],
            )

    def retranslate(self) -> None:
        """The column titles are looked up on every call: just say they changed."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            TIER_COLUMN: self.tr("Tier"),
            FORMAT_COLUMN: self.tr("Format"),
            URL_COLUMN: self.tr("URL"),
            COPY_COLUMN: "",
            PREVIEW_COLUMN: "",
        }.get(section)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        info = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == TIER_COLUMN:
                return info.transcode_config
            if column == FORMAT_COLUMN:
                return format_name(info.video_format)
            if column == URL_COLUMN:
                return info.output_stream_url
            return None
        if role == Qt.ItemDataRole.ToolTipRole and column == URL_COLUMN:
            return info.output_stream_url
        if role == URL_ROLE:
            return info.output_stream_url
        if role == Qt.ItemDataRole.FontRole and info.output_stream_url == self._active_url:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class OutputsTable(QWidget):
    """The table view with per-row Copy and "Preview this" buttons.

    ``copy_requested(url, what)``: copy ``url``; ``what`` names it ("PGM lhd FLV").
    ``preview_requested(url, label)``: play ``url`` in the PGM pane.
    """

    copy_requested = Signal(str, str)
    preview_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = OutputsModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("pgmOutputsTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(TIER_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FORMAT_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(URL_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COPY_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PREVIEW_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self._buttons: list[tuple[QToolButton, QToolButton]] = []
        self.retranslate()

    def retranslate(self) -> None:
        """Set the texts in the UI's language, the per-row buttons too."""
        self.view.setAccessibleName(self.tr("PGM outputs"))
        self.model.retranslate()
        for row, (copy, preview) in enumerate(self._buttons):
            self._name_buttons(self.model.stream_info(row), copy, preview)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _name_buttons(self, info: StreamInfo, copy: QToolButton, preview: QToolButton) -> None:
        what = self.tr("PGM {tier} {format}").format(
            tier=info.transcode_config, format=format_name(info.video_format)
        )
        copy.setText(self.tr("Copy"))
        copy.setToolTip(self.tr("Copy the full {what} URL").format(what=what))
        copy.setAccessibleName(self.tr("Copy {what} URL").format(what=what))
        preview.setText(self.tr("Preview this"))
        preview.setToolTip(self.tr("Show {what} in the PGM preview").format(what=what))

    def set_stream_infos(self, infos: list[StreamInfo] | tuple[StreamInfo, ...]) -> None:
        self.model.set_stream_infos(infos)
        self._buttons = []
        for row in range(self.model.rowCount()):
            info = self.model.stream_info(row)
            # "What" names the output in copy confirmations: "PGM lhd FLV".
            what = f"PGM {info.transcode_config} {format_name(info.video_format)}"
            copy = QToolButton(self.view)
            copy.clicked.connect(
                lambda _=False, u=info.output_stream_url, w=what: self.copy_requested.emit(u, w)
            )
            preview = QToolButton(self.view)
            self._name_buttons(info, copy, preview)
            label = f"{info.transcode_config} {format_name(info.video_format)}"
            preview.clicked.connect(
                lambda _=False, u=info.output_stream_url, lb=label: self.preview_requested.emit(
                    u, lb
                )
            )
            self.view.setIndexWidget(self.model.index(row, COPY_COLUMN), copy)
            self.view.setIndexWidget(self.model.index(row, PREVIEW_COLUMN), preview)
            self._buttons.append((copy, preview))

    def row_for(self, transcode_config: str, video_format: str) -> int:
        """The row of a tier/format pair, or -1."""
        for row in range(self.model.rowCount()):
            info = self.model.stream_info(row)
            if info.transcode_config == transcode_config and info.video_format == video_format:
                return row
        return -1

    def copy_button(self, row: int) -> QToolButton:
        return self._buttons[row][0]

    def preview_button(self, row: int) -> QToolButton:
        return self._buttons[row][1]

    def set_active_url(self, url: str) -> None:
        self.model.set_active_url(url)
