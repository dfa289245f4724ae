"""The caster list widget: filter box, status filter, and the table with its status badges.

Loading, empty and error states are painted over the table's viewport, not shown in separate
widgets, so the table (and its selection) never disappears. The streaming badges show a running
duration that ticks every second between refreshes, repainting only the status column.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.api.models import Caster, CasterStatus
from app.ui.controllers.casters import ListState
from app.ui.models.caster_filter import CasterFilterProxy
from app.ui.models.caster_table import (
    CasterTableModel,
    Column,
    StatusRole,
)
from app.ui.theme import badge_colors, is_dark_palette

TICK_MS = 1000
MINIMUM_ROWS = 4  # caster rows the list always has room for
DEFAULT_SORT_COLUMN = Column.NAME
DEFAULT_SORT_ORDER = Qt.SortOrder.AscendingOrder
BADGE_PADDING = 14  # inside the pill, both sides together
BADGE_MARGIN = 8  # between the pill and the cell edges


def status_column_width(font: QFont, streaming_text: str) -> int:
    """Room for the widest badge: "● Streaming 00:00:00" in bold, with its padding."""
    bold = QFont(font)
    bold.setBold(True)
    label = f"● {streaming_text} 00:00:00"
    return QFontMetrics(bold).horizontalAdvance(label) + BADGE_PADDING + BADGE_MARGIN


Index = QModelIndex | QPersistentModelIndex


class StatusBadgeDelegate(QStyledItemDelegate):
    """Draws the status column as a pill: grey "Idle", red "Streaming 1:02:03"."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        streaming = index.data(StatusRole) == CasterStatus.STREAMING
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(opt.font)
        font.setBold(streaming)
        metrics = QFontMetrics(font)  # the font the text is drawn in (bold when live)
        label = f"● {text}" if streaming else text
        width = metrics.horizontalAdvance(label) + BADGE_PADDING
        height = min(opt.rect.height() - 4, metrics.height() + 4)
        badge = QRect(
            opt.rect.x() + 4,
            opt.rect.y() + (opt.rect.height() - height) // 2,
            min(width, opt.rect.width() - BADGE_MARGIN),
            height,
        )
        colors = badge_colors(streaming, is_dark_palette(opt.palette))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colors.background)
        painter.drawRoundedRect(badge, height / 2, height / 2)
        painter.setPen(colors.text)
        painter.setFont(font)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, label)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        base = super().sizeHint(option, index)
        return QSize(base.width() + 30, base.height())


class _CasterTable(QTableView):
    """A table that paints a message over its viewport when it has nothing to show."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.overlay_text = ""

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.overlay_text:
            return
        painter = QPainter(self.viewport())
        try:
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            area = self.viewport().rect().adjusted(24, 24, -24, -24)
            painter.drawText(
                area,
                int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                self.overlay_text,
            )
        finally:
            painter.end()


class CasterListView(QWidget):
    """Filter row above the caster table. Emits :attr:`current_changed` with the caster."""

    current_changed = Signal(object)  # Caster | None
    selection_changed = Signal()

    def __init__(self, model: CasterTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = CasterFilterProxy(self)
        self.proxy.setSourceModel(model)
        self._state = ListState.NO_SESSION
        self._message = ""
        self._current_id: str | None = None

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("casterFilter")
        self.filter_edit.setClearButtonEnabled(True)
        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("statusFilter")
        self.status_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for status in (None, int(CasterStatus.IDLE), int(CasterStatus.STREAMING)):
            self.status_combo.addItem("", status)

        self.table = _CasterTable(self)
        self.table.setObjectName("casterTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setItemDelegateForColumn(Column.STATUS, StatusBadgeDelegate(self.table))
        rows = self.table.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform rows: fast at 10k
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # Sorted by name from the start, with the arrow showing it: a director looks a studio up
        # by name, and a row stays put when its caster starts or stops (sorting by status would
        # move it from under the pointer). Clicking the header cycles to the API's own order.
        header.setSortIndicator(DEFAULT_SORT_COLUMN, DEFAULT_SORT_ORDER)
        header.setSortIndicatorClearable(True)
        # Name and status first, where a narrow window still shows them; the long ID after.
        header.moveSection(header.visualIndex(Column.STATUS), header.visualIndex(Column.ID))
        for column, width in (
            (Column.NAME, 220),
            (Column.ID, 250),
            (Column.STATUS, 150),
            (Column.TYPE, 80),
            (Column.TEMPLATE, 90),
            (Column.CREATED, 130),
        ):
            self.table.setColumnWidth(column, width)
        self.table.setSortingEnabled(True)

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.filter_edit, 1)
        filters.addWidget(self.status_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        QWidget.setTabOrder(self.filter_edit, self.status_combo)
        QWidget.setTabOrder(self.status_combo, self.table)

        self.filter_edit.textChanged.connect(self._on_filter_text)
        self.status_combo.currentIndexChanged.connect(self._on_status_filter)
        selection = self.table.selectionModel()
        selection.currentRowChanged.connect(self._on_current_row)
        # A mouse press moves the current row before it selects it; tell listeners again once
        # the selection settles, or actions that need "a selected caster" stay disabled.
        selection.selectionChanged.connect(lambda *_: self.selection_changed.emit())
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._refresh_overlay)

        # Streaming durations tick locally between refreshes.
        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(TICK_MS)
        self.tick_timer.timeout.connect(self._tick)
        self.tick_timer.start()
        self.retranslate()

    def retranslate(self) -> None:
        """Set the texts in the UI's language (the model's words and dates too)."""
        self.filter_edit.setPlaceholderText(self.tr("Filter by name or ID (Ctrl+F)"))
        self.filter_edit.setAccessibleName(self.tr("Filter casters"))
        self.status_combo.setAccessibleName(self.tr("Status filter"))
        self.status_combo.setItemText(0, self.tr("All statuses"))
        self.status_combo.setItemText(1, self.tr("Idle"))
        self.status_combo.setItemText(2, self.tr("Streaming"))
        self.model.retranslate()
        # Widen (never narrow) the status column so the longest badge fits in this language.
        needed = status_column_width(self.table.font(), self.tr("Streaming"))
        if self.table.columnWidth(Column.STATUS) < needed:
            self.table.setColumnWidth(Column.STATUS, needed)
        self._fit_minimum_size()
        self._refresh_overlay()

    def _fit_minimum_size(self) -> None:
        """However the window is split, the table shows :data:`MINIMUM_ROWS` whole rows..."""
        table = self.table
        header = table.horizontalHeader().sizeHint().height()
        rows = MINIMUM_ROWS * table.verticalHeader().defaultSectionSize()
        scroll_bar = table.horizontalScrollBar().sizeHint().height()  # a narrow window has one
        table.setMinimumHeight(header + rows + scroll_bar + 2 * table.frameWidth())
        # ...and the name and status columns whole (the others scroll into view).
        bar = table.verticalScrollBar().sizeHint().width()
        columns = table.columnWidth(Column.NAME) + table.columnWidth(Column.STATUS)
        table.setMinimumWidth(columns + bar + 2 * table.frameWidth())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- state -------------------------------------------------------------------------

    @property
    def state(self) -> ListState:
        return self._state

    def set_state(self, state: ListState, message: str = "") -> None:
        """What the list waits for, or why it is empty (``message``: why it failed)."""
        self._state = state
        self._message = message
        self._refresh_overlay()

    def overlay_text(self) -> str:
        """What is painted over the table now ('' when rows are visible)."""
        if self.proxy.rowCount() > 0:
            return ""
        if self.model.rowCount() > 0:
            return self.tr("No caster matches the filter.")
        if self._state is ListState.LOADING:
            return self.tr("Loading casters…")
        if self._state is ListState.ERROR:
            return self.tr("Could not load the casters.") + "\n" + self._message
        if self._state is ListState.READY:
            return self.tr(
                "No production studios in this region.\n"
                "Create one in the ApsaraVideo Live console, or choose another region."
            )
        return self.tr("Choose an account, or try the sandbox.")

    def _refresh_overlay(self) -> None:
        text = self.overlay_text()
        if text != self.table.overlay_text:
            self.table.overlay_text = text
            self.table.viewport().update()

    # --- filter ------------------------------------------------------------------------

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def _on_filter_text(self, text: str) -> None:
        self.proxy.set_text(text)
        self._refresh_overlay()

    def _on_status_filter(self, _index: int) -> None:
        self.proxy.set_status(self.status_combo.currentData())
        self._refresh_overlay()

    def set_status_filter(self, status: int | None) -> None:
        index = self.status_combo.findData(status)
        self.status_combo.setCurrentIndex(max(0, index))

    # --- selection ---------------------------------------------------------------------

    def selected_caster(self) -> Caster | None:
        """The caster of the current row (fresh from the model), or ``None``."""
        current = self.table.selectionModel().currentIndex()
        if not current.isValid() or not self.table.selectionModel().isRowSelected(
            current.row(), QModelIndex()
        ):
            return None
        return self.proxy.caster_at(current.row())

    def select_caster(self, caster_id: str) -> bool:
        """Select and scroll to ``caster_id`` if it is visible under the current filter."""
        row = self.proxy.proxy_row_of(caster_id)
        if row is None:
            return False
        index = self.proxy.index(row, 0)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)
        return True

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        caster = self.proxy.caster_at(current.row()) if current.isValid() else None
        caster_id = caster.caster_id if caster is not None else None
        if caster_id != self._current_id:
            self._current_id = caster_id
            self.current_changed.emit(caster)

    # --- ticking -----------------------------------------------------------------------

    def _tick(self) -> None:
        if not self.model.ticking or not self.table.isVisible():
            return
        viewport = self.table.viewport()
        x = self.table.columnViewportPosition(Column.STATUS)
        if x < 0:
            return
        width = self.table.columnWidth(Column.STATUS)
        viewport.update(QRect(x, 0, width, viewport.height()))

    def stop_timers(self) -> None:
        self.tick_timer.stop()
