"""A live theme switch keeps every text in the panes readable (both directions, WCAG ≥ 4.5)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel

from app.ui import theme
from tests.ui.conftest import LOAD_TIMEOUT_MS
from tests.ui.helpers import SPRING_GALA, caster_id, select

pytestmark = [pytest.mark.gui]


def rendered_contrast(label: QLabel) -> float:
    """Background = the commonest pixel of the label; text = the pixel most unlike it."""
    image = label.grab().toImage()
    pixels = [image.pixelColor(x, y) for y in range(image.height()) for x in range(image.width())]
    counts = Counter(p.rgb() for p in pixels)
    background = QColor.fromRgb(counts.most_common(1)[0][0])
    return max(theme.contrast_ratio(background, p) for p in pixels)


def pane_labels(window: Any) -> list[QLabel]:
    labels = []
    for pane in (window.panels.pvw, window.panels.pgm):
        labels += [
            label
            for label in pane.findChildren(QLabel)
            # A disabled control's text is exempt (WCAG: inactive components); notes are not.
            if label.isVisible()
            and label.isEnabled()
            and label.text().strip()
            and label.width() > 4
        ]
    return labels


@pytest.mark.media
def test_every_pane_label_stays_readable_across_live_switches(
    qtbot: Any, window: Any, sandbox: Any
) -> None:
    theme.apply_theme(theme.LIGHT)
    with qtbot.waitSignal(window.casters.shown, timeout=LOAD_TIMEOUT_MS):
        select(window, caster_id(sandbox, SPRING_GALA))
    for choice in (theme.DARK, theme.LIGHT, theme.DARK):
        theme.apply_theme(choice)
        qtbot.wait(1)  # let the palette-change events run (no timing involved)
        labels = pane_labels(window)
        assert len(labels) >= 6  # titles, Scene:/Monitor: and their values, stats
        for label in labels:
            ratio = rendered_contrast(label)
            assert ratio >= theme.MIN_CONTRAST, (choice, label.objectName(), label.text(), ratio)
        # The outputs table follows too (it stayed light in the dark theme).
        table = window.panels.pgm.outputs.view.viewport().grab().toImage()
        counts = Counter(
            table.pixelColor(x, y).rgb()
            for y in range(0, table.height(), 3)
            for x in range(0, table.width(), 3)
        )
        background = QColor.fromRgb(counts.most_common(1)[0][0])
        assert (background.lightnessF() < 0.5) == (choice == theme.DARK), (
            choice,
            background.name(),
        )


@pytest.mark.parametrize("choice", [theme.LIGHT, theme.DARK])
def test_notes_in_empty_panes_are_readable(qtbot: Any, window: Any, choice: str) -> None:
    """Before anything is shown: the pane notes and the layout picker's hint."""
    theme.apply_theme(choice)
    qtbot.wait(1)
    picker = [
        label
        for label in window.panels.picker.findChildren(QLabel)
        if label.isVisible() and label.text().strip()
    ]
    labels = pane_labels(window) + picker
    assert any("to direct it" in label.text() for label in labels)
    for label in labels:
        ratio = rendered_contrast(label)
        assert ratio >= theme.MIN_CONTRAST, (choice, label.text(), ratio)
