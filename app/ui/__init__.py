"""Caster Desk's Qt user interface (PySide6). Entry point: :func:`app.ui.launch.run_gui`."""
