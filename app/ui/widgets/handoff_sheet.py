"""QR codes and the printable hand-off sheet, drawn with QPainter.

A QR code is painted module by module from ``segno``'s matrix (no PNG round trip). The sheet
is the caster's name and the time on top, then one cell per URL: its QR code, the output's
readable name, its expiry and the URL in small type. The same painting serves the PNG (one
tall image) and the PDF (A4 pages, :class:`QPdfWriter`); both only touch QImage/QPdfWriter, so
they can run on a worker thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import segno
from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)

QUIET_ZONE = 4  # modules of white around a code, as the QR standard asks
SHEET_DPI = 150
COLUMNS = 3
PAGE_WIDTH_PX = 1240  # A4 at 150 dpi
PAGE_HEIGHT_PX = 1754
MARGIN_PX = 60
HEADER_PX = 150
CELL_HEIGHT_PX = 380


@dataclass(frozen=True, slots=True)
class SheetEntry:
    """One URL on the sheet: what to call it, when it expires (text) and the URL to encode."""

    title: str
    subtitle: str
    url: str


def qr_matrix(url: str) -> list[bytearray]:
    """The QR code's modules (1 = dark), error correction M (readable off a phone screen)."""
    return [bytearray(row) for row in segno.make(url, error="m", micro=False).matrix]


def paint_qr(painter: QPainter, rect: QRectF, matrix: Sequence[bytearray]) -> None:
    """Paint ``matrix`` into the square ``rect`` with its quiet zone (white behind it)."""
    count = len(matrix) + 2 * QUIET_ZONE
    side = min(rect.width(), rect.height())
    module = side / count
    left = rect.left() + (rect.width() - side) / 2
    top = rect.top() + (rect.height() - side) / 2
    painter.fillRect(QRectF(left, top, side, side), Qt.GlobalColor.white)
    dark = QColor(Qt.GlobalColor.black)
    for y, row in enumerate(matrix):
        for x, value in enumerate(row):
            if value:
                painter.fillRect(
                    QRectF(
                        left + (x + QUIET_ZONE) * module,
                        top + (y + QUIET_ZONE) * module,
                        module + 0.01,  # overlap a hair: no seams between modules
                        module + 0.01,
                    ),
                    dark,
                )


def qr_image(matrix: Sequence[bytearray], size: int) -> QImage:
    """A ``size``×``size`` picture of a QR code's ``matrix`` (:func:`qr_matrix`, ~9 ms a URL in
    pure Python: make it on a worker). One grey byte per module, scaled without smoothing."""
    side = len(matrix) + 2 * QUIET_ZONE
    quiet = b"\xff" * QUIET_ZONE
    rows = [b"\xff" * side] * QUIET_ZONE
    rows += [quiet + bytes(0 if v else 255 for v in row) + quiet for row in matrix]
    rows += [b"\xff" * side] * QUIET_ZONE
    data = b"".join(rows)
    small = QImage(data, side, side, side, QImage.Format.Format_Grayscale8)
    return small.scaled(
        size,
        size,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.FastTransformation,
    )  # scaled() copies, so ``data`` may go


def _font(pixels: int, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(pixels)
    font.setBold(bold)
    return font


def _paint_header(painter: QPainter, width: float, title: str, subtitle: str) -> None:
    painter.setPen(Qt.GlobalColor.black)
    painter.setFont(_font(44, bold=True))
    painter.drawText(
        QRectF(MARGIN_PX, MARGIN_PX, width - 2 * MARGIN_PX, 60),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        title,
    )
    painter.setFont(_font(24))
    painter.drawText(
        QRectF(MARGIN_PX, MARGIN_PX + 60, width - 2 * MARGIN_PX, 40),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        subtitle,
    )


def _paint_cell(painter: QPainter, rect: QRectF, entry: SheetEntry) -> None:
    code_side = min(rect.width(), rect.height() - 110)
    paint_qr(
        painter, QRectF(rect.left(), rect.top(), rect.width(), code_side), qr_matrix(entry.url)
    )
    painter.setPen(Qt.GlobalColor.black)
    text_top = rect.top() + code_side + 4
    painter.setFont(_font(24, bold=True))
    painter.drawText(
        QRectF(rect.left(), text_top, rect.width(), 32), Qt.AlignmentFlag.AlignHCenter, entry.title
    )
    painter.setFont(_font(18))
    painter.drawText(
        QRectF(rect.left(), text_top + 32, rect.width(), 26),
        Qt.AlignmentFlag.AlignHCenter,
        entry.subtitle,
    )
    painter.setFont(_font(12))
    url_rect = QRectF(rect.left(), text_top + 58, rect.width(), 48)
    painter.drawText(
        url_rect,
        int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWrapAnywhere),
        entry.url,
    )


def _cells_per_page() -> int:
    rows = (PAGE_HEIGHT_PX - 2 * MARGIN_PX - HEADER_PX) // CELL_HEIGHT_PX
    return int(rows) * COLUMNS


def _paint_cells(painter: QPainter, entries: Sequence[SheetEntry], top: float) -> None:
    cell_width = (PAGE_WIDTH_PX - 2 * MARGIN_PX) / COLUMNS
    for index, entry in enumerate(entries):
        row, column = divmod(index, COLUMNS)
        rect = QRectF(
            MARGIN_PX + column * cell_width + 12,
            top + row * CELL_HEIGHT_PX,
            cell_width - 24,
            CELL_HEIGHT_PX - 16,
        )
        _paint_cell(painter, rect, entry)


def sheet_image(title: str, subtitle: str, entries: Sequence[SheetEntry]) -> QImage:
    """The whole sheet as one image (A4 wide at 150 dpi, as tall as the entries need)."""
    rows = max(1, -(-len(entries) // COLUMNS))
    height = max(PAGE_HEIGHT_PX, 2 * MARGIN_PX + HEADER_PX + rows * CELL_HEIGHT_PX)
    image = QImage(PAGE_WIDTH_PX, height, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    dots_per_metre = round(SHEET_DPI / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    _paint_header(painter, PAGE_WIDTH_PX, title, subtitle)
    _paint_cells(painter, entries, MARGIN_PX + HEADER_PX)
    painter.end()
    return image


def save_sheet_png(path: Path, title: str, subtitle: str, entries: Sequence[SheetEntry]) -> Path:
    """Write the sheet as PNG (any thread). Raises OSError when it cannot be written."""
    image = sheet_image(title, subtitle, entries)
    if not image.save(str(path), "PNG"):  # type: ignore[call-overload]  # the stub wants bytes
        raise OSError(f"could not write {path.name}")
    return path


def save_sheet_pdf(path: Path, title: str, subtitle: str, entries: Sequence[SheetEntry]) -> Path:
    """Write the sheet as an A4 PDF, as many pages as the entries need (any thread)."""
    writer = QPdfWriter(str(path))
    writer.setResolution(SHEET_DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
        )
    )
    writer.setTitle(title)
    writer.setCreator("Caster Desk")
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"could not write {path.name}")
    # Paint in the sheet's 150-dpi pixels whatever the writer's own resolution.
    page = writer.pageLayout().paintRectPixels(writer.resolution())
    scale = page.width() / PAGE_WIDTH_PX
    per_page = _cells_per_page()
    chunks = [entries[i : i + per_page] for i in range(0, len(entries), per_page)] or [[]]
    for number, chunk in enumerate(chunks):
        if number:
            writer.newPage()
        painter.save()
        painter.scale(scale, scale)
        _paint_header(painter, PAGE_WIDTH_PX, title, subtitle)
        _paint_cells(painter, chunk, MARGIN_PX + HEADER_PX)
        painter.restore()
    painter.end()
    return path


__all__ = [
    "SheetEntry",
    "paint_qr",
    "qr_image",
    "qr_matrix",
    "save_sheet_pdf",
    "save_sheet_png",
    "sheet_image",
]
