"""The hand-off dialog (Hand off…, Ctrl+Shift+H): every URL of the shown caster, ready to give.

Four tabs: chat text for WeChat/DingTalk (m3u8 first, readable tier names, expiry), JSON, CSV,
and one QR code per URL with a printable sheet (PNG or PDF). Everything comes from
:class:`app.handoff.HandoffPack`, the same pack ``casterdesk handoff`` writes. What is copied
or saved is the true URL unless "Mask tokens" is ticked (then ``auth_key`` reads ``<hidden>``,
for screenshots). Saving asks for a file name here; the file is written on a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.handoff import HandoffPack, local_time
from app.probe.judge import Output
from app.ui import i18n
from app.ui.concurrency import WorkerPool
from app.ui.copy_text import format_name
from app.ui.names import tier_name
from app.ui.widgets.handoff_sheet import (
    SheetEntry,
    qr_image,
    qr_matrix,
    save_sheet_pdf,
    save_sheet_png,
)

QR_SIZE = 168


class HandoffDialog(QDialog):
    """See the module docstring. ``saved(path)`` / ``save_failed(message)`` after a save."""

    saved = Signal(str)
    save_failed = Signal(str)
    codes_shown = Signal(int)  # the QR codes (encoded on a worker) are on the QR tab
    copied = Signal(str)

    def __init__(
        self,
        caster_id: str,
        caster_name: str,
        outputs: list[Output],
        validity_s: int | None,
        parent: QWidget | None = None,
        *,
        pool: WorkerPool | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("handoffDialog")
        self.pack = HandoffPack.build(caster_id, caster_name, outputs, validity_s=validity_s)
        self._pool = pool
        self._own_pool: WorkerPool | None = None
        self.setWindowTitle(self.tr("Hand off “{0}”").format(caster_name or caster_id))

        self.mask_box = QCheckBox(self.tr("Mask tokens (hide auth_key, for screenshots)"), self)
        self.mask_box.toggled.connect(self._fill)
        self.language_combo = QComboBox(self)
        self.language_combo.addItem("English", "en")
        self.language_combo.addItem("中文", "zh")
        if i18n.current_language() == i18n.CHINESE:
            self.language_combo.setCurrentIndex(1)
        self.language_combo.currentIndexChanged.connect(self._fill)
        top = QHBoxLayout()
        top.addWidget(self.mask_box, 1)
        top.addWidget(QLabel(self.tr("Chat language:"), self))
        top.addWidget(self.language_combo)

        self.tabs = QTabWidget(self)
        self.chat_edit = self._text_tab(
            self.tr("Chat text"), self.copy_chat, lambda: self.save_text("txt")
        )
        self.json_edit = self._text_tab("JSON", self.copy_json, lambda: self.save_text("json"))
        self.csv_edit = self._text_tab("CSV", self.copy_csv, lambda: self.save_text("csv"))
        self.qr_page = QWidget()
        self.qr_grid = QGridLayout(self.qr_page)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.qr_page)
        qr_tab = QWidget()
        qr_layout = QVBoxLayout(qr_tab)
        qr_layout.addWidget(scroll, 1)
        sheet_row = QHBoxLayout()
        sheet_row.addStretch(1)
        self.png_button = QPushButton(self.tr("Save sheet as PNG…"), qr_tab)
        self.png_button.clicked.connect(lambda: self.save_sheet("png"))
        self.pdf_button = QPushButton(self.tr("Save sheet as PDF…"), qr_tab)
        self.pdf_button.clicked.connect(lambda: self.save_sheet("pdf"))
        sheet_row.addWidget(self.png_button)
        sheet_row.addWidget(self.pdf_button)
        qr_layout.addLayout(sheet_row)
        self.tabs.addTab(qr_tab, self.tr("QR codes"))

        self.status_label = QLabel("", self)
        self.status_label.setObjectName("handoffStatus")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(buttons)
        self.resize(820, 640)
        self._qr_labels: list[QLabel] = []
        self._qr_run = 0
        self._fill()

    # --- contents ------------------------------------------------------------------------------

    @property
    def masked(self) -> bool:
        return self.mask_box.isChecked()

    @property
    def chat_language(self) -> str:
        return str(self.language_combo.currentData())

    def _text_tab(
        self, title: str, copy: Callable[[], str], save: Callable[[], object] | None
    ) -> QPlainTextEdit:
        page = QWidget()
        edit = QPlainTextEdit(page)
        edit.setReadOnly(True)
        edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        row = QHBoxLayout()
        row.addStretch(1)
        copy_button = QPushButton(self.tr("Copy"), page)
        copy_button.clicked.connect(copy)
        row.addWidget(copy_button)
        if save is not None:
            save_button = QPushButton(self.tr("Save…"), page)
            save_button.clicked.connect(save)
            row.addWidget(save_button)
        layout = QVBoxLayout(page)
        layout.addWidget(edit, 1)
        layout.addLayout(row)
        self.tabs.addTab(page, title)
        return edit

    def chat_text(self) -> str:
        return self.pack.text(self.chat_language, mask=self.masked)

    def json_text(self) -> str:
        return self.pack.json(mask=self.masked)

    def csv_text(self) -> str:
        return self.pack.csv(mask=self.masked)

    def sheet_entries(self) -> list[SheetEntry]:
        """The QR codes in hand-off order: tiers (m3u8, FLV, RTMP), then the monitors."""
        order = {"m3u8": 0, "flv": 1, "rtmp": 2}
        tiers = sorted(
            (i for i in self.pack.items if i.output.tier),
            key=lambda i: order.get(i.output.format, 3),
        )
        monitors = [i for i in self.pack.items if not i.output.tier]
        entries = []
        for item in [*tiers, *monitors]:
            output = item.output
            if output.tier:
                title = f"{tier_name(output.tier)} {format_name(output.format)}"
            else:
                title = self.tr("{0} monitor").format(output.scene.upper())
            until = (
                self.tr("valid until {0}").format(local_time(item.expiry.expires_at))
                if item.expiry is not None
                else ""
            )
            entries.append(SheetEntry(title, until, item.url(self.masked)))
        return entries

    def _fill(self) -> None:
        self.chat_edit.setPlainText(self.chat_text())
        self.json_edit.setPlainText(self.json_text())
        self.csv_edit.setPlainText(self.csv_text())
        # Encoding 14 QR codes takes ~130 ms of pure Python: on a worker, shown when done.
        entries = self.sheet_entries()
        self._qr_run += 1
        run = self._qr_run
        self._workers().run(
            lambda: [qr_matrix(e.url) for e in entries],
            name="handoff_qr",
            on_result=lambda matrices: self._show_codes(run, entries, matrices),
            owner=self,
        )

    def _show_codes(
        self, run: int, entries: list[SheetEntry], matrices: list[list[bytearray]]
    ) -> None:
        if run != self._qr_run:
            return  # the mask was toggled meanwhile: a newer set is on its way
        for label in self._qr_labels:
            label.deleteLater()
        self._qr_labels = []
        for index, (entry, matrix) in enumerate(zip(entries, matrices, strict=True)):
            row, column = divmod(index, 3)
            picture = QLabel(self.qr_page)
            picture.setPixmap(QPixmap.fromImage(qr_image(matrix, QR_SIZE)))
            picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
            picture.setToolTip(entry.url)
            caption = QLabel(self.qr_page)
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption.setTextFormat(Qt.TextFormat.PlainText)
            caption.setText("\n".join((entry.title, entry.subtitle)))  # translated above
            self.qr_grid.addWidget(picture, row * 2, column)
            self.qr_grid.addWidget(caption, row * 2 + 1, column)
            self._qr_labels += [picture, caption]
        self.codes_shown.emit(len(entries))

    # --- copying -------------------------------------------------------------------------------

    def _copy(self, text: str, what: str) -> str:
        QGuiApplication.clipboard().setText(text)
        message = self.tr("Copied the {0}").format(what)
        if self.masked:
            message += " " + self.tr("(tokens masked: these URLs do not play)")
        self.status_label.setText(message)
        self.copied.emit(message)
        return text

    def copy_chat(self) -> str:
        return self._copy(self.chat_text(), self.tr("chat text"))

    def copy_json(self) -> str:
        return self._copy(self.json_text(), "JSON")

    def copy_csv(self) -> str:
        return self._copy(self.csv_text(), "CSV")

    # --- saving --------------------------------------------------------------------------------

    def _ask_path(self, suffix: str, title: str) -> Path | None:
        stem = (self.pack.caster_name or self.pack.caster_id).replace("/", "_")
        name, _ = QFileDialog.getSaveFileName(
            self, title, f"{stem} hand-off.{suffix}", f"{suffix.upper()} (*.{suffix})"
        )
        return Path(name) if name else None

    def save_text(self, kind: str, path: Path | None = None) -> bool:
        """Save the chat text (``txt``), JSON or CSV (asks where unless ``path`` is given).
        True once started."""
        title = (
            self.tr("Save the chat text")
            if kind == "txt"
            else self.tr("Save the {0}").format(kind.upper())
        )
        path = path or self._ask_path(kind, title)
        if path is None:
            return False
        texts = {"txt": self.chat_text, "json": self.json_text, "csv": self.csv_text}
        text = texts[kind]()

        def write() -> Path:
            # CSV with a byte-order mark: Excel then reads the Chinese tier names right.
            path.write_text(text, encoding="utf-8-sig" if kind == "csv" else "utf-8")
            return path

        self._write(write)
        return True

    def save_sheet(self, kind: str, path: Path | None = None) -> bool:
        """Save the printable sheet as PNG or PDF (asks where unless ``path`` is given)."""
        path = path or self._ask_path(kind, self.tr("Save the sheet"))
        if path is None:
            return False
        name = self.pack.caster_name or self.pack.caster_id
        subtitle = self.tr("Play URLs · {0}").format(local_time(self.pack.generated_at))
        entries = self.sheet_entries()
        save = save_sheet_png if kind == "png" else save_sheet_pdf
        self._write(lambda: save(path, name, subtitle, entries))
        return True

    def _workers(self) -> WorkerPool:
        if self._pool is None:
            self._own_pool = self._pool = WorkerPool(self, max_threads=1)
        return self._pool

    def _write(self, job: Callable[[], Path]) -> None:
        self.status_label.setText(self.tr("Saving…"))
        self._workers().run(
            job,
            name="handoff_save",
            on_result=self._on_saved,
            on_error=self._on_save_failed,
            owner=self,
        )

    def _on_saved(self, path: Path) -> None:
        self.status_label.setText(self.tr("Saved {0}").format(str(path)))
        self.saved.emit(str(path))

    def _on_save_failed(self, error: BaseException) -> None:
        message = self.tr("Could not save: {0}. Choose another folder.").format(
            getattr(error, "strerror", None) or str(error)
        )
        self.status_label.setText(message)
        self.save_failed.emit(message)

    def busy(self) -> bool:
        return self._pool is not None and not self._pool.is_idle()

    def done(self, result: int) -> None:
        # A save still running finishes on its own; the dialog goes once it has.
        if self._own_pool is not None:
            self._own_pool.shutdown()
        super().done(result)
