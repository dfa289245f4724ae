"""The window at the sizes directors' screens have, in English and Chinese.

The real window on the sandbox, a caster started and both previews playing, resized to
960×540 (the minimum), 1280×860 (the default), 1366×768 and 1920×1080. At each size nothing is
clipped (tests/i18n/clipping.py), no visible widget overlaps a sibling, the caster list and the
outputs table each show at least four whole rows, the outputs' URL column still tells URLs
apart, both pictures are 16:9 and the same size, and no pane keeps spare height under its
details that the lists above could use.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtWidgets import QAbstractItemView

from app.sandbox import Sandbox
from app.ui import i18n
from app.ui.models.caster_table import Column
from app.ui.models.outputs import URL_COLUMN
from app.ui.widgets.main_window import MINIMUM_SIZE, MainWindow
from tests.i18n.clipping import clipped, clipped_badges, overlapping
from tests.i18n.test_zh_window import settle, started_window

pytestmark = [pytest.mark.no_qt_log, pytest.mark.gui, pytest.mark.media]

SIZES = [(960, 540), (1280, 860), (1366, 768), (1920, 1080)]
MINIMUM_ROWS = 4
URL_CHARACTERS = 20  # visible characters of an elided URL: scheme, host and the stream's end


def whole_rows(view: QAbstractItemView) -> int:
    """Rows of ``view`` shown whole (not cut by the viewport's edge)."""
    model = view.model()
    area = view.viewport().rect()
    return sum(
        1 for row in range(model.rowCount()) if area.contains(view.visualRect(model.index(row, 0)))
    )


def layout_problems(win: MainWindow) -> list[str]:
    """Everything this module promises about one size, as readable lines."""
    problems = clipped(win) + clipped_badges(win.caster_list.table, Column.STATUS)
    problems += overlapping(win)
    casters = whole_rows(win.caster_list.table)
    if casters < MINIMUM_ROWS:
        problems.append(f"caster list shows {casters} whole rows")
    outputs = win.panels.outputs.view
    shown = whole_rows(outputs)
    if shown < MINIMUM_ROWS:
        problems.append(f"outputs table shows {shown} whole rows")
    url = str(outputs.model().index(0, URL_COLUMN).data())
    elided = outputs.fontMetrics().elidedText(
        url, Qt.TextElideMode.ElideMiddle, outputs.columnWidth(URL_COLUMN) - 8
    )
    if len(elided) < URL_CHARACTERS:
        problems.append(f"URL column shows only {elided!r}")
    pictures = [pane.picture_box.child for pane in (win.panels.pvw, win.panels.pgm)]
    for pane, picture in zip((win.panels.pvw, win.panels.pgm), pictures, strict=True):
        if picture.width() * 9 != picture.height() * 16:
            problems.append(f"{pane.kind} picture is {picture.width()}×{picture.height()}")
        if pane.surface.size() != picture.size() or not pane.surface.isVisible():
            problems.append(f"{pane.kind} video is not the whole picture")
        spare = pane.height() - pane.wanted_height()
        if spare > 2:
            problems.append(f"{pane.kind} pane has {spare}px spare under its details")
    if pictures[0].size() != pictures[1].size():
        problems.append(f"PVW {pictures[0].size()} and PGM {pictures[1].size()} differ")
    problems += status_message_room(win)
    return problems


def status_message_room(win: MainWindow) -> list[str]:
    """A typical transient message fits left of the status bar's permanent labels (it is
    painted there, not a widget, so ``clipped`` cannot see it)."""
    bar = win.status
    message = QCoreApplication.translate("CasterController", "Started “{0}”.").format(
        "Product Launch Keynote"
    )
    labels = [bar.profile_label, bar.endpoint_label, bar.request_id_label, bar.latency_label]
    left = min(label.geometry().left() for label in labels if label.isVisible())
    needed = bar.fontMetrics().horizontalAdvance(message) + 12  # the bar's own margins
    return [] if needed <= left else [f"status message needs {needed}px, has {left}px"]


@pytest.mark.parametrize("language", [i18n.ENGLISH, i18n.CHINESE])
def test_the_window_fits_real_screens(
    qtbot: Any, make_window: Any, sandbox: Sandbox, language: str
) -> None:
    i18n.apply_language(language)
    win = started_window(qtbot, make_window, sandbox)
    # Smaller than the minimum is refused: at 500×350 Start and Stop used to vanish.
    win.resize(500, 350)
    settle()
    assert win.size() == MINIMUM_SIZE
    found: dict[str, list[str]] = {}
    for width, height in SIZES:
        win.resize(width, height)
        qtbot.waitUntil(lambda w=width, h=height: win.size() == QSize(w, h))
        settle()
        problems = layout_problems(win)
        if problems:
            found[f"{width}×{height}"] = problems
        picture = win.panels.pgm.picture_box.child.size()
        print(
            f"\n{language} {width}×{height}: pictures {picture.width()}×{picture.height()}, "
            f"{whole_rows(win.caster_list.table)} caster rows, "
            f"{whole_rows(win.panels.outputs.view)} output rows, "
            f"URL column {win.panels.outputs.view.columnWidth(URL_COLUMN)} px"
        )
    assert found == {}, "\n".join(
        f"{size}: {line}" for size, lines in found.items() for line in lines
    )
