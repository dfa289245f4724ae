"""The caster list's filter: name/ID text and status, over a :class:`CasterTableModel`."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from app.api.models import Caster
from app.ui.models.caster_table import COLUMN_COUNT, CasterTableModel, Index


def _holds(ordered: list[int], value: int) -> bool:
    """``value in ordered`` for a sorted list, by bisection."""
    at = bisect_left(ordered, value)
    return at < len(ordered) and ordered[at] == value


class CasterFilterProxy(QAbstractProxyModel):
    """Filter-as-you-type on name and ID (case-insensitive substring) plus a status filter.

    The shown rows are ``visible``, a sorted list of source rows, recomputed in one Python pass
    over the model's precomputed search strings. A filter change is published as one layout
    change (persistent indexes, so the selection, follow the rows), not as thousands of row
    removals and insertions, and no Python filter function is called per row from C++.
    Source updates pass through: changed rows as ``dataChanged``, new matching rows as one
    insertion, vanished rows as removals, a re-sort as a layout change. Sorting is delegated to
    the source model, which does it in one pass.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._status: int | None = None
        self._source: CasterTableModel | None = None
        self._visible: list[int] = []
        self._pending_removal: tuple[int, int] | None = None  # proxy rows [lo, hi) going away
        self._saved_layout: tuple[list[QModelIndex], list[QPersistentModelIndex]] = (
            [],
            [],
        )

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        if not isinstance(model, CasterTableModel):
            raise TypeError("CasterFilterProxy filters a CasterTableModel")
        if self._source is not None:
            raise RuntimeError("CasterFilterProxy takes its source model once")
        self.beginResetModel()
        self._source = model
        super().setSourceModel(model)
        model.dataChanged.connect(self._on_data_changed)
        model.headerDataChanged.connect(self._on_header_data_changed)
        model.rowsInserted.connect(self._on_rows_inserted)
        model.rowsAboutToBeRemoved.connect(self._on_rows_about_to_be_removed)
        model.rowsRemoved.connect(self._on_rows_removed)
        model.layoutAboutToBeChanged.connect(self._on_layout_about_to_be_changed)
        model.layoutChanged.connect(self._on_layout_changed)
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._on_model_reset)
        self._visible = self._matching()
        self.endResetModel()

    @property
    def text(self) -> str:
        return self._text

    @property
    def status(self) -> int | None:
        return self._status

    def set_text(self, text: str) -> None:
        needle = text.strip().casefold()
        if needle == self._text:
            return
        self._text = needle
        self._refilter()

    def set_status(self, status: int | None) -> None:
        if status == self._status:
            return
        self._status = status
        self._refilter()

    # --- filtering ---------------------------------------------------------------------

    def _matching(self, first: int = 0, stop: int | None = None) -> list[int]:
        if self._source is None:
            return []
        return self._source.matching_rows(self._text, self._status, first, stop)

    def _proxy_row(self, source_row: int) -> int:
        """The proxy row showing ``source_row``, or -1 when it is filtered out."""
        at = bisect_left(self._visible, source_row)
        return at if _holds(self._visible, source_row) else -1

    def _refilter(self) -> None:
        """Recompute the shown rows and publish them as one layout change."""
        visible = self._matching()
        if visible == self._visible:
            return
        self._remove_hidden_anchors(visible)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        sources = [self._visible[p.row()] for p in persistent]
        self._visible = visible
        moved = [
            self._index_or_invalid(self._proxy_row(source_row), p.column())
            for p, source_row in zip(persistent, sources, strict=True)
        ]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def _remove_hidden_anchors(self, visible: list[int]) -> None:
        """Remove, as row blocks, the rows with a persistent index that ``visible`` hides.

        Those are the selected and current rows (a few at most). A selection model drops a
        row that vanishes in a layout change silently; a removal makes it move the current
        row to a neighbour and emit ``selectionChanged``, as it did with per-row filtering.
        Each block spans the hidden rows around the anchor, so the neighbour stays shown.
        """
        anchors = {self._visible[p.row()] for p in self.persistentIndexList()}
        if all(_holds(visible, source_row) for source_row in anchors):
            return
        keep = set(visible)
        while True:
            row = next(
                (p.row() for p in self.persistentIndexList() if self._visible[p.row()] not in keep),
                -1,
            )
            if row < 0:
                return
            first = last = row
            while first > 0 and self._visible[first - 1] not in keep:
                first -= 1
            while last + 1 < len(self._visible) and self._visible[last + 1] not in keep:
                last += 1
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._visible[first : last + 1]
            self.endRemoveRows()

    def _index_or_invalid(self, row: int, column: int) -> QModelIndex:
        return self.createIndex(row, column) if row >= 0 else QModelIndex()

    # --- source updates ----------------------------------------------------------------

    def _on_data_changed(self, top: QModelIndex, bottom: QModelIndex, roles: list[int]) -> None:
        first, last = top.row(), bottom.row()
        lo = bisect_left(self._visible, first)
        hi = bisect_right(self._visible, last)
        if self._visible[lo:hi] != self._matching(first, last + 1):
            self._refilter()  # a row started or stopped matching (status, renamed)
            lo = bisect_left(self._visible, first)
            hi = bisect_right(self._visible, last)
        if hi > lo:
            self.dataChanged.emit(
                self.createIndex(lo, top.column()), self.createIndex(hi - 1, bottom.column()), roles
            )

    def _on_header_data_changed(self, orientation: Qt.Orientation, first: int, last: int) -> None:
        if orientation == Qt.Orientation.Horizontal:
            self.headerDataChanged.emit(orientation, first, last)

    def _on_rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if parent.isValid():
            return
        count = last - first + 1
        at = bisect_left(self._visible, first)
        shifted = [row + count for row in self._visible[at:]]
        added = self._matching(first, last + 1)
        if not added:
            self._visible[at:] = shifted
            return
        self.beginInsertRows(QModelIndex(), at, at + len(added) - 1)
        self._visible[at:] = added + shifted
        self.endInsertRows()

    def _on_rows_about_to_be_removed(self, parent: QModelIndex, first: int, last: int) -> None:
        if parent.isValid():
            return
        lo = bisect_left(self._visible, first)
        hi = bisect_right(self._visible, last)
        self._pending_removal = (lo, hi)
        if hi > lo:
            self.beginRemoveRows(QModelIndex(), lo, hi - 1)

    def _on_rows_removed(self, parent: QModelIndex, first: int, last: int) -> None:
        if parent.isValid() or self._pending_removal is None:
            return
        lo, hi = self._pending_removal
        self._pending_removal = None
        count = last - first + 1
        self._visible[lo:] = [row - count for row in self._visible[hi:]]
        if hi > lo:
            self.endRemoveRows()

    def _on_layout_about_to_be_changed(self, *_args: object) -> None:
        self.layoutAboutToBeChanged.emit()
        source = self._source
        persistent = self.persistentIndexList()
        # The source moves its own persistent indexes: remember ours through them.
        anchors = [
            QPersistentModelIndex(source.index(self._visible[p.row()], p.column()))
            if source is not None
            else QPersistentModelIndex()
            for p in persistent
        ]
        self._saved_layout = (persistent, anchors)

    def _on_layout_changed(self, *_args: object) -> None:
        persistent, anchors = self._saved_layout
        self._saved_layout = ([], [])
        self._visible = self._matching()
        moved = [
            self._index_or_invalid(self._proxy_row(a.row()), a.column())
            if a.isValid()
            else QModelIndex()
            for a in anchors
        ]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def _on_model_reset(self) -> None:
        self._visible = self._matching()
        self.endResetModel()

    # --- Qt proxy interface ------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < len(self._visible) and 0 <= column < COLUMN_COUNT):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: Index | None = None) -> Any:
        if child is None:
            return QObject.parent(self)  # QObject.parent(), same name in Python
        return QModelIndex()

    def sibling(self, row: int, column: int, index: Index) -> QModelIndex:
        return self.index(row, column)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and bool(self._visible)

    def mapToSource(self, proxy_index: Index) -> QModelIndex:
        source = self._source
        row = proxy_index.row()
        if source is None or not proxy_index.isValid() or not 0 <= row < len(self._visible):
            return QModelIndex()
        return source.index(self._visible[row], proxy_index.column())

    def mapFromSource(self, source_index: Index) -> QModelIndex:
        if not source_index.isValid():
            return QModelIndex()
        return self._index_or_invalid(self._proxy_row(source_index.row()), source_index.column())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Straight to the source: the view asks this for every painted cell.
        source = self._source
        row = index.row()
        if source is None or not index.isValid() or not 0 <= row < len(self._visible):
            return None
        return source.data(source.index(self._visible[row], index.column()), role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if self._source is None or orientation != Qt.Orientation.Horizontal:
            return None
        return self._source.headerData(section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self._source is not None:
            self._source.sort(column, order)

    # --- lookups -----------------------------------------------------------------------

    def caster_at(self, proxy_row: int) -> Caster | None:
        """The caster shown at ``proxy_row``, or ``None``."""
        if self._source is None or not 0 <= proxy_row < len(self._visible):
            return None
        return self._source.caster_at(self._visible[proxy_row])

    def proxy_row_of(self, caster_id: str) -> int | None:
        if self._source is None:
            return None
        source_row = self._source.row_of(caster_id)
        if source_row is None:
            return None
        row = self._proxy_row(source_row)
        return row if row >= 0 else None
