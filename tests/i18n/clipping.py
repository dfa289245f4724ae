"""Find widgets whose text does not fit (what a translation or a small screen most often
breaks), and visible widgets that overlap their siblings.

Each check compares what the text needs (the widget's own size hint, or the font's advance
width against the area the style gives the text) with the size the layout actually gave it.
Deliberately elided texts (the monitor URL, table cells) carry their full text in a tooltip
and are not reported.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenuBar,
    QStyle,
    QStyleOptionComboBox,
    QStyleOptionFrame,
    QTabBar,
    QTableView,
    QToolBar,
    QWidget,
)

from app.ui.widgets.preview.placard import ElidedLabel

SLACK = 1  # px: rounding in the styles' own arithmetic


def _on_screen(widget: QWidget) -> bool:
    return (
        widget.isVisible()
        and widget.width() > 0
        and widget.height() > 0
        and not widget.visibleRegion().isEmpty()
    )


def _name(widget: QWidget) -> str:
    return f"{type(widget).__name__}({widget.objectName() or '?'})"


def _label(label: QLabel) -> str | None:
    text = label.text()
    if not text or isinstance(label, ElidedLabel):
        return None
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height() + SLACK:
            return f"{_name(label)} {text!r}: wraps to {needed}px high in {label.height()}px"
        return None
    hint = label.sizeHint()
    if hint.width() > label.width() + SLACK or hint.height() > label.height() + SLACK:
        return (
            f"{_name(label)} {text!r}: needs {hint.width()}x{hint.height()}, "
            f"has {label.width()}x{label.height()}"
        )
    return None


def _button(button: QAbstractButton) -> str | None:
    if not button.text():
        return None
    hint = button.sizeHint()
    if hint.width() > button.width() + SLACK or hint.height() > button.height() + SLACK:
        return (
            f"{_name(button)} {button.text()!r}: needs {hint.width()}x{hint.height()}, "
            f"has {button.width()}x{button.height()}"
        )
    return None


def _line_edit(edit: QLineEdit) -> str | None:
    placeholder = edit.placeholderText()
    if not placeholder or edit.text():
        return None
    option = QStyleOptionFrame()
    option.initFrom(edit)
    if edit.hasFrame():
        option.lineWidth = edit.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth)
    area = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
    margins = edit.textMargins()
    width = area.width() - margins.left() - margins.right() - 4  # QLineEdit's own 2px x 2
    if edit.isClearButtonEnabled():
        width -= edit.height()  # the clear button's square, shown once there is text
    needed = QFontMetrics(edit.font()).horizontalAdvance(placeholder)
    if needed > width + SLACK:
        return f"{_name(edit)} placeholder {placeholder!r}: needs {needed}px, has {width}px"
    return None


def _combo(combo: QComboBox) -> str | None:
    if combo.isEditable():
        return None  # its QLineEdit child is checked on its own
    text = combo.currentText()
    if not text:
        return None
    option = QStyleOptionComboBox()
    option.initFrom(combo)
    option.currentText = text
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    needed = QFontMetrics(combo.font()).horizontalAdvance(text)
    if needed > field.width() + SLACK:
        return f"{_name(combo)} {text!r}: needs {needed}px, has {field.width()}px"
    return None


def _header(header: QHeaderView) -> list[str]:
    model = header.model()
    if model is None or header.orientation() != Qt.Orientation.Horizontal:
        return []
    problems = []
    metrics = QFontMetrics(header.font())
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        text = model.headerData(section, Qt.Orientation.Horizontal)
        if not text:
            continue
        needed = metrics.horizontalAdvance(str(text)) + 2 * margin
        if header.sortIndicatorSection() == section and header.isSortIndicatorShown():
            needed += header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize) + margin
        size = header.sectionSize(section)
        tip = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        if needed > size + SLACK and tip != text:
            problems.append(
                f"{_name(header)} section {section} {text!r}: needs {needed}px, has {size}px "
                "and no tooltip"
            )
    return problems


def _tab_bar(bar: QTabBar) -> list[str]:
    metrics = QFontMetrics(bar.font())
    problems = []
    for index in range(bar.count()):
        text = bar.tabText(index).replace("&", "")
        needed = metrics.horizontalAdvance(text)
        if needed > bar.tabRect(index).width() + SLACK:
            problems.append(f"{_name(bar)} tab {text!r}: needs {needed}px")
    return problems


def _menu_bar(bar: QMenuBar) -> list[str]:
    problems = []
    metrics = QFontMetrics(bar.font())
    for action in bar.actions():
        if not action.isVisible():
            continue
        geometry = bar.actionGeometry(action)
        text = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
        needed = metrics.horizontalAdvance(text)
        if geometry.isEmpty() or not bar.rect().contains(geometry):
            problems.append(f"menu {text!r} is off the menu bar")
        elif needed > geometry.width() + SLACK:
            problems.append(f"menu {text!r}: needs {needed}px, has {geometry.width()}px")
    return problems


def _tool_bar(bar: QToolBar) -> list[str]:
    """Every toolbar item is on the bar, none pushed into the overflow menu."""
    problems = []
    for action in bar.actions():
        if not action.isVisible() or action.isSeparator():
            continue
        widget = bar.widgetForAction(action)
        if widget is None or not widget.isVisible():
            problems.append(f"toolbar item {action.text() or action.objectName()!r} overflowed")
    return problems


def clipped_badges(view: QTableView, column: int) -> list[str]:
    """Status badges (painted by the list's delegate) that are wider than their column."""
    problems = []
    model = view.model()
    font = view.font()
    font.setBold(True)
    metrics = QFontMetrics(font)
    width = view.columnWidth(column)
    for row in range(model.rowCount()):
        if view.visualRect(model.index(row, column)).isEmpty():
            continue
        text = str(model.index(row, column).data())
        needed = metrics.horizontalAdvance(f"● {text}") + 14 + 8  # the delegate's padding
        if needed > width + SLACK:
            problems.append(f"status badge {text!r}: needs {needed}px, column has {width}px")
    return problems


def clipped(window: QWidget) -> list[str]:
    """Every visible text in ``window`` that does not fit, as readable lines."""
    problems: list[str] = []
    for widget in window.findChildren(QWidget):
        if not _on_screen(widget):
            continue
        problem: str | None = None
        if isinstance(widget, QLabel):
            problem = _label(widget)
        elif isinstance(widget, QAbstractButton):
            problem = _button(widget)
        elif isinstance(widget, QLineEdit):
            problem = _line_edit(widget)
        elif isinstance(widget, QComboBox):
            problem = _combo(widget)
        elif isinstance(widget, QHeaderView):
            problems.extend(_header(widget))
        elif isinstance(widget, QTabBar):
            problems.extend(_tab_bar(widget))
        elif isinstance(widget, QMenuBar):
            problems.extend(_menu_bar(widget))
        elif isinstance(widget, QToolBar):
            problems.extend(_tool_bar(widget))
        if problem:
            problems.append(problem)
    return problems


def _laid_out_children(widget: QWidget) -> list[QWidget]:
    """The visible child widgets that ``widget`` places side by side (not windows, not the
    pages of a stack, of which one shows at a time)."""
    return [
        c
        for c in widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
        if not c.isWindow() and c.isVisible() and c.width() > 0 and c.height() > 0
    ]


def overlapping(window: QWidget) -> list[str]:
    """Visible sibling widgets whose rectangles overlap, as readable lines.

    Siblings are compared in their parent's coordinates, so a label pushed over the picture or
    a button under another shows here. Nothing is exempt: Qt's own composites (a scroll area's
    viewport and bars, a table's headers) keep their parts apart too.
    """
    problems = []
    for parent in [window, *window.findChildren(QWidget)]:
        if not _on_screen(parent) and parent is not window:
            continue
        children = _laid_out_children(parent)
        for index, first in enumerate(children):
            for second in children[index + 1 :]:
                shared = first.geometry().intersected(second.geometry())
                if not shared.isEmpty():
                    problems.append(
                        f"{_name(first)} {first.geometry().getRect()} overlaps "
                        f"{_name(second)} {second.geometry().getRect()} in {_name(parent)}"
                    )
    return problems
