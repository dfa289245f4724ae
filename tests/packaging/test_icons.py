"""The app icon: the checked-in PNG, ICO and ICNS files are what make_icons.py draws from the SVG."""

from __future__ import annotations

import struct

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtSvg import QSvgRenderer

from tests.packaging.conftest import ROOT, packaging_module

pytestmark = pytest.mark.packaging

ICONS = ROOT / "resources" / "icons"
config = packaging_module("bundle_config")


@pytest.fixture(scope="module")
def make_icons(qapp: object) -> object:
    return packaging_module("make_icons")


def decode(data: bytes) -> QImage:
    image = QImage.fromData(data, "PNG")
    assert not image.isNull(), "not a PNG Qt can read"
    return image


def test_svg_is_valid_and_square() -> None:
    renderer = QSvgRenderer(str(ICONS / "casterdesk.svg"))
    assert renderer.isValid()
    size = renderer.defaultSize()
    assert size.width() == size.height() == 512


def test_derived_files_are_up_to_date(make_icons) -> None:
    files = make_icons.build_icons()
    expected = {f"casterdesk-{n}.png" for n in config.ICON_SIZES} | {
        "casterdesk.ico",
        "casterdesk.icns",
    }
    assert set(files) == expected
    assert make_icons.stale_files(files) == [], "run packaging/make_icons.py and commit"


@pytest.mark.parametrize("size", config.ICON_SIZES)
def test_png_sizes(size: int) -> None:
    image = decode((ICONS / f"casterdesk-{size}.png").read_bytes())
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()


def test_ico_holds_png_images_16_to_256(make_icons) -> None:
    data = (ICONS / "casterdesk.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    assert count == len(make_icons.ICO_SIZES)
    sizes = []
    for index in range(count):
        width, height, _, _, planes, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index
        )
        image = decode(data[offset : offset + length])
        side = width or 256
        assert (width, height, planes, bits) == (side % 256, side % 256, 1, 32)
        assert image.width() == image.height() == side
        sizes.append(side)
    assert sizes == list(make_icons.ICO_SIZES)
    assert max(sizes) == 256


def test_icns_holds_every_retina_size(make_icons) -> None:
    data = (ICONS / "casterdesk.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack_from(">I", data, 4)[0] == len(data)
    found = {}
    offset = 8
    while offset < len(data):
        kind, length = data[offset : offset + 4], struct.unpack_from(">I", data, offset + 4)[0]
        image = decode(data[offset + 8 : offset + length])
        found[kind] = image.width()
        offset += length
    assert offset == len(data)
    assert found == {kind: size for kind, size in make_icons.ICNS_TYPES}
    assert found[b"ic10"] == 1024


def test_the_mark_shows_pvw_green_pgm_red_and_the_tally() -> None:
    """The design as described in the SVG: a green PVW frame, a red PGM frame, a red lamp."""
    image = decode((ICONS / "casterdesk-512.png").read_bytes())

    def colour(x: int, y: int) -> QColor:
        return image.pixelColor(x, y)

    def reddish(c: QColor) -> bool:
        return c.red() > 200 and c.green() < 100 and c.blue() < 100

    assert colour(4, 4).alpha() == 0, "the corners are transparent"
    pvw_frame = colour(52, 195)
    assert pvw_frame.green() > 180 and pvw_frame.red() < 100, pvw_frame.name()
    assert reddish(colour(268, 195)), colour(268, 195).name()
    assert reddish(colour(455, 128)), "the tally lamp"
