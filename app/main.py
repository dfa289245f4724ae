"""The ``casterdesk`` entry point: the GUI when asked for (or by default), else the CLI.

Kept apart from ``app.cli`` so that the command line never imports Qt.
"""

from __future__ import annotations

import sys

GUI_COMMANDS = {"gui"}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in GUI_COMMANDS:
        from app.ui.launch import run_gui  # noqa: PLC0415  (Qt only when the GUI is wanted)

        return int(run_gui(args[1:] if args else []))
    from app.cli.main import run_cli  # noqa: PLC0415

    return int(run_cli(args))


if __name__ == "__main__":
    sys.exit(main())
