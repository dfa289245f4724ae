"""Fixtures for the language, theme and single-instance tests.

The window fixtures are the UI tests' own (isolated QSettings, the sandbox, a closed window
at the end). Every test here leaves the application in English with the light theme, so the
rest of the suite sees what it expects.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from app.ui import i18n, theme
from tests.ui.conftest import (  # noqa: F401  (fixtures used by name)
    event_log,
    event_log_path,
    isolated_qsettings,
    make_window,
    settings_path,
    ui_settings,
    window,
)


@pytest.fixture(autouse=True)
def english_and_light_afterwards(qapp: QApplication) -> Iterator[None]:
    yield
    i18n.apply_language(i18n.ENGLISH)
    theme.apply_theme(theme.LIGHT)
