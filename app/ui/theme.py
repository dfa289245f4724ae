"""Light and dark themes: follow the OS colour scheme, or the user's choice from the View menu.

The application always uses the Fusion style, which draws every widget from the palette, so a
dark palette looks the same on Linux, Windows and macOS. With the "system" choice the theme
follows ``QStyleHints.colorScheme`` and changes live when the OS switches. Colours that are
not from the palette (status badges, tally titles, the error banner) come from here, chosen
so that text on them keeps a WCAG contrast ratio of at least 4.5 in both themes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

log = logging.getLogger("casterdesk.ui.theme")

SYSTEM = "system"
LIGHT = "light"
DARK = "dark"
CHOICES = (SYSTEM, LIGHT, DARK)
MIN_CONTRAST = 4.5  # WCAG AA for normal text

WHITE = QColor(255, 255, 255)
BLACK = QColor(0, 0, 0)


@dataclass(frozen=True)
class BadgeColors:
    """Fill and text colour of one status badge."""

    background: QColor
    text: QColor


# Idle: a neutral grey pill; streaming: on-air red. Dark mode lightens the idle pill so it
# stands out from the dark table, and keeps the red (it reads well on both).
_BADGES = {
    (False, False): BadgeColors(QColor("#616161"), WHITE),
    (False, True): BadgeColors(QColor("#c62828"), WHITE),
    (True, False): BadgeColors(QColor("#9e9e9e"), BLACK),
    (True, True): BadgeColors(QColor("#d32f2f"), WHITE),
}

# Tally colours of the PVW/PGM titles and the LIVE badge, with white text on them.
PVW_ACCENT = QColor(27, 128, 58)
PGM_ACCENT = QColor(200, 40, 40)
# State text drawn over the video sits on a black box at this alpha, so it stays readable on
# any picture (checked against pure white and pure black video).
OVERLAY_BOX = QColor(0, 0, 0, 200)
OVERLAY_TEXT = QColor(240, 240, 240)
OVERLAY_ERROR_TEXT = QColor(255, 138, 128)


def relative_luminance(color: QColor) -> float:
    """WCAG 2 relative luminance of an opaque colour."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )


def contrast_ratio(first: QColor, second: QColor) -> float:
    """WCAG 2 contrast ratio, 1 (none) to 21 (black on white)."""
    a, b = relative_luminance(first), relative_luminance(second)
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)


def composite(over: QColor, under: QColor) -> QColor:
    """``over`` (with its alpha) painted on an opaque ``under``."""
    alpha = over.alphaF()
    return QColor.fromRgbF(
        over.redF() * alpha + under.redF() * (1 - alpha),
        over.greenF() * alpha + under.greenF() * (1 - alpha),
        over.blueF() * alpha + under.blueF() * (1 - alpha),
    )


def is_dark_palette(palette: QPalette | None = None) -> bool:
    """True when the window background is darker than its text (a dark theme)."""
    if palette is None:
        palette = QGuiApplication.palette()
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return window.lightnessF() < text.lightnessF()


def badge_colors(streaming: bool, dark: bool | None = None) -> BadgeColors:
    """The status badge's colours for the current (or the given) theme."""
    if dark is None:
        dark = is_dark_palette()
    return _BADGES[(dark, streaming)]


def error_banner_style(dark: bool) -> str:
    """Style sheet of the inline error banner (object name ``errorBanner``)."""
    if dark:
        background, border, text = "#4a1c1b", "#8c3a37", "#ffdad6"
    else:
        background, border, text = "#fdecea", "#f5c2c0", "#5f2120"
    return (
        f"#errorBanner {{ background: {background}; border: 1px solid {border};"
        f" border-radius: 4px; }} #errorBanner QLabel {{ color: {text}; }}"
    )


def message_color(ok: bool, dark: bool | None = None) -> QColor:
    """Green for a success message, red for a problem, readable on the window colour."""
    if dark is None:
        dark = is_dark_palette()
    if dark:
        return QColor("#81c784") if ok else QColor("#ef9a9a")
    return QColor("#1b5e20") if ok else QColor("#b71c1c")


def dark_palette() -> QPalette:
    """A neutral dark palette for Fusion (grey surfaces, light text, blue highlight)."""
    palette = QPalette()
    role = QPalette.ColorRole
    group = QPalette.ColorGroup
    window = QColor(45, 45, 48)
    base = QColor(30, 30, 32)
    text = QColor(230, 230, 230)
    disabled_text = QColor(150, 150, 150)  # 4.6:1 on the window colour
    highlight = QColor(42, 130, 218)
    for colour_role, colour in (
        (role.Window, window),
        (role.WindowText, text),
        (role.Base, base),
        (role.AlternateBase, QColor(40, 40, 43)),
        (role.ToolTipBase, QColor(60, 60, 64)),
        (role.ToolTipText, text),
        (role.PlaceholderText, QColor(150, 150, 150)),
        (role.Text, text),
        (role.Button, QColor(55, 55, 59)),
        (role.ButtonText, text),
        (role.BrightText, QColor(255, 90, 90)),
        (role.Light, QColor(75, 75, 80)),
        (role.Midlight, QColor(62, 62, 66)),
        (role.Mid, QColor(40, 40, 43)),
        (role.Dark, QColor(25, 25, 27)),
        (role.Shadow, QColor(10, 10, 10)),
        (role.Highlight, highlight),
        (role.HighlightedText, WHITE),
        (role.Link, QColor(110, 170, 255)),
        (role.LinkVisited, QColor(180, 140, 255)),
    ):
        palette.setColor(colour_role, colour)
    for colour_role in (role.WindowText, role.Text, role.ButtonText, role.HighlightedText):
        palette.setColor(group.Disabled, colour_role, disabled_text)
    palette.setColor(group.Disabled, role.Highlight, QColor(70, 70, 74))
    palette.setColor(group.Disabled, role.Light, window)
    return palette


def light_palette() -> QPalette:
    """Fusion's own light palette."""
    style = QStyleFactory.create("Fusion")
    palette = style.standardPalette()
    # The placeholder text of Fusion's light palette is too faint on white (about 2.3:1).
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(110, 110, 110))
    return palette


def normalize_choice(choice: str | None) -> str:
    return choice if choice in CHOICES else SYSTEM


class ThemeController(QObject):
    """Applies the chosen theme and follows the OS colour scheme while the choice is "system".

    One per application (see :func:`controller`; building it changes nothing on screen).
    ``changed(theme)`` fires with ``"light"`` or ``"dark"`` after the palette changed: widgets
    with style sheets listen to it, because a new application palette does not reach them.
    """

    changed = Signal(str)

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._choice = SYSTEM
        self._theme: str | None = None
        hints = QGuiApplication.styleHints()
        self._system_scheme = hints.colorScheme()
        hints.colorSchemeChanged.connect(self._on_system_scheme)

    @property
    def choice(self) -> str:
        return self._choice

    @property
    def theme(self) -> str:
        """``"light"`` or ``"dark"``: what is shown now."""
        return self._theme or LIGHT

    def system_theme(self) -> str:
        return DARK if self._system_scheme == Qt.ColorScheme.Dark else LIGHT

    def set_choice(self, choice: str | None) -> str:
        """Apply ``"system"``, ``"light"`` or ``"dark"``; returns the theme now shown."""
        self._choice = normalize_choice(choice)
        return self._apply()

    def _on_system_scheme(self, scheme: Qt.ColorScheme) -> None:
        self._system_scheme = scheme
        if self._choice == SYSTEM:
            self._apply()

    def _apply(self) -> str:
        theme = self.system_theme() if self._choice == SYSTEM else self._choice
        if theme == self._theme:
            return theme
        self._theme = theme
        if self._app.style().name().lower() != "fusion":
            self._app.setStyle("Fusion")
        self._app.setPalette(dark_palette() if theme == DARK else light_palette())
        _repolish_style_sheets()
        log.info("theme: %s (choice: %s)", theme, self._choice)
        self.changed.emit(theme)
        return theme


def _repolish_style_sheets() -> None:
    """Re-apply every widget's style sheet: a widget with one (and its children) keeps the
    palette it was polished with, so a live switch left black text on the dark background."""
    for widget in QApplication.allWidgets():
        sheet = widget.styleSheet()
        if sheet:
            widget.setStyleSheet("")
            widget.setStyleSheet(sheet)


_controllers: list[ThemeController] = []  # at most one: the running application's


def controller() -> ThemeController:
    """The application's theme controller (created on first use)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("the theme needs a QApplication")
    if _controllers and shiboken6.isValid(_controllers[0]) and _controllers[0].parent() is app:
        return _controllers[0]
    _controllers[:] = [ThemeController(app)]
    return _controllers[0]


def apply_theme(choice: str | None) -> str:
    """Apply a theme choice to the running application; returns ``"light"`` or ``"dark"``."""
    return controller().set_choice(choice)


def current_choice() -> str:
    return _controllers[0].choice if _controllers else SYSTEM
