"""What the main window remembers between runs: geometry, splitter, columns, filter, selection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.ui.settings import Settings

if TYPE_CHECKING:
    from app.ui.widgets.main_window import MainWindow


def header_columns() -> str:
    """What a saved header belongs to: the caster list's columns, in their logical order."""
    # Imported here: this module is part of the window's frame, painted before the list exists.
    from app.ui.models.caster_table import Column  # noqa: PLC0415

    return ",".join(column.name for column in Column)


def restore_frame(window: MainWindow, settings: Settings) -> None:
    """Put back the geometry and the toolbar's state (the window's frame, before it is shown)."""
    for saved, apply in (
        (settings.geometry(), window.restoreGeometry),
        (settings.window_state(), window.restoreState),
    ):
        if saved is not None:
            apply(saved)


def restore_content(window: MainWindow, settings: Settings) -> None:
    """Put back the splitters, columns and the status filter (once the content is built)."""
    header = window.caster_list.table.horizontalHeader()
    for saved, apply in (
        (settings.splitter("main"), window.splitter.restoreState),
        (settings.splitter("top"), window.top_splitter.restoreState),
        (settings.header_state(header_columns()), header.restoreState),
    ):
        if saved is not None:
            apply(saved)
    status = settings.status_filter()
    if status in ("0", "1"):
        window.caster_list.set_status_filter(int(status))


def save(window: MainWindow, settings: Settings) -> None:
    """Write geometry, splitters, header, profile, region and selection to QSettings."""
    settings.set_geometry(window.saveGeometry())
    settings.set_window_state(window.saveState())
    settings.set_splitter("main", window.splitter.saveState())
    settings.set_splitter("top", window.top_splitter.saveState())
    settings.set_header_state(
        window.caster_list.table.horizontalHeader().saveState(), header_columns()
    )
    status = window.caster_list.status_combo.currentData()
    settings.set_status_filter(None if status is None else str(status))
    session = window.session
    if session.profile is not None:
        settings.set_last_profile(session.profile)
    settings.set_region(session.region_id or window.toolbar.region_text() or None)
    selected = window.caster_list.selected_caster()
    if selected is not None:
        settings.set_selected_caster(selected.caster_id)
    settings.sync()
