"""The ``casterdesk`` entry point: the GUI when asked for (or by default), else the CLI.

Kept apart from ``app.cli`` so that the command line never imports Qt.
"""

from __future__ import annotations

import sys

from app.native_output import NativeOutput

GUI_COMMANDS = {"gui"}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in GUI_COMMANDS:
        gui_args = args[1:] if args else []
        # Before Qt is imported: loading QtMultimedia already prints (pipewire, codecs).
        native = NativeOutput(echo="-v" in gui_args or "--verbose" in gui_args)
        native.start()
        from app.ui.launch import run_gui  # noqa: PLC0415  (Qt only when the GUI is wanted)

        return int(run_gui(gui_args, native=native))
    from app.cli.main import run_cli  # noqa: PLC0415

    return int(run_cli(args))


if __name__ == "__main__":
    sys.exit(main())
