"""The caster list as a Qt model: one row per caster, updated in place on every refresh.

:class:`CasterTableModel` keeps one small record per caster with its display strings computed
once, so ``data()`` is a list lookup even with 10,000 rows. A refresh updates rows by CasterId
(``dataChanged`` for the ones that changed, inserts for new ones, removals for vanished ones),
never a model reset, so the view keeps its selection and scroll position. Sorting happens in
this model (one Python sort plus a layout change) and :class:`CasterFilterProxy` only filters
(one Python pass plus a layout change).
"""

from __future__ import annotations

import dataclasses
import math
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QAbstractProxyModel,
    QAbstractTableModel,
    QCoreApplication,
    QDateTime,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from app.api.models import Caster, CasterStatus


class Column(IntEnum):
    """The list's columns, in display order."""

    NAME = 0
    ID = 1
    STATUS = 2
    TYPE = 3
    TEMPLATE = 4
    CREATED = 5
    EXPIRES = 6


COLUMN_COUNT = len(Column)

_USER = int(Qt.ItemDataRole.UserRole)
CasterRole = _USER + 1  # the Caster object
CasterIdRole = _USER + 2  # its CasterId
StatusRole = _USER + 3  # 0 idle, 1 streaming
StreamingSinceRole = _USER + 4  # time.monotonic() when streaming began (estimate), or None

# The caster types (NormType) by name, marked for translation (see app/cli/tables.py).
NORM_TYPES = {
    0: QT_TRANSLATE_NOOP("CasterTableModel", "Playlist"),
    1: QT_TRANSLATE_NOOP("CasterTableModel", "General"),
    3: QT_TRANSLATE_NOOP("CasterTableModel", "Carousel"),
    4: QT_TRANSLATE_NOOP("CasterTableModel", "Virtual studio"),
    6: QT_TRANSLATE_NOOP("CasterTableModel", "Playlist"),
}
RANK_PAGE_STRIDE = 1_000_000  # rank = page * stride + position: API order across pages

Index = QModelIndex | QPersistentModelIndex


def format_duration(seconds: float, locale: QLocale | None = None) -> str:
    """``3723`` → ``1:02:03`` in the locale's digits; negative values count as zero."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if locale is None or locale.zeroDigit() == "0":
        return f"{hours}:{minutes:02d}:{secs:02d}"
    zero = locale.zeroDigit()
    parts = [locale.toString(hours)] + [locale.toString(n).rjust(2, zero) for n in (minutes, secs)]
    return ":".join(parts)


class DateFormatter:
    """Local date and time in a locale's short format ("2026/3/5 14:03", "3/5/26 2:03 PM").

    The "C" locale (no locale configured at all) gets an ISO-like form instead of its terse
    default. One Qt call per value: fast enough for 10,000 rows.
    """

    def __init__(self, locale: QLocale | None = None) -> None:
        self.locale = locale if locale is not None else QLocale()
        if self.locale.language() == QLocale.Language.C:
            self.pattern = "yyyy-MM-dd HH:mm"
        else:
            self.pattern = self.locale.dateTimeFormat(QLocale.FormatType.ShortFormat)

    def __call__(self, value: datetime | None) -> str:
        if value is None:
            return ""
        stamp = QDateTime.fromSecsSinceEpoch(int(value.timestamp()))  # local time
        return self.locale.toString(stamp, self.pattern)


@dataclass(slots=True)
class _Row:
    caster: Caster
    display: list[str]
    search: str  # casefolded "name\nid": what the filter box matches
    since: float | None  # monotonic estimate of when streaming began
    rank: int  # position in the API's own order


class CasterTableModel(QAbstractTableModel):
    """Casters by row. Read with the custom roles; update with :meth:`merge` / :meth:`replace_all`.

    ``clock`` is ``time.monotonic`` (injectable so tests can make durations tick).
    """

    def __init__(
        self, parent: QObject | None = None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._rows: list[_Row] = []
        self._by_id: dict[str, int] = {}
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._streaming = 0
        self._headers: list[str] = []
        self._idle_text = ""
        self._streaming_text = ""
        self._type_text: dict[int, str] = {}
        self._dates = DateFormatter()
        self.retranslate()

    def retranslate(self) -> None:
        """Words, dates and durations in the UI's language and locale (rows too)."""
        self._headers = [
            self.tr("Name"),
            self.tr("ID"),
            self.tr("Status"),
            self.tr("Type"),
            self.tr("Template"),
            self.tr("Created"),
            self.tr("Expires"),
        ]
        self._idle_text = self.tr("Idle")
        self._streaming_text = self.tr("Streaming")
        self._type_text = {
            k: QCoreApplication.translate("CasterTableModel", str(v)) for k, v in NORM_TYPES.items()
        }
        self._dates = DateFormatter(QLocale())
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMN_COUNT - 1)
        for record in self._rows:
            record.display = self._display(record.caster)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, COLUMN_COUNT - 1)
            )

    # --- Qt model interface ------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        shown = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
        if horizontal and role in shown and 0 <= section < COLUMN_COUNT:
            return self._headers[section]  # the tooltip tells a narrowed column's name
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row_number = index.row()
        if row_number < 0 or row_number >= len(self._rows):
            return None
        row = self._rows[row_number]
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == Column.STATUS:
                return self.status_text(row_number)
            return row.display[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            column = index.column()
            if column == Column.STATUS:
                return self.status_text(row_number)
            return row.display[column] or None
        if role == CasterRole:
            return row.caster
        if role == CasterIdRole:
            return row.caster.caster_id
        if role == StatusRole:
            return int(row.caster.status)
        if role == StreamingSinceRole:
            return row.since
        return None

    # --- fast accessors (the proxy and the delegate use these, not data()) -------------

    def caster_at(self, row: int) -> Caster:
        return self._rows[row].caster

    def search_at(self, row: int) -> str:
        return self._rows[row].search

    def status_at(self, row: int) -> int:
        return int(self._rows[row].caster.status)

    def since_at(self, row: int) -> float | None:
        return self._rows[row].since

    def matching_rows(
        self, needle: str, status: int | None, first: int = 0, stop: int | None = None
    ) -> list[int]:
        """Rows in ``[first, stop)`` whose search text holds ``needle`` (casefolded) and whose
        status is ``status`` (``None``: any), in one pass (the filter proxy's whole work)."""
        rows = self._rows[first:stop]
        if status is None:
            if not needle:
                return list(range(first, first + len(rows)))
            return [i for i, r in enumerate(rows, first) if needle in r.search]
        return [
            i for i, r in enumerate(rows, first) if r.caster.status == status and needle in r.search
        ]

    def row_of(self, caster_id: str) -> int | None:
        return self._by_id.get(caster_id)

    def caster_by_id(self, caster_id: str) -> Caster | None:
        row = self._by_id.get(caster_id)
        return None if row is None else self._rows[row].caster

    def casters(self) -> list[Caster]:
        return [r.caster for r in self._rows]

    @property
    def streaming_count(self) -> int:
        return self._streaming

    def status_text(self, row: int) -> str:
        """``Idle`` or ``Streaming 1:02:03`` (the duration computed now, so it ticks)."""
        record = self._rows[row]
        if record.caster.status != CasterStatus.STREAMING:
            return self._idle_text
        if record.since is None:
            return self._streaming_text
        duration = format_duration(self._clock() - record.since, self._dates.locale)
        return f"{self._streaming_text} {duration}"

    # --- updates -----------------------------------------------------------------------

    def _display(self, caster: Caster) -> list[str]:
        norm = caster.norm_type
        return [
            caster.name,
            caster.caster_id,
            "",  # status: computed in data() so the duration ticks
            self._type_text.get(norm, f"{norm}") if norm is not None else "",
            caster.template or "",
            self._dates(caster.create_time),
            self._dates(caster.expire_time),
        ]

    def _since(self, caster: Caster, now: float, previous: float | None) -> float | None:
        if caster.status != CasterStatus.STREAMING:
            return None
        if caster.duration is not None:
            estimate = now - caster.duration.total_seconds()
        elif caster.start_time is not None:
            elapsed = (datetime.now(UTC) - caster.start_time).total_seconds()
            estimate = now - max(0.0, elapsed)
        else:
            estimate = previous if previous is not None else now
        # Keep the running clock steady: small differences are network delay, not news.
        if previous is not None and abs(previous - estimate) < 5.0:
            return previous
        return estimate

    def _make_row(self, caster: Caster, rank: int, now: float) -> _Row:
        return _Row(
            caster=caster,
            display=self._display(caster),
            search=f"{caster.name}\n{caster.caster_id}".casefold(),
            since=self._since(caster, now, None),
            rank=rank,
        )

    def merge(self, casters: Sequence[Caster], *, rank_base: int = 0) -> None:
        """Update known casters in place and append new ones. Removes nothing.

        ``rank_base`` positions this batch in the API's order (page number times
        :data:`RANK_PAGE_STRIDE`), used when the list is not sorted by a column.
        """
        now = self._clock()
        changed: list[int] = []
        new_rows: list[_Row] = []
        seen_new: set[str] = set()
        for position, caster in enumerate(casters):
            rank = rank_base + position
            row_number = self._by_id.get(caster.caster_id)
            if row_number is None:
                if caster.caster_id in seen_new:
                    continue
                seen_new.add(caster.caster_id)
                new_rows.append(self._make_row(caster, rank, now))
                continue
            record = self._rows[row_number]
            record.rank = rank
            if record.caster == caster:
                continue
            was_streaming = record.caster.status == CasterStatus.STREAMING
            record.since = self._since(caster, now, record.since)
            record.caster = caster
            record.display = self._display(caster)
            record.search = f"{caster.name}\n{caster.caster_id}".casefold()
            self._streaming += int(caster.status == CasterStatus.STREAMING) - int(was_streaming)
            changed.append(row_number)
        self._emit_changed(changed)
        if new_rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new_rows) - 1)
            for offset, record in enumerate(new_rows):
                self._by_id[record.caster.caster_id] = first + offset
                self._streaming += int(record.caster.status == CasterStatus.STREAMING)
            self._rows.extend(new_rows)
            self.endInsertRows()

    def replace_all(self, casters: Sequence[Caster], *, reorder: bool = True) -> None:
        """Make the model hold exactly ``casters`` (a complete fetch), updated in place.

        ``reorder=False`` keeps rows where they are when the list is not sorted by a column:
        the API lists by last modification, so a caster that just started would otherwise
        jump to the top under the director's cursor. New casters stay at the end.
        """
        self.merge(casters)
        keep = {c.caster_id for c in casters}
        self._remove_where(lambda r: r.caster.caster_id not in keep)
        if reorder or self._sort_column >= 0:
            self._apply_order()

    def remove(self, caster_ids: Iterable[str]) -> None:
        drop = set(caster_ids)
        self._remove_where(lambda r: r.caster.caster_id in drop)

    def clear(self) -> None:
        """Forget every caster (another account or region)."""
        self.beginResetModel()
        self._rows.clear()
        self._by_id.clear()
        self._streaming = 0
        self.endResetModel()

    def set_status(self, caster_id: str, status: int) -> None:
        """Record a status change we caused (Start/Stop succeeded) before the next refresh."""
        row_number = self._by_id.get(caster_id)
        if row_number is None:
            return
        record = self._rows[row_number]
        if record.caster.status == status:
            return
        caster = dataclasses.replace(record.caster, status=status, duration=None, start_time=None)
        self._streaming += 1 if status == CasterStatus.STREAMING else -1
        record.caster = caster
        record.since = self._clock() if status == CasterStatus.STREAMING else None
        self._emit_changed([row_number])

    def _emit_changed(self, rows: list[int]) -> None:
        if not rows:
            return
        rows.sort()
        last_column = COLUMN_COUNT - 1
        start = previous = rows[0]
        for row in rows[1:]:
            if row != previous + 1:
                self.dataChanged.emit(self.index(start, 0), self.index(previous, last_column))
                start = row
            previous = row
        self.dataChanged.emit(self.index(start, 0), self.index(previous, last_column))

    def _remove_where(self, predicate: Callable[[_Row], bool]) -> None:
        doomed = [i for i, r in enumerate(self._rows) if predicate(r)]
        if not doomed:
            return
        # Remove contiguous blocks from the bottom up so earlier row numbers stay valid.
        blocks: list[tuple[int, int]] = []
        start = previous = doomed[0]
        for row in doomed[1:]:
            if row != previous + 1:
                blocks.append((start, previous))
                start = row
            previous = row
        blocks.append((start, previous))
        for first, last in reversed(blocks):
            self.beginRemoveRows(QModelIndex(), first, last)
            for record in self._rows[first : last + 1]:
                self._streaming -= int(record.caster.status == CasterStatus.STREAMING)
            del self._rows[first : last + 1]
            self.endRemoveRows()
        self._by_id = {r.caster.caster_id: i for i, r in enumerate(self._rows)}

    # --- sorting -----------------------------------------------------------------------

    @property
    def sort_column(self) -> int:
        return self._sort_column

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column`` (``-1``: the API's own order). Selection follows the rows."""
        self._sort_column = column if 0 <= column < COLUMN_COUNT else -1
        self._sort_order = order
        self._apply_order()

    def _sort_key(self) -> Callable[[_Row], Any]:
        column = self._sort_column
        if column == Column.NAME:
            return lambda r: (r.caster.name.casefold(), r.rank)
        if column == Column.ID:
            return lambda r: (r.caster.caster_id, r.rank)
        if column == Column.STATUS:
            return lambda r: (r.caster.status, r.caster.name.casefold(), r.rank)
        if column == Column.TYPE:
            return lambda r: (r.display[Column.TYPE], r.rank)
        if column == Column.TEMPLATE:
            return lambda r: (r.caster.template or "", r.rank)
        if column == Column.CREATED:
            return lambda r: (_stamp(r.caster.create_time), r.rank)
        if column == Column.EXPIRES:
            return lambda r: (_stamp(r.caster.expire_time, math.inf), r.rank)
        return lambda r: r.rank

    def _apply_order(self) -> None:
        if len(self._rows) < 2:
            return
        key = self._sort_key()
        reverse = self._sort_column >= 0 and self._sort_order == Qt.SortOrder.DescendingOrder
        order = sorted(range(len(self._rows)), key=lambda i: key(self._rows[i]), reverse=reverse)
        if all(old == new for new, old in enumerate(order)):
            return
        self.layoutAboutToBeChanged.emit()
        new_position = [0] * len(order)
        for new, old in enumerate(order):
            new_position[old] = new
        persistent = self.persistentIndexList()
        moved = [self.index(new_position[p.row()], p.column()) for p in persistent]
        self._rows = [self._rows[i] for i in order]
        self._by_id = {r.caster.caster_id: i for i, r in enumerate(self._rows)}
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()


def _stamp(value: datetime | None, missing: float = -math.inf) -> float:
    return value.timestamp() if value is not None else missing


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
