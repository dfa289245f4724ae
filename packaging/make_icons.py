"""Draw the app icon's PNG sizes, Windows ICO and macOS ICNS from resources/icons/casterdesk.svg.

    .venv/bin/python packaging/make_icons.py           # rewrite the files
    .venv/bin/python packaging/make_icons.py --check   # exit 1 if any file is out of date

Rendering uses QtSvg (QSvgRenderer into a QImage). The ICO and ICNS containers are written
here: both are a small index of PNG images, which Windows (Vista and later) and macOS
(10.7 and later) read directly.
"""

from __future__ import annotations

import argparse
import struct
import sys
from collections.abc import Iterable
from pathlib import Path

from bundle_config import ICON_SIZES, ROOT  # beside this script, which Python puts on sys.path
from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "casterdesk.svg"

# Sizes inside the .ico; 256 is the largest Windows shows (Explorer's "extra large").
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, and their pixel size (the @2x types are Retina).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),  # 16@2x
    (b"icp6", 64),
    (b"ic12", 64),  # 32@2x
    (b"ic07", 128),
    (b"ic13", 256),  # 128@2x
    (b"ic08", 256),
    (b"ic14", 512),  # 256@2x
    (b"ic09", 512),
    (b"ic10", 1024),  # 512@2x
)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    """The SVG drawn into a transparent ``size``×``size`` ARGB image."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def png_bytes(image: QImage) -> bytes:
    """``image`` encoded as PNG, in memory."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # stubs say bytes; only str works
        raise RuntimeError("Qt could not encode a PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes], sizes: Iterable[int] = ICO_SIZES) -> bytes:
    """A Windows .ico whose images are PNG-compressed (one per size)."""
    sizes = list(sizes)
    header = struct.pack("<HHH", 0, 1, len(sizes))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(sizes)
    entries, blobs = [], []
    for size in sizes:
        blob = pngs[size]
        side = 0 if size >= 256 else size  # 0 means 256 in the one-byte width/height fields
        # width, height, palette colours, reserved, colour planes, bits per pixel, size, offset
        entries.append(struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset))
        blobs.append(blob)
        offset += len(blob)
    return header + b"".join(entries) + b"".join(blobs)


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns: the 'icns' header, then one (type, length, PNG) element per entry."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def build_icons(svg: Path = SVG) -> dict[str, bytes]:
    """Every derived file, by name, rendered from ``svg``."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise RuntimeError(f"{svg} is not a valid SVG")
    needed = sorted({*ICON_SIZES, *ICO_SIZES, *(size for _, size in ICNS_TYPES)})
    pngs = {size: png_bytes(render(renderer, size)) for size in needed}
    files = {f"casterdesk-{size}.png": pngs[size] for size in ICON_SIZES}
    files["casterdesk.ico"] = ico_bytes(pngs)
    files["casterdesk.icns"] = icns_bytes(pngs)
    return files


def stale_files(files: dict[str, bytes], folder: Path = ICONS) -> list[str]:
    """Names whose file in ``folder`` is missing or differs from the freshly drawn bytes."""
    return sorted(
        name
        for name, data in files.items()
        if not (folder / name).is_file() or (folder / name).read_bytes() != data
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report out-of-date files")
    parser.add_argument(
        "--out", type=Path, default=ICONS, help="folder to write (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    _app = QCoreApplication.instance() or QGuiApplication(["make_icons"])
    files = build_icons()
    stale = stale_files(files, args.out)
    if args.check:
        for name in stale:
            print(f"out of date: {args.out / name} (run packaging/make_icons.py)", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name in stale:
        (args.out / name).write_bytes(files[name])
        print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
