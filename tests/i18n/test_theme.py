"""Light and dark themes: the OS scheme is followed, the menu overrides it, and the status
badges and preview overlays keep their text readable (WCAG contrast ≥ 4.5) in both.

The badge contrast is measured on the real window's pixels, not only on the colour table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication

from app.api.models import CasterStatus
from app.ui import theme
from app.ui.models.caster_table import Column
from app.ui.settings import Settings
from app.ui.widgets.main_window import MainWindow
from tests.ui.helpers import SPRING_GALA

pytestmark = [pytest.mark.no_qt_log, pytest.mark.gui]


@pytest.fixture
def system_scheme(qapp: QApplication) -> Iterator[Any]:
    """Pretend the OS switched colour scheme (Qt's own signal), restored afterwards."""
    hints = QGuiApplication.styleHints()
    original = hints.colorScheme()

    def switch(scheme: Qt.ColorScheme) -> None:
        hints.colorSchemeChanged.emit(scheme)

    yield switch
    switch(original)


def test_badge_and_overlay_colours_have_enough_contrast():
    for dark in (False, True):
        for streaming in (False, True):
            colors = theme.badge_colors(streaming, dark)
            ratio = theme.contrast_ratio(colors.text, colors.background)
            assert ratio >= theme.MIN_CONTRAST, (dark, streaming, ratio)
    # Text over video: on its translucent box, over the brightest and darkest picture.
    for picture in (QColor("white"), QColor("black"), QColor(128, 128, 128)):
        box = theme.composite(theme.OVERLAY_BOX, picture)
        for text in (theme.OVERLAY_TEXT, theme.OVERLAY_ERROR_TEXT):
            assert theme.contrast_ratio(text, box) >= theme.MIN_CONTRAST, (picture.name(), text)
    # The LIVE tally and the PVW/PGM titles: white on the accent colour.
    for accent in (theme.PVW_ACCENT, theme.PGM_ACCENT):
        assert theme.contrast_ratio(theme.WHITE, accent) >= theme.MIN_CONTRAST


def test_contrast_ratio_matches_wcag_reference_values():
    assert theme.contrast_ratio(QColor("black"), QColor("white")) == pytest.approx(21.0)
    assert theme.contrast_ratio(QColor("#777777"), QColor("white")) == pytest.approx(4.48, 0.01)


def test_explicit_choice_sets_the_palette(qapp: QApplication):
    assert theme.apply_theme(theme.DARK) == theme.DARK
    assert theme.is_dark_palette(qapp.palette())
    assert qapp.style().name().lower() == "fusion"
    assert theme.apply_theme(theme.LIGHT) == theme.LIGHT
    assert not theme.is_dark_palette(qapp.palette())


def test_system_choice_follows_the_os_scheme_live(qapp: QApplication, system_scheme: Any):
    controller = theme.controller()
    changes: list[str] = []
    controller.changed.connect(changes.append)
    try:
        system_scheme(Qt.ColorScheme.Light)
        controller.set_choice(theme.SYSTEM)
        assert controller.theme == theme.LIGHT
        system_scheme(Qt.ColorScheme.Dark)
        assert controller.theme == theme.DARK and theme.is_dark_palette(qapp.palette())
        system_scheme(Qt.ColorScheme.Light)
        assert controller.theme == theme.LIGHT
        # A manual choice wins over the OS.
        controller.set_choice(theme.LIGHT)
        system_scheme(Qt.ColorScheme.Dark)
        assert controller.theme == theme.LIGHT and not theme.is_dark_palette(qapp.palette())
    finally:
        controller.changed.disconnect(changes.append)
    assert changes[:2] == [theme.DARK, theme.LIGHT]


def badge_pixels(image: QImage, cell: QRect, text: str, metrics: QFontMetrics) -> list[QColor]:
    """The pixels inside a status badge as the delegate draws it (rounded ends left out)."""
    label = f"● {text}" if text.startswith(("Streaming", "直播中")) else text
    height = min(cell.height() - 4, metrics.height() + 4)
    width = min(metrics.horizontalAdvance(label) + 14, cell.width() - 8)
    top = cell.y() + (cell.height() - height) // 2
    left, right = cell.x() + 4 + height // 2, cell.x() + 4 + width - height // 2
    return [
        image.pixelColor(x, y) for x in range(left, right) for y in range(top + 2, top + height - 2)
    ]


def measured_contrast(pixels: list[QColor]) -> float:
    """Badge fill = the commonest colour; text = the pixel that differs most from it."""
    counts = Counter(p.rgb() for p in pixels)
    fill = QColor.fromRgb(counts.most_common(1)[0][0])
    return max(theme.contrast_ratio(fill, p) for p in pixels)


@pytest.mark.media
@pytest.mark.parametrize("choice", [theme.LIGHT, theme.DARK])
def test_rendered_status_badges_are_readable(
    qtbot: Any, window: MainWindow, choice: str, sandbox: Any
):
    theme.apply_theme(choice)
    table = window.caster_list.table
    table.clearSelection()
    qtbot.waitUntil(lambda: table.selectionModel().selectedRows() == [], timeout=1000)
    metrics = QFontMetrics(table.font())
    seen = set()
    proxy = table.model()
    for row in range(proxy.rowCount()):
        index = proxy.index(row, Column.STATUS)
        table.scrollTo(index)
        image = table.viewport().grab().toImage()
        cell = table.visualRect(index)
        assert image.rect().contains(cell)
        pixels = badge_pixels(image, cell, str(index.data()), metrics)
        ratio = measured_contrast(pixels)
        assert ratio >= theme.MIN_CONTRAST, (choice, proxy.caster_at(row).name, ratio)
        seen.add(proxy.caster_at(row).status)
    assert seen == {CasterStatus.IDLE, CasterStatus.STREAMING}  # SPRING_GALA streams
    assert any(proxy.caster_at(r).name == SPRING_GALA for r in range(proxy.rowCount()))


def test_theme_menu_applies_and_remembers_the_choice(window: MainWindow, settings_path: Path):
    assert window.commands.theme_actions[theme.SYSTEM].isChecked()  # nothing chosen yet
    window.commands.theme_actions[theme.DARK].trigger()
    assert theme.current_choice() == theme.DARK
    assert theme.is_dark_palette(QGuiApplication.palette())
    assert Settings(settings_path).theme() == theme.DARK
    assert window.banner.styleSheet() == theme.error_banner_style(dark=True)
    window.commands.theme_actions[theme.LIGHT].trigger()
    assert window.banner.styleSheet() == theme.error_banner_style(dark=False)
    assert Settings(settings_path).theme() == theme.LIGHT
