"""What the window remembers between runs (geometry, splitters, profile, region, selection).

A thin typed wrapper over ``QSettings``. Tests pass their own file path so nothing they do
reaches the user's real settings.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "casterdesk"
APPLICATION = "casterdesk"


class Settings:
    """Typed access to the persisted UI state. Secrets never go here."""

    def __init__(self, path: str | Path | None = None) -> None:
        if path is None:
            self._qs = QSettings(ORGANIZATION, APPLICATION)
        else:
            self._qs = QSettings(str(path), QSettings.Format.IniFormat)

    @property
    def file_name(self) -> str:
        return self._qs.fileName()

    def sync(self) -> None:
        self._qs.sync()

    # --- generic helpers ----------------------------------------------------------------

    def _text(self, key: str) -> str | None:
        value = self._qs.value(key)
        return str(value) if value not in (None, "") else None

    def _set_text(self, key: str, value: str | None) -> None:
        if value:
            self._qs.setValue(key, value)
        else:
            self._qs.remove(key)

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._qs.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    # --- window ----------------------------------------------------------------------------

    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def set_geometry(self, value: QByteArray) -> None:
        self._qs.setValue("window/geometry", value)

    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    def set_window_state(self, value: QByteArray) -> None:
        self._qs.setValue("window/state", value)

    def splitter(self, name: str) -> QByteArray | None:
        return self._bytes(f"splitters/{name}")

    def set_splitter(self, name: str, value: QByteArray) -> None:
        self._qs.setValue(f"splitters/{name}", value)

    def header_state(self, columns: str) -> QByteArray | None:
        """The caster list's saved header, if it was saved with the same ``columns``.

        A header saved by a version with other columns would put them back in its own order,
        under the wrong titles: it is dropped, and the list starts with its defaults.
        """
        if self._text("casters/header_columns") != columns:
            return None
        return self._bytes("casters/header")

    def set_header_state(self, value: QByteArray, columns: str) -> None:
        self._qs.setValue("casters/header", value)
        self._set_text("casters/header_columns", columns)

    # --- session ---------------------------------------------------------------------------

    def last_profile(self) -> str | None:
        return self._text("session/profile")

    def set_last_profile(self, name: str | None) -> None:
        self._set_text("session/profile", name)

    def region(self) -> str | None:
        return self._text("session/region")

    def set_region(self, region: str | None) -> None:
        self._set_text("session/region", region)

    def selected_caster(self) -> str | None:
        return self._text("casters/selected")

    def set_selected_caster(self, caster_id: str | None) -> None:
        self._set_text("casters/selected", caster_id)

    def status_filter(self) -> str | None:
        return self._text("casters/status_filter")

    def set_status_filter(self, value: str | None) -> None:
        self._set_text("casters/status_filter", value)

    # --- appearance --------------------------------------------------------------------------

    def language(self) -> str | None:
        """``"system"``, ``"en"`` or ``"zh_CN"`` (None: never chosen, follow the system)."""
        return self._text("ui/language")

    def set_language(self, choice: str | None) -> None:
        self._set_text("ui/language", choice)

    def theme(self) -> str | None:
        """``"system"``, ``"light"`` or ``"dark"`` (None: never chosen, follow the system)."""
        return self._text("ui/theme")

    def set_theme(self, choice: str | None) -> None:
        self._set_text("ui/theme", choice)

    # --- outputs -------------------------------------------------------------------------------

    def event_hours(self, default: float = 4.0) -> float:
        """How long the event runs: URLs expiring sooner are flagged (hours)."""
        raw = self._text("outputs/event_hours")
        try:
            value = float(raw) if raw is not None else default
        except ValueError:
            return default
        return value if value > 0 else default

    def set_event_hours(self, hours: float) -> None:
        self._set_text("outputs/event_hours", f"{hours:g}")
