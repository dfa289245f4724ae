"""The PGM pane's table of bypass outputs (StreamInfos): tier × format, with Copy and Preview.

Rows are sorted by tier (lld → lud) then format (RTMP, FLV, HLS). Each row has a "Copy" button
(the full URL, auth_key included) and a "Preview this" button that switches the PGM preview to
that URL. The row being previewed is shown in bold.

The buttons are painted by :class:`ButtonCellDelegate`, not widgets: a Start refills the table
on the GUI thread, and 16 index widgets plus content-sized columns cost several milliseconds
there. Columns are sized once from font metrics for the same reason.

Above the table, one line: the playability matrix's summary ("13 of 14 outputs play · HD FLV:
not found (HTTP 404)"). The "Plays" and "Expires in" columns come first.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.api.models import TRANSCODE_TIERS, VIDEO_FORMATS, StreamInfo
from app.ui.copy_text import format_name
from app.ui.models.output_checks import problem_name, reason_text
from app.ui.models.outputs import (
    BUTTON_COLUMNS,
    COPY_COLUMN,
    EXPIRES_COLUMN,
    FAIL_COLOUR,
    FORMAT_COLUMN,
    PREVIEW_COLUMN,
    STATUS_COLUMN,
    TIER_COLUMN,
    URL_COLUMN,
    WARN_COLOUR,
    ButtonTexts,
    OutputsModel,
)
from app.ui.names import tier_name
from app.ui.widgets.preview.placard import ElidedLabel

AnyIndex = QModelIndex | QPersistentModelIndex

BUTTON_MARGIN = 2  # between a painted button and its cell's edges
COLUMN_SLACK = 8  # extra room in the text columns, so a bold (previewed) row never elides
MINIMUM_ROWS = 4  # output rows the table always has room for
# The URL column is never narrower than this text: "rtmp://127.0…b11c13a7af" stays readable.
URL_MINIMUM_SAMPLE = "rtmp://127.0.0.1…e30a423d28"
ACTIVATE_KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Select)


class ButtonCellDelegate(QStyledItemDelegate):
    """Paints a cell as a push button showing its DisplayRole text; a click emits :attr:`clicked`.

    The button looks pressed while the left button is held on it, hovered under the pointer,
    and focused when its cell is the view's current one (Enter/Space: :class:`_OutputsView`).
    """

    clicked = Signal(int, int)  # row, column

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view
        self._pressed: tuple[int, int] | None = None  # row, column held down

    def _button_option(self, option: QStyleOptionViewItem, index: AnyIndex) -> QStyleOptionButton:
        button = QStyleOptionButton()
        button.initFrom(self._view)
        button.rect = option.rect.adjusted(
            BUTTON_MARGIN, BUTTON_MARGIN, -BUTTON_MARGIN, -BUTTON_MARGIN
        )
        button.text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        state = button.state & ~(QStyle.StateFlag.State_HasFocus | QStyle.StateFlag.State_MouseOver)
        pressed = self._pressed == (index.row(), index.column())
        state |= QStyle.StateFlag.State_Sunken if pressed else QStyle.StateFlag.State_Raised
        if option.state & QStyle.StateFlag.State_MouseOver:
            state |= QStyle.StateFlag.State_MouseOver
        if option.state & QStyle.StateFlag.State_HasFocus:
            state |= QStyle.StateFlag.State_HasFocus
        button.state = state
        return button

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        # The cell's own background first (alternate rows, selection), without text or focus.
        cell = QStyleOptionViewItem(option)
        self.initStyleOption(cell, index)
        cell.text = ""
        cell.state &= ~QStyle.StateFlag.State_HasFocus
        style = self._view.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, cell, painter, self._view)
        button = self._button_option(option, index)
        style.drawControl(QStyle.ControlElement.CE_PushButton, button, painter, self._view)

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        return button_size(self._view, text)

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: AnyIndex,
    ) -> bool:
        kind = event.type()
        if not isinstance(event, QMouseEvent) or event.button() != Qt.MouseButton.LeftButton:
            return super().editorEvent(event, model, option, index)
        if kind == QEvent.Type.MouseButtonPress:
            self._pressed = (index.row(), index.column())
            return True
        if kind == QEvent.Type.MouseButtonRelease:
            # The view only passes a release that happens on the cell that got the press.
            was_pressed = self._pressed == (index.row(), index.column())
            self.release()
            if was_pressed:
                self.clicked.emit(index.row(), index.column())
            return True
        if kind == QEvent.Type.MouseButtonDblClick:
            # The second press of a double click: a second click, as a QPushButton counts it.
            self.release()
            self.clicked.emit(index.row(), index.column())
            return True
        return super().editorEvent(event, model, option, index)

    def release(self) -> None:
        """Forget the pressed button (the mouse went up, maybe elsewhere) and repaint it."""
        if self._pressed is not None:
            model = self._view.model()
            if model is not None:
                self._view.update(model.index(*self._pressed))
        self._pressed = None


def button_size(widget: QWidget, text: str) -> QSize:
    """The size a push button showing ``text`` wants in ``widget``'s style and font."""
    option = QStyleOptionButton()
    option.initFrom(widget)
    option.text = text
    metrics = widget.fontMetrics()
    contents = QSize(metrics.horizontalAdvance(text), metrics.height())
    size = widget.style().sizeFromContents(
        QStyle.ContentsType.CT_PushButton, option, contents, widget
    )
    return QSize(size.width() + 2 * BUTTON_MARGIN, size.height() + 2 * BUTTON_MARGIN)


class _OutputsView(QTableView):
    """The outputs table: Enter or Space on a button cell presses that button."""

    activate_requested = Signal(int, int)  # row, column

    def keyPressEvent(self, event: QKeyEvent) -> None:
        current = self.currentIndex()
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        on_button = current.isValid() and current.column() in BUTTON_COLUMNS
        if on_button and plain and event.key() in ACTIVATE_KEYS:
            event.accept()
            self.activate_requested.emit(current.row(), current.column())
            return
        super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        # A release away from the pressed cell never reaches the delegate: un-press it here.
        delegate = self.itemDelegateForColumn(COPY_COLUMN)
        if isinstance(delegate, ButtonCellDelegate):
            delegate.release()


class OutputsTable(QWidget):
    """The table view with per-row Copy and "Preview this" buttons.

    ``copy_requested(url, what)``: copy ``url``; ``what`` names it ("PGM HD FLV", "PGM 高清 FLV").
    ``preview_requested(url, label)``: play ``url`` in the PGM pane.
    """

    copy_requested = Signal(str, str)
    preview_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = OutputsModel(self)
        self.view = _OutputsView(self)
        self.view.setObjectName("pgmOutputsTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        self.view.viewport().setAttribute(Qt.WidgetAttribute.WA_Hover)  # hovered buttons
        self.buttons = ButtonCellDelegate(self.view)
        for column in BUTTON_COLUMNS:
            self.view.setItemDelegateForColumn(column, self.buttons)
        self.buttons.clicked.connect(self.press)
        self.model.modelReset.connect(self.buttons.release)
        self.view.activate_requested.connect(self.press)
        # Fixed sizes from font metrics: content-sized columns would ask every row on each Start.
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(TIER_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(FORMAT_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(URL_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COPY_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(PREVIEW_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(STATUS_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(EXPIRES_COLUMN, QHeaderView.ResizeMode.Interactive)
        # The matrix's columns read first: Plays, Expires in, Tier, Format, URL, Copy, Preview.
        header.moveSection(header.visualIndex(STATUS_COLUMN), 0)
        header.moveSection(header.visualIndex(EXPIRES_COLUMN), 1)
        self.summary_label = ElidedLabel(self)
        self.summary_label.setObjectName("outputsSummary")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.view)
        self.retranslate()

    def show_summary(self, text: str, level: str = "") -> None:
        """The matrix's one-line summary; ``level`` "warn" or "fail" colours it."""
        self.summary_label.set_full_text(text)
        self.colour(self.summary_label, level)

    @staticmethod
    def colour(label: QLabel, level: str) -> None:
        """Amber for a warning, red for a failure, the palette's text colour otherwise."""
        colour = {"warn": WARN_COLOUR, "fail": FAIL_COLOUR}.get(level)
        label.setStyleSheet(f"color: {colour.name()}; font-weight: bold;" if colour else "")

    def retranslate(self) -> None:
        """Set the texts in the UI's language, the per-row buttons too."""
        self.view.setAccessibleName(self.tr("PGM outputs"))
        self.model.set_button_texts(
            ButtonTexts(
                copy=self.tr("Copy"),
                copy_tip=self.tr("Copy the full {what} URL"),
                copy_name=self.tr("Copy {what} URL"),
                preview=self.tr("Preview this"),
                preview_tip=self.tr("Show {what} in the PGM preview"),
                what=self.tr("PGM {tier} {format}"),
            )
        )
        self.model.retranslate()
        self._fit_columns()

    def changeEvent(self, event: QEvent) -> None:
        kind = event.type()
        if kind == QEvent.Type.LanguageChange:
            self.retranslate()
        elif kind in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_columns()
        super().changeEvent(event)

    def _text_width(self, column: int, values: list[str]) -> int:
        """Room for ``values`` (in bold: the previewed row) and the column's title."""
        style = self.view.style()
        bold = QFont(self.view.font())
        bold.setBold(True)
        cells = QFontMetrics(bold)
        margin = 2 * (
            style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.view) + 1
        )
        widest = max((cells.horizontalAdvance(v) for v in values), default=0) + margin
        header = self.view.horizontalHeader()
        title_font = QFont(header.font())
        title_font.setBold(True)  # sections are drawn bold while a row is selected
        title = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
        header_margin = 2 * style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        titled = QFontMetrics(title_font).horizontalAdvance(title) + header_margin
        return max(widest, titled) + COLUMN_SLACK

    def _column_widths(self, infos: list[StreamInfo]) -> dict[int, int]:
        # Measured in the words shown (Fluent, 超清…), which the language decides.
        tiers = [tier_name(t) for t in [*TRANSCODE_TIERS, *(i.transcode_config for i in infos)]]
        formats = [format_name(f) for f in VIDEO_FORMATS] + [
            format_name(i.video_format) for i in infos
        ]
        return {
            TIER_COLUMN: self._text_width(TIER_COLUMN, tiers),
            FORMAT_COLUMN: self._text_width(FORMAT_COLUMN, formats),
            COPY_COLUMN: button_size(self.view, self.model.button_text(COPY_COLUMN)).width(),
            PREVIEW_COLUMN: button_size(self.view, self.model.button_text(PREVIEW_COLUMN)).width(),
            # Room for the common verdicts, e.g. "✗ not found (HTTP 404)", "⚠ black picture".
            STATUS_COLUMN: self._text_width(
                STATUS_COLUMN,
                [
                    "✓ 1920×1080",
                    self.tr("checking…"),
                    "✗ " + reason_text("not found (HTTP 404)"),
                    "⚠ " + problem_name("black"),
                ],
            ),
            EXPIRES_COLUMN: self._text_width(EXPIRES_COLUMN, ["23 h 59 min", "—"]),
        }

    def _fit_columns(self) -> None:
        """Size the tier, format and button columns for this language, font and style."""
        header = self.view.horizontalHeader()
        widths = self._column_widths(self.model.stream_infos())
        for column, width in widths.items():
            header.resizeSection(column, width)
        # However the window is split: MINIMUM_ROWS whole rows, and a URL column wide enough
        # to tell the URLs apart (scheme, host and the end of the stream name), never a bare "…".
        view = self.view
        frame = 2 * view.frameWidth()
        bar = view.verticalScrollBar().sizeHint().width()
        view.setMinimumWidth(sum(widths.values()) + self._url_minimum() + bar + frame)
        rows = MINIMUM_ROWS * view.verticalHeader().defaultSectionSize()
        view.setMinimumHeight(header.sizeHint().height() + rows + frame)

    def _url_minimum(self) -> int:
        return self.view.fontMetrics().horizontalAdvance(URL_MINIMUM_SAMPLE)

    def set_stream_infos(self, infos: list[StreamInfo] | tuple[StreamInfo, ...]) -> None:
        self.model.set_stream_infos(infos)
        # Widen (never narrow: the user may have) a text column an unknown tier would elide.
        header = self.view.horizontalHeader()
        unknown = [
            i
            for i in infos
            if i.transcode_config not in TRANSCODE_TIERS or i.video_format not in VIDEO_FORMATS
        ]
        if unknown:
            widths = self._column_widths(unknown)
            for column in (TIER_COLUMN, FORMAT_COLUMN):
                if header.sectionSize(column) < widths[column]:
                    header.resizeSection(column, widths[column])

    def press(self, row: int, column: int) -> None:
        """Act as the button at ``row``/``column`` (Copy or Preview this) was pressed."""
        if not 0 <= row < self.model.rowCount():
            return
        info = self.model.stream_info(row)
        tier, fmt = info.transcode_config, format_name(info.video_format)
        if column == COPY_COLUMN:
            # "What" names the output in copy confirmations in the console's words: "PGM HD FLV".
            what = self.tr("PGM {tier} {format}").format(tier=tier_name(tier), format=fmt)
            self.copy_requested.emit(info.output_stream_url, what)
        elif column == PREVIEW_COLUMN:
            self.preview_requested.emit(info.output_stream_url, f"{tier} {fmt}")

    def row_for(self, transcode_config: str, video_format: str) -> int:
        """The row of a tier/format pair, or -1."""
        for row in range(self.model.rowCount()):
            info = self.model.stream_info(row)
            if info.transcode_config == transcode_config and info.video_format == video_format:
                return row
        return -1

    def set_active_url(self, url: str) -> None:
        self.model.set_active_url(url)
