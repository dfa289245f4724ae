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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
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
from app.ui.names import template_name


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


EXPIRY_WARNING_DAYS = 7


def expiry_days(caster: Caster) -> float | None:
    """Days until ``caster`` expires (negative once it has), or None if it never does."""
    if caster.expire_time is None:
        return None
    return (caster.expire_time - datetime.now(UTC)).total_seconds() / 86_400


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
        self._starting: dict[str, float] = {}
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
        self._starting_text = self.tr("Starting… {0} s")
        self._expired_text = self.tr("Expired")
        self._expires_soon_text = self.tr("{0} · expires in {1} d")
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
            if column == Column.TEMPLATE and row.caster.template:
                return f"{row.display[column]} ({row.caster.template})"  # the code, too
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

    @property
    def ticking(self) -> bool:
        """True while a status text changes by itself (a streaming clock, a Start's seconds)."""
        return self._streaming > 0 or bool(self._starting)

    def set_starting(self, caster_id: str, since: float | None) -> None:
        """Mark a Start in flight for ``caster_id`` since ``since`` (monotonic); None ends it."""
        if since is None:
            self._starting.pop(caster_id, None)
        else:
            self._starting[caster_id] = since
        row = self._by_id.get(caster_id)
        if row is not None:
            self._emit_changed([row])

    def status_text(self, row: int) -> str:
        """``Starting… 3 s``, ``Expired``, ``Idle`` or ``Streaming 1:02:03`` (computed now, so
        it ticks); a caster that expires within 7 days says so."""
        record = self._rows[row]
        caster = record.caster
        started = self._starting.get(caster.caster_id)
        if started is not None:
            return self._starting_text.format(int(self._clock() - started))
        left = expiry_days(caster)
        if left is not None and left < 0 and caster.status != CasterStatus.STREAMING:
            return self._expired_text
        if caster.status != CasterStatus.STREAMING:
            text = self._idle_text
        elif record.since is None:
            text = self._streaming_text
        else:
            duration = format_duration(self._clock() - record.since, self._dates.locale)
            text = f"{self._streaming_text} {duration}"
        if left is not None and 0 <= left < EXPIRY_WARNING_DAYS:
            return self._expires_soon_text.format(text, int(left) + 1)
        return text

    # --- updates -----------------------------------------------------------------------

    def _display(self, caster: Caster) -> list[str]:
        norm = caster.norm_type
        return [
            caster.name,
            caster.caster_id,
            "",  # status: computed in data() so the duration ticks
            self._type_text.get(norm, f"{norm}") if norm is not None else "",
            template_name(caster.template),
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
