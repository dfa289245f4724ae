"""The PGM outputs (StreamInfos) as a table model: tier, format, URL, two button columns, and
the playability matrix's status and the URL's expiry countdown (see ``output_checks``)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPalette

from app.api.models import StreamInfo, sorted_stream_infos
from app.probe.expiry import UrlExpiry, url_expiry
from app.probe.judge import Verdict, url_format
from app.ui.copy_text import format_name
from app.ui.models import output_checks as checks
from app.ui.models.output_checks import ExpiryPolicy, OutputKey
from app.ui.names import tier_name

AnyIndex = QModelIndex | QPersistentModelIndex

TIER_COLUMN, FORMAT_COLUMN, URL_COLUMN, COPY_COLUMN, PREVIEW_COLUMN = range(5)
# Added after the first five so their numbers stay; the table shows them first (moveSection).
STATUS_COLUMN, EXPIRES_COLUMN = 5, 6
COLUMN_COUNT = 7
BUTTON_COLUMNS = (COPY_COLUMN, PREVIEW_COLUMN)
URL_ROLE = Qt.ItemDataRole.UserRole + 1
MARK_ROLE = Qt.ItemDataRole.UserRole + 2  # "✓", "⚠", "✗", "" (not checked) or "…" (checking)
WARN_COLOUR = QColor("#b35c00")  # amber, readable on light and dark rows
FAIL_COLOUR = QColor("#c62828")


def row_key(info: StreamInfo) -> OutputKey:
    """The matrix's key of a PGM output row (survives a refresh that re-signs the URL)."""
    fmt = info.video_format or url_format(info.output_stream_url)
    return ("pgm", info.transcode_config or None, fmt)


@dataclass(frozen=True, slots=True)
class ButtonTexts:
    """The button columns' words, in the UI's language (set by :class:`OutputsTable`).

    ``what`` names an output ("PGM {tier} {format}"); the tips and ``copy_name`` embed it.
    """

    copy: str = "Copy"
    copy_tip: str = "Copy the full {what} URL"
    copy_name: str = "Copy {what} URL"
    preview: str = "Preview this"
    preview_tip: str = "Show {what} in the PGM preview"
    what: str = "PGM {tier} {format}"


class OutputsModel(QAbstractTableModel):
    """StreamInfos as rows: tier, format, URL, and two button columns."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[StreamInfo] = []
        self._active_url = ""
        self._ended = False
        self._texts = ButtonTexts()
        self._verdicts: dict[OutputKey, Verdict] = {}
        self._checking: set[OutputKey] = set()
        self._policy = ExpiryPolicy()

    # --- the playability matrix and expiry ------------------------------------------------

    @property
    def policy(self) -> ExpiryPolicy:
        return self._policy

    def set_policy(self, policy: ExpiryPolicy) -> None:
        """URL validity and event length (the expiry column and warnings follow)."""
        self._policy = policy
        self.tick()

    def set_checking(self, keys: set[OutputKey]) -> None:
        """These outputs are being probed now: their status says "checking…"."""
        self._checking = set(keys)
        self.tick()

    def set_verdict(self, key: OutputKey, verdict: Verdict) -> None:
        self._verdicts[key] = verdict
        self._checking.discard(key)
        self.tick()

    def clear_checks(self) -> None:
        self._verdicts.clear()
        self._checking.clear()
        self.tick()

    def verdict(self, row: int) -> Verdict | None:
        return self._verdicts.get(row_key(self._rows[row]))

    def expiry(self, row: int) -> UrlExpiry | None:
        return url_expiry(self._rows[row].output_stream_url, self._policy.validity_s)

    def tick(self) -> None:
        """Time passed (or a verdict came): re-read the status and expiry columns."""
        if self._rows:
            self.dataChanged.emit(
                self.index(0, STATUS_COLUMN), self.index(len(self._rows) - 1, EXPIRES_COLUMN)
            )

    def _check_data(self, row: int, column: int, role: int) -> Any:
        key = row_key(self._rows[row])
        now = time.time()
        if column == EXPIRES_COLUMN:
            expiry = self.expiry(row)
            if role == Qt.ItemDataRole.DisplayRole:
                return checks.expiry_text(expiry, now)
            if role == Qt.ItemDataRole.ToolTipRole:
                return checks.expiry_tooltip(expiry, self._policy, now)
            if role == Qt.ItemDataRole.ForegroundRole:
                state = self._policy.state(expiry, now)
                if state:
                    return QBrush(FAIL_COLOUR if state == "expired" else WARN_COLOUR)
            return None
        verdict = self._verdicts.get(key)
        checking = key in self._checking
        if role == MARK_ROLE:
            if checking:
                return "…"
            return checks.mark(verdict, self._policy, now) if verdict is not None else ""
        if role == Qt.ItemDataRole.DisplayRole:
            if checking:
                return self.tr("checking…")
            return checks.status_text(verdict, self._policy, now) if verdict else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            if checking:
                return self.tr("Checking whether this output plays…")
            if verdict is None:
                return self.tr("Not checked yet: Check outputs (Ctrl+K) probes every URL.")
            return checks.status_tooltip(verdict, self._policy, now)
        if role == Qt.ItemDataRole.ForegroundRole and verdict is not None and not checking:
            symbol = checks.mark(verdict, self._policy, now)
            if symbol == checks.MARK_FAIL:
                return QBrush(FAIL_COLOUR)
            if symbol == checks.MARK_WARN:
                return QBrush(WARN_COLOUR)
        return None

    # --- rows ------------------------------------------------------------------------------

    def set_stream_infos(self, infos: list[StreamInfo] | tuple[StreamInfo, ...]) -> None:
        self.beginResetModel()
        self._rows = sorted_stream_infos(list(infos))
        self._active_url = ""
        self._ended = False
        self.endResetModel()

    @property
    def ended(self) -> bool:
        return self._ended

    def set_ended(self, ended: bool) -> None:
        """The caster stopped: the URLs stay (Copy still copies them) but say they are not live."""
        changed, self._ended = ended != self._ended, ended
        if changed and self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, URL_COLUMN))

    def stream_info(self, row: int) -> StreamInfo:
        return self._rows[row]

    def stream_infos(self) -> list[StreamInfo]:
        return list(self._rows)

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

    def set_button_texts(self, texts: ButtonTexts) -> None:
        """The button columns' words and tips (the table passes them translated)."""
        self._texts = texts
        if self._rows:
            self.dataChanged.emit(
                self.index(0, COPY_COLUMN), self.index(len(self._rows) - 1, PREVIEW_COLUMN)
            )

    def button_text(self, column: int) -> str:
        """What the button of ``column`` says ("Copy", "Preview this"), or ''."""
        if column == COPY_COLUMN:
            return self._texts.copy
        if column == PREVIEW_COLUMN:
            return self._texts.preview
        return ""

    def retranslate(self) -> None:
        """The column titles are looked up on every call: just say they changed."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            TIER_COLUMN: self.tr("Tier"),
            FORMAT_COLUMN: self.tr("Format"),
            URL_COLUMN: self.tr("URL"),
            COPY_COLUMN: self.tr("Copy"),
            PREVIEW_COLUMN: self.tr("Preview"),
            STATUS_COLUMN: self.tr("Plays"),
            EXPIRES_COLUMN: self.tr("Expires in"),
        }.get(section)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        info = self._rows[index.row()]
        column = index.column()
        if column in BUTTON_COLUMNS and role != Qt.ItemDataRole.FontRole:
            return self._button_data(info, column, role)
        if column in (STATUS_COLUMN, EXPIRES_COLUMN) and role != Qt.ItemDataRole.FontRole:
            return self._check_data(index.row(), column, role)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == TIER_COLUMN:
                return tier_name(info.transcode_config)
            if column == FORMAT_COLUMN:
                return format_name(info.video_format)
            if column == URL_COLUMN:
                return info.output_stream_url
            return None
        if role == Qt.ItemDataRole.ToolTipRole and column == URL_COLUMN:
            if self._ended:
                return self.tr("No longer live: the caster stopped. {0}").format(
                    info.output_stream_url
                )
            return info.output_stream_url
        if role == Qt.ItemDataRole.ForegroundRole and self._ended and column != URL_COLUMN:
            return QPalette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.FontRole and self._ended and column == URL_COLUMN:
            font = QFont()
            font.setStrikeOut(True)  # plainly ended, yet still readable and copyable
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column == TIER_COLUMN:
            return info.transcode_config  # the code, as the API and JSON name it
        if role == URL_ROLE:
            return info.output_stream_url
        if role == Qt.ItemDataRole.FontRole and info.output_stream_url == self._active_url:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _button_data(self, info: StreamInfo, column: int, role: int) -> Any:
        texts = self._texts
        copy = column == COPY_COLUMN
        if role == Qt.ItemDataRole.DisplayRole:
            return texts.copy if copy else texts.preview
        if role == URL_ROLE:
            return info.output_stream_url
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            what = texts.what.format(
                tier=tier_name(info.transcode_config), format=format_name(info.video_format)
            )
            return (texts.copy_tip if copy else texts.preview_tip).format(what=what)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if not copy:
                return texts.preview
            what = texts.what.format(
                tier=tier_name(info.transcode_config), format=format_name(info.video_format)
            )
            return texts.copy_name.format(what=what)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
